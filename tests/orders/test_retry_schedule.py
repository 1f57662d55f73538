"""The retry schedule: the seed's backoff, capped, jittered, honouring Retry-After."""

import pytest

from odoo_engines.core.errors import ConfigError
from odoo_engines.orders.retry_schedule import retry_delay
from odoo_engines.orders.settings import OrdersSettings, load_orders_settings

NO_JITTER = OrdersSettings(retry_jitter=0.0)


def test_default_schedule_is_the_seeds():
    delays = [retry_delay(a, NO_JITTER) for a in range(7)]
    assert delays == [30, 60, 120, 240, 480, 600, 600]


def test_jitter_only_shortens_and_stays_within_its_share():
    policy = OrdersSettings(retry_jitter=0.1)
    assert retry_delay(2, policy, rand=lambda: 0.0) == 120
    assert retry_delay(2, policy, rand=lambda: 1.0) == pytest.approx(108)
    assert retry_delay(9, policy, rand=lambda: 0.5) <= 600


def test_retry_after_is_never_undercut():
    assert retry_delay(0, NO_JITTER, retry_after=90) == 90
    assert retry_delay(3, NO_JITTER, retry_after=5) == 240


def test_schedule_and_attempts_are_configurable():
    orders = load_orders_settings(
        {
            "ORDERS_RETRY_BASE_SECONDS": "10",
            "ORDERS_RETRY_MAX_DELAY_SECONDS": "35",
            "ORDERS_RETRY_MAX_ATTEMPTS": "3",
            "ORDERS_RETRY_JITTER": "0",
        }
    )
    assert [retry_delay(a, orders) for a in range(4)] == [10, 20, 35, 35]
    assert orders.retry_max_attempts == 3


def test_bad_jitter_names_the_variable():
    with pytest.raises(ConfigError, match="ORDERS_RETRY_JITTER"):
        load_orders_settings({"ORDERS_RETRY_JITTER": "2"})
