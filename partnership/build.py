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
from partnership.checklist_templates import Templates
from partnership.ics import dtstamp_now, ics_filename, render_ics
from partnership.messages import t as _msg
from partnership.model import AUDIENCES, Agreement
from partnership.plan import Plan
from partnership.publishing.feeds import Feed
from partnership.publishing.subscribe import render_subscribe
from partnership.publishing.subscribe import text as subscribe_text
from partnership.records import Records
from partnership.schoolcalendar import SchoolCalendar
from partnership.views import checklist as checklist_views
from partnership.views import report as report_views
from partnership.views.calendar_html import page, term_section
from partnership.views.grid import build_grid
from partnership.views.plan import sheets as plan_sheets
from partnership.views.plan_views import plan_json
from partnership.views.xlsx import workbook


def build_outputs(
    plan: Plan,
    calendar: SchoolCalendar,
    records: Records,
    environ: Mapping[str, str],
    templates: Templates | None = None,
    feeds: Sequence[Feed] = (),
) -> dict[str, bytes]:
    """All files for one agreement: .ics (per term, whole, per audience), HTML, Markdown,
    JSON and .xlsx (plan, checklist, report).

    With ``SOURCE_DATE_EPOCH`` set, the time stamps and "today" come from it, so two
    runs give byte-identical files; "today" decides what the report counts as missed. With
    ``feeds``, also subscribe.html, linked from the 校历.
    """
    a = plan.agreement
    aid = a.agreement.id
    lang = a.agreement.language
    stamp = dtstamp_now(environ)
    today = stamp.date() if environ.get("SOURCE_DATE_EPOCH") else dt.date.today()
    tasks = cl.build_checklist(plan, calendar, records, today, templates)
    prep = cl.prep_by_occurrence(tasks, [o.id for o in plan.occurrences], lang)
    files: dict[str, bytes] = {}
    events: dict[str, bytes] = {}  # each VEVENT serialised once for all the .ics files
    grids = [build_grid(plan, calendar, t.id) for t in calendar.terms]
    sections = [term_section(grid, a.agreement.title) for grid in grids]
    link = ("subscribe.html", subscribe_text("page", "link", lang)) if feeds else None
    if feeds:
        subscribe_page = render_subscribe(a.agreement.title, lang, feeds)
        files["subscribe.html"] = subscribe_page.encode("utf-8")
    for t, section in zip(calendar.terms, sections, strict=True):
        files[ics_filename(aid, t.id, None)] = render_ics(
            plan, term=t.id, dtstamp=stamp, prep=prep, events=events, templates=templates
        )
        html = page([section], a.agreement.title, lang, link)
        files[f"calendar-{t.id}.html"] = html.encode("utf-8")
        term_tasks = cl.select(tasks, today=today, term=t.id)
        files[f"checklist-{t.id}.md"] = checklist_views.render_markdown(
            term_tasks, plan, today=today, language=lang
        ).encode("utf-8")
    files[ics_filename(aid, None, None)] = render_ics(
        plan, dtstamp=stamp, prep=prep, events=events, templates=templates
    )
    for audience in AUDIENCES:
        files[ics_filename(aid, None, audience)] = render_ics(
            plan, audience=audience, dtstamp=stamp, prep=prep, events=events, templates=templates
        )
    files["checklist.xlsx"] = workbook(checklist_views.sheets(tasks, plan, language=lang), stamp)
    files["plan.xlsx"] = workbook(plan_sheets(plan), stamp)
    files["calendar.html"] = page(sections, a.agreement.title, lang, link).encode("utf-8")
    report = rp.build_report(plan, records, None, today=today)
    files["report.md"] = report_views.render_markdown(report).encode("utf-8")
    files["report.html"] = report_views.render_html(report).encode("utf-8")
    report_sheets = report_views.sheets(report)
    for year in _years(plan):
        yearly = rp.build_report(plan, records, year, today=today)
        files[f"report-{year}.md"] = report_views.render_markdown(yearly).encode("utf-8")
        assert yearly.year is not None
        report_sheets.append(report_views.year_sheet(yearly.year, lang))
    files["report.xlsx"] = workbook(report_sheets, stamp)
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
    # Text, not markup: nothing here is markup, and rich then needs no emoji table (2 ms)
    table = Table(title=Text(_msg("build.summary.title"), style="table.title"))
    table.add_column(Text(_msg("build.summary.agreement")), overflow="fold")
    table.add_column(Text(_msg("build.summary.files")), justify="right", no_wrap=True)
    table.add_column(Text(_msg("build.summary.activities")), no_wrap=True)
    table.add_column(Text(_msg("build.summary.provisional")), overflow="fold")
    table.add_column(Text(_msg("build.summary.unplaced")), justify="right", no_wrap=True)
    folders: list[RenderableType] = []
    for agreement, plan, written in results:
        main = [o for o in plan.occurrences if o.is_main]
        aid = agreement.agreement.id
        lead_up = len(plan.occurrences) - len(main)
        count = _msg("build.summary.count", main=len(main), lead_up=lead_up)
        table.add_row(
            Text(aid),
            Text(str(len(written))),
            Text(count),
            Text(", ".join(str(y) for y in plan.provisional_years) or "—"),
            Text(str(len(plan.unplaced)) if plan.unplaced else "0"),
        )
        if written:
            where = _msg("build.summary.folder_of", id=aid, folder=f"{written[0].parent}/")
            folders.append(Text(where, no_wrap=True, overflow="ignore"))
    return Group(table, *folders)
