"""`odoo-engines demo`'s order step: two tenants (Odoo 17 and 19 on one sandbox server)."""

from __future__ import annotations

import re

from odoo_engines.core.settings import load_settings
from odoo_engines_tools.app import App
from odoo_engines_tools.orders_demo import step_orders


def test_both_tenants_deliver_their_orders_and_are_deleted_after(
    orders_env, db, capsys, monkeypatch
):
    for key, value in orders_env.items():  # the demo reads the orders slice as the CLI does
        monkeypatch.setenv(key, value)
    app = App(load_settings(orders_env))
    try:
        step_orders(app)
    finally:
        app.close()
    out = capsys.readouterr().out
    for name, version in (("Tienda Norte", "17.0"), ("Tienda Sur", "19.0")):
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert f"(Odoo {version}," in line and "error" not in line, line
        assert int(re.search(r"found (\d+)", line).group(1)) > 0, line
    assert "webhook-retry: 1 delivered on its second attempt" in out
    assert "0 duplicates, every signature verified" in out
    assert db.fetchval("SELECT count(*) FROM connections") == 0
