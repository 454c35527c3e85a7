"""A chart's fixed words in the current locale, each looked up once per locale.

Drawing a province's charts says the same two dozen phrases a hundred thousand
times; Flask-Babel finds the catalogue through the app context on every call,
which cost more than the rest of the sketch. The translation of a message in a
locale does not change while the app runs.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale, gettext


@lru_cache(maxsize=1024)
def _translated(locale: str, message: str) -> str:
    return gettext(message)


def gettext_once(message: str, **values) -> str:
    """`gettext(message, **values)`, the catalogue looked up once per locale and message."""
    template = _translated(str(get_locale()), message)
    return template % values if values else template
