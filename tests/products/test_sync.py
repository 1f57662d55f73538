"""Catalogue sync against the sandbox Odoo over HTTP and the embedded PostgreSQL."""

import dataclasses

import pytest

from odoo_engines.core import runs
from odoo_engines.core.db import Database
from odoo_engines.core.db.connection import open_connection
from odoo_engines.core.errors import ConfigError, PermanentError, TransientError
from odoo_engines.core.publish import PRODUCT_SYNC
from odoo_engines.core.settings import load_settings
from odoo_engines.products.handlers import sync_products
from odoo_engines.products.store import check_dimensions


def _variants(odoo_db):
    return odoo_db.search_read("product.product", [["active", "in", [True, False]]], ["id"])


def _row(db, odoo_id, *cols):
    return db.fetchone(f"SELECT {', '.join(cols)} FROM products WHERE odoo_id = %s", (odoo_id,))  # noqa: S608 - constant column names


def test_full_sync_stores_every_variant_and_embeds_active_ones(
    product_settings, db, odoo_db, publisher
):
    result = sync_products(product_settings, publisher=publisher)
    total = len(_variants(odoo_db))
    active = len(odoo_db.search_read("product.product", [], ["id"]))
    assert result.success and result.error is None
    assert result.products_inserted == total == db.fetchval("SELECT count(*) FROM products")
    assert result.embeddings_generated == active
    assert db.fetchval("SELECT count(*) FROM products WHERE is_active") == active
    assert (
        db.fetchval(
            "SELECT count(*) FROM products WHERE is_active AND embedding IS NOT NULL"
            " AND embedding_model = 'usem3-multilingual' AND embedded_hash = text_hash"
        )
        == active
    )
    assert result.embedding_calls == -(-active // product_settings.embedding.batch_size)
    run = db.rows("SELECT success, result FROM runs WHERE job = 'product-sync'")[0]
    assert run["success"] and run["result"]["products_processed"] == total
    assert runs.last_success(db, "product-sync") is not None


def test_a_run_with_nothing_changed_writes_and_embeds_nothing(product_env, db, odoo_db,
                                                              publisher):  # fmt: skip
    # The sandbox wrote its catalogue and stock seconds ago, inside the 60 s overlap a
    # run re-reads behind its cursors; without it this is a quiet Odoo.
    settings = load_settings({**product_env, "ODOO_OVERLAP_SECONDS": "0"})
    sync_products(settings, publisher=publisher)
    again = sync_products(settings, publisher=publisher)
    assert again.products_inserted == again.products_updated == 0
    assert again.embedding_calls == 0 and again.embeddings_generated == 0
    assert again.products_deactivated == 0
    assert again.odoo_calls <= 3  # the login is reused; one page, one stock page, the id set


def test_a_stale_saved_session_logs_in_again(product_settings, db, odoo_db, publisher):
    sync_products(product_settings, publisher=publisher)
    db.execute(
        "UPDATE sync_state SET cursor = jsonb_set(cursor, '{session,uid}', '999')"
        " WHERE job = 'odoo-session'"
    )
    odoo_db.write(
        "product.product",
        [odoo_db.search_read("product.product", [], ["id"], limit=1)[0]["id"]],
        {"barcode": "1"},
    )
    result = sync_products(product_settings, publisher=publisher)
    assert result.success and result.products_updated == 1


def test_a_failed_run_forgets_the_saved_session(product_settings, db, odoo_db, publisher):
    sync_products(product_settings, publisher=publisher)
    assert db.fetchval("SELECT cursor FROM sync_state WHERE job = 'odoo-session'")
    odoo_db.revoke_api_key()
    with pytest.raises(PermanentError):
        sync_products(product_settings, publisher=publisher)
    assert db.fetchval("SELECT cursor FROM sync_state WHERE job = 'odoo-session'") is None


def test_a_changed_product_is_updated_and_re_embedded_alone(product_settings, db, odoo_db,
                                                            publisher):  # fmt: skip
    sync_products(product_settings, publisher=publisher)
    target = odoo_db.search_read("product.product", [], ["id"], limit=1)[0]["id"]
    before = _row(db, target, "embedding::text")[0]
    odoo_db.write("product.product", [target], {"default_code": "NUEVO-001"})
    result = sync_products(product_settings, publisher=publisher)
    assert result.products_updated == 1 and result.products_inserted == 0
    assert result.embeddings_generated == 1 and result.embedding_calls == 1
    sku, after = _row(db, target, "sku", "embedding::text")
    assert sku == "NUEVO-001" and after != before


def test_archived_and_deleted_products_are_deactivated(product_settings, db, odoo_db, publisher):
    sync_products(product_settings, publisher=publisher)
    archived, deleted = (r["id"] for r in odoo_db.search_read("product.product", [], ["id"],
                                                              limit=2))  # fmt: skip
    odoo_db.write("product.product", [archived], {"active": False})
    odoo_db.unlink("product.product", [deleted])
    result = sync_products(product_settings, publisher=publisher)
    assert _row(db, archived, "is_active", "deleted_in_odoo") == (False, False)
    assert _row(db, deleted, "is_active", "deleted_in_odoo") == (False, True)
    assert result.products_deactivated == 1


def test_variants_sharing_a_code_are_reported_not_merged(product_settings, db, odoo_db,
                                                         publisher):  # fmt: skip
    a, b = (r["id"] for r in odoo_db.search_read("product.product", [], ["id"], limit=2))
    odoo_db.write("product.product", [a, b], {"default_code": "DUP-1"})
    result = sync_products(product_settings, publisher=publisher)
    assert result.duplicate_skus["DUP-1"] == sorted([a, b])
    assert db.fetchval("SELECT count(*) FROM products WHERE sku = 'DUP-1'") == 2


@pytest.mark.parametrize("odoo_db", ["16.0", "17.0", "19.0"], indirect=True)
def test_stock_moves_refresh_on_hand_quantities(product_settings, db, odoo_db, publisher):
    sync_products(product_settings, publisher=publisher)
    quant = odoo_db.search_read("stock.quant", [["location_id.usage", "=", "internal"]],
                                ["product_id", "quantity"], limit=1)[0]  # fmt: skip
    product = quant["product_id"][0]
    odoo_db.write("stock.quant", [quant["id"]], {"quantity": quant["quantity"] + 37})
    expected = odoo_db.search_read("product.product", [["id", "=", product]],
                                   ["qty_available"])[0]["qty_available"]  # fmt: skip
    result = sync_products(product_settings, publisher=publisher)
    assert float(_row(db, product, "qty_available")[0]) == pytest.approx(expected)
    assert result.products_updated == 0  # a stock move is not a catalogue change
    # product page, quant page, the kits' quantities (stock moved), the id set; 16 also
    # reads the quantities apart and pages templates (here: the overlap window re-reads
    # the templates the sandbox just wrote, and their variants)
    assert result.odoo_calls == (7 if odoo_db.version.startswith("16") else 4)


@pytest.mark.parametrize("odoo_db", ["16.0", "17.0"], indirect=True)
def test_a_template_edit_reaches_every_variant(product_settings, db, odoo_db, publisher):
    """16 leaves the variants' write_date alone when their template is edited (17+ bumps
    it): the sync follows templates too, or renames and price changes are missed."""
    sync_products(product_settings, publisher=publisher)
    template = odoo_db.search_read("product.template", [["product_variant_count", ">", 1]],
                                   ["id", "product_variant_ids"], limit=1)[0]  # fmt: skip
    odoo_db.write("product.template", [template["id"]], {"name": "Renamed template"})
    result = sync_products(product_settings, publisher=publisher)
    names = {_row(db, v, "name")[0] for v in template["product_variant_ids"]}
    assert names == {"Renamed template"}
    assert result.products_updated == len(template["product_variant_ids"])


def _out_of_time(settings):
    """Settings whose every run stops after its first page of 25 (or batch of embeddings)."""
    odoo = dataclasses.replace(settings.odoo, page_size=25)
    return dataclasses.replace(settings, odoo=odoo, time_budget_seconds=0.001)


def test_a_run_out_of_time_continues_until_done(product_settings, db, odoo_db, publisher):
    settings = _out_of_time(product_settings)
    first = sync_products(settings, publisher=publisher)
    assert first.continued and 0 < first.products_processed <= 25
    assert publisher.history[-1].topic == PRODUCT_SYNC
    assert publisher.history[-1].data == {"continuation": True}
    syncs = 1
    while (message := publisher.pop()) is not None:
        sync_products(settings, continuation=message.data["continuation"], publisher=publisher)
        syncs += 1
        assert syncs < 50
    total = len(_variants(odoo_db))
    assert db.fetchval("SELECT count(*) FROM products") == total
    assert db.fetchval("SELECT count(*) FROM products WHERE is_active AND embedding IS NULL") == 0
    assert runs.last_success(db, "product-sync") is not None
    processed = sum(r["products_processed"] for (r,) in
                    db.fetchall("SELECT result FROM runs WHERE job = 'product-sync'"))  # fmt: skip
    assert processed < total * 1.5  # resumed from the cursor, not started over


def test_a_continuation_delivered_at_once_runs_instead_of_being_skipped(
    product_settings, db, odoo_db
):
    """Pub/Sub may deliver the continuation while the publishing run is still finishing:
    it is published after the lock is released, so that delivery is not skipped."""
    settings = _out_of_time(product_settings)
    delivered = []

    class DeliverAtOnce:  # each delivery runs at once, on a connection of its own
        def publish(self, topic, data, **attributes):
            if len(delivered) < 3:
                delivered.append(sync_products(settings, continuation=True, publisher=self))
            return "m"

    sync_products(settings, publisher=DeliverAtOnce())
    assert delivered and all(r.skipped is None for r in delivered)
    assert all(r.products_processed + r.embeddings_generated > 0 for r in delivered)


def test_an_embedding_outage_loses_nothing_and_the_next_run_catches_up(
    product_env, openai_env, local_openai, db, odoo_db, publisher
):
    settings = load_settings({**product_env, **openai_env, "OPENAI_MAX_RETRIES": "0"})
    local_openai.fail_next(1000, status=503, retry_after_ms=1)
    with pytest.raises(TransientError):
        sync_products(settings, publisher=publisher)
    total = len(_variants(odoo_db))
    assert db.fetchval("SELECT count(*) FROM products") == total  # pages were committed
    assert db.fetchval("SELECT count(*) FROM products WHERE embedding IS NOT NULL") == 0
    failed = db.rows("SELECT success, error FROM runs")[0]
    assert failed["success"] is False and failed["error"]
    local_openai.reset()
    result = sync_products(settings, publisher=publisher)
    assert result.products_inserted == 0
    assert result.embeddings_generated == db.fetchval(
        "SELECT count(*) FROM products WHERE is_active"
    )
    assert db.fetchval("SELECT DISTINCT embedding_model FROM products WHERE embedding IS NOT NULL"
                       ) == "text-embedding-3-small"  # fmt: skip


def test_a_revoked_odoo_key_fails_clearly_and_writes_nothing(product_settings, db, odoo_db,
                                                             publisher):  # fmt: skip
    odoo_db.revoke_api_key()
    with pytest.raises(PermanentError) as err:
        sync_products(product_settings, publisher=publisher)
    assert "rejected the login" in str(err.value)
    assert db.rows("SELECT success, error FROM runs")[0]["error"] == str(err.value)
    assert db.fetchval("SELECT count(*) FROM products") == 0


def test_a_second_concurrent_run_is_skipped_without_calling_odoo(product_settings, odoo_db,
                                                                  publisher):  # fmt: skip
    odoo_db.revoke_api_key()  # any call to Odoo would fail the run
    holder = Database(open_connection(product_settings.database))
    try:
        assert holder.try_advisory_lock("product-sync")
        result = sync_products(product_settings, publisher=publisher)
        assert result.success and result.skipped and result.odoo_calls == 0
    finally:
        holder.close()


def test_a_vector_size_mismatch_says_how_to_re_embed(db):
    with pytest.raises(ConfigError, match="odoo-engines products reembed"):
        check_dimensions(db, 1536)


def test_hostile_product_text_is_stored_and_embedded(product_settings, db, odoo_db, publisher):
    pid = odoo_db.search_read("product.product", [], ["id"], limit=1)[0]["id"]
    odoo_db.write("product.product", [pid], {"default_code": False})
    tmpl = odoo_db.search_read("product.product", [["id", "=", pid]],
                               ["product_tmpl_id"])[0]["product_tmpl_id"][0]  # fmt: skip
    odoo_db.write("product.template", [tmpl], {
        "name": "Jabón 🧼 <b>artesanal</b>", "description_sale": False,
        "description": "<p>" + "Muy suave. " * 20_000 + "</p>",
    })  # fmt: skip
    sync_products(product_settings, publisher=publisher)
    sku, name, text, emb = _row(db, pid, "sku", "name", "text_for_embedding",
                                "embedding IS NOT NULL")  # fmt: skip
    assert sku == f"ODOO-{odoo_db.name}-{pid}"
    assert "🧼" in name
    assert len(text) <= 8000 and emb


@pytest.mark.parametrize("version", ["16.0", "18.0", "19.0", "saas~17.2+e"])
def test_every_odoo_version_syncs(version, base_env, sandbox_server, db, publisher):
    from fixtures.odoo import SMALL

    name = "v_" + "".join(c if c.isalnum() else "_" for c in version)
    odoo = sandbox_server.add_database(name, version=version, spec=SMALL, seed=3)
    try:
        env = {**base_env, "ODOO_PROD_URL": odoo.url, "ODOO_PROD_DB": odoo.name,
               "ODOO_PROD_USERNAME": odoo.login, "ODOO_PROD_PASSWORD": odoo.api_key}  # fmt: skip
        result = sync_products(load_settings(env), publisher=publisher)
        assert result.success and result.products_inserted > 0
        kinds = {k for (k,) in db.fetchall("SELECT DISTINCT product_type FROM products")}
        assert kinds <= {"product", "consu", "service", "combo"} and "product" in kinds
    finally:
        sandbox_server.drop_database(odoo.name)
