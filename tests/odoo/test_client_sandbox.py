"""OdooClient against the sandbox Odoo over HTTP: login, protocols, reads, auth errors."""

import io

import pytest

from odoo_engines.core.logging import configure_logging
from odoo_engines.odoo import OdooAuthError, OdooServerError, OdooVersion

PRODUCT_FIELDS = ["name", "default_code", "lst_price", "active"]


@pytest.mark.parametrize(
    ("version", "protocol"),
    [
        ("16.0", "jsonrpc"),
        ("17.0", "jsonrpc"),
        ("18.0", "jsonrpc"),
        ("saas~17.2+e", "jsonrpc"),
        ("19.0", "json2"),
    ],
)
def test_login_reads_the_version_and_picks_the_protocol(make_db, connect, version, protocol):
    db = make_db(version)
    client = connect(db)
    info = client.check()
    assert client.version == OdooVersion.parse(version)
    assert info == {
        "url": db.url,
        "db": db.name,
        "user": db.login,
        "uid": db.uid_for_login(db.login),
        "version": version,
        "protocol": protocol,
        "lang": "es_CL",  # the sandbox admin's own language
    }
    # the version, then authenticate and context_get (JSON-RPC) or context_get (JSON-2)
    assert client.calls == (2 if protocol == "json2" else 3)
    client.check()
    assert client.calls == (2 if protocol == "json2" else 3)  # all cached


def test_a_language_given_replaces_the_users_own(make_db, connect):
    """ODOO_LANG: no context_get at login, and reads come in that language."""
    db = make_db("17.0")
    template = db.search_read("product.template", [], ["id", "name"], limit=1)[0]
    with db.language("es_CL"):
        db.write("product.template", [template["id"]], {"name": "Nombre en español"})
    spanish = connect(db)  # the admin works in es_CL
    english = connect(db, lang="en_US")
    assert english.check()["lang"] == "en_US" and english.calls == 2
    read = {c.lang: c.read("product.template", [template["id"]], ["name"])[0]["name"]
            for c in (spanish, english)}  # fmt: skip
    assert read == {"es_CL": "Nombre en español", "en_US": template["name"]}


@pytest.mark.parametrize("protocol", ["jsonrpc", "json2"])
def test_both_protocols_read_what_the_database_holds(make_db, connect, protocol):
    db = make_db("19.0")
    client = connect(db, protocol=protocol)
    domain = [["sale_ok", "=", True]]
    expected = db.search_read("product.product", domain, PRODUCT_FIELDS, order="id asc")
    got = client.search_read("product.product", domain, PRODUCT_FIELDS, order="id asc")
    assert client.protocol == protocol
    assert got == expected and len(got) > 10
    ids = client.search("product.product", domain, order="id asc", limit=5)
    assert ids == [r["id"] for r in expected[:5]]
    assert client.search_count("product.product", domain) == len(expected)
    assert client.read("product.product", ids, PRODUCT_FIELDS) == expected[:5]
    assert client.fields("product.product")["lst_price"]["type"] == "float"


def test_read_keeps_the_order_drops_missing_ids_and_batches(odoo_db, connect):
    client = connect(odoo_db)
    client.read_batch = 7
    ids = client.search("product.product", [], order="id asc")[:20]
    wanted = [*reversed(ids), 999_999, *ids[:3]]
    client.fields("product.product")
    before = client.calls
    records = client.read("product.product", wanted, ["name"])
    assert [r["id"] for r in records] == list(reversed(ids))
    assert client.calls - before == 3  # 21 distinct ids, 7 per call


def test_read_of_nothing_calls_nothing(odoo_db, connect):
    client = connect(odoo_db)
    assert client.read("product.product", [], ["name"]) == []
    assert client.calls == 0


