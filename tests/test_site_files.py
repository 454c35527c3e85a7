"""What crawlers and browsers ask the root for: robots.txt, the sitemaps (every public page in every
language, with alternates and the data's dates, split at the protocol's limit) and the favicon."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from lxml import etree

from portal.schemas import KINDS
from portal.views import site
from portal.web.locale import localized_blueprint
from portal.web.twins import render, route
from tests.conftest import FIXTURE_CITY
from tests.helpers import parse_html
from tests.test_hosts import SITE, portal

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
LANGS = ("zh-hans", "zh-hant", "en")
HREFLANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}


def path(url: str) -> str:
    """An absolute URL as the test client asks for it."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def parse(response) -> etree._Element:
    assert response.status_code == 200, response.request.path
    assert response.mimetype == "application/xml"
    return etree.fromstring(response.data)


def sitemap_files(client) -> list[etree._Element]:
    """Every file the sitemap index names, parsed."""
    index = parse(client.get("/sitemap.xml"))
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    return [parse(client.get(path(loc))) for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS)]


def entries(files) -> list[etree._Element]:
    return [url for root in files for url in root.xpath("s:url", namespaces=NS)]


def locs(files) -> list[str]:
    return [loc for root in files for loc in root.xpath("s:url/s:loc/text()", namespaces=NS)]


# --- robots.txt ---------------------------------------------------------------------------------

def test_robots_allows_the_public_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Allow: /", "Disallow: /*/desk/", "Disallow: /api/v1/"} <= set(lines)
    assert not [line for line in lines if line.startswith("Disallow:") and line not in
                ("Disallow: /*/desk/", "Disallow: /api/v1/")]
    sitemap = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap: ")]
    assert sitemap == ["http://localhost/sitemap.xml"]
    assert client.get(path(sitemap[0])).status_code == 200


# --- The sitemap --------------------------------------------------------------------------------

def test_every_url_in_the_sitemap_answers(client):
    found = locs(sitemap_files(client))
    assert len(found) == len(set(found))
    for url in found:
        assert url.startswith("http://localhost/")
        response = client.get(path(url))
        assert response.status_code == 200, url
        assert response.mimetype == "text/html", url


def test_the_sitemap_names_every_public_page_in_every_language(client):
    found = {path(url) for url in locs(sitemap_files(client))}
    items = [item["url"] for kind, declared in KINDS.items() if declared.item_pages
             for item in client.get(f"/zh-hans/{kind}.json").get_json()["items"]]
    departments = [d["url"] for d in client.get("/zh-hans/departments.json").get_json()["items"]]
    pages = [f"/zh-hans/pages/{p.stem}/" for p in (FIXTURE_CITY / "pages").glob("*.md")]
    expected = ["/zh-hans/", "/zh-hans/departments/", *departments, *(f"/zh-hans/{k}/" for k in KINDS),
                *items, "/zh-hans/appraisals/2024/", *pages, "/zh-hans/changes/",
                "/zh-hans/changes/revisions/",
                "/zh-hans/feeds/", "/zh-hans/api/"]
    for url in expected:
        for lang in LANGS:
            assert url.replace("/zh-hans/", f"/{lang}/", 1) in found, (url, lang)
    assert not [url for url in found if "/desk" in url or url.startswith("/api/")]


def test_every_url_names_its_alternates_in_every_language(client):
    for url in entries(sitemap_files(client)):
        loc = url.findtext("s:loc", namespaces=NS)
        links = {link.get("hreflang"): link.get("href") for link in url.xpath("xhtml:link", namespaces=NS)}
        assert all(link.get("rel") == "alternate" for link in url.xpath("xhtml:link", namespaces=NS))
        assert set(links) == {"zh-Hans", "zh-Hant", "en", "x-default"}
        lang = path(loc).split("/")[1]
        assert links[HREFLANG[lang]] == loc
        rest = path(loc).removeprefix(f"/{lang}/")
        for other in LANGS:
            assert path(links[HREFLANG[other]]) == f"/{other}/{rest}"
        # The home page's default is the address that picks the reader's language.
        assert path(links["x-default"]) == ("/" if rest == "" else f"/zh-hans/{rest}")


