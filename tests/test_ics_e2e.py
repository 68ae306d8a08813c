"""The .ics files end to end (spec/ics.md): the example agreement through the CLI into every
parser and khal, golden files, reproducible builds, moves and cancellations, and random
agreements with awkward text.

Golden files live in tests/ics/; regenerate them with ``UPDATE_GOLDEN=1 pytest
tests/test_ics_e2e.py`` and read the diff before committing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import os
import re
import shutil
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vobject  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icscheck import (
    check_bytes,
    check_vtimezone,
    events,
    khal_import,
    normalised,
    parse_everywhere,
    unfolded,
)
from profiles import examples
from typer.testing import CliRunner, Result

from partnership.cli import app
from partnership.ics import render_ics
from partnership.loader import load_agreement
from partnership.model import Agreement
from partnership.placement import place
from partnership.records import Records, record_cancel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "schedules" / "damo-primary.yaml"
GOLDEN_DIR = Path(__file__).resolve().parent / "ics"
GOLDEN = ("damo-fire-2024-2025-autumn.ics", "damo-fire-2024.ics")
EPOCH = "1735689600"  # 2025-01-01T00:00:00Z
AID = "damo-fire-2024"
TERM = "2025-autumn"
AUDIENCES = ("teachers", "students", "parents", "brigade")
STAMP = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def cli(*args: str | Path, epoch: str | None = EPOCH) -> Result:
    """Run the CLI in-process; SOURCE_DATE_EPOCH is set to ``epoch`` (or unset)."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def ics_files(folder: Path) -> dict[str, bytes]:
    """The .ics files of a folder by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ics"))}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _audience(commitment_audience: list[str], o: dict[str, Any]) -> list[str]:
    """Who an event is for: lead-up sessions (rehearsals) leave parents out by default."""
    if o.get("lead_up_of") is None:
        return commitment_audience
    return [x for x in commitment_audience if x != "parents"] or commitment_audience


def name(term: str | None, audience: str | None) -> str:
    """The file name cli.md gives: ``<agreement>[-<term>][-<audience>].ics``."""
    return AID + (f"-{term}" if term else "") + (f"-{audience}" if audience else "") + ".ics"


@dataclasses.dataclass(frozen=True)
class Example:
    """The example agreement run through `ics` (three ways) and `build`."""

    agreement: Agreement
    occurrences: list[dict[str, Any]]  # `plan --json`
    runs: dict[str, dict[str, bytes]]  # run -> file name -> bytes

    def selection(self, filename: str) -> tuple[str | None, str | None]:
        """(term, audience) of a file name."""
        for term in [None, *(t.id for t in self.agreement.calendar.terms)]:
            for audience in (None, *AUDIENCES):
                if name(term, audience) == filename:
                    return term, audience
        raise AssertionError(f"{filename}: not a name cli.md allows")

    def expected(self, filename: str) -> list[dict[str, Any]]:
        """The plan's occurrences a file must hold."""
        term, audience = self.selection(filename)
        audiences = {c.id: c.audience for c in self.agreement.commitments}
        return [
            o
            for o in self.occurrences
            if (term is None or o["term"] == term)
            and (audience is None or audience in _audience(audiences[o["commitment"]], o))
        ]

    def files(self) -> Iterator[tuple[str, str, bytes]]:
        """(run, file name, bytes) of every written .ics."""
        for run, written in sorted(self.runs.items()):
            for filename, data in written.items():
                yield run, filename, data


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    work = tmp_path_factory.mktemp("example")
    src = work / "damo-primary.yaml"
    shutil.copyfile(EXAMPLE, src)
    cli("ics", src, "-o", work / "ics")
    cli("ics", src, "--audience", "parents", "-o", work / "parents")
    cli("ics", src, "--term", TERM, "--audience", "brigade", "-o", work / "term-brigade")
    cli("build", src, "-o", work / "build")
    plan = json.loads(cli("plan", src, "--json").stdout)
    assert plan["unplaced"] == []
    return Example(
        agreement=load_agreement(src),
        occurrences=plan["occurrences"],
        runs={
            "ics": ics_files(work / "ics"),
            "parents": ics_files(work / "parents"),
            "term-brigade": ics_files(work / "term-brigade"),
            "build": ics_files(work / "build" / AID),
        },
    )


# --- the example through the CLI -------------------------------------------------------------


