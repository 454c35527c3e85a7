"""The department desk on the web: log in, upload, read the report, preview, publish, roll back."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.publish.content import load_directory
from portal import create_app
from portal.models import AuditEvent, AuditLogIsAppendOnly, PowerItem, Revision, StoredFile, Upload, User
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import PASSWORD, csrf_token, csv_bytes, log_in, make_user, read_csv, upload
from tests.helpers import visible_text

POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"


@pytest.fixture
def desk(app):
    """A fresh app with the fixture city, a department account and an administrator."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fg", "99010001FG")
    make_user(app, "mz", "99010002MZ")
    make_user(app, "boss", None, admin=True)
    return app


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def edited_powers(change):
    headers, rows = read_csv(POWERS)
    change(rows)
    return csv_bytes(headers, rows)


def test_desk_requires_login(desk):
    response = desk.test_client().get("/zh-hans/desk/")
    assert response.status_code == 302 and "/zh-hans/desk/login" in response.headers["Location"]


def test_wrong_password_is_refused_without_saying_which_part(desk):
    client = desk.test_client()
    response = log_in(client, "fg", "wrong password!")
    assert response.status_code == 401
    assert "用户名或密码不正确" in visible_text(response.get_data(as_text=True))
    response = log_in(client, "nobody", "wrong password!")
    assert "用户名或密码不正确" in visible_text(response.get_data(as_text=True))


