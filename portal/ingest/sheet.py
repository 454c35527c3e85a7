"""What every reader returns (`Sheet`) and raises (`ReadError`).

Row numbers are the ones the uploader sees: in a CSV or a workbook the header is
row 1 and data starts at row 2, exactly as Excel numbers them; in JSON and YAML,
which have no header row, the first item is 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schemas import Problem


class ReadError(ValueError):
    """A file that cannot be read at all; the message is for the uploader.

    `sheet`, `row` and `column` say where, when the reader knows.
    """

    def __init__(self, message, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row
        self.column = column

    def problem(self) -> Problem:
        """The error as a validation `Problem`, named by sheet, row and column."""
        return Problem(self.row, self.column, str(self.message), sheet=self.sheet)


@dataclass
class Sheet:
    """The rows of one file: headers in file order, rows as (row number, {header: cell}).

    Cells are strings, except table fields (materials, flow steps, indicators),
    whose cell is a list of row mappings keyed by the table's column labels.
    `sheet` is the worksheet the rows came from (None for CSV, JSON and YAML).
    `table_rows[(row, table label)]` lists, for a table that a workbook gave its own
    sheet (named after the table's label), the rows of that sheet the parent
    row's table rows came from, in order: the table's row i is `table_rows[...][i - 1]`.
    """

    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)
    sheet: str | None = None
    table_rows: dict[tuple[int, str], list[int]] = field(default_factory=dict)
