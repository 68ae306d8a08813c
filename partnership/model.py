"""The agreement file as validated pydantic models (contract: agreement-format.md, version 1).

Shape and per-field rules live on the models; rules that relate several parts of
the file (terms inside the agreement, ids that refer to terms, ...) live in
:func:`cross_check`, which returns located findings instead of raising so that
every problem can be reported at once.

No ``from __future__ import annotations`` here: pydantic would evaluate every field's
annotation from its string (a compile per field, ~7 ms of a single `build`).
"""

import datetime as dt
import difflib
import functools
import itertools
import re
import zoneinfo
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)

from partnership.messages import t

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KINDS: tuple[str, ...] = ("visit", "sports", "performance", "drill", "lecture", "meeting", "other")
AUDIENCES: tuple[str, ...] = ("teachers", "students", "parents", "brigade")
PLACEMENTS: tuple[str, ...] = ("before", "after", "nearest", "exact", "skip")
BUILTIN_FESTIVAL_KEYS: tuple[str, ...] = (
    "new-year",
    "spring-festival",
    "lantern",
    "womens-day",
    "arbor-day",
    "safety-education-day",
    "qingming",
    "labour-day",
    "youth-day",
    "disaster-prevention-day",
    "childrens-day",
    "dragon-boat",
    "party-day",
    "army-day",
    "teachers-day",
    "mid-autumn",
    "national-day",
    "double-ninth",
    "fire-day",
)
_DURATION_RE = re.compile(r"^-?P(?:(\d+)W|(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?)$")
DATE_YEARS = (1901, 2099)
"""Years any date of an agreement or records file may have (``holidays: cn``: 2004–2099)."""
MAX_REMINDER_SECONDS = 4 * 7 * 86400
"""A reminder fires at most four weeks (P4W) before or after the activity."""
MAX_OCCURRENCES = 2000
"""Activities one agreement may ask for in all (the plan stays quick)."""
MAX_AGREEMENT_YEARS = 10
DAYS_BOUND = 366
"""``days_before``/``days_after`` of lead-ups and tasks: at most a year."""
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise ValueError(t("model.bad_id", value=repr(value)))
    return value


def _time(value: object) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        m = _TIME_RE.match(value.strip())
        if m:
            return dt.time(int(m.group(1)), int(m.group(2)))
    raise ValueError(t("model.bad_time", value=repr(value)))


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _date_in_range(value)
    if isinstance(value, str):
        try:
            day = (
                dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
            )
        except ValueError:
            raise ValueError(t("model.unreal_date", value=repr(value))) from None
        if day is not None:
            return _date_in_range(day)
    raise ValueError(t("model.bad_date", value=repr(value)))


def _date_in_range(day: dt.date) -> dt.date:
    """A date of the years the calendars can know (lunar tables, date arithmetic)."""
    if not DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
        raise ValueError(
            t(
                "hardening.date_years",
                date=day.isoformat(),
                first=DATE_YEARS[0],
                last=DATE_YEARS[1],
            )
        )
    return day


def duration_seconds(value: str) -> int:
    """Seconds in an ISO 8601 duration such as ``P1D`` or ``PT2H`` (weeks, days, h, m, s)."""
    m = _DURATION_RE.fullmatch(value) if len(value) <= 40 else None
    if not m or value in ("P", "-P", "PT", "-PT") or value.endswith("T"):
        raise ValueError(t("model.bad_duration", value=repr(value)))
    w, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    total = (((w * 7 + d) * 24 + h) * 60 + mi) * 60 + s
    return -total if value.startswith("-") else total


def _duration(value: str) -> str:
    if abs(duration_seconds(value)) > MAX_REMINDER_SECONDS:
        raise ValueError(t("hardening.reminder_too_long", value=value))
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(t("model.bad_timezone", value=repr(value))) from None
    return value


