"""Orders, read formats, writes and write_date behave as ODOO.md §3.2-§3.5 and §4 say."""

from __future__ import annotations

from datetime import datetime

import pytest

from odoo_engines_tools.sandbox.odoo.exceptions import OdooValueError, UserError

from .conftest import JsonRpc


# -- default orders -------------------------------------------------------------------------
def test_default_orders_follow_the_model_order(orm_db):
    db = orm_db()
    orders = db.search_read("sale.order", [], ["date_order"])
    assert [o["date_order"] for o in orders] == sorted(
        (o["date_order"] for o in orders), reverse=True
    )
    partners = db.search_read("res.partner", [], ["complete_name"])
    assert [p["complete_name"] for p in partners] == sorted(p["complete_name"] for p in partners)


def test_product_order_per_version(orm_db):
    db17, db19 = orm_db("17.0"), orm_db("19.0")
    favourite = db17.search("product.template", [], limit=1, order="id desc")[0]
    db17.write("product.template", [favourite], {"priority": "1"})
    rows = db17.search_read("product.product", [], ["priority", "default_code", "product_tmpl_id"])
    priorities = [r["priority"] for r in rows]
    assert priorities == sorted(priorities, reverse=True)  # 16/17: favourites first
    assert favourite in {r["product_tmpl_id"][0] for r in rows if r["priority"] == "1"}
    rows = db19.search_read("product.product", [], ["default_code", "name"])
    keys = [(r["default_code"] is False, r["default_code"] or "", r["name"]) for r in rows]
    assert keys == sorted(keys)  # 19: default_code, name (NULL codes last)


def test_ties_have_no_id_tie_break(orm_db):
    db = orm_db()
    first, second = db.create("product.template", [{"name": "zz-same"}, {"name": "zz-same"}])
    assert db.search("product.template", [("name", "=", "zz-same")]) == [first, second]
    db.write(
        "product.template", [first], {"list_price": 5.0}
    )  # an updated row moves, as in PostgreSQL
    assert db.search("product.template", [("name", "=", "zz-same")]) == [second, first]


def test_explicit_orders_and_many2one_order_by_the_comodel(orm_db):
    db = orm_db()
    assert db.search("product.product", [], order="id desc") == sorted(
        db.search("product.product", []), reverse=True
    )
    lines = db.search_read("sale.order.line", [], ["order_id"], order="order_id")
    order_rank = {oid: i for i, oid in enumerate(db.search("sale.order", []))}
    ranks = [order_rank[line["order_id"][0]] for line in lines]
    assert ranks == sorted(ranks)  # sale.order's own order: date_order desc
    with pytest.raises(UserError, match='Invalid "order"'):
        db.search("res.partner", [], order="name; drop table")
    with pytest.raises(OdooValueError, match=r"Invalid field 'nope' on model 'res\.partner'"):
        db.search("res.partner", [], order="nope asc")


# -- read formats ----------------------------------------------------------------------------
def test_read_formats(orm_db):
    db = orm_db()
    (order,) = db.search_read(
        "sale.order",
        [("state", "=", "sale")],
        [
            "partner_id",
            "date_order",
            "order_line",
            "amount_total",
            "client_order_ref",
            "note",
            "locked",
        ],
        limit=1,
    )
    pid, name = order["partner_id"]
    assert isinstance(pid, int) and name == db.display_name("res.partner", pid)
    assert len(order["date_order"]) == 19 and order["date_order"][10] == " "
    assert order["order_line"] and all(isinstance(i, int) for i in order["order_line"])
    assert isinstance(order["amount_total"], float)
    assert order["locked"] in (True, False)
    unset = db.create("res.partner", {"name": "zz-empty"})
    (partner,) = db.read(
        "res.partner", [unset], ["email", "state_id", "customer_rank", "child_ids", "is_company"]
    )
    assert partner == {
        "id": unset,
        "email": False,
        "state_id": False,
        "customer_rank": 0,
        "child_ids": [],
        "is_company": False,
    }
    (raw,) = db.read("sale.order", [order["id"]], ["partner_id"], load=None)
    assert raw["partner_id"] == pid


def test_display_names_are_formatted(orm_db):
    db = orm_db()
    ptav = db.search_read(
        "product.template.attribute.value", [], ["display_name", "name", "attribute_id"], limit=1
    )[0]
    assert ptav["display_name"] == f"{ptav['attribute_id'][1]}: {ptav['name']}"
    state = db.search_read("res.country.state", [("code", "=", "RM")], ["display_name"])[0]
    assert state["display_name"] == "Región Metropolitana de Santiago (CL)"
    variant = db.search_read(
        "product.product",
        [("default_code", "!=", False), ("product_template_attribute_value_ids", "!=", False)],
        ["display_name", "default_code", "name"],
        limit=1,
    )[0]
    assert variant["display_name"].startswith(f"[{variant['default_code']}] {variant['name']} (")


