"""Pick the visitor's language from Accept-Language, by script rather than by region."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

# The URL prefix for each (language, script) a browser may ask for.
_BY_SCRIPT = {"Hans": "zh-hans", "Hant": "zh-hant"}
DEFAULT = "zh-hans"


def lang_for_tag(tag: str) -> str | None:
    """The URL prefix serving a BCP 47 tag, or None when we have no such language.

    Babel fills in the likely script: zh-TW, zh-HK and zh-MO are Traditional,
    zh, zh-CN and zh-SG Simplified.
    """
    try:
        locale = Locale.parse(tag.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if locale.language == "zh":
        return _BY_SCRIPT.get(locale.script or "Hans", DEFAULT)
    if locale.language == "en":
        return "en"
    return None


def choose(accept_languages) -> str:
    """The best URL prefix for a parsed Accept-Language header (werkzeug's, best first)."""
    for tag, _quality in accept_languages:
        if tag == "*":
            break
        lang = lang_for_tag(tag)
        if lang:
            return lang
    return DEFAULT
