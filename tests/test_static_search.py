"""Search without a server: the browser index of the static export, searched by the real script.

The script (static/js/static-search.js with the vendored MiniSearch) runs in node for
200 queries and in Chromium for the page a visitor sees.
"""

from __future__ import annotations

import functools
import json
import random
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import html as lxml_html

from portal import search, staticsearch
from portal.extensions import db
from portal.search.documents import live_documents
from portal.staticsearch import sample_queries
from tests.conftest import CONTENT

ROOT = Path(__file__).parent.parent
MINISEARCH = ROOT / "static" / "vendor" / staticsearch.LIBRARY / "minisearch.js"
SCRIPT = ROOT / "static" / "js" / "static-search.js"
HARNESS = Path(__file__).parent / "js" / "static_search_queries.js"
NODE = shutil.which("node") or shutil.which("nodejs")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a directory without logging every request."""

    def log_message(self, *args):
        pass


needs_node = pytest.mark.skipif(NODE is None, reason="Debian's nodejs is not installed")


@pytest.fixture(scope="module")
def exported(sample_app, tmp_path_factory):
    """The sample city's browser index, written as the export writes it."""
    out = tmp_path_factory.mktemp("export")
    with sample_app.app_context():
        written = staticsearch.build(db.session, out)
    return out, written


def browser_search(index: Path, queries: list[str], lang: str | None = None) -> dict[str, dict]:
    """Each query's hits (kind:code, best first), what the first ten show (in `lang`, with every hit's
    description when it is given) and the files it loaded, from the real script in node."""
    args = [NODE, str(HARNESS), str(MINISEARCH), str(SCRIPT), str(index), *([lang] if lang else [])]
    done = subprocess.run(args, input="\n".join(queries) + "\n", capture_output=True, text=True, check=True,
                          timeout=300)
    return {r["q"]: r for r in map(json.loads, done.stdout.splitlines())}


@needs_node
def test_the_browser_finds_what_the_server_finds(sample_app, exported):
    out, _ = exported
    with sample_app.app_context():
        documents = list(live_documents(db.session))
        queries = sample_queries.draw(documents, 200, everyday=list(search.synonyms.load(CONTENT).entries))
        server = {q: [f"{h.kind}:{h.code}" for h in search.query(q, {}, 1, 20)[1].hits] for q in queries}
    assert len(queries) == 200
    assert sum(1 for q in queries if q != sample_queries._to_traditional().convert(q)) >= 40  # Traditional
    client = browser_search(out / staticsearch.FOLDER, queries)
    wanted = sum(len(hits) for hits in server.values())
    found = sum(1 for q in queries for key in server[q] if key in set(client[q]["hits"]))
    missed = {q: [k for k in server[q] if k not in client[q]["hits"]] for q in queries}
    assert wanted > 1000 and found >= 0.99 * wanted, {q: m for q, m in missed.items() if m}


@needs_node
def test_a_query_loads_only_the_shards_it_needs(exported):
    out, written = exported
    shards = [p for p in written if p.name.startswith("terms-")]
    assert len(shards) >= 8 and max(p.stat().st_size for p in written) < 200_000
    loaded = browser_search(out / staticsearch.FOLDER, ["营业执照"])["营业执照"]["files"]
    assert "lengths.json" in loaded and 1 <= sum(f.startswith("terms-") for f in loaded) <= 3
    # The everyday words and the Traditional folding come with the index.
    hits = browser_search(out / staticsearch.FOLDER, ["開公司", "社保卡"])
    assert hits["開公司"]["hits"][:4].count("services:99010021SP-FW-0007") == 1
    assert "services:99010007RS-FW-0008" in hits["社保卡"]["hits"][:3]  # 社会保障卡补换