def test_read_keeps_id_order_drops_missing_and_ignores_active(orm_db):
    db = orm_db()
    archived = db.create("res.partner", {"name": "zz-old", "active": False})
    first = db.search("res.partner", [], limit=1)[0]
    rows = db.read("res.partner", [archived, 999_999, first], ["name"])
    assert [r["id"] for r in rows] == [archived, first]


def test_x2many_values_hide_archived_corecords(orm_db):
    db = orm_db()
    template = db.create("product.template", {"name": "zz-t"})
    (kept,) = db.search("product.product", [("product_tmpl_id", "=", template)])
    gone = db.create("product.product", {"product_tmpl_id": template, "active": False})
    assert db.read("product.template", [template], ["product_variant_ids"])[0][
        "product_variant_ids"
    ] == [kept]
    everything = db.read(
        "product.template", [template], ["product_variant_ids"], context={"active_test": False}
    )
    assert sorted(everything[0]["product_variant_ids"]) == [kept, gone]
    # search_read drops active_test before reading: archived co-records stay hidden (§3.5)
    found = db.search_read(
        "product.template",
        [("id", "=", template)],
        ["product_variant_ids"],
        context={"active_test": False},
    )
    assert found[0]["product_variant_ids"] == [kept]


# -- writes and write_date -------------------------------------------------------------------
def test_write_date_is_shared_per_transaction_and_printed_to_the_second(orm_db):
    db = orm_db()
    with db.transaction():
        a = db.create("res.partner", {"name": "zz-a"})
        b = db.create("res.partner", {"name": "zz-b"})
        db.write("res.partner", [a], {"email": "a@x.cl"})
    stamps = {db.tables["res.partner"][i]["write_date"] for i in (a, b)}
    (stamp,) = stamps  # one write_date for the whole transaction
    read = db.read("res.partner", [a], ["write_date"])[0]["write_date"]
    assert read == stamp.strftime("%Y-%m-%d %H:%M:%S")  # truncated, not rounded
    later = db.create("res.partner", {"name": "zz-c"})
    assert db.tables["res.partner"][later]["write_date"] > stamp


def test_a_failing_transaction_rolls_back(orm_db):
    db = orm_db()
    before = db.search_count("res.partner", [])
    with pytest.raises(OdooValueError):
        db.create("res.partner", [{"name": "zz-ok"}, {"name": "zz-bad", "nope": 1}])
    assert db.search_count("res.partner", []) == before


@pytest.mark.parametrize(
    ("version", "equal", "greater", "at_most"), [("17.0", 0, 1, 0), ("19.0", 1, 0, 1)]
)
def test_write_date_comparisons_16_18_use_microseconds_19_whole_seconds(
    orm_db, version, equal, greater, at_most
):
    db = orm_db(version)
    with db.transaction(at=datetime(2024, 5, 1, 10, 0, 0, 123456)):
        db.create("res.partner", {"name": "zz-t"})
    mine = [("name", "=", "zz-t")]
    t = "2024-05-01 10:00:00"
    assert db.search_count("res.partner", [*mine, ("write_date", "=", t)]) == equal
    assert db.search_count("res.partner", [*mine, ("write_date", ">", t)]) == greater
    assert db.search_count("res.partner", [*mine, ("write_date", "<=", t)]) == at_most
    assert db.search_count("res.partner", [*mine, ("write_date", ">=", t)]) == 1
    assert db.search_count("res.partner", [*mine, ("write_date", "in", [t])]) == equal


def test_date_only_values_on_datetimes(orm_db):
    db17, db19 = orm_db("17.0"), orm_db("19.0")
    for db in (db17, db19):
        with db.transaction(at=datetime(2024, 5, 1, 2, 0, 0)):  # 22:00 on April 30th in Santiago
            db.create("res.partner", {"name": "zz-night"})
    domain = [("name", "=", "zz-night"), ("write_date", ">=", "2024-05-01")]
    assert db17.search_count("res.partner", domain) == 1  # 16-18: midnight UTC
    assert db19.search_count("res.partner", domain) == 0  # 19: midnight in the user's timezone


