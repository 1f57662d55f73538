"""The functions as GCP runs them: Pub/Sub CloudEvents through the functions-framework."""

import base64
import json
import uuid
from pathlib import Path

import functions_framework
import pg8000.dbapi
import pytest
from cloudevents.conversion import to_binary

from odoo_engines.core.publish import local_publisher
from odoo_engines.orders.signing import poll_token
from odoo_engines_tools.sandbox.scheduler import pubsub_event

from .conftest import SECRET, add_tenant, queue_failed
from .shop import place_orders

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


@pytest.fixture
def function_env(orders_env, monkeypatch):
    for key, value in orders_env.items():
        monkeypatch.setenv(key, value)
    return orders_env


def _client(name, target, signature="cloudevent"):
    app = functions_framework.create_app(target, str(FUNCTIONS / name / "main.py"), signature)
    return app.test_client()


def _post_event(client, event):
    headers, body = to_binary(event)
    return client.post("/", headers=headers, data=body)


def _raw_event(topic, raw_data: bytes, attributes):
    event = pubsub_event(topic, {}, attributes)
    event.data["message"]["data"] = base64.b64encode(raw_data).decode()
    return event


def test_webhook_retry_sends_due_items(function_env, db, admin, webhook_sink):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [1, 2])
    response = _post_event(
        _client("webhook-retry", "webhook_retry"), pubsub_event("webhook-retry", {})
    )
    assert response.status_code == 200
    assert sorted(d.json["external_id"] for d in webhook_sink.deliveries) == [
        "odoo_acme_1",
        "odoo_acme_2",
    ]


@pytest.mark.parametrize(
    ("raw", "attributes", "logged"),
    [
        (b"{not json", {"connection_id": "abc"}, "not JSON"),
        (b"{}", {}, "needs a connection_id"),
        (b"{}", {"connection_id": "0123456789abcdef"}, "no tenant with id"),
    ],
)
def test_poll_tenant_acknowledges_what_can_never_succeed(
    function_env, log_output, raw, attributes, logged
):
    client = _client("poll-tenant", "poll_tenant")
    response = _post_event(client, _raw_event("poll-tenant", raw, attributes))
    assert response.status_code == 200  # acknowledged: Pub/Sub will not redeliver
    assert logged in log_output.getvalue()


def test_poll_tenant_delivers_the_tenants_orders(function_env, db, admin, shop, webhook_sink):
    ids = place_orders(shop, 3)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    event = pubsub_event("poll-tenant", {}, {"connection_id": tenant.id})
    assert _post_event(_client("poll-tenant", "poll_tenant"), event).status_code == 200
    delivered = sorted(int(d.json["order"]["platform_order_id"]) for d in webhook_sink.deliveries)
    assert delivered == ids
    assert db.fetchval("SELECT orders_sent FROM sync_log") == 3


def test_poll_api_publishes_an_immediate_poll_for_the_right_secret(function_env, db, admin):
    tenant = add_tenant(admin, "http://127.0.0.1:9/hook")
    client = _client("orders-api", "orders_api", "http")
    published = len(local_publisher().history)
    wrong = client.post(f"/tenants/{tenant.id}/poll", headers={"X-Webhook-Secret": "whsec_x"})
    unknown = client.post("/tenants/ffffffffffffffff/poll", headers={"X-Webhook-Secret": SECRET})
    assert wrong.status_code == unknown.status_code == 401
    assert json.loads(wrong.data)["error"] == json.loads(unknown.data)["error"]
    by_header = client.post(f"/tenants/{tenant.id}/poll", headers={"X-Webhook-Secret": SECRET})
    by_token = client.post(f"/tenants/{tenant.id}/poll?token={poll_token(SECRET, tenant.id)}")
    assert by_header.status_code == by_token.status_code == 202
    new = local_publisher().history[published:]
    assert [(m.topic, m.attributes) for m in new] == [
        ("poll-tenant", {"connection_id": tenant.id}),
        ("poll-tenant", {"connection_id": tenant.id}),
    ]
    while local_publisher().pop():  # leave the process-wide queue as found
        pass


