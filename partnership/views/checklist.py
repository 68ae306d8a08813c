"""The checklist laid out: blocks for Markdown, HTML and rich; one sheet for .xlsx.

Overdue tasks come first, then the tasks week by week (owner, then activity). Each
activity says its date, time and place and how to reach its owner (``parties.*.contacts``).
Labels follow the agreement's language.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.console import RenderableType

from partnership import i18n
from partnership.audience import contacts_of, place
from partnership.checklist import ChecklistTask, owner_label
from partnership.i18n import month_day, time_range, weekday
from partnership.model import Agreement, Owner
from partnership.plan import Occurrence, Plan
from partnership.views import html as html_view
from partnership.views import markdown as md_view
from partnership.views import rich as rich_view
from partnership.views.document import Block, Heading, Paragraph, TaskItem, TaskList
from partnership.views.xlsx import Cell, Sheet


def label(key: str, language: str) -> str:
    """A checklist label in ``language``."""
    return i18n.text(f"checklist.{key}", language)


@dataclass(frozen=True)
class _Activity:
    occurrence: Occurrence | None
    owner: Owner
    tasks: tuple[ChecklistTask, ...]


def _grouped(tasks: Iterable[ChecklistTask], by_id: dict[str, Occurrence]) -> list[_Activity]:
    """Tasks by owner (school first), then by activity, in the order given; ``by_id``: the
    plan's occurrences by id (made once per checklist, not once per week)."""
    owners = ("school", "brigade")
    ordered = sorted(tasks, key=lambda t: (owners.index(t.owner), t.occurrence_date, t.occurrence))
    return [
        _Activity(by_id.get(occ), owner, tuple(group))
        for (owner, occ), group in itertools.groupby(ordered, key=lambda t: (t.owner, t.occurrence))
    ]


def _week_of(t: ChecklistTask) -> dt.date:
    return t.due - dt.timedelta(days=t.due.weekday())


def week_label(agreement: Agreement, monday: dt.date, language: str) -> str:
    """The week heading: term name, "第3周 09-16–09-22" in a term, year and dates outside."""
    sunday = monday + dt.timedelta(days=6)
    span = f"{month_day(monday)}–{month_day(sunday)}"
    for term in agreement.calendar.terms:
        if term.start <= sunday and monday <= term.end:
            return f"{term.name} {i18n.week(term.week_of(monday), language)} {span}"
    return f"{monday:%Y} {span}"


def activity_line(agreement: Agreement, o: Occurrence, language: str) -> str:
    """ "走进消防支队 · 2025-10-16 周四 14:00–16:30 · 永川区消防救援支队，…"."""
    mark = f" [{label('provisional', language)}]" if o.provisional else ""
    where = place(agreement, agreement.commitment(o.commitment).location)
    times = time_range(o.start, o.end, language)
    when = f"{o.date.isoformat()} {weekday(o.date, language)} {times}"
    return f"{o.title} · {when}{mark} · {where}"


def _contact_line(agreement: Agreement, owner: Owner, language: str) -> str:
    people = contacts_of(agreement, owner)
    if not people:
        return ""
    return f"{label('contact', language)}{label('colon', language)}{people}"


def _state(t: ChecklistTask, language: str) -> str:
    """What follows the task text: when it was ticked, or that it is overdue."""
    if t.done_on is not None:
        return f"{label('done_on', language)} {t.done_on:%Y-%m-%d}"
    return label("overdue", language) if t.overdue else ""


def _item(t: ChecklistTask, language: str) -> TaskItem:
    due = f"{month_day(t.due)} {weekday(t.due, language)}"
    return TaskItem(
        t.status == "done", t.id, f"{due} {t.task}", _state(t, language), overdue=t.overdue
    )


def _activities(
    activities: Iterable[_Activity], plan: Plan, language: str, lines: dict[str, str]
) -> list[Block]:
    """The blocks of each activity's tasks; ``lines`` keeps the activity and contact lines
    made so far (an activity has tasks in several weeks, an owner in every week)."""
    out: list[Block] = []
    owner = None
    for a in activities:
        if a.owner != owner:
            owner = a.owner
            out.append(Heading(3, owner_label(owner, language)))
            key = f"contact\n{owner}"
            if key not in lines:
                lines[key] = _contact_line(plan.agreement, owner, language)
            if lines[key]:
                out.append(Paragraph(lines[key], "note"))
        if a.occurrence is None:
            head = a.tasks[0].occurrence
        else:
            o = a.occurrence
            head = lines.get(o.id) or activity_line(plan.agreement, o, language)
            lines[o.id] = head
        out.append(Paragraph(head, "strong"))
        out.append(TaskList(tuple(_item(t, language) for t in a.tasks)))
    return out


