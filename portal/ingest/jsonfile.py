"""Read JSON strictly: a list of items keyed by the Chinese headers, tables as nested lists.

Items keyed by the fields' identifiers, as the portal's own JSON downloads are, read
the same: a department may upload again the file it downloaded.

The standard parser accepts duplicate keys (the last silently wins), NaN and
Infinity, numbers of any length and nesting until the interpreter's stack runs
out; each of these is refused here with a message for the uploader. Numbers are
kept as the text the file wrote, so the declaration alone decides what they mean.
"""

from __future__ import annotations

import json
import re
from array import array
from itertools import accumulate

from flask_babel import lazy_gettext as _l

from ..schemas import Kind
from . import formulas, limits
from . import headers as spelled
from .sheet import ReadError, Sheet
from .textfile import decode

# Strings may hold brackets; drop them before counting how deep the brackets go. A string
# runs to its closing quote or, unterminated, to the end of the text, and the quantifiers
# are possessive: each character is looked at once. (The former pattern failed on an
# unterminated string and was retried from every later quote: quadratic, 31 s for 90 KB.)
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEPS = str.maketrans({"[": "\x01", "{": "\x01", "]": "\xff", "}": "\xff"})  # +1, -1 as signed bytes


def _unique(pairs: list[tuple[str, object]]) -> dict:
    keys = set()
    for key, _ in pairs:
        if key in keys:
            raise ReadError(_l("JSON 中有重复的键“%(key)s”", key=key[:40]), column=key[:40])
        keys.add(key)
    return dict(pairs)


def _constant(name: str):
    raise ReadError(_l("JSON 中不允许使用 %(value)s,请填写具体数值或留空", value=name))


def _number(text: str) -> str:
    if len(text) > limits.MAX_NUMBER_CHARS:
        raise ReadError(
            _l("JSON 中的数字“%(value)s…”超过 %(max)s 位", value=text[:20], max=limits.MAX_NUMBER_CHARS)
        )
    return text


def _check_depth(text: str) -> None:
    # Checked before parsing: the parser recurses once per level. The running sum of
    # +1/-1 per bracket is computed in C, linear in the text's length.
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = array("b", brackets.translate(_STEPS).encode("latin-1"))
    if max(accumulate(steps), default=0) > limits.MAX_DEPTH:
        raise ReadError(_l("JSON 嵌套超过 %(max)s 层", max=limits.MAX_DEPTH))


def _cells(value):
    """JSON values as cells: text stays text, true/false/null become "true"/"false"/None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_cells(v) for v in value]
    if isinstance(value, dict):
        return {k: _cells(v) for k, v in value.items()}
    return value


def loads(text: str):
    """Parse JSON text strictly (unique keys, no NaN, bounded depth and numbers) into cells."""
    return _cells(_parse(text))


def _parse(text: str):
    _check_depth(text)
    try:
        return json.loads(
            text, object_pairs_hook=_unique, parse_constant=_constant,
            parse_int=_number, parse_float=_number,
        )
    except json.JSONDecodeError as error:
        raise ReadError(
            _l("JSON 格式错误(第 %(line)s 行第 %(column)s 个字符附近)", line=error.lineno, column=error.colno)
        ) from None


def read_json(data: bytes, kind: Kind) -> Sheet:
    """Read a JSON array of objects keyed by the Chinese headers; item 1 is row 1."""
    text = decode(data, kind.headers).lstrip("\ufeff")
    if not text.strip():
        raise limits.empty_file()
    items = _parse(text)
    # The shape and the count first: converting a file that is refused anyway would be wasted.
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ReadError(_l("JSON 文件应为一个数组,每项是一个以中文列名为键的对象"))
    if not items:
        raise ReadError(_l("文件中没有任何数据"))
    limits.check_row_count(len(items))
    return items_sheet(_by_headers(kind, items), _cells)


def _by_headers(kind: Kind, items: list[dict]) -> list[dict]:
    """Items with each field's identifier (`code`, as the JSON downloads key them) read as its header
    (事项编码). A key that is both, or whose header the item has too, is left as it is: the
    validation then names it as an unknown column rather than one silently winning. Headers in
    Traditional (權力類型) are read as the Simplified ones (`headers.row`)."""
    headers = {f.name: f.label for f in (*kind.fields, *(c.field for c in kind.computed))}
    return [spelled.row(kind, {headers[key] if key in headers and headers[key] not in item else key: value
                               for key, value in item.items()})
            for item in items]


def items_sheet(items: list[dict], cells=lambda value: value) -> Sheet:
    """A Sheet of parsed items (JSON or YAML): headers in order of first appearance, values through `cells`."""
    sheet = Sheet()
    headers: dict[str, None] = {}  # ordered, and looked up in constant time: items may have many keys
    for number, item in enumerate(items, start=1):
        row = {}
        for key, value in item.items():
            key = str(key)
            if key not in headers:
                headers[key] = None
                limits.check_column_count(len(headers))
            if isinstance(value, str):
                limits.check_cell(value, number, key)
            elif isinstance(value, list):  # a table: its rows' text is published too
                formulas.check_table(value, number, key)
            row[key] = cells(value)
        sheet.rows.append((number, row))
    sheet.headers = list(headers)
    return sheet
