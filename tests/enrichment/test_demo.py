"""The demo step: a product created through the function, sold below the threshold, and
the alert shown."""

from odoo_engines.core.settings import load_settings
from odoo_engines_tools.app import App
from odoo_engines_tools.demo import step_enrichment


def test_demo_step_creates_sells_and_shows_the_alert(make_client, capsys):
    make_client()  # the function's environment: this test's database, offline generator
    app = App(load_settings())
    try:
        step_enrichment(app)
    finally:
        app.close()
    out = capsys.readouterr().out
    assert "POST /products 'Aceite de coco orgánico 500 ml' → 201" in out
    assert "→ stock 7" in out
    assert "alert: ⚠ Low stock: Aceite de coco orgánico 500 ml has 7 left (threshold 10)" in out
    assert "1 open alert(s)" in out and "GET /health → healthy" in out
