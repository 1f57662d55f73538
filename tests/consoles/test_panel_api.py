"""The panel's routes on the `enrich` function (functions-framework's test client)."""

from __future__ import annotations

from .sales_rows import add_plan

API_KEY = "panel-test-key"


def test_page_is_served_at_the_root_with_a_strict_policy(enrich_client):
    client = enrich_client(ENRICH_API_KEY=API_KEY)
    page = client.get("/")  # no key: the page holds no data
    assert page.status_code == 200
    assert page.content_type == "text/html; charset=utf-8"
    assert b'<script type="module" src="/panel/static/app.js">' in page.data
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    script = client.get("/panel/static/app.js")
    assert script.status_code == 200 and script.content_type.startswith("text/javascript")


def test_only_the_panels_own_files_are_served(enrich_client):
    client = enrich_client()
    for path in ("/panel/static/nothing.js", "/panel/static/..%2F__init__.py",
                 "/panel/static/__init__.py"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json["error"]


def test_panel_data_needs_the_api_key(enrich_client, db):
    add_plan(db)
    client = enrich_client(ENRICH_API_KEY=API_KEY)
    for path in ("/panel/api/plan", "/panel/api/forecast?sku=MESA-01", "/panel/api/search?q=x"):
        assert client.get(path).status_code == 401, path
    ok = client.get("/panel/api/plan", headers={"X-Enrich-API-Key": API_KEY})
    assert ok.status_code == 200


def test_plan_lists_the_latest_month_by_priority_then_need(enrich_client, db):
    add_plan(db)
    plan = enrich_client().get("/panel/api/plan").json
    assert (plan["year"], plan["month"]) == (2026, 7)
    assert plan["counts"] == {"ALTA": 1, "MEDIA": 1, "BAJA": 1}
    assert [i["sku"] for i in plan["items"]] == ["MESA-01", "SILLA-02", "LAMP-03"]
    assert plan["items"][0]["production_needed"] == 100.0
    assert enrich_client().get("/panel/api/plan?year=2026&month=8").json["items"] == []


def test_plan_explains_when_there_is_none(enrich_client, db):
    response = enrich_client().get("/panel/api/plan")
    assert response.status_code == 404
    assert "no production plan yet" in response.json["error"]
    bad = enrich_client().get("/panel/api/plan?year=2026")
    assert bad.status_code == 400 and "both year and month" in bad.json["error"]


def test_forecast_gives_monthly_confirmed_demand_and_the_interval(enrich_client, db):
    add_plan(db)
    data = enrich_client().get("/panel/api/forecast?sku=SILLA-02").json
    assert data["model"] == "theta" and data["product_name"] == "Silla tapizada"
    history = data["history"]
    assert [h["month"] for h in history][:2] == ["2025-07-01", "2025-08-01"]
    assert len(history) == 12 and history[-1]["month"] == "2026-06-01"
    # cancelled lines are no demand; a month without sales is 0, not missing
    assert [h["quantity"] for h in history][:5] == [10.0, 11.0, 12.0, 0.0, 14.0]
    first = data["forecast"][0]
    assert first == {"month": "2026-07-01", "quantity": 80.0, "lower": 56.0, "upper": 104.0}
    assert len(data["forecast"]) == 6


def test_forecast_of_an_unknown_sku_is_404(enrich_client, db):
    add_plan(db)
    response = enrich_client().get("/panel/api/forecast?sku=NOPE")
    assert response.status_code == 404 and "NOPE" in response.json["error"]
    assert enrich_client().get("/panel/api/forecast").status_code == 400


def test_query_numbers_are_ascii_digits_of_bounded_length(enrich_client, db):
    """Digits like "²" or "١٢", "1_0" and 5,000-digit strings are 400, never 500."""
    add_plan(db)
    client = enrich_client()
    for path in (
        "/panel/api/plan?year=²&month=1",
        "/panel/api/plan?year=2026&month=١",
        "/panel/api/plan?year=2_026&month=1",
        f"/panel/api/plan?year={'9' * 5000}&month=1",
        "/panel/api/search?q=mesa&limit=¹",
        f"/panel/api/search?q=mesa&limit={'1' * 5000}",
        "/products?limit=٣",
        "/products?offset= 1",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "whole number" in response.json["error"], path


def test_nul_in_a_query_is_refused_before_the_database(enrich_client, db):
    add_plan(db)
    client = enrich_client()
    for path in ("/panel/api/forecast?sku=MESA%0001", "/panel/api/search?q=me%00sa"):
        response = client.get(path)
        assert response.status_code == 422, path
        assert "NUL" in response.json["error"] and "SQLSTATE" not in response.json["error"]
