"""Time every reader on adversarial uploads of about 1 MB: each must answer in under a second.

Usage: .venv/bin/python scripts/bench_readers.py [--size BYTES] [--timeout SECONDS] [-k SUBSTRING]

Each input is built to hit a reader where quadratic or backtracking code, or a
large constant per element, would hide: escaped quotes, deep nesting, long
lines, many columns or keys, huge single cells, many tiny rows, empty cells and
rows, many sheets, a huge shared-strings table. Each runs in a child process
(killed after --timeout) and the line says what the reader answered: the rows it
read, or the error the uploader would see, with the wall and CPU seconds it took.
Exits 1 when any took a second or more of CPU (wall time also counts whatever
else the machine is doing).
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from portal import create_app  # noqa: E402
from portal.ingest import limits  # noqa: E402
from portal.ingest.readers import ReadError, read  # noqa: E402
from portal.schemas import POWERS, SERVICES  # noqa: E402

LIMIT_SECONDS = 1.0
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def repeat(unit: str, size: int, head: str = "", tail: str = "") -> bytes:
    """`head`, then `unit` as often as fits in `size` bytes (UTF-8), then `tail`."""
    body = unit.encode()
    count = max(1, (size - len(head.encode()) - len(tail.encode())) // len(body))
    return head.encode() + body * count + tail.encode()


def services_csv(cell: str, size: int) -> bytes:
    """A services CSV whose 申请材料 cell, in as many rows as fit, is `cell`."""
    headers = ["事项编码", "事项名称", "申请材料"]
    row = '99010000FG-FW-0001,名称,"' + cell.replace('"', '""') + '"\n'
    return repeat(row, size, ",".join(headers) + "\n")


# --- XLSX --------------------------------------------------------------------


def _spare_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.title = POWERS.label
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def amplified(unit: bytes, compressed: int) -> bytes:
    """`unit` repeated, diluted with random XML comments to just pass the zip guard, `compressed` bytes.

    As much XML as a part of that size may carry: under the guard's inflation ratio
    (100) and its tags per deflated byte (limits.ZIP_MAX_TAGS_PER_BYTE).
    """
    def chunk(units: int) -> bytes:
        return unit * units + b"<!--" + os.urandom(12).hex().encode() + b"-->"

    def measure(units: int) -> tuple[float, float]:
        sample = b"".join(chunk(units) for _ in range(max(50, 200_000 // (len(unit) * units))))
        deflated = len(zlib.compress(sample, 6))
        return len(sample) / deflated, (sample.count(b"<") + sample.count(b"/>")) / deflated

    units = 1
    while True:  # the most units per random comment that stay under both limits
        ratio, tags = measure(int(units * 1.1) + 1)
        if ratio > 90 or tags > 0.95 * getattr(limits, "ZIP_MAX_TAGS_PER_BYTE", 3) or units > 1_000_000:
            break
        units = int(units * 1.1) + 1
    ratio, _ = measure(units)
    return b"".join(chunk(units) for _ in range(int(compressed * ratio / len(chunk(units)))))


def workbook(sheet_data: bytes, strings: bytes | None = None, sheets: int = 1, after: bytes = b"",
             insert: tuple[str, bytes, bytes] | None = None) -> bytes:
    """A workbook whose first sheet's <sheetData> holds `sheet_data` (and `after` it, more), with
    optional shared strings, `sheets` sheets, and `insert` = (part, after what, what) for the rest."""
    source, buffer = zipfile.ZipFile(io.BytesIO(_spare_workbook())), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = (f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode() + sheet_data
                        + b"</sheetData>" + after + b"</worksheet>")
            if insert and info.filename == insert[0]:
                assert insert[1] in body, (insert[1], body[:500])
                body = body.replace(insert[1], insert[1] + insert[2], 1)
            elif info.filename == "[Content_Types].xml" and strings is not None:
                body = body.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                                  f'ContentType="{STRINGS_TYPE}"/></Types>'.encode())
            elif info.filename == "xl/workbook.xml" and sheets > 1:
                extra = "".join(f'<sheet xmlns:r="{RELS_NS}" name="S{n}" sheetId="{n + 1}" r:id="rIdS{n}"/>'
                                for n in range(1, sheets))
                body = body.replace(b"</sheets>", extra.encode() + b"</sheets>")
            elif info.filename == "xl/_rels/workbook.xml.rels" and sheets > 1:
                extra = "".join(
                    f'<Relationship Id="rIdS{n}" Target="worksheets/s{n}.xml" Type="http://schemas.'
                    f'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
                    for n in range(1, sheets))
                body = body.replace(b"</Relationships>", extra.encode() + b"</Relationships>")
            target.writestr(info.filename, body)
        if strings is not None:
            target.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN_NS}">'.encode() + strings + b"</sst>")
        for n in range(1, sheets):
            target.writestr(f"xl/worksheets/s{n}.xml", f'<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>')
    return buffer.getvalue()


HEADER_ROW = ('<row r="1">' + "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                                      for i, h in enumerate(POWERS.headers)) + "</row>").encode()


DATA_ROW = ('<row r="2">' + "".join(f'<c r="{chr(65 + i)}2" t="inlineStr"><is><t>x</t></is></c>'
                                     for i in range(len(POWERS.headers))) + "</row>").encode()


def cases(size: int) -> dict[str, tuple[str, object, callable]]:
    """name → (file name, kind, a function building the bytes)."""
    half = size // 2
    return {
        # JSON
        "json: escaped quotes, unterminated": ("a.json", POWERS, lambda: repeat('\\"', size, '[{"事项名称": "')),
        "json: escaped quotes, closed": ("a.json", POWERS, lambda: repeat('\\"', size, '[{"事项名称": "', '"}]')),
        "json: backslashes, unterminated": ("a.json", POWERS, lambda: repeat("\\\\", size, '["')),
        "json: quotes and brackets": ("a.json", POWERS, lambda: repeat('"[', size, "[")),
        "json: deep nesting": ("a.json", POWERS, lambda: repeat("[", half) + repeat("]", half)),
        "json: wide, shallow nesting": ("a.json", POWERS, lambda: repeat("[[]],", size, "[", "[]]")),
        "json: one item, many keys": ("a.json", POWERS, lambda: json.dumps(
            [{f"k{i}": "" for i in range(size // 10)}]).encode()),
        "json: many tiny items": ("a.json", POWERS, lambda: repeat("{},", size, "[", "{}]")),
        "json: huge single cell": ("a.json", POWERS, lambda: repeat("x", size, '[{"事项名称": "', '"}]')),
        "json: long number": ("a.json", POWERS, lambda: repeat("9", size, '[{"份数": ', "}]")),
        # YAML
        "yaml: escaped quotes, unterminated": ("a.yaml", POWERS, lambda: repeat('\\"', size, '- 事项名称: "')),
        "yaml: deep flow nesting": ("a.yaml", POWERS, lambda: repeat("[", size)),
        "yaml: deep block nesting": ("a.yaml", POWERS, lambda: repeat("- ", size) + b"x\n"),
        "yaml: long line": ("a.yaml", POWERS, lambda: repeat("x", size, "- 事项名称: ", "\n")),
        "yaml: one item, many keys": ("a.yaml", POWERS, lambda: "".join(
            f"{'- ' if i == 0 else '  '}k{i}: v\n" for i in range(size // 10)).encode()),
        "yaml: many tiny items": ("a.yaml", POWERS, lambda: repeat("- a: b\n", size)),
        "yaml: many empty items": ("a.yaml", POWERS, lambda: repeat("- {}\n", size)),
        "yaml: long flow sequence": ("a.yaml", POWERS, lambda: repeat("a, ", size, "- a: [", "a]\n")),
        "yaml: many simple keys in flow": ("a.yaml", POWERS, lambda: repeat("a: ", size, "- {", "b}\n")),
        # CSV
        "csv: escaped quotes, unterminated": ("a.csv", POWERS, lambda: repeat('""', size, '事项编码\n"')),
        "csv: long line": ("a.csv", POWERS, lambda: repeat("x", size, "事项编码,事项名称\na,", "\n")),
        "csv: many columns": ("a.csv", POWERS, lambda: repeat("a,", size, "", "a\n1\n")),
        "csv: many tiny rows": ("a.csv", POWERS, lambda: repeat("1\n", size, "事项编码\n")),
        "csv: many blank rows": ("a.csv", POWERS, lambda: repeat(",,,,,,,,\n", size, "事项编码,a,b,c,d,e,f,g,h\n")),
        "csv: long Excel-like numbers": ("a.csv", POWERS, lambda: repeat("1" * 30_000 + "E+5\n", size, "事项编码\n")),
        "csv: negative numbers everywhere": ("a.csv", POWERS, lambda: repeat(
            ",".join(["-1.5"] * 100) + "\n", size, ",".join(f"列{i}" for i in range(100)) + "\n")),
        "csv: table cells of escaped quotes": ("a.csv", SERVICES, lambda: services_csv(
            '["' + '\\"' * 16_000, size)),
        "csv: table cells of deep nesting": ("a.csv", SERVICES, lambda: services_csv("[" * 32_000, size)),
        # XLSX (1 MB compressed, inflating up to the zip guard's limits)
        "xlsx: empty cells in one row": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + b'<row r="2">' + amplified(b"<c/>", size) + b"</row>")),
        "xlsx: empty rows": ("a.xlsx", POWERS, lambda: workbook(HEADER_ROW + amplified(b"<row/>", size))),
        "xlsx: many tiny rows": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + amplified(b'<row><c t="inlineStr"><is><t>1</t></is></c></row>', size))),
        "xlsx: many columns": ("a.xlsx", POWERS, lambda: workbook(
            b"<row>" + amplified(b'<c t="inlineStr"><is><t>a</t></is></c>', size) + b"</row>")),
        "xlsx: huge single cell": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + amplified(b"x", size)
            + b"</t></is></c></row>")),
        "xlsx: huge shared strings": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW, strings=amplified(b"<si><t/></si>", size))),
        "xlsx: many sheets": ("a.xlsx", POWERS, lambda: workbook(HEADER_ROW, sheets=990)),
        "xlsx: empty cells in many rows": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + amplified(b"<row>" + b"<c/>" * 20 + b"</row>", size))),
        "xlsx: unknown elements": ("a.xlsx", POWERS, lambda: workbook(HEADER_ROW + amplified(b"<x></x>", size))),
        "xlsx: many merged ranges": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + DATA_ROW, after=b"<mergeCells>" + amplified(b'<mergeCell ref="ZZ1:ZZ2"/>', size)
            + b"</mergeCells>")),
        "xlsx: many hidden columns": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + DATA_ROW, insert=("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN_NS}">'.encode(),
                                           b"<cols>" + amplified(b'<col min="30" max="99" hidden="1"/>', size)
                                           + b"</cols>"))),
        "xlsx: many cell styles": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + DATA_ROW, insert=("xl/styles.xml", b'<cellXfs count="1">',
                                           amplified(b'<xf numFmtId="14" fontId="0"/>', size)))),
        "xlsx: many defined names": ("a.xlsx", POWERS, lambda: workbook(
            HEADER_ROW + DATA_ROW, insert=("xl/workbook.xml", b"</sheets>", b"<definedNames>" + amplified(
                b'<definedName name="n">A!$A$1</definedName>', size) + b"</definedNames>"))),
    }


def _child(filename: str, kind, build, queue) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_PATH": tmp,
                          "SECRET_KEY": "bench"})
        with app.app_context():
            data = build()
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                sheet = read(filename, data, kind)
                answer = f"read {len(sheet.rows)} rows"
            except ReadError as error:
                answer = f"refused: {error}"
            except RecursionError:
                answer = "CRASHED: RecursionError"
            queue.put((len(data), time.perf_counter() - wall, time.process_time() - cpu, answer))


def run(name: str, filename: str, kind, build, timeout: float) -> tuple[int, float | None, float | None, str]:
    """Read one case in a child process: bytes, wall and CPU seconds (None if killed), answer."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(filename, kind, build, queue))
    child.start()
    try:
        return queue.get(timeout=timeout)
    except Exception:  # queue.Empty: still reading
        return 0, None, None, f"no answer after {timeout:.0f} s"
    finally:
        if child.is_alive():
            child.kill()
        child.join()


def main() -> None:
    """Run every case (or those matching -k) and print size, seconds and answer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("-k", default="")
    args = parser.parse_args()
    slow = 0
    print(f"{'input':38} {'KiB':>5} {'wall s':>7} {'cpu s':>6}  answer")
    for name, (filename, kind, build) in cases(args.size).items():
        if args.k not in name:
            continue
        size, wall, cpu, answer = run(name, filename, kind, build, args.timeout)
        slow += cpu is None or cpu >= LIMIT_SECONDS
        shown = f"{'>' + format(args.timeout, '.0f'):>7} {'':>6}" if cpu is None else f"{wall:7.3f} {cpu:6.3f}"
        print(f"{name:38} {size / 1024:5.0f} {shown}  {answer[:80]}", flush=True)
    print(f"{slow} input(s) took {LIMIT_SECONDS:.0f} s or more" if slow else "every input answered in under a second")
    sys.exit(1 if slow else 0)


if __name__ == "__main__":
    main()
