"""Semantic search over the synced catalogue: meaning first, exact codes before all."""

import pytest

from odoo_engines.core.errors import PermanentError
from odoo_engines.embeddings import get_embedder
from odoo_engines.products.handlers import sync_products
from odoo_engines.products.search import search_products


@pytest.fixture
def synced(product_settings, db, odoo_db, publisher):
    sync_products(product_settings, publisher=publisher)
    return get_embedder(product_settings)


def test_a_paraphrase_finds_the_product_it_describes(synced, db):
    name, sku = db.fetchone(
        "SELECT name, sku FROM products WHERE is_active AND name ILIKE 'aceite%%' LIMIT 1"
    )
    hits = search_products(db, synced, f"quiero comprar {name.lower()}", limit=5)
    assert sku in [h.sku for h in hits[:3]]
    assert all(h.match == "semantic" for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.similarity)


def test_an_exact_sku_or_barcode_comes_first(synced, db):
    sku, barcode = db.fetchone(
        "SELECT sku, barcode FROM products WHERE is_active AND barcode IS NOT NULL LIMIT 1"
    )
    by_sku = search_products(db, synced, sku.lower(), limit=5)
    assert (by_sku[0].sku, by_sku[0].match) == (sku, "sku")
    by_barcode = search_products(db, synced, barcode, limit=5)
    assert (by_barcode[0].sku, by_barcode[0].match) == (sku, "barcode")
    assert len({h.odoo_id for h in by_sku}) == len(by_sku)


def test_inactive_products_are_never_found(synced, db, odoo_db, product_settings, publisher):
    sku = db.fetchval("SELECT sku FROM products WHERE is_active ORDER BY odoo_id LIMIT 1")
    odoo_id = db.fetchval("SELECT odoo_id FROM products WHERE sku = %s", (sku,))
    odoo_db.write("product.product", [odoo_id], {"active": False})
    sync_products(product_settings, publisher=publisher)
    hits = search_products(db, synced, sku, limit=100)
    assert odoo_id not in [h.odoo_id for h in hits]


@pytest.mark.parametrize(("query", "limit"), [("  ", 10), ("aceite", 0), ("aceite", 101)])
def test_bad_queries_are_refused_clearly(synced, db, query, limit):
    with pytest.raises(PermanentError):
        search_products(db, synced, query, limit)
