"""Time the scorecard pages on the sample city: each figure computed afresh (cold: the first request
after a publish) and kept per revision (warm: every later request), in milliseconds.

Usage: .venv/bin/python scripts/bench_stats.py [--content DIR] [--database FILE] [--repeat N] [--lang L]
Loads DIR (default content/) into a throwaway SQLite database, or reads an already loaded
--database. The heaviest scorecard is the department with the most complaints and commitments.
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
from portal.publish import memo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _time(client, url: str, repeat: int, cold: bool) -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(repeat):
        if cold:
            memo.clear(client.application)
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return times, size


def _pages(client, lang: str) -> list[str]:
    stats = client.get(f"/{lang}/stats.json").get_json()
    rows = stats["departments"]
    heaviest = max(rows, key=lambda r: (r["complaints"] + r["commitments"], r["department"]["code"]))
    code = heaviest["department"]["code"]
    year = max(r["year"] for r in rows if r["year"])
    chosen = "&".join(f"departments={r['department']['code']}" for r in rows[:8])
    return [
        f"/{lang}/departments/{code}/",
        f"/{lang}/departments/{code}.json",
        f"/{lang}/departments/{code}/scorecard/complaints-by-category.svg",
        f"/{lang}/stats/",
        f"/{lang}/stats/complaints-by-department.svg",
        f"/{lang}/stats/compare/?{chosen}",
        f"/{lang}/appraisals/{year}/",
        f"/{lang}/appraisals/{year}/city-departments.svg",
        f"/{lang}/",
    ]


def main() -> None:
    """Load (or open) the sample city, then time each scorecard page cold and warm."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--database", help="an SQLite file the content is already loaded into")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--lang", default="zh-hans", help="URL prefix: zh-hans, zh-hant or en")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"{tmp}/bench.sqlite3"
        app = create_app({"DATABASE_URL": f"sqlite:///{database}", "CONTENT_DIR": args.content,
                          "INSTANCE_PATH": tmp, "SECRET_KEY": "bench"})
        if not args.database:
            with app.app_context():
                migrate.create_at_head(db.engine)
                started = time.perf_counter()
                report = load_directory(db.session, Path(args.content))
                print(f"load {args.content}: {time.perf_counter() - started:.2f} s, ok={report.ok}")
        client = app.test_client()
        print(f"{'page':72} {'cold ms':>8} {'warm ms':>8} {'p95 ms':>7} {'KiB':>6}")
        for url in _pages(client, args.lang):
            cold, _ = _time(client, url, max(3, args.repeat // 5), cold=True)
            warm, size = _time(client, url, args.repeat, cold=False)
            p95 = sorted(warm)[max(0, int(len(warm) * 0.95) - 1)]
            print(f"{url[:72]:72} {statistics.median(cold):8.1f} {statistics.median(warm):8.1f} "
                  f"{p95:7.1f} {size / 1024:6.1f}")


if __name__ == "__main__":
    main()
