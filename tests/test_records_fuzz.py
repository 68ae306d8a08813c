"""Property tests of the records file: any bytes load or fail cleanly; valid records round-trip."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

import partnership.records as records_module
from partnership.errors import InputError
from partnership.model import TimeRange
from partnership.records import (
    OccurrenceRecord,
    Records,
    TaskRecord,
    dump_records,
    load_records,
)

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\ufffe")
    | st.sampled_from(["\n", "\t", "：", "🚒", "\\", '"', "'", ":", "#", "-", " "]),
    max_size=30,
)
dates = st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31))
ids = st.from_regex(r"[a-z][a-z0-9-]{0,12}/[a-z0-9-]{1,12}/[0-9]", fullmatch=True)


@st.composite
def occurrence_records(draw: st.DrawFn) -> OccurrenceRecord:
    start = draw(st.integers(0, 22 * 60))
    time = None
    if draw(st.booleans()):
        end = draw(st.integers(start + 1, 23 * 60 + 59))
        time = TimeRange(start=dt.time(start // 60, start % 60), end=dt.time(end // 60, end % 60))
    status = draw(st.sampled_from([None, "done", "cancelled", "moved"]))
    return OccurrenceRecord(
        status=status,
        note=draw(st.none() | texts),
        reason=draw(st.none() | texts),
        date=draw(dates if status == "moved" else st.none() | dates),
        time=time,
        sequence=draw(st.integers(0, 9)),
        published=draw(st.none() | dates),
    )


records = st.builds(
    Records,
    occurrences=st.dictionaries(ids, occurrence_records(), max_size=5),
    tasks=st.dictionaries(
        st.from_regex(r"[a-z0-9]{6}", fullmatch=True),
        st.builds(TaskRecord, done=dates, note=st.none() | texts.filter(bool)),
        max_size=5,
    ),
)


def _load(data: bytes) -> Records:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.records.yaml"
        path.write_bytes(data)
        return load_records(path)


# texts that YAML 1.1 (the writer's library) leaves plain and YAML 1.2 (our reader) types
LOOKALIKES = ["1e5", "0E0", "2e3456", "-1E-2", "+.5e3", "1.", "010", "0", "null", "True", "~"]


@settings(max_examples=150, deadline=None)
@given(records)
@example(
    Records(
        occurrences={"2e3456/b/1": OccurrenceRecord(status="done", note="1e5", reason="0E0")},
        tasks={"2e3456": TaskRecord(done=dt.date(2025, 1, 1), note="1e5")},
    )
)
def test_every_valid_records_file_round_trips_exactly(r: Records) -> None:
    assert _load(dump_records(r)) == r


@settings(max_examples=300, deadline=None)
@given(records)
@example(Records(tasks={"t": TaskRecord(done=dt.date(2024, 1, 1), note="🚒 𐀀")}))
@example(Records(tasks={"t": TaskRecord(done=dt.date(2024, 1, 1), note="a \\U0001F692")}))
def test_a_records_file_is_the_same_text_with_or_without_libyaml(r: Records) -> None:
    assert records_module._FAST_DUMPER is not None  # libyaml's emitter is in use here
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(records_module, "_FAST_DUMPER", None)  # as where PyYAML has no libyaml
        pure = dump_records(r)
    assert dump_records(r) == pure


def test_an_emoji_stays_readable_in_the_records_file() -> None:
    r = Records(tasks={"t": TaskRecord(done=dt.date(2024, 1, 1), note="带灭火器 🧯")})
    assert "note: 带灭火器 🧯\n" in dump_records(r).decode("utf-8")


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(LOOKALIKES)
    | st.from_regex(r"[-+]?[0-9.]{1,6}([eE][-+]?[0-9]{1,5})?", fullmatch=True)
)
@example("1e5")
@example("2e3456")
def test_number_like_text_reads_back_as_the_same_text(word: str) -> None:
    r = Records(
        occurrences={"a/b/1": OccurrenceRecord(status="done", note=word)},
        tasks={word: TaskRecord(done=dt.date(2025, 1, 1), note=word)},
    )
    back = _load(dump_records(r))
    assert back.occurrences["a/b/1"].note == word
    assert list(back.tasks) == [word]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | texts.map(lambda t: t.encode("utf-8")))
def test_any_bytes_load_or_raise_the_projects_own_error(data: bytes) -> None:
    try:
        _load(data)
    except InputError as exc:
        assert exc.problems
        assert all(p.file.endswith("a.records.yaml") for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(records, st.data())
def test_mutated_records_files_never_crash(r: Records, data: st.DataObject) -> None:
    lines = dump_records(r).decode("utf-8").splitlines(keepends=True)
    if lines:
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "indent", "cut"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i][: len(lines[i]) // 2] + "\n"
    text = "".join(lines)
    try:
        loaded = _load(text.encode("utf-8"))
    except InputError as exc:
        # every problem names the file, and a line of it when it has one
        assert exc.problems
        for p in exc.problems:
            assert p.file.endswith("a.records.yaml")
            assert p.line is None or 1 <= p.line <= text.count("\n") + 1
        return
    # what loads is records the tool itself writes back unchanged
    assert _load(dump_records(loaded)) == loaded


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("a 中\n\r\t\u2028\u2029\ufeff'\" "), max_size=12))
@example("\u2028")
@example("a\r\nb")
def test_text_with_yaml_line_breaks_reads_back_as_the_same_text(text: str) -> None:
    """Line and paragraph separators, CR, tabs and quotes survive (U+0085 and the other
    control characters never get this far: ``record`` refuses them, see test_cli)."""
    r = Records(occurrences={"a/b/1": OccurrenceRecord(status="done", note=text, reason=text)})
    back = _load(dump_records(r)).occurrences["a/b/1"]
    assert (back.note, back.reason) == (text, text)


def test_the_fast_dumper_is_the_records_dumper_on_libyaml() -> None:
    """What ``_fast_dumper`` makes (once, at import): no anchors, the same quoting."""
    fast = records_module._fast_dumper()
    assert fast is not None and issubclass(fast, yaml.CSafeDumper)
    day = dt.date(2025, 1, 1)
    data = {"a": {"done": day, "note": "1e5"}, "b": {"done": day, "note": "0E0"}, "c": "yes"}
    text = records_module._dump(data, fast)
    assert text == records_module._dump(data, records_module._Dumper)
    assert "&" not in text and text.count("2025-01-01") == 2  # the date written twice
    assert 'note: "1e5"' in text and 'note: "0E0"' in text


def test_without_libyaml_there_is_no_fast_dumper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CSafeDumper")
    assert records_module._fast_dumper() is None
