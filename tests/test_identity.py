"""UIDs: the occurrence id with '/' as '.', at the agreement id; stable and unique."""

from __future__ import annotations

from partnership.identity import uid


def test_uid_is_the_occurrence_id_at_the_agreement() -> None:
    assert uid("brigade-visit/2024-autumn/1", "damo-fire-2024") == (
        "brigade-visit.2024-autumn.1@damo-fire-2024"
    )
    assert uid("show/national-day-2024/lead-up-2", "a") == "show.national-day-2024.lead-up-2@a"


def test_distinct_occurrences_get_distinct_uids() -> None:
    ids = [
        "drill/2024-autumn/2024-10-1",
        "drill/2024-autumn/2024-10-2",
        "drill/2025-spring/2025-03-1",
        "show/new-year-2025",
        "show/new-year-2025/lead-up-1",
    ]
    assert len({uid(i, "a") for i in ids}) == len(ids)
