"""Blocks as Markdown (GitHub flavour): headings, paragraphs, tables and ``- [ ]`` task lists."""

from __future__ import annotations

from collections.abc import Iterable

from partnership.views.document import Bars, Block, Heading, Paragraph, Table, TaskList
from partnership.views.escape import md, md_cell


def render(blocks: Iterable[Block]) -> str:
    """The blocks as one Markdown text, a blank line between blocks, ending in a newline."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append("#" * b.level + " " + md(b.text))
        elif isinstance(b, Paragraph):
            text = md(b.text)
            out.append({"note": f"> {text}", "strong": f"**{text}**"}.get(b.style, text))
        elif isinstance(b, Table):
            rows = [b.headers, *b.rows]
            table = ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
            table.insert(1, "|" + "|".join("---" for _ in b.headers) + "|")
            out.append("\n".join(table))
        elif isinstance(b, TaskList):
            out.append("\n".join(_task(i.done, i.id, i.text, i.state, i.overdue) for i in b.items))
        elif isinstance(b, Bars):
            continue  # a picture; its numbers are in a table beside it
        out.append("")
    return "\n".join(out)


def _task(done: bool, task_id: str, text: str, state: str, overdue: bool) -> str:
    box = "[x]" if done else "[ ]"
    tail = ""
    if state:
        tail = f" — **{md(state)}**" if overdue else f" — {md(state)}"
    return f"- {box} `{task_id}` {md(text)}{tail}"
