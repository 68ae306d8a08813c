"""Preparation and follow-up tasks of every activity: built-in templates per kind, due dates, views.

Pure: built from a plan, the school calendar and the records; the renderers only lay it out.
A school-owned task never falls due on a day off; task ids are short hashes that stay the
same from run to run, so a tick in the records file keeps pointing at its task.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from partnership import i18n
from partnership.i18n import pick, weekday
from partnership.model import Agreement, Owner, Task
from partnership.plan import Occurrence, Plan
from partnership.records import Records
from partnership.schoolcalendar import SchoolCalendar

TaskKind = Literal["before", "after"]
TaskStatus = Literal["open", "done"]
ID_LENGTH = 6
"""Characters of a task id; longer only when two tasks of one agreement would share an id."""


@dataclass(frozen=True)
class TemplateItem:
    """One built-in checklist task: a stable key (part of the task id), owner, timing, texts."""

    key: str
    owner: Owner
    when: TaskKind
    days: int
    zh: str
    en: str

    def text(self, language: str) -> str:
        """The task text in ``language``."""
        return self.en if language == "en" else self.zh


def _before(key: str, owner: Owner, days: int, zh: str, en: str) -> TemplateItem:
    return TemplateItem(key, owner, "before", days, zh, en)


def _after(key: str, owner: Owner, days: int, zh: str, en: str) -> TemplateItem:
    return TemplateItem(key, owner, "after", days, zh, en)


# Drawn from the rules in domain-facts.md: off-campus visits (研学旅行 rules), visitors
# coming into school (备案审核), the evacuation-drill guide, and the district's publicity duty.
TEMPLATES: dict[str, tuple[TemplateItem, ...]] = {
    "visit": (
        _before(
            "plan",
            "school",
            21,
            "制定活动方案和安全应急预案，报教育局备案",
            "Write the activity plan and emergency plan (预案); file them with the education "
            "bureau",
        ),
        _before(
            "programme",
            "brigade",
            14,
            "按年级确认接待方案（讲解内容、参观路线）",
            "Confirm the reception programme for each grade (talks, route through the station)",
        ),
        _before(
            "staffing",
            "school",
            14,
            "确定带队教师和安全员配比及分工",
            "Set the ratios and duties of leading teachers and safety officers (安全员)",
        ),
        _before(
            "insurance",
            "school",
            10,
            "核实校方责任险和学生意外伤害险",
            "Check school liability and student accident insurance",
        ),
        _before(
            "parent-notice",
            "school",
            10,
            "发放家长告知书（时间、路线、费用、注意事项）",
            "Send parents the notice: time, route, cost and precautions",
        ),
        _before(
            "vehicles",
            "school",
            7,
            "预订有资质的客运车辆，核验车辆和驾驶员证照",
            "Book licensed vehicles; check vehicle and driver papers",
        ),
        _before(
            "consent",
            "school",
            3,
            "回收家长签字回执，确定参加名单",
            "Collect the signed parental consent forms; fix the list of participants",
        ),
        _before(
            "site",
            "brigade",
            1,
            "检查参观区域安全，安排讲解员",
            "Make the visiting area safe and assign guides",
        ),
        _before(
            "briefing",
            "school",
            1,
            "行前安全教育（纪律、路线、集合点）",
            "Safety briefing before the trip: rules, route, meeting point",
        ),
        _before(
            "headcount",
            "school",
            0,
            "出发、到达、返校时清点人数",
            "Head counts at departure, on arrival and on return",
        ),
    ),
    "sports": (
        _before(
            "plan",
            "school",
            21,
            "制定运动会方案和安全预案",
            "Write the sports-meet plan and its safety plan",
        ),
        _before(
            "events",
            "brigade",
            14,
            "设计消防趣味比赛项目和规则",
            "Design the fire-themed fun events and their rules",
        ),
        _before(
            "entries",
            "school",
            7,
            "组织班级报名，编排赛程",
            "Collect class entries and draw up the running order",
        ),
        _before(
            "equipment",
            "brigade",
            3,
            "准备比赛用消防器材（水带、灭火器、头盔等）",
            "Prepare the fire equipment for the events (hoses, extinguishers, helmets)",
        ),
        _before(
            "venue",
            "school",
            2,
            "检查场地和器材安全",
            "Check the ground and the equipment for safety",
        ),
        _before(
            "first-aid",
            "school",
            2,
            "安排校医、急救箱和医疗点",
            "Arrange the school doctor, first-aid kits and a first-aid point",
        ),
        _before(
            "briefing",
            "school",
            1,
            "赛前安全提示（热身、着装、规则）",
            "Safety talk before the meet: warming up, clothing, rules",
        ),
        _after(
            "results",
            "school",
            1,
            "公布成绩，颁发奖状",
            "Publish the results and hand out certificates",
        ),
    ),
    "performance": (
        _before(
            "theme",
            "school",
            35,
            "商定汇演主题和节目单",
            "Agree on the theme and the list of acts",
        ),
        _before(
            "co-create",
            "brigade",
            28,
            "确定支队参演人员，共同创作编排节目",
            "Name the brigade's performers and co-create the acts with the school",
        ),
        _before(
            "venue",
            "school",
            10,
            "落实场地、舞台和音响设备",
            "Book the venue, stage and sound system",
        ),
        _before(
            "invitations",
            "school",
            7,
            "发出邀请（支队、家长、上级部门）",
            "Send the invitations (brigade, parents, education bureau)",
        ),
        _before(
            "rehearsal",
            "school",
            3,
            "组织联合彩排",
            "Hold the joint dress rehearsal",
        ),
        _before(
            "safety",
            "school",
            1,
            "检查会场安全和疏散通道",
            "Check the venue's safety and its exits",
        ),
    ),
    "drill": (
        _before(
            "plan",
            "school",
            14,
            "制定演练方案（疏散路线、集合点、人员分工）",
            "Write the drill plan: escape routes, assembly points, duties",
        ),
        _before(
            "guidance",
            "brigade",
            7,
            "确认指导人员和演练器材",
            "Confirm the brigade's instructors and the drill equipment",
        ),
        _before(
            "notice",
            "school",
            3,
            "通知教职工演练安排，开展疏散知识教育",
            "Tell the staff about the drill; teach pupils the escape routes",
        ),
        _before(
            "routes",
            "school",
            1,
            "检查疏散通道、安全出口和应急照明",
            "Check escape routes, emergency exits and emergency lighting",
        ),
        _after(
            "evaluation",
            "school",
            2,
            "演练评估与总结（疏散用时、存在问题、整改措施）",
            "Evaluate the drill: evacuation time, problems found, fixes",
        ),
    ),
    "lecture": (
        _before(
            "topic",
            "brigade",
            14,
            "确定讲座主题、主讲人和课件",
            "Agree on the topic, the speaker and the slides",
        ),
        _before(
            "registration",
            "school",
            7,
            "来校人员备案审核",
            "Register and approve the visitors coming into the school (备案审核)",
        ),
        _before(
            "venue",
            "school",
            2,
            "准备场地、投影和扩音设备",
            "Prepare the room, projector and microphone",
        ),
        _before(
            "seating",
            "school",
            1,
            "安排学生入场、座位和秩序",
            "Arrange how pupils come in, where they sit and who keeps order",
        ),
    ),
    "meeting": (
        _before(
            "agenda",
            "school",
            7,
            "确定议题，发出会议通知",
            "Set the agenda and send the invitation",
        ),
        _before(
            "papers",
            "school",
            2,
            "准备会议材料",
            "Prepare the meeting papers",
        ),
        _after(
            "minutes",
            "school",
            3,
            "整理并分发会议纪要",
            "Write and circulate the minutes",
        ),
    ),
    "other": (
        _before(
            "plan",
            "school",
            14,
            "制定活动方案和安全预案",
            "Write the activity plan and its safety plan",
        ),
        _before(
            "roles",
            "brigade",
            7,
            "确认双方分工和联系人",
            "Confirm each side's tasks and contact people",
        ),
        _before(
            "readiness",
            "school",
            1,
            "检查准备情况和安全条件",
            "Check that everything is ready and safe",
        ),
    ),
}

FOLLOW_UPS: tuple[TemplateItem, ...] = (
    _after(
        "publicity",
        "school",
        2,
        "撰写宣传报道（新闻稿、公众号）",
        "Write the publicity report (news item, WeChat post)",
    ),
    _after(
        "archive",
        "school",
        7,
        "整理照片和活动资料归档",
        "File the photos and records of the activity in the archive",
    ),
)
"""Follow-ups of every kind's template: the district asks for publicity (宣传报道) and records."""


