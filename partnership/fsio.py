"""Where files are written: atomic writes and all-or-nothing batches of files that heal.

Every write goes to a temporary file beside its target (``.NAME.PID-TOKEN.tmp``) and is
renamed into place only when complete. A :class:`Batch` stages all its files, then
writes a small journal (``.partnership-PID-TOKEN.journal``, a copy in every folder it
touches) and only then renames them; a failure puts the old files back. A process
killed at any instant leaves the journal behind, and :func:`heal`, which every writer
and the records reader run on a folder before using it, completes that batch (all
copies of the journal present: every file was staged, so roll forward) or undoes it
(a copy missing: put back what the batch replaced), and removes the temporary and
backup files of processes that no longer run. So after any crash, the next command
that touches the folder leaves one consistent set of files and no stray ones.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from partnership.errors import UsageError
from partnership.messages import t

_STRAY = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.(?:tmp|bak)$")
_JOURNAL = re.compile(r"^\.partnership-(\d+)-[0-9a-f]{8}\.journal(\.part)?$")


def _token() -> str:
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def _temp_beside(path: Path) -> Path:
    """A new, empty temporary file beside ``path``, named so :func:`heal` knows whose it is."""
    while True:
        tmp = path.with_name(f".{path.name}.{_token()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp


def _fsync(path: Path) -> None:
    """Flush ``path`` (a file, or a folder after renames in it) to disk, for power loss."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flush_files(paths: list[Path]) -> None:
    """Make the data of ``paths`` durable: one ``syncfs`` per file system they are on
    (Linux), else an fsync of each file. A batch of dozens of files costs one call, not
    one per file, and every file is on disk before its batch's journal is written."""
    devices: dict[int, Path] = {}
    for path in paths:
        devices.setdefault(os.stat(path.parent).st_dev, path.parent)
    if all(_syncfs(folder) for folder in devices.values()):
        return
    for path in paths:
        _fsync(path)


def _syncfs(folder: Path) -> bool:
    """``syncfs(2)`` of the file system holding ``folder``; False when it is not to be had."""
    libc = _libc()
    if libc is None:
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return bool(libc.syncfs(fd) == 0)
    finally:
        os.close(fd)


