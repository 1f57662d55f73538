"""Making a request's text storable (`db.storable_text`), counting what was changed so
the answer can report it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..core.db import storable_text

MAX_METADATA_DEPTH = 32


class CleaningError(ValueError):
    """A value that cannot be stored even after cleaning (the message says why)."""


@dataclass
class Cleaning:
    """What was changed in one request's text."""

    nul_removed: int = 0
    surrogates_replaced: int = 0

    def text(self, value: str) -> str:
        """`value` without NUL characters and with lone surrogates replaced."""
        value, nul, replaced = storable_text(value)
        self.nul_removed += nul
        self.surrogates_replaced += replaced
        return value

    def json(self, value: Any, depth: int = 0) -> Any:
        """A JSON value with every key and string cleaned; CleaningError when it nests
        deeper than MAX_METADATA_DEPTH or holds a non-finite number (jsonb has neither)."""
        if depth > MAX_METADATA_DEPTH:
            raise CleaningError(f"nests deeper than {MAX_METADATA_DEPTH} levels")
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise CleaningError("holds a number that is not finite (NaN or Infinity)")
        if isinstance(value, dict):
            return {self.text(k): self.json(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v, depth + 1) for v in value]
        return value

    def report(self) -> dict[str, int]:
        """The counts, as the answer shows them."""
        return {"nul_removed": self.nul_removed, "surrogates_replaced": self.surrogates_replaced}
