"""Every problem of every table in one pass, each on the table's own sheet and row."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from portal.ingest.readers import read
from portal.ingest.templates import csv_template, xlsx_template
from portal.schemas import KINDS

SERVICES = KINDS["services"]
DEPARTMENTS = {"99010000FG": "99010000FG"}
CODE = "99010000FG-FW-0001"
# A real 办事指南's materials table (企业投资项目核准), with the mistakes clerks make.
MATERIALS = [
    ("项目申请报告", "必须", "原件", "2", "申请人自备"),
    ("", "必须", "原件", "1", "申请人自备"),  # no name
    ("城乡规划行政主管部门出具的选址意见书", "视情况", "复印件", "1", "政府部门核发"),  # necessity
    ("国土资源行政主管部门出具的用地预审意见", "必须", "复印件", "两份", "政府部门核发"),  # copies
    ("环境影响评价文件的审批意见", "必须", "原件", "1", "政府部门核发"),
]


@pytest.fixture(autouse=True)
def _context(city_app):
    with city_app.app_context():
        yield


def _workbook_with(materials) -> bytes:
    workbook = load_workbook(io.BytesIO(xlsx_template(SERVICES)))
    sheet = workbook["申请材料"]
    sheet.delete_rows(2, sheet.max_row)
    for name, necessity, form, copies, source in materials:
        sheet.append([CODE, name, necessity, form, copies, source])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_reports_every_bad_material_on_its_own_sheet_and_row():
    sheet = read("guide.xlsx", _workbook_with(MATERIALS), SERVICES)
    validated = SERVICES.validate(sheet.rows, DEPARTMENTS, sheet=sheet.sheet, table_rows=sheet.table_rows)
    found = [(p.sheet, p.row, p.column) for p in validated.problems]
    assert found == [("申请材料", 3, "材料名称"), ("申请材料", 4, "必要性"), ("申请材料", 5, "份数")]
    assert "“视情况”不是允许的值" in validated.problems[1].message
    assert validated.problems[2].message == "应为整数：“两份”"


def test_main_sheet_problems_name_the_main_sheet_too():
    workbook = load_workbook(io.BytesIO(_workbook_with(MATERIALS[:1])))
    main = workbook["办事指南"]
    column = [c.value for c in main[1]].index("到办事现场次数") + 1
    main.cell(row=2, column=column, value="每周一次")
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read("guide.xlsx", buffer.getvalue(), SERVICES)
    validated = SERVICES.validate(sheet.rows, DEPARTMENTS, sheet=sheet.sheet, table_rows=sheet.table_rows)
    assert [(p.sheet, p.row, p.column) for p in validated.problems] == [("办事指南", 2, "到办事现场次数")]


def test_a_csv_cell_reports_every_bad_row_of_its_table():
    text = csv_template(SERVICES).decode("utf-8-sig")
    header, example = text.splitlines()[:2]
    materials = [{"材料名称": n, "必要性": ne, "材料形式": f, "份数": c, "来源渠道": s} for n, ne, f, c, s in MATERIALS]
    row = next(csv.reader([example]))
    row[SERVICES.headers.index("申请材料")] = json.dumps(materials, ensure_ascii=False)
    out = io.StringIO()
    csv.writer(out).writerows([next(csv.reader([header])), row])
    sheet = read("guide.csv", out.getvalue().encode(), SERVICES)
    validated = SERVICES.validate(sheet.rows, DEPARTMENTS, sheet=sheet.sheet, table_rows=sheet.table_rows)
    assert [(p.row, p.column) for p in validated.problems] == [(2, "申请材料")] * 3
    assert [p.message.split("“")[0] for p in validated.problems] == ["第 2 行", "第 3 行", "第 4 行"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=12))
def test_each_bad_row_is_reported_once_whatever_the_mix(bad):
    rows = [("营业执照", "必须", "原件", "一" if wrong else "1", "申请人自备") for wrong in bad]
    sheet = read("guide.xlsx", _workbook_with(rows), SERVICES)
    validated = SERVICES.validate(sheet.rows, DEPARTMENTS, sheet=sheet.sheet, table_rows=sheet.table_rows)
    assert [p.row for p in validated.problems] == [n + 2 for n, wrong in enumerate(bad) if wrong]
