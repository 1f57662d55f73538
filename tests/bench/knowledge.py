"""Benchmark: the knowledge engine on a fresh embedded PostgreSQL.

Run: `.venv/bin/python tests/bench/knowledge.py [--chunks 100000] [--queries 200]`.

1. A 100 KB Spanish document embedded with the offline provider: time, provider calls,
   SQL statements; then again unchanged, and after a one-paragraph edit (chunks sent).
2. Search over 100,000 chunks loaded with `copy_rows` (random but clustered 512-d
   vectors; the HNSW index built after the load): p50/p95 of the store's search and
   recall@10 against the exact answer, for a chatbot holding 90 % of the rows and for
   one holding 1 %, at several `hnsw.ef_search` values.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402 - after the thread pinning

from odoo_engines.core.logging import configure_logging  # noqa: E402

configure_logging("WARNING", "console")  # before the modules below bind their loggers

from odoo_engines.core.db import connect  # noqa: E402
from odoo_engines.core.settings import load_settings  # noqa: E402
from odoo_engines.embeddings import get_embedder  # noqa: E402
from odoo_engines.knowledge import run, store  # noqa: E402
from odoo_engines.knowledge.run import Source  # noqa: E402
from odoo_engines.knowledge.settings import load_knowledge_settings  # noqa: E402
from odoo_engines.knowledge.store import SourceKey  # noqa: E402

WORDS = ["pedido", "envío", "cliente", "producto", "garantía", "devolución", "plazo",
         "tienda", "almacén", "transporte", "cuidado", "limpieza", "madera", "tela", "agua",
         "jabón", "suave", "seco", "sol", "humedad", "semana", "días", "horas", "gratuito",
         "coste", "península", "islas", "factura", "pago", "tarjeta", "reembolso", "caja",
         "embalaje", "sofá", "mesa", "silla", "cojín", "funda", "lavado", "temperatura",
         "etiqueta", "talla", "color", "modelo", "catálogo"]  # fmt: skip
DIMENSIONS = 512


def document(size: int, seed: int = 7) -> str:
    """About `size` characters of Spanish-like prose in paragraphs of 2 to 8 sentences."""
    rng = random.Random(seed)

    def sentence() -> str:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 22)))
        return words.capitalize() + rng.choice(".......?!")

    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(sentence() for _ in range(rng.randint(2, 8)))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def bench_embedding(db, embedder, settings) -> None:
    text = document(100_000)
    key = SourceKey("document", 1)
    embedder.embed(["carga del modelo"])  # load the offline model outside the timings

    def run(content: str, label: str) -> None:
        calls, statements = embedder.calls, db.statements
        result, elapsed = timed(
            lambda: run.index_source(db, embedder, settings, Source(1, key, content))
        )
        print(
            f"  {label:<22} {elapsed:6.2f} s  chunks stored {result.stored:3d}"
            f"  sent to provider {result.embedded:3d}  reused {result.reused:3d}"
            f"  provider calls {embedder.calls - calls}"
            f"  SQL statements {db.statements - statements}"
        )
        return result

    print(f"1. A {len(text) / 1000:.0f} KB document, offline provider ({embedder.model})")
    first = run(text, "first embed")
    chunking = first.chunking
    print(
        f"  the text needs {chunking.total} chunks of <= {settings.chunk_size} characters"
        f" ({settings.chunk_overlap} overlap); {chunking.over_limit} past the cap of"
        f" {settings.max_chunks} are reported, not stored"
    )
    run(text, "unchanged re-embed")
    paragraphs = text.split("\n\n")
    middle = len(paragraphs) // 3  # inside the stored part
    paragraphs[middle] = "Párrafo reescrito: " + paragraphs[middle][::-1]
    run("\n\n".join(paragraphs), "one paragraph edited")


def clustered_vectors(n: int, clusters: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors around `clusters` random centres (topics), like real embeddings."""
    centres = rng.standard_normal((clusters, DIMENSIONS)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    points = centres[rng.integers(0, clusters, n)]
    points = points + rng.standard_normal((n, DIMENSIONS)).astype(np.float32) * 0.04
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def bench_search(db, total: int, queries: int, model: str) -> None:
    rng = np.random.default_rng(11)
    vectors = clustered_vectors(total + queries, max(10, total // 100), rng)
    vectors, probes = vectors[:total], vectors[total:]
    big = int(total * 0.9)
    small_size = total // 100
    chatbots = np.full(total, 1)
    chatbots[big : big + small_size] = 2
    chatbots[big + small_size :] = 3 + (np.arange(total - big - small_size) % 8)
    now = datetime.now(UTC)

    print(f"\n2. Search over {total:,} chunks (512-d, {max(10, total // 100)} clusters)")
    db.execute("DELETE FROM chunk_embeddings")
    db.execute("DROP INDEX chunk_embeddings_hnsw")  # bulk load first, build once after
    rows = (
        (int(chatbots[i]), "document", 1000 + i // 50, i % 50, f"fragmento {i} " * 12,
         f"h{i}", vectors[i], model, now)
        for i in range(total)
    )  # fmt: skip
    _, elapsed = timed(lambda: db.copy_rows("chunk_embeddings", store.CHUNK_COLUMNS, rows))
    print(f"  copy_rows: {elapsed:.1f} s (one COPY)")
    db.execute("SET maintenance_work_mem = '1GB'")
    _, elapsed = timed(
        lambda: db.execute(
            "CREATE INDEX chunk_embeddings_hnsw ON chunk_embeddings"
            " USING hnsw (embedding vector_cosine_ops)"
        )
    )
    print(f"  HNSW build (m=16, ef_construction=64): {elapsed:.1f} s")
    db.execute("ANALYZE chunk_embeddings")

    for chatbot, label in ((1, "chatbot with 90% of rows"), (2, "chatbot with 1% of rows")):
        mask = chatbots == chatbot
        candidates, ids = vectors[mask], np.flatnonzero(mask)
        exact = [set(ids[np.argsort(-(candidates @ q))[:10]]) for q in probes]
        for ef_search in (40, 100, 200):
            store.use_search_settings(db, ef_search)
            for q in probes[:20]:  # warm the index pages into the cache
                store.nearest_chunks(db, chatbot, q, model, 10)
            latencies, hits = [], 0
            statements = db.statements
            for q, truth in zip(probes, exact, strict=True):
                found, elapsed = timed(
                    lambda q=q, c=chatbot: store.nearest_chunks(db, c, q, model, 10)
                )
                latencies.append(elapsed * 1000)
                hits += len({(r["source_id"] - 1000) * 50 + r["chunk_index"] for r in found}
                            & truth)  # fmt: skip
            latencies.sort()
            p50 = statistics.median(latencies)
            p95 = latencies[int(len(latencies) * 0.95)]
            print(
                f"  {label:<25} ef_search {ef_search:3d}: p50 {p50:5.2f} ms  p95 {p95:5.2f} ms"
                f"  recall@10 {hits / (10 * len(probes)):.3f}"
                f"  ({(db.statements - statements) / len(probes):.0f} statement per search)"
            )


def bench_end_to_end(db, embedder, settings) -> None:
    store.use_search_settings(db, settings.ef_search)
    question = "¿Cuánto tarda el envío a las islas y cuánto cuesta?"
    latencies = []
    for _ in range(50):
        _, elapsed = timed(lambda: run.search(db, embedder, 1, question, 5))
        latencies.append(elapsed * 1000)
    print(
        f"  search with the offline query embedding, chatbot with 90% of rows:"
        f" p50 {statistics.median(latencies):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-knowledge-") as folder:
        env = {
            "EMBEDDED_PG_DIR": folder,
            "EMBEDDING_PROVIDER": "local",
            "DB_TIMEOUT": "100",  # statements may run 12 times that: the index build is long
        }
        settings = load_settings(env)
        db = connect(settings)
        embedder = get_embedder(settings)
        bench_embedding(db, embedder, load_knowledge_settings(env))
        bench_search(db, args.chunks, args.queries, embedder.model)
        bench_end_to_end(db, embedder, load_knowledge_settings(env))
        db.close()


if __name__ == "__main__":
    main()
