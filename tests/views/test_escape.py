"""One escaper per format: whatever a text holds, a table row, a heading or a page stays whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnership.views.escape import attr, html, lines, md, md_cell, one_line

NASTY = "a|b\r\nc\rd\ne<f>&g`*_[x](y)#\u2028h\x00\x07"


def test_markdown_cell_keeps_its_row() -> None:
    cell = md_cell(NASTY)
    assert "\n" not in cell and "\r" not in cell and "\x00" not in cell
    assert cell.count("|") == cell.count("\\|") == 1
    assert cell.split("<br>") == ["a\\|b", "c", "d", "e\\<f\\>&g\\`\\*\\_\\[x\\](y)\\#", "h"]


def test_markdown_inline_is_one_line_and_starts_no_block() -> None:
    assert md("第一行\n第二行") == "第一行 第二行"
    assert md("1. 不是列表") == "\\1. 不是列表"
    assert md("- 不是列表") == "\\- 不是列表"
    assert md("# 不是标题") == "\\# 不是标题"


def test_html_text_and_attributes() -> None:
    assert html('<b>"x"</b> & y\r\nz') == "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; y<br>z"
    assert attr('a"b\nc') == "a&quot;b c"


@given(st.text())
def test_no_text_breaks_a_markdown_row(text: str) -> None:
    row = "| " + md_cell(text) + " | x |"
    assert len(row.splitlines()) == 1
    assert row.replace("\\\\", "").replace("\\|", "").count("|") == 3
    assert "\n" not in md(text) and "<" not in html(text).replace("<br>", "")


@pytest.mark.parametrize("text", ["", "\n", "a\n\nb"])
def test_lines_and_one_line(text: str) -> None:
    assert len(lines(text)) == text.count("\n") + 1
    assert "\n" not in one_line(text)


_BREAKS_AND_CONTROLS = st.sampled_from(
    ["\r\n", "\r", "\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x00", "\x1f", "\x7f"]
)
_SPACES = st.sampled_from(["\ufeff", "\t", " ", "\u3000"])
_MARKUP = st.sampled_from(list("\\`*_[]<>#|~-+=1."))


_PIECES = st.text(max_size=6) | _BREAKS_AND_CONTROLS | _SPACES | _MARKUP


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_quick_paths_say_what_the_rules_say(text: str) -> None:
    """one_line's shortcut for a text with no break or control character, and the markup
    escaping, give what splitting and escaping character by character give."""
    parts = [p.strip() for p in lines(text) if p.strip()]
    assert one_line(text) == " ".join(parts)

    def escape(part: str) -> str:
        return "".join("\\" + ch if ch in "\\`*_[]<>#|~" else ch for ch in part)

    assert md_cell(text) == "<br>".join(escape(part) for part in lines(text))
    escaped = escape(" ".join(parts))
    starts_block = escaped[:1] in ("-", "+", "=") or escaped.split(".")[0].split(")")[0].isdigit()
    assert md(text) in (escaped, "\\" + escaped)
    if not starts_block:
        assert md(text) == escaped


@given(st.text(), st.booleans())
def test_html_escape_is_the_standard_librarys(text: str, quote: bool) -> None:
    import html as stdlib_html

    from partnership.views.escape import html_escape

    assert html_escape(text, quote) == stdlib_html.escape(text, quote)
