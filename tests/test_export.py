"""The static export: every public page in every language, relative links, nothing private,
SHA256SUMS, reproducible and incremental runs (tests/test_export_served.py serves it with nginx)."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import feedparser
import pytest
from sqlalchemy import select

from portal.export.run import export
from portal.extensions import db
from portal.models import ChangeEvent, ComplaintCase
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY, make_app
from tests.helpers import visible_text
from tests.test_loader import COMPLAINTS, POWERS, edit_csv
from tests.test_privacy_guard import CARD, ID_NUMBER, OTHER_PHONE, PHONE, TITLE_PHONE, leaks

BASE = "/gov/gk"


def seed_personal_data(app, city: Path) -> None:
    """The fixture city with 2024-XN-0002 withdrawn, then personal data written straight into the
    database, past the upload's checks (as tests/test_privacy_guard.py does)."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        edit_csv(city / COMPLAINTS, lambda headers, rows: rows.pop(1) and None)
        assert load_directory(db.session, city).ok
        live = db.session.scalars(select(ComplaintCase).where(ComplaintCase.code == "2024-XN-0001")).one()
        live.record = {**live.record, "summary": live.record["summary"] + f"联系电话 {PHONE},身份证号{ID_NUMBER}。"}
        gone = db.session.scalars(select(ComplaintCase).where(ComplaintCase.code == "2024-XN-0002")).one()
        gone.record = {**gone.record, "rectification": f"已退款至银行卡{CARD}。"}
        gone.withdrawn_reason = f"来电人手机{OTHER_PHONE},要求撤回"
        added = db.session.scalars(select(ChangeEvent).where(
            ChangeEvent.code == "2024-XN-0001", ChangeEvent.action == "added")).one()
        added.title = f"2024-XN-0001 {TITLE_PHONE}"
        # A file name stored under an older detector: the revision page, its twin and the chain mask it.
        added.revision.filename = f"投诉案件-{PHONE}.csv"
        db.session.commit()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One export of the fixture city (with personal data seeded behind the upload's back),
    written for the sub-path /gov/gk and shared by this module's tests."""
    root = tmp_path_factory.mktemp("export")
    city = root / "city"
    shutil.copytree(FIXTURE_CITY, city)
    app = make_app(root, FEED_SIZE=3)  # feeds with archives (RFC 5005 links between them)
    seed_personal_data(app, city)
    summary = export(app, root / "out", base_path=BASE)
    return root / "out", summary


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_public_page_is_written_in_every_language(exported):
    out, summary = exported
    assert summary.pages > 500 and summary.files > 500 and summary.bytes > 1_000_000
    for lang in ("zh-hans", "zh-hant", "en"):
        for page in ("index.html", "index.json", "powers/index.html", "powers.json",
                     "powers/99010001FG-XK-0001/index.html", "powers/99010001FG-XK-0001.json",
                     "powers/by/power_type/行政许可/index.html", "powers/by/power_type/行政许可.json",
                     "powers/sort/title/index.html", "departments/99010001FG/index.html",
                     "changes/index.html", "changes/revisions/index.html", "feeds/changes.atom",
                     "feeds/departments/99010001FG/powers.rss", "data/index.html", "api/index.html"):
            assert (out / lang / page).is_file(), f"{lang}/{page}"
        assert list((out / lang / "services").glob("*/flowchart.svg"))
    for path in ("robots.txt", "sitemap.xml", "sitemap-1.xml", "favicon.ico", "static/css/site.css",
                 "data/datapackage.json", "data/SHA256SUMS", "data/powers.csv", "data/catalog.jsonld",
                 "api/openapi.json", "SHA256SUMS", "index.html"):
        assert (out / path).is_file(), path
    assert "明鏡" in (out / "zh-hant/powers/index.html").read_text(encoding="utf-8")


def test_the_root_page_leads_to_the_default_language(exported):
    out, _ = exported
    root = (out / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=zh-hans/index.html">' in root
    assert 'href="zh-hant/index.html"' in root and 'href="en/index.html"' in root


def test_no_page_has_a_root_relative_link(exported):
    out, _ = exported
    found = [(p.relative_to(out).as_posix(), m) for p in html_files(out)
             for m in re.findall(r'(?:href|src|action)="/[^"]*"', p.read_text(encoding="utf-8"))]
    assert found == []


def test_feeds_sitemaps_and_alternates_are_absolute_from_the_site_address(exported):
    out, _ = exported
    feed = feedparser.parse((out / "zh-hans/feeds/changes.atom").read_bytes())
    assert not feed.bozo and feed.entries
    assert all(e.link.startswith(f"http://localhost{BASE}/zh-hans/") for e in feed.entries)
    sitemap = (out / "sitemap-1.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(loc.startswith(f"http://localhost{BASE}/") for loc in locs)
    page = (out / "en/powers/index.html").read_text(encoding="utf-8")
    assert f'hreflang="zh-Hant" href="http://localhost{BASE}/zh-hant/powers/"' in page
    assert f"Sitemap: http://localhost{BASE}/sitemap.xml" in (out / "robots.txt").read_text()


def test_nothing_private_is_written_or_linked(exported):
    out, _ = exported
    names = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    assert not [n for n in names if "/desk" in n or n.startswith("api/v1") or "search.json" in n]
    # The search page is there: it searches the index built for the browser.
    assert {"zh-hans/search/index.html", "search-index/manifest.json"} <= names
    for page in html_files(out):
        text = page.read_text(encoding="utf-8")
        assert "desk/" not in text and "api/v1" not in text, page
        assert not re.search(r'href="[^"]*\?', text), page  # a query needs a server


def test_no_personal_data_reaches_the_export(exported):
    out, _ = exported
    found = {}
    for path in out.rglob("*"):
        if path.is_file() and path.suffix != ".xlsx":  # zipped: checked through its CSV twin
            if hits := leaks(path.read_bytes().decode("utf-8", "replace")):
                found[path.relative_to(out).as_posix()] = hits
    assert found == {}
    assert not (out / "zh-hans/complaints/2024-XN-0001/index.html").exists()


def test_sha256sums_list_every_file(exported):
    out, _ = exported
    lines = (out / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    assert all(hashlib.sha256((out / n).read_bytes()).hexdigest() == d for n, d in listed.items())


def test_list_twins_parse_and_page_by_path(exported):
    out, _ = exported
    twin = json.loads((out / "zh-hans/powers/by/power_type/行政许可.json").read_text(encoding="utf-8"))
    assert twin["filters"] == {"power_type": "行政许可"} and twin["items"]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    left, right = tree(a), tree(b)
    return sorted(name for name in set(left) | set(right) if left.get(name) != right.get(name))


def test_exports_are_reproducible_and_an_incremental_one_equals_a_full_one(tmp_path, city_copy):
    # One language keeps this test quick; the languages are written alike.
    app = make_app(tmp_path, FEED_SIZE=3)  # feeds with archives: a publish adds to them
    app.config["LOCALES"] = {"zh-hans": "zh_Hans"}
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    first, second = tmp_path / "first", tmp_path / "second"
    export(app, first)
    export(app, second)
    assert differences(first, second) == []

    def publish(headers, rows):
        rows[0]["事项名称"] = "企业投资项目核准(修订)"
        del rows[1]  # withdrawn: its page becomes a tombstone

    edit_csv(city_copy / POWERS, publish)
    with app.app_context():
        assert load_directory(db.session, city_copy).ok
    summary = export(app, first, changed=True)
    assert summary.incremental
    full = export(app, second)
    assert differences(first, second) == [], "\n".join(differences(first, second))
    assert summary.pages < full.pages
    tombstone = visible_text((first / "zh-hans/powers/99010001FG-CF-0001/index.html").read_text(encoding="utf-8"))
    assert "撤回" in tombstone
    assert "企业投资项目核准(修订)" in (first / "zh-hans/powers/index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nginx(exported, tmp_path_factory):
    """Debian's nginx serving the export under /gov/gk/ on a free loopback port."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed (.ci/run installs it)")
    out, _ = exported
    root = tmp_path_factory.mktemp("nginx")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the export's folder
    (root / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  types {{ application/atom+xml atom; application/rss+xml rss; application/ld+json jsonld; text/turtle ttl; }}
  charset utf-8;
  access_log off;
  client_body_temp_path {root}/body; proxy_temp_path {root}/proxy; fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi; scgi_temp_path {root}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location {BASE}/ {{ alias {out}/; index index.html; }}
  }}
}}
""")
    server = subprocess.Popen([binary, "-c", str(root / "nginx.conf"), "-p", str(root)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    origin = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{origin}{BASE}/robots.txt", timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    yield origin
    server.terminate()
    server.wait(10)


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


@pytest.mark.browser
def test_served_by_nginx_every_local_link_resolves_and_feeds_and_twins_parse(nginx):
    start = f"{nginx}{BASE}/"
    seen, queue, broken, pages = set(), [start], [], 0
    feeds, twins, paged = 0, 0, 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, mimetype, body = fetch(url)
        if status != 200:
            broken.append(url)
            continue
        path = urllib.parse.urlsplit(url).path
        if mimetype == "text/html":
            pages += 1
            for link in re.findall(r'(?:href|src)="([^"#]*)(?:#[^"]*)?"', body.decode("utf-8")):
                target = urllib.parse.urljoin(url, html.unescape(link))
                if target.startswith(start) and target not in seen:
                    queue.append(target)
        elif path.endswith((".atom", ".rss")):
            parsed = feedparser.parse(body)
            assert not parsed.bozo, url
            feeds += 1
            for link in parsed.feed.get("links", []):  # its archives are files too (RFC 5005)
                if link.get("rel") in ("current", "prev-archive", "next-archive") and ".atom" in link.href:
                    target = link.href.replace("http://localhost", nginx)
                    paged += "/page/" in target
                    if target not in seen:
                        queue.append(target)
        elif path.endswith(".json"):
            json.loads(body)
            twins += 1
    # The seeded items the privacy guard withholds have no page; the change log still names them.
    assert [url for url in broken if "2024-XN-000" not in url] == []
    assert pages > 300 and feeds > 20 and twins > 100 and paged > 5
    status, _, body = fetch(f"{nginx}{BASE}/zh-hans/powers/by/power_type/行政许可/".replace("行政许可", "%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF"))
    assert status == 200 and "企业投资项目核准" in body.decode("utf-8")
    # Every page the sitemap names is served (its absolute URLs name the site's address).
    sitemap = fetch(f"{nginx}{BASE}/sitemap-1.xml")[2].decode("utf-8")
    missing = [loc for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)
               if fetch(loc.replace("http://localhost", nginx))[0] != 200]
    assert missing == []


def test_the_freeze_command_writes_an_empty_site_and_says_what_it_did(runner, tmp_path):
    result = runner.invoke(args=["freeze", str(tmp_path / "site"), "--base-path", "/gk"])
    assert result.exit_code == 0, result.output
    assert "full export:" in result.output and "pages" in result.output and "bytes" in result.output
    assert (tmp_path / "site/zh-hans/index.html").is_file() and (tmp_path / "site/SHA256SUMS").is_file()
    again = runner.invoke(args=["freeze", str(tmp_path / "site"), "--changed", "--base-path", "/gk"])
    assert again.exit_code == 0 and "incremental export:" in again.output
    # Served elsewhere, every absolute URL (feeds, sitemaps) changes: the whole site is written again.
    moved = runner.invoke(args=["freeze", str(tmp_path / "site"), "--changed"])
    assert moved.exit_code == 0 and "full export:" in moved.output
    assert runner.invoke(args=["freeze", str(tmp_path / "x"), "--base-path", "gk"]).exit_code == 2
