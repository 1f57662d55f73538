"""Embedding documents and links over HTTP: the seed's answers, replacement, vector reuse,
batching and the provider failing (through the real OpenAI SDK against LocalOpenAI)."""

from __future__ import annotations

import secrets
import threading
import time

from odoo_engines.knowledge.samples import PRODUCT_CARE, SHIPPING_POLICY

from .conftest import AUTH

EMBEDDINGS = "/v1/embeddings"


def long_document() -> str:
    """About 12 KB of distinct Spanish paragraphs (around 18 chunks)."""
    paragraphs = [p for p in (SHIPPING_POLICY + "\n\n" + PRODUCT_CARE).split("\n\n") if p]
    return "\n\n".join(
        f"Sección {copy}.{n}. {paragraph}"
        for copy in range(1, 4)
        for n, paragraph in enumerate(paragraphs, start=1)
    )


def embed(client, source_id, content, chatbot_id=1, kind="document", **extra):
    body = {"chatbot_id": chatbot_id, "content": content, **extra}
    return client.post(f"/api/internal/{kind}/{source_id}/embed", json=body, headers=AUTH)


def stored(db, source_id, kind="document"):
    return db.rows(
        "SELECT c.chatbot_id, chunk_index, content, content_hash, embedding, embedding_model,"
        " s.metadata, s.source_url, embedded_at FROM chunk_embeddings c"
        " JOIN knowledge_sources s USING (source_type, source_id)"
        " WHERE source_type = %s AND source_id = %s ORDER BY chunk_index",
        (kind, source_id),
    )


def embedding_inputs(local_openai) -> list[str]:
    """Every text LocalOpenAI was asked to embed, in order."""
    texts = []
    for request in local_openai.requests:
        if request.path == EMBEDDINGS:
            texts.extend(request.json["input"])
    return texts


def test_document_embed_answers_like_the_seed_and_stores_chunks(client, db):
    metadata = {"filename": "envios.pdf", "file_type": "pdf", "file_size": 2048}
    response = embed(client, 42, SHIPPING_POLICY, chatbot_id=7, metadata=metadata)
    assert response.status_code == 200
    answer = response.json
    assert answer["status"] == "success" and answer["document_id"] == 42
    assert answer["embeddings_count"] == answer["chunks_created"] >= 2
    rows = stored(db, 42)
    assert len(rows) == answer["chunks_created"]
    assert [r["chunk_index"] for r in rows] == list(range(len(rows)))
    assert all(r["chatbot_id"] == 7 and r["metadata"] == metadata for r in rows)
    assert all(r["embedding_model"] == answer["embedding_model"] for r in rows)
    assert all(len(r["content"]) <= 1000 and r["embedding"].shape == (512,) for r in rows)
    assert "Plazos de entrega" in " ".join(r["content"] for r in rows)


def test_link_embed_stores_the_url(client, db):
    response = embed(
        client,
        9,
        PRODUCT_CARE,
        kind="link",
        url="https://tienda.example/cuidados",
        metadata={"title": "Cuidados"},
    )
    assert response.status_code == 200 and response.json["link_id"] == 9
    assert {r["source_url"] for r in stored(db, 9, "link")} == {"https://tienda.example/cuidados"}


def test_re_embedding_replaces_the_old_chunks(client, db):
    assert embed(client, 5, long_document()).status_code == 200
    response = embed(client, 5, SHIPPING_POLICY)
    assert response.status_code == 200
    rows = stored(db, 5)
    assert len(rows) == response.json["chunks_created"] < 10
    assert response.json["replaced"] > len(rows)
    assert "Sección" not in " ".join(r["content"] for r in rows)


def test_a_document_moved_to_another_chatbot_leaves_nothing_behind(client, db):
    embed(client, 5, SHIPPING_POLICY, chatbot_id=1)
    embed(client, 5, SHIPPING_POLICY, chatbot_id=2)
    assert {r["chatbot_id"] for r in stored(db, 5)} == {2}


def test_chunks_past_the_cap_are_reported_not_silently_dropped(make_client, knowledge_env):
    client = make_client({**knowledge_env, "KNOWLEDGE_MAX_CHUNKS": "3"})
    answer = embed(client, 5, long_document()).json
    assert answer["chunks_created"] == 3
    assert answer["chunks_over_limit"] > 10
    assert answer["characters_covered"] < answer["characters"]
    assert "KNOWLEDGE_MAX_CHUNKS" in answer["warnings"][0]


def test_all_chunks_go_to_the_provider_in_one_call(openai_client, local_openai):
    answer = embed(openai_client, 5, long_document()).json
    assert answer["chunks_created"] > 10
    assert local_openai.calls(EMBEDDINGS) == 1
    assert len(embedding_inputs(local_openai)) == answer["chunks_embedded"]


