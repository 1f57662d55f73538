"""Deleting a source, cleaning up a chatbot, searching, health and the OpenAPI document."""

from __future__ import annotations

import re

from werkzeug.routing import Map

from odoo_engines.core.triggers.openapi import check_body
from odoo_engines.knowledge.handlers import KnowledgeApi, KnowledgeResources
from odoo_engines.knowledge.samples import PRODUCT_CARE, SHIPPING_POLICY

from .conftest import AUTH
from .test_embed import embed, stored


def search(client, chatbot_id, **body):
    return client.post(f"/api/chatbot/{chatbot_id}/search", json=body, headers=AUTH)


def test_delete_source_answers_the_count_then_404(client, db):
    created = embed(client, 5, SHIPPING_POLICY, chatbot_id=3).json["chunks_created"]
    response = client.delete("/api/internal/chatbot/3/source/document/5", headers=AUTH)
    assert response.status_code == 200
    assert response.json == {
        "status": "success",
        "chatbot_id": 3,
        "source_type": "document",
        "source_id": 5,
        "deleted_count": created,
    }
    assert stored(db, 5) == []
    again = client.delete("/api/internal/chatbot/3/source/document/5", headers=AUTH)
    assert again.status_code == 404 and "no embeddings" in again.json["error"]


def test_delete_source_touches_only_that_chatbot_and_type(client, db):
    embed(client, 5, SHIPPING_POLICY, chatbot_id=3)
    embed(client, 5, PRODUCT_CARE, chatbot_id=3, kind="link", url="https://x.example")
    assert (
        client.delete("/api/internal/chatbot/4/source/document/5", headers=AUTH).status_code == 404
    )
    assert client.delete("/api/internal/chatbot/3/source/link/5", headers=AUTH).status_code == 200
    assert stored(db, 5, "link") == [] and stored(db, 5) != []


def test_delete_source_refuses_an_unknown_source_type(client):
    response = client.delete("/api/internal/chatbot/3/source/video/5", headers=AUTH)
    assert response.status_code == 400
    assert "document, link" in response.json["error"]


def test_cleanup_removes_embeddings_and_sessions_of_one_chatbot(client, db):
    embed(client, 1, SHIPPING_POLICY, chatbot_id=3)
    embed(client, 2, PRODUCT_CARE, chatbot_id=3, kind="link")
    embed(client, 3, PRODUCT_CARE, chatbot_id=4)
    db.execute(
        "INSERT INTO chat_sessions (chatbot_id, session_key) VALUES (3, 'a'), (3, 'b'), (4, 'c')"
    )
    expected = db.fetchval("SELECT count(*) FROM chunk_embeddings WHERE chatbot_id = 3")
    response = client.delete("/api/internal/chatbot/3/cleanup", headers=AUTH)
    assert response.status_code == 200
    assert response.json == {
        "status": "success",
        "chatbot_id": 3,
        "embeddings_deleted": expected,
        "sessions_deleted": 2,
    }
    assert db.fetchall("SELECT DISTINCT chatbot_id FROM chunk_embeddings") == [(4,)]
    assert db.fetchall("SELECT session_key FROM chat_sessions") == [("c",)]
    again = client.delete("/api/internal/chatbot/3/cleanup", headers=AUTH).json
    assert again["embeddings_deleted"] == again["sessions_deleted"] == 0


def test_search_finds_the_chunk_that_answers_the_question(client):
    embed(client, 1, SHIPPING_POLICY, chatbot_id=3, metadata={"filename": "envios.pdf"})
    embed(client, 2, PRODUCT_CARE, chatbot_id=3, kind="link", url="https://t.example/cuidado")
    response = search(client, 3, query="¿Cuánto cuesta el envío a Canarias?", k=3)
    assert response.status_code == 200
    results = response.json["results"]
    assert len(results) == 3
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    best = results[0]
    assert "Canarias" in best["content"] and best["source_type"] == "document"
    assert best["source_id"] == 1
    # metadata once per source, in the order the sources first appear among the results
    sources = response.json["sources"]
    assert sources[0] == {"source_type": "document", "source_id": 1,
                          "metadata": {"filename": "envios.pdf"}}  # fmt: skip
    assert len(sources) == len({(r["source_type"], r["source_id"]) for r in results})

    care = search(client, 3, query="¿Cómo limpio una mesa de madera?", k=1).json["results"]
    assert care[0]["source_type"] == "link" and care[0]["url"] == "https://t.example/cuidado"
    assert "madera" in care[0]["content"]


def test_search_filters_by_source_type_and_chatbot(client):
    embed(client, 1, SHIPPING_POLICY, chatbot_id=3)
    embed(client, 2, PRODUCT_CARE, chatbot_id=3, kind="link")
    embed(client, 3, PRODUCT_CARE, chatbot_id=4)
    links = search(client, 3, query="gastos de envío", k=10, source_type="link").json
    assert links["results"] and {r["source_type"] for r in links["results"]} == {"link"}
    everything = search(client, 3, query="gastos de envío", k=50).json["results"]
    assert {r["source_id"] for r in everything} == {1, 2}
    assert search(client, 99, query="gastos de envío").json["results"] == []


def test_search_defaults_to_five_results(client):
    embed(client, 1, SHIPPING_POLICY + "\n\n" + PRODUCT_CARE, chatbot_id=3)
    assert len(search(client, 3, query="garantía").json["results"]) == 5


def test_health_checks_the_database_without_a_key(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"


def test_health_is_503_while_the_key_or_a_setting_is_missing(make_client, knowledge_env):
    no_key = {k: v for k, v in knowledge_env.items() if k != "INTERNAL_API_KEY"}
    response = make_client(no_key).get("/health")
    assert response.status_code == 503 and "INTERNAL_API_KEY" in response.json["error"]
    bad = make_client({**knowledge_env, "KNOWLEDGE_CHUNK_OVERLAP": "700"})
    response = bad.post("/api/internal/document/1/embed", json={}, headers=AUTH)
    assert response.status_code == 503 and "KNOWLEDGE_CHUNK_OVERLAP" in response.json["error"]


def test_a_lost_database_connection_is_503_then_reopened(client, db):
    assert client.get("/health").status_code == 200
    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    assert client.get("/health").status_code == 503
    assert client.get("/health").status_code == 200


def test_openapi_documents_every_route_the_function_serves(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    router_map: Map = KnowledgeApi(KnowledgeResources({})).router.map
    served = {
        (method, _openapi_style(rule.rule))
        for rule in router_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served
    assert (
        "/api/internal/chatbot/{chatbot_id}/source/{source_type}/{source_id}" in document["paths"]
    )
    embed_op = document["paths"]["/api/internal/document/{document_id}/embed"]["post"]
    assert embed_op["security"] == [{"apiKey": []}]
    assert {"401", "413", "422", "503"} <= set(embed_op["responses"])
    body_schema = embed_op["requestBody"]["content"]["application/json"]["schema"]
    check_body({"chatbot_id": 1, "content": "x"}, body_schema)  # the seed's body passes
    assert document["paths"]["/health"]["get"]["security"] == []


def _openapi_style(rule: str) -> str:
    return re.sub(r"<(?:[^:>]*:)?(\w+)>", r"{\1}", rule)
