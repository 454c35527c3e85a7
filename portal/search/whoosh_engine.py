"""The search engine on whoosh: full rebuilds, incremental updates, and the query plan.

The index lives under `instance/search/`: each full rebuild writes a new
generation directory and then switches the `CURRENT` file to it atomically, so
searches never see a half-built index; publishes update the current generation
in place (a new small segment per publish, folded together now and then).

A query is evaluated from raw postings, segment by segment (`whoosh_matching`):
a Han phrase of n ≥ 3 characters needs only about n/2 bigrams, intersected by
document and then checked by position. That is as few posting lists as a word
segmenter would read, with the recall of bigrams: every document containing the
phrase matches.

Every term of the query must match. Hits are ranked by: the item's own code
typed in full, then all terms in the title, then the whole query as one exact
phrase, then how many terms the title has, then BM25 over the full text
(`ranking`). Facet counts are counted under the other chosen facets, as on the
list pages (`facets`).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from .documents import FACETS, Document
from .facets import count_facets, facet_listing
from .query_plan import QueryPlan
from .ranking import B, K1, rank
from .results import Hit, Results
from .whoosh_bulk_writer import BulkWriter, merge_small
from .whoosh_fields import document_fields
from .whoosh_leaves import Leaf, PostingsCache
from .whoosh_matching import MAX_EXPANSION, LeafMatcher
from .whoosh_matching import bigram_cover as _cover
from .whoosh_parallel_build import build_parallel
from .whoosh_schema import schema

__all__ = ["B", "BATCH", "CACHE_POSTINGS", "INDEX_VERSION", "K1", "MAX_EXPANSION", "PARALLEL_FROM",
           "Hit", "Results", "WhooshEngine", "_cover"]

# Decoded postings kept in memory per process, counted in documents (common bigrams recur
# across queries; about 60 bytes each): at most about 30 MiB in each app server worker, which
# must stay small at province scale (a common bigram alone holds tens of thousands).
CACHE_POSTINGS = 500_000
# Below this many documents a rebuild runs in-process; above, on every core.
PARALLEL_FROM = 3000
# Documents per batch handed to a build worker (and per progress report).
BATCH = 250
# Bump when the schema, the documents or the text analysis change: an index of another
# version counts as missing, so `flask search reindex --if-missing` (run by scripts/serve)
# rebuilds it after an upgrade.
INDEX_VERSION = "4"  # 4: complaints titled by category and department


class WhooshEngine:
    """Search over a whoosh index kept under `root` (instance/search/)."""

    name = "whoosh"

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._lock = threading.RLock()
        self._searcher = None
        self._closing: weakref.finalize | None = None
        self._generation = None
        self._leaves: dict[str, Leaf] = {}
        self._cache = PostingsCache(CACHE_POSTINGS)
        self._matcher = LeafMatcher(self._cache)

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

    def applied(self) -> int:
        """The last revision the current index reflects (0 when unknown or there is no index)."""
        directory = self._current()
        try:
            return int((directory / "APPLIED").read_text()) if directory else 0
        except (FileNotFoundError, ValueError):
            return 0

    @staticmethod
    def _record_applied(directory: Path, revision: int) -> None:
        temporary = directory / f"APPLIED.{os.getpid()}"
        temporary.write_text(str(revision))
        os.replace(temporary, directory / "APPLIED")

    def size_bytes(self) -> int:
        """The size of the current index on disk."""
        current = self._current()
        return sum(p.stat().st_size for p in current.iterdir()) if current else 0

    # Writing ------------------------------------------------------------------

    def rebuild(self, documents: Iterable[Document], total: int,
                progress: Callable[[int], None] | None = None, workers: int | None = None,
                applied: int = 0) -> int:
        """Index every document afresh in a new generation, then switch to it; return the count.

        `applied` is the last revision the documents reflect: catching up starts after it.

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
                count = build_parallel(ix, directory, documents, workers, progress, BATCH)
            else:
                writer = BulkWriter(ix)
                count = 0
                for count, doc in enumerate(documents, start=1):
                    writer.add_document(**document_fields(doc))
                    if progress and count % BATCH == 0:
                        progress(BATCH)
                writer.commit(merge=False)
                if progress:
                    progress(count % BATCH)
            self._record_applied(directory, applied)
            (directory / "VERSION").write_text(INDEX_VERSION)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        self._switch_to(directory)
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
        """Add or replace documents and remove others, in one commit; False when there is no index.

        The last applied revision stays as it is: `catch_up` is how publishes reach the index.
        """
        directory = self._current()
        if directory is None:
            return False
        writer = BulkWriter(windex.open_dir(str(directory)), timeout=timeout, delay=0.05)
        self._commit(writer, upserts, removals)
        return True

    def catch_up(self, head: int, changes: Callable[[int], tuple[list[Document], list[str]]],
                 timeout: float = 30.0) -> int | None:
        """Apply what changed after the last applied revision up to `head`, in one commit.

        `changes(since)` returns the documents to add or replace and the keys to remove.
        The index's writer lock is held from reading the last applied revision to
        recording `head`, so app processes sharing the index never apply twice; a crash
        between the commit and the record only means the same changes are applied again.
        Returns the revision the index now reflects, or None when there is no index.
        """
        directory = self._current()
        if directory is None:
            return None
        if self.applied() >= head:
            return self.applied()
        writer = BulkWriter(windex.open_dir(str(directory)), timeout=timeout, delay=0.05)
        since = self.applied()  # again, now that the lock is held
        if since >= head:
            writer.cancel()
            return since
        try:
            upserts, removals = changes(since)
        except BaseException:
            writer.cancel()
            raise
        self._commit(writer, upserts, removals)
        self._record_applied(directory, head)
        return head

    @staticmethod
    def _commit(writer: BulkWriter, upserts: list[Document], removals: list[str]) -> None:
        try:
            for key in removals:
                writer.delete_by_term("id", key)
            for doc in {d.key: d for d in upserts}.values():
                writer.update_document(**document_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_small)

    # Reading ------------------------------------------------------------------

    def _open(self):
        """The searcher of the current generation, reopened whenever a commit has landed."""
        directory = self._current()
        if directory is None:
            return None
        stale = self._searcher is None or self._generation != directory or not self._searcher.up_to_date()
        if not stale:
            return self._searcher
        closing = self._closing
        # Read segments from the file, not through an mmap: whoosh copies each part of an mmapped
        # compound segment into a BytesIO, so every worker held the whole index in memory (about
        # 400 MiB at 100,000 items) from its first search on. The OS page cache serves the reads.
        storage = FileStorage(str(directory), supports_mmap=False, readonly=True)
        self._searcher = storage.open_index().searcher()
        # Its files stay open while it reads them: closed when it is replaced or the engine goes.
        self._closing = weakref.finalize(self, self._searcher.close)
        self._generation = directory
        leaves = {}
        for sub, offset in self._searcher.leaf_searchers():
            reader = sub.reader()
            sid = reader.segment().segment_id()
            known = self._leaves.get(sid)
            leaf = Leaf(reader, offset, sid)
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
        if closing is not None:
            closing()
        return self._searcher

    def doc_count(self) -> int:
        """How many documents are searchable."""
        with self._lock:
            searcher = self._open()
            return searcher.doc_count() if searcher else 0

    def search(self, plan: QueryPlan, filters: dict[str, str], page: int = 1,
               page_size: int = 20) -> Results | None:
        """One page of hits for `plan` under `filters`; None when there is no index."""
        with self._lock:
            searcher = self._open()
            if searcher is None:
                return None
            if plan.empty:
                return Results(0, [], {f: [] for f in FACETS}, 1, 1, page_size)
            return self._search(searcher, plan, filters, page, page_size)

    def count(self, plan: QueryPlan) -> int:
        """How many documents match `plan` (for suggestions)."""
        with self._lock:
            searcher = self._open()
            if searcher is None or plan.empty:
                return 0
            total = 0
            for leaf in self._leaves.values():
                per_term = self._matcher.match(leaf, plan)
                docs = set(per_term[0]).intersection(*per_term[1:]) if per_term else set()
                total += len(docs - leaf.deleted)
            return total

    def matching_keys(self, plan: QueryPlan) -> set[str]:
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
                per_term = self._matcher.match(leaf, plan)
                docs = set(per_term[0]).intersection(*per_term[1:]) - leaf.deleted
                keys.update(leaf.keys[d] for d in docs)
            return keys

    def _search(self, searcher, plan, filters, page, page_size) -> Results:
        matched = []  # (leaf, docs, per_term)
        df = [0] * len(plan.terms)
        for leaf in self._leaves.values():
            per_term = self._matcher.match(leaf, plan)
            docs = set(per_term[0]).intersection(*per_term[1:]) - leaf.deleted
            if not docs:
                continue
            for i, found in enumerate(per_term):
                df[i] += len(found.keys() - leaf.deleted) if leaf.deleted else len(found)
            matched.append((leaf, docs, per_term))
        facets, selected = count_facets(matched, filters)
        total = sum(len(docs) for _, docs in selected)
        pages = max(1, math.ceil(total / page_size))
        page = min(max(1, page), pages)
        wanted = page * page_size
        ranked = rank(self._matcher, plan, matched, selected, df, max(1, searcher.doc_count()), wanted)
        hits = []
        for key, docnum, leaf, doc in ranked[(page - 1) * page_size:wanted]:
            stored = searcher.stored_fields(docnum)
            hits.append(Hit(kind=leaf.columns["kind"][doc], code=stored["code"], title=stored["heading"],
                            department=leaf.columns["department"][doc], text=stored.get("text", ""),
                            in_title=key[1], exact=key[2]))
        return Results(
            total=total,
            hits=hits,
            facets=facet_listing(facets),
            page=page,
            pages=pages,
            page_size=page_size,
        )
