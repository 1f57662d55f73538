"""The offline text generator: structured answers written from the prompt, no network.

Strings are templated or extracted from the user text (see `writing`); an `enum` is the
value most similar to the user text under the offline embedding model, and a sibling
number property named `confidence` gets the probability of that choice (a softmax over
the similarities, so a clear margin gives a high confidence). Numbers, booleans and
arrays are filled from matching `Key: value` facts, else from the schema's hints.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..core.errors import PermanentError
from ..core.schema import check_schema, types_of, validate
from ..embeddings.local import LocalEmbedder
from .writing import Facts, describe, normalise_key, read_facts, role_of, summarise

OFFLINE_MODEL = "offline-usem3"
# Softmax temperature over cosine similarities: a 0.1 margin between two options gives
# about 0.88, no margin 0.5.
TEMPERATURE = 0.05
# Cosine above which a fact's key and a property's name mean the same (`weight`/`peso`
# 0.95, `price`/`precio` 0.92; unrelated pairs stay under 0.55).
SAME_MEANING = 0.7
_CACHE_LIMIT = 10_000
_DESCRIPTION_WORDS = ("desc", "resumen", "summary", "text", "content", "body", "cuerpo", "copy")
_NAME_WORDS = ("title", "titulo", "name", "nombre", "producto", "product")
_KEYWORD_WORDS = ("keyword", "clave", "tag", "etiqueta")
_REASON_WORDS = ("reason", "razon", "motivo", "justific", "explic", "rationale")
_TRUE = {"si", "yes", "true", "verdadero", "1"}
_FALSE = {"no", "false", "falso", "0"}


class OfflineTextGenerator:
    """Answers `complete_json` from the prompt itself, in Spanish; `offline` is True."""

    offline = True

    def __init__(self, embedder: LocalEmbedder | None = None):
        self.model = OFFLINE_MODEL
        self.calls = 0
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def complete_json(
        self, system: str, user: str, schema: dict[str, Any], name: str
    ) -> dict[str, Any]:
        """An object valid against `schema`, written from `user` (`system` is not read)."""
        check_schema(schema)
        if "object" not in types_of(schema):
            raise PermanentError(f"schema {name!r} must describe an object")
        if not user.strip():
            raise PermanentError(f"nothing to write {name!r} from: the user text is empty")
        self.calls += 1
        facts = read_facts(user)
        result: dict[str, Any] = _Filler(self, facts).fill(schema, name)
        validate(result, schema)
        return result

    def write_text(self, user: str, max_length: int = 600) -> str:
        """Plain text answering `user`: a description from its facts, else a summary."""
        self.calls += 1
        facts = read_facts(user)
        return describe(facts, max_length) or summarise(user, max_length)

    def similarities(self, text: str, options: list[str]) -> np.ndarray:
        """Cosine similarity of `text` to each option under the offline model."""
        vectors = self._embed([text, *options])
        similarity: np.ndarray = vectors[1:] @ vectors[0]
        return similarity

    def rank(self, text: str, options: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Options' indices best first, and each option's softmax probability."""
        similarities = self.similarities(text, options)
        weights = np.exp((similarities - similarities.max()) / TEMPERATURE)
        probabilities = weights / weights.sum()
        return np.argsort(-similarities, kind="stable"), probabilities

    def _embed(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            if self._embedder is None:
                self._embedder = LocalEmbedder()
            if len(self._vectors) + len(missing) > _CACHE_LIMIT:
                self._vectors.clear()
            self._vectors.update(zip(missing, self._embedder.embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])


class _Filler:
    """Fills one schema from one prompt's facts."""

    def __init__(self, generator: OfflineTextGenerator, facts: Facts):
        self.generator = generator
        self.facts = facts
        self.context = facts.text()

    def fill(self, schema: dict[str, Any], name: str) -> Any:
        kinds = [k for k in types_of(schema) if k != "null"] or ["null"]
        key = normalise_key(name)
        if "enum" in schema:
            return self.choose(schema["enum"])[0]
        if "object" in kinds:
            return self.fill_object(schema)
        if "array" in kinds:
            return self.fill_array(schema, key)
        fact = self.fact_for(key)
        if "string" in kinds:
            return self.write(schema, key, fact)
        if "integer" in kinds or "number" in kinds:
            return self.number(schema, fact, integer="number" not in kinds)
        if "boolean" in kinds:
            return self.boolean(schema, fact)
        return None

    def fill_object(self, schema: dict[str, Any]) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        result: dict[str, Any] = {}
        confidence = choice = None
        # Enums first: a sibling `confidence` and a `reason` depend on the first choice.
        for prop, sub in properties.items():
            if "enum" in sub:
                result[prop], probability = self.choose(sub["enum"])
                if confidence is None:
                    confidence, choice = probability, result[prop]
        for prop, sub in properties.items():
            if prop in result:
                continue
            numeric = {"number", "integer"} & set(types_of(sub))
            if normalise_key(prop) == "confidence" and numeric and confidence is not None:
                result[prop] = _clamp(round(confidence, 3), sub, integer="number" not in numeric)
            elif any(w in normalise_key(prop) for w in _REASON_WORDS) and confidence is not None:
                result[prop] = self.write(sub, normalise_key(prop), self.reason(choice))
            else:
                result[prop] = self.fill(sub, prop)
        return {prop: result[prop] for prop in properties}

    def choose(self, options: list[Any]) -> tuple[Any, float]:
        """The option most similar to the prompt, and its probability."""
        order, probabilities = self.generator.rank(self.context, [str(o) for o in options])
        best = int(order[0])
        return options[best], float(probabilities[best])

    def fact_for(self, key: str) -> str:
        """The fact under `key`, or under the key closest in meaning (`price` → `precio`)."""
        if key in self.facts.values:
            return self.facts.values[key]
        keys = list(self.facts.values)
        if not keys:
            return ""
        similarities = self.generator.similarities(key, keys)
        best = int(np.argmax(similarities))
        return self.facts.values[keys[best]] if similarities[best] >= SAME_MEANING else ""

    def reason(self, choice: Any) -> str:
        return f"«{choice}» es la opción más cercana en significado a «{self.facts.name}»."

    def write(self, schema: dict[str, Any], key: str, fact: str) -> str:
        limit = schema.get("maxLength", 600)
        if any(w in key for w in _DESCRIPTION_WORDS):
            text = describe(self.facts, limit) or summarise(self.facts.free_text, limit)
        elif fact:
            text = fact
        elif any(w in key for w in _NAME_WORDS):
            text = self.facts.name
        elif any(w in key for w in _KEYWORD_WORDS):
            text = ", ".join(self.facts.keywords())
        else:
            role = role_of(key)
            text = self.facts.role(role) if role else ""
            text = text or describe(self.facts, limit) or summarise(self.facts.free_text, limit)
        text = summarise(text, limit) if len(text) > limit else text
        minimum = schema.get("minLength", 0)
        if len(text) < minimum:  # pad with the prompt's own words rather than invent
            text = f"{text} {summarise(self.context, limit)}".strip()[:limit]
        return text.ljust(minimum)

    def number(self, schema: dict[str, Any], fact: str, integer: bool) -> float | int:
        value = parse_number(fact)
        if value is None and "default" in schema:
            value = schema["default"]
        elif value is None and "minimum" in schema and "maximum" in schema:
            value = (schema["minimum"] + schema["maximum"]) / 2
        elif value is None:
            value = schema.get("minimum", schema.get("maximum", 0))
        return _clamp(value, schema, integer)

    def boolean(self, schema: dict[str, Any], fact: str) -> bool:
        answer = normalise_key(fact).split(" ", 1)[0] if fact else ""
        if answer in _TRUE:
            return True
        if answer in _FALSE:
            return False
        return bool(schema.get("default", False))

    def fill_array(self, schema: dict[str, Any], key: str) -> list[Any]:
        items = schema.get("items") or {"type": "string"}
        low: int = schema.get("minItems", 0)
        high: int = schema.get("maxItems", 5)
        if "enum" in items:
            options = items["enum"]
            order, probabilities = self.generator.rank(self.context, [str(o) for o in options])
            best = probabilities[order[0]]
            # Every option nearly as likely as the best one, at least minItems of them.
            picked: list[Any] = [options[i] for i in order if probabilities[i] >= best / 2]
            return (picked + [options[i] for i in order if options[i] not in picked])[
                : max(low, min(high, len(picked)))
            ]
        if "string" in types_of(items):
            words = self.facts.keywords() or [self.facts.name]
            limit = items.get("maxLength")
            words = [w[:limit] if limit else w for w in words if w]
            return (words * max(1, low))[: max(low, min(high, len(words)))]
        return [
            self.fill(items, key) for _ in range(max(low, 1 if "object" in types_of(items) else 0))
        ]


def parse_number(text: str) -> float | None:
    """The first number in `text`, read the Chilean way: `89.990` is 89990, `12,5` 12.5."""
    match = re.search(r"-?\d[\d.,]*", text)
    if not match:
        return None
    raw = match.group().rstrip(".,")
    if "," in raw and "." in raw:  # the last separator is the decimal one
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in raw:
        raw = raw.replace(",", ".") if raw.count(",") == 1 else raw.replace(",", "")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw):  # dots grouping thousands
        raw = raw.replace(".", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _clamp(value: float, schema: dict[str, Any], integer: bool) -> float | int:
    value = max(value, schema.get("minimum", value))
    value = min(value, schema.get("maximum", value))
    return round(value) if integer else float(value)
