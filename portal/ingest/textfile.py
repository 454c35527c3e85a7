"""Decode a text upload explicitly, never by guessing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .sheet import ReadError


def decode(data: bytes) -> str:
    """Decode text explicitly: BOM → UTF-8 (strict) → GB18030 (strict) → a clear error.

    Charset detectors read short GBK text as Korean and a GBK file with a long
    ASCII start as Big5, so we never guess. GB18030 is a superset of GBK that
    also encodes every Unicode character (𠮷 included).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _strict(data, "gb18030")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadError(
            _l("无法识别文件编码(第 %(line)s 行有无法解码的字节),请另存为 UTF-8 或 GBK 编码", line=line)
        ) from None
