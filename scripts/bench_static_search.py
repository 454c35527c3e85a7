"""Choose the static export's browser search library by measurement: recall against the server and size.

Usage: .venv/bin/python scripts/bench_static_search.py [--queries 200] [--workdir DIR] [--no-browser]

On the sample city (content/), loaded once into --workdir and reused:

* the server search answers --queries queries drawn from the items (titles, parts of
  titles, fragments, Traditional spellings, codes, two-word queries, everyday words;
  `portal.staticsearch.sample_queries`): its page one is the truth;
* every document's index terms (the server's Chinese bigrams, words, code prefixes) go
  into MiniSearch, FlexSearch and pagefind (npm, installed into --workdir), which are
  asked the same queries read by static/js/static-search.js's parser: recall of the
  server's page-one hits, index size (raw and gzip), build time;
* pagefind searches in its own WebAssembly runtime, so its recall is measured in Debian's
  Chromium (Playwright) over its written files;
* finally the chosen form — MiniSearch in shards (`portal.staticsearch.build`) with the
  real script — is measured end to end: recall, page-one agreement, what one query loads.

A benchmark, not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, migrate, search, staticsearch  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402
from portal.search.documents import live_documents  # noqa: E402
from portal.search.text_normalize import fold_table  # noqa: E402
from portal.staticsearch import sample_queries  # noqa: E402
from portal.staticsearch.records import record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PACKAGES = ("minisearch@7.2.0", "flexsearch@0.8.212", "pagefind@1.6.0")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a directory without logging every request."""

    def log_message(self, *args):
        pass


def app_for(workdir: Path):
    """The sample city loaded once into workdir (its search index built)."""
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir / 'city.sqlite3'}", "CONTENT_DIR": str(CONTENT),
                      "INSTANCE_PATH": str(workdir)})
    marker = workdir / "city.loaded"
    if not marker.exists():
        with app.app_context():
            migrate.create_at_head(db.engine)
            load_directory(db.session, CONTENT)
            search.rebuild(db.session)
        marker.write_text("ok")
    return app


def prepare(app, workdir: Path, count: int) -> tuple[dict, list]:
    """Write docs.json (the index terms of every document) and queries.json (with the server's page one)."""
    with app.app_context():
        documents = list(live_documents(db.session))
        entries = search.synonyms.load(CONTENT).entries
        queries = sample_queries.draw(documents, count, everyday=list(entries))
        server = {q: [f"{h.kind}:{h.code}" for h in search.query(q, {}, 1, 20)[1].hits] for q in queries}
        docs = []
        for i, doc in enumerate(documents):
            rec = record(doc)
            t, x, c = (" ".join(t for t, n in f.items() for _ in range(n)) for f in rec.fields)
            docs.append({"id": i, "key": doc.key, "t": t, "x": x, "c": c})
    (workdir / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    (workdir / "queries.json").write_text(json.dumps(
        {"queries": server, "fold": fold_table(), "synonyms": entries}, ensure_ascii=False), encoding="utf-8")
    return server, docs


def pagefind_recall(out: Path, server: dict) -> dict:
    """pagefind's recall, searched by its own runtime in Chromium over its written files."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(out))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_port}/pagefind-ui.css")
            found = page.evaluate("""async (queries) => {
                const pf = await import('/pagefind.js');
                await pf.options({ bundlePath: '/' });
                const out = {};
                for (const q of queries) {
                    const r = await pf.search(q);
                    const data = await Promise.all(r.results.map(x => x.data()));
                    out[q] = data.map(d => d.url.replace('/d/', ''));
                }
                return out;
            }""", [q for q in server])
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    wanted = sum(len(v) for v in server.values())
    hits = sum(1 for q, keys in server.items() for k in keys if k in set(found.get(q, [])))
    return {"recall": hits / wanted, "found": hits, "wanted": wanted}


def chosen(app, workdir: Path, server: dict) -> dict:
    """The shipped form: MiniSearch shards searched by static/js/static-search.js."""
    out = workdir / "export"
    shutil.rmtree(out, ignore_errors=True)
    with app.app_context():
        written = staticsearch.build(db.session, out)
    node = shutil.which("node") or shutil.which("nodejs")
    done = subprocess.run([node, str(ROOT / "tests" / "js" / "static_search_queries.js"),
                           str(ROOT / "static" / "vendor" / staticsearch.LIBRARY / "minisearch.js"),
                           str(ROOT / "static" / "js" / "static-search.js"), str(out / staticsearch.FOLDER)],
                          input="\n".join(server) + "\n", capture_output=True, text=True, check=True)
    client = {r["q"]: r for r in map(json.loads, done.stdout.splitlines())}
    wanted = sum(len(v) for v in server.values())
    found = sum(1 for q, keys in server.items() for k in keys if k in set(client[q]["hits"]))
    first = sum(1 for q, keys in server.items() for k in keys if k in set(client[q]["hits"][:20]))
    sizes = {p.name: p.stat().st_size for p in written}
    gz = {p.name: len(gzip.compress(p.read_bytes(), 9)) for p in written}
    loads = [sum(gz[f] for f in client[q]["files"]) for q in server]
    script = sum(len(gzip.compress(p.read_bytes(), 9)) for p in
                 (ROOT / "static" / "js" / "static-search.js",
                  ROOT / "static" / "vendor" / staticsearch.LIBRARY / "minisearch.js"))
    return {"recall": found / wanted, "page_one_agreement": first / wanted, "files": len(written),
            "bytes": sum(sizes.values()), "gzip": sum(gz.values()), "largest_file": max(sizes.values()),
            "median_query_load_gzip": sorted(loads)[len(loads) // 2], "script_gzip": script}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "mingjing-bench-static-search")
    parser.add_argument("--no-browser", action="store_true", help="skip pagefind's recall (needs Chromium)")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not (args.workdir / "node_modules" / "pagefind").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(args.workdir), *PACKAGES],
                       check=True, stdout=subprocess.DEVNULL)
    app = app_for(args.workdir)
    server, docs = prepare(app, args.workdir, args.queries)
    print(f"{len(docs)} documents, {len(server)} queries, {sum(map(len, server.values()))} server page-one hits")
    done = subprocess.run(["node", str(ROOT / "scripts" / "bench_static_search.js"), str(args.workdir)],
                          capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if "output" in report.get("pagefind", {}) and not args.no_browser:
        report["pagefind"].update(pagefind_recall(Path(report["pagefind"].pop("output")), server))
    for name, figures in report.items():
        print(f"{name:11s}", ", ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}"
                                       for k, v in figures.items() if k != "name"))
    print("shipped    ", ", ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}"
                                   for k, v in chosen(app, args.workdir, server).items()))


if __name__ == "__main__":
    main()
