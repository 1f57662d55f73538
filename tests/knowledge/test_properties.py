"""Properties over the OpenAPI document: whatever arrives — any body on each documented
operation, any value in its path, any method, with or without the key — the function
answers JSON and never a 5xx."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from http_fuzz import ANY_SEGMENT, ANY_TEXT, JSON_VALUES, OBJECTS, ODD_SEGMENTS, mostly
from http_fuzz import check as answered
from odoo_engines.knowledge.handlers import describe

from .conftest import AUTH

OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in sorted(describe()["paths"].items())
    for method, operation in operations.items()
]
WITH_BODY = [op for op in OPERATIONS if "requestBody" in op[2]]
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SOURCE_BODIES = st.fixed_dictionaries(
    {
        "chatbot_id": mostly(st.integers(1, 5), JSON_VALUES),
        "content": mostly(ANY_TEXT, JSON_VALUES),
    },
    optional={"metadata": mostly(OBJECTS, JSON_VALUES), "url": mostly(ANY_TEXT, JSON_VALUES)},
)
SEARCH_BODIES = st.fixed_dictionaries(
    {"query": mostly(ANY_TEXT, JSON_VALUES)},
    optional={
        "k": mostly(st.integers(0, 60), JSON_VALUES),
        "source_type": mostly(st.sampled_from(["document", "link", None]), JSON_VALUES),
    },
)


@st.composite
def bodies(draw, operation_id: str) -> bytes:
    """Mostly a body shaped like the operation's, sometimes any JSON or any bytes."""
    shaped = SEARCH_BODIES if operation_id == "search" else SOURCE_BODIES
    kind = draw(st.sampled_from(["shaped", "shaped", "shaped", "json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    value = draw(shaped if kind == "shaped" else JSON_VALUES)
    return json.dumps(value).encode()  # ensure_ascii: surrogates travel as \udxxx escapes


def fill(draw, template: str, operation: dict, values) -> str:
    schemas = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
    return re.sub(r"\{(\w+)\}", lambda m: draw(values(schemas[m.group(1)])), template)


def allowed_values(schema: dict) -> st.SearchStrategy[str]:
    if schema["type"] == "integer":
        return st.integers(1, 3).map(str)
    return st.sampled_from(["document", "link"])


def any_values(schema: dict) -> st.SearchStrategy[str]:
    return allowed_values(schema) | ODD_SEGMENTS | ANY_SEGMENT


def check(response) -> None:
    event(f"{response.request.method} {response.status_code}")
    answered(response)


@PROPERTY
@given(data=st.data())
def test_no_body_gets_a_5xx(client, data):
    method, template, operation = data.draw(st.sampled_from(WITH_BODY))
    path = fill(data.draw, template, operation, allowed_values)
    body = data.draw(bodies(operation["operationId"]))
    headers = {**AUTH, "Content-Type": "application/json"}
    check(client.open(path, method=method, data=body, headers=headers))


@PROPERTY
@given(data=st.data())
def test_no_path_method_or_key_gets_a_5xx(client, data):
    method, template, operation = data.draw(st.sampled_from(OPERATIONS))
    path = fill(data.draw, template, operation, any_values)
    if data.draw(st.booleans()):
        path = "/" + data.draw(ANY_SEGMENT)
    method = data.draw(st.sampled_from([method, "GET", "POST", "DELETE", "PUT", "PATCH"]))
    headers = data.draw(st.sampled_from([AUTH, {}, {"X-Odoo-API-Key": "wrong"}]))
    body = data.draw(bodies(operation.get("operationId", "")))
    check(client.open(path, method=method, data=body, headers=headers))
