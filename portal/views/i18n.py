"""The locale lives in the URL prefix (/zh-hans/…), handled by URL processors.

Every public blueprint is created with `localized_blueprint`, so `url_for`
fills in the current language and every page exists under every locale.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g


def select_locale() -> str:
    """The Babel locale for this request: the one its URL prefix names, else the default."""
    lang = getattr(g, "lang", None)
    return current_app.config["LOCALES"].get(lang, current_app.config["BABEL_DEFAULT_LOCALE"])


def default_lang() -> str:
    """The URL prefix of the default locale."""
    return next(iter(current_app.config["LOCALES"]))


def localized_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /<lang>/ whose URLs carry the current language."""
    bp = Blueprint(name, import_name, url_prefix="/<lang>")

    @bp.url_defaults
    def add_lang(endpoint, values):
        values.setdefault("lang", getattr(g, "lang", None) or default_lang())

    @bp.url_value_preprocessor
    def pull_lang(endpoint, values):
        g.lang = values.pop("lang")
        if g.lang not in current_app.config["LOCALES"]:
            g.lang = default_lang()  # so the 404 page renders in a language we have
            abort(404)

    return bp


def html_lang() -> str:
    """The BCP 47 tag for <html lang> (zh-Hans, zh-Hant, en)."""
    locale = select_locale()
    return locale.replace("_", "-")