@pytest.mark.parametrize(
    ("version", "model", "field"),
    [
        ("17.0", "product.product", "__last_update"),
        ("18.0", "product.template", "detailed_type"),
        ("19.0", "res.partner", "mobile"),
    ],
)
def test_fields_this_version_lacks_are_left_out(make_db, connect, version, model, field):
    db = make_db(version)
    client = connect(db)
    first = client.search_read(model, [], ["name", field], limit=3)
    again = client.read(model, [r["id"] for r in first], ["name", field])
    assert first and again == first
    assert all(set(r) == {"id", "name"} for r in first)
    assert db.calls["fields_get"] == 1


def test_a_field_that_exists_in_16_is_asked_for(make_db, connect):
    client = connect(make_db("16.0"))
    records = client.search_read("product.product", [], ["name", "__last_update"], limit=2)
    assert all(r["__last_update"] for r in records)


def test_asking_only_for_missing_fields_does_not_read_every_field(make_db, connect):
    client = connect(make_db("19.0"))
    records = client.search_read("res.partner", [], ["mobile"], limit=2)
    assert records and all(set(r) == {"id"} for r in records)


@pytest.mark.parametrize(
    ("version", "protocol", "status"),
    [("17.0", "jsonrpc", None), ("19.0", "jsonrpc", None), ("19.0", "json2", 500)],
    ids=["envelope-code-200", "envelope-code-0", "json2-bare-body"],
)
def test_odoo_errors_are_typed_and_carry_odoos_name_and_message(
    make_db, connect, version, protocol, status
):
    client = connect(make_db(version), protocol=protocol)
    with pytest.raises(OdooServerError) as err:
        client.execute("product.product", "search_read", [["nope", "=", 1]], fields=["name"])
    assert err.value.name == "builtins.ValueError"
    assert "nope" in err.value.message
    assert err.value.status == status
    assert "product.product.search_read" in str(err.value)


def test_an_unknown_model_is_a_server_error(odoo_db, connect):
    with pytest.raises(OdooServerError) as err:
        connect(odoo_db).execute("no.such.model", "search", [])
    assert err.value.name == "odoo.exceptions.UserError"
    assert "no.such.model" in err.value.message


@pytest.mark.parametrize("version", ["17.0", "19.0"])
def test_a_wrong_key_is_an_auth_error_that_never_shows_the_key(make_db, connect, version):
    db = make_db(version)
    secret = "wrong-key-5f2b9c0d"
    out = io.StringIO()
    configure_logging("DEBUG", "json", out)
    client = connect(db, secret=secret)
    with pytest.raises(OdooAuthError) as err:
        client.check()
    assert str(err.value) == f"Odoo rejected the login for user admin on database {db.name}"
    assert "odoo_login_rejected" in out.getvalue()
    for text in (str(err.value), repr(err.value), repr(client), out.getvalue()):
        assert secret not in text


def test_a_key_revoked_mid_session_gets_one_new_login_then_an_auth_error(odoo_db, connect):
    client = connect(odoo_db)
    client.search("product.product", [], limit=1)
    odoo_db.revoke_api_key()
    before = client.calls
    with pytest.raises(OdooAuthError, match="rejected the login"):
        client.search("product.product", [], limit=1)
    assert client.calls - before == 2  # the refused call, one authenticate


def test_a_key_revoked_on_json2_is_an_auth_error(make_db, connect):
    db = make_db("19.0")
    client = connect(db)
    client.search("product.product", [], limit=1)
    db.revoke_api_key()
    with pytest.raises(OdooAuthError):
        client.search("product.product", [], limit=1)


def test_create_returns_one_id_for_one_record_on_both_protocols(make_db, connect):
    db = make_db("19.0")
    for protocol in ("jsonrpc", "json2"):
        client = connect(db, protocol=protocol)
        new_id = client.execute("res.partner", "create", {"name": f"Cliente {protocol}"})
        assert isinstance(new_id, int)
        many = client.execute("res.partner", "create", [{"name": "A"}, {"name": "B"}])
        assert len(many) == 2
        assert client.execute("res.partner", "write", [new_id], {"city": "Talca"}) is True
        assert db.search_read("res.partner", [["id", "=", new_id]], ["city"])[0]["city"] == "Talca"
