"""Text embeddings: OpenAI when configured, else an offline multilingual model.

`get_embedder(settings).embed(texts)` gives an (n, dimensions) float32 array of unit rows.
"""

from __future__ import annotations

from ..config import Settings
from .local import LocalEmbedder
from .openai_embedder import OpenAIEmbedder
from .protocol import Embedder


def get_embedder(settings: Settings) -> Embedder:
    """The embedder `settings.embedding.provider` names (ConfigError if it cannot work)."""
    embedding = settings.embedding
    if embedding.provider == "openai":
        return OpenAIEmbedder(
            settings.openai,
            model=embedding.model,
            dimensions=embedding.dimensions,
            batch_size=embedding.batch_size,
        )
    return LocalEmbedder(
        dimensions=embedding.dimensions,
        batch_size=embedding.batch_size,
        model=embedding.model,
    )


__all__ = ["Embedder", "LocalEmbedder", "OpenAIEmbedder", "get_embedder"]
