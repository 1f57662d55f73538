"""`orders-api`, an HTTP function: `POST /tenants/{id}/poll` asks for a poll right now.

Odoo's "Send Webhook Notification" action can call it when an order is confirmed, so the
order arrives in seconds; the scheduled poll stays the guarantee. The caller proves it
knows the tenant's webhook secret: the `X-Webhook-Secret` header, or (Odoo's action sends
no headers) `?token=`, the tenant's poll token (`signing.poll_token`).
"""

from __future__ import annotations

import hmac

from flask import Request

from ..config import load_settings
from ..db import connect
from ..errors import NotFoundError
from ..pubsub import POLL_TENANT, get_publisher
from ..triggers import HttpError, Router
from .secret_store import get_secret_store
from .signing import poll_token
from .tenants import get_tenant

router = Router("orders-api")


def _authorized(request: Request, tenant_id: str, secret: str) -> bool:
    header = request.headers.get("X-Webhook-Secret", "")
    token = request.args.get("token", "")
    return hmac.compare_digest(header.encode(), secret.encode()) or hmac.compare_digest(
        token.encode(), poll_token(secret, tenant_id).encode()
    )


@router.route("/health")
def health(request: Request):
    """The settings load and the database answers (the deploy's smoke step asks)."""
    db = connect(load_settings())
    try:
        db.fetchval("SELECT 1")
    finally:
        db.close()
    return {"status": "ok", "function": "orders-api"}


@router.route("/tenants/<tenant_id>/poll", methods=("POST",))
def request_poll(request: Request, tenant_id: str):
    """Publish a poll-tenant message for the tenant (202), after checking its secret."""
    settings = load_settings()
    db = connect(settings)
    try:
        try:
            tenant = get_tenant(db, tenant_id)
            secret = get_secret_store(settings).get(tenant.webhook_secret_ref)
        except NotFoundError:
            tenant, secret = None, None
    finally:
        db.close()
    # the same answer for an unknown tenant and a wrong secret: ids are not confirmed
    if tenant is None or not _authorized(request, tenant_id, secret):
        raise HttpError(401, "unknown tenant or wrong credentials")
    if not tenant.is_active:
        raise HttpError(409, "the tenant is paused")
    publisher = get_publisher(settings.gcp_project, settings.environment)
    message_id = publisher.publish(POLL_TENANT, {"reason": "api"}, connection_id=tenant_id)
    return {"connection_id": tenant_id, "message_id": message_id}, 202