def test_the_files_each_command_writes(example: Example) -> None:
    terms = [t.id for t in example.agreement.calendar.terms]
    runs = {run: set(files) for run, files in example.runs.items()}
    assert runs["ics"] == {name(t, None) for t in terms} | {name(None, None)}
    assert runs["parents"] == {name(t, "parents") for t in terms} | {name(None, "parents")}
    assert runs["term-brigade"] == {name(TERM, "brigade")}
    assert runs["build"] == runs["ics"] | {name(None, a) for a in AUDIENCES}
    # `ics` and `build` write the same bytes for the same file
    for filename, data in example.runs["ics"].items():
        assert example.runs["build"][filename] == data, filename
    parents = name(None, "parents")
    assert example.runs["build"][parents] == example.runs["parents"][parents]


def test_byte_rules_every_file(example: Example) -> None:
    for run, filename, data in example.files():
        try:
            check_bytes(data)
        except AssertionError as exc:
            raise AssertionError(f"{run}/{filename}: {exc}") from exc


def test_every_parser_sees_the_planned_events(example: Example) -> None:
    for _, filename, data in example.files():
        count = parse_everywhere(data, example.agreement.agreement.timezone)
        assert count == len(example.expected(filename)), filename
        assert count > 0, filename


def test_events_match_the_plan(example: Example) -> None:
    zone_name = example.agreement.agreement.timezone
    zone = zoneinfo.ZoneInfo(zone_name)
    for run, filename, data in example.files():
        where = f"{run}/{filename}"
        want = example.expected(filename)
        got = events(data)
        assert set(got) == {o["uid"] for o in want}, where
        for o in want:
            ev = got[o["uid"]]
            assert o["uid"] == o["id"].replace("/", ".") + f"@{AID}"
            day = dt.date.fromisoformat(o["date"])
            if o["all_day"]:
                assert (ev.start, ev.end) == (day, day + dt.timedelta(days=1)), where
            else:
                for prop, hhmm in (("DTSTART", o["start"]), ("DTEND", o["end"])):
                    assert ev[prop].params["TZID"] == zone_name, (where, o["id"])
                    wall = dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=zone)
                    assert ev.decoded(prop) == wall, (where, o["id"], prop)
            status = "CANCELLED" if o["status"] == "cancelled" else "CONFIRMED"
            if o["provisional"] and status != "CANCELLED":
                status = "TENTATIVE"
            assert ev["STATUS"] == status, (where, o["id"])
            assert str(ev["SUMMARY"]) == o["title"], (where, o["id"])
            assert ev["SEQUENCE"] == 0, (where, o["id"])
        check_vtimezone(data, zone_name, {dt.date.fromisoformat(o["date"]).year for o in want})
        assert f"X-WR-TIMEZONE:{zone_name}" in unfolded(data), where


def test_provisional_events_are_tentative(example: Example) -> None:
    provisional = [o for o in example.occurrences if o["provisional"]]
    assert provisional, "the example reaches into a year without published holidays"
    whole = events(example.runs["build"][name(None, None)])
    assert {whole[o["uid"]]["STATUS"] for o in provisional} == {"TENTATIVE"}
    assert "暂定" in str(whole[provisional[0]["uid"]]["DESCRIPTION"])


def test_khal_imports_every_file(example: Example, tmp_path: Path) -> None:
    # `ics` writes the same bytes as `build` (test above); per-term audience files are
    # represented by the one `ics --term --audience` wrote
    distinct = {**example.runs["build"], **example.runs["term-brigade"]}
    held = khal_import(tmp_path, distinct, example.agreement.agreement.timezone)
    for filename in distinct:
        assert held[filename] == {o["uid"] for o in example.expected(filename)}, filename


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("filename", GOLDEN)
def test_golden(example: Example, filename: str) -> None:
    data = example.runs["build"][filename]
    golden = GOLDEN_DIR / filename
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(data)
        pytest.skip(f"rewrote {golden}; review the diff before committing")
    assert golden.exists(), f"{golden} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    want, got = normalised(golden.read_bytes()), normalised(data)
    diff = difflib.unified_diff(
        want.decode().splitlines(), got.decode().splitlines(), "golden", "now", lineterm=""
    )
    assert want == got, "\n".join(list(diff)[:80])
    check_bytes(golden.read_bytes())  # the golden file is a good file itself


