"""Field definitions: type, metadata for `fields_get`, and the value conversions of §3.3.

Stored rows hold raw Python values: None for unset, int ids for many2one, lists of ids
for many2many, `datetime` with microseconds for datetimes. `to_read` turns a raw value
into what `read` returns over RPC; `to_store` turns an RPC value into a raw one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .exceptions import OdooValueError

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
RELATIONAL = ("many2one", "one2many", "many2many")
TEXTUAL = ("char", "text", "html")
NUMERIC = ("integer", "float", "monetary")

# compute(db, row) -> raw value
Compute = Callable[[Any, dict], Any]


@dataclass
class Field:
    """One field of a model, as the sandbox stores it and `fields_get` describes it."""

    type: str
    string: str = ""
    relation: str | None = None
    inverse: str | None = None  # one2many: the many2one on the comodel
    selection: list[tuple[str, str]] | None = None
    required: bool = False
    readonly: bool = False
    store: bool = True  # as Odoo reports it (stored in PostgreSQL)
    compute: Compute | None = None  # how the sandbox obtains a non-column value
    search: bool = False  # a computed field Odoo can search (has a search method)
    related: str | None = None  # "product_tmpl_id.name": filled in by the registry
    inherited: bool = False  # a template field on product.product (_inherits): sortable
    default: Any = None  # value or callable(db) for create
    translate: bool = False  # one value per language; reads and writes follow context.lang
    help: str = ""
    name: str = field(default="", init=False)

    @property
    def sortable(self) -> bool:
        return (self.store or self.inherited) and self.type not in ("one2many", "many2many")

    @property
    def searchable(self) -> bool:
        return self.store or self.search or self.related is not None

    def describe(self) -> dict:
        """This field's `fields_get` entry (what OdooRPC and odooly read)."""
        info = {
            "type": self.type,
            "string": self.string or self.name.replace("_", " ").title(),
            "help": self.help or False,
            "required": self.required,
            "readonly": self.readonly or (self.compute is not None and not self.related),
            "store": self.store,
            "searchable": self.searchable,
            "sortable": self.sortable,
            "manual": False,
            "company_dependent": False,
            "translate": self.translate,
            "name": self.name,
        }
        if self.relation:
            info["relation"] = self.relation
        if self.inverse:
            info["relation_field"] = self.inverse
        if self.selection is not None:
            info["selection"] = [list(pair) for pair in self.selection]
        if self.related:
            info["related"] = self.related
        return info

    # -- conversions ---------------------------------------------------------------------
    def to_read(self, value: Any) -> Any:
        """Raw value → read() value (many2one is handled by the caller: it needs names)."""
        kind = self.type
        if kind in ("integer",):
            return value or 0
        if kind in ("float", "monetary"):
            return float(value or 0.0)
        if kind == "boolean":
            return bool(value)
        if value is None:
            return [] if kind in ("one2many", "many2many") else False
        if kind == "datetime":  # truncated to the second, as Datetime.to_string
            return value.isoformat(" ", "seconds")
        if kind == "date":
            return value.strftime(DATE_FORMAT)
        return value

    def to_store(self, value: Any, model: str) -> Any:
        """RPC value → raw value; ValueError for a value Odoo's column would refuse."""
        kind = self.type
        if kind == "boolean":
            return bool(value)
        if kind == "integer":
            return int(value or 0)
        if kind in ("float", "monetary"):
            return float(value or 0.0)
        if value is False or value is None:
            return None
        if kind == "many2one":
            if isinstance(value, (list, tuple)):  # [id, name] pairs are accepted by Odoo
                value = value[0]
            return int(value)
        if kind == "datetime":
            return parse_datetime(value)
        if kind == "date":
            return parse_date(value)
        if kind == "selection":
            allowed = {key for key, _label in self.selection or ()}
            if value not in allowed:
                raise OdooValueError(f"Wrong value for {model}.{self.name}: {value!r}")
        return value


def parse_datetime(value: Any) -> datetime:
    """Odoo's `Datetime.to_datetime`: 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DD' only."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.strptime(value, DATETIME_FORMAT[: len(value) - 2])
        except ValueError:
            pass
    raise OdooValueError(f"time data {value!r} does not match format '{DATETIME_FORMAT}'")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(str(value)[:10], DATE_FORMAT).date()
    except ValueError:
        raise OdooValueError(f"time data {value!r} does not match format '{DATE_FORMAT}'") from None


# Short constructors, so model definitions read like Odoo's.
def Char(string: str = "", **kw) -> Field:
    return Field("char", string, **kw)


def Text(string: str = "", **kw) -> Field:
    return Field("text", string, **kw)


def Html(string: str = "", **kw) -> Field:
    return Field("html", string, **kw)


def Integer(string: str = "", **kw) -> Field:
    return Field("integer", string, **kw)


def Float(string: str = "", **kw) -> Field:
    return Field("float", string, **kw)


def Monetary(string: str = "", **kw) -> Field:
    return Field("monetary", string, **kw)


def Boolean(string: str = "", **kw) -> Field:
    return Field("boolean", string, **kw)


def Date(string: str = "", **kw) -> Field:
    return Field("date", string, **kw)


def Datetime(string: str = "", **kw) -> Field:
    return Field("datetime", string, **kw)


def Selection(selection: list[tuple[str, str]], string: str = "", **kw) -> Field:
    return Field("selection", string, selection=selection, **kw)


def Many2one(relation: str, string: str = "", **kw) -> Field:
    return Field("many2one", string, relation=relation, **kw)


def One2many(relation: str, inverse: str, string: str = "", **kw) -> Field:
    return Field("one2many", string, relation=relation, inverse=inverse, **kw)


def Many2many(relation: str, string: str = "", **kw) -> Field:
    return Field("many2many", string, relation=relation, **kw)


def Related(path: str, string: str = "", store: bool = False, **kw) -> Field:
    """A related field; its type is copied from the target by the registry."""
    return Field("", string, related=path, store=store, **kw)