def server_hits(client, url: str) -> list[dict]:
    """What the server's search page shows of its first ten hits: title (marked), department, snippets."""
    page = lxml_html.fromstring(client.get(url).get_data(as_text=True))

    def inner(tag) -> str:  # the element's content as markup, without the element itself
        return ((tag.text or "") + "".join(lxml_html.tostring(c, encoding="unicode") for c in tag)).strip()

    def snippet(p) -> list[str]:
        label = p.find("span")
        return [label.text_content(), ((label.tail or "") + "".join(
            lxml_html.tostring(c, encoding="unicode") for c in p[1:])).strip()]

    return [{"code": hit.xpath(".//span[@class='code']")[0].text_content(),
             "title": title.text_content(), "title_html": inner(title),
             "department": hit.xpath(".//p[@class='hit-meta']/a")[0].text_content(),
             "snippets": [snippet(p) for p in hit.xpath(".//p[@class='hit-snippet']")]}
            for hit in page.xpath("//li[@class='search-hit']")[:10]
            for title in hit.xpath(".//h2[@class='hit-title']/a")]


@needs_node
@pytest.mark.parametrize("lang, query", [("zh-hant", "營業執照"), ("zh-hant", "营业执照"), ("en", "營業執照"),
                                         ("zh-hans", "營業執照")])
def test_hits_read_as_the_server_shows_them_in_each_language(sample_app, exported, lang, query):
    out, written = exported
    found = browser_search(out / staticsearch.FOLDER, [query], lang)[query]
    server = server_hits(sample_app.test_client(), f"/{lang}/search?q={query}")
    shown = {hit["code"]: hit for hit in found["shown"]}
    assert [hit["code"] for hit in server[:4]] == list(shown)[:4]
    for hit in server:  # the same item reads the same: title, department, and what ranks with the title
        ours = shown.get(hit["code"]) or found["all"][hit["code"]]
        assert {k: ours[k] for k in ("title", "title_html", "department")} == \
            {k: hit[k] for k in ("title", "title_html", "department")}
        if hit["snippets"][0][0] in ("办理结果名称", "辦理結果名稱", "Result"):
            assert hit["snippets"][:1] == ours["snippets"]
    if lang == "zh-hant":  # Traditional titles, departments and snippets, read from its own chunks
        assert server[0]["title"] == "企業設立登記" and server[0]["department"] == "華松市行政審批服務局"
        assert server[0]["snippets"] == [["辦理結果名稱", "<mark>營業執照</mark>"]]
    assert all(f.startswith(f"hits-{lang}-") for f in found["files"] if f.startswith("hits-"))
    assert found["shown"][0]["page"] == "services/99010021SP-FW-0007/"


def test_the_index_is_byte_reproducible(sample_app, exported, tmp_path):
    out, written = exported
    with sample_app.app_context():
        again = staticsearch.build(db.session, tmp_path)
    assert [p.name for p in again] == [p.name for p in written]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, written))


def test_the_dynamic_site_keeps_server_search(sample_app):
    html = sample_app.test_client().get("/zh-hans/search?q=低保").get_data(as_text=True)
    assert "static-search.js" not in html and "<mark>最低生活保障</mark>申请" in html


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_a_visitor_searches_the_static_copy_in_a_browser(sample_app, exported):
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, FLAGS

    out, _ = exported
    sample_app.config["STATIC_EXPORT"] = True
    try:
        for lang in ("zh-hans", "zh-hant"):
            page_html = sample_app.test_client().get(f"/{lang}/search").get_data(as_text=True)
            (out / lang / "search").mkdir(parents=True)
            (out / lang / "search" / "index.html").write_text(page_html, encoding="utf-8")
    finally:
        sample_app.config["STATIC_EXPORT"] = False
    shutil.copytree(ROOT / "static", out / "static")
    handler = functools.partial(QuietHandler, directory=str(out))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_port}/zh-hans/search/?q=营业执照")
            page.wait_for_selector(".static-search .search-hit")
            assert "共找到" in page.inner_text(".static-search [role=status]")
            first = page.locator(".static-search .search-hit").first
            assert first.locator(".hit-title").inner_text() == "企业设立登记"
            assert "办理结果名称 营业执照" in first.inner_text()
            assert first.locator(".hit-snippet mark").inner_text() == "营业执照"
            links = [first.locator(f"{where} a").get_attribute("href") for where in (".hit-title", ".hit-meta")]
            assert links[0].endswith("/zh-hans/services/99010021SP-FW-0007/")
            assert links[1].endswith("/zh-hans/departments/99010021SP/")
            assert page.input_value("#search-q") == "营业执照"
            assert page.locator(".static-search .search-hit").count() == 20
            page.click(".static-search button.more")
            assert page.locator(".static-search .search-hit").count() > 20
            # The Traditional copy shows its hits in Traditional, as its own pages are written.
            page.goto(f"http://127.0.0.1:{httpd.server_port}/zh-hant/search/?q=營業執照")
            page.wait_for_selector(".static-search .search-hit")
            first = page.locator(".static-search .search-hit").first
            assert first.locator(".hit-title").inner_text() == "企業設立登記"
            assert first.locator(".hit-meta").inner_text() == "辦事指南 · 華松市行政審批服務局 · 99010021SP-FW-0007"
            assert "辦理結果名稱 營業執照" in first.inner_text()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


