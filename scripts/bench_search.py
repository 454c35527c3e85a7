"""Benchmark search on a generated city: build time, index size, latency, recall; FTS5 as reference.

Usage: .venv/bin/python scripts/bench_search.py [--scale 20] [--queries 200] [--workdir DIR]

Generates the sample city at --scale (20 ≈ 20,000 documents, 100 ≈ 100,000),
loads it through the write path into a SQLite database under --workdir (both
are kept and reused on the next run with the same scale), then:

* builds the whoosh index from scratch (wall and CPU time, size on disk);
* draws --queries realistic queries from the corpus itself, seeded: parts of
  service and power names, department names, complaint wording, places,
  codes and code prefixes, two-word queries, some in Traditional characters;
* times each search as the results page needs it (hits of page 1 with
  facet counts), and measures recall against substring truth: every document
  whose text, spaces and punctuation ignored, contains the query's Han text
  (for codes: every document with a code that starts with the query);
* runs the same queries on SQLite FTS5 with the trigram tokenizer over the same
  normalised text, as the reference (one- and two-character parts fall back to
  a scan with instr(): trigrams cannot match them, and LIKE finds nothing).

This is a benchmark, not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, migrate, search  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402
from portal.samplecity import generate  # noqa: E402
from portal.search import text as T  # noqa: E402
from portal.search.documents import live_documents  # noqa: E402
from portal.search.whoosh_engine import WhooshEngine  # noqa: E402

PROBLEMS = ("态度生硬", "推诿扯皮", "一次性告知", "超时办结", "不作为", "慢作为", "吃拿卡要", "首问负责",
            "多次往返", "无人处理", "当众大声呵斥", "系统升级", "办事成本", "窗口工作人员", "迟迟没有下文")
PLACES = ("松华大道", "人民路", "政务服务中心", "综合受理区", "行政中心", "滨江路", "学府路", "开发区")
PAIRS = (("低保", "材料"), ("婚姻", "登记"), ("营业执照", "变更"), ("许可", "延续"), ("处罚", "价格"),
         ("教师", "资格"), ("社会", "救助"), ("窗口", "态度"), ("不动产", "登记"), ("医疗", "报销"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def prepare(scale: int, workdir: Path) -> Path:
    """Generate and load the city once per scale; return the database path."""
    content = workdir / f"city-x{scale}"
    database = workdir / f"city-x{scale}.sqlite3"
    marker = workdir / f"city-x{scale}.loaded"
    if not marker.exists():
        started = time.perf_counter()
        counts = generate(content, seed=2024, scale=scale)
        print(f"generated scale {scale}: {counts} in {time.perf_counter() - started:.1f} s")
        database.unlink(missing_ok=True)
        app = _app(database, workdir, content)
        with app.app_context():
            migrate.create_at_head(db.engine)
            started = time.perf_counter()
            report = load_directory(db.session, content)
            print(f"loaded through the write path in {time.perf_counter() - started:.1f} s, ok={report.ok}")
        marker.write_text("ok")
    return database


def _app(database: Path, workdir: Path, content: Path):
    return create_app({"DATABASE_URL": f"sqlite:///{database}", "CONTENT_DIR": str(content),
                       "INSTANCE_PATH": str(workdir), "SECRET_KEY": "bench",
                       "SEARCH_DIR": str(workdir / "search")})


def draw_queries(documents, count: int, seed: int) -> list[str]:
    """Realistic queries, drawn from the corpus with a fixed seed."""
    rng = random.Random(seed)
    titles = [d.title for d in documents if d.kind in ("powers", "services")]
    departments = sorted({t for d in documents for t in d.texts if t.startswith("华松市") and len(t) < 20})
    codes = [d.code for d in documents if d.kind != "appraisals"]
    queries: list[str] = []

    def fragment(title: str) -> str:
        han = "".join(re.findall(f"[{T.HAN}]+", title))
        length = rng.choice((2, 2, 3, 4, 4, 5, 6))
        start = rng.randrange(0, max(1, len(han) - length + 1))
        return han[start:start + length]

    makers = [
        (30, lambda: fragment(rng.choice(titles))),
        (12, lambda: rng.choice(titles)[:rng.choice((4, 6, 8))]),
        (12, lambda: rng.choice(departments).removeprefix("华松市")[rng.choice((0, 0, 2)):]),
        (12, lambda: rng.choice(PROBLEMS)),
        (8, lambda: rng.choice(PLACES)),
        (8, lambda: rng.choice(codes)),
        (4, lambda: rng.choice(codes).rsplit("-", 1)[0]),
        (4, lambda: rng.choice(codes)[:-2] if rng.random() < 0.5 else rng.choice(
            [c for c in codes if len(c.split("-")[0]) > 4]).split("-")[0]),
        (10, lambda: " ".join(rng.choice(PAIRS))),
    ]
    weights = [w for w, _ in makers]
    while len(queries) < count:
        q = rng.choices(makers, weights)[0][1]()
        if len(T.han_text(q)) == 1:
            continue
        if rng.random() < 0.15:
            q = _traditional(q)
        queries.append(q)
    return queries


def _traditional(q: str) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(q)


def truth_sets(documents, queries):
    """Substring truth: documents containing the query's Han text (or a code it begins)."""
    compact = ["\x00".join(T.compact(t) for t in d.texts) for d in documents]
    code_lists = [[T.normalize(c) for c in d.codes] for d in documents]
    keys = [d.key for d in documents]
    truths = []
    for q in queries:
        plan = T.parse(q)
        if any(t.code for t in plan.terms):
            prefix = plan.terms[0].code
            truths.append({keys[i] for i, cs in enumerate(code_lists) if any(c.startswith(prefix) for c in cs)})
        else:
            needle = "".join(T.compact(t.text) for t in plan.terms)
            truths.append({keys[i] for i, text in enumerate(compact) if needle in text})
    return truths


