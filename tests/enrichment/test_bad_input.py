"""Bad input gets a clear error naming the problem, and nothing is written."""

from __future__ import annotations

from .conftest import create

VALID = {"name": "Laptop Dell", "keywords": ["laptop"], "stock": 50}


INVALID_PRODUCTS = [
    ({"keywords": ["x"], "stock": 1}, 422, "name"),
    ({**VALID, "name": "   "}, 422, "name"),
    ({**VALID, "name": 7}, 422, "name"),
    ({**VALID, "name": "x" * 201}, 422, "name"),
    ({**VALID, "keywords": "laptop, dell"}, 422, "keywords"),
    ({**VALID, "keywords": ["ok", 3]}, 422, "keywords"),
    ({**VALID, "stock": -1}, 422, "stock"),
    ({**VALID, "stock": 2.5}, 422, "stock"),
    ({**VALID, "stock": "10"}, 422, "stock"),
    ({**VALID, "stock": True}, 422, "stock"),
    ({"name": "Laptop", "keywords": []}, 422, "stock"),
    ({**VALID, "stok": 3}, 422, "stok"),
    ([VALID], 400, None),
]


def test_invalid_products_are_rejected_naming_the_field_and_nothing_saved(client):
    for body, status, field in INVALID_PRODUCTS:
        response = client.post("/products", json=body)
        assert response.status_code == status, body
        assert response.json["error"] and response.json["trace_id"], body
        if field:
            assert response.json["field"] == field and field in response.json["error"], body
    assert client.get("/products").json["total"] == 0


def test_malformed_json_is_400(client):
    response = client.post("/products", data="{name: x", content_type="application/json")
    assert response.status_code == 400 and "malformed JSON" in response.json["error"]


def test_oversized_body_is_413(make_client):
    client = make_client(ENRICH_MAX_BODY_BYTES="1024")
    response = client.post("/products", json={**VALID, "keywords": ["k" * 50] * 30})
    assert response.status_code == 413
    assert client.get("/products").json["total"] == 0


def test_invalid_sales_are_rejected_and_stock_unchanged(client):
    product = create(client, stock=20)
    for body in ({}, {"new_stock": 5, "quantity": 1}, {"new_stock": -2}, {"quantity": 0},
                 {"quantity": "1"}):  # fmt: skip
        response = client.post(f"/products/{product['id']}/sell", json=body)
        assert response.status_code == 422, body
    assert client.get(f"/products/{product['id']}").json["stock"] == 20
    assert client.get("/alerts").json["total"] == 0


def test_unknown_ids_are_404(client):
    assert client.get("/products/424242").status_code == 404
    assert client.post("/products/424242/sell", json={"quantity": 1}).status_code == 404
    assert client.patch("/products/424242", json={"description": "x"}).status_code == 404
    assert client.get("/products/abc").status_code == 404
    assert client.get("/products/99999999999999999999999").status_code == 404


def test_bad_paging_is_400(client):
    for query in ("limit=0", "limit=201", "limit=abc", "offset=-1"):
        response = client.get(f"/products?{query}")
        assert response.status_code == 400 and response.json["error"], query


def test_bad_filters_and_methods_are_refused(client):
    assert client.get("/alerts?status=maybe").status_code == 400
    assert client.get("/products?review_status=later").status_code == 400
    assert client.delete("/products").status_code == 405


def test_nul_in_a_text_field_is_422_before_the_language_model_is_called(
    make_client, openai_env, local_openai
):
    client = make_client(**openai_env)
    for body in ({**VALID, "name": "Laptop\x00Dell"}, {**VALID, "keywords": ["a\x00b"]}):
        response = client.post("/products", json=body)
        assert response.status_code == 422, body
        assert "NUL" in response.json["error"] and "SQLSTATE" not in response.json["error"]
    assert not [r for r in local_openai.requests if "chat" in str(r.path)]  # no call spent
    assert client.get("/products").json["total"] == 0
    created = client.post("/products", json=VALID).json
    edit = client.patch(f"/products/{created['id']}", json={"description": "x\x00y"})
    assert edit.status_code == 422 and edit.json["field"] == "description"