def test_lastmod_comes_from_the_data(client):
    urls = {path(url.findtext("s:loc", namespaces=NS)): url.findtext("s:lastmod", namespaces=NS)
            for url in entries(sitemap_files(client))}
    for kind in ("powers", "services", "commitments", "complaints"):
        for item in client.get(f"/en/{kind}.json").get_json()["items"]:
            twin = client.get(item["url"].rstrip("/") + ".json").get_json()
            updated = dt.datetime.fromisoformat(twin["updated_at"]).replace(microsecond=0)
            assert dt.datetime.fromisoformat(urls[item["url"]]) == updated, item["url"]
    changes = client.get("/en/index.json").get_json()["latest_changes"]
    newest = max(dt.datetime.fromisoformat(e["at"]) for e in changes)
    assert dt.datetime.fromisoformat(urls["/en/"]) == newest.replace(microsecond=0)
    assert urls["/en/api/"] is None  # nothing in the data says when it changed


def test_the_sitemap_splits_at_the_limit(client, monkeypatch):
    whole = locs(sitemap_files(client))
    monkeypatch.setattr(site, "URLS_PER_SITEMAP", 7)  # two pages (six URLs) a file
    files = sitemap_files(client)
    assert len(files) == -(-len(whole) // 6) > 5
    assert all(len(root.xpath("s:url", namespaces=NS)) <= 7 for root in files)
    assert locs(files) == whole  # the same URLs in the same order, none twice, none lost
    assert client.get(f"/sitemap-{len(files) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_the_sitemap_is_built_from_site_url(tmp_path):
    client = portal(tmp_path, SITE_URL=SITE).test_client()
    headers = {"Host": "mingjing.example.org"}
    robots = client.get("/robots.txt", headers=headers).get_data(as_text=True)
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    index = etree.fromstring(client.get("/sitemap.xml", headers=headers).data)
    loc = index.findtext("s:sitemap/s:loc", namespaces=NS)
    assert loc == f"{SITE}/sitemap-1.xml"
    urls = etree.fromstring(client.get(path(loc), headers=headers).data)
    hrefs = urls.xpath("s:url/s:loc/text() | s:url/xhtml:link/@href", namespaces=NS)
    assert hrefs and all(href.startswith(SITE + "/") for href in hrefs)


# --- The favicon --------------------------------------------------------------------------------

def test_the_favicon_answers_at_the_root(client):
    with client.get("/favicon.ico") as response:  # a file: closed when read
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_names_its_icons(client, lang):
    links = [link for link in parse_html(client.get(f"/{lang}/").get_data(as_text=True)).links
             if link.get("rel") == "icon"]
    assert [link["href"] for link in links] == ["/favicon.ico", "/static/favicon.svg"]
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
        assert etree.fromstring(svg.data).tag == "{http://www.w3.org/2000/svg}svg"


def test_the_open_data_pages_are_listed_once_they_exist(tmp_path):
    app = portal(tmp_path)
    bp = localized_blueprint("data_pages_test", __name__)

    @route(bp, "/data/")
    def datasets(fmt):
        return render(fmt, "pages/page.html", {"slug": "data", "title": "data", "summary": "", "html": ""})

    @route(bp, "/data/<kind:kind>/")
    def dataset(kind, fmt):
        return render(fmt, "pages/page.html", {"slug": kind, "title": kind, "summary": "", "html": ""})

    app.register_blueprint(bp)
    client = app.test_client()
    found = {path(url) for url in locs(sitemap_files(client))}
    for lang in LANGS:
        assert f"/{lang}/data/" in found
        assert {f"/{lang}/data/{kind}/" for kind in KINDS} <= found
    assert not [url for url in found if url.endswith(".json")]


def test_an_empty_city_has_a_sitemap(app):
    client = app.test_client()
    found = {path(url) for url in locs(sitemap_files(client))}
    assert {"/zh-hans/", "/en/powers/", "/zh-hant/api/"} <= found
