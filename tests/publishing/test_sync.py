"""The sync plan, computed purely from the wanted objects, the records and the listing."""

from __future__ import annotations

from partnership.publishing.state import Collection, PublishedObject
from partnership.publishing.sync import (
    Listed,
    Wanted,
    is_ours,
    object_href,
    ours_listed,
    plan_steps,
    remembered,
    same_place,
)

URL = "https://cal.example/dav/fire/"
BODY = b"BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20250101T000000Z\r\nSEQUENCE:0\r\nEND:VEVENT\r\n"


def _stored(*uids: str, etag: str = '"1"', body: bytes = BODY) -> Collection:
    digest = Wanted(body).digest
    objects = {u: PublishedObject(href=object_href(URL, u), etag=etag, digest=digest) for u in uids}
    return Collection(objects=objects)


def _listed(*uids: str, etag: str = '"1"') -> dict[str, Listed]:
    return {u: Listed(f"/dav/fire/{u.replace('@', '%40')}.ics", etag) for u in uids}


def test_the_digest_ignores_dtstamp_only() -> None:
    later = BODY.replace(b"20250101T000000Z", b"20260601T120000Z")
    assert Wanted(BODY).digest == Wanted(later).digest
    assert Wanted(BODY).digest != Wanted(BODY.replace(b"SEQUENCE:0", b"SEQUENCE:1")).digest


def test_nothing_to_write_when_digest_and_etag_are_as_recorded() -> None:
    later = Wanted(BODY.replace(b"20250101", b"20260101"))
    assert plan_steps(URL, {"a@x": later}, _stored("a@x"), _listed("a@x")) == []


def test_create_update_cancel_delete() -> None:
    moved = BODY.replace(b"SEQUENCE:0", b"SEQUENCE:1")
    wanted = {
        "new@x": Wanted(BODY),
        "moved@x": Wanted(moved),
        "off@x": Wanted(moved, cancelled=True),
    }
    stored = _stored("moved@x", "off@x", "gone@x")
    steps = plan_steps(URL, wanted, stored, _listed("moved@x", "off@x", "gone@x"))
    assert [(s.kind, s.uid, s.etag) for s in steps] == [
        ("delete", "gone@x", '"1"'),
        ("update", "moved@x", '"1"'),
        ("create", "new@x", None),
        ("cancel", "off@x", '"1"'),
    ]
    assert steps[2].href == "https://cal.example/dav/fire/new%40x.ics"
    assert not any(s.conflict for s in steps)


def test_an_object_changed_on_the_server_is_a_conflict_unless_forced() -> None:
    listed = _listed("a@x", etag='"someone else"')
    (step,) = plan_steps(URL, {"a@x": Wanted(BODY)}, _stored("a@x"), listed)
    assert step.conflict and step.etag == '"someone else"'
    (forced,) = plan_steps(URL, {"a@x": Wanted(BODY)}, _stored("a@x"), listed, force=True)
    assert not forced.conflict and forced.kind == "update"
    (deletion,) = plan_steps(URL, {}, _stored("a@x"), listed)
    assert deletion.kind == "delete" and deletion.conflict


def test_an_object_the_records_do_not_know_is_taken_over() -> None:
    (step,) = plan_steps(URL, {"a@x": Wanted(BODY)}, Collection(), _listed("a@x", etag='"9"'))
    assert (step.kind, step.etag, step.conflict) == ("update", '"9"', False)
    assert step.href == "https://cal.example/dav/fire/a%40x.ics"


def test_only_this_agreements_uids_count() -> None:
    listing = {"/c/1.ics": "v@damo", "/c/2.ics": "v@other", "/c/3.ics": None, "/c/4.ics": "x@xdamo"}
    assert ours_listed(listing, "damo") == {"v@damo": "/c/1.ics"}
    assert is_ours("a.b@damo", "damo") and not is_ours("a@damo-2", "damo")


def test_records_forget_what_the_server_no_longer_holds() -> None:
    kept = remembered(_stored("a@x", "b@x"), _listed("a@x"))
    assert set(kept.objects) == {"a@x"}
    assert same_place("https://h/dav/fire/a%40x.ics", "/dav/fire/a@x.ics")
