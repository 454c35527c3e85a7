"""Time flowchart drawing on the sample city: per flow, per chart, and per step of the work.

Usage: .venv/bin/python scripts/bench_flowcharts.py [--content DIR] [--single N]
Loads DIR (default content/) into a throwaway SQLite database (which draws every
chart once), then redraws all of them in one go, then N flows one at a time (as
a department publishing one service guide would), and splits a chart's cost
into preparing its DOT text, Graphviz's layout, and finishing the SVG.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_babel import force_locale  # noqa: E402
from sqlalchemy import select  # noqa: E402

from portal import create_app, migrate  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.flowcharts import dot, svg, text  # noqa: E402
from portal.flowstore.drawing import draw  # noqa: E402
from portal.flowcharts.validate import read  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402
from portal.models import Flowchart, ServiceGuide  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    """Load the content, then time drawing in bulk, one flow at a time, and by stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(Path(__file__).resolve().parent.parent / "content"))
    parser.add_argument("--single", type=int, default=20, help="how many flows to draw one at a time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "CONTENT_DIR": args.content,
                          "INSTANCE_PATH": tmp, "SECRET_KEY": "bench"})
        locales = list(app.config["LOCALES"].values())
        started = time.perf_counter()
        with app.app_context():
            migrate.create_at_head(db.engine)
            loaded = time.perf_counter()
            report = load_directory(db.session, Path(args.content))
            loaded = time.perf_counter() - loaded
        total = time.perf_counter() - started
        with app.app_context():
            services = db.session.scalars(select(ServiceGuide).order_by(ServiceGuide.code)).all()
            charts = len(db.session.scalars(select(Flowchart.id)).all())
            print(f"load {args.content}: {total:.2f} s (publishing {loaded:.2f} s, then drawing "
                  f"{charts} charts {total - loaded:.2f} s), ok={report.ok}")

            started = time.perf_counter()
            drawn = draw(db.session, force=True)
            db.session.commit()
            bulk = time.perf_counter() - started
            print(f"redraw all: {drawn} charts of {len(services)} flows in {bulk:.2f} s"
                  f" = {_ms(bulk / len(services))} per flow ({len(locales)} locales),"
                  f" {_ms(bulk / drawn)} per chart")

            times = []
            for service in services[: args.single]:
                started = time.perf_counter()
                draw(db.session, [service.code], force=True)
                db.session.commit()
                times.append(time.perf_counter() - started)
            print(f"one flow at a time ({len(times)} flows, {len(locales)} locales each): median"
                  f" {_ms(statistics.median(times))}, max {_ms(max(times))}")

            flows = [(s, read(s.record["flow"])) for s in services]
            started = time.perf_counter()
            with force_locale("zh_Hans"):
                sources = [dot.source(f, s.code, text.Limits(), svg.font_for("zh_Hans")) for s, f in flows]
                described = [text.describe(text.walk(f), text.Limits()) for _, f in flows]
            prepare = time.perf_counter() - started
            started = time.perf_counter()
            documents = svg.run_dot(sources)
            layout = time.perf_counter() - started
            started = time.perf_counter()
            sizes = [len(svg.finish(d, "x", s.title, desc)) for d, (s, _), desc in zip(documents, flows, described)]
            finish = time.perf_counter() - started
            count = len(flows)
            print(f"per chart (zh_Hans, {count} in one dot run): DOT and text {_ms(prepare / count)},"
                  f" dot layout {_ms(layout / count)}, finishing {_ms(finish / count)};"
                  f" SVG {statistics.median(sizes) / 1024:.1f} KiB median, {max(sizes) / 1024:.1f} KiB max")
            started = time.perf_counter()
            svg.run_dot(sources[:1])
            print(f"one dot run for a single chart (start-up and fonts included): "
                  f"{_ms(time.perf_counter() - started)}")


if __name__ == "__main__":
    main()
