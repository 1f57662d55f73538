"""Event functions receive Pub/Sub push requests, as Terraform's subscriptions send them.

Cloud Functions serves a function deployed without an event trigger with the `http`
signature; pubsub_handler takes the push request there, answers 204 to acknowledge and
500 to have Pub/Sub retry (then dead-letter) it. Under the `cloudevent` signature the
functions-framework converts the same request into a CloudEvent.
"""

import base64
import json

import functions_framework
import pytest

MAIN = """
import json
import os

import functions_framework
from odoo_engines.core.errors import PermanentError, TransientError
from odoo_engines.core.triggers import pubsub_handler


def handle(message):
    outcome = message.data.get("outcome")
    if outcome == "transient":
        raise TransientError("Odoo did not answer")
    if outcome == "permanent":
        raise PermanentError("unknown tenant")
    with open(os.environ["PUSH_LOG"], "a") as log:
        seen = [message.data, message.attributes, message.message_id, message.topic]
        log.write(json.dumps(seen) + "\\n")


receive = functions_framework.cloud_event(pubsub_handler(handle))
"""
PATH = "/projects/demo-project/topics/poll-tenant"


def _push_body(data: dict | bytes, message_id: str = "m-1") -> dict:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return {
        "message": {
            "data": base64.b64encode(raw).decode(),
            "attributes": {"connection_id": "7"},
            "messageId": message_id,
            "message_id": message_id,
            "publishTime": "2025-01-01T00:00:00Z",
        },
        "subscription": "projects/demo-project/subscriptions/poll-tenant-push",
    }


@pytest.fixture
def function(tmp_path, monkeypatch):
    source = tmp_path / "main.py"
    source.write_text(MAIN)
    log = tmp_path / "push.log"
    monkeypatch.setenv("PUSH_LOG", str(log))

    def client(signature: str):
        app = functions_framework.create_app("receive", str(source), signature)
        return app.test_client()

    def seen() -> list:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return client, seen


def test_a_push_request_reaches_the_handler_and_is_acknowledged(function):
    client, seen = function
    response = client("http").post(PATH, json=_push_body({"full": True}))
    assert response.status_code == 204
    assert seen() == [[{"full": True}, {"connection_id": "7"}, "m-1", "poll-tenant"]]


def test_a_transient_failure_answers_500_so_pubsub_retries(function):
    client, seen = function
    response = client("http").post(PATH, json=_push_body({"outcome": "transient"}))
    assert response.status_code == 500
    assert seen() == []


@pytest.mark.parametrize(
    "body",
    [
        _push_body({"outcome": "permanent"}),
        _push_body(b"{not json"),
        {"subscription": "projects/demo-project/subscriptions/s"},
    ],
    ids=["permanent-error", "bad-json", "no-message"],
)
def test_a_message_that_can_never_succeed_is_acknowledged(function, body):
    client, seen = function
    assert client("http").post(PATH, json=body).status_code == 204
    assert seen() == []


def test_the_cloudevent_signature_takes_the_same_push_request(function):
    client, seen = function
    response = client("cloudevent").post(PATH, json=_push_body({"n": 1}, message_id="m-2"))
    assert response.status_code == 200
    assert seen() == [[{"n": 1}, {"connection_id": "7"}, "m-2", "poll-tenant"]]
