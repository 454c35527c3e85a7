"""Read a disclosure file's bytes into numbered rows keyed by header, safely.

Every reader returns a `Sheet`; values are strings (or, in YAML and JSON, lists of
row mappings for table fields), never coerced numbers, dates or booleans, so
that the declaration alone decides what a cell means.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import yaml
from flask_babel import lazy_gettext as _l


class ReadError(ValueError):
    """A file that cannot be read at all; the message is for the uploader."""


@dataclass
class Sheet:
    """The rows of one file: headers in file order, rows as (row number, {header: cell})."""

    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Decode text explicitly: BOM → UTF-8 (strict) → GB18030 (strict) → a clear error.

    Charset detectors guess wrong on short GBK text, so we never guess.
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
    except UnicodeDecodeError:
        raise ReadError(_l("无法识别文件编码,请另存为 UTF-8 或 GBK 编码的 CSV")) from None


def read_csv(data: bytes) -> Sheet:
    """Read CSV bytes whose first row is the header."""
    text = decode(data)
    if "\x00" in text:
        raise ReadError(_l("文件中含有空字符(NUL),不是有效的 CSV 文本"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        table = list(reader)
    except csv.Error as error:
        raise ReadError(_l("CSV 格式错误(第 %(line)s 行):%(error)s", line=reader.line_num, error=error)) from None
    table = [row for row in table if any(cell.strip() for cell in row)] if table else []
    if not table:
        raise ReadError(_l("文件是空的"))
    headers = [h.strip() for h in table[0]]
    if any(h == "" for h in headers):
        raise ReadError(_l("表头中有空白列名"))
    sheet = Sheet(headers=headers)
    for number, row in enumerate(table[1:], start=2):
        if len(row) != len(headers):
            raise ReadError(
                _l("第 %(row)s 行有 %(found)s 列,表头有 %(expected)s 列",
                   row=number, found=len(row), expected=len(headers))
            )
        sheet.rows.append((number, dict(zip(headers, row))))
    return sheet


class _StringLoader(yaml.SafeLoader):
    """YAML loader that keeps every scalar as text (no 1.1 coercions like `no` or `010`)."""


# BaseLoader would keep strings too but accepts arbitrary tags silently; building
# on SafeLoader with the implicit resolvers removed keeps strings *and* rejects tags.
_StringLoader.yaml_implicit_resolvers = {}


def read_yaml(data: bytes) -> Sheet:
    """Read a YAML list of mappings (one per item); nested lists stay lists."""
    text = decode(data)
    try:
        loader = _StringLoader(text)
        try:
            if _has_aliases(loader):
                raise ReadError(_l("YAML 中不允许使用锚点和别名"))
        finally:
            loader.dispose()
        items = yaml.load(text, Loader=_StringLoader)
    except yaml.YAMLError as error:
        raise ReadError(_l("YAML 格式错误:%(error)s", error=str(error).splitlines()[0])) from None
    if items is None:
        raise ReadError(_l("文件是空的"))
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ReadError(_l("YAML 文件应为事项列表,每项是一组“列名: 值”"))
    headers: list[str] = []
    sheet = Sheet()
    for number, item in enumerate(items, start=1):
        for key in item:
            if str(key) not in headers:
                headers.append(str(key))
        sheet.rows.append((number, {str(k): v for k, v in item.items()}))
    sheet.headers = headers
    return sheet


def _has_aliases(loader: yaml.SafeLoader) -> bool:
    # Aliases can expand exponentially ("billion laughs"); disclosures never need them.
    while loader.check_event():
        event = loader.get_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return True
    return False


READERS = {"csv": read_csv, "yaml": read_yaml, "yml": read_yaml}


def read(filename: str, data: bytes) -> Sheet:
    """Read `data` with the reader its file extension names."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in READERS:
        raise ReadError(_l("不支持的文件类型:“.%(ext)s”", ext=extension))
    return READERS[extension](data)
