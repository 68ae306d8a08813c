"""The joint placement problem of one brigade, its LP bound and a repaired integral plan.

Each school keeps its own rules (a :class:`~partnership.placement.Board` per school);
schools meet only on the brigade's days. The LP relaxes every school rule except the
dates its fixed activities already rule out and keeps the brigade's capacity: an
assignment of activities to (kind, day) slots — totally unimodular, so its optimum is
integral — solved by HiGHS with column generation. Its duals give a Lagrangian lower
bound that is valid for the full problem. The LP's assignment is then repaired school by
school until every school's rules hold, moving as little as possible.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from partnership.placement import Board

Kind = Literal["host", "attend"]
UNPLACED_COST = 1000
"""What an activity left unplaced costs in the objective, in days of deviation."""
_FIRST_COLUMNS = 8
_MAX_ROUNDS = 40


@dataclass(frozen=True)
class Item:
    """One activity to date: its preferred day (single mode), candidates, and brigade use."""

    oid: str
    kind: Kind | None  # hosted, attended, or no brigade capacity used
    pref: dt.date | None  # None: unplaced even alone (not part of the objective)
    candidates: tuple[dt.date, ...]  # in the agreement's order of preference


@dataclass
class School:
    """One school's share of the problem: its rules, its fixed days and its activities."""

    name: str
    brigade: str
    max_per_day: int
    min_gap_days: int
    term_at: Callable[[dt.date], str | None]
    fixed: dict[dt.date, list[str]]  # main activities that do not move, by day
    fixed_kinds: list[tuple[Kind, dt.date]]  # the fixed ones using brigade capacity
    items: list[Item]


@dataclass
class Result:
    """The chosen day of every item (None: unplaced), the objective and a lower bound."""

    dates: dict[tuple[int, str], dt.date | None] = field(default_factory=dict)
    objective: int = 0
    bound: int = 0


def cost(item: Item, day: dt.date | None) -> int:
    """Deviation of ``item`` on ``day`` from its preferred day (unplaced: UNPLACED_COST)."""
    if item.pref is None:
        return 0
    if day is None:
        return UNPLACED_COST
    return abs((day - item.pref).days)


def solve(schools: Sequence[School], capacity: dict[Kind, int]) -> Result:
    """Every school of one brigade dated under ``capacity`` per kind and day."""
    slots: dict[tuple[Kind, dt.date], int] = {}
    for school in schools:
        for kind, day in school.fixed_kinds:
            slots[(kind, day)] = slots.get((kind, day), 0) + 1
    free = {s: max(0, capacity[s[0]] - n) for s, n in slots.items()}
    wanted: dict[tuple[Kind, dt.date], int] = {}
    for school in schools:
        for it in school.items:
            if it.kind is not None and it.pref is not None:
                s = (it.kind, it.pref)
                wanted[s] = wanted.get(s, 0) + 1
    result = Result()
    if all(n <= free.get(s, capacity[s[0]]) for s, n in wanted.items()):
        for i, school in enumerate(schools):  # nothing is over capacity: everyone as alone
            for it in school.items:
                result.dates[(i, it.oid)] = it.pref
        return result

    def room(key: tuple[Kind, dt.date]) -> int:
        return free.get(key, capacity[key[0]])

    relaxed: list[tuple[int, Item, list[dt.date]]] = []
    for i, school in enumerate(schools):
        blocked = blocked_by_fixed(school)
        relaxed.extend(
            (i, it, [c for c in it.candidates if c not in blocked])
            for it in school.items
            if it.kind is not None and it.pref is not None
        )
    _, result.bound = _Relaxation(relaxed, room).solve()
    result.dates = _round(schools, room, relaxed)
    result.objective = sum(
        cost(it, result.dates[(i, it.oid)]) for i, s in enumerate(schools) for it in s.items
    )
    result.bound = min(result.bound, result.objective)
    return result


