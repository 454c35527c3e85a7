"""An upload's personal-data findings name the row of the file they are in (the row validation
errors name), on the desk's preview and in the API, for CSV and XLSX; an upload staged before
rows were kept still shows its findings, without a row."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import Upload
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import api_token, csv_bytes, log_in, read_csv, upload
from tests.helpers import visible_text
from tests.test_loader import COMPLAINTS
from tests.test_privacy_upload import DEPARTMENT, desk  # noqa: F401 (a fixture)

PHONE = "13812345678"


def _rows():
    """The fixture city's complaints with a phone number in the second case's summary (file row 3)."""
    headers, rows = read_csv(FIXTURE_CITY / COMPLAINTS)
    rows[1]["投诉摘要"] += f"其手机 {PHONE} 一直无人回访。"
    return headers, rows


def complaints_csv() -> bytes:
    return csv_bytes(*_rows())


def complaints_xlsx() -> bytes:
    headers, rows = _rows()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "效能投诉办结案件"
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h] for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILES = {"csv": complaints_csv, "xlsx": complaints_xlsx}


def finding_rows(html: str) -> list[list[str]]:
    """The cells of each row of the preview's findings table, as the clerk reads them."""
    table = re.search(r'<table class="list pii-findings">(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>", 1)[1]
    return [[visible_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.mark.parametrize("fmt", FILES)
def test_the_preview_names_the_findings_row_in_the_file(desk, fmt):
    client = desk.test_client()
    log_in(client, "mzclerk")
    response = upload(client, FILES[fmt](), f"complaints.{fmt}", "complaints", DEPARTMENT)
    assert response.status_code == 302
    (cells,) = finding_rows(client.get(response.headers["Location"]).get_data(as_text=True))
    assert cells[:3] == ["2024-XN-0002", "3", "投诉摘要"]


@pytest.mark.parametrize("fmt", FILES)
def test_the_api_names_the_findings_row_when_staged_and_when_publishing_is_held(desk, fmt):
    client = desk.test_client()
    auth = api_token(desk, "mzclerk")
    created = client.post("/api/v1/uploads", headers=auth, data={
        "kind": "complaints", "file": (io.BytesIO(FILES[fmt]()), f"complaints.{fmt}")})
    assert created.status_code == 201
    body = created.get_json()
    (finding,) = body["privacy"]
    assert (finding["code"], finding["row"], finding["column"]) == ("2024-XN-0002", 3, "投诉摘要")
    shown = client.get(f"/api/v1/uploads/{body['id']}", headers=auth).get_json()
    assert shown["privacy"][0]["row"] == 3
    held = client.post(f"/api/v1/uploads/{body['id']}/publish", headers=auth)
    assert held.status_code == 409 and held.get_json()["privacy"][0]["row"] == 3


def test_an_upload_staged_before_rows_were_kept_shows_its_findings_without_a_row(desk):
    client = desk.test_client()
    log_in(client, "mzclerk")
    response = upload(client, complaints_csv(), "complaints.csv", "complaints", DEPARTMENT)
    url = response.headers["Location"]
    with desk.app_context():
        staged = db.session.scalars(select(Upload)).one()
        staged.rows = None  # as migration 0012 leaves an upload staged before it
        db.session.commit()
    page = client.get(url)
    assert page.status_code == 200
    (cells,) = finding_rows(page.get_data(as_text=True))
    assert cells[:3] == ["2024-XN-0002", "—", "投诉摘要"]
