"""Write records as the files `content/` holds: CSV for flat kinds, YAML for nested ones.

Cells are written with each field's own `format`, so what the loader parses back
is exactly what the generator meant (是/否, empty for None, tables as row lists).
"""

from __future__ import annotations

import csv
import pathlib

import yaml

from ..schemas.fields import Table
from ..schemas.kind import Kind

# The files a department directory may hold; stale ones are removed before writing.
KIND_FILES = ("powers.csv", "services.yaml", "commitments.csv", "appraisals.yaml", "complaints.csv")


def write_csv(path: pathlib.Path, kind: Kind, records: list[dict]) -> None:
    """Write records as UTF-8 CSV (no BOM) with the kind's Chinese headers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(kind.headers)
        for record in records:
            writer.writerow([field.format(record.get(field.name)) for field in kind.fields])


def _yaml_value(field, value):
    if isinstance(field, Table):
        return [{column.label: column.format(row.get(column.name)) for column in field.columns}
                for row in value or []]
    return field.format(value)


def write_yaml(path: pathlib.Path, kind: Kind, records: list[dict]) -> None:
    """Write records as a YAML list of mappings keyed by Chinese labels, every scalar a string."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [{field.label: _yaml_value(field, record.get(field.name)) for field in kind.fields}
            for record in records]
    with path.open("w", encoding="utf-8", newline="\n") as f:
        yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False, width=1000)


def write(path: pathlib.Path, kind: Kind, records: list[dict]) -> None:
    """Write records in the kind's declared file format."""
    if kind.file_format == "yaml":
        write_yaml(path, kind, records)
    else:
        write_csv(path, kind, records)


def clear_disclosures(root: pathlib.Path) -> None:
    """Remove previously generated kind files (and then-empty department folders) under `root`.

    Only the five known file names are touched, so hand-made files survive.
    """
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if not folder.is_dir():
            continue
        for name in KIND_FILES:
            (folder / name).unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()
