"""Atomic writes and all-or-nothing batches: a failure at any step leaves every file as it was."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from partnership.errors import UsageError
from partnership.fsio import (
    Batch,
    atomic_write,
    heal,
    prepare_output_dir,
    safe_name,
    stage_files,
    write_files,
)


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under ``root``, hidden ones included."""
    return {
        str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def fail_on_call(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, n: int) -> dict[str, int]:
    """Make ``owner.name`` raise "no space left" on its ``n``-th call; returns the call count."""
    real: Callable[..., Any] = getattr(owner, name)
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)
    return calls


OLD = {"a.ics": b"old a", "b.ics": b"old b", "sub/c.md": b"old c"}
NEW = {"a.ics": b"new a", "b.ics": b"new b", "sub/c.md": b"new c", "sub/deeper/d.md": b"d"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_files(out, OLD)
    return out


# --------------------------------------------------------------------------- atomic_write


def test_atomic_write_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    atomic_write(path, b"one")
    path.chmod(0o640)
    atomic_write(path, "二".encode())
    assert path.read_bytes() == "二".encode()
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_atomic_write_failing_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    before = tree(tmp_path)
    fail_on_call(monkeypatch, os, step, 1)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, b"new")
    assert tree(tmp_path) == before


# --------------------------------------------------------------------------- folders and names


def test_prepare_output_dir_creates_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c"
    assert prepare_output_dir(target) == target
    assert target.is_dir()
    assert prepare_output_dir(target) == target  # an existing folder is fine


def test_prepare_output_dir_refuses_a_file_and_a_file_on_the_way(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    with pytest.raises(UsageError, match="is a file"):
        prepare_output_dir(blocker)
    with pytest.raises(UsageError, match="cannot create the output folder"):
        prepare_output_dir(blocker / "inside")
    assert blocker.read_bytes() == b"x"


def test_prepare_output_dir_refuses_an_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode)
    )
    with pytest.raises(UsageError, match="not writable"):
        prepare_output_dir(locked)


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b", ".hidden", "../x.ics"])
def test_safe_name_refuses_names_that_leave_the_folder(name: str) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        safe_name(name)


def test_safe_name_accepts_a_slug_name() -> None:
    assert safe_name("damo-fire-2024-2024-autumn.ics") == "damo-fire-2024-2024-autumn.ics"


@pytest.mark.parametrize("name", ["../escape.ics", "sub/../../escape.ics", ".hidden/x", "/abs"])
def test_write_files_refuses_unsafe_names_before_writing(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="unsafe"):
        write_files(out, {"fine.ics": b"x", name: b"y"})
    assert tree(tmp_path) == {}  # no folder made for a write that is refused


def test_write_files_refuses_a_folder_or_file_in_the_way(folder: Path) -> None:
    before = tree(folder)
    with pytest.raises(UsageError, match="is a folder"):
        write_files(folder, {"a.ics": b"x", "sub": b"y"})
    with pytest.raises(UsageError, match="is a file"):
        write_files(folder, {"a.ics/inner.md": b"x"})
    assert tree(folder) == before


# --------------------------------------------------------------------------- batches


def test_write_files_writes_every_file_in_name_order(folder: Path) -> None:
    written = write_files(folder, NEW)
    assert written == sorted(folder / n for n in NEW)
    assert {n: (folder / n).read_bytes() for n in NEW} == NEW
    assert not [p for p in folder.rglob(".*")]  # no temporary or backup file left


def test_commit_keeps_an_existing_files_permissions(folder: Path) -> None:
    (folder / "a.ics").chmod(0o600)
    write_files(folder, NEW)
    assert (folder / "a.ics").stat().st_mode & 0o777 == 0o600


def _count(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, run: Callable[[], Any]) -> int:
    calls = fail_on_call(monkeypatch, owner, name, 0)  # call 0 never comes: only counts
    run()
    monkeypatch.undo()
    return calls["n"]


@pytest.mark.parametrize(
    ("owner", "name"), [(os, "replace"), (Path, "write_bytes")], ids=["rename", "write"]
)
def test_a_failing_step_at_any_point_puts_everything_back(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str
) -> None:
    """One rename, or one write, per file; whichever of them fails, the folder is as it was."""
    probe = tmp_path / "probe"
    write_files(probe, OLD)
    calls = _count(monkeypatch, owner, name, lambda: write_files(probe, NEW))
    # one per file, and for renames one per journal copy (a copy in each of the 3 folders)
    assert calls == len(NEW) + (3 if name == "replace" else 0)
    before = tree(folder)
    for n in range(1, calls + 1):
        fail_on_call(monkeypatch, owner, name, n)
        with pytest.raises(OSError, match="No space"):
            write_files(folder, NEW)
        monkeypatch.undo()
        assert tree(folder) == before, f"{name} {n} of {calls}"


