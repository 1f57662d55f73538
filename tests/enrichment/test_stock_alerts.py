"""Sales change stock; falling below the threshold stores one alert per crossing."""

from __future__ import annotations

from .conftest import create


def _sell(client, product_id, **body):
    response = client.post(f"/products/{product_id}/sell", json=body)
    assert response.status_code == 200, response.json
    return response.json


def test_one_alert_per_crossing_and_rearmed_when_stock_recovers(client):
    product = create(client, "Laptop Dell", stock=15)
    assert _sell(client, product["id"], quantity=3)["alert"] is None  # 12
    crossed = _sell(client, product["id"], new_stock=8)
    assert crossed["updated_stock"] == 8 and crossed["product"]["low_stock"] is True
    alert = crossed["alert"]
    assert {k: alert[k] for k in ("product_name", "current_stock", "threshold")} == {
        "product_name": "Laptop Dell",
        "current_stock": 8,
        "threshold": 10,
    }
    assert "Low stock" in alert["alert_message"]
    assert _sell(client, product["id"], quantity=1)["alert"] is None  # 7: still low
    assert _sell(client, product["id"], new_stock=3)["alert"] is None
    assert client.get("/alerts").json["total"] == 1
    restocked = _sell(client, product["id"], new_stock=20)
    assert restocked["alert"] is None and restocked["product"]["low_stock"] is False
    again = _sell(client, product["id"], quantity=11)  # 9: a new crossing
    assert again["alert"]["current_stock"] == 9
    alerts = client.get("/alerts").json
    assert alerts["total"] == 2
    assert [a["current_stock"] for a in alerts["items"]] == [9, 8]


def test_stock_exactly_at_threshold_is_not_low(client):
    product = create(client, stock=12)
    assert _sell(client, product["id"], new_stock=10)["alert"] is None


def test_threshold_is_configurable(make_client):
    client = make_client(ENRICH_LOW_STOCK_THRESHOLD="3")
    product = create(client, stock=10)
    assert _sell(client, product["id"], new_stock=4)["alert"] is None
    assert _sell(client, product["id"], new_stock=2)["alert"]["threshold"] == 3


def test_product_created_below_threshold_alerts_once(client):
    product = create(client, "Monitor", stock=4)
    assert product["low_stock"] is True and product["alert"]["current_stock"] == 4
    assert _sell(client, product["id"], quantity=1)["alert"] is None
    assert client.get("/alerts").json["total"] == 1


def test_acknowledging_an_alert(client):
    product = create(client, stock=11)
    alert = _sell(client, product["id"], quantity=2)["alert"]
    assert client.get("/alerts?status=open").json["total"] == 1
    acked = client.post(f"/alerts/{alert['id']}/ack")
    assert acked.status_code == 200 and acked.json["acknowledged"] is True
    again = client.post(f"/alerts/{alert['id']}/ack")
    assert again.json["acknowledged_at"] == acked.json["acknowledged_at"]
    assert client.get("/alerts?status=open").json["total"] == 0
    assert client.get("/alerts?status=acknowledged").json["items"][0]["id"] == alert["id"]
    assert client.post("/alerts/999999/ack").status_code == 404


def test_selling_more_than_in_stock_is_refused_and_changes_nothing(client):
    product = create(client, stock=5)
    refused = client.post(f"/products/{product['id']}/sell", json={"quantity": 6})
    assert refused.status_code == 409 and "only 5 in stock" in refused.json["error"]
    assert client.get(f"/products/{product['id']}").json["stock"] == 5


def test_concurrent_sales_crossing_together_make_one_alert(settings, base_env, db):
    """Two connections sell at once across the threshold: the row lock lets one alert."""
    import threading

    from odoo_engines.core.db import connect
    from odoo_engines.enrichment import run
    from odoo_engines.enrichment.settings import load_enrichment_settings
    from odoo_engines.enrichment.validation import Sale

    product_id = db.fetchval(
        "INSERT INTO enriched_products (name, stock) VALUES ('Concurrente', 10) RETURNING id"
    )
    enrichment = load_enrichment_settings(base_env)
    barrier = threading.Barrier(2)
    errors = []

    def sell():
        conn = connect(settings)
        try:
            barrier.wait()
            run.record_sale(conn, enrichment, product_id, Sale(quantity=1))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=sell) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.fetchval("SELECT stock FROM enriched_products WHERE id = %s", (product_id,)) == 8
    assert db.fetchval("SELECT count(*) FROM stock_alerts") == 1
