"""webhook-retry against the real sink: backoff, Retry-After, 410, 3xx, two runs at once."""

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from odoo_engines.orders.run import run_retries
from odoo_engines.orders.store import get_tenant, retry_rows
from odoo_engines_tools.cli import cli

from .conftest import SECRET, add_tenant, at_once, queue_failed


def _status(db, order_id):
    return db.fetchone(
        "SELECT status, attempts, last_status FROM retry_queue WHERE odoo_order_id = %s",
        (order_id,),
    )


def test_sink_fails_three_times_then_accepts_one_delivery_recorded(
    db, orders_settings, store, admin, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url + "/hooks/odoo")
    queue_failed(db, tenant, [42])
    webhook_sink.respond(503, times=3)
    for _ in range(4):
        run_retries(db, orders_settings, store)
    assert [d.status for d in webhook_sink.deliveries] == [503, 503, 503, 200]
    assert _status(db, 42) == ("SUCCESS", 4, 200)
    assert db.fetchone("SELECT count(*), count(sent_at) FROM sent_orders") == (1, 1)
    run_retries(db, orders_settings, store)
    assert len(webhook_sink.deliveries) == 4  # never again


def test_every_attempt_carries_the_same_id_and_body_and_a_valid_signature(
    db, orders_settings, store, admin, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url + "/hooks/odoo", legacy_secret_header=True)
    (event,) = queue_failed(db, tenant, [7])
    webhook_sink.respond(500, times=1)
    run_retries(db, orders_settings, store)
    run_retries(db, orders_settings, store)
    first, second = webhook_sink.deliveries
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == event.webhook_id
    assert first.body == second.body == event.body.encode()
    assert second.verify(SECRET)["external_id"] == "odoo_acme_7"
    assert second.headers["x-webhook-secret"] == SECRET
    assert second.headers["x-odoo-connection-id"] == tenant.id
    assert second.path == "/hooks/odoo"


def test_429_waits_at_least_retry_after(db, orders_settings, store, admin, webhook_sink):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [1])
    webhook_sink.respond(429, times=1, retry_after=120)
    run_retries(db, orders_settings, store)
    status, attempts, last_status = _status(db, 1)
    assert (status, attempts, last_status) == ("PENDING", 1, 429)
    due = db.fetchval("SELECT next_retry_at FROM retry_queue WHERE odoo_order_id = 1")
    assert due >= datetime.now(UTC) + timedelta(seconds=115)
    run_retries(db, orders_settings, store)
    assert len(webhook_sink.deliveries) == 1  # not due yet


def test_410_pauses_the_tenants_deliveries_until_resumed(
    db, orders_settings, store, admin, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url)
    other = add_tenant(admin, webhook_sink.url + "/other", name="Other")
    queue_failed(db, tenant, [1, 2, 3])
    queue_failed(db, other, [9])
    webhook_sink.respond(410, times=1)
    orders_settings = _one_at_a_time(orders_settings)
    run_retries(db, orders_settings, store)
    paused = get_tenant(db, tenant.id)
    assert paused.deliveries_paused_at is not None
    assert "410" in paused.deliveries_paused_reason
    # the other tenant's item went through; nothing more went to the paused one
    sent_to = [d.headers["x-odoo-connection-id"] for d in webhook_sink.deliveries]
    assert sent_to.count(tenant.id) == 1 and sent_to.count(other.id) == 1
    assert db.fetchval("SELECT count(*) FROM retry_queue WHERE status = 'PENDING'") == 3
    admin.resume(tenant.id)
    run_retries(db, orders_settings, store)
    assert db.fetchval("SELECT count(*) FROM retry_queue WHERE status = 'SUCCESS'") == 4


def _one_at_a_time(policy):
    return policy.__class__(**{**vars(policy), "max_parallel": 1})


def test_redirect_counts_as_a_failure(db, orders_settings, store, admin, webhook_sink):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [5])
    webhook_sink.respond(302, times=1)
    run_retries(db, orders_settings, store)
    assert _status(db, 5)[0:2] == ("PENDING", 1)
    assert "redirect" in db.fetchval("SELECT last_error FROM retry_queue")
    assert db.fetchval("SELECT count(sent_at) FROM sent_orders") == 0


def test_after_max_attempts_an_item_is_failed_and_left_alone(
    db, orders_settings, store, admin, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [6], max_attempts=2)
    webhook_sink.respond(500)
    for _ in range(3):
        run_retries(db, orders_settings, store)
    assert _status(db, 6) == ("FAILED", 2, 500)
    assert len(webhook_sink.deliveries) == 2


def test_paused_tenants_items_wait(db, orders_settings, store, admin, webhook_sink):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [8])
    admin.pause(tenant.id)
    run_retries(db, orders_settings, store)
    assert webhook_sink.deliveries == []


def test_two_runs_at_once_send_each_item_once(
    db, settings, orders_settings, store, admin, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, list(range(1, 31)))
    webhook_sink.stall(0.05, times=30)
    policy = orders_settings.__class__(
        **{**vars(orders_settings), "retry_batch": 4, "max_parallel": 2}
    )
    results = at_once(settings, lambda own: run_retries(own, policy, store))
    ids = [d.headers["webhook-id"] for d in webhook_sink.deliveries]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert all(r.batches > 0 for r in results)  # both runs did part of the work
    assert db.fetchval("SELECT count(*) FROM retry_queue WHERE status = 'SUCCESS'") == 30


def test_retries_cli_lists_shows_retries_and_discards(orders_env, db, admin, webhook_sink):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [11, 12], max_attempts=1)
    db.execute("UPDATE retry_queue SET status = 'FAILED'")
    first, second = (r["id"] for r in retry_rows(db))
    runner = CliRunner()
    listing = runner.invoke(cli, ["retries", "list", "--status", "failed"], env=orders_env)
    assert "odoo_acme_11" in listing.output and "odoo_acme_12" in listing.output
    shown = runner.invoke(cli, ["retries", "show", str(first)], env=orders_env)
    assert '"external_id": "odoo_acme_12"' in shown.output
    retried = runner.invoke(cli, ["retries", "retry", str(first)], env=orders_env)
    assert retried.exit_code == 0 and "delivered" in retried.output
    discarded = runner.invoke(cli, ["retries", "discard", str(second)], env=orders_env)
    assert discarded.exit_code == 0
    statuses = dict(db.fetchall("SELECT odoo_order_id, status FROM retry_queue"))
    assert statuses == {12: "SUCCESS", 11: "DISCARDED"}
    assert len(webhook_sink.deliveries) == 1
