"""Text PostgreSQL can hold: text and jsonb cannot hold NUL characters, and a lone
UTF-16 surrogate (JSON `"\\ud800"`) cannot be encoded as UTF-8.

NUL characters are removed (they carry no meaning in text from Odoo); lone surrogates
are replaced by U+FFFD, the replacement character.
"""

from __future__ import annotations

import hashlib
import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_text(value: str) -> tuple[str, int, int]:
    """(`value` made storable, NUL characters removed, surrogates replaced)."""
    nul = value.count("\x00")
    if nul:
        value = value.replace("\x00", "")
    if value.isascii():
        return value, nul, 0
    value, replaced = _SURROGATE.subn("\ufffd", value)
    return value, nul, replaced


def text_hash(text: str) -> str:
    """SHA-256 of `text` as hex; a lone surrogate hashes too (it is never stored as is)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
