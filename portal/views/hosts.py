"""Whose address the portal believes: its own (SITE_URL), and the client's (PROXY_COUNT).

The Host header and the X-Forwarded-* headers are written by whoever sends the
request. Copied into a feed that readers and shared caches keep for minutes, a
forged Host would send every subscriber elsewhere; trusted from anyone, a forged
X-Forwarded-For would let a guesser pose as a new client at every login attempt,
and behind a proxy that is not trusted, every visitor would share one address
and one login throttle. So:

- with SITE_URL set, absolute URLs are built from it alone (host and scheme),
  and a request naming any other host is refused with 400;
- without it, only the loopback names are answered, as when developing;
- X-Forwarded-For and X-Forwarded-Proto are believed from exactly PROXY_COUNT
  proxies (Werkzeug's ProxyFix), and ignored when it is 0.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

# Served when no SITE_URL is set (scripts/serve binds 127.0.0.1). Werkzeug cannot match an
# IPv6 literal against its trusted list, so [::1] is not among them.
LOOPBACK_HOSTS = ["localhost", "127.0.0.1"]


class SiteScheme:
    """WSGI middleware: every request is seen with the scheme of SITE_URL.

    Behind a proxy that ends TLS the application server speaks plain HTTP; the
    URLs the portal writes must still say https, as SITE_URL does.
    """

    def __init__(self, app, scheme: str) -> None:
        self.app = app
        self.scheme = scheme

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"] = self.scheme
        return self.app(environ, start_response)


def parse_site_url(value: str) -> tuple[str, str, str]:
    """The scheme, host[:port] and host of a SITE_URL; ValueError unless it is an http(s) origin."""
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or parts.path not in ("", "/") or parts.query or parts.fragment
            or parts.username or parts.password):
        raise ValueError(f"SITE_URL must be http(s)://host[:port] with nothing after it, not {value!r}")
    return parts.scheme, parts.netloc.lower(), parts.hostname


def init_app(app: Flask) -> None:
    """Bind URL building to SITE_URL, refuse other hosts, and trust PROXY_COUNT proxies."""
    config = app.config
    if config.get("SITE_URL"):
        scheme, netloc, hostname = parse_site_url(config["SITE_URL"])
        # url_for(_external=True) takes the host from SERVER_NAME (Flask 3.1 no longer uses it to
        # route, so it only names the site); the port is ignored when Hosts are compared.
        config["SERVER_NAME"] = netloc
        config["PREFERRED_URL_SCHEME"] = scheme
        config["TRUSTED_HOSTS"] = [hostname]
        app.wsgi_app = SiteScheme(app.wsgi_app, scheme)
    elif config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = list(LOOPBACK_HOSTS)
    proxies = int(config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        # Outermost, so it runs first and SiteScheme (when set, inside it) has the last word on the scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0,
                                x_prefix=0)
