"""The plan's own helpers: order, terms, ids, completeness."""

from __future__ import annotations

import datetime as dt

from factory import agreement, autumn_2024, per_term

from partnership.plan import Occurrence, Plan, Unplaced, sort_key


def occ(
    oid: str, day: str, start: dt.time | None = None, term: str | None = "2024-autumn"
) -> Occurrence:
    return Occurrence(
        id=oid,
        commitment="v",
        term=term,
        title="走进消防支队",
        date=dt.date.fromisoformat(day),
        start=start,
        end=None if start is None else dt.time(start.hour + 1),
        why="",
    )


def test_order_is_date_then_all_day_first_then_time_then_id() -> None:
    items = [
        occ("b", "2024-10-16", dt.time(14)),
        occ("a", "2024-10-16", dt.time(14)),
        occ("c", "2024-10-16"),
        occ("d", "2024-10-15", dt.time(9)),
    ]
    assert [o.id for o in sorted(items, key=sort_key)] == ["d", "c", "a", "b"]


def test_terms_ids_main_and_completeness() -> None:
    a = agreement(terms=[autumn_2024()], commitments=[per_term("v", "走进消防支队")])
    inside, outside = (
        occ("v/2024-autumn/1", "2024-10-16", dt.time(14)),
        occ("v/once", "2024-06-08", term=None),
    )
    lead = Occurrence(
        **{**inside.__dict__, "id": "v/2024-autumn/1/lead-up-1", "lead_up_of": inside.id}
    )
    plan = Plan(a, (outside, lead, inside))
    assert plan.for_term("2024-autumn") == (lead, inside)
    assert plan.for_term(None) == (outside, lead, inside)
    assert set(plan.by_id()) == {"v/once", "v/2024-autumn/1", "v/2024-autumn/1/lead-up-1"}
    assert inside.is_main and not lead.is_main and outside.all_day and not inside.all_day
    assert plan.complete
    assert not Plan(
        a, (), unplaced=(Unplaced("v/2024-autumn/1", "v", "2024-autumn", "…"),)
    ).complete
