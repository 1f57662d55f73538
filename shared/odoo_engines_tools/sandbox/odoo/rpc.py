"""What a call to Odoo does once the HTTP layer has parsed it (ODOO.md §1.2, §2.1, §3.2).

`dispatch` runs a `/jsonrpc` call (services common, db, object); `call_kw` runs one model
method for execute_kw, `/web/dataset/call_kw` and JSON-2, with Odoo's signatures per
release, so positional and keyword arguments bind (and fail) the way Odoo's do.
`serialize_exception` builds the `data` object of Odoo's error envelope.
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import business
from .exceptions import (
    AccessDenied,
    AccessError,
    HttpException,
    OdooAttributeError,
    OdooException,
    OdooTypeError,
    OperationalError,
)
from .orm import Database
from .versions import Release


@dataclass
class Env:
    """`self` of a model method: database, model, user, context and record ids."""

    db: Database
    model: str
    uid: int
    context: dict
    ids: list[int]


# -- model methods (signatures as in Odoo; `self` is an Env) -------------------------------
def search(self, domain, offset=0, limit=None, order=None):
    return self.db.search(self.model, domain, offset, limit, order, self.context)


def search_16(self, domain, offset=0, limit=None, order=None, count=False):
    if count:
        return self.db.search_count(self.model, domain, context=self.context)
    return search(self, domain, offset, limit, order)


def search_count(self, domain, limit=None):
    return self.db.search_count(self.model, domain, limit, self.context)


def search_read(
    self, domain=None, fields=None, offset=0, limit=None, order=None, load="_classic_read"
):
    return self.db.search_read(
        self.model, domain or [], fields, offset, limit, order, self.context, load
    )


def read(self, fields=None, load="_classic_read"):
    return self.db.read(self.model, self.ids, fields, load, self.context)


def fields_get(self, allfields=None, attributes=None):
    fields = self.db.model(self.model).fields
    names = [n for n in (allfields or fields) if n in fields]
    result = {}
    for name in names:
        info = fields[name].describe()
        result[name] = {k: v for k, v in info.items() if k in attributes} if attributes else info
    return result


def _name_search(self, name, domain, operator, limit):
    ids = self.db.name_search_ids(
        self.model, name or "", operator, self.context, domain or [], limit
    )
    return [[rid, self.db.display_name(self.model, rid)] for rid in ids]


def name_search(self, name="", args=None, operator="ilike", limit=100):
    return _name_search(self, name, args, operator, limit)


def name_search_19(self, name="", domain=None, operator="ilike", limit=100):
    return _name_search(self, name, domain, operator, limit)


def name_get(self):
    return [
        [rid, self.db.display_name(self.model, rid)]
        for rid in self.ids
        if self.db.row(self.model, rid)
    ]


def create(self, vals_list):
    return self.db.create(self.model, vals_list, self.context)


def write(self, vals):
    return self.db.write(self.model, self.ids, vals, self.context)


def unlink(self):
    return self.db.unlink(self.model, self.ids, self.context)


def exists(self):
    return [rid for rid in self.ids if self.db.row(self.model, rid)]


def check_access_rights(self, operation, raise_exception=True):
    return True


def default_get(self, fields_list):
    fields = self.db.model(self.model).fields
    result = {}
    for name in fields_list:
        default = fields[name].default if name in fields else None
        if default is not None:
            result[name] = default(self.db) if callable(default) else default
    return result


def web_read(self, specification):
    return _web_read(self.db, self.model, self.ids, specification, self.context)


def web_search_read(
    self, domain, specification, offset=0, limit=None, order=None, count_limit=None
):
    """17+: one call, related records inline (ODOO.md §10); `length` as Odoo counts it."""
    ids = self.db.search(self.model, domain, offset, limit, order, self.context)
    records = _web_read(self.db, self.model, ids, specification, self.context)
    if not records:
        return {"length": 0, "records": []}
    length = len(records) + (offset or 0)
    if limit and len(records) == limit and not (count_limit and count_limit <= length):
        self.db.calls["web_search_read:count"] += 1  # a second query Odoo runs to count
        length = self.db.search_count(self.model, domain, count_limit, self.context)
    return {"length": length, "records": records}


def _web_read(db: Database, model: str, ids: list[int], spec: dict, context: dict) -> list[dict]:
    """`web_read`: plain fields as `read(load=None)`; relations with `fields` read inline."""
    rows = db.read(model, ids, list(spec), load=None, context=context)
    fields = db.registry[model].fields
    for name, sub in spec.items():
        if not (isinstance(sub, dict) and "fields" in sub) or fields[name].relation is None:
            continue
        comodel, inner = fields[name].relation, sub["fields"] or {}
        if fields[name].type == "many2one":
            wanted = sorted({r[name] for r in rows if r[name]})
            inline = {v["id"]: v for v in _web_read(db, comodel, wanted, inner, context)}
            for row in rows:
                row[name] = inline.get(row[name], {"id": row[name]}) if row[name] else False
            continue
        for row in rows:
            children = row[name]
            if sub.get("order") or sub.get("limit"):
                children = db.search(
                    comodel,
                    [("id", "in", children)],
                    limit=sub.get("limit"),
                    order=sub.get("order"),
                    context={**context, "active_test": False},
                )
            row[name] = _web_read(db, comodel, children, inner, context)
    return rows


def context_get(self):
    return self.db.user_context(self.uid)


def get_available_models(self):
    return [
        {"model": m, "display_name": self.db.registry[m].description}
        for m in sorted(self.db.registry)
    ]


@dataclass(frozen=True)
class Method:
    func: Callable
    on_records: bool  # takes ids (args[0] / JSON-2 "ids"); else an @api.model method


def methods_for(release: Release, model: str) -> dict[str, Method]:
    """The public methods of `model` in this release."""
    methods = {
        "search": Method(search_16 if release.search_count_kwarg else search, False),
        "search_count": Method(search_count, False),
        "search_read": Method(search_read, False),
        "read": Method(read, True),
        "fields_get": Method(fields_get, False),
        "name_search": Method(name_search_19 if release.major >= 19 else name_search, False),
        "create": Method(create, False),
        "write": Method(write, True),
        "unlink": Method(unlink, True),
        "exists": Method(exists, True),
        "check_access_rights": Method(check_access_rights, False),
        "default_get": Method(default_get, False),
    }
    if release.name_get:
        methods["name_get"] = Method(name_get, True)
    if release.major >= 17:
        methods["web_read"] = Method(web_read, True)
        methods["web_search_read"] = Method(web_search_read, False)
    if model == "res.users":
        methods["context_get"] = Method(context_get, False)
    if model == "ir.model":
        methods["get_available_models"] = Method(get_available_models, False)
    if model == "sale.order":
        for name, action in business.sale_order_actions(release).items():
            methods[name] = Method(_record_action(action), True)
    for name, action in business.RECORD_ACTIONS.get(model, {}).items():
        methods[name] = Method(_record_action(action), True)
    return methods


def _record_action(action: Callable[[Database, list[int]], bool]) -> Callable:
    def method(self):
        return action(self.db, self.ids)

    return method


def find_method(db: Database, model: str, name: str) -> Method:
    """The method or Odoo's error for an unknown model, a private or unknown method."""
    db.model(model)
    if name.startswith("_"):
        shown = f"'{model}.{name}'" if db.release.major >= 18 else name
        raise AccessError(f"Private methods (such as {shown}) cannot be called remotely.")
    method = methods_for(db.release, model).get(name)
    if method is None:
        raise OdooAttributeError(db.release.unknown_method_message.format(model=model, method=name))
    return method


