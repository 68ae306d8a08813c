"""The term calendars (校历) as one self-contained printable HTML page: A4 landscape, a term a page.

No external resources (fonts, scripts, styles are inline or the system's), and no timestamps:
the same grids always give the same bytes.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterator, Sequence

from partnership.i18n import WEEKDAY_KEYS, clock, label, month_day, time_range, week, weekday
from partnership.plan import Occurrence
from partnership.views.escape import attr, one_line
from partnership.views.escape import html as escape
from partnership.views.grid import GridDay, GridWeek, TermGrid, activity_title, view_label

FONT_STACK = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)

_CSS = """
@page { size: A4 landscape; margin: 7mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: FONTS; font-size: 11pt; color: #1a1a1a; margin: 16px; }
h1 { font-size: 15pt; margin: 0 0 4px; }
h2 { font-size: 13pt; margin: 0 0 4px; }
.term + .term { break-before: page; page-break-before: always; margin-top: 32px; }
.dates { font-weight: normal; font-size: 10pt; color: #444; margin-left: 8px; }
.banner { border: 2px solid #b7791f; background: #fefcbf; padding: 2px 8px; margin: 0 0 4px; }
table.grid { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.grid th, table.grid td { border: 1px solid #777; padding: 2px 4px; vertical-align: top;
  overflow-wrap: anywhere; word-break: break-word; }
table.grid thead th { background: #e2e8f0; }
table.grid col.week { width: 6%; }
table.grid col.weekday { width: 16.2%; }
table.grid col.weekend { width: 6.5%; }
table.grid.busy-weekends col.weekday { width: 14.4%; }
table.grid.busy-weekends col.weekend { width: 11%; }
table.grid th.week { text-align: left; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
.span { display: block; font-weight: normal; font-size: 9pt; color: #444; }
td .date { font-weight: bold; }
td.weekend { background: radial-gradient(#bbb 0.8px, #f7f7f7 1px) 0 0 / 5px 5px; }
td.out-of-term { background: repeating-linear-gradient(45deg, #fff 0 3px, #bbb 3px 4px);
  color: #555; }
td.out-of-term .date { font-weight: normal; text-decoration: line-through; }
td.holiday { background: #fed7d7; }
td.workday { background: #fefcbf; color: #1a1a1a; }
td.closure { background: #e9d8fd; }
td.busy { box-shadow: inset 0 0 0 2px #3182ce; }
.holiday-name { color: #9b2c2c; font-weight: bold; }
.workday-mark { color: #744210; font-weight: bold; }
.closure-name { color: #553c9a; }
.busy-name { color: #2b6cb0; font-style: italic; }
.activity { margin-top: 2px; padding: 0 3px; border-left: 3px solid #2f855a;
  background: #f0fff4; color: #1a1a1a; }
.activity.lead-up { border-left: 3px dashed #2f855a; }
.activity.status-cancelled .title { text-decoration: line-through; }
.activity .time { font-variant-numeric: tabular-nums; color: #276749; }
.activity .status, .activity .provisional-mark { color: #744210; }
.legend { margin: 0 0 4px; padding: 0; list-style: none; font-size: 9pt; }
.legend li { display: inline-block; margin-right: 10px; white-space: nowrap; }
.swatch { display: inline-block; width: 1.6em; height: 0.9em; border: 1px solid #777;
  vertical-align: middle; margin-right: 3px; }
.swatch.holiday { background: #fed7d7; }
.swatch.closure { background: #e9d8fd; }
.swatch.workday { background: #fefcbf; }
.swatch.busy { box-shadow: inset 0 0 0 2px #3182ce; }
.swatch.activity { background: #f0fff4; border-left: 3px solid #2f855a; }
.swatch.lead-up { background: #f0fff4; border-left: 3px dashed #2f855a; }
.swatch.provisional { background: #fefcbf; border: 2px solid #b7791f; }
.swatch.weekend { background: radial-gradient(#bbb 0.8px, #f7f7f7 1px) 0 0 / 5px 5px; }
.swatch.out-of-term { background: repeating-linear-gradient(45deg, #fff 0 3px, #bbb 3px 4px); }
@media print {
  body { margin: 0; font-size: 9pt; line-height: 1.1; }
  .term + .term { margin-top: 0; }
  h1 { font-size: 10pt; margin: 0; display: inline; }
  h2 { font-size: 10pt; margin: 0 0 0 12px; display: inline; }
  .dates, .banner, .legend { font-size: 9pt; }
  .banner { padding: 0 4px; margin: 1px 0; }
  .legend { margin: 1px 0 2px; }
  table.grid th, table.grid td { padding: 0 2px; }
  .span, .detail { display: none; }
  td .date, .holiday-name, .workday-mark, .closure-name, .busy-name { display: inline;
    margin-right: 3px; }
  .activity { margin-top: 0; padding: 0 2px; }
  .activity .date, .activity .holiday-name, .activity .busy-name { display: inline; }
}
@media (max-width: 700px) {
  body { margin: 6px; font-size: 10.5pt; }
  table.grid, table.grid thead, table.grid tbody, table.grid tr, table.grid th,
  table.grid td { display: block; width: auto; }
  table.grid thead { display: none; }
  table.grid tr { border: 1px solid #777; margin: 0 0 6px; }
  table.grid td { border: 0; border-top: 1px solid #ccc; }
  table.grid td::before { content: attr(data-weekday) " "; font-weight: bold; }
  table.grid td .date { display: inline; }
  table.grid td.out-of-term:not(.has-activity),
  table.grid td.weekend:not(.has-activity):not(.workday) { display: none; }
  .legend li { white-space: normal; }
}
""".replace("FONTS", FONT_STACK)


def render_html(grids: Sequence[TermGrid], title: str, link: tuple[str, str] | None = None) -> str:
    """One printable HTML page with a titled 校历 table and legend per term, in grid order.

    ``link`` (href, text) puts a link at the top, e.g. to subscribe.html when feeds are built.
    """
    lang = grids[0].language if grids else "zh-CN"
    return page([term_section(g, title) for g in grids], title, lang, link)


def term_section(grid: TermGrid, title: str) -> str:
    """One term's titled 校历 table and legend, as :func:`page` puts it on a page.

    `build` renders each term once and puts the same sections on the term's page and on
    the page of all terms.
    """
    return "\n".join(_term(grid, title))


def page(
    sections: Sequence[str], title: str, language: str, link: tuple[str, str] | None = None
) -> str:
    """The printable HTML page holding ``sections`` (from :func:`term_section`) in order."""
    html_lang = "en" if language == "en" else "zh-CN"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{attr(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    if link is not None:
        parts.append(f'<p class="subscribe"><a href="{escape(link[0])}">{escape(link[1])}</a></p>')
    parts.extend(sections)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _term(grid: TermGrid, title: str) -> Iterator[str]:
    lang = grid.language
    yield f'<section class="term" data-term="{attr(grid.term_id)}">'
    yield f"<h1>{escape(title)}</h1>"
    dates = f"{grid.start.isoformat()} – {grid.end.isoformat()}"
    yield f'<h2>{escape(grid.term_name)}<span class="dates">{dates}</span></h2>'
    if grid.provisional:
        years = "、".join(str(y) for y in grid.provisional_years)
        banner = view_label("provisional_banner", lang).format(years=years)
        yield f'<p class="banner provisional" role="note">{escape(banner)}</p>'
    yield from _legend(lang)
    weekends = _busy_weekends(grid)
    yield f'<table class="grid{" busy-weekends" if weekends else ""}">'
    yield (
        '<colgroup><col class="week">'
        + '<col class="weekday">' * 5
        + '<col class="weekend">' * 2
        + "</colgroup>"
    )
    yield '<thead><tr><th class="week"></th>'
    for i, key in enumerate(WEEKDAY_KEYS):
        cls = ' class="weekend"' if i >= 5 else ""
        yield f"<th{cls}>{escape(label(key, lang))}</th>"
    yield "</tr></thead>"
    yield "<tbody>"
    compact = printed_lines(grid, compact=False) > PRINT_LINES
    for w in grid.weeks:
        yield from _week(w, lang, compact)
    yield "</tbody>"
    yield "</table>"
    yield "</section>"


def _week(w: GridWeek, lang: str, compact: bool) -> Iterator[str]:
    span = f"{month_day(w.monday)}–{month_day(w.sunday)}"
    yield f'<tr data-week="{w.number}">'
    yield (
        f'<th class="week" scope="row">{escape(week(w.number, lang))}'
        f'<span class="span">{span}</span></th>'
    )
    for d in w.days:
        yield _day(d, lang, compact)
    yield "</tr>"


def _day(d: GridDay, lang: str, compact: bool = False) -> str:
    """One cell; ``compact``: the date opens the first activity's line, times are starts only."""
    if not d.occurrences:  # most cells; the same days recur in every agreement of a build
        return _quiet_day(d, lang)
    return _cell(d, lang, compact)


@functools.lru_cache(maxsize=4096)
def _quiet_day(d: GridDay, lang: str) -> str:
    """A cell without activities (``compact`` changes nothing there), made once."""
    return _cell(d, lang, False)


def _cell(d: GridDay, lang: str, compact: bool) -> str:
    classes = ["day"]
    for flag, name in (
        (d.weekend, "weekend"),
        (not d.in_term, "out-of-term"),
        (d.day_off, "holiday"),
        (d.make_up_workday, "workday"),
        (bool(d.closures), "closure"),
        (bool(d.brigade_busy), "busy"),
        (bool(d.occurrences), "has-activity"),
        (d.provisional, "provisional"),
    ):
        if flag:
            classes.append(name)
    head = [("date", f"{d.date.month}-{d.date.day}")]
    if d.day_off and d.holiday is not None:
        head.append(("holiday-name", escape(d.holiday)))
    if d.make_up_workday:
        mark = escape(label("make_up_workday", lang))
        if d.holiday is not None:
            detail = (" " if lang == "en" else "") + _bracket(d.holiday, lang)
            mark += f'<span class="detail">{escape(detail)}</span>'
        head.append(("workday-mark", mark))
    head += [("closure-name", escape(n)) for n in d.closures]
    busy = escape(label("brigade_busy", lang) + view_label("colon", lang))
    head += [
        ("busy-name", f'<span class="detail">{busy}</span>{escape(n)}') for n in d.brigade_busy
    ]
    if compact and d.occurrences:
        # the date and names open the first activity's line: one line fewer in print
        prefix = "".join(f'<span class="{cls}">{text}</span> ' for cls, text in head)
        inner = [_activity(d.occurrences[0], lang, prefix, short=True)]
        inner += [_activity(o, lang, short=True) for o in d.occurrences[1:]]
    else:
        inner = [f'<div class="{cls}">{text}</div>' for cls, text in head]
        inner += [_activity(o, lang) for o in d.occurrences]
    attrs = f'class="{" ".join(classes)}" data-date="{d.date.isoformat()}"'
    attrs += f' data-weekday="{attr(weekday(d.date, lang))}"'
    return f"<td {attrs}>{''.join(inner)}</td>"


def _activity(o: Occurrence, lang: str, prefix: str = "", short: bool = False) -> str:
    """One activity; ``prefix`` (HTML) opens its line, ``short``: only its start time."""
    classes = ["activity", f"status-{o.status}"]
    if not o.is_main:
        classes.append("lead-up")
    if o.provisional:
        classes.append("provisional")
    attrs = f' data-occurrence="{attr(o.id)}" data-status="{o.status}"'
    if o.lead_up_of is not None:
        attrs += f' data-lead-up-of="{attr(o.lead_up_of)}"'
    title = activity_title(o, lang)
    body = prefix + (
        f'<span class="time">{escape(_when(o, lang, short))}</span> '
        f'<span class="title">{escape(title)}</span>'
    )
    if o.status != "planned":
        body += f' <span class="status">{escape(_bracket(label(o.status, lang), lang))}</span>'
    if o.provisional:
        mark = _bracket(label("provisional", lang), lang)
        body += f' <span class="provisional-mark">{escape(mark)}</span>'
    return f'<div class="{" ".join(classes)}"{attrs}>{body}</div>'


PRINT_LINES = 46
"""Lines of 9 pt type the rows of one A4 landscape page hold (below title, legend, header)."""
_COLUMN_PT = {False: (125.0,) * 5 + (48.0,) * 2, True: (110.0,) * 5 + (84.0,) * 2}
"""Printed text width of the weekday and weekend columns, in points (busy weekends or not)."""


def _busy_weekends(grid: TermGrid) -> bool:
    """True when a weekend day holds an activity: the weekend columns are printed wider."""
    return any(d.occurrences for w in grid.weeks for d in w.days[5:])


@functools.lru_cache(maxsize=8192)
def _text_pt(text: str) -> float:
    """Printed width of ``text`` at 9 pt: wide (CJK) characters a full em, others ~0.6 em
    (cached: activity titles and day names recur across terms and agreements)."""
    return sum(9.0 if unicodedata.east_asian_width(ch) in "WF" else 5.5 for ch in text)


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(_text_pt(text) / width))


def _names(d: GridDay, lang: str) -> str:
    """The names a cell prints beside its date: holiday, 调休, closures, brigade days."""
    parts = [d.holiday or ""] if d.day_off or d.make_up_workday else []
    return " ".join(p for p in (*parts, *d.closures, *d.brigade_busy) if p)


def printed_lines(grid: TermGrid, *, compact: bool) -> int:
    """About how many lines the term's rows take in print (the tallest cell of each row).

    ``compact``: the date and names share the first activity's line; start times only.
    """
    lang = grid.language
    widths = _COLUMN_PT[_busy_weekends(grid)]
    total = 0
    for w in grid.weeks:
        tallest = 1
        for d, width in zip(w.days, widths, strict=True):
            texts = [f"{_when(o, lang, compact)} {activity_title(o, lang)}" for o in d.occurrences]
            head = f"{d.date.month}-{d.date.day} {_names(d, lang)}"
            if compact and texts:
                texts[0] = f"{head} {texts[0]}"
                lines = 0
            else:
                lines = _lines(head, width)
            tallest = max(tallest, lines + sum(_lines(one_line(t), width) for t in texts))
        total += tallest
    return total


def _when(o: Occurrence, lang: str, short: bool) -> str:
    """ "14:00–15:30", or just "14:00" in a compact term; the all-day label without times."""
    if short and o.start is not None:
        return clock(o.start)
    return time_range(o.start, o.end, lang)


def _legend(lang: str) -> Iterator[str]:
    name = escape(view_label("legend", lang) + view_label("colon", lang))
    yield f'<ul class="legend"><li class="legend-title"><strong>{name}</strong></li>'
    for swatch, text in (
        ("holiday", label("holiday", lang)),
        ("closure", label("closure", lang)),
        ("workday", label("make_up_workday", lang)),
        ("busy", label("brigade_busy", lang)),
        ("activity", view_label("activity", lang)),
        ("lead-up", view_label("lead_up", lang)),
        ("provisional", label("provisional", lang)),
        ("weekend", view_label("weekend", lang)),
        ("out-of-term", view_label("out_of_term", lang)),
    ):
        yield f'<li><span class="swatch {swatch}"></span>{escape(text)}</li>'
    yield "</ul>"


def _bracket(text: str, lang: str) -> str:
    return f"({text})" if lang == "en" else f"（{text}）"
