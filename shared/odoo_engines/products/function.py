"""The `product-sync` function's handler: a Pub/Sub message → one sync run."""

from __future__ import annotations

from ..config import settings_for_message
from ..triggers import PubSubMessage
from .runner import check_products, sync_products


def handle_product_sync(message: PubSubMessage) -> None:
    """Modes come from the environment or the message (`{"force_full_sync": true}`)."""
    settings = settings_for_message(message.data)
    resume = bool(message.field("resume", bool))
    if settings.test_connections_only:
        check_products(settings)
        return
    sync_products(settings, resume=resume)
