"""The data package (Frictionless `datapackage.json`) and `SHA256SUMS`, written beside the files.

Each resource is a CSV with the English identifiers as headers (`*.ids.csv`), so
that a Table Schema names its fields as the files do; the Chinese header is each
field's title. Types, allowed values, required fields, primary keys and foreign
keys (items to departments, table rows to their items) come from the declarations.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _

from ..schemas import DEPARTMENTS, KINDS, Kind
from ..schemas.fields import Boolean, Choice, Date, Decimal, Department, Integer, Table
from ..schemas.values import Several
from .build import ROW_NUMBER, flat_fields, key_fields, tables
from .cells import NEUTRALISER

LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


def field_schema(field) -> dict:
    """One Table Schema field from a declared field."""
    schema: dict = {"name": field.name, "title": str(field.label)}
    if field.help:
        schema["description"] = str(field.help)
    constraints: dict = {}
    if isinstance(field, Boolean):
        schema.update(type="boolean", trueValues=["是"], falseValues=["否"])
    elif isinstance(field, Integer):
        schema["type"] = "integer"
    elif isinstance(field, Decimal):
        schema["type"] = "number"
    elif isinstance(field, Date):
        schema["type"] = "date"
    else:
        schema["type"] = "string"
        if isinstance(field, Several):
            pass  # several values joined with "、" in one cell: no single-value constraint fits
        elif isinstance(field, Choice):
            constraints["enum"] = list(field.choices)
        elif field.pattern and not isinstance(field, Department):
            constraints["pattern"] = field.pattern
    if field.required:
        constraints["required"] = True
    if constraints:
        schema["constraints"] = constraints
    return schema


def _departments_resource(files: dict) -> dict:
    fields = [f for f in DEPARTMENTS.fields if not isinstance(f, Table)]
    return _resource("departments", "departments.ids.csv", files, str(DEPARTMENTS.label),
                     {"fields": [field_schema(f) for f in fields], "primaryKey": ["code"]})


def _department_key(kind: Kind) -> list[dict]:
    names = [f.name for f in kind.fields if isinstance(f, Department)]
    return [{"fields": [name], "reference": {"resource": "departments", "fields": ["code"]}} for name in names]


def _kind_resources(kind: Kind, files: dict) -> list[dict]:
    keys = [f.name for f in key_fields(kind)]
    resources = [_resource(kind.name, f"{kind.name}.ids.csv", files, str(kind.label), {
        "fields": [field_schema(f) for f in flat_fields(kind)],
        "primaryKey": keys,
        "foreignKeys": _department_key(kind),
    }, str(kind.description))]
    for table in tables(kind):
        columns = [field_schema(k) for k in key_fields(kind)]
        columns.append({"name": ROW_NUMBER[0], "title": ROW_NUMBER[1], "type": "integer",
                        "constraints": {"required": True, "minimum": 1}})
        columns += [field_schema(c) for c in table.columns]
        resources.append(_resource(f"{kind.name}-{table.name}", f"{kind.name}.{table.name}.ids.csv", files,
                                   f"{kind.label}:{table.label}", {
                                       "fields": columns,
                                       "primaryKey": [*keys, ROW_NUMBER[0]],
                                       "foreignKeys": [{"fields": keys, "reference": {
                                           "resource": kind.name, "fields": keys}}],
                                   }))
    return resources


def _resource(name: str, path: str, files: dict, title: str, schema: dict, description: str = "") -> dict:
    entry = files[path]
    resource = {
        "name": name, "path": path, "title": title, "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        "bytes": entry["bytes"], "hash": f"sha256:{entry['sha256']}",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n"},
        "schema": {**schema, "missingValues": [""]},
    }
    if description:
        resource["description"] = description
    return resource


def datapackage(files: dict, city: str) -> dict:
    """The descriptor of the whole city's files (as the manifest lists them)."""
    with force_locale("zh_Hans"):
        resources = [_departments_resource(files)]
        for kind in KINDS.values():
            if f"{kind.name}.ids.csv" in files:
                resources += _kind_resources(kind, files)
        return {
            "profile": "tabular-data-package",
            "name": "mingjing-open-data",
            "title": _("%(city)s机关效能建设公开数据", city=city),
            "description": _("权责清单、办事指南、服务承诺、绩效考评结果和效能投诉办结案件,由各部门发布。"
                             "CSV 文件中以 = + - @ 或制表符开头的单元格前加了一个英文单引号(%(mark)s),"
                             "以免被电子表格当作公式执行。", mark=NEUTRALISER),
            "licenses": [LICENSE],
            "sources": [{"title": _("%(city)s各部门", city=city)}],
            "resources": resources,
        }


def write(root: Path, files: dict, city: str) -> None:
    """Write datapackage.json and SHA256SUMS (of every download) into the data directory."""
    _replace(root / "datapackage.json", json.dumps(datapackage(files, city), ensure_ascii=False, indent=1))
    sums = "".join(f"{entry['sha256']}  {path}\n" for path, entry in sorted(files.items()))
    _replace(root / "SHA256SUMS", sums)


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
