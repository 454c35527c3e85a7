"""How content is shown in the current language.

Content is written in Simplified Chinese. Under zh-hant every page is converted
as a whole (see `to_traditional`); under en the fixed vocabularies and
labels come from the catalog and departments carry their English names, while
free text stays as published.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from flask import current_app, g

from ..city import city
from ..schemas import KINDS
from ..schemas.kind import TITLE_JOIN
from .convert import Converter
from .lookup import gettext


def lang() -> str | None:
    """The URL prefix of the current request's language, if any."""
    return g.get("lang")


def term(text) -> str:
    """A label or a vocabulary value (行政许可, 属实, 事项名称…) in the current language.

    Simplified Chinese reads the catalog too: its translations are the labels with
    full-width punctuation (办结天数(工作日) → 办结天数（工作日）)."""
    if text is None or text == "":
        return text
    return gettext(str(text))


def department_name(department) -> str:
    """A department's name (a model, or a twin's dict): the English one under en, else the Chinese one."""
    if isinstance(department, Mapping):
        name, name_en = department["name"], department.get("name_en")
    else:
        name, name_en = department.name, department.name_en
    return name_en if lang() == "en" and name_en else name


def shown_title(kind: str, title: str, department: str) -> str:
    """An item's title as this page's language shows it, its department named `department`.

    A title is the department's own words, shown as published, unless the portal composed it
    (`Kind.named_title`: a complaint's category and the department complained of): English
    pages compose it again in English, as the item's own page and the change log name it."""
    if lang() != "en" or KINDS[kind].named_title is None:
        return title
    first, joined, _name = title.partition(TITLE_JOIN)
    return f"{term(first)}{TITLE_JOIN}{department}" if joined else title


def composed_title(kind: str) -> bool:
    """Whether the kind's titles are composed by the portal (in the page's language), not written
    by its departments (shown as published, in Chinese on English pages)."""
    return KINDS[kind].named_title is not None


# Phrases written the same in both scripts on every page: the switcher's own label
# for Simplified Chinese must stay Simplified.
_VERBATIM = {"简体中文": "简体中文"}


@lru_cache(maxsize=8)
def _converter(content_dir: str) -> Converter:
    return Converter({**city(content_dir).traditional_phrases, **_VERBATIM})


def converter() -> Converter:
    """The Simplified → Traditional converter, with the city's proper nouns protected."""
    return _converter(current_app.config["CONTENT_DIR"])


def to_traditional(response):
    """After a zh-hant request: convert the whole HTML page to Traditional, once per page.

    Converting the rendered page (about 1 ms for 50 KB) costs less than converting
    each printed value, and the converter caches recent pages, so a page served
    again costs a dictionary lookup.
    """
    if g.get("lang") == "zh-hant" and response.mimetype == "text/html" and not response.direct_passthrough:
        response.set_data(converter().convert(response.get_data(as_text=True)))
    return response
