"""Fixtures: real CalDAV servers (one per kind for the session), a counting proxy, collections."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from davservers import PASSWORD, USER, CountingProxy, DavServer

_names = itertools.count()


@pytest.fixture(scope="session", params=["radicale", "xandikos"])
def dav_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DavServer]:
    server = DavServer(request.param, tmp_path_factory.mktemp(request.param))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def proxy(dav_server: DavServer) -> Iterator[CountingProxy]:
    p = CountingProxy(dav_server.port)
    try:
        yield p
    finally:
        p.close()


def make_collection(port: int, home: str) -> str:
    """A new, empty calendar collection on the server; its path."""
    from caldav.davclient import DAVClient

    name = f"cal{next(_names)}"
    with DAVClient(f"http://127.0.0.1:{port}{home}", username=USER, password=PASSWORD) as client:
        client.principal().make_calendar(name=name, cal_id=name)
    return f"{home}{name}/"


@pytest.fixture
def collection(dav_server: DavServer, proxy: CountingProxy) -> str:
    """A fresh collection, as its URL through the counting proxy."""
    path = make_collection(dav_server.port, dav_server.home)
    return f"http://127.0.0.1:{proxy.port}{path}"


@pytest.fixture
def agreement(tmp_path: Path) -> Path:
    from factory import copy_example

    return copy_example(tmp_path)
