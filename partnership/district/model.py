"""The district file: which agreements, which brigades, and each brigade's daily capacity."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from partnership.messages import t
from partnership.model import DayRange, Slug, Text

Capacity = Annotated[StrictInt, Field(ge=0, le=1000)]
MAX_AGREEMENTS = 20_000
"""Most agreement entries (paths or globs) a district file may list."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DistrictInfo(_Model):
    id: Slug
    name: Text
    language: Literal["zh-CN", "en"] = "zh-CN"


class BrigadeCapacity(_Model):
    host_per_day: Capacity = 1
    attend_per_day: Capacity = 2


class Brigade(_Model):
    id: Slug
    name: Text
    capacity: BrigadeCapacity = BrigadeCapacity()
    unavailable: Annotated[list[DayRange], Field(max_length=1000)] = []


class District(_Model):
    """A whole district file."""

    version: Literal[1]
    district: DistrictInfo
    agreements: Annotated[list[Text], Field(min_length=1, max_length=MAX_AGREEMENTS)]
    brigades: Annotated[list[Brigade], Field(min_length=1, max_length=1000)]

    def brigade(self, brigade_id: str) -> Brigade | None:
        """The brigade with this id, if the district lists it."""
        return next((b for b in self.brigades if b.id == brigade_id), None)


def district_check(d: District) -> list[tuple[tuple[str | int, ...], str]]:
    """Rules across the file: brigade ids are unique, and so are agreement entries."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    seen: dict[str, int] = {}
    for i, b in enumerate(d.brigades):
        if b.id in seen:
            found.append(
                (("brigades", i, "id"), t("district.brigade_twice", id=b.id, n=seen[b.id] + 1))
            )
        seen.setdefault(b.id, i)
    entries: dict[str, int] = {}
    for i, entry in enumerate(d.agreements):
        if entry in entries:
            found.append(
                (("agreements", i), t("district.entry_twice", entry=entry, n=entries[entry] + 1))
            )
        entries.setdefault(entry, i)
    return found
