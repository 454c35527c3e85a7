"""Measure the search indexes of the committed sample city (content/): the server's whoosh index
and the static export's browser index, in bytes, and how many code terms the documents carry.

Usage: .venv/bin/python scripts/bench_search_size.py [--workdir DIR]

Loads content/ through the write path into a fresh SQLite database under --workdir (a temporary
folder by default), builds both indexes from scratch and prints their sizes. A benchmark, not a
test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, migrate, search, staticsearch  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402
from portal.search.documents import live_documents  # noqa: E402
from portal.search.whoosh_fields import code_terms  # noqa: E402

CONTENT = Path(__file__).resolve().parent.parent / "content"


def folder_size(path: Path) -> int:
    """The bytes of every file under `path`."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    """Load the sample city, build both indexes, print their sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="search-size-"))
    workdir.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir / 'portal.sqlite3'}", "CONTENT_DIR": str(CONTENT),
                      "INSTANCE_PATH": str(workdir), "SECRET_KEY": "bench",
                      "SEARCH_DIR": str(workdir / "search")})
    with app.app_context():
        migrate.create_at_head(db.engine)
        started = time.perf_counter()
        assert load_directory(db.session, CONTENT).ok
        print(f"loaded the sample city in {time.perf_counter() - started:.1f} s")
        documents = list(live_documents(db.session))
        postings = sum(len({t for c in d.codes for t in code_terms(c)}) for d in documents)
        distinct = len({t for d in documents for c in d.codes for t in code_terms(c)})
        started = time.perf_counter()
        search.rebuild(db.session)
        built = time.perf_counter() - started
        staticsearch.build(db.session, workdir / "export")
    server = folder_size(workdir / "search")
    browser = folder_size(workdir / "export" / staticsearch.FOLDER)
    print(f"documents: {len(documents)}; code terms: {postings} postings, {distinct} distinct")
    print(f"server index: {server:,} bytes (built in {built:.1f} s)")
    print(f"browser index: {browser:,} bytes")


if __name__ == "__main__":
    main()
