"""Read a disclosure file's bytes into numbered rows keyed by header, safely.

`read` picks the reader by the file name's extension, after checking that the
bytes are what the extension says. Every reader returns a `Sheet`; cells are
strings (table fields: lists of row mappings), never coerced numbers, dates or
booleans, so that the declaration alone decides what a cell means. The file name
is only looked at for its extension: it is never used as a path.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..schemas import Kind
from . import limits, zipguard
from .csvfile import read_csv
from .jsonfile import read_json
from .sheet import ReadError, Sheet
from .xlsx import read_xlsx
from .yamlfile import read_yaml

__all__ = ["READERS", "ReadError", "Sheet", "read"]

READERS = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json, "yaml": read_yaml, "yml": read_yaml}

_CONTAINERS = {"zip": _l("Excel 工作簿或其他压缩包"), "ole": _l("旧版 Office 文件"), "pdf": _l("PDF 文档")}


def extension(filename: str) -> str:
    """The lower-case extension of the file name's last component ("" when there is none)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].strip().lower() if "." in name else ""


def read(filename: str, data: bytes, kind: Kind) -> Sheet:
    """Read an uploaded file as rows of `kind`, with the reader its extension names.

    Raises ReadError (with a message for the uploader) for anything that is not
    a readable, modest file of that type.
    """
    ext = extension(filename)
    if ext == "xls":
        raise zipguard.legacy_xls()
    if ext == "xlsm":
        raise zipguard.macros()
    if ext not in READERS:
        raise ReadError(_l("不支持的文件类型:“.%(ext)s”,请上传 CSV、XLSX、JSON 或 YAML 文件", ext=ext[:10]))
    if not data:
        raise limits.empty_file()
    container = zipguard.sniff(data)
    if ext != "xlsx" and container is not None:
        raise ReadError(
            _l("文件内容是%(actual)s,与扩展名“.%(ext)s”不符", actual=_CONTAINERS[container], ext=ext)
        )
    return READERS[ext](data, kind)
