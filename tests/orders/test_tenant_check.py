"""`check_tenant`: the tenant's Odoo login and a signed `ping`, each reported in its own check."""

from __future__ import annotations

from odoo_engines.orders.tenant_check import check_tenant

from .conftest import SECRET, add_tenant


def test_both_pass_and_the_ping_is_signed_with_the_tenants_secret(
    orders_settings, admin, shop, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url + "/hooks", odoo=shop)
    odoo, webhook = check_tenant(orders_settings, tenant, admin.store)
    assert (odoo.name, odoo.ok) == ("odoo", True)
    assert odoo.detail.startswith("Odoo 17.0 over jsonrpc, uid ")
    assert (webhook.name, webhook.ok) == ("webhook", True)
    assert webhook.detail.startswith("HTTP 200 in ") and webhook.detail.endswith(" ms")
    (ping,) = webhook_sink.deliveries
    body = ping.verify(SECRET)  # raises unless signed with the tenant's secret
    assert body["event"] == "ping"
    assert body["source"]["connection_id"] == tenant.id


def test_each_failure_is_reported_in_its_check_and_the_other_still_runs(
    orders_settings, admin, shop, webhook_sink
):
    tenant = add_tenant(admin, webhook_sink.url, odoo=shop)
    shop.revoke_api_key()
    webhook_sink.respond(503, times=1)
    odoo, webhook = check_tenant(orders_settings, tenant, admin.store)
    assert not odoo.ok and odoo.detail
    assert not webhook.ok and "HTTP 503" in webhook.detail
    assert len(webhook_sink.deliveries) == 1  # the ping was sent although Odoo failed
    assert SECRET not in odoo.detail + webhook.detail
