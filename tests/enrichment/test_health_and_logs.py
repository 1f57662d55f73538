"""GET /health in the seed's shape, and the seed's structured log events with a trace id."""

from __future__ import annotations

from datetime import datetime

from .conftest import create


def test_health_reports_database_and_llm_breaker(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "healthy" and body["service"] == "enrich"
    assert datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
    assert body["dependencies"]["database"]["status"] == "ok"
    llm = body["dependencies"]["llm"]
    assert llm["status"] == "ok" and llm["provider"] == "offline"
    assert llm["model"] == "offline-usem3"
    assert llm["circuit_breaker"]["state"] == "closed"
    assert llm["circuit_breaker"]["failure_threshold"] == 5
    assert llm["circuit_breaker"]["open_seconds"] == 60


def test_health_is_503_when_the_database_is_unreachable(make_client, tmp_path):
    client = make_client(
        DATABASE_URL=f"postgresql://postgres@/nope?host={tmp_path}&port=1", DB_TIMEOUT="1"
    )
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json["status"] == "unhealthy"
    assert response.json["dependencies"]["database"]["status"] == "unavailable"
    assert client.get("/products").status_code == 503


def test_seed_log_events_carry_the_request_trace_id(client, log_lines):
    trace = "0123456789abcdef0123456789abcdef"
    headers = {"X-Cloud-Trace-Context": f"{trace}/1;o=1"}
    product = create(client, "Teclado", stock=12, headers=headers)
    client.post(f"/products/{product['id']}/sell", json={"quantity": 5}, headers=headers)
    lines = {line["message"]: line for line in log_lines()}
    created = lines["product_created"]
    assert created["product_id"] == product["id"] and created["ia_generation_time"] >= 0
    assert created["provider"] == "offline" and created["severity"] == "INFO"
    low = lines["stock_low"]
    assert (low["product_id"], low["stock"], low["severity"]) == (product["id"], 7, "WARNING")
    finished = lines["request_finished"]
    assert finished["status"] == 200 and finished["duration_ms"] >= 0
    for line in (created, low, finished):
        assert line["trace_id"] == trace
        assert line["logging.googleapis.com/trace"] == trace


def test_error_answers_carry_the_trace_id(client):
    response = client.get("/products/1", headers={"X-Cloud-Trace-Context": "abc/1"})
    assert response.status_code == 404 and response.json["trace_id"] == "abc"


def test_a_bad_setting_is_a_500_that_names_nothing_secret(make_client, log_lines):
    client = make_client(ENRICH_LOW_STOCK_THRESHOLD="ten")
    response = client.get("/health")
    assert response.status_code == 500
    assert response.json["error"] == "the service is misconfigured; see its logs"
    logged = [line for line in log_lines() if line["message"] == "enrich_misconfigured"]
    assert "ENRICH_LOW_STOCK_THRESHOLD" in logged[0]["error"]
