"""Workbooks: read back with openpyxl, opened by a real office suite (LibreOffice headless)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from partnership.views.xlsx import Sheet, width, workbook

STAMP = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
SHEETS = [
    Sheet(
        "活动安排: 2025/26 [全部]",
        ("日期", "活动", "次数", "备注"),
        (
            (dt.date(2025, 10, 16), "走进消防支队", 3, "第一行\r\n第二行"),
            (dt.date(2025, 11, 9), "全国消防日宣传活动：消防安全进校园", 1, None),
        ),
    ),
    Sheet("活动安排: 2025/26 [全部]", ("x",), (("y",),)),
]


def _read(data: bytes) -> object:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_cells_keep_their_types_and_text() -> None:
    wb = _read(workbook(SHEETS, STAMP))
    names = wb.sheetnames  # type: ignore[attr-defined]
    assert names[0] == "活动安排  2025 26  全部" and names[1] != names[0]
    ws = wb[names[0]]  # type: ignore[index]
    assert [c.value for c in ws[1]] == ["日期", "活动", "次数", "备注"]
    first = ws[2]
    assert first[0].value == dt.datetime(2025, 10, 16) and first[0].is_date
    assert first[0].number_format == "yyyy-mm-dd"
    assert first[2].value == 3 and first[3].value == "第一行\n第二行"
    assert ws.freeze_panes == "A2"
    # readable widths: the CJK title fits, counted two columns a character
    assert ws.column_dimensions["B"].width >= width("全国消防日宣传活动：消防安全进校园")
    assert ws.column_dimensions["A"].width >= 10


def test_the_same_sheets_and_stamp_give_the_same_bytes() -> None:
    first = workbook(SHEETS, STAMP)
    assert first == workbook(SHEETS, STAMP)
    later = workbook(SHEETS, STAMP + dt.timedelta(days=1))
    assert later != first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2025-01-01T00:00:00Z") == 2  # created and modified


@pytest.fixture
def soffice() -> str:
    """LibreOffice's soffice; missing is a skip, except under CI where it fails."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("no soffice found; CI must install libreoffice-calc-nogui")
    pytest.skip("no soffice found (libreoffice-calc-nogui)")


@pytest.mark.office
def test_libreoffice_opens_every_built_workbook(soffice: str, tmp_path: Path) -> None:
    from factory import EXAMPLE

    from partnership.build import build_outputs
    from partnership.loader import load_agreement
    from partnership.placement import place
    from partnership.records import Records
    from partnership.schoolcalendar import SchoolCalendar

    a = load_agreement(EXAMPLE)
    cal = SchoolCalendar(a)
    files = build_outputs(place(a, cal), cal, Records(), {"SOURCE_DATE_EPOCH": "1796083200"})
    books = sorted(name for name in files if name.endswith(".xlsx"))
    assert books == ["checklist.xlsx", "plan.xlsx", "report.xlsx"]
    for name in books:
        (tmp_path / name).write_bytes(files[name])
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *(str(tmp_path / n) for n in books),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for name in books:
        pdf = tmp_path / "pdf" / name.replace(".xlsx", ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), (name, done.stdout)
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert "走进消防支队" in text, name


def test_wide_rows_empty_text_and_datetimes_read_back() -> None:
    headers = tuple(f"h{n}" for n in range(28))
    row: tuple[object, ...] = (dt.datetime(2025, 3, 1, 12, 0), "", 2.5, *range(25))
    wb = _read(workbook([Sheet("s", headers, (row,))], STAMP))  # type: ignore[arg-type]
    ws = wb["s"]  # type: ignore[index]
    assert ws["AB1"].value == "h27" and ws["AB1"].font.b
    assert ws["A2"].value == dt.datetime(2025, 3, 1, 12, 0) and ws["A2"].is_date
    assert ws["B2"].value is None and ws["C2"].value == 2.5 and ws["AB2"].value == 24