def test_login_sets_a_hardened_new_session_and_logout_ends_it(desk):
    client = desk.test_client()
    client.get("/zh-hans/desk/login")
    response = log_in(client, "fg")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/zh-hans/desk/").status_code == 200
    stolen = client.get_cookie("session").value

    page = client.get("/zh-hans/desk/").get_data(as_text=True)
    assert client.post("/zh-hans/desk/logout", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert client.get("/zh-hans/desk/").status_code == 302

    replay = desk.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/zh-hans/desk/")
    assert response.status_code == 302 and "login" in response.headers["Location"]


def test_login_is_throttled_per_account(desk):
    client = desk.test_client()
    for _ in range(5):
        assert log_in(client, "fg", "wrong password!").status_code == 401
    response = log_in(client, "fg", PASSWORD)  # even the right password waits now
    assert response.status_code == 401
    assert "登录失败次数过多" in visible_text(response.get_data(as_text=True))
    assert log_in(desk.test_client(), "mz").status_code == 302  # other accounts are unaffected


def _from(desk, address):
    client = desk.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failing_as_a_clerk_elsewhere_does_not_keep_the_clerk_out(desk):
    # The clerk has logged in from the office before; account names are public (revisions name them).
    office = _from(desk, "198.51.100.7")
    assert log_in(office, "fg").status_code == 302
    stranger = _from(desk, "203.0.113.9")
    for _ in range(5):
        assert log_in(stranger, "fg", "wrong password!").status_code == 401
    refused = log_in(stranger, "fg", PASSWORD)  # the stranger waits, even with the right password
    assert refused.status_code == 401 and "登录失败次数过多" in visible_text(refused.get_data(as_text=True))
    # A third address, never used for this account, waits too: guessing from many addresses is slowed.
    assert "登录失败次数过多" in visible_text(log_in(_from(desk, "192.0.2.44"), "fg").get_data(as_text=True))
    # The clerk, from the office, is let in.
    assert log_in(_from(desk, "198.51.100.7"), "fg").status_code == 302
    # Guessing from the office itself still counts there.
    for _ in range(5):
        assert log_in(office, "fg", "wrong password!").status_code == 401
    assert log_in(_from(desk, "198.51.100.7"), "fg").status_code == 401


def test_login_is_throttled_per_address(desk):
    desk.config["LOGIN_MAX_PER_ADDRESS"] = 3
    client = desk.test_client()
    for name in ("a1x", "b2x", "c3x"):
        log_in(client, name, "wrong password!")
    assert "登录失败次数过多" in visible_text(log_in(client, "mz").get_data(as_text=True))


def test_a_form_without_its_csrf_token_is_refused(desk):
    client = desk.test_client()
    log_in(client, "fg")
    response = client.post("/zh-hans/desk/uploads", data={
        "kind": "powers", "department": "99010001FG", "file": (io.BytesIO(POWERS.read_bytes()), "p.csv"),
    }, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "安全令牌" in visible_text(response.get_data(as_text=True))
    assert count(desk, Upload) == 0


def test_happy_path_upload_preview_publish_and_rollback(desk):
    client = desk.test_client()
    log_in(client, "fg")
    assert client.get("/zh-hans/desk/templates/powers.xlsx").status_code == 200
    template = client.get("/zh-hans/desk/templates/powers.csv")
    assert template.status_code == 200 and "事项编码" in template.get_data(as_text=True)

    def change(rows):
        rows[0]["承办机构"] = "投资审批科"          # changed
        rows.pop(1)                                    # withdrawn: 99010001FG-CF-0001
        rows.append({**rows[0], "事项编码": "99010001FG-XK-0002", "事项名称": "政府投资项目审批"})

    response = upload(client, edited_powers(change))
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    text = visible_text(preview.get_data(as_text=True))
    assert "新增 1" in text.replace("\n", " ") or "1 新增" in text
    assert "政府投资项目审批" in text and "投资审批科" in text and "投资科" in text
    assert "对违反价格法规定行为的处罚" in text
    assert count(desk, PowerItem, PowerItem.code == "99010001FG-XK-0002") == 0  # not yet public

    page = preview.get_data(as_text=True)
    published = client.post(response.headers["Location"] + "/publish",
                            data={"csrf_token": csrf_token(page), "reason": "职能划转至市场监管局"})
    assert published.status_code == 302
    public = desk.test_client()
    assert "政府投资项目审批" in public.get("/zh-hans/powers/99010001FG-XK-0002/").get_data(as_text=True)
    assert public.get("/zh-hans/powers/99010001FG-XK-0002.json").get_json()["department"]["code"] == "99010001FG"
    tomb = visible_text(public.get("/zh-hans/powers/99010001FG-CF-0001/").get_data(as_text=True))
    assert "该事项已撤回" in tomb and "职能划转至市场监管局" in tomb
    actions = {(c["action"], c["code"]) for c in public.get("/zh-hans/index.json").get_json()["latest_changes"]}
    assert {("added", "99010001FG-XK-0002"), ("changed", "99010001FG-XK-0001"),
            ("withdrawn", "99010001FG-CF-0001")} <= actions

    with desk.app_context():
        revision = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
        assert (revision.source, revision.author, revision.number) == ("upload", "fg", 2)
        assert db.session.get(StoredFile, revision.file_sha256) is not None
        first = db.session.scalars(select(Revision).where(
            Revision.kind == "powers", Revision.number == 1, Revision.department_id == revision.department_id)).one()
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "upload.published")).one()
        assert audit.revision_id == revision.id and audit.content_hash == revision.content_sha256
        first_id = first.id
    history = client.get("/zh-hans/desk/history/99010001FG/powers/")
    assert "fg" in visible_text(history.get_data(as_text=True))
    file = client.get(f"/zh-hans/desk/revisions/{revision.id}/file")
    assert file.status_code == 200 and "政府投资项目审批".encode() in file.data

    page = client.get(f"/zh-hans/desk/revisions/{first_id}/").get_data(as_text=True)
    rolled = client.post(f"/zh-hans/desk/revisions/{first_id}/rollback", data={"csrf_token": csrf_token(page)})
    assert rolled.status_code == 302
    assert "该事项已撤回" in public.get("/zh-hans/powers/99010001FG-XK-0002/").get_data(as_text=True)
    assert "该事项已撤回" not in public.get("/zh-hans/powers/99010001FG-CF-0001/").get_data(as_text=True)
    assert count(desk, Revision, Revision.kind == "powers", Revision.department_id == revision.department_id) == 3


def test_a_bad_file_gets_a_report_and_nothing_is_stored(desk):
    client = desk.test_client()
    log_in(client, "fg")

    def break_it(rows):
        rows[0]["权力类型"] = "行政审批"
        rows[1]["状态日期"] = "2024-13-01"

    response = upload(client, edited_powers(break_it))
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "未保存任何内容" in text
    assert "2 权力类型 “行政审批”不是允许的值" in text
    assert "3 状态日期 日期不存在：“2024-13-01”，请核对年、月、日" in text
    assert count(desk, Upload) == 0 and count(desk, StoredFile) == 0
    assert count(desk, AuditEvent, AuditEvent.action == "upload.rejected") == 1


