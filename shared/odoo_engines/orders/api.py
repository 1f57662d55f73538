"""`orders-api`, an HTTP function: `POST /tenants/{id}/poll` asks for a poll right now.

Odoo's "Send Webhook Notification" action can call it when an order is confirmed, so the
order arrives in seconds; the scheduled poll stays the guarantee. The caller proves it
knows the tenant's webhook secret: the `X-Webhook-Secret` header, or (Odoo's action sends
no headers) `?token=`, the tenant's poll token (`signing.poll_token`).

The function is public (Odoo must reach it), so a caller is checked before any work: a
malformed id is refused at once, and hashes of each tenant's credentials are kept for
CACHE_SECONDS, so a request for a known tenant touches neither the database nor Secret
Manager. The instance keeps one database connection for the lookups it does make.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from flask import Request

from ..core.db import KeptConnection, connect
from ..core.errors import NotFoundError
from ..core.publish import POLL_TENANT, get_publisher
from ..core.settings import Settings, load_settings
from ..core.triggers import HttpError, Router
from .secret_store import get_secret_store
from .signing import poll_token
from .tenants import get_tenant, is_tenant_id

CACHE_SECONDS = 60.0  # how long a rotated secret or a pause may take to reach the API
CACHE_TENANTS = 1000


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


@dataclass(frozen=True)
class _Caller:
    """What a tenant's callers must show, as hashes; both None for an unknown tenant."""

    secret: bytes | None
    token: bytes | None
    is_active: bool
    until: float

    def accepts(self, request: Request) -> bool:
        header = _digest(request.headers.get("X-Webhook-Secret", ""))
        token = _digest(request.args.get("token", ""))
        # both are set or neither (see _caller); testing both lets mypy narrow
        return (
            self.secret is not None
            and self.token is not None
            and (hmac.compare_digest(header, self.secret) | hmac.compare_digest(token, self.token))
        )


class PollApi:
    """The function's state for one instance: settings, one connection, known callers."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self._env = env
        self.database = KeptConnection(lambda: connect(self.settings))
        self._callers: OrderedDict[str, _Caller] = OrderedDict()
        self._lock = threading.Lock()
        self.router = Router("orders-api")
        self.router.route("/health")(self.health)
        self.router.route("/tenants/<tenant_id>/poll", methods=("POST",))(self.request_poll)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self._env)

    def health(self, request: Request) -> dict[str, str]:
        """The settings load and the database answers (the deploy's smoke step asks)."""
        with self.database() as db:
            db.fetchval("SELECT 1")
        return {"status": "ok", "function": "orders-api"}

    def request_poll(self, request: Request, tenant_id: str) -> tuple[dict[str, str], int]:
        """Publish a poll-tenant message for the tenant (202), after checking its secret."""
        caller = self._caller(tenant_id) if is_tenant_id(tenant_id) else None
        # the same answer for a malformed id, an unknown tenant and a wrong secret
        if caller is None or not caller.accepts(request):
            raise HttpError(401, "unknown tenant or wrong credentials")
        if not caller.is_active:
            raise HttpError(409, "the tenant is paused")
        publisher = get_publisher(self.settings.gcp_project, self.settings.environment)
        message_id = publisher.publish(POLL_TENANT, {"reason": "api"}, connection_id=tenant_id)
        return {"connection_id": tenant_id, "message_id": message_id}, 202

    def _caller(self, tenant_id: str) -> _Caller:
        now = time.monotonic()
        with self._lock:
            known = self._callers.get(tenant_id)
        if known is not None and known.until > now:
            return known
        try:
            with self.database() as db:
                tenant = get_tenant(db, tenant_id)
            secret = get_secret_store(self.settings).get(tenant.webhook_secret_ref)
            caller = _Caller(
                _digest(secret),
                _digest(poll_token(secret, tenant_id)),
                tenant.is_active,
                now + CACHE_SECONDS,
            )
        except NotFoundError:
            caller = _Caller(None, None, False, now + CACHE_SECONDS)
        with self._lock:
            self._callers[tenant_id] = caller
            self._callers.move_to_end(tenant_id)
            while len(self._callers) > CACHE_TENANTS:
                self._callers.popitem(last=False)
        return caller


def create_handler(env: Mapping[str, str] | None = None) -> Router:
    """The function's entry point: one PollApi per instance."""
    return PollApi(env).router
