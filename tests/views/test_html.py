"""Blocks as one HTML page: escaped text, task lists, and a bar chart without scripts."""

from __future__ import annotations

import re

import pytest

from partnership.views.document import Bars, Heading, Paragraph, Table, TaskItem, TaskList
from partnership.views.html import page


def test_a_page_of_every_block_kind() -> None:
    html = page(
        "报告\n<第二行>",
        "zh-CN",
        [
            Heading(2, "<h2>"),
            Paragraph("a\r\nb", "warning"),
            Table(("a",), (("<td>",),)),
            TaskList((TaskItem(False, "abc123", "任务", "逾期", overdue=True),)),
            Bars("各学期", ("完成", "取消", "未开展", "待进行"), (("秋季", (2, 0, 1, 3)),)),
        ],
    )
    assert "<title>报告 &lt;第二行&gt;</title>" in html
    assert "<h2>&lt;h2&gt;</h2>" in html and '<p class="warning">a<br>b</p>' in html
    assert "<td>&lt;td&gt;</td>" in html and '<li class="overdue">☐' in html
    assert "<script" not in html and "http://www.w3.org/2000/svg" in html
    # one segment per non-zero count, widths in proportion, each with its number
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="26" width="([\d.]+)"', html)]
    assert len(widths) == 3
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)
    assert widths[2] == pytest.approx(3 * widths[1], abs=0.2)
    assert "<title>未开展: 1</title>" in html
    assert html.count("<pattern ") == 4  # shades and patterns tell the series apart in grey
