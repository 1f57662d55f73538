"""HTTP routes described once: the same table routes requests, checks JSON bodies against
their schemas and writes the OpenAPI 3.1 document.

    class ItemsApi:
        @route("POST", "/items/<int(min=1):item_id>", summary="Store an item", body=ITEM)
        def post_item(self, request, item_id): ...

    mount(router, ItemsApi(), auth=check_key)       # every @route method on the router
    openapi_document(ItemsApi, title="Items", ...)  # the same routes, documented

Auth is the route's flag: `mount` runs `auth(request)` before every route not declared
`public=True`, so no view checks a key by hand.

Bodies are checked with `check_body(value, schema)`: what does not fit is a 422 naming
the place (`body.chatbot_id should be integer, got string`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Request, Response

from ..errors import PermanentError
from ..schema import validate
from .http import HttpError, Router

# werkzeug rule arguments: `<name>`, `<int:name>`, `<int(min=1, max=9):name>`
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
_STANDARD_ERRORS = {
    400: "The body is not JSON, or a value is not allowed",
    401: "Missing or wrong API key",
    404: "No such route, or an id in the path that is not a positive integer",
    409: "The request conflicts with the stored state (nothing was changed)",
    413: "The body is larger than the configured limit",
    422: "The body does not fit the schema; the error names the place",
    502: "A provider gave no usable answer: nothing was saved",
    503: "A dependency (database, provider) is unavailable: retry later",
}


@dataclass(frozen=True)
class Route:
    """One HTTP route: method, werkzeug path, what it does, its body and answer schemas."""

    method: str
    path: str
    summary: str
    description: str = ""
    body: dict[str, Any] | None = None
    answer: dict[str, Any] | None = None
    errors: tuple[int, ...] = ()
    public: bool = False  # no API key needed
    status: int = 200  # the success status (202 for work accepted for later)
    media: tuple[str, ...] = ("application/json",)  # what a success answers: JSON, or files
    view: str = ""


def route(method: str, path: str, **doc: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a method of an API class as the view of `method path` (documented by `doc`)."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        declared = Route(method.upper(), path, view=view.__name__, **doc)
        view.route = declared  # type: ignore[attr-defined]  # a function attribute routes_of reads
        return view

    return mark


def routes_of(api: type | object) -> Iterator[Route]:
    """The routes an API class (or instance) declares, in the order they are written."""
    cls = api if isinstance(api, type) else type(api)
    for member in vars(cls).values():
        if isinstance(getattr(member, "route", None), Route):
            yield member.route


def mount(router: Router, api: object, auth: Callable[[Request], None] | None = None) -> None:
    """Register every `@route` method of `api` on `router`; `auth(request)` runs before
    each route that is not `public` (it raises HttpError to refuse); a view returns its
    body, sent with the route's `status`."""
    for spec in routes_of(api):
        router.route(spec.path, methods=(spec.method,))(
            _view(getattr(api, spec.view), spec.status, None if spec.public else auth)
        )


def _view(
    view: Callable[..., Any], status: int, auth: Callable[[Request], None] | None
) -> Callable[..., Any]:
    """`view` behind `auth`, its answer sent with the route's declared success status."""

    @wraps(view)
    def answer(request: Request, **path_args: Any) -> Any:
        if auth is not None:
            auth(request)
        result = view(request, **path_args)
        return result if status == 200 or isinstance(result, Response) else (result, status)

    return answer


def openapi_document(
    *apis: type | object, title: str, version: str, description: str, key_header: str
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route of `apis` (the error answers they name)."""
    paths: dict[str, dict[str, Any]] = {}
    named: set[int] = set()
    for spec in (spec for api in apis for spec in routes_of(api)):
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
            str(spec.status): {"description": "Success", "content": _content(spec)},
            **{
                str(status): {"$ref": f"#/components/responses/E{status}"}
                for status in sorted(statuses)
            },
        }
        paths.setdefault(path, {})[spec.method.lower()] = operation
        named |= statuses
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
                if status in named
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
    },
}


def _content(spec: Route) -> dict[str, Any]:
    """A success answer's media: JSON by its schema, or files (a page, scripts, styles)."""
    if spec.media == ("application/json",):
        return {"application/json": {"schema": spec.answer or {"type": "object"}}}
    return {media: {"schema": {"type": "string"}} for media in spec.media}


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for converter, arguments, name in _ARGUMENT.findall(rule):
        schema: dict[str, Any] = {"type": "integer" if converter == "int" else "string"}
        for item in filter(None, (a.strip() for a in arguments.split(","))):
            key, _, value = item.partition("=")
            schema[{"min": "minimum", "max": "maximum"}[key.strip()]] = int(value)
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _ARGUMENT.sub(lambda m: "{" + m.group(3) + "}", rule), parameters


def check_body(value: Any, schema: dict[str, Any]) -> None:
    """422 naming the first place where `value` does not fit `schema` (the JSON Schema
    subset of `llm.schema`, shared with the text generators' answers)."""
    try:
        validate(value, schema, "body")
    except PermanentError as exc:
        raise HttpError(422, str(exc)) from None
