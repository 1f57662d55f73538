"""LocalOpenAI speaks enough of the OpenAI API for the real SDK, errors included."""

from __future__ import annotations

import httpx
import numpy as np
import openai
import pytest


@pytest.fixture
def client(local_openai):
    return openai.OpenAI(api_key=local_openai.api_key, base_url=local_openai.url, max_retries=0)


def test_models_are_listed(client):
    ids = {model.id for model in client.models.list()}
    assert {"text-embedding-3-small", "usem3-multilingual", "gpt-4o-mini"} <= ids


def test_float_and_base64_encodings_give_the_same_vectors(client):
    texts = ["Mesa de centro de vidrio", "Lámpara de pie"]
    as_float = client.embeddings.create(
        model="text-embedding-3-small", input=texts, encoding_format="float"
    )
    as_base64 = client.embeddings.create(model="text-embedding-3-small", input=texts)
    a = np.array([d.embedding for d in as_float.data])
    b = np.array([d.embedding for d in as_base64.data])
    assert a.shape == (2, 512)
    assert np.allclose(a, b, atol=1e-6)
    assert as_float.usage.total_tokens > 0


def test_a_missing_key_gets_openai_error_shape(local_openai):
    answer = httpx.post(f"{local_openai.url}/embeddings", json={}, timeout=5)
    assert answer.status_code == 401
    error = answer.json()["error"]
    assert error["code"] == "invalid_api_key"
    assert error["type"] == "invalid_request_error"
    assert local_openai.requests[-1].status == 401


def test_bad_requests_are_rejected_like_the_api(client):
    with pytest.raises(openai.BadRequestError, match="dimensions"):
        client.embeddings.create(model="text-embedding-3-small", input=["x"], dimensions=1024)
    with pytest.raises(openai.BadRequestError, match="empty"):
        client.embeddings.create(model="text-embedding-3-small", input=["x", ""])
    with pytest.raises(openai.BadRequestError, match="maximum context length"):
        client.embeddings.create(model="text-embedding-3-small", input=["abcd" * 9000])
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        client.embeddings.create(model="nope", input=["x"])


def test_injected_faults_carry_retry_after_ms(local_openai):
    local_openai.fail_next(1, status=429, retry_after_ms=250)
    headers = {"Authorization": f"Bearer {local_openai.api_key}"}
    answer = httpx.get(f"{local_openai.url}/models", headers=headers, timeout=5)
    assert answer.status_code == 429
    assert answer.headers["retry-after-ms"] == "250"
    assert httpx.get(f"{local_openai.url}/models", headers=headers, timeout=5).status_code == 200


def test_plain_chat_answers_text_written_from_the_prompt(client):
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Nombre: Silla ergonómica\nMarca: Nórdica"}],
    )
    assert completion.choices[0].message.content.startswith("Silla ergonómica de Nórdica.")