def bench_whoosh(engine: WhooshEngine, queries):
    latencies, found = [], []
    for q in queries:
        started = time.perf_counter()
        plan = T.parse(q)
        engine.search(plan, {}, 1, 20)
        latencies.append((time.perf_counter() - started) * 1000)
        found.append(engine.matching_keys(plan))
    return latencies, found


def bench_fts5(documents, queries, path: Path):
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, body, tokenize='trigram')")
    started = time.perf_counter()
    connection.executemany("INSERT INTO docs VALUES (?, ?)",
                           ((d.key, T.normalize("\n".join(d.texts + d.codes))) for d in documents))
    connection.commit()
    build = time.perf_counter() - started
    latencies, found = [], []
    for q in queries:
        plan = T.parse(q)
        parts = []
        for term in plan.terms:
            parts += term.phrases + term.words + ([term.code] if term.code else [])
        parts = [p for p in dict.fromkeys(parts) if p]
        match = [p for p in parts if len(p) >= 3]
        like = [p for p in parts if len(p) < 3]
        where, args = [], []
        if match:
            where.append("docs MATCH ?")
            args.append(" AND ".join('"' + p.replace('"', '""') + '"' for p in match))
        for p in like:  # trigrams cannot match one or two characters (LIKE finds nothing): scan
            where.append("instr(body, ?) > 0")
            args.append(p)
        sql = " AND ".join(where) or "0"
        started = time.perf_counter()
        keys = {row[0] for row in connection.execute(f"SELECT key FROM docs WHERE {sql}", args)}
        order = "ORDER BY rank" if match else ""
        connection.execute(f"SELECT key FROM docs WHERE {sql} {order} LIMIT 20", args).fetchall()
        latencies.append((time.perf_counter() - started) * 1000)
        found.append(keys)
    size = path.stat().st_size
    connection.close()
    return build, size, latencies, found


def recall(found, truths) -> tuple[float, int]:
    wanted = sum(len(t) for t in truths)
    got = sum(len(t & f) for t, f in zip(truths, found))
    missed_queries = sum(1 for t, f in zip(truths, found) if t - f)
    return (got / wanted if wanted else 1.0), missed_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20, help="sample city multiplier (20 ≈ 20,000 documents)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None, help="build processes (default: one per core)")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "mingjing-bench"))
    parser.add_argument("--pages", type=int, default=50, help="also time this many whole HTML result pages")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    database = prepare(args.scale, workdir)
    app = _app(database, workdir, workdir / f"city-x{args.scale}")
    with app.app_context():
        migrate.create_at_head(db.engine)  # tables added since the city was loaded
        started = time.perf_counter()
        documents = list(live_documents(db.session))
        read = time.perf_counter() - started
    print(f"{len(documents)} documents, read from the database in {read:.1f} s "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

    app.config["SEARCH_DIR"] = str(workdir / f"search-x{args.scale}")
    app.extensions.pop("portal.search", None)
    engine = search.engine(app)
    # The build as `flask search reindex` runs it: documents read from the database (and
    # screened by the privacy guard) while the workers index them.
    with app.app_context():
        wall, cpu = time.perf_counter(), time.process_time()
        children = os.times()
        search.rebuild(db.session, workers=args.workers)
        after = os.times()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu + (after.children_user - children.children_user) + (
        after.children_system - children.children_system)
    print(f"whoosh build (flask search reindex): {wall:.1f} s wall, {cpu:.1f} s CPU, "
          f"{engine.size_bytes() / 2**20:.1f} MiB on disk")

    queries = draw_queries(documents, args.queries, args.seed)
    truths = truth_sets(documents, queries)
    engine.search(T.parse("预热"), {}, 1, 20)  # open the index once
    latencies, found = bench_whoosh(engine, queries)
    share, missed = recall(found, truths)
    print(f"whoosh queries: p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
          f"max {max(latencies):.1f} ms; recall {share:.2%} ({missed} queries missed something)")

    pages = []
    client = app.test_client()
    for q in queries[:args.pages]:
        started = time.perf_counter()
        response = client.get("/zh-hans/search", query_string={"q": q})
        pages.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    if pages:
        print(f"whole results page (HTML, snippets, {len(pages)} queries): p50 {statistics.median(pages):.1f} ms, "
              f"p95 {percentile(pages, 0.95):.1f} ms")

    build, size, fts_latencies, fts_found = bench_fts5(documents, queries, workdir / f"fts5-x{args.scale}.sqlite3")
    fts_share, fts_missed = recall(fts_found, truths)
    if os.environ.get("BENCH_DEBUG"):
        for q, t, f in list(zip(queries, truths, fts_found)):
            if t - f:
                print("FTS5 missed", q, len(t - f), len(t))
    print(f"FTS5 trigram reference: build {build:.1f} s, {size / 2**20:.1f} MiB; "
          f"p50 {statistics.median(fts_latencies):.1f} ms, p95 {percentile(fts_latencies, 0.95):.1f} ms; "
          f"recall {fts_share:.2%} ({fts_missed} queries missed something)")
    misses = [q for q, t, f in zip(queries, truths, found) if t - f]
    if misses:
        print("whoosh missed documents for: " + ", ".join(misses[:10]))
    slowest = sorted(zip(latencies, queries), reverse=True)[:5]
    print("slowest whoosh queries: " + ", ".join(f"{q} ({ms:.0f} ms)" for ms, q in slowest))


if __name__ == "__main__":
    main()
