"""Sheets as an .xlsx workbook (Excel, WPS, LibreOffice): typed cells, readable widths.

Dates are real date cells, numbers are numbers, and text is text (CJK as it is). With
the same sheets and ``stamp`` the bytes are the same: the zip entries' times and the
document's created/modified times all come from ``stamp`` (SOURCE_DATE_EPOCH in a
reproducible build). The SpreadsheetML parts are written here directly (a handful of
fixed parts and one sheet part per sheet, strings inline): an office library would cost
more to import than `build` may take, and ten times as long to write the same cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from partnership.views.escape import lines, one_line

Cell = str | int | float | dt.date | None
_MAX_WIDTH = 60
_SHEET_NAME_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # no XML 1.0 document may hold these
_EPOCH = dt.date(1899, 12, 30)  # day 0 of the 1900 date system (past 1900-03-01)
# cell styles (cellXfs in _STYLES): 0 plain, 1 bold header, 2 date, 3 wrapped text
_BOLD, _DATE, _WRAP = 1, 2, 3

_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_STYLES = (
    f'{_DECL}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/>'
    "</fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_ROOT_RELS = (
    f'{_DECL}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Target="docProps/core.xml" Type="http://schemas.openxmlformats'
    '.org/package/2006/relationships/metadata/core-properties"/>'
    "</Relationships>"
)


def escape(text: str) -> str:
    """Text as XML character data (xml.sax.saxutils would cost an import of its own)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """A double-quoted XML attribute value (sheet names are on one line)."""
    return '"' + escape(text).replace('"', "&quot;") + '"'


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a name (at most 31 characters), a header row and typed rows."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def width(text: str) -> int:
    """Columns a text takes on screen: wide (CJK) characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@functools.lru_cache(maxsize=8192)
def _widest(text: str) -> int:
    """Columns the widest line of ``text`` takes (texts repeat down a column and across
    workbooks, so each is measured once)."""
    return max(width(part) for part in lines(text))


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    return str(value)


def workbook(sheets: Sequence[Sheet], stamp: dt.datetime) -> bytes:
    """The .xlsx bytes of ``sheets``, frozen header rows, columns as wide as their text."""
    naive = stamp.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    when = max(naive, dt.datetime(1980, 1, 1))
    date_time = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    used: set[str] = set()
    names = [_sheet_name(sheet.name, used) for sheet in sheets]
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": _core(naive),
        "xl/workbook.xml": _workbook(names),
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
        "xl/styles.xml": _STYLES,
    }
    for n, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _worksheet(sheet)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        f'ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{_CT.replace("officedocument", "package")}'
        '.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f"{sheets}</Types>"
    )


def _core(naive: dt.datetime) -> str:
    at = f"{naive:%Y-%m-%dT%H:%M:%S}Z"
    return (
        f'{_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>partnership</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{at}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{at}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _workbook(names: Sequence[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    return (
        f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_DECL}<Relationships xmlns="{_PKG_REL}">{rels}{styles}</Relationships>'


def _worksheet(sheet: Sheet) -> str:
    """One sheet part: the frozen header row, the column widths and the typed cells."""
    cols = []
    for col, header in enumerate(sheet.headers):
        shown = {v if isinstance(v, str) else _shown(v) for v in [r[col] for r in sheet.rows]}
        shown.add(header)
        wide = max(map(_widest, shown))
        at = col + 1
        cols.append(
            f'<col min="{at}" max="{at}" width="{min(_MAX_WIDTH, wide + 2)}" customWidth="1"/>'
        )
    letters = [_column(c) for c in range(1, max(map(len, (sheet.headers, *sheet.rows))) + 1)]
    rows = [_row(1, sheet.headers, _BOLD, letters)]
    rows.extend(_row(r, row, 0, letters) for r, row in enumerate(sheet.rows, start=2))
    cols_xml = f"<cols>{''.join(cols)}</cols>" if cols else ""
    return (
        f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>{cols_xml}'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


def _row(r: int, values: Sequence[Cell], style: int, letters: Sequence[str]) -> str:
    """One row; ``letters``: the column letters (at least one per value)."""
    cells = []
    for col, v in zip(letters, values, strict=False):
        if isinstance(v, str):  # most cells: the text cell without a call to _cell
            rest = _text_cell(v, style)
            if rest:
                cells.append(f'<c r="{col}{r}"{rest}')
        elif v is not None:
            cells.append(_cell(f"{col}{r}", v, style))
    return f'<row r="{r}">{"".join(cells)}</row>'


def _cell(ref: str, v: Cell, style: int) -> str:
    """One typed cell; text is kept to what a cell may hold (no control characters)."""
    if v is None:
        return ""
    if isinstance(v, str):
        rest = _text_cell(v, style)
        return f'<c r="{ref}"{rest}' if rest else ""
    s = f' s="{style}"' if style else ""
    if isinstance(v, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, dt.datetime):
        day = v - dt.datetime(1899, 12, 30, tzinfo=v.tzinfo)
        return f'<c r="{ref}" s="{_DATE}"><v>{day.total_seconds() / 86400!r}</v></c>'
    if isinstance(v, dt.date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(v - _EPOCH).days}</v></c>'
    return f'<c r="{ref}"{s}><v>{v!r}</v></c>'


@functools.lru_cache(maxsize=16384)
def _text_cell(v: str, style: int) -> str:
    """A text cell after its reference, or "" for no cell (an empty text, as office
    suites write it); texts repeat down columns and across workbooks, so each is made once."""
    text = _NOT_XML.sub("", "\n".join(lines(v)))
    if not text:
        return ""
    s = f' s="{style}"' if style else (f' s="{_WRAP}"' if "\n" in text else "")
    return f'{s} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


@functools.cache
def _column(n: int) -> str:
    """Column letters of the 1-based column ``n``: A … Z, AA …"""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = one_line(name).translate(_SHEET_NAME_BAD).strip("' ")[:31] or "Sheet"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[: 31 - len(str(n)) - 1]}-{n}"
    used.add(candidate.lower())
    return candidate
