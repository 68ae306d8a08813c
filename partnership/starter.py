"""The starter agreement `init` writes for a new school, and the places it leaves to fill.

The template (``templates/starter.yaml``) carries the seed's commitments ready to use
and marks what only the school can know (names, the agreement period, the terms)
with text starting ``待填``; :func:`unfilled` finds those so `validate` can name each
one until it is filled in.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from partnership.model import SLUG_RE

PLACEHOLDER = "待填"
"""How every value the admin must fill in starts."""
_ID_MARK = "__ID__"

Loc = tuple[str | int, ...]


def starter_yaml(agreement_id: str) -> bytes:
    """The starter agreement with ``agreement_id`` as its id (UTF-8)."""
    from importlib.resources import files

    text = files("partnership").joinpath("templates/starter.yaml").read_text("utf-8")
    return text.replace(_ID_MARK, agreement_id).encode("utf-8")


def derived_id(path: Path) -> str | None:
    """An agreement id made from a file name (``Our School.yaml`` → ``our-school``), if any."""
    stem = path.name.split(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:63].rstrip("-")
    return slug if SLUG_RE.fullmatch(slug) else None


def unfilled(data: Any, path: Loc = ()) -> list[tuple[Loc, str]]:
    """Every value still holding the starter's placeholder text, with its path."""
    if isinstance(data, str):
        return [(path, data)] if data.strip().startswith(PLACEHOLDER) else []
    if isinstance(data, dict):
        return [hit for k, v in data.items() for hit in unfilled(v, (*path, k))]
    if isinstance(data, list):
        return [hit for i, v in enumerate(data) for hit in unfilled(v, (*path, i))]
    return []
