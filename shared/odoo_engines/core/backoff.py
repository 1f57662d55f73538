"""Waiting between attempts: one exponential backoff, and the `Retry-After` header.

Used by the Odoo transport (calls), the orders retry queue (webhooks) and the enrichment
writer (language-model calls), each with its own base, cap and jitter.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_delay(
    retry: int,
    base: float,
    cap: float = float("inf"),
    jitter: float = 0.0,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds before retry number `retry` (1, 2, …): `base · 2^(retry-1)`, at most `cap`,
    shortened by up to the fraction `jitter` so failures together do not retry together."""
    delay: float = min(base * 2 ** min(retry - 1, 32), cap)
    return delay * (1 - jitter * rand())


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
