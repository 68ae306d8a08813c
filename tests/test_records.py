"""The records file: pure changes, YAML round trips, locking between processes, damaged files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from factory import agreement, occurrence, per_term, term

from partnership.errors import InputError
from partnership.model import TimeRange
from partnership.plan import Occurrence, Plan
from partnership.records import (
    OccurrenceRecord,
    Records,
    TaskRecord,
    dump_records,
    load_records,
    mend,
    out_of_period,
    publish,
    read_records,
    record_cancel,
    record_done,
    record_move,
    records_path,
    tick,
    unknown_ids,
    update_records,
    writable,
)

VISIT = "brigade-visit/2024-autumn/1"
DAY = dt.date(2024, 10, 8)


def round_trip(records: Records, tmp_path: Path) -> Records:
    path = tmp_path / "a.records.yaml"
    path.write_bytes(dump_records(records))
    return load_records(path)


def test_records_path_sits_beside_the_agreement() -> None:
    assert records_path(Path("schedules/damo-primary.yaml")) == Path(
        "schedules/damo-primary.records.yaml"
    )


def test_missing_or_blank_file_is_empty_records(tmp_path: Path) -> None:
    assert load_records(tmp_path / "none.records.yaml") == Records()
    blank = tmp_path / "blank.records.yaml"
    blank.write_bytes(b"\n  \n")
    assert load_records(blank) == Records()


def test_done_cancel_move_round_trip(tmp_path: Path) -> None:
    r = record_move(
        Records(), VISIT, dt.date(2024, 10, 17), TimeRange(start=dt.time(9, 0), end=dt.time(11, 30))
    )
    r = record_move(r, VISIT, dt.date(2024, 10, 18))
    r = record_done(r, VISIT, "三个年级共 120 人参加")
    r = record_cancel(r, "fun-sports/2024-autumn/1", "暴雨预警")
    visit = r.occurrences[VISIT]
    assert (visit.status, visit.sequence, visit.date) == ("done", 2, dt.date(2024, 10, 18))
    assert visit.time == TimeRange(
        start=dt.time(9, 0), end=dt.time(11, 30)
    )  # a move without time keeps it
    assert visit.note == "三个年级共 120 人参加"
    assert r.occurrences["fun-sports/2024-autumn/1"] == OccurrenceRecord(
        status="cancelled", reason="暴雨预警", sequence=1
    )
    assert round_trip(r, tmp_path) == r


def test_done_keeps_an_earlier_note_and_clears_a_cancellation() -> None:
    r = record_done(Records(), VISIT, "第一次备注")
    assert record_done(r, VISIT).occurrences[VISIT].note == "第一次备注"
    r = record_cancel(Records(), VISIT, "下雨")
    done = record_done(r, VISIT).occurrences[VISIT]
    assert (done.status, done.reason) == ("done", None)
    moved = record_move(r, VISIT, dt.date(2024, 10, 20)).occurrences[VISIT]
    assert (moved.status, moved.reason, moved.sequence) == ("moved", None, 2)  # cancel, move


def test_tick_and_undo() -> None:
    r = tick(Records(), "k3j2ab", DAY)
    assert r.tasks == {"k3j2ab": TaskRecord(done=DAY)}
    assert tick(r, "k3j2ab", DAY + dt.timedelta(days=3)) == r  # the first day is kept
    assert tick(r, "k3j2ab", DAY, undo=True) == Records()
    assert tick(Records(), "k3j2ab", DAY, undo=True) == Records()


def test_dump_is_readable_sorted_and_leaves_defaults_out(tmp_path: Path) -> None:
    r = tick(tick(Records(), "zz2222", DAY), "222222", DAY)
    r = record_cancel(r, VISIT, "暴雨")
    text = dump_records(r).decode("utf-8")
    assert text.startswith("#")
    assert "暴雨" in text  # not \\u escapes
    body = yaml.safe_load(text)
    assert body == {
        "occurrences": {VISIT: {"reason": "暴雨", "sequence": 1, "status": "cancelled"}},
        "tasks": {"222222": {"done": DAY}, "zz2222": {"done": DAY}},
        "version": 1,
    }
    assert text.index("222222") < text.index("zz2222")
    assert "&id" not in text  # one date used twice is written twice, not as an alias
    assert dump_records(r) == dump_records(round_trip(r, tmp_path))


def test_hand_written_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "a.records.yaml"
    path.write_text(
        "version: 1\n"
        "occurrences:\n"
        f"  {VISIT}:\n"
        "    status: moved\n"
        "    date: 2024-10-17\n"
        "    time: {start: 9:00, end: 11:30}\n"
        "    sequence: 1\n"
        "tasks:\n"
        "  k3j2ab: {done: 2024-10-01, note: 已发}\n",
        encoding="utf-8",
    )
    r = load_records(path)
    assert r.occurrences[VISIT].time == TimeRange(start=dt.time(9, 0), end=dt.time(11, 30))
    assert r.tasks["k3j2ab"] == TaskRecord(done=dt.date(2024, 10, 1), note="已发")


def test_update_writes_the_change_and_only_a_change(tmp_path: Path) -> None:
    path = tmp_path / "a.records.yaml"
    got = update_records(path, lambda r: tick(r, "k3j2ab", DAY))
    assert load_records(path) == got == Records(tasks={"k3j2ab": TaskRecord(done=DAY)})
    path.write_bytes(path.read_bytes() + b"# a comment of the admin\n")
    before = path.read_bytes()
    update_records(path, lambda r: tick(r, "k3j2ab", DAY))
    assert path.read_bytes() == before
    untouched = tmp_path / "b.records.yaml"
    update_records(untouched, lambda r: r)
    assert not untouched.exists()


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b"version: 1\ntasks:\n  k3j2ab: {done: 2024-10-01\n", ":4:"),  # unclosed flow mapping
        (b"version: 1\ntasks:\n  k3j2ab:\n    done: yesterday\n", ":4:11:"),
        (b"version: 1\noccurrences:\n  x:\n    status: finished\n", ":4:13:"),
        (b"version: 1\nticks: {}\n", ":2:1:"),
    ],
)
def test_damaged_file_raises_and_is_left_alone(tmp_path: Path, content: bytes, where: str) -> None:
    path = tmp_path / "a.records.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        update_records(path, lambda r: tick(r, "k3j2ab", DAY))
    assert all(p.file == str(path) for p in err.value.problems)
    assert f"{path}{where}" in str(err.value)
    assert path.read_bytes() == content


_WORKER = """
import datetime as dt, sys
from pathlib import Path
from partnership.records import tick, update_records
path, name = Path(sys.argv[1]), sys.argv[2]
for i in range(5):
    update_records(path, lambda r, i=i: tick(r, f"{name}-{i}", dt.date(2024, 10, 1 + i)))
