"""Odoo search domains compiled to Python predicates over stored rows (ODOO.md §3.1, §3.4).

Prefix operators `&`, `|`, `!` with implicit AND; dot paths through relations; Odoo's
NULL semantics (negative operators include NULL, `= False` is IS NULL, `in` with False);
18+ treats '' and 0 like NULL for text and numeric fields; 19 compares datetimes by whole
seconds. A compiled domain also reports the value ranges it implies on datetime, date and
id fields, so the database can start a sorted scan at the first possible row.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .exceptions import OdooValueError
from .fields import NUMERIC, TEXTUAL, Field

log = logging.getLogger(__name__)

Predicate = Callable[[dict], bool]
OPERATORS_16 = (
    "=",
    "!=",
    "<=",
    "<",
    ">",
    ">=",
    "=?",
    "=like",
    "=ilike",
    "like",
    "not like",
    "ilike",
    "not ilike",
    "in",
    "not in",
    "child_of",
    "parent_of",
)
NEGATIVE = ("!=", "not like", "not ilike", "not in", "not =like", "not =ilike")
LIKE = ("like", "not like", "ilike", "not ilike", "=like", "=ilike", "not =like", "not =ilike")
RANGED_TYPES = ("datetime", "date")
ARITY = {"!": 1, "&": 2, "|": 2}


@dataclass(frozen=True)
class Interval:
    """Values a field may take for a domain to hold; None bounds are open-ended."""

    lo: Any = None
    lo_incl: bool = True
    hi: Any = None
    hi_incl: bool = True

    def intersect(self, other: Interval) -> Interval:
        lo, lo_incl = self.lo, self.lo_incl
        if other.lo is not None and (
            lo is None or other.lo > lo or (other.lo == lo and not other.lo_incl)
        ):
            lo, lo_incl = other.lo, other.lo_incl
        hi, hi_incl = self.hi, self.hi_incl
        if other.hi is not None and (
            hi is None or other.hi < hi or (other.hi == hi and not other.hi_incl)
        ):
            hi, hi_incl = other.hi, other.hi_incl
        return Interval(lo, lo_incl, hi, hi_incl)

    def hull(self, other: Interval) -> Interval:
        if self.lo is None or other.lo is None:
            lo, lo_incl = None, True
        elif self.lo == other.lo:
            lo, lo_incl = self.lo, self.lo_incl or other.lo_incl
        else:
            lo, lo_incl = (
                (self.lo, self.lo_incl) if self.lo < other.lo else (other.lo, other.lo_incl)
            )
        if self.hi is None or other.hi is None:
            hi, hi_incl = None, True
        elif self.hi == other.hi:
            hi, hi_incl = self.hi, self.hi_incl or other.hi_incl
        else:
            hi, hi_incl = (
                (self.hi, self.hi_incl) if self.hi > other.hi else (other.hi, other.hi_incl)
            )
        return Interval(lo, lo_incl, hi, hi_incl)


@dataclass(frozen=True)
class Compiled:
    """A domain ready to run: the row predicate, the ranges it implies per field, and
    `candidates`: when known, a set of ids outside which no row can match."""

    predicate: Predicate
    ranges: dict[str, Interval]
    candidates: frozenset[int] | None = None


def _true(row: dict) -> bool:
    return True


def _false(row: dict) -> bool:
    return False


TRUE = Compiled(_true, {})
FALSE = Compiled(_false, {})


def normalize(domain: Any) -> list:
    """Odoo's `normalize_domain`: explicit `&` where terms are implicitly AND-ed."""
    if not isinstance(domain, (list, tuple)):
        raise OdooValueError(f"Invalid domain: {domain!r}")
    if not domain:
        return [(1, "=", 1)]
    result: list = []
    expected = 1
    for token in domain:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if isinstance(token, (list, tuple)):
            if len(token) != 3:
                raise OdooValueError(f"Invalid leaf {token!r}")
            expected -= 1
            result.append(tuple(token))
        elif token in ARITY:
            expected += ARITY[token] - 1
            result.append(token)
        else:
            raise OdooValueError(f"Invalid leaf {token!r}")
    if expected != 0:
        raise OdooValueError(f"Domain {list(domain)!r} is syntactically not correct.")
    return result


