"""Adversarial uploads every reader must answer in time linear in their size.

Each input is sized so that quadratic or backtracking code would take many
seconds (most would hang the suite), while a linear reader answers in
milliseconds; the tests assert the answer, never the time. scripts/bench_readers.py
times the same kinds of input at 1 MB.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from openpyxl import Workbook

from portal.ingest import limits
from portal.ingest.readers import ReadError, read
from portal.schemas import KINDS

POWERS, SERVICES = KINDS["powers"], KINDS["services"]
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TOO_LARGE = "工作簿解压后超过 128 MB 或压缩比异常，不予读取；请删除多余内容或分成几个文件上传"


@pytest.fixture(autouse=True)
def _context(city_app):
    """Messages are rendered in the app's default locale (Simplified Chinese)."""
    with city_app.app_context():
        yield


def refused(filename: str, data: bytes, kind=POWERS) -> str:
    """The message of the ReadError reading `data` raises (failing the test if it reads)."""
    with pytest.raises(ReadError) as caught:
        read(filename, data, kind)
    return str(caught.value)


# --- JSON, and JSON in a CSV cell ------------------------------------------------


def test_an_unterminated_string_of_escaped_quotes_is_refused_at_once():
    # The depth pre-check once retried its string pattern from every quote: 31 s for 90 KB.
    data = ('[{"事项名称": "' + '\\"' * 500_000).encode()
    assert refused("a.json", data) == "JSON 格式错误（第 1 行第 11 个字符附近）"


def test_an_unterminated_string_hides_no_brackets_from_the_depth_check():
    data = ('[{"a": "\\"' + "[" * 10_000 + '"}, ' + "[" * 10 + "]" * 10 + "]").encode()
    assert refused("a.json", data) == "JSON 嵌套超过 4 层"


def test_a_table_cell_of_escaped_quotes_is_refused_at_once():
    cell = '["' + '\\"' * 16_000
    row = '99010000FG-FW-0001,名称,"' + cell.replace('"', '""') + '"\n'
    data = ("事项编码,事项名称,申请材料\n" + row * 20).encode()
    assert refused("a.csv", data, SERVICES) == "第 2 行“申请材料”：JSON 格式错误（第 1 行第 2 个字符附近）"


def test_an_item_with_a_hundred_thousand_keys_is_refused():
    data = json.dumps([{f"列{i}": "" for i in range(100_000)}]).encode()
    assert refused("a.json", data) == f"表头超过 {limits.MAX_COLUMNS} 列"


def test_wide_shallow_json_is_refused_for_its_shape():
    data = ("[" + "[[]]," * 200_000 + "[]]").encode()
    assert refused("a.json", data) == "JSON 文件应为一个数组，每项是一个以中文列名为键的对象"


# --- YAML ----------------------------------------------------------------------


def test_a_yaml_item_with_a_hundred_thousand_keys_is_refused():
    data = "".join(f"{'- ' if i == 0 else '  '}列{i}: x\n" for i in range(100_000)).encode()
    assert refused("a.yaml", data) == f"表头超过 {limits.MAX_COLUMNS} 列"


def test_yaml_stops_reading_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    assert refused("a.yaml", b"- a: b\n" * 200_000) == "数据超过 10 行，请分成几个文件上传"


def test_a_repeated_yaml_key_is_refused_rather_than_the_last_silently_winning():
    data = "- 事项编码: A\n  事项名称: 一\n  事项名称: 二\n".encode()
    assert refused("a.yaml", data) == "YAML 中有重复的键“事项名称”（第 3 行）"


@pytest.mark.parametrize("text", ["- ? [a, b]\n  : c\n", "--- [a]\n--- [b]\n"])
def test_yaml_that_is_not_one_list_of_text_keyed_items_is_refused(text):
    assert refused("a.yaml", text.encode()).startswith("YAML 格式错误（第")


# --- XLSX ----------------------------------------------------------------------


def _xlsx(sheet_xml: bytes, add: dict[str, bytes] | None = None) -> bytes:
    """A one-sheet workbook (权责清单) whose sheet part is `sheet_xml`."""
    workbook = Workbook()
    workbook.active.title = POWERS.label
    buffer = io.BytesIO()
    workbook.save(buffer)
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def _sheet(rows: bytes, before: bytes = b"", prefix: str = "") -> bytes:
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{MAIN_NS}"'
    p = f"{prefix}:" if prefix else ""
    return (f'<{p}worksheet {xmlns}>'.encode() + before + f"<{p}sheetData>".encode() + rows
            + f"</{p}sheetData></{p}worksheet>".encode())


