"""Views of a district plan: its JSON, each brigade's .ics and load calendar, the report.

Labels follow the district's ``language`` (each school's events keep their agreement's).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Any

from partnership.district.model import Brigade
from partnership.district.planner import BrigadeDay, DistrictPlan, SchoolPlan, kind_of
from partnership.identity import uid
from partnership.messages import Lang, t
from partnership.views.calendar_html import FONT_STACK
from partnership.views.plan_views import plan_json


def district_json(dp: DistrictPlan) -> dict[str, Any]:
    """``district plan --json`` as the contract says."""
    return {
        "district": dp.loaded.district.district.id,
        "objective": dp.objective,
        "bound": dp.bound,
        "gap": round(dp.gap, 6),
        "agreements": [plan_json(s.plan) for s in dp.schools],
        "brigades": [
            {
                "id": bid,
                "days": [
                    {
                        "date": d.date.isoformat(),
                        "hosted": [uid(o, a) for a, o in d.hosted],
                        "attended": [uid(o, a) for a, o in d.attended],
                    }
                    for d in days
                ],
            }
            for bid, days in sorted(dp.brigades.items())
        ],
        "unplaced": [
            {
                "agreement": u.agreement,
                "id": u.id,
                "brigade": u.brigade,
                "reason": u.reason,
                "full_days": [
                    {"date": f.date.isoformat(), "schools": list(f.schools)} for f in u.full_days
                ],
            }
            for u in dp.unplaced
        ],
        "notices": list(dp.notices),
    }


def json_bytes(data: Any) -> bytes:
    """JSON as the project writes it: UTF-8, indented, one final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def brigade_schools(dp: DistrictPlan, brigade_id: str) -> list[SchoolPlan]:
    """The schools that joined the brigade, in district order."""
    return [s for s in dp.schools if s.member.brigade == brigade_id]


def brigade_ics(dp: DistrictPlan, brigade: Brigade, dtstamp: dt.datetime) -> bytes:
    """One VCALENDAR with every main activity the brigade hosts or attends, all schools.

    Each event is the school's own (same UID, SEQUENCE and text), so a change in a
    school's plan updates the brigade's calendar too.
    """
    from icalendar import Calendar, vText

    from partnership import __version__
    from partnership.ics import render_ics
    from partnership.vtimezone import vtimezone

    lang = dp.loaded.language
    events: list[bytes] = []
    zones: dict[str, list[int]] = {}
    for s in brigade_schools(dp, brigade.id):
        kinds = {c.id: kind_of(c) for c in s.plan.agreement.commitments}
        mine = tuple(o for o in s.plan.occurrences if o.is_main and kinds[o.commitment])
        if not mine:
            continue
        data = render_ics(replace(s.plan, occurrences=mine), dtstamp=dtstamp)
        begin = data.index(b"BEGIN:VEVENT\r\n")
        events.append(data[begin : -len(b"END:VCALENDAR\r\n")])
        years = zones.setdefault(s.plan.agreement.agreement.timezone, [])
        years.extend(o.date.year for o in mine)
    cal = Calendar()
    cal.add(
        "PRODID", f"-//partnership//partnership {__version__}//{'ZH' if lang == 'zh-CN' else 'EN'}"
    )
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", vText(t("district.ics_name", lang=lang, brigade=brigade.name)))
    for tzid, years in sorted(zones.items()):
        cal.add_component(vtimezone(tzid, min(years), max(years)))
    shell: bytes = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    return shell[: -len(end)] + b"".join(events) + end


@dataclass(frozen=True)
class _Month:
    year: int
    month: int


def load_html(dp: DistrictPlan, brigade: Brigade) -> str:
    """The brigade's load calendar: a month a block, each day its hosted/attended load."""
    lang = dp.loaded.language
    days = {d.date: d for d in dp.brigades.get(brigade.id, ())}
    busy = {day: r.name for r in brigade.unavailable for day in r.days()}
    cap = brigade.capacity
    title = t("district.load_title", lang=lang, brigade=brigade.name)
    caps = t("district.load_caps", lang=lang, host=cap.host_per_day, attend=cap.attend_per_day)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="caps">{escape(caps)}</p>',
    ]
    for m in _months(sorted(days)):
        parts.extend(_month(m, days, busy, cap.host_per_day, cap.attend_per_day, lang))
    parts.append("</body></html>\n")
    return "\n".join(parts)


