"""The static site: every public page, twin, feed and download written to a folder by Frozen-Flask.

`run.export` writes it (all of it, or with `changed` only what revisions since the
last export touched); `links` makes its links relative; `urls` says what to write;
`changed` reads the revision log; `files` writes the root page, SHA256SUMS and the
record of the last exported revision.
"""

from __future__ import annotations

from flask import Flask, current_app

from .links import relative_links


def _context() -> dict:
    exporting = bool(current_app.config.get("STATIC_EXPORT"))
    return {"static_export": exporting}


def init_app(app: Flask) -> None:
    """Pages rendered for the export get relative links, and templates know they are being exported."""
    app.config.setdefault("STATIC_EXPORT", False)
    app.after_request(relative_links)
    app.context_processor(_context)
