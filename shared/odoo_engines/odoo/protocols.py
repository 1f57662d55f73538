"""The two wire protocols: JSON-RPC `/jsonrpc` (all versions) and JSON-2 `/json/2` (19+).

Both answer the same `(model, method, args, kwargs)` call the way `execute_kw` would,
and turn Odoo's error envelopes into the typed errors of `errors.py`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, cast

import httpx

from .errors import OdooError, OdooServerError, from_odoo
from .transport import Transport

# Methods that change nothing: safe to send again after a timeout or a dropped connection.
READ_METHODS = frozenset(
    {
        "search_read",
        "search",
        "search_count",
        "read",
        "fields_get",
        "context_get",
        "name_search",
        "read_group",
        "formatted_read_group",
        "web_search_read",
        "web_read",
        "default_get",
        "check_access_rights",
        "has_access",
        "get_available_models",
    }
)

# JSON-2 takes named arguments only: the names of the positional arguments of the
# methods we call (after the ids of record methods), per ODOO.md §2.1 and §3.2.
JSON2_PARAMS: dict[str, tuple[str, ...]] = {
    "search_read": ("domain", "fields", "offset", "limit", "order"),
    "search": ("domain", "offset", "limit", "order"),
    "search_count": ("domain", "limit"),
    "read": ("fields", "load"),
    "fields_get": ("allfields", "attributes"),
    "create": ("vals_list",),
    "write": ("vals",),
    "unlink": (),
    "context_get": (),
    "name_search": ("name", "domain", "operator", "limit"),
}
RECORD_METHODS = frozenset({"read", "write", "unlink"})


class EndpointMissing(OdooServerError):
    """`/jsonrpc` answered 404: the deprecated RPC services are off on this server."""


def scrubber(secret: str) -> Callable[[Any], str | None]:
    """A function that removes `secret` from any text Odoo sends back."""

    def scrub(text: Any) -> str | None:
        if text is None:
            return None
        plain = str(text)
        return plain.replace(secret, "[REDACTED]") if secret else plain

    return scrub


def _json(response: httpx.Response, where: str) -> Any:
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        raise OdooServerError(
            f"Odoo {where} answered HTTP {response.status_code} with a body that is not "
            f"JSON ({kind})",
            status=response.status_code,
        ) from None


def _http_error(response: httpx.Response, where: str) -> OdooError:
    status = response.status_code
    if 300 <= status < 400:
        hint = f"a redirect to {response.headers.get('Location', '?')} (use that URL)"
    else:
        hint = f"{status} {response.reason_phrase}".strip()
    return from_odoo(None, f"HTTP {hint}", status=status, where=where)


class JsonRpc:
    """`POST /jsonrpc` with the `common` and `object` services."""

    name = "jsonrpc"

    def __init__(self, transport: Transport, db: str, secret: str):
        self.transport = transport
        self.db = db
        self._secret = secret
        self._scrub = scrubber(secret)
        self._ids = itertools.count(1)

    def post(self, path: str, params: dict[str, Any], *, what: str, idempotent: bool) -> Any:
        """One JSON-RPC 2.0 request; the result (None when Odoo omitted it)."""
        body = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params}
        response = self.transport.post(path, body, what=what, idempotent=idempotent)
        if response.status_code == 404:
            raise EndpointMissing(
                f"Odoo {what} failed: {path} answered 404 (RPC services disabled?)", status=404
            )
        if response.status_code != 200:
            raise _http_error(response, what)
        payload = _json(response, what)
        if not isinstance(payload, dict):
            raise OdooServerError(f"Odoo {what} answered with something other than an object")
        if payload.get("error"):
            raise self._error(payload["error"], what)
        # Odoo omits `result` when the method returned None (ODOO.md §1.3).
        return payload.get("result")

    def _error(self, error: Any, where: str) -> OdooError:
        # `code` is 200 (16-18) or 0 (19, SaaS >= 18.1) for every application error; 404
        # when a 19 with `rpc.use_deprecated_services` off refuses /jsonrpc (HTTP 200).
        if not isinstance(error, dict):
            return from_odoo(None, self._scrub(error), where=where)
        if error.get("code") == 404:
            return EndpointMissing(
                f"Odoo {where} failed: /jsonrpc answered 404 (RPC services disabled)", status=404
            )
        raw = error.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        message = data.get("message") or error.get("message")
        return from_odoo(self._scrub(data.get("name")), self._scrub(message), where=where)

    def call(self, service: str, method: str, args: list[Any], *, idempotent: bool) -> Any:
        return self.post(
            "/jsonrpc",
            {"service": service, "method": method, "args": args},
            what=f"{service}.{method}",
            idempotent=idempotent,
        )

    def version(self) -> dict[str, Any]:
        """`common.version`."""
        return cast(dict[str, Any], self.call("common", "version", [], idempotent=True))

    def web_version(self) -> dict[str, Any]:
        """The same answer from the web client's route, which outlives `/jsonrpc`."""
        answer = self.post("/web/webclient/version_info", {}, what="version_info", idempotent=True)
        return cast(dict[str, Any], answer)

    def authenticate(self, login: str) -> int | bool:
        """The user's id, or False when Odoo refuses the login."""
        uid = self.call(
            "common", "authenticate", [self.db, login, self._secret, {}], idempotent=True
        )
        return cast(int | bool, uid)

    def execute_kw(
        self, uid: int, model: str, method: str, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> Any:
        return self.post(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [self.db, uid, self._secret, model, method, list(args), kwargs],
            },
            what=f"{model}.{method}",
            idempotent=method in READ_METHODS,
        )


