"""The joint placement problem of one brigade, its proven lower bound and its plan.

Each school keeps its own rules (a :class:`~partnership.placement.Board` per school);
schools meet only on the brigade's days. Per span of time, the LP relaxation of the
whole problem — every activity, the brigade's capacity per kind and day, each school's
``max_per_day`` and ``min_gap_days`` as rows — is solved by HiGHS with column generation
and cutting planes (:class:`_Bound`); the Lagrangian value of its duals is a lower bound
valid for any duals. Its assignment, kept where every rule holds and polished by a
local search (:class:`_Search`), is the plan. See docs/district.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from partnership.district.highs import quiet_highs
from partnership.placement import Board

Kind = Literal["host", "attend"]
UNPLACED_COST = 1000
"""What an activity left unplaced costs in the objective, in days of deviation."""
_MAX_ROUNDS = 40
_EJECT_TRIES = 8
"""How many occupants of a full brigade day the local search asks to step aside."""


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
    """Every school of one brigade dated under ``capacity`` per kind and day.

    Activities whose candidate days do not overlap never interact, so the problem splits
    into spans of time (about one per term); a span where every preferred day has room
    keeps the single-mode days, the others are solved (bound, then plan) on their own.
    """
    used: dict[tuple[Kind, dt.date], int] = {}
    for school in schools:
        for kind, day in school.fixed_kinds:
            used[(kind, day)] = used.get((kind, day), 0) + 1
    free = {k: max(0, capacity[k[0]] - n) for k, n in used.items()}

    def room(key: tuple[Kind, dt.date]) -> int:
        return free.get(key, capacity[key[0]])

    result = Result()
    for i, school in enumerate(schools):
        for it in school.items:
            result.dates[(i, it.oid)] = it.pref
    for part in _spans(schools):
        wanted: dict[tuple[Kind, dt.date], int] = {}
        for s in part:
            for it in s.items:
                if it.kind is not None and it.pref is not None:
                    wanted[(it.kind, it.pref)] = wanted.get((it.kind, it.pref), 0) + 1
        if all(n <= room(k) for k, n in wanted.items()):
            continue  # nothing over capacity: everyone as alone
        bound, chosen = _Bound(part, room).solve()
        dates = _adopt(part, room, chosen, bound)
        result.dates.update(dates)
        objective = sum(cost(it, dates[(i, it.oid)]) for i, s in enumerate(part) for it in s.items)
        result.objective += objective
        result.bound += min(bound, objective)
    return result


def _spans(schools: Sequence[School]) -> list[list[School]]:
    """The schools once per span of overlapping candidate days, each with that span's items."""
    ranges = sorted(
        (min(it.candidates), max(it.candidates))
        for s in schools
        for it in s.items
        if it.pref is not None and it.candidates
    )
    spans: list[list[dt.date]] = []
    for lo, hi in ranges:
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    # each item to the span holding its first candidate day: the last one starting by then
    starts = [lo for lo, _ in spans]
    shares: list[list[list[Item]]] = [[[] for _ in schools] for _ in spans]
    for i, s in enumerate(schools):
        for it in s.items:
            if it.pref is not None and it.candidates:
                shares[bisect.bisect_right(starts, min(it.candidates)) - 1][i].append(it)
    return [[replace(s, items=share[i]) for i, s in enumerate(schools)] for share in shares]


