"""The change log, revision pages with their diffs, the published chain and `flask changes verify`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import ChangeEvent, Department, Revision
from portal.publish.canonical import canonical_json, content_hash, revision_hash, sha256
from tests.conftest import FIXTURE_CITY, make_app
from tests.helpers import json_twin, parse_html, visible_text
from tests.test_loader import POWERS, edit_csv


def load(runner, directory):
    result = runner.invoke(args=["content", "load", str(directory)])
    assert result.exit_code == 0, result.output


def rename_office(headers, rows):
    rows[1]["承办机构"] = "价格科"


def publish_history(app, directory):
    """The fixture city loaded, then one field changed, then one power item withdrawn."""
    runner = app.test_cli_runner()
    load(runner, directory)
    edit_csv(directory / POWERS, rename_office)
    load(runner, directory)
    edit_csv(directory / POWERS, lambda h, rows: rows.pop(2))
    load(runner, directory)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A read-only app with that history, shared by the tests that only look."""
    tmp = tmp_path_factory.mktemp("history")
    shutil.copytree(FIXTURE_CITY, tmp / "city")
    app = make_app(tmp)
    publish_history(app, tmp / "city")
    return app


@pytest.fixture
def edited(history):
    """A client of the shared history."""
    return history.test_client()


@pytest.fixture
def tamperable(app, city_copy):
    """A fresh app with that history, for tests that tamper with it."""
    publish_history(app, city_copy)
    return app.test_client()


def test_the_log_lists_every_event_newest_first(client):
    page = client.get("/zh-hans/changes/")
    assert page.status_code == 200
    data = client.get(json_twin(page.get_data(as_text=True))).get_json()
    # 3 departments (reference data, revisioned like disclosures) and 10 disclosures.
    assert data["total"] == 13
    times = [i["at"] for i in data["items"]]
    assert times == sorted(times, reverse=True)
    text = visible_text(page.get_data(as_text=True))
    assert "共 13 条变更" in text
    assert "新增部门：测试市民政局" in text
    # Appraisal results appearing are the year's results published; a case appearing is a case disposed.
    assert "测试市民政局2024年度绩效考评结果公布" in text
    assert "投诉案件已办结：慢作为 · 测试市民政局（案号 2024-XN-0001）" in text
    assert "核查结论“属实”，处理结果“批评教育”" in text


def test_the_home_page_and_the_log_read_the_same_events(client):
    home = client.get("/zh-hans/index.json").get_json()["latest_changes"]
    log = client.get("/zh-hans/changes.json").get_json()["items"]
    assert [e["id"] for e in home] == [e["id"] for e in log[: len(home)]]


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("department=99010001FG", 7),
        ("kind=powers", 3),
        ("department=99010002MZ&kind=complaints", 2),
        ("action=added", 13),
        ("kind=departments", 3),
        ("action=withdrawn", 0),
    ],
)
def test_the_log_filters(client, query, total):
    assert client.get(f"/zh-hans/changes.json?{query}", follow_redirects=True).get_json()["total"] == total


def test_the_log_filters_by_local_date(client):
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    tomorrow = today + dt.timedelta(days=1)
    assert client.get(f"/zh-hans/changes.json?from={today}&to={today}", follow_redirects=True).get_json()["total"] == 13
    assert client.get(f"/zh-hans/changes.json?from={tomorrow}", follow_redirects=True).get_json()["total"] == 0
    assert client.get(f"/zh-hans/changes.json?to={today - dt.timedelta(days=1)}", follow_redirects=True).get_json()["total"] == 0


@pytest.mark.parametrize(
    "query", ["kind=nope", "department=NOPE", "action=deleted", "from=2024-02-30", "page=0", "page=99"]
)
def test_bad_filters_are_not_found(client, query):
    assert client.get(f"/zh-hans/changes/?{query}", follow_redirects=True).status_code == 404


