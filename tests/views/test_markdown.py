"""Blocks as Markdown: every block kind, and user text that cannot break them."""

from __future__ import annotations

from partnership.views.document import Bars, Heading, Paragraph, Table, TaskItem, TaskList
from partnership.views.markdown import render


def test_every_block_kind() -> None:
    text = render(
        [
            Heading(1, "标题\n第二行"),
            Paragraph("注意", "note"),
            Paragraph("活动", "strong"),
            Table(("a", "b"), (("x|y", "1\n2"),)),
            TaskList((TaskItem(False, "abc123", "做*事*", "逾期", overdue=True),
                      TaskItem(True, "def456", "完成", "完成于 2025-01-02"))),
            Bars("图", ("完成",), (("秋季", (1,)),)),
        ]
    )  # fmt: skip
    assert text.split("\n\n") == [
        "# 标题 第二行",
        "> 注意",
        "**活动**",
        "| a | b |\n|---|---|\n| x\\|y | 1<br>2 |",
        "- [ ] `abc123` 做\\*事\\* — **逾期**\n- [x] `def456` 完成 — 完成于 2025-01-02\n",
    ]  # the chart draws nothing in Markdown; the text ends in a newline
