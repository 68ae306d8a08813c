"""The fulfilment report: what the agreement asks for, what is placed, done, cancelled, missed.

Pure: built from a plan (made with the records, so statuses and dates are current), the
records (notes, reasons) and today's date, which parts the past (missed when nobody recorded
it done or cancelled) from what is still to come. With a year it adds the yearly plan
(年度计划) and the year-end summary (年终总结) that the district asks every youth-work unit
for. The views are in :mod:`partnership.views.report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from partnership.errors import UsageError
from partnership.i18n import text
from partnership.plan import Occurrence, Plan, Status, Unplaced, sort_key
from partnership.records import Records

Outcome = Literal["done", "cancelled", "missed", "pending"]
OUTCOMES: tuple[Outcome, ...] = ("done", "cancelled", "missed", "pending")


def outcome(o: Occurrence, today: dt.date) -> Outcome:
    """What became of a placed occurrence by ``today``: recorded, missed (past) or pending."""
    if o.status in ("done", "cancelled"):
        return o.status
    return "missed" if o.date < today else "pending"


@dataclass(frozen=True)
class Counts:
    """Required (asked for by the agreement), placed (dated), done, cancelled and missed ones.

    Every placed occurrence is exactly one of done, cancelled, missed and pending.
    """

    required: int = 0
    placed: int = 0
    done: int = 0
    cancelled: int = 0
    missed: int = 0

    @property
    def pending(self) -> int:
        """Placed on today or later, neither done nor cancelled."""
        return self.placed - self.done - self.cancelled - self.missed

    @classmethod
    def of(cls, placed: Iterable[Occurrence], unplaced: int, today: dt.date) -> Counts:
        """The counts of some placed occurrences and ``unplaced`` more that were required."""
        outcomes = [outcome(o, today) for o in placed]
        return cls(
            required=len(outcomes) + unplaced,
            placed=len(outcomes),
            done=outcomes.count("done"),
            cancelled=outcomes.count("cancelled"),
            missed=outcomes.count("missed"),
        )

    @property
    def percent(self) -> float | None:
        """Done as a share of required, in percent (None when nothing is required)."""
        return 100 * self.done / self.required if self.required else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.required + other.required,
            self.placed + other.placed,
            self.done + other.done,
            self.cancelled + other.cancelled,
            self.missed + other.missed,
        )


def _total(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


@dataclass(frozen=True)
class TermLine:
    """One commitment in one term (``term`` None: outside every term)."""

    term: str | None
    term_name: str
    counts: Counts


@dataclass(frozen=True)
class CommitmentLine:
    """One commitment: its terms and its total over the whole agreement."""

    id: str
    title: str
    kind: str
    programme: str | None
    terms: tuple[TermLine, ...]

    @property
    def counts(self) -> Counts:
        """The commitment's total over all terms."""
        return _total(t.counts for t in self.terms)


@dataclass(frozen=True)
class ProgrammeLine:
    """One programme of the 三心工程 (``programme`` None: commitments without one)."""

    programme: str | None
    commitments: tuple[str, ...]
    counts: Counts


@dataclass(frozen=True)
class Entry:
    """One main occurrence as the yearly documents show it."""

    occurrence: str
    commitment: str
    title: str
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    status: Status
    outcome: Outcome
    provisional: bool
    sequence: int  # the number of moves (a cancellation's SEQUENCE step is not one)
    note: str | None
    reason: str | None
    moved: bool = False  # moved by a record at least once


@dataclass(frozen=True)
class YearReport:
    """Every main occurrence dated in one year, what became of it, and the year's fulfilment.

    ``commitments`` and ``programmes`` count the year's own occurrences (required: those
    dated in the year); the whole agreement's required counts are in :class:`Report`.
    """

    year: int
    plan: tuple[Entry, ...]
    commitments: tuple[CommitmentLine, ...] = ()
    programmes: tuple[ProgrammeLine, ...] = ()

    def _with(self, what: Outcome) -> tuple[Entry, ...]:
        return tuple(e for e in self.plan if e.outcome == what)

    @property
    def done(self) -> tuple[Entry, ...]:
        """Occurrences that took place."""
        return self._with("done")

    @property
    def cancelled(self) -> tuple[Entry, ...]:
        """Occurrences called off, with their reasons."""
        return self._with("cancelled")

    @property
    def missed(self) -> tuple[Entry, ...]:
        """Occurrences dated before today that nobody recorded as done or cancelled."""
        return self._with("missed")

    @property
    def moved(self) -> tuple[Entry, ...]:
        """Occurrences moved at least once (whatever became of them later)."""
        return tuple(e for e in self.plan if e.moved)

    @property
    def pending(self) -> tuple[Entry, ...]:
        """Occurrences still to come (today or later): the yearly plan."""
        return self._with("pending")

    @property
    def counts(self) -> Counts:
        """The year at a glance."""
        return _total(c.counts for c in self.commitments)