def _adopt(
    schools: Sequence[School],
    room: Callable[[tuple[Kind, dt.date]], int],
    chosen: dict[Key, dt.date | None],
    bound: int,
) -> dict[Key, dt.date | None]:
    """The LP's days where every rule holds (in school order), then the local search:
    first on the items that could not keep their LP day, then, while the plan is more
    than 0.5 % above the bound, on every item with a cost."""
    boards = [
        Board(s.max_per_day, s.min_gap_days, s.term_at, {d: list(v) for d, v in s.fixed.items()})
        for s in schools
    ]
    used: dict[tuple[Kind, dt.date], int] = {}
    out: dict[Key, dt.date | None] = {}
    for i, school in enumerate(schools):
        for it in school.items:
            day = chosen.get((i, it.oid)) if it.pref is not None else None
            ok = day is not None and boards[i].fits(day)
            if day is not None and ok and it.kind is not None:
                ok = used.get((it.kind, day), 0) < room((it.kind, day))
            out[(i, it.oid)] = day if ok else None
            if day is not None and ok:
                boards[i].add(it.oid, day)
                if it.kind is not None:
                    used[(it.kind, day)] = used.get((it.kind, day), 0) + 1
    search = _Search(schools, boards, out, lambda k: room(k) - used.get(k, 0), used)
    missed = [k for k in search.items if out[k] != chosen.get(k)]
    search.improve(missed, bound)
    search.improve(list(search.items), bound + bound // 200)
    return out


Key = tuple[int, str]


class _Search:
    """Local search on a feasible plan: move an item closer to its preferred day (or place
    it) when its own school's blockers and one occupant of a full brigade day can step
    aside to their next best days for less than the item gains. Every step keeps every rule.
    """

    def __init__(
        self,
        schools: Sequence[School],
        boards: list[Board],
        out: dict[Key, dt.date | None],
        room: Callable[[tuple[Kind, dt.date]], int],
        used: dict[tuple[Kind, dt.date], int],
    ) -> None:
        self.boards = boards
        self.out = out
        self.room = room
        self.used = used
        self.items: dict[Key, Item] = {
            (i, it.oid): it for i, s in enumerate(schools) for it in s.items if it.pref is not None
        }
        self.at: dict[tuple[Kind, dt.date], set[Key]] = {}
        for key, day in out.items():
            it = self.items.get(key)
            if it is not None and it.kind is not None and day is not None:
                self.at.setdefault((it.kind, day), set()).add(key)
        self._order: dict[Key, list[dt.date]] = {}

    def order(self, key: Key) -> list[dt.date]:
        """The item's candidates nearest its preferred day first (ties: the earlier), worked
        out for the items the search touches only."""
        found = self._order.get(key)
        if found is None:
            it = self.items[key]
            p = it.pref
            assert p is not None
            found = self._order[key] = sorted(it.candidates, key=lambda c: (abs((c - p).days), c))
        return found

    def take(self, key: Key) -> None:
        day = self.out[key]
        if day is None:
            return
        it = self.items[key]
        self.boards[key[0]].remove(key[1], day)
        if it.kind is not None:
            self.used[(it.kind, day)] -= 1
            self.at[(it.kind, day)].discard(key)
        self.out[key] = None

    def put(self, key: Key, day: dt.date | None) -> None:
        self.out[key] = day
        if day is None:
            return
        it = self.items[key]
        self.boards[key[0]].add(key[1], day)
        if it.kind is not None:
            self.used[(it.kind, day)] = self.used.get((it.kind, day), 0) + 1
            self.at.setdefault((it.kind, day), set()).add(key)

    def fits(self, key: Key, day: dt.date) -> bool:
        it = self.items[key]
        if it.kind is not None and self.room((it.kind, day)) <= 0:
            return False
        return self.boards[key[0]].fits(day)

    def step_aside(self, key: Key, log: list[tuple[Key, dt.date | None]]) -> int | None:
        """Move ``key`` to its best other day that fits; the cost it adds (None: none fits)."""
        it = self.items[key]
        old = self.out[key]
        self.take(key)
        for c in self.order(key):
            if c != old and self.fits(key, c):
                log.append((key, old))
                self.put(key, c)
                return cost(it, c) - cost(it, old)
        self.put(key, old)
        return None

    def undo(self, log: list[tuple[Key, dt.date | None]]) -> None:
        for key, old in reversed(log):
            self.take(key)
            self.put(key, old)

    def better(self, key: Key) -> bool:
        """Try to lower ``key``'s cost; True when the plan improved."""
        it = self.items[key]
        old = self.out[key]
        now = cost(it, old)
        fixed = self.boards[key[0]]
        for c in self.order(key):
            gain = now - cost(it, c)
            if gain <= 0:
                break
            log: list[tuple[Key, dt.date | None]] = [(key, old)]
            self.take(key)
            extra = 0
            blocking = sorted({b for _, b in fixed.blockers(c)})
            if any((key[0], b) not in self.items for b in blocking):
                self.undo(log)
                continue
            for b in blocking:  # the school's own activities in the way come off first
                log.append(((key[0], b), self.out[(key[0], b)]))
                self.take((key[0], b))
            self.put(key, c)
            ok = True
            if it.kind is not None and self.room((it.kind, c)) < 0:
                ok = self._eject((it.kind, c), key, log, gain) is not None
                extra = self._last
            for b in blocking if ok else ():
                bkey = (key[0], b)
                prev = log_prev(log, bkey)
                assert prev is not None  # a blocker is on the board: it had a day
                self.put(bkey, None)
                step = self._place_near(bkey, prev)
                if step is None:
                    ok = False
                    break
                extra += step
            if ok and extra < gain:
                return True
            self.undo(log)
        return False

    _last = 0

    def _eject(
        self, slot: tuple[Kind, dt.date], key: Key, log: list[tuple[Key, dt.date | None]], gain: int
    ) -> Key | None:
        """Move the occupant of a full slot that steps aside most cheaply."""
        best: tuple[int, Key] | None = None
        for other in sorted(self.at.get(slot, set()) - {key})[:_EJECT_TRIES]:
            trial: list[tuple[Key, dt.date | None]] = []
            step = self.step_aside(other, trial)
            if step is not None:
                self.undo(trial)
                if best is None or step < best[0]:
                    best = (step, other)
        if best is None or best[0] >= gain:
            return None
        step = self.step_aside(best[1], log)
        self._last = step or 0
        return best[1] if step is not None else None

    def _place_near(self, key: Key, prev: dt.date) -> int | None:
        """``key`` on its most preferred day that fits; what that costs more than ``prev``."""
        it = self.items[key]
        for c in self.order(key):
            if self.fits(key, c):
                self.put(key, c)
                return cost(it, c) - cost(it, prev)
        return None

    def total(self) -> int:
        """The objective of the plan as it stands."""
        return sum(cost(it, self.out[k]) for k, it in self.items.items())

    def improve(self, keys: list[Key], enough: int, rounds: int = 3) -> None:
        """Passes over ``keys`` with a cost, costliest first, while any improves and the
        objective is above ``enough``."""
        for _ in range(rounds):
            if self.total() <= enough:
                return
            todo = sorted(
                (k for k in keys if cost(self.items[k], self.out[k]) > 0),
                key=lambda k: (-cost(self.items[k], self.out[k]), k),
            )
            if not any([self.better(k) for k in todo]):
                return


def log_prev(log: list[tuple[Key, dt.date | None]], key: Key) -> dt.date | None:
    """The day ``key`` had before this step (the first entry the log holds for it)."""
    return next((old for k, old in log if k == key), None)


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


_DAYS = 1 << 22
"""Above every date's ordinal (9999-12-31 is 3 652 059): (number, day) pairs as one integer."""
_KIND_CODE: dict[Kind | None, int] = {None: 0, "host": 1, "attend": 2}
_KIND_OF: tuple[Kind, Kind] = ("host", "attend")

Row = tuple[int, str | None, int]
"""A school row of the LP: (school, term or None for a max_per_day row, day ordinal)."""


class _Bound:
    """The LP relaxation of the whole problem of one brigade, for a lower bound.

    Every activity of every school (not only the brigade's) with the days its fixed
    activities leave, the brigade's capacity per kind and day, and each school's own
    rules as rows — one per day (``max_per_day``) or, with a minimum gap, one per
    window of ``min_gap_days`` days of a term (at most one activity in it). Columns and
    school rows are added as the LP needs them (column generation, cutting planes); the
    Lagrangian bound of any of its duals is valid, and the last one is kept.

    An activity and one of its days is a *pair*; a school and one of its days a *cell*;
    days are ordinals. Pairs, brigade slots and cells are numbered in the order the
    schools, their activities and candidates give (slots and cells as first met).
    """

    def __init__(
        self, schools: Sequence[School], room: Callable[[tuple[Kind, dt.date]], int]
    ) -> None:
        import numpy as np

        self.np = np
        self.schools = schools
        self.items: list[tuple[int, Item]] = []
        days: list[int] = []
        counts: list[int] = []
        prefs: list[int] = []
        kinds: list[int] = []
        owners: list[int] = []
        blocked: list[int] = []
        for i, school in enumerate(schools):
            blocked.extend(i * _DAYS + d.toordinal() for d in blocked_by_fixed(school))
            for it in school.items:
                assert it.pref is not None  # a span holds the items with a preferred day
                self.items.append((i, it))
                days.extend(map(dt.date.toordinal, it.candidates))
                counts.append(len(it.candidates))
                prefs.append(it.pref.toordinal())
                kinds.append(_KIND_CODE[it.kind])
                owners.append(i)
        item = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        day = np.array(days, dtype=np.int64)
        cell_key = np.array(owners, dtype=np.int64)[item] * _DAYS + day
        keep = ~np.isin(cell_key, np.array(blocked, dtype=np.int64))
        item, day, cell_key = item[keep], day[keep], cell_key[keep]
        kind = np.array(kinds, dtype=np.int64)[item]
        self.pair_item = item
        self.pair_cost = np.abs(day - np.array(prefs, dtype=np.int64)[item]).astype(np.float64)
        uses = kind > 0
        slot = np.full(len(item), -1, dtype=np.int64)
        slot[uses], slot_keys = _first_met(np, kind[uses] * _DAYS + day[uses])
        self.pair_slot = slot
        self.slots: list[tuple[Kind, dt.date]] = [
            (_KIND_OF[k // _DAYS - 1], dt.date.fromordinal(k % _DAYS)) for k in slot_keys.tolist()
        ]
        self.cap = np.array([max(0, room(k)) for k in self.slots], dtype=np.float64)
        self.pair_cell, cell_keys = _first_met(np, cell_key)
        self.cell_of: dict[int, int] = {k: c for c, k in enumerate(cell_keys.tolist())}
        self.cell_keys: list[int] = cell_keys.tolist()  # school * _DAYS + day, by cell
        self.pair_day = day
        self.item_of: list[int] = item.tolist()  # the same as a Python list, for loops
        self.term: dict[int, str | None] = {}
        self.cell_rows: dict[int, list[int]] = {}
        self.row_id: dict[Row, int] = {}  # every school row a column is in, numbered
        self.row_list: list[Row] = []
        self.row_rhs: list[float] = []

    def _term(self, i: int, day: int) -> str | None:
        key = i * _DAYS + day
        if key not in self.term:
            self.term[key] = self.schools[i].term_at(dt.date.fromordinal(day))
        return self.term[key]

    def rows_of(self, cell: int) -> list[int]:
        """The numbers of the school rows a cell is in (worked out once per cell: every
        column of that cell asks); rows are numbered as first met."""
        found = self.cell_rows.get(cell)
        if found is None:
            i, day = divmod(self.cell_keys[cell], _DAYS)
            g = self.schools[i].min_gap_days
            term = self._term(i, day) if g >= 1 else None
            mine: list[Row] = (
                [(i, None, day)] if term is None else [(i, term, day - k) for k in range(g)]
            )
            found = self.cell_rows[cell] = [self._row(r) for r in mine]
        return found

    def _row(self, row: Row) -> int:
        """The number of a school row, and its right-hand side (kept in ``row_rhs``)."""
        found = self.row_id.get(row)
        if found is None:
            found = self.row_id[row] = len(self.row_list)
            self.row_list.append(row)
            i, term, day = row
            s = self.schools[i]
            fixed = len(s.fixed.get(dt.date.fromordinal(day), ()))
            # at least 1: a cell of the row is a day its fixed activities leave free
            self.row_rhs.append(1.0 if term is not None else float(s.max_per_day - fixed))
        return found

    def cells_of(self, row: Row) -> list[int]:
        """The cells (of candidate days) a school row holds."""
        i, term, day = row
        if term is None:  # a day's row: made for its cell
            return [self.cell_of[i * _DAYS + day]]
        g = self.schools[i].min_gap_days
        out = []
        for d in range(day, day + g):
            found = self.cell_of.get(i * _DAYS + d)
            if found is not None and self._term(i, d) == term:
                out.append(found)
        return out

    def solve(self) -> tuple[int, dict[Key, dt.date | None]]:
        """The best Lagrangian bound (rounded up: the optimum is a whole number) and the
        LP's last assignment (each item's column holding more than half, if any).

        One HiGHS model grows: new columns and rows are added to it, so each solve starts
        from the previous basis. A school row joins the LP once its columns' values
        break it.
        """
        import highspy

        np = self.np
        n_items = len(self.items)
        n_slots = len(self.slots)
        base = n_items + n_slots
        order = np.lexsort((self.pair_cost, self.pair_item))
        rank = np.zeros(len(order), dtype=np.int64)
        starts = np.searchsorted(self.pair_item[order], np.arange(n_items))
        rank[order] = np.arange(len(order)) - np.repeat(
            starts, np.diff(np.append(starts, len(order)))
        )
        h = quiet_highs()
        # primal simplex: measured faster here than the default dual, as most rounds only
        # add columns (the basis stays primal feasible) and a few rows
        h.setOptionValue("simplex_strategy", 4)
        inf = highspy.kHighsInf
        # rows: one per item (= 1), one per brigade slot (<= room); then school rows
        h.addRows(
            base,
            np.concatenate([np.ones(n_items), np.full(n_slots, -inf)]),
            np.concatenate([np.ones(n_items), self.cap]),
            0,
            np.zeros(base, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        # columns: "unplaced" for each item first
        h.addCols(
            n_items,
            np.full(n_items, float(UNPLACED_COST)),
            np.zeros(n_items),
            np.full(n_items, inf),
            n_items,
            np.arange(n_items, dtype=np.int32),
            np.arange(n_items, dtype=np.int32),
            np.ones(n_items),
        )
        lp_rows: list[int] = []  # school row numbers, in the LP's order after ``base``
        lp_index: dict[int, int] = {}  # school row number -> its place in lp_rows
        lp_at_cell: dict[int, list[int]] = {}  # cell -> places of the LP's school rows on it
        at_cell: dict[int, list[int]] = {}  # cell -> LP columns there
        cols: list[int] = []  # LP column n_items + k holds pair cols[k]
        col_cells: list[int] = []  # ... on cell col_cells[k]
        # the school rows of the columns that ever held a value, and the column of each
        # entry: a column's rows are worked out once it first holds one
        entries: list[tuple[Any, Any]] = [(np.zeros(0, dtype=np.int64),) * 2]
        known = np.zeros(len(order), dtype=bool)
        active = np.zeros(len(order), dtype=bool)
        rhs_all = np.zeros(0)  # the right-hand side of every school row numbered so far

        def add_cols(new: Any) -> None:
            first = len(cols)
            cells = self.pair_cell[new].tolist()
            for k, c in enumerate(cells, start=first):
                at_cell.setdefault(c, []).append(n_items + k)
            cols.extend(new.tolist())
            col_cells.extend(cells)
            # each column: its item's row, its brigade slot's (if any), the LP's school
            # rows on its cell, in that order
            held = [lp_at_cell.get(c, ()) for c in cells]
            counts = [len(rs) for rs in held]
            on = np.fromiter(itertools.chain.from_iterable(held), np.int64, sum(counts))
            slot = self.pair_slot[new]
            uses = slot >= 0
            col = np.concatenate(
                [np.arange(len(new)), np.flatnonzero(uses), np.repeat(np.arange(len(new)), counts)]
            )
            place = np.concatenate(
                [np.zeros(len(new)), np.ones(int(uses.sum())), np.full(len(on), 2)]
            )
            index = np.concatenate([self.pair_item[new], n_items + slot[uses], base + on])
            by_col = np.lexsort((place, col))
            h.addCols(
                len(new),
                self.pair_cost[new],
                np.zeros(len(new)),
                np.full(len(new), inf),
                len(index),
                np.searchsorted(col[by_col], np.arange(len(new))).astype(np.int32),
                index[by_col].astype(np.int32),
                np.ones(len(index)),
            )
            active[new] = True

        def add_rows(new: list[int]) -> None:
            starts_: list[int] = []
            index: list[int] = []
            for r in new:
                j = lp_index[r] = len(lp_rows)
                lp_rows.append(r)
                starts_.append(len(index))
                for c in self.cells_of(self.row_list[r]):
                    index.extend(at_cell.get(c, ()))
                    lp_at_cell.setdefault(c, []).append(j)
            h.addRows(
                len(new),
                np.full(len(new), -inf),
                np.array([self.row_rhs[r] for r in new]),
                len(index),
                np.array(starts_, dtype=np.int32),
                np.array(index, dtype=np.int32),
                np.ones(len(index)),
            )

        def learn(ks: list[int]) -> None:
            """The school rows of columns ``ks``, kept as entries."""
            mine = [self.rows_of(col_cells[k]) for k in ks]
            counts = [len(rs) for rs in mine]
            rows = np.fromiter(itertools.chain.from_iterable(mine), np.int64, sum(counts))
            entries.append((rows, np.repeat(np.array(ks, dtype=np.int64), counts)))
            known[ks] = True

        add_cols(np.flatnonzero(rank == 0))  # each item's cheapest day; the LP asks for more
        bound = -math.inf
        x: Any  # the LP's values, set in the first round (the loop runs at least once)
        for _ in range(_MAX_ROUNDS * 4):
            h.run()
            sol = h.getSolution()
            x = np.asarray(sol.col_value)
            dual = np.asarray(sol.row_dual)
            mu = dual[:n_items]
            lam = np.append(np.maximum(0.0, -dual[n_items:base]), 0.0)  # slot -1: no price
            pi = np.maximum(0.0, -dual[base:])
            per_cell = np.zeros(len(self.cell_keys))
            for r in np.flatnonzero(pi > 0).tolist():
                for c in self.cells_of(self.row_list[lp_rows[r]]):
                    per_cell[c] += pi[r]
            price = self.pair_cost + lam[self.pair_slot] + per_cell[self.pair_cell]
            best = np.full(n_items, float(UNPLACED_COST))
            np.minimum.at(best, self.pair_item, price)
            rhs = rhs_all[np.array(lp_rows, dtype=np.int64)]
            value = best.sum() - (lam[:-1] * self.cap).sum() - float((pi * rhs).sum())
            bound = max(bound, float(value))
            # each school row's load from the columns holding a value
            held = x[n_items : n_items + len(cols)]
            positive = held > 1e-9
            fresh = np.flatnonzero(positive & ~known[: len(cols)]).tolist()
            if fresh:
                learn(fresh)
                entries[:] = [tuple(np.concatenate(part) for part in zip(*entries, strict=True))]
                rhs_all = np.array(self.row_rhs)
            rows, owner = entries[0]
            load = np.bincount(
                rows, weights=np.where(positive, held, 0.0)[owner], minlength=len(rhs_all)
            )
            over = np.flatnonzero(load > rhs_all + 1e-7).tolist()
            cut = sorted(
                (r for r in over if r not in lp_index),
                key=lambda r: (self.row_list[r][0], self.row_list[r][1] or "", self.row_list[r][2]),
            )
            new = np.flatnonzero((price - mu[self.pair_item] < -1e-7) & ~active)
            if not cut and not len(new):
                break
            if cut:
                add_rows(cut)
            if len(new):
                add_cols(new)
        chosen: dict[Key, dt.date | None] = {(i, it.oid): None for i, it in self.items}
        for k in np.flatnonzero(x[n_items : n_items + len(cols)] > 0.5).tolist():
            p = cols[k]
            i, it = self.items[self.item_of[p]]
            chosen[(i, it.oid)] = dt.date.fromordinal(int(self.pair_day[p]))
        return max(0, math.ceil(bound - 1e-6)), chosen


def _first_met(np: Any, keys: Any) -> tuple[Any, Any]:
    """Each key's number, keys numbered in the order first met; and the keys in that order."""
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    number = np.empty(len(unique), dtype=np.int64)
    number[order] = np.arange(len(unique), dtype=np.int64)
    return number[inverse], unique[order]