def test_template_write_bumps_variants_from_17_only(orm_db):
    for version, bumped in (("16.0", False), ("17.0", True)):
        db = orm_db(version)
        with db.transaction(at=datetime(2024, 1, 1, 12, 0, 0, 5)):
            template = db.create("product.template", {"name": "zz-t"})
        with db.transaction(at=datetime(2024, 2, 1, 12, 0, 0, 5)):
            db.write("product.template", [template], {"list_price": 9990.0})
        (variant,) = db.search_read(
            "product.product", [("product_tmpl_id", "=", template)], ["write_date"]
        )
        assert (variant["write_date"] == "2024-02-01 12:00:00") is bumped


def test_variant_writes_of_template_fields_land_on_the_template(orm_db):
    db = orm_db()
    variant = db.create(
        "product.product", {"name": "zz-v", "default_code": "ZZ-1", "list_price": 100.0}
    )
    (row,) = db.read("product.product", [variant], ["product_tmpl_id", "name", "list_price"])
    db.write("product.product", [variant], {"name": "zz-v2"})
    (template,) = db.read("product.template", [row["product_tmpl_id"][0]], ["name", "default_code"])
    assert template == {"id": row["product_tmpl_id"][0], "name": "zz-v2", "default_code": "ZZ-1"}


def test_archiving_a_template_archives_its_variants(orm_db):
    db = orm_db()
    template = db.create("product.template", {"name": "zz-t"})
    db.write("product.template", [template], {"active": False})
    assert db.search_count("product.product", [("product_tmpl_id", "=", template)]) == 0
    assert (
        db.search_count(
            "product.product", [("product_tmpl_id", "=", template), ("active", "=", False)]
        )
        == 1
    )


def test_order_lines_keep_amounts_and_bump_the_order(orm_db):
    db = orm_db()
    partner = db.search("res.partner", [("customer_rank", ">", 0)], limit=1)[0]
    product = db.search_read("product.product", [("sale_ok", "=", True)], ["lst_price"], limit=1)[0]
    with db.transaction(at=datetime(2024, 3, 1, 9, 0, 0, 1)):
        order = db.create(
            "sale.order",
            {
                "partner_id": partner,
                "order_line": [
                    (0, 0, {"product_id": product["id"], "product_uom_qty": 2}),
                    (0, 0, {"display_type": "line_section", "name": "Sección"}),
                ],
            },
        )
    (read,) = db.read(
        "sale.order", [order], ["amount_untaxed", "amount_total", "name", "state", "order_line"]
    )
    assert read["amount_untaxed"] == round(2 * product["lst_price"])
    assert read["amount_total"] == read["amount_untaxed"] + round(read["amount_untaxed"] * 0.19)
    assert (
        read["name"].startswith("S") and read["state"] == "draft" and len(read["order_line"]) == 2
    )
    line = read["order_line"][0]
    with db.transaction(at=datetime(2024, 3, 2, 9, 0, 0, 1)):
        db.write("sale.order.line", [line], {"name": "just a label"})
    assert db.read("sale.order", [order], ["write_date"])[0]["write_date"] == "2024-03-01 09:00:00"
    with db.transaction(at=datetime(2024, 3, 3, 9, 0, 0, 1)):
        db.write("sale.order.line", [line], {"product_uom_qty": 3})
    after = db.read("sale.order", [order], ["write_date", "amount_untaxed"])[0]
    assert after["write_date"] == "2024-03-03 09:00:00"
    assert after["amount_untaxed"] == round(3 * product["lst_price"])


def test_confirming_resets_date_order(odoo_db, rpc):
    partner = odoo_db.search("res.partner", [], limit=1)[0]
    with odoo_db.transaction(at=datetime(2020, 1, 1)):
        quotation = odoo_db.create("sale.order", {"partner_id": partner})
    assert (
        odoo_db.read("sale.order", [quotation], ["date_order"])[0]["date_order"]
        == "2020-01-01 00:00:00"
    )
    assert rpc.result(odoo_db, "sale.order", "action_confirm", [[quotation]]) is True
    confirmed = odoo_db.read("sale.order", [quotation], ["state", "date_order"])[0]
    assert confirmed["state"] == "sale" and confirmed["date_order"] > "2020-01-01 00:00:00"


def test_create_returns_an_int_for_a_dict_and_a_list_for_a_list(odoo_db, rpc):
    one = rpc.result(odoo_db, "res.partner", "create", [{"name": "zz-one"}])
    many = rpc.result(
        odoo_db, "res.partner", "create", [[{"name": "zz-two"}, {"name": "zz-three"}]]
    )
    assert isinstance(one, int) and isinstance(many, list) and len(many) == 2


