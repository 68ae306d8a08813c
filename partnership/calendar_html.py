"""The term calendars (校历) as one self-contained printable HTML page: A4 landscape, a term a page.

No external resources (fonts, scripts, styles are inline or the system's), and no timestamps:
the same grids always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape

from partnership.grid import GridDay, GridWeek, TermGrid, activity_title, view_label
from partnership.i18n import WEEKDAY_KEYS, label, time_range, week
from partnership.plan import Occurrence

FONT_STACK = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)

_CSS = """
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: FONTS; font-size: 11pt; color: #1a1a1a; margin: 16px; }
h1 { font-size: 16pt; margin: 0 0 8px; }
h2 { font-size: 14pt; margin: 0 0 6px; }
.term + .term { break-before: page; page-break-before: always; margin-top: 32px; }
.dates { font-weight: normal; font-size: 10pt; color: #555; margin-left: 8px; }
.banner { border: 2px solid #b7791f; background: #fefcbf; padding: 4px 8px; margin: 0 0 6px; }
table.grid { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.grid th, table.grid td { border: 1px solid #888; padding: 2px 4px; vertical-align: top; }
table.grid thead th { background: #e2e8f0; }
table.grid th.week { width: 8%; text-align: left; white-space: nowrap; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
.span { display: block; font-weight: normal; font-size: 8.5pt; color: #555; }
td .date { font-weight: bold; }
td.weekend { background: #f4f4f4; color: #666; }
td.out-of-term { background: repeating-linear-gradient(45deg, #fff 0 4px, #eee 4px 8px);
  color: #999; }
td.holiday { background: #fed7d7; }
td.workday { background: #fefcbf; color: #1a1a1a; }
td.closure { background: #e9d8fd; }
td.busy { box-shadow: inset 0 0 0 2px #3182ce; }
.holiday-name { color: #9b2c2c; font-weight: bold; }
.workday-mark { color: #744210; font-weight: bold; }
.closure-name { color: #553c9a; }
.busy-name { color: #2b6cb0; font-style: italic; }
.activity { margin-top: 2px; padding: 1px 3px; border-left: 3px solid #2f855a;
  background: #f0fff4; color: #1a1a1a; }
.activity.lead-up { border-left-color: #68d391; font-size: 9pt; }
.activity.status-cancelled .title { text-decoration: line-through; }
.activity .time { font-variant-numeric: tabular-nums; color: #276749; }
.activity .status, .activity .provisional-mark { font-size: 8.5pt; color: #744210; }
.legend { margin: 6px 0 0; padding: 0; list-style: none; font-size: 9pt; }
.legend li { display: inline-block; margin-right: 12px; }
.swatch { display: inline-block; width: 1.2em; height: 0.9em; border: 1px solid #888;
  vertical-align: middle; margin-right: 3px; }
.swatch.holiday { background: #fed7d7; }
.swatch.closure { background: #e9d8fd; }
.swatch.workday { background: #fefcbf; }
.swatch.busy { box-shadow: inset 0 0 0 2px #3182ce; }
.swatch.activity { background: #f0fff4; border-left: 3px solid #2f855a; }
.swatch.provisional { background: #fefcbf; border: 2px solid #b7791f; }
.swatch.weekend { background: #f4f4f4; }
.swatch.out-of-term { background: repeating-linear-gradient(45deg, #fff 0 3px, #ddd 3px 6px); }
@media print {
  body { margin: 0; font-size: 7.5pt; line-height: 1.15; }
  .term + .term { margin-top: 0; }
  h1 { font-size: 10pt; margin-bottom: 2px; }
  h2 { font-size: 10pt; margin-bottom: 3px; }
  .dates, .span, .banner { font-size: 7pt; }
  table.grid th, table.grid td { padding: 1px 3px; }
  .activity { margin-top: 1px; padding: 0 2px; }
  .activity.lead-up, .activity .status, .activity .provisional-mark { font-size: 6.5pt; }
  .legend { margin-top: 3px; font-size: 7pt; }
}
""".replace("FONTS", FONT_STACK)


def render_html(grids: Sequence[TermGrid], title: str, link: tuple[str, str] | None = None) -> str:
    """One printable HTML page with a titled 校历 table and legend per term, in grid order.

    ``link`` (href, text) puts a link at the top, e.g. to subscribe.html when feeds are built.
    """
    lang = grids[0].language if grids else "zh-CN"
    html_lang = "en" if lang == "en" else "zh-CN"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    if link is not None:
        parts.append(f'<p class="subscribe"><a href="{escape(link[0])}">{escape(link[1])}</a></p>')
    for grid in grids:
        parts.extend(_term(grid, title))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _term(grid: TermGrid, title: str) -> Iterator[str]:
    lang = grid.language
    yield f'<section class="term" data-term="{escape(grid.term_id)}">'
    yield f"<h1>{escape(title)}</h1>"
    dates = f"{grid.start.isoformat()} – {grid.end.isoformat()}"
    yield f'<h2>{escape(grid.term_name)}<span class="dates">{dates}</span></h2>'
    if grid.provisional:
        years = "、".join(str(y) for y in grid.provisional_years)
        banner = view_label("provisional_banner", lang).format(years=years)
        yield f'<p class="banner provisional" role="note">{escape(banner)}</p>'
    yield '<table class="grid">'
    yield '<thead><tr><th class="week"></th>'
    for i, key in enumerate(WEEKDAY_KEYS):
        cls = ' class="weekend"' if i >= 5 else ""
        yield f"<th{cls}>{escape(label(key, lang))}</th>"
    yield "</tr></thead>"
    yield "<tbody>"
    for w in grid.weeks:
        yield from _week(w, lang)
    yield "</tbody>"
    yield "</table>"
    yield from _legend(lang)
    yield "</section>"


def _week(w: GridWeek, lang: str) -> Iterator[str]:
    span = f"{w.monday:%m-%d}–{w.sunday:%m-%d}"
    yield f'<tr data-week="{w.number}">'
    yield (
        f'<th class="week" scope="row">{escape(week(w.number, lang))}'
        f'<span class="span">{span}</span></th>'
    )
    for d in w.days:
        yield _day(d, lang)
    yield "</tr>"


def _day(d: GridDay, lang: str) -> str:
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
    inner = [f'<div class="date">{d.date.month}-{d.date.day}</div>']
    if d.day_off and d.holiday is not None:
        inner.append(f'<div class="holiday-name">{escape(d.holiday)}</div>')
    if d.make_up_workday:
        mark = label("make_up_workday", lang)
        if d.holiday is not None:
            mark += (" " if lang == "en" else "") + _bracket(d.holiday, lang)
        inner.append(f'<div class="workday-mark">{escape(mark)}</div>')
    inner += [f'<div class="closure-name">{escape(n)}</div>' for n in d.closures]
    busy = label("brigade_busy", lang) + view_label("colon", lang)
    inner += [f'<div class="busy-name">{escape(busy + n)}</div>' for n in d.brigade_busy]
    inner += [_activity(o, lang) for o in d.occurrences]
    return f'<td class="{" ".join(classes)}" data-date="{d.date.isoformat()}">{"".join(inner)}</td>'


def _activity(o: Occurrence, lang: str) -> str:
    classes = ["activity", f"status-{o.status}"]
    if not o.is_main:
        classes.append("lead-up")
    if o.provisional:
        classes.append("provisional")
    attrs = f' data-occurrence="{escape(o.id)}" data-status="{o.status}"'
    if o.lead_up_of is not None:
        attrs += f' data-lead-up-of="{escape(o.lead_up_of)}"'
    title = activity_title(o, lang)
    body = (
        f'<span class="time">{escape(time_range(o.start, o.end, lang))}</span> '
        f'<span class="title">{escape(title)}</span>'
    )
    if o.status != "planned":
        body += f' <span class="status">{escape(_bracket(label(o.status, lang), lang))}</span>'
    if o.provisional:
        mark = _bracket(label("provisional", lang), lang)
        body += f' <span class="provisional-mark">{escape(mark)}</span>'
    return f'<div class="{" ".join(classes)}"{attrs}>{body}</div>'


def _legend(lang: str) -> Iterator[str]:
    name = escape(view_label("legend", lang) + view_label("colon", lang))
    yield f'<ul class="legend"><li class="legend-title"><strong>{name}</strong></li>'
    for swatch, text in (
        ("holiday", label("holiday", lang)),
        ("closure", label("closure", lang)),
        ("workday", label("make_up_workday", lang)),
        ("busy", label("brigade_busy", lang)),
        ("activity", view_label("activity", lang)),
        ("provisional", label("provisional", lang)),
        ("weekend", view_label("weekend", lang)),
        ("out-of-term", view_label("out_of_term", lang)),
    ):
        yield f'<li><span class="swatch {swatch}"></span>{escape(text)}</li>'
    yield "</ul>"


def _bracket(text: str, lang: str) -> str:
    return f"({text})" if lang == "en" else f"（{text}）"
