"""The term calendar (校历) for the terminal: a rich table, rows = term weeks, columns Mon..Sun."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from partnership.i18n import WEEKDAY_KEYS, label, week
from partnership.plan import Occurrence
from partnership.views.grid import GridDay, GridWeek, TermGrid, activity_title, view_label

STYLES: dict[str, str] = {
    "holiday": "bold white on red",
    "workday": "bold black on yellow",
    "closure": "black on magenta",
    "brigade_busy": "italic cyan",
    "activity": "bold green",
    "cancelled": "strike dim",
    "provisional": "bold yellow",
    "weekend": "dim",
    "out_of_term": "dim italic",
}


def render_rich(grid: TermGrid) -> RenderableType:
    """The term's grid as a rich table titled with the term name, a legend below it."""
    lang = grid.language
    table = Table(title=grid.term_name, show_lines=True, title_style="bold", expand=True)
    table.add_column("", no_wrap=True)
    for key in WEEKDAY_KEYS:
        table.add_column(label(key, lang), ratio=1, overflow="fold")
    for w in grid.weeks:
        table.add_row(_week_cell(w, lang), *(_day_cell(d, lang) for d in w.days))
    parts: list[RenderableType] = []
    if grid.provisional:
        years = "、".join(str(y) for y in grid.provisional_years)
        banner = view_label("provisional_banner", lang).format(years=years)
        parts.append(Text(banner, style=STYLES["provisional"]))
    parts += [table, _legend(lang)]
    return Group(*parts)


def _week_cell(w: GridWeek, lang: str) -> Text:
    return Text(f"{week(w.number, lang)}\n{w.monday:%m-%d}–{w.sunday:%m-%d}", style="bold")


def _day_cell(d: GridDay, lang: str) -> Text:
    date = f"{d.date.month}-{d.date.day}"
    if d.in_term:
        cell = Text(date, style=STYLES["weekend"] if d.weekend and not d.make_up_workday else "")
    else:
        cell = Text(f"({date})", style=STYLES["out_of_term"])
    if d.day_off and d.holiday is not None:
        cell.append("\n").append(d.holiday, style=STYLES["holiday"])
    if d.make_up_workday:
        cell.append("\n").append(label("make_up_workday", lang), style=STYLES["workday"])
        if d.holiday is not None:
            cell.append(f" {d.holiday}", style=STYLES["workday"])
    for name in d.closures:
        cell.append("\n").append(name, style=STYLES["closure"])
    for name in d.brigade_busy:
        busy = f"{label('brigade_busy', lang)}{view_label('colon', lang)}{name}"
        cell.append("\n").append(busy, style=STYLES["brigade_busy"])
    for o in d.occurrences:
        cell.append("\n").append_text(_activity(o, lang))
    return cell


def _activity(o: Occurrence, lang: str) -> Text:
    when = f"{o.start:%H:%M}" if o.start is not None else label("all_day", lang)
    title = activity_title(o, lang)
    style = STYLES["cancelled"] if o.status == "cancelled" else STYLES["activity"]
    text = Text(f"{when} {title}", style=style)
    if o.status != "planned":
        text.append(f" [{label(o.status, lang)}]")
    if o.provisional:
        text.append(f" [{label('provisional', lang)}]", style=STYLES["provisional"])
    return text


def _legend(lang: str) -> Text:
    legend = Text(f"{view_label('legend', lang)}{view_label('colon', lang)}", style="bold")
    samples = (
        (label("holiday", lang), STYLES["holiday"]),
        (label("make_up_workday", lang), STYLES["workday"]),
        (label("closure", lang), STYLES["closure"]),
        (label("brigade_busy", lang), STYLES["brigade_busy"]),
        (f"HH:MM {view_label('activity', lang)}", STYLES["activity"]),
        (f"[{label('provisional', lang)}]", STYLES["provisional"]),
        (view_label("weekend", lang), STYLES["weekend"]),
        (f"(M-D) {view_label('out_of_term', lang)}", STYLES["out_of_term"]),
    )
    for i, (text, style) in enumerate(samples):
        if i:
            legend.append("  ")
        legend.append(text, style=style)
    return legend
