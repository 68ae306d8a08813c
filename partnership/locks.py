"""The lock a writer of a records file holds while it reads and writes it.

Where the system has ``flock`` (Linux, macOS), the lock is that one call on a ``.lock``
file beside the records file: it waits for another holder and is released when the file
is closed, also when the holder dies, so no stale lock is ever left. Elsewhere (Windows)
or where the file system has no ``flock`` (``ENOSYS``), the :mod:`filelock` library does
the job; it is imported only then, since its import is ≈ 13 ms of every `build`.
"""

from __future__ import annotations

import errno
import os
from types import TracebackType
from typing import Any


class FileLock:
    """An exclusive lock on the file ``path`` (created if missing), held inside ``with``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None
        self._other: Any = None  # filelock's lock, where flock is not to be had

    def __enter__(self) -> FileLock:
        if self._flock():
            return self
        from filelock import FileLock as Fallback

        self._other = Fallback(self.path)
        self._other.acquire()
        return self

    def _flock(self) -> bool:
        """Hold the lock with ``flock``; False where it is not to be had here."""
        try:
            import fcntl
        except ImportError:  # Windows
            return False
        fd, made = _open(self.path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            os.close(fd)
            if exc.errno != errno.ENOSYS:
                raise
            if made:  # to filelock's soft lock, a lock file that is there is a held lock
                os.unlink(self.path)
            return False
        self._fd = fd
        return True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases its flock
            self._fd = None
        elif self._other is not None:
            self._other.release()
            self._other = None


def _open(path: str) -> tuple[int, bool]:
    """The lock file open for writing, and whether this call made it."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644), True
    except FileExistsError:
        return os.open(path, os.O_RDWR | os.O_CLOEXEC), False
