"""The in-process steps of scripts/bench; each prints its figures as one JSON line last.

Usage (scripts/bench runs these; the app reads DATABASE_URL, SEARCH_DIR, DATA_DIR from the environment):
  bench_steps.py exec -- COMMAND…   run a command; report its peak memory
  bench_steps.py load DIR [--read-ahead]
                                    load DIR through the write path, as `flask content load` does
  bench_steps.py pages [--repeat N] [--cold N]
                                    search queries and the heaviest page of each type in the test client:
                                    N cold requests (what a worker keeps per state of the database
                                    forgotten first, as after a publish), then N warm ones
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from portal import create_app, migrate, search  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.publish import memo  # noqa: E402
from portal.models import MODELS, Department  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402
from portal.schemas import KINDS  # noqa: E402
from portal.web.urls import department_url, feed_url, item_url, list_url  # noqa: E402

PROBLEMS = ("态度生硬", "推诿扯皮", "一次性告知", "超时办结", "不作为", "窗口工作人员", "多次往返")
PLACES = ("松华大道", "人民路", "政务服务中心", "行政中心")


def peak_mib() -> float:
    """The largest resident size of this process or any command it ran, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))], 2)


def run_command(argv: list[str]) -> dict:
    """Run a command to its end; its peak memory and CPU seconds (with any command it ran in turn)."""
    done = subprocess.run(argv)
    if done.returncode:
        sys.exit(done.returncode)
    # CPU time too: on a machine others share, it is the steadier figure.
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"peak_mib": peak_mib(), "cpu_seconds": round(used.ru_utime + used.ru_stime, 2)}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def load(directory: Path, read_ahead: bool = False) -> dict:
    """Load a content directory as `flask content load` does, timing the publishes and what follows."""
    app = create_app()
    rows = 0
    statements = {"statements": 0, "commits": 0}
    with app.app_context():
        migrate.upgrade(db.engine)
        event.listen(db.engine, "before_cursor_execute",
                     lambda *_args: statements.__setitem__("statements", statements["statements"] + 1))
        event.listen(db.engine, "commit", lambda *_args: statements.__setitem__("commits", statements["commits"] + 1))
        started, cpu, reader = time.perf_counter(), time.process_time(), _children_cpu()
        with search.deferred():
            report = load_directory(db.session, directory, read_ahead=read_ahead)
            published = time.perf_counter() - started
            # CPU time too: on a machine others share, it is the steadier figure. The files are
            # read ahead in a second process (portal.publish.readahead): its time counts.
            own = time.process_time() - cpu
            reader = _children_cpu() - reader
            cpu = own + reader
            counted = dict(statements)  # the publishes' own, not the index's nor the charts' that follow
        indexed = time.perf_counter() - started - published
        for model in MODELS.values():
            rows += db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
        projections = time.perf_counter()
    # The flowcharts and downloads follow as the context ends, as after any publish.
    projections = time.perf_counter() - projections
    return {"ok": report.ok, "rows": rows, "files": len(report.files), **counted,
            "publish_seconds": round(published, 2),
            "rows_per_second": round(rows / published), "publish_cpu_seconds": round(cpu, 2),
            "rows_per_cpu_second": round(rows / cpu), "reader_cpu_seconds": round(reader, 2),
            "index_seconds": round(indexed, 2),
            "charts_and_downloads_seconds": round(projections, 2), "peak_mib": peak_mib(),
            "load_average": os.getloadavg()}


def heavy_pages(session) -> list[tuple[str, str]]:
    """(page type, URL) for the heaviest page of each type at this scale."""
    size = 20
    pages = [("home", "/zh-hans/"), ("home zh-hant", "/zh-hant/"), ("departments", "/zh-hans/departments/")]
    counts = {}
    for kind, model in MODELS.items():
        for department_id, n in session.execute(
            select(model.department_id, func.count()).where(model.withdrawn_at.is_(None))
            .group_by(model.department_id)
        ):
            counts[department_id] = counts.get(department_id, 0) + n
    biggest = session.get(Department, max(counts, key=counts.get))
    pages += [("department (largest)", department_url(biggest)),
              ("department twin", department_url(biggest, "json"))]
    for kind, declared in KINDS.items():
        model = MODELS[kind]
        live = session.scalar(select(func.count()).select_from(model).where(model.withdrawn_at.is_(None)))
        deepest = max(1, math.ceil(live / size))
        pages.append((f"{kind} list first", list_url(kind)))
        pages.append((f"{kind} list deepest", list_url(kind, page=deepest)))
        pages.append((f"{kind} twin deepest", list_url(kind, "json", page=deepest)))
        facet = next((f for f in declared.facets if f != "department"), None)
        if facet:
            column = getattr(model, facet)
            value = session.execute(select(column, func.count()).where(model.withdrawn_at.is_(None))
                                    .group_by(column).order_by(func.count().desc()).limit(1)).first()[0]
            if isinstance(value, str) and value.startswith("|"):  # several values, stored between bars
                value = value.strip("|").split("|")[0]
            pages.append((f"{kind} list filtered", list_url(kind, **{facet: value})))
        if kind != "appraisals":
            code = session.scalar(select(model.code).where(model.withdrawn_at.is_(None)).order_by(model.id).limit(1))
            pages.append((f"{kind} item", item_url(kind, code)))
            pages.append((f"{kind} item twin", item_url(kind, code, "json")))
    year = session.scalar(select(func.max(MODELS["appraisals"].year)))
    pages += [("appraisal year", f"/zh-hans/appraisals/{year}/"),
              ("statistics", "/zh-hans/stats/"),
              ("powers list zh-hant", list_url("powers").replace("/zh-hans/", "/zh-hant/", 1)),
              ("search page", "/zh-hans/search?q=营业执照"),
              ("search twin", "/zh-hans/search.json?q=许可&kind=powers"),
              ("changes", "/zh-hans/changes/"),
              ("feed: changes", feed_url()),
              ("feed: powers", feed_url(kind="powers")),
              ("feed: department", feed_url(department=biggest)),
              ("data page", "/zh-hans/data/powers/"),
              ("download powers.csv", "/data/powers.csv"),
              ("download complaints.json", "/data/complaints.json")]
    return pages


