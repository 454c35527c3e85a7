"""A high-confidence finding (a checksum-valid ID number, a mobile, a bank card) confirmed as not personal
by one person awaits the efficiency office: an administrator who neither uploaded it nor confirmed it first
confirms it too before it may be published. Lower-confidence findings keep one confirmation."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, PrivacyConfirmation, Revision
from tests.desk_helpers import api_token, csrf_token, log_in, make_user
from tests.helpers import visible_text
from tests.test_privacy_upload import (  # noqa: F401
    DEPARTMENT, PHONE, complaints_csv, desk, public_summary, publish, staged, with_phone,
)

ID_NUMBER = "11010519491231002X"


def confirm(client, url: str) -> str:
    """Press the preview's first confirm button; return the preview shown afterwards, as text."""
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
    response = client.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    return visible_text(client.get(response.headers["Location"]).get_data(as_text=True))


def post_confirm(client, url: str, key: str) -> str:
    token = csrf_token(client.get("/zh-hans/desk/").get_data(as_text=True))
    response = client.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": token})
    assert response.status_code == 302
    return visible_text(client.get(response.headers["Location"]).get_data(as_text=True))


def uploads_published(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Revision).where(Revision.source == "upload"))


def signed_in(app, name: str):
    client = app.test_client()
    log_in(client, name)
    return client


def test_a_mobile_confirmed_by_its_uploader_awaits_the_efficiency_office(desk):
    clerk = signed_in(desk, "mzclerk")
    url, html = staged(clerk)
    key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
    text = confirm(clerk, url)
    assert "它的可信度高，还须由效能办的另一位管理员确认后才能发布" in text
    assert "等待效能办确认（mzclerk 已确认不是个人信息）" in text and "疑似个人信息：1 处" in text
    html = clerk.get(url).get_data(as_text=True)
    assert f"/privacy/{key}/confirm" not in html  # nothing more for the department to confirm
    assert re.search(r'<button type="submit" disabled>确认发布', html)
    held = publish(clerk, url, html)
    assert "疑似个人信息未处理" in visible_text(clerk.get(held.headers["Location"]).get_data(as_text=True))

    # Neither the uploader nor a colleague of the department can be the second person.
    make_user(desk, "mzclerk2", DEPARTMENT)
    for name in ("mzclerk", "mzclerk2"):
        text = post_confirm(signed_in(desk, name), url, key)
        assert "还须由效能办的另一位管理员（不是上传者，也不是第一位确认者）确认" in text
    assert uploads_published(desk) == 0 and "138 1234 5678" not in public_summary(desk)

    office = signed_in(desk, "boss01")
    assert "效能办已确认投诉案件 2024-XN-0001 中的手机号码不是个人信息" in confirm(office, url)
    html = clerk.get(url).get_data(as_text=True)
    assert "疑似个人信息" not in visible_text(html)
    assert publish(clerk, url, html).status_code == 302
    assert "138 1234 5678" in public_summary(desk)
    with desk.app_context():
        actions = ("privacy.confirmed_not_personal", "privacy.office_confirmed_not_personal")
        entries = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)).all()
        assert [(e.actor, e.action) for e in entries] == [("mzclerk", actions[0]), ("boss01", actions[1])]
        assert entries[1].detail["first_confirmed_by"] == "mzclerk"
        assert entries[1].detail["confidence"] == "high"
        assert entries[0].detail["fingerprint"] == entries[1].detail["fingerprint"]
        assert not any(PHONE in str(e.detail) for e in entries)


def test_an_administrator_cannot_be_both_people(desk):
    make_user(desk, "boss02", None, admin=True)
    boss = signed_in(desk, "boss01")
    url, html = staged(boss)  # an administrator uploading for the department
    key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
    assert "等待效能办确认（boss01 已确认不是个人信息）" in confirm(boss, url)
    assert "不是上传者，也不是第一位确认者" in post_confirm(boss, url, key)
    assert "不是上传者，也不是第一位确认者" in post_confirm(signed_in(desk, "mzclerk"), url, key)
    assert "效能办已确认" in confirm(signed_in(desk, "boss02"), url)
    with desk.app_context():
        confirmation = db.session.scalars(select(PrivacyConfirmation)).one()
        assert (confirmation.confirmed_by, confirmation.office_confirmed_by) == ("boss01", "boss02")


def test_a_lower_confidence_finding_keeps_one_confirmation(desk):
    def named(headers, rows):
        rows[1]["整改措施"] = "已向来电人张三当面致歉。"

    clerk = signed_in(desk, "mzclerk")
    url, _html = staged(clerk, complaints_csv(named))
    text = confirm(clerk, url)
    assert "已确认投诉案件 2024-XN-0002 中的姓名不是个人信息（已记入审计日志）" in text
    assert "等待效能办确认" not in text and "疑似个人信息" not in text
    assert publish(clerk, url, clerk.get(url).get_data(as_text=True)).status_code == 302
    assert uploads_published(desk) == 1


def test_the_office_sees_what_awaits_it_on_its_desk(desk):
    clerk = signed_in(desk, "mzclerk")
    url, _html = staged(clerk)
    office = signed_in(desk, "boss01")
    assert "等待效能办确认" not in visible_text(office.get("/zh-hans/desk/").get_data(as_text=True))
    confirm(clerk, url)
    page = office.get("/zh-hans/desk/").get_data(as_text=True)
    assert "等待效能办确认" in visible_text(page) and f'href="{url}"' in page
    assert "等待效能办确认" not in visible_text(clerk.get("/zh-hans/desk/").get_data(as_text=True))
    english = office.get(url.replace("/zh-hans/", "/en/")).get_data(as_text=True)
    assert "Awaiting the efficiency office" in visible_text(english)
    confirm(office, url)
    assert "等待效能办确认" not in visible_text(office.get("/zh-hans/desk/").get_data(as_text=True))


def test_the_api_shows_a_finding_awaiting_the_office_and_holds_publishing(desk):
    def id_number(headers, rows):
        rows[0]["投诉摘要"] += f"身份证号{ID_NUMBER}。"

    clerk, office = api_token(desk, "mzclerk"), api_token(desk, "boss01")
    client = desk.test_client()
    created = client.post("/api/v1/uploads", headers=clerk, data={
        "kind": "complaints", "file": (io.BytesIO(complaints_csv(id_number)), "complaints.csv")})
    body = created.get_json()
    (finding,) = body["privacy"]
    assert (finding["category"], finding["status"], finding["needs_office"]) == ("id_number", "open", True)
    base = f"/api/v1/uploads/{body['id']}"
    confirmed = client.post(f"{base}/privacy/{finding['key']}", headers=clerk, data={"action": "confirm"})
    assert confirmed.status_code == 200
    assert [f["status"] for f in confirmed.get_json()["privacy"]] == ["awaiting_office"]
    assert client.get(base, headers=clerk).get_json()["privacy"][0]["status"] == "awaiting_office"
    held = client.post(f"{base}/publish", headers=clerk)
    assert held.status_code == 409 and held.get_json()["privacy"][0]["status"] == "awaiting_office"
    again = client.post(f"{base}/privacy/{finding['key']}", headers=clerk, data={"action": "confirm"})
    assert again.status_code == 403 and "效能办" in again.get_json()["error"]
    settled = client.post(f"{base}/privacy/{finding['key']}", headers=office, data={"action": "confirm"})
    assert settled.status_code == 200 and settled.get_json()["privacy"] == []
    assert client.post(f"{base}/publish", headers=clerk).get_json()["changed"]
    assert ID_NUMBER in public_summary(desk)
