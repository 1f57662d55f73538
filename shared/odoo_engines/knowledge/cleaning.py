"""Making text from Odoo storable: PostgreSQL text and jsonb cannot hold NUL characters,
and a lone UTF-16 surrogate (JSON `"\\ud800"`) cannot be encoded as UTF-8.

NUL characters are removed (they carry no meaning in extracted text); lone surrogates
are replaced by U+FFFD, the replacement character. Both are counted and reported.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
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
        nul = value.count("\x00")
        if nul:
            value = value.replace("\x00", "")
            self.nul_removed += nul
        value, replaced = _SURROGATE.subn("\ufffd", value)
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
