"""Search: Chinese recall, Traditional and width folding, codes, facets, hostile queries, updates."""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.query import Phrase

from portal import search
from sqlalchemy import select

from portal.extensions import db
from portal.publish.content import load_directory
from portal.models import ComplaintCase
from portal.search import text
from portal.search.documents import Document, changes_since
from portal.search.whoosh_engine import WhooshEngine, _cover
from portal.search.whoosh_index import read_postings
from tests.conftest import FIXTURE_CITY, make_app
from tests.helpers import json_twin, parse_html, visible_text
from tests.test_loader import COMPLAINTS, POWERS, edit_csv

LANGS = ("zh-hans", "zh-hant", "en")


# A corpus made for the recall cases ----------------------------------------------

CORPUS = [
    # (kind, code, department, title, body)
    ("services", "62052400ZR-FW-0001", "62052400ZR", "建设工程规划许可证核发",
     "申请人提交建设工程设计方案,经审查符合控制性详细规划。"),
    ("powers", "62052400ZR-XK-0001", "62052400ZR", "乡村建设规划许可",
     "依据《城乡规划法》第四十一条。城乡 规划,工程;规划 用地。"),
    ("powers", "62052400MZ-XK-0001", "62052400MZ", "内地居民婚姻登记(结婚登记)",
     "婚姻登记机关在华松开发区松林路8号办公,窗口受理。"),
    ("complaints", "2024-XN-0012", "62052400MZ", "2024-XN-0012",
     "张某反映在婚姻登记窗口排队时,工作人员态度生硬,未一次性告知所需材料。"),
    ("services", "62052400SP-FW-0007", "62052400SP", "个体工商户营业执照核发",
     "营业执照办理流程:申请、受理、审核、发证。ＡＢＣ全角字母与１２３全角数字。"),
    ("commitments", "62052400SP-FW-0007", "62052400SP", "个体工商户营业执照核发",
     "承诺3个工作日内办结,首问负责、一次性告知。"),
    ("appraisals", "2024-62052400SP", "62052400SP", "2024年度绩效考评结果",
     "群众满意度测评;日常考核。末三位,给予谈话警示。"),
]


def corpus_documents() -> list[Document]:
    return [
        Document(kind=kind, code=code, title=title, department=department,
                 texts=[title, body], codes=[code, department],
                 power_type="行政许可" if kind == "powers" else "",
                 year="2024" if kind in ("complaints", "appraisals") else "")
        for kind, code, department, title, body in CORPUS
    ]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    found = WhooshEngine(tmp_path_factory.mktemp("search"))
    found.rebuild(corpus_documents(), len(CORPUS))
    return found


def codes(engine, q, **filters):
    results = engine.search(text.parse(q), filters, 1, 50)
    return [f"{h.kind}:{h.code}" for h in results.hits]


def truth(q: str) -> set[str]:
    """Documents whose text contains the query's Han text, spaces and punctuation ignored."""
    needle = text.han_text(text.normalize(q))
    return {f"{doc.kind}:{doc.code}" for doc in corpus_documents()
            if needle in "\x00".join(text.compact(t) for t in doc.texts)}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Compounds a word segmenter splits differently (建设/工程/规划/许可证).
        ("工程规划", {"services:62052400ZR-FW-0001", "powers:62052400ZR-XK-0001"}),
        ("程规划许", {"services:62052400ZR-FW-0001"}),
        ("规划许可", {"services:62052400ZR-FW-0001", "powers:62052400ZR-XK-0001"}),
        # Fragments of two and three characters.
        ("许可", {"services:62052400ZR-FW-0001", "powers:62052400ZR-XK-0001"}),
        ("照核发", {"services:62052400SP-FW-0007", "commitments:62052400SP-FW-0007"}),
        ("度生", {"complaints:2024-XN-0012"}),
        # Place names no dictionary knows.
        ("松林路", {"powers:62052400MZ-XK-0001"}),
        ("华松开发区", {"powers:62052400MZ-XK-0001"}),
    ],
)
def test_recall_of_han_text(engine, q, expected):
    assert set(codes(engine, q)) == expected == truth(q)


