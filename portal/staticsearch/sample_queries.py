"""Queries a visitor might type, drawn from the published items: for checking that the browser
search finds what the server finds (tests/test_static_search.py, scripts/bench_static_search.py).

Seeded, so a run can be repeated: whole titles, parts of titles, fragments of any
searchable text, the same in Traditional characters, codes and code prefixes, two-word
queries and the everyday words of the dictionary.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

import opencc

from ..search.documents import Document
from ..search.text_normalize import HAN

_HAN_RUN = re.compile(f"[{HAN}]{{2,}}")


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _fragment(rng: random.Random, text: str, shortest: int = 2, longest: int = 6) -> str | None:
    runs = _HAN_RUN.findall(text)
    if not runs:
        return None
    run = rng.choice(runs)
    size = rng.randint(shortest, min(longest, len(run)))
    start = rng.randint(0, len(run) - size)
    return run[start:start + size]


def draw(documents: list[Document], count: int = 200, seed: int = 15,
         everyday: list[str] | None = None) -> list[str]:
    """`count` distinct queries drawn from `documents` (and the dictionary's `everyday` words)."""
    rng = random.Random(seed)
    ordered = sorted(documents, key=lambda d: d.key)
    found: list[str] = list(dict.fromkeys(everyday or []))[: count // 10]
    kinds = ("title", "title-part", "fragment", "traditional", "traditional", "code", "two-words", "fragment")
    attempts = 0
    while len(found) < count and attempts < count * 50:
        attempts += 1
        doc = rng.choice(ordered)
        how = kinds[len(found) % len(kinds)]
        q = None
        if how == "title":
            q = doc.title
        elif how == "title-part":
            q = _fragment(rng, doc.title, 2, 5)
        elif how == "fragment":
            q = _fragment(rng, rng.choice(doc.texts))
        elif how == "traditional":
            part = _fragment(rng, rng.choice([doc.title, *doc.texts]), 2, 6)
            q = _to_traditional().convert(part) if part else None
        elif how == "code":
            q = doc.code if rng.random() < 0.5 else doc.code.rsplit("-", 1)[0]
        elif how == "two-words":
            first, second = _fragment(rng, doc.title, 2, 3), _fragment(rng, rng.choice(doc.texts), 2, 3)
            q = f"{first} {second}" if first and second else None
        if q and q not in found:
            found.append(q)
    return found
