"""What `build` writes for one agreement: every file's name and bytes, made in memory.

The CLI writes the mapping all-or-nothing (see :mod:`partnership.fsio`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from partnership import checklist as cl
from partnership import report as rp
from partnership.calendar_html import render_html
from partnership.grid import build_grid
from partnership.ics import dtstamp_now, ics_filename, render_ics
from partnership.messages import t as _msg
from partnership.model import AUDIENCES, Agreement
from partnership.plan import Plan
from partnership.plan_views import plan_json
from partnership.records import Records
from partnership.schoolcalendar import SchoolCalendar


def build_outputs(
    plan: Plan, calendar: SchoolCalendar, records: Records, environ: Mapping[str, str]
) -> dict[str, bytes]:
    """All files for one agreement: .ics (per term, whole, per audience), HTML, Markdown, JSON.

    With ``SOURCE_DATE_EPOCH`` set, the time stamps and "today" come from it, so two
    runs give byte-identical files.
    """
    a = plan.agreement
    aid = a.agreement.id
    lang = a.agreement.language
    stamp = dtstamp_now(environ)
    today = stamp.date() if environ.get("SOURCE_DATE_EPOCH") else dt.date.today()
    tasks = cl.build_checklist(plan, calendar, records, today)
    prep = {o.id: cl.prep_lines(tasks, o.id, lang) for o in plan.occurrences}
    files: dict[str, bytes] = {}
    events: dict[str, bytes] = {}  # each VEVENT serialised once for all the .ics files
    grids = [build_grid(plan, calendar, t.id) for t in calendar.terms]
    for t, grid in zip(calendar.terms, grids, strict=True):
        files[ics_filename(aid, t.id, None)] = render_ics(
            plan, term=t.id, dtstamp=stamp, prep=prep, events=events
        )
        files[f"calendar-{t.id}.html"] = render_html([grid], a.agreement.title).encode("utf-8")
        term_tasks = cl.select(tasks, today=today, term=t.id)
        files[f"checklist-{t.id}.md"] = cl.render_markdown(
            term_tasks, plan, today=today, language=lang
        ).encode("utf-8")
    files[ics_filename(aid, None, None)] = render_ics(plan, dtstamp=stamp, prep=prep, events=events)
    for audience in AUDIENCES:
        files[ics_filename(aid, None, audience)] = render_ics(
            plan, audience=audience, dtstamp=stamp, prep=prep, events=events
        )
    files["calendar.html"] = render_html(grids, a.agreement.title).encode("utf-8")
    report = rp.build_report(plan, records, None)
    files["report.md"] = rp.render_markdown(report).encode("utf-8")
    files["report.html"] = rp.render_html(report).encode("utf-8")
    for year in _years(plan):
        yearly = rp.build_report(plan, records, year)
        files[f"report-{year}.md"] = rp.render_markdown(yearly).encode("utf-8")
    files["plan.json"] = (json.dumps(plan_json(plan), ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8"
    )
    return files


def _years(plan: Plan) -> list[int]:
    info = plan.agreement.agreement
    return list(range(info.start.year, info.end.year + 1))


def summary(results: Sequence[tuple[Agreement, Plan, Sequence[Path]]]) -> RenderableType:
    """The table printed at the end of `build`: files, activities, provisional years, unplaced.

    Each agreement's folder follows on a line of its own, so a long path is never cut.
    """
    table = Table(title=_msg("build.summary.title"))
    table.add_column(_msg("build.summary.agreement"), overflow="fold")
    table.add_column(_msg("build.summary.files"), justify="right", no_wrap=True)
    table.add_column(_msg("build.summary.activities"), no_wrap=True)
    table.add_column(_msg("build.summary.provisional"), overflow="fold")
    table.add_column(_msg("build.summary.unplaced"), justify="right", no_wrap=True)
    folders: list[RenderableType] = []
    for agreement, plan, written in results:
        main = [o for o in plan.occurrences if o.is_main]
        aid = agreement.agreement.id
        table.add_row(
            aid,
            str(len(written)),
            _msg("build.summary.count", main=len(main), lead_up=len(plan.occurrences) - len(main)),
            ", ".join(str(y) for y in plan.provisional_years) or "—",
            str(len(plan.unplaced)) if plan.unplaced else "0",
        )
        if written:
            where = _msg("build.summary.folder_of", id=aid, folder=f"{written[0].parent}/")
            folders.append(Text(where, no_wrap=True, overflow="ignore"))
    return Group(table, *folders)
