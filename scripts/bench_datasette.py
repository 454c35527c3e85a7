"""Datasette side by side: the portal's JSON twins and Datasette's JSON for the same queries,
on the same SQLite file, driven by the same load generator.

Usage: bench_datasette.py --work DIR [--seconds 15] [--connections 4]
(the app reads DATABASE_URL, SEARCH_DIR, DATA_DIR from the environment, as scripts/bench sets
them; `bench_http.py --datasette` runs the comparison against its own gunicorn instead)

Datasette, at the version pinned below, gets a virtualenv of its own in the work folder (made
once, then reused), and serves the portal's SQLite file immutable (read-only, Datasette's mode
for publishing) on a loopback port, with facet suggestions off (the portal suggests none) and
its time limits raised so that it answers every query in full. The queries, in pairs:

  department   a department's list of a kind (the 10 departments with most live items)
  facet        a kind's list filtered by a facet value (the 4 commonest values of each facet)
  deep         a kind's list deep in its default order (pages at 1/4, 1/2, 3/4 and the end)
  item         one item (20 of each kind)

for powers and services (both listed by code, an order Datasette can sort by too). Each list
on Datasette asks for the portal's list columns, the department's label and the same facet
counts the twin carries; its deep pages use Datasette's own keyset token (`_next`). The mix
runs for --seconds on each server, then each kind of query alone for a third of that; req/s,
p50/p99, and the portal's throughput as a multiple of Datasette's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_http  # noqa: E402

DATASETTE = "datasette==0.65.5"
# Each kind compared: its table, its list columns, its facets (as columns), its default order.
KINDS = {
    "powers": ("power_items", ["code", "title", "department_id", "power_type", "status"],
               ["department_id", "power_type", "status"]),
    "services": ("service_guides", ["code", "title", "department_id", "service_object", "case_type"],
                 ["department_id", "service_object", "case_type"]),
}
PAGE = 20


def datasette_binary(work: Path) -> Path:
    """Datasette in a virtualenv of its own under `work` (made and installed on first use)."""
    home = work / "datasette-venv"
    binary = home / "bin" / "datasette"
    marker = home / f"installed-{DATASETTE}"
    if not marker.exists():
        shutil.rmtree(home, ignore_errors=True)
        # The system's Python, not the portal's virtualenv: nothing of the portal's is installed there.
        subprocess.run(["python3", "-m", "venv", str(home)], check=True)
        subprocess.run([str(home / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        DATASETTE], check=True)
        marker.write_text("ok")
    return binary


def database_file() -> Path:
    """The SQLite file the portal reads (DATABASE_URL)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("sqlite:///"):
        raise SystemExit("Datasette reads SQLite only: DATABASE_URL must be sqlite:///…")
    return Path(url.removeprefix("sqlite:///"))


def _datasette_list(name: str, table: str, columns: list[str], facets: list[str], **filters) -> str:
    params = [("withdrawn_at__isnull", "1"), *filters.items(), ("_sort", "code"), ("_size", str(PAGE)),
              ("_labels", "on"), *(("_col", c) for c in columns), *(("_facet", f) for f in facets)]
    return f"/{name}/{table}.json?" + urlencode(params, quote_via=quote)


