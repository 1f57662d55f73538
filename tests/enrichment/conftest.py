"""The `enrich` function under functions-framework's test client, configured through the
environment the way Cloud Functions configures it."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import functions_framework
import pytest

from odoo_engines.core.logging import configure_logging

SOURCE = Path(__file__).resolve().parents[2] / "functions" / "enrich" / "main.py"
API_KEY = "test-enrich-key"


@pytest.fixture
def make_client(base_env, monkeypatch):
    """`make_client(**env)`: a test client of a fresh `enrich` instance with `env` on top."""

    def make(**overrides: str):
        for name in list(os.environ):
            if name.startswith(("ENRICH_", "OPENAI_")):
                monkeypatch.delenv(name)
        env = {**base_env, "ENRICH_LLM_BACKOFF_SECONDS": "0.01", **overrides}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return functions_framework.create_app("enrich", str(SOURCE)).test_client()

    return make


@pytest.fixture
def client(make_client):
    """The function on the offline generator (no OpenAI key), open (no API key)."""
    return make_client()


@pytest.fixture
def log_lines():
    """`log_lines()`: the JSON log lines written since the fixture started."""
    out = io.StringIO()
    configure_logging("INFO", "json", out)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    configure_logging("INFO", "json")


def create(client, name="Laptop Dell", keywords=("laptop", "dell", "intel"), stock=50, **kw):
    """POST /products; asserts 201 and returns the product."""
    response = client.post(
        "/products", json={"name": name, "keywords": list(keywords), "stock": stock}, **kw
    )
    assert response.status_code == 201, response.json
    return response.json
