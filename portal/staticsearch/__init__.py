"""Search without a server: the browser index the static export ships, in lazily loaded shards.

    from portal import staticsearch
    written = staticsearch.build(session, out_dir)   # → out_dir/search-index/…

The index is MiniSearch's own serialised form (format 2), written here from the
server index's terms (`records`) and split so that a query loads only what it needs:

* `manifest.json`   counts, shard count, average field lengths, the languages;
* `lengths.json`    each document's id and field lengths (BM25 needs them for every hit),
                    in the server index's order (kind, then code: ties are ranked so);
* `terms-NN.json`   the postings of the terms whose key (a Han term's first
                    character, else its first two) hashes to shard NN: a query of
                    two Han characters loads one or two shards;
* `hits-LANG-NN.json` what a hit shows in a language (kind, code, title, department,
                    what ranks with the title, page: `hits.rows`, Traditional converted as
                    the zh-hant pages are), by id, in chunks of STORED_CHUNK ids, loaded
                    for the hits shown in the page's language only;

A document's id is stable (`stable_id`: its kind and its row in the database), not its
position: adding or withdrawing an item changes the shards of its own terms and its own
hit chunk, not every file. A file whose bytes are unchanged is not written again.
* `fold.json`       Traditional → Simplified, character to character, as the server folds;
* `synonyms.json`   the everyday-words dictionary (content/search/synonyms.csv).

static/js/static-search.js reads them (with static/vendor/minisearch-*/). Every file
is written with sorted keys and no timestamps: the same data gives the same bytes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..search import synonyms
from ..search.text_normalize import fold_table, is_han
from ..web.urls import department_url, item_url
from . import hits
from .records import FIELDS, Record, records

# Where the index goes under the export's root.
FOLDER = "search-index"
# Bump when the files' shape changes (the script checks it).
VERSION = 3
# Ids per stored-fields chunk (about 400 documents: ids interleave the kinds), so that one
# language's hit rows of a chunk stay well under 200 KB on the sample city.
STORED_CHUNK = 2000
# Aim for shards of about this many postings.
POSTINGS_PER_SHARD = 6000
LIBRARY = "minisearch-7.2.0"


def shard_key(term: str) -> str:
    """What decides a term's shard: a Han term's first character, else its first two characters.

    A prefix query (one Han character, a code's start) then finds all its terms in one shard.
    """
    return term[0] if is_han(term[0]) else term[:2]


def shard_of(term: str, shards: int) -> int:
    """The shard a term is in (static-search.js computes the same: a 31-multiplier hash of code points)."""
    h = 0
    for char in shard_key(term):
        h = (h * 31 + ord(char)) & 0xFFFFFFFF
    return h % shards


def _dump(path: Path, data) -> Path:
    """Write `data` as JSON, unless the file already holds those bytes (an incremental export then
    neither copies nor re-hashes it)."""
    text = (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
    try:
        same = path.stat().st_size == len(text) and path.read_bytes() == text
    except OSError:
        same = False
    if not same:
        path.write_bytes(text)
    return path


def stable_ids(session: Session) -> dict[tuple[str, str], int]:
    """Each item's id in the browser index, by (kind, code): its row's id interleaved with the kind's
    number, so it stays the same whatever is added or withdrawn around it."""
    kinds = list(MODELS)
    ids = {}
    for number, kind in enumerate(kinds):
        model = MODELS[kind]
        for code, row in session.execute(select(model.code, model.id)):
            ids[(kind, code)] = row * len(kinds) + number
    return ids


def _page(url: str) -> str:
    """A page's URL relative to its language's home (services/…/), so every locale can use it."""
    prefix = "/" + url.lstrip("/").split("/", 1)[0] + "/"
    return url[len(prefix):] if url.startswith(prefix) else url.lstrip("/")


def build(session: Session, out_dir: Path) -> list[Path]:
    """Write the browser search index under `out_dir/search-index/`; return the files written.

    Needs an app context (the dictionary is read from CONTENT_DIR, page URLs from the URL map).
    """
    target = Path(out_dir) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    with current_app.test_request_context("/"):
        all_records: list[Record] = list(records(session))
        pages = [_page(item_url(r.doc.kind, r.doc.code)) for r in all_records]
        department_pages = {d.code: _page(department_url(d.code))
                            for d in session.scalars(select(Department))}
    known = stable_ids(session)
    ids = [known[(r.doc.kind, r.doc.code)] for r in all_records]
    postings: dict[str, dict[int, dict[int, int]]] = {}
    for doc_id, rec in zip(ids, all_records):
        for field_id, terms in enumerate(rec.fields):
            for term, count in terms.items():
                postings.setdefault(term, {}).setdefault(field_id, {})[doc_id] = count
    total_postings = sum(len(d) for fields in postings.values() for d in fields.values())
    shards = max(1, 2 ** math.ceil(math.log2(max(1, total_postings / POSTINGS_PER_SHARD))))
    count = len(all_records)
    lengths = [r.lengths for r in all_records]
    averages = [round(sum(column) / count, 4) for column in zip(*lengths)] or [0] * len(FIELDS)
    departments = {d.code: (d.name, d.name_en) for d in session.scalars(select(Department))}
    languages = list(current_app.config["LOCALES"])
    written = [_dump(target / "manifest.json", {
        "version": VERSION, "library": LIBRARY, "documents": count, "next_id": max(ids, default=-1) + 1,
        "shards": shards,
        "stored_chunk": STORED_CHUNK, "fields": FIELDS, "average_lengths": averages,
        "languages": languages, "department_pages": department_pages,
    })]
    written.append(_dump(target / "lengths.json", [[i, length] for i, length in zip(ids, lengths)]))
    by_shard: dict[int, list] = {n: [] for n in range(shards)}
    for term in sorted(postings):
        entry = {str(f): {str(d): n for d, n in docs.items()} for f, docs in postings[term].items()}
        by_shard[shard_of(term, shards)].append([term, entry])
    width = len(str(shards - 1))
    for n, entries in by_shard.items():
        written.append(_dump(target / f"terms-{n:0{width}d}.json", entries))
    docs = [r.doc for r in all_records]
    for lang in languages:
        chunks: dict[int, dict[str, list]] = {}
        for doc_id, row in zip(ids, hits.rows(lang, docs, pages, departments)):
            chunks.setdefault(doc_id // STORED_CHUNK, {})[str(doc_id)] = row
        for number, rows in sorted(chunks.items()):
            written.append(_dump(target / f"hits-{lang}-{number}.json", rows))
    written.append(_dump(target / "fold.json", fold_table()))
    written.append(_dump(target / "synonyms.json",
                         synonyms.load(current_app.config.get("CONTENT_DIR")).entries))
    # The folder is the index's own: files an earlier build wrote and this one did not (fewer
    # chunks, an older layout) go, so an incremental export equals a full one here too.
    for old in set(target.iterdir()) - set(written):
        old.unlink()
    return written
