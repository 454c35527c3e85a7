"""The portal in a real browser (Debian's Chromium driven by Playwright).

These tests need /usr/bin/chromium; .ci/run installs it. They are skipped, saying
why, on a machine without it.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")]

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(city_app):
    """The fixture city served on a free loopback port for the duration of the module."""
    httpd = make_server("127.0.0.1", 0, city_app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def test_a_visitor_finds_a_service_and_reads_its_steps(server, browser):
    page = browser.new_page(locale="zh-CN")
    page.goto(server + "/")
    assert page.url.endswith("/zh-hans/")  # the browser asked for zh-CN
    assert "关键数字" in page.inner_text("main")
    page.click("nav[aria-label='主导航'] >> text=办事指南")
    page.click("text=企业投资项目核准")
    assert page.locator("h1").inner_text() == "企业投资项目核准"
    assert "承诺办结时限" in page.inner_text("main")
    assert page.locator("svg, ol").count() >= 1
    page.close()


def test_a_taiwanese_browser_lands_on_traditional(server, browser):
    page = browser.new_page(locale="zh-TW")
    page.goto(server + "/")
    assert page.url.endswith("/zh-hant/")
    assert "機關效能" in page.inner_text("main")
    page.close()


def test_filters_and_the_language_switcher(server, browser):
    page = browser.new_page()
    page.goto(server + "/zh-hans/powers/")
    page.click(".facets >> text=行政处罚")
    assert "共 1 项" in page.inner_text("main")
    page.click("nav.languages >> text=繁體中文")
    assert "/zh-hant/powers/by/power_type/" in page.url
    assert page.get_attribute("html", "lang") == "zh-Hant"
    assert "權責清單" in page.inner_text("h1")
    page.click("nav.languages >> text=English")
    assert page.get_attribute("html", "lang") == "en"
    page.close()


def test_pages_fit_a_phone_screen(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for path in ("/zh-hans/", "/zh-hans/powers/", "/zh-hans/services/99010001FG-FW-0001/",
                 "/zh-hans/appraisals/2024/", "/zh-hans/complaints/"):
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    page.close()


def test_scorecard_pages_fit_a_phone_and_draw_their_charts(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for path in ("/zh-hans/stats/", "/zh-hant/departments/99010002MZ/", "/en/appraisals/2024/",
                 "/zh-hans/stats/compare/?departments=99010001FG&departments=99010002MZ"):
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
        for image in page.locator("figure.chart img").all():
            image.scroll_into_view_if_needed()
            assert image.evaluate("i => i.complete && i.naturalWidth > 0"), f"{path}: a chart did not load"
    page.close()


def test_the_static_copy_compares_departments_from_the_stats_twin(server, browser):
    """The static export has no server to read ?departments=…: its page (the one without a
    choice) is served for any query, and compare.js fills the table from stats.json."""
    page = browser.new_page()
    frozen = page.request.get(server + "/zh-hans/stats/compare/").text()
    page.route("**/zh-hans/stats/compare/?*", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=frozen))
    page.goto(server + "/zh-hans/stats/compare/?departments=99010001FG&departments=99010002MZ")
    table = page.locator("#compare-static")
    table.wait_for(state="visible")
    text = table.inner_text()
    assert "测试市发展和改革委员会" in text and "测试市民政局" in text
    assert "92.5" in text and "85.0" in text and "50.0%" in text
    assert page.locator("#cmp-99010001FG").is_checked()
    page.close()
