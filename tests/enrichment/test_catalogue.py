"""`odoo-engines enrich --missing`: synced catalogue products without a description are
described once, a person's text is kept, and `--write-back` fills only empty Odoo fields.

`_catalogue` writes rows of the products engine's table, the columns the batch reads.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from odoo_engines.enrichment import store
from odoo_engines_tools.cli import cli


def _catalogue(db, rows):
    db.copy_rows(
        "products", ("odoo_id", "sku", "name", "description", "category_name", "is_active"), rows
    )


def _enrich(env, *args):
    result = CliRunner().invoke(cli, ["enrich", *args], env=env, catch_exceptions=False)
    return result


def _enriched(db):
    return {
        r["odoo_id"]: r
        for r in db.rows("SELECT * FROM enriched_products WHERE origin = 'odoo' ORDER BY odoo_id")
    }


ROWS = [
    (1, "OIL-1", "Aceite de coco orgánico", "", "All / Aceites naturales", True),
    (2, "OIL-2", "Aceite de oliva extra virgen", None, "All / Aceites naturales", True),
    (3, "TEA-1", "Té verde", "Ya descrito en Odoo.", "All / Infusiones", True),
    (4, "OLD-1", "Producto archivado", "", "All", False),
    (5, "HON-1", "Miel de ulmo", "  ", "All / Mieles", True),
]


def test_describes_only_active_products_without_description_once(db, base_env):
    _catalogue(db, ROWS)
    first = _enrich(base_env, "--missing")
    assert first.exit_code == 0, first.output
    assert "3 product(s) without a description: 3 described" in first.output
    enriched = _enriched(db)
    assert sorted(enriched) == [1, 2, 5]
    row = enriched[1]
    assert row["description"] and row["description_source"] == "ai"
    assert row["description_provenance"]["provider"] == "offline"
    assert row["category"] == "All / Aceites naturales" and row["category_source"] == "odoo"
    assert row["sku"] == "OIL-1" and row["stock"] is None
    again = _enrich(base_env, "--missing")
    assert "0 described" in again.output and "3 unchanged" in again.output
    assert _enriched(db)[1]["description"] == row["description"]


def test_a_person_edited_description_is_never_overwritten(db, base_env):
    _catalogue(db, ROWS)
    _enrich(base_env, "--missing")
    store.set_human_description(db, _enriched(db)[1]["id"], "Texto de una persona.")
    # both inputs change: the AI text is regenerated, the person's is kept
    db.execute("UPDATE products SET name = name || ' 1 L' WHERE odoo_id IN (1, 2)")
    result = _enrich(base_env, "--missing")
    assert "1 described" in result.output and "1 kept as a person wrote them" in result.output
    enriched = _enriched(db)
    assert enriched[1]["description"] == "Texto de una persona."
    assert enriched[1]["description_source"] == "human"
    assert "1 L" in enriched[2]["name"]


def test_limit_bounds_the_batch(db, base_env):
    _catalogue(db, ROWS)
    result = _enrich(base_env, "--missing", "--limit", "2")
    assert "2 product(s) without a description: 2 described" in result.output
    assert sorted(_enriched(db)) == [1, 2]


def test_without_missing_flag_or_synced_products_it_says_what_to_do(db, base_env):
    assert "--missing" in _enrich(base_env).output
    result = CliRunner().invoke(cli, ["enrich", "--missing"], env=base_env)
    assert result.exit_code != 0
    assert "no products synced yet" in str(result.exception)


@pytest.fixture
def odoo_catalogue(db, odoo_db):
    """Three sandbox products of distinct templates mirrored into `products` with an empty
    description; the third got a description in Odoo after the last sync."""
    by_template = {}
    for p in odoo_db.search_read(
        "product.product", [], ["id", "default_code", "name", "categ_id", "product_tmpl_id"]
    ):
        by_template.setdefault(p["product_tmpl_id"][0], p)
    products = list(by_template.values())[:3]
    ids = [p["id"] for p in products]
    odoo_db.write("product.product", ids[:2], {"description_sale": False})
    odoo_db.write("product.product", ids[2:], {"description_sale": "Escrito en Odoo."})
    _catalogue(
        db,
        [(p["id"], p["default_code"] or f"P{p['id']}", p["name"], "", p["categ_id"][1], True)
         for p in products],
    )  # fmt: skip
    return ids


def test_variants_of_one_template_get_one_description_in_odoo(db, base_env, odoo_env, odoo_db):
    variants = odoo_db.search_read("product.product", [], ["id", "name", "product_tmpl_id"])
    template = next(
        t for t in {v["product_tmpl_id"][0] for v in variants}
        if sum(v["product_tmpl_id"][0] == t for v in variants) > 1
    )  # fmt: skip
    pair = [v for v in variants if v["product_tmpl_id"][0] == template][:2]
    odoo_db.write("product.template", [template], {"description_sale": False})
    _catalogue(db, [(v["id"], f"V{v['id']}", v["name"], "", "All", True) for v in pair])
    result = _enrich({**base_env, **odoo_env}, "--missing", "--write-back")
    assert "written back to Odoo: 1; 1 already had a description in Odoo" in result.output
    first = _enriched(db)[pair[0]["id"]]["description"]
    written = odoo_db.search_read("product.template", [["id", "=", template]], ["description_sale"])
    assert written[0]["description_sale"] == first


def test_write_back_fills_only_empty_odoo_descriptions(db, base_env, odoo_env, odoo_db,
                                                        odoo_catalogue):  # fmt: skip
    env = {**base_env, **odoo_env}
    result = _enrich(env, "--missing", "--write-back")
    assert result.exit_code == 0, result.output
    assert "written back to Odoo: 2; 1 already had a description in Odoo" in result.output
    in_odoo = {
        r["id"]: r["description_sale"]
        for r in odoo_db.search_read(
            "product.product", [["id", "in", odoo_catalogue]], ["description_sale"]
        )
    }
    enriched = _enriched(db)
    for odoo_id in odoo_catalogue[:2]:
        assert in_odoo[odoo_id] == enriched[odoo_id]["description"]
        assert enriched[odoo_id]["written_back_at"] is not None
    assert in_odoo[odoo_catalogue[2]] == "Escrito en Odoo."
    writes = odoo_db.calls["write"]
    again = _enrich(env, "--missing", "--write-back")
    assert "written back to Odoo: 0" in again.output
    assert odoo_db.calls["write"] == writes


def test_no_write_back_without_the_flag(db, base_env, odoo_env, odoo_db, odoo_catalogue):
    result = _enrich({**base_env, **odoo_env}, "--missing")
    assert result.exit_code == 0 and "written back" not in result.output
    assert odoo_db.calls["write"] == 0
    empty = odoo_db.search_read(
        "product.product", [["id", "in", odoo_catalogue[:2]]], ["description_sale"]
    )
    assert all(not r["description_sale"] for r in empty)
