"""Write N valid agreement files derived from the example, for the build-scaling benchmark.

Run: python bench/generate.py N FOLDER [--seed S]
Each file gets its own agreement id and a different mix of commitments, counts, windows,
weekdays, closures and term starts. Agreement i depends only on (seed, i), so the first 20
files of a 200-file run are the 20 files of a 20-file run: the two workloads are alike.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "schedules" / "damo-primary.yaml"
WEEKDAY_SETS = (
    ["mon", "wed"],
    ["tue", "thu"],
    ["wed", "thu"],
    ["mon", "tue", "wed"],
    ["wed", "thu", "fri"],
)
FESTIVAL_SETS = (
    ["childrens-day", "national-day", "new-year"],
    ["national-day", "new-year"],
    ["childrens-day", "teachers-day", "national-day"],
    ["arbor-day", "childrens-day", "national-day", "new-year"],
)
TALK_FESTIVALS = (
    ["safety-education-day", "fire-day"],
    ["fire-day"],
    ["safety-education-day", "disaster-prevention-day", "fire-day"],
)
EXTRA_CLOSURES = ("秋季运动会", "学校开放日", "研学旅行", "体检")


def _load_example() -> dict[str, Any]:
    """The example agreement as plain data (dates as datetime.date)."""
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _days(value: dt.date, n: int) -> dt.date:
    return value + dt.timedelta(days=n)


def _vary_terms(terms: list[dict[str, Any]], rng: random.Random) -> None:
    """Start terms up to 3 days later, move mid-term exams by a week, add a one-day closure."""
    for term in terms:
        term["start"] = _days(term["start"], rng.randint(0, 3))
        for closure in term.get("closures", []):
            if closure["name"] == "期中考试":
                shift = rng.randint(-7, 7)
                closure["start"] = _days(closure["start"], shift)
                closure["end"] = _days(closure["end"], shift)
        if rng.random() < 0.5:
            day = _days(term["start"], rng.randint(14, 60))
            term.setdefault("closures", []).append(
                {"name": rng.choice(EXTRA_CLOSURES), "start": day, "end": day}
            )


def _vary_commitment(c: dict[str, Any], rng: random.Random) -> None:
    """Change how often and when one commitment happens, keeping it placeable."""
    repeat = c["repeat"]
    if repeat.get("per") == "term":
        repeat["count"] = rng.choice((1, 1, 2))
        lo, hi = c["window"]["weeks"]
        c["window"]["weeks"] = [max(1, lo - rng.randint(0, 2)), hi + rng.randint(0, 2)]
        if "weekdays" in c:
            c["weekdays"] = list(rng.choice(WEEKDAY_SETS))
    elif "festivals" in repeat:
        sets = TALK_FESTIVALS if c["id"] == "safety-talk" else FESTIVAL_SETS
        repeat["festivals"] = list(rng.choice(sets))
        repeat["max_shift_days"] = rng.choice((7, 10, 14))
    hour = rng.choice((9, 10, 14))
    if "time" in c and c["kind"] not in ("drill",):
        start = f"{hour:02d}:{rng.choice((0, 30)):02d}"
        c["time"] = {"start": start, "end": f"{hour + 1:02d}:30"}


def agreement(base: dict[str, Any], index: int, seed: int) -> dict[str, Any]:
    """Agreement number ``index`` (1-based): the example, varied deterministically."""
    rng = random.Random(f"{seed}-{index}")
    data = copy.deepcopy(base)
    info = data["agreement"]
    info["id"] = f"bench-{index:04d}"
    info["title"] = f"{info['title']}（第{index}号）"
    if rng.random() < 0.2:
        info["language"] = "en"
    data["parties"]["school"]["name"] = f"永川区第{index}小学"
    _vary_terms(data["calendar"]["terms"], rng)
    data["scheduling"] = {"max_per_day": rng.choice((1, 2)), "min_gap_days": rng.choice((0, 1, 2))}
    commitments = data["commitments"]
    keep = [c for c in commitments if c["repeat"].get("per") or rng.random() < 0.75]
    for c in keep:
        _vary_commitment(c, rng)
    data["commitments"] = keep
    return data


def write_agreements(n: int, folder: Path, seed: int = 1) -> list[Path]:
    """Write agreements 1..n as ``folder/agreement-NNNN.yaml`` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    base = _load_example()
    paths = []
    for i in range(1, n + 1):
        path = folder / f"agreement-{i:04d}.yaml"
        text = yaml.safe_dump(agreement(base, i, seed), allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    """Command line: write N agreements into FOLDER."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many agreements")
    parser.add_argument("folder", type=Path, help="where to write them (created if missing)")
    parser.add_argument("--seed", type=int, default=1, help="variation seed (default 1)")
    args = parser.parse_args()
    paths = write_agreements(args.n, args.folder, args.seed)
    print(f"wrote {len(paths)} agreements to {args.folder}")


if __name__ == "__main__":
    main()