def _inline(ref: str, text: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>'.encode()


HEADER = b'<row r="1">' + _inline("A1", "事项编码") + _inline("B1", "事项名称") + b"</row>"


def _diluted(unit: bytes, count: int, every: int) -> bytes:
    """`count` units, with a random comment after each `every`, so that they do not deflate 1000-fold."""
    return b"".join(unit * every + b"<!--" + os.urandom(8).hex().encode() + b"-->" for _ in range(count // every))


def test_a_flood_of_empty_cells_is_refused_before_parsing():
    # 400,000 empty cells deflate about 40-fold (under the ratio limit), but carry
    # far more elements per uploaded byte than any sheet: openpyxl took seconds.
    rows = HEADER + _diluted(b'<row><c/><c/><c/><c/><c/><c/><c/><c/><c/><c/></row>', 40_000, 20)
    data = _xlsx(_sheet(rows))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size < limits.ZIP_MAX_RATIO * info.compress_size  # not a plain zip bomb
    assert refused("a.xlsx", data) == TOO_LARGE


def test_a_row_wider_than_excel_allows_is_refused():
    data = _xlsx(_sheet(HEADER + b'<row r="2">' + _diluted(b"<c/>", 20_000, 50) + b"</row>"))
    assert refused("a.xlsx", data) == TOO_LARGE


def test_more_cell_styles_than_excel_keeps_are_refused():
    styles = (f'<styleSheet xmlns="{MAIN_NS}"><cellXfs>'.encode()
              + _diluted(b'<xf numFmtId="14"/>', 70_000, 20) + b"</cellXfs></styleSheet>")
    data = _xlsx(_sheet(HEADER + b'<row r="2">' + _inline("A2", "A") + b"</row>"))
    data = _replace(data, "xl/styles.xml", styles)
    assert refused("a.xlsx", data) == TOO_LARGE


def _replace(data: bytes, name: str, body: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, body if info.filename == name else source.read(info))
    return out.getvalue()


def test_an_overlong_cell_stops_the_reading_and_is_named_by_its_header():
    text = os.urandom(500_000).hex().encode()  # a megabyte that does not deflate like a bomb
    long = b'<row r="2"><c r="B2" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    data = _xlsx(_sheet(HEADER + long))
    assert refused("a.xlsx", data) == f"第 2 行“事项名称”超过 {limits.MAX_CELL_CHARS} 个字符"


def test_a_dtd_far_into_a_part_is_refused_before_parsing():
    padding = b"<!--" + os.urandom(600_000).hex().encode() + b"-->"
    data = _xlsx(b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE x [<!ENTITY a "b">]>' + _sheet(HEADER))
    assert refused("a.xlsx", data) == "工作簿中含有不允许的 XML 声明（DTD 或实体），不予读取"


def test_cells_without_references_take_their_place_after_empty_ones():
    rows = HEADER + b'<row r="2"><c r="A2" t="inlineStr"><is><t>A-1</t></is></c><c/></row>' \
        + b'<row><c r="B3"/><c t="inlineStr"><is><t>C</t></is></c></row>'
    data = _xlsx(_sheet(HEADER.replace(b"</row>", _inline("C1", "子项名称") + b"</row>") + rows[len(HEADER):]))
    sheet = read("a.xlsx", data, POWERS)
    assert sheet.rows == [(2, {"事项编码": "A-1", "事项名称": "", "子项名称": ""}),
                          (3, {"事项编码": "", "事项名称": "", "子项名称": "C"})]


def test_a_prefixed_main_namespace_reads_like_the_default_one():
    rows = (b'<x:row r="1">' + _inline("A1", "事项编码", "x") + b"</x:row>"
            + b'<x:row r="2">' + _inline("A2", "A-1", "x") + b"</x:row>")
    assert read("a.xlsx", _xlsx(_sheet(rows, prefix="x")), POWERS).rows == [(2, {"事项编码": "A-1"})]


def test_rich_text_runs_are_joined_and_phonetic_guides_left_out():
    strings = (f'<sst xmlns="{MAIN_NS}"><si><t>事项编码</t></si>'
               "<si><r><t>行政</t></r><r><rPr><b/></rPr><t>许可</t></r><rPh><t>xingzheng</t></rPh></si></sst>")
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    data = _xlsx(_sheet(rows), add={"xl/sharedStrings.xml": strings.encode()})
    data = _replace(data, "[Content_Types].xml", zipfile.ZipFile(io.BytesIO(data)).read(
        "[Content_Types].xml").replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                       b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                       b'sharedStrings+xml"/></Types>'))
    assert read("a.xlsx", data, POWERS).rows == [(2, {"事项编码": "行政许可"})]


def test_a_cell_outside_any_row_is_ignored_as_openpyxl_ignores_it():
    rows = HEADER + b'<row r="2">' + _inline("A2", "A-1") + b"</row>" + _inline("B2", "混进来的")
    assert read("a.xlsx", _xlsx(_sheet(rows)), POWERS).rows == [(2, {"事项编码": "A-1", "事项名称": ""})]
