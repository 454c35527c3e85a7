"""Frozen-Flask as the export uses it: public pages only, pages without an extension as folders,
and only the links a run is allowed to follow."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable

import flask_frozen
from flask import g

from .links import file_path
from .urls import public

logger = logging.getLogger(__name__)

# What a web server calls the files the portal writes (Frozen-Flask checks each page against it).
for _type, _extension in (("application/atom+xml", ".atom"), ("application/rss+xml", ".rss"),
                          ("application/ld+json", ".jsonld"), ("text/turtle", ".ttl"),
                          ("image/svg+xml", ".svg"), ("text/csv", ".csv")):
    mimetypes.add_type(_type, _extension)


class Freezer(flask_frozen.Freezer):
    """A Freezer that writes only public pages and follows only the links `follow` accepts.

    `follow(endpoint, values)` decides which logged url_for calls become pages: all public
    ones in a full export, only those in the changed scopes in an incremental one.
    """

    def __init__(self, app, follow: Callable[[str, dict], bool] | None = None, readings: dict | None = None) -> None:
        super().__init__(app, with_static_files=False, with_no_argument_rules=False, log_url_for=True)
        self.follow = follow or (lambda endpoint, values: True)
        self.readings = readings or {}
        self._asked: set = set()
        self._seen: set = set()
        self._localized = {rule.endpoint for rule in app.url_map.iter_rules() if "lang" in rule.arguments}
        # Frozen-Flask logs url_for calls before the URL defaults fill in the language, and builds
        # them later outside the page: a zh-hant page's links would all come back in zh-hans.
        # This logger, in its place, notes the language of the page that asked; it watches every
        # url_for call, the URLs the app keeps built (`web.kept_urls`) too.
        defaults = app.url_default_functions.setdefault(None, [])
        defaults.remove(defaults[0])  # Frozen-Flask's own, which it has just put first
        app.url_observers.insert(0, self._log)
        self.url_for_logger.iter_calls = self._followed_calls

    def _log(self, endpoint, values) -> None:
        if not self.url_for_logger._enabled:
            return
        lang = g.get("lang") if endpoint in self._localized and "lang" not in values else None
        # A page links the same pages as the last one did: each call is noted once per run.
        try:
            seen = (endpoint, lang, *values.items(), *map(type, values.values()))
            if seen in self._seen:
                return
            self._seen.add(seen)
        except TypeError:  # a value that cannot be a key: noted every time
            pass
        values = dict(values)
        if lang:
            values["lang"] = lang
        self.url_for_logger.logged_calls.append((endpoint, values))

    def close(self) -> None:
        """Stop logging this app's url_for calls."""
        if self._log in self.app.url_observers:
            self.app.url_observers.remove(self._log)

    def _followed_calls(self):
        """The logged url_for calls worth building: public, followed, each (endpoint, values) once.

        A page builds dozens of links that other pages build too; building each URL once
        here spares Frozen-Flask most of its url_for work.
        """
        logged = self.url_for_logger.logged_calls
        while logged:
            endpoint, values = logged.popleft()
            if not public(endpoint, values) or not self.follow(endpoint, values):
                continue
            key = (endpoint, tuple(sorted((k, str(v)) for k, v in values.items() if not k.startswith("_"))))
            if key in self._asked:
                continue
            self._asked.add(key)
            yield endpoint, {k: v for k, v in values.items() if not k.startswith("_")}

    def _build_one(self, url, last_modified=None):
        """Write one page, in an app context of its own as every request has (its `g` holds the
        page's language and Babel's translations for it), which starts with the run's `readings`
        of the database; a page the privacy guard withholds (451) is left out, not an error."""
        context = self.app.app_context()
        vars(context.g).update(self.readings)
        try:
            with context:
                return super()._build_one(url, last_modified)
        except ValueError as error:
            if "'451 " not in str(error):
                raise
            withheld = self.root / self.urlpath_to_filepath(url)
            withheld.unlink(missing_ok=True)
            logger.warning("export: %s withheld by the privacy guard", url)
            return withheld

    def urlpath_to_filepath(self, path: str) -> str:
        """`/a/` → `a/index.html`; an extensionless `/a/b` → `a/b/index.html` (see links.file_path)."""
        return file_path(path)

    def _check_endpoints(self, seen_endpoints) -> None:
        """Endpoints nothing links to are not exported on purpose (the desk, the write API…)."""
