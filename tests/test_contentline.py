"""Content lines as icalendar writes them: each form compared with icalendar's own."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar.parser.string import _foldline
from profiles import examples

from partnership import contentline
from partnership.contentline import duration, escaped, fold, text, utc_offset, when

ALL_ZONES = sorted(zoneinfo.available_timezones())


@pytest.fixture(autouse=True)
def _worked_out_again() -> None:
    """Each test works the zone parts out itself, not from what earlier tests cached."""
    contentline._time_parts.cache_clear()


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet="ab\\^,;:é消防\U0001f692 ", max_size=200))
@example("a" * 63)  # a line of 75 octets: one too many, folded
@example("a" * 136)  # two whole pieces, no empty third one
@example("X" * 200)  # only a backslash or caret moves a cut
def test_fold_is_icalendars_fold(value: str) -> None:
    line = "DESCRIPTION:" + value
    assert fold(line) == _foldline(line)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(alphabet="a\\N,;:\r\n消 ", max_size=40))
def test_escaped_is_icalendars_text_escape(value: str) -> None:
    assert escaped(value) == icalendar.vText(value).to_ical().decode()


def test_text_keeps_tabs_and_newlines_and_drops_other_controls() -> None:
    assert text("a\r\nb\rc\td\x07e\ufefff\x7fg") == "a\nb\nc\tde" + "fg"


def _icalendars_line(name: str, value: dt.date) -> str:
    event = icalendar.Event()
    event.add(name, value)
    return str(next(ln for ln in event.content_lines() if ln.startswith(name)))


def test_date_and_time_lines_are_icalendars_in_every_zone() -> None:
    """Every zone the machine knows, icalendar's UTC look-alikes (written with Z) too."""
    assert ALL_ZONES
    for zone in ALL_ZONES:
        value = dt.datetime(2025, 3, 9, 8, 5, 7, tzinfo=zoneinfo.ZoneInfo(zone))
        assert when("DTSTART", value) == _icalendars_line("DTSTART", value), zone
    for value in (dt.date(2025, 3, 9), dt.datetime(2025, 3, 9, 8, 5, 7, tzinfo=dt.UTC)):
        for name in ("DTSTART", "DTEND", "DTSTAMP"):
            assert when(name, value) == _icalendars_line(name, value)


def test_a_zone_icalendar_writes_as_utc_is_asked_of_icalendar() -> None:
    """Etc/UTC keeps UTC's offset: its line comes from icalendar itself (with Z)."""
    value = dt.datetime(2025, 3, 9, 8, 5, 7, tzinfo=zoneinfo.ZoneInfo("Etc/UTC"))
    assert not contentline._never_utc(zoneinfo.ZoneInfo("Etc/UTC"))
    assert contentline._never_utc(zoneinfo.ZoneInfo("Europe/London"))  # +1 in summer
    assert when("DTSTART", value) == "DTSTART:20250309T080507Z"


@settings(max_examples=examples(300), deadline=None)
@given(st.timedeltas(min_value=dt.timedelta(days=-800), max_value=dt.timedelta(days=800)))
@example(dt.timedelta(minutes=-30))
@example(dt.timedelta(days=-1))
@example(dt.timedelta(hours=-1, seconds=-5))  # minutes written as 0M between H and S
@example(dt.timedelta(days=2, seconds=7))
@example(dt.timedelta(0))
def test_duration_is_icalendars(value: dt.timedelta) -> None:
    value = dt.timedelta(days=value.days, seconds=value.seconds)  # icalendar drops micro
    assert duration(value) == icalendar.vDuration(value).to_ical().decode()


@settings(max_examples=examples(300), deadline=None)
@given(st.integers(min_value=-24 * 3600 + 1, max_value=24 * 3600 - 1))
@example(8 * 3600)
@example(-(3 * 3600 + 30 * 60))
@example(5 * 3600 + 30 * 60 + 28)
@example(0)
def test_utc_offset_is_icalendars(seconds: int) -> None:
    value = dt.timedelta(seconds=seconds)
    assert utc_offset(value) == icalendar.vUTCOffset(value).to_ical()


@pytest.mark.parametrize("value", [dt.date(2025, 1, 1), dt.datetime(2025, 1, 1, 9)])
def test_a_naive_value_has_no_zone_parameter(value: dt.date) -> None:
    assert when("DTSTART", value) == _icalendars_line("DTSTART", value)
