"""Reading .xlsx uploads with the real openpyxl: workbooks built with it, hand-made zips for the rest."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest
from openpyxl import Workbook

from portal.ingest import limits, xlsx
from portal.ingest.readers import ReadError, read
from portal.ingest.templates import example_record
from portal.ingest.tables import table_fields
from portal.schemas import KINDS

POWERS, SERVICES, APPRAISALS = KINDS["powers"], KINDS["services"], KINDS["appraisals"]
DEPARTMENTS = {"99010000FG": "99010000FG"}
EXAMPLE = example_record(POWERS)
ROW = [EXAMPLE[h] for h in POWERS.headers]
DAMAGED = "工作簿文件不完整或已损坏（可能上传中断），请重新保存后再上传"
ENTITIES = "工作簿中含有不允许的 XML 声明（DTD 或实体），不予读取"
TOO_LARGE = "工作簿解压后超过 128 MB 或压缩比异常，不予读取；请删除多余内容或分成几个文件上传"


@pytest.fixture(autouse=True)
def _context(city_app):
    """Messages are rendered in the app's default locale (Simplified Chinese)."""
    with city_app.app_context():
        yield


def book(rows=(POWERS.headers, ROW), title="权责清单", edit=None) -> bytes:
    """A workbook whose first sheet holds `rows`; `edit(workbook, sheet)` adds the flaw under test."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    if edit:
        edit(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(data: bytes, kind=POWERS, filename="upload.xlsx") -> ReadError:
    """The ReadError reading `data` raises (failing the test if it reads)."""
    with pytest.raises(ReadError) as caught:
        read(filename, data, kind)
    return caught.value


def rezip(data: bytes, replace=None, add=None, drop=()) -> bytes:
    """Rebuild a zip with some parts replaced (bytes, or a function of the old bytes), added or dropped."""
    replace, add = replace or {}, add or {}
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            body = source.read(info)
            change = replace.get(info.filename)
            target.writestr(info.filename, change(body) if callable(change) else change or body)
        for name, body in add.items():
            target.writestr(name, body)
    return buffer.getvalue()


def patch_directory(data: bytes, name: str, offset: int, value: int, size="<I") -> bytes:
    """Overwrite one field of `name`'s central-directory record (flags at 8, sizes at 20/24)."""
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46: position + 46 + length] == name.encode():
            start, end = position + offset, position + offset + struct.calcsize(size)
            return data[:start] + struct.pack(size, value) + data[end:]
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError(name)


# --- what reads ----------------------------------------------------------------


def test_the_example_row_reads_with_excel_row_numbers_and_validates():
    sheet = read("powers.xlsx", book(), POWERS)
    assert (sheet.sheet, sheet.headers, [n for n, _ in sheet.rows]) == ("权责清单", POWERS.headers, [2])
    assert POWERS.validate(sheet.rows, DEPARTMENTS).ok


def test_cells_read_as_the_text_a_user_sees():
    row = ["A", dt.datetime(2024, 3, 4), 3.0, 91.5, 0.1 + 0.2, True, dt.time(12, 30), 12345678901234, "  "]
    sheet = read("a.xlsx", book([[f"列{i}" for i in range(len(row))], row]), POWERS)
    assert list(sheet.rows[0][1].values()) == ["A", "2024-03-04", "3", "91.5", "0.3",
                                               "TRUE", "12:30", "12345678901234", ""]


def test_blank_rows_are_skipped_and_numbers_stay_excels():
    sheet = read("a.xlsx", book([POWERS.headers, ROW, [], [None, None], ROW]), POWERS)
    assert [n for n, _ in sheet.rows] == [2, 5]


def test_the_sheet_named_after_the_kind_is_the_main_sheet():
    def guide_first(workbook, sheet):
        workbook.create_sheet("填写说明", 0).append(["说明"])
    assert read("a.xlsx", book(edit=guide_first), POWERS).sheet == "权责清单"
    assert read("a.xlsx", book(title="Sheet1"), POWERS).sheet == "Sheet1"


# --- what is refused ------------------------------------------------------------


def test_an_empty_or_header_only_workbook_is_refused():
    assert str(refused(book(rows=()))) == "文件是空的"
    assert str(refused(book(rows=[POWERS.headers]))) == "文件只有表头，没有数据行"


def test_formula_cells_are_refused_naming_the_cell():
    error = refused(book(edit=lambda wb, ws: ws.cell(row=2, column=2, value="=A2&\"核准\"")))
    assert str(error) == "工作表“权责清单”单元格 B2 含有公式：请复制后“选择性粘贴 → 数值”再上传"
    assert error.problem().as_dict() == {
        "sheet": "权责清单", "row": 2, "column": "事项名称", "message": str(error)}


