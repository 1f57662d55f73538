"""One poll cycle against the real sandbox Odoo, PostgreSQL and the webhook sink."""

import dataclasses

import pytest
from click.testing import CliRunner

from odoo_engines.core.publish import local_publisher
from odoo_engines.orders import store as orders_store
from odoo_engines.orders.handlers import poll_cycle
from odoo_engines.orders.run import OdooClients, poll_tenant, run_retries
from odoo_engines.orders.store import get_tenant
from odoo_engines_tools.cli import cli
from odoo_engines_tools.sandbox.odoo import SandboxOdoo

from .conftest import SECRET, add_tenant, at_once, queue_failed
from .shop import EMPTY_SHOP, place_orders


def _with(orders, **changes):
    return dataclasses.replace(orders, **changes)


def _accepted(sink):
    return [d for d in sink.deliveries if 200 <= d.status < 300]


def _log(db):
    return db.rows("SELECT * FROM sync_log ORDER BY id")


def test_a_cycle_sends_every_confirmed_order_once_signed(
    db, orders_settings, store, admin, shop, webhook_sink
):
    ids = place_orders(shop, 12)
    tenant = add_tenant(admin, webhook_sink.url + "/api/webhooks/odoo", odoo=shop)
    result = poll_tenant(db, orders_settings, tenant.id, store)
    assert (result.found, result.sent, result.failed, result.error) == (12, 12, 0, None)
    deliveries = _accepted(webhook_sink)
    assert sorted(int(d.json["order"]["platform_order_id"]) for d in deliveries) == ids
    for d in deliveries:
        assert d.verify(SECRET)["event"] == "order.confirmed"
        assert "x-webhook-secret" not in d.headers  # a new tenant's webhooks: signed only
        assert d.headers["x-odoo-connection-id"] == tenant.id
    (log,) = _log(db)
    assert (log["orders_found"], log["orders_sent"], log["orders_failed"]) == (12, 12, 0)
    assert log["error_message"] is None and log["duration_ms"] >= 0
    # the next cycle re-reads its overlap window and sends nothing again
    again = poll_tenant(db, orders_settings, tenant.id, store)
    assert (again.found, again.sent) == (0, 0)
    assert len(webhook_sink.deliveries) == 12
    assert get_tenant(db, tenant.id).last_sync_at is not None


def test_a_tenant_keeps_the_seeds_uuid_secret(
    db, orders_settings, store, admin, shop, webhook_sink
):
    """A tenant moved from the seed keeps its UUID: header (the seed's StockMaster checks
    it, so such a tenant keeps the legacy header) and signature both carry it."""
    uuid_secret = "9b2f6c1e-3d4a-4f8b-a1c2-7e5d9f0b3a64"
    place_orders(shop, 2)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop, legacy_secret_header=True)
    admin.edit(tenant.id, {}, webhook_secret=uuid_secret)
    assert poll_tenant(db, orders_settings, tenant.id, store).sent == 2
    for delivery in _accepted(webhook_sink):
        assert delivery.headers["x-webhook-secret"] == uuid_secret
        assert delivery.verify(uuid_secret)["event"] == "order.confirmed"


def test_the_payload_carries_the_sandboxs_data(
    db, orders_settings, store, admin, shop, webhook_sink
):
    (order_id,) = place_orders(shop, 1, lines=3)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    poll_tenant(db, orders_settings, tenant.id, store)
    payload = webhook_sink.deliveries[0].json
    (order,) = shop.search_read(
        "sale.order", [["id", "=", order_id]], ["name", "amount_total", "partner_shipping_id"]
    )
    (shipping,) = shop.search_read(
        "res.partner", [["id", "=", order["partner_shipping_id"][0]]], ["state_id", "country_id"]
    )
    assert payload["external_id"] == f"odoo_{shop.name}_{order_id}"
    assert payload["order"]["platform_order_number"] == order["name"]
    assert payload["order"]["amount_total"] == round(order["amount_total"] * 100)
    assert payload["order"]["date_order"].endswith("Z")
    if shipping["country_id"]:
        (country,) = shop.search_read(
            "res.country", [["id", "=", shipping["country_id"][0]]], ["code"]
        )
        assert payload["shipping_address"]["country"] == country["code"]
    if shipping["state_id"]:
        assert payload["shipping_address"]["province"] in shipping["state_id"][1]
        assert "(" not in payload["shipping_address"]["province"]  # not the display name
    lines = shop.search_read("sale.order.line", [["order_id", "=", order_id]], ["product_id"])
    products = {
        p["id"]: p
        for p in shop.search_read(
            "product.product",
            [["id", "in", [ln["product_id"][0] for ln in lines]]],
            ["default_code"],
        )
    }
    expected_skus = [
        products[ln["product_id"][0]]["default_code"] or f"ODOO-{shop.name}-{ln['product_id'][0]}"
        for ln in lines
    ]
    assert [i["sku"] for i in payload["items"]] == expected_skus


