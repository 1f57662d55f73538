"""Wire quirks over real HTTP: a result Odoo omits, and `/jsonrpc` switched off (404)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from odoo_engines.odoo import OdooServerError
from odoo_engines.odoo.protocols import EndpointMissing


class _NoJsonRpc(BaseHTTPRequestHandler):
    """In front of a sandbox database: `/jsonrpc` answers 404, everything else passes.

    The sandbox always serves `/jsonrpc`; this stands for a server whose deprecated RPC
    services are off (ODOO.md §2.3).
    """

    upstream = ""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/jsonrpc":
            status, headers, payload = 404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>"
        else:
            keep = ("Content-Type", "Authorization", "X-Odoo-Database")
            answer = httpx.post(
                self.upstream + self.path,
                content=body,
                headers={k: self.headers[k] for k in keep if self.headers.get(k)},
            )
            status, payload = answer.status_code, answer.content
            headers = {"Content-Type": answer.headers.get("Content-Type", "application/json")}
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(payload))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def without_jsonrpc():
    servers = []

    def start(db) -> str:
        handler = type("Handler", (_NoJsonRpc,), {"upstream": db.url})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_auto_uses_json2_when_jsonrpc_answers_404(make_db, connect, without_jsonrpc):
    db = make_db("19.0")
    db.url = without_jsonrpc(db)
    client = connect(db)
    assert client.search_count("product.product", []) > 0
    assert client.protocol == "json2"
    assert str(client.version) == "19.0"


def test_forcing_jsonrpc_where_it_answers_404_is_a_clear_error(make_db, connect, without_jsonrpc):
    db = make_db("19.0")
    db.url = without_jsonrpc(db)
    with pytest.raises(OdooServerError, match="404"):
        connect(db, protocol="jsonrpc").login()


def test_rpc_services_switched_off_answer_inside_the_envelope(make_db, connect):
    """A 19 with `rpc.use_deprecated_services` off answers /jsonrpc with HTTP 200 and a
    JSON-RPC error of code 404 (Odoo's JsonRPCDispatcher for NotFound): the client
    takes it for the endpoint being gone, not for a failed call."""
    db = make_db("19.0")
    db.rpc_services = False
    with pytest.raises(EndpointMissing, match="RPC services disabled"):
        connect(db, protocol="jsonrpc").login()
    client = connect(db)  # auto: JSON-2 with the API key, as on any 19
    assert client.search_count("product.product", []) > 0 and client.protocol == "json2"


def test_a_method_returning_none_gives_none(odoo_db, connect):
    client = connect(odoo_db)
    # /web/session/destroy returns None, so Odoo leaves `result` out of the envelope.
    assert client._jsonrpc.post("/web/session/destroy", {}, what="destroy", idempotent=True) is None
