"""Time reading and validating a 10,000-row power list upload, as XLSX and as CSV.

Usage: .venv/bin/python scripts/bench_upload.py [--rows N] [--repeat N] [--memory]
Builds the file from the sample city's power items (content/), repeated with new
codes, then times `read` and `POWERS.validate` on it: the median of --repeat runs,
wall clock and CPU (CPU time is steadier on a busy machine). Two workbooks: as
openpyxl writes them (inline strings) and as Excel writes them (shared strings).
--memory adds one traced run per file for the peak memory Python allocated.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from portal import create_app  # noqa: E402
from portal.ingest.readers import read  # noqa: E402
from portal.schemas import POWERS  # noqa: E402

CONTENT = Path(__file__).resolve().parent.parent / "content"


def sample_rows(count: int) -> list[list[str]]:
    """`count` power items: the sample city's, repeated, each with a new unique code."""
    items = []
    for path in sorted((CONTENT / "disclosures").glob("*/powers.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            items += [[row[h] for h in POWERS.headers] for row in csv.DictReader(file)]
    rows = []
    for index in range(count):
        row = list(items[index % len(items)])
        prefix = row[0].rsplit("-", 1)[0]
        row[0] = f"{prefix}-{index + 1:06d}"
        rows.append(row)
    return rows


def departments() -> dict[str, str]:
    """Every spelling of a sample department (code and name) mapped to its code."""
    with (CONTENT / "departments.csv").open(encoding="utf-8", newline="") as file:
        spellings = {}
        for row in csv.DictReader(file):
            spellings[row["部门编码"]] = spellings[row["部门名称"]] = row["部门编码"]
    return spellings


def as_csv(rows: list[list[str]]) -> bytes:
    """The rows as a UTF-8 CSV with BOM, as the CSV template is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(POWERS.headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    """The rows as a one-sheet workbook named after the kind."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(POWERS.label)
    sheet.append(POWERS.headers)
    for row in rows:
        sheet.append([cell or None for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def as_excel_xlsx(rows: list[list[str]]) -> bytes:
    """The same workbook with its text in a shared-strings table, the way Excel saves it."""
    strings: dict[str, int] = {}
    lines = []
    for number, row in enumerate([POWERS.headers, *rows], start=1):
        cells = "".join(
            f'<c r="{chr(65 + column)}{number}" t="s"><v>{strings.setdefault(cell, len(strings))}</v></c>'
            for column, cell in enumerate(row) if cell
        )
        lines.append(f'<row r="{number}">{cells}</row>')
    sheet = (f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:Q{len(rows) + 1}"/><sheetData>'
             + "".join(lines) + "</sheetData></worksheet>")
    table = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    shared = f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
    source, buffer = zipfile.ZipFile(io.BytesIO(as_xlsx(rows[:1]))), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet.encode()
            elif info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                                  f'ContentType="{STRINGS_TYPE}"/></Types>'.encode())
            target.writestr(info.filename, body)
        target.writestr("xl/sharedStrings.xml", shared.encode())
    return buffer.getvalue()


def _timed(call, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = call(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def time_upload(filename: str, data: bytes, spellings: dict, repeat: int) -> dict:
    """Median wall and CPU seconds to read and to validate, and the number of clean records."""
    runs = []
    for _ in range(repeat):
        sheet, read_wall, read_cpu = _timed(read, filename, data, POWERS)
        validated, validate_wall, validate_cpu = _timed(POWERS.validate, sheet.rows, spellings)
        assert validated.ok, validated.problems[:3]
        runs.append((read_wall, read_cpu, validate_wall, validate_cpu, len(validated.records)))
    medians = [statistics.median(column) for column in zip(*runs)]
    return dict(zip(("read", "read_cpu", "validate", "validate_cpu", "records"), medians))


def peak_memory(filename: str, data: bytes) -> int:
    """The peak bytes Python allocated while reading `data` (tracing slows the read)."""
    tracemalloc.start()
    try:
        read(filename, data, POWERS)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    """Build both files, then report sizes and the median read and validate times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    rows, spellings = sample_rows(args.rows), departments()
    files = {"openpyxl.xlsx": as_xlsx(rows), "excel.xlsx": as_excel_xlsx(rows), "powers.csv": as_csv(rows)}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_PATH": tmp,
                          "SECRET_KEY": "bench"})
        with app.app_context():
            print(f"{'file':14} {'rows':>6} {'MiB':>5} {'read s (cpu)':>13} {'validate s (cpu)':>17} "
                  f"{'total s':>8}")
            for name, data in files.items():
                t = time_upload(name, data, spellings, args.repeat)
                print(f"{name:14} {t['records']:6.0f} {len(data) / 2**20:5.1f} "
                      f"{t['read']:6.2f} ({t['read_cpu']:4.2f}) "
                      f"{t['validate']:9.2f} ({t['validate_cpu']:4.2f}) {t['read'] + t['validate']:8.2f}")
            for name in ("openpyxl.xlsx", "excel.xlsx"):
                parts = zipfile.ZipFile(io.BytesIO(files[name])).infolist()
                ratio = max(i.file_size / max(i.compress_size, 1) for i in parts)
                print(f"{name} inflates to {sum(i.file_size for i in parts) / 2**20:.1f} MiB, "
                      f"largest part ratio {ratio:.1f}")
            if args.memory:
                for name, data in files.items():
                    print(f"{name}: peak {peak_memory(name, data) / 2**20:.0f} MiB allocated while reading")


if __name__ == "__main__":
    main()
