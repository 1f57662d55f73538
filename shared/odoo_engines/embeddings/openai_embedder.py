"""OpenAI embeddings through the official SDK, batched to the API's limits."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import openai

from ..core.errors import ConfigError, PermanentError
from ..core.openai_client import build_client, provider_errors
from ..core.settings import OpenAISettings
from .protocol import clean_texts, l2_normalise

# The API's limits: 2048 inputs and 300,000 tokens per request, 8191 tokens per input.
MAX_INPUTS_PER_REQUEST = 2048
MAX_TOKENS_PER_REQUEST = 300_000
MAX_TOKENS_PER_INPUT = 8191
# No tokenizer offline, so tokens are estimated from UTF-8 bytes. Real text averages
# about 4 bytes per token (English, Spanish) and 3 for CJK; 3 keeps both sides safe.
BYTES_PER_TOKEN = 3
# Sizes the models give without `dimensions`; `dimensions` is only accepted by the v3 ones.
NATIVE_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
FIXED_SIZE_MODELS = frozenset({"text-embedding-ada-002"})


def estimate_tokens(text: str) -> int:
    """A conservative (high) token count for `text`."""
    return max(1, math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN))


def truncate_to_tokens(text: str, max_tokens: int = MAX_TOKENS_PER_INPUT) -> str:
    """`text` cut so that its estimated token count stays within `max_tokens`."""
    data = text.encode("utf-8")
    limit = max_tokens * BYTES_PER_TOKEN
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def request_dimensions(model: str, dimensions: int) -> int | None:
    """The `dimensions` to send (None: the model's own size), or ConfigError."""
    native = NATIVE_DIMENSIONS.get(model)
    if native is None:  # an unknown or compatible model: ask for the size explicitly
        return dimensions
    if dimensions == native:
        return None
    if model in FIXED_SIZE_MODELS or dimensions > native:
        raise ConfigError(
            f"EMBEDDING_DIMENSIONS={dimensions} is not available for {model} "
            f"({'only ' if model in FIXED_SIZE_MODELS else 'at most '}{native})"
        )
    return dimensions


class OpenAIEmbedder:
    """Embeddings from the OpenAI API (or a compatible server at OPENAI_BASE_URL)."""

    def __init__(
        self,
        settings: OpenAISettings,
        model: str,
        dimensions: int,
        batch_size: int = 256,
        client: openai.OpenAI | None = None,
    ):
        self._dimensions_param = request_dimensions(model, dimensions)
        self._client = client or build_client(settings)
        self.model = model
        self.dimensions = dimensions
        self.max_batch = max(1, min(batch_size, MAX_INPUTS_PER_REQUEST))
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dimensions) float32, L2-normalised; TransientError after the SDK's retries."""
        cleaned = [truncate_to_tokens(text) for text in clean_texts(texts)]
        out = np.empty((len(cleaned), self.dimensions), dtype=np.float32)
        start = 0
        for batch in self._batches(cleaned):
            out[start : start + len(batch)] = self._embed_batch(batch)
            start += len(batch)
        return l2_normalise(out)

    def _batches(self, texts: list[str]) -> Iterator[list[str]]:
        """Runs of at most `max_batch` texts within the per-request token budget."""
        batch: list[str] = []
        tokens = 0
        for text in texts:
            cost = estimate_tokens(text)
            if batch and (len(batch) >= self.max_batch or tokens + cost > MAX_TOKENS_PER_REQUEST):
                yield batch
                batch, tokens = [], 0
            batch.append(text)
            tokens += cost
        if batch:
            yield batch

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        params: dict[str, Any] = {"model": self.model, "input": batch}
        if self._dimensions_param is not None:
            params["dimensions"] = self._dimensions_param
        self.calls += 1
        with provider_errors("embeddings"):
            response = self._client.embeddings.create(**params)
        items = sorted(response.data, key=lambda item: item.index)
        if len(items) != len(batch):
            raise PermanentError(
                f"OpenAI embeddings returned {len(items)} vectors for {len(batch)} texts"
            )
        vectors = np.asarray([item.embedding for item in items], dtype=np.float32)
        if vectors.shape[1] != self.dimensions:
            raise PermanentError(
                f"OpenAI model {self.model} returned {vectors.shape[1]}-d vectors, "
                f"expected {self.dimensions} (EMBEDDING_DIMENSIONS)"
            )
        return vectors
