// The admin panel: products (create with AI, simulate a sale), alerts, production plan,
// catalogue search. Every request shows a loading state and the API's own error message.
import { api, setKey, whenUnauthorized } from "./api.js";
import { forecastChart } from "./chart.js";
import { el, fill, number, status, when } from "./dom.js";

const $ = (selector) => document.querySelector(selector);
const TABS = ["products", "alerts", "plan"];
const loaded = new Set();

function toast(text, kind = "ok") {
  const box = $("#toast");
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 6000);
}

// -- tabs ----------------------------------------------------------------------------
function showTab() {
  const name = TABS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "products";
  for (const tab of TABS) {
    $(`#${tab}`).hidden = tab !== name;
    document.querySelector(`[data-tab="${tab}"]`).classList.toggle("active", tab === name);
  }
  if (!loaded.has(name)) {
    loaded.add(name);
    ({ products: loadProducts, alerts: loadAlerts, plan: loadPlan })[name]();
  }
}

// -- health --------------------------------------------------------------------------
async function loadHealth() {
  const badge = $("#health");
  try {
    const health = await api("/health");
    const llm = health.dependencies.llm;
    const provider = llm.provider === "offline" ? "offline writer" : `OpenAI ${llm.model || ""}`;
    badge.textContent = `${health.status} · LLM: ${provider} · circuit ${llm.circuit_breaker.state}`;
    badge.dataset.kind = health.status === "healthy" ? "ok" : "warn";
  } catch (error) {
    badge.textContent = `unhealthy: ${error.message}`;
    badge.dataset.kind = "error";
  }
}

// -- products ------------------------------------------------------------------------
function categoryCell(p) {
  const confidence =
    p.category_confidence === null ? "" : ` (${Math.round(p.category_confidence * 100)}%)`;
  if (p.review_status === "needs_review") {
    return el("td", {},
      el("span", { class: "badge warn" }, "needs review"), " ",
      el("span", { class: "muted" }, `suggested: ${p.suggested_category || "none"}${confidence}`));
  }
  const source = p.category_source === "human" ? "filed by a person" : `AI${confidence}`;
  return el("td", {}, p.category || "", " ", el("span", { class: "muted" }, source));
}

function provenance(p) {
  if (p.description_source === "human") return el("span", { class: "badge" }, "edited by a person");
  if (!p.ai) return null;
  const title = p.provenance.description
    ? `prompt ${p.provenance.description.prompt_version}, input ${String(p.provenance.description.input_hash).slice(0, 12)}…`
    : "";
  return el("span", { class: "badge ai", title }, `AI · ${p.ai.provider} · ${p.ai.model}`);
}

function stockCell(p) {
  return el("td", { class: "num" }, p.stock === null ? "–" : number.format(p.stock), " ",
    p.low_stock ? el("span", { class: "badge error" }, "low") : null);
}

function productRow(p) {
  const quantity = el("input", {
    type: "number", min: "1", step: "1", value: "1", class: "qty", "aria-label": `Quantity of ${p.name} sold`,
  });
  const button = el("button", { type: "button", class: "sell" }, "Simulate sale");
  button.addEventListener("click", () => sell(p, quantity, button));
  const canSell = p.stock !== null;
  return el("tr", { dataset: { id: p.id } },
    el("td", {}, el("strong", {}, p.name),
      el("div", { class: "muted" }, (p.keywords || []).join(", "))),
    categoryCell(p),
    el("td", { class: "description" }, p.description || "", " ", provenance(p)),
    stockCell(p),
    el("td", { class: "actions" }, canSell ? [quantity, button] : el("span", { class: "muted" }, "stock kept in Odoo")));
}

async function loadProducts() {
  const state = $("#products-state");
  status(state, "Loading products…", "loading");
  try {
    const page = await api("/products?limit=200");
    fill($("#products-table tbody"), page.items.map(productRow));
    $("#products-table").hidden = page.items.length === 0;
    status(state, page.items.length ? (page.total > page.items.length ? `Newest ${page.items.length} of ${page.total}` : "") : "No products yet: create the first one above.");
  } catch (error) {
    status(state, `Cannot load products: ${error.message}`, "error");
  }
}

async function createProduct(event) {
  event.preventDefault();
  const button = $("#create-button");
  const line = $("#create-status");
  const body = {
    name: $("#new-name").value.trim(),
    keywords: $("#new-keywords").value.split(",").map((k) => k.trim()).filter(Boolean),
    stock: Number($("#new-stock").value),
  };
  button.disabled = true;
  status(line, "Writing the description and choosing a category… the language model can take up to 30 s.", "loading");
  try {
    const product = await api("/products", { method: "POST", body });
    status(line, `Created ${product.name}: ${product.category || `needs review (suggested ${product.suggested_category})`}.`, "ok");
    $("#create-form").reset();
    await loadProducts();
    if (product.alert) {
      toast(product.alert.alert_message, "warn");
      loaded.delete("alerts");
      loadAlertCount();
    }
  } catch (error) {
    status(line, `Not created: ${error.message}`, "error");
  } finally {
    button.disabled = false;
    loadHealth(); // the LLM's circuit breaker may have changed
  }
}

async function sell(product, quantityInput, button) {
  button.disabled = true;
  const quantity = Number(quantityInput.value);
  try {
    const result = await api(`/products/${product.id}/sell`, { method: "POST", body: { quantity } });
    const row = document.querySelector(`#products-table tr[data-id="${product.id}"]`);
    row.replaceWith(productRow(result.product));
    if (result.alert) {
      toast(result.alert.alert_message, "warn");
    } else {
      toast(`Sold ${quantity} × ${product.name}; stock now ${result.updated_stock}.`);
    }
    loaded.delete("alerts");
    loadAlertCount();
  } catch (error) {
    toast(`Sale not recorded: ${error.message}`, "error");
    button.disabled = false;
  }
}

