"""The declaration of one disclosure kind and the validation it drives.

A `Kind` lists its fields once; loading from `content/`, department uploads,
templates, the data dictionary and downloads all read the same declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .fields import Department, Field, FieldError, Table, TableError
from .spellings import spelled_among
from .values import Several

# Between the two parts of a title the portal composes (`Kind.named_title`): 举报 · 市教育局.
TITLE_JOIN = " · "


@dataclass
class Problem:
    """One validation error, named the way the uploader can find it."""

    row: int | None  # 1-based data row (the header is row 1 in CSV, so data starts at 2)
    column: str | None  # the Chinese header
    message: str
    sheet: str | None = None  # the worksheet, when the file is a workbook

    def __setattr__(self, name: str, value) -> None:
        # Messages are often lazy strings (flask_babel) built from uploaded text, and a lazy
        # string has __html__: Jinja would print it as trusted markup, unescaped. A Problem
        # holds plain text only, rendered once in the current language, so that every
        # template and JSON answer escapes what the uploader wrote.
        if name in ("message", "column", "sheet") and value is not None:
            value = str(value)
        super().__setattr__(name, value)

    def as_dict(self) -> dict:
        """Return the problem as plain JSON-ready data."""
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Validated:
    """The outcome of validating a file's rows: clean records or problems, never both used."""

    records: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row is valid and the records may be published."""
        return not self.problems


# A cross-field rule: receives the clean record, returns (column label, message) or None,
# or a list of such pairs when one field can be wrong in several places (a flow's steps).
Rule = Callable[[dict], "tuple[str, str] | list[tuple[str, str]] | None"]


@dataclass(frozen=True)
class Computed:
    """A value computed from a record when it is published and stored beside it.

    `field` says what it is called and how it is shown, as if it were declared;
    lists may show, filter and sort by it like any declared field.
    """

    field: Field
    compute: Callable[[dict], object]


@dataclass(frozen=True)
class Sort:
    """One way to sort a kind's list: its URL key, its label, and its columns in order."""

    key: str
    label: str
    order: tuple[tuple[str, bool], ...]  # (column, descending), the last one unique


@dataclass(frozen=True)
class Related:
    """Items of another kind that an item's page shows: those whose `theirs` equals our `ours`."""

    kind: str
    ours: str
    theirs: str
    many: bool = False


BY_CODE = Sort("code", _l("按编码"), (("code", False),))


