"""The records lock: flock where it can be had, filelock where it cannot."""

import errno
import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import filelock
import pytest

from partnership import locks

_TRY = textwrap.dedent(
    """
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("held")
    else:
        print("free")
    """
)


def _other_process_sees(path: Path) -> str:
    """'held' or 'free': what a second process's non-blocking flock of ``path`` finds."""
    out = subprocess.run([sys.executable, "-c", _TRY, str(path)], capture_output=True, text=True)
    return out.stdout.strip()


def test_held_inside_with_and_released_after(tmp_path: Path) -> None:
    path = tmp_path / "records.yaml.lock"
    with locks.FileLock(str(path)):
        assert _other_process_sees(path) == "held"
    assert _other_process_sees(path) == "free"
    assert path.exists()  # left in place, so waiters share one file


def test_released_when_the_holder_dies(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from partnership.locks import FileLock\n"
            "with FileLock(sys.argv[1]):\n    print('in', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "in"
        assert _other_process_sees(path) == "held"
        holder.kill()
        holder.wait()
    assert _other_process_sees(path) == "free"


def test_waits_for_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    log = tmp_path / "log"
    code = (
        "import sys; from partnership.locks import FileLock\n"
        "with FileLock(sys.argv[1]):\n"
        "    open(sys.argv[2], 'a').write(sys.argv[3])\n"
    )
    with locks.FileLock(str(path)):
        waiter = subprocess.Popen([sys.executable, "-c", code, str(path), str(log), "w"])
        with pytest.raises(subprocess.TimeoutExpired):
            waiter.wait(timeout=1.0)
        log.write_text("h")
    assert waiter.wait(timeout=30) == 0
    assert log.read_text() == "hw"  # the waiter wrote only after the holder let go


def test_file_system_without_flock_gets_filelocks_soft_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(fd: int, op: int) -> None:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))

    monkeypatch.setattr(fcntl, "flock", refuse)  # filelock's own flock fails the same way
    path = tmp_path / "x.lock"
    before = _open_fds()
    lock = locks.FileLock(str(path))
    with pytest.warns(UserWarning, match="falling back to SoftFileLock"), lock:
        assert lock._other is not None and lock._other.is_locked
        assert lock._fd is None
        assert path.exists()  # the soft lock's file
    assert lock._other is None
    assert not path.exists()  # soft lock released: neither it nor the probe left a file
    assert _open_fds() == before


def test_no_fcntl_gets_filelock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert filelock.FileLock  # imported before fcntl goes: filelock keeps its own
    monkeypatch.setitem(sys.modules, "fcntl", None)  # as on Windows: import fails
    path = tmp_path / "x.lock"
    lock = locks.FileLock(str(path))
    with lock:
        assert lock._other is not None and lock._other.is_locked
        assert _other_process_sees(path) == "held"


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOLCK, errno.EOPNOTSUPP])
def test_other_errors_are_raised_and_leave_no_open_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def fail(fd: int, op: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fcntl, "flock", fail)
    before = _open_fds()
    with pytest.raises(OSError) as caught, locks.FileLock(str(tmp_path / "x.lock")):
        pass  # pragma: no cover - never entered
    assert caught.value.errno == code
    assert _open_fds() == before


def test_closed_on_leaving_even_by_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    before = _open_fds()
    with pytest.raises(ValueError), locks.FileLock(str(path)):
        raise ValueError
    assert _open_fds() == before
    assert _other_process_sees(path) == "free"


def test_a_lock_file_already_there_is_used_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.lock"
    path.write_bytes(b"")
    with locks.FileLock(str(path)):
        assert _other_process_sees(path) == "held"
    assert path.exists()

    def refuse(fd: int, op: int) -> None:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))

    monkeypatch.setattr(fcntl, "flock", refuse)
    lock = locks.FileLock(str(path))
    assert not lock._flock()
    assert path.exists()  # not ours to remove