def test_spaces_and_punctuation_are_ignored_in_documents(engine):
    # The body says "城乡 规划,工程;规划": the query's text is there once punctuation goes.
    assert "powers:62052400ZR-XK-0001" in codes(engine, "规划工程规划")
    assert "powers:62052400ZR-XK-0001" in codes(engine, "城乡规划工程")


def test_space_separated_words_must_all_occur(engine):
    assert codes(engine, "婚姻 态度") == ["complaints:2024-XN-0012"]
    assert set(codes(engine, "婚姻 登记")) == truth("婚姻登记")


def test_a_phrase_never_joins_two_texts_or_runs(engine):
    # The title ends in 核发 and the body starts with 申请: no document contains 核发申请.
    assert codes(engine, "核发申请") == []
    # "第四十一条。城乡" is one run across punctuation, but "8号办公" breaks at the digit.
    assert codes(engine, "路号") == []


@pytest.mark.parametrize("q", ["建設工程規劃許可證", "營業執照", "態度生硬", "婚姻登記", "規劃"])
def test_traditional_queries_find_simplified_content(engine, q):
    simplified = text.normalize(q)
    assert codes(engine, q) == codes(engine, simplified) != []


def test_full_width_and_half_width_are_equal(engine):
    assert codes(engine, "abc") == codes(engine, "ＡＢＣ") == ["services:62052400SP-FW-0007"]
    assert codes(engine, "123") == codes(engine, "１２３") != []


@pytest.mark.parametrize(
    ("q", "first", "count"),
    [
        ("62052400MZ-XK-0001", "powers:62052400MZ-XK-0001", 1),  # exact
        ("62052400mz-xk-0001", "powers:62052400MZ-XK-0001", 1),  # any case
        ("６２０５２４００ＭＺ－ＸＫ－０００１", "powers:62052400MZ-XK-0001", 1),  # full width
        ("62052400SP-FW", None, 2),  # prefix at a hyphen
        ("62052400SP-F", None, 2),  # prefix anywhere
        ("62052400SP", None, 3),  # the department's code
        ("2024-XN-0012", "complaints:2024-XN-0012", 1),  # a case number
        ("2024-XN", "complaints:2024-XN-0012", 1),
    ],
)
def test_codes_match_exactly_or_by_prefix(engine, q, first, count):
    found = codes(engine, q)
    assert len(found) == count
    if first:
        assert found[0] == first


def test_title_matches_and_exact_phrases_rank_first(engine):
    found = codes(engine, "规划")
    in_title = {"services:62052400ZR-FW-0001", "powers:62052400ZR-XK-0001"}
    assert set(found[:2]) == in_title
    # "一次性 告知": the commitment has the exact phrase, the complaint too; both before nothing else.
    assert codes(engine, "营业执照 核发")[:2] == ["services:62052400SP-FW-0007", "commitments:62052400SP-FW-0007"]


def test_random_substrings_are_always_found(engine):
    rng = random.Random(7)
    texts = [text.compact(t) for d in corpus_documents() for t in d.texts]
    tried = 0
    while tried < 300:
        source = rng.choice(texts)
        length = rng.randint(2, 8)
        start = rng.randrange(0, max(1, len(source) - length))
        q = source[start:start + length]
        if len(q) < 2 or text.han_text(q) != q:
            continue
        tried += 1
        assert set(codes(engine, q)) == truth(q), q


def test_facets_count_under_the_other_filters(engine):
    results = engine.search(text.parse("登记 OR 规划"), {"kind": "powers"}, 1, 20)
    assert results.total == 0  # OR is no operator: both words must occur
    results = engine.search(text.parse("许可"), {"kind": "powers"}, 1, 20)
    assert [h.code for h in results.hits] == ["62052400ZR-XK-0001"]
    facets = {name: dict(values) for name, values in results.facets.items()}
    assert facets["kind"] == {"powers": 1, "services": 1}  # kinds counted without the kind filter
    assert facets["department"] == {"62052400ZR": 1}  # departments counted under it
    assert facets["power_type"] == {"行政许可": 1}
    both = engine.search(text.parse("许可"), {"kind": "services", "department": "62052400ZR"}, 1, 20)
    assert both.total == 1 and dict(both.facets["kind"]) == {"powers": 1, "services": 1}
    by_year = engine.search(text.parse("婚姻"), {"year": "2024"}, 1, 20)
    assert [h.code for h in by_year.hits] == ["2024-XN-0012"]