def query_pairs(path: Path, seed: int = 7) -> dict[str, list[tuple[str, str]]]:
    """(portal URL, Datasette URL) pairs for each kind of query, chosen from the database."""
    from portal import create_app
    from portal.web.urls import item_url, list_url

    rng, name = random.Random(seed), path.stem
    found: dict[str, list[tuple[str, str]]] = {"department": [], "facet": [], "deep": [], "item": []}
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    app = create_app()
    with app.test_request_context():
        for kind, (table, columns, facets) in KINDS.items():
            live = f"FROM {table} WHERE withdrawn_at IS NULL"
            for department_id, code in connection.execute(
                    f"SELECT t.department_id, d.code FROM {table} t JOIN departments d"
                    f" ON d.id = t.department_id WHERE t.withdrawn_at IS NULL"
                    f" GROUP BY t.department_id ORDER BY count(*) DESC LIMIT 10"):
                found["department"].append((list_url(kind, "json", department=code),
                                            _datasette_list(name, table, columns, facets,
                                                            department_id=str(department_id))))
            for facet in facets[1:]:
                if facet == "service_object":
                    continue  # several values in one column: Datasette has no filter for one of them
                for (value,) in connection.execute(f"SELECT {facet} {live} GROUP BY {facet} "
                                                   f"ORDER BY count(*) DESC LIMIT 4"):
                    found["facet"].append((list_url(kind, "json", **{facet: value}),
                                           _datasette_list(name, table, columns, facets, **{facet: value})))
            total = connection.execute(f"SELECT count(*) {live}").fetchone()[0]
            last = max(1, -(-total // PAGE))
            for page in sorted({max(2, last * n // 4) for n in (1, 2, 3, 4)}):
                # Datasette's token for the page after the row before it: its sort value and its key.
                code, row_id = connection.execute(f"SELECT code, id {live} ORDER BY code LIMIT 1 OFFSET ?",
                                                  ((page - 1) * PAGE - 1,)).fetchone()
                found["deep"].append((list_url(kind, "json", page=page),
                                      _datasette_list(name, table, columns, facets,
                                                      _next=f"{code},{row_id}")))
            rows = connection.execute(f"SELECT code, id {live} ORDER BY id").fetchall()
            for code, row_id in rng.sample(rows, min(20, len(rows))):
                found["item"].append((item_url(kind, code, "json"),
                                      f"/{name}/{table}/{row_id}.json?_labels=on"))
    connection.close()
    return {group: [(quote(p, safe="/?=&%:.-_,"), d) for p, d in pairs] for group, pairs in found.items()}


def serve(binary: Path, path: Path, port: int) -> subprocess.Popen:
    """Datasette serving `path` immutable on a loopback port; returns once it answers."""
    with sqlite3.connect(path) as connection:  # an immutable file is read without its WAL: fold it in
        busy, *_ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise SystemExit("the database is busy: its WAL could not be folded in for Datasette")
    settings = {"suggest_facets": "off", "sql_time_limit_ms": "10000", "facet_time_limit_ms": "10000",
                "default_page_size": str(PAGE)}
    argv = [str(binary), "serve", "-i", str(path), "--host", "127.0.0.1", "--port", str(port),
            *(part for item in settings.items() for part in ("--setting", *item))]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return bench_http.answering(server, port, "/-/versions.json", "Datasette")


def check(port: int, urls: list[str]) -> list[str]:
    """The URLs that do not answer 200 with JSON (a comparison of errors would mean nothing)."""
    failing = []
    for url in urls:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", url)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200 or body[:1] not in (b"{", b"["):
            failing.append(f"{response.status} {url}")
        elif b'"facets_timed_out": ["' in body:
            failing.append(f"facets timed out: {url}")
    return failing


def drive(port: int, urls: list[str], seconds: int, connections: int, work: Path) -> dict:
    """The same load generator as the mixed workload (bench_http), over `urls` in a fixed shuffle."""
    mix = list(urls)
    random.Random(3).shuffle(mix)
    bench_http.with_threads(port, mix, 2, 2)  # warm up
    if shutil.which("wrk"):
        return bench_http.with_wrk(port, mix, seconds, connections, work)
    return bench_http.with_threads(port, mix, seconds, connections)


def _figures(result: dict) -> dict:
    return {key: result[key] for key in ("requests_per_second", "p50_ms", "p99_ms", "requests", "non_2xx")}


def compare(portal_port: int, work: Path, seconds: int = 15, connections: int = 4) -> dict:
    """Both servers under the same queries: the mix, then each kind of query alone."""
    path = database_file()
    pairs = query_pairs(path)
    binary = datasette_binary(work)
    port = bench_http.free_port()
    datasette = serve(binary, path, port)
    try:
        every = [pair for group in pairs.values() for pair in group]
        failing = check(portal_port, [p for p, _d in every]) + check(port, [d for _p, d in every])
        if failing:
            raise SystemExit("some queries fail:\n" + "\n".join(failing[:20]))
        portal = drive(portal_port, [p for p, _d in every], seconds, connections, work)
        theirs = drive(port, [d for _p, d in every], seconds, connections, work)
        groups = {}
        for group, chosen in pairs.items():
            mine = drive(portal_port, [p for p, _d in chosen], max(3, seconds // 3), connections, work)
            other = drive(port, [d for _p, d in chosen], max(3, seconds // 3), connections, work)
            groups[group] = {"queries": len(chosen), "portal": _figures(mine), "datasette": _figures(other),
                             "ratio": round(mine["requests_per_second"] / other["requests_per_second"], 2)}
    finally:
        os.kill(datasette.pid, signal.SIGTERM)
        datasette.wait(timeout=30)
    return {"version": DATASETTE, "generator": portal["generator"], "queries": len(every),
            "portal": portal["requests_per_second"], "datasette": theirs["requests_per_second"],
            "ratio": round(portal["requests_per_second"] / theirs["requests_per_second"], 2),
            "portal_p99_ms": portal["p99_ms"], "datasette_p99_ms": theirs["p99_ms"],
            "portal_p50_ms": portal["p50_ms"], "datasette_p50_ms": theirs["p50_ms"], "by_query": groups}


def main() -> None:
    """Start gunicorn as the mixed workload does, compare, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    port = bench_http.free_port()
    server = bench_http.start_server(port)
    try:
        result = compare(port, Path(args.work), args.seconds, args.connections)
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
