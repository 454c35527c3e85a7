"""Atom and RSS feeds: well-formed, stable ids, diffs, paging, conditional GET, advertised, no PII."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.feeds.generator import PortalFeed, strip_controls
from portal.models import ChangeEvent, Department
from portal.schemas import KINDS
from tests.conftest import make_app
from tests.helpers import parse_html
from tests.test_loader import COMPLAINTS, POWERS, edit_csv

DEPARTMENTS = ("99010001FG", "99010002MZ", "99010101SL")
LANGS = ("zh-hans", "zh-hant", "en")


def every_feed(fmt):
    """The path (after the language) of every feed of the fixture city."""
    yield f"/feeds/changes.{fmt}"
    for kind in KINDS:
        yield f"/feeds/{kind}.{fmt}"
    for code in DEPARTMENTS:
        yield f"/feeds/departments/{code}.{fmt}"
        for kind in KINDS:
            yield f"/feeds/departments/{code}/{kind}.{fmt}"


def parse(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.data)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def load(runner, directory):
    result = runner.invoke(args=["content", "load", str(directory)])
    assert result.exit_code == 0, result.output


def ids(client, url="/zh-hans/feeds/changes.atom"):
    return [e.id for e in parse(client, url).entries]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_every_feed_parses_in_every_language(client, lang, fmt):
    for path in every_feed(fmt):
        feed = parse(client, f"/{lang}{path}")
        assert feed.version == ("atom10" if fmt == "atom" else "rss20")
        for entry in feed.entries:
            assert entry.id.startswith("tag:mingjing.example.org,2026:")
            assert entry.link.startswith(f"http://localhost/{lang}/")
            assert entry.title and entry.summary
            assert entry.published_parsed


def test_the_site_feed_carries_every_event_with_its_recorded_id(client, city_app):
    feed = parse(client, "/zh-hans/feeds/changes.atom")
    with city_app.app_context():
        events = db.session.scalars(select(ChangeEvent).order_by(ChangeEvent.id.desc())).all()
        assert [e.id for e in feed.entries] == [e.uid for e in events]
        newest = events[0].created_at
    assert dt.datetime.fromisoformat(feed.feed.updated) == newest  # from the data, timezone-aware
    assert feed.feed.language == "zh-Hans"
    links = {l.rel: l.href for l in feed.feed.links}
    assert links["self"] == "http://localhost/zh-hans/feeds/changes.atom"
    assert links["alternate"] == "http://localhost/zh-hans/changes/"
    entry = [e for e in feed.entries if "/powers/" in e.link][-1]  # the first power item published
    rels = {l.rel: l.href for l in entry.links}
    assert rels["alternate"].startswith("http://localhost/zh-hans/powers/")
    assert rels["related"].startswith("http://localhost/zh-hans/changes/99010001FG/powers/1/#change-")
    assert entry.author == "测试市发展和改革委员会"
    assert {t.term for t in entry.tags} == {"powers", "added"}


def test_rss_links_to_the_human_page_and_keeps_the_guid(client):
    atom = parse(client, "/zh-hans/feeds/departments/99010002MZ.atom")
    rss = parse(client, "/zh-hans/feeds/departments/99010002MZ.rss")
    assert rss.feed.link == "http://localhost/zh-hans/changes/by/department/99010002MZ/"
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
    assert all(e.guidislink is False for e in rss.entries)
    assert rss.entries[0].link == atom.entries[0].link


def test_scoped_feeds_hold_only_their_scope(client):
    feed = parse(client, "/zh-hans/feeds/departments/99010002MZ/complaints.atom")
    assert [e.title for e in feed.entries] == ["投诉案件已办结：服务态度 · 测试市民政局（案号 2024-XN-0002）",
                                           "投诉案件已办结：慢作为 · 测试市民政局（案号 2024-XN-0001）"]
    assert "核查结论“属实”，处理结果“批评教育”" in feed.entries[1].summary
    assert len(parse(client, "/zh-hans/feeds/powers.atom").entries) == 3
    appraisal = parse(client, "/zh-hans/feeds/appraisals.atom").entries
    assert "松林街道办事处2024年度绩效考评结果公布" in [e.title for e in appraisal]


def test_languages_convert_feed_text(client):
    traditional = parse(client, "/zh-hant/feeds/departments/99010002MZ.atom")
    assert "測試市民政局" in traditional.feed.title
    assert "测试" not in traditional.entries[0].summary
    english = parse(client, "/en/feeds/departments/99010002MZ.atom")
    assert english.feed.language == "en"
    assert english.entries[0].author == "Test Bureau of Civil Affairs"


@pytest.mark.parametrize(
    "url",
    [
        "/zh-hans/feeds/departments/NOPE.atom", "/zh-hans/feeds/nope.rss",
        "/zh-hans/feeds/changes/page/9.atom", "/zh-hans/feeds/changes.atom?page=x", "/zh-hans/feeds/changes.atom?page=9",
        "/zh-hans/feeds/changes/page/0.atom", "/zh-hans/feeds/departments/NOPE/page/2.atom",
        "/zh-hans/feeds/changes.json", "/xx/feeds/changes.atom",
    ],
)
def test_unknown_feeds_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_conditional_get(client):
    first = client.get("/zh-hans/feeds/changes.atom")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get("/zh-hans/feeds/changes.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    modified = {"If-Modified-Since": first.headers["Last-Modified"]}
    since = client.get("/zh-hans/feeds/changes.atom", headers=modified)
    assert since.status_code == 304
    other = client.get("/zh-hans/feeds/changes.rss", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


def test_ids_and_bytes_survive_republishing_and_restarts(app, runner, city_copy, tmp_path):
    load(runner, city_copy)
    client = app.test_client()
    before = client.get("/zh-hans/feeds/changes.atom")
    load(runner, city_copy)  # nothing changed: nothing recorded, the same feed to the byte
    assert client.get("/zh-hans/feeds/changes.atom").data == before.data

    restarted = make_app(tmp_path).test_client()
    again = restarted.get("/zh-hans/feeds/changes.atom", headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 304

    edit_csv(city_copy / POWERS, lambda h, rows: rows[1].update({"承办机构": "价格科"}))
    load(runner, city_copy)
    after = ids(restarted)
    assert after[1:] == ids(client)[1:] == [e.id for e in feedparser.parse(before.data).entries]
    changed = restarted.get("/zh-hans/feeds/changes.atom", headers={"If-None-Match": before.headers["ETag"]})
    assert changed.status_code == 200


def test_a_field_change_and_a_withdrawal_appear_with_their_diff(app, runner, city_copy):
    load(runner, city_copy)
    edit_csv(city_copy / POWERS, lambda h, rows: rows[1].update({"承办机构": "价格科"}))
    load(runner, city_copy)
    edit_csv(city_copy / POWERS, lambda h, rows: rows.pop(2))
    load(runner, city_copy)
    feed = parse(app.test_client(), "/zh-hans/feeds/departments/99010001FG/powers.atom")
    withdrawn, changed = feed.entries[:2]
    assert withdrawn.title == "撤回权力事项：对固定资产投资项目节能审查的监督检查"
    assert "撤回原因：发布单位在新版清单中删除了该事项" in withdrawn.summary
    assert withdrawn.link == "http://localhost/zh-hans/powers/99010001FG-JC-0001/"  # its tombstone
    assert changed.title == "变更权力事项：对违反价格法规定行为的处罚"
    assert "承办机构" in changed.summary
    html = changed.content[0].value
    assert "<th>承办机构</th><td>价格监督检查科</td><td>价格科</td>" in html
    assert "http://localhost/zh-hans/changes/99010001FG/powers/2/#change-99010001FG-CF-0001" in html


def test_feeds_keep_older_entries_in_archives(app, runner, city_copy):
    """RFC 5005 archived feeds: 13 entries, 4 a document: archives 1 and 2 (the oldest 8), the
    newest 5 in the subscription document."""
    load(runner, city_copy)
    app.config["FEED_SIZE"] = 4
    client = app.test_client()
    first = parse(client, "/zh-hans/feeds/changes.atom")
    links = {l.rel: l.href for l in first.feed.links}
    assert links["prev-archive"] == "http://localhost/zh-hans/feeds/changes/page/2.atom"
    assert links["current"] == "http://localhost/zh-hans/feeds/changes.atom"
    assert "next-archive" not in links and len(first.entries) == 5
    assert b"history/1.0" not in client.get("/zh-hans/feeds/changes.atom").data
    seen, url = [], "/zh-hans/feeds/changes.atom"
    while url:
        page = parse(client, url)
        seen += [e.id for e in page.entries]
        url = next((l.href for l in page.feed.links if l.rel == "prev-archive"), None)
    assert len(seen) == len(set(seen)) == 13
    oldest = {l.rel: l.href for l in parse(client, "/zh-hans/feeds/changes/page/1.atom").feed.links}
    assert oldest["next-archive"] == "http://localhost/zh-hans/feeds/changes/page/2.atom"
    assert oldest["self"] == "http://localhost/zh-hans/feeds/changes/page/1.atom"
    assert oldest["current"] == "http://localhost/zh-hans/feeds/changes.atom"
    assert "prev-archive" not in oldest
    archive = client.get("/zh-hans/feeds/changes/page/2.atom").get_data(as_text=True)
    assert '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/>' in archive
    rss = client.get("/zh-hans/feeds/changes/page/2.rss").get_data(as_text=True)
    assert '<atom:link href="http://localhost/zh-hans/feeds/changes/page/1.rss" rel="prev-archive"/>' in rss
    assert "<fh:archive" in rss
    # A department's older entries too (one a document: its newest archive is one short of its total).
    app.config["FEED_SIZE"] = 1
    department = parse(client, "/zh-hans/feeds/departments/99010001FG.atom")
    paged = next((l.href for l in department.feed.links if l.rel == "prev-archive"), None)
    total = client.get("/zh-hans/changes/by/department/99010001FG.json").get_json()["total"]
    assert paged == f"http://localhost/zh-hans/feeds/departments/99010001FG/page/{total - 1}.atom"
    assert client.get(paged).status_code == 200
    app.config["FEED_SIZE"] = 4
    # The old newest-first query pages lead to the archive holding their newest entry, or the front.
    for old, new in [("/zh-hans/feeds/changes.rss?page=2", "/zh-hans/feeds/changes.rss"),
                     ("/zh-hans/feeds/changes.rss?page=3", "/zh-hans/feeds/changes/page/2.rss"),
                     ("/en/feeds/changes.atom?page=4", "/en/feeds/changes/page/1.atom"),
                     ("/zh-hant/feeds/departments/99010002MZ/powers.atom?page=1",
                      "/zh-hant/feeds/departments/99010002MZ/powers.atom")]:
        moved = client.get(old)
        assert (moved.status_code, moved.location) == (302, new), old
    moved = client.get("/zh-hans/feeds/changes/page/3.atom")  # its entries are in the front for now
    assert (moved.status_code, moved.location) == (302, "/zh-hans/feeds/changes.atom")


def test_control_characters_never_reach_a_feed(app, runner, city_copy):
    load(runner, city_copy)
    with app.app_context():
        # Behind the validation's back: the department's name carries C0 and C1 controls.
        db.session.execute(update(Department).where(Department.code == "99010002MZ")
                           .values(name="测试市\x07民政局\x85\x1b"))
        db.session.commit()
    response = app.test_client().get("/zh-hans/feeds/departments/99010002MZ.rss")
    feed = feedparser.parse(response.data)
    assert not feed.bozo
    assert "测试市民政局" in feed.feed.title
    assert not any(c in response.get_data(as_text=True) for c in "\x07\x85\x1b")


def test_strip_controls_keeps_text_and_whitespace():
    assert strip_controls("a\tb\nc\r\x00\x08\x0b\x0c\x0e\x1f\x7f\x80\x9f\ufffe中文") == "a\tb\nc\r中文"
    feed = PortalFeed(convert=str.upper)
    assert feed.text("ok\x01") == "OK"


def test_pages_advertise_their_feed(client):
    expected = {
        "/zh-hans/": "/zh-hans/feeds/changes.atom",
        "/zh-hans/powers/": "/zh-hans/feeds/powers.atom",
        "/zh-hans/powers/by/department/99010001FG/": "/zh-hans/feeds/departments/99010001FG/powers.atom",
        "/zh-hans/appraisals/2024/": "/zh-hans/feeds/appraisals.atom",
        "/zh-hans/departments/99010002MZ/": "/zh-hans/feeds/departments/99010002MZ.atom",
        "/zh-hans/changes/": "/zh-hans/feeds/changes.atom",
        "/zh-hans/changes/by/kind/complaints/": "/zh-hans/feeds/complaints.atom",
        "/zh-hant/changes/by/department/99010101SL/": "/zh-hant/feeds/departments/99010101SL.atom",
    }
    for page, feed in expected.items():
        links = parse_html(client.get(page).get_data(as_text=True)).links
        atom = [l for l in links if l.get("rel") == "alternate" and l.get("type") == "application/atom+xml"]
        rss = [l for l in links if l.get("rel") == "alternate" and l.get("type") == "application/rss+xml"]
        assert [l["href"] for l in atom] == [feed], page
        assert [l["href"] for l in rss] == [feed.replace(".atom", ".rss")], page
        assert atom[0]["title"]
        assert client.get(feed).status_code == 200
    plain = parse_html(client.get("/zh-hans/pages/about/").get_data(as_text=True)).links
    assert not [l for l in plain if l.get("type") == "application/atom+xml"]


def test_the_feeds_page_lists_every_feed(client):
    html = client.get("/zh-hans/feeds/").get_data(as_text=True)
    anchors = set(parse_html(html).anchors)
    for fmt in ("atom", "rss"):
        for path in every_feed(fmt):
            assert f"/zh-hans{path}" in anchors, path
    assert "RSS 阅读器" in html
    data = client.get("/zh-hans/feeds.json").get_json()
    assert data["site"]["atom"] == "/zh-hans/feeds/changes.atom"
    assert data["departments"][0]["kinds"]["powers"]["rss"].endswith("/powers.rss")
    footer = parse_html(client.get("/zh-hans/").get_data(as_text=True)).anchors
    assert "/zh-hans/feeds/" in footer and "/zh-hans/changes/" in footer


PHONE, ID_NUMBER = "13812345678", "110101199003071234"


def test_no_complaint_pii_reaches_a_feed_or_the_change_log(app, runner, city_copy):
    """A case's free text corrected after a leak: the change event's old values hold a phone and
    an ID number (put there behind the upload's back, as if recorded before uploads were
    checked); neither they nor the corrected text appear in any feed or change-log output."""
    load(runner, city_copy)
    edit_csv(city_copy / COMPLAINTS, lambda h, rows: rows[0].update(
        {"投诉摘要": "王某反映办理低保申请时窗口未一次性告知所需材料。", "整改措施": "已约谈窗口负责人。"}))
    load(runner, city_copy)
    leaked = {"summary": [f"张某(电话{PHONE},身份证{ID_NUMBER})反映…", "王某反映办理低保申请时窗口未一次性告知所需材料。"],
              "rectification": [f"已回电{PHONE}。", "已约谈窗口负责人。"]}
    with app.app_context():
        db.session.execute(update(ChangeEvent).where(ChangeEvent.action == "changed").values(changes=leaked))
        db.session.commit()
    client = app.test_client()
    outputs = [client.get(f"/{lang}{path}").get_data(as_text=True)
               for lang in LANGS for fmt in ("atom", "rss") for path in every_feed(fmt)]
    outputs += [client.get(url).get_data(as_text=True) for url in (
        "/zh-hans/changes/", "/zh-hans/changes.json", "/zh-hans/index.json",
        "/zh-hans/changes/revisions.json", "/zh-hans/changes/99010002MZ/complaints/2/",
        "/zh-hans/changes/99010002MZ/complaints/2.json", "/zh-hant/changes/99010002MZ/complaints/2/",
        "/en/changes/99010002MZ/complaints/2/")]
    for text in outputs:
        for secret in (PHONE, ID_NUMBER, "王某", "已约谈", "已回电"):
            assert secret not in text
    entry = parse(client, "/zh-hans/feeds/departments/99010002MZ/complaints.atom").entries[0]
    assert entry.title == "变更投诉案件：慢作为 · 测试市民政局（案号 2024-XN-0001）"
    assert "投诉摘要、整改措施" in entry.summary
    assert "为保护投诉人" in entry.content[0].value
    twin = client.get("/zh-hans/changes.json?action=changed", follow_redirects=True).get_json()["items"][0]
    assert twin["changes"] == {} and sorted(twin["withheld"]) == ["rectification", "summary"]
