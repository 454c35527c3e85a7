"""The table field: a nested list of rows with columns of their own (materials, flow steps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import lazy_gettext as _l

from .field_base import Field, FieldError, TableError


@dataclass(frozen=True)
class Table(Field):
    """A nested list of rows with their own fields (materials, flow steps, indicators)."""

    columns: tuple[Field, ...] = field(default_factory=tuple)
    min_rows: int = 0
    max_rows: int = 200
    # Template rows after the one the columns' examples make, in column order, for
    # tables whose rules need more than one row (a flow needs a start and an end).
    example_rows: tuple[tuple[str, ...], ...] = ()

    type_label = _l("表格")
    free_form = False

    @cached_property
    def _known(self) -> frozenset[str]:
        # A row's cells may be keyed by a column's header or by its name.
        return frozenset(c.label for c in self.columns) | frozenset(c.name for c in self.columns)

    def parse(self, raw: object):
        if raw is None or raw == "" or raw == []:
            if self.required or self.min_rows:
                raise FieldError(_l("至少需要 %(count)s 行", count=max(self.min_rows, 1)))
            return []
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise FieldError(_l("应为由多行组成的列表"))
        if not self.min_rows <= len(raw) <= self.max_rows:
            raise FieldError(
                _l("行数应在 %(min)s 到 %(max)s 之间", min=self.min_rows, max=self.max_rows)
            )
        known = self._known
        rows, found = [], []
        for number, row in enumerate(raw, start=1):
            unknown = [str(k) for k in row if k not in known]
            if unknown:
                found.append((number, None, _l("有未知列:%(columns)s", columns="、".join(unknown))))
                continue
            clean = {}
            for column in self.columns:
                cell = row.get(column.label, row.get(column.name))
                try:
                    clean[column.name] = column.parse(cell)
                except FieldError as error:
                    found.append((number, column.label, error))
            rows.append(clean)
        if found:
            raise TableError(found)
        return rows

    @property
    def text_columns(self) -> list[Field]:
        """The columns whose cells are screened for personal data (see `Field.screened`)."""
        return [c for c in self.columns if c.screened]

    def format(self, value) -> str:
        return "" if not value else str(len(value))
