"""Highlighting: matches of a query marked in titles and snippets, found in normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from .text_normalize import han_text, normalize


@dataclass
class _Folded:
    """Normalised text and, for each of its characters, the span of the original it came from."""

    text: str
    starts: list[int]
    ends: list[int]


def _fold(original: str) -> _Folded:
    folded = normalize(original)
    if len(folded) == len(original):
        span = list(range(len(original)))
        return _Folded(folded, span, [i + 1 for i in span])
    # Some characters expand under NFKC (㈠ → (一)): fold one by one, keeping offsets.
    chars, starts, ends = [], [], []
    for i, char in enumerate(original):
        for out in normalize(char):
            chars.append(out)
            starts.append(i)
            ends.append(i + 1)
    return _Folded("".join(chars), starts, ends)


@lru_cache(maxsize=256)
def _pattern(needles: tuple[str, ...]) -> re.Pattern | None:
    """One regex for every needle; Han needles match across spaces and punctuation."""
    parts = []
    for needle in needles:
        if not needle:
            continue
        if han_text(needle) == needle:
            parts.append(r"[^\w\n]*".join(map(re.escape, needle)))
        else:
            parts.append(re.escape(needle))
    return re.compile("|".join(parts)) if parts else None


def _spans(text: str, needles: list[str]) -> tuple[_Folded, list[tuple[int, int]]]:
    folded = _fold(text)
    pattern = _pattern(tuple(needles))
    if pattern is None:
        return folded, []
    spans = [(folded.starts[m.start()], folded.ends[m.end() - 1])
             for m in pattern.finditer(folded.text) if m.end() > m.start()]
    return folded, spans


def _mark(text: str, spans: list[tuple[int, int]]) -> Markup:
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>{}</mark>").format(text[start:end]))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def highlight(text: str, needles: list[str]) -> Markup:
    """`text`, escaped, with every match of the needles marked."""
    if not text:
        return Markup("")
    _folded, spans = _spans(text, needles)
    return _mark(text, spans)


def snippet(text: str, needles: list[str], width: int = 90) -> Markup:
    """A passage of `text` around its first match (or its start), matches marked."""
    text = " ".join(text.split())
    if not text:
        return Markup("")
    _folded, spans = _spans(text, needles)
    if not spans:
        cut = text[:width]
        return escape(cut + ("…" if len(text) > width else ""))
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    body = _mark(text[start:end], inside)
    return Markup("{}{}{}").format("…" if start else "", body, "…" if end < len(text) else "")


# Separates a stored text's field label from its value (as `documents.LABEL_BREAK`).
_LABEL_BREAK = "\x1f"


def labelled_snippets(stored: str, needles: list[str], limit: int = 2,
                      width: int = 60) -> list[tuple[str, Markup]]:
    """Up to `limit` passages of a hit's stored texts, each with the label of the field it is from.

    Fields with a match come first, in the document's order (with none, the first field
    alone), so a snippet says where the words were found (申请材料 · 营业执照) instead of
    running the values of several fields together.
    """
    fields = [line.partition(_LABEL_BREAK)[::2] for line in stored.split("\n") if line]
    pattern = _pattern(tuple(needles))
    matching = [(label, value) for label, value in fields
                if pattern is not None and pattern.search(normalize(value))]
    chosen = matching[:limit] or fields[:1]
    return [(label, snippet(value, needles, width)) for label, value in chosen]