_CSS = (
    """
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: FONTS; font-size: 10pt; color: #1a1a1a; margin: 12px; }
h1 { font-size: 15pt; margin: 0 0 4px; }
h2 { font-size: 12pt; margin: 10px 0 4px; }
.month { break-inside: avoid; page-break-inside: avoid; }
table.load { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.load th, table.load td { border: 1px solid #888; padding: 2px 4px; vertical-align: top;
  height: 3.2em; }
table.load thead th { background: #e2e8f0; height: auto; }
td.empty { background: #f7f7f7; }
td .date { font-weight: bold; }
td.full { background: #fed7d7; }
td.busy { background: repeating-linear-gradient(45deg, #fff 0 4px, #e2e8f0 4px 8px); }
.n { display: block; font-variant-numeric: tabular-nums; }
.mark { color: #9b2c2c; font-weight: bold; }
@media print { body { margin: 0; font-size: 8pt; } }
"""
).replace("FONTS", FONT_STACK)


def _months(days: Sequence[dt.date]) -> list[_Month]:
    if not days:
        return []
    out: list[_Month] = []
    y, m = days[0].year, days[0].month
    while (y, m) <= (days[-1].year, days[-1].month):
        out.append(_Month(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month(
    m: _Month,
    days: dict[dt.date, BrigadeDay],
    busy: dict[dt.date, str],
    host: int,
    attend: int,
    lang: Lang,
) -> Iterator[str]:
    first = dt.date(m.year, m.month, 1)
    heading = t("district.month", lang=lang, year=m.year, month=m.month)
    yield f'<section class="month"><h2>{escape(heading)}</h2>'
    yield '<table class="load"><thead><tr>'
    for k in range(7):
        yield f"<th>{escape(t(f'district.wd{k}', lang=lang))}</th>"
    yield "</tr></thead><tbody><tr>"
    yield '<td class="empty"></td>' * first.weekday()
    day = first
    while day.month == m.month:
        if day.weekday() == 0 and day != first:
            yield "</tr><tr>"
        d = days.get(day)
        h = len(d.hosted) if d else 0
        a = len(d.attended) if d else 0
        full = (host and h >= host) or (attend and a >= attend)
        classes = " ".join(c for c in ("full" if full else "", "busy" if day in busy else "") if c)
        cell = [f'<span class="date">{day.day}</span>']
        if day in busy:
            cell.append(f'<span class="n">{escape(busy[day])}</span>')
        if d:
            for key, n, most in (("district.hosted", h, host), ("district.attended", a, attend)):
                cell.append(f'<span class="n">{escape(t(key, lang=lang, n=n, cap=most))}</span>')
        if full:
            cell.append(f'<span class="mark">{escape(t("district.full", lang=lang))}</span>')
        yield f'<td class="{classes}" data-date="{day.isoformat()}">{"".join(cell)}</td>'
        day += dt.timedelta(days=1)
    last = day - dt.timedelta(days=1)
    yield '<td class="empty"></td>' * (6 - last.weekday())
    yield "</tr></tbody></table></section>"


@dataclass(frozen=True)
class Row:
    """One line of the district report: required, placed, done, unplaced, moved."""

    name: str
    required: int
    placed: int
    done: int
    unplaced: int
    moved: int

    @property
    def percent(self) -> str:
        """Placed share of required, as a whole percentage."""
        return f"{100 * self.placed // self.required}%" if self.required else "—"


@dataclass(frozen=True)
class DistrictReport:
    """Fulfilment across schools, per brigade and per programme."""

    title: str
    language: Lang
    schools: tuple[Row, ...]
    brigades: tuple[Row, ...]
    programmes: tuple[Row, ...]
    alone: tuple[str, ...]  # agreements planned on their own
    objective: int
    bound: int
    gap: float


def build_report(dp: DistrictPlan) -> DistrictReport:
    """Count every school's main activities and roll them up per brigade and programme."""
    lang = dp.loaded.language
    moved_ids = dp.moved
    schools: list[Row] = []
    per_brigade: dict[str, list[int]] = {}
    per_prog: dict[str, list[int]] = {}
    for s in dp.schools:
        a = s.plan.agreement
        aid = a.agreement.id
        progs = {c.id: c.programme or t("district.no_programme", lang=lang) for c in a.commitments}
        counts = [0, 0, 0, 0, 0]
        for o in s.plan.occurrences:
            if not o.is_main or o.status == "cancelled":
                continue
            row = [1, 1, int(o.status == "done"), 0, int((aid, o.id) in moved_ids)]
            for target in (counts, per_prog.setdefault(progs[o.commitment], [0] * 5)):
                _add(target, row)
        for u in s.plan.unplaced:
            for target in (counts, per_prog.setdefault(progs[u.commitment], [0] * 5)):
                _add(target, [1, 0, 0, 1, 0])
        schools.append(Row(a.parties.school.name, *counts))
        key = s.member.brigade or ""
        _add(per_brigade.setdefault(key, [0] * 5), counts)
    names = {b.id: b.name for b in dp.loaded.district.brigades}
    return DistrictReport(
        dp.loaded.district.district.name,
        lang,
        tuple(schools),
        tuple(
            Row(names.get(k, t("district.alone", lang=lang)), *v)
            for k, v in sorted(per_brigade.items())
        ),
        tuple(Row(k, *v) for k, v in sorted(per_prog.items())),
        tuple(s.plan.agreement.agreement.id for s in dp.schools if s.member.brigade is None),
        dp.objective,
        dp.bound,
        dp.gap,
    )


def _add(target: list[int], row: Sequence[int]) -> None:
    for k, v in enumerate(row):
        target[k] += v


def _header(lang: Lang) -> list[str]:
    return [
        t(f"district.col_{c}", lang=lang)
        for c in ("name", "required", "placed", "done", "unplaced", "moved", "percent")
    ]


def _cells(r: Row) -> list[str]:
    return [
        r.name,
        str(r.required),
        str(r.placed),
        str(r.done),
        str(r.unplaced),
        str(r.moved),
        r.percent,
    ]


def _sections(r: DistrictReport) -> list[tuple[str, tuple[Row, ...]]]:
    lang = r.language
    return [
        (t("district.by_school", lang=lang), r.schools),
        (t("district.by_brigade", lang=lang), r.brigades),
        (t("district.by_programme", lang=lang), r.programmes),
    ]


def _summary(r: DistrictReport) -> str:
    return t(
        "district.summary",
        lang=r.language,
        objective=r.objective,
        bound=r.bound,
        gap=f"{100 * r.gap:.2f}%",
    )


def render_markdown(r: DistrictReport) -> str:
    """The district report as Markdown."""
    lines = [f"# {_md(r.title)}", "", _summary(r), ""]
    for heading, rows in _sections(r):
        lines += [f"## {heading}", "", "| " + " | ".join(_header(r.language)) + " |"]
        lines.append("|" + "---|" * 7)
        lines += ["| " + " | ".join(_md(c) for c in _cells(row)) + " |" for row in rows]
        lines.append("")
    if r.alone:
        lines += [t("district.alone_note", lang=r.language, ids=", ".join(r.alone)), ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_report_html(r: DistrictReport) -> str:
    """The district report as a self-contained HTML page."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{r.language}"><head><meta charset="utf-8"><title>{escape(r.title)}</title>',
        f"<style>body{{font-family:{FONT_STACK};margin:16px}}table{{border-collapse:collapse}}"
        "td,th{border:1px solid #888;padding:2px 6px}@page{size:A4;margin:12mm}</style>",
        f"</head><body><h1>{escape(r.title)}</h1><p>{escape(_summary(r))}</p>",
    ]
    for heading, rows in _sections(r):
        out.append(f"<h2>{escape(heading)}</h2><table><thead><tr>")
        out.extend(f"<th>{escape(h)}</th>" for h in _header(r.language))
        out.append("</tr></thead><tbody>")
        for row in rows:
            out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _cells(row)) + "</tr>")
        out.append("</tbody></table>")
    if r.alone:
        out.append(
            f"<p>{escape(t('district.alone_note', lang=r.language, ids=', '.join(r.alone)))}</p>"
        )
    out.append("</body></html>\n")
    return "\n".join(out)
