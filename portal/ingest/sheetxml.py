"""Stream a workbook's bulky XML with expat: shared strings, number formats (and, in
`sheetrows`, the worksheets).

openpyxl parses these parts with defusedxml's pure-Python parser and builds an
object per element: five to forty microseconds each, so that a megabyte of
deflated XML (a hundred once inflated, within the zip guard's ratio) kept a
worker for minutes. Here expat calls one small handler per element and nothing
is built but the values: the cost is a fraction of a microsecond per element,
and zipguard bounds the elements a part may hold per byte uploaded.

The parsers refuse any document type declaration, as defusedxml would (zipguard
has already refused one anywhere in the part): without one there are no entities
to expand and nothing external to fetch. Values are read as openpyxl reads them.
"""

from __future__ import annotations

import pyexpat
from collections.abc import Iterator

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

from . import limits, zipguard

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAX_FORMAT_CODE = 255  # Excel's own limit; longer codes are not Excel's
MAX_CELL_STYLES = 65_536  # Excel keeps at most 64,000 cell formats
CHUNK = 64 * 1024
# Text kept of one shared string: one more character than a cell may hold, so that an
# over-long one is still refused as such, without joining megabytes first.
_KEPT = limits.MAX_CELL_CHARS + 1


def _refuse_dtd(*args):
    raise zipguard.entity_declarations()


def make_parser() -> pyexpat.XMLParserType:
    """An expat parser that refuses any DTD, buffering text in CHUNK-sized pieces."""
    # Without namespace processing, which would double the cost of every element: the
    # root element says how the main namespace is written, and names are matched so.
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def names(attrs: dict, *local: str) -> tuple[str, ...]:
    """The `local` names as written in this part, from its root element's namespace declarations.

    Only elements of the main namespace count, as for openpyxl; a part that does
    not declare it on its root matches nothing.
    """
    prefix = "" if attrs.get("xmlns") == MAIN else next(
        (key[6:] + ":" for key, value in attrs.items() if key.startswith("xmlns:") and value == MAIN), None)
    return tuple(("\x00" if prefix is None else prefix) + name for name in local)


def on_root(parser: pyexpat.XMLParserType, install) -> None:
    """Have `install(root attributes)` set the handlers when the root element starts."""
    def root(name, attrs):
        install(attrs)
        parser.StartElementHandler(name, attrs)  # the root, as the installed handlers see it
    parser.StartElementHandler = root


def feed(parser: pyexpat.XMLParserType, source) -> Iterator[None]:
    """Parse `source` (a binary file) a chunk at a time, pausing after each chunk."""
    while chunk := source.read(CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


class Text:
    """Collects character data (a chunk of up to CHUNK characters per call), keeping _KEPT."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def append(self, data: str) -> None:
        """Keep `data`, unless _KEPT characters are kept already."""
        if self.size < _KEPT:
            self.parts.append(data)
            self.size += len(data)

    def take(self) -> str | None:
        """The text collected since the last call (None if there was none), cut to _KEPT."""
        if not self.parts:
            return None
        text = "".join(self.parts)[:_KEPT]
        self.parts.clear()
        self.size = 0
        return text


def shared_strings(source) -> list[str]:
    """The shared-strings table: each item's text runs joined, phonetic guides left out."""
    strings: list[str] = []
    parts: list[str] = []
    size = phonetic = 0
    collecting = False
    parser = make_parser()

    def install(attrs):
        si, t, rph = names(attrs, "si", "t", "rPh")

        # A table may hold a string per few bytes uploaded: the handlers do as little as they can.
        def start(name, attrs):
            nonlocal collecting, phonetic
            if name == t:
                collecting = not phonetic
            elif name == rph:
                phonetic += 1

        def end(name):
            nonlocal collecting, phonetic, size
            if name == si:
                if parts:
                    strings.append("".join(parts)[:_KEPT].replace("x005F_", ""))  # as openpyxl does
                    parts.clear()
                    size = 0
                else:
                    strings.append("")
            elif name == t:
                collecting = False
            elif name == rph:
                phonetic -= 1

        def characters(data):
            nonlocal size
            if collecting and size < _KEPT:
                parts.append(data)
                size += len(data)

        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.CharacterDataHandler = characters

    on_root(parser, install)
    for _ in feed(parser, source):
        pass
    return strings


def number_formats(source) -> tuple[set[int], set[int]]:
    """The cell styles (indexes into cellXfs) whose number format shows a date, and a duration."""
    custom: dict[int, str] = {}
    format_ids: list[int] = []
    parents: list[str] = []
    parser = make_parser()

    def install(attrs):
        num_fmts, num_fmt, cell_xfs, xf = names(attrs, "numFmts", "numFmt", "cellXfs", "xf")

        def start(name, attrs):
            parent = parents[-1] if parents else None
            parents.append(name)
            if name == num_fmt and parent == num_fmts:
                code = attrs.get("formatCode", "")
                if len(code) > MAX_FORMAT_CODE:
                    raise zipguard.damaged()
                custom[int(attrs["numFmtId"])] = code
            elif name == xf and parent == cell_xfs:
                format_ids.append(int(attrs.get("numFmtId", 0)))
                if len(format_ids) > MAX_CELL_STYLES:
                    raise zipguard.too_large()

        parser.StartElementHandler = start
        parser.EndElementHandler = lambda name: parents.pop()

    on_root(parser, install)
    for _ in feed(parser, source):
        pass
    dates, durations, kinds = set(), set(), {}
    for index, format_id in enumerate(format_ids):
        if format_id not in kinds:
            code = custom[format_id] if format_id in custom else BUILTIN_FORMATS.get(format_id)
            kinds[format_id] = (is_date_format(code), is_timedelta_format(code))
        is_date, is_duration = kinds[format_id]
        if is_date:
            dates.add(index)
        if is_duration:
            durations.add(index)
    return dates, durations
