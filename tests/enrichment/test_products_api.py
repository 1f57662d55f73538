"""Products over HTTP on the offline generator: created described and filed, listed by
page, edited by a person, labelled with where their text came from."""

from __future__ import annotations

import re

from odoo_engines.enrichment.settings import DEFAULT_CATEGORIES
from odoo_engines.enrichment.writer import PROMPT_VERSION

from .conftest import API_KEY, create


def test_created_product_has_ai_description_category_and_provenance(client):
    product = create(client, "Silla ergonómica de oficina", ["silla", "oficina", "lumbar"], 30)
    assert product["id"] > 0 and product["stock"] == 30
    assert product["description"] and len(product["description"]) <= 600
    assert "Silla ergonómica de oficina" in product["description"]
    assert product["suggested_category"] in DEFAULT_CATEGORIES
    assert product["ai"] == {"provider": "offline", "model": product["ai"]["model"]}
    for text in ("description", "category"):
        provenance = product["provenance"][text]
        assert provenance["provider"] == "offline"
        assert provenance["prompt_version"] == PROMPT_VERSION
        assert re.fullmatch(r"[0-9a-f]{64}", provenance["input_hash"])
    assert 0.0 <= product["category_confidence"] <= 1.0
    assert product["description_source"] == "ai"
    assert product["review_status"] in ("filed", "needs_review")


def test_get_returns_the_stored_product(client):
    product = create(client)
    fetched = client.get(f"/products/{product['id']}")
    assert fetched.status_code == 200
    product.pop("alert")
    assert fetched.json == product


def test_same_input_has_same_hash_other_input_another(client):
    a = create(client, "Taladro percutor", ["18 V"])
    b = create(client, "Taladro percutor", ["18 V"])
    c = create(client, "Taladro percutor", ["20 V"])
    hash_of = lambda p: p["provenance"]["description"]["input_hash"]  # noqa: E731
    assert hash_of(a) == hash_of(b) != hash_of(c)


def test_description_respects_the_configured_maximum_length(make_client):
    client = make_client(ENRICH_DESCRIPTION_MAX_LENGTH="60")
    product = create(client, "Auriculares inalámbricos con cancelación de ruido", ["bluetooth"])
    assert 0 < len(product["description"]) <= 60


def test_list_pages_newest_first_with_total(client):
    ids = [create(client, f"Producto {n}", ["prueba"], 20)["id"] for n in range(3)]
    first = client.get("/products?limit=2").json
    assert [p["id"] for p in first["items"]] == ids[:0:-1]
    assert (first["total"], first["limit"], first["offset"], first["next_offset"]) == (3, 2, 0, 2)
    second = client.get("/products?limit=2&offset=2").json
    assert [p["id"] for p in second["items"]] == [ids[0]]
    assert second["next_offset"] is None


def test_low_confidence_is_left_for_review_and_a_person_files_it(make_client):
    client = make_client(ENRICH_REVIEW_THRESHOLD="1.0")
    product = create(client, "Cosa rara", ["varios"], 20)
    assert product["review_status"] == "needs_review"
    assert product["category"] is None and product["suggested_category"] in DEFAULT_CATEGORIES
    listed = client.get("/products?review_status=needs_review").json
    assert [p["id"] for p in listed["items"]] == [product["id"]]
    filed = client.patch(f"/products/{product['id']}", json={"category": "Office Supplies"})
    assert filed.status_code == 200
    assert filed.json["category"] == "Office Supplies"
    assert (filed.json["review_status"], filed.json["category_source"]) == ("filed", "human")
    assert client.get("/products?review_status=needs_review").json["total"] == 0


def test_high_enough_confidence_is_filed(make_client):
    client = make_client(ENRICH_REVIEW_THRESHOLD="0")
    product = create(client)
    assert product["review_status"] == "filed"
    assert product["category"] == product["suggested_category"]


def test_person_edit_makes_the_description_theirs(client):
    product = create(client)
    edited = client.patch(
        f"/products/{product['id']}", json={"description": "  Escrita por una persona.  "}
    )
    assert edited.status_code == 200
    assert edited.json["description"] == "Escrita por una persona."
    assert edited.json["description_source"] == "human"
    assert edited.json["provenance"]["description"] is None and edited.json["ai"] is None


def test_categories_come_from_the_environment_list(make_client):
    client = make_client(
        ENRICH_CATEGORIES="Bebidas, Aceites naturales", ENRICH_REVIEW_THRESHOLD="0"
    )
    product = create(client, "Aceite de coco orgánico", ["aceite", "coco"], 20)
    assert product["category"] in ("Bebidas", "Aceites naturales")
    assert client.get("/categories").json == {
        "items": ["Bebidas", "Aceites naturales"],
        "total": 2,
    }
    refused = client.patch(f"/products/{product['id']}", json={"category": "Electronics"})
    assert refused.status_code == 422 and refused.json["field"] == "category"


def test_api_key_guards_every_route_but_health(make_client):
    client = make_client(ENRICH_API_KEY=API_KEY)
    body = {"name": "Laptop", "keywords": [], "stock": 5}
    assert client.post("/products", json=body).status_code == 401
    assert (
        client.post("/products", json=body, headers={"X-Enrich-API-Key": "nope"}).status_code == 401
    )
    assert client.get("/products").status_code == 401
    assert client.get("/alerts").status_code == 401
    assert client.get("/health").status_code == 200
    headers = {"X-Enrich-API-Key": API_KEY}
    created = create(client, headers=headers)
    assert client.get(f"/products/{created['id']}", headers=headers).status_code == 200
    assert client.get("/products", headers=headers).json["total"] == 1


def test_production_without_a_key_refuses_rather_than_open(make_client):
    client = make_client(
        ENVIRONMENT="production",
        ODOO_PROD_URL="https://odoo.example",
        ODOO_PROD_DB="x",
        ODOO_PROD_USERNAME="u",
        ODOO_PROD_PASSWORD="p",
    )
    response = client.get("/products")
    assert response.status_code == 503 and "no API key" in response.json["error"]
