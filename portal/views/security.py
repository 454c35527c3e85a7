"""Security headers on every response: what a browser may run, frame, sniff, send and keep.

The templates have no inline script, no event-handler attributes and no inline
styles (the flowcharts' SVG uses presentation attributes, which CSP leaves
alone), so the policy allows scripts and styles from the portal's own origin
only. Keep it that way: a template that needs `style="…"` or `<script>…` must
move it into static/ instead of loosening the policy.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",  # no page of the portal is framed (clickjacking on the desk)
))
# One year; only browsers that reached the portal over HTTPS keep it.
HSTS = "max-age=31536000"
# The desk and the API show uploads, accounts and (once) new API tokens: never to be stored.
# (The API's description, /api/openapi.json, is public: caches may keep it.)
_PRIVATE = re.compile(r"^/(?:[^/]+/desk(?:/|$)|api/v1(?:/|$))")


def is_private(path: str) -> bool:
    """True for the desk's pages (under any language prefix) and the upload API (/api/v1/)."""
    return bool(_PRIVATE.match(path))


def add_headers(response: Response) -> Response:
    """Set the security headers (a view's own value wins where it set one, except caching)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors, for browsers without CSP 2
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if is_private(request.path):
        # Replaces any public caching a shared view (a template download) asked for.
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response, error pages included."""
    app.after_request(add_headers)
