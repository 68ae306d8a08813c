"""Who an occurrence concerns, and lead-up sessions recorded on their own."""

from __future__ import annotations

import datetime as dt

import pytest
from factory import EXAMPLE

from partnership.audience import audience_of
from partnership.loader import load_agreement, parse_agreement
from partnership.placement import place
from partnership.records import Records, record_cancel, record_move

SHOW = "festival-performance/national-day-2024"


def test_main_occurrences_concern_the_commitments_audience() -> None:
    a = load_agreement(EXAMPLE)
    plan = place(a)
    show = plan.by_id()[SHOW]
    assert audience_of(a, show) == ("teachers", "students", "parents", "brigade")


def test_lead_ups_leave_parents_out_unless_they_are_named() -> None:
    a = load_agreement(EXAMPLE)
    rehearsal = place(a).by_id()[f"{SHOW}/lead-up-2"]
    assert audience_of(a, rehearsal) == ("teachers", "students", "brigade")
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "- {title: 联合彩排, days_before: 3,",
        "- {title: 联合彩排, days_before: 3, audience: [parents, students],",
    )
    b = parse_agreement(text.encode("utf-8"), "b.yaml")
    assert audience_of(b, place(b).by_id()[f"{SHOW}/lead-up-2"]) == ("parents", "students")


@pytest.mark.parametrize("k", [1, 2])
def test_a_lead_up_can_be_moved_or_cancelled_on_its_own(k: int) -> None:
    a = load_agreement(EXAMPLE)
    lead = f"{SHOW}/lead-up-{k}"
    other = f"{SHOW}/lead-up-{3 - k}"
    before = place(a).by_id()
    moved = place(a, records=record_move(Records(), lead, dt.date(2024, 9, 25))).by_id()
    assert (moved[lead].date, moved[lead].status, moved[lead].sequence) == (
        dt.date(2024, 9, 25),
        "moved",
        1,
    )
    assert moved[other] == before[other] and moved[SHOW] == before[SHOW]
    cancelled = place(a, records=record_cancel(Records(), lead, "场地维修")).by_id()
    assert cancelled[lead].status == "cancelled" and cancelled[lead].note == "场地维修"
    assert cancelled[SHOW].status == "planned"


def test_cancelling_the_activity_cancels_its_lead_ups_with_the_reason() -> None:
    a = load_agreement(EXAMPLE)
    plan = place(a, records=record_cancel(Records(), SHOW, "台风停课")).by_id()
    for k in (1, 2):
        lead = plan[f"{SHOW}/lead-up-{k}"]
        assert (lead.status, lead.note) == ("cancelled", "台风停课")


def test_the_plan_table_shows_a_rehearsals_own_audience() -> None:
    from rich.console import Console

    from partnership.views.plan_views import render_plan

    console = Console(record=True, width=400, color_system=None)
    console.print(render_plan(place(load_agreement(EXAMPLE)), "2024-autumn"))
    rows = console.export_text().splitlines()
    # each activity's cell: its title, then the line with place and audience
    rehearsal = next(rows[i + 1] for i, r in enumerate(rows) if "联合彩排" in r)
    show = next(
        rows[i + 1]
        for i, r in enumerate(rows)
        if "消防主题文艺汇演（国庆节）" in r and "联合彩排" not in r and "节目共创" not in r
    )
    assert "教师" in rehearsal and "家长" not in rehearsal and "家长" in show
