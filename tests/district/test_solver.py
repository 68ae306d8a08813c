"""The joint solver on small random problems, checked against the exact MIP (exact.py) and
rules checked here: every plan keeps every rule, its objective is its dates' cost, its bound
is below the optimum, and where the local search has work to do it reaches the optimum.

The seeds are problems on which the LP's days alone are not the best plan (the local
search moves activities); the district tests rarely give it any work.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from dataclasses import replace

import pytest

from partnership.district.solver import Item, School, blocked_by_fixed, solve
from tests.district.exact import Activity, SchoolRules, optimum

PENALTY = 1000
START = dt.date(2025, 9, 1)


def _term(day: dt.date) -> str | None:
    return "autumn" if START <= day <= START + dt.timedelta(days=40) else None


def _keeps_own_rules(days: list[dt.date], most: int, gap: int) -> bool:
    """Whether one school's days (fixed and preferred) keep its own rules, as single mode's
    do."""
    if max(Counter(days).values()) > most:
        return False
    return all(abs((a - b).days) >= gap for a, b in itertools.combinations(days, 2))


def _problem(
    seed: int, with_fixed: bool = False
) -> tuple[list[School], list[SchoolRules], dict[str, int]]:
    """Two to four schools of one to three activities on the first twelve days, each
    school's preferred days within its own rules (with ``with_fixed``, also up to two
    fixed activities a school, some of them the brigade's)."""
    rng = random.Random(seed)
    schools, rules = [], []
    for i in range(rng.randint(2, 4)):
        most, gap = rng.randint(1, 2), rng.randint(0, 3)
        fixed: dict[dt.date, list[str]] = {}
        fixed_kinds: list[tuple[str, dt.date]] = []
        for f in range(rng.randint(0, 2) if with_fixed else 0):
            day = START + dt.timedelta(days=rng.randrange(12))
            if _keeps_own_rules([*fixed, day], most, gap) and day not in fixed:
                fixed[day] = [f"fixed-{f}"]
                kind = rng.choice(["host", "attend", None])
                if kind is not None:
                    fixed_kinds.append((kind, day))
        while True:
            items, acts = [], []
            for k in range(rng.randint(1, 3)):
                picked = sorted(rng.sample(range(12), rng.randint(1, 5)))
                days = tuple(START + dt.timedelta(days=c) for c in picked)
                pref = rng.choice(days)
                kind = rng.choice(["host", "host", "attend", None])
                items.append(Item(f"a{k}", kind, pref, days))  # type: ignore[arg-type]
                acts.append(Activity(f"a{k}", kind, pref, days))
            days = [d for d, v in fixed.items() for _ in v] + [a.pref for a in acts]
            if _keeps_own_rules(days, most, gap):
                break
        schools.append(School(f"s{i}", "b", most, gap, _term, fixed, fixed_kinds, items))  # type: ignore[arg-type]
        counts = {d: len(v) for d, v in fixed.items()}
        rules.append(SchoolRules(most, gap, _term, counts, Counter(fixed_kinds), tuple(acts)))
    return schools, rules, {"host": rng.randint(1, 2), "attend": 1}


def _cost(pref: dt.date, day: dt.date | None) -> int:
    return PENALTY if day is None else abs((day - pref).days)


def _check_rules(
    schools: list[School], dates: dict[tuple[int, str], dt.date | None], cap: dict[str, int]
) -> int:
    """Every rule of every school and the brigade's capacity; the plan's cost."""
    load: Counter[tuple[str, dt.date]] = Counter()
    total = 0
    assert set(dates) == {(i, it.oid) for i, s in enumerate(schools) for it in s.items}
    for i, s in enumerate(schools):
        mine = [d for d, v in s.fixed.items() for _ in v]
        for it in s.items:
            day = dates[(i, it.oid)]
            assert it.pref is not None
            total += _cost(it.pref, day)
            if day is None:
                continue
            assert day in it.candidates, (i, it.oid, day)
            mine.append(day)
            if it.kind is not None:
                load[(it.kind, day)] += 1
        assert max(Counter(mine).values(), default=0) <= s.max_per_day
        assert _keeps_own_rules(mine, s.max_per_day, s.min_gap_days) if mine else True, i
    fixed = Counter(k for s in schools for k in s.fixed_kinds)
    for (kind, day), n in load.items():  # fixed ones alone may fill a day, never with others
        assert n + fixed[(kind, day)] <= cap[kind], (kind, day, n)
    return total


PROVEN = {851, 1844, 2272, 3123, 4855, 5976}


