"""Domains follow Odoo's semantics (ODOO.md §3.1, §3.5): operators, NULLs, paths, active."""

from __future__ import annotations

import pytest

from odoo_engines_tools.sandbox.odoo import DemoSpec
from odoo_engines_tools.sandbox.odoo.domain import normalize
from odoo_engines_tools.sandbox.odoo.exceptions import OdooValueError


def names(db, model, domain, **kw):
    rows = db.search_read(model, domain, ["name"], **kw)
    return {r["name"] for r in rows}


@pytest.fixture
def partners(orm_db):
    """Factory: a database with four marked partners (email set, empty string, unset)."""

    def make(version="17.0"):
        db = orm_db(version)
        db.create(
            "res.partner",
            [
                {"name": "zz-A", "email": "a@x.cl", "ref": "R1"},
                {"name": "zz-B", "email": "", "ref": "R2"},
                {"name": "zz-C", "ref": "R_3"},
                {"name": "zz-D", "email": "d@y.cl", "active": False},
            ],
        )
        return db

    return make


MARKED = [("name", "=like", "zz-%")]


def test_prefix_operators_and_implicit_and(partners):
    db = partners()
    assert names(db, "res.partner", ["|", ("name", "=", "zz-A"), ("name", "=", "zz-C")]) == {
        "zz-A",
        "zz-C",
    }
    assert names(db, "res.partner", [*MARKED, "!", ("name", "=", "zz-A")]) == {"zz-B", "zz-C"}
    assert names(
        db, "res.partner", [*MARKED, ("ref", "in", ["R1", "R2"]), ("email", "!=", False)]
    ) == {"zz-A", "zz-B"}
    nested = ["&", *MARKED, "|", "!", ("ref", "=", "R1"), ("email", "ilike", "A@X")]
    assert names(db, "res.partner", nested) == {"zz-A", "zz-B", "zz-C"}


def test_malformed_domains_raise_value_error(partners):
    db = partners()
    with pytest.raises(OdooValueError, match="syntactically not correct"):
        db.search("res.partner", ["|", ("name", "=", "x")])
    with pytest.raises(OdooValueError, match="Invalid leaf"):
        db.search("res.partner", [("name", "~", "x")])


def test_negative_operators_include_null(partners):
    db = partners()
    assert names(db, "res.partner", [*MARKED, ("email", "!=", "a@x.cl")]) == {"zz-B", "zz-C"}
    assert names(db, "res.partner", [*MARKED, ("email", "not ilike", "x.cl")]) == {"zz-B", "zz-C"}
    assert names(db, "res.partner", [*MARKED, ("email", "not in", ["a@x.cl"])]) == {"zz-B", "zz-C"}


def test_equal_false_is_null_in_17_and_also_empty_string_in_18(partners):
    db17, db18 = partners("17.0"), partners("18.0")
    assert names(db17, "res.partner", [*MARKED, ("email", "=", False)]) == {"zz-C"}
    assert names(db18, "res.partner", [*MARKED, ("email", "=", False)]) == {"zz-B", "zz-C"}
    assert names(db17, "res.partner", [*MARKED, ("email", "!=", False)]) == {"zz-A", "zz-B"}
    assert names(db18, "res.partner", [*MARKED, ("email", "!=", False)]) == {"zz-A"}


def test_in_with_false_adds_null_and_not_in_with_false_removes_it(partners):
    db = partners()
    assert names(db, "res.partner", [*MARKED, ("email", "in", ["a@x.cl", False])]) == {
        "zz-A",
        "zz-C",
    }
    assert names(db, "res.partner", [*MARKED, ("email", "not in", ["a@x.cl", False])]) == {"zz-B"}
    assert names(db, "res.partner", [*MARKED, ("email", "in", [])]) == set()
    assert names(db, "res.partner", [*MARKED, ("email", "not in", [])]) == {"zz-A", "zz-B", "zz-C"}


def test_numeric_null_matches_zero_conditions_from_18(orm_db):
    for version, expected in (("17.0", {"zz-0"}), ("18.0", {"zz-0", "zz-null"})):
        db = orm_db(version)
        rows = [
            {**db.default_row("res.partner"), "name": n, "active": True}
            for n in ("zz-0", "zz-null")
        ]
        db.insert_rows("res.partner", rows)
        db.tables["res.partner"][rows[1]["id"]]["customer_rank"] = None  # a column added later
        assert names(db, "res.partner", [*MARKED, ("customer_rank", "=", 0)]) == expected
        assert names(db, "res.partner", [*MARKED, ("customer_rank", ">=", 0)]) == expected
        assert names(db, "res.partner", [*MARKED, ("customer_rank", ">", 0)]) == set()


def test_like_family(partners):
    db = partners()
    assert names(db, "res.partner", [("name", "like", "zz-")]) == {"zz-A", "zz-B", "zz-C"}
    assert names(db, "res.partner", [("name", "ilike", "ZZ-a")]) == {"zz-A"}
    assert names(db, "res.partner", [("name", "=like", "zz-_")]) == {"zz-A", "zz-B", "zz-C"}
    assert names(db, "res.partner", [("name", "=ilike", "ZZ-C")]) == {"zz-C"}
    assert names(db, "res.partner", [*MARKED, ("ref", "like", "R_3")]) == {
        "zz-C"
    }  # _ is a wildcard
    assert names(db, "res.partner", [*MARKED, ("ref", "=like", r"R\_3")]) == {"zz-C"}


def test_optional_equality(partners):
    db = partners()
    assert names(db, "res.partner", [*MARKED, ("email", "=?", False)]) == {"zz-A", "zz-B", "zz-C"}
    assert names(db, "res.partner", [*MARKED, ("email", "=?", "a@x.cl")]) == {"zz-A"}


