"""The sandbox Odoo's HTTP server: `/jsonrpc`, JSON-2 and the web routes clients touch.

Routes (ODOO.md §1, §2, §8): `POST /jsonrpc`, `/web/webclient/version_info`,
`/web/database/list`, `/web/session/authenticate` + `/web/dataset/call_kw[/…]` (cookie
session, password login), `POST /json/2/<model>/<method>` (19 and SaaS ≥ 18.4, bearer API
key), `GET /web/version` + `/json/version` (19); anything else is Odoo's HTML 404 page.

The main listener (`server.url`) serves every database; each database also gets a listener
of its own (`db.url`) that serves only it, as a dbfilter would, so requests that name no
database (`common.version`) answer that database's version. On the main listener such
requests answer the version of the most recently added database.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import socket
import threading
import time
from datetime import date, datetime
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from odoo_engines.core.logging import get_logger

from .demo_company import DemoSpec, populate
from .exceptions import AccessDenied, HttpException, OdooException
from .faults import BODIES, Faults
from .orm import Database
from .rpc import Services, call_json2, call_kw, serialize_exception
from .versions import Release

log = get_logger("sandbox_odoo")
JSON_TYPES = ("application/json", "application/json-rpc")
BEARER = re.compile(r"^bearer\s+(.+)$", re.IGNORECASE)
JSON2_PATH = re.compile(r"^/json/2/(?P<model>[^/]+)(?:/(?P<method>[^/]+))?/?$")
DEFAULT_RELEASE = Release.parse("17.0")
HTML_PAGE = (
    "<!doctype html>\n<html lang=en>\n<title>{status} {title}</title>\n"
    "<h1>{title}</h1>\n<p>{text}</p>\n"
)
NOT_FOUND_TEXT = (
    "The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again."
)
TITLES = {400: "Bad Request", 404: "Not Found", 415: "Unsupported Media Type", **BODIES}


class SandboxOdoo:
    """A local Odoo stand-in on 127.0.0.1 with in-memory databases (contract §1)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.port = port
        self.faults = Faults()
        self.databases: dict[str, Database] = {}
        self.sessions: dict[str, tuple[str, int]] = {}
        self._main: _Listener | None = None
        self._pinned: dict[str, _Listener] = {}
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> SandboxOdoo:
        """Listen in background threads (the main listener and one per database)."""
        with self._lock:
            if self._main is None:
                self._main = _Listener(self, None, self.host, self.port)
                self.port = self._main.server_address[1]
                for name in self.databases:
                    self._pin(name)
        return self

    def stop(self) -> None:
        with self._lock:
            listeners = [*self._pinned.values(), *([self._main] if self._main else [])]
            self._pinned.clear()
            self._main = None
        for listener in listeners:
            listener.close()

    def __enter__(self) -> SandboxOdoo:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._main is None:
            raise RuntimeError("the sandbox Odoo is not started")
        return f"http://{self.host}:{self.port}"

    # -- databases ---------------------------------------------------------------------------
    def add_database(
        self,
        name: str = "sandbox",
        version: str = "17.0",
        spec: DemoSpec | None = None,
        seed: int = 42,
        apps: str = "full",
    ) -> Database:
        """A new database with the demo company (login admin, password and API key admin).

        `apps="sales"`: the Sales app only (no Inventory, Purchase or Manufacturing).
        """
        if name in self.databases:
            raise ValueError(f"database {name!r} already exists")
        db = Database(name, version, apps=apps)
        populate(db, spec or DemoSpec(), seed)
        with self._lock:
            self.databases[name] = db
            if self._main is not None:
                self._pin(name)
        return db

    def drop_database(self, name: str) -> None:
        with self._lock:
            self.databases.pop(name, None)
            listener = self._pinned.pop(name, None)
            self.sessions = {k: v for k, v in self.sessions.items() if v[0] != name}
        if listener is not None:
            listener.close()

    def _pin(self, name: str) -> None:
        listener = _Listener(self, name, self.host, 0)
        self._pinned[name] = listener
        self.databases[name].url = f"http://{self.host}:{listener.server_address[1]}"

    def visible(self, pinned: str | None) -> dict[str, Database]:
        """The databases a listener serves."""
        if pinned is None:
            return dict(self.databases)
        db = self.databases.get(pinned)
        return {pinned: db} if db else {}

    def release_for(self, pinned: str | None, db_name: Any = None) -> Release:
        """The version to answer with: the named database's, else the listener's default."""
        dbs = self.visible(pinned)
        if isinstance(db_name, str) and db_name in dbs:
            return dbs[db_name].release
        if dbs:
            return list(dbs.values())[-1].release
        return DEFAULT_RELEASE


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, sandbox: SandboxOdoo, pinned: str | None, host: str, port: int):
        super().__init__((host, port), _Handler)
        self.sandbox = sandbox
        self.pinned = pinned
        self.services = Services(
            lambda: sandbox.visible(pinned), lambda: sandbox.release_for(pinned)
        )
        # A short poll interval: tests add and drop a listener per database.
        self._thread = threading.Thread(
            target=self.serve_forever, args=(0.02,), name="sandbox-odoo", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Werkzeug/3.0"
    timeout = 120
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall
    server: _Listener

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and benchmarks make thousands of requests."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    # -- plumbing ----------------------------------------------------------------------------
    @property
    def sandbox(self) -> SandboxOdoo:
        return self.server.sandbox

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = self.sandbox.faults.next()
        if fault.latency:
            time.sleep(fault.latency)
        if fault.drop:
            self._drop()
            return
        if fault.status is not None:
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            self._html(fault.status, BODIES[fault.status], headers)
            return
        try:
            self._route(urlsplit(self.path).path, body)
        except Exception:
            log.exception("sandbox_odoo_internal_error", path=self.path)
            self._html(500, "The server encountered an internal error.")

    def _route(self, path: str, body: bytes) -> None:
        verb = self.command
        if path == "/jsonrpc":
            self._json_route(path, body, self._jsonrpc)
        elif path == "/web/webclient/version_info":
            self._json_route(path, body, lambda params: self._default_release().version_dict())
        elif path == "/web/database/list":
            self._json_route(
                path, body, lambda params: sorted(self.sandbox.visible(self.server.pinned))
            )
        elif path == "/web/session/authenticate":
            self._json_route(path, body, self._authenticate)
        elif path == "/web/session/get_session_info":
            self._json_route(path, body, lambda params: self._session_info(*self._session()))
        elif path == "/web/session/destroy":
            self._json_route(path, body, self._destroy_session)
        elif path == "/web/dataset/call_kw" or path.startswith("/web/dataset/call_kw/"):
            self._json_route(path, body, self._call_kw)
        elif path.startswith("/json/2/") and verb == "POST" and self._json2_release() is not None:
            self._json2(path, body)
        elif (
            path in ("/web/version", "/json/version")
            and verb == "GET"
            and self._default_release().major >= 19
        ):
            release = self._default_release()
            self._json(
                200, {"version_info": release.version_info, "version": release.server_version}
            )
        else:
            self._html(404, NOT_FOUND_TEXT)

    def _default_release(self) -> Release:
        return self.sandbox.release_for(self.server.pinned)

    def _send(
        self, status: int, payload: bytes, content_type: str, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _json(self, status: int, data: Any, headers: dict | None = None) -> None:
        payload = json.dumps(data, ensure_ascii=False, default=_json_default).encode()
        self._send(status, payload, "application/json; charset=utf-8", headers)

    def _html(self, status: int, text: str, headers: dict | None = None) -> None:
        page = HTML_PAGE.format(status=status, title=TITLES.get(status, "Error"), text=text)
        self._send(status, page.encode(), "text/html; charset=utf-8", headers)

    def _drop(self) -> None:
        """Close the connection without answering, as a killed worker would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _mimetype(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    # -- JSON-RPC routes (type='json') -------------------------------------------------------
    def _json_route(self, path: str, body: bytes, handler) -> None:
        release = self._default_release()
        if self._mimetype() not in JSON_TYPES:
            if release.strict_content_type_415:
                self._html(
                    415,
                    "The server does not support the media type transmitted in the request.",
                    {"Accept": "application/json, application/json-rpc"},
                )
            else:
                self._html(
                    400,
                    f"Request inferred type is compatible with ['http'] but {path!r} "
                    "is type='json'.",
                )
            return
        try:
            request = json.loads(body or b"null")
        except ValueError:
            self._html(400, "Invalid JSON data")
            return
        if not isinstance(request, dict):
            self._html(400, "Invalid JSON-RPC data")
            return
        params = request.get("params") or {}
        named = _named_db(path, params, self._cookie_db()) if isinstance(params, dict) else None
        release = self.sandbox.release_for(self.server.pinned, named)
        response: dict[str, Any] = {"jsonrpc": "2.0", "id": request.get("id")}
        headers: dict[str, str] = {}
        try:
            if not isinstance(params, dict):  # Odoo calls the route with **params
                raise TypeError("argument after ** must be a mapping, not " + type(params).__name__)
            result = (
                handler(params) if path != "/web/session/authenticate" else handler(params, headers)
            )
        except Exception as exc:  # every error becomes Odoo's envelope, HTTP 200
            response["error"] = _error_envelope(exc, release)
        else:
            if result is not None:  # Odoo omits `result` when the method returns None
                response["result"] = result
        self._json(200, response, headers)

    def _jsonrpc(self, params: dict) -> Any:
        service, method, args = (
            params.get("service"),
            params.get("method"),
            params.get("args") or [],
        )
        if service == "object" or (service == "common" and method in ("login", "authenticate")):
            db = self.sandbox.visible(self.server.pinned).get(args[0]) if args else None
            if db is not None and not db.rpc_services:
                # 19 with `rpc.use_deprecated_services` off: NotFound inside the envelope
                raise HttpException(404, "Not Found")
        return self.server.services.dispatch(service, method, list(args), self.client_address[0])

    def _cookie_db(self) -> str | None:
        sid = self._session_id()
        return self.sandbox.sessions.get(sid, (None, 0))[0] if sid else None

    def _session_id(self) -> str | None:
        cookie = SimpleCookie(self.headers.get("Cookie") or "")
        return cookie["session_id"].value if "session_id" in cookie else None

    def _session(self) -> tuple[Database, int]:
        sid = self._session_id()
        name, uid = self.sandbox.sessions.get(sid, (None, 0)) if sid else (None, 0)
        db = self.sandbox.visible(self.server.pinned).get(name) if name else None
        if db is None or not uid:
            raise SessionExpired()
        return db, uid

    def _authenticate(self, params: dict, headers: dict) -> dict:
        db = self.server.services.database(params.get("db"))
        db.calls["authenticate"] += 1
        uid = db.authenticate(
            params.get("login"), params.get("password"), self.client_address[0], interactive=True
        )
        sid = secrets.token_hex(20)
        self.sandbox.sessions[sid] = (db.name, uid)
        headers["Set-Cookie"] = f"session_id={sid}; HttpOnly; Path=/; SameSite=Lax"
        return self._session_info(db, uid)

    def _destroy_session(self, params: dict) -> None:
        sid = self._session_id()
        if sid:
            self.sandbox.sessions.pop(sid, None)

    def _session_info(self, db: Database, uid: int) -> dict:
        user = db.row("res.users", uid) or {}
        return {
            "uid": uid,
            "is_system": uid == 2,
            "is_admin": uid == 2,
            "user_context": db.user_context(uid),
            "db": db.name,
            "server_version": db.release.server_version,
            "server_version_info": db.release.version_info,
            "name": db.value("res.users", user, "name") or "",
            "username": user.get("login"),
            "partner_id": user.get("partner_id"),
            "company_id": user.get("company_id"),
        }

    def _call_kw(self, params: dict) -> Any:
        db, uid = self._session()
        return call_kw(
            db,
            uid,
            params.get("model"),
            params.get("method"),
            params.get("args") or [],
            params.get("kwargs"),
        )

    # -- JSON-2 ------------------------------------------------------------------------------
    def _json2_release(self) -> Release | None:
        db = self._json2_db()
        release = db.release if db else self._default_release()
        return release if release.json2 else None

    def _json2_db(self) -> Database | None:
        dbs = self.sandbox.visible(self.server.pinned)
        name = self.headers.get("X-Odoo-Database")
        if name:
            return dbs.get(name)
        return next(iter(dbs.values())) if len(dbs) == 1 else None

    def _json2(self, path: str, body: bytes) -> None:
        match = JSON2_PATH.match(path)
        if match is None:
            self._html(404, NOT_FOUND_TEXT)
            return
        if self._mimetype() != "application/json":
            self._html(
                415,
                "The server does not support the media type transmitted in the request.",
                {"Accept": "application/json"},
            )
            return
        db = self._json2_db()
        if db is None:
            self._html(
                404, "No database is selected, use the X-Odoo-Database header or a dbfilter."
            )
            return
        try:
            result = self._json2_call(db, match["model"], match["method"], body)
        except Exception as exc:
            status = getattr(exc, "http_status", 500) if isinstance(exc, OdooException) else 500
            headers = {"WWW-Authenticate": "bearer"} if status == 401 else {}
            self._json(status, serialize_exception(exc, db.release), headers)
        else:
            self._json(200, result)

    def _json2_call(self, db: Database, model: str, method: str | None, body: bytes) -> Any:
        header = self.headers.get("Authorization") or ""
        bearer = BEARER.match(header.strip())
        if bearer is None:
            raise HttpException(
                401, "User not authenticated, use an API Key with a Bearer Authorization header."
            )
        try:
            db.check_credentials(2, bearer.group(1).strip())
        except AccessDenied:
            raise HttpException(401, "Invalid apikey") from None
        if method is None:
            raise HttpException(404, "Did you mean POST /json/2/<model>/<method>?")
        try:
            params = json.loads(body)
        except ValueError as exc:
            raise HttpException(400, f"could not parse the body as json: {exc}") from None
        if not isinstance(params, dict):
            raise HttpException(422, "the request body must be a JSON object of named arguments")
        return call_json2(db, 2, model, method, params)


class SessionExpired(OdooException):
    """No valid session cookie on a `/web/dataset/call_kw` request."""

    name = "odoo.http.SessionExpiredException"
    http_status = 403

    def __init__(self) -> None:
        super().__init__("Session expired")


def _error_envelope(exc: BaseException, release: Release) -> dict:
    """Odoo's JSON-RPC `error` member (code 200, or 0 from saas-18.1; 100 session expired)."""
    if isinstance(exc, SessionExpired):
        code, message = 100, "Odoo Session Expired"
    elif isinstance(exc, HttpException) and exc.http_status == 404:
        code, message = 404, "404: Not Found"  # Odoo's JsonRPCDispatcher for NotFound
    else:
        code, message = release.error_code, "Odoo Server Error"
    return {"code": code, "message": message, "data": serialize_exception(exc, release)}


def _named_db(path: str, params: dict, cookie_db: str | None) -> Any:
    """The database a JSON-RPC request names, to answer with its version."""
    if path == "/jsonrpc":
        args = params.get("args") or []
        return args[0] if params.get("service") in ("object", "common") and args else None
    if path == "/web/session/authenticate":
        return params.get("db")
    return cookie_db


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bytes):
        return value.decode()
    return str(value)
