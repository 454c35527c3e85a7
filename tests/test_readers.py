"""Reading uploads as text: CSV, JSON and YAML, and choosing the reader by extension.

Every bad input gets a ReadError with a Chinese message for the uploader (the
default locale), and nothing else: no partial sheet, no warning.
"""

from __future__ import annotations

import json

import pytest

from portal.ingest import limits
from portal.ingest.readers import ReadError, read
from portal.ingest.templates import example_record, xlsx_template
from portal.schemas import KINDS

POWERS, SERVICES, APPRAISALS = KINDS["powers"], KINDS["services"], KINDS["appraisals"]
DEPARTMENTS = {"99010000FG": "99010000FG"}


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


def powers_csv(*rows: list[str], encoding="utf-8") -> bytes:
    """A powers CSV: the declared headers, the example row, then `rows` (lines, joined by commas)."""
    example = example_record(POWERS)
    lines = [",".join(POWERS.headers), ",".join(_quote(example[h]) for h in POWERS.headers), *rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


# --- CSV ---------------------------------------------------------------------


def test_the_example_row_reads_and_validates():
    sheet = read("powers.csv", powers_csv(), POWERS)
    assert sheet.headers == POWERS.headers and sheet.sheet is None
    assert [number for number, _ in sheet.rows] == [2]
    assert POWERS.validate(sheet.rows, DEPARTMENTS).ok


@pytest.mark.parametrize("data", [b"", b"\n\r\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
def test_an_empty_csv_is_refused(data):
    assert str(refused("a.csv", data)) == "文件是空的"


def test_a_header_only_csv_is_refused():
    assert str(refused("a.csv", ",".join(POWERS.headers).encode() + b"\r\n\r\n")) == "文件只有表头，没有数据行"


def test_utf8_with_bom_leaves_no_bom_in_the_first_header_and_keeps_4_byte_characters():
    data = "\ufeff事项编码,事项名称\n99010000FG-XK-0001,𠮷祥事项\n".encode()
    sheet = read("a.csv", data, POWERS)
    assert sheet.headers == ["事项编码", "事项名称"]
    assert sheet.rows == [(2, {"事项编码": "99010000FG-XK-0001", "事项名称": "𠮷祥事项"})]


def test_gbk_and_gb18030_decode_right():
    gbk = "事项编码,事项名称\nA,行政许可事项\n".encode("gbk")
    assert read("a.csv", gbk, POWERS).rows[0][1]["事项名称"] == "行政许可事项"
    # 𠮷 is outside GBK: GB18030 writes it in four bytes, and it must come back whole.
    gb18030 = "事项编码,事项名称\nA,𠮷\n".encode("gb18030")
    assert read("a.csv", gb18030, POWERS).rows[0][1]["事项名称"] == "𠮷"


def test_a_short_gbk_file_is_not_mistaken_for_another_encoding():
    # Detectors read this as Korean (EUC-KR); explicit decoding never guesses.
    data = "编码,名称\n1,许可\n".encode("gbk")
    assert read("a.csv", data, POWERS).headers == ["编码", "名称"]


def test_undecodable_bytes_are_refused_naming_the_line():
    error = refused("a.csv", "事项编码\n".encode() + b"\x80\xff\xfe\n")
    assert str(error) == "无法识别文件编码（第 2 行有无法解码的字节），请另存为 UTF-8 或 GBK 编码"


def test_a_ragged_row_is_refused_naming_it():
    error = refused("a.csv", powers_csv("a,b"))
    assert str(error) == f"第 3 行有 2 列，表头有 {len(POWERS.headers)} 列"
    assert error.problem().row == 3


def test_an_unterminated_quote_is_refused_naming_the_row_it_opens_in():
    error = refused("a.csv", "事项编码,事项名称\na,b\nc,\"未结束\nd,e\n".encode())
    assert str(error) == "CSV 格式错误：第 3 行的引号没有闭合（从这里到文件末尾都在引号内）"


def test_a_stray_quote_is_refused():
    error = refused("a.csv", '事项编码,事项名称\na,"b"c\n'.encode())
    assert "CSV 格式错误：第 2 行的引号用法不对" in str(error)


def test_row_numbers_count_records_as_excel_does_not_lines():
    data = '事项编码,事项名称\na,"两行\n的名称"\n\nb,名称\n'.encode()
    assert [number for number, _ in read("a.csv", data, POWERS).rows] == [2, 4]


def test_nul_bytes_are_refused_naming_row_and_column():
    error = refused("a.csv", "事项编码,事项名称\na,b\x00c\n".encode())
    assert str(error) == "第 2 行“事项名称”含有空字符（NUL），文件可能已损坏"
    assert (error.row, error.column) == (2, "事项名称")


def test_duplicate_headers_are_refused():
    error = refused("a.csv", "事项编码,事项名称,事项名称\na,b,c\n".encode())
    assert str(error) == "列名“事项名称”重复出现（B 列和 C 列）"


def test_a_blank_header_over_content_is_refused_and_an_empty_unnamed_column_ignored():
    error = refused("a.csv", "事项编码,,事项名称\na,x,c\n".encode())
    assert str(error) == "表头 B 列没有列名，但第 2 行在该列有内容"
    sheet = read("a.csv", "事项编码, ,事项名称,\na,,c,\n".encode(), POWERS)
    assert sheet.headers == ["事项编码", "事项名称"]
    assert sheet.rows == [(2, {"事项编码": "a", "事项名称": "c"})]


def test_a_blank_first_row_is_refused():
    assert str(refused("a.csv", ",,\n事项编码,事项名称,\n".encode())) == "第 1 行应为表头（列名），但它是空的"


def test_codes_excel_saved_in_scientific_notation_are_refused():
    error = refused("a.csv", "事项编码,事项名称\n1.23457E+17,名称\n".encode())
    assert str(error) == (
        "第 2 行“事项编码”的“1.23457E+17”是 Excel 改写成科学计数法的长数字，末尾的数字已丢失："
        "请在 Excel 中把该列设置为“文本”格式，重新填写后再保存")
    assert read("a.csv", "事项编码,事项名称\nA,E+1 号窗口\n".encode(), POWERS).rows[0][0] == 2


def test_cells_stay_strings():
    data = "事项编码,事项名称\n010,3.0\n".encode()
    assert read("a.csv", data, POWERS).rows[0][1] == {"事项编码": "010", "事项名称": "3.0"}


def test_limits_on_rows_columns_and_cell_length(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    assert str(refused("a.csv", b"a\n1\n2\n3\n")) == "数据超过 2 行，请分成几个文件上传"
    wide = ",".join(f"列{i}" for i in range(limits.MAX_COLUMNS + 1)).encode() + b"\n"
    assert str(refused("a.csv", wide)) == f"表头超过 {limits.MAX_COLUMNS} 列"
    long = "事项编码\n".encode() + b"x" * (limits.MAX_CELL_CHARS + 1) + b"\n"
    assert str(refused("a.csv", long)) == f"第 2 行“事项编码”超过 {limits.MAX_CELL_CHARS} 个字符"


def test_a_table_cell_holds_a_json_array():
    sheet = read("services.csv", _services_csv(), SERVICES)
    materials = sheet.rows[0][1]["申请材料"]
    assert materials[0]["材料名称"] == "项目申请报告" and materials[0]["份数"] == "1"
    assert SERVICES.validate(sheet.rows, DEPARTMENTS).ok


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("营业执照", "第 2 行“申请材料”应为 JSON 数组，每项是一个以列名为键的对象"),
        ('[{"材料名称": "a", "材料名称": "b"}]', "第 2 行“申请材料”：JSON 中有重复的键“材料名称”"),
        ('[{"材料名称": "a"]', "第 2 行“申请材料”：JSON 格式错误"),
        ('["a"]', "第 2 行“申请材料”应为 JSON 数组"),
    ],
)
def test_a_bad_table_cell_is_refused_naming_row_and_column(cell, message):
    error = refused("services.csv", _services_csv(materials=cell), SERVICES)
    assert str(error).startswith(message)
    assert (error.row, error.column) == (2, "申请材料")


def _services_csv(materials: str | None = None) -> bytes:
    example = example_record(SERVICES)
    cells = [json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in example.values()]
    if materials is not None:
        cells[list(example).index("申请材料")] = materials
    return (",".join(example) + "\n" + ",".join(_quote(c) for c in cells) + "\n").encode()


# --- choosing the reader -------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("powers.txt", "不支持的文件类型：“.txt”，请上传 CSV、XLSX、JSON 或 YAML 文件"),
        ("powers", "不支持的文件类型：“.”，请上传 CSV、XLSX、JSON 或 YAML 文件"),
        ("powers.csv\u202etxt", "不支持的文件类型"),
        ("powers.xls", "这是旧版 Excel 文件（.xls），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传"),
        ("powers.xlsm", "不接受含宏的工作簿（.xlsm）"),
    ],
)
def test_the_extension_chooses_the_reader(filename, message):
    assert str(refused(filename, powers_csv())).startswith(message)


