"""Upload templates: built from the declarations alone, and they read back and validate cleanly."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from portal.ingest.readers import read
from portal.ingest.tables import table_fields
from portal.ingest.templates import csv_template, example_record, xlsx_template
from portal.schemas import KINDS
from portal.schemas.fields import Boolean, Choice, Decimal, Integer, Table
from portal.schemas.values import Several

DEPARTMENTS = {"99010000FG": "99010000FG"}  # the examples' department


@pytest.fixture(autouse=True)
def _context(city_app):
    with city_app.app_context():
        yield


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
@pytest.mark.parametrize(("extension", "make"), [("xlsx", xlsx_template), ("csv", csv_template)])
def test_every_template_reads_back_and_validates(kind, extension, make):
    sheet = read(f"{kind.name}.{extension}", make(kind), kind)
    assert kind.check_headers(sheet.headers) == []
    assert sorted(sheet.headers) == sorted(kind.headers)
    validated = kind.validate(sheet.rows, DEPARTMENTS)
    assert validated.problems == [] and len(validated.records) == 1


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_field_has_an_example_in_the_template(kind):
    # Left blank on purpose: a sub-item, and the date and reason of a status change
    # (the example item is 在用), and the fee standard of a free service.
    allowed_blank = {"子项名称", "状态日期", "状态说明", "收费标准与依据", "备注"}
    example = example_record(kind)
    blank = {f.label for f in kind.fields if not example[f.label]} - allowed_blank
    assert blank == set()
    for table in table_fields(kind):
        assert len(example[table.label]) >= max(table.min_rows, 1)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_the_xlsx_template_lays_out_the_declaration(kind):
    workbook = load_workbook(io.BytesIO(xlsx_template(kind)))
    tables = table_fields(kind)
    assert workbook.sheetnames == [kind.label, *(t.label for t in tables), "填写说明"]
    layouts = [(kind.label, [f for f in kind.fields if not isinstance(f, Table)])]
    layouts += [(t.label, [kind.field(name) for name in kind.key_fields] + list(t.columns)) for t in tables]
    for title, fields in layouts:
        sheet = workbook[title]
        assert [c.value for c in sheet[1]] == [f.label for f in fields]
        assert sheet.freeze_panes == "A2"
        lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
        for index, field in enumerate(fields):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            if isinstance(field, Several):  # a drop-down would refuse several values
                assert f"{letter}2" not in lists
            elif isinstance(field, Choice):
                assert lists[f"{letter}2"] == '"' + ",".join(field.choices) + '"'
            elif isinstance(field, Boolean):
                assert lists[f"{letter}2"] == '"是,否"'
            else:
                assert f"{letter}2" not in lists
            numeric = isinstance(field, (Integer, Decimal))
            # Codes and every other text column stay text, so Excel keeps 18-digit codes whole.
            assert (sheet.column_dimensions[letter].number_format == "@") is not numeric
            assert sheet.column_dimensions[letter].width >= 8


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_the_guide_explains_every_column(kind):
    workbook = load_workbook(io.BytesIO(xlsx_template(kind)))
    rows = [tuple(c.value for c in row) for row in workbook["填写说明"].iter_rows()]
    header = rows.index(("工作表", "列名", "类型", "是否必填", "可选值或格式", "说明", "示例"))
    described = {(r[0], r[1]): r for r in rows[header + 1:]}
    for field in kind.fields:
        if isinstance(field, Table):
            for column in field.columns:
                assert described[(field.label, column.label)][2] == str(column.type_label)
            continue
        sheet, label, type_label, required, allowed, help_text, example = described[(kind.label, field.label)]
        assert (type_label, required) == (str(field.type_label), "必填" if field.required else "选填")
        assert (help_text or "") == field.help and (example or "") == field.example
        if isinstance(field, Several):
            assert allowed.endswith("、".join(field.choices)) and "可填写多个" in allowed
        elif isinstance(field, Choice):
            assert allowed == "、".join(field.choices)
    notes = " ".join(str(r[0]) for r in rows[:header])
    for table in table_fields(kind):
        assert f"“{table.label}”在工作表“{table.label}”中填写" in notes
        assert f"使用 CSV 模板时，“{table.label}”写在同名列中，格式为 JSON 数组" in notes


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_the_csv_template_is_utf8_with_bom_and_carries_tables_as_json(kind):
    data = csv_template(kind)
    assert data.startswith(b"\xef\xbb\xbf")
    header, example = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    assert header == kind.headers
    for field, cell in zip(kind.fields, example):
        if isinstance(field, Table):
            assert json.loads(cell) == example_record(kind)[field.label]
        else:
            assert cell == field.example
