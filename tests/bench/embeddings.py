"""Benchmark: offline embeddings and the OpenAI SDK path through LocalOpenAI.

Run: `.venv/bin/python tests/bench/embeddings.py`. Prints sentences/s of the offline model
on 1,000 Spanish product texts, then provider calls and latency through LocalOpenAI for
embeddings and structured chat completions.
"""

from __future__ import annotations

import os
import random
import statistics
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from odoo_engines.core.logging import configure_logging  # noqa: E402
from odoo_engines.core.settings import load_settings  # noqa: E402 - after the thread pinning
from odoo_engines.embeddings import LocalEmbedder, get_embedder  # noqa: E402
from odoo_engines.llm import get_text_generator  # noqa: E402
from odoo_engines_tools.sandbox.openai_server import LocalOpenAI  # noqa: E402

PRODUCTS = ["Taladro percutor", "Polera de algodón", "Silla de escritorio", "Arroz grano largo",
            "Manguera de riego", "Zapatilla de running", "Lámpara de pie", "Mochila escolar",
            "Set de sartenes", "Parka impermeable"]  # fmt: skip
TRAITS = ["inalámbrico", "de alta resistencia", "ergonómica", "liviana", "para exterior",
          "con garantía de dos años", "ideal para el invierno", "fácil de limpiar"]  # fmt: skip
SIZES = ["talla S", "talla M", "talla L", "1 kg", "5 kg", "20 metros", "18 V", "40 litros"]
COLOURS = ["rojo", "azul", "negro", "verde", "gris", "blanco"]
ENRICH = {
    "type": "object",
    "properties": {
        "description": {"type": "string", "maxLength": 300},
        "category": {"type": "string", "enum": ["Herramientas", "Vestuario", "Hogar", "Alimentos"]},
        "confidence": {"type": "number"},
    },
}


def product_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(PRODUCTS)} {rng.choice(TRAITS)}, {rng.choice(SIZES)}, color "
        f"{rng.choice(COLOURS)}. Código {1000 + i}. {rng.choice(TRAITS).capitalize()}."
        for i in range(n)
    ]


def bench_offline(texts: list[str]) -> None:
    emb = LocalEmbedder()
    start = time.perf_counter()
    emb.embed(["carga del modelo"])
    print(f"offline model load (first call): {time.perf_counter() - start:.2f} s")
    emb.calls = 0
    start = time.perf_counter()
    emb.embed(texts)
    elapsed = time.perf_counter() - start
    print(
        f"offline embeddings: {len(texts)} texts in {elapsed:.2f} s = "
        f"{len(texts) / elapsed:.0f} sentences/s ({emb.calls} model calls of {emb.max_batch})"
    )


def bench_local_openai(texts: list[str]) -> None:
    with LocalOpenAI() as server:
        env = {"OPENAI_API_KEY": server.api_key, "OPENAI_BASE_URL": server.url}
        for batch in (256, 2048):
            emb = get_embedder(load_settings({**env, "EMBEDDING_BATCH_SIZE": str(batch)}))
            server.reset()
            start = time.perf_counter()
            emb.embed(texts)
            elapsed = time.perf_counter() - start
            print(
                f"LocalOpenAI embeddings, batch {batch}: {emb.calls} calls, {elapsed:.2f} s "
                f"({elapsed / emb.calls * 1000:.0f} ms per call, SDK + HTTP + model)"
            )
        gen = get_text_generator(load_settings(env))
        latencies = []
        for text in texts[:50]:
            start = time.perf_counter()
            gen.complete_json("Redacta una ficha de producto", text, ENRICH, "enrich")
            latencies.append(time.perf_counter() - start)
        print(
            f"LocalOpenAI structured chat: {gen.calls} calls, p50 "
            f"{statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    configure_logging("WARNING")
    texts = product_texts(1000)
    bench_offline(texts)
    bench_local_openai(texts)
