"""The plan: placed occurrences, each with its reason, and those that could not be placed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from partnership.model import Agreement

if TYPE_CHECKING:
    from partnership.reasons import Claim

Status = Literal["planned", "done", "moved", "cancelled"]
STATUSES: tuple[Status, ...] = ("planned", "done", "moved", "cancelled")


@dataclass(frozen=True)
class Occurrence:
    """One dated activity: a main occurrence of a commitment or one of its lead-up sessions."""

    id: str
    commitment: str
    term: str | None
    title: str
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    why: str
    provisional: bool = False
    status: Status = "planned"
    lead_up_of: str | None = None
    sequence: int = 0
    note: str | None = None
    festival: str | None = None
    claims: tuple[Claim, ...] = ()  # what ``why`` says, as checkable facts

    @property
    def all_day(self) -> bool:
        """True when the activity has no start and end time."""
        return self.start is None

    @property
    def is_main(self) -> bool:
        """Main activities count towards max_per_day and min_gap_days; lead-ups do not."""
        return self.lead_up_of is None


@dataclass(frozen=True)
class Unplaced:
    """An occurrence that could not be placed, with what ruled out the candidate days."""

    id: str
    commitment: str
    term: str | None
    reason: str
    ruled_out: tuple[tuple[str, int], ...] = ()
    claims: tuple[Claim, ...] = ()  # what ``reason`` says, as checkable facts


NoticeKind = Literal[
    "held-impossible",  # a published date became impossible; a new one is proposed
    "awaiting-confirmation",  # that proposal went out; confirm it with record --move
    "fixed-clash",  # two dates the admin fixed break max_per_day or min_gap_days
    "given-day-off",  # a once date or a recorded move on no ordinary school day
    "lead-up-left-term",  # a lead-up session had to leave its activity's term
]


@dataclass(frozen=True)
class Notice:
    """Something the admin must see: a held date that became impossible, and the proposal."""

    occurrence: str
    message: str
    kind: NoticeKind | None = None


@dataclass(frozen=True)
class Plan:
    """Everything placement decided for one agreement, in a stable order."""

    agreement: Agreement
    occurrences: tuple[Occurrence, ...]
    unplaced: tuple[Unplaced, ...] = ()
    provisional_years: tuple[int, ...] = ()
    notices: tuple[Notice, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every occurrence found a date."""
        return not self.unplaced

    def for_term(self, term_id: str | None) -> tuple[Occurrence, ...]:
        """Occurrences of one term (``None`` keeps them all)."""
        if term_id is None:
            return self.occurrences
        return tuple(o for o in self.occurrences if o.term == term_id)

    def unconfirmed(self) -> frozenset[str]:
        """Occurrences whose date is a proposal the admin has not confirmed yet."""
        kinds = ("held-impossible", "awaiting-confirmation")
        return frozenset(n.occurrence for n in self.notices if n.kind in kinds)

    def by_id(self) -> dict[str, Occurrence]:
        """Occurrences keyed by id."""
        return {o.id: o for o in self.occurrences}


def sort_key(o: Occurrence) -> tuple[dt.date, dt.time, str]:
    """Order used everywhere: date, then start time (all-day first), then id."""
    return (o.date, o.start or dt.time(0, 0), o.id)