def test_rollback_works_where_hard_links_do_not(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    before = tree(folder)
    monkeypatch.setattr(os, "link", no_links)
    fail_on_call(monkeypatch, os, "replace", len(NEW))
    with pytest.raises(OSError, match="No space"):
        write_files(folder, NEW)
    assert tree(folder) == before


def test_a_batch_spans_folders_and_discards_when_left_without_commit(tmp_path: Path) -> None:
    records = tmp_path / "a.records.yaml"
    records.write_bytes(b"old records")
    before = tree(tmp_path)
    with Batch() as batch:
        stage_files(batch, tmp_path / "out", {"x/y.ics": b"y"})
        batch.add(records, b"new records")
    assert tree(tmp_path) == before  # not even the output folder is left
    with Batch() as batch:
        written = stage_files(batch, tmp_path / "out", {"x/y.ics": b"y"})
        batch.add(records, b"new records")
        assert batch.commit() == sorted([*written, records])
    assert records.read_bytes() == b"new records"
    assert (tmp_path / "out" / "x" / "y.ics").read_bytes() == b"y"


def test_a_batch_refuses_the_same_file_twice(tmp_path: Path) -> None:
    with Batch() as batch:
        batch.add(tmp_path / "f", b"1")
        with pytest.raises(ValueError, match="twice"):
            batch.add(tmp_path / "f", b"2")
    assert tree(tmp_path) == {}


def test_a_symlinked_output_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not yours")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.ics").symlink_to(outside)
    write_files(out, {"a.ics": b"new"})
    assert outside.read_bytes() == b"not yours"
    assert not (out / "a.ics").is_symlink()
    assert (out / "a.ics").read_bytes() == b"new"


# --------------------------------------------------------------------------- heal


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _journal(folder: Path, pid: int, entries: list[tuple[Path, Path, bool]]) -> Path:
    """A journal of process ``pid`` as Batch.commit writes it (one copy, in ``folder``)."""
    import json

    copy = folder / f".partnership-{pid}-0badcafe.journal"
    rows = [[str(t), str(s), str(s.with_suffix(".bak")), e] for t, s, e in entries]
    copy.write_text(json.dumps({"copies": [str(copy)], "entries": rows}), "utf-8")
    return copy


def test_heal_rolls_forward_a_batch_killed_during_its_renames(folder: Path) -> None:
    pid = _dead_pid()
    staged_b = folder / f".b.ics.{pid}-0badcafe.tmp"
    staged_b.write_bytes(b"new b")
    (folder / "a.ics").write_bytes(b"new a")  # renamed before the kill
    backup_a = folder / f".a.ics.{pid}-0badcafe.bak"
    backup_a.write_bytes(b"old a")
    _journal(
        folder,
        pid,
        [
            (folder / "a.ics", folder / f".a.ics.{pid}-0badcafe.tmp", True),
            (folder / "b.ics", staged_b, True),
        ],
    )
    heal(folder)
    assert tree(folder) == {"a.ics": b"new a", "b.ics": b"new b", "sub": None, "sub/c.md": b"old c"}


def test_heal_rolls_back_when_a_journal_copy_is_missing(folder: Path, tmp_path: Path) -> None:
    import json

    pid = _dead_pid()
    before = tree(folder)
    (folder / "a.ics").write_bytes(b"new a")
    backup = folder / f".a.ics.{pid}-0badcafe.bak"
    backup.write_bytes(b"old a")
    (folder / "n.ics").write_bytes(b"new file")
    copy = _journal(
        folder,
        pid,
        [
            (folder / "a.ics", folder / f".a.ics.{pid}-0badcafe.tmp", True),
            (folder / "n.ics", folder / f".n.ics.{pid}-0badcafe.tmp", False),
        ],
    )
    plan = json.loads(copy.read_text("utf-8"))
    plan["copies"].append(str(tmp_path / "elsewhere" / copy.name))  # never written
    copy.write_text(json.dumps(plan), "utf-8")
    heal(folder)
    assert tree(folder) == before


def test_heal_removes_stray_files_of_dead_processes_only(folder: Path) -> None:
    before = tree(folder)
    dead, alive = _dead_pid(), os.getpid()
    for name in (
        f".a.ics.{dead}-0badcafe.tmp",
        f".b.ics.{dead}-12345678.bak",
        f".partnership-{dead}-0badcafe.journal.part",
    ):
        (folder / name).write_bytes(b"stray")
    mine = folder / f".a.ics.{alive}-0badcafe.tmp"
    mine.write_bytes(b"being written")
    other = folder / ".not-ours.tmp"
    other.write_bytes(b"someone else's")
    heal(folder)
    assert tree(folder) == {**before, mine.name: b"being written", other.name: b"someone else's"}


def test_a_failing_write_names_the_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_on_call(monkeypatch, Path, "write_bytes", 1)
    with pytest.raises(OSError, match=f"cannot write in the folder {folder}: No space"):
        write_files(folder, NEW)
