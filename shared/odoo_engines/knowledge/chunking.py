"""Splitting a document into overlapping chunks that end at paragraph or sentence ends.

A chunk holds at most `size` characters. It ends at a paragraph end in the back half of
that window, else at a sentence end in its last quarter, else at a line break there, else
at a space, else exactly at `size` (one endless word). The next chunk starts at the first
sentence (else line, else word) start within the `overlap` characters before that cut.

Among several candidate cuts the one with the highest checksum of the text before it
wins, not the last one: the choice then depends on the text, not on where the window
happens to begin, so after an edit the cuts fall back into their old places within a
chunk or two and later chunks keep their stored vectors (content-defined chunking).
Each window is scanned once, so the work is linear in the text.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from ..core.db import text_hash

# Where a cut may fall: just after the match (the next chunk's text starts there).
_PARAGRAPH_END = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# Possessive runs that must start a punctuation run: a long run of punctuation with no
# space after it is then scanned once, not once per starting character (quadratic).
_SENTENCE_END = re.compile(r"(?<![.!?…。！？])[.!?…。！？]++[\"'”’»)\]]*+\s+")
# A single line break: a list item's end, or only a wrapped line (text from PDFs).
_LINE_END = re.compile(r"\n\s*")
_SPACE = re.compile(r"\s+")
# A candidate cut is ranked by a checksum of the characters before it.
_KEY_CHARS = 24


@dataclass(frozen=True)
class Chunk:
    """One chunk of a source: its position among the source's chunks and its text."""

    index: int
    text: str
    start: int  # character offsets in the cleaned source text
    end: int
    hash: str  # SHA-256 of the text: an unchanged chunk keeps its stored vector


@dataclass(frozen=True)
class Chunking:
    """The chunks kept (at most `max_chunks`) and how many the whole text needed."""

    chunks: list[Chunk]
    total: int
    characters: int

    @property
    def over_limit(self) -> int:
        """Chunks past the cap: counted and reported, not embedded."""
        return self.total - len(self.chunks)

    @property
    def characters_covered(self) -> int:
        """Characters of the text up to the end of the last chunk kept."""
        return self.chunks[-1].end if self.over_limit else self.characters


def chunk_text(text: str, size: int = 1000, overlap: int = 200, max_chunks: int = 100) -> Chunking:
    """Split `text` into chunks of at most `size` characters overlapping by up to `overlap`."""
    if size < 1 or overlap < 0 or overlap * 2 >= size or max_chunks < 1:
        raise ValueError("need size >= 1, 0 <= overlap < size / 2 and max_chunks >= 1")
    n = len(text)
    chunks: list[Chunk] = []
    total = 0
    start = _skip_space(text, 0)
    while start < n:
        end = n if n - start <= size else _cut(text, start, size)
        piece = text[start:end].strip()
        if piece:
            total += 1
            if len(chunks) < max_chunks:
                chunks.append(Chunk(len(chunks), piece, start, end, text_hash(piece)))
        if end >= n:
            break
        start = _next_start(text, start, end, overlap)
    return Chunking(chunks, total, n)


def _skip_space(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return match.end() if match else position


def _chosen_end(pattern: re.Pattern[str], text: str, low: int, high: int) -> int | None:
    best, best_key = None, -1
    for match in pattern.finditer(text, low, high):
        end = match.end()
        key = zlib.crc32(text[max(0, end - _KEY_CHARS) : end].encode("utf-8", "surrogatepass"))
        if key > best_key:
            best, best_key = end, key
    return best


def _cut(text: str, start: int, size: int) -> int:
    limit = start + size
    for pattern, reach in (
        (_PARAGRAPH_END, size // 2),
        (_SENTENCE_END, size // 4),
        (_LINE_END, size // 4),
        (_SPACE, size // 4),
    ):
        end = _chosen_end(pattern, text, limit - reach, limit)
        if end is not None:
            return end
    return limit


def _next_start(text: str, start: int, end: int, overlap: int) -> int:
    low = max(end - overlap, start + 1)
    for pattern in (_SENTENCE_END, _LINE_END, _SPACE):
        match = pattern.search(text, low, end)
        if match and match.end() < end:
            return match.end()
    return low if overlap else _skip_space(text, end)