@dataclass(frozen=True)
class Report:
    """The whole fulfilment report of one agreement."""

    agreement: str
    title: str
    language: str
    start: dt.date
    end: dt.date
    commitments: tuple[CommitmentLine, ...]
    programmes: tuple[ProgrammeLine, ...]
    unplaced: tuple[str, ...]
    provisional_years: tuple[int, ...]
    year: YearReport | None
    today: dt.date

    @property
    def counts(self) -> Counts:
        """The whole agreement at a glance."""
        return _total(c.counts for c in self.commitments)


def build_report(plan: Plan, records: Records, year: int | None, *, today: dt.date) -> Report:
    """Counts per commitment, term and programme as of ``today``; with ``year`` the yearly
    plan and summary.

    Required is what the agreement asks for, as the plan enumerates it (count per term, count
    per month with a school day, each festival in the period unless skipped, once = 1):
    every main occurrence plus every one that could not be placed.
    """
    a = plan.agreement
    if year is not None and not a.agreement.start.year <= year <= a.agreement.end.year:
        raise UsageError(
            f"year {year} is outside the agreement period {a.agreement.start}..{a.agreement.end}"
        )
    main = sorted((o for o in plan.occurrences if o.is_main), key=sort_key)
    lines = _commitment_lines(plan, main, plan.unplaced, today)
    year_report = None
    if year is not None:
        in_year = [o for o in main if o.date.year == year]
        year_lines = _commitment_lines(plan, in_year, (), today)
        year_report = YearReport(
            year,
            tuple(_entry(o, records, today) for o in in_year),
            tuple(c for c in year_lines if c.terms),
            _programme_lines(c for c in year_lines if c.terms),
        )
    return Report(
        agreement=a.agreement.id,
        title=a.agreement.title,
        language=a.agreement.language,
        start=a.agreement.start,
        end=a.agreement.end,
        commitments=lines,
        programmes=_programme_lines(lines),
        unplaced=tuple(sorted(u.id for u in plan.unplaced)),
        provisional_years=plan.provisional_years,
        year=year_report,
        today=today,
    )


def _commitment_lines(
    plan: Plan, main: list[Occurrence], unplaced: Iterable[Unplaced], today: dt.date
) -> tuple[CommitmentLine, ...]:
    """One line per commitment, with a term line for every term it has an occurrence in."""
    a = plan.agreement
    terms = sorted(a.calendar.terms, key=lambda t: t.start)
    order = [t.id for t in terms]
    names = {t.id: t.name for t in terms}
    missing_all = list(unplaced)
    outside = text("report.outside_terms", a.agreement.language)
    lines = []
    for c in a.commitments:
        mine = [o for o in main if o.commitment == c.id]
        missing = [u for u in missing_all if u.commitment == c.id]
        used = {o.term for o in mine} | {u.term for u in missing}
        term_lines = []
        for term in sorted(used, key=lambda t: order.index(t) if t in order else len(order)):
            counts = Counts.of(
                (o for o in mine if o.term == term), sum(u.term == term for u in missing), today
            )
            name = outside if term is None else names.get(term, term)
            term_lines.append(TermLine(term, name, counts))
        lines.append(CommitmentLine(c.id, c.title, c.kind, c.programme, tuple(term_lines)))
    return tuple(lines)


