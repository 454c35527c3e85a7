"""What an incremental export rewrites: the pages that revisions since the last export touched.

Read from the revision log, like every projection: the revisions after the last
exported one name their department and kind, their change events name the items.
A department's change (reference data, shown on every page of its items), a first
export or one built otherwise (other code, templates or site pages: `files.build_digest`)
rewrites everything. List pages are rewritten by their fingerprints (`listpages`):
only those whose content changed, wherever the changed items sit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from flask import current_app, url_for
from sqlalchemy import select

from ..catalog import chain
from ..extensions import db
from ..models import MODELS, ChangeEvent, Revision
from ..schemas import DEPARTMENTS, KINDS
from . import files, listpages, logarchives, pageinputs, statpages, urls
from .links import file_path


@dataclass
class Plan:
    """The scopes an incremental export rewrites."""

    kinds: set[str] = field(default_factory=set)
    departments: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)  # of the change events recorded since
    items: set[tuple[str, str]] = field(default_factory=set)
    # Of those, the items the revisions themselves changed (not only pages showing them).
    changed_items: set[tuple[str, str]] = field(default_factory=set)
    revisions: list[Revision] = field(default_factory=list)
    everything: bool = False
    # The change log's filtered pages (filter, value) the previous export had and this one rewrites.
    filtered_logs: set[tuple[str, str]] = field(default_factory=set)
    # List pages (listpages keys) that are new or show something else now, and those that are gone.
    lists: set[listpages.ListKey] = field(default_factory=set)
    gone_lists: set[listpages.ListKey] = field(default_factory=set)
    # The downloads' digests as the last export copied them (`stale` reads them).
    downloads: dict[str, str] = field(default_factory=dict)
    # The statistics (`statpages` keys) whose figures changed since the last export, and the
    # departments whose scorecard (on their page) or its charts changed.
    stats: set[str] = field(default_factory=set)
    scorecards: set[str] = field(default_factory=set)
    # The pages drawn from a few figures (`pageinputs` keys) whose figures changed.
    pages: set[str] = field(default_factory=set)
    # How many archive pages each change log and feed had at the last export and has now.
    archives: logarchives.Counts = field(default_factory=lambda: logarchives.Counts(0))

    def follow(self, endpoint: str, values: dict) -> bool:
        """Which links found on rewritten pages are rewritten too: the list pages that changed, the
        change log's and the chain's front pages and their archives that are new or were the newest, the touched
        revisions, changed services' flowcharts, feeds' archives likewise, and the departments' and
        the city's charts whose figures changed."""
        if endpoint == "disclosures.listing":
            return listpages.key_from_values(values) in self.lists
        if endpoint == "changes.index":  # a front page, or an archive page that is new or was the newest
            return "page" not in values or self.archives.rewrites(endpoint, values)
        if endpoint == "changes.revisions":  # the chain's front page, and its archives as the log's
            return "page" not in values or self.archives.rewrites(endpoint, values)
        if endpoint == "changes.revision":
            return (values.get("department"), values.get("kind"), values.get("number")) in self._revision_keys
        if endpoint == "flowcharts.svg":  # drawn from the service alone, when it was published
            return ("services", values.get("code")) in self.changed_items
        if endpoint == "feeds.feed":  # a rewritten feed's archives that are new or were the newest
            return "page" in values and self.archives.rewrites(endpoint, values)
        if endpoint == "scorecards.department_chart":  # a department's charts that changed
            return statpages.department_chart_key(values.get("code"), values.get("name")) in self.stats
        if endpoint == "scorecards.ranking_chart":
            return "appraisals" in self.kinds
        # The city's charts draw on every department's items: those whose figures changed.
        if endpoint == "stats.city_chart":
            return statpages.city_chart_key(values.get("name")) in self.stats
        return endpoint == "stats.compare_chart" and statpages.CITY in self.stats

    @property
    def _revision_keys(self) -> set:
        return {(r.department.code, r.kind, r.number) for r in self.revisions}


def head() -> int:
    """The newest revision's id (0 before the first publish)."""
    return db.session.scalar(select(Revision.id).order_by(Revision.id.desc()).limit(1)) or 0


def plan(since: int, before: dict[str, str] | None, now: dict[str, str]) -> Plan:
    """What revisions after `since` touched, with the items that show those items (their relations),
    and the list pages whose fingerprints (`before` at the last export, `now`) differ."""
    session = db.session
    found = Plan(archives=logarchives.Counts(since))
    new = list(session.scalars(select(Revision).where(Revision.id > since).order_by(Revision.id)))
    if before is None or any(r.kind == DEPARTMENTS.name for r in new):
        return Plan(everything=True)
    found.lists = {listpages.key_of(k) for k, digest in now.items() if before.get(k) != digest}
    found.gone_lists = {listpages.key_of(k) for k in before.keys() - now.keys()}
    for revision in new:
        found.kinds.add(revision.kind)
        found.departments.add(revision.department.code)
        neighbours = chain.neighbours(session, revision)
        found.revisions += [r for r in (revision, neighbours.previous) if r is not None]
    events = list(session.execute(select(ChangeEvent.kind, ChangeEvent.code, ChangeEvent.action,
                                         ChangeEvent.changes).where(ChangeEvent.revision_id > since)))
    found.changed_items = {(kind, code) for kind, code, _, _ in events if kind in KINDS}
    found.items |= found.changed_items
    found.actions |= {action for _, _, action, _ in events}
    found.items |= _showing(session, [(kind, code, changes) for kind, code, _, changes in events if kind in KINDS])
    return found


