"""Tables for scripts/bench: the figures of one scale, and how they grow from one scale to another."""

from __future__ import annotations


def _row(label: str, value: str, peak=None) -> None:
    peak_text = f"{peak:8.0f}" if isinstance(peak, (int, float)) else f"{'':8}"
    print(f"  {label:44} {value:>34} {peak_text}")


def headline(figures: dict) -> dict[str, float]:
    """The figures worth comparing between scales, by name (times in seconds or ms)."""
    found: dict[str, float] = {}
    load = figures.get("load", {})
    for key in ("rows", "rows_per_second", "publish_seconds", "rows_per_cpu_second", "index_seconds",
                "charts_and_downloads_seconds", "peak_mib"):
        if key in load:
            found[f"load {key}"] = load[key]
    for step in ("reindex", "charts", "data"):
        if step in figures:
            found[f"{step} seconds"] = figures[step]["seconds"]
            found[f"{step} peak_mib"] = figures[step].get("peak_mib", 0)
            if "cpu_seconds" in figures[step]:
                found[f"{step} cpu_seconds"] = figures[step]["cpu_seconds"]
    pages = figures.get("pages", {})
    for key in ("search_p50_ms", "search_p95_ms", "peak_mib"):
        if key in pages:
            found[f"pages {key}"] = pages[key]
    for page in pages.get("pages", []):
        found[f"{page['type']} p95_ms"] = page["p95_ms"]
        if "cold_p50_ms" in page:
            found[f"{page['type']} cold p50_ms"] = page["cold_p50_ms"]
        found[f"{page['type']} queries"] = page["queries"]
    http = figures.get("http", {})
    for key in ("requests_per_second", "p50_ms", "p99_ms"):
        if key in http:
            found[f"http {key}"] = http[key]
    if http.get("workers"):
        found["http worker rss_mib (max)"] = max(w["rss_mib"] for w in http["workers"])
    return found


def print_scale(figures: dict) -> None:
    """The table of one scale."""
    print(f"\n== scale {figures['scale']} ==")
    print(f"  {'step':44} {'figure':>34} {'peak MiB':>8}")
    load = figures.get("load", {})
    if load:
        _row("load (validate + publish)", f"{load.get('rows', 0):,} rows, {load.get('rows_per_second', 0):,} rows/s",
             load.get("peak_mib"))
        if "rows_per_cpu_second" in load:
            _row("  per CPU second", f"{load['rows_per_cpu_second']:,} rows/s")
        _row("  then search / charts + downloads", f"{load.get('index_seconds', 0)} s / "
             f"{load.get('charts_and_downloads_seconds', 0)} s")
    for step, label in (("reindex", "search index rebuilt"), ("charts", "every flowchart drawn"),
                        ("data", "every download written")):
        if step in figures:
            cpu = figures[step].get("cpu_seconds")
            _row(label, f"{figures[step]['seconds']} s" + (f" ({cpu} CPU s)" if cpu is not None else ""),
                 figures[step].get("peak_mib"))
    pages = figures.get("pages", {})
    if pages.get("pages"):
        _row("search query p50 / p95", f"{pages['search_p50_ms']} / {pages['search_p95_ms']} ms",
             pages.get("peak_mib"))
        # Cold: the first request after a publish (nothing kept yet); warm: asked again.
        print(f"  {'page (test client, heaviest of its type)':44} {'cold p50':>9} {'warm p50 / p95 ms':>18} "
              f"{'queries':>8} {'KiB':>8}")
        for page in pages["pages"]:
            mark = "" if page["status"] == 200 else f" [{page['status']}]"
            print(f"  {page['type'] + mark:44} {page.get('cold_p50_ms', ''):>9} {page['p50_ms']:>9} / {page['p95_ms']:<6} "
                  f"{page['queries']:>8} {page['kib']:>8}")
    http = figures.get("http", {})
    if "requests_per_second" in http:
        workers = ", ".join(f"{w['rss_mib']:.0f}" for w in http.get("workers", []))
        _row(f"HTTP mixed ({http['generator']}, 2 workers)",
             f"{http['requests_per_second']} req/s, p50 {http['p50_ms']} / p99 {http['p99_ms']} ms")
        _row("  workers' memory after the run (MiB)", workers)
        if http.get("non_2xx"):
            _row("  responses not 2xx/3xx", str(http["non_2xx"]))
        if http.get("datasette"):
            ds = http["datasette"]
            _row("JSON twins vs Datasette (req/s)", f"{ds['portal']} vs {ds['datasette']} = {ds['ratio']}×")
            _row("  p99 (ms), portal vs Datasette", f"{ds['portal_p99_ms']} vs {ds['datasette_p99_ms']}")
            for group, figures in ds.get("by_query", {}).items():
                _row(f"  {group} alone (req/s)", f"{figures['portal']['requests_per_second']} vs "
                     f"{figures['datasette']['requests_per_second']} = {figures['ratio']}×")


def print_growth(small: dict, large: dict) -> None:
    """Each headline figure at both scales and the factor it grew by, against the growth in rows."""
    before, after = headline(small), headline(large)
    rows = (after.get("load rows") or 1) / (before.get("load rows") or 1)
    print(f"\n== growth from scale {small['scale']} to {large['scale']} (rows grew {rows:.1f}×) ==")
    for key, value in before.items():
        if key in after:
            factor = after[key] / value if value else float("nan")
            print(f"  {key:48} {value:>12} {after[key]:>12} {factor:8.2f}×")