def json2_body(method: str, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """execute_kw-style `args`/`kwargs` as the named JSON-2 body (`ids` for record methods)."""
    args = list(args)
    body: dict[str, Any] = {}
    names = JSON2_PARAMS.get(method)
    if names is None or method in RECORD_METHODS:
        # execute_kw's convention: a record method's ids come first.
        if args and (names is not None or _looks_like_ids(args[0])):
            ids = args.pop(0)
            body["ids"] = [ids] if isinstance(ids, int) else list(ids)
        names = names or ()
    if len(args) > len(names):
        raise TypeError(
            f"{method}: {len(args)} positional argument(s) have no JSON-2 name here; "
            "pass them as keyword arguments"
        )
    body.update(zip(names, args, strict=False))
    kwargs = dict(kwargs)
    if method == "name_search" and "args" in kwargs:  # renamed `domain` in 19
        kwargs["domain"] = kwargs.pop("args")
    for key in kwargs:
        if key in body:
            raise TypeError(f"{method}: argument {key!r} given twice")
    body.update(kwargs)
    if method == "create" and isinstance(body.get("vals_list"), dict):
        body["vals_list"] = [body["vals_list"]]
    return body


def _looks_like_ids(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, list | tuple) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    )


class Json2:
    """`POST /json/2/<model>/<method>` with a bearer API key (Odoo 19+)."""

    name = "json2"

    def __init__(self, transport: Transport, db: str, secret: str):
        self.transport = transport
        self.db = db
        self._headers = {"Authorization": f"bearer {secret}", "X-Odoo-Database": db}
        self._scrub = scrubber(secret)

    def execute(self, model: str, method: str, args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        what = f"{model}.{method}"
        body = json2_body(method, args, kwargs)
        response = self.transport.post(
            f"/json/2/{model}/{method}",
            body,
            what=what,
            idempotent=method in READ_METHODS,
            headers=self._headers,
        )
        if response.status_code != 200:
            raise self._error(response, what)
        result = _json(response, what)
        vals = args[0] if args else kwargs.get("vals_list")
        if method == "create" and isinstance(vals, dict) and isinstance(result, list):
            return result[0]  # execute_kw returns one id for one dict; keep callers' shape
        return result

    def _error(self, response: httpx.Response, where: str) -> OdooError:
        try:
            body = response.json()
        except ValueError:
            return _http_error(response, where)
        if not isinstance(body, dict) or "name" not in body:
            return _http_error(response, where)
        return from_odoo(
            self._scrub(body.get("name")),
            self._scrub(body.get("message")),
            status=response.status_code,
            where=where,
        )

    def context(self) -> dict[str, Any]:
        """The API key's user context (uid, lang, tz), from `res.users/context_get`."""
        context = self.execute("res.users", "context_get", (), {})
        if not isinstance(context, dict) or not context.get("uid"):
            raise OdooServerError("Odoo res.users.context_get answered without a uid")
        return context
