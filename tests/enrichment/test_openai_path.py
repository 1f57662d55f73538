"""The OpenAI path through the real SDK against the local OpenAI-compatible server:
retries with backoff, timeouts, 503 without saving anything, the circuit breaker."""

from __future__ import annotations

import time

import pytest

from .conftest import create


@pytest.fixture
def openai_client(make_client, openai_env):
    """`openai_client(**env)`: the function pointed at the local OpenAI server."""
    return lambda **env: make_client(**{**openai_env, "OPENAI_TIMEOUT": "5", **env})


def _chat_requests(server):
    return [r for r in server.requests if "chat/completions" in str(r.path)]


def test_product_is_described_and_filed_by_the_openai_model(openai_client, local_openai):
    client = openai_client(OPENAI_TEXT_MODEL="gpt-4o-mini")
    product = create(client, "Laptop Dell", ["laptop", "dell", "intel"], 50)
    assert product["ai"] == {"provider": "openai", "model": "gpt-4o-mini"}
    assert product["description"] and product["suggested_category"]
    assert len(_chat_requests(local_openai)) == 2  # description, then category
    health = client.get("/health").json
    assert health["dependencies"]["llm"]["provider"] == "openai"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_errors_are_retried(openai_client, local_openai, status):
    client = openai_client()
    local_openai.fail_next(2, status=status)
    create(client)
    assert len(_chat_requests(local_openai)) == 4


def test_llm_down_is_503_with_a_clear_message_and_nothing_saved(openai_client, local_openai):
    client = openai_client()
    local_openai.fail_next(3, status=500)
    response = client.post("/products", json={"name": "Laptop", "keywords": [], "stock": 5})
    assert response.status_code == 503
    assert "language model is unavailable" in response.json["error"]
    assert "nothing was saved" in response.json["error"]
    assert len(_chat_requests(local_openai)) == 3
    assert client.get("/products").json["total"] == 0
    assert client.get("/alerts").json["total"] == 0


def test_timeouts_are_retried_then_503_and_logged(openai_client, local_openai, log_lines):
    client = openai_client(OPENAI_TIMEOUT="0.3")
    local_openai.set_latency(0.8)
    response = client.post("/products", json={"name": "Laptop", "keywords": [], "stock": 5})
    assert response.status_code == 503
    # the server still answers the abandoned requests: let them finish inside this test
    deadline = time.monotonic() + 5
    while len(_chat_requests(local_openai)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(_chat_requests(local_openai)) == 3
    timeouts = [line for line in log_lines() if line["message"] == "openai_api_timeout"]
    assert [t["attempt"] for t in timeouts] == [1, 2, 3]
    assert timeouts[0]["timeout"] == 0.3 and timeouts[0]["severity"] == "ERROR"
    assert client.get("/products").json["total"] == 0


def test_breaker_opens_after_five_failures_and_closes_after_a_trial(openai_client, local_openai):
    client = openai_client(ENRICH_BREAKER_FAILURES="5", ENRICH_BREAKER_OPEN_SECONDS="1.5")
    body = {"name": "Laptop", "keywords": ["laptop"], "stock": 50}
    local_openai.fail_next(10, status=500)
    assert client.post("/products", json=body).status_code == 503  # failures 1-3
    second = client.post("/products", json=body)  # failures 4-5: the breaker opens
    assert second.status_code == 503
    assert len(_chat_requests(local_openai)) == 5
    llm = client.get("/health").json["dependencies"]["llm"]
    assert llm["circuit_breaker"]["state"] == "open" and llm["status"] == "unavailable"
    assert client.get("/health").json["status"] == "degraded"

    rejected = client.post("/products", json=body)  # open: the provider is not called
    assert rejected.status_code == 503
    assert "circuit breaker open" in rejected.json["error"]
    assert 0 < rejected.json["retry_after_seconds"] <= 1.5
    assert len(_chat_requests(local_openai)) == 5

    local_openai.reset()  # the provider is back
    time.sleep(rejected.json["retry_after_seconds"])
    state = client.get("/health").json["dependencies"]["llm"]["circuit_breaker"]["state"]
    assert state == "half_open"
    create(client)  # the trial succeeds and closes the breaker
    health = client.get("/health").json
    assert health["dependencies"]["llm"]["circuit_breaker"]["state"] == "closed"
    assert health["status"] == "healthy"
    assert client.get("/products").json["total"] == 1


def test_refusal_is_502_and_nothing_saved(openai_client, local_openai):
    client = openai_client()
    local_openai.refuse_next(1)
    response = client.post("/products", json={"name": "Laptop", "keywords": [], "stock": 5})
    assert response.status_code == 502
    assert "no usable answer" in response.json["error"]
    assert len(_chat_requests(local_openai)) == 1  # a refusal is not retried
    assert client.get("/products").json["total"] == 0
    assert client.get("/health").json["dependencies"]["llm"]["circuit_breaker"]["state"] == (
        "closed"
    )
