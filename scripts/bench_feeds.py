"""Time feed generation for one department with 5,000 change events.

Usage: .venv/bin/python scripts/bench_feeds.py [--items N] [--rounds N] [--repeat N]

Builds a throwaway SQLite database with the test city's departments, then
publishes one department's power list through the write path (the same as
`flask content load`) again and again: first N items added, then rounds that
change half of them, then one that withdraws a quarter and changes another —
5,000 events with the defaults. Reports, in milliseconds, the median and p95
of a feed request (first page, Atom and RSS, each language), a 304 answer,
walking every page, and the whole history as a single document; and how long
`changes verify` takes over that chain.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import g  # noqa: E402

from portal import create_app, migrate  # noqa: E402
from portal.catalog.changes import Scope  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.feeds.build import build_feed  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402
from portal.publish.verify import verify_chain  # noqa: E402

DEPARTMENT = "99010001FG"
HEADERS = ["事项编码", "事项名称", "子项名称", "权力类型", "实施主体", "承办机构", "实施层级", "设定依据",
           "责任事项", "责任事项依据", "追责情形", "追责依据", "监督电话", "状态", "状态日期", "状态说明", "备注"]


def _row(number: int, remark: str) -> dict:
    return {
        "事项编码": f"{DEPARTMENT}-XK-{number:04d}",
        "事项名称": f"建设项目审批事项第{number}号",
        "权力类型": "行政许可",
        "实施主体": DEPARTMENT,
        "承办机构": "投资科",
        "实施层级": "市级",
        "设定依据": "《中华人民共和国行政许可法》第十二条;《企业投资项目核准和备案管理条例》第三条",
        "责任事项": "受理责任:一次性告知需要补正的全部内容;审查责任:对申请材料进行审查;决定责任:作出决定",
        "追责情形": "对符合法定条件的申请不予受理的;超越法定职权作出准予行政许可决定的",
        "监督电话": "0999-8100002",
        "状态": "在用",
        "备注": remark,
    }


def _write(path: Path, rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def publish_history(content: Path, items: int, rounds: int) -> None:
    """Publish the department's power list: add, change in rounds, then withdraw and change."""
    target = content / "disclosures" / DEPARTMENT / "powers.csv"
    target.parent.mkdir(parents=True)
    rows = {n: _row(n, "") for n in range(1, items + 1)}
    versions = [dict(rows)]
    for round_number in range(1, rounds + 1):
        half = [n for n in rows if n % 2 == round_number % 2]
        for n in half:
            rows[n] = _row(n, f"第{round_number}轮调整")
        versions.append(dict(rows))
    last = {n: row for n, row in rows.items() if n > items // 4}  # withdraw the first quarter…
    for n in list(last)[: items // 4]:
        last[n] = _row(n, "最后一轮调整")  # …and change another quarter
    versions.append(last)
    for version in versions:
        _write(target, list(version.values()))
        report = load_directory(db.session, content)
        assert report.ok, [(f.path, f.problems) for f in report.files if f.problems]


def _time(call, repeat: int) -> tuple[float, float, float]:
    """Median and p95 wall-clock ms, and median CPU ms (steadier on a busy machine)."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], statistics.median(cpu)


def main() -> None:
    """Build the history, then time the feeds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000, help="power items first published")
    parser.add_argument("--rounds", type=int, default=7, help="rounds that each change half the items")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = tmp / "content"
        content.mkdir()
        shutil.copy(ROOT / "tests" / "fixtures" / "city" / "departments.csv", content / "departments.csv")
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "CONTENT_DIR": str(content),
                          "INSTANCE_PATH": str(tmp), "SECRET_KEY": "bench"})
        with app.app_context():
            migrate.create_at_head(db.engine)
            started = time.perf_counter()
            publish_history(content, args.items, args.rounds)
            print(f"published {args.rounds + 2} revisions in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        base = f"/zh-hans/feeds/departments/{DEPARTMENT}"
        total = client.get(f"/zh-hans/changes.json?department={DEPARTMENT}").get_json()["total"]
        print(f"department {DEPARTMENT}: {total} change events, FEED_SIZE {app.config['FEED_SIZE']}")
        print(f"{'request':52} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>8} {'KiB':>6}")

        def report(label, url, repeat=args.repeat, **headers):
            response = client.get(url, headers=headers)
            median, p95, cpu = _time(lambda: client.get(url, headers=headers), repeat)
            print(f"{label:52} {median:10.1f} {p95:8.1f} {cpu:8.1f} {len(response.data) / 1024:6.1f}")
            return response

        for lang in ("zh-hans", "zh-hant", "en"):
            report(f"{lang} department Atom, first page", f"/{lang}{base[8:]}.atom")
        first = report("zh-hans department RSS, first page", f"{base}.rss")
        report("zh-hans department × powers Atom, first page", f"{base}/powers.atom")
        report("zh-hans department Atom, page 50", f"{base}.atom?page=50")
        report("conditional GET answered 304", f"{base}.rss", If_None_Match=first.headers["ETag"])

        pages = -(-total // app.config["FEED_SIZE"])
        median, _, cpu = _time(lambda: [client.get(f"{base}.atom?page={p}") for p in range(1, pages + 1)], 3)
        print(f"{'walking all ' + str(pages) + ' pages (Atom)':52} {median:10.1f} {'':8} {cpu:8.1f}")

        with app.test_request_context(f"{base}.atom"):
            g.lang = "zh-hans"
            median, _, cpu = _time(lambda: build_feed(db.session, Scope(DEPARTMENT), "atom", 1, total), 3)
            size = len(build_feed(db.session, Scope(DEPARTMENT), "atom", 1, total).body)
            print(f"{'all ' + str(total) + ' entries in one Atom document (build_feed)':52} {median:10.1f}"
                  f" {'':8} {cpu:8.1f} {size / 1024:6.0f}")
        with app.app_context():
            started = time.perf_counter()
            result = verify_chain(db.session)
            print(f"changes verify: {result.checked} revisions, ok={result.ok}, "
                  f"{(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
