"""The fulfilment report: what the agreement asks for, what is placed, done and cancelled.

Pure: built from a plan (made with the records, so statuses and dates are current) and the
records (notes, reasons). With a year it adds the yearly plan (年度计划) and the year-end
summary (年终总结) that the district asks every youth-work unit for.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from partnership.checklist import html_document
from partnership.errors import UsageError
from partnership.i18n import label, pick, time_range, weekday
from partnership.plan import Plan, Status, sort_key
from partnership.records import Records


@dataclass(frozen=True)
class Counts:
    """Required (asked for by the agreement), placed (dated), done and cancelled occurrences."""

    required: int = 0
    placed: int = 0
    done: int = 0
    cancelled: int = 0

    @property
    def pending(self) -> int:
        """Placed but neither done nor cancelled."""
        return self.placed - self.done - self.cancelled

    @property
    def percent(self) -> float | None:
        """Done as a share of required, in percent (None when nothing is required)."""
        return 100 * self.done / self.required if self.required else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.required + other.required,
            self.placed + other.placed,
            self.done + other.done,
            self.cancelled + other.cancelled,
        )


def _total(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


@dataclass(frozen=True)
class TermLine:
    """One commitment in one term (``term`` None: outside every term)."""

    term: str | None
    term_name: str
    counts: Counts


@dataclass(frozen=True)
class CommitmentLine:
    """One commitment: its terms and its total over the whole agreement."""

    id: str
    title: str
    kind: str
    programme: str | None
    terms: tuple[TermLine, ...]

    @property
    def counts(self) -> Counts:
        """The commitment's total over all terms."""
        return _total(t.counts for t in self.terms)


@dataclass(frozen=True)
class ProgrammeLine:
    """One programme of the 三心工程 (``programme`` None: commitments without one)."""

    programme: str | None
    commitments: tuple[str, ...]
    counts: Counts


@dataclass(frozen=True)
class Entry:
    """One main occurrence as the yearly documents show it."""

    occurrence: str
    commitment: str
    title: str
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    status: Status
    provisional: bool
    sequence: int  # the number of moves (a cancellation's SEQUENCE step is not one)
    note: str | None
    reason: str | None
    moved: bool = False  # moved by a record at least once


@dataclass(frozen=True)
class YearReport:
    """The yearly plan (every main occurrence dated that year) and what became of it."""

    year: int
    plan: tuple[Entry, ...]

    @property
    def done(self) -> tuple[Entry, ...]:
        """Occurrences that took place."""
        return tuple(e for e in self.plan if e.status == "done")

    @property
    def cancelled(self) -> tuple[Entry, ...]:
        """Occurrences called off, with their reasons."""
        return tuple(e for e in self.plan if e.status == "cancelled")

    @property
    def moved(self) -> tuple[Entry, ...]:
        """Occurrences moved at least once (whatever became of them later)."""
        return tuple(e for e in self.plan if e.moved)

    @property
    def pending(self) -> tuple[Entry, ...]:
        """Occurrences neither done nor cancelled yet."""
        return tuple(e for e in self.plan if e.status in ("planned", "moved"))


@dataclass(frozen=True)
class Report:
    """The whole fulfilment report of one agreement."""

    agreement: str
    title: str
    language: str
    start: dt.date
    end: dt.date
    commitments: tuple[CommitmentLine, ...]
    programmes: tuple[ProgrammeLine, ...]
    unplaced: tuple[str, ...]
    provisional_years: tuple[int, ...]
    year: YearReport | None

    @property
    def counts(self) -> Counts:
        """The whole agreement at a glance."""
        return _total(c.counts for c in self.commitments)


