"""The pieces of ``publish`` that need no server: credentials, the URL, the objects to hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from icscheck import check_bytes, check_vtimezone, parse_everywhere

from partnership.errors import UsageError
from partnership.identity import uid
from partnership.loader import load_agreement
from partnership.placement import place
from partnership.plan import Plan
from partnership.publishing.caldav import _short, _uid
from partnership.publishing.publish import collection_url, credentials, wanted_objects
from partnership.records import Records, record_cancel, record_move
from partnership.schoolcalendar import SchoolCalendar

URL = "https://cal.school.example/dav/fire/"
STAMP = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _plan(agreement: Path, records: Records | None = None) -> Plan:
    a = load_agreement(agreement)
    return place(a, SchoolCalendar(a), records or Records())


def test_the_password_comes_from_the_environment_else_from_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine cal.school.example login admin password from-netrc\n")
    env = {"NETRC": str(netrc)}
    assert credentials(URL, None, env) == ("admin", "from-netrc")
    assert credentials(URL, "admin", env) == ("admin", "from-netrc")
    assert credentials(URL, "someone", env) == ("someone", None)  # not their entry
    both = {**env, "PARTNERSHIP_CALDAV_PASSWORD": "from-env"}
    assert credentials(URL, "u", both) == ("u", "from-env")
    assert credentials("https://other.example/", None, env) == (None, None)
    assert credentials(URL, None, {"NETRC": str(tmp_path / "none")}) == (None, None)


def test_a_broken_netrc_is_a_usage_error(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine cal.school.example login admin password pw bogus\n")
    with pytest.raises(UsageError, match="netrc"):
        credentials(URL, None, {"NETRC": str(netrc)})


def test_the_collection_url_is_http_with_one_trailing_slash() -> None:
    assert collection_url("https://cal.school.example/dav/fire") == URL
    assert collection_url(URL + "/") == URL
    for bad in ("cal.school.example/dav", "ftp://x/y/", "https:///path"):
        with pytest.raises(UsageError, match="--caldav"):
            collection_url(bad)


def test_each_object_is_one_event_with_its_timezone_and_no_method(agreement: Path) -> None:
    plan = _plan(agreement)
    wanted = wanted_objects(plan, "parents", STAMP, {})
    assert wanted and all(u.endswith("@damo-fire-2024") for u in wanted)
    for u, w in wanted.items():
        check_bytes(w.body)
        assert b"\r\nMETHOD:" not in w.body
        assert parse_everywhere(w.body, "Asia/Shanghai") == 1
        (event,) = icalendar.Calendar.from_ical(w.body).walk("VEVENT")
        assert str(event["UID"]) == u
        check_vtimezone(w.body, "Asia/Shanghai", {event.decoded("DTSTART").year})


def test_a_move_and_a_cancellation_change_just_their_objects(agreement: Path) -> None:
    before = wanted_objects(_plan(agreement), None, STAMP, {})
    moved, off = "brigade-visit/2025-autumn/1", "brigade-visit/2025-spring/1"
    records = record_cancel(record_move(Records(), moved, dt.date(2025, 10, 30)), off, "暴雨")
    later = STAMP + dt.timedelta(days=30)
    after = wanted_objects(_plan(agreement, records), None, later, {})
    changed = {u for u in before if before[u].digest != after[u].digest}
    assert changed == {uid(moved, "damo-fire-2024"), uid(off, "damo-fire-2024")}
    assert after[uid(off, "damo-fire-2024")].cancelled
    assert b"SEQUENCE:1\r\n" in after[uid(moved, "damo-fire-2024")].body


def test_the_uid_of_a_listed_object_and_short_reasons() -> None:
    assert (
        _uid("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t@x\r\nEND:VTODO\r\nEND:VCALENDAR\r\n") == "t@x"
    )
    assert _uid("not a calendar") is None
    refused = OSError("HTTPConnectionPool(...): ([Errno 111] Connection refused')")
    assert _short(refused) == "Connection refused"
