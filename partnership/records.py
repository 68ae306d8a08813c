"""The records file ``<stem>.records.yaml``: what happened, and what was published.

This module holds the validated model of the file, the pure changes the commands
make to it, and reading and writing it (atomically, under a file lock).
"""

import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from partnership.errors import InputError, Problem
from partnership.fsio import atomic_write, heal
from partnership.loader import read_limited, validate_document
from partnership.locks import FileLock
from partnership.messages import t
from partnership.model import Agreement, Date, Text, TimeRange, suggest
from partnership.plan import Plan
from partnership.publishing.state import Publishing
from partnership.yamlsource import Document, parse_yaml, scalar_value

MAX_SEQUENCE = 10_000
"""Largest iCalendar SEQUENCE kept (one per move or cancellation; a real one is below 10)."""
MAX_ENTRIES = 20_000
"""Most occurrence or task records in one file (an agreement has at most a few thousand)."""


class _Model(BaseModel):
    # deferred: the records file's validator is built once, at its first validation
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class OccurrenceRecord(_Model):
    """What is known about one occurrence beyond the agreement."""

    status: Literal["done", "cancelled", "moved"] | None = None
    note: str | None = None
    reason: str | None = None  # why it was cancelled
    date: Date | None = None  # the date it was moved to (status moved)
    time: TimeRange | None = None  # the time it was moved to, when changed
    sequence: StrictInt = Field(default=0, ge=0, le=MAX_SEQUENCE)  # iCalendar SEQUENCE: +1/move
    published: Date | None = None  # the date last written to an .ics (held on later runs)
    # the published date is a proposal (the earlier one became impossible): it stays
    # flagged in every plan until record --move confirms a date
    unconfirmed: StrictBool = False

    @model_validator(mode="after")
    def _moved_has_date(self) -> "OccurrenceRecord":
        if self.status == "moved" and self.date is None:
            raise ValueError(t("hardening.moved_without_date"))
        return self


class TaskRecord(_Model):
    """A ticked checklist task."""

    done: Date  # the day it was ticked
    note: Text | None = None


class Records(_Model):
    """A whole records file.

    New kinds of records (publication state, feed tokens, ...) are new optional
    top-level sections here, each a model of its own with an empty default, so files
    written before them stay valid and :func:`dump_records` leaves them out when empty.
    """

    version: Literal[1] = 1
    occurrences: Annotated[dict[str, OccurrenceRecord], Field(max_length=MAX_ENTRIES)] = {}
    tasks: Annotated[dict[str, TaskRecord], Field(max_length=MAX_ENTRIES)] = {}
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
    return read_records(path)[0]


def read_records(path: Path) -> tuple[Records, Document | None]:
    """The records at ``path`` and the parsed file (for positions; None when there is none)."""
    heal(path.parent)  # a command killed while writing it: finish or undo that first
    if not os.path.lexists(path):
        return Records(), None
    data = read_limited(path)
    if not data.strip():
        return Records(), None
    doc = parse_yaml(data, str(path))
    return validate_document(doc, Records), doc


def out_of_period(records: Records, agreement: Agreement) -> dict[str, tuple[str, ...]]:
    """Occurrence records with a date outside the agreement: id → the keys holding one."""
    info = agreement.agreement
    found: dict[str, tuple[str, ...]] = {}
    for oid, rec in records.occurrences.items():
        keys = tuple(
            key
            for key, day in (("date", rec.date), ("published", rec.published))
            if day is not None and not info.start <= day <= info.end
        )
        if keys:
            found[oid] = keys
    return found


def date_problems(
    records: Records, doc: Document | None, agreement: Agreement, agreement_file: str
) -> list[Problem]:
    """Located errors for dates outside the agreement, each saying how to mend it."""
    if doc is None:
        return []
    info = agreement.agreement
    return [
        doc.problem(
            ("occurrences", oid, key),
            t(
                "hardening.record_date_outside",
                key=f"occurrences.{oid}.{key}",
                date=getattr(records.occurrences[oid], key),
                start=info.start,
                end=info.end,
                file=agreement_file,
                id=oid,
            ),
        )
        for oid, keys in out_of_period(records, agreement).items()
        for key in keys
    ]


