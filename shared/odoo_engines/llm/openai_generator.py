"""Structured answers from OpenAI chat completions (JSON Schema, strict mode)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import openai

from ..core.errors import PermanentError
from ..core.openai_client import build_client, provider_errors
from ..core.schema import check_schema, fit_strings, strict_schema, validate
from ..core.settings import OpenAISettings

if TYPE_CHECKING:
    from openai.types.shared_params import ResponseFormatJSONSchema


class OpenAITextGenerator:
    """`complete_json` through the chat completions API with `response_format` json_schema."""

    offline = False

    def __init__(self, settings: OpenAISettings, client: openai.OpenAI | None = None):
        self._client = client or build_client(settings)
        self.model = settings.text_model
        self.calls = 0

    def complete_json(
        self, system: str, user: str, schema: dict[str, Any], name: str
    ) -> dict[str, Any]:
        """The model's answer, parsed and valid against `schema`; PermanentError on a
        refusal, a cut-short or invalid answer; TransientError when unavailable."""
        check_schema(schema)
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {
                # The API takes 1-64 characters of a-z, A-Z, 0-9, _ and -.
                "name": re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64] or "answer",
                "schema": strict_schema(schema),
                "strict": True,
            },
        }
        self.calls += 1
        with provider_errors("chat completion"):
            response = self._client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                response_format=response_format,
            )
        if not response.choices:
            raise PermanentError("OpenAI answered with no choices")
        choice = response.choices[0]
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise PermanentError(f"OpenAI refused to answer {name}: {refusal[:200]}")
        if choice.finish_reason in ("length", "content_filter"):
            raise PermanentError(
                f"OpenAI's answer to {name} was cut short ({choice.finish_reason})"
            )
        try:
            answer = json.loads(choice.message.content or "")
        except ValueError:
            raise PermanentError(f"OpenAI's answer to {name} is not valid JSON") from None
        fitted: dict[str, Any] = fit_strings(answer, schema)
        validate(fitted, schema)
        return fitted