def build_report(plan: Plan, records: Records, year: int | None) -> Report:
    """Counts per commitment, term and programme; with ``year`` the yearly plan and summary.

    Required is what the agreement asks for, as the plan enumerates it (count per term, count
    per month with a school day, each festival in the period unless skipped, once = 1):
    every main occurrence plus every one that could not be placed.
    """
    a = plan.agreement
    if year is not None and not a.agreement.start.year <= year <= a.agreement.end.year:
        raise UsageError(
            f"year {year} is outside the agreement period {a.agreement.start}..{a.agreement.end}"
        )
    language = a.agreement.language
    terms = sorted(a.calendar.terms, key=lambda t: t.start)
    order = [t.id for t in terms]
    names = {t.id: t.name for t in terms}
    main = [o for o in plan.occurrences if o.is_main]
    lines = []
    for c in a.commitments:
        mine = [o for o in main if o.commitment == c.id]
        missing = [u for u in plan.unplaced if u.commitment == c.id]
        used = {o.term for o in mine} | {u.term for u in missing}
        term_lines = []
        for term in sorted(used, key=lambda t: order.index(t) if t in order else len(order)):
            here = [o for o in mine if o.term == term]
            counts = Counts(
                required=len(here) + sum(u.term == term for u in missing),
                placed=len(here),
                done=sum(o.status == "done" for o in here),
                cancelled=sum(o.status == "cancelled" for o in here),
            )
            name = _text("outside", language) if term is None else names.get(term, term)
            term_lines.append(TermLine(term, name, counts))
        lines.append(CommitmentLine(c.id, c.title, c.kind, c.programme, tuple(term_lines)))
    programmes = []
    for p in sorted({c.programme for c in lines}, key=lambda p: (p is None, p or "")):
        members = [c for c in lines if c.programme == p]
        programmes.append(
            ProgrammeLine(p, tuple(c.id for c in members), _total(c.counts for c in members))
        )
    year_report = None
    if year is not None:
        entries = []
        for o in sorted(main, key=sort_key):
            if o.date.year != year:
                continue
            rec = records.occurrences.get(o.id)
            entries.append(
                Entry(
                    occurrence=o.id,
                    commitment=o.commitment,
                    title=o.title,
                    date=o.date,
                    start=o.start,
                    end=o.end,
                    status=o.status,
                    provisional=o.provisional,
                    sequence=max(0, o.sequence - (o.status == "cancelled")),
                    note=rec.note if rec else None,
                    reason=rec.reason if rec else None,
                    moved=rec is not None and rec.date is not None,
                )
            )
        year_report = YearReport(year, tuple(entries))
    return Report(
        agreement=a.agreement.id,
        title=a.agreement.title,
        language=language,
        start=a.agreement.start,
        end=a.agreement.end,
        commitments=tuple(lines),
        programmes=tuple(programmes),
        unplaced=tuple(sorted(u.id for u in plan.unplaced)),
        provisional_years=plan.provisional_years,
        year=year_report,
    )


def _counts_json(c: Counts) -> dict[str, Any]:
    return {
        "required": c.required,
        "placed": c.placed,
        "done": c.done,
        "cancelled": c.cancelled,
        "pending": c.pending,
        "percent": round(c.percent, 1) if c.percent is not None else None,
    }


def _entry_json(e: Entry) -> dict[str, Any]:
    return {
        "occurrence": e.occurrence,
        "commitment": e.commitment,
        "title": e.title,
        "date": e.date.isoformat(),
        "start": f"{e.start:%H:%M}" if e.start else None,
        "end": f"{e.end:%H:%M}" if e.end else None,
        "status": e.status,
        "provisional": e.provisional,
        "moves": e.sequence,
        "note": e.note,
        "reason": e.reason,
    }


def to_json(report: Report) -> dict[str, Any]:
    """The ``report --json`` object.

    ``{"agreement", "title", "start", "end", "provisional_years": [int], "unplaced": [id],
    "total": COUNTS, "commitments": [{"id", "title", "kind", "programme", "total": COUNTS,
    "terms": [{"term", "name", **COUNTS}]}], "programmes": [{"programme", "commitments": [id],
    **COUNTS}], "year": null | {"year", "plan": [ENTRY], "done": [occurrence id],
    "cancelled": [id], "moved": [id], "pending": [id]}}`` where COUNTS is ``{"required",
    "placed", "done", "cancelled", "pending", "percent"}`` (percent of required done, one
    decimal, null when nothing is required) and ENTRY is ``{"occurrence", "commitment",
    "title", "date", "start", "end", "status", "provisional", "moves", "note", "reason"}``.
    """
    year: dict[str, Any] | None = None
    if report.year is not None:
        y = report.year
        year = {
            "year": y.year,
            "plan": [_entry_json(e) for e in y.plan],
            "done": [e.occurrence for e in y.done],
            "cancelled": [e.occurrence for e in y.cancelled],
            "moved": [e.occurrence for e in y.moved],
            "pending": [e.occurrence for e in y.pending],
        }
    return {
        "agreement": report.agreement,
        "title": report.title,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "provisional_years": list(report.provisional_years),
        "unplaced": list(report.unplaced),
        "total": _counts_json(report.counts),
        "commitments": [
            {
                "id": c.id,
                "title": c.title,
                "kind": c.kind,
                "programme": c.programme,
                "total": _counts_json(c.counts),
                "terms": [
                    {"term": t.term, "name": t.term_name, **_counts_json(t.counts)} for t in c.terms
                ],
            }
            for c in report.commitments
        ],
        "programmes": [
            {"programme": p.programme, "commitments": list(p.commitments), **_counts_json(p.counts)}
            for p in report.programmes
        ],
        "year": year,
    }