def mend(records: Records, occurrence_id: str, agreement: Agreement) -> Records:
    """``records`` without the dates outside the agreement of one occurrence (before a change)."""
    bad = out_of_period(records, agreement).get(occurrence_id)
    if not bad:
        return records
    rec = records.occurrences[occurrence_id]
    update: dict[str, Any] = dict.fromkeys(bad)
    if "date" in bad and rec.status == "moved":
        update["status"] = None
    return _with_occurrence(records, occurrence_id, rec.model_copy(update=update))


def unknown_ids(
    records: Records, doc: Document | None, occurrences: list[str], tasks: list[str] | None
) -> list[Problem]:
    """Warnings for records of occurrences (and tasks, when given) the agreement does not have."""
    if doc is None:
        return []
    groups: list[tuple[str, Mapping[str, object], list[str]]] = [
        ("occurrences", records.occurrences, occurrences)
    ]
    if tasks is not None:
        groups.append(("tasks", records.tasks, tasks))
    found = []
    for section, entries, known in groups:
        ids = set(known)
        for key in entries:
            if key in ids:
                continue
            hint = suggest(key, known)
            found.append(
                doc.problem(
                    (section, key),
                    t(
                        f"hardening.unknown_{section}",
                        id=key,
                        hint=t("hardening.did_you_mean", id=hint) if hint else "",
                    ),
                    key=True,
                )
            )
    return found


def dump_records(records: Records) -> bytes:
    """The records as readable YAML (UTF-8, sorted keys, defaults left out) with a header."""
    data = _plain(records.model_dump(mode="python", exclude_defaults=True))
    data["version"] = records.version
    body = None
    if _FAST_DUMPER is not None:
        body = _dump(data, _FAST_DUMPER)
        if "\\U" in body:  # escaped beyond U+FFFF (or a note with such text)
            body = None
    if body is None:
        body = _dump(data, _Dumper)
    return (_HEADER + body).encode("utf-8")


def _dump(data: Any, dumper: Any) -> str:
    """``data`` as the records file's YAML, by ``dumper``."""
    text: str = yaml.dump(
        data, Dumper=dumper, allow_unicode=True, sort_keys=True, default_flow_style=False, width=100
    )
    return text


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors: a date used twice is written twice, as a person would."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.representer.SafeRepresenter, data: str) -> yaml.ScalarNode:
    """Text quoted whenever our reader (YAML 1.2 core rules) would read it as something else.

    PyYAML decides by YAML 1.1 rules, which leave ``1e5`` or ``0E0`` plain; the reader
    (:func:`partnership.yamlsource.scalar_value`) would read those back as numbers.
    """
    value = scalar_value(data, True)
    style = None if type(value) is str and value == data else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _fast_dumper() -> Any:
    """:class:`_Dumper` on libyaml's emitter, where PyYAML has it (else None): the same
    text 4× faster, except that it escapes characters beyond U+FFFF (an emoji in a note
    becomes ``"\\U0001F692"``), so a file where it did is written by :class:`_Dumper`
    (tests compare the two)."""
    base = getattr(yaml, "CSafeDumper", None)
    if base is None:
        return None
    dumper: Any = type("_FastDumper", (base,), {"ignore_aliases": _Dumper.ignore_aliases})
    dumper.add_representer(str, _represent_str)
    return dumper


_FAST_DUMPER = _fast_dumper()


def _plain(value: Any) -> Any:
    """Values YAML writes as a person would: dates bare, times as "HH:MM"."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return value


def lock(path: Path) -> FileLock:
    """The lock every writer of the records file at ``path`` holds while it reads and writes."""
    return FileLock(str(real_path(path)) + ".lock")


def real_path(path: Path) -> Path:
    """Where a records file really is: a symlinked one is written through to its target."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def writable(path: Path) -> Path:
    """The real path of a records file that may be replaced; a read-only one is refused.

    The permission bits are checked, not only :func:`os.access`: root may write anything,
    but a records file made read-only is a "do not change" that the tool respects.
    """
    real = real_path(path)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return real
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise InputError([Problem(str(path), None, None, t("hardening.records_read_only"))])
    return real


def update_records(path: Path, change: Callable[[Records], Records]) -> Records:
    """Read-modify-write ``path`` under a file lock; a damaged file raises and stays untouched."""
    path = writable(path)
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
    """Remember the date of every occurrence written to an .ics, lead-up sessions included
    (not provisional, not cancelled)."""
    occurrences = dict(records.occurrences)
    proposed = plan.unconfirmed()
    for o in plan.occurrences:
        if o.provisional or o.status == "cancelled":
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