def test_pages_split_the_results(engine):
    first = engine.search(text.parse("规划"), {}, 1, 1)
    second = engine.search(text.parse("规划"), {}, 2, 1)
    assert first.total == second.total == 2 and first.pages == 2
    assert first.hits[0].code != second.hits[0].code
    assert engine.search(text.parse("规划"), {}, 99, 1).page == 2  # past the end: the last page


@pytest.mark.parametrize(
    "q",
    ['"', '"工程', '工程"规划', "AND", "OR NOT", "*", "**", ":", "kind:powers", "规划 AND 许可", "(", ")", "[",
     "\\", "'; DROP TABLE power_items; --", "<script>alert(1)</script>", "\x00", "　", "" , " ", "长" * 500,
     "a" * 300, "-", "--", "62052400-", "*规划*", "规*", "%", "_", "?", "~1", "^2", "{}", "🙂🙂"],
)
def test_hostile_queries_never_fail(engine, q):
    results = engine.search(text.parse(q), {"kind": "x" * 100}, 1, 20)
    assert results is not None and results.total >= 0
    assert len(text.parse(q).raw) <= text.MAX_QUERY


def test_single_characters_join_their_neighbours():
    assert [t.phrases for t in text.parse("办 证").terms] == [["办证"]]
    assert [t.phrases for t in text.parse("婚 姻登记").terms] == [["婚姻登记"]]


def test_cover_needs_about_half_the_bigrams():
    assert _cover([5, 1, 5, 1, 5]) == [0, 1, 3, 4] or len(_cover([5, 1, 5, 1, 5])) <= 4
    assert _cover([1, 1, 1]) == [0, 2]
    assert _cover([1, 1, 1, 1, 1, 1]) in ([0, 2, 4, 5], [0, 1, 3, 5])
    for n in range(1, 12):
        offsets = _cover([1] * n)
        covered = {c for o in offsets for c in (o, o + 1)}
        assert covered == set(range(n + 1))


def test_highlight_marks_matches_across_punctuation_and_scripts():
    marked = str(text.highlight("城乡 规划,工程;规划", ["规划工程"]))
    assert marked == "城乡 <mark>规划,工程</mark>;规划"
    assert "<mark>營業執照</mark>" in str(text.highlight("辦理營業執照", ["营业执照"]))
    assert "&lt;b&gt;" in str(text.snippet("<b>营业执照</b>", ["营业执照"]))


# Whoosh internals this depends on (pinned whoosh-reloaded 2.7.5) ----------------------


def test_bulk_written_postings_read_back_like_whoosh_reads_them(engine):
    ix = windex.open_dir(str(engine._current()))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term in ("规划", "许可", "婚姻", "ab"):
            if ("all", term.encode()) not in reader:
                continue
            ids, values = read_postings(reader, "all", term)
            public = list(reader.postings("all", term.encode()).all_items())
            assert list(zip(ids, values)) == public
        # whoosh's own phrase query over consecutive bigrams agrees with the engine.
        phrase = searcher.search(Phrase("all", text.bigrams("工程规划")), limit=None)
        assert {searcher.stored_fields(h.docnum)["id"] for h in phrase} == set(codes(engine, "工程规划"))


def test_parallel_build_equals_serial(tmp_path, monkeypatch):
    from portal.search import whoosh_engine

    monkeypatch.setattr(whoosh_engine, "BATCH", 2)  # so that both workers get some
    serial, parallel = WhooshEngine(tmp_path / "a"), WhooshEngine(tmp_path / "b")
    serial.rebuild(corpus_documents(), len(CORPUS), workers=1)
    parallel.rebuild(corpus_documents(), len(CORPUS), workers=2)
    for q in ("规划", "许可", "2024-XN", "婚姻 态度", "一次性告知"):
        assert sorted(codes(serial, q)) == sorted(codes(parallel, q))
    # One segment per worker that got a batch: how the batches fall between the two is the
    # scheduler's business, so this checks at most two, not exactly two.
    assert 1 <= len(list(windex.open_dir(str(parallel._current())).searcher().leaf_searchers())) <= 2


