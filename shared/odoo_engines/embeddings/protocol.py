"""What every embedder offers, and the input hygiene all of them share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ..core.errors import PermanentError


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of one model and size."""

    model: str  # stored per row: vectors of different models never mix
    dimensions: int
    max_batch: int  # texts per provider call
    calls: int  # provider calls made so far

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dimensions) float32, L2-normalised; no call for no texts."""
        ...


def clean_texts(texts: Sequence[str]) -> list[str]:
    """The texts as a list, a blank one replaced by one space (providers reject "")."""
    if isinstance(texts, str):
        raise PermanentError("embed() takes a sequence of texts, not one string")
    cleaned = []
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise PermanentError(f"text {position} to embed is {type(text).__name__}, not a string")
        cleaned.append(text if text.strip() else " ")
    return cleaned


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32 (a zero row stays zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: np.ndarray = vectors / np.maximum(norms, np.float32(1e-12))
    return normalised
