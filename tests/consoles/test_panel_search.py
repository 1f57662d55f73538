"""The panel's catalogue search, `GET /panel/api/search`, after a real product sync from
the sandbox Odoo (functions-framework's test client)."""

from __future__ import annotations

import pytest

from odoo_engines.enrichment.store import save_description


def _search(client, query: str, limit: int = 5):
    return client.get("/panel/api/search", query_string={"q": query, "limit": limit})


def test_a_description_finds_the_nearest_products(enrich_client, synced_catalogue):
    product = next(p for p in synced_catalogue if p["name"].lower().startswith("aceite"))
    response = _search(enrich_client(), f"quiero comprar {product['name'].lower()}")
    assert response.status_code == 200
    body = response.json
    assert body["query"] == f"quiero comprar {product['name'].lower()}"
    assert len(body["items"]) == 5
    assert product["sku"] in [hit["sku"] for hit in body["items"][:3]]
    similarities = [hit["similarity"] for hit in body["items"]]
    assert similarities == sorted(similarities, reverse=True)
    assert {hit["match"] for hit in body["items"]} == {"semantic"}


def test_an_exact_sku_comes_first(enrich_client, synced_catalogue):
    product = synced_catalogue[len(synced_catalogue) // 2]
    items = _search(enrich_client(), product["sku"].lower()).json["items"]
    first = items[0]
    assert (first["sku"], first["name"], first["match"], first["similarity"]) == (
        product["sku"],
        product["name"],
        "sku",
        1.0,
    )
    assert product["sku"] not in [hit["sku"] for hit in items[1:]]  # not again as semantic


def test_a_hit_links_to_its_enriched_product(enrich_client, synced_catalogue, db):
    product = synced_catalogue[0]
    save_description(db, product, "Descripción escrita por la IA.", {"model": "test"})
    enriched_id = db.fetchval(
        "SELECT id FROM enriched_products WHERE odoo_id = %s", (product["odoo_id"],)
    )
    items = _search(enrich_client(), product["sku"], limit=10).json["items"]
    assert items[0]["enriched_product_id"] == enriched_id
    assert all(hit["enriched_product_id"] is None for hit in items[1:])


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ("", "q (what to search for) is required"),
        ("q=", "q (what to search for) is required"),
        ("q=%20%20", "q (what to search for) is required"),
        ("q=aceite&limit=0", "limit must be a whole number from 1 to 100"),
        ("q=aceite&limit=101", "limit must be a whole number from 1 to 100"),
        ("q=aceite&limit=diez", "limit must be a whole number from 1 to 100"),
    ],
)
def test_a_missing_query_or_bad_limit_is_a_400_json_error(enrich_client, db, query_string, message):
    response = enrich_client().get(f"/panel/api/search?{query_string}")
    assert response.status_code == 400
    assert response.content_type.startswith("application/json")
    assert response.json["error"] == message
