"""One in-memory Odoo database: tables of rows, search, read, create, write, unlink.

Behaviour follows ODOO.md §3: default `_order` per model with no id tie-break, `limit`
0/None = all, read formats (many2one pairs, false for unset, datetimes to the second,
x2many id lists hiding archived co-records), `write_date` = the transaction's start time
with microseconds, shared by every write of that transaction, printed truncated.

Searches scan rows in the requested order from a cached sorted index; when the domain
bounds the leading order field (a keyset page: `write_date >= t`), the scan starts at the
first possible row by binary search, so a page costs O(log n + page), not O(n).
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import business
from .domain import Compiled, DomainCompiler, Interval, normalize
from .exceptions import AccessDenied, AccessError, OdooValueError, UserError, ValidationError
from .fields import RELATIONAL, Field
from .models import Model, build_registry
from .versions import Release

SUPERUSER_ID = 1
ADMIN_ID = 2
REGEX_ORDER = re.compile(
    r"^(\s*[a-z0-9_]+(\s+(asc|desc))?(\s+nulls\s+(first|last))?\s*(,|$))+(?<!,)$", re.IGNORECASE
)
INVALID_ORDER = (
    'Invalid "order" specified ({}). A valid "order" specification is a comma-separated list of '
    "valid field names (optionally followed by asc/desc for the direction)"
)
COOLDOWN_FAILURES = 5
COOLDOWN_SECONDS = 60.0


@dataclass(frozen=True)
class OrderTerm:
    field: str
    desc: bool
    nulls_first: bool


@dataclass
class _Transaction:
    now: datetime
    uid: int
    saved: dict[tuple[str, int], dict | None] = field(default_factory=dict)


@dataclass
class _SortedIndex:
    """Ids in one order; `lead` holds the leading field's values when a domain can bound it."""

    ids: list[int]
    lead_field: str | None = None  # a datetime, date or id field
    lead: list | None = None
    desc: bool = False
    nonnull: tuple[int, int] = (0, 0)  # where the non-NULL lead values sit
    _positions: dict[int, int] | None = None

    def positions(self) -> dict[int, int]:
        """{id: position in this order}, built on first use."""
        if self._positions is None:
            self._positions = {rid: i for i, rid in enumerate(self.ids)}
        return self._positions


def utcnow() -> datetime:
    """Naive UTC with microseconds, as PostgreSQL's `now() AT TIME ZONE 'UTC'`."""
    return datetime.now(UTC).replace(tzinfo=None)


