"""Which of the files given as agreements are records files, to be skipped with a note.

A shell glob such as ``schedules/*.yaml`` also matches the records file that `build`
writes beside each agreement (``<stem>.records.yaml``). Such a file is recognised
by its name, or by its content (only the records file's own keys at the top), so
it is skipped instead of being reported as a broken agreement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

_RECORDS_SUFFIXES = (".records.yaml", ".records.yml")
_RECORDS_KEYS = frozenset({"version", "occurrences", "tasks", "publishing"})
_TOP_KEY = re.compile(rb"^([A-Za-z_][\w-]*)\s*:", re.M)
_PEEK = 64_000


def is_records_file(path: Path) -> bool:
    """Whether ``path`` is a records file (by name, or by its top-level keys)."""
    if path.name.lower().endswith(_RECORDS_SUFFIXES):
        return True
    if not path.is_file():
        return False  # a folder, FIFO or device: the loader refuses it without opening it
    try:
        with open(path, "rb") as fh:
            head = fh.read(_PEEK)
    except OSError:
        return False  # the loader reports it
    keys = {m.group(1).decode() for m in _TOP_KEY.finditer(head)}
    return bool(keys) and keys <= _RECORDS_KEYS and bool(keys & {"occurrences", "tasks"})


def split_records(files: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The agreement files and the records files among ``files``, each in the given order."""
    agreements: list[Path] = []
    records: list[Path] = []
    for f in files:
        (records if is_records_file(f) else agreements).append(f)
    return agreements, records