def blocks(
    tasks: Sequence[ChecklistTask],
    plan: Plan,
    *,
    today: dt.date,
    language: str,
    scope: Sequence[str] = (),
) -> list[Block]:
    """The checklist: overdue first, then week by week; ``scope`` names the terms shown."""
    summary = label("summary", language).format(
        n=len(tasks),
        open=sum(t.status == "open" for t in tasks),
        overdue=sum(t.overdue for t in tasks),
    )
    out: list[Block] = [
        Heading(1, f"{label('title', language)} · {plan.agreement.agreement.title}"),
        Paragraph(f"{label('as_of', language)} {today:%Y-%m-%d} · {summary}"),
    ]
    if scope:
        sep = "、" if language != "en" else ", "
        out.append(Paragraph(label("scope", language).format(terms=sep.join(scope)), "note"))
    by_id = plan.by_id()
    lines: dict[str, str] = {}
    if any(by_id[t.occurrence].provisional for t in tasks if t.occurrence in by_id):
        out.append(Paragraph(label("provisional_note", language), "warning"))
    if not tasks:
        out.append(Paragraph(label("none", language)))
    overdue = [t for t in tasks if t.overdue]
    if overdue:
        out.append(Heading(2, label("overdue_heading", language).format(n=len(overdue))))
        out += _activities(_grouped(overdue, by_id), plan, language, lines)
    rest = sorted((t for t in tasks if not t.overdue), key=lambda t: (t.due, t.id))
    for monday, in_week in itertools.groupby(rest, key=_week_of):
        out.append(Heading(2, week_label(plan.agreement, monday, language)))
        out += _activities(_grouped(in_week, by_id), plan, language, lines)
    out.append(Paragraph(label("tick_hint", language), "note"))
    return out


def render_rich(
    tasks: Sequence[ChecklistTask],
    plan: Plan,
    *,
    today: dt.date,
    language: str,
    scope: Sequence[str] = (),
) -> RenderableType:
    """The checklist for the terminal."""
    return rich_view.render(blocks(tasks, plan, today=today, language=language, scope=scope))


def render_markdown(
    tasks: Sequence[ChecklistTask],
    plan: Plan,
    *,
    today: dt.date,
    language: str,
    scope: Sequence[str] = (),
) -> str:
    """The checklist as Markdown task lists (``- [ ]`` / ``- [x]``), grouped, ids shown."""
    return md_view.render(blocks(tasks, plan, today=today, language=language, scope=scope))


def render_html(
    tasks: Sequence[ChecklistTask],
    plan: Plan,
    *,
    today: dt.date,
    language: str,
    scope: Sequence[str] = (),
) -> str:
    """The checklist as a self-contained printable HTML page."""
    title = f"{label('title', language)} · {plan.agreement.agreement.title}"
    return html_view.page(
        title, language, blocks(tasks, plan, today=today, language=language, scope=scope)
    )


def sheets(tasks: Sequence[ChecklistTask], plan: Plan, *, language: str) -> list[Sheet]:
    """The checklist as one worksheet: a row per task with its activity, place and contact."""
    a = plan.agreement
    by_id = plan.by_id()
    terms = {t.id: t.name for t in a.calendar.terms}
    headers = tuple(
        label(k, language)
        for k in (
            "id", "due", "owner", "task", "status", "activity", "activity_date",
            "time", "place", "contact", "term",
        )
    )  # fmt: skip
    rows: list[tuple[Cell, ...]] = []
    for t in sorted(tasks, key=lambda t: (not t.overdue, t.due, t.id)):
        o = by_id.get(t.occurrence)
        status = "done_on" if t.status == "done" else "overdue" if t.overdue else "open"
        rows.append(
            (
                t.id,
                t.due,
                owner_label(t.owner, language),
                t.task,
                _state(t, language) if t.status == "done" else label(status, language),
                o.title if o else t.occurrence,
                t.occurrence_date,
                time_range(o.start, o.end, language) if o else "",
                place(a, a.commitment(t.commitment).location),
                contacts_of(a, t.owner),
                terms.get(t.term or "", ""),
            )
        )
    return [Sheet(label("sheet", language), headers, tuple(rows))]
