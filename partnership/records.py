"""The records file ``<stem>.records.yaml``: what happened, and what was published.

This module holds the validated model of the file; reading and writing it
(atomically, under a lock) lives beside it in this module too.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from partnership.model import Date, Text, TimeRange


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OccurrenceRecord(_Model):
    """What is known about one occurrence beyond the agreement."""

    status: Literal["done", "cancelled", "moved"] | None = None
    note: str | None = None
    reason: str | None = None  # why it was cancelled
    date: Date | None = None  # the date it was moved to (status moved)
    time: TimeRange | None = None  # the time it was moved to, when changed
    sequence: StrictInt = Field(default=0, ge=0)  # iCalendar SEQUENCE: +1 per move
    published: Date | None = None  # the date last written to an .ics (held on later runs)


class TaskRecord(_Model):
    """A ticked checklist task."""

    done: Date  # the day it was ticked
    note: Text | None = None


class Records(_Model):
    """A whole records file."""

    version: Literal[1] = 1
    occurrences: dict[str, OccurrenceRecord] = {}
    tasks: dict[str, TaskRecord] = {}
