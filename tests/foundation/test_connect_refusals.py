"""A database that refuses connections for a while (full, starting up, shutting down,
a password mid-rotation) loses no work: Pub/Sub messages are retried, HTTP callers get
503 with Retry-After. Only a refusal that retrying cannot fix is a configuration error."""

import json
import uuid
from pathlib import Path

import functions_framework
import pg8000.dbapi
import pytest
from cloudevents.conversion import to_binary

from odoo_engines.core.db.connection import open_connection
from odoo_engines.core.errors import ConfigError, TransientError
from odoo_engines.core.settings import load_settings
from odoo_engines_tools.sandbox.scheduler import pubsub_event

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
RETRIED = ("53300", "57P03", "57P01", "08006", "28P01", "40001")


@pytest.mark.parametrize("code", RETRIED)
def test_a_passing_refusal_at_connect_time_is_transient(refusing_postgres, code):
    refusing_postgres.code = code
    settings = load_settings({"DATABASE_URL": refusing_postgres.url, "DB_TIMEOUT": "1"})
    with pytest.raises(TransientError, match=f"SQLSTATE {code}"):
        open_connection(settings.database)


def test_a_missing_database_is_a_configuration_error(refusing_postgres):
    refusing_postgres.code = "3D000"
    settings = load_settings({"DATABASE_URL": refusing_postgres.url, "DB_TIMEOUT": "1"})
    with pytest.raises(ConfigError, match="3D000"):
        open_connection(settings.database)


@pytest.fixture
def full_database(pg_socket, database_url):
    """The test's database reached as a role with CONNECTION LIMIT 0 (SQLSTATE 53300)."""
    role = f"full_{uuid.uuid4().hex[:8]}"
    admin = pg8000.dbapi.connect(user="postgres", unix_sock=pg_socket, database="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0")
    yield database_url.replace("postgres@", f"{role}@", 1)
    admin.cursor().execute(f"DROP ROLE {role}")
    admin.close()


@pytest.fixture
def refused_env(orders_env, full_database, monkeypatch):
    env = {**orders_env, "DATABASE_URL": full_database, "ENRICH_API_KEY": "k" * 32}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _app(name, target, signature):
    source = str(FUNCTIONS / name / "main.py")
    return functions_framework.create_app(target, source, signature).test_client()


def test_a_full_database_has_pubsub_retry_the_poll(refused_env):
    event = pubsub_event("poll-tenant", {}, {"connection_id": "0123456789abcdef"})
    headers, body = to_binary(event)
    client = _app("poll-tenant", "poll_tenant", "cloudevent")
    response = client.post("/", headers=headers, data=body)
    assert response.status_code == 500  # not acknowledged: Pub/Sub delivers it again


@pytest.mark.parametrize(
    ("name", "target", "path", "headers"),
    [
        ("enrich", "enrich", "/products", {"X-Enrich-API-Key": "k" * 32}),
        ("orders-api", "orders_api", "/tenants/0123456789abcdef/poll", {"X-Webhook-Secret": "x"}),
    ],
)
def test_a_full_database_answers_503_with_retry_after(refused_env, name, target, path, headers):
    client = _app(name, target, "http")
    method = client.post if name == "orders-api" else client.get
    response = method(path, headers=headers)
    assert response.status_code == 503, response.data
    assert int(response.headers["Retry-After"]) > 0
    assert "trace_id" in json.loads(response.data)