def call_kw(db: Database, uid: int, model: str, name: str, args: list, kwargs: dict | None) -> Any:
    """execute_kw: `context` comes out of kwargs; record methods take ids as args[0]."""
    method = find_method(db, model, name)
    kwargs = dict(kwargs or {})
    context = kwargs.pop("context", None) or {}
    args = list(args or [])
    ids: list[int] = []
    if method.on_records:
        if not args:
            raise OdooTypeError(f"{name}() missing 1 required positional argument: 'ids'")
        ids = _ids(args.pop(0))
    env = Env(db, model, uid, dict(context), ids)
    try:
        bound = inspect.signature(method.func).bind(env, *args, **kwargs)
    except TypeError as exc:
        raise OdooTypeError(f"{name}() {exc}") from None
    db.calls[name] += 1
    if name != "fields_get":
        db.check_access(uid, model)
    with db.transaction(uid=uid), db.language(context.get("lang")):
        return method.func(*bound.args, **bound.kwargs)


def call_json2(db: Database, uid: int, model: str, name: str, params: dict) -> Any:
    """JSON-2: named arguments only, plus `ids` and `context`; 404/422 as Odoo 19 answers."""
    if model not in db.registry:
        raise HttpException(404, f"the model {model!r} does not exist")
    try:
        method = find_method(db, model, name)
    except OdooAttributeError:
        raise HttpException(404, f"The method '{model}.{name}' does not exist") from None
    params = dict(params)
    ids = _ids(params.pop("ids", None) or [])
    context = params.pop("context", None) or {}
    if ids and not method.on_records:
        raise HttpException(422, f"cannot call {model}.{name} with ids")
    env = Env(db, model, uid, dict(context), ids)
    try:
        bound = inspect.signature(method.func).bind(env, **params)
    except TypeError as exc:
        raise HttpException(422, str(exc)) from None
    db.calls[name] += 1
    if name != "fields_get":
        db.check_access(uid, model)
    with db.transaction(uid=uid), db.language(context.get("lang")):
        result = method.func(*bound.args, **bound.kwargs)
    if name == "create" and isinstance(result, int):
        return [result]  # JSON-2 returns the recordset's ids
    return result


