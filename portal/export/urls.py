"""What the export writes, as Frozen-Flask URL generators: (endpoint, values) pairs.

The pages come from the sitemap's own list (`views.site.sections`: home, departments,
lists, years, site pages, change log, feeds, open data, API page and every live item),
in every language and with their JSON twins, plus tombstones, the root's files and the
download files. Everything else — facet and sort pages, further pages of lists and of
the change log, revisions, feeds, flowcharts, pages that later blueprints add — is
found by following the links the written pages build (Frozen-Flask logs every url_for).
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

from .. import downloads
from ..extensions import db
from ..models import MODELS
from ..privacy import guard
from ..schemas import KINDS
from ..views import site
from ..web.twins import is_twin
from .files import read_sums

# Blueprints that are never exported, however a page links to them: the department desk,
# logging in, accounts, privacy review, the write API, and the root that negotiates a language
# (the export's index.html does that).
PRIVATE = {"desk", "auth", "accounts", "privacy", "api", "root"}


def public(endpoint: str | None, values: dict | None = None) -> bool:
    """Whether an endpoint's pages belong in the export. The search page does (it searches the
    browser index `portal.staticsearch` writes), its JSON twin does not: it needs a server."""
    if endpoint is None or endpoint == "static":
        return True
    if endpoint == "search.results" and (values or {}).get("fmt") == "json":
        return False
    return endpoint.partition(".")[0] not in PRIVATE


def twin_endpoints() -> set[str]:
    """Endpoints whose pages have a JSON twin."""
    return {rule.endpoint for rule in current_app.url_map.iter_rules() if is_twin(rule)}


def localized(endpoint: str, values: dict, twins: set[str]) -> Iterator[tuple[str, dict]]:
    """A page in every language, with its JSON twin when it has one."""
    for lang in current_app.config["LOCALES"]:
        if endpoint in twins:
            yield endpoint, {**values, "lang": lang, "fmt": "html"}
            yield endpoint, {**values, "lang": lang, "fmt": "json"}
        else:
            yield endpoint, {**values, "lang": lang}


def pages() -> Iterator[tuple[str, dict]]:
    """Every page the sitemap names, in every language, with its twin."""
    twins = twin_endpoints()
    for section in site.sections():
        for page in section.read(0, section.count):
            yield from localized(page.endpoint, page.values, twins)


def tombstones() -> Iterator[tuple[str, dict]]:
    """The pages of withdrawn items, which say when and why (the sitemap leaves them out)."""
    twins = twin_endpoints()
    for name, kind in KINDS.items():
        if kind.item_pages:
            model = MODELS[name]
            gone = db.session.scalars(select(model).where(model.withdrawn_at.is_not(None))
                                      .order_by(model.code))
            for item in guard.public_items(gone, "export"):  # what the guard refuses has no page
                yield from localized("disclosures.detail", {"kind": name, "code": item.code}, twins)


def root_files(exported: dict[str, str] | None = None, data_only: bool = False) -> Iterator[tuple[str, dict]]:
    """robots.txt, the sitemaps, the icon, the API description, the DCAT catalogue and the downloads
    (with `exported`, only those that differ from it: see `download_files`). `data_only` leaves
    out robots.txt, the icon and the API description, made from the build alone (an incremental
    run's build is the last export's)."""
    if not data_only:
        yield "site.robots", {}
        yield "site.favicon", {}
    yield "site.sitemap_index", {}
    for number in range(1, site.sitemap_count(site.sections()) + 1):
        yield "site.sitemap", {"number": number}
    if not data_only:
        yield "openapi.document", {}
    for fmt in ("jsonld", "ttl"):
        yield "data_files.catalogue", {"fmt": fmt}
    yield from download_files(exported)


def download_files(exported: dict[str, str] | None = None) -> Iterator[tuple[str, dict]]:
    """Every open-data file the downloads projection wrote, its data package and SHA256SUMS.

    `exported` (the digests of the downloads' SHA256SUMS as the last export copied it) leaves
    out the files whose digest has not changed since.
    """
    listed = downloads.manifest()["files"]
    current = download_sums() if exported is not None else {}
    for name in sorted(listed):
        if exported is None or current.get(name) is None or current[name] != exported.get(name):
            yield "data_files.download", {"name": name}
    for name in ("datapackage.json", "SHA256SUMS"):
        if (downloads.data_dir() / name).is_file():
            yield "data_files.download", {"name": name}


def download_sums() -> dict[str, str]:
    """The digests of the download files as their SHA256SUMS gives them, by name."""
    return read_sums(downloads.data_dir() / "SHA256SUMS")