# ---------------------------------------------------------------------------- views

_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("共建协议履约报告", "Partnership fulfilment report"),
    "period": ("协议期限", "Agreement period"),
    "glance": ("三年履约总览", "Fulfilment at a glance"),
    "glance_line": (
        "要求 {required} 次，已安排 {placed} 次，已完成 {done} 次，已取消 {cancelled} 次，"
        "待完成 {pending} 次；完成率 {percent}。",
        "{required} required, {placed} placed, {done} done, {cancelled} cancelled, "
        "{pending} pending; {percent} of the required done.",
    ),
    "by_commitment": ("分项目、分学期完成情况", "By commitment and term"),
    "by_programme": ("按“三心工程”统计", "By programme (三心工程)"),
    "commitment": ("项目", "Commitment"),
    "term": ("学期", "Term"),
    "programme": ("工程", "Programme"),
    "required": ("要求", "Required"),
    "placed": ("已安排", "Placed"),
    "done": ("已完成", "Done"),
    "cancelled": ("已取消", "Cancelled"),
    "pending": ("待完成", "Pending"),
    "percent": ("完成率", "Done %"),
    "total": ("合计", "Total"),
    "outside": ("学期外", "outside terms"),
    "no_programme": ("未归入三心工程", "no programme"),
    "unplaced": ("未能安排日期", "Could not be placed"),
    "provisional": (
        "暂定：{years}年放假安排尚未公布，相关日期可能变动。",
        "Provisional: the official holidays of {years} are not published yet; those dates may "
        "change.",
    ),
    "year_plan": ("{year}年度计划", "Plan for {year}"),
    "year_summary": ("{year}年终总结", "Year-end summary {year}"),
    "summary_line": (
        "计划活动 {planned} 次：已完成 {done} 次，已取消 {cancelled} 次，改期 {moved} 次，"
        "尚未进行 {pending} 次。",
        "{planned} activities planned: {done} done, {cancelled} cancelled, {moved} moved, "
        "{pending} not yet held.",
    ),
    "held": ("已开展的活动", "What took place"),
    "called_off": ("取消的活动及原因", "What was cancelled, and why"),
    "moved": ("改期的活动", "What moved"),
    "date": ("日期", "Date"),
    "time": ("时间", "Time"),
    "activity": ("活动", "Activity"),
    "status": ("状态", "Status"),
    "note": ("备注", "Note"),
    "reason": ("原因", "Reason"),
    "moved_to": ("改期后日期", "Now on"),
    "moves": ("改期次数", "Moves"),
    "none": ("无。", "None."),
    "colon": ("：", ": "),
}


def _text(key: str, language: str) -> str:
    return pick(language, *_TEXTS[key])


@dataclass(frozen=True)
class _Block:
    """A piece of the report every view lays out: a heading, a paragraph or a table."""

    kind: Literal["h1", "h2", "h3", "p", "table"]
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _percent(c: Counts) -> str:
    """ "62.5%", "100%", or a dash when nothing is required."""
    if c.percent is None:
        return "—"
    return f"{c.percent:.1f}".removesuffix(".0") + "%"


def _cells(c: Counts) -> tuple[str, ...]:
    return (
        str(c.required),
        str(c.placed),
        str(c.done),
        str(c.cancelled),
        str(c.pending),
        _percent(c),
    )