def test_odoo_calls_per_page_do_not_grow_with_the_orders(
    db, orders_settings, store, admin, make_shop, webhook_sink
):
    seen = {}
    for count in (10, 40):
        odoo = make_shop()
        place_orders(odoo, count, lines=3)
        tenant = add_tenant(admin, webhook_sink.url, odoo=odoo, name=f"shop {count}")
        settings = _with(orders_settings, page_size=count)  # all orders in one page
        result = poll_tenant(db, settings, tenant.id, store)
        assert result.sent == count
        # one batched read per related model, whatever the number of orders
        assert odoo.calls["read"] <= 6
        seen[count] = (result.pages, result.odoo_calls)
    assert seen[10] == seen[40]


def test_sink_fails_three_times_then_accepts_attempts_counted(
    db, orders_settings, store, admin, shop, webhook_sink
):
    (order_id,) = place_orders(shop, 1)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    webhook_sink.respond(503, times=3)
    first = poll_tenant(db, orders_settings, tenant.id, store)
    assert (first.sent, first.failed) == (0, 1)
    for _ in range(3):
        run_retries(db, orders_settings, store)
    assert [d.status for d in webhook_sink.deliveries] == [503, 503, 503, 200]
    assert len({d.headers["webhook-id"] for d in webhook_sink.deliveries}) == 1
    row = db.rows("SELECT status, attempts FROM retry_queue WHERE odoo_order_id = %s", (order_id,))
    assert row == [{"status": "SUCCESS", "attempts": 3}]
    assert db.fetchone("SELECT count(*), count(sent_at) FROM sent_orders") == (1, 1)
    poll_tenant(db, orders_settings, tenant.id, store)
    run_retries(db, orders_settings, store)
    assert len(webhook_sink.deliveries) == 4


def test_a_crash_between_send_and_mark_resends_with_the_same_webhook_id(
    db, orders_settings, store, admin, shop, webhook_sink, monkeypatch
):
    place_orders(shop, 3)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)

    def crash(*_args):
        raise RuntimeError("killed after the 2xx, before marking")

    monkeypatch.setattr(orders_store, "mark_sent", crash)
    with pytest.raises(RuntimeError):
        poll_tenant(db, orders_settings, tenant.id, store)
    monkeypatch.undo()
    first_ids = sorted(d.headers["webhook-id"] for d in webhook_sink.deliveries)
    assert len(first_ids) == 3
    assert "cycle crashed" in _log(db)[-1]["error_message"]
    poll_tenant(db, orders_settings, tenant.id, store)
    second_ids = sorted(d.headers["webhook-id"] for d in webhook_sink.deliveries[3:])
    assert second_ids == first_ids  # re-sent, same ids: the receiver can deduplicate
    assert db.fetchval("SELECT count(*) FROM sent_orders WHERE sent_at IS NULL") == 0
    poll_tenant(db, orders_settings, tenant.id, store)
    assert len(webhook_sink.deliveries) == 6  # never a third time


def test_two_cycles_at_once_send_each_order_once(
    db, settings, orders_settings, store, admin, shop, webhook_sink
):
    place_orders(shop, 10)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    webhook_sink.stall(0.1, times=10)
    results = at_once(settings, lambda own: poll_tenant(own, orders_settings, tenant.id, store))
    assert sorted(r.skipped or "ran" for r in results) == [
        "a cycle of this tenant is already running",
        "ran",
    ]
    ids = [d.headers["webhook-id"] for d in webhook_sink.deliveries]
    assert len(ids) == 10 and len(set(ids)) == 10


