"""The plan as worksheets (.xlsx): every placed activity with its date, and what is unplaced."""

from __future__ import annotations

from partnership.audience import audience_of, place
from partnership.i18n import label, pick, time_range, weekday
from partnership.plan import Plan, sort_key
from partnership.views.xlsx import Cell, Sheet

_HEADERS: tuple[tuple[str, str], ...] = (
    ("日期", "Date"),
    ("星期", "Day"),
    ("时间", "Time"),
    ("活动", "Activity"),
    ("学期", "Term"),
    ("地点", "Place"),
    ("参加人员", "Audience"),
    ("状态", "Status"),
    ("暂定", "Provisional"),
    ("筹备于", "Prepares"),
    ("编号", "ID"),
    ("日期依据", "Why this date"),
)


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
        Sheet(pick(lang, "活动安排", "Plan"), tuple(pick(lang, *h) for h in _HEADERS), tuple(rows))
    ]
    if plan.unplaced:
        out.append(
            Sheet(
                pick(lang, "未能安排", "Unplaced"),
                (pick(lang, "编号", "ID"), pick(lang, "原因", "Reason")),
                tuple((u.id, u.reason) for u in plan.unplaced),
            )
        )
    return out
