"""The query plan: what a visitor typed, normalised into terms that must all match."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .synonyms import alternatives
from .text_normalize import RUNS, han_text, normalize

# Queries longer than this are cut (a search box is not a document).
MAX_QUERY = 80
# Words some visitors type as operators; they carry no meaning of their own here.
_OPERATORS = {"and", "or", "not", "&&", "||"}

_CODE = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*-?")
# A city code's serial as printed, zero-padded (0001): a year or a hotline number is not one.
_SERIAL = re.compile(r"0[0-9]{2,5}")


def looks_like_code(term: str) -> bool:
    """A disclosure code or case number, a prefix or tail of one, or its serial: 99010001FG-XK-0001,
    2024-XN-0012, FW-0001, 0001."""
    return bool(_CODE.fullmatch(term)) and any(c.isdigit() for c in term) and (
        "-" in term or len(term) >= 6 or bool(_SERIAL.fullmatch(term)))


@dataclass
class Term:
    """One thing every hit must contain: Han phrases and word tokens, or a code."""

    text: str  # as the visitor typed it (normalised)
    phrases: list[str] = field(default_factory=list)  # Han strings, punctuation removed
    words: list[str] = field(default_factory=list)  # letter/digit tokens
    prefix: bool = False  # the last word is a prefix (typed with a trailing *)
    code: str | None = None  # a code or code prefix, matched in the codes field
    # Other wordings from the synonym dictionary (低保 → 最低生活保障): any one may match instead.
    alternatives: list[Term] = field(default_factory=list)

    @property
    def han(self) -> str:
        return "".join(self.phrases)


@dataclass
class QueryPlan:
    """What a query string asks for, after normalisation: terms that must all match."""

    raw: str  # the query as shown back (stripped, capped)
    terms: list[Term]
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def joined(self) -> str:
        """The Han text of the whole query, spaces and punctuation removed (the exact phrase)."""
        return "".join(t.han for t in self.terms)

    def highlights(self) -> list[str]:
        """What to mark in titles and snippets: Han phrases, words and codes."""
        found = []
        for term in self.terms:
            for one in (term, *term.alternatives):
                found += one.phrases + one.words
                if one.code:
                    found.append(one.code)
        return sorted({f for f in found if f}, key=len, reverse=True)


def parse(query: str | None, synonyms: dict[str, list[str]] | None = None) -> QueryPlan:
    """Turn what a visitor typed into a plan; never fails, whatever the input.

    Whitespace separates terms (all must match). Quotes only group; an
    unbalanced quote is ignored. Punctuation and symbols (`:`, `*` inside a
    word, brackets) join the text around them, as they do in documents.
    AND/OR/NOT are dropped. A trailing `*` makes a word a prefix. A term of one
    Han character is joined to its neighbour, since two characters are the
    least the index can match exactly. With `synonyms` ({word: [other wordings]},
    normalised), a term that is or contains a word also matches its other wordings.
    """
    raw = " ".join((query or "").split())
    truncated = len(raw) > MAX_QUERY
    raw = raw[:MAX_QUERY]
    text = normalize(raw)
    chunks: list[str] = []
    # Quoted groups are one term each; whatever is left splits on whitespace.
    parts = text.split('"')
    if len(parts) % 2 == 0:  # unbalanced: the last quote opens nothing
        parts = parts[:-2] + [parts[-2] + " " + parts[-1]]
    for index, part in enumerate(parts):
        if index % 2:
            chunks.append(part)
        else:
            chunks.extend(part.split())
    terms: list[Term] = []
    for chunk in chunks:
        if chunk.strip() in _OPERATORS or not chunk.strip():
            continue
        term = _term(chunk.strip())
        if term is None:
            continue
        terms.append(term)
    terms = _join_single_characters(terms)
    if synonyms:
        for term in terms:
            if term.phrases or term.words:
                term.alternatives = [t for t in map(_term, alternatives(term.text, synonyms)) if t]
    return QueryPlan(raw=raw, terms=terms, truncated=truncated)


def _term(chunk: str) -> Term | None:
    prefix = chunk.endswith("*")
    stripped = chunk.rstrip("*")
    term = Term(text=stripped)
    if looks_like_code(stripped):
        term.code = stripped
    for han, other in RUNS.findall(stripped):
        if han:
            term.phrases.append(han_text(han))
        elif other:
            term.words.append(other)
    term.prefix = prefix and bool(term.words) and stripped.endswith(term.words[-1])
    if not (term.phrases or term.words):
        return None
    return term


def _join_single_characters(terms: list[Term]) -> list[Term]:
    """Join a term that is a single Han character to its neighbour (办 证 → 办证)."""
    out: list[Term] = []
    for term in terms:
        single = not term.words and not term.code and len(term.han) == 1
        previous_plain = out and not out[-1].words and not out[-1].code and out[-1].phrases
        if single and previous_plain:
            out[-1].phrases[-1] += term.han
            out[-1].text += term.text
        elif out and previous_plain and len(out[-1].han) == 1 and not term.code and not term.words:
            term.phrases[0] = out[-1].han + term.phrases[0]
            term.text = out[-1].text + term.text
            out[-1] = term
        else:
            out.append(term)
    return out