def test_active_test_hides_archived_unless_asked(partners):
    db = partners()
    assert "zz-D" not in names(db, "res.partner", MARKED)
    assert "zz-D" in names(db, "res.partner", [*MARKED, ("active", "in", [True, False])])
    assert names(db, "res.partner", [*MARKED, ("active", "=", False)]) == {"zz-D"}
    assert "zz-D" in names(db, "res.partner", MARKED, context={"active_test": False})


def test_dot_paths_follow_many2one(orm_db):
    db = orm_db()
    (chile,) = db.search("res.country", [("code", "=", "CL")])
    chileans = set(
        db.search("res.partner", [("country_id", "=", chile)], context={"active_test": False})
    )
    orders = db.search_read(
        "sale.order", [("partner_id.country_id.code", "=", "CL")], ["partner_id"]
    )
    everything = db.search_read("sale.order", [], ["partner_id"])
    assert orders
    assert {o["id"] for o in orders} == {
        o["id"] for o in everything if o["partner_id"][0] in chileans
    }
    quants = db.search_read(
        "stock.quant", [("location_id.usage", "=", "internal")], ["location_id"]
    )
    internal = set(db.search("stock.location", [("usage", "=", "internal")]))
    assert quants and {q["location_id"][0] for q in quants} <= internal
    assert len(quants) < db.search_count("stock.quant", [])  # some quants are in transit/customers


def test_dot_path_through_one2many(orm_db):
    db = orm_db()
    (line,) = db.search_read(
        "sale.order.line", [("product_id", "!=", False)], ["order_id", "product_id"], limit=1
    )
    orders = db.search("sale.order", [("order_line.product_id", "=", line["product_id"][0])])
    assert line["order_id"][0] in orders


def test_many2one_compared_to_a_name_searches_the_comodel(orm_db):
    db = orm_db()
    order = db.search_read("sale.order", [], ["partner_id"], limit=1)[0]
    partner_name = order["partner_id"][1]
    found = db.search("sale.order", [("partner_id", "ilike", partner_name.split()[0])])
    assert order["id"] in found


def test_child_of_includes_the_whole_subtree(orm_db):
    db = orm_db()
    (aceites,) = db.search("product.category", [("name", "=", "Aceites")])
    children = db.search("product.category", [("id", "child_of", aceites)])
    assert {db.tables["product.category"][c]["name"] for c in children} >= {
        "Aceites",
        "Aceites Vegetales",
        "Aceites Esenciales",
    }
    products = db.search(
        "product.template", [("categ_id", "child_of", aceites)], context={"active_test": False}
    )
    assert products and all(
        db.tables["product.template"][p]["categ_id"] in children for p in products
    )
    parents = db.search("product.category", [("id", "parent_of", children[-1])])
    assert aceites in parents


def test_operator_sets_per_version(orm_db):
    any_domain = [("order_line", "any", [("product_uom_qty", ">", 1)])]
    assert orm_db("17.0").search("sale.order", any_domain)
    with pytest.raises(OdooValueError, match="Invalid leaf"):
        orm_db("16.0").search("sale.order", any_domain)
    with pytest.raises(OdooValueError):
        orm_db("18.0").search("res.partner", [("name", "not =like", "zz%")])
    assert orm_db("19.0").search("res.partner", [("name", "not =like", "zz%")])


def test_limit_zero_means_all_and_offset_skips(orm_db):
    db = orm_db()
    everything = db.search("product.product", [])
    assert db.search("product.product", [], limit=0) == everything
    assert db.search("product.product", [], offset=2, limit=3) == everything[2:5]


def test_unsearchable_field_is_dropped_until_18_and_refused_in_19(orm_db):
    domain = [("sale_order_count", ">", 1000)]
    db17 = orm_db("17.0")
    assert db17.search_count("res.partner", domain) == db17.search_count("res.partner", [])
    with pytest.raises(OdooValueError, match="cannot be searched"):
        orm_db("19.0").search("res.partner", domain)


def test_last_update_exists_only_in_16_and_is_not_searchable(orm_db):
    db16 = orm_db("16.0")
    row = db16.search_read("product.product", [], ["__last_update"], limit=1)[0]
    assert len(row["__last_update"]) == 19
    assert db16.search_count(
        "product.product", [("__last_update", ">", "2999-01-01")]
    ) == db16.search_count("product.product", [])
    with pytest.raises(OdooValueError, match="Invalid field '__last_update'"):
        orm_db("17.0").search_read("product.product", [], ["__last_update"])


def test_narrowed_scans_return_what_a_full_scan_returns(orm_db):
    db = orm_db(spec=DemoSpec(products=40, months=6, orders_per_month=15))
    orders = db.search("sale.order", [], limit=5)
    line_ids = db.search("sale.order.line", [], limit=7)
    domains = [
        ("sale.order.line", [("order_id", "in", orders), ("product_uom_qty", ">", 1)]),
        ("sale.order.line", ["|", ("order_id", "=", orders[0]), ("id", "in", line_ids)]),
        ("sale.order.line", [("id", "in", line_ids), ("order_id", "in", orders)]),
        ("sale.order", [("write_date", ">=", "2000-01-01"), ("id", "in", orders)]),
    ]
    found = 0
    for model, domain in domains:
        # `!` hides every narrowing hint: the reference is a plain scan in the same order.
        reference = db.search(
            model, ["!", "!", "&", (1, "=", 1), *normalize(domain)], order="id desc"
        )
        assert db.search(model, domain, order="id desc") == reference
        assert db.search_count(model, domain) == len(reference)
        found += bool(reference)
    assert found == len(domains)
