"""The plan's JSON (contract shape) and its rich table."""

from __future__ import annotations

import datetime as dt

from factory import EXAMPLE, OCCURRENCE_KEYS
from rich.console import Console

from partnership.loader import load_agreement
from partnership.placement import place
from partnership.plan import Notice, Plan, Unplaced
from partnership.views.plan_views import plan_json, render_plan


def _plan() -> Plan:
    return place(load_agreement(EXAMPLE))


def test_json_has_the_contract_keys_and_only_main_or_lead_up_fields() -> None:
    data = plan_json(_plan())
    assert list(data) == ["agreement", "provisional_years", "occurrences", "unplaced", "notices"]
    for o in data["occurrences"]:
        keys = set(o) - {"lead_up_of"}
        assert keys == OCCURRENCE_KEYS
        dt.date.fromisoformat(o["date"])
        assert (o["start"] is None) == o["all_day"]


def test_json_term_filter_keeps_that_terms_unplaced_only() -> None:
    p = _plan()
    extra = Plan(
        p.agreement,
        p.occurrences,
        unplaced=(Unplaced("x/2025-spring/1", "x", "2025-spring", "没有可用日"),),
        notices=(Notice("x/2025-spring/1", "…"),),
    )
    assert plan_json(extra, "2024-autumn")["unplaced"] == []
    assert plan_json(extra, "2025-spring")["unplaced"] == [
        {"id": "x/2025-spring/1", "reason": "没有可用日"}
    ]


def test_table_warns_about_provisional_years_and_lists_unplaced() -> None:
    p = _plan()
    broken = Plan(
        p.agreement,
        p.occurrences,
        unplaced=(Unplaced("x/2024-autumn/1", "x", "2024-autumn", "窗口内没有可用日"),),
        provisional_years=p.provisional_years,
    )
    console = Console(record=True, width=240, color_system=None)
    console.print(render_plan(broken))
    text = console.export_text()
    assert "2027年的放假安排尚未公布" in text
    assert "无法安排" in text and "x/2024-autumn/1" in text and "窗口内没有可用日" in text
    assert "第8周" in text and "走进消防支队" in text


def _rendered(width: int | None, term: str | None = None) -> str:
    import io

    out = io.StringIO()
    # width None: a pipe, where rich uses its default of 80 columns (or COLUMNS)
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    console.print(render_plan(_plan(), term))
    return out.getvalue()


def test_the_table_fits_80_and_100_columns_and_a_pipe_with_whole_ids_and_reasons() -> None:
    import re

    from rich.cells import cell_len

    p = _plan()
    for width in (80, 100, None):
        text = _rendered(width)
        lines = text.splitlines()
        assert max(cell_len(line) for line in lines) <= (width or 80)
        flat = re.sub(r"\s*│\s*", "", text)
        for o in p.occurrences:
            assert f"编号：{o.id}" in text, (width, o.id)  # on one line, never split
            assert o.why.replace(" ", "") in flat.replace(" ", ""), (width, o.id)
            assert o.title[:8] in flat
        assert "…" not in text
