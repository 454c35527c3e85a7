"""Site pages (about, how to complain, the efficiency rules…) from content/pages/."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, g

from ..catalog import pages as site_pages
from ..web.requests import or_404
from ..web.locale import localized_blueprint
from ..web.twins import render, route

bp = localized_blueprint("pages", __name__)


def pages_dir() -> Path:
    """Where the site pages live."""
    return Path(current_app.config["CONTENT_DIR"]) / "pages"


@route(bp, "/pages/<slug>/")
def page(slug, fmt):
    """One site page."""
    found = or_404(site_pages.page, pages_dir(), slug).in_language(g.get("lang"))
    # `html` is Markdown rendered and sanitised (nh3) when the page was read: safe markup.
    data = {"slug": found.slug, "title": found.title, "summary": found.summary, "html": found.html}
    return render(fmt, "pages/page.html", data)
