"""The search engine on whoosh: full rebuilds, incremental updates, and the query plan.

The index lives under `instance/search/`: each full rebuild writes a new
generation directory and then switches the `CURRENT` file to it atomically, so
searches never see a half-built index; publishes update the current generation
in place (a new small segment per publish, folded together now and then).

A query is evaluated from raw postings, segment by segment:

* a Han phrase of n ≥ 3 characters needs only about n/2 bigrams — a cover of
  the phrase whose bigrams sit at fixed offsets (工程规划 = 工程@0 + 规划@2),
  chosen to be the rarest such set — intersected by document and then checked
  by position. That is as few posting lists as a word segmenter would read,
  with the recall of bigrams: every document containing the phrase matches;
* a two-character phrase is one posting list; one character expands to the
  bigrams that start with it;
* words are exact terms (or prefixes, with a trailing *); codes match the
  `codes` field exactly or by prefix.

Every term of the query must match. Hits are ranked by: the item's own code
typed in full, then all terms in the title, then the whole query as one exact
phrase, then how many terms the title has, then BM25 over the full text.
Facet counts are counted under the other chosen facets, as on the list pages.
"""

from __future__ import annotations

import heapq
import math
from array import array
from itertools import compress
import multiprocessing
import os
import queue as queue_module
import shutil
import threading
import time
import traceback
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as windex
from whoosh.index import TOC

from ..schemas import KINDS
from . import text as T
from .documents import FACETS, Document
from .whoosh_index import BulkWriter, decode_positions, merge_small, read_postings, schema

# BM25 parameters.
K1, B = 1.2, 0.75
# How many lexicon terms a prefix or a single character may expand to.
MAX_EXPANSION = 2000
# Decoded postings kept in memory per process, counted in documents (common bigrams recur
# across queries; about 60 bytes each).
CACHE_POSTINGS = 2_000_000
# Below this many documents a rebuild runs in-process; above, on every core.
PARALLEL_FROM = 3000
# Documents per batch handed to a build worker (and per progress report).
BATCH = 250
# Bump when the schema, the documents or the text analysis change: an index of another
# version counts as missing, so `flask search reindex --if-missing` (run by scripts/serve)
# rebuilds it after an upgrade.
INDEX_VERSION = "1"


@dataclass
class Hit:
    """One search result."""

    kind: str
    code: str
    title: str
    department: str
    text: str  # the searchable text the snippet is cut from
    in_title: bool = False
    exact: bool = False


@dataclass
class Results:
    """One page of results, with facet counts over all of them."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    page: int
    pages: int
    page_size: int


@dataclass
class _Leaf:
    """One segment of the index, with its facet columns and document sizes read once."""

    reader: object
    offset: int
    sid: str
    columns: dict[str, list[str]] = field(default_factory=dict)
    sizes: list[int] = field(default_factory=list)
    title_sizes: list[int] = field(default_factory=list)
    deleted: frozenset = frozenset()
    keys: list | None = None
    norms: list | None = None
    title_norms: list | None = None
    by_value: dict = field(default_factory=dict)
    by_length: list | None = None


def _occurrences(value) -> int:
    return (len(value) >> 2 if isinstance(value, bytes) else 0) or 1


def _code_terms(code: str) -> list[str]:
    """A code and its prefixes at each hyphen, normalised: 99010001fg, 99010001fg-xk, …"""
    code = T.normalize(code)
    parts = code.split("-")
    return ["-".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _fields(doc: Document) -> dict:
    terms = T.index_terms(doc.texts)
    title = T.index_terms([doc.title])
    codes = sorted({t for c in doc.codes for t in _code_terms(c)})
    return {
        "id": doc.key,
        "kind": doc.kind.encode(),
        "department": doc.department.encode(),
        "power_type": (doc.power_type or "-").encode(),
        "year": (doc.year or "-").encode(),
        "size": terms[1],
        "title_size": title[1],
        "codes": " ".join(codes),
        "title": title,
        "all": terms,
        "code": doc.code,
        "heading": doc.title,
        "text": "\n".join(doc.texts[1:]),
    }


def _cover(dfs: list[int]) -> list[int]:
    """The offsets of the cheapest set of bigrams that together cover every character.

    Bigram i covers characters i and i+1; consecutive chosen offsets may be at
    most 2 apart, and the first and last bigrams are always needed.
    """
    n = len(dfs)
    best: list[tuple[int, list[int]]] = []
    for i in range(n):
        if i == 0:
            best.append((dfs[0], [0]))
            continue
        options = [best[i - 1]] + ([best[i - 2]] if i >= 2 else [])
        cost, path = min(options, key=lambda c: c[0])
        best.append((cost + dfs[i], path + [i]))
    return best[-1][1]


def _size(value) -> int:
    return sum(map(len, value)) if isinstance(value, tuple) else len(value)


class _Cache:
    """An LRU of decoded postings, bounded by how many postings it holds."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.items: OrderedDict = OrderedDict()

    def get(self, key, load):
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
            return found
        found = load()
        self.items[key] = found
        self.size += _size(found)
        while self.size > self.limit and len(self.items) > 1:
            _key, old = self.items.popitem(last=False)
            self.size -= _size(old)
        return found

    def forget(self, sids: set[str]):
        for key in [k for k in self.items if k[0] not in sids]:
            self.size -= _size(self.items.pop(key))