def test_the_file_name_is_never_a_path():
    # Path tricks and control or bidi characters in the name change nothing: only
    # the extension is looked at, and nothing is written anywhere.
    for name in ("../../etc/passwd.csv", "..\\..\\boot.ini.CSV", "a\x00b\u202e.csv", "/dev/zero.csv"):
        assert read(name, powers_csv(), POWERS).rows[0][0] == 2


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("a.csv", b"PK\x03\x04rest", "文件内容是Excel 工作簿或其他压缩包，与扩展名“.csv”不符"),
        ("a.json", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "文件内容是旧版 Office 文件，与扩展名“.json”不符"),
        ("a.yaml", b"%PDF-1.7", "文件内容是PDF 文档，与扩展名“.yaml”不符"),
        ("a.xlsx", "事项编码,事项名称\n".encode(), "文件内容不是 Excel 工作簿（.xlsx），与扩展名不符"),
    ],
)
def test_bytes_that_do_not_match_the_extension_are_refused(filename, data, message):
    assert str(refused(filename, data)) == message


# --- JSON ----------------------------------------------------------------------


def test_json_items_read_with_numbers_as_their_text():
    data = json.dumps([{"事项编码": "A", "份数": 3, "权重": 3.50, "是否收费": False, "备注": None}]).encode()
    sheet = read("a.json", data, POWERS)
    assert sheet.rows == [
        (1, {"事项编码": "A", "份数": "3", "权重": "3.5", "是否收费": "false", "备注": None})
    ]