def test_golden_normalising_hides_only_the_stamp_and_producer(example: Example) -> None:
    data = example.runs["build"][GOLDEN[0]]
    later = data.replace(b"DTSTAMP:20250101T000000Z", b"DTSTAMP:20260607T080910Z")
    assert later != data and normalised(later) == normalised(data)
    moved = data.replace(b"T143000", b"T150000", 1)
    assert normalised(moved) != normalised(data)


# --- reproducible builds and DTSTAMP ---------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    src = tmp_path / "damo-primary.yaml"
    shutil.copyfile(EXAMPLE, src)
    records = tmp_path / "damo-primary.records.yaml"
    assert not records.exists()
    cli("build", src, "-o", tmp_path / "out")
    first, first_records = tree(tmp_path / "out"), records.read_bytes()
    cli("build", src, "-o", tmp_path / "out")
    assert tree(tmp_path / "out") == first
    assert records.read_bytes() == first_records
    stamps = {
        line
        for filename, data in first.items()
        if filename.endswith(".ics")
        for line in unfolded(data)
        if line.startswith("DTSTAMP")
    }
    assert stamps == {"DTSTAMP:20250101T000000Z"}


def test_dtstamp_is_the_time_of_the_run_without_source_date_epoch(tmp_path: Path) -> None:
    src = tmp_path / "damo-primary.yaml"
    shutil.copyfile(EXAMPLE, src)
    cli("ics", src, "--term", TERM, "-o", tmp_path, epoch=None)
    data = (tmp_path / name(TERM, None)).read_bytes()
    stamps = {line for line in unfolded(data) if line.startswith("DTSTAMP")}
    assert len(stamps) == 1  # one run, one stamp
    stamp = dt.datetime.strptime(stamps.pop(), "DTSTAMP:%Y%m%dT%H%M%SZ").date()
    today = dt.datetime.now(dt.UTC).date()
    assert stamp in (today, today - dt.timedelta(days=1))


# --- moves and cancellations -----------------------------------------------------------------


def test_move_keeps_the_uid_and_cancel_keeps_the_event(tmp_path: Path) -> None:
    src = tmp_path / "damo-primary.yaml"
    shutil.copyfile(EXAMPLE, src)
    out = tmp_path / "out"
    cli("ics", src, "-o", out)
    before = ics_files(out)
    plan = {o["id"]: o for o in json.loads(cli("plan", src, "--json").stdout)["occurrences"]}
    visit = plan[f"brigade-visit/{TERM}/1"]
    talk = next(o for o in plan.values() if o["commitment"] == "safety-talk" and o["term"] == TERM)
    new_day = dt.date.fromisoformat(visit["date"]) + dt.timedelta(days=7)
    timezone = load_agreement(src).agreement.timezone
    clients = tmp_path / "khal"
    khal_import(clients, {name(TERM, None): before[name(TERM, None)]}, timezone)

    cli("record", src, visit["id"], "--move", new_day.isoformat())
    cli("record", src, talk["id"], "--cancel", "因天气原因取消，另行通知")
    cli("ics", src, "-o", out)
    after = ics_files(out)
    assert after.keys() == before.keys()
    for filename in (name(TERM, None), name(None, None)):
        data = after[filename]
        check_bytes(data)
        parse_everywhere(data, timezone)
        old, new = events(before[filename]), events(data)
        assert old.keys() == new.keys(), filename
        moved = new[visit["uid"]]
        assert moved["SEQUENCE"] == 1
        assert moved.DTSTART.date() == new_day
        assert moved.DTSTART.time() == old[visit["uid"]].DTSTART.time()
        assert moved["STATUS"] == "CONFIRMED"
        cancelled = new[talk["uid"]]
        assert cancelled["STATUS"] == "CANCELLED"
        assert cancelled.DTSTART == old[talk["uid"]].DTSTART
        assert cancelled.decoded("SEQUENCE") > old[talk["uid"]].decoded("SEQUENCE")
        assert cancelled.walk("VALARM") == []  # nobody is reminded of a cancelled event
        assert "因天气原因取消，另行通知" in str(cancelled["DESCRIPTION"])
        untouched = set(new) - {visit["uid"], talk["uid"]}
        assert all(new[u].to_ical() == old[u].to_ical() for u in untouched), filename

    # a client that imported the first file takes the update: same events, the new date
    held = khal_import(clients, {name(TERM, None): after[name(TERM, None)]}, timezone)
    assert held[name(TERM, None)] == set(events(after[name(TERM, None)]))
    stored = {
        str(e["UID"]): e
        for f in (clients / name(TERM, None).removesuffix(".ics") / "calendar").glob("*.ics")
        for e in events(f.read_bytes()).values()
    }
    assert stored[visit["uid"]].DTSTART.date() == new_day
    assert stored[talk["uid"]]["STATUS"] == "CANCELLED"


