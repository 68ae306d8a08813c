"""The one escaping helper per format: any text (title, note, reason, contact) made safe.

Every writer puts user text through these, so a newline, a CR, a ``|`` or a ``<`` never
breaks a Markdown table, a heading or an HTML page. Control characters other than TAB and
line breaks are dropped everywhere: no format can show them.
"""

from __future__ import annotations

import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff]")
_MD_SPECIAL = frozenset("\\`*_[]<>#|~")


# a line break or a control character: text without one is one line as it is (most texts)
_BREAK_OR_CONTROL = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85\x00-\x08\x0e-\x1f\x7f\ufeff]")
_MD_MARKUP = re.compile("[" + re.escape("".join(sorted(_MD_SPECIAL))) + "]")
_MD_LIST_START = re.compile(r"^(\d+[.)]|[-+=])(\s|$)")


def html_escape(text: str, quote: bool = True) -> str:
    """``html.escape`` itself (the same replacements in the same order), without importing
    ``html``, whose entity table costs about a millisecond of every build."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text


def lines(text: str) -> list[str]:
    """``text`` split at every kind of line break, control characters dropped."""
    return _LINE_BREAK.split(_CONTROL.sub("", text))


def one_line(text: str) -> str:
    """``text`` on one line: line breaks become spaces (headings, list items, cells of sheets)."""
    if not _BREAK_OR_CONTROL.search(text):
        return text.strip()
    return " ".join(part.strip() for part in lines(text) if part.strip())


def _md(text: str) -> str:
    # a regex, not str.translate: translate with a table is slow on Chinese text
    return _MD_MARKUP.sub(r"\\\g<0>", text) if _MD_MARKUP.search(text) else text


def md(text: str) -> str:
    """Markdown inline text on one line: markup characters escaped, breaks become spaces.

    Good for headings, list items and paragraphs: nothing the text holds starts markup.
    """
    out = _md(one_line(text))
    # a line starting "1. ", "- " or "+ " would become a list; "=" or "-" alone a heading
    return "\\" + out if _MD_LIST_START.match(out) else out


def md_cell(text: str) -> str:
    """A Markdown table cell: markup escaped, ``|`` escaped, line breaks as ``<br>``.

    The cell stays on its row whatever the text holds, and its lines show as lines.
    """
    if not _BREAK_OR_CONTROL.search(text):
        return _md(text)
    return "<br>".join(_md(part) for part in lines(text))


def html(text: str) -> str:
    """HTML text content: ``<``, ``>``, ``&`` and quotes escaped, line breaks as ``<br>``."""
    return "<br>".join(html_escape(part) for part in lines(text))


def attr(text: str) -> str:
    """An HTML attribute value (inside double quotes), on one line."""
    return html_escape(one_line(text), quote=True)