@functools.cache
def _libc() -> Any:
    """The C library when it has ``syncfs`` (glibc, musl), else None; ctypes loaded lazily."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    return libc if hasattr(libc, "syncfs") else None


def _running(pid: int) -> bool:
    """True when process ``pid`` exists (this process counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def heal(folder: Path) -> None:
    """Finish or undo the batches of killed processes in ``folder``; remove their stray files.

    Idempotent and safe to interrupt: killed halfway, the next call goes on from there.
    Files of processes still running are left alone.
    """
    folder = Path(folder)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return  # no folder (yet), or not readable: nothing of ours to mend
    for name in names:
        m = _JOURNAL.match(name)
        if m and not _running(int(m.group(1))):
            if m.group(2):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)
            else:
                _finish(folder / name)
    for name in names:
        m = _STRAY.match(name)
        if m and not _running(int(m.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def _finish(journal: Path) -> None:
    """Complete (every copy of the journal there) or undo the batch ``journal`` describes."""
    try:
        plan = json.loads(journal.read_text("utf-8"))
        copies = [Path(c) for c in plan["copies"]]
        entries = [(Path(a), Path(b), Path(c), bool(d)) for a, b, c, d in plan["entries"]]
    except (OSError, ValueError, KeyError, TypeError):
        with contextlib.suppress(OSError):
            os.unlink(journal)  # not one of ours after all, or unreadable: nothing to follow
        return
    if all(c.exists() for c in copies):
        for target, staged, _, _ in entries:  # roll forward
            if staged.exists():
                os.replace(staged, target)
        _drop(copies)
        for _, _, backup, _ in entries:
            with contextlib.suppress(OSError):
                os.unlink(backup)
    else:
        _drop(copies)  # first: once any copy is gone, every later heal undoes
        for target, staged, backup, existed in entries:  # roll back
            _undo(target, staged, backup, existed)


def _undo(target: Path, staged: Path, backup: Path, existed: bool) -> None:
    """Undo one rename of a batch (or nothing, when it never happened)."""
    if staged.exists():
        with contextlib.suppress(OSError):
            os.unlink(staged)
    elif os.path.lexists(backup):
        os.replace(backup, target)
    elif not existed:
        with contextlib.suppress(OSError):
            os.unlink(target)
    with contextlib.suppress(OSError):
        os.unlink(backup)


def _drop(copies: list[Path]) -> None:
    """Remove journal copies (a copy that comes back after a power loss is harmless)."""
    for c in copies:
        with contextlib.suppress(OSError):
            os.unlink(c)


def _refuse_special(path: Path) -> None:
    """A FIFO, device or socket where a file is to be written is refused, never replaced."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode)):
        raise UsageError(t("hardening.output_special", path=path))


def write_error(folder: Path, exc: OSError) -> OSError:
    """A failed write as an OSError whose message names the folder (disk full, read-only)."""
    return OSError(exc.errno, t("hardening.write_failed", folder=folder, error=exc.strerror or exc))


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    _refuse_special(path)
    heal(path.parent)
    tmp: Path | None = None
    try:
        tmp = _temp_beside(path)
        os.chmod(tmp, _mode_for(path))
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(path.parent, exc) from exc
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0o666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def prepare_output_dir(path: Path, *, create: bool = True) -> Path:
    """Create the output folder (with parents) or fail clearly when it cannot be one.

    ``create=False`` only checks that it can be made (the first existing folder on the
    way is writable), so a command that fails later leaves no folder behind.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(t("fsio.output_is_file", path=path))
    if not create:
        existing = path
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise UsageError(t("fsio.output_is_file", path=existing))
        if not os.access(existing, os.W_OK | os.X_OK):
            raise UsageError(t("hardening.output_not_writable", path=path))
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(t("fsio.cannot_create", path=path, problem=exc.strerror)) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(t("fsio.not_writable", path=path))
    return path


def safe_name(name: str) -> str:
    """Refuse a file name that could leave the output folder (names come from slugs)."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise ValueError(f"unsafe output file name {name!r}")
    return name


class Batch:
    """Files written all-or-nothing: each is staged beside its target, then all are renamed.

    Use as a context manager: leaving it without :meth:`commit` (or by an error)
    removes the staged files and any folder made for them.
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}  # target -> its temporary file
        self._made: list[Path] = []  # folders created for the batch, outermost first
        self._healed: set[Path] = set()  # folders healed before the first file staged there

    def __enter__(self) -> Batch:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()

    def add(self, path: Path, data: bytes) -> None:
        """Stage ``data`` for ``path`` (making its folder); nothing shows until commit."""
        path = Path(path)
        if path in self._staged:
            raise ValueError(f"{path}: written twice in one batch")
        _refuse_special(path)
        try:
            self._make_folder(path.parent)
            if path.parent not in self._healed:
                heal(path.parent)
                self._healed.add(path.parent)
            tmp = _temp_beside(path)
            self._staged[path] = tmp
            os.chmod(tmp, _mode_for(path))
            tmp.write_bytes(data)  # made durable at commit, all files at once
        except OSError as exc:
            raise write_error(path.parent, exc) from exc

    def commit(self) -> list[Path]:
        """Rename every staged file into place (in path order); on failure, put back the old.

        A journal naming every file is written (a copy per folder) before the first rename,
        so a process killed during the renames is completed by the next :func:`heal`.
        """
        done: list[tuple[Path, Path | None]] = []  # target, copy of the file it replaces
        copies: list[Path] = []
        try:
            _flush_files(list(self._staged.values()))
            copies = self._write_journal()
            for path in sorted(self._staged):
                staged = self._staged[path]
                done.append((path, _keep_old(path, staged.with_suffix(".bak"))))
                os.replace(staged, path)
            for folder in sorted({p.parent for p in self._staged}):
                _fsync(folder)
        except BaseException as exc:
            _drop(copies)
            for path, old in reversed(done):
                _put_back(path, old)
            self.discard()
            if isinstance(exc, OSError):
                folder = Path(exc.filename).parent if exc.filename else Path(".")
                raise write_error(folder, exc) from exc
            raise
        _drop(copies)
        for _, old in done:
            if old is not None:
                with contextlib.suppress(OSError):
                    os.unlink(old)
        written = sorted(self._staged)
        self._staged.clear()
        self._made.clear()
        return written

    def _write_journal(self) -> list[Path]:
        """Write the journal of this batch into every folder it touches; returns the copies."""
        folders = sorted({p.parent for p in self._staged})
        token = _token()
        copies = [f / f".partnership-{token}.journal" for f in folders]
        entries = [
            [str(p), str(s), str(s.with_suffix(".bak")), os.path.lexists(p)]
            for p, s in sorted(self._staged.items())
        ]
        body = json.dumps({"copies": [str(c) for c in copies], "entries": entries}).encode()
        written: list[Path] = []
        try:
            for c in copies:
                part = c.with_name(c.name + ".part")
                with open(part, "wb") as fh:
                    fh.write(body)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(part, c)
                written.append(c)
                _fsync(c.parent)
        except BaseException:
            for c in copies:
                with contextlib.suppress(OSError):
                    os.unlink(c.with_name(c.name + ".part"))
            _drop(written)
            raise
        return copies

    def discard(self) -> None:
        """Remove what was staged and the folders made for it (a no-op after commit)."""
        for tmp in self._staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._staged.clear()
        self._made.clear()

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            self._made.append(made)


def _keep_old(path: Path, backup: Path) -> Path | None:
    """A second name (hard link, else copy) for the file at ``path``, to restore it on failure.

    ``backup`` is derived from the batch's own temporary file, so no one else uses it.
    """
    if not os.path.lexists(path):
        return None
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        try:
            shutil.copy2(path, backup, follow_symlinks=False)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(backup)
            raise
    return backup


def _put_back(path: Path, old: Path | None) -> None:
    """Undo one rename of a commit: restore the kept file, or remove a file that was new."""
    if old is None:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    try:
        os.replace(old, path)
    except OSError:
        return  # keep the copy: it may be all that is left of the old file
    # when the rename being undone never happened, ``old`` and ``path`` are links to one
    # file and os.replace leaves both (POSIX rename); drop the spare name
    with contextlib.suppress(OSError):
        os.unlink(old)


def stage_files(batch: Batch, folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Stage ``files`` (relative names made of safe parts) into ``folder``; returns their paths.

    The folder is created (a clear usage error when it cannot be); a name that would
    leave it, or that lands on a folder or under a file, is refused before anything is staged.
    """
    folder = prepare_output_dir(folder, create=False)
    targets = {name: _target(folder, name) for name in files}
    for name in sorted(files):
        batch.add(targets[name], files[name])
    return sorted(targets.values())


def _target(folder: Path, name: str) -> Path:
    parts = Path(name).parts
    for part in parts:
        safe_name(part)
    target = folder.joinpath(*parts)
    for parent in list(target.parents)[: len(parts) - 1]:
        if parent.exists() and not parent.is_dir():
            raise UsageError(t("fsio.parent_is_file", path=parent))
    if target.is_dir():
        raise UsageError(t("fsio.target_is_folder", path=target))
    return target


def write_files(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files into ``folder`` all-or-nothing; returns the paths in name order."""
    with Batch() as batch:
        stage_files(batch, folder, files)
        return batch.commit()
