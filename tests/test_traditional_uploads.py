"""A file whose headers and vocabulary values are spelled in Traditional (as the zh-hant desk and
data dictionary show them: 權力類型, 行政許可) uploads as its Simplified twin does, in CSV, XLSX,
JSON and YAML, and stores the Simplified words; free text stays as typed."""

from __future__ import annotations

import csv
import io
import json
import re

import opencc
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from portal.extensions import db
from portal.ingest import headers
from portal.ingest.readers import read
from portal.models import PowerItem
from portal.publish.content import load_directory
from portal.publish.plan import validate_sheet
from portal.schemas import KINDS
from portal.schemas.field_scalars import Choice
from portal.schemas.fields import Table
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csrf_token, log_in, make_user, read_csv, upload
from tests.helpers import visible_text

CONVERTERS = {name: opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk", "s2twp")}
TW = CONVERTERS["s2tw"]  # what the zh-hant pages show (portal.i18n.display)
DEPARTMENTS = {"99010001FG": "99010001FG", "99010002MZ": "99010002MZ", "99010101SL": "99010101SL",
               "测试市发展和改革委员会": "99010001FG", "测试市民政局": "99010002MZ", "松林街道办事处": "99010101SL"}
FILES = {"powers": "99010001FG/powers.csv", "services": "99010001FG/services.yaml",
         "commitments": "99010001FG/commitments.csv", "appraisals": "99010001FG/appraisals.yaml",
         "complaints": "99010002MZ/complaints.csv"}
FORMATS = ("csv", "xlsx", "json", "yaml")


def simplified_rows(kind_name: str) -> list[dict]:
    """The fixture city's rows of a kind, as read (tables as lists of rows)."""
    path = FIXTURE_CITY / "disclosures" / FILES[kind_name]
    return [raw for _number, raw in read(path.name, path.read_bytes(), KINDS[kind_name]).rows]


def _choices(fields) -> dict[str, Choice]:
    return {f.label: f for f in fields if isinstance(f, Choice)}


def spelled(kind_name: str, rows: list[dict], convert) -> list[dict]:
    """The rows with every header, table column and vocabulary value put through `convert(text)`."""
    kind = KINDS[kind_name]
    top = _choices(kind.fields)
    tables = {f.label: f for f in kind.fields if isinstance(f, Table)}
    out = []
    for raw in rows:
        row = {}
        for label, cell in raw.items():
            if label in tables and isinstance(cell, list):
                columns = _choices(tables[label].columns)
                cell = [{convert(c): convert(v) if c in columns and isinstance(v, str) else v for c, v in r.items()}
                        for r in cell]
            elif label in top and isinstance(cell, str):
                cell = convert(cell)
            row[convert(label)] = cell
        out.append(row)
    return out


def as_file(fmt: str, kind_name: str, rows: list[dict], convert) -> bytes:
    """The rows written as a file of `fmt`; a workbook puts each table on a sheet of its own."""
    kind = KINDS[kind_name]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False).encode()
    if fmt == "yaml":
        return yaml.safe_dump(rows, allow_unicode=True).encode()
    header = list(dict.fromkeys(h for r in rows for h in r))
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for r in rows:
            writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v or "" for v in
                             (r.get(h, "") for h in header)])
        return out.getvalue().encode()
    workbook = Workbook()
    main = workbook.active
    main.title = convert(kind.label)
    tables = {convert(f.label) for f in kind.fields if isinstance(f, Table)}
    keys = [convert(kind.field(name).label) for name in kind.key_fields]
    main.append([h for h in header if h not in tables])
    for r in rows:
        main.append([r.get(h) or None for h in header if h not in tables])
    for table in sorted(tables):
        lines = [(r, t) for r in rows for t in r.get(table) or []]
        columns = list(dict.fromkeys(c for _r, t in lines for c in t))
        sheet = workbook.create_sheet(table)
        sheet.append(keys + columns)
        for r, t in lines:
            sheet.append([r[k] for k in keys] + [t.get(c) or None for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def validated(kind_name: str, fmt: str, data: bytes) -> list[dict]:
    kind = KINDS[kind_name]
    problems, numbered = validate_sheet(kind, read(f"upload.{fmt}", data, kind), DEPARTMENTS)
    assert problems == []
    return [record for _number, record in numbered]


@pytest.fixture(autouse=True)
def _context(city_app):
    """Messages are rendered in the app's default locale."""
    with city_app.app_context():
        yield


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind_name", list(FILES))
def test_a_file_spelled_as_the_traditional_pages_show_stores_the_simplified_records(kind_name, fmt):
    rows = simplified_rows(kind_name)
    same = (lambda text: text)
    expected = validated(kind_name, fmt, as_file(fmt, kind_name, spelled(kind_name, rows, same), same))
    traditional = as_file(fmt, kind_name, spelled(kind_name, rows, TW.convert), TW.convert)
    assert traditional != as_file(fmt, kind_name, spelled(kind_name, rows, same), same)
    assert validated(kind_name, fmt, traditional) == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind_name=st.sampled_from(list(FILES)), fmt=st.sampled_from(FORMATS),
       config=st.sampled_from(["s2t", "s2tw", "s2hk"]), picks=st.randoms(use_true_random=False))
def test_any_mix_of_scripts_reads_as_the_simplified_file(kind_name, fmt, config, picks):
    """Each header and value in Simplified or in one of the Traditional spellings, and any word half
    converted (a clerk edits one character of a copied header)."""
    rows = simplified_rows(kind_name)

    chosen: dict[str, str] = {}  # one spelling per word throughout the file

    def mixed(text: str) -> str:
        converted = CONVERTERS[config].convert(text)
        if text not in chosen:
            chosen[text] = converted if len(converted) != len(text) else "".join(
                t if picks.random() < 0.5 else s for s, t in zip(text, converted))
        return chosen[text]

    same = (lambda text: text)
    expected = validated(kind_name, fmt, as_file(fmt, kind_name, spelled(kind_name, rows, same), same))
    assert validated(kind_name, fmt, as_file(fmt, kind_name, spelled(kind_name, rows, mixed), mixed)) == expected


def _labels_and_choices():
    for kind in KINDS.values():
        for f in kind.fields:
            yield kind, f, None
            for column in getattr(f, "columns", ()):
                yield kind, column, f


@pytest.mark.parametrize("config", list(CONVERTERS))
def test_every_header_and_every_value_is_read_in_every_spelling(config):
    convert = CONVERTERS[config].convert
    for kind, f, _table in _labels_and_choices():
        assert headers.header(kind, convert(f.label)) == f.label, (kind.name, f.label)
        for value in getattr(f, "choices", ()):
            assert f.parse(convert(value)) in (value, [value]), (kind.name, f.label, value)


def test_free_text_stays_as_typed_and_an_unknown_traditional_header_is_named_as_written():
    kind = KINDS["powers"]
    rows = simplified_rows("powers")
    rows[0]["事项名称"] = "企業投資項目核准"
    records = validated("powers", "csv", as_file("csv", "powers", rows, lambda t: t))
    assert records[0]["name"] == "企業投資項目核准"
    rows[0]["權力類別"] = "行政許可"  # no such column, in either script
    sheet = read("upload.csv", as_file("csv", "powers", rows, lambda t: t), kind)
    problems, numbered = validate_sheet(kind, sheet, DEPARTMENTS)
    assert numbered == [] and [p.column for p in problems] == ["權力類別"]
    assert "未知的列" in str(problems[0].message)


def test_a_column_in_both_scripts_is_refused_as_repeated_not_silently_merged():
    kind = KINDS["powers"]
    rows = [{**r, "權力類型": r["权力类型"]} for r in simplified_rows("powers")]
    for fmt in ("csv", "json"):
        try:
            sheet = read(f"upload.{fmt}", as_file(fmt, "powers", rows, lambda t: t), kind)
        except Exception as error:  # a reader may refuse the repeated header itself
            assert "重复" in str(getattr(error, "message", error))
            continue
        problems, numbered = validate_sheet(kind, sheet, DEPARTMENTS)
        assert numbered == [] and problems, fmt


def test_the_traditional_desk_takes_a_header_copied_from_the_data_dictionary(app):
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fgclerk", "99010001FG")
    client = app.test_client()
    dictionary = visible_text(client.get("/zh-hant/data/powers/").get_data(as_text=True))
    assert "權力類型" in dictionary and "行政許可" in dictionary
    headers_row, rows = read_csv(FIXTURE_CITY / "disclosures" / FILES["powers"])
    rows[0]["权力类型"] = "行政確認"  # the item's type changes, written as the zh-hant page writes it
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[TW.convert(h) for h in headers_row])
    writer.writeheader()
    writer.writerows({TW.convert(h): v for h, v in r.items()} for r in rows)
    log_in(client, "fgclerk", lang="zh-hant")
    response = upload(client, out.getvalue().encode(), "powers.csv", "powers", "99010001FG", lang="zh-hant")
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search("行政確認", preview)
    assert client.post(response.headers["Location"] + "/publish",
                       data={"csrf_token": csrf_token(preview)}).status_code == 302
    with app.app_context():
        item = db.session.scalars(select(PowerItem).where(PowerItem.code == rows[0]["事项编码"])).one()
        assert item.power_type == item.record["power_type"] == "行政确认"


@pytest.mark.parametrize("convert", sorted(CONVERTERS))
def test_a_department_named_in_traditional_is_the_department(convert):
    kind = KINDS["powers"]
    rows = simplified_rows("powers")
    for row in rows:
        row["实施主体"] = CONVERTERS[convert].convert("测试市发展和改革委员会")  # 測試市發展和改革委員會
    records = validated("powers", "csv", as_file("csv", "powers", rows, lambda t: t))
    assert {r["department"] for r in records} == {"99010001FG"}
    rows[0]["实施主体"] = "測試市教育局"  # no such department, in either script
    problems, numbered = validate_sheet(kind, read("upload.csv", as_file("csv", "powers", rows, lambda t: t), kind),
                                        DEPARTMENTS)
    assert numbered == [] and [(p.row, p.column) for p in problems] == [(2, "实施主体")]
    assert "未知的部门：“測試市教育局”" in str(problems[0].message)
