"""District benchmark: quality against an exact MIP, and joint-placement speed by size.

Run: python bench/district.py quality         (small/medium districts, gap to the exact optimum)
     python bench/district.py speed [N ...]   (default 100 and 1000 schools × 6 terms)
Districts come from bench/generate.py's agreements (the example's shape, own terms,
closures, preferences), shared among 1–5 brigades whose capacity goes from tight to loose.
Never run from a timed test.
"""

from __future__ import annotations

import gc
import math
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from partnership.district.loader import load_district  # noqa: E402
from partnership.district.planner import Capture, plan_district, school_problem, with_brigade  # noqa: E402
from partnership.district.solver import UNPLACED_COST, solve  # noqa: E402
from partnership.placement import place  # noqa: E402
from partnership.schoolcalendar import SchoolCalendar  # noqa: E402
from tests.district.exact import Activity, SchoolRules, optimum  # noqa: E402


def write(folder: Path, schools: int, brigades: int, tightness: float, seed: int) -> Path:
    """A district of ``schools`` example-shaped agreements over ``brigades`` brigades.

    ``tightness`` ≈ hosted visits wanted per brigade per usable day: capacity is set
    from it (1.0 tight, 0.3 loose; above 1 some activities cannot be placed).
    """
    rng = random.Random(seed)
    base = generate._load_example()
    (folder / "schools").mkdir(parents=True, exist_ok=True)
    for i in range(1, schools + 1):
        data = generate.agreement(base, i, seed)
        data["parties"]["brigade"]["id"] = f"brigade-{rng.randrange(brigades) + 1}"
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / "schools" / f"s{i:05d}.yaml").write_text(text, encoding="utf-8")
    per = schools / brigades
    host = max(1, math.ceil(per * 1.3 / 20 / tightness))  # ≈ 20 usable visit days a term
    district = {
        "version": 1,
        "district": {"id": f"bench-{schools}", "name": f"基准区（{schools}所学校）"},
        "agreements": ["schools/*.yaml"],
        "brigades": [
            {
                "id": f"brigade-{b + 1}",
                "name": f"第{b + 1}消防救援站",
                "capacity": {
                    "host_per_day": host,
                    "attend_per_day": max(1, host + rng.randint(0, 2)),
                },
                "unavailable": [{"name": "战备", "start": "2025-05-12", "end": "2025-05-16"}],
            }
            for b in range(brigades)
        ],
    }
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(district, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def quality() -> None:
    """Planner objective and bound against the exact optimum, on every generated district."""
    cases = [
        (n, b, tight, seed)
        for n in (10, 30, 60)
        for b in (1, 3)
        for tight in (0.4, 1.0, 2.0)
        for seed in (n,)
    ]
    worst = 0.0
    for n, b, tight, seed in cases:
        with tempfile.TemporaryDirectory() as tmp:
            loaded = load_district(write(Path(tmp), n, b, tight, seed))
            obj = bnd = opt = 0.0
            for brigade in loaded.district.brigades:
                probs = []
                for m in loaded.members:
                    if m.brigade != brigade.id:
                        continue
                    a = with_brigade(m.agreement, brigade)
                    cap = Capture()
                    place(a, SchoolCalendar(a), strategy=cap)
                    probs.append(school_problem(a, cap, brigade.id))
                if not probs:
                    continue
                capacity = {
                    "host": brigade.capacity.host_per_day,
                    "attend": brigade.capacity.attend_per_day,
                }
                r = solve(probs, capacity)
                rules = [
                    SchoolRules(
                        s.max_per_day,
                        s.min_gap_days,
                        s.term_at,
                        {d: len(v) for d, v in s.fixed.items()},
                        dict(Counter(s.fixed_kinds)),
                        tuple(
                            Activity(i.oid, i.kind, i.pref, i.candidates)
                            for i in s.items
                            if i.pref is not None
                        ),
                    )
                    for s in probs
                ]
                o, _ = optimum(rules, capacity, UNPLACED_COST, time_limit=300)
                obj, bnd, opt = obj + r.objective, bnd + r.bound, opt + o
            gap = (obj - opt) / opt if opt else 0.0
            worst = max(worst, gap)
            ok = bnd <= opt + 1e-6 <= obj + 1e-6
            print(
                f"schools={n:3d} brigades={b} tight={tight:.1f}: "
                f"objective={obj:.0f} bound={bnd:.0f} optimum={opt:.0f} "
                f"gap-to-optimum={100 * gap:.2f}% bound<=opt<=obj: {ok}",
                flush=True,
            )
    print(f"worst gap to the exact optimum: {100 * worst:.2f}%")


def speed(sizes: tuple[int, ...] = (100, 1000)) -> None:
    """Joint placement time (files already loaded) at 100 and 1000 schools: on one core,
    split into single mode (``stage`` and the greedy strategy for every school, ``finish``
    once), the solver and the rest; then on every core this process may use."""
    import partnership.district.planner as planner
    from partnership.parallel import cores

    spent = {"place": 0.0, "solve": 0.0}

    def timed(name: str, fn: Any) -> Any:
        def run(*args: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                spent[name] += time.perf_counter() - t0

        return run

    for name in ("stage", "finish", "greedy_with_repair"):
        setattr(planner, name, timed("place", getattr(planner, name)))
    planner.solve = timed("solve", planner.solve)  # type: ignore[assignment]
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            # about 200 schools a brigade, at least 5 brigades
            loaded = load_district(write(Path(tmp), n, max(5, n // 200), 1.0, 7))
            for k in (1, cores()):
                spent.update(place=0.0, solve=0.0)
                gc.collect()
                t0 = time.perf_counter()
                dp = plan_district(loaded, {}, cores=k)
                took = time.perf_counter() - t0
                rest = took - spent["place"] - spent["solve"]
                split = (
                    f"place {1000 * spent['place'] / n:.1f}, "
                    f"solver {1000 * spent['solve'] / n:.1f}, rest {1000 * rest / n:.1f}"
                    if k == 1
                    else "in parallel"
                )
                print(
                    f"schools={n} cores={k}: joint placement {took:.2f}s = "
                    f"{1000 * took / n:.1f} ms/school ({split}); objective={dp.objective} "
                    f"bound={dp.bound} gap={100 * dp.gap:.2f}% unplaced={len(dp.unplaced)} "
                    f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
                    flush=True,
                )


if __name__ == "__main__":
    if sys.argv[1] == "quality":
        quality()
    else:
        speed(tuple(int(n) for n in sys.argv[2:]) or (100, 1000))