"""


def test_concurrent_writers_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "a.records.yaml"
    path.write_bytes(dump_records(record_done(Records(), VISIT, "已完成")))
    root = Path(__file__).resolve().parents[1]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(path), f"p{n}"],
            cwd=root,
            stderr=subprocess.PIPE,
        )
        for n in range(8)
    ]
    for w in workers:
        _, err = w.communicate()
        assert w.returncode == 0, err.decode()
    r = load_records(path)
    assert set(r.tasks) == {f"p{n}-{i}" for n in range(8) for i in range(5)}
    assert r.tasks["p3-4"] == TaskRecord(done=dt.date(2024, 10, 5))
    assert r.occurrences[VISIT].note == "已完成"


def _plan() -> Plan:
    a = agreement(
        id="a",
        title="t",
        parties={"school": {"name": "s"}, "brigade": {"name": "b"}},
        terms=[term("2024-autumn", "秋", "2024-09-01", "2025-01-17")],
        commitments=[per_term("v", "参观", count=3)],
    )

    def o(n: int, day: dt.date, **extra: Any) -> Occurrence:
        return Occurrence(
            f"v/2024-autumn/{n}", "v", "2024-autumn", "参观", day, None, None, "", **extra
        )

    return Plan(
        a,
        (
            o(1, dt.date(2024, 10, 9), status="moved", sequence=1),
            o(2, dt.date(2024, 11, 6), status="cancelled"),
            o(3, dt.date(2027, 3, 10), provisional=True),
        ),
    )


def test_publish_remembers_dates_without_bumping_sequence() -> None:
    before = Records(
        occurrences={
            "v/2024-autumn/1": OccurrenceRecord(
                status="moved", date=dt.date(2024, 10, 9), sequence=1
            )
        }
    )
    after = publish(before, _plan())
    assert after.occurrences == {
        "v/2024-autumn/1": OccurrenceRecord(
            status="moved", date=dt.date(2024, 10, 9), sequence=1, published=dt.date(2024, 10, 9)
        )
    }
    assert publish(after, _plan()) == after


def test_a_task_id_that_reads_as_a_number_round_trips() -> None:
    import datetime as dt

    from partnership.loader import validate_document
    from partnership.records import Records, TaskRecord, dump_records
    from partnership.yamlsource import parse_yaml

    r = Records(
        tasks={
            "1000e0": TaskRecord(done=dt.date(2024, 1, 1)),
            "123456": TaskRecord(done=dt.date(2024, 1, 2)),
        }
    )
    assert validate_document(parse_yaml(dump_records(r), "r.yaml"), Records) == r


# --------------------------------------------------------------------------- damaged records


def _example() -> Any:
    return agreement(
        terms=[term("2024-autumn", "第一学期", "2024-09-01", "2025-01-17")],
        commitments=[per_term("brigade-visit", "走进消防支队")],
    )


def test_dates_outside_the_agreement_are_found_and_mended_for_one_occurrence() -> None:
    a = _example()
    bad = OccurrenceRecord(
        status="moved", date=dt.date(1925, 10, 23), sequence=1, published=dt.date(2030, 1, 1)
    )
    other = OccurrenceRecord(status="done", published=dt.date(2099, 1, 1))
    records = Records(occurrences={VISIT: bad, "x/y/1": other})
    assert out_of_period(records, a) == {VISIT: ("date", "published"), "x/y/1": ("published",)}
    mended = mend(records, VISIT, a)
    assert mended.occurrences[VISIT] == OccurrenceRecord(sequence=1)  # a move without its date
    assert mended.occurrences["x/y/1"] == other  # only the occurrence being recorded
    assert mend(mended, VISIT, a) == mended


def test_unknown_ids_are_warnings_at_their_key_with_the_nearest_id(tmp_path: Path) -> None:
    path = tmp_path / "a.records.yaml"
    path.write_text(
        "occurrences:\n  brigade-visit/2024-autum/1: {status: done}\n"
        f"  {VISIT}: {{status: done}}\ntasks:\n  abcdeg: {{done: 2024-09-09}}\n",
        "utf-8",
    )
    records, doc = read_records(path)
    found = [str(p) for p in unknown_ids(records, doc, [VISIT], ["abcdef"])]
    assert found == [
        f"{path}:2:3: warning: the agreement has no occurrence 'brigade-visit/2024-autum/1' "
        f"(did you mean '{VISIT}'?); this record is ignored",
        f"{path}:5:3: warning: the checklist has no task 'abcdeg' (did you mean 'abcdef'?); "
        "this tick is ignored",
    ]
    assert unknown_ids(records, doc, [VISIT, "brigade-visit/2024-autum/1"], None) == []


def test_a_read_only_records_file_is_not_writable_even_for_root(tmp_path: Path) -> None:
    path = tmp_path / "a.records.yaml"
    assert writable(path) == path  # not there yet: it may be made
    path.write_text("version: 1\n", "utf-8")
    path.chmod(0o444)
    with pytest.raises(InputError, match="read-only"):
        update_records(path, lambda r: record_done(r, VISIT))
    assert path.read_text("utf-8") == "version: 1\n"


# ---- behaviours a mutation run found untested -------------------------------------------


def _one_term() -> Any:
    return agreement(
        terms=[term("2024-autumn", "第一学期", "2024-09-01", "2025-01-17")],
        commitments=[per_term("brigade-visit", "走进消防支队")],
    )  # 2024-06-08 .. 2027-06-07


def test_the_agreements_first_and_last_days_are_inside_its_period() -> None:
    a = _one_term()
    edge = Records(
        occurrences={
            "a/x/1": OccurrenceRecord(status="moved", date=dt.date(2027, 6, 7)),
            "b/x/1": OccurrenceRecord(published=dt.date(2024, 6, 8)),
            "c/x/1": OccurrenceRecord(status="moved", date=dt.date(2027, 6, 8)),
            "d/x/1": OccurrenceRecord(published=dt.date(2024, 6, 7)),
        }
    )
    assert out_of_period(edge, a) == {"c/x/1": ("date",), "d/x/1": ("published",)}


def test_mending_a_published_date_keeps_the_move() -> None:
    a = _one_term()
    rec = OccurrenceRecord(status="moved", date=dt.date(2025, 1, 8), published=dt.date(2028, 1, 1))
    mended = mend(Records(occurrences={"a/x/1": rec}), "a/x/1", a).occurrences["a/x/1"]
    assert (mended.status, mended.date, mended.published) == ("moved", dt.date(2025, 1, 8), None)


def test_every_unknown_id_is_reported_after_a_known_one(tmp_path: Path) -> None:
    path = tmp_path / "a.records.yaml"
    path.write_text(
        "version: 1\noccurrences:\n  a/x/1: {status: done}\n  z/x/1: {status: done}\n"
        "tasks:\n  aaaa: {done: 2025-01-01}\n  zzzz: {done: 2025-01-01}\n",
        encoding="utf-8",
    )
    records, doc = read_records(path)
    found = unknown_ids(records, doc, ["a/x/1"], ["aaaa"])
    assert [(p.line, "z/x/1" in p.message or "zzzz" in p.message) for p in found] == [
        (4, True),
        (7, True),
    ]


def test_a_records_file_without_any_write_bit_is_refused_even_with_execute_bits(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.records.yaml"
    path.write_text("version: 1\n", encoding="utf-8")
    path.chmod(0o555)
    try:
        with pytest.raises(InputError):
            writable(path)
    finally:
        path.chmod(0o644)
    assert writable(path) == path


def test_moving_confirms_a_proposed_date() -> None:
    proposed = OccurrenceRecord(published=dt.date(2024, 9, 20), sequence=1, unconfirmed=True)
    moved = record_move(Records(occurrences={"a/x/1": proposed}), "a/x/1", dt.date(2024, 9, 27))
    rec = moved.occurrences["a/x/1"]
    assert (rec.status, rec.date, rec.sequence, rec.unconfirmed) == (
        "moved",
        dt.date(2024, 9, 27),
        2,
        False,
    )


def test_publishing_keeps_the_higher_sequence_and_flags_a_proposal_after_a_provisional_one() -> (
    None
):
    from partnership.plan import Notice

    a = _one_term()
    first = occurrence("a/x/1", "2027-03-01", None, "甲", provisional=True)
    bumped = occurrence("b/x/1", "2024-10-18", None, "乙", sequence=3)
    plain = occurrence("c/x/1", "2024-10-25", None, "丙")
    plan = Plan(
        a,
        (first, bumped, plain),
        notices=(Notice("b/x/1", "proposed", "held-impossible"),),
    )
    before = Records(occurrences={"c/x/1": OccurrenceRecord(sequence=2)})
    out = publish(before, plan).occurrences
    assert "a/x/1" not in out  # provisional: not announced
    assert (out["b/x/1"].published, out["b/x/1"].sequence, out["b/x/1"].unconfirmed) == (
        dt.date(2024, 10, 18),
        3,
        True,
    )
    assert (out["c/x/1"].published, out["c/x/1"].sequence, out["c/x/1"].unconfirmed) == (
        dt.date(2024, 10, 25),
        2,
        False,
    )


def test_the_records_file_is_laid_out_as_a_person_would_read_it() -> None:
    """Sorted keys at every level, version last, long notes folded at 100 columns."""
    note = " ".join(f"w{i:02d}" for i in range(1, 45))
    r = Records(
        occurrences={
            "b/x/1": OccurrenceRecord(status="done", note=note),
            "a/x/1": OccurrenceRecord(status="moved", date=dt.date(2025, 1, 8), sequence=1),
        },
        tasks={"t1": TaskRecord(done=dt.date(2025, 1, 2))},
    )
    body = [line for line in dump_records(r).decode("utf-8").splitlines() if line[:1] != "#"]
    words = note.split()
    assert body == [
        "occurrences:",
        "  a/x/1:",
        "    date: 2025-01-08",
        "    sequence: 1",
        "    status: moved",
        "  b/x/1:",
        "    note: " + " ".join(words[:23]),
        "      " + " ".join(words[23:]),
        "    status: done",
        "tasks:",
        "  t1:",
        "    done: 2025-01-02",
        "version: 1",
    ]