def template(kind: str) -> tuple[TemplateItem, ...]:
    """The built-in checklist of a commitment kind: its own tasks, then the common follow-ups."""
    return TEMPLATES[kind] + FOLLOW_UPS


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
    plan: Plan, calendar: SchoolCalendar, records: Records | None, today: dt.date
) -> tuple[ChecklistTask, ...]:
    """Every task of every main, not cancelled occurrence, sorted by (due, occurrence date, id).

    A commitment's own ``checklist`` replaces the kind's template; its ``follow_up`` tasks come
    after. Ticks come from ``records``; ``today`` decides which open tasks are overdue.
    """
    agreement = plan.agreement
    language = agreement.agreement.language
    specs = {c.id: _specs(agreement, c.id, language) for c in agreement.commitments}
    rows: list[tuple[Occurrence, _Spec, str]] = []
    for o in plan.occurrences:
        if not o.is_main or o.status == "cancelled":
            continue
        for spec in specs[o.commitment]:
            rows.append((o, spec, _digest(o.id, spec.key)))
    ids = short_ids([d for _, _, d in rows])
    ticks = records.tasks if records is not None else {}
    tasks = []
    for o, spec, digest in rows:
        task_id = ids[digest]
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


def _specs(agreement: Agreement, commitment_id: str, language: str) -> list[_Spec]:
    """The tasks every occurrence of one commitment gets, each with a stable key."""
    c = agreement.commitment(commitment_id)
    if c.checklist is None:
        base = [_Spec(i.key, i.text(language), i.owner, i.when, i.days) for i in template(c.kind)]
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
    """``day`` − days (before) or + days (after); a school task leaves a day off for a workday.

    Before-tasks move earlier and after-tasks later, to the nearest working day (a 调休
    make-up workday counts). A task due on the activity's own day (0 days) stays on it.
    """
    step = -1 if when == "before" else 1
    due = day + dt.timedelta(days=step * days)
    if owner == "school" and days > 0:
        while not calendar.is_workday(due):
            due += dt.timedelta(days=step)
    return due