def test_the_log_pages_from_the_oldest_keeping_its_filters(app, runner, city_copy):
    """13 additions, 4 a page: archives 1 (the oldest 4) and 2 (the next 4), the newest 5 in front."""
    load(runner, city_copy)
    app.config["PAGE_SIZE"] = 4
    client = app.test_client()
    front = client.get("/zh-hans/changes.json?action=added", follow_redirects=True).get_json()
    assert (front["total"], front["archives"], len(front["items"])) == (13, 2, 5)
    assert (front["next"], front["newer"]) == ("/zh-hans/changes/by/action/added/page/2.json", None)
    html = client.get("/zh-hans/changes/by/action/added/").get_data(as_text=True)
    assert "共 13 条变更" in visible_text(html)
    assert "/zh-hans/changes/by/action/added/page/2/" in parse_html(html).anchors
    ids, url = [], "/zh-hans/changes/by/action/added.json"
    while url:
        page = client.get(url).get_json()
        ids += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(ids) == len(set(ids)) == 13  # each once
    oldest = client.get("/zh-hans/changes/by/action/added/page/1.json").get_json()
    assert (oldest["page"], oldest["next"], oldest["newer"]) == (1, None, "/zh-hans/changes/by/action/added/page/2.json")
    assert "total" not in oldest and oldest["items"][-1]["id"] == ids[-1]
    newest = client.get("/zh-hans/changes/by/action/added/page/2.json").get_json()
    assert newest["newer"] == "/zh-hans/changes/by/action/added.json"
    archive = visible_text(client.get("/zh-hans/changes/by/action/added/page/2/").get_data(as_text=True))
    assert "存档第 2 页：从最早的算起第 5–8 条变更" in archive and "共 13 条变更" not in archive
    # The old newest-first page numbers lead to the archive holding their newest event, or the front.
    for old, new in [(2, "/zh-hans/changes/by/action/added/"), (3, "/zh-hans/changes/by/action/added/page/2/"),
                     (4, "/zh-hans/changes/by/action/added/page/1/")]:
        moved = client.get(f"/zh-hans/changes/?action=added&page={old}")
        assert (moved.status_code, moved.location) == (302, new), old
    assert client.get("/zh-hans/changes/?action=added&page=5").status_code == 404
    # A page still on the front page leads there; one past every event is not found.
    moved = client.get("/zh-hans/changes/by/action/added/page/3/")
    assert (moved.status_code, moved.location) == (302, "/zh-hans/changes/by/action/added/")
    assert client.get("/zh-hans/changes/by/action/added/page/5/").status_code == 404


def test_a_field_change_shows_old_and_new_on_the_revision_page(edited):
    log = edited.get("/zh-hans/changes.json?action=changed", follow_redirects=True).get_json()
    (entry,) = log["items"]
    assert entry["changes"] == {"office": ["价格监督检查科", "价格科"]}
    assert entry["diff_url"] == "/zh-hans/changes/99010001FG/powers/2/#change-99010001FG-CF-0001"

    page = edited.get("/zh-hans/changes/99010001FG/powers/2/").get_data(as_text=True)
    assert 'id="change-99010001FG-CF-0001"' in page
    text = visible_text(page)
    assert "变更权力事项：对违反价格法规定行为的处罚" in text
    # Whole values, old over new, with the words that went marked.
    assert '<td class="old" data-label="原内容">价格<del>监督检查</del>科</td>' in page
    assert '<td class="new" data-label="新内容">价格科</td>' in page
    assert "新增 0 项，变更 1 项，撤回 0 项" in text

    twin = edited.get("/zh-hans/changes/99010001FG/powers/2.json").get_json()
    assert twin["changes"][0]["changes"] == {"office": ["价格监督检查科", "价格科"]}
    assert twin["number"] == 2 and twin["changed"] == 1


def test_a_withdrawal_links_to_the_tombstone_and_says_why(edited):
    html = edited.get("/zh-hans/changes/?action=withdrawn", follow_redirects=True).get_data(as_text=True)
    text = visible_text(html)
    assert "撤回权力事项：对固定资产投资项目节能审查的监督检查" in text
    assert "撤回原因：发布单位在新版清单中删除了该事项" in text
    anchors = parse_html(html).anchors
    assert "/zh-hans/powers/99010001FG-JC-0001/" in anchors
    assert "/zh-hans/changes/99010001FG/powers/3/#change-99010001FG-JC-0001" in anchors
    tombstone = edited.get("/zh-hans/powers/99010001FG-JC-0001/").get_data(as_text=True)
    assert "该事项已撤回" in tombstone


