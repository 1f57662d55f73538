"""HTTP routes described once: the same table routes requests, checks JSON bodies against
their schemas and writes the OpenAPI 3.1 document.

    class ItemsApi:
        @route("POST", "/items/<int(min=1):item_id>", summary="Store an item", body=ITEM)
        def post_item(self, request, item_id): ...

    mount(router, ItemsApi())                       # every @route method on the router
    openapi_document(ItemsApi, title="Items", ...)  # the same routes, documented

Bodies are checked with `check_body(value, schema)` against a small JSON Schema subset
(type, enum, required, properties, minimum/maximum, minLength/maxLength): what fails
is a 422 naming the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .http import HttpError, Router

# werkzeug rule arguments: `<name>`, `<int:name>`, `<int(min=1, max=9):name>`
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
_STANDARD_ERRORS = {
    400: "The body is not JSON, or a value is not allowed",
    401: "Missing or wrong API key",
    404: "No such route, or an id in the path that is not a positive integer",
    413: "The body is larger than the configured limit",
    422: "The body does not match the schema; `field` names the culprit",
    503: "A dependency (database, embedding provider) is unavailable: retry later",
}


@dataclass(frozen=True)
class Route:
    """One HTTP route: method, werkzeug path, what it does, its body and answer schemas."""

    method: str
    path: str
    summary: str
    description: str = ""
    body: dict | None = None
    answer: dict | None = None
    errors: tuple[int, ...] = ()
    public: bool = False  # no API key needed
    view: str = ""


def route(method: str, path: str, **doc: Any) -> Callable[[Callable], Callable]:
    """Mark a method of an API class as the view of `method path` (documented by `doc`)."""

    def mark(view: Callable) -> Callable:
        view.route = Route(method.upper(), path, view=view.__name__, **doc)
        return view

    return mark


def routes_of(api: type | object) -> Iterator[Route]:
    """The routes an API class (or instance) declares, in the order they are written."""
    cls = api if isinstance(api, type) else type(api)
    for member in vars(cls).values():
        if isinstance(getattr(member, "route", None), Route):
            yield member.route


def mount(router: Router, api: object) -> None:
    """Register every `@route` method of `api` on `router`."""
    for spec in routes_of(api):
        router.route(spec.path, methods=(spec.method,))(getattr(api, spec.view))


def openapi_document(
    api: type | object, *, title: str, version: str, description: str, key_header: str
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route of `api`."""
    paths: dict[str, dict[str, Any]] = {}
    for spec in routes_of(api):
        path, parameters = _openapi_path(spec.path)
        operation: dict[str, Any] = {"operationId": spec.view, "summary": spec.summary}
        if spec.description:
            operation["description"] = spec.description
        if parameters:
            operation["parameters"] = parameters
        statuses = set(spec.errors)
        if spec.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": spec.body}},
            }
            statuses |= {400, 413, 422}
        if parameters:
            statuses.add(404)
        if not spec.public:
            statuses.add(401)
        operation["security"] = [] if spec.public else [{"apiKey": []}]
        operation["responses"] = {
            "200": {
                "description": "Success",
                "content": {"application/json": {"schema": spec.answer or {"type": "object"}}},
            },
            **{
                str(status): {"$ref": f"#/components/responses/E{status}"}
                for status in sorted(statuses)
            },
        }
        paths.setdefault(path, {})[spec.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": key_header}},
            "schemas": {"Error": _ERROR_SCHEMA},
            "responses": {
                f"E{status}": {
                    "description": text,
                    "content": {"application/json": {"schema": _ERROR_REF}},
                }
                for status, text in _STANDARD_ERRORS.items()
            },
        },
    }


_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "status", "trace_id"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, safe to show"},
        "status": {"type": "integer"},
        "trace_id": {"type": "string", "description": "Finds the request in the logs"},
        "field": {"type": "string", "description": "The body field at fault (422)"},
    },
}


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for converter, arguments, name in _ARGUMENT.findall(rule):
        schema: dict[str, Any] = {"type": "integer" if converter == "int" else "string"}
        for item in filter(None, (a.strip() for a in arguments.split(","))):
            key, _, value = item.partition("=")
            schema[{"min": "minimum", "max": "maximum"}[key.strip()]] = int(value)
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _ARGUMENT.sub(lambda m: "{" + m.group(3) + "}", rule), parameters


# -- checking a body against its schema ---------------------------------------------------
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: _TYPES["integer"](v) or (isinstance(v, float) and math.isfinite(v)),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check_body(value: Any, schema: dict[str, Any], where: str = "body") -> None:
    """422 (naming the field) unless `value` matches `schema`."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_TYPES[kind](value) for kind in kinds):
            _invalid(where, f"must be {' or '.join(_article(k) for k in kinds)}")
    if "enum" in schema and value not in schema["enum"]:
        _invalid(where, f"must be one of {', '.join(map(str, schema['enum']))}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            _invalid(where, f"must hold at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            _invalid(where, f"must hold at most {schema['maxLength']} characters")
    if _TYPES["integer"](value):
        if "minimum" in schema and value < schema["minimum"]:
            _invalid(where, f"must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            _invalid(where, f"must be at most {schema['maximum']}")
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                _invalid(name if where == "body" else f"{where}.{name}", "is required")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                check_body(value[name], sub, name if where == "body" else f"{where}.{name}")


_ARTICLES = {"object": "an object", "array": "an array", "integer": "an integer", "null": "null"}


def _article(kind: str) -> str:
    return _ARTICLES.get(kind, f"a {kind}")


def _invalid(where: str, problem: str) -> None:
    raise HttpError(422, f"{where} {problem}", field=where)