def _digest(occurrence_id: str, key: str) -> str:
    raw = hashlib.sha256(f"{occurrence_id}\n{key}".encode()).digest()
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
) -> tuple[ChecklistTask, ...]:
    """Tasks of one term and/or owner; ``weeks``: due in the coming N weeks, plus overdue.

    With ``weeks``, overdue tasks are those still worth doing: of an activity not yet
    past, or of one in the last N weeks (a missed news report), not every task of
    last year that nobody ticked.
    """
    if weeks is None:
        horizon = recent = None
    else:
        horizon = today + dt.timedelta(weeks=weeks)
        recent = today - dt.timedelta(weeks=weeks)
    return tuple(
        t
        for t in tasks
        if (term is None or t.term == term)
        and (owner is None or t.owner == owner)
        and (
            horizon is None
            or today <= t.due <= horizon
            or (t.overdue and recent is not None and t.occurrence_date >= recent)
        )
    )


def prep_lines(tasks: Iterable[ChecklistTask], occurrence_id: str, language: str) -> list[str]:
    """Lines "MM-DD 学校：发放家长告知书" of an occurrence's before-tasks (.ics DESCRIPTION)."""
    colon = ": " if language == "en" else "："
    return [
        f"{t.due:%m-%d} {_label('owner_' + t.owner, language)}{colon}{t.task}"
        for t in tasks
        if t.occurrence == occurrence_id and t.kind == "before"
    ]


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


# ---------------------------------------------------------------------------- views

_LABELS: dict[str, tuple[str, str]] = {
    "title": ("准备与跟进清单", "Preparation and follow-up checklist"),
    "as_of": ("截至", "as of"),
    "owner_school": ("学校", "School"),
    "owner_brigade": ("支队", "Brigade"),
    "owner": ("负责", "Owner"),
    "activity": ("活动", "Activity"),
    "id": ("编号", "ID"),
    "due": ("截止", "Due"),
    "task": ("任务", "Task"),
    "overdue": ("逾期", "overdue"),
    "done_on": ("完成于", "done"),
    "after": ("事后", "after"),
    "none": ("没有任务。", "No tasks."),
    "summary": (
        "共 {n} 项，未完成 {open} 项，逾期 {overdue} 项",
        "{n} tasks, {open} open, {overdue} overdue",
    ),
    "provisional": ("暂定", "provisional"),
    "provisional_note": (
        "标注“暂定”的活动所在年度放假安排尚未公布，日期可能变动。",
        "Activities marked provisional fall in a year whose official holidays are not "
        "published yet; their dates may change.",
    ),
    "tick_hint": (
        "勾选：partnership tick 协议文件 编号",
        "Tick a task: partnership tick AGREEMENT-FILE ID",
    ),
}


