"""Everyday words: the synonym and abbreviation dictionary the efficiency office keeps as content.

`content/search/synonyms.csv` has one line per word a visitor may type (说法) and the
wording the disclosures use (也搜, several separated by ; or 、):

    说法,也搜,备注
    低保,最低生活保障,简称
    开公司,企业设立登记;企业开办,口语

A query term that is such a word, or contains one, also matches its other wordings
(社保卡补办 also finds 社会保障卡补办). The table is read when first needed and again
whenever the file changes, so an edit takes effect without a restart; `flask content
load` and `flask setup` check it and name any line that cannot be used. The static
export ships the same table with its index, so both searches expand alike.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .text_normalize import compact

log = logging.getLogger(__name__)

# Where the dictionary lives, under CONTENT_DIR.
FILE = Path("search") / "synonyms.csv"
HEADER = ("说法", "也搜")
_SEPARATORS = re.compile(r"[;;、]")
# How many other wordings one query term may try.
MAX_ALTERNATIVES = 8


@dataclass
class Dictionary:
    """The usable entries ({word: [other wordings]}, all normalised) and the problems of the file."""

    entries: dict[str, list[str]]
    problems: list[str]


def parse(text: str) -> Dictionary:
    """Read the dictionary's CSV text; lines that cannot be used are named in `problems`."""
    entries: dict[str, list[str]] = {}
    problems: list[str] = []
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(c.strip() for c in rows[0][:2]) != HEADER:
        return Dictionary({}, [f"第 1 行:表头应为“{HEADER[0]},{HEADER[1]}”"])
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        word = compact(row[0]) if row else ""
        others = [compact(o) for o in _SEPARATORS.split(row[1])] if len(row) > 1 else []
        others = [o for o in dict.fromkeys(others) if o and o != word]
        if len(word) < 2:
            problems.append(f"第 {number} 行:“说法”至少两个字")
        elif not others:
            problems.append(f"第 {number} 行:“也搜”为空")
        elif word in entries:
            problems.append(f"第 {number} 行:“{row[0].strip()}”重复出现")
        else:
            entries[word] = others
    return Dictionary(entries, problems)


_cache: dict[str, tuple[float, Dictionary]] = {}


def load(content_dir: str | Path | None) -> Dictionary:
    """The dictionary under `content_dir` (empty when there is none), re-read when the file changes."""
    if not content_dir:
        return Dictionary({}, [])
    path = Path(content_dir) / FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return Dictionary({}, [])
    cached = _cache.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    found = parse(path.read_text(encoding="utf-8"))
    for problem in found.problems:
        log.warning("%s %s", path, problem)
    _cache[str(path)] = (mtime, found)
    return found


def alternatives(term: str, entries: dict[str, list[str]]) -> list[str]:
    """The other wordings of a (normalised) query term: whole-word entries first, then inside it."""
    key = compact(term)
    found = list(entries.get(key, []))
    for word, others in entries.items():
        if word != key and word in key:
            found += [key.replace(word, other) for other in others]
    return list(dict.fromkeys(f for f in found if f != key))[:MAX_ALTERNATIVES]