def test_a_pause_set_before_the_lock_is_taken_is_seen(
    db, orders_settings, store, admin, shop, webhook_sink
):
    """The tenant is read under the poll's lock: a pause set between the message's
    arrival and the lock is not missed (nor the cursor a cycle saved meanwhile)."""
    place_orders(shop, 2)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    take_lock = db.try_advisory_lock

    def pause_then_lock(name):  # the pause lands in the window before the lock
        admin.pause(tenant.id)
        return take_lock(name)

    db.try_advisory_lock = pause_then_lock
    paused = poll_tenant(db, orders_settings, tenant.id, store)
    assert paused.skipped == "the tenant is paused"
    assert webhook_sink.deliveries == []


def test_250_orders_in_one_write_date_second_with_pages_of_100(
    db, orders_settings, store, admin, shop, webhook_sink
):
    ids = place_orders(shop, 250, lines=1)
    written = {o["write_date"] for o in shop.search_read("sale.order", [], ["write_date"])}
    assert len(written) == 1  # one transaction: one write_date second
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    result = poll_tenant(db, _with(orders_settings, page_size=100), tenant.id, store)
    assert result.sent == 250 and result.pages >= 3
    delivered = [int(d.json["order"]["platform_order_id"]) for d in webhook_sink.deliveries]
    assert sorted(delivered) == ids  # nothing lost, nothing twice


def test_odoo_down_or_key_revoked_is_logged_and_other_tenants_are_fine(
    db, orders_settings, store, admin, make_shop, webhook_sink
):
    fine, revoked = make_shop(), make_shop()
    place_orders(fine, 4)
    place_orders(revoked, 4)
    revoked.revoke_api_key()
    with SandboxOdoo().start() as down_server:
        down = down_server.add_database("down", spec=EMPTY_SHOP)
        down_server.faults.set(fail_status=503, retry_after=0)
        tenants = {
            "down": add_tenant(admin, webhook_sink.url, odoo=down, name="down"),
            "revoked": add_tenant(admin, webhook_sink.url, odoo=revoked, name="revoked"),
            "fine": add_tenant(admin, webhook_sink.url, odoo=fine, name="fine"),
        }
        results = {k: poll_tenant(db, orders_settings, t.id, store) for k, t in tenants.items()}
    assert "unavailable" in results["down"].error and "503" in results["down"].error
    assert "rejected the login" in results["revoked"].error
    assert results["fine"].error is None and results["fine"].sent == 4
    errors = dict(db.fetchall("SELECT connection_id, error_message FROM sync_log"))
    assert errors[tenants["fine"].id] is None
    assert "unavailable" in errors[tenants["down"].id]
    assert "rejected the login" in errors[tenants["revoked"].id]
    assert {d.headers["x-odoo-connection-id"] for d in webhook_sink.deliveries} == {
        tenants["fine"].id
    }


def test_a_sent_order_cancelled_later_sends_order_cancelled(
    db, orders_settings, store, admin, shop, webhook_sink
):
    (order_id,) = place_orders(shop, 1)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    poll_tenant(db, orders_settings, tenant.id, store)
    shop.write("sale.order", [order_id], {"state": "cancel"})
    poll_tenant(db, orders_settings, tenant.id, store)
    poll_tenant(db, orders_settings, tenant.id, store)
    confirmed, cancelled = (d.json for d in webhook_sink.deliveries)
    assert (confirmed["event"], cancelled["event"]) == ("order.confirmed", "order.cancelled")
    assert cancelled["external_id"] == confirmed["external_id"]
    ids = {d.headers["webhook-id"] for d in webhook_sink.deliveries}
    assert len(ids) == 2


def test_an_order_cancelled_before_delivery_is_never_sent(
    orders_env, db, orders_settings, store, admin, shop, webhook_sink
):
    """Not by the retry run, nor by an operator's `retries retry`, --force included."""
    (order_id,) = place_orders(shop, 1)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    webhook_sink.respond(503, times=1)
    poll_tenant(db, orders_settings, tenant.id, store)
    shop.write("sale.order", [order_id], {"state": "cancel"})
    poll_tenant(db, orders_settings, tenant.id, store)
    item = db.fetchval("SELECT id FROM retry_queue")
    for args in (["retries", "retry", str(item)], ["retries", "retry", str(item), "--force"]):
        refused = CliRunner().invoke(cli, args, env=orders_env)
        assert "cancelled in Odoo" in str(refused.exception), args
    run_retries(db, orders_settings, store)
    assert [d.status for d in webhook_sink.deliveries] == [503]
    assert db.fetchval("SELECT status FROM retry_queue") == "DISCARDED"


