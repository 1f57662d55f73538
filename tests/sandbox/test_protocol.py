"""The sandbox speaks Odoo's /jsonrpc as ODOO.md §1 describes it, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from odoo_engines_tools.sandbox.odoo import Release
from odoo_engines_tools.sandbox.odoo.exceptions import AccessDenied

from .conftest import JsonRpc


@pytest.mark.parametrize(
    ("version", "server_version", "info", "serie"),
    [
        ("16.0", "16.0", [16, 0, 0, "final", 0, ""], "16.0"),
        ("17.0+e", "17.0+e", [17, 0, 0, "final", 0, "e"], "17.0"),
        ("saas~17.2+e", "saas~17.2+e", ["saas~17", 2, 0, "final", 0, "e"], "saas~17.2"),
        ("19.0", "19.0", [19, 0, 0, "final", 0, ""], "19.0"),
    ],
)
def test_common_version_reports_the_database_release(make_db, version, server_version, info, serie):
    db = make_db(version)
    result = JsonRpc(db.url).call("common", "version")["result"]
    assert result == {
        "server_version": server_version,
        "server_version_info": info,
        "server_serie": serie,
        "protocol_version": 1,
    }


def test_release_parse_refuses_unknown_versions():
    with pytest.raises(ValueError, match="unsupported Odoo version"):
        Release.parse("15.0")
    with pytest.raises(ValueError):
        Release.parse("seventeen")


def test_version_info_route_answers_like_common_version(odoo_db, rpc):
    envelope = rpc.envelope("/web/webclient/version_info", {})
    assert envelope["result"]["server_version"] == "17.0"


def test_login_returns_uid_and_wrong_key_returns_false(odoo_db, rpc):
    assert rpc.call("common", "login", odoo_db.name, "admin", "admin") == {
        "jsonrpc": "2.0",
        "id": 1,
        "result": 2,
    }
    assert rpc.call("common", "authenticate", odoo_db.name, "admin", "admin", {})["result"] == 2
    assert rpc.call("common", "login", odoo_db.name, "admin", "wrong")["result"] is False
    assert rpc.call("common", "login", odoo_db.name, "nobody", "admin")["result"] is False


def test_request_id_is_echoed_verbatim(odoo_db, rpc):
    envelope = rpc.envelope(
        "/jsonrpc", {"service": "common", "method": "version", "args": []}, request_id="ab12"
    )
    assert envelope["id"] == "ab12"


def test_execute_kw_search_read_returns_rows(odoo_db, rpc):
    rows = rpc.result(
        odoo_db,
        "product.product",
        "search_read",
        [[["sale_ok", "=", True]]],
        {"fields": ["name", "default_code"], "limit": 5},
    )
    assert len(rows) == 5
    assert set(rows[0]) == {"id", "name", "default_code"}


def test_execute_passes_positional_arguments(odoo_db, rpc):
    envelope = rpc.call(
        "object", "execute", odoo_db.name, 2, "admin", "res.partner", "search_count", []
    )
    assert envelope["result"] == odoo_db.search_count("res.partner", [])


def test_wrong_key_on_execute_kw_is_access_denied(odoo_db, rpc):
    envelope = rpc.execute_kw(odoo_db, "res.partner", "search", [[]], key="nope")
    error = envelope["error"]
    assert error["code"] == 200 and error["message"] == "Odoo Server Error"
    assert error["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert error["data"]["message"] == "Access Denied"
    assert error["data"]["arguments"] == ["Access Denied"]
    assert set(error["data"]) == {"name", "debug", "message", "arguments", "context"}
    assert error["data"]["debug"].startswith("Traceback (most recent call last):")


def test_revoked_api_key_is_refused(odoo_db, rpc):
    assert "result" in rpc.execute_kw(odoo_db, "res.partner", "search_count", [[]])
    odoo_db.revoke_api_key()
    assert rpc.execute_kw(odoo_db, "res.partner", "search_count", [[]])["error"]["data"][
        "name"
    ] == ("odoo.exceptions.AccessDenied")
    assert rpc.call("common", "login", odoo_db.name, "admin", "admin")["result"] is False


@pytest.mark.parametrize(
    ("version", "code"), [("16.0", 200), ("18.0", 200), ("saas~18.1", 0), ("19.0", 0)]
)
def test_error_code_is_200_until_18_and_0_from_saas_18_1(make_db, version, code):
    db = make_db(version)
    error = JsonRpc(db.url).execute_kw(db, "res.partner", "search", [[]], key="bad")["error"]
    assert error["code"] == code


def test_unknown_field_is_a_value_error(odoo_db, rpc):
    error = rpc.execute_kw(
        odoo_db, "res.partner", "search_read", [[]], {"fields": ["name", "foo"]}
    )["error"]
    assert error["data"]["name"] == "builtins.ValueError"
    assert error["data"]["message"] == "Invalid field 'foo' on model 'res.partner'"


def test_unknown_field_in_domain_names_the_leaf(odoo_db, make_db, rpc):
    error = rpc.execute_kw(odoo_db, "res.partner", "search", [[["foo", "=", 1]]])["error"]
    assert error["data"]["message"] == "Invalid field res.partner.foo in leaf ('foo', '=', 1)"
    db19 = make_db("19.0")
    error = JsonRpc(db19.url).execute_kw(db19, "res.partner", "search", [[["foo", "=", 1]]])[
        "error"
    ]
    assert error["data"]["message"] == "Invalid field res.partner.foo in condition ('foo', '=', 1)"


def test_unknown_model_and_method(odoo_db, make_db, rpc):
    error = rpc.execute_kw(odoo_db, "x.nope", "search", [[]])["error"]
    assert (error["data"]["name"], error["data"]["message"]) == (
        "odoo.exceptions.UserError",
        "Object x.nope doesn't exist",
    )
    error = rpc.execute_kw(odoo_db, "res.partner", "nope", [[]])["error"]
    assert error["data"]["name"] == "builtins.AttributeError"
    assert error["data"]["message"] == "type object 'res.partner' has no attribute 'nope'"
    db18 = make_db("18.0")
    error = JsonRpc(db18.url).execute_kw(db18, "res.partner", "nope", [[]])["error"]
    assert error["data"]["message"] == "The method 'res.partner.nope' does not exist"


def test_private_methods_cannot_be_called(odoo_db, rpc):
    error = rpc.execute_kw(odoo_db, "res.partner", "_read", [[1]])["error"]
    assert error["data"]["name"] == "odoo.exceptions.AccessError"
    assert "cannot be called remotely" in error["data"]["message"]


def test_unknown_database_is_an_operational_error(odoo_db, rpc):
    envelope = rpc.call(
        "object", "execute_kw", "missing_db", 2, "admin", "res.partner", "search", [[]]
    )
    assert envelope["error"]["data"]["name"] == "psycopg2.OperationalError"
    assert "does not exist" in envelope["error"]["data"]["message"]


def test_malformed_json_is_http_400(odoo_db):
    response = httpx.post(
        odoo_db.url + "/jsonrpc", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "Invalid JSON data" in response.text
    response = httpx.post(odoo_db.url + "/jsonrpc", json=[1, 2])
    assert response.status_code == 400 and "Invalid JSON-RPC data" in response.text


def test_wrong_content_type_is_400_until_18_and_415_in_19(odoo_db, make_db):
    body = b'{"jsonrpc":"2.0","params":{"service":"common","method":"version","args":[]}}'
    response = httpx.post(
        odoo_db.url + "/jsonrpc", content=body, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400 and "is type=&#x27;json&#x27;" not in response.text
    assert "Request inferred type is compatible with ['http']" in response.text
    db19 = make_db("19.0")
    response = httpx.post(
        db19.url + "/jsonrpc", content=body, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.headers["accept"] == "application/json, application/json-rpc"


def test_unknown_paths_get_a_non_empty_html_404(odoo_db):
    response = httpx.get(odoo_db.url + "/doc/res.device.json")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html") and "Not Found" in response.text


def test_method_returning_none_omits_result(odoo_db, rpc):
    envelope = rpc.envelope("/web/session/destroy", {})
    assert "result" not in envelope and "error" not in envelope


def test_database_list_shows_what_the_listener_serves(odoo_db, sandbox_server, rpc):
    assert rpc.envelope("/web/database/list", {})["result"] == [odoo_db.name]
    main = JsonRpc(sandbox_server.url).envelope("/web/database/list", {})["result"]
    assert odoo_db.name in main


def test_calls_are_counted_per_method(odoo_db, rpc):
    rpc.result(odoo_db, "res.partner", "search_read", [[]], {"fields": ["name"], "limit": 1})
    rpc.result(odoo_db, "res.partner", "search_read", [[]], {"fields": ["name"], "limit": 1})
    rpc.result(odoo_db, "res.partner", "search_count", [[]])
    assert odoo_db.calls["search_read"] == 2 and odoo_db.calls["search_count"] == 1


def test_login_cooldown_after_five_failures(odoo_db, rpc):
    for _ in range(5):
        assert rpc.call("common", "login", odoo_db.name, "admin", "wrong")["result"] is False
    # Even the right key is refused while cooling down (Odoo: 5 failures in 60 s per address).
    assert rpc.call("common", "login", odoo_db.name, "admin", "admin")["result"] is False
    with pytest.raises(AccessDenied, match="Too many login failures"):
        odoo_db.authenticate("admin", "admin", "127.0.0.1")
    assert (
        odoo_db.authenticate("admin", "admin", "10.0.0.9") == 2
    )  # another address is not affected


def test_web_login_takes_the_password_not_the_api_key(odoo_db, rpc):
    odoo_db.api_key = "a-different-key"
    web = rpc.envelope(
        "/web/session/authenticate",
        {"db": odoo_db.name, "login": "admin", "password": "a-different-key"},
    )
    assert web["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    web = rpc.envelope(
        "/web/session/authenticate", {"db": odoo_db.name, "login": "admin", "password": "admin"}
    )
    assert web["result"]["uid"] == 2 and web["result"]["db"] == odoo_db.name
    # RPC takes only the API key: the admin has two-factor authentication on (ODOO.md §1.5).
    assert rpc.call("common", "login", odoo_db.name, "admin", "admin")["result"] is False
    assert rpc.call("common", "login", odoo_db.name, "admin", "a-different-key")["result"] == 2


@pytest.mark.parametrize("odoo_db", ["16.0", "19.0"], indirect=True)
def test_odoo_db_takes_a_version_by_indirect_parametrization(odoo_db, odoo_env, rpc):
    assert rpc.call("common", "version")["result"]["server_version"] == odoo_db.version
    assert odoo_env["ODOO_PROD_URL"] == odoo_db.url and odoo_env["ODOO_PROD_DB"] == odoo_db.name
    assert (
        rpc.call(
            "common",
            "login",
            odoo_env["ODOO_PROD_DB"],
            odoo_env["ODOO_PROD_USERNAME"],
            odoo_env["ODOO_PROD_PASSWORD"],
        )["result"]
        == 2
    )
