"""A small threaded HTTP server on 127.0.0.1 for the local stand-ins (OpenAI, the sink).

Subclasses implement `handle(request) -> Reply`; the server runs in a background thread,
one thread per connection, and answers HTTP/1.1 with keep-alive like the real services.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from odoo_engines.core.logging import get_logger

log = get_logger("sandbox")


class Headers(dict):
    """HTTP headers: names stored lower-cased, looked up in any case."""

    def __init__(self, items=()):
        super().__init__((str(name).lower(), value) for name, value in items)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)


@dataclass
class IncomingRequest:
    """One request as received: method, path (no query), query, headers, raw body, time."""

    method: str
    path: str
    query: str
    headers: Headers
    body: bytes
    received_at: datetime

    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass
class Reply:
    """What to answer: status, JSON-able payload (or raw bytes) and extra headers."""

    status: int = 200
    payload: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def encode(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.payload if self.payload is not None else {}).encode()


class LocalHttpServer:
    """Base of the stand-ins: `start()`, `url`, `stop()`, usable as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handle(self, request: IncomingRequest) -> Reply:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` of the running server."""
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://{self.host}:{self.port}"

    def start(self):
        """Listen (port 0 picks a free one) and serve in a daemon thread; returns self."""
        if self._httpd is not None:
            return self
        httpd = _Server((self.host, self.port), _Handler)
        httpd.owner = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() returns at once
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (the CLI)."""
        self.start()
        try:
            self._thread.join()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving and close the socket (requests still sleeping are abandoned)."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Do not wait for handler threads on close: an idle keep-alive connection of a
    # client's pool would hold stop() until the client goes away.
    block_on_close = False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "odoo-engines-sandbox"
    timeout = 60  # seconds an idle keep-alive connection keeps its thread

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = IncomingRequest(
            method=self.command,
            path=parts.path,
            query=parts.query,
            headers=Headers(self.headers.items()),
            body=body,
            received_at=datetime.now(UTC),
        )
        try:
            reply = self.server.owner.handle(request)
        except Exception:  # a stand-in bug must not hang the client: answer 500
            log.exception("sandbox_handler_failed", path=request.path)
            reply = Reply(500, {"error": {"message": "sandbox handler failed"}})
        data = reply.encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.headers.pop("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test): fine

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def log_message(self, format: str, *args) -> None:
        """Quiet: tests and the CLI read the recorded requests instead."""
