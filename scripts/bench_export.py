"""Time the static export on the sample city: a full export (pages/s), the same pages rendered
through the app without writing files, and an incremental export after a one-department publish.

Usage: .venv/bin/python scripts/bench_export.py [--content DIR] [--departments N] [--out DIR] [--no-warm-up]
                                                [--no-direct] [--runs N]
Loads DIR (default content/; with --departments, only its first N departments) into a
throwaway SQLite database first. Aims: export ≤ 1.5 × direct rendering, incremental ≤ 5 % of full.
Each figure is given in wall-clock and in CPU seconds (on a shared machine, trust the CPU ones).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, downloads, migrate  # noqa: E402
from portal.export.run import export  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.publish.content import load_directory  # noqa: E402


def subset(content: Path, target: Path, departments: int | None) -> Path:
    """A copy of the content with only its first `departments` departments' disclosures."""
    shutil.copytree(content, target)
    if departments:
        folders = sorted(p for p in (target / "disclosures").iterdir() if p.is_dir())
        for folder in folders[departments:]:
            shutil.rmtree(folder)
    return target


def one_department_publish(content: Path, work: Path, suffix: str = "(修订)") -> Path:
    """A content folder with only the first department's power list, its first item renamed
    (`suffix` appended to its name)."""
    folder = sorted(p for p in (content / "disclosures").iterdir() if (p / "powers.csv").exists())[0]
    target = work / "disclosures" / folder.name
    target.mkdir(parents=True)
    with (folder / "powers.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        headers, rows = reader.fieldnames, list(reader)
    rows[0]["事项名称"] += suffix
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    (target / "powers.csv").write_text(out.getvalue(), encoding="utf-8")
    return work


LANGUAGES = ("zh-hans", "zh-hant", "en")


def timed(work):
    """Run `work`; return its result and the CPU seconds this process spent on it (the wall clock
    of a shared machine says more about the others' load than about the export)."""
    started = time.process_time()
    result = work()
    return result, time.process_time() - started


def breakdown(written: list[str]) -> list[tuple[str, int]]:
    """How many of the written URLs fall in each section (`powers/page`, `changes`, `feeds` …), most first."""
    counts: Counter = Counter()
    for url in written:
        parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
        parts = parts[1:] if parts and parts[0] in LANGUAGES else parts
        section = "/".join(parts[:1] + [p for p in parts[1:2] if p in ("by", "page", "sort")]) or "home"
        counts[section] += 1
    return counts.most_common()


def main() -> None:
    """Load, export, render the same pages, publish one department, export incrementally."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(Path(__file__).resolve().parent.parent / "content"))
    parser.add_argument("--departments", type=int, default=None, help="only the first N departments")
    parser.add_argument("--out", default=None, help="where to write the export (default: a temporary folder)")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="time the first full export (cold caches) instead of a second one: one pass less")
    parser.add_argument("--no-direct", action="store_true",
                        help="skip rendering the same pages through the app (one pass less)")
    parser.add_argument("--runs", type=int, default=1,
                        help="publish and export incrementally N times, one after the other (default 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = subset(Path(args.content), tmp / "content", args.departments)
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "CONTENT_DIR": str(content),
                          "INSTANCE_PATH": str(tmp), "SECRET_KEY": "bench"})
        with app.app_context():
            migrate.create_at_head(db.engine)
            started = time.perf_counter()
            report = load_directory(db.session, content)
            print(f"load {content.name} ({args.departments or 'all'} departments): "
                  f"{time.perf_counter() - started:.1f} s, ok={report.ok}")
        out = Path(args.out) if args.out else tmp / "export"
        urls: list[str] = []
        if not args.no_warm_up:
            cold, cpu = timed(lambda: export(app, tmp / "first", progress=urls.append))
            print(f"first full export (cold caches): {cold.pages} pages in {cold.seconds:.1f} s "
                  f"(CPU {cpu:.1f} s) = {cold.pages / cold.seconds:.0f} pages/s")
            urls.clear()
        full, full_cpu = timed(lambda: export(app, out, progress=urls.append))
        print(f"full export: {full.pages} pages, {full.files} files, {full.bytes / 1e6:.1f} MB in "
              f"{full.seconds:.1f} s (CPU {full_cpu:.1f} s) = {full.pages / full.seconds:.0f} pages/s")

        client = app.test_client()

        def render_all() -> float:
            started = time.perf_counter()
            for url in urls:
                response = client.get(url)
                response.get_data()
                response.close()
            return time.perf_counter() - started

        if not args.no_direct:
            direct, direct_cpu = timed(render_all)
            print(f"the same {len(urls)} URLs rendered through the app, nothing written: {direct:.1f} s "
                  f"(CPU {direct_cpu:.1f} s) = {len(urls) / direct:.0f} pages/s; export / direct = "
                  f"{full.seconds / direct:.2f} (CPU {full_cpu / direct_cpu:.2f})")

        for run in range(1, args.runs + 1):
            with app.app_context():
                started = time.perf_counter()
                suffix = "(修订)" if run == 1 else f"(修订{run})"
                assert load_directory(db.session, one_department_publish(content, tmp / f"publish{run}", suffix)).ok
                downloads.sync(db.session)  # the publish's own work, timed apart from the export
                print(f"one-department publish with its downloads: {time.perf_counter() - started:.1f} s")
            written: list[str] = []
            changed, changed_cpu = timed(lambda: export(app, out, changed=True, progress=written.append))
            print(f"incremental export after a one-department publish: {changed.pages} pages in "
                  f"{changed.seconds:.1f} s (CPU {changed_cpu:.1f} s) = {100 * changed.seconds / full.seconds:.1f} % "
                  f"of the full export (CPU {100 * changed_cpu / full_cpu:.1f} %)")
            print("  pages written, by section: " + ", ".join(f"{name} {n}" for name, n in breakdown(written)))


if __name__ == "__main__":
    main()
