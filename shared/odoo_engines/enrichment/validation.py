"""Checking request bodies and query strings before anything is called or written.

A malformed body is 400, a well-formed body with a wrong field 422 naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, overload

from ..core.triggers import HttpError, refuse_nul, whole_number_arg

MAX_NAME = 200
MAX_KEYWORDS = 20
MAX_KEYWORD = 60
MAX_STOCK = 2_147_483_647  # PostgreSQL integer
MAX_PAGE = 200


@dataclass(frozen=True)
class NewProduct:
    name: str
    keywords: tuple[str, ...]
    stock: int


@dataclass(frozen=True)
class Sale:
    """Either the stock after the sale (the seed's body) or the quantity sold."""

    new_stock: int | None = None
    quantity: int | None = None


@dataclass(frozen=True)
class Edit:
    description: str | None = None
    category: str | None = None


def _invalid(field: str, message: str) -> HttpError:
    return HttpError(422, f"{field}: {message}", field=field)


def _object(body: Any, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(body, dict):
        raise HttpError(400, "request body must be a JSON object")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise HttpError(
            422,
            f"unknown field(s): {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})",
            field=unknown[0],
        )
    return body


def _text(body: Mapping[str, Any], field: str, max_length: int) -> str:
    value = body.get(field)
    if value is None:
        raise _invalid(field, "is required")
    if not isinstance(value, str):
        raise _invalid(field, "must be a string")
    value = refuse_nul(value, field).strip()
    if not value:
        raise _invalid(field, "must not be empty")
    if len(value) > max_length:
        raise _invalid(field, f"must be at most {max_length} characters")
    return value


def _count(body: Mapping[str, Any], field: str, minimum: int) -> int:
    value = body.get(field)
    if value is None:
        raise _invalid(field, "is required")
    # bool is an int in Python; 3.0 is accepted as 3 because JSON does not tell them apart
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(field, "must be a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise _invalid(field, "must be a whole number")
    value = int(value)
    if value < minimum:
        raise _invalid(field, f"must be at least {minimum}")
    if value > MAX_STOCK:
        raise _invalid(field, f"must be at most {MAX_STOCK}")
    return value


def _keywords(body: Mapping[str, Any]) -> tuple[str, ...]:
    value = body.get("keywords", [])
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise _invalid("keywords", "must be a list of strings")
    for keyword in value:
        refuse_nul(keyword, "keywords")
    keywords = tuple(dict.fromkeys(k.strip() for k in value if k.strip()))
    if len(keywords) > MAX_KEYWORDS:
        raise _invalid("keywords", f"at most {MAX_KEYWORDS} keywords")
    if any(len(k) > MAX_KEYWORD for k in keywords):
        raise _invalid("keywords", f"each keyword must be at most {MAX_KEYWORD} characters")
    return keywords


def parse_new_product(body: Any) -> NewProduct:
    """`{name, keywords, stock}` (keywords optional, default none)."""
    body = _object(body, {"name", "keywords", "stock"})
    return NewProduct(
        name=_text(body, "name", MAX_NAME),
        keywords=_keywords(body),
        stock=_count(body, "stock", 0),
    )


def parse_sale(body: Any) -> Sale:
    """`{new_stock}` or `{quantity}`: exactly one of them."""
    body = _object(body, {"new_stock", "quantity"})
    if ("new_stock" in body) == ("quantity" in body):
        raise HttpError(
            422, "give exactly one of new_stock (stock after the sale) or quantity (units sold)"
        )
    if "new_stock" in body:
        return Sale(new_stock=_count(body, "new_stock", 0))
    return Sale(quantity=_count(body, "quantity", 1))


def parse_edit(body: Any, max_description: int) -> Edit:
    """`{description?, category?}`: at least one of them."""
    body = _object(body, {"description", "category"})
    if not body:
        raise HttpError(422, "give description and/or category to change")
    return Edit(
        description=_text(body, "description", max_description) if "description" in body else None,
        category=_text(body, "category", MAX_NAME) if "category" in body else None,
    )


def page(args: Mapping[str, str], default_limit: int = 50) -> tuple[int, int]:
    """`?limit&offset` → (limit, offset); 400 when not whole numbers or out of range."""
    limit = whole_number_arg(args, "limit", 1, MAX_PAGE)
    offset = whole_number_arg(args, "offset", 0, MAX_STOCK)
    return default_limit if limit is None else limit, offset or 0


@overload
def choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str: ...
@overload
def choice(
    args: Mapping[str, str], name: str, allowed: tuple[str, ...], default: None
) -> str | None: ...
def choice(
    args: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str | None
) -> str | None:
    """A query parameter restricted to `allowed` (400 otherwise)."""
    value = args.get(name) or default
    if value is not None and value not in allowed:
        raise HttpError(400, f"{name} must be one of {', '.join(allowed)}")
    return value
