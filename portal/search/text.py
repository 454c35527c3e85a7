"""Chinese text for search: one normalisation, index terms, the query plan, highlighting.

Everything that decides whether a document matches a query lives here, so the
index and the query can never disagree:

* `normalize` folds what a reader treats as the same text: NFKC (full-width
  ＡＢＣ１２３ and half-width abc123 are equal), lower case, and Traditional
  characters to Simplified, character by character (發/髮 → 发, 臺 → 台), so a
  Traditional query finds Simplified content and the other way round. Folding
  character by character keeps substrings substrings, which a phrase-based
  converter would not.
* Han text is indexed as overlapping character bigrams. A run of Han characters
  continues across spaces and punctuation (工程,规划 yields the bigram 程规),
  and breaks at anything else (letters, digits, field boundaries), so a bigram
  phrase matches exactly the documents that contain the query's Han text once
  spaces and punctuation are ignored: no word list decides what can be found.
* Letters and digits are indexed as whole tokens; codes also go into a field
  of their own for exact and prefix matches (`codes`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup, escape

# Han ideographs: CJK Unified (with extension A and the rest of the SIP), the
# compatibility block, and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A Han run (bridging spaces and punctuation, which are \W) or a run of other word characters.
_RUNS = re.compile(f"([{HAN}](?:[^\\w\x1e]*[{HAN}])*)|([^\\W{HAN}]+)")
_NOT_HAN = re.compile(f"[^{HAN}]+")
# Separates the texts of one document: nothing bridges it.
FIELD_BREAK = "\n\x1e\n"
# Positions left empty after a run, so that bigram offsets never join two runs.
_RUN_GAP = 3

# Queries longer than this are cut (a search box is not a document).
MAX_QUERY = 80
# Words some visitors type as operators; they carry no meaning of their own here.
_OPERATORS = {"and", "or", "not", "&&", "||"}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Traditional (and Taiwan/Hong Kong variant) → Simplified, one character to one."""
    import opencc

    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    table: dict[int, str] = {}
    for config in ("t2s", "tw2s", "hk2s"):
        converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
        for source, target in zip(chars, converted):
            if source != target and len(target) == 1 and ord(source) not in table:
                table[ord(source)] = target
    return table


@lru_cache(maxsize=1)
def _foldable() -> re.Pattern:
    """Any character the fold table changes (most texts have none: they are Simplified)."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_fold_table())) + "]")


def normalize(text: str) -> str:
    """Fold width, case and script: the form both documents and queries are compared in."""
    text = unicodedata.normalize("NFKC", text).lower()
    return text.translate(_fold_table()) if _foldable().search(text) else text


def is_han(char: str) -> bool:
    """True for a Han ideograph."""
    return bool(char) and not _NOT_HAN.search(char)


def _slices(count: int) -> list[slice]:
    """The bigram slices of a run of count + 1 characters (cached: runs repeat their lengths)."""
    while len(_SLICES) <= count:
        n = len(_SLICES)
        _SLICES.append([slice(i, i + 2) for i in range(n)])
    return _SLICES[count]


_SLICES: list[list[slice]] = []


def index_terms(texts) -> tuple[dict[str, int | list[int]], int]:
    """The index terms of a document's texts with their positions, and how many there are.

    Han runs give overlapping bigrams at consecutive positions (a lone Han
    character gives itself); other word runs give one token each. Texts are
    joined with breaks that no phrase can cross. A term occurring once maps to
    its position, a repeated one to the list of its positions.
    """
    grams: list[str] = []
    positions: list[int] = []
    pos = 0
    for han, other in _RUNS.findall(normalize(FIELD_BREAK.join(t for t in texts if t))):
        if han:
            chars = _NOT_HAN.sub("", han)
            count = len(chars) - 1
            if count:
                grams += map(chars.__getitem__, _slices(count))
                positions += range(pos, pos + count)
            else:
                grams.append(chars)
                positions.append(pos)
                count = 1
            pos += count + _RUN_GAP
        else:
            grams.append(other)
            positions.append(pos)
            pos += 1
    terms: dict[str, int | list[int]] = dict(zip(grams, positions))
    if len(terms) < len(grams):  # some terms repeat: gather their positions
        repeated = {g for g, n in Counter(grams).items() if n > 1}
        for gram in repeated:
            terms[gram] = []
        for gram, position in [(g, p) for g, p in zip(grams, positions) if g in repeated]:
            terms[gram].append(position)
    return terms, len(grams)


def han_text(text: str) -> str:
    """Only the Han characters of (normalised) text."""
    return _NOT_HAN.sub("", text)


_NOT_WORD = re.compile(r"[\W_]+")


def compact(text: str) -> str:
    """Normalised text with spaces and punctuation removed: what a phrase is matched against."""
    return _NOT_WORD.sub("", normalize(text))




def bigrams(chars: str) -> list[str]:
    """The overlapping bigrams of a Han string (one item for a single character)."""
    if len(chars) < 2:
        return [chars] if chars else []
    return [chars[i:i + 2] for i in range(len(chars) - 1)]


# The query plan ----------------------------------------------------------------

_CODE = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*-?")


def looks_like_code(term: str) -> bool:
    """A disclosure code or case number (or a prefix of one): 99010001FG-XK-0001, 2024-XN-0012."""
    return bool(_CODE.fullmatch(term)) and any(c.isdigit() for c in term) and ("-" in term or len(term) >= 6)


@dataclass
class Term:
    """One thing every hit must contain: Han phrases and word tokens, or a code."""

    text: str  # as the visitor typed it (normalised)
    phrases: list[str] = field(default_factory=list)  # Han strings, punctuation removed
    words: list[str] = field(default_factory=list)  # letter/digit tokens
    prefix: bool = False  # the last word is a prefix (typed with a trailing *)
    code: str | None = None  # a code or code prefix, matched in the codes field

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
            found += term.phrases + term.words
            if term.code:
                found.append(term.code)
        return sorted({f for f in found if f}, key=len, reverse=True)


def parse(query: str | None) -> QueryPlan:
    """Turn what a visitor typed into a plan; never fails, whatever the input.

    Whitespace separates terms (all must match). Quotes only group; an
    unbalanced quote is ignored. Punctuation and symbols (`:`, `*` inside a
    word, brackets) join the text around them, as they do in documents.
    AND/OR/NOT are dropped. A trailing `*` makes a word a prefix. A term of one
    Han character is joined to its neighbour, since two characters are the
    least the index can match exactly.
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
    return QueryPlan(raw=raw, terms=_join_single_characters(terms), truncated=truncated)


def _term(chunk: str) -> Term | None:
    prefix = chunk.endswith("*")
    stripped = chunk.rstrip("*")
    term = Term(text=stripped)
    if looks_like_code(stripped):
        term.code = stripped
    for han, other in _RUNS.findall(stripped):
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


# Highlighting ------------------------------------------------------------------


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