def test_the_chain_pages_from_the_oldest_as_the_log_does(app, runner, city_copy):
    """The chain's pages are cut as the change log's: archives numbered from the oldest revision,
    which never change as revisions arrive, the newest in front; old page numbers redirect."""
    load(runner, city_copy)
    app.config["PAGE_SIZE"] = 2
    client = app.test_client()
    chain = client.get("/zh-hans/changes/revisions.json").get_json()["revisions"]
    total = len(chain)
    archives = total // 2 - 1
    assert archives >= 2
    front = client.get("/zh-hans/changes/revisions/").get_data(as_text=True)
    assert f"/zh-hans/changes/revisions/page/{archives}/" in parse_html(front).anchors
    assert chain[-1]["hash"] in visible_text(front)
    oldest = client.get("/zh-hans/changes/revisions/page/1/").get_data(as_text=True)
    text = visible_text(oldest)
    assert "存档第 1 页：从最早的算起第 1–2 个版本" in text and chain[-1]["hash"] not in oldest
    assert [r["hash"][:16] in oldest for r in chain[:3]] == [True, True, False]
    assert "/zh-hans/changes/revisions/page/2/" in parse_html(oldest).anchors
    newest = parse_html(client.get(f"/zh-hans/changes/revisions/page/{archives}/").get_data(as_text=True))
    assert "/zh-hans/changes/revisions/" in newest.anchors
    # The old newest-first numbering leads to the archive holding that page's newest revision.
    moved = client.get(f"/zh-hans/changes/revisions/?page={(total + 1) // 2}")
    assert (moved.status_code, moved.location) == (302, "/zh-hans/changes/revisions/page/1/")
    moved = client.get("/zh-hans/changes/revisions/?page=1")
    assert (moved.status_code, moved.location) == (302, "/zh-hans/changes/revisions/")
    assert client.get(f"/zh-hans/changes/revisions/?page={total + 1}").status_code == 404
    # A page still on the front page leads there; one past every revision is not found.
    moved = client.get(f"/zh-hans/changes/revisions/page/{archives + 1}/")
    assert (moved.status_code, moved.location) == (302, "/zh-hans/changes/revisions/")
    assert client.get(f"/zh-hans/changes/revisions/page/{total}/").status_code == 404


def test_revision_pages_link_their_neighbours_and_the_chain(edited):
    html = edited.get("/zh-hans/changes/99010001FG/powers/2/").get_data(as_text=True)
    anchors = parse_html(html).anchors
    assert "/zh-hans/changes/99010001FG/powers/1/" in anchors
    assert "/zh-hans/changes/99010001FG/powers/3/" in anchors
    assert edited.get("/zh-hans/changes/99010001FG/powers/9/").status_code == 404
    assert edited.get("/zh-hans/changes/NOPE/powers/1/").status_code == 404


def test_pages_in_every_language(edited):
    for lang in ("zh-hant", "en"):
        for url in ("/changes/", "/changes/99010001FG/powers/2/", "/changes/revisions/"):
            assert edited.get(f"/{lang}{url}").status_code == 200
    text = visible_text(edited.get("/zh-hant/changes/99010001FG/powers/2/").get_data(as_text=True))
    assert "價格 監督檢查 科" in text and "測試市發展和改革委員會" in text
    english = visible_text(edited.get("/en/changes/?action=changed", follow_redirects=True).get_data(as_text=True))
    assert "Test Development and Reform Commission" in english


def test_the_published_chain_can_be_checked_without_our_code(edited):
    chain = edited.get("/zh-hans/changes/revisions.json").get_json()
    revisions = chain["revisions"]
    assert chain["count"] == len(revisions) == 12
    assert chain["head"] == revisions[-1]["hash"]
    previous = None
    for item in revisions:
        covered = {k: item[k] for k in ("number", "department", "kind", "created_at", "author", "source",
                                        "filename", "file_sha256", "content_sha256", "prev_hash")}
        assert sha256(canonical_json(covered)) == item["hash"]
        assert item["prev_hash"] == previous
        previous = item["hash"]
    html = edited.get("/zh-hans/changes/revisions/").get_data(as_text=True)
    assert chain["head"] in html


def test_verify_passes_on_an_honest_chain(history):
    result = history.test_cli_runner().invoke(args=["changes", "verify"])
    assert result.exit_code == 0, result.output
    assert "chain verified: 12 revisions" in result.output


def _verify(runner, *args):
    result = runner.invoke(args=["changes", "verify", *args])
    assert result.exit_code != 0
    return result.output


def _revision(app, department, kind, number):
    with app.app_context():
        return db.session.scalars(
            select(Revision).join(Department, Revision.department_id == Department.id)
            .where(Department.code == department, Revision.kind == kind, Revision.number == number)
        ).one()


