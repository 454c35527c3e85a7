"""Build one page of a scope's feed, in Atom or RSS, in the current language.

Everything in a feed comes from the recorded change events (and the records
their revisions published), so the same data always gives the same bytes: the
ETag and Last-Modified that conditional GET relies on follow from that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..catalog import changes, lookup
from ..catalog.changes import Scope
from ..catalog.describe import Description, describe_all
from ..i18n.display import converter, department_name, lang, term
from ..privacy import guard
from ..publish import memo
from ..schemas import KINDS, declared
from ..web.locale import html_lang
from ..web.requests import address_key
from ..web.urls import changes_url, feed_url, item_url, list_url, revision_url
from . import kept, scopes
from .generator import MIMETYPES, PortalFeed

# A feed with no events yet still needs an `updated`; a fixed instant keeps it reproducible.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class FeedDocument:
    """A rendered feed page and the instant its newest entry was recorded."""

    body: bytes
    mimetype: str
    updated: dt.datetime


def _action_label(action: str) -> str:
    return {"added": _("新增"), "changed": _("变更"), "withdrawn": _("撤回")}[action]


def _words() -> dict[str, Markup]:
    """The entry template's own words in the current language, looked up once per feed page rather
    than once per entry (trusted, as the template's `_()` marks them)."""
    return {name: Markup(text) for name, text in (
        ("colon", _(":")), ("field", _("字段")), ("old", _("原内容")), ("new", _("新内容")),
        ("withheld", _("已修改;为保护投诉人,变更记录不显示修改前后的文字。")),
        ("diff", _("查看这次发布的逐项差异")), ("item", _("查看事项页面")))}


def _content(template, words: dict[str, Markup], description: Description, diff_url: str, page_url: str) -> str:
    """The entry's HTML: the sentence, its facts and its diff (rendered by `feeds/entry.html`)."""
    return template.render(d=description, diff_url=diff_url, item_url=page_url, words=words)


def _paging(fmt: str, scope: Scope, log: changes.LogPage) -> dict[str, str]:
    """RFC 5005 §4's links: the subscription document (`current`), the next older archive and,
    from an archive, the next newer one."""
    def page_url(page=None):
        return feed_url(fmt, department=scope.department, kind=scope.kind, _external=True, page=page)

    paging = {"current": page_url()}
    if log.older:
        paging["prev-archive"] = page_url(log.older)
    if log.newer:
        paging["next-archive"] = page_url(log.newer)
    return paging


def build_feed(session, scope: Scope, fmt: str, page: int | None, page_size: int) -> FeedDocument:
    """The feed of `scope` in `fmt` ("atom" or "rss"): its subscription document (`page` None)
    or archive document `page` (`catalog.archives`); NotFound when the scope names no department
    or kind, or the archive does not exist."""
    log = changes.scoped_events(session, scope, page, page_size)
    department = lookup.department(session, scope.department) if scope.department else None
    updated = log.events[0].created_at if log.events else EPOCH
    feed = PortalFeed(convert=converter().convert if lang() == "zh-hant" else str)
    feed.stylesheet(url_for("static", filename="feed.xsl"))
    authority = current_app.config["TAG_AUTHORITY"]
    feed.describe(
        feed_id=f"tag:{authority}:feeds/{lang()}/{scope.key}",
        title=scopes.title(scope, department),
        subtitle=scopes.subtitle(),
        lang=html_lang(),
        author=_("%(city)s机关效能公开平台", city=scopes.city_name()),
        updated=updated,
    )
    if page is not None:
        feed.archive()
    feed.links(
        fmt=fmt,
        self_url=feed_url(fmt, department=scope.department, kind=scope.kind, _external=True, page=page),
        alternate=changes_url(department=scope.department, kind=scope.kind, _external=True),
        paging=_paging(fmt, scope, log),
    )
    for entry in _entries(session, scope, page, page_size, log):
        feed.entry(**entry)
    return FeedDocument(feed.render(fmt), MIMETYPES[fmt], updated)


def _entries(session, scope: Scope, page: int | None, page_size: int, log: changes.LogPage) -> list[dict]:
    """The entries (`PortalFeed.entry`'s arguments) of one feed page in the current language.

    A feed's Atom and RSS documents hold the same entries, and describing and guarding them is
    most of a feed's cost: they are kept in the per-state store (`publish.memo`) like a public
    answer, keyed by everything their absolute addresses are made of besides the page."""
    config = current_app.config
    key = ("feed entries", lang(), scope.key, page, page_size, *address_key())
    found = memo.kept_answer(session, key)
    if found is None:
        made_in = memo.state(session)
        found = _make_entries(session, log)
        size = sum(len(str(value)) for entry in found for value in entry.values())  # about its bytes
        memo.keep_answer(made_in, key, found, size, config["PAGE_CACHE_SECONDS"], config["PAGE_CACHE_BYTES"])
    return found  # type: ignore[return-value]


def _make_entries(session, log: changes.LogPage) -> list[dict]:
    """The entries of one feed page's events: those kept across publishes (`kept`), the others
    described, rendered and guarded now, and kept."""
    config = current_app.config
    stamp = (lang(), *address_key(), config["PAGE_SIZE"], *memo.guard_state(session))
    keys = {event.id: (stamp, event.id, event.department.name, event.department.name_en) for event in log.events}
    found = kept.kept(list(keys.values()))
    missing = [event for event in log.events if keys[event.id] not in found]
    if missing:
        made = _describe(session, missing)
        kept.keep({keys[event.id]: made[event.id] for event in missing})
        found.update({keys[event.id]: made[event.id] for event in missing})
    entries = (found[keys[event.id]] for event in log.events)
    return [entry for entry in entries if entry is not kept.WITHHELD]  # type: ignore[misc]


def _describe(session, events: list) -> dict[int, dict | str]:
    """Describe, render and guard `events`: each one's entry, or WITHHELD, by event id."""
    authority = current_app.config["TAG_AUTHORITY"]
    template, words = current_app.jinja_env.get_template("feeds/entry.html"), _words()
    kinds: dict[str, tuple[str, str]] = {}  # each kind's list address and label, made once per page
    made: dict[int, dict | str] = {}
    # The revision pages are cut as the site's pages are (PAGE_SIZE), not as the feed's.
    revision_pages = changes.revision_pages(session, events, current_app.config["PAGE_SIZE"])
    for description in describe_all(session, events):
        event = description.event
        page_url = item_url(event.kind, event.code, _external=True)
        diff_url = revision_url(event.revision, code=event.code, page=revision_pages.get(event.id, 1),
                                _external=True)
        content = _content(template, words, description, diff_url, page_url)
        # The final privacy guard, on the entry's own words: one that would show anyone's personal
        # data is left out (and logged); the item's own published contact numbers may be shown.
        if not guard.allowed(event.kind, event.code, description.title, description.summary, content,
                             where="feed", contacts=guard.event_contacts(event)):
            made[event.id] = kept.WITHHELD
            continue
        made[event.id] = dict(
            entry_id=event.uid,
            title=description.title,
            summary=description.summary,
            content_html=content,
            updated=event.created_at,
            link=page_url,
            related=diff_url,
            author=department_name(event.department),
            categories=[
                (event.kind, *_kind_category(kinds, event.kind)),
                (event.action, f"tag:{authority}:actions", _action_label(event.action)),
            ],
        )
    return made


def _kind_category(kinds: dict[str, tuple[str, str]], kind: str) -> tuple[str, str]:
    """A kind's category scheme (its list's address) and label, from `kinds` once made."""
    if kind not in kinds:
        scheme = list_url(kind, _external=True) if kind in KINDS else url_for("departments.index", _external=True)
        kinds[kind] = (scheme, term(declared(kind).label))
    return kinds[kind]
