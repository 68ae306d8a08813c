"""What a publish must write so that a CalDAV collection holds exactly the plan's events.

Pure: from the objects wanted (rendered from the plan), what the records remember of
our last writes, and the server's listing, it computes the steps; it never talks to
a server. Only objects whose UID ends in ``@<agreement id>`` are ever considered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from partnership.publishing.state import Collection, PublishedObject

Kind = Literal["create", "update", "cancel", "delete"]

_DTSTAMP = re.compile(rb"^DTSTAMP[;:][^\r\n]*\r\n", re.MULTILINE)


@dataclass(frozen=True)
class Wanted:
    """One object the collection must hold: its bytes, their digest, and whether cancelled."""

    body: bytes
    cancelled: bool = False
    label: str = ""  # date and title, for the messages

    @property
    def digest(self) -> str:
        """What changes when the event does: the bytes without DTSTAMP (new every run)."""
        return hashlib.sha256(_DTSTAMP.sub(b"", self.body)).hexdigest()


@dataclass(frozen=True)
class Listed:
    """One object of the collection as the server lists it."""

    href: str
    etag: str


@dataclass(frozen=True)
class Step:
    """One write: create (``etag`` None: only if absent), update, cancel or delete.

    ``conflict`` marks a step held back: the object changed on the server since our
    last write (its ETag is not the one we were given), and ``--force`` was not given.
    """

    kind: Kind
    uid: str
    href: str
    etag: str | None
    wanted: Wanted | None
    conflict: bool = False

    def confirmed(self, etag: str) -> PublishedObject | None:
        """What the records keep once the server confirmed this step with ``etag``."""
        if self.wanted is None:
            return None
        return PublishedObject(href=self.href, etag=etag, digest=self.wanted.digest)


def is_ours(uid: str, agreement_id: str) -> bool:
    """True for the UID of an event of this agreement (``…@<agreement id>``)."""
    return uid.endswith(f"@{agreement_id}")


def object_href(collection_url: str, uid: str) -> str:
    """Where a new object goes: its UID, escaped, with ``.ics`` in the collection."""
    return collection_url.rstrip("/") + "/" + quote(uid, safe="") + ".ics"


def same_place(a: str, b: str) -> bool:
    """True when two hrefs (full URLs or paths, escaped or not) name one object."""
    return unquote(urlsplit(a).path) == unquote(urlsplit(b).path)


def ours_listed(listing: Mapping[str, str | None], agreement_id: str) -> dict[str, str]:
    """This agreement's UIDs in a listing ``href → UID`` (None: unreadable), as ``UID → href``.

    Should a server hold one UID twice, the first href in order counts.
    """
    found: dict[str, str] = {}
    for href in sorted(listing):
        uid = listing[href]
        if uid is not None and is_ours(uid, agreement_id):
            found.setdefault(uid, href)
    return found


def plan_steps(
    collection_url: str,
    wanted: Mapping[str, Wanted],
    stored: Collection,
    listed: Mapping[str, Listed],
    *,
    force: bool = False,
) -> list[Step]:
    """The writes that make the collection hold ``wanted``, in UID order.

    ``listed`` is this agreement's objects on the server by UID. Nothing is written
    for an object whose digest and ETag are as the records remember; an object the
    records do not know (a write whose answer never came) is taken over as it is.
    """
    steps: list[Step] = []
    for uid in sorted(set(wanted) | set(listed)):
        want, found = wanted.get(uid), listed.get(uid)
        if found is None:
            if want is not None:
                kind: Kind = "cancel" if want.cancelled else "create"
                steps.append(Step(kind, uid, object_href(collection_url, uid), None, want))
            continue
        known = stored.objects.get(uid)
        if known is not None and not same_place(known.href, found.href):
            known = None
        changed_there = known is not None and known.etag != found.etag
        unchanged = want is not None and known is not None and known.digest == want.digest
        if unchanged and not changed_there:
            continue
        kind = "delete" if want is None else "cancel" if want.cancelled else "update"
        href = known.href if known is not None else _absolute(collection_url, found.href)
        steps.append(Step(kind, uid, href, found.etag, want, conflict=changed_there and not force))
    return steps


def remembered(stored: Collection, listed: Mapping[str, Listed]) -> Collection:
    """The records' objects that the server still holds where we put them (others forgotten)."""
    kept = {
        uid: obj
        for uid, obj in stored.objects.items()
        if uid in listed and same_place(obj.href, listed[uid].href)
    }
    return stored.model_copy(update={"objects": kept})


def _absolute(collection_url: str, href: str) -> str:
    """A listed href (usually a path) as a full URL on the collection's server."""
    if urlsplit(href).scheme:
        return href
    parts = urlsplit(collection_url)
    return f"{parts.scheme}://{parts.netloc}{href}"