def test_an_altered_snapshot_is_found_and_named(app, tamperable, runner):
    target = _revision(app, "99010001FG", "powers", 2)
    snapshot = [dict(r) for r in target.snapshot]
    snapshot[0]["basis"] = "悄悄改过的依据"
    with app.app_context():
        db.session.execute(update(Revision).where(Revision.id == target.id).values(snapshot=snapshot))
        db.session.commit()
    output = _verify(runner)
    assert f"revision #{target.id} (99010001FG powers no. 2)" in output
    assert "snapshot was altered" in output


def test_a_consistently_rehashed_revision_breaks_the_next_link(app, tamperable, runner):
    target = _revision(app, "99010001FG", "powers", 2)
    with app.app_context():
        revision = db.session.get(Revision, target.id)
        revision.author = "someone-else"
        revision.hash = revision_hash(revision)
        db.session.commit()
        following = db.session.scalars(
            select(Revision).where(Revision.id > target.id).order_by(Revision.id)
        ).first()
    output = _verify(runner)
    assert f"revision #{following.id}" in output and "is not the hash of the revision before it" in output


def test_an_edited_change_event_is_found(app, tamperable, runner):
    target = _revision(app, "99010001FG", "powers", 2)
    with app.app_context():
        db.session.execute(
            update(ChangeEvent).where(ChangeEvent.revision_id == target.id)
            .values(changes={"office": ["价格监督检查科", "价格监督科"]})
        )
        db.session.commit()
    assert "recorded field changes of changed 99010001FG-CF-0001" in _verify(runner)


def test_a_deleted_withdrawal_event_is_found(app, tamperable, runner):
    target = _revision(app, "99010001FG", "powers", 3)
    with app.app_context():
        db.session.query(ChangeEvent).filter(ChangeEvent.revision_id == target.id).delete()
        db.session.commit()
    output = _verify(runner)
    assert f"revision #{target.id} (99010001FG powers no. 3)" in output
    assert "missing for withdrawn 99010001FG-JC-0001" in output


def test_a_rewritten_chain_is_caught_against_an_archived_copy(app, tamperable, runner, tmp_path):
    archive = tmp_path / "revisions.json"
    archive.write_text(json.dumps(tamperable.get("/zh-hans/changes/revisions.json").get_json()))
    first = _revision(app, "99010001FG", "powers", 1)
    with app.app_context():
        # Rewrite history end to end, every hash recomputed: only an outside copy can tell.
        # One record's remarks change in every snapshot that holds it, so the events still agree.
        previous = None
        for revision in db.session.scalars(select(Revision).order_by(Revision.id)):
            if revision.department_id == first.department_id and revision.kind == "powers":
                snapshot = [dict(r, remarks="改写") if r["code"] == "99010001FG-CF-0001" else r
                            for r in revision.snapshot]
                revision.snapshot = snapshot
                revision.content_sha256 = content_hash(snapshot)
            revision.prev_hash = previous
            revision.hash = revision_hash(revision)
            db.session.flush()
            previous = revision.hash
        db.session.commit()
    # The events carry the old hash in their ids; rewrite those too, as a careful forger would.
    with app.app_context():
        for event in db.session.scalars(select(ChangeEvent)):
            head, _, tail = event.uid.rpartition("/")
            stem = head.rpartition("/")[0]
            event.uid = f"{stem}/{event.revision.hash[:16]}/{tail}"
        db.session.commit()
    assert runner.invoke(args=["changes", "verify"]).exit_code == 0
    output = _verify(runner, "--against", str(archive))
    assert f"revision #{first.id} (99010001FG powers no. 1): hash" in output
    assert "differs from the archived copy" in output


def test_each_language_words_the_same_events_in_its_own_words(client):
    """An event's wording is kept per language and state of the database: the English log, its
    twin and the Chinese log, asked one after the other, each say it in their own language."""
    english = visible_text(client.get("/en/changes/").get_data(as_text=True))
    chinese = visible_text(client.get("/zh-hans/changes/").get_data(as_text=True))
    in_english = [e["headline"] for e in client.get("/en/changes.json").get_json()["items"]]
    in_chinese = [e["headline"] for e in client.get("/zh-hans/changes.json").get_json()["items"]]
    assert in_english and len(in_english) == len(in_chinese)
    worded = [(en, zh) for en, zh in zip(in_english, in_chinese) if en != zh]
    assert worded  # appraisal results "published", in each language's words
    assert all(en in english and zh not in english for en, zh in worded)
    assert all(zh in chinese and en not in chinese for en, zh in worded)
