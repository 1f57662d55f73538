"""The route table (triggers/openapi.py): one declaration routes, documents and checks."""

from __future__ import annotations

import pytest
from flask import Flask, request

from odoo_engines.core.triggers import HttpError, Router
from odoo_engines.core.triggers.openapi import check_body, mount, openapi_document, route

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


def test_check_body_is_a_422_naming_the_place():
    for body, message in (
        ({}, "body.name is missing"),
        ({"name": "toolong"}, "body.name is longer than 5 characters"),
        ({"name": "x", "tags": {}}, "body.tags.x is missing"),
        ([], "body should be object"),
    ):
        with pytest.raises(HttpError) as caught:
            check_body(body, ITEM)
        assert caught.value.status == 422 and caught.value.message.startswith(message)
    check_body({"name": "x", "size": None, "kind": "a", "tags": {"x": 10**30}, "more": 1}, ITEM)


def test_mount_runs_auth_before_every_route_not_declared_public():
    checked = []

    def auth(req):
        checked.append(req.path)
        if req.headers.get("K") != "secret":
            raise HttpError(401, "missing or invalid K")

    router = Router("items")
    mount(router, ItemsApi(), auth=auth)
    app = Flask("t")
    app.add_url_rule("/<path:p>", "any", lambda p: router(request), methods=["GET", "POST"])
    client = app.test_client()
    refused = client.post("/items/7", json={"name": "x"})
    assert refused.status_code == 401 and refused.json["error"] == "missing or invalid K"
    assert client.post("/items/7", json={"name": "x"}, headers={"K": "secret"}).json == {"id": 7}
    assert client.get("/ping").json == {"ok": True}  # public: auth never asked
    assert checked == ["/items/7", "/items/7"]
