"""Small random districts for the district tests: agreement and district files on disk."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def school(index: int, rng: Any, brigade: str = "fire") -> dict[str, Any]:
    """One school of the example's shape over one term: a visit, a sports day, a drill."""
    start = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randint(0, 3))
    lo = rng.randint(2, 4)
    days = sorted(rng.sample(WEEKDAYS, rng.randint(1, 3)))
    return {
        "version": 1,
        "agreement": {
            "id": f"school-{index:02d}",
            "title": f"第{index}小学 共建",
            "start": "2025-09-01",
            "end": "2026-01-31",
            "language": rng.choice(("zh-CN", "en")),
        },
        "parties": {
            "school": {"name": f"第{index}小学"},
            "brigade": {"name": "消防救援支队", "id": brigade},
        },
        "calendar": {
            "holidays": "cn",
            "terms": [
                {
                    "id": "2025-autumn",
                    "name": "第一学期",
                    "start": start.isoformat(),
                    "end": "2025-12-19",
                    "closures": [{"name": "期中考试", "start": "2025-11-06", "end": "2025-11-07"}],
                }
            ],
        },
        "scheduling": {"max_per_day": rng.randint(1, 2), "min_gap_days": rng.randint(0, 3)},
        "commitments": [
            {
                "id": "brigade-visit",
                "title": "走进消防支队",
                "kind": "visit",
                "repeat": {"per": "term", "count": rng.randint(1, 2)},
                "window": {"weeks": [lo, lo + rng.randint(0, 3)]},
                "weekdays": days,
                "location": "brigade",
                "programme": "凝心工程",
            },
            {
                "id": "fire-sports-meet",
                "title": "消防趣味运动会",
                "kind": "sports",
                "repeat": {"per": "term", "count": 1},
                "window": {"weeks": [lo + 1, lo + 3]},
                "audience": ["teachers", "students", "brigade"],
            },
            {
                "id": "evacuation-drill",
                "title": "应急疏散演练",
                "kind": "drill",
                "repeat": {"per": "month", "count": 1},
                "brigade": False,
            },
        ],
    }


def write_files(
    folder: Path, schools: Mapping[str, Any], district: tuple[str, str], brigades: list[Any]
) -> Path:
    """``schools/<name>.yaml`` for each school and the district file listing them, with
    ``district`` (id, name) and ``brigades``; the district file's path."""
    (folder / "schools").mkdir(parents=True, exist_ok=True)
    for name, data in schools.items():
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / "schools" / f"{name}.yaml").write_text(text, encoding="utf-8")
    doc = {
        "version": 1,
        "district": {"id": district[0], "name": district[1]},
        "agreements": ["schools/*.yaml"],
        "brigades": brigades,
    }
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def write_district(folder: Path, n: int, rng: Any, host: int, attend: int) -> Path:
    """``n`` schools and a district file with one brigade of the given capacity."""
    brigade = {
        "id": "fire",
        "name": "消防救援支队",
        "capacity": {"host_per_day": host, "attend_per_day": attend},
        "unavailable": [{"name": "战备", "start": "2025-10-20", "end": "2025-10-24"}],
    }
    schools = {f"s{i:02d}": school(i, rng) for i in range(1, n + 1)}
    return write_files(folder, schools, ("test-district", "测试区"), [brigade])


def several_brigades(folder: Path) -> Path:
    """Nine schools over three brigades of other capacities and busy days (in the weeks the
    schools' visits may take), one school with none, and a brigade without schools."""
    rng = random.Random(21)
    schools = {
        f"s{i:02d}": school(i, rng, brigade=f"b{i % 3 + 1}" if i < 10 else "nowhere")
        for i in range(1, 11)
    }
    brigades = [  # b4: a brigade no school has joined yet
        {
            "id": f"b{b}",
            "name": f"第{b}站",
            "capacity": {"host_per_day": 1, "attend_per_day": b},
            "unavailable": [{"name": "战备", "start": f"2025-09-{14 + b}", "end": "2025-09-26"}],
        }
        for b in (1, 2, 3, 4)
    ]
    return write_files(folder, schools, ("par", "并行区"), brigades)