Slug = Annotated[str, AfterValidator(_slug)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Time = Annotated[dt.time, BeforeValidator(_time)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Kind = Literal["visit", "sports", "performance", "drill", "lecture", "meeting", "other"]
Audience = Literal["teachers", "students", "parents", "brigade"]
Owner = Literal["school", "brigade"]
Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    # defer_build: the validators are made when a model is first used, so the agreement's
    # one schema is built once instead of one per class at import
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _phone(value: object) -> object:
    # an unquoted 13812345678 arrives as a number; a phone number is text
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Contact(_Model):
    name: Text
    role: str | None = None
    phone: Annotated[str | None, BeforeValidator(_phone)] = None
    email: str | None = None


class Party(_Model):
    name: Text
    address: str | None = None
    contacts: Annotated[list[Contact], Field(max_length=50)] = []


class BrigadeParty(Party):
    """The brigade; ``id`` joins it to a brigade of a district file (district mode)."""

    id: Slug | None = None


class Parties(_Model):
    school: Party
    brigade: BrigadeParty


class DayRange(_Model):
    """A named inclusive range of days (a closure, a brigade busy period, a day off)."""

    name: Text
    start: Date
    end: Date

    @model_validator(mode="after")
    def _order(self) -> "DayRange":
        if self.end < self.start:
            raise ValueError(t("model.day_order", end=self.end, start=self.start))
        if (self.end - self.start).days >= DAYS_BOUND:
            raise ValueError(t("hardening.range_too_long", most=DAYS_BOUND))
        return self

    def days(self) -> list[dt.date]:
        """Every date in the range, in order."""
        n = (self.end - self.start).days
        return [self.start + dt.timedelta(days=i) for i in range(n + 1)]


class Notice(_Model):
    """Official holiday data for one year (a 国务院办公厅 notice) beside or over built-in data."""

    year: Annotated[StrictInt, Field(ge=2000, le=2100)]
    days_off: Annotated[list[DayRange], Field(max_length=50)] = []
    workdays: Annotated[list[Date], Field(max_length=50)] = []


class Term(_Model):
    id: Slug
    name: Text
    start: Date
    end: Date
    closures: Annotated[list[DayRange], Field(max_length=100)] = []
    # set by Agreement (it knows the weekdays and holidays); None: no school day known
    _first_school_day: dt.date | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _order(self) -> "Term":
        if self.end < self.start:
            raise ValueError(t("model.day_order", end=self.end, start=self.start))
        return self

    @property
    def week1_monday(self) -> dt.date:
        """Monday of term week 1: the Monday-to-Sunday week containing the term's first
        school day (the first day itself for a term outside an agreement or without one)."""
        # read the private value directly: pydantic's __getattr__ is slow on this hot path
        private = self.__pydantic_private__ or {}
        first = private.get("_first_school_day") or self.start
        return first - dt.timedelta(days=first.weekday())

    @property
    def weeks(self) -> int:
        """Number of term weeks (week 1 to the week containing the last day)."""
        return (self.end - self.week1_monday).days // 7 + 1

    def week_of(self, day: dt.date) -> int:
        """Term week number of ``day`` (may be outside 1..weeks for days outside the term)."""
        return (day - self.week1_monday).days // 7 + 1


class CalendarSpec(_Model):
    holidays: Literal["cn", "none"] = "cn"
    weekdays: Annotated[list[Weekday], Field(min_length=1, max_length=7)] = [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
    ]
    notices: Annotated[list[Notice], Field(max_length=100)] = []
    closures: Annotated[list[DayRange], Field(max_length=500)] = []
    brigade_unavailable: Annotated[list[DayRange], Field(max_length=500)] = []
    terms: Annotated[list[Term], Field(min_length=1, max_length=30)]


class CustomFestival(_Model):
    key: Slug
    name: Text
    month: Annotated[StrictInt, Field(ge=1, le=12)]
    day: Annotated[StrictInt, Field(ge=1, le=31)]
    lunar: StrictBool = False

    @model_validator(mode="after")
    def _real_day(self) -> "CustomFestival":
        limit = (
            30
            if self.lunar
            else (29 if self.month == 2 else 30 if self.month in (4, 6, 9, 11) else 31)
        )
        if self.day > limit:
            raise ValueError(t("model.no_such_day", month=self.month, day=self.day))
        return self


class Scheduling(_Model):
    max_per_day: Annotated[StrictInt, Field(ge=1, le=20)] = 1
    min_gap_days: Annotated[StrictInt, Field(ge=0, le=60)] = 0


class TimeRange(_Model):
    start: Time
    end: Time

    @model_validator(mode="after")
    def _order(self) -> "TimeRange":
        if self.end <= self.start:
            raise ValueError(
                t("model.time_order", end=f"{self.end:%H:%M}", start=f"{self.start:%H:%M}")
            )
        return self


class Repeat(_Model):
    """One of the four repeat forms; exactly one must be given."""

    per: Literal["term", "month"] | None = None
    count: Annotated[StrictInt, Field(ge=1, le=200)] | None = None
    festivals: Annotated[list[Slug], Field(min_length=1, max_length=40)] | None = None
    placement: Literal["before", "after", "nearest", "exact", "skip"] = "before"
    max_shift_days: Annotated[StrictInt, Field(ge=0, le=60)] = 7
    once: Date | None = None
    once_in: Slug | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "Repeat":
        forms = [
            name
            for name, given in (
                ("per", self.per is not None),
                ("festivals", self.festivals is not None),
                ("once", self.once is not None),
                ("once_in", self.once_in is not None),
            )
            if given
        ]
        if len(forms) != 1:
            found = t("model.repeat.found", forms=", ".join(forms)) if forms else ""
            raise ValueError(t("model.repeat.one_form", found=found))
        if self.per is not None and self.count is None:
            raise ValueError(t("model.repeat.needs_count"))
        if self.per is None and self.count is not None:
            raise ValueError(t("model.repeat.count_with_per"))
        stray = [
            name
            for name, changed in (
                ("placement", self.placement != "before"),
                ("max_shift_days", self.max_shift_days != 7),
            )
            if changed
        ]
        if stray and self.festivals is None:
            raise ValueError(t("model.repeat.festival_only", keys=" and ".join(stray)))
        return self

    @property
    def form(self) -> Literal["term", "month", "festivals", "once", "once_in"]:
        """Which of the repeat forms this is."""
        if self.per == "term":
            return "term"
        if self.per == "month":
            return "month"
        if self.festivals is not None:
            return "festivals"
        if self.once is not None:
            return "once"
        return "once_in"


WeekNo = Annotated[StrictInt, Field(ge=1, le=60)]


class Window(_Model):
    weeks: tuple[WeekNo, WeekNo]

    @field_validator("weeks")
    @classmethod
    def _order(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[1] < v[0]:
            raise ValueError(t("model.window_order", first=v[0], last=v[1]))
        return v


class Variant(_Model):
    grades: Annotated[
        list[Annotated[StrictInt, Field(ge=1, le=9)]], Field(min_length=1, max_length=9)
    ]
    plan: Text


class LeadUp(_Model):
    title: Text
    days_before: Annotated[StrictInt, Field(ge=1, le=DAYS_BOUND)]
    time: TimeRange | None = None
    # who takes part; default: the commitment's audience without parents
    audience: Annotated[list[Audience], Field(min_length=1)] | None = None


DayCount = Annotated[StrictInt, Field(ge=0, le=DAYS_BOUND)]


class Task(_Model):
    """A checklist or follow-up task, due some days before or after its occurrence."""

    task: Text
    owner: Owner = "school"
    days_before: DayCount | None = None
    days_after: DayCount | None = None

    @model_validator(mode="after")
    def _one_offset(self) -> "Task":
        if (self.days_before is None) == (self.days_after is None):
            raise ValueError(t("model.task_offset"))
        return self


class Commitment(_Model):
    id: Slug
    title: Text
    kind: Kind = "other"
    programme: str | None = None
    repeat: Repeat
    window: Window | None = None
    weekdays: Annotated[list[Weekday], Field(min_length=1)] | None = None
    time: TimeRange | None = None
    location: Text = "school"
    brigade: StrictBool = True
    audience: Annotated[list[Audience], Field(min_length=1)] = ["teachers", "students"]
    variants: Annotated[list[Variant], Field(max_length=20)] = []
    description: str | None = None
    lead_up: Annotated[list[LeadUp], Field(max_length=10)] = []
    checklist: Annotated[list[Task], Field(max_length=50)] | None = None
    follow_up: Annotated[list[Task], Field(max_length=50)] = []
    reminders: Annotated[list[Annotated[str, AfterValidator(_duration)]], Field(max_length=10)] = [
        "P1D"
    ]


class AgreementInfo(_Model):
    id: Slug
    title: Text
    signed_on: Date | None = None
    start: Date
    end: Date
    timezone: Annotated[str, AfterValidator(_timezone)] = "Asia/Shanghai"
    language: Literal["zh-CN", "en"] = "zh-CN"

    @model_validator(mode="after")
    def _order(self) -> "AgreementInfo":
        if self.end < self.start:
            raise ValueError(t("model.day_order", end=self.end, start=self.start))
        return self


class Agreement(_Model):
    """A whole agreement file."""

    version: Literal[1]
    agreement: AgreementInfo
    parties: Parties
    calendar: CalendarSpec
    festivals: Annotated[list[CustomFestival], Field(max_length=100)] = []
    scheduling: Scheduling = Scheduling()
    commitments: Annotated[list[Commitment], Field(min_length=1, max_length=200)]
    # a checklist templates file (path relative to this file) over the built-in templates
    checklist_templates: (
        Annotated[
            str,
            Field(
                min_length=1,
                description="A checklist templates file (path relative to this agreement) "
                "whose kinds replace the built-in templates'",
            ),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _number_weeks(self) -> "Agreement":
        """Week 1 of each term is the week of its first school day (agreement-format.md)."""
        from partnership.schoolcalendar import first_school_day

        for term in self.calendar.terms:
            term._first_school_day = first_school_day(term, self.calendar)
        return self

    def term(self, term_id: str) -> "Term":
        """The term with this id (KeyError when there is none)."""
        for term in self.calendar.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)

    def commitment(self, commitment_id: str) -> Commitment:
        """The commitment with this id (KeyError when there is none)."""
        for c in self.commitments:
            if c.id == commitment_id:
                return c
        raise KeyError(commitment_id)

    def weekdays_for(self, c: Commitment) -> tuple[int, ...]:
        """Weekday numbers (Monday = 0) on which commitment ``c`` may take place."""
        names = c.weekdays if c.weekdays is not None else self.calendar.weekdays
        return _weekday_numbers(tuple(names))


@functools.lru_cache(maxsize=128)
def _weekday_numbers(names: tuple[str, ...]) -> tuple[int, ...]:
    """The weekday numbers of weekday names, sorted, each once (placement asks this for
    every demand and every day it explains; agreements use few sets of weekdays)."""
    return tuple(sorted({WEEKDAYS.index(n) for n in names}))


Path = tuple[str | int, ...]


def cross_check(a: Agreement) -> list[tuple[Path, str]]:
    """Rules that relate several parts of the file; each finding is (path, message)."""
    found: list[tuple[Path, str]] = []
    info = a.agreement
    terms = a.calendar.terms
    seen: dict[str, int] = {}
    for i, term in enumerate(terms):
        if term.id in seen:
            found.append(
                (
                    ("calendar", "terms", i, "id"),
                    t("model.term_id_taken", id=repr(term.id), n=seen[term.id] + 1),
                )
            )
        seen.setdefault(term.id, i)
        if term.start < info.start or term.end > info.end:
            found.append(
                (
                    ("calendar", "terms", i, "start" if term.start < info.start else "end"),
                    t(
                        "model.term_outside",
                        id=repr(term.id),
                        start=term.start,
                        end=term.end,
                        period=f"{info.start}..{info.end}",
                    ),
                )
            )
        for j, c in enumerate(term.closures):
            if c.end < term.start or c.start > term.end:
                found.append(
                    (
                        ("calendar", "terms", i, "closures", j),
                        t(
                            "model.closure_outside",
                            name=repr(c.name),
                            days=f"{c.start}..{c.end}",
                            id=repr(term.id),
                            term=f"{term.start}..{term.end}",
                        ),
                    )
                )
    order = sorted(range(len(terms)), key=lambda k: (terms[k].start, terms[k].end, k))
    for prev, cur in itertools.pairwise(order):
        if terms[cur].start <= terms[prev].end:
            found.append(
                (
                    ("calendar", "terms", cur, "start"),
                    t(
                        "model.terms_overlap",
                        id=repr(terms[cur].id),
                        start=terms[cur].start,
                        prev=repr(terms[prev].id),
                        end=terms[prev].end,
                    ),
                )
            )
    years: dict[int, int] = {}
    for i, n in enumerate(a.calendar.notices):
        if n.year in years:
            found.append((("calendar", "notices", i, "year"), t("model.notice_twice", year=n.year)))
        years.setdefault(n.year, i)
        for j, d in enumerate(n.days_off):
            if d.start.year != n.year and d.end.year != n.year:
                found.append(
                    (
                        ("calendar", "notices", i, "days_off", j),
                        t("model.days_off_year", days=f"{d.start}..{d.end}", year=n.year),
                    )
                )
        for j, w in enumerate(n.workdays):
            if abs(w.year - n.year) > 1:
                found.append(
                    (
                        ("calendar", "notices", i, "workdays", j),
                        t("model.workday_far", day=w, year=n.year),
                    )
                )
    custom: dict[str, int] = {}
    for i, f in enumerate(a.festivals):
        if f.key in BUILTIN_FESTIVAL_KEYS:
            found.append((("festivals", i, "key"), t("model.festival_builtin", key=repr(f.key))))
        elif f.key in custom:
            found.append((("festivals", i, "key"), t("model.festival_twice", key=repr(f.key))))
        custom.setdefault(f.key, i)
    known_festivals = sorted(set(BUILTIN_FESTIVAL_KEYS) | set(custom))
    ids: dict[str, int] = {}
    for i, cm in enumerate(a.commitments):
        base: Path = ("commitments", i)
        if cm.id in ids:
            found.append(
                (
                    (*base, "id"),
                    t("model.commitment_id_taken", id=repr(cm.id), n=ids[cm.id] + 1),
                )
            )
        ids.setdefault(cm.id, i)
        r = cm.repeat
        if r.festivals is not None:
            for j, key in enumerate(r.festivals):
                if key not in known_festivals:
                    hint = suggest(key, known_festivals)
                    found.append(
                        (
                            (*base, "repeat", "festivals", j),
                            t("model.unknown_festival", key=repr(key), hint=_hint(hint)),
                        )
                    )
            dupes = sorted({k for k in r.festivals if r.festivals.count(k) > 1})
            for key in dupes:
                found.append(
                    (
                        (*base, "repeat", "festivals"),
                        t("model.festival_listed_twice", key=repr(key)),
                    )
                )
        if r.once is not None and not (info.start <= r.once <= info.end):
            found.append(
                (
                    (*base, "repeat", "once"),
                    t("model.once_outside", day=r.once, period=f"{info.start}..{info.end}"),
                )
            )
        if r.once_in is not None and r.once_in not in seen:
            hint = suggest(r.once_in, sorted(seen))
            found.append(
                (
                    (*base, "repeat", "once_in"),
                    t(
                        "model.once_in_unknown",
                        id=repr(r.once_in),
                        hint=_hint(hint),
                        terms=", ".join(term.id for term in terms),
                    ),
                )
            )
        if cm.window is not None:
            if r.form not in ("term", "month", "once_in"):
                found.append(
                    (
                        (*base, "window"),
                        t("model.window_form"),
                    )
                )
            else:
                a_wk, b_wk = cm.window.weeks
                scope = [term for term in terms if r.once_in in (None, term.id)]
                for term in scope:
                    if b_wk > term.weeks:
                        found.append(
                            (
                                (*base, "window", "weeks"),
                                t(
                                    "model.window_past_term",
                                    first=a_wk,
                                    last=b_wk,
                                    id=repr(term.id),
                                    weeks=term.weeks,
                                ),
                            )
                        )
                        break
        lead_titles = [lu.days_before for lu in cm.lead_up]
        if len(set(lead_titles)) != len(lead_titles):
            found.append(((*base, "lead_up"), t("model.lead_up_twice")))
    from partnership.calendar_checks import dst_findings

    found.extend(dst_findings(a))
    return found + bounds_check(a)


def _hint(close: str | None) -> str:
    """The "did you mean" part of a message ('' when nothing is close)."""
    return t("loader.did_you_mean", hint=repr(close)) if close else ""


LEAD_UP_SEARCH_DAYS = 62
"""How far before its day a lead-up session is looked for (see reasons.py)."""
_ROLL_DAYS = 31
"""Room for a task's due date to roll to a working day."""


def bounds_check(a: Agreement) -> list[tuple[Path, str]]:
    """Limits that relate several keys: years the calendar knows, counts, names, plan size."""
    from partnership.holidays import FIRST_YEAR, LAST_YEAR

    found: list[tuple[Path, str]] = []
    info = a.agreement
    first, last = (FIRST_YEAR, LAST_YEAR) if a.calendar.holidays == "cn" else DATE_YEARS
    low, high = dt.date(first, 1, 1), dt.date(last, 12, 31)
    # the built-in preparation and follow-up tasks fall due up to this far from their day
    margin = dt.timedelta(days=_template_reach() + _ROLL_DAYS)
    for key, day in (("start", info.start), ("end", info.end)):
        if not low + margin <= day <= high - margin:
            found.append(
                (
                    ("agreement", key),
                    t(
                        "hardening.agreement_years",
                        date=day,
                        first=low + margin,
                        last=high - margin,
                    ),
                )
            )
    if info.end.year - info.start.year >= MAX_AGREEMENT_YEARS:
        found.append(
            (("agreement", "end"), t("hardening.agreement_too_long", most=MAX_AGREEMENT_YEARS))
        )
    for i, term in enumerate(a.calendar.terms):
        if term.id in AUDIENCES or term.id.endswith(tuple(f"-{x}" for x in AUDIENCES)):
            found.append(
                (
                    ("calendar", "terms", i, "id"),
                    t("hardening.term_id_reserved", id=term.id, names=", ".join(AUDIENCES)),
                )
            )
    total = 0
    for i, cm in enumerate(a.commitments):
        base: Path = ("commitments", i)
        scope = [tm for tm in a.calendar.terms if cm.repeat.once_in in (None, tm.id)]
        each = _occurrences_of(a, cm, scope)
        total += each * (1 + len(cm.lead_up))
        if cm.repeat.per == "term" and cm.repeat.count is not None:
            days = a.weekdays_for(cm)
            for tm in scope:
                n = _weekdays_between(tm.start, tm.end, days)
                if cm.repeat.count > n:
                    found.append(
                        (
                            (*base, "repeat", "count"),
                            t("hardening.count_over_days", count=cm.repeat.count, term=tm.id, n=n),
                        )
                    )
                    break
        reach = [
            *(
                (("lead_up", j, "days_before"), lu.days_before + LEAD_UP_SEARCH_DAYS, -1)
                for j, lu in enumerate(cm.lead_up)
            ),
            *(
                (
                    (group, j, "days_before" if tk.days_before is not None else "days_after"),
                    (tk.days_before or tk.days_after or 0) + _ROLL_DAYS,
                    -1 if tk.days_before is not None else 1,
                )
                for group, tasks in (("checklist", cm.checklist or []), ("follow_up", cm.follow_up))
                for j, tk in enumerate(tasks)
            ),
        ]
        for where, days_away, sign in reach:
            edge = info.start if sign < 0 else info.end
            if not low <= edge + dt.timedelta(days=sign * days_away) <= high:
                found.append(
                    (
                        (*base, *where),
                        t("hardening.reach_out_of_years", first=first, last=last),
                    )
                )
    found.extend(_room_check(a))
    if total > MAX_OCCURRENCES:
        found.append(
            (
                ("commitments",),
                t("hardening.too_many_occurrences", n=total, most=MAX_OCCURRENCES),
            )
        )
    return found


def _room_check(a: Agreement) -> list[tuple[Path, str]]:
    """Each term must have room for what is asked of it: days, and days apart (min_gap_days)."""
    gap = a.scheduling.min_gap_days
    for i, tm in enumerate(a.calendar.terms):
        asked = 0
        for cm in a.commitments:
            r = cm.repeat
            if r.once_in not in (None, tm.id) or r.once is not None:
                continue
            # a festival activity may fall in any term: count each festival in each term
            asked += len(r.festivals) if r.festivals is not None else _occurrences_of(a, cm, [tm])
        days = (tm.end - tm.start).days + 1
        weekdays = {WEEKDAYS.index(w) for w in a.calendar.weekdays}
        open_days = _weekdays_between(tm.start, tm.end, weekdays)
        if asked > 1 and (asked - 1) * gap >= days:
            return [
                (
                    ("scheduling", "min_gap_days"),
                    t("hardening.gap_no_room", gap=gap, n=asked, term=tm.id, days=days),
                )
            ]
        if asked > open_days * a.scheduling.max_per_day:
            return [
                (
                    ("calendar", "terms", i),
                    t("hardening.term_no_room", n=asked, term=tm.id, days=open_days),
                )
            ]
    return []


def _template_reach() -> int:
    """The most days a built-in checklist task falls due before or after its activity."""
    from partnership.checklist_templates import builtin

    kinds = builtin()
    return max(task.days for kind in KINDS for task in kinds.tasks(kind))


def _weekdays_between(start: dt.date, end: dt.date, weekdays: Iterable[int]) -> int:
    """How many days from ``start`` to ``end`` (inclusive) fall on ``weekdays`` (Monday 0),
    counted by whole weeks rather than day by day."""
    wanted = set(weekdays)
    weeks, rest = divmod((end - start).days + 1, 7)
    first = start.weekday()
    return weeks * len(wanted) + sum(1 for k in range(rest) if (first + k) % 7 in wanted)


def _occurrences_of(a: Agreement, cm: Commitment, scope: list[Term]) -> int:
    """About how many activities ``cm`` asks for (an upper bound, for the size limit)."""
    r = cm.repeat
    if r.per == "term":
        return (r.count or 0) * len(scope)
    if r.per == "month":
        months = sum(
            (tm.end.year - tm.start.year) * 12 + tm.end.month - tm.start.month + 1 for tm in scope
        )
        return (r.count or 0) * months
    if r.festivals is not None:
        return len(r.festivals) * (a.agreement.end.year - a.agreement.start.year + 1)
    return 1


def suggest(word: str, known: Iterable[str]) -> str | None:
    """The closest known name to a mistyped one, for "did you mean ...?" (None if none is close)."""
    got = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return got[0] if got else None
