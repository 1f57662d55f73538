"""Logs are Cloud Logging JSON, and secrets never reach them."""

import io
import json

from odoo_engines.core.logging import configure_logging, get_logger, set_trace


def _lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_cloud_logging_fields():
    out = io.StringIO()
    configure_logging("INFO", "json", out)
    set_trace("abc123", "proj")
    get_logger("test").info("synced", products=3)
    set_trace(None)
    line = _lines(out)[-1]
    assert line["severity"] == "INFO"
    assert line["message"] == "synced"
    assert line["products"] == 3
    assert line["time"].endswith("Z") or "+00:00" in line["time"]
    assert line["logging.googleapis.com/trace"] == "projects/proj/traces/abc123"


def test_secret_values_are_redacted_at_any_depth():
    out = io.StringIO()
    configure_logging("INFO", "json", out)
    get_logger("test").info(
        "connecting",
        password="hunter2",
        odoo_api_key="k-123",
        headers={"Authorization": "Bearer t0k", "X-Webhook-Secret": "whsec_x"},
        tenants=[{"webhook_secret": "s3"}],
        token="tok",
    )
    raw = out.getvalue()
    for secret in ("hunter2", "k-123", "t0k", "whsec_x", "s3", 'tok"'):
        assert secret not in raw
    assert raw.count("[REDACTED]") == 6


def test_exceptions_are_text_in_the_exception_field():
    out = io.StringIO()
    configure_logging("INFO", "json", out)
    try:
        raise ValueError("boom")
    except ValueError:
        get_logger("test").exception("failed")
    line = _lines(out)[-1]
    assert line["severity"] == "ERROR"
    assert "ValueError: boom" in line["exception"]
    assert "Traceback" in line["exception"]


def test_a_logger_made_before_configuration_follows_it():
    early = get_logger("early")  # as modules do at import time
    out = io.StringIO()
    configure_logging("DEBUG", "json", out)
    early.debug("late_line", api_key="k-456")
    line = _lines(out)[-1]
    assert line["message"] == "late_line" and line["component"] == "early"
    assert "k-456" not in out.getvalue()
