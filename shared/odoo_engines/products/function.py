"""The `product-sync` function's handler: a Pub/Sub message → one sync run."""

from __future__ import annotations

from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..core.settings import settings_for_message
from ..core.triggers import PubSubMessage
from .runner import check_products, sync_products

log = get_logger("product_sync")


def handle_product_sync(message: PubSubMessage) -> None:
    """Modes come from the environment or the message (`{"force_full_sync": true}`)."""
    settings = settings_for_message(message.data)
    resume = bool(message.field("resume", bool))
    if settings.test_connections_only:
        failed = [c for c in check_products(settings) if not c.ok]
        if failed:  # logged as an error and acknowledged: the deploy's smoke step fails
            raise PermanentError("; ".join(f"{c.name}: {c.detail}" for c in failed))
        log.info("connections_ok")
        return
    sync_products(settings, resume=resume)
