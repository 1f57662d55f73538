"""`GET /openapi.json` of the `enrich` function: every route it serves, the admin panel's
included, documented from the same route table that serves them."""

from __future__ import annotations

import re

from odoo_engines.enrichment.handlers import create_handler

from .conftest import API_KEY


def test_openapi_documents_every_route_the_function_serves(make_client):
    response = make_client(ENRICH_API_KEY=API_KEY).get("/openapi.json")  # public
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    served = {
        (method, re.sub(r"<(?:[^:>]*:)?(\w+)>", r"{\1}", rule.rule))
        for rule in create_handler().router.map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served
    assert document["components"]["securitySchemes"]["apiKey"]["name"] == "X-Enrich-API-Key"
    for path in ("/health", "/openapi.json", "/", "/panel/static/{name}"):
        assert document["paths"][path]["get"]["security"] == []
    for path in ("/products", "/alerts", "/panel/api/plan", "/panel/api/search"):
        assert document["paths"][path]["get"]["security"] == [{"apiKey": []}]
    # the success status documented is the one served (a created product answers 201)
    assert "201" in document["paths"]["/products"]["post"]["responses"]
    # and its media: the panel's page is HTML, not JSON
    assert list(document["paths"]["/"]["get"]["responses"]["200"]["content"]) == ["text/html"]
    # every error answer a route names is defined, and no other
    named = {
        answer["$ref"].rsplit("/", 1)[1]
        for operations in document["paths"].values()
        for operation in operations.values()
        for answer in operation["responses"].values()
        if "$ref" in answer
    }
    assert named == set(document["components"]["responses"])


def test_every_route_not_public_asks_for_the_key(make_client):
    client = make_client(ENRICH_API_KEY=API_KEY)
    for path in ("/products", "/categories", "/alerts", "/panel/api/plan", "/panel/api/search"):
        assert client.get(path).status_code == 401, path
    assert client.post("/alerts/1/ack").status_code == 401
    for path in ("/health", "/openapi.json", "/", "/panel/static/app.js"):
        assert client.get(path).status_code == 200, path
