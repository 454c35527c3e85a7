"""How content is shown in the current language.

Content is written in Simplified Chinese. Under zh-hant every string a template
prints is converted (see `traditional`); under en the fixed vocabularies and
labels come from the catalog and departments carry their English names, while
free text stays as published.
"""

from __future__ import annotations

from functools import lru_cache
from flask import current_app, g
from flask_babel import gettext
from markupsafe import Markup

from ..catalog.city import city
from .convert import Converter


class Verbatim(str):
    """Text shown exactly as written in every script (a language's own name, say)."""


def lang() -> str | None:
    """The URL prefix of the current request's language, if any."""
    return g.get("lang")


def term(text) -> str:
    """A label or a vocabulary value (行政许可, 属实, 事项名称…) in the current language."""
    if text is None or text == "":
        return text
    return gettext(str(text)) if lang() != "zh-hans" else str(text)


def department_name(department) -> str:
    """A department's name: the English one under en, else the published Chinese one."""
    if lang() == "en" and department.name_en:
        return department.name_en
    return department.name


@lru_cache(maxsize=8)
def _converter(content_dir: str) -> Converter:
    return Converter(city(content_dir).traditional_phrases)


def converter() -> Converter:
    """The Simplified → Traditional converter, with the city's proper nouns protected."""
    return _converter(current_app.config["CONTENT_DIR"])


def traditional(value):
    """Jinja `finalize`: under zh-hant, convert whatever a template prints to Traditional.

    Catalog strings are already Traditional (converting them again changes
    nothing); content strings are converted once and cached. Markup stays Markup.
    """
    if isinstance(value, str) and not isinstance(value, Verbatim) and g.get("lang") == "zh-hant":
        converted = converter().convert(str(value))
        return Markup(converted) if isinstance(value, Markup) else converted
    return value

