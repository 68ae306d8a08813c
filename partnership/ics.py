"""The .ics files teachers import or subscribe to (contract: ics.md).

Written line by line as icalendar writes them (:mod:`partnership.contentline`; tests
compare every file part with icalendar's own output).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from partnership import __version__
from partnership.audience import FAMILY, audience_of, contact_text, place
from partnership.checklist_templates import KindTemplate, Templates, builtin
from partnership.contentline import duration, escaped, serialised, text, when
from partnership.errors import UsageError
from partnership.identity import uid
from partnership.messages import t
from partnership.model import AUDIENCES, Agreement, Commitment, duration_seconds
from partnership.plan import Occurrence, Plan, sort_key
from partnership.vtimezone import vtimezone_bytes

_LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "teachers": "教师",
        "students": "学生",
        "parents": "家长",
        "brigade": "消防救援人员",
        "visit": "参观",
        "sports": "体育",
        "performance": "文艺演出",
        "drill": "演练",
        "lecture": "讲座",
        "meeting": "会议",
        "other": "其他",
        "audience": "参加人员：",
        "variants": "分年级方案：",
        "contacts": "联系人：",
        "prep": "事前准备：",
        "where": "地点：",
        "arrive": "请于 {time} 前到达",
        "bring": "携带与注意：",
        "why": "日期依据：",
        "note": "备注：",
        "cancel_reason": "取消原因：",
        "prepares": "为{date}的“{title}”做准备",
        "provisional": "（暂定：该年度放假安排尚未公布）",
        "list_sep": "、",
        "colon": "：",
    },
    "en": {
        "teachers": "teachers",
        "students": "students",
        "parents": "parents",
        "brigade": "brigade",
        "visit": "visit",
        "sports": "sports",
        "performance": "performance",
        "drill": "drill",
        "lecture": "lecture",
        "meeting": "meeting",
        "other": "other",
        "audience": "Audience: ",
        "variants": "Programmes by grade:",
        "contacts": "Contacts:",
        "prep": "To be ready before:",
        "where": "Where: ",
        "arrive": "Please be there by {time}",
        "bring": "Bring, and mind: ",
        "why": "Why this date: ",
        "note": "Note: ",
        "cancel_reason": "Cancelled: ",
        "prepares": "Preparation for “{title}” on {date}",
        "provisional": "(Provisional: the official holidays for this year are not published yet)",
        "list_sep": ", ",
        "colon": ": ",
    },
}
_SOURCE_DATE_EPOCH_RE = re.compile(r"^\s*[0-9]+\s*$")
_NO_PREP: Mapping[str, Sequence[str]] = MappingProxyType({})
_END = b"END:VCALENDAR\r\n"


def ics_filename(agreement_id: str, term_id: str | None, audience: str | None) -> str:
    """File name of one .ics: ``<agreement>[-<term>][-<audience>].ics``."""
    return "-".join(p for p in (agreement_id, term_id, audience) if p) + ".ics"


def dtstamp_now(environ: Mapping[str, str]) -> dt.datetime:
    """The DTSTAMP of this run: now in UTC, or ``SOURCE_DATE_EPOCH`` when it is set."""
    raw = environ.get("SOURCE_DATE_EPOCH", "")
    if not raw:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    if _SOURCE_DATE_EPOCH_RE.match(raw):
        try:
            return dt.datetime.fromtimestamp(int(raw), dt.UTC)
        except (OverflowError, OSError, ValueError):
            pass
    raise UsageError(t("ics.bad_epoch", value=repr(raw)))


def render_ics(
    plan: Plan,
    *,
    term: str | None = None,
    audience: str | None = None,
    dtstamp: dt.datetime,
    prep: Mapping[str, Sequence[str]] = _NO_PREP,
    events: MutableMapping[str, bytes] | None = None,
    templates: Templates | None = None,
) -> bytes:
    """One VCALENDAR (UTF-8, CRLF) for a term or the whole agreement, optionally one audience's.

    ``events`` keeps each VEVENT's bytes by occurrence id, so that the files of one
    build (per term, whole, per audience) serialise every event once; pass the same
    mapping only with the same plan, ``dtstamp``, ``prep`` and ``templates``.

    The parents' and students' files (:data:`~partnership.audience.FAMILY`) say where to
    be, when to arrive and what to bring (from ``templates``, default the built-in ones);
    only the staff's files carry the next steps (``prep``) and why the date was chosen.
    """
    a = plan.agreement
    labels = _LABELS[a.agreement.language]
    name = a.agreement.title
    if term is not None:
        try:
            name = f"{name} {a.term(term).name}"
        except KeyError:
            known = ", ".join(t.id for t in a.calendar.terms)
            raise UsageError(t("ics.unknown_term", term=repr(term), known=known)) from None
    if audience is not None:
        if audience not in AUDIENCES:
            raise UsageError(
                t("ics.unknown_audience", audience=repr(audience), known=", ".join(AUDIENCES))
            )
        zh = a.agreement.language == "zh-CN"
        name += f"（{labels[audience]}）" if zh else f" ({labels[audience]})"
    commitments = {c.id: c for c in a.commitments}
    chosen = _chosen(plan, term, audience)
    mains = plan.by_id()
    stamp = _utc(dtstamp)

    zone_part = _vtimezone(a, term, chosen)
    zone = zoneinfo.ZoneInfo(a.agreement.timezone)
    done = {} if events is None else events
    family = audience in FAMILY
    told = _teller(audience, commitments, prep, templates)

    def key(o: Occurrence) -> str:
        return f"family:{o.id}" if family else o.id

    for o in chosen:
        if key(o) not in done:
            c = commitments[o.commitment]
            main = mains.get(o.lead_up_of) if o.lead_up_of else None
            done[key(o)] = _event(a, c, o, main, zone, stamp, told(o))
    # icalendar writes a calendar as its own lines, then each component's, then END;
    # the events' bytes go in that place, exactly as cal.to_ical() would put them
    shell = _file_shell(a.agreement.language, a.agreement.timezone, name)
    assert shell.endswith(_END)
    return shell[: -len(_END)] + zone_part + b"".join(done[key(o)] for o in chosen) + _END


def _file_shell(language: str, timezone: str, name: str) -> bytes:
    """A file's VCALENDAR without components, as icalendar writes it: made once per
    language and zone (:func:`_file_shell_parts`), with the name line folded here."""
    before, after = _file_shell_parts(language, timezone)
    # escaped, as TEXT like any X- property (RFC 5545 3.8.8.2)
    return before + serialised(["X-WR-CALNAME:" + escaped(text(name))]) + after


@functools.lru_cache(maxsize=64)
def _file_shell_parts(language: str, timezone: str) -> tuple[bytes, bytes]:
    """What icalendar writes before and after a file's X-WR-CALNAME line, in its order."""
    before = [*_head(language), "METHOD:PUBLISH"]
    after = [
        "REFRESH-INTERVAL;VALUE=DURATION:" + duration(_DAY),
        "X-PUBLISHED-TTL:" + duration(_DAY),
        "X-WR-TIMEZONE:" + escaped(timezone),
        "END:VCALENDAR",
    ]
    return serialised(before), serialised(after)


