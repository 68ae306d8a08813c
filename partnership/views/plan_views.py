"""Views of a plan: the JSON of the contract and the rich table per term."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from partnership.audience import audience_of
from partnership.i18n import clock, label, time_range, week, weekday
from partnership.i18n import pick as _t
from partnership.identity import uid
from partnership.plan import Occurrence, Plan

_STATUS_STYLE = {"planned": "", "done": "green", "moved": "yellow", "cancelled": "strike dim"}


def occurrence_json(o: Occurrence, agreement_id: str) -> dict[str, Any]:
    """One occurrence as the contract's JSON object."""
    out: dict[str, Any] = {
        "id": o.id,
        "commitment": o.commitment,
        "term": o.term,
        "title": o.title,
        "date": o.date.isoformat(),
        "start": clock(o.start) if o.start else None,
        "end": clock(o.end) if o.end else None,
        "all_day": o.all_day,
        "status": o.status,
        "provisional": o.provisional,
        "uid": uid(o.id, agreement_id),
        "why": o.why,
    }
    if o.lead_up_of is not None:
        out["lead_up_of"] = o.lead_up_of
    return out


def plan_json(plan: Plan, term: str | None = None) -> dict[str, Any]:
    """``plan --json``: agreement id, provisional years, occurrences, unplaced (and notices)."""
    aid = plan.agreement.agreement.id
    return {
        "agreement": aid,
        "provisional_years": list(plan.provisional_years),
        "occurrences": [occurrence_json(o, aid) for o in plan.for_term(term)],
        "unplaced": [
            {"id": u.id, "reason": u.reason}
            for u in plan.unplaced
            if term is None or u.term == term
        ],
        "notices": [{"occurrence": n.occurrence, "message": n.message} for n in plan.notices],
    }


def _place(o: Occurrence, plan: Plan) -> str:
    c = plan.agreement.commitment(o.commitment)
    parties = plan.agreement.parties
    if c.location == "school":
        return parties.school.name
    if c.location == "brigade":
        return parties.brigade.name
    return c.location


def _when(o: Occurrence, week_number: int | None, lang: str) -> Text:
    """The date cell: the date; the weekday and the term week; the time."""
    second = weekday(o.date, lang) + (f" {week(week_number, lang)}" if week_number else "")
    return Text(f"{o.date:%Y-%m-%d}\n{second}\n{time_range(o.start, o.end, lang)}")


def _activity(o: Occurrence, plan: Plan, lang: str) -> Text:
    """The activity cell: title and status; place and audience; its id; why this date."""
    a = plan.agreement
    status = label(o.status, lang)
    if o.provisional:
        status += "·" + label("provisional", lang)
    cell = Text(o.title, style="dim" if o.lead_up_of else "bold")
    cell.append(f"  [{status}]", style=_STATUS_STYLE[o.status] or "")
    who = _t(lang, "、", ", ").join(label(x, lang) for x in audience_of(a, o))
    cell.append(f"\n{_place(o, plan)} · {who}", style="")
    cell.append(f"\n{_t(lang, '编号：', 'id: ')}{o.id}", style="cyan")
    cell.append(f"\n{_t(lang, '为什么：', 'why: ')}{o.why}", style="dim")
    return cell


def render_plan(plan: Plan, term: str | None = None) -> RenderableType:
    """The plan as rich tables, one per term (plus one for activities outside every term)."""
    a = plan.agreement
    lang = a.agreement.language
    parts: list[RenderableType] = []
    if plan.provisional_years:
        years = "、".join(str(y) for y in plan.provisional_years)
        parts.append(
            Panel(
                _t(
                    lang,
                    f"⚠ {years}年的放假安排尚未公布：这些年份的活动日期为暂定，"
                    "通知发布后请在 calendar.notices 中补充并重新生成。",
                    f"⚠ The official holidays for {years} are not published yet: activities in "
                    "those years are provisional; add the notice under calendar.notices and "
                    "build again.",
                ),
                style="bold yellow",
            )
        )
    groups: list[tuple[str | None, str]] = [(t.id, t.name) for t in a.calendar.terms]
    groups.append((None, _t(lang, "学期外", "Outside terms")))
    for term_id, name in groups:
        if term is not None and term_id != term:
            continue
        rows = [o for o in plan.occurrences if o.term == term_id]
        if not rows:
            continue
        table = Table(
            title=f"{name}" + (f"（{term_id}）" if term_id else ""),
            show_lines=True,
            expand=True,
        )
        table.add_column(_t(lang, "日期", "Date"), no_wrap=True)
        table.add_column(
            _t(lang, "活动 · 编号 · 为什么是这天", "Activity · id · why this date"),
            ratio=1,
            overflow="fold",
        )
        term_obj = a.term(term_id) if term_id else None
        for o in rows:
            table.add_row(
                _when(o, term_obj.week_of(o.date) if term_obj else None, lang),
                _activity(o, plan, lang),
            )
        parts.append(table)
    unplaced = [u for u in plan.unplaced if term is None or u.term == term]
    if unplaced:
        t = Table(title=_t(lang, "无法安排", "Could not be placed"), style="red")
        t.add_column(_t(lang, "活动", "Occurrence"), no_wrap=True)
        t.add_column(_t(lang, "原因", "Reason"), overflow="fold")
        for u in unplaced:
            t.add_row(u.id, u.reason)
        parts.append(t)
    for n in plan.notices:
        parts.append(Text(f"⚠ {n.occurrence}: {n.message}", style="yellow"))
    return Group(*parts)