def test_unchanged_chunks_keep_their_vectors_and_are_not_sent(openai_client, local_openai, db):
    document = long_document()
    first = embed(openai_client, 5, document, metadata={"v": 1}).json
    before = {r["content_hash"]: r for r in stored(db, 5)}
    local_openai.reset()

    same = embed(openai_client, 5, document, metadata={"v": 2}).json
    assert local_openai.calls(EMBEDDINGS) == 0
    assert same["chunks_embedded"] == 0 and same["chunks_reused"] == first["chunks_created"]
    assert all(r["metadata"] == {"v": 2} for r in stored(db, 5))

    paragraphs = document.split("\n\n")
    paragraphs[8] = "Sección nueva. Los pedidos urgentes se entregan en 24 horas en Madrid."
    edited = embed(openai_client, 5, "\n\n".join(paragraphs)).json
    sent = embedding_inputs(local_openai)
    assert 1 <= len(sent) == edited["chunks_embedded"] <= 3
    assert edited["chunks_reused"] == edited["chunks_created"] - len(sent)
    assert all("Sección nueva" in text or text not in before for text in sent)
    for row in stored(db, 5):
        if row["content_hash"] in before:  # reused: the very same vector and its age
            old = before[row["content_hash"]]
            assert (row["embedding"] == old["embedding"]).all()
            assert row["embedded_at"] == old["embedded_at"]


def test_provider_failure_answers_503_and_keeps_the_old_rows(openai_client, local_openai, db):
    assert embed(openai_client, 5, SHIPPING_POLICY).status_code == 200
    before = stored(db, 5)
    local_openai.fail_next(1, status=500)
    response = embed(openai_client, 5, PRODUCT_CARE)
    assert response.status_code == 503
    assert "unavailable" in response.json["error"]
    after = stored(db, 5)
    assert [r["content"] for r in after] == [r["content"] for r in before]
    # the provider is back: the same request now goes through
    assert embed(openai_client, 5, PRODUCT_CARE).status_code == 200


def test_concurrent_deliveries_of_one_source_both_succeed(make_client, knowledge_env, db):
    """Odoo retries a slow request: two replacements of one source overlap in the DB."""
    clients = [make_client(knowledge_env) for _ in range(2)]
    for client in clients:  # connect both and load the offline model
        assert embed(client, 5, "primera versión del documento").status_code == 200
    statuses = []

    def deliver(client, content):
        statuses.append(embed(client, 5, content).status_code)

    threads = [
        threading.Thread(target=deliver, args=(c, text))
        for c, text in zip(clients, (SHIPPING_POLICY, PRODUCT_CARE), strict=True)
    ]
    with db.transaction():
        # hold the source's rows so both requests reach the database before either writes
        db.execute("DELETE FROM chunk_embeddings WHERE source_id = 5")
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while _waiting_backends(db) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_backends(db) == 2
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    texts = " ".join(r["content"] for r in stored(db, 5))
    # one whole document won, never a mix of both
    assert ("Plazos de entrega" in texts) != ("Muebles de madera" in texts)


def _waiting_backends(db) -> int:
    return db.fetchval(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )


def test_metadata_is_capped_stored_once_per_source_and_returned_once(
    make_client, knowledge_env, db
):
    """A source's metadata is not copied into each chunk nor into each search hit, so
    one request's writes and one search's answer stay bounded (issue 16, item 6)."""
    client = make_client({**knowledge_env, "KNOWLEDGE_CHUNK_SIZE": "100",
                          "KNOWLEDGE_CHUNK_OVERLAP": "0"})  # fmt: skip
    metadata = {"notes": secrets.token_urlsafe(22_000)}  # 29 KB that do not compress
    text = " ".join(f"Frase número {i} sobre envíos y devoluciones." for i in range(150))
    stored_answer = embed(client, 8, text, chatbot_id=2, metadata=metadata)
    assert stored_answer.status_code == 200 and stored_answer.json["embeddings_count"] >= 50
    table_bytes = db.fetchval(
        "SELECT pg_total_relation_size('chunk_embeddings') + pg_total_relation_size("
        "'knowledge_sources')"
    )
    assert table_bytes < 1_200_000  # 0.7 MB; with a copy per chunk, 75 × 29 KB more
    found = client.post("/api/chatbot/2/search", json={"query": "envíos", "k": 50}, headers=AUTH)
    assert len(found.json["results"]) == 50
    assert [s["metadata"] for s in found.json["sources"]] == [metadata]
    assert len(found.data) < 30_000 + 50 * 1_000  # the metadata once, not 50 times

    too_big = embed(client, 9, "hola", chatbot_id=2, metadata={"notes": "n" * 40_000})
    assert too_big.status_code == 413 and "body.metadata" in too_big.json["error"]
    assert db.fetchval("SELECT count(*) FROM chunk_embeddings WHERE source_id = 9") == 0


def test_an_empty_text_answers_200_with_no_chunks_and_removes_the_old_ones(client, db):
    """A scanned PDF reaches us as no text: the seed's Odoo code must not see an error."""
    assert embed(client, 42, SHIPPING_POLICY, chatbot_id=7).status_code == 200
    for empty in ("", " \n\t\u3000 ", "\x00\x00 "):
        response = embed(client, 42, empty, chatbot_id=7)
        assert response.status_code == 200, response.json
        assert response.json["chunks_created"] == 0 and response.json["embeddings_count"] == 0
        assert "empty" in response.json["reason"]
        assert stored(db, 42) == []
