"""Benchmark: placement and .ics generation time against the number of activities.

Run: python benchmarks/bench_placement.py
Generation should grow linearly with the number of activities; this prints the
time per activity for agreements of growing size (not a test: no timing asserts).
"""

from __future__ import annotations

import copy
import datetime as dt
import statistics
import time
from pathlib import Path
from typing import Any

import yaml

from partnership.ics import render_ics
from partnership.loader import parse_agreement
from partnership.placement import place

EXAMPLE = Path(__file__).resolve().parent.parent / "schedules" / "damo-primary.yaml"


def agreement_with(n_commitments: int) -> bytes:
    """The example with its commitments repeated under new ids (capacity raised to fit)."""
    base: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    commitments = []
    for i in range(n_commitments):
        c = copy.deepcopy(base["commitments"][i % len(base["commitments"])])
        c["id"] = f"{c['id']}-{i}"
        commitments.append(c)
    base["commitments"] = commitments
    base["scheduling"] = {"max_per_day": max(1, n_commitments), "min_gap_days": 0}
    text = yaml.safe_dump(base, allow_unicode=True, sort_keys=False, default_style=None)
    return text.replace("'", '"').encode("utf-8")


def best_of(runs: int, fn: Any) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    stamp = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    print(f"{'commitments':>11} {'activities':>10} {'place s':>9} {'ics s':>8} {'µs/activity':>12}")
    per_activity = []
    for n in (6, 12, 24, 48, 96):
        data = agreement_with(n)
        agreement = parse_agreement(data, f"bench-{n}.yaml")
        plan = place(agreement)
        count = len(plan.occurrences)
        t_place = best_of(3, lambda a=agreement: place(a))
        t_ics = best_of(3, lambda p=plan: render_ics(p, dtstamp=stamp))
        us = (t_place + t_ics) / count * 1e6
        per_activity.append(us)
        print(f"{n:>11} {count:>10} {t_place:>9.3f} {t_ics:>8.3f} {us:>12.0f}")
    spread = max(per_activity) / statistics.median(per_activity)
    print(f"max/median time per activity: {spread:.2f} (about 1 means linear)")


if __name__ == "__main__":
    main()
