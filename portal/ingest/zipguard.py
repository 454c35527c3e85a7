"""Check an .xlsx upload's container before any XML in it is parsed.

The sizes are decided from the magic bytes and the zip's central directory
before anything is inflated, so a zip bomb costs no more than its own size.
zipfile stops inflating an entry at its declared size and checks its CRC, so
the declared sizes judged here bind. Then each XML part, within those sizes, is
inflated once and scanned (at C speed, a chunk at a time, nothing kept):

- Office never writes a DTD, so a part that declares one anywhere (entity
  expansion, external entities) is refused before any parser sees it; the
  parsers refuse one too (defusedxml under openpyxl, `sheetxml`'s handlers).
- Parsing costs per element, and empty elements deflate a thousandfold: a part
  may hold ZIP_MAX_TAGS_PER_BYTE tags per byte it takes in the upload (beyond
  ZIP_TAGS_FLOOR), which keeps the reading time linear in the upload's size.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from flask_babel import lazy_gettext as _l

from . import limits
from .sheet import ReadError

ZIP_MAGIC = b"PK\x03\x04"
# OLE2 compound files: legacy .xls, and also every password-protected .xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted OOXML package is stored in, named (UTF-16) in the OLE directory.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_MAX = 256 * 1024
XML_PARTS = (".xml", ".rels", ".vml")
SCAN_CHUNK = 1024 * 1024
# The declaration in ASCII-compatible encodings, then in UTF-16 (big- and little-endian).
_DOCTYPES = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-be"), "<!DOCTYPE".encode("utf-16-le"))


def sniff(data: bytes) -> str | None:
    """Name a binary container by its magic bytes: "zip", "ole", "pdf", or None (maybe text)."""
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(b"%PDF"):
        return "pdf"
    return None


def check_workbook(data: bytes) -> None:
    """Raise ReadError unless `data` is a complete, unencrypted, macro-free, modest .xlsx zip."""
    container = sniff(data)
    if container == "ole":
        raise encrypted() if ENCRYPTED_STREAM in data else legacy_xls()
    if container != "zip":
        raise not_a_workbook()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise damaged() from None
    with archive:
        infos = archive.infolist()
        _check_entries(infos)
        _check_parts(archive, infos)
        content_types = _read_content_types(archive, infos)
    if b"macroenabled" in content_types.lower():
        raise macros()
    if b"spreadsheetml" not in content_types.lower():
        raise not_a_workbook()


def _check_entries(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > limits.ZIP_MAX_ENTRIES:
        raise too_large()
    names, total = set(), 0
    for info in infos:
        if info.filename in names:
            raise damaged()  # two parts under one name: readers disagree on which one counts
        names.add(info.filename)
        if info.flag_bits & 0x1:
            raise encrypted()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged()
        if info.filename.lower().endswith("vbaproject.bin"):
            raise macros()
        total += info.file_size
        if (info.file_size > limits.ZIP_RATIO_FLOOR
                and info.file_size > limits.ZIP_MAX_RATIO * max(info.compress_size, 1)):
            raise too_large()
    if total > limits.ZIP_MAX_TOTAL:
        raise too_large()
    if CONTENT_TYPES not in names:
        raise not_a_workbook()


def _check_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        if not info.filename.lower().endswith(XML_PARTS):
            continue
        most = max(limits.ZIP_TAGS_FLOOR, limits.ZIP_MAX_TAGS_PER_BYTE * info.compress_size)
        tags, tail, doctypes = 0, b"", None
        for chunk in _chunks(archive, info):
            tags += chunk.count(b"<") + chunk.count(b"/>")  # an empty element costs a start and an end
            if tags > most:
                raise too_large()
            if doctypes is None:  # a part in UTF-16 starts with a byte-order mark or a NUL
                doctypes = _DOCTYPES if chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4] \
                    else _DOCTYPES[:1]
            # The tail finds a declaration cut in two by the chunks.
            if any(d in chunk or d in tail + chunk[:len(d)] for d in doctypes):
                raise entity_declarations()
            tail = chunk[-len(_DOCTYPES[-1]):]


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    try:
        with archive.open(info) as part:
            while chunk := part.read(SCAN_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise damaged() from None


def _read_content_types(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bytes:
    info = next(i for i in infos if i.filename == CONTENT_TYPES)
    if info.file_size > CONTENT_TYPES_MAX:
        raise too_large()
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise damaged() from None


def damaged() -> ReadError:
    """The error for a truncated or corrupt workbook."""
    return ReadError(_l("工作簿文件不完整或已损坏(可能上传中断),请重新保存后再上传"))


def not_a_workbook() -> ReadError:
    """The error for bytes that are not an .xlsx workbook although the name says so."""
    return ReadError(_l("文件内容不是 Excel 工作簿(.xlsx),与扩展名不符"))


def legacy_xls() -> ReadError:
    """The error for a legacy .xls workbook (by extension or by content)."""
    return ReadError(_l("这是旧版 Excel 文件(.xls),请在 Excel 中“另存为”Excel 工作簿(.xlsx)后再上传"))


def encrypted() -> ReadError:
    """The error for a password-protected workbook."""
    return ReadError(_l("工作簿设置了密码(已加密),无法读取;请在 Excel 中取消密码后另存为 .xlsx 再上传"))


def entity_declarations() -> ReadError:
    """The error for XML that declares a DTD or entities (billion laughs, external entities)."""
    return ReadError(_l("工作簿中含有不允许的 XML 声明(DTD 或实体),不予读取"))


def macros() -> ReadError:
    """The error for a macro-enabled workbook."""
    return ReadError(_l("不接受含宏的工作簿(.xlsm),请“另存为”不含宏的 Excel 工作簿(.xlsx)后再上传"))


def too_large() -> ReadError:
    """The error for a workbook that would inflate beyond the limits (a zip bomb, or just too big)."""
    return ReadError(
        _l("工作簿解压后超过 %(max)s MB 或压缩比异常,不予读取;请删除多余内容或分成几个文件上传",
           max=limits.ZIP_MAX_TOTAL // (1024 * 1024))
    )
