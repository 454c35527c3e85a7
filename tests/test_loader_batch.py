"""The content loader publishes a department's files through one opening of the door:
a refused file stores nothing and is named, the department's other files still publish."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from portal import publish
from portal.extensions import db
from portal.models import MODELS, Commitment, Department, PowerItem, Revision, ServiceGuide
from portal.privacy import guard
from portal.publish.canonical import content_hash
from portal.publish.content import load_directory
from portal.publish.plan import validated
from portal.publish.verify import verify_chain
from portal.ingest.readers import read
from portal.schemas import KINDS

from .test_loader import count, edit_csv

FOLDER = "disclosures/99010001FG"


def _load(app, root):
    with app.app_context():
        return load_directory(db.session, root)


def _problems(report, path):
    return [p.message for f in report.files if f.path == path for p in f.problems]


def test_a_malformed_file_among_its_departments_files_stores_nothing_and_the_others_publish(app, city_copy):
    edit_csv(city_copy / FOLDER / "commitments.csv", lambda h, rows: rows[0].__setitem__("生效日期", "2024-13-01"))
    report = _load(app, city_copy)
    assert not report.ok
    assert any("日期" in m for m in _problems(report, f"{FOLDER}/commitments.csv"))
    assert count(app, Commitment) == 0
    # The same department's other files, published in the same opening of the door.
    assert count(app, PowerItem) > 0 and count(app, ServiceGuide) > 0
    assert not _problems(report, f"{FOLDER}/powers.csv") and not _problems(report, f"{FOLDER}/services.yaml")


def test_a_file_refused_under_the_lock_stores_nothing_and_the_files_before_it_stay(app, city_copy):
    # A commitment for a service guide the department never published: found only by the
    # check against what is live, made under the door's lock after the guides are published.
    edit_csv(city_copy / FOLDER / "commitments.csv",
             lambda h, rows: rows[0].__setitem__("事项编码", "99010001FG-FW-0099"))
    report = _load(app, city_copy)
    assert any("本部门没有已发布的办事指南“99010001FG-FW-0099”" in m
               for m in _problems(report, f"{FOLDER}/commitments.csv"))
    assert count(app, Commitment) == 0
    assert count(app, ServiceGuide) > 0 and count(app, PowerItem) > 0
    with app.app_context():
        # Each published file is a revision of its own, and the chain holds.
        files = db.session.scalars(select(Revision.filename).where(Revision.filename.like(f"{FOLDER}/%"))).all()
        assert sorted(files) == sorted(f"{FOLDER}/{name}" for name in ("appraisals.yaml", "powers.csv",
                                                                       "services.yaml"))
        assert verify_chain(db.session).ok


def test_a_plan_is_published_only_in_the_door_that_checked_it_and_before_anything_else(app, city_copy):
    _load(app, city_copy)
    path = city_copy / FOLDER / "powers.csv"
    with app.app_context():
        department = Department.by_code(db.session, "99010001FG")
        kind = KINDS["powers"]
        plan = validated(db.session, department, kind, read(path.name, path.read_bytes(), kind))
        before = db.session.scalar(select(func.count()).select_from(Revision))
        with pytest.raises(RuntimeError):  # never checked under a lock
            with publish.opened(db.session) as writer:
                writer.publish_checked(plan, author="t", source="content")
        with publish.opened(db.session) as writer:
            stale = writer.check(plan)
            renamed = [{**r, "name": r["name"] + "甲"} for r in stale.records]
            writer.publish(department, kind, renamed, author="t", source="content")
            with pytest.raises(RuntimeError):  # checked before another publish of this door
                writer.publish_checked(stale, author="t", source="content")
        with pytest.raises(RuntimeError):  # checked in a door since closed
            with publish.opened(db.session) as writer:
                writer.publish_checked(stale, author="t", source="content")
        assert db.session.scalar(select(func.count()).select_from(Revision)) == before + 1


def test_snapshots_are_stored_as_utf8_and_hash_as_before(app, city_copy):
    _load(app, city_copy)
    with app.app_context():
        revision = db.session.scalars(select(Revision).where(Revision.filename == f"{FOLDER}/powers.csv")).one()
        stored = db.session.execute(text("SELECT snapshot FROM revisions WHERE id = :id"),
                                    {"id": revision.id}).scalar_one()
        if isinstance(stored, str):  # SQLite keeps the text as written; PostgreSQL's driver parses it
            assert "企业投资项目核准" in stored and "\\u" not in stored
            stored = json.loads(stored)
        assert content_hash(stored) == revision.content_sha256
        assert verify_chain(db.session).ok


def test_files_read_ahead_in_a_second_process_load_as_files_read_in_turn(app, city_copy):
    edit_csv(city_copy / FOLDER / "commitments.csv",
             lambda h, rows: rows[0].__setitem__("生效日期", "2024-13-01"))
    with app.app_context():
        report = load_directory(db.session, city_copy, read_ahead=True)
        hashes = db.session.scalars(select(Revision.content_sha256).order_by(Revision.id)).all()
        verdicts = db.session.scalars(select(PowerItem.screened).order_by(PowerItem.id)).all()
    assert any("日期" in m for m in _problems(report, f"{FOLDER}/commitments.csv"))
    assert count(app, Commitment) == 0 and count(app, PowerItem) > 0
    assert all(verdicts)  # every item published with the verdict the final guard reads
    with app.app_context():
        again = load_directory(db.session, city_copy, read_ahead=False)
        # The same files read in turn: the same verdicts, and nothing left to publish.
        assert [(f.path, [p.message for p in f.problems]) for f in again.files] == \
            [(f.path, [p.message for p in f.problems]) for f in report.files]
        assert db.session.scalars(select(Revision.content_sha256).order_by(Revision.id)).all() == hashes


def test_a_file_with_personal_data_read_ahead_is_refused_like_one_read_in_turn(app, city_copy):
    # Screened as it is read, in the second process: the door still refuses what it found.
    path = city_copy / FOLDER / "powers.csv"
    edit_csv(path, lambda h, rows: rows[0].__setitem__("备注", "联系人手机13912345678"))
    for read_ahead in (True, False):
        with app.app_context():
            report = load_directory(db.session, city_copy, read_ahead=read_ahead)
        assert any("个人信息" in m for m in _problems(report, f"{FOLDER}/powers.csv")), read_ahead
        assert count(app, PowerItem) == 0


@pytest.mark.parametrize("read_ahead", [False, True])
def test_items_keep_the_verdict_the_final_guard_would_give_them(app, city_copy, read_ahead):
    # Worked out as the files were read, outside the door: the same verdict the guard gives the
    # item as it stands, for items added and for an item changed by a second load.
    with app.app_context():
        assert load_directory(db.session, city_copy, read_ahead=read_ahead).ok
    edit_csv(city_copy / FOLDER / "powers.csv", lambda h, rows: rows[0].__setitem__("备注", "按季度更新"))
    with app.app_context():
        report = load_directory(db.session, city_copy, read_ahead=read_ahead)
        assert report.ok
        assert [f.counts["changed"] for f in report.files if f.path == f"{FOLDER}/powers.csv"] == [1]
        for model in MODELS.values():
            items = db.session.scalars(select(model)).all()
            assert items and all(item.screened and item.screened == guard.publish_verdict(item) for item in items)
