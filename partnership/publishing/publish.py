"""``partnership publish``: make a CalDAV collection hold exactly the plan's events.

The steps come from :mod:`partnership.publishing.sync` (pure); this module joins them
to the records file and the server: the records file stays locked for the whole run
and is rewritten after every write the server confirmed, so a run cut short leaves
records that match the server, and the next run finishes the job.
"""

from __future__ import annotations

import datetime as dt
import netrc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from partnership import records as rec
from partnership.checklist_templates import Templates
from partnership.errors import UsageError
from partnership.fsio import atomic_write
from partnership.ics import render_objects
from partnership.identity import uid
from partnership.messages import t
from partnership.plan import Plan
from partnership.publishing import state
from partnership.publishing.caldav import Outcome, Server
from partnership.publishing.sync import Step, Wanted, ours_listed, plan_steps, remembered

PASSWORD_ENV = "PARTNERSHIP_CALDAV_PASSWORD"


@dataclass(frozen=True)
class Request:
    """What to publish where, as the command line gave it."""

    url: str
    audience: str | None
    user: str | None
    password: str | None
    timeout: float
    dry_run: bool
    force: bool


@dataclass(frozen=True)
class Result:
    """A publish: the steps planned, what the run did (None on a dry run), what was unchanged."""

    steps: Sequence[Step]
    outcome: Outcome | None
    unchanged: int


def collection_url(url: str) -> str:
    """The collection URL as the records key it: http(s), with one trailing slash."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(t("publishing.bad_url", url=url))
    return url.rstrip("/") + "/"


def credentials(
    url: str, user: str | None, environ: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """User and password: ``--user`` and ``PARTNERSHIP_CALDAV_PASSWORD``, else a netrc entry.

    The netrc file is ``$NETRC`` or ``~/.netrc`` (as curl reads it); its entry for the
    server's host gives the password, and the user when ``--user`` is not given.
    """
    password = environ.get(PASSWORD_ENV) or None
    if password is not None:
        return user, password
    path = Path(environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return user, None
    try:
        entry = netrc.netrc(str(path)).authenticators(urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise UsageError(t("publishing.bad_netrc", path=path, reason=exc)) from None
    if entry is None:
        return user, None
    login, _, secret = entry
    if user is not None and login and login != user:
        return user, None
    return user or login or None, secret or None


def wanted_objects(
    plan: Plan,
    audience: str | None,
    dtstamp: dt.datetime,
    prep: Mapping[str, Sequence[str]],
    templates: Templates | None = None,
) -> dict[str, Wanted]:
    """Every object the collection must hold, by UID, rendered by :mod:`partnership.ics`."""
    aid = plan.agreement.agreement.id
    occurrences = {uid(o.id, aid): o for o in plan.occurrences}
    bodies = render_objects(
        plan, audience=audience, dtstamp=dtstamp, prep=prep, templates=templates
    )
    return {
        u: Wanted(
            body,
            cancelled=occurrences[u].status == "cancelled",
            label=f"{occurrences[u].date} {occurrences[u].title}",
        )
        for u, body in bodies.items()
    }


def publish(agreement_file: Path, plan: Plan, wanted: Mapping[str, Wanted], req: Request) -> Result:
    """List the collection, plan the steps and (unless a dry run) carry them out."""
    from partnership.publishing.caldav import run

    aid = plan.agreement.agreement.id
    path = rec.records_path(agreement_file)
    with rec.lock(path):
        records = rec.load_records(path)
        server = Server(req.url, req.user, req.password, req.timeout)
        try:
            listing = server.listing()
            ours = listing.of(ours_listed(listing.uids, aid))
            known = remembered(state.collection(records.publishing, req.url), ours)
            known = known.model_copy(update={"audience": req.audience})
            steps = plan_steps(req.url, wanted, known, ours, force=req.force)
            unchanged = len(wanted) - sum(1 for s in steps if s.wanted is not None)
            if req.dry_run:
                return Result(steps, None, unchanged)
            saver = _Saver(path, records, req.url, known)
            saver.save()  # forget what is no longer on the server
            outcome = run(server, steps, saver.confirmed)
            if outcome.stopped is None:
                saver.records = rec.publish(saver.records, plan)
                saver.save()
            return Result(steps, outcome, unchanged)
        finally:
            server.close()


class _Saver:
    """Keeps the records file in step with the writes the server confirmed, one at a time."""

    def __init__(self, path: Path, records: rec.Records, url: str, known: state.Collection):
        self.path, self.records, self.url, self.known = path, records, url, known
        self._written = records

    def confirmed(self, uid: str, obj: state.PublishedObject | None) -> None:
        self.known = state.with_object(self.known, uid, obj)
        self.save()

    def save(self) -> None:
        publishing = state.with_collection(self.records.publishing, self.url, self.known)
        self.records = self.records.model_copy(update={"publishing": publishing})
        if self.records != self._written:
            atomic_write(self.path, rec.dump_records(self.records))
            self._written = self.records
