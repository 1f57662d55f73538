"""`odoo-engines tenants …`: the seed's form as options, jobs and secrets kept in step."""

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from odoo_engines.orders.scheduler_jobs import LocalSchedulerJobs
from odoo_engines.orders.secret_store import LocalSecretStore
from odoo_engines.orders.store import get_tenant
from odoo_engines_tools.cli import cli

from .shop import place_orders

API_KEY = "odoo-api-key-3f9a1c"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _run(env, *args, input=None):
    result = CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=True)
    return result


def _add(env, *extra):
    args = [
        "tenants", "add", "--name", "Le Juste", "--odoo-url", "https://lejuste.odoo.com/",
        "--odoo-db", "lejuste", "--odoo-username", "api@lejuste.cl",
        "--odoo-api-key", API_KEY, "--store-id", "store_1", "--client-id", "client_1", *extra,
    ]  # fmt: skip
    result = _run(env, *args)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def test_add_prints_the_new_id_alone_on_its_last_line(orders_env, db):
    result = _add(orders_env)
    tenant_id = result.output.strip().splitlines()[-1]
    tenant = get_tenant(db, tenant_id)
    assert tenant.name == "Le Juste"
    assert tenant.odoo_url == "https://lejuste.odoo.com"
    assert tenant.webhook_url == "https://stockmaster.notorios.cl/api/webhooks/odoo"
    assert tenant.polling_interval_seconds == 60
    assert tenant.is_active


def test_add_generates_a_standard_webhooks_secret_and_shows_it_once(orders_env, db, store):
    result = _add(orders_env)
    tenant = get_tenant(db, result.output.strip().splitlines()[-1])
    secret = store.get(tenant.webhook_secret_ref)
    assert secret.startswith("whsec_")
    assert result.output.count(secret) == 1


def test_add_creates_the_scheduler_job_publishing_the_connection_id(orders_env, db):
    tenant_id = _add(orders_env, "--interval", "300").output.strip().splitlines()[-1]
    job = LocalSchedulerJobs(db).get(tenant_id)
    assert job.topic == "poll-tenant"
    assert job.attributes == {"connection_id": tenant_id}
    assert job.schedule == "*/5 * * * *"
    assert not job.paused


def test_the_database_alone_does_not_reveal_the_secrets(orders_env, db, store):
    tenant_id = _add(orders_env, "--webhook-secret", SECRET).output.strip().splitlines()[-1]
    row = json.dumps(db.rows("SELECT * FROM connections WHERE id = %s", (tenant_id,)), default=str)
    assert API_KEY not in row and SECRET not in row
    tenant = get_tenant(db, tenant_id)
    assert store.get(tenant.odoo_api_key_ref) == API_KEY
    other_key = LocalSecretStore("x" * 43 + "=")
    with pytest.raises(Exception, match="cannot decrypt"):
        other_key.get(tenant.odoo_api_key_ref)


def test_list_and_show_never_print_secrets(orders_env):
    added = _add(orders_env, "--webhook-secret", SECRET)
    tenant_id = added.output.strip().splitlines()[-1]
    assert SECRET not in added.output and API_KEY not in added.output
    listing = _run(orders_env, "tenants", "list")
    shown = _run(orders_env, "tenants", "show", tenant_id)
    assert listing.exit_code == 0 and shown.exit_code == 0
    assert tenant_id in listing.output and "Le Juste" in listing.output
    assert "stored encrypted" in shown.output and "poll-tenant-" in shown.output
    for output in (listing.output, shown.output):
        assert SECRET not in output and API_KEY not in output
        assert SECRET.removeprefix("whsec_") not in output


