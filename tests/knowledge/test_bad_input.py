"""Bad input gets a clear JSON error (401/400/404/413/422), never a 500, and loses nothing."""

from __future__ import annotations

import json
import time

from .conftest import AUTH
from .test_embed import embed, stored

DOC = "/api/internal/document/5/embed"


def post(client, path, data, headers=AUTH, content_type="application/json"):
    return client.post(path, data=data, headers=headers, content_type=content_type)


ROUTES = [
    ("POST", DOC),
    ("POST", "/api/internal/link/5/embed"),
    ("DELETE", "/api/internal/chatbot/1/source/document/5"),
    ("DELETE", "/api/internal/chatbot/1/cleanup"),
    ("POST", "/api/chatbot/1/search"),
]


def test_every_route_but_health_needs_the_key(client):
    for method, path in ROUTES:
        for headers in ({}, {"X-Odoo-API-Key": "wrong"}, {"X-Odoo-API-Key": ""}):
            body = {"chatbot_id": 1, "content": "x", "query": "x"}
            response = client.open(path, method=method, json=body, headers=headers)
            assert response.status_code == 401, (method, path, headers)
            assert response.json["error"] == "missing or invalid X-Odoo-API-Key"


def test_malformed_json_is_400(client):
    response = post(client, DOC, '{"chatbot_id": 1, "content": ')
    assert response.status_code == 400 and "malformed JSON" in response.json["error"]


def test_json_that_cannot_be_read_is_400(client):
    cases = [
        (b'{"chatbot_id": 1, "content": "\xed\xa0\x80"}', "UTF-8"),  # an encoded surrogate
        (b"[" * 100_000, "nests too deeply"),
        (b'{"chatbot_id": ' + b"9" * 5000 + b', "content": "x"}', "cannot be read"),
    ]
    for raw, why in cases:
        response = post(client, DOC, raw)
        assert response.status_code == 400 and why in response.json["error"]


def test_ids_that_are_not_positive_integers_are_404(client):
    cases = [
        ("POST", "/api/internal/document/abc/embed"),
        ("POST", "/api/internal/document/-3/embed"),
        ("POST", "/api/internal/document/0/embed"),
        ("POST", "/api/internal/document/1.5/embed"),
        ("POST", "/api/internal/document/99999999999999999999/embed"),
        ("POST", "/api/internal/video/5/embed"),
        ("POST", "/api/chatbot/abc/search"),
        ("DELETE", "/api/internal/chatbot/x/cleanup"),
        ("DELETE", "/api/internal/chatbot/1/source/document/abc"),
    ]
    for method, path in cases:
        body = {"chatbot_id": 1, "content": "x"}
        response = client.open(path, method=method, json=body, headers=AUTH)
        assert response.status_code == 404, path
        assert response.json["error"].startswith("no route for")


def test_bodies_that_break_the_schema_are_422_naming_the_field(client, db):
    cases = [
        ({"content": "hola"}, "body.chatbot_id is missing"),
        ({"chatbot_id": 1}, "body.content is missing"),
        ({"chatbot_id": "1", "content": "hola"}, "body.chatbot_id should be integer"),
        ({"chatbot_id": 1.0, "content": "hola"}, "body.chatbot_id should be integer"),
        ({"chatbot_id": True, "content": "hola"}, "body.chatbot_id should be integer"),
        ({"chatbot_id": 0, "content": "hola"}, "body.chatbot_id is below the minimum 1"),
        ({"chatbot_id": 2**63, "content": "hola"}, "body.chatbot_id is above the maximum"),
        ({"chatbot_id": 1, "content": False}, "body.content should be string"),
        ({"chatbot_id": 1, "content": "x", "metadata": [1]}, "body.metadata should be object"),
        ({"chatbot_id": 1, "content": "x", "metadata": "a"}, "body.metadata should be object"),
        ([1, 2], "body should be object"),
        ("hola", "body should be object"),
    ]
    for body, message in cases:
        response = client.post(DOC, json=body, headers=AUTH)
        assert response.status_code == 422, body
        assert message in response.json["error"], (body, response.json)
    assert stored(db, 5) == []