def _programme_lines(lines: Iterable[CommitmentLine]) -> tuple[ProgrammeLine, ...]:
    """The lines summed per programme (commitments without one last)."""
    lines = list(lines)
    out = []
    for p in sorted({c.programme for c in lines}, key=lambda p: (p is None, p or "")):
        members = [c for c in lines if c.programme == p]
        out.append(
            ProgrammeLine(p, tuple(c.id for c in members), _total(c.counts for c in members))
        )
    return tuple(out)


def _entry(o: Occurrence, records: Records, today: dt.date) -> Entry:
    rec = records.occurrences.get(o.id)
    return Entry(
        occurrence=o.id,
        commitment=o.commitment,
        title=o.title,
        date=o.date,
        start=o.start,
        end=o.end,
        status=o.status,
        outcome=outcome(o, today),
        provisional=o.provisional,
        sequence=max(0, o.sequence - (o.status == "cancelled")),
        note=rec.note if rec else None,
        reason=rec.reason if rec else None,
        moved=rec is not None and rec.date is not None,
    )


def _counts_json(c: Counts) -> dict[str, Any]:
    return {
        "required": c.required,
        "placed": c.placed,
        "done": c.done,
        "cancelled": c.cancelled,
        "missed": c.missed,
        "pending": c.pending,
        "percent": round(c.percent, 1) if c.percent is not None else None,
    }


def _entry_json(e: Entry) -> dict[str, Any]:
    return {
        "occurrence": e.occurrence,
        "commitment": e.commitment,
        "title": e.title,
        "date": e.date.isoformat(),
        "start": f"{e.start:%H:%M}" if e.start else None,
        "end": f"{e.end:%H:%M}" if e.end else None,
        "status": e.status,
        "outcome": e.outcome,
        "provisional": e.provisional,
        "moves": e.sequence,
        "note": e.note,
        "reason": e.reason,
    }


def to_json(report: Report) -> dict[str, Any]:
    """The ``report --json`` object.

    ``{"agreement", "title", "start", "end", "provisional_years": [int], "unplaced": [id],
    "total": COUNTS, "commitments": [{"id", "title", "kind", "programme", "total": COUNTS,
    "terms": [{"term", "name", **COUNTS}]}], "programmes": [{"programme", "commitments": [id],
    **COUNTS}], "year": null | {"year", "plan": [ENTRY], "done": [occurrence id],
    "cancelled": [id], "moved": [id], "missed": [id], "pending": [id], "total": COUNTS,
    "commitments": [...], "programmes": [...]}, "today"}`` where COUNTS is ``{"required",
    "placed", "done", "cancelled", "missed", "pending", "percent"}`` (percent of required
    done, one decimal, null when nothing is required; the year's counts are of its own
    occurrences) and ENTRY is ``{"occurrence", "commitment", "title", "date", "start",
    "end", "status", "outcome", "provisional", "moves", "note", "reason"}``.
    """
    year: dict[str, Any] | None = None
    if report.year is not None:
        y = report.year
        year = {
            "year": y.year,
            "plan": [_entry_json(e) for e in y.plan],
            "done": [e.occurrence for e in y.done],
            "cancelled": [e.occurrence for e in y.cancelled],
            "moved": [e.occurrence for e in y.moved],
            "missed": [e.occurrence for e in y.missed],
            "pending": [e.occurrence for e in y.pending],
            "total": _counts_json(y.counts),
            "commitments": [_commitment_json(c) for c in y.commitments],
            "programmes": [_programme_json(p) for p in y.programmes],
        }
    return {
        "agreement": report.agreement,
        "title": report.title,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "provisional_years": list(report.provisional_years),
        "unplaced": list(report.unplaced),
        "total": _counts_json(report.counts),
        "commitments": [_commitment_json(c) for c in report.commitments],
        "programmes": [_programme_json(p) for p in report.programmes],
        "year": year,
        "today": report.today.isoformat(),
    }


def _commitment_json(c: CommitmentLine) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "kind": c.kind,
        "programme": c.programme,
        "total": _counts_json(c.counts),
        "terms": [{"term": t.term, "name": t.term_name, **_counts_json(t.counts)} for t in c.terms],
    }


def _programme_json(p: ProgrammeLine) -> dict[str, Any]:
    return {"programme": p.programme, "commitments": list(p.commitments), **_counts_json(p.counts)}
