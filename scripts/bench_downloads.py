"""Time and measure the memory of writing the whole-city downloads of a large kind.

Usage: .venv/bin/python scripts/bench_downloads.py [--rows 50000]
Publishes one department's power list grown to N rows (new codes) through the
door into a throwaway database, then writes every download of the kind for the
whole city (CSV in both header variants, JSON, XLSX) and reports the time and
the peak memory of the writing alone (tracemalloc: Python allocations), and the
process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, migrate, publish  # noqa: E402
from portal.downloads import build  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Department  # noqa: E402
from portal.schemas import DEPARTMENTS, POWERS  # noqa: E402

RECORD = {
    "name": "对违反价格法规定行为的处罚", "sub_name": None, "power_type": "行政处罚", "department": "99010001FG",
    "office": "价格监督检查科", "level": "市级", "basis": "《中华人民共和国价格法》第三十九条至第四十二条" * 3,
    "duties": "1.立案责任:发现涉嫌违法行为,予以审查,决定是否立案;\n2.调查责任:调查取证;\n3.审查责任:审查案件调查报告;"
              "\n4.告知责任:告知当事人拟作出的处罚决定;\n5.决定责任:作出处罚决定;\n6.送达责任:送达处罚决定书。",
    "duty_basis": "《中华人民共和国行政处罚法》第五十四条至第六十二条", "accountability": "1.对应当予以处罚的不予处罚的;",
    "accountability_basis": "《中华人民共和国行政处罚法》第七十六条", "phone": "0999-1234568", "status": "在用",
    "status_date": None, "status_reason": None, "remarks": "=1+1 的公式样例",
}


def main() -> None:
    """Publish N power items, then time writing the city-wide files of the kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_PATH": tmp,
                          "SECRET_KEY": "bench", "CATCH_UP_SECONDS": 1e9})
        with app.test_request_context():
            migrate.create_at_head(db.engine)
            with publish.opened(db.session) as writer:
                writer.publish_departments([{f.name: f.example for f in DEPARTMENTS.fields}],
                                           author="bench", source="bench")
            department = Department.by_code(db.session, DEPARTMENTS.field("code").example)
            records = [{**RECORD, "department": department.code, "code": f"{department.code}-CF-{n:06d}"}
                       for n in range(args.rows)]
            started = time.perf_counter()
            with publish.opened(db.session) as writer:
                writer.publish(department, POWERS, records, author="bench", source="bench")
            published = time.perf_counter() - started
            del records
            root = Path(tmp) / "bench-data"
            tracemalloc.start()
            started = time.perf_counter()
            written = build.build_scope(db.session, root, POWERS, None)
            elapsed = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(f"published {args.rows} power items in {published:.1f} s")
        print(f"wrote the city's {len(written)} files of the kind in {elapsed:.1f} s "
              f"({args.rows / elapsed:,.0f} rows/s, one pass for every file)")
        for w in written:
            print(f"  {w.path:24} {w.bytes / 2**20:7.1f} MiB  {w.rows} rows")
        print(f"peak Python memory while writing: {peak / 2**20:.1f} MiB")
        print(f"peak RSS of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
