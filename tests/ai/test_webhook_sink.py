"""The webhook sink records deliveries and answers as scripted."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _post(sink, payload, headers=None, timeout=5.0, path="/webhooks/orders"):
    return httpx.post(sink.url + path, json=payload, headers=headers or {}, timeout=timeout)


def test_the_sink_records_headers_body_path_and_time(webhook_sink):
    before = datetime.now(UTC)
    answer = _post(webhook_sink, {"external_id": "SO001"}, {"X-Webhook-Secret": "s3"})
    (delivery,) = webhook_sink.deliveries
    assert answer.status_code == 200
    assert delivery.path == "/webhooks/orders"
    assert delivery.method == "POST"
    assert delivery.json == {"external_id": "SO001"}
    assert json.loads(delivery.body) == {"external_id": "SO001"}
    assert delivery.headers["x-webhook-secret"] == "s3"
    assert delivery.headers["X-Webhook-Secret"] == "s3"  # any case
    assert before <= delivery.received_at <= datetime.now(UTC)
    assert delivery.status == 200


def test_scripted_answers_apply_in_order_then_200_again(webhook_sink):
    webhook_sink.respond(500, times=2)
    webhook_sink.respond(429, times=1, retry_after=3)
    answers = [_post(webhook_sink, {"n": i}) for i in range(4)]
    assert [a.status_code for a in answers] == [500, 500, 429, 200]
    assert answers[2].headers["Retry-After"] == "3"
    assert [d.status for d in webhook_sink.deliveries] == [500, 500, 429, 200]


def test_an_answer_without_times_lasts_until_reset(webhook_sink):
    webhook_sink.respond(410)
    assert [_post(webhook_sink, {}).status_code for _ in range(3)] == [410, 410, 410]
    webhook_sink.reset()
    assert webhook_sink.deliveries == []
    assert _post(webhook_sink, {}).status_code == 200


def test_a_stalled_request_times_the_client_out_but_is_recorded(webhook_sink):
    webhook_sink.stall(0.5, times=1)
    with pytest.raises(httpx.ReadTimeout):
        _post(webhook_sink, {"n": 1}, timeout=0.1)
    assert _post(webhook_sink, {"n": 2}, timeout=0.4).status_code == 200
    assert [d.json["n"] for d in webhook_sink.deliveries] == [1, 2]


def test_wait_for_blocks_until_deliveries_arrive(webhook_sink):
    timer = threading.Timer(0.1, _post, args=(webhook_sink, {"late": True}))
    timer.start()
    (delivery,) = webhook_sink.wait_for(1, timeout=5)
    timer.join()
    assert delivery.json == {"late": True}
    with pytest.raises(TimeoutError, match="got 1 deliveries, waited for 2"):
        webhook_sink.wait_for(2, timeout=0.1)


def test_concurrent_deliveries_are_all_recorded(webhook_sink):
    with httpx.Client(timeout=5) as client:
        threads = [
            threading.Thread(
                target=client.post, args=(webhook_sink.url,), kwargs={"json": {"n": i}}
            )
            for i in range(16)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(d.json["n"] for d in webhook_sink.wait_for(16)) == list(range(16))


def test_standard_webhooks_signatures_verify_and_tampering_fails(webhook_sink):
    body = json.dumps({"external_id": "SO042", "total": 19990})
    msg_id = f"msg_{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(SECRET).sign(msg_id, now, body),
        "content-type": "application/json",
    }
    httpx.post(webhook_sink.url, content=body, headers=headers, timeout=5)
    tampered = {**headers, "webhook-signature": Webhook(SECRET).sign(msg_id, now, body + " ")}
    httpx.post(webhook_sink.url, content=body, headers=tampered, timeout=5)
    good, bad = webhook_sink.deliveries
    assert good.verify(SECRET) == {"external_id": "SO042", "total": 19990}
    with pytest.raises(WebhookVerificationError):
        bad.verify(SECRET)
