"""Injected faults: 429 with Retry-After (not observed in Odoo source), 5xx, drops, latency."""

from __future__ import annotations

import time

import httpx
import pytest

VERSION = {
    "jsonrpc": "2.0",
    "id": 1,
    "params": {"service": "common", "method": "version", "args": []},
}


def call(db) -> httpx.Response:
    return httpx.post(db.url + "/jsonrpc", json=VERSION, timeout=5)


def test_429_with_retry_after_then_normal_service(odoo_db, sandbox_server):
    sandbox_server.faults.set(fail_status=429, fail_times=2, retry_after=3)
    for _ in range(2):
        response = call(odoo_db)
        assert response.status_code == 429 and response.headers["retry-after"] == "3"
    assert call(odoo_db).status_code == 200
    assert sandbox_server.faults.served == 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_have_no_json_envelope(odoo_db, sandbox_server, status):
    sandbox_server.faults.set(fail_status=status, fail_times=1)
    response = call(odoo_db)
    assert response.status_code == status and response.headers["content-type"].startswith(
        "text/html"
    )
    assert "retry-after" not in response.headers
    assert call(odoo_db).status_code == 200


def test_fail_times_zero_fails_until_cleared(odoo_db, sandbox_server):
    sandbox_server.faults.set(fail_status=503)
    assert [call(odoo_db).status_code for _ in range(3)] == [503, 503, 503]
    sandbox_server.faults.clear()
    assert call(odoo_db).status_code == 200


def test_dropped_connections(odoo_db, sandbox_server):
    sandbox_server.faults.set(drop_times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        call(odoo_db)
    assert call(odoo_db).status_code == 200


def test_latency(odoo_db, sandbox_server):
    sandbox_server.faults.set(latency=0.3)
    started = time.monotonic()
    assert call(odoo_db).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_unknown_status_is_refused(sandbox_server):
    with pytest.raises(ValueError, match="fail_status"):
        sandbox_server.faults.set(fail_status=418)
