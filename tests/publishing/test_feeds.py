"""Feeds end to end: build --feed-url, serve the folder over HTTP, subscribe as a client would.

The QR codes of subscribe.html are read from a screenshot (headless Chromium, then
zbarimg), as a phone's camera would read the printed page.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import icalendar
import pytest
from typer.testing import CliRunner
from views.test_calendar_html import browser, run_browser

from partnership.cli import app
from partnership.publishing.feeds import feed_name, feeds, stale
from partnership.records import load_records, records_path

AID = "damo-fire-2024"
EPOCH = {"SOURCE_DATE_EPOCH": "1735689600", "PARTNERSHIP_LANG": "en"}
__all__ = ["browser"]  # the fixture, shared with the 校历 page's browser tests


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files as a school's web server should send them: .ics as text/calendar."""

    extensions_map: ClassVar[dict[str, str]] = {
        ".ics": "text/calendar; charset=utf-8",
        ".html": "text/html; charset=utf-8",
    }

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A web server on 127.0.0.1 for ``tmp_path/out/feeds``; the folder and its base URL."""
    folder = tmp_path / "out" / "feeds"
    folder.mkdir(parents=True)
    handler = functools.partial(_Handler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{httpd.server_address[1]}/cal"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _build(agreement: Path, out: Path, base: str) -> None:
    result = CliRunner().invoke(
        app, ["build", str(agreement), "-o", str(out), "--feed-url", base], env=EPOCH
    )
    assert result.exit_code == 0, result.output


def _fetch(url: str) -> tuple[str, bytes]:
    """GET a feed as a calendar app does (a webcal:// link is fetched over http)."""
    url = url.replace("webcal://", "http://", 1).replace("/cal/", "/", 1)
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.headers["Content-Type"], r.read()


def test_each_audience_subscribes_to_its_own_feed(
    agreement: Path, served: tuple[Path, str], tmp_path: Path
) -> None:
    folder, base = served
    _build(agreement, tmp_path / "out", base)
    tokens = load_records(records_path(agreement)).publishing.feeds
    assert sorted(tokens) == ["brigade", "parents", "students", "teachers"]
    page = (tmp_path / "out" / AID / "subscribe.html").read_text("utf-8")
    for feed in feeds(AID, base, tokens):
        assert feed.url in page and feed.webcal in page
        kind, body = _fetch(feed.webcal)
        assert kind == "text/calendar; charset=utf-8"
        assert body == (tmp_path / "out" / AID / f"{AID}-{feed.audience}.ics").read_bytes()
        cal = icalendar.Calendar.from_ical(body)
        uids = [str(ev["UID"]) for ev in cal.walk("VEVENT")]
        assert uids and all(u.endswith(f"@{AID}") for u in uids)
    assert 'href="subscribe.html"' in (tmp_path / "out" / AID / "calendar.html").read_text("utf-8")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        feed_name(AID, a, tok) for a, tok in tokens.items()
    )


def test_the_same_tokens_on_every_build_and_a_rotation_revokes_the_old_link(
    agreement: Path, served: tuple[Path, str], tmp_path: Path
) -> None:
    _, base = served
    _build(agreement, tmp_path / "out", base)
    first = dict(load_records(records_path(agreement)).publishing.feeds)
    _build(agreement, tmp_path / "out", base)
    assert load_records(records_path(agreement)).publishing.feeds == first

    rotated = CliRunner().invoke(app, ["feeds", "rotate", str(agreement), "parents"], env=EPOCH)
    assert rotated.exit_code == 0, rotated.output
    _build(agreement, tmp_path / "out", base)
    now = load_records(records_path(agreement)).publishing.feeds
    assert now["parents"] != first["parents"] and now["teachers"] == first["teachers"]
    old = f"{base}/{feed_name(AID, 'parents', first['parents'])}"
    with pytest.raises(urllib.error.HTTPError) as gone:
        _fetch(old)
    assert gone.value.code == 404
    gone.value.close()
    assert _fetch(f"{base}/{feed_name(AID, 'parents', now['parents'])}")[1].startswith(b"BEGIN:")


def test_a_build_without_feeds_writes_no_page_and_no_token(agreement: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["build", str(agreement), "-o", str(tmp_path / "out")], env=EPOCH
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / AID / "subscribe.html").exists()
    assert not (tmp_path / "out" / "feeds").exists()
    assert "subscribe.html" not in (tmp_path / "out" / AID / "calendar.html").read_text("utf-8")
    assert load_records(records_path(agreement)).publishing.feeds == {}


def test_a_feed_url_that_is_no_web_address_is_a_usage_error(
    agreement: Path, tmp_path: Path
) -> None:
    args = ["build", str(agreement), "-o", str(tmp_path / "out"), "--feed-url", "school/cal"]
    result = CliRunner().invoke(app, args, env=EPOCH)
    assert result.exit_code == 2
    assert "--feed-url school/cal" in result.output
    assert not records_path(agreement).exists()


def test_only_this_agreements_old_feeds_are_stale() -> None:
    current = feeds("a", "https://x", {"parents": "1" * 32})
    present = [
        f"a-parents-{'1' * 32}.ics",
        f"a-parents-{'2' * 32}.ics",
        f"a-b-parents-{'3' * 32}.ics",
        "a-parents-notatoken.ics",
    ]
    assert stale("a", present, current) == [f"a-parents-{'2' * 32}.ics"]


@pytest.mark.browser
def test_a_phone_can_scan_the_codes_on_the_page(
    agreement: Path, served: tuple[Path, str], tmp_path: Path, browser: str
) -> None:
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        if os.environ.get("CI") == "true":
            pytest.fail("zbarimg not found; CI must install zbar-tools")
        pytest.skip("zbarimg not found (apt-get install zbar-tools)")
    _, base = served
    _build(agreement, tmp_path / "out", base)
    page = tmp_path / "out" / AID / "subscribe.html"
    shot = tmp_path / "page.png"
    run_browser(browser, tmp_path, f"--screenshot={shot}", "--window-size=900,3200", page.as_uri())
    done = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    scanned = set(done.stdout.split())
    tokens = load_records(records_path(agreement)).publishing.feeds
    every = feeds(AID, base, tokens)
    assert scanned == {f.url for f in every} | {f.webcal for f in every}
    for link in scanned:
        kind, body = _fetch(link)
        assert kind.startswith("text/calendar") and body.startswith(b"BEGIN:VCALENDAR\r\n")
