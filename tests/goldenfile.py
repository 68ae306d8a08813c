"""Golden files of what people read, compared after normalising the volatile parts.

``compare(name, text)`` checks ``text`` against ``tests/golden/<name>``. With
``UPDATE_GOLDEN=1`` it rewrites the file and *skips* the test (a rewrite proves nothing);
review the diff, then commit. Regenerate every golden file with one command::

    UPDATE_GOLDEN=1 python -m pytest -q -k golden
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
# like khal's .ics corpus: stamps of the moment of writing are not content
VOLATILE = [
    (re.compile(r"^(DTSTAMP|LAST-MODIFIED|CREATED)[:;].*$", re.M), r"\1:<stamp>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"), "<now>"),
    (re.compile(r"[ \t]+$", re.M), ""),
]
UPDATE_HINT = "review the change, then regenerate: UPDATE_GOLDEN=1 python -m pytest -k golden"


def normalise(text: str) -> str:
    """``text`` without stamps of the moment or trailing spaces, with Unix line ends."""
    text = text.replace("\r\n", "\n")
    for pattern, repl in VOLATILE:
        text = pattern.sub(repl, text)
    return text


def compare(name: str, text: str) -> None:
    """Fail with a diff when ``text`` differs from the golden file ``name`` (normalised)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(normalise(text), encoding="utf-8", newline="\n")
        pytest.skip(f"rewrote {path}; review the diff before committing")
    assert path.exists(), f"{path} is missing: {UPDATE_HINT}"
    want, got = path.read_text(encoding="utf-8"), normalise(text)
    diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "golden", "now", lineterm="")
    assert want == got, f"{name} changed; {UPDATE_HINT}\n" + "\n".join(list(diff)[:80])
