"""A product is saved only with both AI answers: a failure between them writes nothing."""

from __future__ import annotations

import pytest

from odoo_engines.core.errors import TransientError
from odoo_engines.enrichment import run
from odoo_engines.enrichment.resilience import CircuitBreaker
from odoo_engines.enrichment.settings import load_enrichment_settings
from odoo_engines.enrichment.validation import NewProduct
from odoo_engines.enrichment.writer import ProductWriter
from odoo_engines.llm import OfflineTextGenerator


class CategoryOutage:
    """The real offline generator, with the provider going down after the description."""

    offline = True

    def __init__(self):
        self.inner = OfflineTextGenerator()
        self.model = self.inner.model
        self.calls = 0

    def complete_json(self, system, user, schema, name):
        self.calls += 1
        if name == "product_category":
            raise TransientError("provider went away")
        return self.inner.complete_json(system, user, schema, name)


def test_category_failure_after_the_description_saves_nothing(db, base_env):
    enrichment = load_enrichment_settings(base_env)
    generator = CategoryOutage()
    writer = ProductWriter(generator, CircuitBreaker(), enrichment, 30.0, sleep=lambda _s: None)
    with pytest.raises(TransientError):
        run.create_product(db, writer, enrichment, NewProduct("Laptop", (), 3))
    assert generator.calls == 1 + enrichment.llm_attempts
    assert db.fetchval("SELECT count(*) FROM enriched_products") == 0
    assert db.fetchval("SELECT count(*) FROM stock_alerts") == 0
