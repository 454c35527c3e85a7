"""What crawlers and browsers ask the site's root for: robots.txt, the sitemaps and the favicon.

The sitemap names every public page in every language, each with its
alternates (hreflang) and, where the data says when it last changed, its
`lastmod`: an item's `updated_at`, the newest change event of a list, a
department or the whole site — never the time of the request. The protocol
allows 50,000 URLs a file, so /sitemap.xml is an index of /sitemap-1.xml,
/sitemap-2.xml …; a file reads only its own slice of the pages (items in
code order, a kind at a time), so that with 100,000 items a request costs
one file's work.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, abort, current_app, request, send_from_directory, url_for
from sqlalchemy import func, select

from ..catalog import lookup
from ..catalog import pages as site_pages
from ..extensions import db
from ..models import MODELS, AppraisalResult, ChangeEvent, Department
from ..privacy import guard
from ..schemas import DEPARTMENTS, KINDS
from ..web.locale import default_lang, hreflang
from ..web.twins import is_twin
from .pages import pages_dir

bp = Blueprint("site", __name__)

URLS_PER_SITEMAP = 50_000  # the sitemap protocol's limit for one file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Crawlers fetch these often; a new page shows up in them within the hour.
MAX_AGE = 3600
# The open-data pages are served by their own blueprint: found by their rules, whatever it names them.
_DATA_PAGES = re.compile(r"^/<lang>/data/(?:<(?:[a-z_]+(?:\([^)]*\))?:)?kind>/)?$")


@bp.route("/robots.txt")
def robots():
    """Crawl the public pages; keep out of the department desk and the upload API."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /*/desk/",
        "Disallow: /api/v1/",
        "",
        f"Sitemap: {url_for('site.sitemap_index', _external=True)}",
    ]
    response = current_app.response_class("\n".join(lines) + "\n", mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


@bp.route("/favicon.ico")
def favicon():
    """The icon browsers ask for at the root, whatever the page says."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=7 * 24 * 3600)


@dataclass(frozen=True)
class Page:
    """A public page, in no language yet: its endpoint, its URL values, when its data last changed."""

    endpoint: str
    values: dict
    lastmod: dt.datetime | None = None


@dataclass(frozen=True)
class Section:
    """A run of pages the sitemap counts without reading them, and reads a slice at a time."""

    count: int
    read: Callable[[int, int], list[Page]]  # (offset, limit) → pages


def fixed_pages() -> list[Page]:
    """Every page that is not an item's: home, departments, lists, years, site pages, change log,
    feeds, the open-data pages and the API page."""
    session = db.session
    by_kind = dict(session.execute(select(ChangeEvent.kind, func.max(ChangeEvent.created_at))
                                   .group_by(ChangeEvent.kind)).all())
    by_department = dict(session.execute(
        select(Department.code, func.max(ChangeEvent.created_at))
        .join(ChangeEvent, ChangeEvent.department_id == Department.id).group_by(Department.code)).all())
    newest = max(by_kind.values(), default=None)
    departments = by_kind.get(DEPARTMENTS.name)
    found = [Page("home.index", {}, newest), Page("departments.index", {}, departments)]
    found += [Page("departments.detail", {"code": d.code}, by_department.get(d.code))
              for d in lookup.departments(session)]
    found += [Page("disclosures.listing", {"kind": name}, by_kind.get(name)) for name in KINDS]
    years = session.execute(
        select(AppraisalResult.year, func.max(AppraisalResult.updated_at))
        .where(AppraisalResult.withdrawn_at.is_(None)).group_by(AppraisalResult.year)
        .order_by(AppraisalResult.year.desc()))
    found += [Page("disclosures.appraisal_year", {"year": year}, when) for year, when in years]
    found += [Page("pages.page", {"slug": slug}) for slug in site_pages.all_pages(pages_dir())]
    found += [Page("stats.index", {}, newest), Page("stats.compare", {}, newest)]
    found += [Page("changes.index", {}, newest), Page("changes.revisions", {}, newest),
              Page("feeds.index", {}, departments)]
    for rule in current_app.url_map.iter_rules():
        if _DATA_PAGES.match(rule.rule) and not is_twin(rule):
            if "kind" in rule.arguments:
                found += [Page(rule.endpoint, {"kind": name}, by_kind.get(name)) for name in KINDS]
            else:
                found.append(Page(rule.endpoint, {}, newest))
    found.append(Page("apidocs.index", {}))
    return found


def _items(kind: str) -> Section:
    """The live items of a kind that have pages, in code order (less any the privacy guard withholds)."""
    model = MODELS[kind]
    live = model.withdrawn_at.is_(None)

    def read(offset: int, limit: int) -> list[Page]:
        query = select(model).where(live).order_by(model.code).offset(offset).limit(limit)
        if guard.protected(kind):  # what the guard would refuse has no page to list
            rows = [(i.code, i.updated_at) for i in guard.public_items(db.session.scalars(query), "sitemap")]
        else:
            rows = db.session.execute(query.with_only_columns(model.code, model.updated_at)).all()
        return [Page("disclosures.detail", {"kind": kind, "code": code}, when) for code, when in rows]

    return Section(db.session.scalar(select(func.count()).select_from(model).where(live)), read)


def sections() -> list[Section]:
    """Every public page in sitemap order: the fixed pages, then each kind's items."""
    fixed = fixed_pages()
    return [Section(len(fixed), lambda offset, limit: fixed[offset:offset + limit]),
            *(_items(name) for name, kind in KINDS.items() if kind.item_pages)]


def pages_per_sitemap() -> int:
    """How many pages one file holds: each page is listed once per language."""
    return max(1, URLS_PER_SITEMAP // len(current_app.config["LOCALES"]))


def sitemap_count(found: list[Section]) -> int:
    """How many files the pages take (at least one)."""
    return max(1, math.ceil(sum(s.count for s in found) / pages_per_sitemap()))


def sitemap_pages(found: list[Section], number: int) -> list[Page]:
    """The pages of file `number` (from 1): only the slices of the sections that fall in it are read."""
    size = pages_per_sitemap()
    start, end = (number - 1) * size, number * size
    chosen, position = [], 0
    for section in found:
        low, high = max(start - position, 0), min(end - position, section.count)
        if low < high:
            chosen += section.read(low, high - low)
        position += section.count
    return chosen


def _cacheable(body: str):
    response = current_app.response_class(body.encode(), mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/sitemap.xml")
def sitemap_index():
    """The index of the sitemap files."""
    files = [f"<sitemap><loc>{escape(url_for('site.sitemap', number=n, _external=True))}</loc></sitemap>\n"
             for n in range(1, sitemap_count(sections()) + 1)]
    return _cacheable(f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
                      f'{"".join(files)}</sitemapindex>\n')


@bp.route("/sitemap-<int:number>.xml")
def sitemap(number):
    """One sitemap file: its pages in every language, each with its alternates."""
    found = sections()
    if not 1 <= number <= sitemap_count(found):
        abort(404)
    writer = Writer()
    # Written as text: 250,000 elements a file took lxml two seconds, joining strings a tenth of that.
    body = ['<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n']
    body += [writer.entries(page) for page in sitemap_pages(found, number)]
    body.append("</urlset>\n")
    return _cacheable("".join(body))


class Writer:
    """Writes a page as <url> entries: one per language, each naming every language's version and
    the default (x-default)."""

    def __init__(self) -> None:
        self.twins = {rule.endpoint for rule in current_app.url_map.iter_rules() if is_twin(rule)}
        self.default = default_lang()
        # Every page lives under /<lang>/: its URL is built once, in the default language, and the
        # others swap the prefix (url_for in every language took a third of a file's time).
        self.prefixes = {lang: url_for("home.index", lang=lang, _external=True)
                         for lang in current_app.config["LOCALES"]}
        self.tags = {lang: hreflang(lang) for lang in self.prefixes}
        self.chooser = url_for("root.to_preferred_locale", _external=True)

    def urls(self, page: Page) -> dict[str, str]:
        """The page's absolute URL in each language."""
        values = {**page.values, **({"fmt": "html"} if page.endpoint in self.twins else {})}
        url = url_for(page.endpoint, lang=self.default, **values, _external=True)
        rest = url.removeprefix(self.prefixes[self.default])
        if rest == url:
            raise ValueError(f"not under the language prefix: {url}")
        return {lang: prefix + rest for lang, prefix in self.prefixes.items()}

    def entries(self, page: Page) -> str:
        """The page's <url> entries as XML text."""
        urls = self.urls(page)
        # The home page's default is the address that picks the reader's language; elsewhere, the default one.
        default = self.chooser if page.endpoint == "home.index" else urls[self.default]
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{tag}" href={quoteattr(href)}/>'
                        for tag, href in [*((self.tags[lang], url) for lang, url in urls.items()),
                                          ("x-default", default)])
        lastmod = ""
        if page.lastmod:
            when = page.lastmod.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
            lastmod = f"<lastmod>{when}</lastmod>"
        return "".join(f"<url><loc>{escape(url)}</loc>{lastmod}{links}</url>\n" for url in urls.values())
