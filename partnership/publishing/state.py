"""What the records file remembers about publishing: objects on CalDAV servers, feed tokens.

A section of its own (``publishing:``) in the records file, with the pure changes
``partnership publish`` and ``partnership feeds`` make to it.
"""

import secrets
from typing import Annotated, get_args

from pydantic import BaseModel, ConfigDict, Field

from partnership.model import Audience

Token = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]


class _Model(BaseModel):
    # deferred: the validator of the whole file is built once, at its first validation
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PublishedObject(_Model):
    """One object this tool put on a server, as the server confirmed it."""

    href: str  # the object's URL
    etag: str  # the ETag the server gave for our last write
    digest: str  # what we wrote (sha256, without DTSTAMP): a change means a new write


class Collection(_Model):
    """A CalDAV collection published to: for which audience, and its objects by UID."""

    audience: Audience | None = None  # None: every event of the agreement
    objects: dict[str, PublishedObject] = {}


class Publishing(_Model):
    """The ``publishing`` section: collections by URL, and the feed token of each audience."""

    caldav: dict[str, Collection] = {}
    feeds: dict[Audience, Token] = {}  # audience -> the token in its feed's file name


def collection(state: Publishing, url: str) -> Collection:
    """What is remembered about the collection at ``url`` (nothing yet: an empty one)."""
    return state.caldav.get(url, Collection())


def with_collection(state: Publishing, url: str, coll: Collection) -> Publishing:
    """``state`` with the collection at ``url`` replaced by ``coll``."""
    return state.model_copy(update={"caldav": dict(sorted({**state.caldav, url: coll}.items()))})


def with_object(coll: Collection, uid: str, obj: PublishedObject | None) -> Collection:
    """``coll`` with the object ``uid`` remembered as ``obj`` (``None``: forgotten)."""
    objects = {k: v for k, v in coll.objects.items() if k != uid}
    if obj is not None:
        objects[uid] = obj
    return coll.model_copy(update={"objects": dict(sorted(objects.items()))})


def new_token() -> str:
    """An unguessable feed token: 128 random bits as 32 hex digits (safe in any URL)."""
    return secrets.token_hex(16)


def with_tokens(state: Publishing) -> Publishing:
    """``state`` with a feed token for every audience that has none yet (kept ones stay).

    The tokens come in the order of the audiences (teachers, students, parents, brigade).
    """
    feeds = {a: state.feeds.get(a) or new_token() for a in get_args(Audience)}
    if feeds == state.feeds:
        return state
    return state.model_copy(update={"feeds": feeds})


def rotate(state: Publishing, audience: Audience) -> Publishing:
    """``state`` with a new token for ``audience``: the old feed link stops working."""
    feeds = {**state.feeds, audience: new_token()}
    return state.model_copy(update={"feeds": feeds})
