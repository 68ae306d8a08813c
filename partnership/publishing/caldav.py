"""The network edge of ``partnership publish``: list, write and delete objects on a CalDAV server.

Built on the ``caldav`` client library's lower-level calls (REPORT, PUT, DELETE), so
that every write carries our own bytes (SEQUENCE as the records have it: the library's
own SEQUENCE bump on save never applies) and exactly one precondition: ``If-None-Match:
*`` for a new object, ``If-Match`` with the ETag we hold for every other. Every failure
becomes one of the errors below, each with its exit status (documented in the README).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from partnership.errors import PartnershipError, UsageError
from partnership.messages import t
from partnership.publishing.state import PublishedObject
from partnership.publishing.sync import Listed, Step

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

EXIT_SERVER = 3
EXIT_REFUSED = 4
EXIT_CONFLICTS = 5

_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:getetag/><C:calendar-data/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
</C:calendar-query>"""
_ICS = {"Content-Type": "text/calendar; charset=utf-8"}
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")  # "[Errno 111] Connection refused"


class ServerProblem(PartnershipError):
    """The server could not be reached, timed out, failed (5xx) or answered unexpectedly."""

    exit_code = EXIT_SERVER


class Refused(PartnershipError):
    """The server refused our credentials or our rights (401, 403)."""

    exit_code = EXIT_REFUSED


class _Changed(Exception):
    """A write refused with 412: the object is not the version we hold."""


@dataclass(frozen=True)
class Listing:
    """A collection's objects: ``href → UID`` (None when unreadable) and ``href → ETag``."""

    uids: Mapping[str, str | None]
    etags: Mapping[str, str]

    def of(self, hrefs: Mapping[str, str]) -> dict[str, Listed]:
        """``UID → Listed`` for the objects ``UID → href`` chosen from this listing."""
        return {uid: Listed(href, self.etags.get(href, "")) for uid, href in hrefs.items()}


class Server:
    """One CalDAV collection, reached with the ``caldav`` library's client."""

    def __init__(self, url: str, user: str | None, password: str | None, timeout: float) -> None:
        from caldav.davclient import DAVClient

        self.url = url
        self._client: DAVClient = DAVClient(
            url,
            username=user,
            password=password,
            timeout=int(timeout),
            enable_rfc6764=False,
            require_tls=False,
        )

    def close(self) -> None:
        """Close the client's connections."""
        self._client.close()

    def listing(self) -> Listing:
        """Every object in the collection with its UID and ETag (one REPORT)."""
        with _answers(self.url):
            r = self._client.report(self.url, _QUERY, depth=1)
        if r.status in (404, 405, 501):
            raise UsageError(t("publishing.not_collection", url=self.url, status=r.status))
        _check(r.status, self.url, (207,))
        uids: dict[str, str | None] = {}
        etags: dict[str, str] = {}
        if r.tree is None:
            raise ServerProblem(t("publishing.status", url=self.url, status=r.status))
        for resp in r.tree.iter("{DAV:}response"):
            href = resp.findtext("{DAV:}href") or ""
            data = resp.findtext(".//{urn:ietf:params:xml:ns:caldav}calendar-data")
            if not href or data is None:
                continue  # the collection itself, or no calendar object
            uids[href] = _uid(data)
            etags[href] = (resp.findtext(".//{DAV:}getetag") or "").strip()
        return Listing(uids, etags)

    def write(self, step: Step) -> str:
        """Carry out one step; the object's new ETag ("" after a delete). 412 → _Changed."""
        if step.wanted is None:
            headers = {"If-Match": step.etag or "*"}
            with _answers(step.href):
                r = self._client.delete(step.href, headers)
            if r.status == 404:
                return ""  # gone already: what we wanted
            _check(r.status, step.href, (200, 204))
            return ""
        precondition = {"If-None-Match": "*"} if step.etag is None else {"If-Match": step.etag}
        with _answers(step.href):
            r = self._client.put(
                step.href, step.wanted.body.decode("utf-8"), {**_ICS, **precondition}
            )
        _check(r.status, step.href, (200, 201, 204))
        etag = (r.headers or {}).get("ETag") or self._etag(step.href)
        return etag

    def _etag(self, href: str) -> str:
        """The ETag of an object, for a server that did not give it in the PUT answer."""
        with _answers(href):
            r = self._client.request(href, "HEAD")
        _check(r.status, href, (200,))
        return str((r.headers or {}).get("ETag") or "")


@contextmanager
def _answers(url: str) -> Iterator[None]:
    """The client library's failures as our errors: unreachable, timed out, refused."""
    from caldav.lib import error
    from niquests.exceptions import RequestException, Timeout

    try:
        yield
    except error.AuthorizationError as exc:
        raise Refused(t("publishing.refused", url=url, reason=exc.reason or "")) from None
    except Timeout:
        raise ServerProblem(t("publishing.timeout", url=url)) from None
    except (RequestException, error.DAVError) as exc:
        raise ServerProblem(t("publishing.unreachable", url=url, reason=_short(exc))) from None


def _check(status: int, url: str, ok: Sequence[int]) -> None:
    if status in ok:
        return
    if status == 412:
        raise _Changed(url)
    if status in (401, 403):
        raise Refused(t("publishing.refused", url=url, reason=str(status)))
    raise ServerProblem(t("publishing.status", url=url, status=status))


def _short(exc: BaseException) -> str:
    """What went wrong, in a few words: the system's reason when the library's text has one."""
    text = str(exc)
    found = _ERRNO.search(text)
    if found:
        return found.group(1)
    if "NameResolutionError" in text:
        return t("publishing.unknown_host")
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def _uid(data: str) -> str | None:
    """The UID of a calendar object's first component (None when the data is unreadable)."""
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(data)
    except ValueError:
        return None
    for comp in cal.walk():
        if comp.name in ("VEVENT", "VTODO", "VJOURNAL") and "UID" in comp:
            return str(comp["UID"])
    return None


@dataclass
class Outcome:
    """What a run did: the steps the server confirmed, those held back, why it stopped."""

    done: list[Step] = field(default_factory=list)
    conflicts: list[Step] = field(default_factory=list)
    stopped: PartnershipError | None = None
    left: list[Step] = field(default_factory=list)


def run(
    server: Server,
    steps: Sequence[Step],
    confirmed: Callable[[str, PublishedObject | None], Any],
) -> Outcome:
    """Carry out ``steps`` in order, calling ``confirmed(uid, object)`` after each confirmed write.

    A step marked as a conflict, or refused with 412, is held back and the rest go on;
    a server problem or a refusal stops the run, with what is left in ``left``.
    """
    out = Outcome()
    for i, step in enumerate(steps):
        if step.conflict:
            out.conflicts.append(step)
            continue
        try:
            etag = server.write(step)
        except _Changed:
            out.conflicts.append(step)
            continue
        except (ServerProblem, Refused) as exc:
            out.stopped = exc
            out.left = list(steps[i:])
            return out
        confirmed(step.uid, step.confirmed(etag))
        out.done.append(step)
    return out
