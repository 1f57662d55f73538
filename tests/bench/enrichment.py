"""Benchmark: the `enrich` function against the seed's metrics.

Run: `.venv/bin/python tests/bench/enrichment.py [--products 10000] [--creates 20]`.
Prints product creation time through the function (offline generator, then the OpenAI
path through LocalOpenAI, i.e. the real SDK over HTTP), and `GET /products` latency
(p50/p95, pages at random offsets) with 10,000 products stored, and the offline
categorisation's accuracy on a small labelled set. Seed targets: creation under 15 s with
a real LLM; GET /products under 500 ms; categorisation precision above 80 %. Uses its own embedded
PostgreSQL in a temporary folder (or DATABASE_URL if set).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import functions_framework  # noqa: E402 - after the thread pinning

from odoo_engines.core.db import connect  # noqa: E402
from odoo_engines.core.logging import configure_logging  # noqa: E402
from odoo_engines.core.settings import load_settings  # noqa: E402
from odoo_engines.enrichment.resilience import CircuitBreaker  # noqa: E402
from odoo_engines.enrichment.settings import load_enrichment_settings  # noqa: E402
from odoo_engines.enrichment.writer import build_writer  # noqa: E402
from odoo_engines_tools.sandbox.openai_server import LocalOpenAI  # noqa: E402

SOURCE = Path(__file__).resolve().parents[2] / "functions" / "enrich" / "main.py"
NAMES = ["Laptop Dell Latitude", "Taladro percutor 18 V", "Silla ergonómica", "Aceite de coco",
         "Auriculares bluetooth", "Mochila escolar", "Set de sartenes", "Parka impermeable",
         "Lámpara de pie", "Monitor 27 pulgadas"]  # fmt: skip
KEYWORDS = ["inalámbrico", "oficina", "hogar", "orgánico", "resistente", "liviano", "usb-c"]


# (name, keywords, the category a person would file it in), from the default list
LABELLED = [
    ("Laptop Dell Latitude 5440", ["laptop", "intel", "14 pulgadas"], "Computers & Accessories"),
    ("Mouse inalámbrico Logitech", ["mouse", "usb"], "Computers & Accessories"),
    ("Teclado mecánico", ["teclado", "switches"], "Computers & Accessories"),
    ("Monitor 27 pulgadas 4K", ["monitor", "hdmi"], "Computers & Accessories"),
    ("Smartphone Samsung Galaxy", ["celular", "android"], "Electronics"),
    ("Auriculares bluetooth", ["audio", "inalámbrico"], "Electronics"),
    ("Televisor LED 55 pulgadas", ["tv", "smart"], "Electronics"),
    ("Cuaderno universitario", ["papel", "100 hojas"], "Office Supplies"),
    ("Resma de papel carta", ["papel", "impresora"], "Office Supplies"),
    ("Corchetera metálica", ["oficina", "corchetes"], "Office Supplies"),
    ("Silla de escritorio ergonómica", ["silla", "oficina"], "Furniture"),
    ("Mesa de comedor de roble", ["mesa", "madera"], "Furniture"),
    ("Estante de 5 repisas", ["estante", "madera"], "Furniture"),
    ("Set de sartenes antiadherentes", ["cocina", "sartén"], "Home & Kitchen"),
    ("Hervidor eléctrico", ["cocina", "agua"], "Home & Kitchen"),
    ("Juego de sábanas de algodón", ["cama", "algodón"], "Home & Kitchen"),
    ("Taladro percutor 18 V", ["herramienta", "batería"], "Tools & Hardware"),
    ("Set de destornilladores", ["herramienta", "acero"], "Tools & Hardware"),
    ("Caja de tornillos", ["ferretería", "acero"], "Tools & Hardware"),
    ("Polera de algodón", ["ropa", "talla M"], "Clothing & Accessories"),
    ("Parka impermeable", ["ropa", "invierno"], "Clothing & Accessories"),
    ("Cinturón de cuero", ["accesorio", "cuero"], "Clothing & Accessories"),
    ("Crema hidratante facial", ["piel", "cuidado"], "Health & Beauty"),
    ("Shampoo sin sal", ["cabello"], "Health & Beauty"),
    ("Aceite de oliva extra virgen", ["alimento", "aceite"], "Food & Beverages"),
    ("Café en grano", ["café", "tostado"], "Food & Beverages"),
    ("Jugo de naranja natural", ["bebida", "fruta"], "Food & Beverages"),
    ("Bicicleta de montaña", ["deporte", "aro 29"], "Sports & Outdoors"),
    ("Carpa para 4 personas", ["camping"], "Sports & Outdoors"),
    ("Pelota de fútbol", ["deporte", "balón"], "Sports & Outdoors"),
    ("Set de bloques de construcción", ["niños", "juguete"], "Toys & Games"),
    ("Muñeca de trapo", ["niños", "juguete"], "Toys & Games"),
    ("Juego de mesa familiar", ["juego", "familia"], "Toys & Games"),
    ("Novela de ciencia ficción", ["libro", "tapa blanda"], "Books & Media"),
    ("Enciclopedia ilustrada", ["libro"], "Books & Media"),
    ("Película en Blu-ray", ["cine", "disco"], "Books & Media"),
]


def bench_categorisation(settings, enrichment) -> None:
    """The seed's "categorisation precision > 80 %" on a small labelled set (offline)."""
    writer = build_writer(settings, enrichment, CircuitBreaker())
    categories = list(enrichment.default_categories)
    threshold = enrichment.review_threshold
    right = filed = filed_right = 0
    for name, keywords, expected in LABELLED:
        answer = writer.enrich(name, keywords, categories).category
        right += answer.category == expected
        if answer.confidence >= threshold:
            filed += 1
            filed_right += answer.category == expected
    total = len(LABELLED)
    print(
        f"categorisation ({writer.provider} {writer.model}), {total} labelled products: "
        f"top-1 accuracy {right / total:.0%}; filed at confidence >= {threshold}: "
        f"{filed} ({filed_right / max(filed, 1):.0%} right), {total - filed} left for review"
    )


