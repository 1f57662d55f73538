"""The JSON Schema subset: validation, strict-mode conversion and shortening."""

from __future__ import annotations

import pytest

from odoo_engines.core.errors import PermanentError
from odoo_engines.core.schema import check_schema, fit_strings, shorten, strict_schema, validate

SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 10},
        "score": {"type": "integer", "minimum": 0, "maximum": 5},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
        "kind": {"enum": ["a", "b"]},
        "note": {"type": ["string", "null"]},
        "inner": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
    },
    "required": ["title"],
    "additionalProperties": False,
}


def test_a_fitting_value_validates():
    validate(
        {
            "title": "ok",
            "score": 3,
            "tags": ["x"],
            "kind": "a",
            "note": None,
            "inner": {"ok": True},
        },
        SCHEMA,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, r"\$.title is missing"),
        ({"title": "x" * 11}, r"\$.title is longer than 10"),
        ({"title": "x", "score": 6}, r"\$.score is above the maximum 5"),
        ({"title": "x", "score": 1.5}, r"\$.score should be integer"),
        ({"title": "x", "score": True}, r"\$.score should be integer"),
        ({"title": "x", "tags": ["a", "b", "c"]}, r"\$.tags has more than 2"),
        ({"title": "x", "tags": [1]}, r"\$.tags\[0\] should be string"),
        ({"title": "x", "kind": "c"}, r"\$.kind must be one of"),
        ({"title": "x", "inner": {"ok": "yes"}}, r"\$.inner.ok should be boolean"),
        ({"title": "x", "extra": 1}, r"unexpected properties \['extra'\]"),
    ],
)
def test_a_misfit_names_its_place(value, message):
    with pytest.raises(PermanentError, match=message):
        validate(value, SCHEMA)


def test_schemas_outside_the_subset_are_rejected():
    check_schema(SCHEMA)
    with pytest.raises(PermanentError, match=r"\$.x uses unsupported keywords: \['anyOf'\]"):
        check_schema({"type": "object", "properties": {"x": {"anyOf": []}}})
    with pytest.raises(PermanentError, match="needs a type"):
        check_schema({"type": "object", "properties": {"x": {"type": "date"}}})


def test_strict_schema_closes_objects_and_moves_length_limits():
    wire = strict_schema(SCHEMA)
    assert wire["required"] == list(SCHEMA["properties"])
    assert wire["additionalProperties"] is False
    assert wire["properties"]["inner"]["additionalProperties"] is False
    assert "maxLength" not in wire["properties"]["title"]
    assert wire["properties"]["title"]["description"] == "Length: maxLength 10 characters."
    assert SCHEMA["properties"]["title"]["maxLength"] == 10  # the caller's copy untouched


def test_shorten_cuts_after_a_sentence_or_between_words():
    text = "Silla ergonómica. Respaldo de malla y ruedas de goma."
    assert shorten(text, 30) == "Silla ergonómica."
    assert shorten("Respaldo de malla y ruedas de goma", 20) == "Respaldo de malla y…"
    assert shorten("abcdefghij", 4) == "abcd"
    assert shorten("Respaldo de malla y ruedas", 15) == "Respaldo de…"
    assert fit_strings({"title": "una frase demasiado larga"}, SCHEMA) == {"title": "una frase…"}
