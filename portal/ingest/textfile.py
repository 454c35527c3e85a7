"""Decode a text upload explicitly, never by guessing."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import opencc
from flask_babel import lazy_gettext as _l

from .sheet import ReadError

# Where the column names are: the header row of a CSV, the first item of JSON or YAML.
HEAD_CHARS = 64 * 1024


def decode(data: bytes, headers: Iterable[str] = ()) -> str:
    """Decode text explicitly: BOM → UTF-8 (strict) → GB18030 (strict) → a clear error.

    Charset detectors read short GBK text as Korean and a GBK file with a long
    ASCII start as Big5, so we never guess. GB18030 is a superset of GBK that
    also encodes every Unicode character (𠮷 included).

    GB18030 also decodes any Big5 file (Traditional Chinese, as Excel saves CSV
    on Taiwanese and Hong Kong systems), into nonsense that would be reported as
    missing columns. So when GB18030 text shows none of the kind's `headers`, and
    the same bytes read as Big5 do, the file is refused as Big5, naming the
    encodings accepted.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _strict(data, "gb18030")
    headers = [h for h in headers if h]
    if headers and not shows_any(text[:HEAD_CHARS], headers) and is_big5(data, headers):
        raise big5_error()
    return text


def big5_error() -> ReadError:
    """The error for a file in Big5, which GB18030 decodes into nonsense."""
    return ReadError(_l("文件是 Big5(繁体中文)编码,无法读取:请另存为 UTF-8、带 BOM 的 UTF-8 或 "
                        "GB18030(GBK)编码后再上传"))


def shows_any(text: str, headers: list[str]) -> bool:
    """True when `text` shows any of the column names `headers`."""
    return any(header in text for header in headers)


def is_big5(data: bytes, headers: list[str]) -> bool:
    """True when the head of `data`, read as Big5, shows any of the column names `headers`."""
    # Decode only the head: a file that is Big5 at all says so in its column names.
    head = data[:HEAD_CHARS * 2].decode("cp950", errors="ignore")
    return shows_any(_simplified(head), headers)


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    """Traditional → Simplified characters, so that 事項編碼 matches the declared 事项编码."""
    return _to_simplified().convert(text)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise undecodable(data[: error.start].count(b"\n") + 1) from None


def undecodable(line: int) -> ReadError:
    """The error for a byte on `line` that decodes in none of the encodings accepted."""
    return ReadError(
        _l("无法识别文件编码(第 %(line)s 行有无法解码的字节),请另存为 UTF-8 或 GBK 编码",
           line=line)
    )