def _client(env: dict[str, str]):
    for name in list(os.environ):
        if name.startswith(("ENRICH_", "OPENAI_")):
            del os.environ[name]
    os.environ.update(env)
    return functions_framework.create_app("enrich", str(SOURCE)).test_client()


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(int(len(values) * 0.95) - 1, 0)]
    return (
        f"mean {statistics.mean(values) * 1000:.0f} ms, p50 {statistics.median(values) * 1000:.0f}"
        f" ms, p95 {p95 * 1000:.0f} ms, max {values[-1] * 1000:.0f} ms"
    )


def bench_creation(label: str, client, creates: int, rng: random.Random) -> None:
    first = time.perf_counter()
    response = client.post("/products", json={"name": "Warm-up", "keywords": [], "stock": 50})
    assert response.status_code == 201, response.json
    warm = time.perf_counter() - first
    times = []
    for i in range(creates):
        body = {"name": f"{rng.choice(NAMES)} {i}", "keywords": rng.sample(KEYWORDS, 3),
                "stock": 50}  # fmt: skip
        start = time.perf_counter()
        response = client.post("/products", json=body)
        times.append(time.perf_counter() - start)
        assert response.status_code == 201, response.json
    print(f"{label}: first request {warm:.2f} s (cold: database, migrations, model)")
    print(f"  {creates} creates: {_ms(times)}")


def fill(settings, n: int, rng: random.Random) -> None:
    db = connect(settings)
    start = time.perf_counter()
    provenance = {"provider": "offline", "model": "bench", "prompt_version": "bench",
                  "input_hash": "0" * 64, "generated_at": "2025-01-01T00:00:00+00:00"}  # fmt: skip
    rows = (
        (f"{rng.choice(NAMES)} {i}", "{bench}", rng.randint(0, 200), f"Descripción {i}. " * 8,
         "ai", provenance, "Electronics", "Electronics", 0.9, "ai", provenance, "filed")
        for i in range(n)
    )  # fmt: skip
    db.copy_rows(
        "enriched_products",
        ("name", "keywords", "stock", "description", "description_source",
         "description_provenance", "category", "suggested_category", "category_confidence",
         "category_source", "category_provenance", "review_status"),
        rows,
    )  # fmt: skip
    db.execute("ANALYZE enriched_products")
    total = db.fetchval("SELECT count(*) FROM enriched_products")
    print(f"stored {n} products by COPY in {time.perf_counter() - start:.2f} s ({total} in table)")
    db.close()


def bench_list(client, total: int, requests: int, rng: random.Random) -> None:
    for limit in (50, 200):
        times = []
        for _ in range(requests):
            offset = rng.randrange(0, max(total - limit, 1))
            start = time.perf_counter()
            response = client.get(f"/products?limit={limit}&offset={offset}")
            times.append(time.perf_counter() - start)
            assert response.status_code == 200 and len(response.json["items"]) == limit
        print(f"GET /products?limit={limit} at random offsets ({requests} requests): {_ms(times)}")
    start = time.perf_counter()
    response = client.get(f"/products?limit=50&offset={total - 50}")
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200
    print(f"GET /products last page (offset {total - 50}): {elapsed:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--creates", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    configure_logging("WARNING", "json")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="enrich-bench-") as tmp:
        env = {"ENVIRONMENT": "local", "EMBEDDED_PG_DIR": str(Path(tmp) / "pg"),
               "LOG_LEVEL": "warning"}  # fmt: skip
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        offline = _client(env)
        bench_creation("create, offline generator", offline, args.creates, rng)
        with LocalOpenAI() as server:
            openai_env = {**env, "OPENAI_API_KEY": server.api_key, "OPENAI_BASE_URL": server.url}
            online = _client(openai_env)
            server.reset()
            bench_creation("create, OpenAI SDK via LocalOpenAI", online, args.creates, rng)
            chats = server.calls("/v1/chat/completions")
            print(f"  {chats} chat completions for {args.creates + 1} products (2 per product)")
        settings = load_settings(env)
        bench_categorisation(settings, load_enrichment_settings(env))
        fill(settings, args.products, rng)
        client = _client(env)
        client.get("/products?limit=1")  # connect and migrate outside the timings
        total = client.get("/products?limit=1").json["total"]
        bench_list(client, total, args.requests, rng)


if __name__ == "__main__":
    main()
