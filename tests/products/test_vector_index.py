"""The IVFFlat index: built by the sync, sized to the catalogue, exact on small ones."""

import numpy as np

from odoo_engines.embeddings import get_embedder
from odoo_engines.products import vector_index
from odoo_engines.products.runner import sync_products
from odoo_engines.products.search import search_products


def _embedded(db):
    return db.fetchval("SELECT count(*) FROM products WHERE embedding IS NOT NULL")


def test_the_sync_builds_the_index_sized_to_the_catalogue(product_settings, db, odoo_db,
                                                          publisher):  # fmt: skip
    assert vector_index.current_lists(db) is None  # no vectors yet: nothing to learn from
    sync_products(product_settings, publisher=publisher)
    assert vector_index.current_lists(db) == vector_index.lists_for(_embedded(db))
    assert not vector_index.ensure_index(db)  # same size: kept


def test_the_index_is_rebuilt_when_the_catalogue_doubles(product_settings, db, odoo_db,
                                                         publisher):  # fmt: skip
    sync_products(product_settings, publisher=publisher)
    db.execute(
        "INSERT INTO products (odoo_id, sku, name, embedding, embedding_model)"
        " SELECT odoo_id + 1000000 * k, sku || '-' || k, name, embedding, embedding_model"
        " FROM products, generate_series(1, 3) k WHERE embedding IS NOT NULL"
    )
    assert vector_index.ensure_index(db)
    assert vector_index.current_lists(db) == vector_index.lists_for(_embedded(db)) > 1
    probes = int(db.fetchall(vector_index.SEARCH_SETTINGS)[0][0])
    assert probes == vector_index.current_lists(db)  # few lists: every one probed


def test_search_through_the_index_finds_what_an_exact_scan_finds(product_settings, db,
                                                                 odoo_db, publisher):  # fmt: skip
    sync_products(product_settings, publisher=publisher)
    embedder = get_embedder(product_settings)
    for query in ("aceite para cocinar", "jabón de lavanda", "regalo para mamá"):
        hits = search_products(db, embedder, query, limit=10)
        vector = embedder.embed([query])[0]
        with db.transaction():
            db.execute("SET LOCAL enable_indexscan = off")
            exact = db.fetchall(
                "SELECT odoo_id, 1 - (embedding <=> %s) FROM products"
                " WHERE is_active AND embedding IS NOT NULL ORDER BY embedding <=> %s LIMIT 10",
                (vector, vector),
            )
        assert [h.odoo_id for h in hits] == [row[0] for row in exact]
        assert np.allclose([h.similarity for h in hits], [row[1] for row in exact], atol=1e-4)


def test_re_embedding_drops_the_index_until_the_next_sync(product_settings, db, odoo_db,
                                                          publisher):  # fmt: skip
    from odoo_engines.products.store import reset_dimensions

    sync_products(product_settings, publisher=publisher)
    reset_dimensions(db, product_settings.embedding.dimensions)
    assert vector_index.current_lists(db) is None
    sync_products(product_settings, publisher=publisher)
    assert vector_index.current_lists(db) == vector_index.lists_for(_embedded(db))