def _head(language: str) -> list[str]:
    """The lines every file and CalDAV object starts with."""
    prodid = f"-//partnership//partnership {__version__}//{_PRODID_LANG[language]}"
    return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + escaped(prodid), "CALSCALE:GREGORIAN"]


_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class _Told:
    """What an event's DESCRIPTION tells beyond the plan: the staff's next steps, or, for
    parents and students, where to be, when and what to bring (``family``)."""

    prep: Sequence[str] = ()
    family: KindTemplate | None = None


def _teller(
    audience: str | None,
    commitments: Mapping[str, Commitment],
    prep: Mapping[str, Sequence[str]],
    templates: Templates | None,
) -> Callable[[Occurrence], _Told]:
    """What each event of ``audience``'s file tells: next steps for staff, the day's
    practicalities for families."""
    kinds = builtin() if templates is None else templates
    if audience in FAMILY:
        return lambda o: _Told(family=kinds.family(commitments[o.commitment].kind))
    return lambda o: _Told(prep=prep.get(o.id, ()))


def render_objects(
    plan: Plan,
    *,
    audience: str | None = None,
    dtstamp: dt.datetime,
    prep: Mapping[str, Sequence[str]] = _NO_PREP,
    templates: Templates | None = None,
) -> dict[str, bytes]:
    """One VCALENDAR per event, by UID, for a CalDAV collection (``partnership publish``).

    Each holds the VTIMEZONE of its year and one VEVENT, the same event as in
    :func:`render_ics`, and no METHOD: a CalDAV object must not carry one (RFC 4791
    4.1), and Baikal and Nextcloud refuse it with 415.
    """
    a = plan.agreement
    commitments = {c.id: c for c in a.commitments}
    mains = plan.by_id()
    zone = zoneinfo.ZoneInfo(a.agreement.timezone)
    stamp = _utc(dtstamp)
    told = _teller(audience, commitments, prep, templates)
    objects: dict[str, bytes] = {}
    head = serialised(_head(a.agreement.language))
    for o in _chosen(plan, None, audience):
        main = mains.get(o.lead_up_of) if o.lead_up_of else None
        event = _event(a, commitments[o.commitment], o, main, zone, stamp, told(o))
        zone_part = _vtimezone(a, None, [o])
        objects[uid(o.id, a.agreement.id)] = head + zone_part + event + _END
    return objects