def _round(
    schools: Sequence[School],
    room: Callable[[tuple[Kind, dt.date]], int],
    relaxed: Sequence[tuple[int, Item, list[dt.date]]],
) -> dict[tuple[int, str], dt.date | None]:
    """An integral plan from the LP: keep the days each school's rules allow, re-solve the rest.

    Activities not using the brigade stay on their preferred days. Each round solves the
    capacity LP of the activities still open, on the days their school's board allows
    now, and keeps per school every LP day that still fits once the school's earlier
    ones are kept; the first always does, so every round keeps at least one.
    """
    boards = [
        Board(s.max_per_day, s.min_gap_days, s.term_at, {d: list(v) for d, v in s.fixed.items()})
        for s in schools
    ]
    out: dict[tuple[int, str], dt.date | None] = {}
    for i, school in enumerate(schools):
        for it in school.items:
            if it.kind is None or it.pref is None:
                out[(i, it.oid)] = it.pref
                if it.pref is not None:
                    boards[i].add(it.oid, it.pref)
    used: dict[tuple[Kind, dt.date], int] = {}
    pending = [(i, it) for i, it, _ in relaxed]
    while pending:
        entries = [(i, it, [c for c in it.candidates if boards[i].fits(c)]) for i, it in pending]
        chosen, _ = _Relaxation(entries, lambda k: room(k) - used.get(k, 0)).solve()
        left: list[tuple[int, Item]] = []
        for i, it in sorted(
            pending, key=lambda p: (p[0], chosen[(p[0], p[1].oid)] or dt.date.max, p[1].oid)
        ):
            assert it.kind is not None
            day = chosen[(i, it.oid)]
            if day is None:
                out[(i, it.oid)] = None
            elif boards[i].fits(day):
                boards[i].add(it.oid, day)
                used[(it.kind, day)] = used.get((it.kind, day), 0) + 1
                out[(i, it.oid)] = day
            else:
                left.append((i, it))
        pending = left
    for i, it in sorted(((i, it) for i, it, _ in relaxed if out[(i, it.oid)] is None), key=_key):
        day = _make_room(schools[i], boards[i], it, out, i, lambda k: room(k) - used.get(k, 0))
        if day is not None:
            assert it.kind is not None
            used[(it.kind, day)] = used.get((it.kind, day), 0) + 1
    return out


def _key(entry: tuple[int, Item]) -> tuple[int, str]:
    return entry[0], entry[1].oid


def _make_room(
    school: School,
    board: Board,
    it: Item,
    out: dict[tuple[int, str], dt.date | None],
    i: int,
    room: Callable[[tuple[Kind, dt.date]], int],
) -> dt.date | None:
    """Place an unplaced item by moving the school's own activities that block a free day.

    Only activities without brigade capacity move (to their nearest day that fits), so
    the brigade's load stays as it is; the item goes on the first day this frees.
    """
    assert it.kind is not None and it.pref is not None
    own = {x.oid: x for x in school.items if x.kind is None and x.pref is not None}
    pref = it.pref
    for day in sorted(it.candidates, key=lambda c: (abs((c - pref).days), c)):
        if room((it.kind, day)) <= 0:
            continue
        blocking = sorted({b for _, b in board.blockers(day)})
        if not blocking or any(b not in own for b in blocking):
            continue
        old = {b: out[(i, b)] for b in blocking}
        for b in blocking:
            board.remove(b, old[b])  # type: ignore[arg-type]
        board.add(it.oid, day)
        moved: dict[str, dt.date] = {}
        for b in blocking:
            bp = own[b].pref
            assert bp is not None
            options = sorted(own[b].candidates, key=lambda c: (abs((c - bp).days), c))
            alt = next((c for c in options if board.fits(c)), None)
            if alt is None:
                break
            board.add(b, alt)
            moved[b] = alt
        if len(moved) == len(blocking):
            out.update({(i, b): d for b, d in moved.items()})
            out[(i, it.oid)] = day
            return day
        for b, alt in moved.items():
            board.remove(b, alt)
        board.remove(it.oid, day)
        for b in blocking:
            board.add(b, old[b])  # type: ignore[arg-type]
    return None


def blocked_by_fixed(school: School) -> set[dt.date]:
    """Days a school's fixed activities keep free of any other main activity (Board rules)."""
    out: set[dt.date] = set()
    g = school.min_gap_days
    for day, oids in school.fixed.items():
        if not oids:
            continue
        if len(oids) >= school.max_per_day:
            out.add(day)
        term = school.term_at(day)
        if term is None:
            continue
        for k in range(-(g - 1), g):
            other = day + dt.timedelta(days=k)
            if school.term_at(other) == term:
                out.add(other)
    return out


