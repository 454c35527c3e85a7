"""Simplified → Traditional conversion of content, with proper nouns protected.

OpenCC's `s2tw` converts characters without rewriting vocabulary (unlike `s2twp`,
which turns 注销 into 登出). Character conversion cannot know proper nouns — 华松
becomes 華鬆 — so a phrase dictionary (city.yaml's 繁体专名) says how those are
written, and those phrases are never handed to OpenCC.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import opencc


class Converter:
    """Converts Simplified Chinese text to Traditional, caching every string it has seen."""

    def __init__(self, phrases: Mapping[str, str] | None = None, config: str = "s2tw") -> None:
        self._opencc = opencc.OpenCC(config)
        self._phrases = dict(phrases or {})
        words = sorted(self._phrases, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None
        # Pages and strings repeat: convert each distinct text once.
        self.convert = lru_cache(maxsize=512)(self._convert)

    def _convert(self, text: str) -> str:
        if not text or text.isascii():
            return text
        if self._pattern is None:
            return self._opencc.convert(text)
        parts, last = [], 0
        for match in self._pattern.finditer(text):
            parts.append(self._opencc.convert(text[last:match.start()]))
            parts.append(self._phrases[match.group()])
            last = match.end()
        parts.append(self._opencc.convert(text[last:]))
        return "".join(parts)
