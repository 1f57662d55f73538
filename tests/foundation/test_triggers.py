"""Pub/Sub and HTTP wrappers: poison messages are acknowledged, transient ones retried."""

import base64
import json

import pytest
from cloudevents.http import CloudEvent
from flask import Flask, Request
from werkzeug.test import EnvironBuilder

from http_fuzz import CountingStream
from odoo_engines.core.errors import (
    ConfigError,
    ConflictError,
    InvalidValueError,
    PermanentError,
    TransientError,
)
from odoo_engines.core.triggers import HttpError, Router, json_body, pubsub_handler, require_api_key
from odoo_engines_tools.sandbox.scheduler import pubsub_event


def _raw_event(data_b64):
    return CloudEvent(
        {
            "type": "google.cloud.pubsub.topic.v1.messagePublished",
            "source": "//pubsub.googleapis.com/projects/p/topics/t",
        },
        {"message": {"data": data_b64, "attributes": {"connection_id": "abc"}, "messageId": "1"}},
    )


def test_message_data_and_attributes_are_decoded():
    seen = []
    handler = pubsub_handler(seen.append)
    handler(pubsub_event("poll-tenant", {"full": True}, {"connection_id": "abc"}))
    assert seen[0].data == {"full": True}
    assert seen[0].attributes == {"connection_id": "abc"}
    assert seen[0].topic == "poll-tenant"


def test_empty_scheduler_message_is_an_empty_dict():
    seen = []
    pubsub_handler(seen.append)(_raw_event(""))
    assert seen[0].data == {}


@pytest.mark.parametrize(
    "payload",
    ["not base64!!", base64.b64encode(b"{bad json").decode(), base64.b64encode(b"[1, 2]").decode()],
)
def test_poison_messages_are_acknowledged_without_calling(payload):
    calls = []
    pubsub_handler(calls.append)(_raw_event(payload))  # returns: acknowledged
    assert calls == []


def test_permanent_failure_is_acknowledged_transient_is_raised():
    def permanent(_m):
        raise PermanentError("unknown tenant")

    def transient(_m):
        raise TransientError("odoo down")

    pubsub_handler(permanent)(pubsub_event("t", {}))
    with pytest.raises(TransientError):
        pubsub_handler(transient)(pubsub_event("t", {}))


def _client(router):
    app = Flask("t")
    app.add_url_rule("/<path:p>", "any", lambda p: router(_request()), methods=["GET", "POST"])
    app.add_url_rule("/", "root", lambda: router(_request()), methods=["GET", "POST"])
    return app.test_client()


def _request():
    from flask import request

    return request


def _router():
    router = Router("t")

    @router.route("/items/<int:item_id>", methods=("POST",))
    def post_item(request, item_id):
        require_api_key(request, "X-Key", "right-key")
        body = json_body(request, max_bytes=100)
        if "name" not in body:
            raise HttpError(422, "name is required")
        return {"id": item_id, "name": body["name"]}, 201

    @router.route("/boom")
    def boom(request):
        raise RuntimeError("secret detail")

    @router.route("/down")
    def down(request):
        raise TransientError("llm unavailable")

    return router


def test_http_errors_are_json_with_their_status():
    c = _client(_router())
    ok = c.post("/items/5", json={"name": "x"}, headers={"X-Key": "right-key"})
    assert ok.status_code == 201 and ok.json == {"id": 5, "name": "x"}
    assert c.post("/items/5", json={"name": "x"}).status_code == 401
    assert c.post("/items/5", json={"name": "x"}, headers={"X-Key": "wrong"}).status_code == 401
    bad = c.post("/items/5", data="{oops", headers={"X-Key": "right-key"})
    assert bad.status_code == 400 and "malformed JSON" in bad.json["error"]
    big = c.post("/items/5", data="[" + "1," * 100 + "1]", headers={"X-Key": "right-key"})
    assert big.status_code == 413
    assert c.post("/items/5", json={}, headers={"X-Key": "right-key"}).status_code == 422
    assert c.post("/items/abc", json={}).status_code == 404
    assert c.get("/items/5").status_code == 405
    assert c.get("/down").status_code == 503


def test_unexpected_errors_hide_their_details():
    r = _client(_router()).get("/boom")
    assert r.status_code == 500
    assert "secret detail" not in r.get_data(as_text=True)
    assert r.json["trace_id"]


def test_transient_errors_answer_503_with_retry_after():
    r = _client(_router()).get("/down")
    assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0


def test_domain_errors_answer_their_status_with_their_details():
    """The work raises errors of the domain (core.errors), never HTTP ones: the router
    maps a conflict to 409 with its details and a refused value to 422 naming it."""
    router = Router("t")

    @router.route("/sell")
    def sell(request):
        raise ConflictError("only 5 in stock", stock=5)

    @router.route("/file")
    def file(request):
        raise InvalidValueError("not a known category", field="category")

    c = _client(router)
    conflict = c.get("/sell")
    assert conflict.status_code == 409
    assert (conflict.json["error"], conflict.json["stock"]) == ("only 5 in stock", 5)
    invalid = c.get("/file")
    assert (invalid.status_code, invalid.json["field"]) == (422, "category")


def test_a_misconfiguration_is_a_503_without_its_details():
    """A database that does not exist (3D000) or a missing setting: the caller may retry
    once the operator fixes it, and learns nothing of the configuration."""
    router = Router("t")

    @router.route("/misconfigured")
    def misconfigured(request):
        raise ConfigError('PostgreSQL refused the connection: database "secret_db" does not exist')

    r = _client(router).get("/misconfigured")
    assert r.status_code == 503 and r.headers["Retry-After"] and r.json["trace_id"]
    assert "secret_db" not in r.get_data(as_text=True)


def test_a_statement_the_database_refuses_answers_a_generic_400(db):
    router = Router("t")

    @router.route("/refused")
    def refused(request):
        db.execute("SELECT %s::text", ("a\x00b",))  # PostgreSQL text cannot hold NUL

    r = _client(router).get("/refused")
    assert r.status_code == 400 and r.json["trace_id"]
    body = r.get_data(as_text=True)
    assert "SQLSTATE" not in body and "0x00" not in body and "database" not in body


def test_a_chunked_body_is_read_no_further_than_the_limit():
    """No Content-Length: reading stops at the limit instead of after the whole body."""
    body = CountingStream(30 * 1024 * 1024)
    request = EnvironBuilder("/items/5", method="POST", headers={"X-Key": "right-key"})
    environ = request.get_environ()
    environ.pop("CONTENT_LENGTH", None)
    # what gunicorn passes for a chunked request: the body stream, terminated by the server
    environ.update({"wsgi.input": body, "wsgi.input_terminated": True,
                    "HTTP_TRANSFER_ENCODING": "chunked"})  # fmt: skip
    r = _router()(Request(environ))
    assert r.status_code == 413
    assert body.read_bytes <= 64 * 1024  # the limit is 100 bytes; one read buffer at most


def test_an_error_echoing_a_lone_surrogate_is_valid_json_not_a_500():
    """A caller's field name with a lone surrogate, echoed in a 4xx message (found by the
    HTTP fuzz on `PATCH /products/<id>`), goes out as its JSON escape."""
    router = Router("echo")

    @router.route("/echo", methods=("POST",))
    def echo(request):
        raise HttpError(422, f"unknown field(s): {json.loads(request.get_data())['name']}")

    with Flask(__name__).test_request_context(
        "/echo", method="POST", data=b'{"name": "x\\ud800y"}'
    ) as context:
        response = router(context.request)
    assert response.status_code == 422
    assert json.loads(response.get_data())["error"] == "unknown field(s): x\ud800y"
