"""The seed's entry point, `ProductsSyncEngine(...).run_sync()`, over the new code."""

from odoo_engines.products import ProductsSyncEngine


def test_run_sync_returns_the_seeds_result_dict(product_env, db):
    results = ProductsSyncEngine(env=product_env).run_sync()
    assert results["success"] and results["error"] is None
    assert results["products_processed"] == db.fetchval("SELECT count(*) FROM products") > 0
    assert results["embeddings_generated"] > 0
    for key in (
        "products_inserted",
        "products_updated",
        "products_deactivated",
        "duration_seconds",
    ):
        assert key in results
    again = ProductsSyncEngine(env=product_env, force_full_sync=True).run_sync()
    assert again["success"] and again["products_processed"] == results["products_processed"]


def test_use_test_odoo_reads_the_test_account(product_env):
    env = {k.replace("_PROD_", "_TEST_"): v for k, v in product_env.items()}
    env["ODOO_PROD_URL"] = "http://127.0.0.1:9"  # nothing listens there
    assert ProductsSyncEngine(use_test_odoo=True, env=env).run_sync()["success"]


def test_a_failure_is_in_the_dict_not_raised(product_env):
    env = {**product_env, "ODOO_PROD_URL": "http://127.0.0.1:9"}
    results = ProductsSyncEngine(env=env).run_sync()
    assert results["success"] is False and results["error"]
