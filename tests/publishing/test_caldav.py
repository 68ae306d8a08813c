"""``partnership publish`` against real CalDAV servers (Radicale, Xandikos) on 127.0.0.1.

The collection is read back with the ``caldav`` client and compared with the plan;
a counting proxy between tool and server proves which requests were sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import icalendar
import pytest
from caldav.davclient import DAVClient
from conftest import make_collection
from davservers import PASSWORD, USER, CountingProxy, DavServer
from typer.testing import CliRunner

from partnership.cli import app
from partnership.identity import uid
from partnership.loader import load_agreement
from partnership.placement import place
from partnership.records import load_records, records_path
from partnership.schoolcalendar import SchoolCalendar

AID = "damo-fire-2024"
PARENTS = ("--audience", "parents")  # 28 events: enough, and quicker than all 76
FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone else//EN\r\nBEGIN:VEVENT\r\n"
    "UID:staff-meeting@other-calendar\r\nDTSTAMP:20240101T000000Z\r\n"
    "DTSTART;VALUE=DATE:20241010\r\nSUMMARY:教职工大会\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def publish(agreement: Path, url: str, *args: str, password: str = PASSWORD) -> Any:
    env = {"PARTNERSHIP_CALDAV_PASSWORD": password, "PARTNERSHIP_LANG": "en", "NETRC": "/none"}
    cmd = ["publish", str(agreement), "--caldav", url, "--user", USER, "--timeout", "10", *args]
    return CliRunner().invoke(app, cmd, env=env)


def cli(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def direct(url: str, server: DavServer) -> str:
    """The same collection without the proxy (reading back is not counted)."""
    return url.replace(url.split("/")[2], f"127.0.0.1:{server.port}")


def read_back(url: str) -> dict[str, dict[str, Any]]:
    """Every event in the collection, read with the caldav client's search."""
    with DAVClient(url, username=USER, password=PASSWORD) as client:
        found = client.calendar(url=url).search(event=True)
        out = {}
        for obj in found:
            cal = icalendar.Calendar.from_ical(obj.data)
            assert "METHOD" not in cal
            (ev,) = [c for c in cal.walk("VEVENT")]
            out[str(ev["UID"])] = {
                "sequence": int(ev.get("SEQUENCE", 0)),
                "status": str(ev.get("STATUS", "")),
                "date": ev.decoded("DTSTART"),
                "summary": str(ev["SUMMARY"]),
                "etag": obj.etag if hasattr(obj, "etag") else None,
                "tz": [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")],
            }
        return out


def expected(agreement: Path, audience: str | None) -> dict[str, dict[str, Any]]:
    """The plan's events of one audience: UID → SEQUENCE, STATUS and start date."""
    from partnership.audience import audience_of

    a = load_agreement(agreement)
    plan = place(a, SchoolCalendar(a), load_records(records_path(agreement)))
    out = {}
    for o in plan.occurrences:
        if audience is not None and audience not in audience_of(a, o):
            continue
        status = "TENTATIVE" if o.provisional else "CONFIRMED"
        status = "CANCELLED" if o.status == "cancelled" else status
        out[uid(o.id, AID)] = {"sequence": o.sequence, "status": status, "date": o.date}
    return out


def matches_plan(agreement: Path, url: str, audience: str | None) -> dict[str, dict[str, Any]]:
    events = read_back(url)
    ours = {k: v for k, v in events.items() if k.endswith(f"@{AID}")}
    got = {
        k: {"sequence": v["sequence"], "status": v["status"], "date": _day(v["date"])}
        for k, v in ours.items()
    }
    assert got == expected(agreement, audience)
    assert all(v["tz"] == ["Asia/Shanghai"] for v in ours.values() if not _all_day(v["date"]))
    return events


def _day(value: Any) -> Any:
    return value.date() if hasattr(value, "date") else value


def _all_day(value: Any) -> bool:
    return not hasattr(value, "hour")


def put_foreign(url: str) -> str:
    """An event of someone else in the collection; its ETag."""
    with DAVClient(url, username=USER, password=PASSWORD) as client:
        r = client.put(url + "staff-meeting.ics", FOREIGN, {"Content-Type": "text/calendar"})
        assert r.status in (201, 204)
        return str(client.request(url + "staff-meeting.ics", "HEAD").headers["ETag"])


def foreign_etag(url: str) -> str:
    with DAVClient(url, username=USER, password=PASSWORD) as client:
        return str(client.request(url + "staff-meeting.ics", "HEAD").headers["ETag"])


def stored_objects(agreement: Path, url: str) -> dict[str, str]:
    """UID → ETag as the records file has it for the collection at ``url``."""
    coll = load_records(records_path(agreement)).publishing.caldav.get(url)
    return {} if coll is None else {k: v.etag for k, v in coll.objects.items()}


def server_etags(url: str) -> dict[str, str]:
    from partnership.publishing.caldav import Server
    from partnership.publishing.sync import ours_listed

    server = Server(url, USER, PASSWORD, 10)
    try:
        listing = server.listing()
    finally:
        server.close()
    return {u: listing.etags[h] for u, h in ours_listed(listing.uids, AID).items()}


def test_publish_holds_the_plan_keeps_the_foreign_event_and_a_republish_writes_nothing(
    agreement: Path, collection: str, proxy: CountingProxy, dav_server: DavServer
) -> None:
    plain = direct(collection, dav_server)
    before = put_foreign(plain)
    result = publish(agreement, collection, *PARENTS)
    assert result.exit_code == 0, result.output
    events = matches_plan(agreement, plain, "parents")
    assert events["staff-meeting@other-calendar"]["summary"] == "教职工大会"
    assert foreign_etag(plain) == before
    assert stored_objects(agreement, collection) == server_etags(plain)
    assert {m for m, _ in proxy.writes()} == {"PUT"}
    assert all(AID in path for _, path in proxy.writes())

    proxy.requests.clear()
    again = publish(agreement, collection, *PARENTS)
    assert again.exit_code == 0, again.output
    assert proxy.writes() == []
    assert "0 created, 0 updated, 0 cancelled, 0 deleted" in again.output
    assert foreign_etag(plain) == before


def test_move_cancel_and_removal_each_write_one_object(
    agreement: Path, collection: str, proxy: CountingProxy, dav_server: DavServer
) -> None:
    plain = direct(collection, dav_server)
    before = put_foreign(plain)
    assert publish(agreement, collection, *PARENTS).exit_code == 0
    moved = "brigade-visit/2025-autumn/1"
    cli("record", str(agreement), moved, "--move", "2025-10-30")
    proxy.requests.clear()
    result = publish(agreement, collection, *PARENTS)
    assert result.exit_code == 0, result.output
    assert [m for m, _ in proxy.writes()] == ["PUT"]
    events = matches_plan(agreement, plain, "parents")
    assert events[uid(moved, AID)]["sequence"] == 1
    assert _day(events[uid(moved, AID)]["date"]).isoformat() == "2025-10-30"

    cancelled = "brigade-visit/2025-spring/1"
    cli("record", str(agreement), cancelled, "--cancel", "暴雨")
    proxy.requests.clear()
    result = publish(agreement, collection, *PARENTS)
    assert result.exit_code == 0, result.output
    assert "1 cancelled" in result.output
    assert [m for m, _ in proxy.writes()] == ["PUT"]
    events = matches_plan(agreement, plain, "parents")
    assert events[uid(cancelled, AID)]["status"] == "CANCELLED"
    assert events[uid(cancelled, AID)]["sequence"] == 1

    text = agreement.read_text("utf-8")
    cut = text.index("  - id: signing-ceremony")
    agreement.write_text(text[:cut], "utf-8")
    proxy.requests.clear()
    result = publish(agreement, collection, *PARENTS)
    assert result.exit_code == 0, result.output
    assert [m for m, _ in proxy.writes()] == ["DELETE"]
    events = matches_plan(agreement, plain, "parents")
    assert uid("signing-ceremony/once", AID) not in events
    assert foreign_etag(plain) == before
    assert stored_objects(agreement, collection) == server_etags(plain)


def test_dry_run_changes_nothing(agreement: Path, collection: str, proxy: CountingProxy) -> None:
    result = publish(agreement, collection, "--audience", "teachers", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would create" in result.output
    assert proxy.writes() == []
    assert not records_path(agreement).exists()


def test_an_object_changed_on_the_server_is_left_alone_unless_forced(
    agreement: Path, collection: str, dav_server: DavServer
) -> None:
    plain = direct(collection, dav_server)
    assert publish(agreement, collection, *PARENTS).exit_code == 0
    target = uid("fire-sports-meet/2025-autumn/1", AID)
    with DAVClient(plain, username=USER, password=PASSWORD) as client:
        obj = client.calendar(url=plain).get_event_by_uid(target)
        obj.icalendar_component["SUMMARY"] = "有人改过"
        obj.save(increase_seqno=False)
    cli("record", str(agreement), "fire-sports-meet/2025-autumn/1", "--move", "2025-11-20")
    cli("record", str(agreement), "brigade-visit/2025-autumn/1", "--move", "2025-10-30")

    result = publish(agreement, collection, *PARENTS)
    assert result.exit_code == 5, result.output
    assert "left alone" in result.output and target in result.output
    events = read_back(plain)
    assert events[target]["summary"] == "有人改过"
    assert events[uid("brigade-visit/2025-autumn/1", AID)]["sequence"] == 1

    forced = publish(agreement, collection, *PARENTS, "--force")
    assert forced.exit_code == 0, forced.output
    matches_plan(agreement, plain, "parents")
    assert read_back(plain)[target]["summary"] != "有人改过"
    assert stored_objects(agreement, collection) == server_etags(plain)


def test_a_wrong_password_is_refused_with_nothing_changed(
    agreement: Path, collection: str, proxy: CountingProxy, dav_server: DavServer
) -> None:
    if dav_server.kind != "radicale":
        pytest.skip("Xandikos serves Basic authentication over HTTPS only")
    result = publish(agreement, collection, password="wrong")
    assert result.exit_code == 4, result.output
    assert "refused" in result.output and "Traceback" not in result.output
    assert proxy.writes() == []
    assert not records_path(agreement).exists()


@pytest.mark.parametrize(
    ("kind", "fault"),
    [
        ("radicale", "cut"),  # the server stops: the 11th write never arrives
        ("xandikos", "cut"),
        ("radicale", "lost"),  # the server stops after the 11th write, before answering
        ("radicale", "stall"),  # the 11th write is done, the answer comes too late
        ("radicale", "500"),  # the server fails from the 11th write on
    ],
)
def test_a_publish_cut_off_halfway_is_finished_by_the_next_run(
    agreement: Path, tmp_path: Path, kind: str, fault: str
) -> None:
    server = DavServer(kind, tmp_path / kind)
    server.start()
    proxy = CountingProxy(server.port)
    try:
        url = f"http://127.0.0.1:{proxy.port}{make_collection(server.port, server.home)}"
        proxy.fault_after, proxy.fault, proxy.on_cut = 10, fault, server.stop
        result = publish(agreement, url, *PARENTS, "--timeout", "2")
        assert result.exit_code == 3, result.output
        why = {"cut": "cannot reach", "lost": "cannot reach", "stall": "did not answer in time"}
        assert why.get(fault, "unexpected status 500") in result.output
        assert "running the same command again" in result.output
        assert "Traceback" not in result.output
        assert len(stored_objects(agreement, url)) == 10

        if server.proc is None:
            server.start()
        proxy.fault_after = None
        stored, there = stored_objects(agreement, url), server_etags(direct(url, server))
        assert stored.items() <= there.items()  # what the records say is what the server has
        assert len(there) == 10 + (fault in ("lost", "stall"))  # plus a write never confirmed
        proxy.requests.clear()
        result = publish(agreement, url, *PARENTS)
        assert result.exit_code == 0, result.output
        assert len(proxy.writes()) == len(expected(agreement, "parents")) - 10
        matches_plan(agreement, direct(url, server), "parents")
        assert stored_objects(agreement, url) == server_etags(direct(url, server))
    finally:
        proxy.close()
        server.stop()