@pytest.mark.parametrize(
    ("seed", "with_fixed", "best"),
    # the plan is the optimum on these; on the others the search leaves a gap
    [(s, False, True) for s in (851, 1844, 2272, 2494, 2664, 3123, 4855, 5380, 5976)]
    + [(s, False, False) for s in (3034, 6078)]
    + [(s, True, True) for s in (338, 602, 1963, 2394, 2653, 4276, 5249, 5323, 5435, 5806)]
    + [(1623, True, False)],
)
def test_the_plan_keeps_every_rule_and_its_bound_is_below_the_optimum(
    seed: int, with_fixed: bool, best: bool
) -> None:
    schools, rules, cap = _problem(seed, with_fixed)
    result = solve(schools, cap)
    total = _check_rules(schools, result.dates, cap)
    exact, _ = optimum(rules, cap, PENALTY)
    assert result.objective == total
    assert result.bound <= exact + 1e-6 <= total + 2e-6
    assert (total == round(exact)) is best
    if not with_fixed and seed in PROVEN:
        assert result.bound == round(exact)  # the bound proves the plan the best


def test_every_plan_of_many_small_problems_keeps_every_rule() -> None:
    for seed, with_fixed in itertools.product(range(100), (False, True)):
        schools, rules, cap = _problem(seed, with_fixed)
        result = solve(schools, cap)
        total = _check_rules(schools, result.dates, cap)
        assert result.objective == total, seed
        assert result.bound <= optimum(rules, cap, PENALTY)[0] + 1e-6, seed


def test_the_days_a_schools_fixed_activities_keep_free() -> None:
    """A day that holds the school's most, and the days within its minimum gap of any fixed
    activity in the same term; an empty day blocks nothing, nor a day out of term around it."""
    day = dt.date(2025, 9, 1).replace

    def term(d: dt.date) -> str | None:
        return "autumn" if d <= day(day=21) else None

    fixed = {
        day(day=30): [],  # first: an empty day does not end the search
        day(month=10, day=5): ["d", "e"],  # out of term: full, no gap around it
        day(day=10): ["a"],
        day(day=20): ["b", "c"],
    }
    school = School("s", "b", 2, 3, term, fixed, [], [])
    expected = {day(day=d) for d in (8, 9, 10, 11, 12, 18, 19, 20, 21)} | {day(month=10, day=5)}
    assert blocked_by_fixed(school) == expected
    assert blocked_by_fixed(replace(school, max_per_day=3)) == expected - {day(month=10, day=5)}


@pytest.mark.parametrize("seed", [6, 17, 20, 29, 35, 36, 53, 56, 61, 68, 79, 82])
def test_with_fixed_activities_the_bound_proves_these_plans_the_best(seed: int) -> None:
    schools, rules, cap = _problem(seed, True)
    result = solve(schools, cap)
    assert _check_rules(schools, result.dates, cap) == result.objective > 0
    assert result.bound == result.objective == round(optimum(rules, cap, PENALTY)[0])


def test_the_lp_days_are_adopted_in_school_order_where_every_rule_holds() -> None:
    """``_adopt`` keeps an LP day only where the school's board and the brigade's room
    still take it, schools in order; with a bound no plan is above, the local search then
    changes nothing, so what comes back is exactly the adoption."""
    from partnership.district.solver import _adopt

    d1, d2, d3 = (START + dt.timedelta(days=k) for k in (1, 2, 3))  # in the one term

    def school(
        items: list[Item],
        most: int = 1,
        gap: int = 0,
        fixed: dict[dt.date, list[str]] | None = None,
    ) -> School:
        return School("s", "b", most, gap, _term, fixed or {}, [], items)

    def item(oid: str, kind: str | None, pref: dt.date | None) -> Item:
        return Item(oid, kind, pref, (d1, d2, d3))  # type: ignore[arg-type]

    schools = [
        school([item("a1", "host", d1), item("a2", None, d1)]),  # a2: one a day
        school([item("b1", "host", d1), item("b2", "host", d2), item("b3", None, d1)]),
        school([item("c1", None, d1), item("c2", None, d2)], most=2, gap=2),  # two days apart
        school([item("e1", None, d3), item("e2", None, None)], fixed={d3: ["fixed"]}),
    ]
    chosen = {
        (0, "a1"): d1, (0, "a2"): d1,
        (1, "b1"): d1, (1, "b2"): d2, (1, "b3"): d1,
        (2, "c1"): d1, (2, "c2"): d2,
        (3, "e1"): d3, (3, "e2"): d1,
    }  # fmt: skip
    out = _adopt(schools, lambda key: 1, dict(chosen), 10**9)
    assert out == {
        (0, "a1"): d1,
        (0, "a2"): None,  # the school's one activity a day is a1
        (1, "b1"): None,  # the brigade hosts one a day: a1, of the school before
        (1, "b2"): d2,
        (1, "b3"): d1,  # uses no capacity: only its own school's rules count
        (2, "c1"): d1,
        (2, "c2"): None,  # one day after c1, the gap is two
        (3, "e1"): None,  # the fixed activity fills the day
        (3, "e2"): None,  # unplaced even alone: never dated
    }