def test_error_values_are_refused():
    error = refused(book(edit=lambda wb, ws: ws.cell(row=2, column=3, value="#N/A")))
    assert str(error) == "工作表“权责清单”单元格 C2 是错误值 #N/A"


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheets_are_refused(state):
    def hide(workbook, sheet):
        workbook.create_sheet("备用").sheet_state = state
    error = refused(book(edit=hide))
    assert str(error) == "工作表“备用”被隐藏：上传的内容必须都能看到，请取消隐藏并核对，或删除该工作表"


def test_hidden_rows_with_data_are_refused():
    def hide(workbook, sheet):
        sheet.row_dimensions[3].hidden = True
    error = refused(book([POWERS.headers, ROW, ROW], edit=hide))
    assert str(error) == "工作表“权责清单”第 3 行被隐藏：请取消隐藏（或清除筛选）并核对后再上传"
    # An empty hidden row hides nothing.
    assert read("a.xlsx", book(edit=lambda wb, ws: setattr(ws.row_dimensions[7], "hidden", True)), POWERS)


def test_hidden_columns_are_refused():
    def hide(workbook, sheet):
        sheet.column_dimensions["C"].hidden = True
    error = refused(book(edit=hide))
    assert str(error) == "工作表“权责清单”的 C 列（“子项名称”）被隐藏，请取消隐藏并核对后再上传"
    # Columns hidden to the right of the data hide nothing.
    assert read("a.xlsx", book(edit=lambda wb, ws: setattr(ws.column_dimensions["Z"], "hidden", True)),
                POWERS)


def test_merged_cells_in_the_data_area_are_refused():
    error = refused(book([POWERS.headers, ROW, ROW], edit=lambda wb, ws: ws.merge_cells("H2:H3")))
    assert str(error) == "工作表“权责清单”的 H2:H3 是合并单元格：请取消合并，在每个单元格中填写"


@pytest.mark.parametrize("value", [123456789012345678, 1.23456789012345678e17, 1e15])
def test_numbers_excel_has_rounded_are_refused(value):
    error = refused(book(edit=lambda wb, ws: ws.cell(row=2, column=1, value=value)))
    shown = f"{value:.6G}"
    assert str(error) == (f"工作表“权责清单”单元格 A2 的数字 {shown} 超过 15 位，Excel 已丢失末尾的数字："
                          "请把该列设置为“文本”格式后重新填写")
    assert error.column == "事项编码"


def test_content_under_no_header_is_refused():
    error = refused(book(edit=lambda wb, ws: ws.cell(row=2, column=30, value="多余")))
    assert str(error) == "表头 AD 列没有列名，但第 2 行在该列有内容"


def test_the_header_must_be_row_one():
    assert str(refused(book([[], POWERS.headers, ROW]))) == "第 1 行应为表头（列名），但它是空的"


def test_row_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    assert str(refused(book([POWERS.headers, ROW, ROW, ROW]))) == "数据超过 2 行，请分成几个文件上传"


# --- table fields from their own sheets -----------------------------------------


def services_book(edit=None) -> bytes:
    """A services workbook laid out like the template: the main sheet and one sheet per table."""
    example = example_record(SERVICES)
    labels = [t.label for t in table_fields(SERVICES)]
    flat = [f.label for f in SERVICES.fields if f.label not in labels]

    def tables(workbook, sheet):
        for label in labels:
            rows = example[label]
            table = workbook.create_sheet(label)
            table.append(["事项编码", *rows[0].keys()])
            for row in rows:
                table.append([example["事项编码"], *row.values()])
        if edit:
            edit(workbook, sheet)
    return book([flat, [example[label] for label in flat]], title="办事指南", edit=tables)


def test_table_rows_attach_to_their_parent_by_key():
    sheet = read("a.xlsx", services_book(), SERVICES)
    assert sheet.headers[-4:] == ["申请材料", "办理流程", "收费项目", "常见问题"]
    assert [step["环节编号"] for step in sheet.rows[0][1]["办理流程"]] == ["S1", "S2", "S3", "E1", "E2"]
    assert sheet.table_rows[(2, "办理流程")] == [2, 3, 4, 5, 6]
    assert SERVICES.validate(sheet.rows, DEPARTMENTS).ok


def test_a_table_row_naming_no_parent_is_refused_naming_sheet_and_row():
    stray = ["99010000FG-FW-0099", "营业执照"]
    error = refused(services_book(edit=lambda wb, ws: wb["申请材料"].append(stray)), SERVICES)
    assert str(error) == "工作表“申请材料”第 3 行的“99010000FG-FW-0099”在工作表“办事指南”中找不到对应的行"
    assert (error.sheet, error.row) == ("申请材料", 3)