def test_410_pauses_deliveries_and_loses_nothing(
    db, orders_settings, store, admin, shop, webhook_sink
):
    ids = place_orders(shop, 4)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    webhook_sink.respond(410, times=1)
    settings = _with(orders_settings, max_parallel=1)
    result = poll_tenant(db, settings, tenant.id, store)
    assert "410" in result.error and "paused" in result.error
    assert len(webhook_sink.deliveries) == 1  # the rest was held back
    held = poll_tenant(db, settings, tenant.id, store)
    assert "deliveries paused" in held.error and len(webhook_sink.deliveries) == 1
    admin.resume(tenant.id)
    run_retries(db, settings, store)
    poll_tenant(db, settings, tenant.id, store)
    delivered = [int(d.json["order"]["platform_order_id"]) for d in _accepted(webhook_sink)]
    assert sorted(delivered) == ids


def test_odoo_19_tenant_goes_through_json2_without_mobile(
    db, orders_settings, store, admin, make_shop, webhook_sink
):
    odoo = make_shop("19.0")
    assert "mobile" not in odoo.model("res.partner").fields
    (order_id,) = place_orders(odoo, 1)
    tenant = add_tenant(admin, webhook_sink.url, odoo=odoo)
    result = poll_tenant(db, orders_settings, tenant.id, store)
    assert (result.sent, result.error, result.protocol) == (1, None, "json2")
    (order,) = odoo.search_read("sale.order", [["id", "=", order_id]], ["partner_id"])
    (customer,) = odoo.search_read("res.partner", [["id", "=", order["partner_id"][0]]], ["phone"])
    assert webhook_sink.deliveries[0].json["customer"]["phone"] == (customer["phone"] or None)


def test_a_cycle_out_of_time_publishes_its_continuation(
    db, orders_settings, store, admin, shop, webhook_sink
):
    place_orders(shop, 30)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    settings = dataclasses.replace(_with(orders_settings, page_size=10), time_budget_seconds=1)
    publisher = local_publisher()
    before = len(publisher.history)
    result = poll_cycle(db, settings, tenant.id, store, publisher)
    assert result.continued and result.sent == 10
    (message,) = publisher.history[before:]
    assert (message.topic, message.attributes) == ("poll-tenant", {"connection_id": tenant.id})
    while publisher.pop():
        pass
    rest = poll_tenant(db, _with(orders_settings, page_size=10), tenant.id, store)
    assert rest.sent == 20 and len({d.headers["webhook-id"] for d in webhook_sink.deliveries}) == 30


def test_poll_and_tenants_test_commands(orders_env, db, admin, shop, webhook_sink):
    place_orders(shop, 2)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    runner = CliRunner()
    polled = runner.invoke(cli, ["poll", "--tenant", tenant.id], env=orders_env)
    assert polled.exit_code == 0 and "found 2, sent 2" in polled.output
    tested = runner.invoke(cli, ["tenants", "test", tenant.id], env=orders_env)
    assert tested.exit_code == 0, tested.output
    assert "odoo: ok, Odoo 17.0" in tested.output and "webhook: ok, HTTP 200" in tested.output
    ping = webhook_sink.deliveries[-1]
    assert ping.verify(SECRET)["event"] == "ping"
    shop.revoke_api_key()
    webhook_sink.respond(500, times=1)
    failed = runner.invoke(cli, ["tenants", "test", tenant.id], env=orders_env)
    assert failed.exit_code == 1
    assert "odoo: FAILED" in failed.output and "webhook: FAILED: HTTP 500" in failed.output
    assert SECRET not in polled.output + tested.output + failed.output


def test_a_warm_instance_reuses_the_tenants_client_between_cycles(
    db, orders_settings, store, admin, shop, webhook_sink
):
    place_orders(shop, 3)
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    clients = OdooClients()
    first = poll_tenant(db, orders_settings, tenant.id, store, clients=clients)
    logins, schemas = shop.calls["authenticate"], shop.calls["fields_get"]
    place_orders(shop, 2)
    second = poll_tenant(db, orders_settings, tenant.id, store, clients=clients)
    assert (first.sent, second.sent) == (3, 2)
    assert (shop.calls["authenticate"], shop.calls["fields_get"]) == (logins, schemas)
    assert second.odoo_calls < first.odoo_calls
    admin.edit(tenant.id, {}, odoo_api_key="another-key")  # a new key: a new client
    third = poll_tenant(db, orders_settings, tenant.id, store, clients=clients)
    assert "rejected the login" in third.error


