"""What every template can use: URL builders, the city, the site pages, and formatters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask, current_app, g
from flask_babel import format_time
from markupsafe import Markup, escape

from . import city
from .catalog import pages
from .feeds.advertise import page_feeds
from .schemas import KINDS, declared
from .web import urls
from .i18n import lookup
from .i18n.formats import format_date, format_decimal, format_percent
from .i18n.display import composed_title, department_name, shown_title, term
from .web.locale import alternates, html_lang
from .web.worddiff import marked
from .web.contact import hours, tel_links, web_link


def _site_context() -> dict:
    content = current_app.config["CONTENT_DIR"]
    the_city = city.city(content)
    return {
        "city": the_city,
        "city_name": the_city.name_en if g.get("lang") == "en" and the_city.name_en else the_city.name,
        "site_pages": {slug: p.in_language(g.get("lang"))
                       for slug, p in pages.all_pages(Path(content) / "pages").items()},
        "html_lang": html_lang(),
        "lang": g.get("lang"),
        "alternates": alternates(),
    }


def percent(value) -> str:
    """A share as a percentage in the current locale (0.625 → 62.5%)."""
    return "—" if value is None else format_percent(value, "#,##0.0%")


def number(value) -> str:
    """A number in the current locale, up to two decimals."""
    return "—" if value is None else format_decimal(value, "#,##0.##")


def score(value) -> str:
    """An appraisal score at its published precision, one decimal (85 → 85.0), in the current locale."""
    return "—" if value is None else format_decimal(value, "#,##0.0")


def paragraphs(text: str | None) -> Markup:
    """Plain text with line breaks as escaped paragraphs."""
    if not text:
        return Markup("")
    parts = [p.strip() for p in str(text).split("\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(escape(p)) for p in parts)


# Vocabulary values as ASCII class names: the stylesheet must not depend on the
# script or language a page is shown in.
_CSS_TOKENS = {
    "优秀": "excellent", "良好": "good", "一般": "fair", "较差": "poor",
    "属实": "substantiated", "部分属实": "partly", "不属实": "unsubstantiated",
    "开始": "start", "办理": "task", "判断": "decision", "结束": "end",
    "在用": "live", "已取消": "cancelled", "已调整": "adjusted",
}


def css_token(value) -> str:
    """The ASCII class-name token of a vocabulary value (优秀 → excellent)."""
    return _CSS_TOKENS.get(str(value), "other")


def filesize(size: int) -> str:
    """A file's size for people: 834 B, 12.5 KB, 3.2 MB (in the current locale)."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{format_decimal(size / scale, '#,##0.#')} {unit}"
    return f"{format_decimal(size, '#,##0')} B"


def without(params: dict, key: str) -> dict:
    """A copy of query parameters without `key` (to clear one filter)."""
    return {k: v for k, v in params.items() if k != key}


def replaced(params: dict, key: str, value) -> dict:
    """A copy of query parameters with `key` set to `value`."""
    return {**params, key: value}


def zh_content() -> Markup:
    """` lang="zh-Hans"` for an element holding content as published, on an English page
    (content stays in Chinese there); nothing in the Chinese scripts."""
    return Markup(' lang="zh-Hans"') if g.get("lang") == "en" else Markup("")


def day(value) -> str:
    """A date, an ISO date as records keep it, or the day of a moment (in the portal's time zone),
    in the one format every page uses."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, "medium")


def moment(value) -> str:
    """A moment whose time of day matters (a revision, a login): the day as everywhere, then hours:minutes."""
    # 24-hour in every language: zh_Hant's locale format would read 晚上7:40 beside 19:40 in zh_Hans.
    return f"{day(value)} {format_time(value, 'HH:mm')}"


def iso_day(text: str) -> str:
    """An ISO date-time string (as the download manifest keeps it) as the day, in the date
    format every page uses."""
    return day(text)


def isotime(moment) -> str:
    """A moment for `<time datetime>`: to the second, as HTML's date-time grammar allows
    (Python's six-digit fractions are not valid there)."""
    return moment.isoformat(timespec="seconds") if hasattr(moment, "hour") else moment.isoformat()


def init_app(app: Flask) -> None:
    """Register template globals and filters."""
    app.context_processor(_site_context)
    app.context_processor(page_feeds)
    app.jinja_env.globals.update(
        item_url=urls.item_url,
        list_url=urls.list_url,
        department_url=urls.department_url,
        flowchart_url=urls.flowchart_url,
        twin_url=urls.twin_url,
        changes_url=urls.changes_url,
        revision_url=urls.revision_url,
        revisions_url=urls.revisions_url,
        feed_url=urls.feed_url,
        dname=department_name,
        without=without,
        replaced=replaced,
        KINDS=KINDS,
        declared=declared,
        worddiff=marked,
        zh=zh_content,
        composed_title=composed_title,
        shown_title=shown_title,
    )
    app.jinja_env.filters.update(
        percent=percent,
        filesize=filesize,
        number=number,
        score=score,
        paragraphs=paragraphs,
        t=term,
        css=css_token,
        date=day,
        datetime=moment,
        isotime=isotime,
        iso_day=iso_day,
        tel=tel_links,
        hours=hours,
        web_link=web_link,
    )
    lookup.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
