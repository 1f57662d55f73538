"""The admin panel in real headless Chromium (Debian's, driven by Playwright) against the
`enrich` function served over HTTP: what a person sees and does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from .sales_rows import add_plan

# The first product of a process loads the offline language model (seconds on a busy machine).
expect.set_options(timeout=20_000)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _create(page, name, keywords, stock):
    page.fill("#new-name", name)
    page.fill("#new-keywords", keywords)
    page.fill("#new-stock", str(stock))
    page.click("#create-button")


def test_create_describe_sell_below_threshold_and_see_the_alert(serve_enrich, page, db):
    page.goto(serve_enrich() + "/")
    expect(page.locator("#products-state")).to_contain_text("No products yet")
    _create(page, "Laptop Dell Latitude", "laptop, dell, intel", 12)
    row = page.locator("#products-table tbody tr", has_text="Laptop Dell Latitude")
    expect(row).to_have_count(1)
    stored = db.rows("SELECT * FROM enriched_products")[0]
    expect(row.locator("td.description")).to_contain_text(stored["description"][:60])
    expect(row.locator(".badge.ai")).to_contain_text("AI · offline")
    expect(page.locator("#create-status")).to_contain_text("Created Laptop Dell Latitude")
    expect(page.locator("#health")).to_contain_text("LLM: offline writer")

    row.locator("input.qty").fill("5")  # 12 → 7: below the threshold of 10
    row.locator("button.sell").click()
    expect(row.locator(".badge.error")).to_have_text("low")
    expect(row.locator("td.num")).to_contain_text("7")
    expect(page.locator("#toast")).to_contain_text("Low stock: Laptop Dell Latitude has 7 left")
    expect(page.locator("#alert-count")).to_have_text("1")
    _shot(page, "panel-products.png")

    page.click("text=Alerts")
    alert = page.locator("#alerts-table tbody tr", has_text="Laptop Dell Latitude")
    expect(alert).to_contain_text("Low stock: Laptop Dell Latitude has 7 left (threshold 10)")
    _shot(page, "panel-alerts.png")
    alert.locator("button", has_text="Acknowledge").click()
    expect(alert).to_contain_text("acknowledged")
    expect(page.locator("#alert-count")).to_be_hidden()
    assert db.fetchval("SELECT acknowledged_at IS NOT NULL FROM stock_alerts") is True


def test_llm_down_shows_the_503_message_and_saves_nothing(serve_enrich, page, db):
    # nothing listens on port 9: every call to the "OpenAI" server fails at once
    base = serve_enrich(
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL="http://127.0.0.1:9/v1",
        OPENAI_MAX_RETRIES="0",
        ENRICH_LLM_ATTEMPTS="1",
    )
    page.goto(base + "/")
    _create(page, "Silla ergonómica", "silla, oficina", 30)
    status = page.locator("#create-status")
    expect(status).to_contain_text("Not created: the language model is unavailable")
    expect(status).to_contain_text("nothing was saved")
    expect(status).to_have_attribute("data-kind", "error")
    expect(page.locator("#create-button")).to_be_enabled()
    _shot(page, "panel-llm-down.png")
    assert db.fetchval("SELECT count(*) FROM enriched_products") == 0


def test_slow_llm_shows_the_loading_state_until_the_answer(
    serve_enrich, page, openai_env, local_openai
):
    local_openai.set_latency(1.0)
    page.goto(serve_enrich(**openai_env) + "/")
    _create(page, "Taladro percutor", "taladro, bosch", 40)
    status = page.locator("#create-status")
    expect(status).to_have_attribute("data-kind", "loading")
    expect(status).to_contain_text("the language model can take up to 30 s")
    expect(page.locator("#create-button")).to_be_disabled()
    row = page.locator("#products-table tbody tr", has_text="Taladro percutor")
    expect(row).to_have_count(1)
    expect(row.locator(".badge.ai")).to_contain_text("AI · openai")
    expect(page.locator("#create-button")).to_be_enabled()


def test_data_is_shown_as_text_never_as_markup(serve_enrich, page):
    page.goto(serve_enrich() + "/")
    name = '<img src=x onerror="window.hacked=1">Lámpara'
    _create(page, name, "<b>bold</b>", 3)
    row = page.locator("#products-table tbody tr").first
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("<b>bold</b>")
    assert page.locator("#products-table img, #products-table b").count() == 0
    assert page.evaluate("window.hacked") is None


def test_production_plan_with_priorities_and_a_forecast_chart(serve_enrich, page, db):
    add_plan(db)
    page.goto(serve_enrich() + "/#plan")
    rows = page.locator("#plan-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".badge")).to_have_text("ALTA")
    expect(rows.nth(2)).to_contain_text("Lámpara <b>de pie</b>")  # text, not markup
    expect(page.locator("#plan-summary")).to_contain_text("1 high, 1 medium, 1 low priority")
    chart = page.locator("#chart figure")
    expect(chart.locator("figcaption")).to_contain_text("MESA-01")
    expect(chart.locator("svg rect.bar")).to_have_count(12)
    expect(chart.locator("svg circle.dot")).to_have_count(6)
    rows.nth(1).click()
    expect(chart.locator("figcaption")).to_contain_text("SILLA-02")
    _shot(page, "panel-plan.png")


def test_the_page_asks_for_the_api_key_when_the_function_has_one(serve_enrich, page):
    page.goto(serve_enrich(ENRICH_API_KEY="panel-key") + "/")
    expect(page.locator("#key-form")).to_be_visible()
    expect(page.locator("#products-state")).to_contain_text("missing or invalid")
    page.fill("#api-key", "panel-key")
    page.click("#key-form button")
    expect(page.locator("#key-form")).to_be_hidden()
    expect(page.locator("#products-state")).to_have_text(re.compile("No products yet"))


def test_searching_the_catalogue_shows_the_nearest_products(serve_enrich, page, synced_catalogue):
    product = next(p for p in synced_catalogue if p["name"].lower().startswith("aceite"))
    page.goto(serve_enrich() + "/")
    page.fill("#search-q", f"quiero comprar {product['name'].lower()}")
    page.press("#search-q", "Enter")
    rows = page.locator("#search-results tbody tr")
    expect(rows).to_have_count(10)
    found = rows.filter(has_text=product["sku"])
    expect(found).to_have_count(1)
    expect(found).to_contain_text(product["name"])
    expect(found).to_contain_text(re.compile(r"\d+% similar"))
    _shot(page, "panel-search.png")

    page.fill("#search-q", product["sku"])
    page.press("#search-q", "Enter")
    first = rows.first
    expect(first).to_contain_text("exact sku")
    expect(first.locator("td").nth(0)).to_have_text(product["sku"])
