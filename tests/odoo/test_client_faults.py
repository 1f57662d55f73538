"""Retries against the sandbox's injected faults: 429, 5xx, dropped connections, latency."""

import time

import pytest

from odoo_engines.odoo import OdooUnavailable, RetryPolicy


@pytest.fixture
def client(odoo_db, connect):
    client = connect(odoo_db)
    client.login()
    return client


def test_429_waits_as_long_as_retry_after_says(client, sandbox_server):
    sandbox_server.faults.set(fail_status=429, fail_times=2, retry_after=0.3)
    before, start = client.calls, time.monotonic()
    assert client.search("product.product", [], limit=3)
    assert time.monotonic() - start >= 0.6
    assert client.calls - before == 3


def test_503_then_success(client, sandbox_server):
    sandbox_server.faults.set(fail_status=503, fail_times=1)
    before = client.calls
    assert client.search_count("product.product", []) > 0
    assert client.calls - before == 2


@pytest.mark.parametrize("status", [502, 504])
def test_gateway_errors_are_retried_for_reads(client, sandbox_server, status):
    sandbox_server.faults.set(fail_status=status, fail_times=2)
    assert client.search("product.product", [], limit=1)


def test_a_dropped_connection_is_retried_for_reads(client, sandbox_server):
    sandbox_server.faults.set(drop_times=2)
    before = client.calls
    assert client.search("product.product", [], limit=1)
    assert client.calls - before == 3


def test_a_write_is_not_repeated_after_a_503_or_a_dropped_connection(client, sandbox_server):
    partner = client.search("res.partner", [], limit=1)[0]
    for fault in ({"fail_status": 503, "fail_times": 1}, {"drop_times": 1}):
        sandbox_server.faults.set(**fault)
        before = client.calls
        with pytest.raises(OdooUnavailable, match=r"res\.partner\.write"):
            client.execute("res.partner", "write", [partner], {"city": "Osorno"})
        assert client.calls - before == 1


def test_a_write_refused_with_429_is_sent_again(client, sandbox_server, odoo_db):
    partner = client.search("res.partner", [], limit=1)[0]
    sandbox_server.faults.set(fail_status=429, fail_times=1, retry_after=0)
    assert client.execute("res.partner", "write", [partner], {"city": "Osorno"}) is True
    assert (
        odoo_db.search_read("res.partner", [["id", "=", partner]], ["city"])[0]["city"] == "Osorno"
    )


def test_retries_are_bounded_then_odoo_unavailable(client, sandbox_server):
    sandbox_server.faults.set(fail_status=503)
    before = client.calls
    with pytest.raises(OdooUnavailable) as err:
        client.search("product.product", [])
    assert client.calls - before == 5  # the call and max_retries=4 retries
    assert err.value.status == 503
    assert "after 5 attempts" in str(err.value)


def test_a_retry_after_beyond_the_wait_budget_fails_at_once(client, sandbox_server):
    sandbox_server.faults.set(fail_status=429, fail_times=1, retry_after=3600)
    before, start = client.calls, time.monotonic()
    with pytest.raises(OdooUnavailable) as err:
        client.search("product.product", [])
    assert time.monotonic() - start < 1
    assert client.calls - before == 1
    assert err.value.retry_after == 3600


def test_a_timeout_is_odoo_unavailable(odoo_db, connect, sandbox_server):
    retry = RetryPolicy(max_retries=1, base_delay=0.01, max_delay=0.01)
    client = connect(odoo_db, timeout=0.2, retry=retry)
    client.login()
    sandbox_server.faults.set(latency=0.5)
    start = time.monotonic()
    with pytest.raises(OdooUnavailable, match=r"no answer within 0.2s"):
        client.search("product.product", [])
    assert time.monotonic() - start < 1.5
    assert client.calls == 5  # version, authenticate, context_get, two timed-out attempts


def test_min_delay_spaces_the_calls(odoo_db, connect):
    client = connect(odoo_db, min_delay=0.15)
    start = time.monotonic()
    client.login()
    for _ in range(3):
        client.search("product.product", [], limit=1)
    assert client.calls == 6  # version, authenticate, context_get, three searches
    assert time.monotonic() - start >= 5 * 0.15