def _ids(value: Any) -> list[int]:
    if isinstance(value, bool) or value is None:
        raise OdooTypeError(f"Invalid ids {value!r}")
    if isinstance(value, int):
        return [value]
    if isinstance(value, (list, tuple)) and all(
        isinstance(i, int) and not isinstance(i, bool) for i in value
    ):
        return list(value)
    raise OdooTypeError(f"Invalid ids {value!r}")


# -- the /jsonrpc services ------------------------------------------------------------------
class Services:
    """`common`, `db` and `object` for the databases a listener can see."""

    def __init__(
        self, databases: Callable[[], dict[str, Database]], release: Callable[[], Release]
    ):
        self._databases = databases
        self._release = release

    def database(self, name: Any) -> Database:
        db = self._databases().get(name) if isinstance(name, str) else None
        if db is None:
            raise OperationalError(
                f'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
                f'FATAL:  database "{name}" does not exist'
            )
        return db

    def dispatch(self, service: str, method: str, args: list, remote: str) -> Any:
        if service == "common":
            return self._common(method, args, remote)
        if service == "db":
            return self._db(method, args)
        if service == "object":
            return self._object(method, args)
        raise Exception(f"No service {service!r}")

    def _common(self, method: str, args: list, remote: str) -> Any:
        if method == "version":
            return self._release().version_dict()
        if method in ("login", "authenticate"):
            expected = 3 if method == "login" else 4
            if len(args) != expected:
                given = len(args)
                raise TypeError(
                    f"exp_{method}() takes {expected} positional arguments but {given} were given"
                )
            db = self.database(args[0])
            db.calls[method] += 1
            try:
                return db.authenticate(args[1], args[2], remote)
            except AccessDenied:
                return False  # RPC login answers false, never an error (§1.5)
        if method == "about":
            return "See http://openerp.com"
        raise Exception(f"Method not found: {method}")

    def _db(self, method: str, args: list) -> Any:
        if method == "list":
            return sorted(self._databases())
        if method == "server_version":
            return self._release().server_version
        raise Exception(f"Method not found: {method}")

    def _object(self, method: str, args: list) -> Any:
        if method not in ("execute", "execute_kw"):
            raise Exception(f"Method not found: {method}")
        if len(args) < 5:
            raise TypeError(f"{method}() missing required positional arguments")
        db = self.database(args[0])
        try:
            uid = int(args[1])
        except (TypeError, ValueError):
            raise AccessDenied() from None
        db.check_credentials(uid, args[2])
        model, name = args[3], args[4]
        if method == "execute":
            return call_kw(db, uid, model, name, list(args[5:]), {})
        rest = args[5:]
        return call_kw(
            db, uid, model, name, rest[0] if rest else [], rest[1] if len(rest) > 1 else None
        )


def serialize_exception(exc: BaseException, release: Release) -> dict:
    """Odoo's `serialize_exception` (key order of 16-18, or of 19)."""
    if isinstance(exc, OdooException):
        name, message, arguments = exc.name, exc.message, exc.arguments
    else:
        cls = type(exc)
        module = "builtins" if cls.__module__ == "builtins" else cls.__module__
        name, message, arguments = f"{module}.{cls.__name__}", str(exc), list(exc.args)
    debug = "".join(traceback.format_exception(exc))
    if release.major >= 19:
        return {
            "name": name,
            "message": message,
            "arguments": arguments,
            "context": {},
            "debug": debug,
        }
    return {"name": name, "debug": debug, "message": message, "arguments": arguments, "context": {}}
