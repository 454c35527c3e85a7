"""What the browser tests share: Debian's Chromium driven by Playwright, a city served on a
loopback port, a city with one changed service (for diffs), and the pages of every type."""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from portal import search
from portal.extensions import db
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY, make_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
LOCALES = ("zh-hans", "zh-hant", "en")
WIDTHS = (360, 390)

SERVICE = "99010001FG-FW-0001"
CHANGED_REVISION = "/changes/99010001FG/services/2/"

# One or two representative pages of every type, without the locale prefix.
PAGE_TYPES = {
    "home": "/",
    "departments": "/departments/",
    "department": "/departments/99010001FG/",
    "powers": "/powers/",
    "power": "/powers/99010001FG-XK-0001/",
    "services": "/services/",
    "service": f"/services/{SERVICE}/",
    "commitments": "/commitments/",
    "commitment": f"/commitments/{SERVICE}/",
    "complaints": "/complaints/",
    "complaint": "/complaints/2024-XN-0001/",
    "appraisals": "/appraisals/",
    "appraisal year": "/appraisals/2024/",
    "changes": "/changes/",
    "revision with a diff": CHANGED_REVISION,
    "revisions": "/changes/revisions/",
    "data": "/data/",
    "dataset": "/data/services/",
    "feeds": "/feeds/",
    "api": "/api/",
    "search": "/search?q=企业",
    "site page": "/pages/about/",
}


EVERYDAY = "说法,也搜,备注\n批项目,企业投资项目核准,口语\n"


def changed_city(tmp_path: Path):
    """The fixture city with an everyday-word dictionary, then a second revision of its one
    service guide: new hours, a new window and a second material, as a department would upload them."""
    city = tmp_path / "city"
    shutil.copytree(FIXTURE_CITY, city)
    # The words a citizen types, as the efficiency office's dictionary maps them.
    (city / "search").mkdir(exist_ok=True)
    (city / "search" / "synonyms.csv").write_text(EVERYDAY, encoding="utf-8")
    app = make_app(tmp_path, content=city)
    with app.app_context():
        assert load_directory(db.session, city).ok
        guide = city / "disclosures" / "99010001FG" / "services.yaml"
        text = guide.read_text(encoding="utf-8")
        text = text.replace("办理时间: 工作日 9:00-17:00", "办理时间: 工作日 8:30-12:00,14:00-17:30")
        text = text.replace("二楼 12 号窗口", "三楼 31 号窗口")
        guide.write_text(text, encoding="utf-8")
        report = load_directory(db.session, city)
        assert report.ok, [(f.path, f.problems) for f in report.files]
        search.rebuild(db.session)
    return app


@contextmanager
def served(app):
    """The app on a free loopback port while the block runs; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


@contextmanager
def chromium():
    """One headless Chromium."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
