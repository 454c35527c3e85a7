"""Time page rendering on the sample city: median and p95 per page, in milliseconds.

Usage: .venv/bin/python scripts/bench_pages.py [--content DIR] [--repeat N]
Loads DIR (default content/) into a throwaway SQLite database first and reports
how long that load took too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, migrate  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402

PAGES = [
    "/zh-hans/",
    "/zh-hans/departments/",
    "/zh-hans/powers/",
    "/zh-hans/powers/?power_type=行政处罚&page=2",
    "/zh-hans/services/",
    "/zh-hans/commitments/",
    "/zh-hans/appraisals/",
    "/zh-hans/complaints/",
    "/zh-hans/complaints/?year=2024&finding=属实",
    "/zh-hans/powers.json",
    "/zh-hans/appraisals/2024/",
]


def main() -> None:
    """Load the content, then time each page `--repeat` times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(Path(__file__).resolve().parent.parent / "content"))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--lang", default="zh-hans", help="URL prefix: zh-hans, zh-hant or en")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "CONTENT_DIR": args.content,
                          "INSTANCE_PATH": tmp, "SECRET_KEY": "bench"})
        with app.app_context():
            migrate.create_at_head(db.engine)
            started = time.perf_counter()
            report = load_directory(db.session, Path(args.content))
            print(f"load {args.content}: {time.perf_counter() - started:.2f} s, ok={report.ok}")
        client = app.test_client()
        pages = PAGES + [_department_page(client), _service_page(client)]
        pages = [url.replace("/zh-hans/", f"/{args.lang}/", 1) for url in pages]
        print(f"{'page':58} {'median ms':>10} {'p95 ms':>8} {'KiB':>6}")
        for url in pages:
            times, size = [], 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.data)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{url:58} {statistics.median(times):10.1f} {p95:8.1f} {size / 1024:6.1f}")


def _department_page(client) -> str:
    return client.get("/zh-hans/departments.json").get_json()["items"][0]["url"]


def _service_page(client) -> str:
    return client.get("/zh-hans/services.json").get_json()["items"][0]["url"]


if __name__ == "__main__":
    main()
