"""Where files are written: atomic writes and all-or-nothing output folders.

Every write goes to a temporary file in the target folder and is renamed into
place only when complete, so a failing run never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from partnership.errors import UsageError


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
        raise UsageError(f"{path}: is a file, not a folder; give a folder for the output")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the output folder ({exc.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: the output folder is not writable")
    return path


def safe_name(name: str) -> str:
    """Refuse a file name that could leave the output folder (names come from slugs)."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise ValueError(f"unsafe output file name {name!r}")
    return name


def write_files(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files into ``folder`` all-or-nothing; returns the paths in name order.

    The files are first written to a temporary folder inside ``folder``; only when
    every one is complete are they renamed into place.
    """
    folder = prepare_output_dir(folder)
    for name in files:
        for part in Path(name).parts:
            safe_name(part)
    with _staging(folder) as stage:
        for name in sorted(files):
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
        written = []
        for name in sorted(files):
            final = folder / name
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / name, final)
            written.append(final)
    return written


@contextlib.contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    stage = Path(tempfile.mkdtemp(prefix=".partnership-", dir=folder))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
