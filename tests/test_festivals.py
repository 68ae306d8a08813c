"""Festival dates: every built-in key for 2024–2027, custom festivals, date ranges.

Lunar dates are from domain-facts.md (春节, 端午, 中秋). 元宵 (lunar 1-15) is 春节 + 14 days
(the first lunar month always has 29 or 30 days); 重阳 (lunar 9-9) was checked against the
Hong Kong general-holiday list (Chung Yeung Festival: 2024-10-11, 2025-10-29, 2026-10-18,
2027-10-08). 清明 and the safety-education day (last Monday of March) are from domain-facts
and the brief; the solar festivals are fixed dates written out here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from partnership.festivals import (
    CATALOGUE,
    definition,
    festival_date,
    festival_dates,
    lunar_to_solar,
    qingming,
)
from partnership.model import BUILTIN_FESTIVAL_KEYS, CustomFestival

D = dt.date
YEARS = (2024, 2025, 2026, 2027)

KNOWN: dict[str, tuple[dt.date, dt.date, dt.date, dt.date]] = {
    "new-year": (D(2024, 1, 1), D(2025, 1, 1), D(2026, 1, 1), D(2027, 1, 1)),
    "spring-festival": (D(2024, 2, 10), D(2025, 1, 29), D(2026, 2, 17), D(2027, 2, 6)),
    "lantern": (D(2024, 2, 24), D(2025, 2, 12), D(2026, 3, 3), D(2027, 2, 20)),
    "womens-day": (D(2024, 3, 8), D(2025, 3, 8), D(2026, 3, 8), D(2027, 3, 8)),
    "arbor-day": (D(2024, 3, 12), D(2025, 3, 12), D(2026, 3, 12), D(2027, 3, 12)),
    "safety-education-day": (D(2024, 3, 25), D(2025, 3, 31), D(2026, 3, 30), D(2027, 3, 29)),
    "qingming": (D(2024, 4, 4), D(2025, 4, 4), D(2026, 4, 5), D(2027, 4, 5)),
    "labour-day": (D(2024, 5, 1), D(2025, 5, 1), D(2026, 5, 1), D(2027, 5, 1)),
    "youth-day": (D(2024, 5, 4), D(2025, 5, 4), D(2026, 5, 4), D(2027, 5, 4)),
    "disaster-prevention-day": (D(2024, 5, 12), D(2025, 5, 12), D(2026, 5, 12), D(2027, 5, 12)),
    "childrens-day": (D(2024, 6, 1), D(2025, 6, 1), D(2026, 6, 1), D(2027, 6, 1)),
    "dragon-boat": (D(2024, 6, 10), D(2025, 5, 31), D(2026, 6, 19), D(2027, 6, 9)),
    "party-day": (D(2024, 7, 1), D(2025, 7, 1), D(2026, 7, 1), D(2027, 7, 1)),
    "army-day": (D(2024, 8, 1), D(2025, 8, 1), D(2026, 8, 1), D(2027, 8, 1)),
    "teachers-day": (D(2024, 9, 10), D(2025, 9, 10), D(2026, 9, 10), D(2027, 9, 10)),
    "mid-autumn": (D(2024, 9, 17), D(2025, 10, 6), D(2026, 9, 25), D(2027, 9, 15)),
    "national-day": (D(2024, 10, 1), D(2025, 10, 1), D(2026, 10, 1), D(2027, 10, 1)),
    "double-ninth": (D(2024, 10, 11), D(2025, 10, 29), D(2026, 10, 18), D(2027, 10, 8)),
    "fire-day": (D(2024, 11, 9), D(2025, 11, 9), D(2026, 11, 9), D(2027, 11, 9)),
}


def test_model_keys_and_catalogue_keys_are_the_same() -> None:
    assert set(BUILTIN_FESTIVAL_KEYS) == set(CATALOGUE)
    assert len(BUILTIN_FESTIVAL_KEYS) == len(set(BUILTIN_FESTIVAL_KEYS))
    assert all(key == f.key for key, f in CATALOGUE.items())


def test_every_built_in_key_has_known_dates() -> None:
    assert set(KNOWN) == set(CATALOGUE)


@pytest.mark.parametrize(
    ("key", "year", "expected"),
    [(key, year, dates[i]) for key, dates in KNOWN.items() for i, year in enumerate(YEARS)],
)
def test_built_in_festival_dates(key: str, year: int, expected: dt.date) -> None:
    assert festival_date(key, year) == expected


def test_safety_education_day_is_a_monday_in_the_last_week_of_march() -> None:
    for year in range(2004, 2100):
        d = festival_date("safety-education-day", year)
        assert d is not None
        assert (d.month, d.weekday()) == (3, 0)
        assert d.day >= 25


def test_qingming_falls_on_4_or_5_april() -> None:
    # 2004–2099: 清明 is 4 or 5 April (it moves to 4 April more often late in the century)
    days = {qingming(year) - D(year, 4, 1) for year in range(2004, 2100)}
    assert days == {dt.timedelta(days=3), dt.timedelta(days=4)}
    assert qingming(2008) == D(2008, 4, 4)
    assert qingming(2015) == D(2015, 4, 5)


def test_lunar_to_solar() -> None:
    assert lunar_to_solar(2025, 1, 1) == D(2025, 1, 29)
    assert lunar_to_solar(2024, 12, 29) == D(2025, 1, 28)  # 除夕 of lunar 2024
    with pytest.raises(Exception, match="29 days"):
        lunar_to_solar(2024, 1, 30)


def test_names_in_both_languages() -> None:
    fire = CATALOGUE["fire-day"]
    assert fire.name("zh-CN") == "全国消防日"
    assert fire.name("en") == "National Fire Safety Day"
    assert CATALOGUE["spring-festival"].name("zh-CN") == "春节"
    for f in CATALOGUE.values():
        assert f.name_en.isascii()
        assert not f.name_zh.isascii()


def test_unknown_key_raises_key_error() -> None:
    with pytest.raises(KeyError):
        festival_date("no-such-day", 2025)


SCHOOL_DAY = CustomFestival(key="school-day", name="校庆日", month=10, day=18)
QIXI = CustomFestival(key="qixi", name="七夕", month=7, day=7, lunar=True)
LABA = CustomFestival(key="laba", name="腊八节", month=12, day=8, lunar=True)
LEAP_DAY = CustomFestival(key="leap-day", name="闰日", month=2, day=29)
LUNAR_1_30 = CustomFestival(key="lunar-1-30", name="正月三十", month=1, day=30, lunar=True)
CUSTOM = (SCHOOL_DAY, QIXI, LABA, LEAP_DAY, LUNAR_1_30)


def test_custom_solar_festival() -> None:
    assert [festival_date("school-day", y, CUSTOM) for y in (2024, 2025)] == [
        D(2024, 10, 18),
        D(2025, 10, 18),
    ]
    f = definition("school-day", CUSTOM)
    assert (f.key, f.rule, f.name("zh-CN"), f.name("en")) == (
        "school-day",
        "solar",
        "校庆日",
        "校庆日",
    )


def test_custom_lunar_festival() -> None:
    # 七夕 (lunar 7-7): 2024-08-10, 2025-08-29
    assert festival_date("qixi", 2024, CUSTOM) == D(2024, 8, 10)
    assert festival_date("qixi", 2025, CUSTOM) == D(2025, 8, 29)
    assert definition("qixi", CUSTOM).rule == "lunar"


def test_a_lunar_date_late_in_the_lunar_year_can_fall_twice_in_one_year() -> None:
    # 腊八 (lunar 12-8): 2022-01-10 (lunar 2021) and 2022-12-30 (lunar 2022); none in 2023
    assert festival_dates("laba", D(2022, 1, 1), D(2022, 12, 31), CUSTOM) == [
        D(2022, 1, 10),
        D(2022, 12, 30),
    ]
    assert festival_date("laba", 2022, CUSTOM) == D(2022, 1, 10)
    assert festival_date("laba", 2023, CUSTOM) is None
    assert festival_dates("laba", D(2023, 1, 1), D(2025, 12, 31), CUSTOM) == [
        D(2024, 1, 18),
        D(2025, 1, 7),
    ]


def test_feb_29_custom_festival_only_in_leap_years() -> None:
    assert festival_date("leap-day", 2025, CUSTOM) is None
    assert festival_date("leap-day", 2024, CUSTOM) == D(2024, 2, 29)
    assert festival_dates("leap-day", D(2023, 1, 1), D(2028, 12, 31), CUSTOM) == [
        D(2024, 2, 29),
        D(2028, 2, 29),
    ]


def test_lunar_day_30_only_in_a_30_day_month() -> None:
    # the first lunar month has 29 days in 2023 and 2024, 30 days in 2025 (from 2025-01-29)
    assert festival_date("lunar-1-30", 2024, CUSTOM) is None
    assert festival_date("lunar-1-30", 2025, CUSTOM) == D(2025, 2, 27)


def test_festival_dates_over_the_agreement_period() -> None:
    start, end = D(2024, 6, 8), D(2027, 6, 7)
    assert festival_dates("spring-festival", start, end) == [
        D(2025, 1, 29),
        D(2026, 2, 17),
        D(2027, 2, 6),
    ]
    assert festival_dates("dragon-boat", start, end) == [
        D(2024, 6, 10),
        D(2025, 5, 31),
        D(2026, 6, 19),
    ]
    assert festival_dates("school-day", start, end, CUSTOM) == [
        D(2024, 10, 18),
        D(2025, 10, 18),
        D(2026, 10, 18),
    ]


def test_festival_dates_include_both_ends_and_can_be_empty() -> None:
    assert festival_dates("teachers-day", D(2024, 9, 10), D(2025, 9, 10)) == [
        D(2024, 9, 10),
        D(2025, 9, 10),
    ]
    assert festival_dates("teachers-day", D(2024, 9, 11), D(2025, 9, 9)) == []
    assert festival_dates("mid-autumn", D(2025, 10, 6), D(2025, 10, 6)) == [D(2025, 10, 6)]


def test_custom_definition_wins_over_the_catalogue_only_for_its_key() -> None:
    assert definition("fire-day", CUSTOM) is CATALOGUE["fire-day"]


def test_the_shipped_table_is_what_lunar_python_computes() -> None:
    from importlib.resources import files

    from partnership.festival_table import table_text
    from partnership.festivals import TABLE

    assert files("partnership").joinpath(TABLE).read_text("utf-8") == table_text()


def test_the_table_covers_every_year_an_agreement_may_name_and_lunar_python_the_rest() -> None:
    from lunar_python import Lunar

    from partnership.festivals import _table
    from partnership.model import DATE_YEARS

    lunar, terms = _table()
    years = range(DATE_YEARS[0], DATE_YEARS[1] + 1)
    assert set(terms) == set(years) | {DATE_YEARS[0] - 1}
    keys = [k for k, f in CATALOGUE.items() if f.rule in ("lunar", "qingming")]
    assert all(festival_date(k, y) is not None for k in keys for y in years)
    assert {(m, d) for _, m, d in lunar} == {(1, 1), (1, 15), (5, 5), (8, 15), (9, 9)}
    # outside the table (a lunar year before it, a day no built-in festival has)
    for y, m, d in ((1850, 1, 1), (2024, 7, 7), (2099, 12, 8)):
        solar = Lunar.fromYmd(y, m, d).getSolar()
        want = D(solar.getYear(), solar.getMonth(), solar.getDay())
        assert (y, m, d) not in lunar
        assert lunar_to_solar(y, m, d) == want
    assert lunar_to_solar(1850, 1, 1) == D(1850, 2, 12)
    assert qingming(1850) == D(1850, 4, 5)


def test_built_in_festivals_and_statutory_days_need_no_lunar_python() -> None:
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt\n"
        "from partnership.festivals import CATALOGUE, festival_dates\n"
        "from partnership.holidays import official_year\n"
        "for k in CATALOGUE: festival_dates(k, dt.date(1901, 1, 1), dt.date(2099, 12, 31))\n"
        "for y in range(2004, 2100): official_year(y)\n"
        "print('lunar_python' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "False\n"
