"""Every route of the `enrich` (with its panel) and `orders-api` functions, fuzzed as GCP
calls them: whatever arrives, a JSON answer and never a 5xx. embed-document's routes are
fuzzed from its OpenAPI document (tests/knowledge/test_properties.py)."""

from __future__ import annotations

from pathlib import Path

import functions_framework
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from http_fuzz import check, requests, rules_of, sweep
from odoo_engines.enrichment.handlers import create_handler
from odoo_engines.orders.handlers import OrdersApi

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
FUZZ = settings(
    max_examples=30,  # per route
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENRICH_KEY = {"X-Enrich-API-Key": "fuzz-key"}
ENRICH_QUERY = ("limit", "offset", "review_status", "year", "month", "sku", "q")


@pytest.fixture
def app_for(base_env, monkeypatch):
    def make(name: str, target: str, **env: str):
        for key, value in {**base_env, **env}.items():
            monkeypatch.setenv(key, value)
        source = str(FUNCTIONS / name / "main.py")
        return functions_framework.create_app(target, source).test_client()

    return make


@pytest.mark.parametrize(("rule", "methods"), rules_of(create_handler().router))
@FUZZ
@given(data=st.data())
def test_no_request_to_enrich_or_its_panel_gets_a_5xx(app_for, rule, methods, data):
    client = app_for("enrich", "enrich", ENRICH_API_KEY="fuzz-key")
    keys = [ENRICH_KEY, ENRICH_KEY, {}, {"X-Enrich-API-Key": "wrong"}]
    method, path, headers, body = data.draw(requests(rule, methods, ENRICH_QUERY, keys))
    check(client.open(path, method=method, data=body, headers=headers))


def test_odd_numbers_in_any_query_parameter_of_enrich_get_no_5xx(app_for):
    client = app_for("enrich", "enrich", ENRICH_API_KEY="fuzz-key")
    for rule, methods in rules_of(create_handler().router):
        for method, path in sweep(rule, methods, ENRICH_QUERY):
            check(client.open(path, method=method, headers=ENRICH_KEY, data=b"{}"))


@pytest.mark.parametrize(("rule", "methods"), rules_of(OrdersApi().router))
@FUZZ
@given(data=st.data())
def test_no_request_to_orders_api_gets_a_5xx(app_for, orders_env, rule, methods, data):
    client = app_for("orders-api", "orders_api", **orders_env)
    keys = [{}, {"X-Webhook-Secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]
    method, path, headers, body = data.draw(requests(rule, methods, ("token",), keys))
    check(client.open(path, method=method, data=body, headers=headers))
