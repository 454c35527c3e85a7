"""Numbers written in the locale in force, each (value, pattern, locale) worked out once per process.

Babel parses the pattern and walks the locale's symbols on every call (about 40 µs);
a page of statistics writes a few hundred numbers, most of them small counts and
scores written again and again (in a chart's table and in its description). The
answer depends on nothing else, so it is kept.
"""

from __future__ import annotations

from functools import lru_cache

from babel import numbers
from flask_babel import get_locale


@lru_cache(maxsize=8192)
def _written(kind: str, value, value_type: type, pattern: str, locale: str) -> str:
    write = numbers.format_percent if kind == "percent" else numbers.format_decimal
    return write(value, pattern, locale=locale)


def format_decimal(value, pattern: str) -> str:
    """`value` as a decimal number in the locale in force (as Flask-Babel's format_decimal)."""
    # The type is part of the key: 1, 1.0 and True are equal keys but need not be equal numbers.
    return _written("decimal", value, type(value), pattern, str(get_locale()))


def format_percent(value, pattern: str) -> str:
    """`value` as a percentage in the locale in force (as Flask-Babel's format_percent)."""
    return _written("percent", value, type(value), pattern, str(get_locale()))
