"""The route table (triggers/openapi.py): one declaration routes, documents and checks."""

from __future__ import annotations

import pytest
from flask import Flask, request

from odoo_engines.triggers import HttpError, Router
from odoo_engines.triggers.openapi import check_body, mount, openapi_document, route

ITEM = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5},
        "size": {"type": ["integer", "null"], "minimum": 1, "maximum": 9},
        "kind": {"enum": ["a", "b"]},
        "tags": {"type": "object", "required": ["x"], "properties": {"x": {"type": "number"}}},
    },
}


class ItemsApi:
    @route("POST", "/items/<int(min=1, max=99):item_id>", summary="Store an item", body=ITEM)
    def post_item(self, req, item_id):
        check_body(req.get_json(), ITEM)
        return {"id": item_id}

    @route("GET", "/ping", summary="Alive", public=True)
    def ping(self, req):
        return {"ok": True}


def test_mounted_routes_answer_and_the_document_describes_them():
    router = Router("items")
    mount(router, ItemsApi())
    app = Flask("t")
    app.add_url_rule("/<path:p>", "any", lambda p: router(request), methods=["GET", "POST"])
    client = app.test_client()
    assert client.post("/items/7", json={"name": "x"}).json == {"id": 7}
    assert client.post("/items/100", json={"name": "x"}).status_code == 404
    assert client.get("/ping").json == {"ok": True}

    doc = openapi_document(ItemsApi, title="T", version="1", description="d", key_header="K")
    post = doc["paths"]["/items/{item_id}"]["post"]
    assert post["operationId"] == "post_item" and post["summary"] == "Store an item"
    assert post["parameters"] == [
        {
            "name": "item_id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 99},
        }
    ]
    assert post["requestBody"]["content"]["application/json"]["schema"] is ITEM
    assert set(post["responses"]) == {"200", "400", "401", "404", "413", "422"}
    assert doc["paths"]["/ping"]["get"]["security"] == []
    assert doc["components"]["securitySchemes"]["apiKey"]["name"] == "K"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "name", "is required"),
        ({"name": ""}, "name", "at least 1 characters"),
        ({"name": "toolong"}, "name", "at most 5 characters"),
        ({"name": "x", "size": 0}, "size", "at least 1"),
        ({"name": "x", "size": "3"}, "size", "must be an integer or null"),
        ({"name": "x", "kind": "c"}, "kind", "one of a, b"),
        ({"name": "x", "tags": {}}, "tags.x", "is required"),
        ({"name": "x", "tags": {"x": float("inf")}}, "tags.x", "must be a number"),
        ({"name": "x", "tags": {"x": True}}, "tags.x", "must be a number"),
        ([], "body", "must be an object"),
    ],
)
def test_check_body_names_the_field_at_fault(body, field, message):
    with pytest.raises(HttpError) as caught:
        check_body(body, ITEM)
    assert caught.value.status == 422
    assert caught.value.extra == {"field": field} and message in caught.value.message


def test_check_body_accepts_what_the_schema_allows():
    check_body({"name": "x", "size": None, "kind": "a", "tags": {"x": 10**30}, "more": 1}, ITEM)