def _chosen(plan: Plan, term: str | None, audience: str | None) -> list[Occurrence]:
    """The occurrences of a term (or all), of one audience (or all), in calendar order."""
    a = plan.agreement
    return sorted(
        (o for o in plan.for_term(term) if audience is None or audience in audience_of(a, o)),
        key=sort_key,
    )


def _utc(stamp: dt.datetime) -> dt.datetime:
    """A DTSTAMP in UTC to the second (a naive one is taken as UTC)."""
    aware = stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp
    return aware.astimezone(dt.UTC).replace(microsecond=0)


_PRODID_LANG = {"zh-CN": "ZH", "en": "EN"}


def _vtimezone(a: Agreement, term: str | None, chosen: Sequence[Occurrence]) -> bytes:
    """The agreement's VTIMEZONE for just the years in use (the period's when nothing is),
    serialised; it goes where icalendar would put it, first of the calendar's components."""
    if chosen:
        years = [o.date.year for o in chosen]
    elif term is not None:
        years = [a.term(term).start.year, a.term(term).end.year]
    else:
        years = [a.agreement.start.year, a.agreement.end.year]
    period = (a.agreement.start.year, a.agreement.end.year)
    return vtimezone_bytes(a.agreement.timezone, min(years), max(years), within=period)


def _event(
    a: Agreement,
    c: Commitment,
    o: Occurrence,
    main: Occurrence | None,
    zone: zoneinfo.ZoneInfo,
    stamp: dt.datetime,
    told: _Told,
) -> bytes:
    """One VEVENT's bytes, exactly as icalendar's ``Event.to_ical()`` writes them.

    The content lines are put together here, in icalendar's canonical order, and folded:
    building an ``Event`` and serialising it cost several times more than the whole
    rest of an event's output.
    """
    labels = _LABELS[a.agreement.language]
    if o.start is None or o.end is None:
        start: dt.date = o.date
        end: dt.date = o.date + dt.timedelta(days=1)
    else:
        start = dt.datetime.combine(o.date, o.start, tzinfo=zone)
        end = dt.datetime.combine(o.date, o.end, tzinfo=zone)
    categories = [x for x in (text(labels[c.kind]), text(c.programme or "")) if x]
    if o.status == "cancelled":
        status = "CANCELLED"
    else:
        status = "TENTATIVE" if o.provisional else "CONFIRMED"
    title = escaped(text(o.title))
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + title,
        when("DTSTART", start),
        when("DTEND", end),
        when("DTSTAMP", stamp),
        "UID:" + escaped(uid(o.id, a.agreement.id)),
        f"SEQUENCE:{o.sequence}",
        "CATEGORIES:" + ",".join(escaped(x) for x in categories),
        "DESCRIPTION:" + escaped(text("\n".join(_description(a, c, o, main, told)))),
        "LOCATION:" + escaped(text(place(a, c.location))),
        "STATUS:" + status,
        "TRANSP:OPAQUE",
    ]
    for reminder in () if o.status == "cancelled" else c.reminders:
        trigger = "TRIGGER:" + duration(-dt.timedelta(seconds=abs(duration_seconds(reminder))))
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + title, trigger, "END:VALARM"]
    lines.append("END:VEVENT")
    return serialised(lines)


