"""Planning time of the worst valid agreements the bounds allow (issue 13: about a second).

Run: ``python bench/worst_case.py``. Each case is a valid agreement at the limits of
model.py (counts, gaps, shifts, lead-ups, commitments); prints the seconds to plan it.
"""

from __future__ import annotations

import sys
import time

import yaml

from partnership.model import Agreement, cross_check
from partnership.placement import place
from partnership.records import Records
from partnership.schoolcalendar import SchoolCalendar


def agreement(commitments: list[dict[str, object]], gap: int, per_day: int = 1) -> Agreement:
    """A ten-term agreement (2025–2029) with ``commitments`` and the given scheduling."""
    terms = []
    for year in range(2025, 2030):
        terms.append(
            {"id": f"{year}-spring", "name": "春", "start": f"{year}-02-17", "end": f"{year}-07-10"}
        )
        terms.append(
            {
                "id": f"{year}-autumn",
                "name": "秋",
                "start": f"{year}-09-01",
                "end": f"{year + 1}-01-20",
            }
        )
    data = {
        "version": 1,
        "agreement": {
            "id": "worst",
            "title": "最坏情形",
            "start": "2025-01-01",
            "end": "2030-06-30",
        },
        "parties": {"school": {"name": "学校"}, "brigade": {"name": "支队"}},
        "calendar": {"terms": terms},
        "scheduling": {"max_per_day": per_day, "min_gap_days": gap},
        "commitments": commitments,
    }
    return Agreement.model_validate(yaml.safe_load(yaml.safe_dump(data)))


def per_term(n: int, count: int, lead_ups: int = 0) -> list[dict[str, object]]:
    return [
        {
            "id": f"c{i}",
            "title": "x",
            "repeat": {"per": "term", "count": count},
            "lead_up": [{"title": "r", "days_before": k + 1} for k in range(lead_ups)],
        }
        for i in range(n)
    ]


def festivals(n: int) -> list[dict[str, object]]:
    keys = [
        "fire-day",
        "national-day",
        "mid-autumn",
        "childrens-day",
        "labour-day",
        "new-year",
        "spring-festival",
        "teachers-day",
        "qingming",
        "dragon-boat",
    ]
    return [
        {
            "id": f"f{i}",
            "title": "x",
            "repeat": {"festivals": keys, "placement": "nearest", "max_shift_days": 60},
        }
        for i in range(n)
    ]


CASES = {
    "2 per term, gap 60 (at the room limit)": lambda: agreement(per_term(1, 2), 60),
    "100 per term, gap 0 (at the room limit)": lambda: agreement(per_term(10, 10), 0),
    "70 per term, gap 1": lambda: agreement(per_term(7, 10), 1),
    "200 per term, 20 a day, gap 0": lambda: agreement(per_term(20, 10), 0, 20),
    "18 commitments with 10 lead-ups each": lambda: agreement(per_term(18, 1, 10), 3),
    "10 x 10 festivals, shift 60": lambda: agreement(festivals(10), 0),
    "30 x 10 festivals, 20 a day": lambda: agreement(festivals(30), 0, 20),
}


def main() -> None:
    for name, make in CASES.items():
        a = make()
        assert not cross_check(a), cross_check(a)
        began = time.perf_counter()
        plan = place(a, SchoolCalendar(a), Records())
        took = time.perf_counter() - began
        print(
            f"{took:6.2f} s  {name}  "
            f"({len(plan.occurrences)} placed, {len(plan.unplaced)} unplaced)"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
