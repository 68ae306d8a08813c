"""The publishing section of the records file: stored, read back, tokens kept and rotated."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnership.errors import InputError
from partnership.publishing import state
from partnership.records import Records, dump_records, load_records


def test_tokens_are_made_once_and_kept() -> None:
    first = state.with_tokens(state.Publishing())
    assert list(first.feeds) == ["teachers", "students", "parents", "brigade"]
    assert all(len(tok) == 32 for tok in first.feeds.values())
    assert len(set(first.feeds.values())) == 4
    assert state.with_tokens(first) is first
    rotated = state.rotate(first, "parents")
    assert rotated.feeds["parents"] != first.feeds["parents"]
    assert rotated.feeds["teachers"] == first.feeds["teachers"]


def test_the_section_round_trips_through_the_records_file(tmp_path: Path) -> None:
    obj = state.PublishedObject(href="https://h/c/a%40x.ics", etag='"e1"', digest="d" * 64)
    coll = state.with_object(state.Collection(audience="parents"), "a@x", obj)
    tokens = state.with_tokens(state.Publishing())
    pub = state.with_collection(tokens, "https://h/c/", coll)
    path = tmp_path / "x.records.yaml"
    path.write_bytes(dump_records(Records(publishing=pub)))
    assert load_records(path).publishing == pub
    assert state.collection(pub, "https://other/") == state.Collection()
    assert state.with_object(coll, "a@x", None).objects == {}


def test_a_hand_edited_token_that_is_no_token_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.records.yaml"
    path.write_text("version: 1\npublishing:\n  feeds:\n    parents: ../../etc\n", "utf-8")
    with pytest.raises(InputError) as exc:
        load_records(path)
    assert "x.records.yaml:4" in str(exc.value)


def test_empty_publishing_leaves_the_file_as_before() -> None:
    assert b"publishing" not in dump_records(Records())
