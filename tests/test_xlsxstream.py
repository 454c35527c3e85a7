"""The downloads' workbooks: every value comes back as the same text, in a spreadsheet library
and in the portal's own upload reader, and the same rows give the same bytes."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from portal.downloads import xlsxstream
from portal.ingest.xlsx import read_xlsx
from portal.schemas import KINDS

HOSTILE = ["=1+1", "<r><t>注入</t></r>", "</t></is></c><c><f>1+1</f></c>", "a & b > c", "007",
           "12345678901234567890", "  两端有空格 ", "行一\n行二", "制表\t符", "𠮷", "\"引号\""]
# Not XML characters, and Excel's escape for them: written as Excel writes them.
ESCAPED = {"控制\x01字符": "控制_x0001_字符", "_x0041_": "_x005F_x0041_"}


def _write(path, rows) -> bytes:
    workbook = xlsxstream.Workbook(path, ["权责清单", "子表"], author="明镜", created="2000-01-01T00:00:00Z")
    workbook.row(0, ["事项编码", "事项名称"])
    for row in rows:
        workbook.row(0, row)
    workbook.row(1, ["a"])
    workbook.close()
    return path.read_bytes()


def test_every_value_reads_back_as_text(tmp_path):
    rows = [["99010000FG-XK-0001", value] for value in HOSTILE] + [["99010000FG-XK-0002", ""]]
    data = _write(tmp_path / "a.xlsx", rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["权责清单"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells[:-1]] == HOSTILE and all(c.data_type == "s" for c in cells[:-1])
    assert cells[-1].value is None
    assert not list(tmp_path.glob("*.sheet*"))


def test_control_characters_are_escaped_as_excel_escapes_them(tmp_path):
    data = _write(tmp_path / "a.xlsx", [["99010000FG-XK-0001", value] for value in ESCAPED])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert all(f"<t>{escaped}</t>" in sheet for escaped in ESCAPED.values()) and "\x01" not in sheet


def test_the_upload_reader_reads_what_was_written(tmp_path, city_app):
    readable = [v for v in HOSTILE if not v.startswith("=")]  # the reader refuses formulas on upload
    data = _write(tmp_path / "a.xlsx", [["99010000FG-XK-0001", value] for value in readable])
    with city_app.app_context():
        sheet = read_xlsx(data, KINDS["powers"])
    assert [row["事项名称"] for _, row in sheet.rows] == readable


def test_the_same_rows_give_the_same_bytes(tmp_path):
    rows = [["99010000FG-XK-0001", value] for value in HOSTILE]
    assert _write(tmp_path / "a.xlsx", rows) == _write(tmp_path / "b.xlsx", rows)


@pytest.mark.parametrize("title", ["a" * 40, "名称<&>\"'"])
def test_sheet_titles_are_cut_to_excels_limit_and_escaped(tmp_path, title):
    workbook = xlsxstream.Workbook(tmp_path / "a.xlsx", [title], author="x", created="2000-01-01T00:00:00Z")
    workbook.row(0, ["x"])
    workbook.close()
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames == [title[:31]]