# -- field sets per version -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "model", "present", "absent"),
    [
        ("16.0", "product.template", {"detailed_type", "priority"}, {"is_storable", "is_favorite"}),
        ("18.0", "product.template", {"is_storable", "is_favorite"}, {"detailed_type", "priority"}),
        ("16.0", "sale.order", set(), {"locked"}),
        ("17.0", "sale.order", {"locked"}, set()),
        ("18.0", "res.partner", {"mobile"}, set()),
        ("saas~18.2", "res.partner", set(), {"mobile"}),
        ("19.0", "res.partner", set(), {"mobile"}),
        ("18.0", "sale.order.line", {"product_uom", "tax_id"}, {"product_uom_id", "tax_ids"}),
        ("19.0", "sale.order.line", {"product_uom_id", "tax_ids"}, {"product_uom", "tax_id"}),
        ("16.0", "res.partner", {"__last_update", "display_name"}, {"complete_name"}),
        ("17.0", "res.partner", {"complete_name"}, {"__last_update"}),
    ],
)
def test_fields_per_version(make_db, version, model, present, absent):
    db = make_db(version)
    fields = JsonRpc(db.url).result(
        db, model, "fields_get", [], {"attributes": ["type", "relation"]}
    )
    assert present <= fields.keys() and not absent & fields.keys()
    assert all("type" in info for info in fields.values())


def test_selections_per_version(make_db):
    db16, db18 = make_db("16.0"), make_db("18.0")
    states16 = JsonRpc(db16.url).result(db16, "sale.order", "fields_get", [["state"]])["state"][
        "selection"
    ]
    assert ["done", "Locked"] in states16
    types18 = JsonRpc(db18.url).result(db18, "product.template", "fields_get", [["type"]])["type"][
        "selection"
    ]
    assert [key for key, _ in types18] == ["consu", "service", "combo"]
    assert db16.search_count("sale.order", [("state", "=", "done")]) > 0
    assert db18.search_count("sale.order", [("locked", "=", True)]) > 0


def test_name_get_is_gone_in_18_and_search_count_kwarg_in_17(make_db):
    db17, db18, db16 = make_db("17.0"), make_db("18.0"), make_db("16.0")
    assert JsonRpc(db17.url).result(db17, "res.partner", "name_get", [[3]])[0][0] == 3
    error = JsonRpc(db18.url).execute_kw(db18, "res.partner", "name_get", [[3]])["error"]
    assert error["data"]["name"] == "builtins.AttributeError"
    assert JsonRpc(db16.url).result(db16, "res.partner", "search", [[]], {"count": True}) > 0
    error = JsonRpc(db17.url).execute_kw(db17, "res.partner", "search", [[]], {"count": True})[
        "error"
    ]
    assert error["data"]["name"] == "builtins.TypeError"


def test_name_search_and_context_get(odoo_db, rpc):
    found = rpc.result(odoo_db, "product.category", "name_search", ["Aceites"])
    assert found and all("Aceites" in name for _id, name in found)
    assert rpc.result(odoo_db, "res.users", "context_get", []) == {
        "lang": "es_CL",
        "tz": "America/Santiago",
        "uid": 2,
    }


def test_web_search_read_brings_related_records_inline(odoo_db, rpc, make_db):
    spec = {
        "name": {},
        "partner_id": {"fields": {"display_name": {}, "country_code": {}}},
        "order_line": {
            "fields": {"product_id": {"fields": {"default_code": {}}}, "product_uom_qty": {}}
        },
    }
    result = rpc.result(
        odoo_db, "sale.order", "web_search_read", [[("state", "=", "sale")], spec], {"limit": 2}
    )
    assert result["length"] == odoo_db.search_count("sale.order", [("state", "=", "sale")])
    order = result["records"][0]
    assert set(order["partner_id"]) == {"id", "display_name", "country_code"}
    line = next(line for line in order["order_line"] if line["product_id"])
    assert set(line) == {"id", "product_id", "product_uom_qty"} and set(line["product_id"]) == {
        "id",
        "default_code",
    }
    plain = rpc.result(odoo_db, "sale.order", "web_read", [[order["id"]], {"partner_id": {}}])
    assert plain == [{"id": order["id"], "partner_id": order["partner_id"]["id"]}]
    db16 = make_db("16.0")
    error = JsonRpc(db16.url).execute_kw(db16, "sale.order", "web_search_read", [[], spec])["error"]
    assert error["data"]["name"] == "builtins.AttributeError"