def mentions_field(domain: list, name: str) -> bool:
    """Whether a leaf of the domain is on `name` itself (what disables active_test)."""
    return any(isinstance(t, tuple) and t[0] == name for t in domain)


class DomainCompiler:
    """Compiles domains of one model of one database (needs it for relations and names)."""

    def __init__(self, db, model: str, context: dict | None = None):
        self.db = db
        self.model = db.registry[model]
        self.release = db.release
        self.context = context or {}

    def compile(self, domain: Any, active_test: bool = True) -> Compiled:
        tokens = normalize(domain)
        active = self.model.active_field
        if (
            active
            and active_test
            and self.context.get("active_test", True)
            and not mentions_field(tokens, active)
        ):
            tokens = ["&", (active, "=", True), *tokens]
        compiled, rest = self._node(tokens, 0)
        if rest != len(tokens):  # pragma: no cover - normalize() guarantees a single tree
            raise OdooValueError(f"Invalid domain: {domain!r}")
        return compiled

    def _node(self, items: list, i: int) -> tuple[Compiled, int]:
        item = items[i]
        if item == "!":
            child, i = self._node(items, i + 1)
            pred = child.predicate
            return Compiled(lambda r: not pred(r), {}), i
        if item in ("&", "|"):
            left, i = self._node(items, i + 1)
            right, i = self._node(items, i)
            return (_and(left, right) if item == "&" else _or(left, right)), i
        return self._leaf(item), i + 1

    # -- leaves --------------------------------------------------------------------------
    def _leaf(self, leaf: tuple) -> Compiled:
        path, operator, value = leaf
        if leaf == (1, "=", 1):
            return TRUE
        if leaf == (0, "=", 1):
            return FALSE
        if not isinstance(operator, str):
            raise OdooValueError(f"Invalid leaf {leaf!r}")
        operator = operator.lower()
        if operator == "<>":
            operator = "!="
        if operator not in self._operators():
            raise OdooValueError(f"Invalid leaf {leaf!r}")
        if not isinstance(path, str) or not path:
            raise OdooValueError(f"Invalid leaf {leaf!r}")
        name, _dot, rest = path.partition(".")
        field = self.model.fields.get(name)
        if field is None:
            where = "condition" if self.release.major >= 19 else "leaf"
            raise OdooValueError(f"Invalid field {self.model.name}.{name} in {where} {leaf!r}")
        if rest:
            return self._path_leaf(field, rest, operator, value, leaf)
        if operator in ("child_of", "parent_of"):
            return self._hierarchy_leaf(field, operator, value)
        if operator in ("any", "not any"):
            return self._any_leaf(field, operator, value)
        if not field.searchable:
            if self.release.drops_unsearchable_conditions:
                log.error("Non-stored field %s.%s cannot be searched.", self.model.name, name)
                return TRUE
            raise OdooValueError(f"Non-stored field {self.model.name}.{name} cannot be searched.")
        getter = self.db.getter(self.model.name, name)
        if field.type == "many2one" and _is_name_value(value) and operator not in ("=?",):
            return self._name_leaf(getter, field, operator, value)
        if field.type in ("one2many", "many2many"):
            return self._x2many_leaf(getter, field, operator, value)
        compiled = self._scalar_leaf(getter, field, operator, value)
        if operator in ("=", "in"):
            return self._with_candidates(compiled, field, value)
        return compiled

    def _with_candidates(self, compiled: Compiled, field: Field, value: Any) -> Compiled:
        """`id in ids` or `many2one in ids`: only those rows (or those children) can match."""
        values = value if isinstance(value, (list, tuple)) else [value]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return compiled  # False/None (NULL) or names: no candidate set
        if field.name == "id":
            candidates = frozenset(values)
        elif field.type == "many2one" and field.compute is None:
            children = self.db.children(self.model.name, field.name)
            candidates = frozenset(c for v in values for c in children.get(v, ()))
        else:
            return compiled
        return Compiled(compiled.predicate, compiled.ranges, candidates)

    def _operators(self) -> tuple[str, ...]:
        ops = OPERATORS_16
        if self.release.any_operator:
            ops += ("any", "not any")
        if self.release.not_eq_like_operators:
            ops += ("not =like", "not =ilike")
        return ops

    def _sub_ids(self, model: str, domain: list, active_test: bool = False) -> set[int]:
        compiler = DomainCompiler(self.db, model, self.context)
        return set(self.db.filter_ids(model, compiler.compile(domain, active_test=active_test)))

    def _path_leaf(
        self, field: Field, rest: str, operator: str, value: Any, leaf: tuple
    ) -> Compiled:
        if field.type not in ("many2one", "one2many", "many2many"):
            raise OdooValueError(f"Invalid field {self.model.name}.{field.name} in leaf {leaf!r}")
        matching = self._sub_ids(field.relation, [(rest, operator, value)])
        getter = self.db.getter(self.model.name, field.name)
        if field.type == "many2one":
            return Compiled(lambda r: getter(r) in matching, {})
        return Compiled(lambda r: not matching.isdisjoint(getter(r) or ()), {})

    def _any_leaf(self, field: Field, operator: str, value: Any) -> Compiled:
        if field.type not in ("many2one", "one2many", "many2many"):
            raise OdooValueError(f"Operator {operator!r} only applies to relational fields")
        matching = self._sub_ids(field.relation, value, active_test=True)
        getter = self.db.getter(self.model.name, field.name)
        if field.type == "many2one":
            pred = lambda r: getter(r) in matching  # noqa: E731
        else:
            pred = lambda r: not matching.isdisjoint(getter(r) or ())  # noqa: E731
        return Compiled(pred if operator == "any" else (lambda r: not pred(r)), {})

    def _hierarchy_leaf(self, field: Field, operator: str, value: Any) -> Compiled:
        comodel = field.relation if field.relation else self.model.name
        ids = self._resolve_ids(comodel, value)
        parent = self.db.registry[comodel].parent_name
        if parent:
            ids = (
                self.db.descendants(comodel, parent, ids)
                if operator == "child_of"
                else self.db.ancestors(comodel, parent, ids)
            )
        getter = self.db.getter(self.model.name, field.name)
        if field.type in ("one2many", "many2many"):
            return Compiled(lambda r: not ids.isdisjoint(getter(r) or ()), {})
        return Compiled(lambda r: getter(r) in ids, {})

    def _resolve_ids(self, comodel: str, value: Any) -> set[int]:
        if value is False or value is None:
            return set()
        values = value if isinstance(value, (list, tuple)) else [value]
        ids = {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
        names = [v for v in values if isinstance(v, str)]
        for name in names:
            ids |= set(self.db.name_search_ids(comodel, name, "ilike", self.context))
        return ids

    def _name_leaf(self, getter, field: Field, operator: str, value: Any) -> Compiled:
        # A many2one compared to names searches the comodel by name (§3.1).
        positive = operator not in NEGATIVE
        name_op = operator if positive else {"!=": "=", "not in": "in"}.get(operator, operator[4:])
        names = value if isinstance(value, (list, tuple)) else [value]
        matching: set[int] = set()
        for name in names:
            matching |= set(
                self.db.name_search_ids(
                    field.relation, name, "=" if name_op == "in" else name_op, self.context
                )
            )
        if positive:
            return Compiled(lambda r: getter(r) in matching, {})
        return Compiled(lambda r: getter(r) not in matching, {})

    def _x2many_leaf(self, getter, field: Field, operator: str, value: Any) -> Compiled:
        if value is False or value is None or value == []:
            if operator in ("=", "in"):
                return Compiled(lambda r: not getter(r), {})
            if operator in ("!=", "not in"):
                return Compiled(lambda r: bool(getter(r)), {})
        if operator in LIKE or isinstance(value, str):
            op = (
                operator
                if operator not in NEGATIVE
                else operator.removeprefix("not ").replace("!=", "=")
            )
            matching = set(self.db.name_search_ids(field.relation, value, op, self.context))
        else:
            values = value if isinstance(value, (list, tuple)) else [value]
            matching = {v for v in values if v is not False}
        hit = lambda r: not matching.isdisjoint(getter(r) or ())  # noqa: E731
        if operator in NEGATIVE:
            return Compiled(lambda r: not hit(r), {})
        return Compiled(hit, {})

    def _scalar_leaf(self, get, field: Field, operator: str, value: Any) -> Compiled:
        kind = field.type
        if operator == "=?":
            if value is False or value is None:
                return TRUE
            operator = "="
        if kind == "datetime":
            return self._datetime_leaf(get, field, operator, value)
        if kind == "date" and value not in (False, None):
            value = _to_date(value)
        falsy = self._falsy(kind)
        if falsy is not None:
            raw = get
            get = lambda r: falsy if (v := raw(r)) is None else v  # noqa: E731
            value = _coalesce(value, falsy)
        if kind == "boolean":
            return self._boolean_leaf(get, operator, value)
        ranged = kind in RANGED_TYPES or field.name == "id"
        return _compare(get, operator, value, ranged, field.name)

    def _falsy(self, kind: str) -> Any:
        if not self.release.falsy_is_null:
            return None
        if kind in TEXTUAL:
            return ""
        if kind in NUMERIC:
            return 0
        return None

    def _boolean_leaf(self, get, operator: str, value: Any) -> Compiled:
        getb = lambda r: bool(get(r))  # noqa: E731  NULL booleans read as False
        if operator in ("in", "not in"):
            values = {
                bool(v)
                for v in (value if isinstance(value, (list, tuple)) else [value])
                if v is not None
            }
            if operator == "in":
                return Compiled(lambda r: getb(r) in values, {})
            return Compiled(lambda r: getb(r) not in values, {})
        if operator in ("=", "!="):
            target = bool(value)
            if operator == "=":
                return Compiled(lambda r: getb(r) is target, {})
            return Compiled(lambda r: getb(r) is not target, {})
        return _compare(get, operator, value, False, "")

    def _datetime_leaf(self, get, field: Field, operator: str, value: Any) -> Compiled:
        if operator in ("in", "not in"):
            values = value if isinstance(value, (list, tuple)) else [value]
            if self.release.whole_second_datetimes:
                leaves = [self._datetime_leaf(get, field, "=", v) for v in values]
                pred = _any_of([leaf.predicate for leaf in leaves])
                ranges = _or_all(leaves).ranges if leaves else {}
                if operator == "in":
                    return Compiled(pred, ranges)
                return Compiled(lambda r: not pred(r), {})
            converted = [
                self._to_datetime(v, operator) if v not in (False, None) else v for v in values
            ]
            return _compare(get, operator, converted, True, field.name)
        if value is False or value is None:
            return _compare(get, operator, value, True, field.name)
        moment = self._to_datetime(value, operator)
        if self.release.whole_second_datetimes and not moment.microsecond:
            # 19 (§3.4): `> t` is `>= t+1s`, `<= t` is `< t+1s`, `= t` is `[t, t+1s)`.
            after = moment + timedelta(seconds=1)
            if operator == ">":
                return _compare(get, ">=", after, True, field.name)
            if operator == "<=":
                return _compare(get, "<", after, True, field.name)
            if operator in ("=", "!="):
                inside = _and(
                    _compare(get, ">=", moment, True, field.name),
                    _compare(get, "<", after, True, field.name),
                )
                if operator == "=":
                    return inside
                pred = inside.predicate
                return Compiled(lambda r: not pred(r), {})
        return _compare(get, operator, moment, True, field.name)

    def _to_datetime(self, value: Any, operator: str) -> datetime:
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise OdooValueError(f"Invalid datetime value {value!r}")
        text = value.strip()
        if self.release.whole_second_datetimes:
            return self._to_datetime_19(text)
        if len(text) == 10:  # 16-18: a date means 00:00:00 (23:59:59 for > and <=) UTC
            suffix = " 23:59:59" if operator in (">", "<=") else " 00:00:00"
            text += suffix
        try:
            return datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            raise OdooValueError(f'invalid input syntax for type timestamp: "{value}"') from None

    def _to_datetime_19(self, text: str) -> datetime:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise OdooValueError(f"Invalid date/datetime {text!r}") from None
        if parsed.tzinfo is not None:
            raise OdooValueError(f"Invalid date/datetime {text!r}: no timezone offset allowed")
        if len(text) == 10:  # 19: a date on a datetime field is midnight in the user's timezone
            tz = ZoneInfo(self.context.get("tz") or self.db.user_tz())
            local = parsed.replace(tzinfo=tz)
            return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        return parsed


def _is_name_value(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, str) for v in value)
    )