# --- random agreements -----------------------------------------------------------------------

AWKWARD = "中文消防🚒🧯👩‍🚒,;:\\\"'\n\t\r 　，；、é\u2028\u0085\ufeff"
awkward_text = st.text(
    st.sampled_from(AWKWARD) | st.characters(codec="utf-8"), min_size=1, max_size=40
)
ZONES = ("Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC")


def ics_text(value: str) -> str:
    """What TEXT an .ics can carry (RFC 5545): line breaks as LF, no controls but TAB
    (and no U+FEFF, which a writer may drop at the start of a value)."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]", "", re.sub(r"\r\n?", "\n", value))


@st.composite
def awkward_agreements(draw: st.DrawFn) -> Agreement:
    """1–3 terms between 2024-09 and 2027-12 (2027: provisional), 1–3 commitments, timed
    or all-day, in a random zone and language, every text drawn from awkward characters."""
    terms: list[dict[str, Any]] = []
    cur = draw(st.dates(dt.date(2024, 9, 1), dt.date(2027, 3, 1)))
    for i in range(draw(st.integers(1, 3))):
        end = cur + dt.timedelta(days=draw(st.integers(30, 140)))
        terms.append({"id": f"t{i + 1}", "name": draw(awkward_text), "start": cur, "end": end})
        cur = end + dt.timedelta(days=draw(st.integers(1, 60)))
    commitments = []
    for i in range(draw(st.integers(1, 3))):
        form = draw(st.sampled_from(["term", "festival", "once"]))
        repeat: dict[str, Any] = {
            "term": {"per": "term", "count": draw(st.integers(1, 2))},
            "festival": {"festivals": ["fire-day", "national-day"], "max_shift_days": 10},
            "once": {"once_in": draw(st.sampled_from([t["id"] for t in terms]))},
        }[form]
        start = draw(st.integers(7 * 60, 20 * 60))
        length = draw(st.integers(15, 180))
        commitments.append(
            {
                "id": f"c{i + 1}",
                "title": draw(awkward_text),
                "kind": draw(st.sampled_from(["visit", "drill", "lecture", "other"])),
                "programme": draw(st.none() | awkward_text),
                "repeat": repeat,
                "location": draw(st.sampled_from(["school", "brigade"]) | awkward_text),
                "audience": draw(st.lists(st.sampled_from(AUDIENCES), min_size=1, unique=True)),
                "variants": [{"grades": [1, 2], "plan": draw(awkward_text)}],
                "description": draw(st.none() | awkward_text),
                "lead_up": [{"title": draw(awkward_text), "days_before": 7}],
                "reminders": draw(st.lists(st.sampled_from(["P1D", "PT2H", "PT30M"]), max_size=2)),
                **(
                    {}
                    if draw(st.booleans())
                    else {
                        "time": {
                            "start": f"{start // 60:02d}:{start % 60:02d}",
                            "end": f"{(start + length) // 60:02d}:{(start + length) % 60:02d}",
                        }
                    }
                ),
            }
        )
    party = {"name": draw(awkward_text), "address": draw(awkward_text)}
    contact = {"name": draw(awkward_text), "role": draw(awkward_text), "phone": "023-1234"}
    return Agreement.model_validate(
        {
            "version": 1,
            "agreement": {
                "id": "random",
                "title": draw(awkward_text),
                "start": terms[0]["start"],
                "end": terms[-1]["end"],
                "timezone": draw(st.sampled_from(ZONES)),
                "language": draw(st.sampled_from(["zh-CN", "en"])),
            },
            "parties": {
                "school": {**party, "contacts": [contact]},
                "brigade": {"name": draw(awkward_text)},
            },
            "calendar": {"terms": terms},
            "commitments": commitments,
        }
    )


def texts(data: bytes) -> dict[str, dict[str, str]]:
    """SUMMARY, LOCATION and DESCRIPTION of every event by UID, as each parser reads them."""
    by_icalendar = {
        uid: {k: str(e[k]) for k in ("SUMMARY", "LOCATION", "DESCRIPTION")}
        for uid, e in events(data).items()
    }
    by_ical = {
        e.uid: {"SUMMARY": e.summary, "LOCATION": e.location, "DESCRIPTION": e.description}
        for e in IcsCalendarStream.calendar_from_ics(data.decode()).events
    }
    parsed = vobject.readOne(data.decode(), validate=True)
    by_vobject = {
        e.uid.value: {
            "SUMMARY": e.summary.value,
            "LOCATION": e.location.value,
            "DESCRIPTION": e.description.value,
        }
        for e in getattr(parsed, "vevent_list", [])
    }
    assert by_icalendar == by_ical == by_vobject
    return by_icalendar


@settings(max_examples=examples(25))
@given(agreement=awkward_agreements(), reason=awkward_text, pick=st.integers(0, 1000))
def test_random_agreements_give_good_files(agreement: Agreement, reason: str, pick: int) -> None:
    plan = place(agreement)
    main = [o.id for o in plan.occurrences if o.is_main]
    cancelled = main[pick % len(main)] if main else None
    if cancelled is not None:
        plan = place(agreement, records=record_cancel(Records(), cancelled, reason))
    zone = agreement.agreement.timezone
    selections: list[tuple[str | None, str | None]] = [(None, None), (None, "parents")]
    selections += [(t.id, None) for t in agreement.calendar.terms]
    by_id = {o.id: o for o in plan.occurrences}
    for term, audience in selections:
        data = render_ics(plan, term=term, audience=audience, dtstamp=STAMP)
        check_bytes(data)
        chosen = [
            o
            for o in plan.for_term(term)
            if audience is None
            or audience
            in _audience(agreement.commitment(o.commitment).audience, {"lead_up_of": o.lead_up_of})
        ]
        assert parse_everywhere(data, zone) == len(chosen)
        period = agreement.term(term) if term is not None else agreement.agreement
        years = {o.date.year for o in chosen} or {d.year for d in (period.start, period.end)}
        check_vtimezone(data, zone, years)
        calname = vobject.readOne(data.decode()).x_wr_calname.value
        assert calname.startswith(ics_text(agreement.agreement.title))
        for uid, text in texts(data).items():
            o = by_id[uid.removesuffix("@random").replace(".", "/")]
            c = agreement.commitment(o.commitment)
            assert text["SUMMARY"] == ics_text(o.title)
            if c.description and o.lead_up_of is None:  # a lead-up says what it prepares
                assert text["DESCRIPTION"].startswith(ics_text(c.description.strip("\n")))
            if o.id == cancelled:
                assert o.status == "cancelled"
                assert ics_text(reason) in text["DESCRIPTION"]
            if c.location not in ("school", "brigade"):
                assert text["LOCATION"] == ics_text(c.location)
            ev = events(data)[uid]
            if c.programme and ics_text(c.programme):
                assert ev.categories[-1] == ics_text(c.programme)


def test_control_characters_never_reach_the_file() -> None:
    base = Agreement.model_validate(
        {
            "version": 1,
            "agreement": {
                "id": "random",
                "title": "协议\x07",
                "start": "2024-09-01",
                "end": "2025-01-17",
            },
            "parties": {"school": {"name": "学校"}, "brigade": {"name": "支队"}},
            "calendar": {
                "terms": [{"id": "t1", "name": "学期", "start": "2024-09-01", "end": "2025-01-17"}]
            },
            "commitments": [
                {
                    "id": "c1",
                    "title": "演练\x00\x1b[31m\r\n第二行\r第三行",
                    "programme": "\x07",
                    "repeat": {"per": "term", "count": 1},
                    "description": "a\x0bb\x7fc\td",
                    "time": {"start": "10:00", "end": "11:00"},
                }
            ],
        }
    )
    data = render_ics(place(base), dtstamp=STAMP)
    check_bytes(data)
    parse_everywhere(data, "Asia/Shanghai")
    assert re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data) is None
    (ev,) = events(data).values()
    assert str(ev["SUMMARY"]) == "演练[31m\n第二行\n第三行"
    assert str(ev["DESCRIPTION"]).startswith("abc\td\n")
    assert ev.categories == ["其他"]
    assert "X-WR-CALNAME:协议" in unfolded(data)