class _Relaxation:
    """The capacity LP over some items and their allowed days, solved by column generation."""

    def __init__(
        self,
        entries: Sequence[tuple[int, Item, Sequence[dt.date]]],
        room: Callable[[tuple[Kind, dt.date]], int],
    ) -> None:
        import numpy as np

        self.items: list[tuple[int, Item]] = []
        pair_item: list[int] = []
        pair_slot: list[int] = []
        pair_cost: list[int] = []
        self.slot_of: dict[tuple[Kind, dt.date], int] = {}
        self.slots: list[tuple[Kind, dt.date]] = []
        for i, it, days in entries:
            assert it.kind is not None and it.pref is not None
            n = len(self.items)
            self.items.append((i, it))
            for day in days:
                key = (it.kind, day)
                s = self.slot_of.get(key)
                if s is None:
                    s = self.slot_of[key] = len(self.slots)
                    self.slots.append(key)
                pair_item.append(n)
                pair_slot.append(s)
                pair_cost.append(abs((day - it.pref).days))
        self.np = np
        self.pair_item = np.array(pair_item, dtype=np.int64)
        self.pair_slot = np.array(pair_slot, dtype=np.int64)
        self.pair_cost = np.array(pair_cost, dtype=np.float64)
        self.cap = np.array([max(0, room(k)) for k in self.slots], dtype=np.float64)

    def solve(self) -> tuple[dict[tuple[int, str], dt.date | None], int]:
        """The LP's integral assignment and the Lagrangian bound from its duals (rounded up)."""
        np = self.np
        n_items = len(self.items)
        # the first columns: each item's cheapest few candidates
        order = np.lexsort((self.pair_cost, self.pair_item))
        rank = np.zeros(len(order), dtype=np.int64)
        starts = np.searchsorted(self.pair_item[order], np.arange(n_items))
        rank[order] = np.arange(len(order)) - np.repeat(
            starts, np.diff(np.append(starts, len(order)))
        )
        active = rank < _FIRST_COLUMNS
        bound = -math.inf
        x: Any = None
        cols: Any = None
        for _ in range(_MAX_ROUNDS):
            cols = np.flatnonzero(active)
            x, mu, lam = self._lp(cols)
            reduced = self.pair_cost + lam[self.pair_slot] - mu[self.pair_item]
            best = np.full(n_items, float(UNPLACED_COST))
            np.minimum.at(best, self.pair_item, self.pair_cost + lam[self.pair_slot])
            bound = max(bound, float(best.sum() - (lam * self.cap).sum()))
            new = (reduced < -1e-7) & ~active
            if not new.any():
                break
            active |= new
        chosen: dict[tuple[int, str], dt.date | None] = {(i, it.oid): None for i, it in self.items}
        for k, col in enumerate(cols):
            if x[k] > 0.5:
                i, it = self.items[int(self.pair_item[col])]
                chosen[(i, it.oid)] = self.slots[int(self.pair_slot[col])][1]
        return chosen, max(0, math.ceil(bound - 1e-6))

    def _lp(self, cols: Any) -> tuple[Any, Any, Any]:
        """Solve the restricted LP; its primal columns, item duals and slot prices (≥ 0)."""
        import highspy

        np = self.np
        n_items = len(self.items)
        n_slots = len(self.slots)
        k = len(cols)
        # columns: the chosen pairs, then one "unplaced" column per item
        rows_item = self.pair_item[cols]
        rows_slot = n_items + self.pair_slot[cols]
        index = np.empty(2 * k + n_items, dtype=np.int32)
        index[0 : 2 * k : 2] = rows_item
        index[1 : 2 * k : 2] = rows_slot
        index[2 * k :] = np.arange(n_items)
        start = np.concatenate([np.arange(0, 2 * k, 2), 2 * k + np.arange(n_items + 1)])
        lp = highspy.HighsLp()
        lp.num_col_ = k + n_items
        lp.num_row_ = n_items + n_slots
        lp.col_cost_ = np.concatenate([self.pair_cost[cols], np.full(n_items, UNPLACED_COST)])
        lp.col_lower_ = np.zeros(k + n_items)
        lp.col_upper_ = np.full(k + n_items, highspy.kHighsInf)
        lp.row_lower_ = np.concatenate([np.ones(n_items), np.full(n_slots, -highspy.kHighsInf)])
        lp.row_upper_ = np.concatenate([np.ones(n_items), self.cap])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start.astype(np.int32)
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = np.ones(len(index))
        h = quiet_highs()
        h.passModel(lp)
        h.run()
        sol = h.getSolution()
        x = np.asarray(sol.col_value)[:k]
        dual = np.asarray(sol.row_dual)
        mu = dual[:n_items]
        lam = np.maximum(0.0, -dual[n_items:])
        return x, mu, lam


def quiet_highs() -> Any:
    """A HiGHS instance that prints nothing (its banner goes to the C stdout otherwise)."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h