def _label(key: str, language: str) -> str:
    return pick(language, *_LABELS[key])


@dataclass(frozen=True)
class _Activity:
    occurrence: Occurrence | None
    owner: Owner
    tasks: tuple[ChecklistTask, ...]


@dataclass(frozen=True)
class _Week:
    monday: dt.date
    label: str
    activities: tuple[_Activity, ...]


def _weeks(tasks: Sequence[ChecklistTask], plan: Plan, language: str) -> list[_Week]:
    """Tasks grouped by the week they fall due in, then by owner (school first), then activity."""
    by_id = plan.by_id()
    owners = ("school", "brigade")

    def week_of(t: ChecklistTask) -> dt.date:
        return t.due - dt.timedelta(days=t.due.weekday())

    def order(t: ChecklistTask) -> tuple[dt.date, int, dt.date, str, dt.date, str]:
        return (week_of(t), owners.index(t.owner), t.occurrence_date, t.occurrence, t.due, t.id)

    out = []
    for monday, in_week in itertools.groupby(sorted(tasks, key=order), key=week_of):
        activities = tuple(
            _Activity(by_id.get(occ), owner, tuple(group))
            for (owner, occ), group in itertools.groupby(
                in_week, key=lambda t: (t.owner, t.occurrence)
            )
        )
        out.append(_Week(monday, _week_label(plan.agreement, monday, language), activities))
    return out


def _week_label(agreement: Agreement, monday: dt.date, language: str) -> str:
    """The week heading: term name, "第3周 09-16–09-22" in a term, year and dates outside."""
    sunday = monday + dt.timedelta(days=6)
    span = f"{monday:%m-%d}–{sunday:%m-%d}"
    for term in agreement.calendar.terms:
        if term.start <= sunday and monday <= term.end:
            return f"{term.name} {i18n.week(term.week_of(monday), language)} {span}"
    return f"{monday:%Y} {span}"


def _activity_label(a: _Activity, language: str) -> str:
    o = a.occurrence
    if o is None:
        return a.tasks[0].occurrence
    mark = f" [{_label('provisional', language)}]" if o.provisional else ""
    return f"{o.title} · {o.date:%Y-%m-%d} {weekday(o.date, language)}{mark}"


def _due_label(t: ChecklistTask, language: str) -> str:
    return f"{t.due:%m-%d} {weekday(t.due, language)}"


def _state(t: ChecklistTask, language: str) -> str:
    """What follows the task text: when it was ticked, or that it is overdue."""
    if t.done_on is not None:
        return f"{_label('done_on', language)} {t.done_on:%Y-%m-%d}"
    return _label("overdue", language) if t.overdue else ""


def _summary(tasks: Sequence[ChecklistTask], language: str) -> str:
    return _label("summary", language).format(
        n=len(tasks),
        open=sum(t.status == "open" for t in tasks),
        overdue=sum(t.overdue for t in tasks),
    )


def _provisional(tasks: Sequence[ChecklistTask], plan: Plan) -> bool:
    by_id = plan.by_id()
    return any(by_id[t.occurrence].provisional for t in tasks if t.occurrence in by_id)


def render_rich(
    tasks: Sequence[ChecklistTask], plan: Plan, *, today: dt.date, language: str
) -> RenderableType:
    """The checklist for the terminal: one table per week, rows grouped by owner and activity."""
    head = Text(
        f"{_label('title', language)} · {plan.agreement.agreement.title}\n"
        f"{_label('as_of', language)} {today:%Y-%m-%d} · {_summary(tasks, language)}",
        style="bold",
    )
    parts: list[RenderableType] = [head]
    if not tasks:
        parts.append(Text(_label("none", language)))
    for week in _weeks(tasks, plan, language):
        table = Table(title=Text(week.label), title_justify="left")
        for key in ("owner", "activity"):
            table.add_column(_label(key, language))
        table.add_column("")
        for key in ("id", "due", "task"):
            table.add_column(_label(key, language), no_wrap=key == "id")
        previous_owner = None
        for activity in week.activities:
            if previous_owner is not None and activity.owner != previous_owner:
                table.add_section()
            owner_cell = (
                _label("owner_" + activity.owner, language)
                if activity.owner != previous_owner
                else ""
            )
            previous_owner = activity.owner
            for i, t in enumerate(activity.tasks):
                state = _state(t, language)
                cells = (
                    owner_cell if i == 0 else "",
                    _activity_label(activity, language) if i == 0 else "",
                    "☑" if t.status == "done" else "☐",
                    t.id,
                    _due_label(t, language),
                    f"{t.task} · {state}" if state else t.task,
                )
                style = "red" if t.overdue else "dim" if t.status == "done" else ""
                table.add_row(*(Text(c, overflow="fold") for c in cells), style=style)
        parts.append(table)
    if _provisional(tasks, plan):
        parts.append(Text(_label("provisional_note", language), style="yellow"))
    if tasks:
        parts.append(Text(_label("tick_hint", language), style="dim"))
    return Group(*parts)