# The portal: pages, twins, incremental updates, privacy ----------------------------


@pytest.fixture(scope="module")
def search_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("search_app"))
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        assert search.rebuild(db.session) == 10
    return app


@pytest.mark.parametrize("lang", LANGS)
def test_search_page_in_every_locale(search_app, lang):
    client = search_app.test_client()
    response = client.get(f"/{lang}/search?q=企业投资")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expected = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}[lang]
    assert f'<html lang="{expected}">' in html
    anchors = parse_html(html).anchors
    assert f"/{lang}/powers/99010001FG-XK-0001/" in anchors
    assert "<mark>" in html
    twin = json_twin(html)
    assert twin.startswith(f"/{lang}/search.json?q=")
    data = client.get(twin).get_json()
    assert data["total"] >= 3
    first = data["items"][0]
    assert set(first) >= {"kind", "code", "title", "url"}
    assert first["url"].startswith(f"/{lang}/")


def test_twin_carries_total_hits_and_facets(search_app):
    data = search_app.test_client().get("/zh-hans/search.json?q=企业投资项目&kind=powers").get_json()
    assert data["total"] == 1
    assert [(i["kind"], i["code"]) for i in data["items"]] == [("powers", "99010001FG-XK-0001")]
    assert data["items"][0]["url"] == "/zh-hans/powers/99010001FG-XK-0001/"
    kinds = {f["value"]: f["count"] for f in data["facets"]["kind"]}
    assert kinds == {"powers": 1, "services": 1, "commitments": 1}


def test_traditional_page_query_and_results(search_app):
    client = search_app.test_client()
    simplified = client.get("/zh-hans/search.json?q=企业投资").get_json()
    traditional = client.get("/zh-hant/search.json?q=企業投資").get_json()
    assert [i["code"] for i in traditional["items"]] == [i["code"] for i in simplified["items"]]
    page = client.get("/zh-hant/search?q=企業投資").get_data(as_text=True)
    assert "<mark>企業投資</mark>項目核准" in page


def test_zero_results_offer_help(search_app):
    client = search_app.test_client()
    data = client.get("/zh-hans/search.json?q=企业投资项目办理指南").get_json()
    assert data["total"] == 0
    assert "企业投资项目" in [s["q"] for s in data["suggestions"]]
    text_ = visible_text(client.get("/zh-hans/search?q=企业投资项目办理指南").get_data(as_text=True))
    assert "您是不是要找" in text_ and "12345" in text_
    twin = client.get("/zh-hans/search.json?q=低保 态度生硬").get_json()
    assert twin["total"] == 0


@pytest.mark.parametrize("q", ['"', "AND", "*", ":", "x" * 1000, "%ZZ", "<>&"])
@pytest.mark.parametrize("lang", LANGS)
def test_hostile_queries_on_the_page(search_app, lang, q):
    client = search_app.test_client()
    for url in (f"/{lang}/search", f"/{lang}/search.json"):
        # The page moves a facet into its path (…/search/by/year/nope/?q=…), the twin answers as asked.
        response = client.get(url, query_string={"q": q, "year": "nope"}, follow_redirects=True)
        assert response.status_code == 200, (url, q)
        # Junk page numbers name no page, as on every list (one parser for all of them).
        assert client.get(url, query_string={"q": q, "page": "-3"}).status_code == 404


def test_search_pages_and_single_facets_are_paths(search_app):
    search_app.config["PAGE_SIZE"], size = 2, search_app.config["PAGE_SIZE"]  # pages of two hits
    try:
        _search_pages_are_paths(search_app.test_client())
    finally:
        search_app.config["PAGE_SIZE"] = size


