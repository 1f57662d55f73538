"""Odoo product records of every version map to clean `products` rows."""

from odoo_engines.products.mapping import embedding_text, plain_text, to_row

BASE = {
    "id": 7, "default_code": "ACE-001", "name": "Aceite de Coco Orgánico",
    "description_sale": False, "description": "<p>Aceite <b>virgen</b> extra</p><p><br></p>",
    "categ_id": [3, "Aceites / Naturales"], "active": True, "lst_price": 5990.0,
    "standard_price": 2100.5, "barcode": "7801234567890", "weight": 0.5, "volume": False,
    "sale_ok": True, "purchase_ok": True, "uom_id": [1, "Unidades"], "company_id": [1, "Notorios"],
    "qty_available": 12.0, "product_tmpl_id": [4, "Aceite de Coco Orgánico"],
    "write_date": "2025-01-15 10:30:00",
}  # fmt: skip


def _row(**changes):
    return dict(zip(__import__("odoo_engines.products.mapping", fromlist=["COLUMNS"]).COLUMNS,
                    to_row({**BASE, **changes}, "shop").values, strict=True))  # fmt: skip


def test_variant_without_code_gets_the_odoo_fallback_sku():
    assert _row(default_code=False)["sku"] == "ODOO-shop-7"


def test_html_description_becomes_plain_text_and_false_is_empty():
    row = _row()
    assert row["description"] == "Aceite virgen extra"
    assert row["volume"] == 0.0
    assert _row(description=False)["description"] is None


def test_seed_embedding_text_shape():
    text = _row(detailed_type="product")["text_for_embedding"]
    assert text == (
        "SKU: ACE-001. Name: Aceite de Coco Orgánico. Description: Aceite virgen extra. "
        "Category: Aceites / Naturales. Type: Storable product"
    )


def test_product_type_is_one_vocabulary_across_versions():
    assert _row(detailed_type="product")["product_type"] == "product"  # 16/17
    assert _row(type="consu", is_storable=True)["product_type"] == "product"  # 18/19
    assert _row(type="consu", is_storable=False)["product_type"] == "consu"
    assert _row(type="service")["product_type"] == "service"


def test_hostile_text_is_stored_safely():
    row = _row(name="Jabón \x00artesanal 🧼 \ud800", description="a" * 50_000)
    assert "\x00" not in row["name"] and "\ud800" not in row["name"]
    assert "🧼" in row["name"]
    assert row["name"].endswith("\ufffd")  # as the knowledge engine replaces it
    assert len(row["text_for_embedding"]) <= 8000


def test_hash_changes_only_with_the_embedded_text():
    assert _row()["text_hash"] == _row(qty_available=99, lst_price=1.0)["text_hash"]
    assert _row()["text_hash"] != _row(name="Otro nombre")["text_hash"]


def test_plain_text_unescapes_entities():
    assert plain_text("Caf&eacute; &amp; t&eacute;") == "Café & té"
    assert embedding_text("S", "N", "", None, None) == "SKU: S. Name: N"