def _coalesce(value: Any, falsy: Any) -> Any:
    if value is False or value is None:
        return falsy
    if isinstance(value, (list, tuple)):
        return [falsy if v is False or v is None else v for v in value]
    return value


def _to_date(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_to_date(v) for v in value]
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise OdooValueError(f"Invalid date value {value!r}") from None


def like_regex(pattern: str, case_insensitive: bool) -> re.Pattern:
    """An SQL LIKE pattern (`%`, `_`, backslash escapes) as an anchored regex."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL | (re.IGNORECASE if case_insensitive else 0))


def _compare(get, operator: str, value: Any, ranged: bool, name: str) -> Compiled:
    """A leaf on a plain value with Odoo's SQL NULL semantics (§3.1)."""
    if operator in LIKE:
        return _like(get, operator, value)
    if operator in ("in", "not in"):
        values = value if isinstance(value, (list, tuple, set)) else [value]
        with_null = any(v is False or v is None for v in values)
        members = {v for v in values if v is not False and v is not None}
        if operator == "in":
            ranges = (
                {name: Interval(min(members), True, max(members), True)}
                if ranged and members and not with_null
                else {}
            )
            if with_null:
                return Compiled(lambda r: (v := get(r)) is None or v in members, ranges)
            return Compiled(lambda r: get(r) in members, ranges)
        if with_null:
            return Compiled(lambda r: (v := get(r)) is not None and v not in members, {})
        return Compiled(lambda r: (v := get(r)) is None or v not in members, {})
    if value is False or value is None:
        if operator == "=":
            return Compiled(lambda r: get(r) is None, {})
        if operator == "!=":
            return Compiled(lambda r: get(r) is not None, {})
        return FALSE
    ranges = {}
    if ranged:
        ranges = {
            "=": {name: Interval(value, True, value, True)},
            ">": {name: Interval(value, False, None)},
            ">=": {name: Interval(value, True, None)},
            "<": {name: Interval(None, True, value, False)},
            "<=": {name: Interval(None, True, value, True)},
        }.get(operator, {})
    if operator == "=":
        return Compiled(lambda r: get(r) == value, ranges)
    if operator == "!=":
        return Compiled(lambda r: (v := get(r)) is None or v != value, {})
    if operator == ">":
        return Compiled(lambda r: (v := get(r)) is not None and v > value, ranges)
    if operator == ">=":
        return Compiled(lambda r: (v := get(r)) is not None and v >= value, ranges)
    if operator == "<":
        return Compiled(lambda r: (v := get(r)) is not None and v < value, ranges)
    if operator == "<=":
        return Compiled(lambda r: (v := get(r)) is not None and v <= value, ranges)
    raise OdooValueError(f"Invalid operator {operator!r}")


