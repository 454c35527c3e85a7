"""The upload API: Bearer tokens, JSON answers, the same checks as the web desk."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.publish.content import load_directory
from portal.models import Upload
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csrf_token, csv_bytes, log_in, read_csv

POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"


@pytest.fixture
def api(app, monkeypatch):
    """The fixture city, an account of 99010001FG, and its token (made with the CLI)."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    monkeypatch.setenv("PORTAL_PASSWORD", "a long enough password")
    runner = app.test_cli_runner()
    created = runner.invoke(args=["users", "create", "fg", "--department", "99010001FG"])
    assert created.exit_code == 0, created.output
    token = runner.invoke(args=["users", "token", "fg"]).output.strip()
    assert token.startswith("mj_")
    return app, {"Authorization": f"Bearer {token}"}


def post_file(client, headers, content: bytes, kind="powers", name="powers.csv", **fields):
    return client.post("/api/v1/uploads", headers=headers, content_type="multipart/form-data",
                       data={"kind": kind, "file": (io.BytesIO(content), name), **fields})


def test_cli_account_logs_in_on_the_web(api):
    app, _headers = api
    assert log_in(app.test_client(), "fg", "a long enough password").status_code == 302


def test_no_token_no_entry(api):
    app, _headers = api
    client = app.test_client()
    for headers in ({}, {"Authorization": "Bearer mj_nonsense"}, {"Authorization": "Basic abc"}):
        response = client.post("/api/v1/uploads", headers=headers)
        assert response.status_code == 401 and response.is_json
        assert "令牌" in response.get_json()["error"]


def test_templates(api):
    app, headers = api
    client = app.test_client()
    csv_template = client.get("/api/v1/templates/powers.csv", headers=headers)
    assert csv_template.status_code == 200 and "权力类型" in csv_template.get_data(as_text=True)
    xlsx = client.get("/api/v1/templates/services.xlsx", headers=headers)
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    missing = client.get("/api/v1/templates/nope.csv", headers=headers)
    assert missing.status_code == 404 and missing.is_json


def test_upload_then_publish(api):
    app, headers = api
    client = app.test_client()
    file_headers, rows = read_csv(POWERS)
    rows[0]["备注"] = "经 API 更新"
    response = post_file(client, headers, csv_bytes(file_headers, rows))
    assert response.status_code == 201
    body = response.get_json()
    assert body["ok"] is True and body["errors"] == []
    assert body["counts"] == {"added": 0, "changed": 1, "withdrawn": 0, "unchanged": 2}

    published = client.post(f"/api/v1/uploads/{body['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.get_json()["revision"] == 2
    record = client.get("/zh-hans/powers/99010001FG-XK-0001.json").get_json()["record"]
    assert record["remarks"] == "经 API 更新"
    again = client.post(f"/api/v1/uploads/{body['id']}/publish", headers=headers)
    assert again.status_code == 409 and again.is_json


def test_errors_name_row_and_column_and_store_nothing(api):
    app, headers = api
    client = app.test_client()
    file_headers, rows = read_csv(POWERS)
    rows[1]["权力类型"] = "行政审批"
    response = post_file(client, headers, csv_bytes(file_headers, rows))
    assert response.status_code == 422
    body = response.get_json()
    assert body["ok"] is False and body["id"] is None and body["status"] == "rejected"
    assert body["department"] == "99010001FG" and body["kind"] == "powers"  # what the file was meant for
    assert body["errors"][0]["row"] == 3 and body["errors"][0]["column"] == "权力类型"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0


def test_english_clients_get_english_messages(api):
    app, headers = api
    response = app.test_client().post("/api/v1/uploads", headers={**headers, "Accept-Language": "en"},
                                      data={"kind": "nope"})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Unknown")


def test_another_department_is_forbidden(api):
    app, headers = api
    response = post_file(app.test_client(), headers, POWERS.read_bytes(), department="99010002MZ")
    assert response.status_code == 403 and response.is_json


def test_bad_requests_answer_json(api):
    app, headers = api
    client = app.test_client()
    assert client.post("/api/v1/uploads", headers=headers, data={"kind": "powers"}).status_code == 400
    assert client.post("/api/v1/uploads/999/publish", headers=headers).status_code == 404
    app.config["MAX_CONTENT_LENGTH"] = 1000
    big = post_file(client, headers, b"x" * 5000)
    assert big.status_code == 413 and big.is_json


def test_revoked_tokens_stop_working(api):
    app, headers = api
    client = app.test_client()
    log_in(client, "fg", "a long enough password")
    page = client.get("/zh-hans/desk/tokens").get_data(as_text=True)
    token_id = re.search(r"/desk/tokens/(\d+)/revoke", page).group(1)
    response = client.post(f"/zh-hans/desk/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert client.post("/api/v1/uploads", headers=headers).status_code == 401
