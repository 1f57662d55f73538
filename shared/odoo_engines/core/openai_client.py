"""The OpenAI SDK client and the mapping of its errors onto the suite's two kinds.

Shared by the embedder and the text generator. The SDK already retries 408/409/429/5xx
and dropped connections `max_retries` times (honouring `retry-after-ms`/`Retry-After`);
what still fails afterwards becomes a `TransientError`, a bad request a `PermanentError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import openai

from .errors import ConfigError, PermanentError, TransientError
from .settings import OpenAISettings

# Statuses the provider may answer differently later (the SDK has already retried them).
_TRANSIENT_STATUSES = frozenset({408, 409, 429})


def build_client(settings: OpenAISettings) -> openai.OpenAI:
    """An SDK client with the configured key, base URL, timeout and retries."""
    if not settings.api_key:
        raise ConfigError("OPENAI_API_KEY is not set (needed for the OpenAI provider)")
    return openai.OpenAI(
        api_key=settings.api_key,
        base_url=settings.base_url,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )


@contextmanager
def provider_errors(operation: str) -> Iterator[None]:
    """Turn the SDK's exceptions raised inside into TransientError / PermanentError."""
    try:
        yield
    except openai.APITimeoutError as exc:  # before APIConnectionError: it subclasses it
        raise TransientError(f"OpenAI {operation} timed out") from exc
    except openai.APIConnectionError as exc:
        raise TransientError(f"OpenAI {operation}: connection failed") from exc
    except openai.APIStatusError as exc:
        message = f"OpenAI {operation} failed with HTTP {exc.status_code}: {_message(exc)}"
        if exc.status_code in _TRANSIENT_STATUSES or exc.status_code >= 500:
            raise TransientError(message) from exc
        raise PermanentError(message) from exc


def _message(exc: openai.APIStatusError) -> str:
    """The provider's own error message (it never echoes the full key)."""
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    return str(exc.message)[:300]
