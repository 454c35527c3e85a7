"""Purging a revision's personal data: its content goes everywhere it is stored, its hashes,
tombstones and audit entry stay, and the chain still verifies."""

from __future__ import annotations

import re

from sqlalchemy import MetaData, select, text

from portal.extensions import db
from portal.models import AuditEvent, ChangeEvent, ComplaintCase, PrivacyPurge, Revision, StoredFile, Upload
from portal.desk import purge
from portal.publish.verify import verify_chain
from tests.desk_helpers import csrf_token, log_in
from tests.helpers import visible_text
from tests.test_privacy_upload import (  # noqa: F401
    PHONE, complaints_csv, confirm_as_office, desk, publish, staged, with_phone,
)


def leak_and_publish(client, app):
    """A clerk and then the efficiency office wrongly confirm a complainant's phone as not personal,
    and the clerk publishes it."""
    url, html = staged(client)
    key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
    client.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": csrf_token(html)})
    assert confirm_as_office(app, url).status_code == 302
    response = publish(client, url, client.get(url).get_data(as_text=True))
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def database_text(app) -> str:
    """Every row of every table (as the database lists them), as text: where a leak would still be found."""
    with app.app_context():
        connection = db.session.connection()
        tables = MetaData()
        tables.reflect(connection)
        return "\n".join(repr(tuple(row)) for table in tables.sorted_tables
                         for row in connection.execute(select(table)))


def stored_bytes(app) -> bytes:
    with app.app_context():
        return b"".join(db.session.scalars(select(StoredFile.data)))


def test_purge_after_a_correction_removes_the_data_everywhere_and_the_chain_verifies(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    leaked = leak_and_publish(client, desk)
    url, html = staged(client, complaints_csv(lambda h, rows: rows[0].update({"投诉摘要": "张某反映材料问题。"})))
    assert publish(client, url, html).status_code == 302
    assert PHONE[3:7] in database_text(desk) or b"1234" in stored_bytes(desk)

    result = desk.test_cli_runner().invoke(args=["privacy", "purge", str(leaked), "--reason", "误公开投诉人电话"])
    assert result.exit_code == 0, result.output
    assert f"purged revision {leaked}" in result.output
    dump = database_text(desk)
    assert "1234 5678" not in dump and PHONE not in dump
    assert b"1234 5678" not in stored_bytes(desk)

    with desk.app_context():
        revision = db.session.get(Revision, leaked)
        assert all(r.get("purged") for r in revision.snapshot)
        first = revision.snapshot[0]
        assert {"code", "received", "outcome"} <= set(first) and "summary" not in first
        correction = db.session.scalars(select(ChangeEvent).where(
            ChangeEvent.code == "2024-XN-0001", ChangeEvent.revision_id > leaked)).one()
        assert correction.changes["summary"] == [None, "张某反映材料问题。"]
        own = select(ChangeEvent.changes).where(ChangeEvent.revision_id == leaked)
        assert db.session.scalars(own).all() == [{}]
        assert db.session.scalars(select(Upload.records).order_by(Upload.id)).first()[0]["purged"] is True
        entry = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.purged")).one()
        assert entry.revision_id == leaked and entry.detail["reason"] == "误公开投诉人电话"
        report = verify_chain(db.session)
        assert report.ok, [str(b) for b in report.broken]
        assert report.purged == [leaked]
        hashes_kept = revision.hash, revision.content_sha256
    verified = desk.test_cli_runner().invoke(args=["changes", "verify"])
    assert verified.exit_code == 0 and "1 purged of personal data" in verified.output
    chain = desk.test_client().get("/zh-hans/changes/revisions.json").get_json()["revisions"]
    assert (chain[-2]["hash"], chain[-2]["content_sha256"]) == hashes_kept
    assert client.get(f"/zh-hans/desk/revisions/{leaked}/file").status_code == 404
    again = desk.test_cli_runner().invoke(args=["privacy", "purge", str(leaked), "--reason", "again"])
    assert again.exit_code != 0 and "purged already" in again.output


def test_purging_a_live_leak_leaves_a_tombstone_and_cannot_be_rolled_back(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    leaked = leak_and_publish(client, desk)
    public = desk.test_client()
    assert "138 1234 5678" in public.get("/zh-hans/complaints/2024-XN-0001/").get_data(as_text=True)

    page = client.get(f"/zh-hans/desk/revisions/{leaked}/").get_data(as_text=True)
    assert "删除本版的个人信息" not in page  # administrators only
    assert client.post(f"/zh-hans/desk/revisions/{leaked}/purge",
                       data={"csrf_token": csrf_token(page), "reason": "x"}).status_code == 403

    boss = desk.test_client()
    log_in(boss, "boss01")
    page = boss.get(f"/zh-hans/desk/revisions/{leaked}/").get_data(as_text=True)
    response = boss.post(f"/zh-hans/desk/revisions/{leaked}/purge",
                         data={"csrf_token": csrf_token(page), "reason": "投诉人要求删除"})
    assert "已删除第 2 版的个人信息" in visible_text(boss.get(response.headers["Location"]).get_data(as_text=True))

    tombstone = public.get("/zh-hans/complaints/2024-XN-0001/")
    assert tombstone.status_code == 200
    body = tombstone.get_data(as_text=True)
    assert "该事项已撤回" in visible_text(body) and purge.PURGED_REASON in visible_text(body)
    assert "1234" not in re.sub(r"12345", "", body)
    listed = public.get("/zh-hans/complaints.json").get_json()["items"]
    assert [item["code"] for item in listed] == ["2024-XN-0002"]
    with desk.app_context():
        item = db.session.scalars(select(ComplaintCase).where(ComplaintCase.code == "2024-XN-0001")).one()
        assert item.is_withdrawn and item.record["purged"] is True and "summary" not in item.record
        assert db.session.scalars(select(PrivacyPurge.revision_id)).all() == [leaked]
        assert verify_chain(db.session).ok

    page = client.get(f"/zh-hans/desk/revisions/{leaked}/").get_data(as_text=True)
    response = client.post(f"/zh-hans/desk/revisions/{leaked}/rollback",
                           data={"csrf_token": csrf_token(page)})
    assert "个人信息已被删除" in visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    with desk.app_context():
        # Nothing was published after the purge's own withdrawal of the leaked case.
        newest = db.session.scalars(select(Revision).order_by(Revision.id.desc()).limit(1)).one()
        assert (newest.id, newest.source, newest.withdrawn) == (leaked + 1, "purge", 1)


def test_what_is_left_of_a_purged_revision_is_still_tamper_evident(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    leaked = leak_and_publish(client, desk)
    with desk.app_context():
        revision = db.session.get(Revision, leaked)
        purge.purge(db.session, "boss01", revision, "test")
        db.session.execute(text("UPDATE revisions SET snapshot = :s WHERE id = :i"),
                           {"s": '[{"code": "2024-XN-0001", "purged": true, "outcome": "辞退"}]', "i": leaked})
        db.session.commit()
        db.session.expire_all()
        report = verify_chain(db.session)
    assert [b.revision_id for b in report.broken] == [leaked]
    assert "purge" in report.broken[0].message


def test_unknown_revision(runner):
    result = runner.invoke(args=["privacy", "purge", "99", "--reason", "x"])
    assert result.exit_code != 0 and "no such revision" in result.output
