"""A contact field (咨询电话, 监督投诉电话) publishes its numbers on purpose, and the final guard reads
whatever else is typed into it. The upload reads it the same way: personal data there is a finding to
redact or confirm before publishing, not a publish whose item the guard then silently withholds."""

from __future__ import annotations

import io

import yaml
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Revision
from portal.publish.content import load_directory
from tests.desk_helpers import csrf_token, log_in, upload
from tests.helpers import visible_text
from tests.test_privacy_reasons import api_client
from tests.test_privacy_scope import ID_NUMBER, SERVICE, SERVICES, desk, services_yaml  # noqa: F401

HOTLINE = "0999-8100001"


def with_an_id_in_the_hotline(record):
    record["咨询电话"] = f"{HOTLINE} 经办人身份证{ID_NUMBER}"


def revisions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Revision))


def test_personal_data_in_a_contact_field_is_held_on_the_desk_and_redacted(desk):
    client = desk.test_client()
    log_in(client, "fgclerk")
    response = upload(client, services_yaml(with_an_id_in_the_hotline), "services.yaml", "services")
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "疑似个人信息" in visible_text(preview) and "咨询电话" in visible_text(preview)
    before = revisions(desk)
    held = client.post(response.headers["Location"] + "/publish", data={"csrf_token": csrf_token(preview)})
    assert held.status_code == 302 and revisions(desk) == before
    token = csrf_token(preview)
    redacted = client.post(response.headers["Location"] + "/privacy/redact-all", data={"csrf_token": token})
    assert redacted.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    published = client.post(response.headers["Location"] + "/publish", data={"csrf_token": csrf_token(preview)})
    assert published.status_code == 302 and revisions(desk) == before + 1
    page = desk.test_client().get(f"/zh-hans/services/{SERVICE}/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert HOTLINE in text and ID_NUMBER not in text and "110***" in text


def test_the_api_reports_it_and_refuses_to_publish(desk):
    client, auth = api_client(desk)
    created = client.post("/api/v1/uploads", headers=auth, data={
        "kind": "services", "file": (io.BytesIO(services_yaml(with_an_id_in_the_hotline)), "services.yaml")})
    body = created.get_json()
    assert created.status_code == 201
    assert [(f["category"], f["column"]) for f in body["privacy"]] == [("id_number", "咨询电话")], body["privacy"]
    before = revisions(desk)
    assert client.post(f"/api/v1/uploads/{body['id']}/publish", headers=auth).status_code == 409
    assert revisions(desk) == before


def test_the_content_loader_refuses_it(app, city_copy):
    path = city_copy / SERVICES
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    with_an_id_in_the_hotline(records[0])
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with app.app_context():
        report = load_directory(db.session, city_copy)
    assert not report.ok
    messages = str([(f.path, f.problems) for f in report.files])
    assert "咨询电话" in messages and ID_NUMBER not in messages
