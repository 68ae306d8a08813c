"""The plan as worksheets (.xlsx): every placed activity with its date, and what is unplaced."""

from __future__ import annotations

from partnership.audience import audience_of, place
from partnership.i18n import label, text, time_range, weekday
from partnership.plan import Plan, sort_key
from partnership.views.xlsx import Cell, Sheet

# the columns of the plan sheet: labels.plan.<key> in locale/labels.toml
_COLUMNS = (
    "date", "day", "time", "activity", "term", "place", "audience", "status", "provisional",
    "prepares", "id", "why",
)  # fmt: skip


def sheets(plan: Plan) -> list[Sheet]:
    """The plan sheet (one row per occurrence, lead-up sessions too) and the unplaced ones."""
    a = plan.agreement
    lang = a.agreement.language
    names = {t.id: t.name for t in a.calendar.terms}
    sep = ", " if lang == "en" else "、"
    rows: list[tuple[Cell, ...]] = []
    for o in sorted(plan.occurrences, key=sort_key):
        rows.append(
            (
                o.date,
                weekday(o.date, lang),
                time_range(o.start, o.end, lang),
                o.title,
                names.get(o.term or "", ""),
                place(a, a.commitment(o.commitment).location),
                sep.join(label(x, lang) for x in audience_of(a, o)),
                label(o.status, lang),
                label("provisional", lang) if o.provisional else "",
                o.lead_up_of or "",
                o.id,
                o.why,
            )
        )
    out = [
        Sheet(
            text("plan.sheet", lang), tuple(text(f"plan.{c}", lang) for c in _COLUMNS), tuple(rows)
        )
    ]
    if plan.unplaced:
        out.append(
            Sheet(
                text("plan.unplaced_sheet", lang),
                (text("plan.id", lang), text("plan.reason", lang)),
                tuple((u.id, u.reason) for u in plan.unplaced),
            )
        )
    return out
