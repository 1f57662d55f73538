"""The IVFFlat index: built by the sync, sized to the catalogue, exact on small ones."""

import numpy as np

from odoo_engines.embeddings import get_embedder
from odoo_engines.products import store
from odoo_engines.products.handlers import sync_products
from odoo_engines.products.search import search_products


def _embedded(db):
    return db.fetchval("SELECT count(*) FROM products WHERE embedding IS NOT NULL")


def test_the_sync_builds_the_index_sized_to_the_catalogue(product_settings, db, odoo_db,
                                                          publisher):  # fmt: skip
    assert store.current_lists(db) is None  # no vectors yet: nothing to learn from
    sync_products(product_settings, publisher=publisher)
    assert store.current_lists(db) == store.lists_for(_embedded(db))
    assert not store.ensure_index(db)  # same size: kept


def test_the_index_is_rebuilt_when_the_catalogue_doubles(product_settings, db, odoo_db,
                                                         publisher):  # fmt: skip
    sync_products(product_settings, publisher=publisher)
    _add_products(db, rows=3 * _embedded(db))
    assert store.ensure_index(db)
    assert store.current_lists(db) == store.lists_for(_embedded(db)) > 1


def test_an_index_of_fewer_lists_than_probes_is_searched_whole(product_settings, db, odoo_db,
                                                               publisher):  # fmt: skip
    sync_products(product_settings, publisher=publisher)
    db.execute("UPDATE products SET is_active = false")  # only the random ones answer
    _add_products(db, rows=1500)
    store.ensure_index(db)
    assert 10 < store.current_lists(db) <= store.PROBES
    _assert_searches_are_exact(db, get_embedder(product_settings))


def _add_products(db, rows: int) -> None:
    """Products with random unit vectors: their nearest ones to any query sit in many
    lists, so a search that skipped a list would miss some."""
    rng = np.random.default_rng(7)
    model, dimensions = db.fetchone(
        "SELECT embedding_model, vector_dims(embedding) FROM products"
        " WHERE embedding IS NOT NULL LIMIT 1"
    )
    vectors = rng.normal(size=(rows, dimensions)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    db.copy_rows("products", ["odoo_id", "sku", "name", "embedding", "embedding_model"],
                 [(10_000_000 + i, f"RND-{i}", f"Producto {i}", v, model)
                  for i, v in enumerate(vectors)])  # fmt: skip


def _assert_searches_are_exact(db, embedder):
    for query in ("aceite para cocinar", "jabón de lavanda", "regalo para mamá"):
        with db.transaction():  # through the index, which a small table's plan may skip
            db.execute("SET LOCAL enable_seqscan = off")
            hits = search_products(db, embedder, query, limit=10)
        vector = embedder.embed([query])[0]
        with db.transaction():
            db.execute("SET LOCAL enable_indexscan = off")
            exact = db.fetchall(
                "SELECT odoo_id, 1 - (embedding <=> %s) FROM products"
                " WHERE is_active AND embedding IS NOT NULL ORDER BY embedding <=> %s LIMIT 10",
                (vector, vector),
            )
        # As near as the exact answer; ids may differ only among ties at the cut (copies).
        assert np.allclose([h.similarity for h in hits], [row[1] for row in exact], atol=1e-4)
        cut = exact[-1][1] + 1e-4
        assert {row[0] for row in exact if row[1] > cut} <= {h.odoo_id for h in hits}


def test_search_through_the_index_finds_what_an_exact_scan_finds(product_settings, db,
                                                                 odoo_db, publisher):  # fmt: skip
    sync_products(product_settings, publisher=publisher)
    _assert_searches_are_exact(db, get_embedder(product_settings))


def test_re_embedding_drops_the_index_until_the_next_sync(product_settings, db, odoo_db,
                                                          publisher):  # fmt: skip
    from odoo_engines.products.store import reset_dimensions

    sync_products(product_settings, publisher=publisher)
    reset_dimensions(db, product_settings.embedding.dimensions)
    assert store.current_lists(db) is None
    sync_products(product_settings, publisher=publisher)
    assert store.current_lists(db) == store.lists_for(_embedded(db))


def _embedding_storage(db) -> str:
    return db.fetchval(
        "SELECT attstorage FROM pg_attribute"
        " WHERE attrelid = 'products'::regclass AND attname = 'embedding'"
    )


def test_vectors_stay_in_the_row_after_a_dimension_change(product_settings, db):
    from odoo_engines.products.store import reset_dimensions

    assert _embedding_storage(db) == "m"  # MAIN: scans read no TOAST table
    reset_dimensions(db, 256)
    assert _embedding_storage(db) == "m"