def _md(text: str) -> str:
    """Text safe inside Markdown: characters that would start markup are escaped."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def render_markdown(
    tasks: Sequence[ChecklistTask], plan: Plan, *, today: dt.date, language: str
) -> str:
    """The checklist as Markdown task lists (``- [ ]`` / ``- [x]``), grouped, ids shown."""
    lines = [
        f"# {_label('title', language)} · {_md(plan.agreement.agreement.title)}",
        "",
        f"{_label('as_of', language)} {today:%Y-%m-%d} · {_summary(tasks, language)}",
    ]
    if _provisional(tasks, plan):
        lines += ["", f"> {_label('provisional_note', language)}"]
    if not tasks:
        lines += ["", _label("none", language)]
    for week in _weeks(tasks, plan, language):
        lines += ["", f"## {_md(week.label)}"]
        owner = None
        for activity in week.activities:
            if activity.owner != owner:
                owner = activity.owner
                lines += ["", f"### {_label('owner_' + owner, language)}"]
            lines += ["", f"**{_md(_activity_label(activity, language))}**", ""]
            for t in activity.tasks:
                box = "[x]" if t.status == "done" else "[ ]"
                state = _state(t, language)
                tail = f" — **{state}**" if t.overdue else f" — {state}" if state else ""
                lines.append(f"- {box} `{t.id}` {_due_label(t, language)} {_md(t.task)}{tail}")
    lines += ["", _label("tick_hint", language), ""]
    return "\n".join(lines)


_CSS = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2em; color: #111; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em;
  border-bottom: 1px solid #999; } h3 { font-size: 1em; margin: .8em 0 .2em; }
table { border-collapse: collapse; margin: .4em 0 1em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
ul.tasks { list-style: none; padding-left: .5em; margin: .2em 0 .6em; }
.id { font-family: monospace; } .overdue { color: #b00020; font-weight: bold; }
.done { color: #666; } .note { color: #555; } .provisional { color: #8a5a00; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
"""


def html_document(title: str, language: str, body: str) -> str:
    """A self-contained printable HTML page around ``body`` (``title`` is escaped here)."""
    lang = "en" if language == "en" else "zh-CN"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


def render_html(
    tasks: Sequence[ChecklistTask], plan: Plan, *, today: dt.date, language: str
) -> str:
    """The checklist as a self-contained printable HTML page, grouped like the other views."""
    e = html.escape
    title = f"{_label('title', language)} · {plan.agreement.agreement.title}"
    out = [
        f"<h1>{e(title)}</h1>\n",
        f"<p>{e(_label('as_of', language))} {today:%Y-%m-%d} · "
        f"{e(_summary(tasks, language))}</p>\n",
    ]
    if _provisional(tasks, plan):
        out.append(f'<p class="provisional">{e(_label("provisional_note", language))}</p>\n')
    if not tasks:
        out.append(f"<p>{e(_label('none', language))}</p>\n")
    for week in _weeks(tasks, plan, language):
        out.append(f"<h2>{e(week.label)}</h2>\n")
        owner = None
        for activity in week.activities:
            if activity.owner != owner:
                owner = activity.owner
                out.append(f"<h3>{e(_label('owner_' + owner, language))}</h3>\n")
            out.append(f"<p><strong>{e(_activity_label(activity, language))}</strong></p>\n")
            out.append('<ul class="tasks">\n')
            for t in activity.tasks:
                cls = "overdue" if t.overdue else "done" if t.status == "done" else "open"
                state = _state(t, language)
                out.append(
                    f'<li class="{cls}">{"☑" if t.status == "done" else "☐"} '
                    f'<span class="id">{e(t.id)}</span> {e(_due_label(t, language))} '
                    f"{e(t.task)}{' — ' + e(state) if state else ''}</li>\n"
                )
            out.append("</ul>\n")
    out.append(f'<p class="note">{e(_label("tick_hint", language))}</p>\n')
    return html_document(title, language, "".join(out))
