"""Numbers and days written in the locale in force, each (value, pattern, locale) worked out once
per process.

Babel parses the pattern and walks the locale's data on every call (about 10–40 µs);
a page of statistics writes a few hundred numbers, most of them small counts and
scores written again and again (a chart's table and its description), and a list
page the same few days. Such an answer depends on nothing else, so it is kept; a
moment (a datetime) is not, as it is first moved into the app's time zone.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import flask_babel

from .lookup import locale_name


@lru_cache(maxsize=8192)
def _written(kind: str, value, value_type: type, pattern: str, locale: str) -> str:
    # Called with `locale` the one in force: Flask-Babel's own functions read it from the request.
    write = {"decimal": flask_babel.format_decimal, "percent": flask_babel.format_percent,
             "date": flask_babel.format_date}[kind]
    return write(value, pattern)


def format_decimal(value, pattern: str) -> str:
    """`value` as a decimal number in the locale in force (as Flask-Babel's format_decimal)."""
    # The type is part of the key: 1, 1.0 and True are equal keys but need not be equal numbers.
    return _written("decimal", value, type(value), pattern, locale_name())


def format_percent(value, pattern: str) -> str:
    """`value` as a percentage in the locale in force (as Flask-Babel's format_percent)."""
    return _written("percent", value, type(value), pattern, locale_name())


def format_date(value, pattern: str) -> str:
    """A day (or the day of a moment) in the locale in force (as Flask-Babel's format_date)."""
    if type(value) is not dt.date:  # a moment is moved into the app's time zone first: not kept
        return flask_babel.format_date(value, pattern)
    return _written("date", value, dt.date, pattern, locale_name())