def test_poll_api_refuses_a_paused_tenant(function_env, db, admin):
    tenant = add_tenant(admin, "http://127.0.0.1:9/hook")
    admin.pause(tenant.id)
    client = _client("orders-api", "orders_api", "http")
    response = client.post(f"/tenants/{tenant.id}/poll", headers={"X-Webhook-Secret": SECRET})
    assert response.status_code == 409


def _disconnect(admin, role: str) -> None:
    """End the role's sessions, as an administrator's shutdown would (57P01)."""
    admin.cursor().execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
    )


@pytest.fixture
def api_role(pg_socket, database_url, monkeypatch, function_env):
    """orders-api connecting as its own role; returns an admin connection to control it."""
    role = f"api_{uuid.uuid4().hex[:8]}"
    database = database_url.split("@/", 1)[1].split("?")[0]
    admin = pg8000.dbapi.connect(user="postgres", unix_sock=pg_socket, database=database)
    admin.autocommit = True
    for statement in (
        f"CREATE ROLE {role} LOGIN",
        f"GRANT pg_read_all_data, pg_write_all_data TO {role}",
        f"GRANT ALL ON SCHEMA public TO {role}",
    ):
        admin.cursor().execute(statement)
    monkeypatch.setenv("DATABASE_URL", database_url.replace("postgres@", f"{role}@", 1))
    yield role, admin
    _disconnect(admin, role)
    admin.cursor().execute(f"DROP OWNED BY {role}")
    admin.cursor().execute(f"DROP ROLE {role}")
    admin.close()


def test_poll_api_checks_callers_before_the_database_and_keeps_one_connection(db, admin, api_role):
    """A known tenant's callers are checked against cached hashes, with no database or
    Secret Manager read; the lookups it does make share one connection per instance."""
    role, pg = api_role
    tenant = add_tenant(admin, "http://127.0.0.1:9/hook")
    client = _client("orders-api", "orders_api", "http")
    right, wrong = {"X-Webhook-Secret": SECRET}, {"X-Webhook-Secret": "whsec_wrong"}
    assert client.post(f"/tenants/{tenant.id}/poll", headers=right).status_code == 202
    assert client.post("/tenants/ffffffffffffffff/poll", headers=right).status_code == 401
    pg.cursor().execute(f"ALTER ROLE {role} CONNECTION LIMIT 0")  # no new connection
    assert client.post("/tenants/eeeeeeeeeeeeeeee/poll", headers=right).status_code == 401
    _disconnect(pg, role)
    # the database is now out of reach: known callers are still answered
    assert client.post(f"/tenants/{tenant.id}/poll", headers=wrong).status_code == 401
    assert client.post(f"/tenants/{tenant.id}/poll", headers=right).status_code == 202
    assert client.post("/tenants/ffffffffffffffff/poll", headers=right).status_code == 401
    while local_publisher().pop():  # leave the process-wide queue as found
        pass


@pytest.mark.parametrize("tenant_id", ["a%00b", "x" * 65, "a.b", "%C3%A9"])
def test_poll_api_refuses_a_malformed_tenant_id_without_database_text(function_env, tenant_id):
    client = _client("orders-api", "orders_api", "http")
    response = client.post(f"/tenants/{tenant_id}/poll")
    assert response.status_code == 401
    assert response.json["error"] == "unknown tenant or wrong credentials"


def test_orders_api_health_answers_when_the_database_does(function_env, db):
    response = _client("orders-api", "orders_api", "http").get("/health")
    assert response.status_code == 200
    assert json.loads(response.data) == {"status": "ok", "function": "orders-api"}


def test_orders_api_describes_its_routes_at_openapi_json(function_env):
    response = _client("orders-api", "orders_api", "http").get("/openapi.json")
    assert response.status_code == 200
    poll = response.json["paths"]["/tenants/{tenant_id}/poll"]["post"]
    assert {"202", "401", "409"} <= set(poll["responses"])
    assert response.json["components"]["securitySchemes"]["apiKey"]["name"] == "X-Webhook-Secret"
    for path in ("/health", "/openapi.json"):
        assert response.json["paths"][path]["get"]["security"] == []
