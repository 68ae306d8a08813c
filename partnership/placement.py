"""Placement: every demand on a real school day that obeys every hard rule, with its reason.

The flow: :func:`partnership.demands.expand` lists what the agreement asks for;
records fix what already happened or was published; a :data:`Strategy` picks
dates on a :class:`Board` that enforces ``max_per_day`` and ``min_gap_days``;
:func:`improve` then moves each chosen date to its most preferred free day (so every
day a reason says was passed over really is ruled out); lead-up sessions
(:func:`lead_up_day`) and reasons (built from the final board) are added last.
:func:`greedy_with_repair` is the default strategy; any function with the same
signature can replace it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from partnership import reasons
from partnership.audience import audience_of
from partnership.demands import Demand, expand, usable_days
from partnership.model import Agreement
from partnership.plan import Notice, Occurrence, Plan, Status, Unplaced, sort_key
from partnership.records import OccurrenceRecord, Records
from partnership.schoolcalendar import SchoolCalendar

_NO_RECORD = OccurrenceRecord()


@dataclass
class Board:
    """Days already taken by main activities, and the rules that limit adding more.

    ``term_at`` names the term a day lies in: ``min_gap_days`` applies between main
    activities of one term, and an activity belongs to the term of its own day (a
    festival shifted across a term start counts in the term it lands in).
    """

    max_per_day: int
    min_gap_days: int
    term_at: Callable[[dt.date], str | None]
    by_day: dict[dt.date, list[str]] = field(default_factory=dict)

    def blockers(self, day: dt.date) -> list[tuple[str, str]]:
        """What stops one more main activity on ``day``: ("full"|"gap", occurrence id)."""
        found: list[tuple[str, str]] = []
        taken = self.by_day.get(day, [])
        if len(taken) >= self.max_per_day:
            found.extend(("full", oid) for oid in sorted(taken))
        term = self.term_at(day)
        if term is not None:
            for k in range(-(self.min_gap_days - 1), self.min_gap_days):
                other = day + dt.timedelta(days=k)
                if self.by_day.get(other) and self.term_at(other) == term:
                    found.extend(("gap", oid) for oid in sorted(self.by_day[other]))
        return found

    def fits(self, day: dt.date) -> bool:
        """True when a main activity may be added on ``day``."""
        return not self.blockers(day)

    def add(self, oid: str, day: dt.date) -> None:
        """Record a main activity on ``day``."""
        self.by_day.setdefault(day, []).append(oid)

    def remove(self, oid: str, day: dt.date) -> None:
        """Take a main activity off ``day``."""
        self.by_day[day].remove(oid)


@dataclass(frozen=True)
class Placed:
    """A strategy's answer: chosen dates, and the demands left without one."""

    dates: dict[str, dt.date]
    failed: tuple[str, ...]


Candidates = Mapping[str, Sequence[dt.date]]
Strategy = Callable[[Sequence[Demand], Candidates, Board], Placed]


def greedy_with_repair(demands: Sequence[Demand], candidates: Candidates, board: Board) -> Placed:
    """Hardest first (fewest candidate days), each on its most preferred free day.

    When no candidate day is free, try moving one already placed occurrence that
    blocks a candidate to another of its own candidates before giving up; then
    :func:`improve` until every date is its demand's best free day.
    """
    order = sorted(
        range(len(demands)), key=lambda i: (len(candidates[demands[i].id]), demands[i].target, i)
    )
    dates: dict[str, dt.date] = {}
    failed: list[str] = []
    for i in order:
        d = demands[i]
        chosen = next((c for c in candidates[d.id] if board.fits(c)), None)
        if chosen is None:
            chosen = _repair(d.id, candidates, board, dates)
        if chosen is None:
            failed.append(d.id)
            continue
        board.add(d.id, chosen)
        dates[d.id] = chosen
    return improve(demands, candidates, board, Placed(dates, tuple(failed)))


