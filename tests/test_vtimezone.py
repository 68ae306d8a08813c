"""The VTIMEZONE block: cut from one computed block, yet what icalendar gives for the years."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from icalendar import Timezone

from partnership.vtimezone import _steady_lines, vtimezone, vtimezone_bytes

ZONES = [
    "Asia/Shanghai",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
    "America/Santiago",
    "Europe/Dublin",
]


def canon(tz: Timezone) -> tuple[set[tuple[object, ...]], str]:
    """What a VTIMEZONE says, independent of component order and RDATE grouping."""
    parts = {
        (
            type(sub).__name__,
            sub.TZOFFSETFROM,
            sub.TZOFFSETTO,
            str(sub["TZNAME"]),
            tuple(sorted([sub.DTSTART, *(when for when, _ in sub.rdates)])),
        )
        for sub in tz.subcomponents
    }
    return parts, str(tz["COMMENT"])


@pytest.mark.parametrize("tzid", ZONES)
@pytest.mark.parametrize(
    ("first", "last"), [(2024, 2024), (2024, 2025), (2025, 2027), (2027, 2027)]
)
def test_a_cut_block_says_what_icalendar_says_for_those_years(
    tzid: str, first: int, last: int
) -> None:
    cut = vtimezone(tzid, first, last, within=(2024, 2027))
    direct = Timezone.from_tzid(
        tzid, first_date=dt.date(first, 1, 1), last_date=dt.date(last + 1, 1, 1)
    )
    assert canon(cut) == canon(direct)
    assert str(cut["TZID"]) == tzid


def test_the_agreement_block_is_computed_once_and_shared() -> None:
    assert vtimezone("Asia/Shanghai", 2024, 2027) is vtimezone("Asia/Shanghai", 2024, 2027)
    assert vtimezone("Europe/Berlin", 2025, 2025, within=(2024, 2027)) is vtimezone(
        "Europe/Berlin", 2025, 2025, within=(2024, 2027)
    )


def test_a_range_outside_the_wider_one_is_computed_for_itself() -> None:
    tz = vtimezone("Europe/Berlin", 2030, 2030, within=(2024, 2027))
    assert "2030-01-01 to 2031-01-01" in str(tz["COMMENT"])


def test_short_offset_periods_missed_in_the_wide_block_are_searched_again() -> None:
    # Casablanca's Ramadan hour lasts about five weeks: icalendar's 64-day steps can miss
    # it over a long range; the cut block is checked day by day against the zone itself
    tz = vtimezone("Africa/Casablanca", 2019, 2019, within=(2008, 2034))
    starts = {s.DTSTART.date() for s in tz.subcomponents}
    assert dt.date(2019, 5, 5) in starts and dt.date(2019, 6, 9) in starts


@pytest.mark.parametrize(
    ("first", "last", "within"), [(2024, 2027, None), (2025, 2025, (2024, 2027))]
)
def test_every_zone_block_written_directly_is_icalendars(
    first: int, last: int, within: tuple[int, int] | None
) -> None:
    """Zones of one offset are written without icalendar: byte for byte its block."""
    written = 0
    for tzid in sorted(zoneinfo.available_timezones()):
        if _steady_lines(tzid, first, last, within or (first, last)) is None:
            continue
        written += 1
        expected = vtimezone(tzid, first, last, within=within).to_ical()
        assert vtimezone_bytes(tzid, first, last, within=within) == expected, tzid
    assert written > 100  # Asia/Shanghai and the other zones without daylight saving


@pytest.mark.parametrize("tzid", ["Europe/Berlin", "America/Santiago", "Australia/Lord_Howe"])
def test_a_zone_that_changes_offset_is_icalendars_block(tzid: str) -> None:
    assert _steady_lines(tzid, 2024, 2025, (2024, 2027)) is None
    cut = vtimezone(tzid, 2024, 2025, within=(2024, 2027))
    assert vtimezone_bytes(tzid, 2024, 2025, within=(2024, 2027)) == cut.to_ical()


def test_steady_only_if_steady_through_the_whole_period() -> None:
    """Tehran has kept one offset since 2023 (no daylight saving after 2022): its 2023 alone
    is steady, but not cut from a period that still changes offset; Berlin changes within
    the year."""
    assert _steady_lines("Asia/Shanghai", 2025, 2025, (2024, 2027)) is not None
    assert _steady_lines("Asia/Tehran", 2023, 2023, (2023, 2023)) is not None
    assert _steady_lines("Asia/Tehran", 2023, 2023, (2021, 2023)) is None
    assert _steady_lines("Europe/Berlin", 2025, 2025, (2025, 2025)) is None
    # a year outside ``within`` is computed on its own
    assert (
        vtimezone_bytes("Asia/Shanghai", 2030, 2030, within=(2024, 2027))
        == vtimezone("Asia/Shanghai", 2030, 2030).to_ical()
    )


def test_an_offset_with_seconds_goes_to_icalendar() -> None:
    """Offsets in seconds (local mean time, before 1900) are icalendar's to write."""
    assert _steady_lines("Africa/Monrovia", 1960, 1960, (1960, 1960)) is None