def search_queries(session, count: int = 100, seed: int = 7) -> list[str]:
    """Realistic queries drawn with a fixed seed: parts of titles, complaint wording, places, codes."""
    rng = random.Random(seed)
    titles = list(session.scalars(select(MODELS["services"].title).order_by(MODELS["services"].id).limit(2000)))
    titles += list(session.scalars(select(MODELS["powers"].title).order_by(MODELS["powers"].id).limit(2000)))
    codes = list(session.scalars(select(MODELS["powers"].code).order_by(MODELS["powers"].id).limit(500)))
    queries = []
    while len(queries) < count:
        pick = rng.random()
        if pick < 0.5:
            title = rng.choice(titles)
            length = rng.choice((2, 3, 4, 6))
            start = rng.randrange(0, max(1, len(title) - length))
            queries.append(title[start:start + length])
        elif pick < 0.7:
            queries.append(rng.choice(PROBLEMS))
        elif pick < 0.8:
            queries.append(rng.choice(PLACES))
        elif pick < 0.9:
            queries.append(rng.choice(codes))
        else:
            queries.append(f"{rng.choice(titles)[:2]} {rng.choice(titles)[-2:]}")
    return queries


def pages(repeat: int, cold: int = 3) -> dict:
    """Time search queries, then each heavy page: `cold` times as the first request after a publish
    (cold_p50_ms, cold_queries), then `repeat` times warm (p50_ms, p95_ms, queries)."""
    app = create_app()
    app.config["CATCH_UP_SECONDS"] = 1e9  # measure pages, not catching up with the log
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.__setitem__(0, statements[0] + 1))
        with app.test_request_context():
            urls = heavy_pages(db.session)
            queries = search_queries(db.session)
        db.session.remove()
    client = app.test_client()
    with app.app_context():
        search.query("预热")
        latencies = []
        for q in queries:
            started = time.perf_counter()
            search.query(q, {}, 1, 20)
            latencies.append((time.perf_counter() - started) * 1000)
    figures = {"search_p50_ms": percentile(latencies, 0.5), "search_p95_ms": percentile(latencies, 0.95),
               "pages": []}
    for label, url in urls:
        times, count, size, status = [], 0, 0, None
        cold_times = []
        for _ in range(max(1, cold)):
            memo.clear(app)  # the first request after a publish: nothing kept for this state yet
            statements[0] = 0
            started = time.perf_counter()
            client.get(url)
            cold_times.append((time.perf_counter() - started) * 1000)
        cold_count = statements[0]
        for _ in range(repeat):
            statements[0] = 0
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            count, size, status = statements[0], len(response.data), response.status_code
        figures["pages"].append({"type": label, "url": url, "status": status, "p50_ms": percentile(times, 0.5),
                                 "p95_ms": percentile(times, 0.95), "queries": count, "kib": round(size / 1024, 1),
                                 "cold_p50_ms": percentile(cold_times, 0.5), "cold_max_ms": round(max(cold_times), 2),
                                 "cold_queries": cold_count})
    figures["peak_mib"] = peak_mib()
    return figures


def main() -> None:
    """Dispatch to the step named first."""
    step, rest = sys.argv[1], sys.argv[2:]
    if step == "exec":
        result = run_command(rest[rest.index("--") + 1:] if "--" in rest else rest)
    elif step == "load":
        result = load(Path(rest[0]), read_ahead="--read-ahead" in rest)
    elif step == "pages":
        result = pages(int(rest[rest.index("--repeat") + 1]) if "--repeat" in rest else 20,
                       int(rest[rest.index("--cold") + 1]) if "--cold" in rest else 3)
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
