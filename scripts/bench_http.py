"""The HTTP step of scripts/bench: a mixed read workload against gunicorn with 2 workers on loopback.

Usage: bench_http.py --work DIR [--seconds 20] [--connections 4]
(the app reads DATABASE_URL, SEARCH_DIR, DATA_DIR from the environment, as scripts/bench sets them)

The mix: home pages in all three languages, department pages, first, filtered and
deep list pages, item pages, JSON twins, searches, feeds. The load generator is
wrk when installed (Debian's `wrk`), else a threaded Python client with keep-alive;
the JSON says which. Prints requests/s, p50/p99 and each worker's memory after the run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_steps  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CONFIG = ROOT / "scripts" / "gunicorn.conf.py"


def mixed_urls(count: int = 400, seed: int = 11) -> list[str]:
    """The workload: the heavy pages plus many item pages and searches, shuffled with a fixed seed."""
    from sqlalchemy import select

    from portal import create_app
    from portal.extensions import db
    from portal.models import MODELS
    from portal.web.urls import item_url

    rng = random.Random(seed)
    app = create_app()
    with app.test_request_context():
        urls = [url for label, url in bench_steps.heavy_pages(db.session) if not label.startswith("download")]
        queries = bench_steps.search_queries(db.session, 40)
        for kind in ("powers", "services", "commitments", "complaints"):
            model = MODELS[kind]
            codes = list(db.session.scalars(select(model.code).where(model.withdrawn_at.is_(None))))
            urls += [item_url(kind, code) for code in rng.sample(codes, min(25, len(codes)))]
        urls += [f"/zh-hans/search?q={q}" for q in queries]
    mix = [quote(u, safe="/?=&%:.-_") for u in urls]
    rng.shuffle(mix)
    return mix


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """gunicorn with 2 workers and scripts/serve's settings (scripts/gunicorn.conf.py: threaded
    workers with keep-alive); returns once it answers."""
    server = subprocess.Popen([GUNICORN, "--config", str(CONFIG), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "portal:create_app()"], cwd=ROOT)
    return answering(server, port, "/zh-hans/", "gunicorn")


def answering(server: subprocess.Popen, port: int, path: str, name: str) -> subprocess.Popen:
    """Wait (a minute at most) until the server on `port` answers `path` with 200; return it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"{name} did not answer")


def workers_of(master: int) -> list[int]:
    """The pids of the gunicorn master's workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
    return found


def memory_of(pid: int) -> dict[str, float]:
    """A process's resident and peak resident size, in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    value = {key: int(re.search(rf"^{key}:\s+(\d+)", status, re.M).group(1)) / 1024 for key in ("VmRSS", "VmHWM")}
    return {"rss_mib": round(value["VmRSS"], 1), "peak_mib": round(value["VmHWM"], 1)}


def with_wrk(port: int, urls: list[str], seconds: int, connections: int, work: Path) -> dict:
    """Drive the mix with wrk (a Lua script cycles through it); parse its summary."""
    script = work / "mix.lua"
    listed = ",\n".join(json.dumps(u) for u in urls)
    script.write_text("local paths = {\n" + listed + "\n}\nlocal i = math.random(#paths)\n"
                      "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
    done = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
                           "-s", str(script), f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    out = done.stdout

    def ms(text: str) -> float:
        found = re.match(r"([\d.]+)(us|ms|s|m)", text)  # wrk writes minutes as "1.02m"
        if found is None:
            raise SystemExit(f"wrk's latency {text!r} cannot be read:\n{out}")
        number, unit = found.groups()
        return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 1)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"generator": "wrk", "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            # Anchored: "86.99%" at the end of the latency line must not read as the 99th percentile.
            "p50_ms": ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1)),
            "p99_ms": ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0}


def with_threads(port: int, urls: list[str], seconds: int, connections: int) -> dict:
    """Drive the mix with `connections` threads, each on one keep-alive connection."""
    latencies, failures, stop = [], [0], time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", urls[i % len(urls)])
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            failures[0] += response.status >= 400
            i += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n * 97,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"generator": "python threads", "requests_per_second": round(len(latencies) / (time.monotonic() - started), 1),
            "p50_ms": bench_steps.percentile(latencies, 0.5), "p99_ms": bench_steps.percentile(latencies, 0.99),
            "requests": len(latencies), "non_2xx": failures[0]}


def main() -> None:
    """Start gunicorn, warm it up, drive the mix, measure the workers, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--datasette", action="store_true")
    args = parser.parse_args()
    urls = mixed_urls()
    port = free_port()
    server = start_server(port)
    try:
        with_threads(port, urls, min(5, args.seconds), 2)  # warm both workers (first search opens the index)
        if shutil.which("wrk"):
            result = with_wrk(port, urls, args.seconds, args.connections, Path(args.work))
        else:
            result = with_threads(port, urls, args.seconds, args.connections)
        result["urls"] = len(urls)
        result["workers"] = [memory_of(pid) for pid in workers_of(server.pid)]
        if args.datasette:
            import bench_datasette

            result["datasette"] = bench_datasette.compare(port, Path(args.work))
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