def test_json_tables_are_nested_lists():
    example = example_record(APPRAISALS)
    sheet = read("a.json", json.dumps([example], ensure_ascii=False).encode(), APPRAISALS)
    assert sheet.rows[0][1]["考评指标"][1] == {"指标名称": "政务服务效能", "考评主体": "日常考核",
                                              "权重": "30", "得分": "28"}
    assert APPRAISALS.validate(sheet.rows, DEPARTMENTS).ok


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"事项编码": "a", "事项编码": "b"}]', "JSON 中有重复的键“事项编码”"),
        ('[{"份数": NaN}]', "JSON 中不允许使用 NaN，请填写具体数值或留空"),
        ('[{"份数": -Infinity}]', "JSON 中不允许使用 -Infinity，请填写具体数值或留空"),
        ("[" * 100_000 + "]" * 100_000, "JSON 嵌套超过 4 层"),
        ('[{"a": [{"b": [1]}]}]', "JSON 嵌套超过 4 层"),
        ('[{"份数": ' + "9" * 5000 + "}]", "JSON 中的数字“99999999999999999999…”超过 30 位"),
        ('[{"份数": 1.' + "5" * 40 + "}]", "JSON 中的数字“1.555555555555555555…”超过 30 位"),
        ('[{"份数": 1,}]', "JSON 格式错误（第 1 行第 11 个字符附近）"),
        ('{"事项编码": "a"}', "JSON 文件应为一个数组，每项是一个以中文列名为键的对象"),
        ("[]", "文件中没有任何数据"),
        ("  \n", "文件是空的"),
    ],
)
def test_bad_json_is_refused(text, message):
    assert str(refused("a.json", text.encode())) == message


