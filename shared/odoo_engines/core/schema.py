"""The JSON Schema subset the functions and the text generators honour, checked without a library.

Supported: object (properties, required), string (maxLength, minLength), number and
integer (minimum, maximum), boolean, null, array (items, minItems, maxItems), enum,
description, default; `type` may be a list such as ["string", "null"].
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import PermanentError

_TYPES = {"object", "string", "number", "integer", "boolean", "array", "null"}
_KEYWORDS = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "description",
    "title", "default", "maxLength", "minLength", "minimum", "maximum", "minItems", "maxItems",
}  # fmt: skip
_OPENAI_UNSUPPORTED = ("maxLength", "minLength")


def types_of(schema: dict[str, Any]) -> list[str]:
    """The schema's types as a list (an `enum` without `type` counts as its values' types)."""
    kind = schema.get("type")
    if kind is None:
        return sorted({_json_type(v) for v in schema.get("enum", [])})
    return list(kind) if isinstance(kind, list) else [kind]


def check_schema(schema: Any, path: str = "$") -> None:
    """PermanentError naming the place when `schema` leaves the supported subset."""
    if not isinstance(schema, dict):
        raise PermanentError(f"schema at {path} must be an object")
    unknown = set(schema) - _KEYWORDS
    if unknown:
        raise PermanentError(f"schema at {path} uses unsupported keywords: {sorted(unknown)}")
    kinds = types_of(schema)
    if not kinds or any(k not in _TYPES for k in kinds):
        raise PermanentError(f"schema at {path} needs a type among {sorted(_TYPES)}")
    if "enum" in schema and (not isinstance(schema["enum"], list) or not schema["enum"]):
        raise PermanentError(f"schema at {path}: enum must be a non-empty list")
    for name, sub in (schema.get("properties") or {}).items():
        check_schema(sub, f"{path}.{name}")
    if "array" in kinds:
        check_schema(schema.get("items", {"type": "string"}), f"{path}[]")


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> None:
    """PermanentError naming the first place where `value` does not fit `schema`."""
    kinds = types_of(schema)
    if kinds and not any(_is_type(value, k) for k in kinds):
        raise PermanentError(f"{path} should be {' or '.join(kinds)}, got {_json_type(value)}")
    if "enum" in schema and value not in schema["enum"]:
        raise PermanentError(f"{path} must be one of {schema['enum']}, got {value!r}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            raise PermanentError(f"{path} is longer than {schema['maxLength']} characters")
        if len(value) < schema.get("minLength", 0):
            raise PermanentError(f"{path} is shorter than {schema['minLength']} characters")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise PermanentError(f"{path} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise PermanentError(f"{path} is above the maximum {schema['maximum']}")
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise PermanentError(f"{path} has fewer than {schema['minItems']} items")
        if len(value) > schema.get("maxItems", len(value)):
            raise PermanentError(f"{path} has more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            validate(item, schema.get("items", {}), f"{path}[{i}]")
    elif isinstance(value, dict):
        properties = schema.get("properties") or {}
        for name in schema.get("required", []):
            if name not in value:
                raise PermanentError(f"{path}.{name} is missing")
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(properties)
            if extra:
                raise PermanentError(f"{path} has unexpected properties {sorted(extra)}")
        for name, item in value.items():
            if name in properties:
                validate(item, properties[name], f"{path}.{name}")


def shorten(text: str, max_length: int) -> str:
    """`text` within `max_length` characters: cut after a sentence, else between words."""
    text = " ".join(text.split())
    if len(text) <= max_length:
        return text
    head = text[:max_length]
    sentence_end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if sentence_end + 1 >= max_length // 2:
        return head[: sentence_end + 1]
    cut = head[: max_length - 1]
    if text[max_length - 1] != " ":  # the cut falls inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0] if " " in cut else ""
    cut = cut.rstrip(" ,;:-")
    return cut + "…" if cut else head


def fit_strings(value: Any, schema: dict[str, Any]) -> Any:
    """A copy of `value` with strings over their `maxLength` shortened (models overshoot)."""
    if isinstance(value, str) and "maxLength" in schema:
        return shorten(value, schema["maxLength"])
    if isinstance(value, list):
        items = schema.get("items") or {}
        return [fit_strings(v, items) for v in value]
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        return {k: fit_strings(v, properties.get(k, {})) for k, v in value.items()}
    return value


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as OpenAI's strict structured output accepts it.

    Every object closed and all its properties required; string length limits, which
    strict mode does not take, moved into the description (and enforced afterwards).
    """
    wire = copy.deepcopy(schema)
    _make_strict(wire)
    return wire


def _make_strict(schema: dict[str, Any]) -> None:
    limits = [f"{k} {schema.pop(k)}" for k in _OPENAI_UNSUPPORTED if k in schema]
    if limits:
        note = "Length: " + ", ".join(limits) + " characters."
        schema["description"] = f"{schema.get('description', '')} {note}".strip()
    schema.pop("default", None)
    if "object" in types_of(schema):
        properties = schema.setdefault("properties", {})
        schema["required"] = list(properties)
        schema["additionalProperties"] = False
        for sub in properties.values():
            _make_strict(sub)
    if "array" in types_of(schema) and isinstance(schema.get("items"), dict):
        _make_strict(schema["items"])


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return _json_type(value) == kind


# bool before int: True is an int to Python but a boolean to JSON.
_JSON_TYPES = (
    (type(None), "null"), (bool, "boolean"), (int, "integer"), (float, "number"),
    (str, "string"), (list, "array"), (dict, "object"),
)  # fmt: skip


def _json_type(value: Any) -> str:
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return type(value).__name__
