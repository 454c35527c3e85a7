"""The locale lives in the URL prefix (/zh-hans/, /zh-hant/, /en/), handled by URL processors.

Every public blueprint is created with `localized_blueprint`, so `url_for`
fills in the current language and every page exists under every locale.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request, url_for

from .requests import query_args


# What the language switcher calls each language, in that language.
LANGUAGE_NAMES = {"zh-hans": "简体中文", "zh-hant": "繁體中文", "en": "English"}
_HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en_GB": "en"}
_LOCALIZED: set[str] = set()  # names of the blueprints that live under /<lang>/


def select_locale() -> str:
    """The Babel locale for this request: the one its URL prefix names, else the default."""
    lang = g.get("lang")
    return current_app.config["LOCALES"].get(lang, current_app.config["BABEL_DEFAULT_LOCALE"])


def default_lang() -> str:
    """The URL prefix of the default locale."""
    return next(iter(current_app.config["LOCALES"]))


def localized_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /<lang>/ whose URLs carry the current language."""
    bp = Blueprint(name, import_name, url_prefix="/<lang>")
    _LOCALIZED.add(name)

    @bp.url_defaults
    def add_lang(endpoint, values):
        values.setdefault("lang", g.get("lang") or default_lang())

    @bp.url_value_preprocessor
    def pull_lang(endpoint, values):
        g.lang = values.pop("lang")
        if g.lang not in current_app.config["LOCALES"]:
            g.lang = default_lang()  # so the 404 page renders in a language we have
            abort(404)

    return bp


def html_lang() -> str:
    """The BCP 47 tag for <html lang> and hreflang: zh-Hans, zh-Hant or en."""
    return _HTML_LANG[select_locale()]


def hreflang(lang: str) -> str:
    """The BCP 47 tag of a URL prefix's language (zh-hans → zh-Hans), as hreflang writes it."""
    return _HTML_LANG[current_app.config["LOCALES"][lang]]


def alternates() -> list[dict]:
    """The current page in every language: for the switcher and hreflang links."""
    if request.blueprint not in _LOCALIZED or request.view_args is None:
        return []
    result = []
    for lang, locale in current_app.config["LOCALES"].items():
        url = url_for(request.endpoint, **{**request.view_args, "lang": lang}, **query_args())
        # hreflang links must be absolute (search engines ignore relative ones).
        absolute = url_for(request.endpoint, **{**request.view_args, "lang": lang}, **query_args(), _external=True)
        result.append({"lang": lang, "hreflang": _HTML_LANG[locale], "name": LANGUAGE_NAMES[lang],
                       "url": url, "absolute": absolute, "current": lang == g.get("lang")})
    return result

