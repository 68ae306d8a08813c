"""Shared builders for tests: the agreement header and parties every scenario repeats, the example.

Each test module keeps its own scenario (terms, closures, commitments) and passes it here;
only what is the same everywhere (version, agreement id and years, the two parties) lives here.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from partnership.model import Agreement, cross_check
from partnership.plan import Occurrence

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "schedules" / "damo-primary.yaml"
EXAMPLE_ID = "damo-fire-2024"
SCHOOL = "永川区大磨小学"
BRIGADE = "永川区消防救援支队"
MIDTERM_EXAMS = {"name": "期中考试", "start": "2024-11-07", "end": "2024-11-08"}
# the keys of one occurrence in `plan --json` (cli.md), besides lead_up_of on lead-ups
OCCURRENCE_KEYS = {
    "id",
    "commitment",
    "term",
    "title",
    "date",
    "start",
    "end",
    "all_day",
    "status",
    "provisional",
    "uid",
    "why",
}
SPRING_FESTIVAL_DUTY = {"name": "春节战备", "start": "2025-01-15", "end": "2025-02-10"}


def term(term_id: str, name: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    """One term of the ``calendar.terms`` list (``extra``: closures and the like)."""
    return {"id": term_id, "name": name, "start": start, "end": end, **extra}


def autumn_2024(name: str = "2024—2025学年第一学期") -> dict[str, Any]:
    """The 2024 autumn term of the calendar views: it starts on a Sunday; exams on 7–8 Nov."""
    return term("2024-autumn", name, "2024-09-01", "2025-01-17", closures=[MIDTERM_EXAMS])


def per_term(cid: str, title: str, count: int = 1, **extra: Any) -> dict[str, Any]:
    """A commitment held ``count`` times a term (``extra``: kind, programme, time ...)."""
    return {"id": cid, "title": title, "repeat": {"per": "term", "count": count}, **extra}


def agreement_data(
    *,
    terms: list[dict[str, Any]],
    commitments: list[dict[str, Any]],
    title: str = "三年共建协议",
    language: str | None = None,
    parties: dict[str, Any] | None = None,
    calendar: dict[str, Any] | None = None,
    **header: Any,
) -> dict[str, Any]:
    """An agreement as loaded from YAML: ``damo-fire-2024``, 2024-06-08 to 2027-06-07.

    ``header`` adds to or overrides the ``agreement`` section (id, start, end, timezone);
    ``language`` is left out (the model's default) unless given; ``calendar`` adds to the
    calendar section beside ``terms``. Everything passed in is copied, never shared.
    """
    info: dict[str, Any] = {
        "id": EXAMPLE_ID,
        "title": title,
        "start": "2024-06-08",
        "end": "2027-06-07",
    }
    if language is not None:
        info["language"] = language
    info.update(header)
    data = {
        "version": 1,
        "agreement": info,
        "parties": parties or {"school": {"name": SCHOOL}, "brigade": {"name": BRIGADE}},
        "calendar": {**(calendar or {}), "terms": terms},
        "commitments": commitments,
    }
    return copy.deepcopy(data)


def agreement(**kw: Any) -> Agreement:
    """The validated :func:`agreement_data` for the same keywords."""
    return Agreement.model_validate(agreement_data(**kw))


def occurrence(
    oid: str, day: str, start: dt.time | None, title: str, minutes: int = 60, **kw: Any
) -> Occurrence:
    """A hand-made occurrence of ``minutes`` from ``start`` (all day without); no term."""
    date = dt.date.fromisoformat(day)
    end = None
    if start is not None:
        end = (dt.datetime.combine(date, start) + dt.timedelta(minutes=minutes)).time()
    return Occurrence(
        id=oid, commitment=oid.split("/")[0], term=None, title=title,
        date=date, start=start, end=end, why="test", **kw,
    )  # fmt: skip


def copy_example(folder: Path, name: str = "damo-primary.yaml", aid: str | None = None) -> Path:
    """The example agreement copied into ``folder`` (records land beside it), maybe renamed.

    ``aid`` gives the copy another agreement id, so two copies can be built together.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy(EXAMPLE, target)
    if aid is not None:
        text = target.read_text(encoding="utf-8")
        line = f"  id: {EXAMPLE_ID}\n"
        assert line in text
        target.write_text(text.replace(line, f"  id: {aid}\n", 1), "utf-8")
    return target


AUTUMN_2024: dict[str, Any] = {
    "id": "2024-autumn",
    "name": "2024—2025学年第一学期",
    "start": "2024-09-01",
    "end": "2025-01-17",
}
SPRING_2025: dict[str, Any] = {
    "id": "2025-spring",
    "name": "2024—2025学年第二学期",
    "start": "2025-02-17",
    "end": "2025-06-30",
}


def make_agreement(
    commitments: list[dict[str, Any]],
    terms: list[dict[str, Any]] | None = None,
    *,
    start: str = "2024-06-08",
    end: str = "2025-07-31",
    scheduling: dict[str, int] | None = None,
    language: str = "zh-CN",
    festivals: list[dict[str, Any]] | None = None,
    **calendar: Any,
) -> Agreement:
    """A valid agreement for tests: the given commitments, terms, custom festivals and
    calendar settings."""
    a = Agreement.model_validate(
        {
            "version": 1,
            "agreement": {
                "id": "test-fire",
                "title": "共建协议",
                "start": start,
                "end": end,
                "language": language,
            },
            "parties": {"school": {"name": "大磨小学"}, "brigade": {"name": "消防救援支队"}},
            "calendar": {"terms": terms or [AUTUMN_2024, SPRING_2025], **calendar},
            "festivals": festivals or [],
            "scheduling": scheduling or {},
            "commitments": commitments,
        }
    )
    problems = cross_check(a)
    assert not problems, problems
    return a
