"""Search's matches as arrays: phrases found exactly where they occur, kept pages that follow the index."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.search import text, whoosh_matching
from portal.search.documents import FACETS, Document
from portal.search.whoosh_columns import facet_column, number_column
from portal.search.whoosh_engine import WhooshEngine
from portal.search.whoosh_postings import read_postings

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


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    """The documents of `engine` with a year in some of their texts (当年2024对企…): a phrase and a
    number typed together are one term of two parts."""
    rng = random.Random(7)
    documents = [Document(**{**d.__dict__, "texts": [d.texts[0], f"{rng.choice(['', '2024', '15'])}{d.texts[1]}"]})
                 for d in _documents()]
    made = WhooshEngine(tmp_path_factory.mktemp("numbered"))
    made.rebuild(documents, len(documents))
    return made


@pytest.fixture(scope="module")
def narrowing(numbered):
    """The same index read by an engine that checks every phrase only where its candidates are."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(whoosh_matching, "NARROW_FROM", 0)
        yield WhooshEngine(numbered.root)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=3, max_size=7), st.sampled_from(["", "2024", "15", " 2024"]))
def test_a_phrase_checked_only_where_its_candidates_are_matches_the_same(numbered, narrowing, q, number):
    # Each bigram after the rarest read only in the blocks that hold a candidate, and a phrase typed
    # with a number checked only where the number is: the same hits, in the same order.
    asked = text.parse(q + number)
    for kept in (narrowing._results, narrowing._matcher.matches, narrowing._matcher.positions_cache):
        kept.clear()
    found, whole = narrowing.search(asked, {}, 1, 100), numbered.search(asked, {}, 1, 100)
    assert [(h.code, h.in_title, h.exact) for h in found.hits] == [(h.code, h.in_title, h.exact) for h in whole.hits]
    assert found.total == whole.total == narrowing.count(asked)
    if not number:
        assert {f"{h.kind}:{h.code}" for h in found.hits} == _truth(q)


def test_postings_read_within_some_documents_hold_all_of_theirs(tmp_path):
    # 300 documents with 对企 make three blocks of postings; asking for a few documents reads the
    # blocks that hold them, whole, and skips the others.
    many = WhooshEngine(tmp_path / "many")
    many.rebuild([_document(i, f"对企{'服务' * (i % 3)}", "对企帮扶。") for i in range(300)], 300, workers=1)
    many.search(text.parse("对企"), {}, 1, 10)
    (leaf,) = many._leaves.values()
    all_ids, all_values = read_postings(leaf.reader, "all", "对企")
    assert len(all_ids) == 300
    for wanted in ([0], [5, 140], [299], [127, 128], list(range(0, 300, 7))):
        ids, values = read_postings(leaf.reader, "all", "对企", np.array(wanted, np.int32))
        found = dict(zip(ids, values))
        assert {d: found[d] for d in wanted} == {d: all_values[all_ids.index(d)] for d in wanted}
        assert ids == sorted(ids)
    assert len(read_postings(leaf.reader, "all", "对企", np.array([5], np.int32))[0]) == 128
