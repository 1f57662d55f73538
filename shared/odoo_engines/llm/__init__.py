"""Text generation with structured (JSON Schema) answers: OpenAI, or offline without a key.

`get_text_generator(settings).complete_json(system, user, schema, name)` gives a dict
valid against `schema` (the subset in `schema.py`).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from ..core.logging import get_logger
from ..core.settings import Settings
from .offline import OfflineTextGenerator
from .openai_generator import OpenAITextGenerator

log = get_logger("llm")


@runtime_checkable
class TextGenerator(Protocol):
    """Writes JSON objects that fit a schema."""

    model: str
    offline: bool  # True: written locally from the prompt, no language model involved
    calls: int  # provider calls made so far

    def complete_json(
        self, system: str, user: str, schema: dict[str, Any], name: str
    ) -> dict[str, Any]:
        """An object valid against `schema`, answering `user` under `system`."""
        ...


def get_text_generator(settings: Settings) -> TextGenerator:
    """OpenAI when OPENAI_API_KEY is set, else the offline generator."""
    if settings.openai.api_key:
        return OpenAITextGenerator(settings.openai)
    if settings.is_production:
        log.warning("offline_text_generator", reason="OPENAI_API_KEY is not set")
    return OfflineTextGenerator()


__all__ = ["OfflineTextGenerator", "OpenAITextGenerator", "TextGenerator", "get_text_generator"]