def _like(get, operator: str, value: Any) -> Compiled:
    negative = operator.startswith("not ")
    base = operator.removeprefix("not ")
    text = "" if value is False or value is None else str(value)
    pattern = text if base.startswith("=") else f"%{text}%"
    regex = like_regex(pattern, case_insensitive="ilike" in base)
    match = regex.fullmatch
    if negative:
        return Compiled(lambda r: (v := get(r)) is None or not match(str(v)), {})
    return Compiled(lambda r: (v := get(r)) is not None and match(str(v)) is not None, {})


def _and(left: Compiled, right: Compiled) -> Compiled:
    if left is TRUE:
        return right
    if right is TRUE:
        return left
    a, b = left.predicate, right.predicate
    ranges = dict(left.ranges)
    for name, interval in right.ranges.items():
        ranges[name] = ranges[name].intersect(interval) if name in ranges else interval
    candidates = left.candidates if right.candidates is None else right.candidates
    if left.candidates is not None and right.candidates is not None:
        candidates = left.candidates & right.candidates
    return Compiled(lambda r: a(r) and b(r), ranges, candidates)


def _or(left: Compiled, right: Compiled) -> Compiled:
    if left is TRUE or right is TRUE:
        return TRUE
    a, b = left.predicate, right.predicate
    ranges = {
        n: left.ranges[n].hull(right.ranges[n]) for n in left.ranges.keys() & right.ranges.keys()
    }
    candidates = None
    if left.candidates is not None and right.candidates is not None:
        candidates = left.candidates | right.candidates
    return Compiled(lambda r: a(r) or b(r), ranges, candidates)


def _or_all(parts: Iterable[Compiled]) -> Compiled:
    result = None
    for part in parts:
        result = part if result is None else _or(result, part)
    return result or FALSE


def _any_of(predicates: list[Predicate]) -> Predicate:
    return lambda r: any(p(r) for p in predicates)