def _day(k: int) -> dt.date:
    return START + dt.timedelta(days=k)


def test_with_a_gap_of_one_day_the_bound_knows_a_school_has_one_activity_a_day() -> None:
    """The brigade keeps b1 on day 1, so a2 must leave it: to day 2, where a1 is (two may
    share a day by max_per_day, not by the one-day gap) once a1 moves on to day 3 (cost
    2), or to day 4 (cost 3). The bound proves 2: it holds the gap's rows."""
    a = School(
        "a", "b", 2, 1, _term, {}, [],
        [Item("a1", None, _day(2), (_day(2), _day(3))),
         Item("a2", "host", _day(1), (_day(1), _day(2), _day(4)))],
    )  # fmt: skip
    b = School("b", "b", 1, 0, _term, {}, [], [Item("b1", "host", _day(1), (_day(1),))])
    result = solve([a, b], {"host": 1, "attend": 1})
    assert (result.objective, result.bound) == (2, 2)
    assert result.dates == {(0, "a1"): _day(3), (0, "a2"): _day(2), (1, "b1"): _day(1)}


def test_the_bound_counts_a_schools_fixed_activity_against_its_activities_a_day() -> None:
    """Day 1 holds a fixed activity and a1 (two a day): a2, pushed off day 2 by the
    brigade, goes to day 4 (cost 2) rather than to day 1, which would send a1 to day 3
    (cost 1 + 2). The bound proves 2: the fixed activity takes one of day 1's two places."""
    a = School(
        "a", "b", 2, 0, _term, {_day(1): ["fixed"]}, [],
        [Item("a1", None, _day(1), (_day(1), _day(3))),
         Item("a2", "host", _day(2), (_day(2), _day(1), _day(4)))],
    )  # fmt: skip
    b = School("b", "b", 1, 0, _term, {}, [], [Item("b1", "host", _day(2), (_day(2),))])
    result = solve([a, b], {"host": 1, "attend": 1})
    assert (result.objective, result.bound) == (2, 2)
    assert result.dates == {(0, "a1"): _day(1), (0, "a2"): _day(4), (1, "b1"): _day(2)}


def test_the_bound_applies_a_gap_only_within_a_term() -> None:
    """Day 10 ends a term and day 11 starts the next: a gap of three days does not join
    them, so both activities keep their days and the LP's bound is 0."""
    from partnership.district.solver import _Bound

    def two_terms(day: dt.date) -> str | None:
        return "t1" if day <= _day(10) else "t2"

    a = School(
        "a", "b", 1, 3, two_terms, {}, [],
        [Item("a1", None, _day(10), (_day(10), _day(9))),
         Item("a2", "host", _day(11), (_day(11), _day(12), _day(13)))],
    )  # fmt: skip
    bound, chosen = _Bound([a], lambda key: 1).solve()
    assert bound == 0 and chosen == {(0, "a1"): _day(10), (0, "a2"): _day(11)}


def test_the_lp_bound_prices_a_day_with_room_for_two() -> None:
    """Three activities want day 1 of a school that takes two a day: one moves a day (cost
    1). The LP's own bound (before it is capped by the plan's objective) is exactly that:
    the day's row is priced by its dual times its two places."""
    from partnership.district.solver import _Bound

    a = School(
        "a", "b", 2, 0, _term, {}, [],
        [Item(f"a{k}", None, _day(1), (_day(1), _day(2))) for k in range(3)],
    )  # fmt: skip
    bound, chosen = _Bound([a], lambda key: 1).solve()
    assert bound == 1
    assert sorted(d for d in chosen.values() if d is not None) == [_day(1), _day(1), _day(2)]


def test_the_lp_adds_every_column_that_lowers_its_cost() -> None:
    """A problem (found by the mutation run) whose bound proves its plan only once the LP has
    every day whose reduced cost is below zero, not only those far below."""
    schools, rules, cap = _problem(205, True)
    result = solve(schools, cap)
    assert result.bound == result.objective == round(optimum(rules, cap, PENALTY)[0]) == 2
