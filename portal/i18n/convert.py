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


# The interface (not content) speaks as Taiwan's government sites do. OpenCC's s2twp phrase
# set goes too far for them (发布 → 釋出, 类型 → 型別, 参数 → 引數), so the interface takes
# s2tw's characters plus these words, chosen one by one. Content keeps the department's words.
TAIWAN_INTERFACE = {
    "搜索": "搜尋",
    "数据": "資料",
    "信息": "資訊",
    "默认": "預設",
    "不支持": "不支援",
    "链接": "連結",
    "网络": "網路",
    "用户": "使用者",
    "联系方式": "聯絡方式",
    "打印": "列印",
    "字符": "字元",
    "上传文件": "上傳檔案",
    "下载文件": "下載檔案",
    "屏幕": "螢幕",
    "登录": "登入",
    "账号": "帳號",
    # Not a word choice: character conversion reads 并发 (concurrent) in 上传并发布 as 併發.
    "并发布": "並發布",
}


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