def test_a_department_cannot_write_another_departments_rows(desk):
    client = desk.test_client()
    log_in(client, "mz")
    response = upload(client, POWERS.read_bytes(), department="99010001FG")
    assert response.status_code == 403

    headers, rows = read_csv(POWERS)
    for row in rows:
        row["实施主体"] = "99010002MZ"
        row["事项编码"] = row["事项编码"].replace("FG", "MZ")
    rows[0]["实施主体"] = "99010001FG"
    response = upload(client, csv_bytes(headers, rows), department="99010002MZ")
    assert response.status_code == 422
    assert "只能发布本部门（99010002MZ）的数据" in visible_text(response.get_data(as_text=True))
    assert count(desk, Upload) == 0


def test_a_department_cannot_see_another_departments_history(desk):
    client = desk.test_client()
    log_in(client, "mz")
    assert client.get("/zh-hans/desk/history/99010001FG/powers/").status_code == 403
    with desk.app_context():
        fg_revision = db.session.scalars(select(Revision).where(Revision.filename.like("%99010001FG%"))).first().id
    # Another department's revision answers as one that does not exist (ids cannot be counted).
    assert client.get(f"/zh-hans/desk/revisions/{fg_revision}/").status_code == 404
    assert client.get(f"/zh-hans/desk/revisions/{fg_revision}/file").status_code == 404


def test_admin_acts_for_any_department(desk):
    client = desk.test_client()
    log_in(client, "boss")
    assert client.get("/zh-hans/desk/history/99010002MZ/complaints/").status_code == 200
    assert upload(client, POWERS.read_bytes(), department="99010001FG").status_code == 302


def test_admin_creates_accounts_on_the_web_and_others_cannot(desk):
    client = desk.test_client()
    log_in(client, "fg")
    assert client.get("/zh-hans/desk/users").status_code == 403
    admin = desk.test_client()
    log_in(admin, "boss")
    page = admin.get("/zh-hans/desk/users").get_data(as_text=True)
    response = admin.post("/zh-hans/desk/users", data={
        "csrf_token": csrf_token(page), "username": "songlin", "password": "a long enough pw",
        "department": "99010101SL"})
    assert response.status_code == 302
    assert log_in(desk.test_client(), "songlin", "a long enough pw").status_code == 302


def test_oversized_upload_is_refused(desk):
    desk.config["MAX_CONTENT_LENGTH"] = 2048
    client = desk.test_client()
    log_in(client, "fg")
    response = upload(client, b"x" * 5000)
    assert response.status_code == 413
    assert "上限为" in visible_text(response.get_data(as_text=True))
    assert count(desk, Upload) == 0


def test_too_many_form_parts_are_refused(desk):
    client = desk.test_client()
    log_in(client, "fg")
    page = client.get("/zh-hans/desk/").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), **{f"f{i}": "x" for i in range(200)}}
    response = client.post("/zh-hans/desk/uploads", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert count(desk, Upload) == 0


def test_the_audit_log_is_append_only_and_holds_no_password(desk):
    client = desk.test_client()
    log_in(client, "fg")
    with desk.app_context():
        entries = db.session.scalars(select(AuditEvent)).all()
        assert {"user.create", "login"} <= {e.action for e in entries}
        assert all(PASSWORD not in str(e.detail) for e in entries)
        entries[0].action = "nothing happened"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(AuditEvent)).first())
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()


def test_passwords_are_stored_as_argon2id_hashes(desk):
    with desk.app_context():
        stored = db.session.scalars(select(User).where(User.username == "fg")).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert desk.config["PASSWORD_PROFILE"] == "CHEAPEST"  # tests only; see below


def test_production_uses_rfc_9106_parameters(tmp_path):
    app = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["PASSWORD_PROFILE"] == "RFC_9106_LOW_MEMORY"


def test_file_names_lose_folders_and_control_characters(desk):
    client = desk.test_client()
    log_in(client, "fg")
    response = upload(client, POWERS.read_bytes(), filename="../../etc/\u202e\x07权责清单.csv")
    assert response.status_code == 302
    with desk.app_context():
        stored = db.session.scalars(select(Upload)).one().filename
    assert stored == "权责清单.csv"
    assert "权责清单.csv" in visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
