"""The one door for writes: concurrent publishes, conflicts, and projections that heal themselves."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import flowstore, publish, search
from portal.extensions import db
from portal.flowcharts import svg
from portal.models import ChangeEvent, Department, Flowchart, PowerItem, ProjectionCursor, Revision, ServiceGuide
from portal.publish.content import load_directory
from portal.search.documents import changes_since
from portal.publish.verify import verify_chain
from portal.publish.plan import live_records
from portal.schemas import DEPARTMENTS, KINDS

from .conftest import FIXTURE_CITY, make_app


@pytest.fixture
def loaded(app):
    """The fresh app with the fixture city published and indexed."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        search.rebuild(db.session)
    return app


def _powers(session, department: Department) -> list[dict]:
    return [i.record for i in session.scalars(
        select(PowerItem).where(PowerItem.department_id == department.id, PowerItem.withdrawn_at.is_(None))
        .order_by(PowerItem.code))]


def _renamed(records: list[dict], suffix: str) -> list[dict]:
    return [{**r, "name": r["name"] + suffix} for r in records]


def test_two_publishes_at_once_both_land_in_order(loaded):
    """Threads publishing the same list at the same moment: no 500, nothing lost, the chain verifies."""
    with loaded.app_context():
        department = Department.by_code(db.session, "99010001FG")
        base = _powers(db.session, department)
        before = db.session.scalar(select(func.count()).select_from(Revision))
    errors, barrier = [], threading.Barrier(4)

    def publish_once(suffix):
        with loaded.app_context():
            mine = Department.by_code(db.session, "99010001FG")
            barrier.wait()
            try:
                with publish.opened(db.session) as writer:
                    writer.publish(mine, KINDS["powers"], _renamed(base, suffix), author="t", source="upload")
            except Exception as error:  # noqa: BLE001 - any failure is the test's finding
                errors.append(error)

    threads = [threading.Thread(target=publish_once, args=(f"({n})",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with loaded.app_context():
        assert db.session.scalar(select(func.count()).select_from(Revision)) == before + 4
        numbers = db.session.scalars(select(Revision.number).where(
            Revision.department_id == department.id, Revision.kind == "powers").order_by(Revision.id)).all()
        assert numbers == list(range(1, len(numbers) + 1))
        assert verify_chain(db.session).ok


def test_a_publish_kept_waiting_past_write_wait_seconds_is_a_conflict(tmp_path):
    """While another publish holds the chain (SQLite's write lock, PostgreSQL's advisory lock),
    a publish waits WRITE_WAIT_SECONDS, then gives up with a Conflict and writes nothing."""
    app = make_app(tmp_path, WRITE_WAIT_SECONDS=0.5)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        department = Department.by_code(db.session, "99010001FG")
        renamed = _renamed(_powers(db.session, department), "(等待)")
        before = db.session.scalar(select(func.count()).select_from(Revision))
        with Session(bind=db.engine) as other, publish.opened(other):
            started = time.monotonic()
            with pytest.raises(publish.Conflict, match="另一项发布正在进行"):
                with publish.opened(db.session) as writer:
                    writer.publish(department, KINDS["powers"], renamed, author="t", source="upload")
            assert time.monotonic() - started < 10
        assert db.session.scalar(select(func.count()).select_from(Revision)) == before
        assert _powers(db.session, department) != renamed


def test_a_publish_based_on_an_old_preview_is_refused(loaded):
    with loaded.app_context():
        department = Department.by_code(db.session, "99010001FG")
        base = _powers(db.session, department)
        preview = publish.live_hash(live_records(db.session, department, KINDS["powers"]))
        with publish.opened(db.session) as writer:
            writer.publish(department, KINDS["powers"], _renamed(base, "甲"), author="a", source="upload")
        before = db.session.scalar(select(func.count()).select_from(Revision))
        with pytest.raises(publish.Conflict) as refused:
            with publish.opened(db.session) as writer:
                writer.publish(department, KINDS["powers"], _renamed(base, "乙"), author="b", source="upload",
                               based_on=preview)
        assert "重新预览" in refused.value.message
        assert db.session.scalar(select(func.count()).select_from(Revision)) == before


def test_a_code_taken_by_another_department_since_staging_is_a_conflict_with_the_report(loaded):
    with loaded.app_context():
        owner = Department.by_code(db.session, "99010001FG")
        other = Department.by_code(db.session, "99010002MZ")
        taken = _powers(db.session, owner)[0]
        with pytest.raises(publish.Conflict) as refused:
            with publish.opened(db.session) as writer:
                writer.publish(other, KINDS["powers"], [{**taken, "department": other.code}],
                               author="b", source="upload")
        assert refused.value.problems and taken["code"] in refused.value.problems[0].message


def test_a_department_change_is_a_revision_with_an_event(loaded):
    client = loaded.test_client()
    with loaded.app_context():
        department = Department.by_code(db.session, "99010002MZ")
        record = {f.name: getattr(department, f.name) for f in DEPARTMENTS.fields}
        with publish.opened(db.session) as writer:
            writer.publish_departments([{**record, "phone": "0999-7777777"}], author="content", source="content")
        event = db.session.scalars(select(ChangeEvent).where(ChangeEvent.kind == "departments")
                                   .order_by(ChangeEvent.id.desc())).first()
        assert (event.code, event.action, event.changes["phone"][1]) == ("99010002MZ", "changed", "0999-7777777")
        assert verify_chain(db.session).ok
    log = client.get("/zh-hans/changes.json?kind=departments&action=changed", follow_redirects=True).get_json()
    assert [i["code"] for i in log["items"]] == ["99010002MZ"]
    page = client.get(log["items"][0]["url"])
    assert page.status_code == 200 and "0999-7777777" in page.get_data(as_text=True)


def test_the_search_index_catches_up_after_a_crash_between_commit_and_index(loaded, monkeypatch):
    """The index update fails right after a publish committed: the next sync repairs it."""
    client = loaded.test_client()
    # No catch-up before requests in this test: it would repair the index before we look.
    loaded.config["CATCH_UP_SECONDS"] = 3600
    loaded.extensions["portal.caught_up.search"] = time.monotonic()
    monkeypatch.setattr(search.engine(loaded), "catch_up", lambda *a, **k: (_ for _ in ()).throw(OSError("killed")))
    with loaded.app_context():
        department = Department.by_code(db.session, "99010001FG")
        records = _powers(db.session, department)
        # Not XK-0001: a live service guide is done under it, so it may not be withdrawn.
        kept, dropped = records[1:], records[0]
        with publish.opened(db.session) as writer:  # the publish lands; its index update dies
            writer.publish(department, KINDS["powers"], _renamed(kept, "(修订)"), author="t", source="upload")
    monkeypatch.undo()
    stale = client.get("/zh-hans/search.json", query_string={"q": dropped["code"]}).get_json()
    assert dropped["code"] in [i["code"] for i in stale["items"]]  # withdrawn, still found
    with loaded.app_context():
        head = db.session.scalar(select(func.max(Revision.id)))
        assert search.engine().applied() < head
        assert search.sync(db.session) == head
    repaired = client.get("/zh-hans/search.json", query_string={"q": dropped["code"]}).get_json()
    assert dropped["code"] not in [i["code"] for i in repaired["items"]]
    renamed = client.get("/zh-hans/search.json", query_string={"q": "修订"}).get_json()
    assert {i["code"] for i in renamed["items"]} == {r["code"] for r in kept}


def test_the_catch_up_before_requests_repairs_the_index_of_another_process(loaded):
    """A publish through another app server (here: behind the index's back) shows up within the catch-up interval."""
    loaded.config["CATCH_UP_SECONDS"] = 0
    with loaded.app_context():
        department = Department.by_code(db.session, "99010001FG")
        records = _powers(db.session, department)
        with publish.opened(db.session) as writer:
            revision = writer.publish(department, KINDS["powers"], _renamed(records, "(他处)"), author="t",
                                      source="upload")
        # Undo what this process's index applied: it now knows as little as another server's would.
        upserts, _removals = changes_since(db.session, revision.id - 1, revision.id)
        search.engine().apply([], [d.key for d in upserts])
        (search.engine()._current() / "APPLIED").write_text(str(revision.id - 1))
    found = loaded.test_client().get("/zh-hans/search.json", query_string={"q": "他处"}).get_json()
    assert found["total"] == len(records)


def test_the_flowchart_store_catches_up_after_drawing_failed(loaded, monkeypatch):
    with loaded.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flowchart))  # drawn when loaded
        db.session.execute(Flowchart.__table__.delete())
        cursor = ProjectionCursor.position(db.session, "flowcharts")
        db.session.commit()

        def broken(*args, **kwargs):
            raise svg.RenderError("dot was killed")

        monkeypatch.setattr(svg, "run_dot", broken)
        services = KINDS["services"]
        department = Department.by_code(db.session, "99010001FG")
        records = [s.record for s in db.session.scalars(select(ServiceGuide).where(
            ServiceGuide.department_id == department.id))]
        with publish.opened(db.session) as writer:
            writer.publish(department, services, [{**r, "hours": r["hours"] + "(节假日除外)"} for r in records],
                           author="t", source="upload")
    with loaded.app_context():  # the teardown's drawing failed: the cursor did not move
        assert ProjectionCursor.position(db.session, "flowcharts") == cursor
        monkeypatch.undo()
        drawn = flowstore.sync(db.session)
        db.session.commit()
        assert drawn > 0
        assert ProjectionCursor.position(db.session, "flowcharts") == db.session.scalar(select(func.max(Revision.id)))