def _description(
    a: Agreement, c: Commitment, o: Occurrence, main: Occurrence | None, told: _Told
) -> Iterator[str]:
    """The DESCRIPTION lines: plan, audience, variants, contacts; then for the staff the
    preparation and why this date, for families where, when and what to bring."""
    labels = _LABELS[a.agreement.language]
    if main is not None:  # a lead-up: say what it prepares, not the activity's own text
        when = f"{main.date:%m-%d}" + (f" {main.start:%H:%M}" if main.start else "")
        yield labels["prepares"].format(date=when, title=main.title)
    elif c.description:
        yield c.description.strip("\n")
    if o.provisional:
        yield labels["provisional"]
    yield labels["audience"] + labels["list_sep"].join(labels[x] for x in audience_of(a, o))
    if c.variants and main is None:
        yield labels["variants"]
        for v in c.variants:
            yield _grades(v.grades, a.agreement.language) + labels["colon"] + v.plan
    if told.family is not None:
        yield from _family_lines(a, c, o, told.family)
    parties = (a.parties.school,) if told.family else (a.parties.school, a.parties.brigade)
    contacts = [(p.name, person) for p in parties for person in p.contacts]
    if contacts:
        yield labels["contacts"]
        for party_name, person in contacts:
            yield party_name + labels["colon"] + contact_text(person, a.agreement.language)
    if told.prep:
        yield labels["prep"]
        yield from told.prep
    if o.note:
        yield labels["cancel_reason" if o.status == "cancelled" else "note"] + o.note
    if told.family is None:
        yield labels["why"] + o.why


def _family_lines(a: Agreement, c: Commitment, o: Occurrence, kind: KindTemplate) -> Iterator[str]:
    """Where to be, when to arrive (the kind's ``arrive_minutes`` early) and what to bring."""
    labels = _LABELS[a.agreement.language]
    yield labels["where"] + place(a, c.location)
    if o.start is not None and kind.arrive_minutes:
        at = dt.datetime.combine(o.date, o.start) - dt.timedelta(minutes=kind.arrive_minutes)
        yield labels["arrive"].format(time=f"{at:%H:%M}")
    if kind.bring is not None:
        yield labels["bring"] + kind.bring.pick(a.agreement.language)


def _grades(grades: Sequence[int], language: str) -> str:
    """Grade label: ``1–2年级`` / ``Grades 1–2`` for a run, ``1、3年级`` / ``Grades 1, 3``."""
    g = sorted(set(grades))
    if len(g) > 1 and g[-1] - g[0] == len(g) - 1:
        span = f"{g[0]}–{g[-1]}"
    else:
        span = ("、" if language == "zh-CN" else ", ").join(str(n) for n in g)
    if language == "zh-CN":
        return f"{span}年级"
    return f"Grade{'s' if len(g) > 1 else ''} {span}"
