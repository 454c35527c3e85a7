"""The comparison in the static export: the departments a visitor ticks are compared with the same
table and the same charts as on the dynamic site, drawn in the browser from the exported JSON."""

from __future__ import annotations

import functools
import shutil
import threading
import urllib.request
from http.server import ThreadingHTTPServer

import pytest
from lxml import html as lxml_html

from portal.export.run import export
from portal.extensions import db
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY, make_app
from tests.test_static_search import QuietHandler

CHOSEN = ("99010001FG", "99010002MZ", "99010101SL")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture city's app and its export, served over HTTP from the export's folder."""
    root = tmp_path_factory.mktemp("compare")
    app = make_app(root)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    export(app, root / "out")
    handler = functools.partial(QuietHandler, directory=str(root / "out"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def server_figures(client, url: str) -> list[dict]:
    """Each chart the dynamic page shows: its title, its data table's rows, its image's description."""
    page = lxml_html.fromstring(client.get(url).get_data(as_text=True))
    return [{"title": f.xpath(".//span[@class='chart-title']")[0].text_content(),
             "series": [th.text_content() for th in f.xpath(".//thead//th")][1:],
             "rows": [[c.text_content() for c in tr] for tr in f.xpath(".//tbody/tr")],
             "description": f.xpath(".//img")[0].get("alt")}
            for f in page.xpath("//figure[@class='chart']")]


READ = """() => Array.from(document.querySelectorAll("#compare-static figure.chart")).map((f) => ({
  title: f.querySelector(".chart-title").textContent,
  series: Array.from(f.querySelectorAll("thead th")).slice(1).map((th) => th.textContent),
  rows: Array.from(f.querySelectorAll("tbody tr"))
    .map((tr) => Array.from(tr.children).map((c) => c.textContent)),
  description: f.querySelector("svg").getAttribute("aria-label"),
  bars: f.querySelectorAll("svg rect[fill='#0072B2']").length,
  values: Array.from(f.querySelectorAll("svg text.value")).map((t) => t.textContent),
}))"""


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_the_exported_comparison_shows_the_dynamic_sites_charts(served, lang):
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, FLAGS

    app, origin = served
    query = "&".join(f"departments={code}" for code in CHOSEN)
    expected = server_figures(app.test_client(), f"/{lang}/stats/compare/?{query}")
    assert len(expected) >= 2
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{origin}/{lang}/stats/compare/index.html?{query}")
        page.wait_for_selector("#compare-static figure.chart svg")
        drawn = page.evaluate(READ)
        browser.close()
    assert errors == []
    assert [{k: f[k] for k in ("title", "series", "rows", "description")} for f in drawn] == expected
    for figure in drawn:  # a bar for every department with a figure, its value written beside it
        assert figure["values"] == [row[1] for row in figure["rows"]]
        assert figure["bars"] == sum(1 for v in figure["values"] if v not in ("—", "0", "0.0", "0.0%"))
    if lang == "zh-hant":
        assert drawn[0]["title"] == "最近一年考評總分"


@pytest.mark.parametrize("path", ["en/", "en/stats/", "zh-hant/search", "zh-hant/stats/compare/",
                                  "en/powers/"])
def test_every_exported_page_speaks_its_own_language(served, path):
    # Each page is written in a context of its own: one language's translations never leak into the next.
    app, origin = served
    exported = lxml_html.fromstring(urllib.request.urlopen(f"{origin}/{path.rstrip('/')}/index.html").read())
    dynamic = lxml_html.fromstring(app.test_client().get(f"/{path}").get_data(as_text=True))
    assert exported.xpath("string(//h1)") == dynamic.xpath("string(//h1)")
    assert exported.xpath("string(//title)") == dynamic.xpath("string(//title)")


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_a_visitor_goes_from_a_scorecard_to_a_comparison_in_the_static_copy(served):
    from playwright.sync_api import expect, sync_playwright

    from tests.test_browser import CHROMIUM, FLAGS

    app, origin = served
    dynamic = server_figures(app.test_client(),
                             "/zh-hans/stats/compare/?departments=99010001FG&departments=99010101SL")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{origin}/zh-hans/departments/99010001FG/index.html")
        page.click("text=与其他单位比较")
        page.wait_for_url("**/zh-hans/stats/compare/index.html#cmp-99010001FG")
        # The department the visitor came from, ticked by the page's script once it has run
        # (`expect` waits for it: on a busy machine the script runs after the page is shown).
        expect(page.locator("#cmp-99010001FG")).to_be_checked()
        page.check("#cmp-99010101SL")
        page.click("text=比较所选单位")
        page.wait_for_selector("#compare-static figure.chart svg")
        assert page.locator("#compare-static .chart-title").all_inner_texts() == [f["title"] for f in dynamic]
        assert "测试市发展和改革委员会" in page.inner_text("#compare-static")
        browser.close()
