"""The orders engine's triggers: the `poll-tenant` and `webhook-retry` Pub/Sub handlers and
the `orders-api` HTTP app. Settings are read and resources opened here; the work is in
`run.py`.

Each Pub/Sub invocation reads its settings, opens its own database connection and closes
it, so the tenant's advisory lock is always released with the connection.

`orders-api`: `POST /tenants/{id}/poll` asks for a poll right now. Odoo's "Send Webhook
Notification" action can call it when an order is confirmed, so the order arrives in
seconds; the scheduled poll stays the guarantee. The caller proves it knows the tenant's
webhook secret: the `X-Webhook-Secret` header, or (Odoo's action sends no headers)
`?token=`, the tenant's poll token (`signing.poll_token`). The function is public (Odoo
must reach it), so a caller is checked before any work: a malformed id is refused at
once, and hashes of each tenant's credentials are kept for CACHE_SECONDS, so a request
for a known tenant touches neither the database nor Secret Manager. The instance keeps
its settings, one database connection and its clients.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, wraps
from typing import Any

from flask import Request

from .. import __version__
from ..core.db import Database, KeptConnection, connect
from ..core.errors import ConflictError, NotFoundError, PermanentError
from ..core.logging import get_logger
from ..core.publish import POLL_TENANT, Publisher, get_publisher
from ..core.runs import publish_continuation
from ..core.settings import Settings, load_settings
from ..core.triggers import HttpError, PubSubMessage, Router
from ..core.triggers.openapi import mount, openapi_document, route
from .run import CycleResult, OdooClients, poll_tenant, run_retries
from .secret_store import SecretStore, get_secret_store
from .settings import OrdersSettings, load_orders_settings
from .signing import poll_token
from .store import get_tenant
from .tenants import is_tenant_id

log = get_logger("orders.handlers")
_clients = OdooClients()  # kept while this instance stays warm
# One secret store per instance (and settings): its Secret Manager client keeps its channel.
_secret_store = cache(get_secret_store)


# -- Pub/Sub: poll-tenant and webhook-retry -------------------------------------------------
def poll_cycle(
    db: Database,
    orders: OrdersSettings,
    tenant_id: str,
    secrets: SecretStore,
    publisher: Publisher,
    clients: OdooClients | None = None,
) -> CycleResult:
    """One poll cycle; a cycle out of time publishes its continuation (after the tenant's
    lock is released, so the continuation is not turned away)."""
    result = poll_tenant(db, orders, tenant_id, secrets, clients=clients)
    if result.continued:
        publish_continuation(publisher, POLL_TENANT, {}, connection_id=tenant_id)
    return result


def handle_poll_tenant(message: PubSubMessage) -> None:
    """One poll cycle for the tenant named by the `connection_id` attribute.

    An Odoo outage is recorded in sync_log and acknowledged: the tenant's next scheduled
    poll is the retry. A missing or unknown tenant is logged and acknowledged.
    """
    tenant_id = message.attributes.get("connection_id", "")
    if not is_tenant_id(tenant_id):
        raise PermanentError("poll-tenant message needs a connection_id attribute (tenant id)")
    settings = load_settings()
    orders = load_orders_settings(settings=settings)
    db = connect(settings)
    try:
        poll_cycle(
            db,
            orders,
            tenant_id,
            _secret_store(orders),
            get_publisher(settings.gcp_project, settings.environment),
            clients=_clients,
        )
    finally:
        db.close()


def handle_webhook_retry(message: PubSubMessage) -> None:
    """Send the retry queue's due items (every minute; safe when two runs overlap)."""
    settings = load_settings()
    orders = load_orders_settings(settings=settings)
    db = connect(settings)
    try:
        run_retries(db, orders, _secret_store(orders))
    finally:
        db.close()


# -- HTTP: orders-api -------------------------------------------------------------------
SECRET_HEADER = "X-Webhook-Secret"  # noqa: S105 - the header's name, not a secret
CACHE_SECONDS = 60.0  # how long a rotated secret or a pause may take to reach the API
CACHE_TENANTS = 1000
UNKNOWN = "unknown tenant or wrong credentials"


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
        header = _digest(request.headers.get(SECRET_HEADER, ""))
        token = _digest(request.args.get("token", ""))
        # both are set or neither (see _caller); testing both lets mypy narrow
        return (
            self.secret is not None
            and self.token is not None
            and (hmac.compare_digest(header, self.secret) | hmac.compare_digest(token, self.token))
        )


