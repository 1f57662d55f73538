"""The order poller, the tenant test and `odoo check` against each backend, as the
least-privilege integration user."""

from __future__ import annotations

from click.testing import CliRunner

from odoo_engines.orders.run import poll_tenant
from odoo_engines.orders.tenant_check import check_tenant
from odoo_engines_tools.cli import cli
from orders.conftest import SECRET


def _tenant(tenant_admin, backend, webhook_url):
    values = {
        "name": f"Tenant on {backend.label}",
        "odoo_url": backend.url,
        "odoo_db": backend.db,
        "odoo_username": backend.login,
        "store_id": "store_1",
        "client_id": "client_1",
        "webhook_url": webhook_url,
    }
    return tenant_admin.add(values, backend.key, SECRET)


def _events(sink, order_ids):
    """(order id, event) of the accepted deliveries about `order_ids`, each signed."""
    found = []
    for delivery in sink.deliveries:
        body = delivery.verify(SECRET)
        order = body.get("order") or {}
        if int(order.get("platform_order_id") or 0) in order_ids:
            found.append((int(order["platform_order_id"]), body["event"]))
    return sorted(found)


def test_orders_are_sent_once_and_cancellations_follow(backend, db, orders_settings, store,
                                                       admin, webhook_sink, unique):  # fmt: skip
    shop = backend.shop
    pid = shop.product(f"Crate {unique}", f"CRT-{unique}")
    customer = shop.customer(f"Shopper {unique}", email=f"s{unique}@example.com")
    first, second = (shop.order(customer, [(pid, n)]) for n in (1, 2))
    tenant = _tenant(admin, backend, webhook_sink.url + "/api/webhooks/odoo")
    result = poll_tenant(db, orders_settings, tenant.id, store)
    assert result.error is None
    assert _events(webhook_sink, {first, second}) == [(first, "order.confirmed"),
                                                      (second, "order.confirmed")]  # fmt: skip
    delivered = [d for d in webhook_sink.deliveries
                 if d.json.get("order", {}).get("platform_order_id") == str(first)]  # fmt: skip
    assert delivered[0].json["items"][0]["sku"] == f"CRT-{unique}"
    shop.cancel(second)
    webhook_sink.reset()
    again = poll_tenant(db, orders_settings, tenant.id, store)
    assert again.error is None
    assert _events(webhook_sink, {first, second}) == [(second, "order.cancelled")]


def test_the_tenant_test_logs_in_and_pings(backend, orders_settings, admin, webhook_sink):
    tenant = _tenant(admin, backend, webhook_sink.url + "/hooks")
    odoo, webhook = check_tenant(orders_settings, tenant, admin.store)
    assert odoo.ok, odoo.detail
    assert odoo.detail.startswith(f"Odoo {backend.series}")
    assert webhook.ok, webhook.detail


def test_odoo_check_shows_the_server_the_user_and_the_protocol(backend, base_env):
    result = CliRunner().invoke(cli, ["odoo", "check"], env={**base_env, **backend.env()})
    assert result.exit_code == 0, result.output
    assert backend.series in result.output and backend.db in result.output
    protocol = "json2" if backend.series >= "19" else "jsonrpc"
    assert protocol in result.output and backend.lang in result.output
