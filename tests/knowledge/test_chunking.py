"""Chunking: sizes, overlap, cuts at paragraph and sentence ends, the cap, linear time,
and edits that leave the other chunks' text (and so their vectors) unchanged."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo_engines.knowledge.chunking import chunk_text

from .test_embed import long_document


def test_chunks_hold_at_most_size_characters_and_overlap():
    text = long_document()
    chunks = chunk_text(text, 1000, 200, 1000).chunks
    assert len(chunks) > 10
    assert all(len(c.text) <= 1000 for c in chunks)
    for previous, current in itertools.pairwise(chunks):
        shared = previous.end - current.start
        assert 0 < shared <= 200
        assert text[current.start : previous.end].strip() in previous.text


def test_cuts_fall_at_paragraph_then_sentence_ends():
    paragraphs = [f"Párrafo {i}. " + "Una frase corta de relleno. " * 20 for i in range(6)]
    chunks = chunk_text("\n\n".join(paragraphs), 1000, 200, 100).chunks
    assert all(c.text.endswith(".") for c in chunks)
    one_paragraph = "Una frase corta de relleno. " * 200
    assert all(c.text.endswith(".") for c in chunk_text(one_paragraph, 1000, 200, 100).chunks)


def test_the_cap_keeps_the_first_chunks_and_counts_the_rest():
    text = long_document()
    whole = chunk_text(text, 1000, 200, 1000)
    capped = chunk_text(text, 1000, 200, 5)
    assert capped.chunks == whole.chunks[:5]
    assert capped.total == whole.total and capped.over_limit == whole.total - 5
    assert capped.characters_covered == whole.chunks[4].end < len(text)
    assert whole.over_limit == 0 and whole.characters_covered == len(text)


@pytest.mark.parametrize("line", ["x" * 2_000_000, "palabra " * 250_000, ".!?" * 700_000])
def test_a_single_huge_line_is_chunked_in_linear_time(line):
    started = time.perf_counter()
    result = chunk_text(line, 1000, 200, 100)
    assert time.perf_counter() - started < 2.0
    assert len(result.chunks) == 100 and result.total > 2000
    assert all(len(c.text) <= 1000 for c in result.chunks)


def test_replacing_one_paragraph_changes_only_the_chunks_around_it():
    paragraphs = long_document().split("\n\n")
    before = {c.hash for c in chunk_text("\n\n".join(paragraphs), 1000, 200, 1000).chunks}
    changed = []
    for position in range(len(paragraphs)):
        edited = list(paragraphs)
        edited[position] = "Un párrafo nuevo y bastante más corto que el original."
        after = chunk_text("\n\n".join(edited), 1000, 200, 1000).chunks
        changed.append(sum(1 for c in after if c.hash not in before))
    assert max(changed) <= 3, changed
    assert len(before) > 15


def test_bad_parameters_are_refused():
    for size, overlap, cap in ((0, 0, 1), (100, 50, 1), (100, -1, 1), (100, 10, 0)):
        with pytest.raises(ValueError):
            chunk_text("texto", size, overlap, cap)


TEXT = st.text(alphabet=st.sampled_from("ab cd.\n\n!?\t¿ñ é…"), max_size=3000)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, size=st.integers(20, 300), data=st.data())
def test_chunks_cover_the_text_in_order_within_the_size(text, size, data):
    overlap = data.draw(st.integers(0, (size - 1) // 2))
    result = chunk_text(text, size, overlap, 10_000)
    assert result.total == len(result.chunks)
    covered = set()
    for chunk in result.chunks:
        assert chunk.text and chunk.text == text[chunk.start : chunk.end].strip()
        assert len(chunk.text) <= size
        covered.update(range(chunk.start, chunk.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    starts = [c.start for c in result.chunks]
    assert starts == sorted(set(starts))
    assert chunk_text(text, size, overlap, 10_000) == result  # deterministic