def tenant_caller(view: Callable[..., Any]) -> Callable[..., Any]:
    """The route needs the tenant's webhook secret (header) or poll token (`?token=`);
    the view gets the checked `_Caller` after the tenant id."""

    @wraps(view)
    def checked(api: OrdersApi, request: Request, tenant_id: str) -> Any:
        caller = api.caller(tenant_id) if is_tenant_id(tenant_id) else None
        # the same answer for a malformed id, an unknown tenant and a wrong secret
        if caller is None or not caller.accepts(request):
            raise HttpError(401, UNKNOWN)
        return view(api, request, tenant_id, caller)

    return checked


class OrdersApi:
    """The function's state for one instance: settings, one connection, known callers."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self._env = env
        self.database = KeptConnection(lambda: connect(self.settings))
        self._callers: OrderedDict[str, _Caller] = OrderedDict()
        self._lock = threading.Lock()
        self.router = Router("orders-api")
        mount(self.router, self)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self._env)

    @cached_property
    def orders(self) -> OrdersSettings:
        return load_orders_settings(self._env, self.settings)

    @cached_property
    def secrets(self) -> SecretStore:
        return _secret_store(self.orders)

    @cached_property
    def publisher(self) -> Publisher:
        return get_publisher(self.settings.gcp_project, self.settings.environment)

    @route("GET", "/health", summary="Liveness and database check", public=True, errors=(503,))
    def health(self, request: Request) -> dict[str, str]:
        """The settings load and the database answers (the deploy's smoke step asks)."""
        with self.database() as db:
            db.fetchval("SELECT 1")
        return {"status": "ok", "function": "orders-api"}

    @route("GET", "/openapi.json", summary="This API as an OpenAPI 3.1 document", public=True)
    def openapi(self, request: Request) -> dict[str, Any]:
        return describe()

    @route(
        "POST",
        "/tenants/<tenant_id>/poll",
        summary="Publish a poll of the tenant now",
        description="The caller shows the tenant's webhook secret in X-Webhook-Secret, or "
        "its poll token as `?token=` (Odoo's webhook action sends no headers). A malformed "
        "id, an unknown tenant and a wrong secret get the same 401; a paused tenant a 409.",
        answer={
            "type": "object",
            "properties": {
                "connection_id": {"type": "string"},
                "message_id": {"type": "string", "description": "The poll-tenant message"},
            },
        },
        errors=(409, 503),
        status=202,
    )
    @tenant_caller
    def request_poll(self, request: Request, tenant_id: str, caller: _Caller) -> dict[str, str]:
        """Publish a poll-tenant message for the tenant (202)."""
        if not caller.is_active:
            raise ConflictError("the tenant is paused")
        message_id = self.publisher.publish(POLL_TENANT, {"reason": "api"}, connection_id=tenant_id)
        return {"connection_id": tenant_id, "message_id": message_id}

    def caller(self, tenant_id: str) -> _Caller:
        """What the tenant's callers must show: cached, else read from the database and
        the secret store."""
        now = time.monotonic()
        with self._lock:
            known = self._callers.get(tenant_id)
        if known is not None and known.until > now:
            return known
        try:
            with self.database() as db:
                tenant = get_tenant(db, tenant_id)
            secret = self.secrets.get(tenant.webhook_secret_ref)
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


def describe() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the `orders-api` function."""
    return openapi_document(
        OrdersApi,
        title="odoo-engines orders-api",
        version=__version__,
        description="Ask for a tenant's order poll now (Odoo's webhook action on a "
        "confirmed order); the scheduled poll stays the guarantee.",
        key_header=SECRET_HEADER,
    )


def create_handler(env: Mapping[str, str] | None = None) -> Router:
    """The function's entry point: one OrdersApi per instance."""
    return OrdersApi(env).router