def test_edit_changes_fields_secrets_and_the_jobs_schedule(orders_env, db, store):
    tenant_id = _add(orders_env).output.strip().splitlines()[-1]
    result = _run(
        orders_env, "tenants", "edit", tenant_id, "--interval", "120",
        "--webhook-url", "http://127.0.0.1:9/hook", "--odoo-api-key", "new-key",
        "--webhook-secret", SECRET,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "new-key" not in result.output and SECRET not in result.output
    tenant = get_tenant(db, tenant_id)
    assert tenant.polling_interval_seconds == 120
    assert tenant.webhook_url == "http://127.0.0.1:9/hook"
    assert store.get(tenant.odoo_api_key_ref) == "new-key"
    assert store.get(tenant.webhook_secret_ref) == SECRET
    assert LocalSchedulerJobs(db).get(tenant_id).schedule == "*/2 * * * *"


def test_pause_and_resume_follow_through_to_the_job(orders_env, db):
    tenant_id = _add(orders_env).output.strip().splitlines()[-1]
    jobs = LocalSchedulerJobs(db)
    assert _run(orders_env, "tenants", "pause", tenant_id).exit_code == 0
    assert not get_tenant(db, tenant_id).is_active and jobs.get(tenant_id).paused
    assert _run(orders_env, "tenants", "resume", tenant_id).exit_code == 0
    assert get_tenant(db, tenant_id).is_active and not jobs.get(tenant_id).paused


def test_delete_removes_row_and_job_after_confirmation(orders_env, db):
    tenant_id = _add(orders_env).output.strip().splitlines()[-1]
    declined = _run(orders_env, "tenants", "delete", tenant_id, input="n\n")
    assert declined.exit_code != 0
    assert db.fetchval("SELECT count(*) FROM connections") == 1
    assert _run(orders_env, "tenants", "delete", tenant_id, "--yes").exit_code == 0
    assert db.fetchval("SELECT count(*) FROM connections") == 0
    assert LocalSchedulerJobs(db).get(tenant_id) is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--interval", "90"], "cannot be scheduled"),
        (["--webhook-secret", "short-secret"], "16 bytes"),
        (["--webhook-secret", "whsec_not base64!"], "base64"),
        (["--webhook-url", "ftp://x"], "webhook URL"),
        (["--since", "yesterday"], "now, all or YYYY-MM-DD"),
    ],
)
def test_bad_values_create_nothing(orders_env, db, extra, message):
    args = [
        "tenants", "add", "--name", "X", "--odoo-url", "https://x.odoo.com", "--odoo-db", "x",
        "--odoo-username", "u", "--odoo-api-key", "k", "--store-id", "s", "--client-id", "c",
        *extra,
    ]  # fmt: skip
    result = _run(orders_env, *args)
    assert result.exit_code != 0
    assert message in result.output + str(result.exception)
    assert db.fetchval("SELECT count(*) FROM connections") == 0
    assert db.fetchval("SELECT count(*) FROM local_scheduler_jobs") == 0


def test_unknown_tenant_is_a_clear_error(orders_env):
    result = _run(orders_env, "tenants", "show", "nope")
    assert result.exit_code != 0
    assert "no tenant with id 'nope'" in str(result.exception)


def test_production_refuses_a_private_webhook_url(orders_env, db):
    env = {**orders_env, "ENVIRONMENT": "production", "ODOO_PROD_URL": "https://o.example",
           "ODOO_PROD_DB": "o", "ODOO_PROD_USERNAME": "u", "ODOO_PROD_PASSWORD": "p"}  # fmt: skip
    args = [
        "tenants", "add", "--name", "X", "--odoo-url", "https://8.8.8.8", "--odoo-db", "x",
        "--odoo-username", "u", "--odoo-api-key", "k", "--store-id", "s", "--client-id", "c",
        "--webhook-url", "https://192.168.1.20/hook",
    ]  # fmt: skip
    result = _run(env, *args)
    assert result.exit_code != 0
    assert "refused in production" in str(result.exception)
    assert db.fetchval("SELECT count(*) FROM connections") == 0


def _tenant_on(env, shop, sink, *extra):
    """`tenants add` for the sandbox shop, sending to the sink; its id."""
    args = [
        "tenants", "add", "--name", "Shop", "--odoo-url", shop.url, "--odoo-db", shop.name,
        "--odoo-username", shop.login, "--odoo-api-key", shop.api_key, "--store-id", "s",
        "--client-id", "c", "--webhook-url", sink.url, "--webhook-secret", SECRET, *extra,
    ]  # fmt: skip
    result = _run(env, *args)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output.strip().splitlines()[-1]


def _sent(sink):
    return sorted(int(d.json["order"]["platform_order_id"]) for d in sink.deliveries)


@pytest.mark.parametrize(("since", "sends_old"), [([], False), (["--since", "all"], True),
                                                  (["--since", "2025-06-01"], False)])  # fmt: skip
def test_a_new_tenant_sends_orders_from_the_point_it_was_given(
    orders_env, db, shop, webhook_sink, since, sends_old
):
    """The seed's first poll sent every past confirmed order; the default `now` does not."""
    old = place_orders(shop, 3)
    with shop.transaction():  # confirmed long ago (date_order is the confirmation time)
        shop.write("sale.order", old, {"date_order": datetime(2024, 1, 15, 10, 0)})
    tenant_id = _tenant_on(orders_env, shop, webhook_sink, *since)
    new = place_orders(shop, 2)
    assert _run(orders_env, "poll", "--tenant", tenant_id).exit_code == 0
    assert _sent(webhook_sink) == sorted((old if sends_old else []) + new)
    shown = _run(orders_env, "tenants", "show", tenant_id).output
    (line,) = [line for line in shown.splitlines() if line.startswith("sends:")]
    if not since:
        assert "orders confirmed from " in line and get_tenant(db, tenant_id).orders_since
    else:
        assert ("all" in line) == sends_old and ("2025-06-01 00:00:00 UTC" in line) != sends_old
