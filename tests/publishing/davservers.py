"""Real CalDAV servers (Radicale, Xandikos) on 127.0.0.1 for the tests, and a counting proxy.

Each server runs as a subprocess on a free port, with a bounded wait for it to answer,
and is always terminated. The proxy stands between client and server: it counts the
requests by method (so a test can prove that nothing was written) and can cut the
server off in the middle of a publish.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

USER = "admin"
PASSWORD = "s3cret-pw"
WRITES = frozenset({"PUT", "DELETE", "MKCALENDAR", "MKCOL", "PROPPATCH", "POST", "MOVE", "COPY"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DavServer:
    """One server process; ``start()`` and ``stop()`` may be called again (same data, same port)."""

    def __init__(self, kind: str, root: Path) -> None:
        self.kind, self.root, self.port = kind, root, free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        root.mkdir(parents=True, exist_ok=True)
        (root / "htpasswd").write_text(f"{USER}:{PASSWORD}\n")
        # quick for tests: no delay after a failed login (Radicale)
        (root / "radicale.conf").write_text("[auth]\ndelay = 0\n")

    @property
    def home(self) -> str:
        """The URL path under which this server's test collections are made."""
        return f"/{USER}/" if self.kind == "radicale" else "/user/calendars/"

    def command(self) -> list[str]:
        if self.kind == "radicale":
            return [
                sys.executable, "-m", "radicale",
                "--config", str(self.root / "radicale.conf"),
                "--server-hosts", f"127.0.0.1:{self.port}",
                "--storage-filesystem-folder", str(self.root / "store"),
                "--auth-type", "htpasswd",
                "--auth-htpasswd-filename", str(self.root / "htpasswd"),
                "--auth-htpasswd-encryption", "plain",
                "--rights-type", "owner_only",
                "--logging-level", "warning",
            ]  # fmt: skip
        return [
            sys.executable, "-m", "xandikos", "serve",
            "-d", str(self.root / "store"), "--defaults",
            "-l", "127.0.0.1", "-p", str(self.port),
        ]  # fmt: skip

    def start(self) -> None:
        log = (self.root / "server.log").open("ab")
        self.proc = subprocess.Popen(
            self.command(), stdout=log, stderr=log, stdin=subprocess.DEVNULL
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited: {(self.root / 'server.log').read_text()}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("OPTIONS", "/")
                conn.getresponse().read()
                conn.close()
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.kind} did not answer within 30 s")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


class CountingProxy:
    """An HTTP proxy to one server that records every request and can fail in the middle.

    ``fault_after = n`` lets n writes through; the next one meets ``fault``:

    - ``"cut"``: ``on_cut`` (which stops the server), then the connection drops unanswered;
    - ``"lost"``: the server does the write, then ``on_cut`` and the answer is lost;
    - ``"stall"``: the server does the write, the answer comes after the client gave up;
    - ``"500"``: the proxy answers 500 Internal Server Error for it, and the rest.
    """

    def __init__(self, port: int) -> None:
        self.upstream = port
        self.requests: list[tuple[str, str]] = []
        self.fault_after: int | None = None
        self.fault = "cut"
        self.on_cut: Callable[[], None] = lambda: None
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return None

            def handle_one_request(self) -> None:
                try:
                    self.raw_requestline = self.rfile.readline(65537)
                    if not self.raw_requestline or not self.parse_request():
                        self.close_connection = True
                        return
                    proxy.forward(self)
                except OSError:
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def writes(self) -> list[tuple[str, str]]:
        with self._lock:
            return [r for r in self.requests if r[0] in WRITES]

    def forward(self, h: BaseHTTPRequestHandler) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        with self._lock:
            writes = sum(1 for m, _ in self.requests if m in WRITES)
            limit = self.fault_after
            fault = (
                self.fault if h.command in WRITES and limit is not None and writes >= limit else ""
            )
            if fault not in ("cut", "500"):
                self.requests.append((h.command, h.path))
        if fault == "cut":
            self.on_cut()
            h.close_connection = True
            return
        if fault == "500":
            h.send_response(500)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=30)
        try:
            headers = {k: v for k, v in h.headers.items() if k.lower() != "connection"}
            conn.request(h.command, h.path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
        except OSError:
            h.close_connection = True
            return
        finally:
            conn.close()
        if fault:
            with self._lock:
                self.fault_after = None  # one write done behind the client's back is enough
            if fault == "lost":
                self.on_cut()
            else:
                time.sleep(4)  # longer than the client waits
            h.close_connection = True
            return
        h.send_response(r.status, r.reason)
        for k, v in r.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=10)
