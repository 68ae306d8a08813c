"""A document as every format lays it out: headings, paragraphs, tables, task lists, bar charts.

The report and the checklist are turned into these blocks once (:mod:`.report`,
:mod:`.checklist`); each format (:mod:`.markdown`, :mod:`.html`, :mod:`.rich`) renders any
list of blocks, so a new format is one new renderer. The texts in blocks are plain: each
renderer escapes them with :mod:`.escape`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Heading:
    """A heading of level 1..3."""

    level: Literal[1, 2, 3]
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``style`` marks a note (muted), a warning or a strong lead line."""

    text: str
    style: Literal["", "note", "warning", "strong"] = ""


@dataclass(frozen=True)
class Table:
    """A table of text cells; every row has as many cells as ``headers``."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TaskItem:
    """One line of a task list: ticked or not, its id, its text, what follows it."""

    done: bool
    id: str
    text: str
    state: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class TaskList:
    """Tasks to tick."""

    items: tuple[TaskItem, ...]


@dataclass(frozen=True)
class Bars:
    """Stacked bars: one per row label, one segment per series (a picture of a table).

    Formats that cannot draw leave it out; the same numbers are always in a table too.
    """

    title: str
    series: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]


Block = Heading | Paragraph | Table | TaskList | Bars