@needs_node
def test_the_browser_finds_a_code_by_its_tail_and_serial_as_the_server_does(sample_app, exported):
    out, _ = exported
    queries = ["FW-0007", "fw-0007", "XK-0003", "0007"]
    with sample_app.app_context():
        server = {q: [f"{h.kind}:{h.code}" for h in search.query(q, {}, 1, 200)[1].hits] for q in queries}
    client = browser_search(out / staticsearch.FOLDER, queries)
    assert "services:99010021SP-FW-0007" in server["FW-0007"] and "services:99010021SP-FW-0007" in server["0007"]
    assert all(hit.endswith("FW-0007") for hit in server["FW-0007"]) and server["FW-0007"] == server["fw-0007"]
    for q in queries:
        assert server[q] and set(client[q]["hits"]) == set(server[q]), q


PARSE = """
const fs = require("fs");
const { parse, normalizer } = require(process.argv[1]);
const { queries, fold, synonyms } = JSON.parse(fs.readFileSync(0, "utf8"));
const normalize = normalizer(fold);
const shape = (t) => [t.phrases, t.words, t.prefix, t.code];
process.stdout.write(JSON.stringify(queries.map((q) => parse(q, normalize, synonyms).terms.map(
  (t) => [shape(t), t.alternatives.map(shape)]))));
"""


@needs_node
def test_the_browser_reads_a_query_as_the_server_does(tmp_path):
    from portal.search import synonyms
    from portal.search.query_plan import parse
    from portal.search.text_normalize import fold_table

    rng = random.Random(17)
    pieces = ["营业执照", "營業執照", "低保", "社保卡补办", "開公司", "办", "证", " ", "  ", '"', "*", "、", ",",
              "ＡＢＣ１２３", "abc", "2024", "99010001FG-XK", "-0001", "0001", "FW-0007", "AND", "or", "(", "第3条", "Ⅻ", "㈠", "ǅ"]
    queries = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(300)]
    entries = synonyms.load(CONTENT).entries
    shape = lambda t: [t.phrases, t.words, t.prefix, t.code]  # noqa: E731
    server = [[[shape(t), [shape(a) for a in t.alternatives]] for t in parse(q, entries).terms] for q in queries]
    done = subprocess.run([NODE, "-e", PARSE, str(SCRIPT)], capture_output=True, text=True, check=True,
                          input=json.dumps({"queries": queries, "fold": fold_table(), "synonyms": entries}))
    browser = json.loads(done.stdout)
    assert [q for q, a, b in zip(queries, server, browser) if a != b] == []


def test_a_rebuild_leaves_no_file_of_an_earlier_one(sample_app, tmp_path):
    (tmp_path / staticsearch.FOLDER).mkdir()
    (tmp_path / staticsearch.FOLDER / "stored-9.json").write_text("[]", encoding="utf-8")  # an older layout
    with sample_app.app_context():
        written = staticsearch.build(db.session, tmp_path)
    assert sorted((tmp_path / staticsearch.FOLDER).iterdir()) == sorted(written)
