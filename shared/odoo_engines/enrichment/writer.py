"""The LLM's two jobs for a product: write its description, then file it in a category.

Both go through structured output (a JSON Schema), so the category is always one of the
known list. Every answer carries its provenance: provider, model, prompt version and a
hash of exactly what the model was sent, so a text can be traced and regenerated only
when its input changed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from ..core.db import text_hash
from ..core.errors import PermanentError
from ..core.logging import get_logger
from ..core.schema import shorten
from ..core.settings import Settings
from ..llm import TextGenerator, get_text_generator
from .resilience import CallRetries, CircuitBreaker, call_with_retries
from .settings import EnrichmentSettings

log = get_logger("enrichment.writer")
# Bump when a prompt or schema below changes: it is stored with every generated text.
PROMPT_VERSION = "enrich-2025-01"

DESCRIPTION_SYSTEM = (
    "You write product descriptions for a company's online catalogue. Write one factual, "
    "appealing paragraph in the language of the product name, using only the name and "
    "keywords given: never invent specifications, prices, certifications or claims. "
    "At most {max_length} characters."
)
CATEGORY_SYSTEM = (
    "You file products into the company's fixed list of categories. Choose the single "
    "category of the list that fits the product best, and give your confidence, between "
    "0 and 1, that a person filing it would choose the same."
)


@dataclass(frozen=True)
class Prompt:
    """What one structured-output call sends; its hash identifies the input."""

    name: str
    system: str
    user: str
    schema: dict[str, Any]

    @property
    def input_hash(self) -> str:
        return text_hash(json.dumps([self.system, self.user, self.schema], sort_keys=True))


@dataclass(frozen=True)
class Description:
    text: str
    provenance: dict[str, Any]


@dataclass(frozen=True)
class CategoryChoice:
    """The model's category (None if it answered outside the list) and its confidence."""

    category: str | None
    confidence: float
    provenance: dict[str, Any]


@dataclass(frozen=True)
class Enrichment:
    """Both answers for one product and how long the LLM took for them."""

    description: Description
    category: CategoryChoice
    seconds: float


def _facts(**facts: str | Sequence[str]) -> str:
    """`Key: value` lines (the form every generator, offline included, reads as facts)."""
    lines = []
    for key, value in facts.items():
        text = value if isinstance(value, str) else ", ".join(value)
        if text:
            lines.append(f"{key.capitalize()}: {' '.join(text.split())}")
    return "\n".join(lines)


def description_prompt(
    name: str, keywords: Sequence[str], max_length: int, category: str = ""
) -> Prompt:
    """The prompt that asks for a description of at most `max_length` characters."""
    user = _facts(product=name, category=category, keywords=keywords)
    schema = {
        "type": "object",
        "properties": {"description": {"type": "string", "maxLength": max_length}},
        "required": ["description"],
        "additionalProperties": False,
    }
    return Prompt(
        "product_description", DESCRIPTION_SYSTEM.format(max_length=max_length), user, schema
    )


def category_prompt(
    name: str, keywords: Sequence[str], description: str, categories: Sequence[str]
) -> Prompt:
    """The prompt that files a product in one of `categories` with a confidence."""
    user = _facts(product=name, keywords=keywords, description=description)
    schema = {
        "type": "object",
        "properties": {
            "category": {"type": "string", "enum": list(categories)},
            "confidence": {"type": "number"},
        },
        "required": ["category", "confidence"],
        "additionalProperties": False,
    }
    return Prompt("product_category", CATEGORY_SYSTEM, user, schema)


class ProductWriter:
    """Describes and files products with one text generator, through retries and a breaker."""

    def __init__(
        self,
        generator: TextGenerator,
        breaker: CircuitBreaker,
        settings: EnrichmentSettings,
        llm_timeout: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.generator = generator
        self.breaker = breaker
        self.settings = settings
        self.policy = CallRetries(settings.llm_attempts, settings.llm_backoff_seconds)
        self.llm_timeout = llm_timeout
        self._sleep = sleep

    @property
    def provider(self) -> str:
        """`offline` for the offline generator, else `openai`."""
        return "offline" if self.generator.offline else "openai"

    @property
    def model(self) -> str:
        return self.generator.model

    def enrich(self, name: str, keywords: Sequence[str], categories: Sequence[str]) -> Enrichment:
        """Describe the product, then file it from its description (the seed's two calls)."""
        started = time.perf_counter()
        description = self.describe(name, keywords)
        category = self.categorize(name, keywords, description.text, categories)
        return Enrichment(description, category, round(time.perf_counter() - started, 3))

    def description_prompt(self, name: str, keywords: Sequence[str], category: str = "") -> Prompt:
        """The description prompt with the configured maximum length."""
        return description_prompt(name, keywords, self.settings.description_max_length, category)

    def describe(self, name: str, keywords: Sequence[str], category: str = "") -> Description:
        """A description of at most the configured length; TransientError if the LLM is down."""
        prompt = self.description_prompt(name, keywords, category)
        answer = self._complete(prompt)
        text = answer.get("description")
        if not isinstance(text, str) or not text.strip():
            raise PermanentError("the language model returned an empty description")
        return Description(
            shorten(text.strip(), self.settings.description_max_length), self._provenance(prompt)
        )

    def categorize(
        self, name: str, keywords: Sequence[str], description: str, categories: Sequence[str]
    ) -> CategoryChoice:
        """The best of `categories` for the product, with the model's confidence in [0, 1]."""
        prompt = category_prompt(name, keywords, description, categories)
        answer = self._complete(prompt)
        category = answer.get("category")
        confidence = answer.get("confidence")
        if category not in categories:
            log.warning("llm_category_outside_list", category=str(category)[:100])
            category, confidence = None, 0.0
        if not isinstance(confidence, int | float) or isinstance(confidence, bool):
            confidence = 0.0
        return CategoryChoice(
            category, min(max(float(confidence), 0.0), 1.0), self._provenance(prompt)
        )

    def _complete(self, prompt: Prompt) -> dict[str, Any]:
        answer = call_with_retries(
            lambda: self.generator.complete_json(
                prompt.system, prompt.user, prompt.schema, prompt.name
            ),
            self.policy,
            self.breaker,
            operation=prompt.name,
            timeout=self.llm_timeout,
            sleep=self._sleep,
            logger=log,
        )
        if not isinstance(answer, dict):
            raise PermanentError("the language model did not return a JSON object")
        return answer

    def _provenance(self, prompt: Prompt) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "prompt_version": PROMPT_VERSION,
            "input_hash": prompt.input_hash,
            "generated_at": datetime.now(UTC).isoformat(),
        }


def build_writer(
    settings: Settings, enrichment: EnrichmentSettings, breaker: CircuitBreaker
) -> ProductWriter:
    """The writer over the configured text generator (OpenAI with a key, else offline).

    The SDK's own retries are turned off: our policy (attempts, backoff, breaker) is the
    one the seed specifies, and stacking both would multiply the attempts.
    """
    no_sdk_retries = replace(settings, openai=replace(settings.openai, max_retries=0))
    generator = get_text_generator(no_sdk_retries)
    return ProductWriter(generator, breaker, enrichment, settings.openai.timeout)
