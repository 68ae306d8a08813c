"""Where files are written: atomic writes and all-or-nothing batches of files.

Every write goes to a temporary file beside its target and is renamed into place
only when complete. A :class:`Batch` renames all its files only once every one is
staged, and puts the old files back if a rename fails, so a failing run leaves
every existing file as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from partnership.errors import UsageError
from partnership.messages import t


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0o666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def prepare_output_dir(path: Path) -> Path:
    """Create the output folder (with parents) or fail clearly when it cannot be one."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(t("fsio.output_is_file", path=path))
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
        self._make_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        self._staged[path] = Path(tmp)
        os.chmod(tmp, _mode_for(path))
        Path(tmp).write_bytes(data)

    def commit(self) -> list[Path]:
        """Rename every staged file into place (in path order); on failure, put back the old."""
        done: list[tuple[Path, Path | None]] = []  # target, copy of the file it replaces
        try:
            for path in sorted(self._staged):
                staged = self._staged[path]
                done.append((path, _keep_old(path, staged.with_suffix(".bak"))))
                os.replace(staged, path)
        except BaseException:
            for path, old in reversed(done):
                _put_back(path, old)
            self.discard()
            raise
        for _, old in done:
            if old is not None:
                with contextlib.suppress(OSError):
                    os.unlink(old)
        written = sorted(self._staged)
        self._staged.clear()
        self._made.clear()
        return written

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
    folder = prepare_output_dir(folder)
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
