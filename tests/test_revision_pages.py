"""A revision with hundreds of changes is read a page at a time, and every link to one change lands
on the page that holds it: the public revision page, its JSON twin, the change log, the feeds and
the desk."""

from __future__ import annotations

import re

import feedparser
import pytest
from sqlalchemy import select

from portal import publish
from portal.extensions import db
from portal.models import Department, PowerItem, Revision
from portal.publish.content import load_directory
from portal.schemas import KINDS
from tests.conftest import FIXTURE_CITY, make_app
from tests.desk_helpers import log_in, make_user
from tests.helpers import parse_html, visible_text

ADDED = 250
PAGE_SIZE = 7
PAGES = -(-ADDED // PAGE_SIZE)  # 36
REVISION = "/zh-hans/changes/99010001FG/powers/2/"


def code(n: int) -> str:
    return f"99010001FG-XK-{n:04d}"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """The fixture city, then one revision adding 250 power items, with 7 items to a page."""
    app = make_app(tmp_path_factory.mktemp("big"))
    app.config["PAGE_SIZE"] = PAGE_SIZE
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        department = Department.by_code(db.session, "99010001FG")
        live = [i.record for i in db.session.scalars(
            select(PowerItem).where(PowerItem.department_id == department.id, PowerItem.withdrawn_at.is_(None)))]
        added = [{**live[0], "code": code(n), "name": f"第{n}项许可"} for n in range(100, 100 + ADDED)]
        with publish.opened(db.session) as writer:
            revision = writer.publish(department, KINDS["powers"], live + added, author="t", source="upload")
        assert revision.number == 2 and revision.added == ADDED
    make_user(app, "fg", "99010001FG")
    return app


def anchors_on(html: str) -> list[str]:
    return re.findall(r'id="change-([^"]+)"', html)


def test_the_revision_page_shows_one_page_with_the_total_and_links_to_the_next(big):
    client = big.test_client()
    first = client.get(REVISION)
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert anchors_on(html) == [code(n) for n in range(100, 100 + PAGE_SIZE)]
    text = visible_text(html)
    assert f"共 {ADDED} 条变更" in text and f"第 1 / {PAGES} 页" in text
    assert f"{REVISION}page/2/" in parse_html(html).anchors
    assert len(first.data) < 100_000  # a page, not the whole revision

    last = client.get(f"{REVISION}page/{PAGES}/").get_data(as_text=True)
    assert anchors_on(last) == [code(n) for n in range(100 + (PAGES - 1) * PAGE_SIZE, 100 + ADDED)]
    assert f"{REVISION}page/{PAGES - 1}/" in parse_html(last).anchors
    assert f"page/{PAGES + 1}/" not in last
    assert "第 36 / 36 页" in visible_text(last)


@pytest.mark.parametrize("page", [str(PAGES + 1), "0", "²", "-1", "1.0"])
def test_pages_past_the_end_or_not_numbers_are_not_found(big, page):
    client = big.test_client()
    assert client.get(REVISION, query_string={"page": page}, follow_redirects=True).status_code == 404
    assert client.get(REVISION.rstrip("/") + ".json", query_string={"page": page},
                      follow_redirects=True).status_code == 404
    assert client.get(f"{REVISION}page/{page}/").status_code == 404


def test_the_json_twin_pages_like_the_lists(big):
    client = big.test_client()
    twin = client.get(REVISION.rstrip("/") + ".json").get_json()
    assert (twin["total"], twin["page"], twin["pages"], twin["page_size"]) == (ADDED, 1, PAGES, PAGE_SIZE)
    assert twin["next"] == REVISION + "page/2.json"
    assert twin["added"] == ADDED and twin["hash"]  # still the revision as the chain publishes it
    seen, url = [], REVISION.rstrip("/") + ".json"
    while url:
        page = client.get(url).get_json()
        assert len(page["changes"]) <= PAGE_SIZE
        seen += [c["code"] for c in page["changes"]]
        url = page["next"]
    assert seen == [code(n) for n in range(100, 100 + ADDED)]


def test_links_from_the_change_log_land_on_the_page_holding_the_change(big):
    client = big.test_client()
    checked = 0
    for log_page in ("", "/page/1", "/page/9", "/page/20"):  # the front page and archives
        log = client.get(f"/zh-hans/changes/by/kind/powers{log_page}.json").get_json()
        for item in log["items"]:
            path, _hash, anchor = item["diff_url"].partition("#")
            assert anchor == f"change-{item['code']}"
            html = client.get(path).get_data(as_text=True)
            assert item["code"] in anchors_on(html), item["diff_url"]
            checked += 1
        html = client.get(f"/zh-hans/changes/by/kind/powers{log_page}/").get_data(as_text=True)
        links = [a for a in parse_html(html).anchors if "/changes/99010001FG/powers/2/" in a]
        assert links and all(a.split("#")[1][len("change-"):] in anchors_on(client.get(a).get_data(as_text=True))
                             for a in links)
    assert checked >= 4 * PAGE_SIZE
    newest = client.get("/zh-hans/changes.json?kind=powers", follow_redirects=True).get_json()["items"][0]
    assert newest["diff_url"] == f"{REVISION}page/{PAGES}/#change-{code(100 + ADDED - 1)}"


def test_feed_entries_link_to_the_page_holding_their_change(big):
    client = big.test_client()
    feed = feedparser.parse(client.get("/zh-hans/feeds/departments/99010001FG/powers.atom").data)
    assert feed.entries
    for entry in feed.entries:
        related = next(link.href for link in entry.links if link.rel == "related")
        path, _hash, anchor = related.removeprefix("http://localhost").partition("#")
        assert anchor.removeprefix("change-") in anchors_on(client.get(path).get_data(as_text=True)), related


def test_the_desk_revision_page_is_paginated_too(big):
    client = big.test_client()
    log_in(client, "fg")
    with big.app_context():
        revision_id = db.session.scalars(select(Revision.id).where(
            Revision.kind == "powers", Revision.number == 2)).one()
    url = f"/zh-hans/desk/revisions/{revision_id}/"
    first = client.get(url)
    assert first.status_code == 200
    text = visible_text(first.get_data(as_text=True))
    assert code(100) in text and code(100 + PAGE_SIZE) not in text
    assert f"共 {ADDED} 条变更" in text and f"第 1 / {PAGES} 页" in text
    assert f"{url}?page=2" in parse_html(first.get_data(as_text=True)).anchors
    last = visible_text(client.get(f"{url}?page={PAGES}").get_data(as_text=True))
    assert code(100 + ADDED - 1) in last and code(100) not in last
    assert client.get(f"{url}?page={PAGES + 1}").status_code == 404
    assert client.get(f"{url}?page=²").status_code == 404
