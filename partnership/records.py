"""The records file ``<stem>.records.yaml``: what happened, and what was published.

This module holds the validated model of the file, the pure changes the commands
make to it, and reading and writing it (atomically, under a file lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

if TYPE_CHECKING:
    from filelock import FileLock

from partnership.fsio import atomic_write
from partnership.loader import read_limited, validate_document
from partnership.model import Date, Text, TimeRange
from partnership.plan import Plan
from partnership.publishing.state import Publishing
from partnership.yamlsource import parse_yaml, scalar_value


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
    # the published date is a proposal (the earlier one became impossible): it stays
    # flagged in every plan until record --move confirms a date
    unconfirmed: StrictBool = False


class TaskRecord(_Model):
    """A ticked checklist task."""

    done: Date  # the day it was ticked
    note: Text | None = None


class Records(_Model):
    """A whole records file."""

    version: Literal[1] = 1
    occurrences: dict[str, OccurrenceRecord] = {}
    tasks: dict[str, TaskRecord] = {}
    publishing: Publishing = Publishing()  # CalDAV objects and feed tokens (publishing/state.py)


# ------------------------------------------------------------------------- reading and writing

_HEADER = """\
# 共建协议执行记录（partnership 命令 record、tick、ics 写入；也可以手工编辑）。
#   occurrences: 活动编号 -> status（done 已完成 | cancelled 已取消 | moved 已改期）、
#     note 备注、reason 取消原因、date/time 改期后的日期和时间、sequence 改期次数、
#     published 已写入 .ics 的日期（以后重新生成时保持不变）、unconfirmed 该日期是尚未确认的建议
#   tasks: 清单任务编号 -> done 勾选日期、note 备注
# Records of a partnership agreement, written by `partnership record`, `tick` and `ics`;
# safe to edit by hand. occurrences: activity id -> status (done | cancelled | moved), note,
# reason (why cancelled), date/time (moved to), sequence (number of moves), published (the
# date written to an .ics, kept on later runs), unconfirmed (that date is a proposal not yet
# confirmed with record --move). tasks: checklist task id -> done (day ticked).
"""


def records_path(agreement_path: Path) -> Path:
    """The records file beside an agreement: ``<stem>.records.yaml``."""
    return agreement_path.with_name(f"{agreement_path.stem}.records.yaml")


def load_records(path: Path) -> Records:
    """Read and validate a records file; a missing or blank file is empty records (InputError)."""
    if not path.exists():
        return Records()
    data = read_limited(path)
    if not data.strip():
        return Records()
    return validate_document(parse_yaml(data, str(path)), Records)


def dump_records(records: Records) -> bytes:
    """The records as readable YAML (UTF-8, sorted keys, defaults left out) with a header."""
    data = records.model_dump(mode="python", exclude_defaults=True)
    data["version"] = records.version
    body = yaml.dump(
        _plain(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=True,
        default_flow_style=False,
        width=100,
    )
    return (_HEADER + body).encode("utf-8")


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors: a date used twice is written twice, as a person would."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Text quoted when our YAML 1.2 reading would take it for a number (task id ``1000e0``)."""
    style = "'" if scalar_value(value, plain=True) != value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _plain(value: Any) -> Any:
    """Values YAML writes as a person would: dates bare, times as "HH:MM"."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return value


def lock(path: Path) -> FileLock:
    """The lock every writer of the records file at ``path`` holds while it reads and writes."""
    from filelock import FileLock  # only commands that write records pay for the import

    return FileLock(str(path) + ".lock")


def update_records(path: Path, change: Callable[[Records], Records]) -> Records:
    """Read-modify-write ``path`` under a file lock; a damaged file raises and stays untouched."""
    with lock(path):
        old = load_records(path)
        new = change(old)
        if new != old:
            atomic_write(path, dump_records(new))
    return new


# ------------------------------------------------------------------------- changes (pure)


def _occurrence(records: Records, occurrence_id: str) -> OccurrenceRecord:
    return records.occurrences.get(occurrence_id, OccurrenceRecord())


def _with_occurrence(records: Records, occurrence_id: str, rec: OccurrenceRecord) -> Records:
    occurrences = {**records.occurrences, occurrence_id: rec}
    return records.model_copy(update={"occurrences": dict(sorted(occurrences.items()))})


def record_done(records: Records, occurrence_id: str, note: str | None = None) -> Records:
    """The occurrence took place (a note, when given, replaces the earlier one)."""
    rec = _occurrence(records, occurrence_id)
    update: dict[str, Any] = {"status": "done", "reason": None}
    if note is not None:
        update["note"] = note
    return _with_occurrence(records, occurrence_id, rec.model_copy(update=update))


def record_cancel(records: Records, occurrence_id: str, reason: str) -> Records:
    """The occurrence was called off, and why (it stays in the .ics as cancelled)."""
    rec = _occurrence(records, occurrence_id)
    # SEQUENCE rises so calendar apps apply the cancellation (RFC 5545 3.8.7.4)
    changed = rec.model_copy(
        update={"status": "cancelled", "reason": reason, "sequence": rec.sequence + 1}
    )
    return _with_occurrence(records, occurrence_id, changed)


def record_move(
    records: Records, occurrence_id: str, date: dt.date, time: TimeRange | None = None
) -> Records:
    """The occurrence moves to ``date`` (and ``time``, else the time so far); SEQUENCE + 1."""
    rec = _occurrence(records, occurrence_id)
    changed = rec.model_copy(
        update={
            "status": "moved",
            "reason": None,
            "date": date,
            "time": time if time is not None else rec.time,
            "sequence": rec.sequence + 1,
            "unconfirmed": False,
        }
    )
    return _with_occurrence(records, occurrence_id, changed)


def tick(records: Records, task_id: str, today: dt.date, undo: bool = False) -> Records:
    """Tick a checklist task on ``today`` (ticking twice keeps the first day), or untick it."""
    tasks = dict(records.tasks)
    if undo:
        tasks.pop(task_id, None)
    elif task_id not in tasks:
        tasks[task_id] = TaskRecord(done=today)
    return records.model_copy(update={"tasks": dict(sorted(tasks.items()))})


def publish(records: Records, plan: Plan) -> Records:
    """Remember the date of every occurrence written to an .ics (not provisional, not cancelled)."""
    occurrences = dict(records.occurrences)
    proposed = plan.unconfirmed()
    for o in plan.occurrences:
        if o.provisional or o.status == "cancelled" or not o.is_main:
            continue
        rec = occurrences.get(o.id, OccurrenceRecord())
        # a proposed new date went out with a higher SEQUENCE: keep it from going back,
        # and remember that nobody confirmed it yet
        update = {
            "published": o.date,
            "sequence": max(rec.sequence, o.sequence),
            "unconfirmed": o.id in proposed,
        }
        if (rec.published, rec.sequence, rec.unconfirmed) != tuple(update.values()):
            occurrences[o.id] = rec.model_copy(update=update)
    return records.model_copy(update={"occurrences": dict(sorted(occurrences.items()))})