def _blocks(report: Report) -> list[_Block]:
    """The report as headings, paragraphs and tables, in the report's language."""
    lang = report.language

    def t(key: str) -> str:
        return _text(key, lang)

    numbers = tuple(t(k) for k in ("required", "placed", "done", "cancelled", "pending", "percent"))
    c = report.counts
    sep = ", " if lang == "en" else "、"
    out = [
        _Block("h1", f"{t('title')} · {report.title}"),
        _Block("p", f"{t('period')}{t('colon')}{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"),
    ]
    if report.provisional_years:
        years = sep.join(str(y) for y in report.provisional_years)
        out.append(_Block("p", t("provisional").format(years=years)))
    out += [
        _Block("h2", t("glance")),
        _Block(
            "p",
            t("glance_line").format(
                required=c.required,
                placed=c.placed,
                done=c.done,
                cancelled=c.cancelled,
                pending=c.pending,
                percent=_percent(c),
            ),
        ),
        _Block("h2", t("by_commitment")),
    ]
    rows: list[tuple[str, ...]] = []
    for line in report.commitments:
        for i, term in enumerate(line.terms):
            rows.append((line.title if i == 0 else "", term.term_name, *_cells(term.counts)))
        rows.append(("", t("total"), *_cells(line.counts)))
    out.append(_Block("table", headers=(t("commitment"), t("term"), *numbers), rows=tuple(rows)))
    programme_rows = [
        (p.programme or t("no_programme"), *_cells(p.counts)) for p in report.programmes
    ]
    programme_rows.append((t("total"), *_cells(c)))
    out += [
        _Block("h2", t("by_programme")),
        _Block("table", headers=(t("programme"), *numbers), rows=tuple(programme_rows)),
    ]
    if report.unplaced:
        out += [_Block("h2", t("unplaced")), _Block("p", sep.join(report.unplaced))]
    if report.year is not None:
        out += _year_blocks(report.year, lang)
    return out


def _year_blocks(y: YearReport, lang: str) -> list[_Block]:
    """The yearly plan and the year-end summary."""

    def t(key: str) -> str:
        return _text(key, lang)

    def when(e: Entry) -> str:
        mark = f" ({label('provisional', lang)})" if e.provisional else ""
        return f"{e.date:%Y-%m-%d} {weekday(e.date, lang)}{mark}"

    def table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> _Block:
        return (
            _Block("table", headers=headers, rows=tuple(rows)) if rows else _Block("p", t("none"))
        )

    return [
        _Block("h2", t("year_plan").format(year=y.year)),
        table(
            (t("date"), t("time"), t("activity"), t("status")),
            [
                (when(e), time_range(e.start, e.end, lang), e.title, label(e.status, lang))
                for e in y.plan
            ],
        ),
        _Block("h2", t("year_summary").format(year=y.year)),
        _Block(
            "p",
            t("summary_line").format(
                planned=len(y.plan),
                done=len(y.done),
                cancelled=len(y.cancelled),
                moved=len(y.moved),
                pending=len(y.pending),
            ),
        ),
        _Block("h3", t("held")),
        table(
            (t("date"), t("activity"), t("note")),
            [(when(e), e.title, e.note or "") for e in y.done],
        ),
        _Block("h3", t("called_off")),
        table(
            (t("date"), t("activity"), t("reason")),
            [(when(e), e.title, e.reason or "") for e in y.cancelled],
        ),
        _Block("h3", t("moved")),
        table(
            (t("moved_to"), t("activity"), t("moves"), t("status")),
            [(when(e), e.title, str(e.sequence), label(e.status, lang)) for e in y.moved],
        ),
    ]


def render_rich(report: Report) -> RenderableType:
    """The report for the terminal."""
    parts: list[RenderableType] = []
    for b in _blocks(report):
        if b.kind == "table":
            table = Table(*b.headers)
            for row in b.rows:
                table.add_row(*(Text(c, overflow="fold") for c in row))
            parts.append(table)
        else:
            style = {"h1": "bold underline", "h2": "bold", "h3": "italic", "p": ""}[b.kind]
            parts.append(Text(("\n" if b.kind == "h2" else "") + b.text, style=style))
    return Group(*parts)


def _md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def render_markdown(report: Report) -> str:
    """The report as Markdown (headings and tables), ready to paste into a document."""
    lines: list[str] = []
    for b in _blocks(report):
        if b.kind == "table":
            lines.append("| " + " | ".join(_md(h) for h in b.headers) + " |")
            lines.append("|" + "|".join("---" for _ in b.headers) + "|")
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in b.rows]
        else:
            prefix = {"h1": "# ", "h2": "## ", "h3": "### ", "p": ""}[b.kind]
            lines.append(prefix + _md(b.text))
        lines.append("")
    return "\n".join(lines)


def render_html(report: Report) -> str:
    """The report as a self-contained printable HTML page, to hand in."""
    e = html.escape
    body: list[str] = []
    for b in _blocks(report):
        if b.kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in b.headers)
            rows = "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>\n" for row in b.rows
            )
            body.append(
                f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
            )
        else:
            body.append(f"<{b.kind}>{e(b.text)}</{b.kind}>\n")
    title = f"{_text('title', report.language)} · {report.title}"
    return html_document(title, report.language, "".join(body))
