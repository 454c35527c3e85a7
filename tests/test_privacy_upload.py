"""Complaint uploads: findings are held and highlighted, redacted or confirmed (audited), then published;
personal-data columns are refused; the content loader and the API follow the same rules."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.publish.content import load_directory
from portal.models import AuditEvent, ComplaintCase, PrivacyConfirmation, Revision, Upload
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import api_token, csrf_token, csv_bytes, log_in, make_user, read_csv, upload
from tests.helpers import visible_text
from tests.test_loader import COMPLAINTS, edit_csv

PHONE = "13812345678"
DEPARTMENT = "99010002MZ"


@pytest.fixture
def desk(app):
    """A fresh app with the fixture city, a 民政局 clerk and an administrator."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "mzclerk", DEPARTMENT)
    make_user(app, "boss01", None, admin=True)
    return app


def complaints_csv(change=None) -> bytes:
    headers, rows = read_csv(FIXTURE_CITY / COMPLAINTS)
    if change:
        headers = change(headers, rows) or headers
    return csv_bytes(headers, rows)


def with_phone(headers, rows):
    rows[0]["投诉摘要"] += f"其手机 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]} 一直无人回访。"


def staged(client, content=None):
    """Upload complaints as the clerk; return the preview's URL and HTML."""
    content = content or complaints_csv(with_phone)
    response = upload(client, content, "complaints.csv", "complaints", DEPARTMENT)
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))
    url = response.headers["Location"]
    return url, client.get(url).get_data(as_text=True)


def publish(client, preview_url, html):
    return client.post(preview_url + "/publish", data={"csrf_token": csrf_token(html)})


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def public_summary(app) -> str:
    page = app.test_client().get("/zh-hans/complaints/2024-XN-0001/")
    assert page.status_code == 200
    return visible_text(page.get_data(as_text=True))