def test_a_table_row_without_its_key_is_refused():
    error = refused(services_book(edit=lambda wb, ws: wb["申请材料"].append([None, "营业执照"])), SERVICES)
    assert str(error) == "工作表“申请材料”第 3 行没有填写“事项编码”"


def test_a_table_sheet_without_the_key_column_is_refused():
    error = refused(services_book(edit=lambda wb, ws: wb["申请材料"].delete_cols(1)), SERVICES)
    assert str(error) == "工作表“申请材料”缺少列“事项编码”：工作表“申请材料”的每一行用它对应到主表中的行"


def test_a_missing_table_sheet_is_named():
    error = refused(services_book(edit=lambda wb, ws: wb.remove(wb["办理流程"])), SERVICES)
    assert str(error) == "缺少“办理流程”：请在工作表“办理流程”中逐行填写（见模板）"


def test_a_blank_table_sheet_counts_as_absent():
    error = refused(services_book(edit=lambda wb, ws: wb["办理流程"].delete_rows(1, 10)), SERVICES)
    assert str(error) == "缺少“办理流程”：请在工作表“办理流程”中逐行填写（见模板）"


def test_a_flat_workbook_may_carry_tables_as_json_cells():
    example = example_record(SERVICES)
    cells = [json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in example.values()]
    sheet = read("a.xlsx", book([list(example), cells], title="办事指南"), SERVICES)
    assert SERVICES.validate(sheet.rows, DEPARTMENTS).ok and sheet.table_rows == {}


def test_a_table_in_both_its_cell_and_its_sheet_is_refused():
    def fill_cell(workbook, sheet):
        sheet.cell(row=1, column=sheet.max_column + 1, value="申请材料")
        sheet.cell(row=2, column=sheet.max_column, value='[{"材料名称": "营业执照"}]')
    error = refused(services_book(edit=fill_cell), SERVICES)
    assert str(error) == "第 2 行的“申请材料”既在本列填写，又在工作表“申请材料”中填写，只能选一处"


def test_appraisal_tables_are_keyed_by_year_and_department():
    example = example_record(APPRAISALS)
    flat = [f.label for f in APPRAISALS.fields if f.label != "考评指标"]

    def indicators(workbook, sheet):
        table = workbook.create_sheet("考评指标")
        table.append(["考评年度", "被考评单位", *example["考评指标"][0].keys()])
        for row in example["考评指标"]:
            table.append([2024, "99010000FG", *row.values()])
    data = book([flat, [int(example[label]) if label == "考评年度" else example[label] for label in flat]],
                title="绩效考评结果", edit=indicators)
    sheet = read("a.xlsx", data, APPRAISALS)
    assert len(sheet.rows[0][1]["考评指标"]) == 3
    assert APPRAISALS.validate(sheet.rows, DEPARTMENTS).ok


# --- the container ----------------------------------------------------------------


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def test_legacy_xls_is_refused():
    assert str(refused(OLE + "Workbook".encode("utf-16-le"))) == \
        "这是旧版 Excel 文件（.xls），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传"


def test_encrypted_workbooks_are_refused():
    message = "工作簿设置了密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx 再上传"
    assert str(refused(OLE + "EncryptionInfo EncryptedPackage".encode("utf-16-le"))) == message
    zip_encrypted = patch_directory(book(), "xl/workbook.xml", 8, 0x1, "<H")
    assert str(refused(zip_encrypted)) == message


