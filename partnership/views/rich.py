"""Blocks for the terminal (rich): every text as ``Text``, so ``[red]`` in a note stays text."""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from partnership.views.document import Bars, Block, Heading, Paragraph, Table, TaskList

_HEADING = {1: "bold underline", 2: "bold", 3: "bold italic"}
_PARAGRAPH = {"": "", "note": "dim", "warning": "yellow", "strong": "bold"}


def render(blocks: Iterable[Block]) -> RenderableType:
    """The blocks as one renderable, in order."""
    parts: list[RenderableType] = []
    for b in blocks:
        if isinstance(b, Heading):
            parts.append(Text(("\n" if b.level == 2 else "") + b.text, style=_HEADING[b.level]))
        elif isinstance(b, Paragraph):
            parts.append(Text(b.text, style=_PARAGRAPH[b.style]))
        elif isinstance(b, Table):
            table = RichTable(*b.headers)
            for row in b.rows:
                table.add_row(*(Text(c) for c in row))
            parts.append(table)
        elif isinstance(b, TaskList):
            tasks = RichTable(box=box.SIMPLE, show_header=False, pad_edge=False)
            tasks.add_column(no_wrap=True)
            tasks.add_column(no_wrap=True)
            tasks.add_column()
            for i in b.items:
                text = f"{i.text} · {i.state}" if i.state else i.text
                style = "red" if i.overdue else "dim" if i.done else ""
                tasks.add_row(Text("☑" if i.done else "☐"), Text(i.id), Text(text), style=style)
            parts.append(tasks)
        elif isinstance(b, Bars):
            continue  # the numbers are in a table beside it
    return Group(*parts)
