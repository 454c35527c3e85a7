"""Upload templates for each kind, built from its declaration in portal/schemas alone.

The XLSX template has the kind's sheet (Chinese headers in declaration order, one
example row, drop-down lists for every enumeration, text-formatted code columns,
a frozen header row), one sheet per table field whose rows name their parent by
its key columns, and a 填写说明 sheet explaining each column. The CSV template is
the same single sheet, UTF-8 with a BOM so that Excel opens it right, with each
table field written as a JSON array in its cell. Both read back through `read`
and validate cleanly.
"""

from __future__ import annotations

import csv
import io
import json

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from ..schemas import Kind
from ..schemas.fields import Table
from . import template_sheets
from .tables import key_labels, table_fields
from .xlsx import GUIDE_SHEET


def table_examples(table: Table) -> list[dict[str, str]]:
    """A table's example rows keyed by column label: the columns' examples, then `example_rows`."""
    rows = [tuple(c.example for c in table.columns), *table.example_rows]
    return [{c.label: cell for c, cell in zip(table.columns, row)} for row in rows]


def example_record(kind: Kind) -> dict[str, object]:
    """The example item keyed by Chinese header: text cells, and a list of rows for each table."""
    return {f.label: table_examples(f) if isinstance(f, Table) else f.example for f in kind.fields}


def csv_template(kind: Kind) -> bytes:
    """The CSV template: header row and example row, tables as JSON arrays, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(kind.headers)
    example = example_record(kind)
    writer.writerow(
        json.dumps(example[f.label], ensure_ascii=False) if isinstance(f, Table) else example[f.label]
        for f in kind.fields
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_template(kind: Kind) -> bytes:
    """The XLSX template: the kind's sheet, a sheet per table field, and 填写说明."""
    workbook = Workbook()
    main = workbook.active
    main.title = kind.label
    flat = [f for f in kind.fields if not isinstance(f, Table)]
    example = example_record(kind)
    template_sheets.fill(main, flat, [[example[f.label] for f in flat]])
    keys = [kind.field(name) for name in kind.key_fields]
    for table in table_fields(kind):
        sheet = workbook.create_sheet(table.label)
        rows = [[example[k.label] for k in keys] + [row[c.label] for c in table.columns]
                for row in table_examples(table)]
        template_sheets.fill(sheet, keys + list(table.columns), rows)
    guide = workbook.create_sheet(GUIDE_SHEET)
    template_sheets.guide(guide, _notes(kind), _column_rows(kind))
    workbook.active = 0
    workbook.properties.creator = "明镜"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes(kind: Kind) -> list[str]:
    notes = [
        _l("“%(sheet)s”工作表的第 1 行是表头,请勿修改、删除或调换列名;从第 2 行起每行填写一个%(item)s。"
           "第 2 行是示例,请替换或删除。", sheet=kind.label, item=kind.item_label),
        _l("红色列名为必填项;带下拉箭头的列只能填写列表中的值。"),
        _l("只填写数值,不要使用公式;不要合并单元格,不要隐藏行、列或工作表(看不到的内容无法审核,上传会被拒绝)。"),
        _l("编码、电话、日期等列已设置为“文本”格式,请保持:18 位编码如被当作数字,Excel 会把末尾几位变成 0。"),
    ]
    keys = "、".join(f"“{label}”" for label in key_labels(kind))
    for table in table_fields(kind):
        sample = json.dumps(table_examples(table)[:1], ensure_ascii=False)
        notes += [
            _l("“%(table)s”在工作表“%(table)s”中填写,每行一项,用%(keys)s对应到“%(sheet)s”中的%(item)s;"
               "一个%(item)s可以有多行。",
               table=table.label, keys=keys, sheet=kind.label, item=kind.item_label),
            _l("使用 CSV 模板时,“%(table)s”写在同名列中,格式为 JSON 数组,每项是一个以列名为键的对象,"
               "例如:%(sample)s", table=table.label, sample=sample),
        ]
    notes.append(_l("可上传 .xlsx、.csv(UTF-8 或 GBK 编码)、.json 或 .yaml 文件。"))
    return [str(note) for note in notes]


def _column_rows(kind: Kind) -> list[list[str]]:
    """One row per column: sheet, label, type, required, allowed values or format, help, example."""
    rows = [_describe(kind.label, f, f.example) for f in kind.fields if not isinstance(f, Table)]
    keys = [kind.field(name) for name in kind.key_fields]
    for table in table_fields(kind):
        for key in keys:
            rows.append(_describe(table.label, key, key.example,
                                  str(_l("对应“%(sheet)s”中的同名列", sheet=kind.label))))
        examples = table_examples(table)
        for column in table.columns:
            # The first row may leave a column blank (a start step has no time limit).
            example = next((row[column.label] for row in examples if row[column.label]), "")
            rows.append(_describe(table.label, column, example))
    return rows


def _describe(sheet: str, field, example: str, help_text: str | None = None) -> list[str]:
    return [
        sheet, field.label, str(field.type_label), str(_l("必填") if field.required else _l("选填")),
        template_sheets.allowed(field), help_text or field.help, example,
    ]

