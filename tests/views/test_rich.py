"""Blocks for the terminal: markup in user text stays text."""

from __future__ import annotations

from rich.console import Console

from partnership.views.document import Heading, Paragraph, Table, TaskItem, TaskList
from partnership.views.rich import render


def test_markup_in_text_is_shown_as_text() -> None:
    console = Console(record=True, width=100, color_system=None)
    console.print(
        render(
            [
                Heading(1, "[bold]标题[/bold]"),
                Paragraph("[red]x[/red]"),
                Table(("a",), (("[link]",),)),
                TaskList((TaskItem(True, "abc123", "任务", "完成于 2025-01-02"),)),
            ]
        )
    )
    out = console.export_text()
    for text in ("[bold]标题[/bold]", "[red]x[/red]", "[link]", "☑", "abc123", "任务 · 完成于"):
        assert text in out, text
