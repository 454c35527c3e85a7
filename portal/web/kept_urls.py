"""URLs built once and kept: a page builds the same links again and again (every row of a list
links its department, the twins and the three languages link the same items).

`url_for` is a pure function of the endpoint, the values given, the language the URL
defaults fill in (`web.locale`: the request's) and the address the request was made at
(the scheme, host and script root its URL adapter is bound to). A URL built once for
exactly those is kept for the app's life and given again, as `url_for` would build it;
a URL that fails to build is never kept. The only URL defaults the portal registers are
the language's: a new one that reads anything else must be added to the key.

Whoever wants to see every URL asked for (the static export follows the links a page
builds) registers in `url_observers`: they see each call, kept or not.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.globals import _cv_app, _cv_request

# The most URLs kept at once; past it, all are forgotten. A page builds a few hundred, most of
# them the same from page to page; about 600 bytes each, so a worker keeps at most ~12 MB.
LIMIT = 20_000
# The values a kept URL may be built from: plain values, equal only when their URL parts are
# (an object's text may change, a lazily translated text differs by language).
_PLAIN = frozenset({str, int, float, bool, type(None)})


class UrlKeepingFlask(Flask):
    """A Flask app that keeps the URLs it builds in a request (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kept_urls: dict[tuple, str] = {}
        self.url_observers: list[Callable[[str, dict], None]] = []

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values) -> str:
        """`Flask.url_for`, the same URL, built once per endpoint, values, language and address."""
        # The context variables behind `flask.request` and `flask.g`, read directly as Flask.url_for
        # reads them: this runs tens of thousands of times per export, and each proxy access is one
        # more lookup.
        request_context = _cv_request.get(None)
        if request_context is not None and endpoint[:1] == ".":  # relative to the request's blueprint
            blueprint = request_context.request.blueprint
            endpoint = f"{blueprint}{endpoint}" if blueprint is not None else endpoint[1:]
        for observe in self.url_observers:
            observe(endpoint, values)
        key = None
        if request_context is not None and request_context.url_adapter is not None:
            adapter = request_context.url_adapter
            lang = _cv_app.get().g.__dict__.get("lang")
            # The values as given (the same call names them in the same order; another order is
            # only another key), with their types: 1, True and "1" are different URLs' values.
            types = tuple(map(type, values.values()))
            if all(map(_PLAIN.__contains__, types)) and _anchor.__class__ in _PLAIN:
                key = (endpoint, lang, adapter.url_scheme, adapter.server_name, adapter.script_name,
                       adapter.subdomain, _anchor, _method, _scheme, _external, tuple(values.items()), types)
                url = self.kept_urls.get(key)
                if url is not None:
                    return url
        url = super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                              _external=_external, **values)
        if key is not None:
            if len(self.kept_urls) >= LIMIT:
                self.kept_urls.clear()
            self.kept_urls[key] = url
        return url
