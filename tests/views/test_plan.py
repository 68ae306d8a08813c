"""The plan as worksheets: one row per occurrence with its real date, and the unplaced."""

from __future__ import annotations

import datetime as dt

from factory import EXAMPLE

from partnership.loader import load_agreement
from partnership.placement import place
from partnership.plan import Unplaced
from partnership.views.plan import sheets


def test_every_occurrence_is_a_row_with_a_date_cell() -> None:
    a = load_agreement(EXAMPLE)
    plan = place(a)
    (sheet,) = sheets(plan)
    assert sheet.name == "活动安排" and sheet.headers[0] == "日期"
    assert len(sheet.rows) == len(plan.occurrences)
    assert all(isinstance(r[0], dt.date) for r in sheet.rows)
    assert [r[0] for r in sheet.rows] == sorted(r[0] for r in sheet.rows)
    ids = {r[10] for r in sheet.rows}
    assert ids == {o.id for o in plan.occurrences}
    lead = next(r for r in sheet.rows if r[9])
    assert lead[9] in ids


def test_the_unplaced_get_their_own_sheet() -> None:
    import dataclasses

    plan = place(load_agreement(EXAMPLE))
    plan = dataclasses.replace(plan, unplaced=(Unplaced("x/once", "x", None, "no day"),))
    assert [s.name for s in sheets(plan)] == ["活动安排", "未能安排"]
    assert sheets(plan)[1].rows == (("x/once", "no day"),)
