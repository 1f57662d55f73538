"""`odoo-engines tui --demo`: two tenants, Odoo 17 and 19, on one sandbox server."""

from __future__ import annotations

from odoo_engines_tools.tui.demo import demo_tenants


def test_each_demo_tenant_reaches_its_own_database_and_is_deleted_after(backend):
    with demo_tenants(backend):
        tenants = backend.tenants()
        assert len(tenants) == 2
        # one server, two databases: each tenant on its database's own URL (the server's
        # shared URL answered the newest database's version, so the other tenant got 404)
        assert len({t.odoo_url for t in tenants}) == 2
        for tenant in tenants:
            odoo, _ = backend.test_tenant(tenant.id)
            version = tenant.name.rsplit("Odoo ", 1)[1].rstrip(")")
            assert odoo.ok and odoo.detail.startswith(f"Odoo {version} "), odoo.detail
            cycle = backend.poll_now(tenant.id)
            assert cycle.error is None and cycle.found > 0, cycle
    assert backend.tenants() == []
