"""Text generators: the offline writer and OpenAI chat completions through the real SDK."""

from __future__ import annotations

import pytest

from odoo_engines.core.errors import PermanentError, TransientError
from odoo_engines.core.schema import validate
from odoo_engines.core.settings import load_settings
from odoo_engines.llm import OfflineTextGenerator, OpenAITextGenerator, get_text_generator
from odoo_engines.llm.offline import parse_number

CATEGORIES = ["Herramientas eléctricas", "Ropa de mujer", "Alimentos y bebidas", "Muebles"]
ENRICH = {
    "type": "object",
    "properties": {
        "description": {"type": "string", "maxLength": 220},
        "category": {"type": "string", "enum": CATEGORIES},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    },
    "required": ["description", "category", "confidence"],
    "additionalProperties": False,
}
DRILL = """Producto: Taladro percutor inalámbrico 18 V
Marca: Bosch
Palabras clave: batería de litio, maletín, iluminación LED"""


@pytest.fixture(scope="module")
def offline():
    return OfflineTextGenerator()


def test_offline_description_is_written_from_name_and_keywords(offline):
    answer = offline.complete_json("Redacta", DRILL, ENRICH, "enrich")
    description = answer["description"]
    assert description.startswith("Taladro percutor inalámbrico 18 V de Bosch.")
    assert "batería de litio, maletín e iluminación LED" in description  # "e" before i-
    assert len(description) <= 220
    assert offline.offline is True


def test_offline_description_respects_a_short_max_length(offline):
    schema = {"type": "object", "properties": {"description": {"type": "string", "maxLength": 30}}}
    description = offline.complete_json("", DRILL, schema, "short")["description"]
    assert 0 < len(description) <= 30
    assert description.startswith("Taladro percutor")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DRILL, "Herramientas eléctricas"),
        ("Polera de algodón manga corta para mujer, talla M", "Ropa de mujer"),
        ("Arroz grano largo, bolsa de 1 kg", "Alimentos y bebidas"),
        ("Silla de comedor de madera de roble", "Muebles"),
    ],
)
def test_offline_enum_is_the_option_closest_in_meaning(offline, text, expected):
    answer = offline.complete_json("", text, ENRICH, "enrich")
    assert answer["category"] == expected
    assert 0.25 < answer["confidence"] <= 1


def test_offline_confidence_falls_when_options_are_alike(offline):
    alike = {
        **ENRICH,
        "properties": {
            **ENRICH["properties"],
            "category": {"type": "string", "enum": ["Taladros", "Taladros y atornilladores"]},
        },
    }
    clear = offline.complete_json("", DRILL, ENRICH, "clear")["confidence"]
    close = offline.complete_json("", DRILL, alike, "alike")["confidence"]
    assert clear > 0.8
    assert close < clear - 0.2


def test_offline_fills_numbers_booleans_and_arrays_sensibly(offline):
    schema = {
        "type": "object",
        "properties": {
            "price": {"type": "number"},
            "weight": {"type": "number"},
            "stock": {"type": "integer", "minimum": 1, "maximum": 9},
            "active": {"type": "boolean"},
            "featured": {"type": "boolean", "default": True},
            "keywords": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
            "tags": {
                "type": "array",
                "items": {"type": "string", "enum": ["inalámbrico", "comestible", "textil"]},
                "minItems": 1,
                "maxItems": 1,
            },
        },
    }
    text = f"{DRILL}\nPrecio: 89.990\nPeso: 1,8 kg\nActivo: sí"
    answer = offline.complete_json("", text, schema, "facts")
    assert answer["price"] == 89990  # the Chilean thousands separator
    assert answer["weight"] == 1.8  # `weight` reads the fact `Peso`
    assert answer["stock"] == 5  # no fact: between minimum and maximum
    assert answer["active"] is True
    assert answer["featured"] is True  # the schema's default
    assert answer["keywords"] == ["batería de litio", "maletín"]
    assert answer["tags"] == ["inalámbrico"]
    validate(answer, schema)


def test_numbers_are_read_the_chilean_way():
    assert parse_number("$ 89.990") == 89990
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("12,5 cm") == 12.5
    assert parse_number("3.75") == 3.75
    assert parse_number("sin precio") is None


def test_offline_rejects_bad_schemas_and_empty_text(offline):
    with pytest.raises(PermanentError, match="unsupported keywords"):
        offline.complete_json("", DRILL, {"type": "object", "$ref": "#/x"}, "bad")
    with pytest.raises(PermanentError, match="must describe an object"):
        offline.complete_json("", DRILL, {"type": "string"}, "bad")
    with pytest.raises(PermanentError, match="user text is empty"):
        offline.complete_json("", "  ", ENRICH, "empty")


def test_get_text_generator_is_offline_without_a_key(openai_env):
    assert isinstance(get_text_generator(load_settings({})), OfflineTextGenerator)
    generator = get_text_generator(load_settings(openai_env))
    assert isinstance(generator, OpenAITextGenerator)
    assert (generator.model, generator.offline) == ("gpt-4o-mini", False)


def test_openai_structured_output_is_valid_against_the_schema(local_openai, openai_env):
    generator = get_text_generator(load_settings(openai_env))
    answer = generator.complete_json("Eres un redactor de fichas", DRILL, ENRICH, "product enrich")
    validate(answer, ENRICH)
    assert answer["category"] == "Herramientas eléctricas"
    assert generator.calls == 1
    (request,) = local_openai.requests
    response_format = request.json["response_format"]
    assert response_format["type"] == "json_schema"
    spec = response_format["json_schema"]
    assert (spec["name"], spec["strict"]) == ("product_enrich", True)
    # Strict mode: every property required, objects closed, no maxLength on the wire.
    assert spec["schema"]["required"] == ["description", "category", "confidence"]
    assert "maxLength" not in spec["schema"]["properties"]["description"]
    assert "220" in spec["schema"]["properties"]["description"]["description"]
    assert [m["role"] for m in request.json["messages"]] == ["system", "user"]


def test_a_refusal_is_a_permanent_error(local_openai, openai_env):
    local_openai.refuse_next()
    with pytest.raises(PermanentError, match="refused"):
        get_text_generator(load_settings(openai_env)).complete_json("", DRILL, ENRICH, "x")


def test_an_answer_that_is_not_json_is_a_permanent_error(local_openai, openai_env):
    local_openai.corrupt_next()
    with pytest.raises(PermanentError, match="not valid JSON"):
        get_text_generator(load_settings(openai_env)).complete_json("", DRILL, ENRICH, "x")


def test_chat_rate_limit_is_retried_and_outage_is_transient(local_openai, openai_env):
    generator = get_text_generator(load_settings(openai_env))
    local_openai.fail_next(1, status=429, retry_after_ms=10)
    assert generator.complete_json("", DRILL, ENRICH, "x")["category"]
    local_openai.fail_next(3, status=503, retry_after_ms=10)
    with pytest.raises(TransientError, match="HTTP 503"):
        generator.complete_json("", DRILL, ENRICH, "x")
    assert [r.status for r in local_openai.requests] == [429, 200, 503, 503, 503]


def test_chat_with_a_wrong_key_is_a_permanent_error(local_openai, openai_env):
    generator = get_text_generator(load_settings({**openai_env, "OPENAI_API_KEY": "sk-nope"}))
    with pytest.raises(PermanentError, match="HTTP 401"):
        generator.complete_json("", DRILL, ENRICH, "x")
