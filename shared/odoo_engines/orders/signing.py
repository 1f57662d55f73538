"""Standard Webhooks signing: secrets, stable message ids and the signed headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105  (the format's prefix, not a secret)


def new_webhook_secret() -> str:
    """A fresh Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signing_key(secret: str) -> bytes:
    """The bytes a secret signs with: `whsec_` + base64 decoded, any other secret as UTF-8.

    The seed's tenants have a UUID or an agreed string; Standard Webhooks signs with bytes,
    so those keep working and the receiver verifies with the same bytes.
    """
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
        except ValueError:
            raise ValueError("the part after whsec_ must be base64") from None
    return secret.encode()


def check_webhook_secret(secret: str) -> str:
    """The secret if it gives at least 16 bytes of key; ValueError otherwise."""
    if len(signing_key(secret)) < 16:
        raise ValueError(
            "a webhook secret needs at least 16 bytes of key (whsec_<base64>, a UUID or a "
            "string of 16+ characters)"
        )
    return secret


def webhook_id(connection_id: str, odoo_order_id: int, event: str) -> str:
    """The `webhook-id` of one event of one order: the same on every attempt, ever."""
    digest = hashlib.sha256(f"{connection_id}:{odoo_order_id}:{event}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


def signed_headers(
    secret: str, message_id: str, body: str, now: datetime | None = None
) -> dict[str, str]:
    """`webhook-id`, `webhook-timestamp` and `webhook-signature` (v1, HMAC-SHA256) for `body`."""
    # the library formats the timestamp from an aware UTC datetime; any other tz signs wrong
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(signing_key(secret)).sign(message_id, moment, body),
    }


def poll_token(secret: str, connection_id: str) -> str:
    """The token that lets a URL without headers (Odoo's webhook action) ask for a poll."""
    return hmac.new(secret.encode(), f"poll:{connection_id}".encode(), hashlib.sha256).hexdigest()
