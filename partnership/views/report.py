"""The fulfilment report laid out: as blocks for every text format, as sheets for .xlsx.

Labels follow the agreement's language. Markdown, HTML and rich render the same blocks
(:func:`blocks`); the HTML page adds a bar chart per term of done / cancelled / missed /
pending.
"""

from __future__ import annotations

from rich.console import RenderableType

from partnership.i18n import label, time_range, weekday
from partnership.i18n import text as i18n_text
from partnership.report import Counts, Entry, ProgrammeLine, Report, YearReport
from partnership.views import html as html_view
from partnership.views import markdown as md_view
from partnership.views import rich as rich_view
from partnership.views.document import Bars, Block, Heading, Paragraph, Table
from partnership.views.xlsx import Cell, Sheet

NUMBERS = ("required", "placed", "done", "cancelled", "missed", "pending", "percent")
OUTCOME_KEYS = ("done", "cancelled", "missed", "pending")


def text(key: str, language: str) -> str:
    """A report label in ``language``."""
    return i18n_text(f"report.{key}", language)


def percent(c: Counts) -> str:
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
        str(c.missed),
        str(c.pending),
        percent(c),
    )


def outcome_label(outcome: str, language: str) -> str:
    """What became of an occurrence, as the report names it."""
    return text(outcome, language)


def blocks(report: Report, *, chart: bool = False) -> list[Block]:
    """The report as headings, paragraphs and tables (``chart``: with the term bar chart)."""
    lang = report.language

    def t(key: str) -> str:
        return text(key, lang)

    numbers = tuple(t(k) for k in NUMBERS)
    c = report.counts
    sep = ", " if lang == "en" else "、"
    out: list[Block] = [
        Heading(1, f"{t('title')} · {report.title}"),
        Paragraph(f"{t('period')}{t('colon')}{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"),
        Paragraph(f"{t('as_of')}{t('colon')}{report.today:%Y-%m-%d}"),
    ]
    if report.provisional_years:
        years = sep.join(str(y) for y in report.provisional_years)
        out.append(Paragraph(t("provisional").format(years=years), "warning"))
    out += [
        Heading(2, t("glance")),
        Paragraph(
            t("glance_line").format(
                required=c.required,
                placed=c.placed,
                done=c.done,
                cancelled=c.cancelled,
                missed=c.missed,
                pending=c.pending,
                percent=percent(c),
            )
        ),
    ]
    if chart:
        out.append(_term_chart(report))
    out += [Heading(2, t("by_commitment")), _commitment_table(report, lang, numbers)]
    out += [Heading(2, t("by_programme")), _programme_table(report.programmes, c, lang, numbers)]
    if report.unplaced:
        out += [Heading(2, t("unplaced")), Paragraph(sep.join(report.unplaced))]
    if report.year is not None:
        out += _year_blocks(report, report.year, lang, numbers)
    return out


def _term_chart(report: Report) -> Bars:
    """Per term: how many main occurrences were done, cancelled, missed, are to come."""
    lang = report.language
    order: list[str] = []
    totals: dict[str, Counts] = {}
    for line in report.commitments:
        for term in line.terms:
            if term.term_name not in totals:
                order.append(term.term_name)
                totals[term.term_name] = Counts()
            totals[term.term_name] += term.counts
    rows = tuple(
        (name, (totals[name].done, totals[name].cancelled, totals[name].missed,
                totals[name].pending))
        for name in order
    )  # fmt: skip
    return Bars(text("by_term", lang), tuple(text(k, lang) for k in OUTCOME_KEYS), rows)


def _commitment_table(report: Report, lang: str, numbers: tuple[str, ...]) -> Table:
    rows: list[tuple[str, ...]] = []
    for line in report.commitments:
        for i, term in enumerate(line.terms):
            rows.append((line.title if i == 0 else "", term.term_name, *_cells(term.counts)))
        rows.append(("", text("total", lang), *_cells(line.counts)))
    return Table((text("commitment", lang), text("term", lang), *numbers), tuple(rows))


def _programme_table(
    programmes: tuple[ProgrammeLine, ...], total: Counts, lang: str, numbers: tuple[str, ...]
) -> Table:
    rows = [(p.programme or text("no_programme", lang), *_cells(p.counts)) for p in programmes]
    rows.append((text("total", lang), *_cells(total)))
    return Table((text("programme", lang), *numbers), tuple(rows))


def when(e: Entry, lang: str) -> str:
    """ "2025-10-16 周四", marked when provisional."""
    mark = f" ({label('provisional', lang)})" if e.provisional else ""
    return f"{e.date.isoformat()} {weekday(e.date, lang)}{mark}"


