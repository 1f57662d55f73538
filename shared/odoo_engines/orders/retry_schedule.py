"""The retry queue's schedule: when a failed webhook is sent again.

Backoff is the seed's: `base · 2^attempts` (30 s, 1, 2, 4, 8 min), capped (10 min),
shortened by up to `jitter` so a burst of failures does not retry in lockstep, and never
sooner than a 429/503's Retry-After. `attempts` counts retries; after `max_attempts`
failed retries an item is FAILED and waits for an operator.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ..core.backoff import backoff_delay
from .settings import OrdersSettings


def retry_delay(
    attempts: int,
    policy: OrdersSettings,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after `attempts` retries (0 after the first send failed)."""
    delay = backoff_delay(
        attempts + 1,
        policy.retry_base_seconds,
        policy.retry_max_delay_seconds,
        policy.retry_jitter,
        rand,
    )
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def sending_time(count: int, policy: OrdersSettings) -> float:
    """The longest sending `count` webhooks may take: every one of them timing out."""
    return -(-count // policy.max_parallel) * policy.webhook_timeout