def test_macro_enabled_workbooks_are_refused():
    message = "不接受含宏的工作簿（.xlsm），请“另存为”不含宏的 Excel 工作簿（.xlsx）后再上传"
    assert str(refused(rezip(book(), add={"xl/vbaProject.bin": b"\x00" * 64}))) == message
    macro_type = rezip(book(), replace={"[Content_Types].xml": lambda body: body.replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")})
    assert str(refused(macro_type)) == message
    assert str(refused(book(), filename="a.xlsm")) == message


def test_other_zips_are_not_workbooks():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><Override ContentType=\"wordprocessingml\"/></Types>")
    assert str(refused(buffer.getvalue())) == "文件内容不是 Excel 工作簿（.xlsx），与扩展名不符"


@pytest.mark.parametrize("cut", [30, 0.5, -30, -1])
def test_truncated_zips_are_refused(cut):
    data = book()
    end = int(len(data) * cut) if isinstance(cut, float) else cut
    assert str(refused(data[:end])) == DAMAGED


def test_a_corrupt_part_is_refused():
    data = book()
    sheet = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + 10
    corrupt = data[:start] + bytes(b ^ 0xFF for b in data[start:start + 40]) + data[start + 40:]
    assert str(refused(corrupt)) == DAMAGED


BOMBS = {
    # 20 MB of blanks deflate a thousandfold: the ratio gives it away.
    "deflate": lambda: rezip(book(), replace={"xl/worksheets/sheet1.xml": b" " * (20 * 1024 * 1024)}),
    # A directory that promises 4 GB once inflated: refused on its word.
    "declared": lambda: patch_directory(book(), "xl/worksheets/sheet1.xml", 24, 0xFFFF_FFF0),
    "entries": lambda: rezip(book(), add={f"xl/media/{i}.xml": b"" for i in range(limits.ZIP_MAX_ENTRIES)}),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_zip_bomb_is_refused_from_its_directory_before_parsing(monkeypatch, name):
    data = BOMBS[name]()

    def never(*args, **kwargs):
        raise AssertionError("the workbook must not be parsed")
    monkeypatch.setattr(xlsx, "ExcelReader", never)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = refused(data)
        elapsed, (_, peak) = time.perf_counter() - started, tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error) == TOO_LARGE
    assert elapsed < 0.5 and peak < 2 * 1024 * 1024, (elapsed, peak)


# --- XML tricks -------------------------------------------------------------------

LAUGHS = ('<!DOCTYPE x [<!ENTITY a "lollollollollollollollollollol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
          + "]>")
EXTERNAL = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
SHEET_XML = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
             "</sheetData></worksheet>")
STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')


def shared_strings_book(strings=("事项编码", "事项名称", "A-1", "名称"), prolog="", sheet_prolog="") -> bytes:
    """A workbook whose cells are shared strings, as Excel writes them, with optional DTDs."""
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    sst = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main" count="4" uniqueCount="4">{items}</sst>')
    sheet = f'<?xml version="1.0" encoding="UTF-8"?>{sheet_prolog}{SHEET_XML}'
    return rezip(book(), replace={
        "xl/worksheets/sheet1.xml": sheet.encode(),
        "[Content_Types].xml": lambda body: body.replace(b"</Types>", STRINGS_TYPE.encode()),
    }, add={"xl/sharedStrings.xml": sst.encode()})


def test_shared_strings_read():
    sheet = read("a.xlsx", shared_strings_book(), POWERS)
    assert sheet.rows == [(2, {"事项编码": "A-1", "事项名称": "名称"})]


# Office never writes a DTD before the root; one further in (after padding) meets defusedxml.
PADDING = "<!--" + " " * 2048 + "-->"


@pytest.mark.parametrize("pad", ["", PADDING])
@pytest.mark.parametrize("dtd", [LAUGHS, EXTERNAL])
def test_entities_in_shared_strings_or_a_sheet_are_refused(pad, dtd):
    reference = "&h;" if dtd is LAUGHS else "&e;"
    strings = ("事项编码", "事项名称", reference, "名称")
    started = time.perf_counter()
    assert str(refused(shared_strings_book(strings, prolog=pad + dtd))) == ENTITIES
    sheet = shared_strings_book(sheet_prolog=pad + dtd)
    assert str(refused(rezip(sheet, replace={"xl/worksheets/sheet1.xml": lambda body: body.replace(
        b'<v>2</v></c><c r="B2" t="s">', b'<v>2</v></c><c r="C2" t="inlineStr"><is><t>'
        + reference.encode() + b"</t></is></c><c r=\"B2\" t=\"s\">")}))) == ENTITIES
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("part", ["xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml",
                                  "xl/_rels/workbook.xml.rels", "docProps/core.xml"])
@pytest.mark.parametrize("pad", ["", PADDING])
def test_entities_anywhere_else_are_refused_or_inert(part, pad):
    def declare(body):
        body = body[body.index(b"?>") + 2:] if body.startswith(b"<?xml") else body
        return ('<?xml version="1.0" encoding="UTF-8"?>' + pad + LAUGHS).encode() + body.replace(
            'name="权责清单"'.encode(), b'name="&h;"')
    data = rezip(book(), replace={part: declare})
    started = time.perf_counter()
    try:
        sheet = read("a.xlsx", data, POWERS)
    except ReadError as error:
        assert str(error) in (ENTITIES, DAMAGED)
    else:
        assert "lol" not in repr(sheet)  # read, but nothing was expanded
    assert time.perf_counter() - started < 1


def test_defusedxml_is_installed_and_asserted():
    assert openpyxl.xml.DEFUSEDXML is True
    # Switched off, the reader refuses to load at all rather than read unguarded XML.
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    result = subprocess.run([sys.executable, "-c", "import portal.ingest.xlsx"], env=env,
                            cwd=Path(__file__).parent.parent, capture_output=True, text=True)
    assert result.returncode != 0 and "openpyxl is not using defusedxml" in result.stderr