def test_metadata_jsonb_cannot_hold_is_422(client):
    deep: dict = {}
    node = deep
    for _ in range(40):
        node["a"] = {}
        node = node["a"]
    for metadata, why in ((deep, "deeper than 32"), ({"size": float("nan")}, "not finite")):
        # json.dumps writes NaN as the literal Python's JSON parser accepts
        body = json.dumps({"chatbot_id": 1, "content": "hola", "metadata": metadata})
        response = post(client, DOC, body)
        assert response.status_code == 422 and why in response.json["error"]


def test_search_bodies_are_checked(client):
    cases = [
        ({}, "body.query is missing"),
        ({"query": "   "}, "body.query must not be empty"),
        ({"query": "x", "k": 0}, "body.k is below the minimum 1"),
        ({"query": "x", "k": 51}, "body.k is above the maximum 50"),
        ({"query": "x", "k": "5"}, "body.k should be integer"),
        ({"query": "x", "source_type": "video"}, "body.source_type must be one of"),
        ({"query": "x" * 4001}, "body.query is longer than 4000 characters"),
    ]
    for body, message in cases:
        response = client.post("/api/chatbot/1/search", json=body, headers=AUTH)
        assert response.status_code == 422, body
        assert message in response.json["error"], (body, response.json)


def test_body_over_the_limit_is_413_and_changes_nothing(make_client, knowledge_env, db):
    client = make_client({**knowledge_env, "KNOWLEDGE_MAX_BODY_BYTES": "4096"})
    assert embed(client, 5, "Primera versión.").status_code == 200
    response = embed(client, 5, "x" * 5000)
    assert response.status_code == 413 and "4096" in response.json["error"]
    assert [r["content"] for r in stored(db, 5)] == ["Primera versión."]


def test_default_limit_is_ten_megabytes(client):
    response = embed(client, 5, "x" * (10 * 1024 * 1024))
    assert response.status_code == 413 and str(10 * 1024 * 1024) in response.json["error"]


def test_nul_characters_are_removed_and_reported(client, db):
    content = "Envío gratis\x00 desde 50 euros.\x00"
    response = embed(client, 5, content, metadata={"file\x00name": "a\x00.pdf"})
    assert response.status_code == 200
    assert response.json["cleaned"] == {"nul_removed": 4, "surrogates_replaced": 0}
    assert "4 NUL characters were removed" in response.json["warnings"]
    row = stored(db, 5)[0]
    assert row["content"] == "Envío gratis desde 50 euros."
    assert row["metadata"] == {"filename": "a.pdf"}


def test_lone_surrogates_are_replaced_and_reported(client, db):
    raw = '{"chatbot_id": 1, "content": "caf\\ud800 con leche \\udfff", "url": "x"}'
    response = post(client, DOC, raw)
    assert response.status_code == 200
    assert response.json["cleaned"] == {"nul_removed": 0, "surrogates_replaced": 2}
    assert stored(db, 5)[0]["content"] == "caf\ufffd con leche \ufffd"
    pair = '{"chatbot_id": 1, "content": "emoji \\ud83d\\ude00 válido"}'  # a valid pair
    assert post(client, DOC, pair).json["cleaned"]["surrogates_replaced"] == 0
    assert stored(db, 5)[0]["content"] == "emoji 😀 válido"


def test_a_million_character_line_is_chunked_quickly_up_to_the_cap(client, db):
    started = time.monotonic()
    response = embed(client, 5, "a" * 1_000_000)
    assert response.status_code == 200
    assert time.monotonic() - started < 10
    answer = response.json
    assert answer["chunks_created"] == 100 and answer["chunks_over_limit"] == 1150
    assert answer["characters_covered"] == 100 * 800 + 200
    assert max(len(r["content"]) for r in stored(db, 5)) == 1000
