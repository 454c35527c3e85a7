"""Streaming writers: each takes rows one at a time, so memory stays flat however many there are.

A scope's files are written together in one pass over its records (`Files`), and
every file is written beside its final name and moved into place when complete,
so a reader never downloads half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from .cells import neutralise

# The workbook's own date: fixed, so that the same data gives the same bytes.
_FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class Written:
    """A file as the manifest describes it."""

    path: str  # relative to the data directory, with forward slashes
    bytes: int
    sha256: str
    rows: int


def _temporary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _finish(root: Path, path: Path, temporary: Path, rows: int) -> Written:
    os.replace(temporary, path)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return Written(path.relative_to(root).as_posix(), path.stat().st_size, digest.hexdigest(), rows)


class CsvFile:
    """A CSV file, UTF-8 with a BOM (so Chinese Excel opens it), CRLF, every cell neutralised."""

    def __init__(self, root: Path, name: str, headers: list[str]):
        self.root, self.path, self.rows = root, root / name, 0
        self.temporary = _temporary(self.path)
        self.handle = open(self.temporary, "w", newline="", encoding="utf-8")
        self.handle.write("\ufeff")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.writer.writerow(headers)

    def row(self, values: list[str]) -> None:
        """Add a row."""
        self.writer.writerow([neutralise(value) for value in values])
        self.rows += 1

    def close(self) -> Written:
        """Finish the file and move it into place."""
        self.handle.close()
        return _finish(self.root, self.path, self.temporary, self.rows)


class JsonFile:
    """A JSON array of objects, written one object at a time."""

    def __init__(self, root: Path, name: str):
        self.root, self.path, self.rows = root, root / name, 0
        self.temporary = _temporary(self.path)
        self.handle = open(self.temporary, "w", encoding="utf-8")
        self.handle.write("[")

    def row(self, item: dict) -> None:
        """Add an object."""
        self.handle.write(",\n" if self.rows else "\n")
        self.handle.write(json.dumps(item, ensure_ascii=False, sort_keys=True))
        self.rows += 1

    def close(self) -> Written:
        """Finish the file and move it into place."""
        self.handle.write("\n]\n")
        self.handle.close()
        return _finish(self.root, self.path, self.temporary, self.rows)


@dataclass
class _Sheet:
    worksheet: object
    rows: int = 0


class XlsxFile:
    """A workbook written row by row (XlsxWriter's constant-memory mode); every cell is text.

    Text stays text: "=1+1" is never a formula, "007" keeps its zeros and long codes
    every digit. The first sheet's rows are the file's row count.
    """

    def __init__(self, root: Path, name: str, sheets: list[tuple[str, list[str]]]):
        self.root, self.path = root, root / name
        self.temporary = _temporary(self.path)
        self.workbook = xlsxwriter.Workbook(str(self.temporary), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False})
        self.workbook.set_properties({"created": _FIXED_TIME, "author": "明镜"})
        self.sheets: dict[str, _Sheet] = {}
        for title, headers in sheets:
            worksheet = self.workbook.add_worksheet(title[:31])
            worksheet.write_row(0, 0, headers)
            self.sheets[title] = _Sheet(worksheet)

    def row(self, title: str, values: list[str]) -> None:
        """Add a row to the sheet called `title`."""
        sheet = self.sheets[title]
        sheet.rows += 1
        for column, value in enumerate(values):
            sheet.worksheet.write_string(sheet.rows, column, value)

    def close(self) -> Written:
        """Finish the workbook and move it into place."""
        self.workbook.close()
        first = next(iter(self.sheets.values()))
        return _finish(self.root, self.path, self.temporary, first.rows)


@dataclass
class Files:
    """Every file of a scope, open together, closed together (or removed on failure)."""

    files: list = field(default_factory=list)

    def add(self, opened):
        """Keep an opened file; return it."""
        self.files.append(opened)
        return opened

    def close(self) -> list[Written]:
        """Finish every file."""
        return [f.close() for f in self.files]

    def discard(self) -> None:
        """Drop every half-written file."""
        for f in self.files:
            if isinstance(f, XlsxFile):
                f.workbook.close()
            else:
                f.handle.close()
            f.temporary.unlink(missing_ok=True)
