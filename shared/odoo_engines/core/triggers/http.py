"""HTTP functions: routing, JSON bodies, API keys and JSON errors (never a traceback page).

`Router` maps method and path to a view `view(request, **path_args)` that returns a
dict/list (200), a `(body, status)` pair or a Flask response. Errors become JSON:
`HttpError` keeps its status, `PermanentError` is 400, `NotFoundError` 404,
`TransientError` 503 with `Retry-After`, `ConfigError` 503 without its details, a
statement the database refused (`QueryError`) 400 with the trace id and no database
text, anything unexpected 500 with a trace id and no details. Details go to the logs.
"""

from __future__ import annotations

import hmac
import json
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from flask import Request, Response
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from ..errors import (
    ConfigError,
    ConflictError,
    InvalidValueError,
    NotFoundError,
    PermanentError,
    QueryError,
    TransientError,
)
from ..logging import get_logger, set_trace

log = get_logger("http")
DEFAULT_MAX_BODY = 10 * 1024 * 1024
RETRY_AFTER_SECONDS = 5  # what a 503 asks callers to wait before trying again
MAX_NUMBER_DIGITS = 18  # a query parameter's number: fits in 64 bits, bounded work


class HttpError(PermanentError):
    """An error with its HTTP status and a message safe to show the caller."""

    def __init__(self, status: int, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (UTF-8, not ASCII-escaped).

    A lone surrogate (from a caller's malformed text echoed in an error) cannot be UTF-8:
    it goes out as its JSON escape `\\udXXX`, still valid JSON, never a 500.
    """
    return Response(
        json.dumps(body, ensure_ascii=False, default=str).encode("utf-8", "backslashreplace"),
        status=status,
        mimetype="application/json",
        headers=headers,
    )


def _error(status: int, message: str, trace_id: str, **extra: Any) -> Response:
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return json_response(
        {"error": message, "status": status, "trace_id": trace_id, **extra}, status, headers
    )


def whole_number_arg(args: Any, name: str, low: int, high: int) -> int | None:
    """Query parameter `name` as an int in [low, high]; None when absent or empty.

    ASCII digits only, at most MAX_NUMBER_DIGITS: `str.isdigit` and `int` accept "²",
    Arabic-Indic digits, "1_000" and 5,000-digit strings. 400 otherwise.
    """
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_NUMBER_DIGITS) or not (
        low <= int(raw) <= high
    ):
        raise HttpError(400, f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def refuse_nul(value: str, name: str) -> str:
    """422 when text holds NUL, which PostgreSQL cannot store: checked before any work."""
    if "\x00" in value:
        raise HttpError(422, f"{name} must not contain NUL characters", field=name)
    return value


def json_body(request: Request, max_bytes: int = DEFAULT_MAX_BODY, required: bool = True) -> Any:
    """Parse the request's JSON body: 413 when too large, 400 when not JSON.

    Reading stops at `max_bytes`, a chunked body (no Content-Length) included.
    """
    length = request.content_length
    if length is not None and length > max_bytes:
        raise HttpError(413, f"request body is larger than {max_bytes} bytes")
    # One byte past the limit tells a body of exactly max_bytes from a larger one. The
    # stream stops there, so the functions-framework's read of the rest stops there too.
    request.max_content_length = max_bytes + 1
    raw = request.get_data(cache=True)
    if len(raw) > max_bytes:
        raise HttpError(413, f"request body is larger than {max_bytes} bytes")
    if not raw.strip():
        if required:
            raise HttpError(400, "request body must be JSON")
        return None
    try:
        return json.loads(raw.decode("utf-8", errors="strict"))
    except UnicodeDecodeError:
        raise HttpError(400, "request body is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise HttpError(400, f"malformed JSON: {exc.msg} at position {exc.pos}") from None
    except RecursionError:
        raise HttpError(400, "JSON nests too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise HttpError(400, f"JSON holds a value that cannot be read: {exc}") from None


def require_api_key(request: Request, header: str, expected: str | None) -> None:
    """401 unless `header` carries `expected`; compared in constant time."""
    if not expected:
        raise HttpError(503, "the service has no API key configured")
    given = request.headers.get(header, "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HttpError(401, f"missing or invalid {header}")


class Router:
    """Method + path routing for one HTTP function (werkzeug's routing)."""

    def __init__(self, name: str):
        self.name = name
        self.map = Map(strict_slashes=False)
        self.views: dict[str, Callable[..., Any]] = {}

    def route(
        self, path: str, methods: tuple[str, ...] = ("GET",)
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            endpoint = f"{view.__name__}:{path}:{','.join(methods)}"
            self.map.add(Rule(path, endpoint=endpoint, methods=list(methods)))
            self.views[endpoint] = view
            return view

        return register

    def __call__(self, request: Request) -> Response:
        """Dispatch `request`; always answers JSON on error."""
        trace_id = (
            request.headers.get("X-Cloud-Trace-Context", "").split("/")[0] or uuid.uuid4().hex
        )
        set_trace(trace_id)
        # every log line of this request carries it (the seeds' `trace_id` field)
        structlog.contextvars.bind_contextvars(trace_id=trace_id)
        adapter = self.map.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
            result = self.views[endpoint](request, **args)
        except HttpError as exc:
            if exc.status >= 500:
                log.warning(
                    "request failed", path=request.path, status=exc.status, error=exc.message
                )
            return _error(exc.status, exc.message, trace_id, **exc.extra)
        except NotFoundError as exc:
            return _error(404, str(exc), trace_id)
        except ConflictError as exc:
            return _error(409, str(exc), trace_id, **exc.details)
        except InvalidValueError as exc:
            return _error(422, str(exc), trace_id, field=exc.field)
        except ConfigError as exc:  # the operator's to fix; the caller may retry after
            log.error("service misconfigured", path=request.path, error=str(exc))
            return _error(503, "the service is misconfigured; the trace id identifies it in "
                          "the logs", trace_id)  # fmt: skip
        except QueryError as exc:
            log.error("database refused a statement", path=request.path, error=str(exc))
            return _error(400, "the request could not be stored; the trace id identifies "
                          "it in the logs", trace_id)  # fmt: skip
        except TransientError as exc:
            log.warning("request failed transiently", path=request.path, error=str(exc))
            return _error(503, f"temporarily unavailable: {exc}", trace_id)
        except PermanentError as exc:
            return _error(400, str(exc), trace_id)
        except MethodNotAllowed:
            return _error(405, f"method {request.method} not allowed on {request.path}", trace_id)
        except NotFound:
            return _error(404, f"no route for {request.method} {request.path}", trace_id)
        except HTTPException as exc:
            return _error(exc.code or 400, exc.description or exc.name, trace_id)
        except Exception:
            log.exception("unexpected error", function=self.name, path=request.path)
            return _error(500, "internal error; the trace id identifies it in the logs", trace_id)
        if isinstance(result, Response):
            return result
        if isinstance(result, tuple):
            body, status = result
            return json_response(body, status)
        return json_response(result)
