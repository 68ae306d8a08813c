"""Where a UID is made: stable identities for occurrences across runs, dates and terms."""

from __future__ import annotations


def uid(occurrence_id: str, agreement_id: str) -> str:
    """The iCalendar UID of an occurrence: its id with '/' as '.', at the agreement id."""
    return f"{occurrence_id.replace('/', '.')}@{agreement_id}"
