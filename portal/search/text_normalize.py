"""Text normalisation for search: the one form documents and queries are compared in.

`normalize` folds width, case and script (Traditional → Simplified, character by
character); Han runs bridge spaces and punctuation (`RUNS`); `han_text` and
`compact` strip a text down to what a phrase is matched against.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Han ideographs: CJK Unified (with extension A and the rest of the SIP), the
# compatibility block, and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A Han run (bridging spaces and punctuation, which are \W) or a run of other word characters.
RUNS = re.compile(f"([{HAN}](?:[^\\w\x1e]*[{HAN}])*)|([^\\W{HAN}]+)")
NOT_HAN = re.compile(f"[^{HAN}]+")
# Separates the texts of one document: nothing bridges it.
FIELD_BREAK = "\n\x1e\n"


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Traditional (and Taiwan/Hong Kong variant) → Simplified, one character to one."""
    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    table: dict[int, str] = {}
    for config in ("t2s", "tw2s", "hk2s"):
        converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
        for source, target in zip(chars, converted):
            if source != target and len(target) == 1 and ord(source) not in table:
                table[ord(source)] = target
    return table


def fold_table() -> dict[str, str]:
    """The Traditional → Simplified folding, character to character (shipped with the static index)."""
    return {chr(source): target for source, target in sorted(_fold_table().items())}


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
    return bool(char) and not NOT_HAN.search(char)


def han_text(text: str) -> str:
    """Only the Han characters of (normalised) text."""
    return NOT_HAN.sub("", text)


_NOT_WORD = re.compile(r"[\W_]+")


def compact(text: str) -> str:
    """Normalised text with spaces and punctuation removed: what a phrase is matched against."""
    return _NOT_WORD.sub("", normalize(text))
