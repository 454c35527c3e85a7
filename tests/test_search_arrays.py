"""Search's matches as arrays: phrases found exactly where they occur, kept pages that follow the index."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.search import text
from portal.search.documents import FACETS, Document
from portal.search.whoosh_columns import facet_column, number_column
from portal.search.whoosh_engine import WhooshEngine

# Few characters, so that texts repeat bigrams and a query's bigrams are often
# each somewhere in a document without the query being there.
ALPHABET = "对企业投资项目"


def _document(index: int, title: str, body: str) -> Document:
    return Document(kind="powers", code=f"T-{index:03d}", title=title, department="62052400ZR",
                    texts=[title, body], codes=[f"T-{index:03d}"], power_type="行政许可", year="2024")


def _documents() -> list[Document]:
    rng = random.Random(18)

    def run(low: int, high: int) -> str:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(low, high)))

    found = [_document(0, "企业投资项目核准", "按规定办理。"), _document(1, "对企服务", "对企帮扶。"),
             _document(2, "对企服务指南", "窗口受理。")]
    found += [_document(i, run(2, 6), f"{run(3, 12)},{run(3, 12)}") for i in range(3, 60)]
    return found


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    made = WhooshEngine(tmp_path_factory.mktemp("arrays"))
    made.rebuild(_documents(), 60)
    return made


def _truth(q: str) -> set[str]:
    needle = text.han_text(text.normalize(q))
    return {d.key for d in _documents() if needle in "\x00".join(text.compact(t) for t in d.texts)}


def _keys(engine, q: str, **filters) -> list[str]:
    return [f"{h.kind}:{h.code}" for h in engine.search(text.parse(q), filters, 1, 100).hits]


def test_a_phrase_is_not_found_where_only_its_rarest_bigram_is(tmp_path):
    # 业投 is the rarest bigram of 对企业投 and is read first, at offset 2: in 企业投资… it sits at
    # position 1, and that document has no 对企 at all, so no start of the phrase can be there.
    small = WhooshEngine(tmp_path / "small")
    small.rebuild(_documents()[:3], 3)
    assert _keys(small, "对企业投") == []
    assert _keys(small, "企业投资") == ["powers:T-000"]
    assert sorted(_keys(small, "对企")) == ["powers:T-001", "powers:T-002"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=2, max_size=7))
def test_a_phrase_matches_exactly_the_documents_that_contain_it(engine, q):
    results = engine.search(text.parse(q), {}, 1, 100)
    assert {f"{h.kind}:{h.code}" for h in results.hits} == _truth(q)
    assert results.total == len(_truth(q)) == engine.count(text.parse(q))
    assert dict(results.facets["kind"]) == ({"powers": results.total} if results.total else {})


def test_a_kept_page_follows_the_index(engine, tmp_path):
    own = WhooshEngine(tmp_path / "kept")
    own.rebuild(_documents(), 60)
    before = own.search(text.parse("对企"), {}, 1, 100)
    assert own.search(text.parse("对企"), {}, 1, 100) is before  # asked again: the page kept
    own.apply([_document(99, "对企新政", "新的说明。")], ["powers:T-001"])
    after = {f"{h.kind}:{h.code}" for h in own.search(text.parse("对企"), {}, 1, 100).hits}
    assert "powers:T-099" in after and "powers:T-001" not in after
    assert own.search(text.parse("对企"), {"kind": "services"}, 1, 100).total == 0


def test_columns_read_at_once_read_as_whoosh_reads_them(engine, tmp_path):
    own = WhooshEngine(tmp_path / "columns")
    own.rebuild(_documents(), 60, workers=1)
    own.apply([_document(99, "对企新政", "新的说明。")], ["powers:T-001"])  # a second segment
    for index in (engine, own):
        index.search(text.parse("对企"), {}, 1, 10)
        for leaf in index._leaves.values():
            reader = leaf.reader
            for name in FACETS:
                codes, values = facet_column(reader, name)
                assert [values[c] for c in codes] == [v.decode() for v in reader.column_reader(name)]
            for name in ("size", "title_size"):
                assert number_column(reader, name).tolist() == list(reader.column_reader(name))
