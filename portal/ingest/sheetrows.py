"""Stream one worksheet's rows with expat, as openpyxl's parser reads them, in linear time.

See `sheetxml` for why expat rather than openpyxl, and how a DTD is refused.
Only cells holding a value or a formula are handed on; an empty cell costs two
handler calls, and a row or a sheet larger than Excel can make is refused.
"""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

from . import limits, sheetxml, zipguard

EXCEL_MAX_COLUMNS = 16_384  # no row Excel writes has more cells
EXCEL_MAX_ROWS = 1_048_576  # nor a sheet more rows
MAX_MERGED = 10_000  # merged ranges read before a sheet is refused for them
_TRUE = ("1", "true")
FORMULA, INLINE = 1, 2  # what a cell may hold besides a value


class CellTooLong(Exception):
    """A cell's text runs past MAX_CELL_CHARS: reading stops there, naming the cell (row, column)."""

    def __init__(self, row: int, column: int):
        super().__init__(row, column)
        self.row, self.column = row, column


def _row_number(r: str) -> int:
    number = float(r)  # as openpyxl reads it: "3" and "3.0" are row 3
    if not number.is_integer():
        raise ValueError(f"{r} is not a valid row number")
    return int(number)


class SheetReader:
    """Reads one worksheet's XML into rows of valued cells, as openpyxl's parser would.

    `items()` yields ("row", index, hidden, cells) for each row with a cell that
    holds a value or a formula (cells as dicts of row, column, value and
    data_type, those only), then ("merge", ref, too_many) for each merged range.
    `hidden_columns()` (those up to `width` hidden in <cols>) and `zero_height`
    are known before the first row.
    """

    def __init__(self, strings: list[str], epoch, dates: set[int], durations: set[int], width: int):
        self.strings, self.epoch, self.dates, self.durations = strings, epoch, dates, durations
        self.width = width
        self.zero_height = False
        self._hidden_ranges: set[tuple[int, int]] = set()  # at most width² / 2, however many <col>

    def hidden_columns(self) -> set[int]:
        """The columns, up to `width`, that <cols> hides."""
        return {column for low, high in self._hidden_ranges for column in range(low, high + 1)}

    def items(self, source) -> Iterator[tuple]:
        """Parse `source` (a binary file) and yield its rows, then its merged ranges."""
        parser, out = sheetxml.make_parser(), []
        sheetxml.on_root(parser, lambda attrs: self._install(parser, attrs, out))
        try:
            for _ in sheetxml.feed(parser, source):
                yield from out
                out.clear()
        except CellTooLong:
            yield from out  # the rows before it first: the header names its column
            raise

    def _install(self, parser, attrs: dict, out: list) -> None:
        # The handlers run once per element: closures over local state, the most
        # frequent names tested first, and little done for an empty cell.
        (c, v, f, is_, t, rph, row_, col_, merge_cell, sheet_format) = sheetxml.names(
            attrs, "c", "v", "f", "is", "t", "rPh", "row", "col", "mergeCell", "sheetFormatPr")
        text, value_of = sheetxml.Text(), self._value
        parts = text.parts  # the same list, emptied by text.take()

        def collect(data):
            # Called per chunk of text (up to CHUNK characters), so checking costs little;
            # a cell that cannot be accepted stops the reading at once.
            text.append(data)
            if text.size > limits.MAX_CELL_CHARS:
                ref = cell.get("r")
                raise CellTooLong(*(coordinate_to_tuple(ref) if ref else (row, next_column())))

        row = count = rows = merged = columns = inline = phonetic = column = 0
        pending: str | None = None  # an empty cell's reference, read only if the next cell has none
        cell: dict | None = None
        cells: list = []
        hidden = False
        marks = 0  # FORMULA and/or INLINE: what the cell held besides a value

        def start(name, attrs):
            nonlocal cell, count, marks, inline, phonetic, merged, row, rows, hidden, cells, column, pending, columns
            if name == c:
                count += 1
                if count > EXCEL_MAX_COLUMNS:
                    raise zipguard.too_large()
                cell = attrs
            elif cell is not None:
                if name == v or (name == t and inline and not phonetic):
                    parser.CharacterDataHandler = collect
                elif name == f:
                    marks |= FORMULA
                elif name == is_:
                    inline += 1
                elif name == rph:
                    phonetic += 1
            elif name == row_:
                rows += 1
                r = attrs.get("r")
                row = row + 1 if r is None else _row_number(r)
                if rows > EXCEL_MAX_ROWS or row > EXCEL_MAX_ROWS:
                    raise zipguard.too_large()
                column, pending, count, hidden, cells = 0, None, 0, attrs.get("hidden") in _TRUE, []
            elif name == col_:
                columns += 1
                if columns > EXCEL_MAX_COLUMNS:  # one <col> per column at the most
                    raise zipguard.too_large()
                if attrs.get("hidden") in _TRUE:
                    low, high = int(attrs["min"]), int(attrs["max"])
                    if low <= self.width:
                        self._hidden_ranges.add((low, min(high, self.width)))
            elif name == merge_cell:
                merged += 1
                out.append(("merge", attrs.get("ref", ""), merged > MAX_MERGED))
            elif name == sheet_format:
                self.zero_height = attrs.get("zeroHeight") in _TRUE

        def end(name):
            nonlocal cell, inline, phonetic, marks, column, pending, cells
            if name == c:
                attrs, cell = cell, None
                if not parts and not marks:
                    # Empty: only its place counts, for a following cell that does not say its own.
                    ref = attrs.get("r")
                    if ref is None:
                        column = next_column()
                    else:
                        pending = ref
                    return
                ref, held = attrs.get("r"), text.take()
                if ref is None:
                    at = (row, next_column())
                else:
                    at = coordinate_to_tuple(ref)
                column, pending = at[1], None
                data_type, value = value_of(attrs, held, marks)
                marks = 0
                cells.append({"row": at[0], "column": at[1], "value": value, "data_type": data_type})
            elif name == v or name == t:
                parser.CharacterDataHandler = None
            elif name == row_:
                if cells:
                    out.append(("row", row, hidden, cells))
                    cells = []  # a stray cell after the row (openpyxl ignores it) must not join it
            elif name == is_:
                inline -= 1
                marks |= INLINE
            elif name == rph:
                phonetic -= 1

        def next_column() -> int:
            """The column of a cell that does not name its own: the one after the last cell's."""
            nonlocal pending
            if pending is None:
                return column + 1
            letters, pending = pending.rstrip("0123456789").lstrip("$"), None
            return column_index_from_string(letters) + 1

        parser.StartElementHandler, parser.EndElementHandler = start, end

    def _value(self, attrs: dict, text: str | None, marks: int):
        """(data type, value) of a cell, as openpyxl's WorkSheetParser.parse_cell gives them."""
        data_type = attrs.get("t", "n")
        if marks & FORMULA:
            return "f", "="
        if data_type == "inlineStr":
            return ("s", text or "") if marks & INLINE else (data_type, None)
        if not text:
            return data_type, None
        if data_type == "n":
            value = float(text) if "." in text or "E" in text or "e" in text else int(text)
            style = int(attrs.get("s") or 0)
            if style in self.dates:
                try:
                    return "d", from_excel(value, self.epoch, timedelta=style in self.durations)
                except (OverflowError, ValueError):
                    return "e", "#VALUE!"
            return data_type, value
        if data_type == "s":
            return data_type, self.strings[int(text)]
        if data_type == "b":
            return data_type, bool(int(text))
        if data_type == "str":
            return "s", text
        if data_type == "d":
            return data_type, from_ISO8601(text)
        return data_type, text