def test_a_phone_number_in_a_summary_is_held_with_the_finding_highlighted(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    url, html = staged(client)
    assert '<mark class="pii">138 1234 5678</mark>' in html
    text = visible_text(html)
    assert "疑似个人信息：1 处" in text and "手机号码" in text and "138****5678" in text
    assert re.search(r'<button type="submit" disabled>确认发布', html)
    response = publish(client, url, html)
    assert response.status_code == 302
    assert "疑似个人信息未处理" in visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert count(desk, Revision, Revision.source == "upload") == 0
    assert "138 1234 5678" not in public_summary(desk)


def test_redact_then_publish(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    url, html = staged(client)
    key = re.search(r'/privacy/([0-9a-f]{20})/redact"', html).group(1)
    response = client.post(f"{url}/privacy/{key}/redact", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "已隐去投诉案件 2024-XN-0001 中的手机号码" in visible_text(html)
    assert "疑似个人信息" not in visible_text(html)
    assert publish(client, url, html).status_code == 302
    summary = public_summary(desk)
    assert "其手机 138****5678 一直无人回访" in summary and "138 1234 5678" not in summary
    with desk.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-3:] == ["upload.staged", "privacy.redacted", "upload.published"]


def test_redact_all_then_publish(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    def two(headers, rows):
        with_phone(headers, rows)
        rows[1]["整改措施"] = "已向来电人张三当面致歉。"
    url, html = staged(client, complaints_csv(two))
    assert visible_text(html).count("需复核") == 1  # the name is for review, the phone is certain
    client.post(f"{url}/privacy/redact-all", data={"csrf_token": csrf_token(html)})
    html = client.get(url).get_data(as_text=True)
    assert "已按建议隐去 2 处疑似个人信息" in visible_text(html)
    assert publish(client, url, html).status_code == 302
    page = visible_text(desk.test_client().get("/zh-hans/complaints/2024-XN-0002/").get_data(as_text=True))
    assert "已向来电人张某当面致歉" in page


def confirm_as_office(app, url: str, name: str = "boss01"):
    """An administrator of the efficiency office confirms the finding the preview shows awaiting them."""
    office = app.test_client()
    log_in(office, name)
    html = office.get(url).get_data(as_text=True)
    key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
    return office.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": csrf_token(html)})


def test_confirm_as_not_personal_is_audited_and_lets_the_value_through(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    url, html = staged(client)
    key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
    client.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": csrf_token(html)})
    html = client.get(url).get_data(as_text=True)
    assert "不是个人信息（已记入审计日志）" in visible_text(html)
    assert "等待效能办确认（mzclerk 已确认不是个人信息）" in visible_text(html)  # a mobile: two people
    assert confirm_as_office(desk, url).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert publish(client, url, html).status_code == 302
    assert "138 1234 5678" in public_summary(desk)  # the department's and the office's word, on the record
    with desk.app_context():
        entry = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "privacy.confirmed_not_personal")).one()
        assert entry.actor == "mzclerk" and entry.detail["code"] == "2024-XN-0001"
        assert entry.detail["category"] == "mobile" and entry.detail["field"] == "summary"
        assert PHONE not in str(entry.detail) and PHONE[3:7] not in str(entry.detail)
        confirmation = db.session.scalars(select(PrivacyConfirmation)).one()
        assert (confirmation.confirmed_by, confirmation.office_confirmed_by) == ("mzclerk", "boss01")
        assert confirmation.fingerprint == entry.detail["fingerprint"]


def test_another_departments_clerk_cannot_resolve_a_finding(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    url, html = staged(client)
    key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
    make_user(desk, "fgclerk", "99010001FG")
    other = desk.test_client()
    log_in(other, "fgclerk")
    token = csrf_token(other.get("/zh-hans/desk/").get_data(as_text=True))
    assert other.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": token}).status_code == 404
    assert count(desk, PrivacyConfirmation) == 0


@pytest.mark.parametrize("column", ["投诉人", "举报人姓名", "身份证号", "联系电话", "住址"])
def test_a_personal_data_column_is_rejected_with_its_own_message(desk, column):
    client = desk.test_client()
    log_in(client, "mzclerk")
    def add_column(headers, rows):
        for row in rows:
            row[column] = "张三"
        return [*headers, column]
    response = upload(client, complaints_csv(add_column), "complaints.csv", "complaints", DEPARTMENT)
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert f"不得上传投诉人的个人信息：请删除“{column}”列" in text
    assert "未知的列" not in text
    assert count(desk, Upload) == 0


def test_the_content_loader_refuses_a_file_with_personal_data(app, city_copy):
    edit_csv(city_copy / COMPLAINTS, with_phone)
    with app.app_context():
        report = load_directory(db.session, city_copy)
    (bad,) = [f for f in report.files if f.problems]
    assert bad.path == COMPLAINTS
    (problem,) = bad.problems
    assert (problem.row, problem.column) == (2, "投诉摘要")
    assert "手机号码" in problem.message and "138****5678" in problem.message and PHONE not in problem.message
    assert count(app, ComplaintCase) == 0


def test_the_api_reports_findings_blocks_publishing_and_resolves(desk):
    client = desk.test_client()
    auth = api_token(desk, "mzclerk")
    created = client.post("/api/v1/uploads", headers=auth, data={
        "kind": "complaints", "file": (io.BytesIO(complaints_csv(with_phone)), "complaints.csv")})
    assert created.status_code == 201
    body = created.get_json()
    (finding,) = body["privacy"]
    assert finding["category"] == "mobile" and finding["suggestion"] == "138****5678"
    assert finding["code"] == "2024-XN-0001" and finding["column"] == "投诉摘要" and finding["row"] == 2
    held = client.post(f"/api/v1/uploads/{body['id']}/publish", headers=auth)
    assert held.status_code == 409 and held.get_json()["privacy"][0]["key"] == finding["key"]
    resolved = client.post(f"/api/v1/uploads/{body['id']}/privacy/{finding['key']}", headers=auth,
                           data={"action": "redact"})
    assert resolved.status_code == 200 and resolved.get_json()["privacy"] == []
    published = client.post(f"/api/v1/uploads/{body['id']}/publish", headers=auth)
    assert published.status_code == 200 and published.get_json()["changed"]
    assert "138****5678" in public_summary(desk)


def test_a_rollback_to_a_state_with_unconfirmed_findings_is_refused(desk):
    """Data published before the guard existed (written behind its back) is not republished."""
    with desk.app_context():
        revision = db.session.scalars(select(Revision).where(Revision.kind == "complaints")).one()
        revision.snapshot = [{**r, "summary": r["summary"] + PHONE} if r["code"] == "2024-XN-0001" else r
                             for r in revision.snapshot]
        db.session.commit()
        revision_id = revision.id
    edit = complaints_csv(lambda headers, rows: rows[0].update({"投诉摘要": "张某反映材料问题。"}))
    client = desk.test_client()
    log_in(client, "mzclerk")
    url, html = staged(client, edit)
    assert publish(client, url, html).status_code == 302
    page = client.get(f"/zh-hans/desk/revisions/{revision_id}/").get_data(as_text=True)
    response = client.post(f"/zh-hans/desk/revisions/{revision_id}/rollback",
                           data={"csrf_token": csrf_token(page)})
    assert "不能回退到该版本" in visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert PHONE not in public_summary(desk)
