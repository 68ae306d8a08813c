"""Preparation and follow-up tasks of every activity: templates per kind, due dates, selection.

Pure: built from a plan, the school calendar, the templates (:mod:`.checklist_templates`)
and the records; the views are in :mod:`partnership.views.checklist`. A task falls due on
a working day of its owner: the school's never on a day off, the brigade's never on a day
off nor inside ``brigade_unavailable``. Task ids are short hashes that stay the same from
run to run, so a tick in the records file keeps pointing at its task.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from partnership.checklist_templates import TaskKind, Templates, builtin
from partnership.i18n import text
from partnership.model import Agreement, Owner, Task, Term
from partnership.plan import Occurrence, Plan
from partnership.records import Records
from partnership.schoolcalendar import SchoolCalendar


def owner_label(owner: Owner, language: str) -> str:
    """学校 / 支队 (School / Brigade)."""
    return text(f"owner.{owner}", language)


TaskStatus = Literal["open", "done"]
ID_LENGTH = 6
"""Characters of a task id; longer only when two tasks of one agreement would share an id."""


@dataclass(frozen=True)
class ChecklistTask:
    """One task of one occurrence, with its due date and whether it is ticked or overdue."""

    id: str
    occurrence: str
    commitment: str
    term: str | None
    occurrence_date: dt.date
    task: str
    owner: Owner
    due: dt.date
    kind: TaskKind
    status: TaskStatus
    done_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class _Spec:
    key: str
    text: str
    owner: Owner
    when: TaskKind
    days: int


def build_checklist(
    plan: Plan,
    calendar: SchoolCalendar,
    records: Records | None,
    today: dt.date,
    templates: Templates | None = None,
) -> tuple[ChecklistTask, ...]:
    """Every task of every main, not cancelled occurrence, sorted by (due, occurrence date, id).

    A commitment's own ``checklist`` replaces the kind's template (``templates``, default the
    built-in ones); its ``follow_up`` tasks come after. Ticks come from ``records``; ``today``
    decides which open tasks are overdue.
    """
    agreement = plan.agreement
    language = agreement.agreement.language
    chosen = builtin() if templates is None else templates
    specs = {c.id: _specs(agreement, c.id, language, chosen) for c in agreement.commitments}
    rows: list[tuple[Occurrence, _Spec]] = []
    for o in plan.occurrences:
        if not o.is_main or o.status == "cancelled":
            continue
        for spec in specs[o.commitment]:
            rows.append((o, spec))
    ids = task_ids([(o.id, spec.key) for o, spec in rows])
    ticks = records.tasks if records is not None else {}
    tasks = []
    for (o, spec), task_id in zip(rows, ids, strict=True):
        tick = ticks.get(task_id)
        due = due_date(o.date, spec.when, spec.days, spec.owner, calendar)
        tasks.append(
            ChecklistTask(
                id=task_id,
                occurrence=o.id,
                commitment=o.commitment,
                term=o.term,
                occurrence_date=o.date,
                task=spec.text,
                owner=spec.owner,
                due=due,
                kind=spec.when,
                status="done" if tick else "open",
                done_on=tick.done if tick else None,
                overdue=tick is None and due < today,
            )
        )
    return tuple(sorted(tasks, key=lambda t: (t.due, t.occurrence_date, t.id)))


def _specs(
    agreement: Agreement, commitment_id: str, language: str, templates: Templates
) -> list[_Spec]:
    """The tasks every occurrence of one commitment gets, each with a stable key."""
    c = agreement.commitment(commitment_id)
    if c.checklist is None:
        base = [
            _Spec(i.key, i.text(language), i.owner, i.when, i.days) for i in templates.tasks(c.kind)
        ]
    else:
        base = _custom("checklist", c.checklist)
    return base + _custom("follow-up", c.follow_up)


def _custom(source: str, tasks: Sequence[Task]) -> list[_Spec]:
    """Tasks written in the agreement, keyed by their text (the same text twice: ``#2``)."""
    out: list[_Spec] = []
    seen: Counter[str] = Counter()
    for t in tasks:
        key = f"{source}:{t.task}"
        seen[key] += 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        if t.days_before is not None:
            out.append(_Spec(key, t.task, t.owner, "before", t.days_before))
        elif t.days_after is not None:
            out.append(_Spec(key, t.task, t.owner, "after", t.days_after))
    return out


def due_date(
    day: dt.date, when: TaskKind, days: int, owner: Owner, calendar: SchoolCalendar
) -> dt.date:
    """``day`` − days (before) or + days (after), moved to a working day of ``owner``.

    Before-tasks move earlier and after-tasks later, to the nearest working day (a 调休
    make-up workday counts); for the brigade also outside ``brigade_unavailable``. A task
    due on the activity's own day (0 days) stays on it.
    """
    step = -1 if when == "before" else 1
    due = day + dt.timedelta(days=step * days)
    if days > 0:
        while not working_day(due, owner, calendar):
            due += dt.timedelta(days=step)
    return due


def working_day(day: dt.date, owner: Owner, calendar: SchoolCalendar) -> bool:
    """A day ``owner`` works on: an official working day; the brigade's not one it is away."""
    if not calendar.is_workday(day):
        return False
    return owner == "school" or not calendar.day(day).brigade_busy


_SHORT_BYTES = 10
"""Digest bytes tried first: 16 base32 characters, far more than an id needs."""


def task_ids(keys: Sequence[tuple[str, str]]) -> list[str]:
    """The id of each (occurrence id, task key): the shortest unique prefix of its digest.

    The digests are made from their first :data:`_SHORT_BYTES` bytes first (base32 of a
    whole SHA-256 costs four times more) and in full only when that prefix would not tell
    two of them apart, so the ids are those of the whole digests.
    """
    short = [_digest(o, k, _SHORT_BYTES) for o, k in keys]
    ids = short_ids(short)
    if len(ids) == len(set(keys)) and all(len(i) < len(d) for d, i in ids.items()):
        return [ids[d] for d in short]
    full = [_digest(o, k) for o, k in keys]
    ids = short_ids(full)
    return [ids[d] for d in full]


def _digest(occurrence_id: str, key: str, size: int | None = None) -> str:
    """Base32 of the SHA-256 of an occurrence id and task key (of its first ``size`` bytes)."""
    raw = hashlib.sha256(f"{occurrence_id}\n{key}".encode()).digest()[:size]
    return base64.b32encode(raw).decode("ascii").lower().rstrip("=")


def short_ids(digests: Sequence[str]) -> dict[str, str]:
    """Shortest unique prefix (at least ID_LENGTH) of each digest; a clash lengthens only those."""
    unique = sorted(set(digests))
    length = dict.fromkeys(unique, ID_LENGTH)
    while True:
        count = Counter(d[: length[d]] for d in unique)
        clash = [d for d in unique if count[d[: length[d]]] > 1]
        if not clash:
            return {d: d[: length[d]] for d in unique}
        for d in clash:
            length[d] += 1


def select(
    tasks: Iterable[ChecklistTask],
    *,
    today: dt.date,
    term: str | None = None,
    owner: Owner | None = None,
    weeks: int | None = None,
    terms: Sequence[Term] | None = None,
) -> tuple[ChecklistTask, ...]:
    """Tasks of one term and/or owner; ``weeks``: due in the coming N weeks, plus overdue.

    With ``weeks``, overdue tasks are those still worth doing: of an activity not yet
    past, or of one in the last N weeks (a missed news report), not every task of
    last year that nobody ticked. ``terms`` keeps the tasks of those terms' activities
    (and of activities outside every term that fall between their starts and ends).
    """
    if weeks is None:
        horizon = recent = None
    else:
        horizon = today + dt.timedelta(weeks=weeks)
        recent = today - dt.timedelta(weeks=weeks)
    kept = None if terms is None else {t.id for t in terms}
    span = None if not terms else (min(t.start for t in terms), max(t.end for t in terms))
    return tuple(
        t
        for t in tasks
        if (term is None or t.term == term)
        and (owner is None or t.owner == owner)
        and (
            kept is None
            or t.term in kept
            or (t.term is None and span is not None and span[0] <= t.occurrence_date <= span[1])
        )
        and (
            horizon is None
            or today <= t.due <= horizon
            or (t.overdue and recent is not None and t.occurrence_date >= recent)
        )
    )


def current_terms(terms: Sequence[Term], today: dt.date) -> tuple[Term, ...]:
    """The checklist's default: the term of ``today`` (or the next one) and the one after.

    After the last term: the last term, whose follow-ups may still be open.
    """
    ordered = sorted(terms, key=lambda t: t.start)
    first = next((i for i, t in enumerate(ordered) if today <= t.end), len(ordered) - 1)
    return tuple(ordered[max(first, 0) : first + 2])


def prep_lines(tasks: Iterable[ChecklistTask], occurrence_id: str, language: str) -> list[str]:
    """Lines "MM-DD 学校：发放家长告知书" of an occurrence's before-tasks (.ics DESCRIPTION)."""
    return prep_by_occurrence(tasks, [occurrence_id], language)[occurrence_id]


def prep_by_occurrence(
    tasks: Iterable[ChecklistTask], occurrence_ids: Iterable[str], language: str
) -> dict[str, list[str]]:
    """:func:`prep_lines` of each of ``occurrence_ids``, in one pass over the tasks."""
    colon = ": " if language == "en" else "："
    owners = {owner: owner_label(owner, language) for owner in ("school", "brigade")}
    lines: dict[str, list[str]] = {oid: [] for oid in occurrence_ids}
    for t in tasks:
        if t.kind == "before" and t.occurrence in lines:
            due = t.due
            lines[t.occurrence].append(
                f"{due.month:02d}-{due.day:02d} {owners[t.owner]}{colon}{t.task}"
            )
    return lines


def to_json(tasks: Iterable[ChecklistTask]) -> dict[str, Any]:
    """The ``checklist --json`` object: ``{"tasks": [{id, occurrence, task, owner, due, ...}]}``."""
    return {
        "tasks": [
            {
                "id": t.id,
                "occurrence": t.occurrence,
                "task": t.task,
                "owner": t.owner,
                "due": t.due.isoformat(),
                "status": t.status,
                "overdue": t.overdue,
            }
            for t in tasks
        ]
    }