def _search_pages_are_paths(client):
    first = client.get("/zh-hans/search?q=企业").get_data(as_text=True)
    nav = first[first.index('class="pagination"'):]
    nxt = re.search(r'rel="next" href="([^"]+)"', nav)[1]
    assert html.unescape(nxt) == "/zh-hans/search/page/2/?q=%E4%BC%81%E4%B8%9A"
    second = client.get(html.unescape(nxt))
    assert second.status_code == 200 and "第 2 /" in second.get_data(as_text=True)
    facet = re.search(r'href="(/zh-hans/search/by/kind/services/\?q=[^"]+)"', first)
    assert facet, "a kind's facet is a path"
    narrowed = client.get(html.unescape(facet[1])).get_data(as_text=True)
    assert 'aria-current="true">办事指南<' in narrowed
    # The old query addresses move to the paths; the twin answers its query as documented.
    for old, new in [("/zh-hans/search?q=企业&page=2", "/zh-hans/search/page/2/?q=%E4%BC%81%E4%B8%9A"),
                     ("/en/search?kind=services&q=企业&page=2",
                      "/en/search/by/kind/services/page/2/?q=%E4%BC%81%E4%B8%9A"),
                     ("/zh-hans/search/page/1/?q=企业", "/zh-hans/search?q=%E4%BC%81%E4%B8%9A")]:
        moved = client.get(old)
        assert (moved.status_code, moved.location) == (301, new), old
    twin = client.get("/zh-hans/search.json?q=企业").get_json()
    assert twin["next"] == "/zh-hans/search/page/2.json?q=%E4%BC%81%E4%B8%9A"
    assert client.get(twin["next"]).get_json()["page"] == 2
    assert client.get("/zh-hans/search/by/nope/x/?q=企业").status_code == 404


def test_empty_search_and_missing_index(client):
    # The session app has no index built: the page says so instead of failing.
    page = client.get("/zh-hans/search?q=企业")
    assert page.status_code == 200 and "搜索索引尚未建立" in page.get_data(as_text=True)
    assert client.get("/zh-hans/search.json?q=企业").get_json()["total"] == 0
    assert client.get("/zh-hans/search").status_code == 200


