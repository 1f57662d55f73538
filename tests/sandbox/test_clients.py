"""Third-party Odoo clients (OdooRPC, odooly) log in and search_read over real HTTP."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import odooly
import odoorpc
import pytest


@pytest.mark.parametrize("version", ["16.0", "17.0", "saas~17.2+e", "19.0"])
def test_odoorpc_logs_in_and_search_reads(make_db, version):
    db = make_db(version)
    url = urlsplit(db.url)
    odoo = odoorpc.ODOO(url.hostname, port=url.port, timeout=10)
    odoo.login(db.name, db.login, db.api_key)
    rows = odoo.env["product.product"].search_read(
        [("sale_ok", "=", True)], ["name", "default_code"]
    )
    assert rows and {"id", "name", "default_code"} <= rows[0].keys()
    assert len(rows) == db.search_count("product.product", [("sale_ok", "=", True)])
    assert db.calls["login"] == 1 and db.calls["search_read"] == 1


def test_odoorpc_sees_errors_with_odoo_data(odoo_db):
    url = urlsplit(odoo_db.url)
    odoo = odoorpc.ODOO(url.hostname, port=url.port, timeout=10)
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        odoo.login(odoo_db.name, odoo_db.login, "wrong")
    odoo.login(odoo_db.name, odoo_db.login, odoo_db.api_key)
    with pytest.raises(odoorpc.error.RPCError) as raised:
        odoo.execute_kw("res.partner", "search_read", [[]], {"fields": ["nope"]})
    assert raised.value.info["data"]["name"] == "builtins.ValueError"


@pytest.mark.parametrize("version", ["17.0", "19.0"])
def test_odooly_logs_in_and_search_reads(make_db, version):
    db = make_db(version)
    client = odooly.Client(db.url + "/jsonrpc", db.name, db.login, db.api_key)
    rows = client.env["res.partner"].search_read(
        [("is_company", "=", True)], ["name", "country_id"]
    )
    assert rows and all(isinstance(r["country_id"], list) or r["country_id"] is False for r in rows)
    assert len(rows) == db.search_count("res.partner", [("is_company", "=", True)])


def test_odooly_web_mode_uses_the_session_and_call_kw(odoo_db):
    client = odooly.Client(odoo_db.url, odoo_db.name, odoo_db.login, odoo_db.password)
    rows = client.env["product.category"].search_read([], ["complete_name"])
    assert {r["complete_name"] for r in rows} >= {"All", "All / Ventas"}
    assert odoo_db.calls["authenticate"] == 1  # one web login, then call_kw on the cookie


def test_call_kw_without_a_session_is_session_expired(odoo_db):
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "params": {"model": "res.partner", "method": "search", "args": [[]], "kwargs": {}},
    }
    error = httpx.post(odoo_db.url + "/web/dataset/call_kw", json=body).json()["error"]
    assert error["code"] == 100 and error["message"] == "Odoo Session Expired"
    bad = {
        "jsonrpc": "2.0",
        "id": 1,
        "params": {"db": odoo_db.name, "login": "admin", "password": "no"},
    }
    error = httpx.post(odoo_db.url + "/web/session/authenticate", json=bad).json()["error"]
    assert error["data"]["name"] == "odoo.exceptions.AccessDenied"