def test_brackets_inside_json_strings_do_not_count_as_nesting():
    data = json.dumps([{"事项名称": "[[[[[[{{{{{{" + '\\"' + "]]"}]).encode()
    assert read("a.json", data, POWERS).rows[0][1]["事项名称"].startswith("[[[[[[")


# --- YAML ----------------------------------------------------------------------


def test_yaml_1_1_coercions_stay_strings():
    data = "- 事项编码: 010\n  a: no\n  b: 12:30\n  c: 1e3\n  d: ~\n  e: 2024-03-04\n  f: 0x1F\n  g: on\n"
    data = data.encode()
    assert read("a.yaml", data, POWERS).rows == [
        (1, {"事项编码": "010", "a": "no", "b": "12:30", "c": "1e3", "d": "~", "e": "2024-03-04",
             "f": "0x1F", "g": "on"})
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a: &x 综合考评\n  b: *x\n", "YAML 中不允许使用锚点和别名（第 1 行）"),
        ("- a: &x [1]\n", "YAML 中不允许使用锚点和别名（第 1 行）"),
        ("- a: !!python/object/apply:os.system ['true']\n",
         "YAML 中不允许使用标签“tag:yaml.org,2002:python/object/apply:os”（第 1 行）"),
        ("- a: !!int 3\n", "YAML 中不允许使用标签“tag:yaml.org,2002:int”（第 1 行）"),
        ("- !!map {a: 1}\n", "YAML 中不允许使用标签“tag:yaml.org,2002:map”（第 1 行）"),
        ("- a: [[[[1]]]]\n", "YAML 嵌套超过 4 层（第 1 行）"),
        ("- a: b\n c: d\n", "YAML 格式错误（第 2 行第 2 个字符附近）"),
        ("a: b\n", "YAML 文件应为事项列表，每项是一组“列名: 值”"),
        ("[]\n", "文件中没有任何数据"),
        ("# 只有注释\n", "文件是空的"),
    ],
)
def test_bad_yaml_is_refused(text, message):
    assert str(refused("a.yaml", text.encode())) == message


def test_a_billion_laughs_in_yaml_is_refused_before_expanding():
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(9):
        name, previous = chr(98 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [*{previous}, *{previous}, *{previous}]")
    assert "锚点和别名" in str(refused("a.yml", "\n".join(lines).encode()))


def test_reading_writes_nothing_anywhere(monkeypatch):
    """Good or bad, a file is read from memory only: no file or temporary file is written."""
    cases = [("a.csv", powers_csv()), ("a.csv", b"a,b\n1\n"), ("a.json", b"[{\"a\": NaN}]"),
             ("a.yaml", b"- a: *x\n"), ("a.xlsx", xlsx_template(POWERS)), ("a.xlsx", b"PK\x03\x04broken"),
             ("a.xls", b"")]
    real_open = open

    def read_only_open(file, mode="r", *args, **kwargs):
        assert not set(mode) & set("wax+"), f"reading wrote {file}"
        return real_open(file, mode, *args, **kwargs)
    monkeypatch.setattr("builtins.open", read_only_open)
    monkeypatch.setattr("tempfile.mkstemp", lambda *a, **k: pytest.fail("temporary file"))
    monkeypatch.setattr("tempfile.mkdtemp", lambda *a, **k: pytest.fail("temporary directory"))
    for name, data in cases:
        try:
            read(name, data, POWERS)
        except ReadError:
            pass