def _showing(session, events: list[tuple[str, str, dict | None]]) -> set[tuple[str, str]]:
    """The items whose pages show the changed items (`events`: kind, code, changes), in any
    department: an item of kind L shows an item X of kind K when L declares `Related(K, ours,
    theirs)` and its `ours` equals X's `theirs`, by X's present value (an added or withdrawn
    item's row keeps it) or the value a "changed" event replaced (the page showed X before)."""
    values: dict[tuple[str, str], set] = {}  # (kind, field) → the values X held there, then or now
    codes: dict[str, set[str]] = {}
    for kind, code, changes in events:
        codes.setdefault(kind, set()).add(code)
        for field_name, change in (changes or {}).items():
            if isinstance(change, list | tuple) and len(change) == 2:
                values.setdefault((kind, field_name), set()).add(change[0])
    for kind, held in codes.items():
        model = MODELS[kind]
        for record in session.scalars(select(model.record).where(model.code.in_(held))):
            for field_name in {r.theirs for other in KINDS.values() for r in other.related if r.kind == kind}:
                values.setdefault((kind, field_name), set()).add(record.get(field_name))
        values.setdefault((kind, "code"), set()).update(held)  # an item's code is in its record too
    found = set()
    for name, declared in KINDS.items():
        model = MODELS[name]
        for relation in declared.related:
            shown = {v for v in values.get((relation.kind, relation.theirs), ()) if v not in (None, "")}
            if shown:
                found |= {(name, code) for code in session.scalars(
                    select(model.code).where(getattr(model, relation.ours).in_(sorted(shown, key=str))))}
    return found


def generators(found: Plan):
    """The URL generators of an incremental run."""

    def touched() -> Iterator[tuple[str, dict]]:
        twins = urls.twin_endpoints()
        # The feeds' catalogue and the departments' index show the departments alone (a change to
        # them rewrites everything).
        for endpoint in ("home.index", "changes.index", "changes.revisions", "data.index"):
            yield from urls.localized(endpoint, {}, twins)
        if statpages.CITY in found.stats:  # the city's figures, and the comparison drawn from them
            for endpoint in ("stats.index", "stats.compare"):
                yield from urls.localized(endpoint, {}, twins)
        if pageinputs.API in found.pages:
            yield from urls.localized("apidocs.index", {}, twins)
        for code in sorted(found.departments | found.scorecards):
            yield from urls.localized("departments.detail", {"code": code}, twins)
        for kind in sorted(found.kinds):
            yield from urls.localized("data.dataset_page", {"name": kind}, twins)
        for key in sorted(found.lists):
            yield from urls.localized("disclosures.listing", listpages.url_values(key), twins)
        for kind, code in sorted(found.items):
            if KINDS[kind].item_pages:
                yield from urls.localized("disclosures.detail", {"kind": kind, "code": code}, twins)
        if "appraisals" in found.kinds:
            yield from (page for page in urls.pages() if page[0] == "disclosures.appraisal_year")
        for facet, value in sorted(found.filtered_logs):
            yield from urls.localized("changes.index", {"facet": facet, "value": value}, twins)
        for revision in found.revisions:
            values = {"department": revision.department.code, "kind": revision.kind, "number": revision.number}
            yield from urls.localized("changes.revision", values, twins)
        yield from feeds(found)

    def root_files() -> Iterator[tuple[str, dict]]:
        yield from urls.root_files(found.downloads, data_only=True)

    return [touched, root_files]


def _feed_scopes(found: Plan) -> list[tuple[str | None, str | None]]:
    """The feeds the touched scopes appear in, as (department, kind): the site's, each kind's,
    department's and both."""
    scopes = {(None, None)}
    for revision in found.revisions:
        code = revision.department.code
        scopes |= {(None, revision.kind), (code, None), (code, revision.kind)}
    return sorted(scopes, key=str)


def feeds(found: Plan) -> Iterator[tuple[str, dict]]:
    """The subscription documents of the feeds the touched scopes appear in (their archives that
    change are followed from there)."""
    for lang in current_app.config["LOCALES"]:
        for department, kind in _feed_scopes(found):
            for fmt in ("atom", "rss"):
                scope = {k: v for k, v in (("department", department), ("kind", kind)) if v}
                yield "feeds.feed", {"lang": lang, "fmt": fmt, **scope}


def stale(root: Path, found: Plan) -> list[Path]:
    """The files an incremental run deletes first because they may no longer exist: list pages
    and downloads that are gone, and the archive pages of touched change logs, feeds and the
    chain past their last archive now. The change log's pages filtered to a touched
    department, kind or action are noted in `found.filtered_logs`, to be written again."""
    paths = gone_list_files(root, found.gone_lists)
    found.downloads = files.read_sums(root / "data" / "SHA256SUMS")
    paths += [root / "data" / name for name in found.downloads.keys() - urls.download_sums().keys()]
    touched = [("department", code) for code in found.departments] + [("kind", k) for k in found.kinds]
    touched += [("action", action) for action in found.actions]
    for lang in current_app.config["LOCALES"]:
        base = root / lang
        logs = base / "changes" / "by"
        for facet, value in touched:
            if (logs / facet / value).is_dir():
                found.filtered_logs.add((facet, value))
        paths += logarchives.vanished(base, found.archives, touched, _feed_scopes(found))
    return [p for p in paths if p.exists()]


def gone_list_files(root: Path, keys: set) -> list[Path]:
    """The files (page and twin, every language) of list pages that no longer exist."""
    twins = urls.twin_endpoints()
    paths = []
    with current_app.test_request_context("/"):
        for key in sorted(keys):
            for endpoint, values in urls.localized("disclosures.listing", listpages.url_values(key), twins):
                paths.append(root / file_path(unquote(url_for(endpoint, **values))))
    return paths
