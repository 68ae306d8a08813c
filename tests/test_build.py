"""What `build` makes for one agreement, in memory: the file set, and bytes that repeat."""

from __future__ import annotations

from factory import EXAMPLE

from partnership.build import build_outputs, summary
from partnership.loader import load_agreement
from partnership.placement import place
from partnership.records import Records
from partnership.schoolcalendar import SchoolCalendar

EPOCH = {"SOURCE_DATE_EPOCH": "1735689600"}


def _outputs(environ: dict[str, str]) -> dict[str, bytes]:
    a = load_agreement(EXAMPLE)
    cal = SchoolCalendar(a)
    return build_outputs(place(a, cal), cal, Records(), environ)


def test_every_term_gets_its_ics_calendar_and_checklist() -> None:
    files = _outputs(EPOCH)
    terms = [t.id for t in load_agreement(EXAMPLE).calendar.terms]
    for t in terms:
        for name in (f"damo-fire-2024-{t}.ics", f"calendar-{t}.html", f"checklist-{t}.md"):
            assert name in files
    for name in (
        "damo-fire-2024.ics",
        "damo-fire-2024-parents.ics",
        "damo-fire-2024-teachers.ics",
        "damo-fire-2024-students.ics",
        "damo-fire-2024-brigade.ics",
        "calendar.html",
        "report.md",
        "report.html",
        "plan.json",
        *(f"report-{y}.md" for y in range(2024, 2028)),
    ):
        assert name in files
    assert len(files) == 3 * len(terms) + 16


def test_source_date_epoch_makes_the_bytes_repeat() -> None:
    assert _outputs(EPOCH) == _outputs(EPOCH)


def test_the_stamp_only_changes_stamps() -> None:
    first, later = _outputs(EPOCH), _outputs({"SOURCE_DATE_EPOCH": "1735776000"})
    assert first["plan.json"] == later["plan.json"]
    assert first["calendar.html"] == later["calendar.html"]
    changed = [
        (x, y)
        for x, y in zip(
            first["damo-fire-2024.ics"].split(b"\r\n"),
            later["damo-fire-2024.ics"].split(b"\r\n"),
            strict=True,
        )
        if x != y
    ]
    assert changed and all(x.startswith(b"DTSTAMP:") for x, _ in changed)


def test_summary_names_the_provisional_year() -> None:
    from pathlib import Path

    from rich.console import Console

    a = load_agreement(EXAMPLE)
    console = Console(record=True, width=200, color_system=None)
    console.print(summary([(a, place(a), [Path("out/damo-fire-2024/plan.json")])]))
    text = console.export_text()
    assert "damo-fire-2024" in text and "2027" in text and "58 + 18 lead-up" in text