# eq=False: a kind is its declaration, compared and hashed as the one object it is. Compared
# field by field it would be hashed so too, every lazily translated label translated each time:
# a cache keyed by kind, asked once a row, cost a load a third more time.
@dataclass(frozen=True, eq=False)
class Kind:
    """A disclosure kind: its name, labels, fields and the rules across fields."""

    name: str  # URL and file stem: "powers"
    label: str  # Chinese name: "权责清单"
    item_label: str  # one item: "权力事项"
    fields: tuple[Field, ...]
    key: Callable[[dict], str]  # the item's code from a clean record
    title: Callable[[dict], str]  # the item's title from a clean record
    file_format: str = "csv"  # how content/ stores it: "csv" (flat) or "yaml" (nested)
    rules: tuple[Rule, ...] = ()
    description: str = ""
    # The fields `key` is made of: a workbook's table sheets name their parent row by them.
    key_fields: tuple[str, ...] = ("code",)
    # Says whether an undeclared column names personal data (complaints: 投诉人, 联系电话 …),
    # so that the uploader is told why it is refused rather than that it is unknown.
    personal_column: Callable[[str], bool] | None = None
    # True when records tell of members of the public (complaints): the privacy guard screens
    # every exit of such a kind, and the change log names its free-text changes without values.
    personal_data: bool = False
    # What the read side shows. Names are declared fields or `computed` ones.
    columns: tuple[str, ...] = ()  # list columns after the title (also in list twins and downloads)
    facets: tuple[str, ...] = ("department",)  # what lists filter on and count
    sorts: tuple[Sort, ...] = (BY_CODE,)  # the first is the default
    computed: tuple[Computed, ...] = ()
    related: tuple[Related, ...] = ()
    # Where the kind sits on a department's page (lower first), and whether items have pages of
    # their own (appraisal results live on their year's ranking instead).
    section: int = 100
    item_pages: bool = True
    title_label: str = _l("事项名称")  # the list's first column
    # A title that names the item's department (a complaint: its category and the department
    # complained of), given the department's name as it stood when the item was published:
    # `title(record)`, TITLE_JOIN, the name (`portal.i18n.display.shown_title` reads it so).
    named_title: Callable[[dict, str], str] | None = None
    # Whether codes are the city's or national codes whose segments are named (portal.schemas.codes).
    code_parts: bool = True

    def title_for(self, record: dict, department_name: str) -> str:
        """The stored title of a record published by the department named `department_name`."""
        return self.named_title(record, department_name) if self.named_title else self.title(record)

    @property
    def headers(self) -> list[str]:
        """The Chinese column headers, in declaration order."""
        return [f.label for f in self.fields]

    def field(self, name: str) -> Field:
        """Return the field called `name` (English identifier), declared or computed."""
        for f in (*self.fields, *(c.field for c in self.computed)):
            if f.name == name:
                return f
        raise KeyError(name)

    def current(self, record: dict) -> dict:
        """A record published under an older declaration, in today's shape: a field that now holds
        several values (服务对象) had one text, which is read again as today's field reads it."""
        found = dict(record)
        for f in self.fields:
            if isinstance(found.get(f.name), str) and isinstance(f, Several):
                found[f.name] = f.parse(found[f.name])
        return found

    def derive(self, record: dict) -> dict:
        """The computed values of a clean record, by name."""
        return {c.field.name: c.compute(record) for c in self.computed}

    @property
    def list_fields(self) -> list[Field]:
        """The fields shown as list columns, in order."""
        return [self.field(name) for name in self.columns]

    @property
    def text_fields(self) -> list[Field]:
        """The declared fields that hold free text, where personal data could slip in (`Field.screened`):
        not codes, vocabularies, dates, numbers or the contact numbers published on purpose. Tables
        are not among them; their text columns are `Table.text_columns`."""
        return [f for f in self.fields if f.screened]

    def sort(self, key: str) -> Sort:
        """The sort called `key`, or KeyError."""
        for sort in self.sorts:
            if sort.key == key:
                return sort
        raise KeyError(key)

    def check_headers(self, headers: Iterable[str]) -> list[Problem]:
        """Return problems for missing required columns and unknown or repeated columns."""
        headers = list(headers)
        # Computed columns (a download's 压缩比例, 办理天数 …) are recomputed on publish: a file
        # downloaded from the portal uploads again as it is, and they are ignored.
        known = {f.label for f in self.fields} | {c.field.label for c in self.computed}
        problems = []
        for f in self.fields:
            if f.required and f.label not in headers and isinstance(f, Table):
                # A CSV downloaded from the portal keeps its tables in files of their own, so a
                # clerk re-uploading one meets this: say where a table goes.
                problems.append(Problem(1, f.label, _l(
                    "缺少必填列“%(column)s”。这是一张明细表:XLSX 文件请放在名为“%(column)s”的工作表中,"
                    "CSV 文件请在该列中按模板填写 JSON 数组", column=f.label)))
            elif f.required and f.label not in headers:
                problems.append(Problem(1, f.label, _l("缺少必填列“%(column)s”", column=f.label)))
        seen = set()
        for header in headers:
            if header in seen:
                problems.append(Problem(1, header, _l("列名重复:“%(column)s”", column=header)))
            seen.add(header)
            if header not in known and self.personal_column and self.personal_column(header):
                problems.append(Problem(1, header, _l(
                    "不得上传投诉人的个人信息:请删除“%(column)s”列。案件中只写“张某”等代称,"
                    "不写姓名、证件号、电话和住址", column=header)))
            elif header not in known:
                problems.append(Problem(1, header, _l("未知的列:“%(column)s”", column=header)))
        return problems

    def validate(
        self,
        rows: Iterable[tuple[int, Mapping[str, object]]],
        departments: Mapping[str, str],
        *,
        sheet: str | None = None,
        table_rows: Mapping[tuple[int, str], list[int]] | None = None,
    ) -> Validated:
        """Validate numbered raw rows (keyed by Chinese header) into clean records.

        `departments` maps every accepted spelling of a department (its code and
        its name) to its code. Codes must be unique within the rows. Every problem
        of every row and every table is reported: `sheet` names the rows' worksheet,
        and `table_rows` (from a workbook whose tables have sheets of their own, see
        `portal.ingest.sheet.Sheet`) points a table's problems at their own sheet and row.
        """
        result = Validated()
        seen: dict[str, int] = {}
        where = _Where(sheet, table_rows or {})
        for number, raw in rows:
            record, problems = self._validate_row(number, raw, departments, where)
            result.problems.extend(problems)
            if problems:
                continue
            code = self.key(record)
            if code in seen:
                result.problems.append(
                    Problem(
                        number,
                        self.fields[0].label,
                        _l("编码“%(code)s”与第 %(row)s 行重复", code=code, row=seen[code]),
                        sheet=sheet,
                    )
                )
                continue
            seen[code] = number
            result.records.append(record)
        return result

    def _validate_row(self, number, raw, departments, where):
        record, problems = {}, []
        for f in self.fields:
            try:
                value = f.parse(raw.get(f.label))
                if isinstance(f, Department) and value is not None:
                    value = departments[_department_named(departments, value)]
                record[f.name] = value
            except TableError as error:
                problems += [where.table_problem(number, f, *found) for found in error.problems]
            except FieldError as error:
                problems.append(Problem(number, f.label, str(error), sheet=where.sheet))
        if not problems:
            for rule in self.rules:
                found = rule(record)
                for column, message in [found] if isinstance(found, tuple) else found or []:
                    problems.append(Problem(number, column, str(message), sheet=where.sheet))
        return record, problems


def _department_named(departments: Mapping[str, str], value: str) -> str:
    """The accepted spelling of a department that `value` is: itself, or the Simplified name it
    spells in Traditional (測試市民政局, as the zh-hant pages show it). Raises FieldError."""
    named = value if value in departments else spelled_among(tuple(departments), value)
    if named is None:
        raise FieldError(_l("未知的部门:“%(value)s”", value=value[:40]))
    return named


@dataclass(frozen=True)
class _Where:
    """Where a row's problems are shown: its sheet, and the sheet rows its tables came from."""

    sheet: str | None
    table_rows: Mapping[tuple[int, str], list[int]]

    def table_problem(self, number: int, table: Table, row: int, column: str | None, message) -> Problem:
        """A problem in row `row` of a table: on the table's own sheet and row when it has one."""
        lines = self.table_rows.get((number, table.label))
        if lines and row <= len(lines):
            return Problem(lines[row - 1], column or table.label, str(message), sheet=table.label)
        return Problem(number, table.label, TableError.describe(row, column, message), sheet=self.sheet)
