"""Streaming writers: each takes rows one at a time, so memory stays flat however many there are.

Every file is written beside its final name and moved into place when complete,
so a reader never downloads half a file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .cells import neutralise


@dataclass
class Written:
    """A file as the manifest describes it."""

    path: str  # relative to the data directory, with forward slashes
    bytes: int
    sha256: str
    rows: int


@contextmanager
def _atomic(path: Path, mode: str = "w", **options):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, mode, **options) as handle:
            yield handle
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _describe(root: Path, path: Path, rows: int) -> Written:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return Written(path.relative_to(root).as_posix(), path.stat().st_size, digest.hexdigest(), rows)


def write_csv(root: Path, name: str, headers: list[str], rows: Iterable[list[str]]) -> Written:
    """A CSV file, UTF-8 with a BOM (so Chinese Excel opens it), CRLF, every cell neutralised."""
    path, count = root / name, 0
    with _atomic(path, newline="", encoding="utf-8") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([neutralise(value) for value in row])
            count += 1
    return _describe(root, path, count)


def write_json(root: Path, name: str, items: Iterable[dict]) -> Written:
    """A JSON array of objects, written one object at a time."""
    path, count = root / name, 0
    with _atomic(path, encoding="utf-8") as handle:
        handle.write("[")
        for count, item in enumerate(items, start=1):
            handle.write(",\n" if count > 1 else "\n")
            handle.write(json.dumps(item, ensure_ascii=False, sort_keys=True))
        handle.write("\n]\n")
    return _describe(root, path, count)


@dataclass
class Sheet:
    """One worksheet of a workbook: its title, header row and rows (consumed as written)."""

    title: str
    headers: list[str]
    rows: Iterator[list[str]]


def write_xlsx(root: Path, name: str, sheets: list[Sheet]) -> Written:
    """A workbook in openpyxl's write-only mode (rows go straight to disk); every cell is text."""
    path = root / name
    workbook = Workbook(write_only=True)
    count = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title[:31])
        worksheet.append(sheet.headers)
        for row in sheet.rows:
            worksheet.append([_text(worksheet, value) for value in row])
            count += sheet is sheets[0]
    buffer = io.BytesIO()
    workbook.save(buffer)
    with _atomic(path, "wb") as handle:
        _same_bytes_for_same_data(buffer, handle)
    return _describe(root, path, count)


# openpyxl stamps the workbook and every zip entry with the time it was saved; the same
# data must give the same bytes (the SHA256SUMS, the static export), so both are fixed.
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _same_bytes_for_same_data(source: io.BytesIO, target) -> None:
    source.seek(0)
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", data)
            out.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME), data,
                         compress_type=zipfile.ZIP_DEFLATED)


def _text(worksheet, value: str) -> WriteOnlyCell:
    # Typed as a string: "=1+1" stays text, "007" keeps its zeros, long codes keep every digit.
    written = WriteOnlyCell(worksheet, value=value)
    written.data_type = "s"
    return written
