"""The open-data pages' twins as the OpenAPI document describes them (views/data.py)."""

from __future__ import annotations

from .json_types import DATE_TIME, INTEGER, STRING, URL, nullable, obj


def schemas() -> dict[str, dict]:
    """The open-data pages' twins: every dataset, and one with its files and data dictionary."""
    file = obj({"path": STRING, "url": URL, "bytes": INTEGER, "rows": INTEGER, "sha256": STRING,
                "updated": nullable(DATE_TIME)})
    license_ = obj({"name": STRING, "title": STRING, "path": {"type": "string", "format": "uri"}})
    dataset = {"name": STRING, "title": STRING, "description": STRING, "rows": INTEGER,
               "updated": nullable(DATE_TIME),
               "files": {"type": "array", "items": file}, "license": license_, "url": URL}
    column = obj({"table": nullable(STRING), "label": STRING, "name": STRING, "type": STRING,
                  "required": {"type": "boolean"}, "values": {"type": "array", "items": STRING},
                  "help": STRING})
    by_department = obj({"code": STRING, "name": STRING, "files": {"type": "array", "items": file}})
    return {
        "Datasets": obj({"datasets": {"type": "array", "items": obj(dataset)}, "datapackage": URL,
                         "sha256sums": URL, "license": license_}),
        "Dataset": obj({**dataset, "dictionary": {"type": "array", "items": column},
                        "departments": {"type": "array", "items": by_department}},
                       required=[*dataset, "dictionary"]),
    }
