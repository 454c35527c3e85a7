"""`flask freeze OUT [--changed]`: the public portal as a static site."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..export.run import export


@click.command("freeze")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--changed", is_flag=True, help="Rewrite only what was published since the last export in OUT.")
@click.option("--base-path", default="",
              help="The path the site is served under (/gov/gk), for feeds and sitemaps.")
@with_appcontext
def freeze(out: Path, changed: bool, base_path: str):
    """Write every public page, twin, feed and download into OUT, with relative links."""
    app = current_app._get_current_object()
    if base_path and not base_path.startswith("/"):
        raise click.BadParameter("must start with /", param_hint="--base-path")
    with click.progressbar(length=0, label="Exporting", show_pos=True,
                           item_show_func=lambda url: url) as bar:
        summary = export(app, out, changed=changed, base_path=base_path,
                         progress=lambda url: bar.update(1, url))
    kind = "incremental" if summary.incremental else "full"
    written = " written" if summary.incremental else ""  # an incremental run counts what it changed
    click.echo(f"{kind} export: {summary.pages} pages, {summary.files} files, {summary.bytes:,} bytes{written} "
               f"in {summary.seconds:.1f} s ({summary.pages / max(summary.seconds, 1e-9):.0f} pages/s)"
               f" → {out}")
