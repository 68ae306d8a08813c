"""Checks shared by the .ics tests: the byte rules of ics.md, independent parsers and khal.

Written from the contract (spec/ics.md, RFC 5545), not from partnership.ics.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zoneinfo
from collections.abc import Mapping
from pathlib import Path

import icalendar
import vobject  # type: ignore[import-untyped]
from ical.calendar_stream import IcsCalendarStream

_STAMP_LINE = re.compile(rb"^(DTSTAMP|PRODID)[;:].*$", re.MULTILINE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def unfolded(data: bytes) -> list[str]:
    """Logical content lines (folding undone; the CRLF after the last line dropped)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def check_bytes(data: bytes) -> None:
    """CRLF after every line, the last included; <= 75 octets and whole UTF-8 characters per
    physical line; timed DTSTART/DTEND never floating; no UTC 'Z' beside a TZID."""
    assert data.startswith(b"BEGIN:VCALENDAR\r\n"), data[:40]
    assert data.endswith(b"END:VCALENDAR\r\n"), data[-40:]
    assert b"\r" not in data.replace(b"\r\n", b""), "a CR without LF"
    assert b"\n" not in data.replace(b"\r\n", b""), "an LF without CR"
    for physical in data.split(b"\r\n")[:-1]:
        assert len(physical) <= 75, physical
        physical.decode("utf-8")  # a character split by folding fails here
    in_timezone = False
    for line in unfolded(data):
        if line in ("BEGIN:VTIMEZONE", "END:VTIMEZONE"):
            in_timezone = line == "BEGIN:VTIMEZONE"
            continue
        name, _, value = line.partition(":")
        if name == "DTSTAMP":
            assert re.fullmatch(r"\d{8}T\d{6}Z", value), line
        if ";TZID=" in name:
            assert not value.endswith("Z"), line
        if name.split(";")[0] in ("DTSTART", "DTEND") and not in_timezone:
            # a date, a TZID, or UTC itself (RFC 5545 writes UTC as 'Z', never with a TZID)
            timed = ";TZID=" in name or value.endswith("Z")
            assert ";VALUE=DATE" in name or timed, f"floating time: {line}"


def events(data: bytes) -> dict[str, icalendar.Event]:
    """The events of a file keyed by UID (a duplicate UID fails)."""
    cal = icalendar.Calendar.from_ical(data)
    found = [e for e in cal.walk("VEVENT") if isinstance(e, icalendar.Event)]
    by_uid = {str(e["UID"]): e for e in found}
    assert len(by_uid) == len(found), "duplicate UID"
    return by_uid


def parse_everywhere(data: bytes, timezone: str) -> int:
    """Parse with ical (strict, the whole timeline walked), vobject (validate=True) and
    icalendar; each must see the same number of events, which is returned."""
    text = data.decode("utf-8")
    n = len(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    cal = IcsCalendarStream.calendar_from_ics(text)
    assert len(cal.events) == n
    assert len(list(cal.timeline)) == n
    assert len(list(cal.timeline_tz(zoneinfo.ZoneInfo(timezone)))) == n
    parsed = vobject.readOne(text, validate=True)
    assert len(getattr(parsed, "vevent_list", [])) == n
    return n


def check_vtimezone(data: bytes, timezone: str, years: set[int]) -> None:
    """One VTIMEZONE for ``timezone`` whose rules and stated range stay inside ``years``."""
    (tz,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert str(tz["TZID"]) == timezone
    lo, hi = dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1)
    starts: list[dt.datetime] = [sub.decoded("DTSTART") for sub in tz.subcomponents]
    assert starts, "a VTIMEZONE without STANDARD/DAYLIGHT"
    for start in starts:
        assert lo <= start.date() <= hi, (start, years)
    for day in _DATE.findall(str(tz.get("COMMENT", ""))):
        assert lo <= dt.date.fromisoformat(day) <= hi, (day, years)


def normalised(data: bytes) -> bytes:
    """The file with the DTSTAMP and PRODID lines blanked (for golden comparisons)."""
    return _STAMP_LINE.sub(lambda m: m.group(1) + b":-", data.replace(b"\r\n ", b""))


def khal_command() -> list[str]:
    """khal from PATH, else as a module of this interpreter."""
    exe = shutil.which("khal")
    return [exe] if exe else [sys.executable, "-m", "khal"]


def khal_env(home: Path) -> dict[str, str]:
    """An environment that keeps khal inside ``home``."""
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
    }


def khal_config(home: Path, timezone: str) -> Path:
    """A khal config with one calendar (``home/calendar``) and its own database."""
    (home / "calendar").mkdir(parents=True, exist_ok=True)
    config = home / "khal.conf"
    if not config.exists():
        config.write_text(
            f"""[calendars]
[[school]]
path = {home / "calendar"}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {timezone}
default_timezone = {timezone}

[default]
default_calendar = school

[sqlite]
path = {home / "khal.db"}
""",
            encoding="utf-8",
        )
    return config


def khal_import(root: Path, files: Mapping[str, bytes], timezone: str) -> dict[str, set[str]]:
    """``khal import --batch`` each file into its own calendar under ``root/<name>``, all at
    once (khal fsyncs every event); the UIDs each calendar then holds, by file name.

    Importing again into the same ``root`` updates the events, as a client does.
    """
    running = []
    for name, data in sorted(files.items()):
        home = root / name.removesuffix(".ics")
        config = khal_config(home, timezone)
        src = home / name
        src.write_bytes(data)
        cmd = [*khal_command(), "-c", str(config), "import", "--batch", str(src)]
        proc = subprocess.Popen(
            cmd,
            env=khal_env(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        running.append((name, home, proc))
    held: dict[str, set[str]] = {}
    for name, home, proc in running:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, (name, out, err)
        assert "error" not in (out + err).lower(), (name, out, err)
        stored = sorted((home / "calendar").glob("*.ics"))
        uids = [str(e["UID"]) for f in stored for e in events(f.read_bytes()).values()]
        assert len(uids) == len(set(uids)), name
        held[name] = set(uids)
    return held