class Database:
    """An Odoo database in memory, for one release. Thread-safe: one lock per database."""

    def __init__(
        self,
        name: str,
        version: str = "17.0",
        *,
        login: str = "admin",
        password: str = "admin",  # noqa: S107 - the sandbox's documented demo credentials
        api_key: str = "admin",
        apps: str = "full",
    ):
        self.name = name
        self.release = Release.parse(version)
        self.version = version
        self.apps = apps
        self.registry: dict[str, Model] = build_registry(self.release, apps)
        self.tables: dict[str, dict[int, dict]] = {m: {} for m in self.registry}
        self.login = login
        self.password = password
        self.api_key = api_key
        self.api_key_active = True
        # 19's `rpc.use_deprecated_services`: False turns /jsonrpc's object service off
        self.rpc_services = True
        self.calls: Counter = Counter()
        self.url: str | None = None  # set by the server: a listener that serves only this database
        self.lock = threading.RLock()
        self._next_id: dict[str, int] = dict.fromkeys(self.registry, 1)
        self._tx: _Transaction | None = None
        self._cache: dict = {}
        self._getters: dict[tuple[str, str], Callable[[dict], Any]] = {}
        self._failures: dict[str, tuple[int, float]] = {}
        self.user_keys: dict[int, str] = {}  # API keys of users other than the admin
        # {(model, field, id): {lang: value}}: what was written in a language other than en_US
        self.translations: dict[tuple[str, str, int], dict[str, str]] = {}
        self._local = threading.local()  # the language of the call this thread serves
        self._seed_ir_model()
        self._seed_access()

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self, at: datetime | None = None, uid: int = ADMIN_ID) -> Iterator[None]:
        """Writes inside share one write_date (`at`, default: now). Errors roll back."""
        with self.lock:
            if self._tx is not None:  # nested: joins the outer transaction
                yield
                return
            self._tx = _Transaction(now=at or utcnow(), uid=uid)
            try:
                yield
            except BaseException:
                self._rollback()
                raise
            finally:
                self._tx = None

    @property
    def now(self) -> datetime:
        return self._tx.now if self._tx else utcnow()

    def _rollback(self) -> None:
        for (model, rid), old in reversed(list(self._tx.saved.items())):
            if old is None:
                self.tables[model].pop(rid, None)
            else:
                self.tables[model][rid] = old
        self._changed()

    def _save(self, model: str, rid: int, new: bool = False) -> None:
        if self._tx is not None and (model, rid) not in self._tx.saved:
            self._tx.saved[(model, rid)] = None if new else dict(self.tables[model][rid])

    def _changed(self) -> None:
        self._cache.clear()

    # -- raw access for the generator and computed fields -----------------------------------
    def insert_rows(self, model: str, rows: Iterable[dict]) -> list[int]:
        """Bulk-insert raw rows (ids and magic fields given or filled); no business rules."""
        table, ids = self.tables[model], []
        now = self.now
        next_id = self._next_id[model]
        for row in rows:
            rid = row.get("id") or next_id
            row["id"] = rid
            row.setdefault("create_date", now)
            row.setdefault("write_date", row["create_date"])
            row.setdefault("create_uid", ADMIN_ID)
            row.setdefault("write_uid", ADMIN_ID)
            table[rid] = row
            next_id = max(next_id, rid + 1)
            ids.append(rid)
        self._next_id[model] = next_id
        self._changed()
        return ids

    def row(self, model: str, rid: int | None) -> dict | None:
        return self.tables[model].get(rid) if rid else None

    def rows(self, model: str, ids: Iterable[int]) -> list[dict]:
        table = self.tables[model]
        return [r for r in map(table.get, ids) if r is not None]

    def model(self, name: str) -> Model:
        try:
            return self.registry[name]
        except KeyError:
            raise UserError(f"Object {name} doesn't exist") from None

    def getter(self, model: str, name: str) -> Callable[[dict], Any]:
        """row → raw value of `name` (computed, related, one2many or stored)."""
        key = (model, name)
        get = self._getters.get(key)
        if get is None:
            f = self.registry[model].fields[name]
            if f.compute is not None:
                compute = f.compute
                get = lambda row: compute(self, row)  # noqa: E731
            elif f.type == "one2many":
                comodel, inverse = f.relation, f.inverse
                get = lambda row: self.children(comodel, inverse).get(row["id"], [])  # noqa: E731
            elif f.translate:
                get = lambda row: self._translated(model, name, row)  # noqa: E731
            else:
                get = lambda row: row.get(name)  # noqa: E731
            self._getters[key] = get
        return get

    # -- languages -------------------------------------------------------------------------
    @contextmanager
    def language(self, lang: str | None) -> Iterator[None]:
        """Reads and writes in this thread follow `lang` (a call's context.lang)."""
        previous = getattr(self._local, "lang", None)
        self._local.lang = lang if lang and lang != "en_US" else None
        try:
            yield
        finally:
            self._local.lang = previous

    def _translated(self, model: str, name: str, row: dict) -> Any:
        lang = getattr(self._local, "lang", None)
        if lang:
            value = self.translations.get((model, name, row["id"]), {}).get(lang)
            if value is not None:
                return value
        return row.get(name)

    def _split_translated(self, model: str, vals: dict) -> tuple[dict, dict]:
        """(translatable values written in the call's language, the other values).

        As Odoo 16+: a value written in a language other than en_US is that language's
        only, unless en_US has none yet; a record created in one gets it in en_US too.
        """
        lang = getattr(self._local, "lang", None)
        if not lang:
            return {}, vals
        fields = self.registry[model].fields
        translated = {k: v for k, v in vals.items() if fields[k].translate and isinstance(v, str)}
        return translated, {k: v for k, v in vals.items() if k not in translated}

    def _store_translations(self, model: str, rid: int, translated: dict) -> None:
        for name, value in translated.items():
            self.translations.setdefault((model, name, rid), {})[self._local.lang] = value

    def value(self, model: str, row: dict | None, name: str) -> Any:
        return None if row is None else self.getter(model, name)(row)

    def display_name(self, model: str, rid: int | None) -> str:
        row = self.row(model, rid)
        return self.getter(model, "display_name")(row) if row else ""

    def company_currency(self) -> int | None:
        company = self.row("res.company", 1)
        return company.get("currency_id") if company else None

    def user_tz(self) -> str:
        return (self.row("res.users", ADMIN_ID) or {}).get("tz") or "UTC"

    def children(self, model: str, fk: str) -> dict[int, list[int]]:
        """{parent id: [child ids in the model's default order]} (cached until a write)."""
        key = ("children", model, fk)
        index = self._cache.get(key)
        if index is None:
            index = defaultdict(list)
            get = self.getter(model, fk)
            table = self.tables[model]
            for rid in self._sorted(model, self.parse_order(model, None)).ids:
                parent = get(table[rid])
                if parent:
                    index[parent].append(rid)
            self._cache[key] = index
        return index

    def descendants(self, model: str, parent_field: str, ids: set[int]) -> set[int]:
        kids = self.children(model, parent_field)
        result, todo = set(ids), list(ids)
        while todo:
            for child in kids.get(todo.pop(), ()):
                if child not in result:
                    result.add(child)
                    todo.append(child)
        return result

    def ancestors(self, model: str, parent_field: str, ids: set[int]) -> set[int]:
        result, todo = set(), list(ids)
        while todo:
            rid = todo.pop()
            if rid in result or rid not in self.tables[model]:
                continue
            result.add(rid)
            parent = self.tables[model][rid].get(parent_field)
            if parent:
                todo.append(parent)
        return result

    # -- ordering --------------------------------------------------------------------------
    def parse_order(self, model: str, order: str | None) -> tuple[OrderTerm, ...]:
        """`order` (or the model's `_order`) as terms; UserError/ValueError like Odoo."""
        m = self.registry[model]
        spec = order or m.order
        if not REGEX_ORDER.match(spec):
            raise UserError(INVALID_ORDER.format(spec))
        terms = []
        for part in spec.split(","):
            words = part.strip().lower().split()
            name = words[0]
            f = m.fields.get(name)
            if f is None:
                raise OdooValueError(f"Invalid field {name!r} on model {model!r}")
            if not f.sortable:
                continue  # Odoo cannot order by a non-column; it skips the term
            desc = len(words) > 1 and words[1] == "desc"
            nulls = words[-1] if words[-2:-1] == ["nulls"] else None
            terms.append(OrderTerm(name, desc, desc if nulls is None else nulls == "first"))
        return tuple(terms)

    def _sorted(self, model: str, terms: tuple[OrderTerm, ...]) -> _SortedIndex:
        key = ("sorted", model, terms)
        index = self._cache.get(key)
        if index is not None:
            return index
        table = self.tables[model]
        ids = list(table)  # physical order: what ties keep (Odoo adds no id tie-break)
        for term in reversed(terms):
            ids.sort(key=self._sort_key(model, term), reverse=term.desc)
        index = _SortedIndex(ids)
        if terms:
            f = self.registry[model].fields[terms[0].field]
            if f.type in ("datetime", "date") or f.name == "id":
                get = self.getter(model, f.name)
                lead = [get(table[i]) for i in ids]
                nulls = sum(1 for v in lead if v is None)
                nonnull = (nulls, len(ids)) if terms[0].nulls_first else (0, len(ids) - nulls)
                index = _SortedIndex(ids, f.name, lead, terms[0].desc, nonnull)
        self._cache[key] = index
        return index

    def _sort_key(self, model: str, term: OrderTerm) -> Callable[[int], tuple]:
        f = self.registry[model].fields[term.field]
        get = self.getter(model, term.field)
        table = self.tables[model]
        if f.type == "many2one":  # ordered by the comodel's own _order
            comodel = f.relation
            rank = {
                rid: i
                for i, rid in enumerate(self._sorted(comodel, self.parse_order(comodel, None)).ids)
            }
            plain = get
            get = lambda row: rank.get(plain(row))  # noqa: E731
        if f.type == "boolean":
            plain_bool = get
            get = lambda row: bool(plain_bool(row))  # noqa: E731
        flag_null = term.nulls_first == term.desc
        if flag_null:
            return lambda rid: ((v := get(table[rid])) is None, v)
        return lambda rid: ((v := get(table[rid])) is not None, v)

    # -- search ----------------------------------------------------------------------------
    def compile(self, model: str, domain: Any, context: dict | None = None) -> Compiled:
        self.model(model)
        return DomainCompiler(self, model, context).compile(domain)

    def search(
        self,
        model: str,
        domain: Any = (),
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        context: dict | None = None,
    ) -> list[int]:
        """Ids matching `domain`, in `order` (default `_order`); limit 0/None/False = all."""
        with self.lock:
            return self._search(model, domain, offset, limit, order, context)

    def _search(self, model, domain, offset, limit, order, context) -> list[int]:
        compiled = self.compile(model, domain, context)
        index = self._sorted(model, self.parse_order(model, order))
        table, predicate = self.tables[model], compiled.predicate
        start, end = 0, len(index.ids)
        interval = compiled.ranges.get(index.lead_field) if index.lead_field else None
        if interval is not None:
            start, end = _slice(index, interval)
        ids = index.ids
        if compiled.candidates is not None and len(compiled.candidates) < end - start:
            position = index.positions()
            ids = sorted((i for i in compiled.candidates if i in table), key=position.__getitem__)
            start, end = 0, len(ids)
        skip, found = int(offset or 0), []
        for i in range(start, end):
            rid = ids[i]
            if predicate(table[rid]):
                if skip:
                    skip -= 1
                    continue
                found.append(rid)
                if limit and len(found) >= limit:
                    break
        return found

    def filter_ids(self, model: str, compiled: Compiled) -> list[int]:
        """Every id matching, in no particular order."""
        table, predicate = self.tables[model], compiled.predicate
        if compiled.candidates is not None:
            return [rid for rid in compiled.candidates if rid in table and predicate(table[rid])]
        return [rid for rid, row in table.items() if predicate(row)]

    def search_count(
        self, model: str, domain: Any = (), limit: int | None = None, context: dict | None = None
    ) -> int:
        with self.lock:
            count = len(self.filter_ids(model, self.compile(model, domain, context)))
        return min(count, limit) if limit else count

    def name_search_ids(
        self,
        model: str,
        name: str,
        operator: str = "ilike",
        context: dict | None = None,
        domain: Any = (),
        limit: int | None = None,
    ) -> list[int]:
        """Ids whose display name (product: also code and barcode) matches `name`."""
        rec_name = self.model(model).rec_name
        if not name and operator in ("ilike", "like"):
            by_name = []  # Odoo: an empty name matches everything
        elif model == "product.product":
            by_name = [
                "|",
                "|",
                ("default_code", operator, name),
                ("barcode", operator, name),
                ("name", operator, name),
            ]
        else:
            by_name = [(rec_name, operator, name)]
        both = ["&", *normalize(by_name), *normalize(domain or [])]
        return self.search(model, both, limit=limit, context=context)

    # -- read ------------------------------------------------------------------------------
    def check_fields(self, model: str, names: Iterable[str]) -> list[str]:
        fields = self.model(model).fields
        names = list(names)
        for name in names:
            if name not in fields:
                raise OdooValueError(f"Invalid field {name!r} on model {model!r}")
        return names

    def read(
        self,
        model: str,
        ids: Iterable[int],
        fields: Iterable[str] | None = None,
        load: str | None = "_classic_read",
        context: dict | None = None,
    ) -> list[dict]:
        """Rows as `read` returns them, in the order of `ids`; missing ids are dropped."""
        with self.lock:
            return self._read(model, ids, fields, load, context)

    def _read(self, model, ids, fields, load, context) -> list[dict]:
        m = self.model(model)
        names = self.check_fields(model, fields) if fields else [n for n in m.fields if n != "id"]
        active_test = (context or {}).get("active_test", True)
        formatters = [(n, self._formatter(model, n, load, active_test)) for n in names if n != "id"]
        table, result = self.tables[model], []
        for rid in ids:
            row = table.get(rid)
            if row is None:
                continue
            record = {"id": rid}
            for name, fmt in formatters:
                record[name] = fmt(row)
            result.append(record)
        return result

    def _formatter(
        self, model: str, name: str, load: str | None, active_test: bool
    ) -> Callable[[dict], Any]:
        f = self.registry[model].fields[name]
        get = self.getter(model, name)
        if f.type == "many2one":
            comodel = self.tables[f.relation]
            if not load:
                return lambda row: v if (v := get(row)) and v in comodel else False
            display = self.getter(f.relation, "display_name")
            return lambda row: (
                [v, display(comodel[v])] if (v := get(row)) and v in comodel else False
            )
        if f.type in ("one2many", "many2many"):
            return self._x2many_formatter(f, get, active_test)
        to_read = f.to_read
        return lambda row: to_read(get(row))

    def _x2many_formatter(self, f: Field, get, active_test: bool) -> Callable[[dict], list[int]]:
        comodel = self.registry[f.relation]
        table = self.tables[f.relation]
        hide_archived = active_test and comodel.active_field is not None
        ordered = f.type == "one2many"  # children() is already in the comodel's _order
        rank = (
            None
            if ordered
            else {
                rid: i
                for i, rid in enumerate(
                    self._sorted(f.relation, self.parse_order(f.relation, None)).ids
                )
            }
        )

        def fmt(row: dict) -> list[int]:
            ids = [i for i in (get(row) or ()) if i in table]
            if hide_archived:
                ids = [i for i in ids if table[i].get("active")]
            if rank is not None:
                ids.sort(key=rank.__getitem__)
            return ids

        return fmt

    def search_read(
        self,
        model: str,
        domain: Any = (),
        fields: Iterable[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        context: dict | None = None,
        load: str | None = "_classic_read",
    ) -> list[dict]:
        """`search` then `read`; x2many values still hide archived co-records (§3.5)."""
        if fields:
            self.check_fields(model, fields)
        with self.lock:
            ids = self.search(model, domain, offset, limit, order, context)
            read_context = {k: v for k, v in (context or {}).items() if k != "active_test"}
            return self.read(model, ids, fields, load, read_context)

    # -- write -----------------------------------------------------------------------------
    def create(
        self, model: str, vals: dict | list[dict], context: dict | None = None
    ) -> int | list[int]:
        """An int for one dict, a list of ids for a list of dicts (§1.2)."""
        self.model(model)
        single = isinstance(vals, dict)
        with self.transaction():
            ids = [self._create_one(model, dict(v)) for v in ([vals] if single else vals)]
        return ids[0] if single else ids

    def _create_one(self, model: str, vals: dict) -> int:
        vals = business.before_create(self, model, vals)
        m = self.registry[model]
        self._check_vals(model, vals)
        rid = self._next_id[model]
        self._next_id[model] = rid + 1
        now, uid = self.now, self._tx.uid
        row = self.default_row(model)
        row["id"] = rid
        for name, value in vals.items():
            f = m.fields[name]
            if f.compute is None and f.type not in ("one2many", "many2many") and name not in MAGIC:
                row[name] = f.to_store(value, model)
        self._store_translations(model, rid, self._split_translated(model, vals)[0])
        row.update(create_date=now, write_date=now, create_uid=uid, write_uid=uid)
        self.tables[model][rid] = row
        self._save(model, rid, new=True)
        self._changed()
        self._apply_x2many(model, rid, vals)
        self._check_required(model, row)
        business.after_create(self, model, rid, vals)
        return rid

    def default_row(self, model: str) -> dict:
        """Every stored column of `model` at its default (what create starts from)."""
        row: dict[str, Any] = {}
        for name, f in self.registry[model].fields.items():
            if f.compute is not None or f.type == "one2many" or name in MAGIC:
                continue
            if f.default is not None:
                row[name] = f.to_store(f.default(self) if callable(f.default) else f.default, model)
            elif f.type == "many2many":
                row[name] = []
            else:
                row[name] = f.to_store(None, model)
        return row

    def _check_vals(self, model: str, vals: dict) -> None:
        fields = self.registry[model].fields
        for name in vals:
            if name not in fields:
                raise OdooValueError(f"Invalid field {name!r} on model {model!r}")

    def _check_required(self, model: str, row: dict) -> None:
        m = self.registry[model]
        for name, f in m.fields.items():
            if f.required and f.compute is None and row.get(name) is None:
                raise ValidationError(
                    "The operation cannot be completed: - Create/update: a mandatory field is "
                    f"not set.\n\nModel: {m.description} ({model})\nField: {f.string} ({name})"
                )

    def write(
        self, model: str, ids: int | Iterable[int], vals: dict, context: dict | None = None
    ) -> bool:
        """Update rows; every written row gets this transaction's write_date."""
        self.model(model)
        ids = [ids] if isinstance(ids, int) else list(ids)
        with self.transaction():
            vals = business.before_write(self, model, ids, dict(vals))
            self._check_vals(model, vals)
            self._write_rows(model, ids, vals)
            business.after_write(self, model, ids, vals)
        return True

    def _write_rows(self, model: str, ids: list[int], vals: dict) -> None:
        m, table = self.registry[model], self.tables[model]
        translated, vals = self._split_translated(model, vals)
        plain = {}
        for name, value in vals.items():
            f = m.fields[name]
            if f.compute is None and f.type not in ("one2many", "many2many") and name not in MAGIC:
                plain[name] = f.to_store(value, model)
        for rid in ids:
            if rid not in table:
                continue
            self._save(model, rid)
            row = table.pop(rid)  # an updated row moves to the end, as in a PostgreSQL heap:
            table[rid] = row  # ties in an ORDER BY then come back in a different order
            row.update(plain)
            self._store_translations(model, rid, translated)
            # As Odoo: a value written in another language fills an empty en_US value too.
            row.update({k: v for k, v in translated.items() if not row.get(k)})
            row["write_date"], row["write_uid"] = self.now, self._tx.uid
            self._apply_x2many(model, rid, vals)
            self._check_required(model, row)
        self._changed()

    def touch(self, model: str, ids: Iterable[int]) -> None:
        """Bump write_date as a stored compute does (no value change)."""
        self._write_rows(model, list(ids), {})

    def unlink(self, model: str, ids: int | Iterable[int], context: dict | None = None) -> bool:
        self.model(model)
        ids = [ids] if isinstance(ids, int) else list(ids)
        with self.transaction():
            follow_up = business.before_unlink(self, model, ids)
            table = self.tables[model]
            for rid in ids:
                if rid in table:
                    self._save(model, rid)
                    del table[rid]
            self._changed()
            if follow_up is not None:
                follow_up()
        return True

    def _apply_x2many(self, model: str, rid: int, vals: dict) -> None:
        fields = self.registry[model].fields
        for name, value in vals.items():
            f = fields[name]
            if f.type == "many2many" and f.compute is None:
                self._set_many2many(model, rid, name, value)
            elif f.type == "one2many":
                self._set_one2many(f, rid, value)

    def _set_many2many(self, model: str, rid: int, name: str, commands: Any) -> None:
        row = self.tables[model][rid]
        f = self.registry[model].fields[name]
        current = list(row.get(name) or [])
        for command in _commands(commands):
            code = command[0]
            if code == 0:
                current.append(self._create_one(f.relation, dict(command[2])))
            elif code == 1:
                self.write(f.relation, [command[1]], command[2])
            elif code in (2, 3):
                current = [i for i in current if i != command[1]]
                if code == 2:
                    self.unlink(f.relation, [command[1]])
            elif code == 4 and command[1] not in current:
                current.append(command[1])
            elif code == 5:
                current = []
            elif code == 6:
                current = list(command[2])
        row[name] = current

    def _set_one2many(self, f: Field, rid: int, commands: Any) -> None:
        for command in _commands(commands):
            code = command[0]
            if code == 0:
                self._create_one(f.relation, {**command[2], f.inverse: rid})
            elif code == 1:
                self.write(f.relation, [command[1]], command[2])
            elif code == 2:
                self.unlink(f.relation, [command[1]])
            elif code == 3:
                self.write(f.relation, [command[1]], {f.inverse: False})
            elif code == 4:
                self.write(f.relation, [command[1]], {f.inverse: rid})
            elif code in (5, 6):
                keep = set(command[2]) if code == 6 else set()
                current = list(self.children(f.relation, f.inverse).get(rid, ()))
                for child in current:
                    if child not in keep:
                        self.unlink(f.relation, [child])
                for child in keep:
                    self.write(f.relation, [child], {f.inverse: rid})

    # -- users and credentials ---------------------------------------------------------------
    def revoke_api_key(self) -> None:
        """The admin's API key stops working: RPC calls get AccessDenied / JSON-2 401."""
        self.api_key_active = False

    def uid_for_login(self, login: str) -> int | None:
        for rid, row in self.tables["res.users"].items():
            if row.get("login") == login and row.get("active"):
                return rid
        return None

    def check_credentials(self, uid: int, secret: Any, interactive: bool = False) -> None:
        """AccessDenied unless `secret` is the user's API key (RPC) or password (web).

        The sandbox admin has two-factor authentication on, as many production users do,
        so RPC and JSON-2 accept only its API key (ODOO.md §1.5); the web login takes the
        password.
        """
        user = self.tables["res.users"].get(uid)
        if not user or not user.get("active") or not isinstance(secret, str) or not secret:
            raise AccessDenied()
        if user.get("login") != self.login:  # another user: its API key, for RPC only
            key = self.user_keys.get(uid)
            if interactive or not key or not hmac.compare_digest(secret.encode(), key.encode()):
                raise AccessDenied()
            return
        expected = self.password if interactive else (self.api_key if self.api_key_active else None)
        if expected is None or not hmac.compare_digest(secret.encode(), expected.encode()):
            raise AccessDenied()

    def authenticate(self, login: str, secret: Any, remote: str, interactive: bool = False) -> int:
        """The uid for login + secret, with Odoo's login cooldown per remote address."""
        failures, last = self._failures.get(remote, (0, 0.0))
        if failures >= COOLDOWN_FAILURES and time.monotonic() - last < COOLDOWN_SECONDS:
            raise AccessDenied("Too many login failures, please wait a bit before trying again.")
        uid = self.uid_for_login(login) if isinstance(login, str) else None
        try:
            if uid is None:
                raise AccessDenied()
            self.check_credentials(uid, secret, interactive)
        except AccessDenied:
            self._failures[remote] = (failures + 1, time.monotonic())
            raise
        self._failures.pop(remote, None)
        return uid

    def set_api_key(self, uid: int) -> str:
        """A new API key for user `uid` (what Odoo's "New API Key" button makes)."""
        self.user_keys[uid] = secrets.token_hex(20)
        return self.user_keys[uid]

    def is_system(self, uid: int) -> bool:
        """Administration / Settings: the admin, or a user in `base.group_system`."""
        if uid in (ADMIN_ID, SUPERUSER_ID):
            return True
        user = self.tables["res.users"].get(uid) or {}
        return self._group_ids["base.group_system"] in (user.get(self.release.groups_field) or ())

    def check_access(self, uid: int, model: str) -> None:
        """Odoo's access rights, for the models only administrators may read."""
        if model in ADMIN_ONLY and not self.is_system(uid):
            description = self.registry[model].description
            raise AccessError(
                f"You are not allowed to access '{description}' ({model}) records.\n\n"
                "This operation is allowed for the following groups:\n"
                "\t- Administration/Settings\n\n"
                "Contact your administrator to request access if necessary."
            )

    def _seed_access(self) -> None:
        """Groups with their external ids, the admin in all of them; the languages."""
        groups = [g for g in GROUPS if self.apps == "full" or not g.startswith("stock.")]
        ids = self.insert_rows("res.groups", [{"name": GROUPS[g]} for g in groups])
        self._group_ids = dict(zip(groups, ids, strict=True))
        self.insert_rows("ir.model.data", [
            {"module": g.split(".")[0], "name": g.split(".")[1], "model": "res.groups",
             "res_id": gid} for g, gid in self._group_ids.items()
        ])  # fmt: skip
        self.insert_rows("res.lang", [{"code": c, "name": n, "active": c == "en_US"}
                                      for c, n in LANGUAGES])  # fmt: skip

    def user_context(self, uid: int) -> dict:
        user = self.tables["res.users"].get(uid) or {}
        partner = self.row("res.partner", user.get("partner_id")) or {}
        return {"lang": partner.get("lang") or "en_US", "tz": user.get("tz") or False, "uid": uid}

    def _seed_ir_model(self) -> None:
        rows = [
            {
                "model": name,
                "name": m.description,
                "state": "base",
                "transient": False,
                "abstract": False,
                "module": name.split(".")[0],
                "info": m.description,
            }
            for name, m in sorted(self.registry.items())
        ]
        if "abstract" not in self.registry["ir.model"].fields:
            for row in rows:
                del row["abstract"]
        self.insert_rows("ir.model", rows)


# Models an integration user cannot read without admin rights (as Odoo's access rules).
ADMIN_ONLY = frozenset({"ir.model", "ir.model.fields", "ir.module.module", "ir.config_parameter"})
GROUPS = {
    "base.group_user": "Internal User",
    "base.group_system": "Settings",
    "sales_team.group_sale_salesman": "User: Own Documents Only",
    "sales_team.group_sale_salesman_all_leads": "User: All Documents",
    "stock.group_stock_user": "User",
}
LANGUAGES = [("en_US", "English (US)"), ("es_CL", "Spanish (CL) / Español (CL)"),
             ("es_ES", "Spanish / Español")]  # fmt: skip

MAGIC = ("id", "create_date", "write_date", "create_uid", "write_uid", "__last_update")


def _commands(value: Any) -> list:
    """x2many values: a list of ids (17+ shorthand) or Odoo's command triplets."""
    if value is False or value is None:
        return [(5,)]
    commands = []
    ids = []
    for item in value:
        if isinstance(item, (list, tuple)):
            commands.append(tuple(item) + (None,) * (3 - len(item)))
        else:
            ids.append(item)
    if ids:
        commands.insert(0, (6, 0, ids))
    return commands


def _first(lo: int, hi: int, test: Callable[[int], bool]) -> int:
    """The first index in [lo, hi) where the monotone `test` holds (hi if none)."""
    while lo < hi:
        mid = (lo + hi) // 2
        if test(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _slice(index: _SortedIndex, interval: Interval) -> tuple[int, int]:
    """The [start, end) positions of the index whose lead value may lie in `interval`."""
    lead, (lo, hi) = index.lead, index.nonnull
    if not index.desc:
        start = lo
        if interval.lo is not None:
            v = interval.lo
            start = _first(
                lo, hi, (lambda i: lead[i] >= v) if interval.lo_incl else (lambda i: lead[i] > v)
            )
        end = hi
        if interval.hi is not None:
            v = interval.hi
            end = _first(
                start, hi, (lambda i: lead[i] > v) if interval.hi_incl else (lambda i: lead[i] >= v)
            )
        return start, end
    start = lo
    if interval.hi is not None:
        v = interval.hi
        start = _first(
            lo, hi, (lambda i: lead[i] <= v) if interval.hi_incl else (lambda i: lead[i] < v)
        )
    end = hi
    if interval.lo is not None:
        v = interval.lo
        end = _first(
            start, hi, (lambda i: lead[i] < v) if interval.lo_incl else (lambda i: lead[i] <= v)
        )
    return start, end


__all__ = ["ADMIN_ID", "RELATIONAL", "SUPERUSER_ID", "Database", "utcnow"]
