"""An exact reference for the joint placement: the whole problem as one HiGHS MIP.

Written apart from :mod:`partnership.district.solver` (it imports nothing of it): every
school's activities, its per-day limit and minimum gap, its fixed days and the brigade's
capacity, with the deviation from the preferred day (or a penalty for leaving an activity
unplaced) as cost. Used by the tests on small districts and by the benchmark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from partnership.district.highs import quiet_highs


@dataclass(frozen=True)
class Activity:
    """One activity to date: kind ("host", "attend" or None), preferred day, candidates."""

    oid: str
    kind: str | None
    pref: dt.date
    candidates: tuple[dt.date, ...]


@dataclass(frozen=True)
class SchoolRules:
    """One school: its limits, the term of a day, its fixed main activities by day."""

    max_per_day: int
    min_gap_days: int
    term_at: Callable[[dt.date], str | None]
    fixed: dict[dt.date, int]
    fixed_kinds: dict[tuple[str, dt.date], int]
    activities: tuple[Activity, ...]


def optimum(
    schools: Sequence[SchoolRules],
    capacity: dict[str, int],
    penalty: int,
    time_limit: float = 600.0,
) -> tuple[float, float]:
    """The exact optimum (and HiGHS's own dual bound) of one brigade's schools."""
    import highspy
    import numpy as np

    cols: list[tuple[int, str | None, dt.date | None]] = []  # (school, kind, day)
    cost: list[float] = []
    rows: list[list[int]] = []
    upper: list[float] = []
    lower: list[float] = []
    slot_rows: dict[tuple[str, dt.date], list[int]] = {}
    for i, s in enumerate(schools):
        day_cols: dict[dt.date, list[int]] = {}
        for act in s.activities:
            mine = []
            for day in act.candidates:
                if _blocked(s, day):
                    continue
                j = len(cols)
                cols.append((i, act.kind, day))
                cost.append(abs((day - act.pref).days))
                mine.append(j)
                day_cols.setdefault(day, []).append(j)
                if act.kind is not None:
                    slot_rows.setdefault((act.kind, day), []).append(j)
            j = len(cols)
            cols.append((i, None, None))
            cost.append(float(penalty))
            rows.append([*mine, j])
            lower.append(1.0)
            upper.append(1.0)
        for day, js in day_cols.items():
            room = s.max_per_day - s.fixed.get(day, 0)
            rows.append(js)
            lower.append(-highspy.kHighsInf)
            upper.append(float(max(room, 0)))
        g = s.min_gap_days
        if g >= 1:
            for day in day_cols:
                term = s.term_at(day)
                if term is None:
                    continue
                window = [
                    j
                    for k in range(g)
                    for j in day_cols.get(day + dt.timedelta(days=k), [])
                    if s.term_at(day + dt.timedelta(days=k)) == term
                ]
                if len(window) > 1:
                    rows.append(window)
                    lower.append(-highspy.kHighsInf)
                    upper.append(1.0)
    for (kind, day), js in slot_rows.items():
        used = sum(s.fixed_kinds.get((kind, day), 0) for s in schools)
        rows.append(js)
        lower.append(-highspy.kHighsInf)
        upper.append(float(max(capacity[kind] - used, 0)))
    start = np.cumsum([0] + [len(r) for r in rows])
    lp = highspy.HighsLp()
    lp.num_col_ = len(cols)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.zeros(len(cols))
    lp.col_upper_ = np.ones(len(cols))
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = np.array([j for r in rows for j in r], dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(int(start[-1]))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(cols)
    h = quiet_highs()
    h.setOptionValue("time_limit", time_limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    h.run()
    info = h.getInfo()
    return float(info.objective_function_value), float(info.mip_dual_bound)


def _blocked(s: SchoolRules, day: dt.date) -> bool:
    """Whether the school's fixed activities alone rule ``day`` out for another one."""
    if s.fixed.get(day, 0) >= s.max_per_day:
        return True
    term = s.term_at(day)
    if term is None:
        return False
    for k in range(-(s.min_gap_days - 1), s.min_gap_days):
        other = day + dt.timedelta(days=k)
        if s.fixed.get(other, 0) and s.term_at(other) == term:
            return True
    return False
