"""Backoff grows exponentially with jitter; Retry-After is read in both forms; bodies encode."""

from datetime import UTC, datetime

import pytest

from odoo_engines.core.backoff import parse_retry_after
from odoo_engines.odoo import RetryPolicy


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


def test_request_bodies_write_datetimes_as_odoo_does():
    from datetime import date, datetime, timedelta, timezone

    from odoo_engines.odoo.transport import encode

    santiago = timezone(timedelta(hours=-4))
    body = {
        "domain": [
            ["write_date", ">=", datetime(2024, 5, 1, 10, 0, 0, 999_999)],
            ["date_order", "<", datetime(2024, 5, 1, 6, 30, tzinfo=santiago)],
            ["date", "=", date(2024, 5, 1)],
            ["name", "=", "Ñandú"],
        ]
    }
    assert encode(body).decode() == (
        '{"domain": [["write_date", ">=", "2024-05-01 10:00:00"], '
        '["date_order", "<", "2024-05-01 10:30:00"], ["date", "=", "2024-05-01"], '
        '["name", "=", "Ñandú"]]}'
    )
    with pytest.raises(TypeError):
        encode({"x": object()})
    with pytest.raises(ValueError):
        encode({"x": float("nan")})
