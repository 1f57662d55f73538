"""The embed-document function under functions-framework, configured by environment."""

from __future__ import annotations

from pathlib import Path

import functions_framework
import pytest

KEY = "test-internal-key"
AUTH = {"X-Odoo-API-Key": KEY}
MAIN = Path(__file__).resolve().parents[2] / "functions" / "embed-document" / "main.py"


@pytest.fixture
def knowledge_env(base_env) -> dict[str, str]:
    """A local run: the offline embedder and this test's database."""
    return {**base_env, "INTERNAL_API_KEY": KEY, "EMBEDDING_PROVIDER": "local"}


@pytest.fixture
def make_client(monkeypatch):
    """`make_client(env)`: a test client of the function, configured by `env` only."""

    def make(env: dict[str, str]):
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "EMBEDDING_PROVIDER"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return functions_framework.create_app("embed_document", str(MAIN)).test_client()

    return make


@pytest.fixture
def client(make_client, knowledge_env):
    """The function with the offline embedder."""
    return make_client(knowledge_env)


@pytest.fixture
def openai_client(make_client, knowledge_env, openai_env):
    """The function embedding through the OpenAI SDK against LocalOpenAI (no SDK retries)."""
    env = {**knowledge_env, **openai_env, "EMBEDDING_PROVIDER": "openai"}
    env["OPENAI_MAX_RETRIES"] = "0"
    return make_client(env)
