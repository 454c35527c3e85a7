"""Time a department's 10,000-row upload through the desk: stage (read, validate, diff), preview, publish.

Usage: .venv/bin/python scripts/bench_desk.py [--rows N]
Loads the sample city into a throwaway database, then uploads one department's
power list grown to N rows (new codes) as CSV, the way the desk and the API do.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, migrate  # noqa: E402
from portal.accounts import users  # noqa: E402
from portal.desk import uploads  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402
from portal.schemas import POWERS  # noqa: E402

CONTENT = Path(__file__).resolve().parent.parent / "content"
DEPARTMENT = "99010018SJ"


def grown_file(rows: int) -> bytes:
    """The department's power list, repeated with new codes up to `rows` rows, as CSV."""
    with (CONTENT / "disclosures" / DEPARTMENT / "powers.csv").open(encoding="utf-8", newline="") as f:
        base = list(csv.DictReader(f))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=POWERS.headers)
    writer.writeheader()
    for n in range(rows):
        row = dict(base[n % len(base)])
        if n >= len(base):
            prefix, kind, _seq = row["事项编码"].rsplit("-", 2)
            row["事项编码"] = f"{prefix}-{kind}-{n:05d}"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def main() -> None:
    """Load the sample city, then time stage, preview and publish of one big upload."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    data = grown_file(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "INSTANCE_PATH": tmp,
                          "SECRET_KEY": "bench", "CONTENT_DIR": str(CONTENT)})
        with app.test_request_context():
            migrate.create_at_head(db.engine)
            load_directory(db.session, CONTENT)
            user = users.create_user(db.session, "bench", "a long bench password", None, is_admin=True)
            db.session.commit()
            department = uploads.department_by_code(db.session, DEPARTMENT)
            timings = {}
            start = time.perf_counter()
            staged = uploads.stage_upload(db.session, user, department, POWERS, "powers.csv", data)
            timings["stage (read + validate + diff + store)"] = time.perf_counter() - start
            assert staged.upload is not None, [p.as_dict() for p in staged.problems[:5]]
            start = time.perf_counter()
            _plan, diff = uploads.preview(db.session, staged.upload)
            timings["preview (diff against live)"] = time.perf_counter() - start
            start = time.perf_counter()
            uploads.publish_upload(db.session, user, staged.upload)
            timings["publish (one transaction)"] = time.perf_counter() - start
        print(f"{args.rows} rows, {len(data) / 1e6:.1f} MB CSV; preview counts {diff.counts()}")
        for step, seconds in timings.items():
            print(f"  {step:42} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
