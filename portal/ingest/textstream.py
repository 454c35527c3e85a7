"""Read a text upload as a stream of lines, decoded a piece at a time, never as one whole text.

The encoding is chosen as `textfile.decode` chooses it (BOM → UTF-8, strict; else
UTF-8 if every byte is; else GB18030, strict; a Big5 file refused as such), by a
first pass that decodes each piece and lets it go; the second pass decodes again
and hands out the lines. Both passes hold one piece (about `CHUNK` bytes) at a
time, so an upload costs its bytes and the rows read from it, not three copies of
its text, and a decoding error still comes before any other (as when the whole
text was decoded first), naming its line.

Pieces are cut just after a line break: in UTF-8 and GB18030 the bytes of `\\n` and
`\\r` are never part of a longer character, so each piece decodes on its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .textfile import HEAD_CHARS, big5_error, is_big5, shows_any, undecodable

CHUNK = 256 * 1024
_BOM = b"\xef\xbb\xbf"
# One line with its break (\r\n, \n or \r, kept as csv's newline="" mode wants), or a last line without one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def binary(source: bytes | BinaryIO) -> BinaryIO:
    """A readable binary stream over `source` (bytes are not copied)."""
    return io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source


def _pieces(stream: BinaryIO, start: int) -> Iterator[bytes]:
    """The bytes from `start` on, in pieces that each end just after a line break (the last may not)."""
    stream.seek(start)
    carry = b""
    while chunk := stream.read(CHUNK):
        chunk = carry + chunk
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            # No \n: cut after a lone \r (old Mac files), unless a \n may follow in the next chunk.
            cut = chunk.rfind(b"\r", 0, len(chunk) - 1) + 1
        if cut:
            yield chunk[:cut]
            carry = chunk[cut:]
        else:
            carry = chunk
    if carry:
        yield carry


class _Undecodable(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _texts(stream: BinaryIO, start: int, encoding: str) -> Iterator[str]:
    """The decoded pieces; _Undecodable naming the line of the first byte that does not decode."""
    line = 1
    for piece in _pieces(stream, start):
        try:
            yield piece.decode(encoding)
        except UnicodeDecodeError as error:
            raise _Undecodable(line + piece[: error.start].count(b"\n")) from None
        line += piece.count(b"\n")


def _failing_line(stream: BinaryIO, start: int, encoding: str) -> int | None:
    """The line of the first byte from `start` on that does not decode in `encoding` (None: all do)."""
    try:
        for _ in _texts(stream, start, encoding):
            pass
    except _Undecodable as error:
        return error.line
    return None


def _head(stream: BinaryIO, start: int, encoding: str) -> str:
    """About the first HEAD_CHARS characters, where the column names are (the bytes decode)."""
    text = ""
    for piece in _texts(stream, start, encoding):
        text += piece
        if len(text) >= HEAD_CHARS:
            break
    return text[:HEAD_CHARS]


def encoding_of(stream: BinaryIO, headers: Iterable[str] = ()) -> tuple[str, int]:
    """The encoding of the whole stream and where its text starts (after a BOM), or ReadError.

    Reads the stream through once (a piece at a time) to be sure of it.
    """
    stream.seek(0)
    if stream.read(3) == _BOM:
        if (line := _failing_line(stream, 3, "utf-8")) is not None:
            raise undecodable(line)
        return "utf-8", 3
    if (utf8_line := _failing_line(stream, 0, "utf-8")) is None:
        return "utf-8", 0
    if (line := _failing_line(stream, 0, "gb18030")) is not None:
        # Neither: name the line where the encoding that read further stopped (a UTF-8 file
        # with one bad byte on line 900 stops GB18030 at its first Chinese character).
        raise undecodable(max(line, utf8_line))
    headers = [h for h in headers if h]
    if headers and not shows_any(_head(stream, 0, "gb18030"), headers):
        stream.seek(0)
        if is_big5(stream.read(HEAD_CHARS * 2), headers):
            raise big5_error()
    return "gb18030", 0


def lines(source: bytes | BinaryIO, headers: Iterable[str] = ()) -> Iterator[str]:
    """The lines of a text upload with their breaks, decoded a piece at a time (see the module).

    Raises ReadError, before yielding anything, for a file that does not decode. Any BOMs
    left at the start of the text (some tools write a second one as text) are dropped.
    """
    stream = binary(source)
    encoding, start = encoding_of(stream, headers)
    return _lines(stream, start, encoding)


def _lines(stream: BinaryIO, start: int, encoding: str) -> Iterator[str]:
    # The first pass decoded every byte: this one cannot fail (ReadError should the stream change).
    first = True
    texts = _texts(stream, start, encoding)
    while True:
        try:
            text = next(texts)
        except StopIteration:
            return
        except _Undecodable as error:
            raise undecodable(error.line) from None
        if first:
            text = text.lstrip("\ufeff")
            if not text:
                continue  # the piece held nothing but BOMs: the next one starts the text
            first = False
        yield from _LINE.findall(text)
