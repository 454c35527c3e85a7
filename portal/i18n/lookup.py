"""Translations looked up once per request and locale, not once per message.

Flask-Babel finds the catalogue anew on every call: the request's Babel context,
its locale, its domain, then a cache keyed by the locale's name. A department
page asks for about 750 messages, and finding the catalogue cost more than
translating. Here the catalogue is kept on the request's Babel context beside
the locale object it belongs to. `force_locale` puts another locale object there
for its block and the request's own back after it, so a lookup always uses the
catalogue of the locale actually in force. Lazy strings (`lazy_gettext`) are
untouched: they still resolve through Flask-Babel, in the locale in force when
they are rendered.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_locale, get_translations

_KEPT = "portal_translations"


def _kept():
    """(locale, catalogue, locale name) of the locale in force, kept on the request's Babel context."""
    try:
        context = g._flask_babel
    except (AttributeError, RuntimeError):  # no locale chosen yet in this request, or no request
        return None
    locale = getattr(context, "babel_locale", None)
    kept = getattr(context, _KEPT, None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept
    found = get_translations()  # chooses the request's locale when none is in force yet
    kept = (context.babel_locale, found, str(context.babel_locale))
    setattr(context, _KEPT, kept)
    return kept


def translations():
    """The catalogue of the locale in force (Flask-Babel's, found once per request and locale)."""
    kept = _kept()
    return kept[1] if kept is not None else get_translations()


def locale_name() -> str:
    """The name of the locale in force (zh_Hans, en_GB …), found once per request and locale."""
    kept = _kept()
    return kept[2] if kept is not None else str(get_locale())


def gettext(string: str, **variables) -> str:
    """`string` translated into the locale in force, then formatted with `variables` (as Flask-Babel's)."""
    translated = translations().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The singular or plural of a message in the locale in force, formatted (`num` included)."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def init_app(app: Flask) -> None:
    """Let templates' `_`, `gettext` and `ngettext` use the kept catalogue (after Babel's own init)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
