"""Benchmark: faults survived, work bounded per request, HTTP routes fuzzed (issue 16).

Run: `.venv/bin/python tests/bench/reliability.py [EXAMPLES_PER_ROUTE]` (default 200).
Uses the configured database (the embedded one by default); its knowledge rows are
removed afterwards. Prints:
1. what each function does when PostgreSQL refuses connections, per SQLSTATE (a fake
   server speaking the protocol): Pub/Sub retried or acknowledged, HTTP status;
2. the fault tests of issue 16 (continuation delivered at once, a pause racing a poll, a
   cancelled order retried, ...) run by pytest, with their outcome;
3. the most one request can cost: rows and bytes written, bytes read, answer size and
   peak Python memory (tracemalloc) of the largest embed, search and chunked upload;
4. a fuzz of every route of the three HTTP functions: answers by status, 500s must be 0.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # the fixtures and fuzz strategies

import functions_framework  # noqa: E402
from cloudevents.conversion import to_binary  # noqa: E402
from flask import Request  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from fixtures.refusing_postgres import MESSAGES, RefusingPostgres  # noqa: E402
from http_fuzz import CountingStream, check, requests, rules_of  # noqa: E402
from odoo_engines.core.logging import configure_logging  # noqa: E402
from odoo_engines.enrichment.handlers import create_handler as create_enrich  # noqa: E402
from odoo_engines.knowledge.handlers import create_handler  # noqa: E402
from odoo_engines.orders.handlers import OrdersApi  # noqa: E402
from odoo_engines_tools.sandbox.scheduler import pubsub_event  # noqa: E402

KEYS = {"INTERNAL_API_KEY": "bench-knowledge", "ENRICH_API_KEY": "bench-enrich"}
FAULT_TESTS = [
    "tests/foundation/test_connect_refusals.py",
    "tests/products/test_sync.py::test_a_continuation_delivered_at_once_runs_instead_of_being_skipped",
    "tests/orders/test_poll.py::test_a_pause_set_before_the_lock_is_taken_is_seen",
    "tests/orders/test_poll.py::test_an_order_cancelled_before_delivery_is_never_sent",
    "tests/orders/test_poll.py::test_an_item_an_operator_discarded_is_sent_again_only_with_force",
    "tests/sales/test_functions.py::test_a_field_of_the_wrong_type_is_acknowledged_before_any_work",
]


def app(name: str, target: str, signature: str = "http"):
    source = str(ROOT / "functions" / name / "main.py")
    return functions_framework.create_app(target, source, signature).test_client()


def refusals() -> None:
    print("\n1. PostgreSQL refusing connections (a fresh instance of each function per code)")
    print(f"  {'SQLSTATE':<9} {'poll-tenant':<22} {'enrich':<8} {'orders-api':<11} embed-document")
    server = RefusingPostgres()
    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = server.url
    try:
        for code in MESSAGES:
            server.code = code
            headers, body = to_binary(pubsub_event("poll-tenant", {}, {"connection_id": "t1"}))
            poll = app("poll-tenant", "poll_tenant", "cloudevent").post(
                "/", headers=headers, data=body
            )
            enrich = app("enrich", "enrich").get(
                "/products", headers={"X-Enrich-API-Key": KEYS["ENRICH_API_KEY"]}
            )
            orders = app("orders-api", "orders_api").post("/tenants/t1/poll?token=x")
            search = app("embed-document", "embed_document").post(
                "/api/chatbot/1/search",
                json={"query": "hola"},
                headers={"X-Odoo-API-Key": KEYS["INTERNAL_API_KEY"]},
            )
            fate = "retried (Pub/Sub)" if poll.status_code >= 500 else "acknowledged"
            print(
                f"  {code:<9} {fate:<22} {enrich.status_code:<8} {orders.status_code:<11} "
                f"{search.status_code}"
            )
    finally:
        server.close()
        if saved is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = saved


def fault_tests(env: dict[str, str]) -> None:
    print("\n2. Faults survived with nothing lost or doubled (the tests, run by pytest)")
    run = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", *FAULT_TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in run.stdout.splitlines():
        if line.startswith(("PASSED", "FAILED", "ERROR")):
            print("  " + line.replace("tests/", "", 1))
    print("  " + run.stdout.strip().splitlines()[-1])


def measured(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bounds() -> None:
    print("\n3. The most one request can cost")
    handler = create_handler()
    client = app("embed-document", "embed_document")
    auth = {"X-Odoo-API-Key": KEYS["INTERNAL_API_KEY"]}
    metadata = {"notes": "m" * (32 * 1024 - 20)}
    body = {
        "chatbot_id": 990001,
        "content": "Frase de prueba sobre envíos. " * 320_000,
        "metadata": metadata,
    }
    raw = json.dumps(body, ensure_ascii=False).encode()
    answer, peak = measured(
        lambda: client.post(
            "/api/internal/document/990001/embed",
            data=raw,
            headers=auth,
            content_type="application/json",
        )
    )
    stored = answer.json
    print(
        f"  embed, a {len(raw) / 1e6:.1f} MB body with 32 KB of metadata: HTTP "
        f"{answer.status_code}, {stored.get('embeddings_count')} chunk rows + 1 source row"
        f" written, peak {peak / 1e6:.0f} MB of Python memory"
    )
    for source in range(990002, 990052):  # 50 sources with the largest metadata
        client.post(
            f"/api/internal/document/{source}/embed",
            headers=auth,
            json={"chatbot_id": 990001, "content": "envíos " * 50, "metadata": metadata},
        )
    found, peak = measured(
        lambda: client.post(
            "/api/chatbot/990001/search", json={"query": "envíos", "k": 50}, headers=auth
        )
    )
    print(
        f"  search, k=50 over 50 sources of 32 KB metadata: {len(found.json['results'])} "
        f"hits, {len(found.json['sources'])} sources, answer {len(found.data) / 1e6:.2f} MB,"
        f" peak {peak / 1e6:.0f} MB"
    )
    chunked = CountingStream(30 * 1024 * 1024)
    builder = EnvironBuilder("/api/internal/document/1/embed", method="POST", headers=auth)
    environ = builder.get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update(
        {"wsgi.input": chunked, "wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"}
    )
    refused = handler(Request(environ))
    print(
        f"  a 30 MB chunked upload: HTTP {refused.status_code} after reading "
        f"{chunked.read_bytes / 1e6:.1f} MB (the limit, 10 MiB, and one byte)"
    )
    client.delete("/api/internal/chatbot/990001/cleanup", headers=auth)


def fuzz(examples: int) -> None:
    print(f"\n4. Fuzz: {examples} requests per route (hypothesis), answers by status")
    functions = [
        (
            "embed-document",
            "embed_document",
            rules_of(create_handler()),
            ("k",),
            [{"X-Odoo-API-Key": KEYS["INTERNAL_API_KEY"]}, {}],
        ),
        (
            "enrich",
            "enrich",
            rules_of(create_enrich().router),
            ("limit", "offset", "review_status", "year", "month", "sku", "q"),
            [{"X-Enrich-API-Key": KEYS["ENRICH_API_KEY"]}, {}],
        ),
        (
            "orders-api",
            "orders_api",
            rules_of(OrdersApi().router),
            ("token",),
            [{}, {"X-Webhook-Secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}],
        ),
    ]
    for name, target, rules, query, keys in functions:
        client, statuses = app(name, target), Counter()
        for rule, methods in rules:
            fuzz_route(client, requests(rule, methods, query, keys), examples, statuses)
        counts = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        print(
            f"  {name:<15} {len(rules)} routes, {sum(statuses.values())} requests; {counts};"
            f" 500s: {statuses[500]}"
        )


def fuzz_route(client, drawn: st.SearchStrategy, examples: int, statuses: Counter) -> None:
    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(request=drawn)
    def one(request):
        method, path, headers, body = request
        statuses[check(client.open(path, method=method, data=body, headers=headers))] += 1

    one()


def main(examples: int) -> None:
    environment = dict(os.environ)  # for the tests, before this script's settings
    configure_logging("CRITICAL", "console")
    logging.disable(logging.ERROR)  # Flask's tracebacks of the retried Pub/Sub deliveries
    os.environ.setdefault("ORDERS_SECRET_KEY", Fernet.generate_key().decode())
    os.environ.setdefault("EMBEDDING_PROVIDER", "local")
    os.environ.update(KEYS)
    refusals()
    fault_tests(environment)
    bounds()
    fuzz(examples)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