class WhooshEngine:
    """Search over a whoosh index kept under `root` (instance/search/)."""

    name = "whoosh"

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._lock = threading.RLock()
        self._searcher = None
        self._generation = None
        self._leaves: dict[str, _Leaf] = {}
        self._cache = _Cache(CACHE_POSTINGS)

    # Where the index is -------------------------------------------------------

    def _current(self) -> Path | None:
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        directory = self.root / name
        try:
            version = (directory / "VERSION").read_text().strip()
        except FileNotFoundError:
            return None
        return directory if version == INDEX_VERSION else None

    def exists(self) -> bool:
        """True once a full build has been made."""
        return self._current() is not None

    def size_bytes(self) -> int:
        """The size of the current index on disk."""
        current = self._current()
        return sum(p.stat().st_size for p in current.iterdir()) if current else 0

    # Writing ------------------------------------------------------------------

    def rebuild(self, documents: Iterable[Document], total: int,
                progress: Callable[[int], None] | None = None, workers: int | None = None) -> int:
        """Index every document afresh in a new generation, then switch to it; return the count.

        From PARALLEL_FROM documents on, forked workers (one per core) each write a
        segment from batches the parent hands out while it is still reading.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        directory = self.root / f"gen-{time.time_ns()}-{os.getpid()}"
        directory.mkdir()
        try:
            ix = windex.create_in(str(directory), schema())
            workers = workers or (min(os.cpu_count() or 1, 4) if total >= PARALLEL_FROM else 1)
            if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
                count = self._build_parallel(ix, directory, documents, workers, progress)
            else:
                writer = BulkWriter(ix)
                count = 0
                for count, doc in enumerate(documents, start=1):
                    writer.add_document(**_fields(doc))
                    if progress and count % BATCH == 0:
                        progress(BATCH)
                writer.commit(merge=False)
                if progress:
                    progress(count % BATCH)
            (directory / "VERSION").write_text(INDEX_VERSION)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        self._switch_to(directory)
        return count

    def _build_parallel(self, ix, directory: Path, documents: Iterable[Document], workers: int,
                        progress) -> int:
        context = multiprocessing.get_context("fork")
        jobs, results = context.Queue(maxsize=workers * 4), context.Queue()
        processes = [context.Process(target=_write_part, args=(str(directory), i, jobs, results), daemon=True)
                     for i in range(workers)]
        for process in processes:
            process.start()
        segments, failures, done, count = {}, [], 0, 0

        def drain(block: bool):
            nonlocal done
            while done < workers:
                try:
                    message = results.get(timeout=600) if block else results.get_nowait()
                except queue_module.Empty:
                    return
                if message[0] == "progress":
                    if progress:
                        progress(message[1])
                elif message[0] == "segment":
                    segments[message[1]] = message[2]
                    done += 1
                else:
                    failures.append(message[2])
                    done += 1

        try:
            batch: list[Document] = []
            for doc in documents:
                batch.append(doc)
                count += 1
                if len(batch) == BATCH:
                    jobs.put(batch)
                    batch = []
                    drain(block=False)
            if batch:
                jobs.put(batch)
            for _ in processes:
                jobs.put(None)
            drain(block=True)
        finally:
            for process in processes:
                process.join(timeout=60)
                if process.is_alive():
                    process.kill()
        if failures:
            raise RuntimeError("index build failed:\n" + "\n".join(failures))
        written = [segments[i] for i in sorted(segments) if segments[i].doc_count_all()]
        toc = TOC(ix.schema, written, 1)
        toc.write(ix.storage, ix.indexname)
        shutil.rmtree(directory / f"{ix.indexname}.tmp", ignore_errors=True)
        return count

    def _switch_to(self, directory: Path):
        temporary = self.root / f"CURRENT.{os.getpid()}"
        previous = self._current()
        temporary.write_text(directory.name)
        os.replace(temporary, self.root / "CURRENT")
        # Keep the previous generation for searchers still reading it; drop older ones.
        keep = {directory.name, previous.name if previous else None}
        for old in self.root.glob("gen-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def apply(self, upserts: list[Document], removals: list[str], timeout: float = 30.0) -> bool:
        """Add or replace documents and remove others, in one commit; False when there is no index."""
        directory = self._current()
        if directory is None:
            return False
        ix = windex.open_dir(str(directory))
        writer = BulkWriter(ix, timeout=timeout, delay=0.05)
        try:
            for key in removals:
                writer.delete_by_term("id", key)
            for doc in {d.key: d for d in upserts}.values():
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_small)
        return True

    # Reading ------------------------------------------------------------------

    def _open(self):
        """The searcher of the current generation, reopened whenever a commit has landed."""
        directory = self._current()
        if directory is None:
            return None
        stale = self._searcher is None or self._generation != directory or not self._searcher.up_to_date()
        if not stale:
            return self._searcher
        previous = self._searcher
        self._searcher = windex.open_dir(str(directory)).searcher()
        self._generation = directory
        leaves = {}
        for sub, offset in self._searcher.leaf_searchers():
            reader = sub.reader()
            sid = reader.segment().segment_id()
            known = self._leaves.get(sid)
            leaf = _Leaf(reader, offset, sid)
            if known is not None:  # a segment's postings and columns never change
                leaf.columns, leaf.sizes, leaf.norms = known.columns, known.sizes, known.norms
                leaf.title_sizes, leaf.title_norms = known.title_sizes, known.title_norms
                leaf.keys, leaf.by_value, leaf.by_length = known.keys, known.by_value, known.by_length
            else:
                for name in FACETS:
                    leaf.columns[name] = [v.decode() for v in reader.column_reader(name)]
                leaf.sizes = list(reader.column_reader("size"))
                leaf.title_sizes = list(reader.column_reader("title_size"))
            leaf.deleted = frozenset(reader.deleted_docs_set) if reader.has_deletions() else frozenset()
            leaves[sid] = leaf
        self._cache.forget(set(leaves))
        self._leaves = leaves
        if previous is not None:
            previous.close()
        return self._searcher

    def _with_value(self, leaf: _Leaf, name: str, value: str) -> set[int]:
        """The documents of a segment whose facet `name` is `value`, indexed once per segment."""
        index = leaf.by_value.get(name)
        if index is None:
            index = leaf.by_value[name] = {}
            for doc, found in enumerate(leaf.columns[name]):
                index.setdefault(found, set()).add(doc)
        return index.get(value, set())

    def _contenders(self, leaf: _Leaf, per_term, members: set[int], need: int):
        """The members that can be among the best `need` by BM25, without scoring them all.

        A document where every term occurs once scores (sum of idf) / (1 + norm): the
        shorter, the better. So the best are among the documents with a term more than
        once, and the `need` shortest of the others.
        """
        if len(members) <= 1000:
            return members
        repeated = {d for found in per_term for d, f in found.items() if f > 1} & members
        found = list(repeated)
        taken = 0
        for doc in self._by_length(leaf):
            if doc in members and doc not in repeated:
                found.append(doc)
                taken += 1
                if taken >= need:
                    break
        return found

    def _by_length(self, leaf: _Leaf) -> list[int]:
        if leaf.by_length is None:
            norms = self._norms(leaf)
            leaf.by_length = sorted(range(len(norms)), key=norms.__getitem__)
        return leaf.by_length

    def _norms(self, leaf: _Leaf, title: bool = False) -> list[float]:
        """BM25's length normalisation per document of a segment (full text or title), computed once."""
        name = "title_norms" if title else "norms"
        if getattr(leaf, name) is None:
            sizes = leaf.title_sizes if title else leaf.sizes
            average = max(1.0, sum(sizes) / max(1, len(sizes)))
            setattr(leaf, name, [K1 * (1 - B + B * size / average) for size in sizes])
        return getattr(leaf, name)

    def doc_count(self) -> int:
        """How many documents are searchable."""
        with self._lock:
            searcher = self._open()
            return searcher.doc_count() if searcher else 0

    def _docs(self, leaf: _Leaf, fieldname: str, term: str) -> set[int]:
        """The documents of a segment that contain a term (deleted ones included)."""
        return set(read_postings(leaf.reader, fieldname, term)[0])

    def _df(self, leaf: _Leaf, fieldname: str, term: str) -> int:
        return leaf.reader.doc_frequency(fieldname, term)

    def _expand(self, leaf: _Leaf, fieldname: str, prefix: str) -> list[str]:
        terms = []
        for btext in leaf.reader.expand_prefix(fieldname, prefix):
            terms.append(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
            if len(terms) >= MAX_EXPANSION:
                break
        return terms

    def _freqs(self, leaf: _Leaf, fieldname: str, term: str) -> dict[int, int]:
        """{doc: occurrences} of a term in one segment (shared: never modify it)."""
        def load():
            ids, values = read_postings(leaf.reader, fieldname, term)
            return dict(zip(ids, map(_occurrences, values)))

        return self._cache.get((leaf.sid, fieldname, term, "f"), load)

    def _union(self, leaf: _Leaf, fieldname: str, terms: list[str]) -> dict[int, int]:
        found: dict[int, int] = {}
        get = found.get
        for term in terms:
            for doc, count in self._freqs(leaf, fieldname, term).items():
                found[doc] = get(doc, 0) + count
        return found

    def _phrase(self, leaf: _Leaf, fieldname: str, chars: str) -> dict[int, int]:
        """{doc: occurrences} of the Han string `chars` in one segment (shared: never modify it)."""
        if len(chars) == 1:
            return self._union(leaf, fieldname, [chars, *self._expand(leaf, fieldname, chars)])
        grams = T.bigrams(chars)
        if len(grams) == 1:
            return self._freqs(leaf, fieldname, grams[0])
        return self._cache.get((leaf.sid, fieldname, chars, "p"), lambda: self._cover_phrase(leaf, fieldname, grams))

    def _positions(self, leaf: _Leaf, fieldname: str, term: str) -> tuple[dict, dict]:
        """A term's positions per document: ({doc: position} where it occurs once, {doc: positions})."""
        def load():
            ids, values = read_postings(leaf.reader, fieldname, term)
            once = [len(v) == 4 for v in values]
            # Decode every single position in one go: the values are packed uint32s.
            positions = array("I")
            positions.frombytes(b"".join(compress(values, once)))
            single = dict(zip(compress(ids, once), positions))
            several = {d: decode_positions(v) for d, v, o in zip(ids, values, once) if not o}
            return single, several

        return self._cache.get((leaf.sid, fieldname, term, "pos"), load)

    def _cover_phrase(self, leaf: _Leaf, fieldname: str, grams: list[str]) -> dict[int, int]:
        sizes = [self._df(leaf, fieldname, g) for g in grams]
        if not all(sizes):
            return {}
        offsets = _cover(sizes)
        terms = [(o, *self._positions(leaf, fieldname, grams[o])) for o in sorted(offsets, key=sizes.__getitem__)]
        # Documents where every bigram of the cover occurs once: the phrase starts where
        # the first one does, and each other bigram must sit at its offset from there.
        first, single, _several = terms[0]
        starts = {doc: p - first for doc, p in single.items()}
        for offset, single, _several in terms[1:]:
            starts = {doc: start for doc, start in starts.items() if single.get(doc, -1) - offset == start}
            if not starts:
                break
        found = dict.fromkeys(starts, 1)
        # Documents where some bigram occurs more than once: intersect the possible starts.
        repeated = set().union(*(several.keys() for _o, _s, several in terms))
        for _offset, single, several in terms:
            if not repeated:
                break
            repeated &= single.keys() | several.keys()
        for doc in repeated:
            possible = None
            for offset, single, several in terms:
                here = {single[doc] - offset} if doc in single else {p - offset for p in several[doc]}
                possible = here if possible is None else possible & here
                if not possible:
                    break
            if possible:
                found[doc] = len(possible)
        return found

    def _term(self, leaf: _Leaf, term: T.Term, fieldname: str) -> dict[int, int]:
        """{doc: occurrences} of every part of a term in one field (shared: never modify it)."""
        parts: list[dict[int, int]] = []
        phrases = term.phrases
        if len(phrases) + len(term.words) > 1:
            # A lone character between letters or digits (第3条, 2024年) narrows little and
            # expands to hundreds of bigrams: the other parts decide.
            phrases = [p for p in phrases if len(p) > 1]
        for phrase in phrases:
            parts.append(self._phrase(leaf, fieldname, phrase))
        for index, word in enumerate(term.words):
            if term.prefix and index == len(term.words) - 1:
                parts.append(self._union(leaf, fieldname, self._expand(leaf, fieldname, word)))
            else:
                parts.append(self._freqs(leaf, fieldname, word))
        if not parts:
            return {}
        parts.sort(key=len)
        found = parts[0]
        for part in parts[1:]:
            found = {d: f + part[d] for d, f in found.items() if d in part}
        return found

    def _code(self, leaf: _Leaf, code: str) -> set[int]:
        exact = self._docs(leaf, "codes", code)
        if exact:
            return exact
        found: set[int] = set()
        for term in self._expand(leaf, "codes", code):
            found |= self._docs(leaf, "codes", term)
        return found

    def _own_code(self, leaf: _Leaf, code: str) -> set[int]:
        docs: set[int] = set()
        for kind in KINDS:
            docs |= self._docs(leaf, "id", f"{kind}:{code}")
        return docs

    def _match(self, leaf: _Leaf, plan: T.QueryPlan):
        """Per term: {doc: frequency} in the full text (code matches count as one)."""
        per_term = []
        for term in plan.terms:
            found = self._term(leaf, term, "all") if (term.phrases or term.words) else {}
            if term.code:
                found = dict(found)
                for doc in self._code(leaf, term.code):
                    found[doc] = found.get(doc, 0) + 1
            per_term.append(found)
        return per_term

    def search(self, plan: T.QueryPlan, filters: dict[str, str], page: int = 1,
               page_size: int = 20) -> Results | None:
        """One page of hits for `plan` under `filters`; None when there is no index."""
        with self._lock:
            searcher = self._open()
            if searcher is None:
                return None
            if plan.empty:
                return Results(0, [], {f: [] for f in FACETS}, 1, 1, page_size)
            return self._search(searcher, plan, filters, page, page_size)

    def count(self, plan: T.QueryPlan) -> int:
        """How many documents match `plan` (for suggestions)."""
        with self._lock:
            searcher = self._open()
            if searcher is None or plan.empty:
                return 0
            total = 0
            for leaf in self._leaves.values():
                per_term = self._match(leaf, plan)
                docs = set(per_term[0]).intersection(*per_term[1:]) if per_term else set()
                total += len(docs - leaf.deleted)
            return total

    def matching_keys(self, plan: T.QueryPlan) -> set[str]:
        """The keys (kind:code) of every matching document: for measuring recall."""
        with self._lock:
            searcher = self._open()
            if searcher is None or plan.empty:
                return set()
            keys = set()
            for leaf in self._leaves.values():
                if leaf.keys is None:
                    leaf.keys = [None if d in leaf.deleted else leaf.reader.stored_fields(d)["id"]
                                 for d in range(leaf.reader.doc_count_all())]
                per_term = self._match(leaf, plan)
                docs = set(per_term[0]).intersection(*per_term[1:]) - leaf.deleted
                keys.update(leaf.keys[d] for d in docs)
            return keys

    def _search(self, searcher, plan, filters, page, page_size) -> Results:
        matched = []  # (leaf, docs, per_term)
        df = [0] * len(plan.terms)
        for leaf in self._leaves.values():
            per_term = self._match(leaf, plan)
            docs = set(per_term[0]).intersection(*per_term[1:]) - leaf.deleted
            if not docs:
                continue
            for i, found in enumerate(per_term):
                df[i] += len(found.keys() - leaf.deleted) if leaf.deleted else len(found)
            matched.append((leaf, docs, per_term))

        # Facet counts: every facet under the other chosen facets.
        facets: dict[str, Counter] = {name: Counter() for name in FACETS}
        chosen = {k: v for k, v in filters.items() if k in FACETS and v}
        selected: list[tuple[_Leaf, set[int]]] = []
        for leaf, docs, _ in matched:
            columns = leaf.columns
            passes = {name: docs & self._with_value(leaf, name, value) for name, value in chosen.items()}
            for name in FACETS:
                pool = docs
                for other, ok in passes.items():
                    if other != name:
                        pool = pool & ok
                facets[name].update(map(columns[name].__getitem__, pool))
            keep = docs
            for ok in passes.values():
                keep = keep & ok
            selected.append((leaf, keep))
        total = sum(len(docs) for _, docs in selected)
        pages = max(1, math.ceil(total / page_size))
        page = min(max(1, page), pages)

        # Ranking: documents fall into groups by the tiers below; BM25 orders a group, and
        # only the groups the requested page reaches are scored at all.
        n_docs = max(1, searcher.doc_count())
        idf = [math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for n in df]
        exact_phrase = len(plan.terms) > 1 and len(plan.joined) >= 2 and all(
            t.phrases and not t.words and not t.code for t in plan.terms)
        wanted = page * page_size
        groups: dict[tuple, list[tuple[_Leaf, list, set]]] = {}
        for (leaf, docs), (_, _, per_term) in zip(selected, matched):
            if not docs:
                continue
            title_freqs = [self._term(leaf, t, "title") if (t.phrases or t.words) else {} for t in plan.terms]
            titles = [found.keys() & docs for found in title_freqs]
            exact = set(self._phrase(leaf, "all", plan.joined)) & docs if exact_phrase else set()
            own = set()
            for t in plan.terms:
                if t.code:
                    own |= self._own_code(leaf, t.code) & docs
            special = own.union(exact, *titles)
            keyed: dict[tuple, set] = {}
            for doc in special:
                in_title = sum(1 for found in titles if doc in found)
                key = (doc in own, in_title == len(plan.terms), doc in exact or not exact_phrase, in_title)
                keyed.setdefault(key, set()).add(doc)
            rest = docs - special
            if rest:
                keyed.setdefault((False, False, not exact_phrase, 0), set()).update(rest)
            for key, members in keyed.items():
                groups.setdefault(key, []).append((leaf, per_term, members, title_freqs if key[3] else ()))
        ranked: list[tuple[tuple, int, _Leaf, int]] = []
        for key in sorted(groups, reverse=True):
            if len(ranked) >= wanted:
                break
            scored = []
            need = wanted - len(ranked)
            for leaf, per_term, members, title_freqs in groups[key]:
                norms = self._norms(leaf)
                weighted = [(w, found) for w, found in zip(idf, per_term) if found]
                # Title matches: BM25 on the title counts double (a short title that is mostly
                # the query is the most specific hit), on top of the full text's.
                title_norms = self._norms(leaf, title=True) if title_freqs else None
                in_titles = [(2 * w, found) for w, found in zip(idf, title_freqs) if found]
                for doc in self._contenders(leaf, per_term, members, need):
                    score = 0.0
                    norm = norms[doc]
                    for weight, found in weighted:
                        f = found.get(doc, 0)
                        score += weight * f / (f + norm)
                    if in_titles:
                        norm = title_norms[doc]
                        for weight, found in in_titles:
                            f = found.get(doc, 0)
                            score += weight * f / (f + norm)
                    scored.append((score, -(leaf.offset + doc), leaf, doc))
            for score, negative, leaf, doc in heapq.nlargest(wanted - len(ranked), scored):
                ranked.append((key, -negative, leaf, doc))
        hits = []
        for key, docnum, leaf, doc in ranked[(page - 1) * page_size:wanted]:
            stored = searcher.stored_fields(docnum)
            hits.append(Hit(kind=leaf.columns["kind"][doc], code=stored["code"], title=stored["heading"],
                            department=leaf.columns["department"][doc], text=stored.get("text", ""),
                            in_title=key[1], exact=key[2]))
        return Results(
            total=total,
            hits=hits,
            facets={name: sorted(((v, n) for v, n in facets[name].items() if v != "-"),
                                 key=lambda pair: (-pair[1], pair[0])) for name in FACETS},
            page=page,
            pages=pages,
            page_size=page_size,
        )


def _write_part(directory: str, part: int, jobs, results) -> None:
    """A forked worker: write one segment from the batches it takes until it is told to stop."""
    try:
        ix = windex.open_dir(directory)
        writer = BulkWriter(ix, _lk=False)
        while (batch := jobs.get()) is not None:
            for doc in batch:
                writer.add_document(**_fields(doc))
            results.put(("progress", len(batch)))
        segment = writer._finalize_segment()  # the parent removes the shared temporary folder
        results.put(("segment", part, segment))
    except BaseException:
        results.put(("error", part, traceback.format_exc()))