def _repair(
    oid: str,
    candidates: Candidates,
    board: Board,
    dates: dict[str, dt.date],
) -> dt.date | None:
    for day in candidates[oid]:
        blocking = sorted({b for _, b in board.blockers(day)})
        if not blocking or any(b not in candidates or b not in dates for b in blocking):
            continue
        old = {b: dates[b] for b in blocking}
        for b in blocking:
            board.remove(b, old[b])
        board.add(oid, day)
        moved: dict[str, dt.date] = {}
        for b in blocking:
            alt = next((c for c in candidates[b] if c != old[b] and board.fits(c)), None)
            if alt is None:
                break
            board.add(b, alt)
            moved[b] = alt
        if len(moved) == len(blocking):
            board.remove(oid, day)
            dates.update(moved)
            return day
        for b, alt in moved.items():
            board.remove(b, alt)
        board.remove(oid, day)
        for b in blocking:
            board.add(b, old[b])
    return None


def preference(d: Demand, calendar: SchoolCalendar, agreement: Agreement) -> list[dt.date]:
    """Candidate days of a demand, most preferred first (every tie broken by date)."""
    c = d.commitment
    weekdays = agreement.weekdays_for(c)
    days = usable_days(calendar, d.domain, weekdays, c, strict=d.strict)
    if d.form == "festival":
        placement = c.repeat.placement
        if placement == "skip":
            return [x for x in days if x == d.target]
        if placement == "before":
            return sorted((x for x in days if x <= d.target), reverse=True)
        if placement == "after":
            return sorted(x for x in days if x >= d.target)
        return sorted(days, key=lambda x: (abs((x - d.target).days), x))
    if not days:
        return []
    k, n = d.rank
    ideal = days[min(len(days) - 1, (2 * k - 1) * len(days) // (2 * n))]
    return sorted(days, key=lambda x: (abs((x - ideal).days), x))


def improve(
    demands: Sequence[Demand], candidates: Candidates, board: Board, placed: Placed
) -> Placed:
    """Move each placed demand to its most preferred free day and place any failed demand
    that now fits, until nothing changes: so every candidate a reason says was passed
    over is really ruled out in the final plan. Each move is a strict improvement."""
    dates = dict(placed.dates)
    failed = list(placed.failed)
    changed = True
    while changed:
        changed = False
        for d in demands:
            if d.id not in dates:
                continue
            here = dates[d.id]
            board.remove(d.id, here)
            best = next(c for c in candidates[d.id] if c == here or board.fits(c))
            board.add(d.id, best)
            if best != here:
                dates[d.id], changed = best, True
        for oid in list(failed):
            free = next((c for c in candidates[oid] if board.fits(c)), None)
            if free is not None:
                board.add(oid, free)
                dates[oid], changed = free, True
                failed.remove(oid)
    return Placed(dates, tuple(failed))


def place(
    agreement: Agreement,
    calendar: SchoolCalendar | None = None,
    records: Records | None = None,
    strategy: Strategy = greedy_with_repair,
) -> Plan:
    """The plan for an agreement: every occurrence dated and explained, or reported unplaced."""
    staged = stage(agreement, calendar or SchoolCalendar(agreement), records or Records())
    return finish(staged, strategy(staged.flexible, staged.candidates, staged.board))


@dataclass
class Staged:
    """An agreement ready for its strategy: fixed and held dates on the board, the demands
    still to date with their candidates. :func:`finish` turns the strategy's answer into
    the plan; district mode stages every school first and finishes each once."""

    agreement: Agreement
    calendar: SchoolCalendar
    records: Records
    demands: list[Demand]
    board: Board
    fixed: dict[str, tuple[dt.date, str]]
    notices: list[Notice]
    flexible: list[Demand]
    candidates: dict[str, list[dt.date]]
    abandoned: set[str]


def stage(
    agreement: Agreement,
    calendar: SchoolCalendar,
    records: Records,
    given: tuple[Sequence[Demand], Candidates] | None = None,
) -> Staged:
    """Everything :func:`place` does before its strategy runs.

    ``given``: the demands (and candidate days, by id) worked out before for the same
    agreement and calendar, so that district mode does not work them out twice.
    """
    lang = agreement.agreement.language
    board = Board(
        agreement.scheduling.max_per_day,
        agreement.scheduling.min_gap_days,
        term_at=calendar.term_id,
    )
    demands = list(given[0]) if given else expand(agreement, calendar)
    # how each fixed date came about: "moved" (a record), "given" (once, exact), "chosen"
    fixed: dict[str, tuple[dt.date, str]] = {}
    notices: list[Notice] = []
    flexible: list[Demand] = []
    candidates: dict[str, list[dt.date]] = {}
    holds: list[tuple[Demand, list[dt.date], dt.date]] = []
    for d in demands:
        rec = records.occurrences.get(d.id, _NO_RECORD)
        if rec.status == "moved" and rec.date is not None:
            fixed[d.id] = (rec.date, "moved")
            continue
        if d.fixed:  # a move recorded before it was done or cancelled still holds
            fixed[d.id] = (rec.date, "moved") if rec.date else (d.target, "given")
            continue
        known = given[1].get(d.id) if given else None
        prefs = list(known) if known is not None else preference(d, calendar, agreement)
        candidates[d.id] = prefs
        if d.form == "festival" and d.commitment.repeat.placement == "skip" and not prefs:
            continue
        held = rec.published
        if rec.status in ("done", "cancelled"):
            # what happened stays where it happened (or was announced)
            day = rec.date or held or (prefs[0] if prefs else d.target)
            fixed[d.id] = (day, "moved" if rec.date else "chosen")
        elif held is not None and not calendar.is_provisional(held):
            holds.append((d, prefs, held))
        else:
            flexible.append(d)
    abandoned: set[str] = set()
    for oid in sorted(fixed, key=lambda o: (fixed[o][0], o)):
        if records.occurrences.get(oid, _NO_RECORD).status == "cancelled":
            continue
        day = fixed[oid][0]
        clash = board.blockers(day)
        if clash:  # two dates the admin fixed (once, exact, a move) break a rule together
            others = sorted({b for _, b in clash})
            notices.append(Notice(oid, reasons.fixed_clash(day, others, lang), "fixed-clash"))
        board.add(oid, day)
    for d, prefs, held in sorted(holds, key=lambda h: (h[2], h[0].id)):
        if held in prefs and board.fits(held):
            fixed[d.id] = (held, "chosen")
            board.add(d.id, held)
            if records.occurrences[d.id].unconfirmed:
                notices.append(Notice(d.id, reasons.awaiting(held, lang), "awaiting-confirmation"))
            continue
        message = reasons.held_impossible(held, d, calendar, agreement, board)
        notices.append(Notice(d.id, message, "held-impossible"))
        abandoned.add(d.id)
        flexible.append(d)
    return Staged(
        agreement,
        calendar,
        records,
        demands,
        board,
        fixed,
        notices,
        flexible,
        candidates,
        abandoned,
    )


def finish(staged: Staged, placed: Placed, *, joint: bool = False) -> Plan:
    """The plan from a staged agreement and its strategy's answer: dates, reasons, lead-ups
    (``joint``: the answer is the brigade's joint plan, which may pass over a day the school
    has free; a held date's reason still says it is kept)."""
    agreement, calendar, records = staged.agreement, staged.calendar, staged.records
    demands, board, fixed, candidates = (
        staged.demands,
        staged.board,
        staged.fixed,
        staged.candidates,
    )
    notices, abandoned, lang = list(staged.notices), staged.abandoned, agreement.agreement.language
    occurrences: list[Occurrence] = []
    unplaced: list[Unplaced] = []
    for d in demands:
        if d.id in fixed:
            day, how = fixed[d.id]
        elif d.id in placed.dates:
            day, how = placed.dates[d.id], "chosen"
        elif d.id in placed.failed:
            counts = reasons.ruled_out(d, calendar, agreement, board)
            r = reasons.unplaced(d, counts, agreement)
            term = d.term.id if d.term else None
            unplaced.append(
                Unplaced(d.id, d.commitment.id, term, r.text, tuple(counts.items()), r.claims)
            )
            continue
        else:
            continue  # a skipped festival
        if how == "moved":
            why = reasons.moved(day, calendar, agreement, d)
        elif how == "given":
            why = reasons.given(d, calendar, agreement)
        else:
            free = "joint" if joint and d.id not in fixed else "published"
            why = reasons.chosen(d, day, candidates.get(d.id, []), calendar, agreement, board, free)
        # a recorded move onto any non-school day, an agreed date on a day off or closure
        acted = {c.rule for c in why.claims[1:]}
        if (how == "moved" and acted) or (
            how == "given" and acted & {"holiday", "closure", "brigade"}
        ):
            said = reasons.given_notice(day, why.claims[1:], agreement, how == "moved")
            notices.append(Notice(d.id, said, "given-day-off"))
        main, sessions, missing = _with_lead_ups(d, day, why, calendar, records, agreement)
        occurrences.extend([main, *sessions])
        unplaced.extend(missing)
        for o in sessions:
            if o.term != main.term and any(c.rule == "left-term" for c in o.claims):
                notices.append(
                    Notice(
                        o.id,
                        reasons.left_term_notice(o.date, main.term or "", lang),
                        "lead-up-left-term",
                    )
                )
    occurrences.sort(key=sort_key)
    # a published date that had to change goes out again with a higher SEQUENCE
    occurrences = [
        replace(o, sequence=o.sequence + 1) if o.id in abandoned else o for o in occurrences
    ]
    return Plan(
        agreement=agreement,
        occurrences=tuple(occurrences),
        unplaced=tuple(sorted(unplaced, key=lambda u: u.id)),
        provisional_years=calendar.provisional_years(),
        notices=tuple(notices),
    )


def lead_up_day(
    activity: dt.date,
    days_before: int,
    brigade: bool,
    calendar: SchoolCalendar,
    agreement: Agreement,
) -> tuple[dt.date | None, list[reasons.Claim], str | None, dict[str, int]]:
    """Where a lead-up session goes (agreement-format.md, "Lead-up sessions").

    The usable day nearest to ``days_before`` before ``activity`` (ties: the earlier),
    strictly before it, in the activity's own term when that term has one; else in an
    earlier term. Returns the day (None: no usable day at all), the claims of the days
    passed over, the term it had to leave (or None) and, when there is no day, the
    rule counts. The commitment's own weekdays do not bind it: a rehearsal at school
    needs a school day, not the brigade's visiting day.
    """
    target = activity - dt.timedelta(days=days_before)
    own = calendar.term_id(activity)
    first = agreement.agreement.start
    scopes: list[str | None] = [own, None] if own is not None else [None]
    for scope in scopes:
        days = _nearest_first(target, first, activity - dt.timedelta(days=1))

        def rule(x: dt.date, scope: str | None = scope) -> reasons.Claim | None:
            return reasons.lead_up_rule(calendar.day(x), agreement, activity, scope, brigade)

        chosen = next((x for x in days if rule(x) is None), None)
        if chosen is None:
            continue
        passed = reasons.passed_over(reasons.nearer(chosen, target, "nearest"), rule)
        left = (
            own if scope is None and own is not None and calendar.term_id(chosen) != own else None
        )
        return chosen, passed, left, {}
    counts: dict[str, int] = {}
    for x in (first + dt.timedelta(days=i) for i in range((activity - first).days)):
        claim = reasons.lead_up_rule(calendar.day(x), agreement, activity, None, brigade)
        if claim is not None:
            counts[claim.rule] = counts.get(claim.rule, 0) + 1
    return None, [], None, {k: counts[k] for k in reasons.RULED_OUT if k in counts}


def _held_lead_up(
    own: OccurrenceRecord | None,
    activity: dt.date,
    days_before: int,
    found: dt.date | None,
    left: str | None,
    brigade: bool,
    calendar: SchoolCalendar,
    agreement: Agreement,
) -> tuple[dt.date, list[reasons.Claim]] | None:
    """A session's published day and the days nearer its target it passed over, while that
    day is still one the session may take (as a main activity's published date is held)."""
    held = own.published if own is not None else None
    if held is None or found is None or held == found or calendar.is_provisional(held):
        return None
    if not agreement.agreement.start <= held < activity:
        return None
    scope = calendar.term_id(activity) if left is None else None

    def rule(x: dt.date) -> reasons.Claim | None:
        return reasons.lead_up_rule(calendar.day(x), agreement, activity, scope, brigade)

    if rule(held) is not None:
        return None
    target = activity - dt.timedelta(days=days_before)
    nearer = reasons.nearer(held, target, "nearest")
    return held, reasons.passed_over(nearer, lambda x: rule(x) or reasons.Claim("published", x, x))


def _nearest_first(target: dt.date, lo: dt.date, hi: dt.date) -> Iterator[dt.date]:
    """Days of lo..hi by distance from ``target``, the earlier first on a tie."""
    for i in range(abs((target - lo).days) + abs((hi - target).days) + 1):
        step = dt.timedelta(days=i)
        for x in (target - step, target + step) if i else (target,):
            if lo <= x <= hi:
                yield x
        if target - step < lo and target + step > hi:
            return


def _with_lead_ups(
    d: Demand,
    day: dt.date,
    why: reasons.Reason,
    calendar: SchoolCalendar,
    records: Records,
    agreement: Agreement,
) -> tuple[Occurrence, list[Occurrence], list[Unplaced]]:
    c = d.commitment
    lang = agreement.agreement.language
    rec = records.occurrences.get(d.id)
    status: Status = "planned"
    start, end = (c.time.start, c.time.end) if c.time else (None, None)
    note = None
    sequence = 0
    if rec is not None:
        sequence = rec.sequence
        note = rec.note or rec.reason
        if rec.status is not None:
            status = rec.status
        if rec.time is not None:
            start, end = rec.time.start, rec.time.end
    term = calendar.term_of(day)
    title = c.title
    if d.festival is not None:
        from partnership.festivals import definition

        title = f"{c.title}（{definition(d.festival, agreement.festivals).name(lang)}）"
        if lang == "en":
            title = f"{c.title} ({definition(d.festival, agreement.festivals).name(lang)})"
    main = Occurrence(
        id=d.id,
        commitment=c.id,
        term=term.id if term else None,
        title=title,
        date=day,
        start=start,
        end=end,
        why=why.text,
        provisional=calendar.is_provisional(day),
        status=status,
        sequence=sequence,
        note=note,
        festival=d.festival,
        claims=why.claims,
    )
    sessions: list[Occurrence] = []
    missing: list[Unplaced] = []
    for k, lu in enumerate(c.lead_up, start=1):
        lu_id = f"{d.id}/lead-up-{k}"
        own = records.occurrences.get(lu_id)  # a session moved, cancelled or done on its own
        if own is not None and own.date is not None:
            lu_day = own.date
            lu_why = reasons.moved(own.date, calendar, agreement)
        else:
            probe = Occurrence(lu_id, c.id, None, "", day, None, None, "", lead_up_of=d.id)
            brigade = "brigade" in audience_of(agreement, probe)
            found, passed, left, counts = lead_up_day(
                day, lu.days_before, brigade, calendar, agreement
            )
            kept = _held_lead_up(
                own, day, lu.days_before, found, left, brigade, calendar, agreement
            )
            if kept is not None:
                found, passed = kept
            if found is None:
                r = reasons.lead_up_unplaced(day, lu.days_before, counts, lang)
                missing.append(
                    Unplaced(lu_id, c.id, main.term, r.text, tuple(counts.items()), r.claims)
                )
                continue
            lu_day = found
            lu_why = reasons.lead_up(lu_day, day, lu.days_before, passed, left, calendar, agreement)
        times = lu.time or c.time
        lu_start, lu_end = (times.start, times.end) if times else (None, None)
        lu_status: Status = "cancelled" if status == "cancelled" else "planned"
        lu_note = note if status == "cancelled" else None
        lu_sequence = sequence
        if own is not None:
            if own.time is not None:
                lu_start, lu_end = own.time.start, own.time.end
            if own.status is not None and lu_status != "cancelled":
                lu_status = own.status
            lu_note = own.note or own.reason or lu_note
            lu_sequence = max(sequence, own.sequence)
        sessions.append(
            Occurrence(
                id=lu_id,
                commitment=c.id,
                term=calendar.term_id(lu_day),
                title=f"{lu.title}：{title}" if lang != "en" else f"{lu.title}: {title}",
                date=lu_day,
                start=lu_start,
                end=lu_end,
                why=lu_why.text,
                provisional=calendar.is_provisional(lu_day),
                status=lu_status,
                lead_up_of=d.id,
                sequence=lu_sequence,
                note=lu_note,
                festival=d.festival,
                claims=lu_why.claims,
            )
        )
    return main, sessions, missing
