"""A workbook of text cells written row by row, each sheet straight to disk, then zipped.

The downloads' workbooks hold nothing but text (no formats, formulas, numbers or
dates), so the whole of SpreadsheetML they need is a few fixed parts and one
`<row>` of inline-string cells per row. Writing that directly costs a tenth of
what a general-purpose writer spends per cell, and a city's workbooks were most
of the time its downloads took. Every cell is escaped as text: nothing in a value
can become markup, a formula or a number ("=1+1", "<r>…</r>", "007" stay text).
Control characters are written as Excel writes them (`_x0001_`, and a literal
`_x0041_` as `_x005F_x0041_`), and the archive has fixed dates, so the same rows
give the same bytes.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_NEEDS_WORK = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_EDGE_SPACE = re.compile(r"^\s|\s$")

_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '<family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
    '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
    'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>')


def text(value: str) -> str:
    """A value as the text of an inline-string cell's <t> element."""
    if _NEEDS_WORK.search(value):
        value = _ESCAPED_ESCAPE.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


class _SheetPart:
    """One worksheet's XML, written to a file of its own as rows come."""

    def __init__(self, path: Path, title: str):
        self.path, self.title, self.rows = path, title, 0
        self.handle = open(path, "w", encoding="utf-8", newline="")  # the rows only: see `head`
        self.letters: list[str] = []

    def row(self, values: list[str]) -> None:
        self.rows += 1
        number = str(self.rows)
        while len(self.letters) < len(values):
            self.letters.append(get_column_letter(len(self.letters) + 1))
        cells = []
        for letter, value in zip(self.letters, values):
            if not value:
                continue  # an empty cell is no cell, as spreadsheets write it
            space = ' xml:space="preserve"' if _EDGE_SPACE.search(value) else ""
            cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{text(value)}</t></is></c>')
        self.handle.write(f'<row r="{number}">{"".join(cells)}</row>')

    def head(self) -> bytes:
        """What comes before the rows: the sheet's extent, which readers size their rows by."""
        extent = f"A1:{self.letters[-1]}{self.rows}" if self.rows and self.letters else "A1"
        return (f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><dimension ref="{extent}"/>'
                "<sheetData>").encode()

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.write("</sheetData></worksheet>")
            self.handle.close()


class Workbook:
    """A workbook with the given sheets (titles at most 31 characters, as Excel allows), row by row."""

    def __init__(self, path: Path, titles: list[str], author: str, created: str):
        self.path, self.author, self.created = path, author, created
        self.sheets = [_SheetPart(path.with_name(f"{path.name}.sheet{n}"), title[:31])
                       for n, title in enumerate(titles, start=1)]

    def row(self, sheet: int, values: list[str]) -> None:
        """Add a row of text cells to the `sheet`-th sheet (0 is the first)."""
        self.sheets[sheet].row(values)

    def close(self) -> None:
        """Write the archive to `path`; the sheets' own files are removed."""
        for sheet in self.sheets:
            sheet.close()
        try:
            with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, content in self._fixed_parts():
                    archive.writestr(self._info(name), content)
                for number, sheet in enumerate(self.sheets, start=1):
                    with open(sheet.path, "rb") as source, \
                            archive.open(self._info(f"xl/worksheets/sheet{number}.xml"), "w") as target:
                        target.write(sheet.head())
                        shutil.copyfileobj(source, target, 1 << 20)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the sheets' own files (the archive, if any, is the caller's)."""
        for sheet in self.sheets:
            sheet.close()
            sheet.path.unlink(missing_ok=True)

    @staticmethod
    def _info(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def _fixed_parts(self) -> list[tuple[str, str]]:
        count = len(self.sheets)
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>'
                            for n in range(1, count + 1))
        types = (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'{overrides}<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>')
        package_rels = (
            f'{_XML}<Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>')
        sheets = "".join(f'<sheet name="{_attribute(s.title)}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, s in enumerate(self.sheets, start=1))
        workbook = (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><bookViews><workbookView/>'
                    f'</bookViews><sheets>{sheets}</sheets></workbook>')
        workbook_rels = "".join(
            f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1))
        workbook_rels = (f'{_XML}<Relationships xmlns="{_RELS}">{workbook_rels}<Relationship '
                         f'Id="rId{count + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
                         "</Relationships>")
        core = (
            f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
            'terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/'
            f'XMLSchema-instance"><dc:creator>{text(self.author)}</dc:creator><dcterms:created '
            f'xsi:type="dcterms:W3CDTF">{self.created}</dcterms:created></cp:coreProperties>')
        return [("[Content_Types].xml", types), ("_rels/.rels", package_rels), ("xl/workbook.xml", workbook),
                ("xl/_rels/workbook.xml.rels", workbook_rels), ("xl/styles.xml", _STYLES),
                ("docProps/core.xml", core)]
