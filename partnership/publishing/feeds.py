"""Feeds to subscribe to: each audience's .ics under a stable name no one can guess.

``build --feed-url BASE`` writes ``feeds/<agreement>-<audience>-<token>.ics`` (the
token kept in the records file) for the web server to serve at ``BASE``; rotating a
token gives a new name, and the next build removes the file of the old one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from partnership.errors import UsageError
from partnership.ics import ics_filename
from partnership.messages import t

FOLDER = "feeds"


@dataclass(frozen=True)
class Feed:
    """One audience's feed: its file name and the links to it."""

    audience: str
    name: str
    url: str

    @property
    def webcal(self) -> str:
        """The same link as ``webcal://``, which calendar apps open as a subscription."""
        return "webcal://" + self.url.split("://", 1)[1]


def check_base(base: str) -> str:
    """The base URL of the feeds (http or https), without a trailing slash."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(t("publishing.bad_feed_url", url=base))
    return base.rstrip("/")


def feed_name(agreement_id: str, audience: str, token: str) -> str:
    """The feed's file name: ``<agreement>-<audience>-<token>.ics``."""
    return f"{agreement_id}-{audience}-{token}.ics"


def feeds(agreement_id: str, base: str, tokens: Mapping[str, str]) -> list[Feed]:
    """The feed of every audience that has a token, in the tokens' order."""
    out = []
    for audience, token in tokens.items():
        name = feed_name(agreement_id, audience, token)
        out.append(Feed(audience, name, f"{base}/{name}"))
    return out


def feed_files(
    agreement_id: str, built: Mapping[str, bytes], chosen: Iterable[Feed]
) -> dict[str, bytes]:
    """The feed files (names in ``feeds/``): the bytes of each audience's whole .ics."""
    return {
        f"{FOLDER}/{f.name}": built[ics_filename(agreement_id, None, f.audience)] for f in chosen
    }


def stale(agreement_id: str, present: Iterable[str], current: Iterable[Feed]) -> list[str]:
    """Names in ``feeds/`` of this agreement's feeds with a token no longer in use."""
    pattern = re.compile(
        re.escape(agreement_id) + r"-(teachers|students|parents|brigade)-[0-9a-f]{32}\.ics"
    )
    keep = {f.name for f in current}
    return sorted(n for n in present if pattern.fullmatch(n) and n not in keep)