def test_every_page_has_a_search_box(client):
    html = client.get("/zh-hans/powers/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/zh-hans/search"' in html


@pytest.fixture
def live_app(tmp_path, city_copy):
    app = make_app(tmp_path)
    with app.app_context():
        assert load_directory(db.session, city_copy).ok
        search.rebuild(db.session)
    return app


def _codes(app, q):
    return [i["code"] for i in app.test_client().get(f"/zh-hans/search.json?q={q}").get_json()["items"]]


def test_publishing_updates_the_index_without_a_rebuild(live_app, city_copy, monkeypatch):
    engine = search.engine(live_app)
    generation = engine._current()
    monkeypatch.setattr(engine, "rebuild", lambda *a, **k: pytest.fail("no full rebuild on publish"))

    def rename(headers, rows):
        rows[1]["事项名称"] = "对哄抬物价行为的处罚"

    edit_csv(city_copy / POWERS, rename)
    with live_app.app_context():
        assert load_directory(db.session, city_copy).ok
    assert _codes(live_app, "哄抬物价") == ["99010001FG-CF-0001"]
    assert _codes(live_app, "违反价格法") == []  # the old title is gone from the index
    assert engine._current() == generation


def test_a_withdrawn_item_leaves_the_index(live_app, city_copy):
    assert "99010001FG-JC-0001" in _codes(live_app, "节能审查")
    edit_csv(city_copy / POWERS, lambda headers, rows: rows.pop())
    with live_app.app_context():
        assert load_directory(db.session, city_copy).ok
    assert _codes(live_app, "节能审查") == []
    assert _codes(live_app, "99010001FG-JC-0001") == []


def test_the_content_command_updates_the_index_in_one_commit(live_app, city_copy):
    def rename(headers, rows):
        rows[0]["投诉摘要"] = "王某反映窗口推诿扯皮,多次往返。"

    edit_csv(city_copy / COMPLAINTS, rename)
    result = live_app.test_cli_runner().invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code == 0, result.output
    assert _codes(live_app, "推诿扯皮") == ["2024-XN-0001"]


def test_the_index_holds_nothing_the_privacy_guard_refuses(live_app, caplog):
    # Personal data written into the database behind the upload's back (which refuses it).
    phone, id_number = "13812345678", "11010519491231002X"
    with live_app.app_context():
        case = db.session.scalars(select(ComplaintCase).where(ComplaintCase.code == "2024-XN-0001")).one()
        case.record = {**case.record,
                       "summary": case.record["summary"] + f"联系电话 {phone},身份证号{id_number}。"}
        db.session.commit()
        search.rebuild(db.session)
    client = live_app.test_client()
    for q in (phone, id_number, "一次性告知所需材料", "2024-XN-0001"):
        data = client.get("/zh-hans/search.json", query_string={"q": q}).get_json()
        assert "2024-XN-0001" not in [i["code"] for i in data["items"]], q
        assert phone not in str(data["items"]) and id_number not in str(data["items"])
    assert "privacy guard withheld complaints 2024-XN-0001 from search index" in caplog.text
    assert phone not in caplog.text
    # The other case is still found.
    assert _codes(live_app, "态度生硬") == ["2024-XN-0002"]


def test_a_publish_the_guard_refuses_takes_the_item_out_of_the_index(live_app):
    assert _codes(live_app, "2024-XN-0001") == ["2024-XN-0001"]
    with live_app.app_context():
        case = db.session.scalars(select(ComplaintCase).where(ComplaintCase.code == "2024-XN-0001")).one()
        case.record = {**case.record, "summary": case.record["summary"] + "联系电话 13812345678。"}
        db.session.commit()
        # What catching up does for the revision that published the case.
        upserts, removals = changes_since(db.session, case.revision_id - 1, case.revision_id)
        search.engine(live_app).apply(upserts, removals)
    assert _codes(live_app, "2024-XN-0001") == []


def test_reindex_command_shows_progress_and_keeps_searching(app, runner, city_copy):
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "indexed 10 documents" in result.output
    again = runner.invoke(args=["search", "reindex", "--if-missing"])
    assert "nothing to do" in again.output
    assert "10 documents" in runner.invoke(args=["search", "status"]).output


def test_small_segments_are_merged_and_still_match_exactly(tmp_path):
    engine = WhooshEngine(tmp_path)
    documents = corpus_documents()
    engine.rebuild(documents, len(documents))
    before = {q: sorted(codes(engine, q)) for q in ("工程规划", "规划", "婚姻 态度", "62052400SP-FW", "一次性告知")}
    for round_ in range(6):  # each apply is a commit with a new small segment; merges kick in
        changed = documents[round_]
        engine.apply([changed], [])
    engine.apply([], ["complaints:2024-XN-0012"])
    ix = windex.open_dir(str(engine._current()))
    assert len(ix._segments()) < 7
    after = {q: sorted(codes(engine, q)) for q in before}
    before["婚姻 态度"] = []
    before["一次性告知"] = [c for c in before["一次性告知"] if not c.startswith("complaints:")]
    assert after == before
    assert engine.doc_count() == len(documents) - 1


def test_english_department_names_are_searchable(search_app):
    data = search_app.test_client().get("/en/search.json?q=Civil Affairs").get_json()
    assert data["total"] >= 1
    assert {i["department"]["code"] for i in data["items"]} == {"99010002MZ"}
    assert data["items"][0]["department"]["name"] == "Test Bureau of Civil Affairs"


def test_the_index_lives_under_instance(search_app):
    engine = search.engine(search_app)
    assert engine.root == Path(search_app.instance_path) / "search"
    assert (engine.root / "CURRENT").exists()


def test_an_index_of_another_version_counts_as_missing(tmp_path, monkeypatch):
    from portal.search import whoosh_engine as engine_module

    found = WhooshEngine(tmp_path)
    found.rebuild(corpus_documents(), len(CORPUS))
    assert found.exists()
    monkeypatch.setattr(engine_module, "INDEX_VERSION", "older")
    assert not found.exists()
    assert found.search(text.parse("规划"), {}, 1, 20) is None
    assert found.apply(corpus_documents()[:1], []) is False
