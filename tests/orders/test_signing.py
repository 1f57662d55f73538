"""Standard Webhooks: secrets, stable ids, signatures any library verifies."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from odoo_engines.orders.signing import (
    check_webhook_secret,
    new_webhook_secret,
    poll_token,
    signed_headers,
    webhook_id,
)

BODY = '{"event":"order.confirmed","customer":{"name":"Juan Pérez"}}'


def test_new_secrets_are_whsec_base64_and_unique():
    first, second = new_webhook_secret(), new_webhook_secret()
    assert first.startswith("whsec_") and first != second
    assert check_webhook_secret(first) == first


@pytest.mark.parametrize("bad", ["short-secret", "whsec_not base64!", "whsec_c2hvcnQ=", ""])
def test_malformed_secrets_are_refused(bad):
    with pytest.raises(ValueError):
        check_webhook_secret(bad)


def test_signature_verifies_with_the_tenants_secret():
    secret = new_webhook_secret()
    headers = signed_headers(secret, "msg_1", BODY)
    assert Webhook(secret).verify(BODY.encode(), headers)["customer"]["name"] == "Juan Pérez"


def test_signature_fails_with_another_secret_or_body():
    secret = new_webhook_secret()
    headers = signed_headers(secret, "msg_1", BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(BODY.encode(), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("Juan", "Jose").encode(), headers)


def test_non_utc_clock_still_signs_the_true_instant():
    secret = new_webhook_secret()
    santiago = datetime.now(timezone(timedelta(hours=-3)))
    headers = signed_headers(secret, "msg_1", BODY, now=santiago)
    assert headers["webhook-timestamp"] == str(int(santiago.timestamp()))
    Webhook(secret).verify(BODY.encode(), headers)


def test_webhook_id_is_stable_per_tenant_order_and_event():
    assert webhook_id("t1", 42, "order.confirmed") == webhook_id("t1", 42, "order.confirmed")
    others = {
        webhook_id("t1", 42, "order.cancelled"),
        webhook_id("t2", 42, "order.confirmed"),
        webhook_id("t1", 43, "order.confirmed"),
    }
    assert webhook_id("t1", 42, "order.confirmed") not in others
    assert webhook_id("t1", 42, "order.confirmed").startswith("msg_")


def test_poll_token_depends_on_secret_and_tenant():
    secret = new_webhook_secret()
    assert poll_token(secret, "t1") != poll_token(secret, "t2")
    assert poll_token(secret, "t1") != poll_token(new_webhook_secret(), "t1")
    assert secret not in poll_token(secret, "t1")


def test_timestamp_is_now():
    headers = signed_headers(new_webhook_secret(), "msg_1", BODY)
    assert abs(int(headers["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 5


# The seed's tenants: a UUID4 (the seed's generator) or a string agreed with the picking app.
SEED_SECRETS = ["9b2f6c1e-3d4a-4f8b-a1c2-7e5d9f0b3a64", "stockmaster-lejuste-2024"]


@pytest.mark.parametrize("secret", SEED_SECRETS)
def test_a_seed_secret_is_accepted_and_signs_with_its_bytes(secret):
    assert check_webhook_secret(secret) == secret
    headers = signed_headers(secret, "msg_1", BODY)
    # what a receiver holding the same string verifies with: its UTF-8 bytes as the key
    assert Webhook(secret.encode()).verify(BODY.encode(), headers)["event"] == "order.confirmed"
