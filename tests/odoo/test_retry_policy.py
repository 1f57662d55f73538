"""Backoff grows exponentially with jitter; Retry-After is read in both of its forms."""

from datetime import UTC, datetime

import pytest

from odoo_engines.odoo import RetryPolicy
from odoo_engines.odoo.transport import parse_retry_after


def test_backoff_doubles_within_jitter_and_is_capped():
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    for retry, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (9, 4.0)]:
        delays = {policy.backoff(retry) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, not a fixed schedule


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), (" 0.25 ", 0.25), ("0", 0.0), ("-5", 0.0), (None, None), ("", None)],
)
def test_retry_after_seconds(header, seconds):
    assert parse_retry_after(header) == seconds


def test_retry_after_http_date():
    now = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 May 2024 10:00:07 GMT", now) == 7.0
    assert parse_retry_after("Wed, 01 May 2024 09:59:00 GMT", now) == 0.0


def test_unreadable_retry_after_is_ignored():
    assert parse_retry_after("soon") is None