// -- search --------------------------------------------------------------------------
async function search(event) {
  event.preventDefault();
  const q = $("#search-q").value.trim();
  const box = $("#search-results");
  if (!q) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const state = el("p", { class: "status", dataset: { kind: "loading" } }, `Searching for “${q}”…`);
  fill(box, state);
  try {
    const result = await api(`/panel/api/search?q=${encodeURIComponent(q)}&limit=10`);
    if (!result.items.length) {
      status(state, `Nothing in the catalogue matches “${q}”.`);
      return;
    }
    fill(box, el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["SKU", "Product", "Category", "Price", "On hand", "Match"].map((h) => el("th", {}, h)))),
      el("tbody", {}, result.items.map((hit) => el("tr", {},
        el("td", {}, hit.sku), el("td", {}, hit.name), el("td", {}, hit.category_name || ""),
        el("td", { class: "num" }, number.format(hit.list_price)),
        el("td", { class: "num" }, number.format(hit.qty_available)),
        el("td", {}, hit.match === "semantic" ? `${Math.round(hit.similarity * 100)}% similar` : `exact ${hit.match}`))))));
  } catch (error) {
    status(state, `Search unavailable: ${error.message}`, "error");
  }
}

// -- alerts --------------------------------------------------------------------------
async function loadAlertCount() {
  try {
    const open = await api("/alerts?status=open&limit=1");
    const badge = $("#alert-count");
    badge.textContent = String(open.total);
    badge.hidden = open.total === 0;
  } catch {
    // the alerts tab shows the error when opened
  }
  if (!$("#alerts").hidden) loadAlerts();
}

function alertRow(alert) {
  const ack = el("button", { type: "button" }, "Acknowledge");
  ack.addEventListener("click", async () => {
    ack.disabled = true;
    try {
      await api(`/alerts/${alert.id}/ack`, { method: "POST" });
      await loadAlerts();
      loadAlertCount();
    } catch (error) {
      toast(`Not acknowledged: ${error.message}`, "error");
      ack.disabled = false;
    }
  });
  return el("tr", { class: alert.acknowledged ? "done" : "open", dataset: { id: alert.id } },
    el("td", {}, when(alert.created_at)),
    el("td", {}, alert.product_name),
    el("td", { class: "num" }, number.format(alert.current_stock)),
    el("td", {}, alert.alert_message),
    el("td", {}, alert.acknowledged ? el("span", { class: "muted" }, `acknowledged ${when(alert.acknowledged_at)}`) : ack));
}

async function loadAlerts() {
  const state = $("#alerts-state");
  status(state, "Loading alerts…", "loading");
  try {
    const page = await api("/alerts?status=all&limit=200");
    fill($("#alerts-table tbody"), page.items.map(alertRow));
    $("#alerts-table").hidden = page.items.length === 0;
    status(state, page.items.length ? "" : "No low-stock alerts.");
  } catch (error) {
    status(state, `Cannot load alerts: ${error.message}`, "error");
  }
}

// -- production plan -----------------------------------------------------------------
async function showForecast(sku) {
  const box = $("#chart");
  box.hidden = false;
  fill(box, el("p", { class: "status", dataset: { kind: "loading" } }, `Loading the forecast of ${sku}…`));
  try {
    fill(box, forecastChart(await api(`/panel/api/forecast?sku=${encodeURIComponent(sku)}`)));
  } catch (error) {
    fill(box, el("p", { class: "status", dataset: { kind: "error" } }, `No chart: ${error.message}`));
  }
}

async function loadPlan() {
  const state = $("#plan-state");
  status(state, "Loading the production plan…", "loading");
  try {
    const plan = await api("/panel/api/plan");
    const month = new Date(Date.UTC(plan.year, plan.month - 1, 1))
      .toLocaleDateString(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
    $("#plan-summary").textContent =
      `${month}: ${plan.counts.ALTA} high, ${plan.counts.MEDIA} medium, ${plan.counts.BAJA} low priority. Click a row for its forecast.`;
    fill($("#plan-table tbody"), plan.items.map((item) => {
      const row = el("tr", { tabindex: "0", class: "clickable", dataset: { sku: item.sku } },
        el("td", {}, el("span", { class: `badge priority-${item.priority.toLowerCase()}` }, item.priority)),
        el("td", {}, item.sku), el("td", {}, item.product_name || ""),
        el("td", { class: "num" }, number.format(item.forecast_quantity)),
        el("td", { class: "num" }, number.format(item.stock_on_hand)),
        el("td", { class: "num" }, number.format(item.incoming_manufacturing + item.incoming_purchases)),
        el("td", { class: "num strong" }, number.format(Math.max(0, item.production_needed))),
        el("td", { class: "muted" }, item.explanation));
      const open = () => showForecast(item.sku);
      row.addEventListener("click", open);
      row.addEventListener("keydown", (e) => e.key === "Enter" && open());
      return row;
    }));
    $("#plan-body").hidden = false;
    status(state, "");
    if (plan.items.length) showForecast(plan.items[0].sku);
  } catch (error) {
    status(state, error.status === 404 ? error.message : `Cannot load the plan: ${error.message}`, error.status === 404 ? "" : "error");
  }
}

// -- start ---------------------------------------------------------------------------
whenUnauthorized(() => {
  $("#key-form").hidden = false;
  $("#api-key").focus();
});
$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setKey($("#api-key").value);
  $("#key-form").hidden = true;
  loaded.clear();
  showTab();
  loadAlertCount();
});
$("#create-form").addEventListener("submit", createProduct);
$("#search-form").addEventListener("submit", search);
window.addEventListener("hashchange", showTab);
showTab();
loadHealth();
loadAlertCount();
