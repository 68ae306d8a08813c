"""Sheets as an .xlsx workbook (Excel, WPS, LibreOffice): typed cells, readable widths.

Dates are real date cells, numbers are numbers, and text is text (CJK as it is). With
the same sheets and ``stamp`` the bytes are the same: the zip entries' times and the
document's created/modified times all come from ``stamp`` (SOURCE_DATE_EPOCH in a
reproducible build). openpyxl is imported here only, when a workbook is written.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from partnership.views.escape import lines, one_line

Cell = str | int | float | dt.date | None
_MAX_WIDTH = 60
_SHEET_NAME_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


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


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    return str(value)


def workbook(sheets: Sequence[Sheet], stamp: dt.datetime) -> bytes:
    """The .xlsx bytes of ``sheets``, frozen header rows, columns as wide as their text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_name(sheet.name, used))
        ws.append(list(sheet.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(sheet.rows, start=2):
            for c, v in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=_value(v))
                if isinstance(v, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(v, str) and "\n" in v:
                    cell.alignment = wrap
        ws.freeze_panes = "A2"
        for col, header in enumerate(sheet.headers, start=1):
            texts = [header, *(_shown(r[col - 1]) for r in sheet.rows)]
            wide = max(width(part) for text in texts for part in lines(text))
            ws.column_dimensions[get_column_letter(col)].width = min(_MAX_WIDTH, wide + 2)
    naive = stamp.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    wb.properties.created = naive
    wb.properties.modified = naive
    wb.properties.creator = "partnership"
    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, date_time=naive) as archive:
        ExcelWriter(wb, archive).write_data()
    return buffer.getvalue()


def _value(v: Cell) -> Any:
    """A cell value openpyxl writes as its type; text is kept to what a cell may hold."""
    if isinstance(v, str):
        return "\n".join(part for part in lines(v))
    return v


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = one_line(name).translate(_SHEET_NAME_BAD).strip("' ")[:31] or "Sheet"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[: 31 - len(str(n)) - 1]}-{n}"
    used.add(candidate.lower())
    return candidate


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose every entry carries one time, so that the bytes do not depend on now."""

    def __init__(self, *args: Any, date_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        when = max(date_time, dt.datetime(1980, 1, 1))
        self._date_time = (when.year, when.month, when.day, when.hour, when.minute, when.second)

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: str | bytes, *args: Any, **kw: Any
    ) -> None:
        """Write an entry stamped with the fixed time."""
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        super().writestr(info, data)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kw: Any) -> None:
        """Add a file from disk (openpyxl stages each worksheet in one) with the fixed time."""
        with open(filename, "rb") as fh:
            self.writestr(str(arcname or filename), fh.read())