def _year_blocks(report: Report, y: YearReport, lang: str, numbers: tuple[str, ...]) -> list[Block]:
    """The yearly plan (what is still to come) and the year-end summary (what became of it)."""

    def t(key: str) -> str:
        return text(key, lang)

    def table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> Block:
        return Table(headers, tuple(rows)) if rows else Paragraph(t("none"))

    coming: Block = table(
        (t("date"), t("time"), t("activity"), t("status")),
        [
            (when(e, lang), time_range(e.start, e.end, lang), e.title, label(e.status, lang))
            for e in y.pending
        ],
    )
    if not y.pending:
        coming = Paragraph(
            t("year_plan_none").format(today=f"{report.today:%Y-%m-%d}", year=y.year)
        )
    commitment_rows = (
        *((c.title, *_cells(c.counts)) for c in y.commitments),
        (t("total"), *_cells(y.counts)),
    )
    return [
        Heading(2, t("year_plan").format(year=y.year)),
        coming,
        Heading(2, t("year_summary").format(year=y.year)),
        Paragraph(
            t("summary_line").format(
                planned=len(y.plan),
                done=len(y.done),
                cancelled=len(y.cancelled),
                moved=len(y.moved),
                missed=len(y.missed),
                pending=len(y.pending),
            )
        ),
        Heading(3, t("held")),
        table(
            (t("date"), t("activity"), t("note")),
            [(when(e, lang), e.title, e.note or "") for e in y.done],
        ),
        Heading(3, t("called_off")),
        table(
            (t("date"), t("activity"), t("reason")),
            [(when(e, lang), e.title, e.reason or "") for e in y.cancelled],
        ),
        Heading(3, t("moved")),
        table(
            (t("moved_to"), t("activity"), t("moves"), t("status")),
            [
                (when(e, lang), e.title, str(e.sequence), outcome_label(e.outcome, lang))
                for e in y.moved
            ],
        ),
        Heading(3, t("not_held")),
        table(
            (t("date"), t("time"), t("activity")),
            [(when(e, lang), time_range(e.start, e.end, lang), e.title) for e in y.missed],
        ),
        Heading(3, t("year_by_commitment").format(year=y.year)),
        Table((t("commitment"), *numbers), commitment_rows),
        Heading(3, t("year_by_programme").format(year=y.year)),
        _programme_table(y.programmes, y.counts, lang, numbers),
    ]


def render_rich(report: Report) -> RenderableType:
    """The report for the terminal."""
    return rich_view.render(blocks(report))


def render_markdown(report: Report) -> str:
    """The report as Markdown (headings and tables), ready to paste into a document."""
    return md_view.render(blocks(report))


def render_html(report: Report) -> str:
    """The report as a self-contained printable HTML page, with a bar chart per term."""
    title = f"{text('title', report.language)} · {report.title}"
    return html_view.page(title, report.language, blocks(report, chart=True))


def _count_cells(c: Counts) -> tuple[Cell, ...]:
    share = round(c.percent, 1) if c.percent is not None else None
    return (c.required, c.placed, c.done, c.cancelled, c.missed, c.pending, share)


def sheets(report: Report) -> list[Sheet]:
    """The report as worksheets: per commitment and term, per programme, the year's entries."""
    lang = report.language

    def t(key: str) -> str:
        return text(key, lang)

    numbers = tuple(t(k) for k in NUMBERS)
    rows: list[tuple[Cell, ...]] = []
    for line in report.commitments:
        for term in line.terms:
            rows.append(
                (line.title, line.programme or "", term.term_name, *_count_cells(term.counts))
            )
    out = [
        Sheet(
            t("sheet_commitments"),
            (t("commitment"), t("programme"), t("term"), *numbers),
            tuple(rows),
        ),
        Sheet(
            t("sheet_programmes"),
            (t("programme"), *numbers),
            (
                *(
                    (p.programme or t("no_programme"), *_count_cells(p.counts))
                    for p in report.programmes
                ),
                (t("total"), *_count_cells(report.counts)),
            ),
        ),
    ]
    if report.year is not None:
        out.append(year_sheet(report.year, lang))
    return out


def year_sheet(y: YearReport, lang: str) -> Sheet:
    """One year's occurrences: date, time, activity, what became of it, notes and reasons."""

    def t(key: str) -> str:
        return text(key, lang)

    headers = ("date", "time", "activity", "status", "moves", "note", "reason", "provisional_col")
    return Sheet(
        t("sheet_year").format(year=y.year),
        tuple(t(k) for k in headers),
        tuple(
            (
                e.date,
                time_range(e.start, e.end, lang),
                e.title,
                outcome_label(e.outcome, lang),
                e.sequence,
                e.note or "",
                e.reason or "",
                t("yes") if e.provisional else "",
            )
            for e in y.plan
        ),
    )
