"""Text embeddings: OpenAI when configured, else an offline multilingual model.

`get_embedder(settings).embed(texts)` gives an (n, dimensions) float32 array of unit rows.
"""

from __future__ import annotations

from ..core.checks import Probe
from ..core.settings import Settings
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


def embedding_probe(settings: Settings) -> Probe:
    """A connection check: embed one text; the provider, model and dimensions."""

    def probe() -> str:
        embedder = get_embedder(settings)
        vector = embedder.embed(["connection check"])[0]
        return f"{settings.embedding.provider} model {embedder.model}, {len(vector)} dimensions"

    return probe


__all__ = ["Embedder", "LocalEmbedder", "OpenAIEmbedder", "embedding_probe", "get_embedder"]