def test_an_item_an_operator_discarded_is_sent_again_only_with_force(
    orders_env, db, admin, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [21])
    item = db.fetchval("SELECT id FROM retry_queue")
    runner = CliRunner()
    assert runner.invoke(cli, ["retries", "discard", str(item)], env=orders_env).exit_code == 0
    refused = runner.invoke(cli, ["retries", "retry", str(item)], env=orders_env)
    assert "--force" in str(refused.exception)
    assert webhook_sink.deliveries == []
    forced = runner.invoke(cli, ["retries", "retry", str(item), "--force"], env=orders_env)
    assert forced.exit_code == 0 and len(webhook_sink.deliveries) == 1


def test_the_raw_secret_header_is_a_per_tenant_choice_off_for_new_tenants(
    orders_env, db, orders_settings, store, admin, shop, webhook_sink
):
    """X-Webhook-Secret lets anyone who sees one delivery forge others: only a tenant set
    to --legacy-secret-header (the seed's receivers) still gets it, signed as well."""
    (order_id,) = place_orders(shop, 1)
    new = add_tenant(admin, webhook_sink.url + "/new", odoo=shop)
    result = CliRunner().invoke(cli, ["tenants", "edit", new.id, "--legacy-secret-header"],
                                env=orders_env)  # fmt: skip
    assert result.exit_code == 0, result.output
    poll_tenant(db, orders_settings, new.id, store)
    CliRunner().invoke(cli, ["tenants", "edit", new.id, "--no-legacy-secret-header"],
                       env=orders_env)  # fmt: skip
    shop.write("sale.order", [order_id], {"state": "cancel"})
    poll_tenant(db, orders_settings, new.id, store)
    legacy, signed_only = webhook_sink.deliveries
    assert legacy.headers["x-webhook-secret"] == SECRET and legacy.verify(SECRET)
    assert "x-webhook-secret" not in signed_only.headers and signed_only.verify(SECRET)


def test_tenants_that_exist_when_the_header_becomes_optional_keep_it(db, admin, webhook_sink):
    """Migration 0302 turns the legacy header on for the tenants already there (migrated
    from the seed, whose StockMaster reads it); a tenant added afterwards has it off."""
    from odoo_engines.core.db.migrate import discover

    (migration,) = [m for m in discover() if m.version == 302]
    db.execute("ALTER TABLE connections DROP COLUMN legacy_secret_header")  # before 0302
    db.execute(
        "INSERT INTO connections (id, name, odoo_url, odoo_db, odoo_username,"
        " odoo_api_key_ref, webhook_secret_ref, store_id, client_id)"
        " VALUES ('seed0000000000aa', 'Seed', 'https://s.example', 's', 'u', 'r', 'r', 's', 'c')"
    )
    db.execute(migration.sql_template)
    assert get_tenant(db, "seed0000000000aa").legacy_secret_header is True
    assert add_tenant(admin, webhook_sink.url).legacy_secret_header is False


def test_cancellations_recorded_before_0301_still_block_a_retry(db, admin, webhook_sink):
    """Before 0301 a cancellation before delivery lived only in the discard reason."""
    from odoo_engines.core.db.migrate import discover

    (migration,) = [m for m in discover() if m.version == 301]
    tenant = add_tenant(admin, webhook_sink.url)
    queue_failed(db, tenant, [31])
    db.execute("ALTER TABLE sent_orders DROP COLUMN cancelled_at")  # before 0301
    db.execute(
        "UPDATE retry_queue SET status = 'DISCARDED',"
        " last_error = 'order cancelled in Odoo before it was delivered'"
    )
    db.execute(migration.sql_template)
    with db.transaction():
        assert orders_store.claim(db, db.fetchval("SELECT id FROM retry_queue")).cancelled


def test_in_production_a_tenants_odoo_url_is_checked_before_its_key_is_sent(
    db, orders_settings, store, admin, shop, webhook_sink
):
    """A tenant saved with a public name that now points inward: the cycle stops before
    logging in, and says why in its sync log."""
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)  # the sandbox, on 127.0.0.1
    db.execute("UPDATE connections SET odoo_url = replace(odoo_url, 'http:', 'https:')")
    production = dataclasses.replace(orders_settings, production=True)
    result = poll_tenant(db, production, tenant.id, store)
    assert "odoo_url" in result.error and "refused in production" in result.error
    assert result.odoo_calls == 0
    assert "refused in production" in _log(db)[0]["error_message"]
