// One SKU's monthly demand (bars) and its forecast (line) with the 80% interval (band),
// drawn as SVG from numbers only.
import { el, number, svg } from "./dom.js";

const W = 760;
const H = 260;
const M = { left: 52, right: 16, top: 14, bottom: 34 };

function label(month) {
  const date = new Date(`${month}T00:00:00Z`);
  return date.toLocaleDateString(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });
}

/** The smallest round step (1, 1.5, 2, … 10 × 10^k) whose 4 ticks reach `value`, times 4. */
function niceTop(value) {
  const raw = value / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return 4 * [1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10].map((m) => m * magnitude).find((step) => step >= raw);
}

/** A figure with the chart and its legend for `data` (GET /panel/api/forecast). */
export function forecastChart(data) {
  const months = [...data.history.map((h) => h.month), ...data.forecast.map((f) => f.month)];
  const top = niceTop(
    Math.max(1, ...data.history.map((h) => h.quantity), ...data.forecast.map((f) => f.upper)) * 1.05,
  );
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const step = plotW / months.length;
  const x = (i) => M.left + step * (i + 0.5);
  const y = (v) => M.top + plotH * (1 - v / top);

  const chart = svg("svg", {
    viewBox: `0 0 ${W} ${H}`,
    class: "chart",
    role: "img",
    "aria-label": `Monthly demand and forecast of ${data.sku}`,
  });
  for (let t = 0; t <= 4; t++) {
    const v = (top * t) / 4;
    chart.append(
      svg("line", { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: "grid-line" }),
      svg("text", { x: M.left - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, number.format(v)),
    );
  }
  data.history.forEach((h, i) => {
    chart.append(
      svg("rect", {
        x: x(i) - step * 0.35,
        y: y(h.quantity),
        width: step * 0.7,
        height: Math.max(0, y(0) - y(h.quantity)),
        class: "bar",
      }, svg("title", {}, `${label(h.month)}: ${number.format(h.quantity)} sold`)),
    );
  });
  const offset = data.history.length;
  const points = data.forecast.map((f, i) => [x(offset + i), f]);
  if (points.length) {
    const upper = points.map(([px, f]) => `${px},${y(f.upper)}`);
    const lower = points.map(([px, f]) => `${px},${y(f.lower)}`).reverse();
    chart.append(
      svg("polygon", { points: [...upper, ...lower].join(" "), class: "band" }),
      svg("polyline", { points: points.map(([px, f]) => `${px},${y(f.quantity)}`).join(" "), class: "line" }),
      svg("line", { x1: x(offset) - step / 2, x2: x(offset) - step / 2, y1: M.top, y2: y(0), class: "divider" }),
    );
    for (const [px, f] of points) {
      chart.append(
        svg("circle", { cx: px, cy: y(f.quantity), r: 3, class: "dot" },
          svg("title", {}, `${label(f.month)}: ${number.format(f.quantity)} (80%: ${number.format(f.lower)}–${number.format(f.upper)})`)),
      );
    }
  }
  const every = Math.max(1, Math.ceil(months.length / 12));
  months.forEach((m, i) => {
    if (i % every === 0) {
      chart.append(svg("text", { x: x(i), y: H - 12, class: "axis", "text-anchor": "middle" }, label(m)));
    }
  });
  return el(
    "figure",
    { class: "forecast" },
    el("figcaption", {},
      el("strong", {}, data.sku), ` · ${data.product_name || ""} · model ${data.model}, demand ${data.demand_class}`),
    chart,
    el("p", { class: "legend" },
      el("span", { class: "key bar-key" }), "sold per month ",
      el("span", { class: "key line-key" }), "forecast ",
      el("span", { class: "key band-key" }), "80% interval"),
  );
}
