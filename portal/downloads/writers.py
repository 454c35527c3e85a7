"""Streaming writers: each takes rows one at a time, so memory stays flat however many there are.

A scope's files are written together in one pass over its records (`Files`), and
every file is written beside its final name and moved into place when complete,
so a reader never downloads half a file. CSV and JSON are hashed as they are
written. A file whose bytes came out as the manifest already lists them is left as
it was (its time too, so HTTP caches keep it), and the new copy dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import xlsxstream
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


def _finish(root: Path, path: Path, temporary: Path, rows: int, previous: dict[str, str],
            digest: hashlib._Hash | None = None) -> Written:
    """Move the finished file into place, unless the same bytes are there already (`previous`:
    the SHA-256 the manifest lists by path); its description for the manifest."""
    if digest is None:
        digest = hashlib.sha256()
        with open(temporary, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    written = Written(path.relative_to(root).as_posix(), temporary.stat().st_size, digest.hexdigest(), rows)
    if previous.get(written.path) == written.sha256 and path.exists():
        temporary.unlink()
    else:
        os.replace(temporary, path)
    return written


class _Hashing(io.RawIOBase):
    """A file opened for writing that hashes every byte written to it."""

    def __init__(self, path: Path):
        self.file = open(path, "wb")
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        return self.file.write(data)

    def close(self) -> None:
        if not self.closed:
            self.file.close()
        super().close()


def _text_file(temporary: Path, newline: str | None = None) -> tuple[io.TextIOWrapper, _Hashing]:
    raw = _Hashing(temporary)
    return io.TextIOWrapper(io.BufferedWriter(raw, 1 << 16), encoding="utf-8", newline=newline), raw


class CsvFile:
    """A CSV file, UTF-8 with a BOM (so Chinese Excel opens it), CRLF, every cell neutralised."""

    def __init__(self, root: Path, name: str, headers: list[str]):
        self.root, self.path, self.rows = root, root / name, 0
        self.temporary = _temporary(self.path)
        self.handle, self.raw = _text_file(self.temporary, newline="")
        self.handle.write("\ufeff")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.writer.writerow(headers)

    def row(self, values: list[str]) -> None:
        """Add a row."""
        self.writer.writerow([neutralise(value) for value in values])
        self.rows += 1

    def close(self, previous: dict[str, str]) -> Written:
        """Finish the file and move it into place."""
        self.handle.close()
        return _finish(self.root, self.path, self.temporary, self.rows, previous, self.raw.digest)


class JsonFile:
    """A JSON array of objects, written one object at a time."""

    def __init__(self, root: Path, name: str):
        self.root, self.path, self.rows = root, root / name, 0
        self.temporary = _temporary(self.path)
        self.handle, self.raw = _text_file(self.temporary)
        self.handle.write("[")

    def row(self, item: dict) -> None:
        """Add an object."""
        self.handle.write(",\n" if self.rows else "\n")
        self.handle.write(json.dumps(item, ensure_ascii=False, sort_keys=True))
        self.rows += 1

    def close(self, previous: dict[str, str]) -> Written:
        """Finish the file and move it into place."""
        self.handle.write("\n]\n")
        self.handle.close()
        return _finish(self.root, self.path, self.temporary, self.rows, previous, self.raw.digest)


class XlsxFile:
    """A workbook written row by row (`xlsxstream`: each sheet straight to disk); every cell is text.

    Text stays text: "=1+1" is never a formula, "007" keeps its zeros and long codes
    every digit. The first sheet's rows are the file's row count.
    """

    def __init__(self, root: Path, name: str, sheets: list[tuple[str, list[str]]]):
        self.root, self.path = root, root / name
        self.temporary = _temporary(self.path)
        self.workbook = xlsxstream.Workbook(self.temporary, [str(title) for title, _ in sheets], author="明镜",
                                            created=_FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.sheets = {title: number for number, (title, _) in enumerate(sheets)}
        for title, headers in sheets:
            self.workbook.row(self.sheets[title], headers)

    def row(self, title: str, values: list[str]) -> None:
        """Add a row to the sheet called `title`."""
        self.workbook.row(self.sheets[title], values)

    def close(self, previous: dict[str, str]) -> Written:
        """Finish the workbook and move it into place."""
        self.workbook.close()
        rows = self.workbook.sheets[0].rows - 1  # less the header
        return _finish(self.root, self.path, self.temporary, rows, previous)


@dataclass
class Files:
    """Every file of a scope, open together, closed together (or removed on failure).

    `previous` is the SHA-256 of each file as the manifest lists it, by path: a file
    written again with the same bytes is left in place.
    """

    previous: dict[str, str] = field(default_factory=dict)
    files: list = field(default_factory=list)

    def add(self, opened):
        """Keep an opened file; return it."""
        self.files.append(opened)
        return opened

    def close(self) -> list[Written]:
        """Finish every file."""
        return [f.close(self.previous) for f in self.files]

    def discard(self) -> None:
        """Drop every half-written file."""
        for f in self.files:
            if isinstance(f, XlsxFile):
                f.workbook.discard()
            else:
                f.handle.close()
            f.temporary.unlink(missing_ok=True)
