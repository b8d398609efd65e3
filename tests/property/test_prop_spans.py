"""Spans: resolution, grapheme boundaries, refusal of split clusters, offset converters."""

from __future__ import annotations

import hashlib
import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit.spans import (
    TextIndex,
    codepoint_to_utf8,
    codepoint_to_utf16,
    utf8_to_codepoint,
    utf16_to_codepoint,
)
from briefkit.testing import grapheme_spans, hard_text, source_bytes

from . import BOM, boundaries, canonical, line_col, utf8_len, utf16_len

_ASCII_AND_LF = str.maketrans(dict.fromkeys(map(chr, [*range(0x20, 0x7F), 0x0A])))

#: Texts long enough to reach the index's slow paths (more than 256 code points without an
#: ASCII pair or line feed to segment from; more than 1024 code points per offset checkpoint).
long_text = st.tuples(st.one_of(hard_text(0, 80), hard_text(300, 700)), st.booleans()).map(
    lambda pair: pair[0].translate(_ASCII_AND_LF) if pair[1] else pair[0]
)


@settings(max_examples=150, deadline=None)
@given(raw=source_bytes(1, 80), data=st.data())
def test_every_grapheme_aligned_span_resolves(raw: bytes, data: st.DataObject) -> None:
    source = briefkit.Source.from_bytes("doc.txt", raw)
    text = canonical(raw)
    assert source.text == text
    assert source.bom == raw.startswith(BOM)
    assert source.size == len(raw)
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    if not text:
        return
    start, end = data.draw(grapheme_spans(source), label="span")
    pos = source.position(start, end)
    assert (pos.start, pos.end) == (start, end)
    assert pos.exact == text[start:end]
    assert raw[pos.byte_start : pos.byte_end].decode("utf-8") == pos.exact
    base = len(BOM) if raw.startswith(BOM) else 0
    assert pos.byte_start == base + utf8_len(text[:start])
    assert pos.byte_end == base + utf8_len(text[:end])
    assert (pos.line_start, pos.column_start) == line_col(text, start)
    assert (pos.line_end, pos.column_end) == line_col(text, end - 1)
    # the quote-selector context is adjacent and made of whole clusters
    bounds = set(boundaries(text))
    assert text[start - len(pos.prefix) : start] == pos.prefix
    assert text[end : end + len(pos.suffix)] == pos.suffix
    assert start - len(pos.prefix) in bounds
    assert end + len(pos.suffix) in bounds


@settings(max_examples=60, deadline=None)
@given(text=long_text, seed=st.integers(0, 2**32 - 1))
def test_is_boundary_matches_regex_segmentation(text: str, seed: int) -> None:
    expected = set(boundaries(text))
    n = len(text)
    # a fresh index per offset exercises the local (segment-from-a-safe-point) fast path
    for i in range(n + 1):
        assert TextIndex(text).is_boundary(i) == (i in expected), i
    # one shared index, queried in random order, exercises the cached table too
    shared = TextIndex(text)
    order = list(range(n + 1))
    random.Random(seed).shuffle(order)
    for i in order:
        assert shared.is_boundary(i) == (i in expected), i
    for bad in (-1, n + 1):
        with pytest.raises(briefkit.SpanError):
            shared.is_boundary(bad)


@settings(max_examples=100, deadline=None)
@given(raw=source_bytes(1, 80))
def test_offsets_that_split_a_cluster_are_refused(raw: bytes) -> None:
    source = briefkit.Source.from_bytes("doc.txt", raw)
    text = source.text
    n = len(text)
    bounds = boundaries(text)
    inside = sorted(set(range(n + 1)) - set(bounds))
    for i in inside:
        with pytest.raises(briefkit.SpanError):
            source.check(i, n)
        with pytest.raises(briefkit.SpanError):
            source.check(0, i)
        with pytest.raises(briefkit.SpanError):
            source.position(i, n)
        with pytest.raises(briefkit.SpanError):
            briefkit.Quote(source, 0, i)
    # consecutive boundaries are accepted; empty and out-of-range spans are refused
    for lo, hi in itertools.pairwise(bounds):
        assert source.check(lo, hi) == briefkit.Span(lo, hi)
    for start, end in ((0, 0), (n, n), (-1, n), (0, n + 1), (n, 0)):
        with pytest.raises(briefkit.SpanError):
            source.check(start, end)


def _unit_offsets(text: str, measure: str) -> list[int]:
    """The offset in ``measure`` units of every code point offset 0..len(text)."""
    length = utf8_len if measure == "utf-8" else utf16_len
    return [length(text[:i]) for i in range(len(text) + 1)]


@settings(max_examples=80, deadline=None)
@given(text=hard_text(0, 60))
def test_utf8_and_utf16_converters_round_trip(text: str) -> None:
    n = len(text)
    u8 = _unit_offsets(text, "utf-8")
    u16 = _unit_offsets(text, "utf-16")
    for i in range(n + 1):
        assert codepoint_to_utf8(text, i) == u8[i]
        assert utf8_to_codepoint(text, u8[i]) == i
        assert codepoint_to_utf16(text, i) == u16[i]
        assert utf16_to_codepoint(text, u16[i]) == i
    for b in sorted(set(range(u8[-1] + 1)) - set(u8)):
        with pytest.raises(briefkit.OffsetError):
            utf8_to_codepoint(text, b)
    for u in sorted(set(range(u16[-1] + 1)) - set(u16)):
        with pytest.raises(briefkit.OffsetError):
            utf16_to_codepoint(text, u)
    for bad in (-1, n + 1):
        with pytest.raises(briefkit.OffsetError):
            codepoint_to_utf8(text, bad)
        with pytest.raises(briefkit.OffsetError):
            codepoint_to_utf16(text, bad)
    with pytest.raises(briefkit.OffsetError):
        utf8_to_codepoint(text, u8[-1] + 1)
    with pytest.raises(briefkit.OffsetError):
        utf16_to_codepoint(text, u16[-1] + 1)


@settings(max_examples=25, deadline=None)
@given(text=long_text, bom=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_text_index_converters_round_trip_on_long_texts(text: str, bom: bool, seed: int) -> None:
    # repeated to cross several 1024-code-point checkpoints of the offset tables
    text = text * (1 + 2500 // (len(text) + 1)) if text else text
    base = len(BOM) if bom else 0
    index = TextIndex(text, byte_base=base)
    u8 = _unit_offsets(text, "utf-8") if len(text) < 200 else None
    rng = random.Random(seed)
    n = len(text)
    probes = sorted({0, n, *(rng.randrange(n + 1) for _ in range(200))})
    for i in probes:
        b = base + (u8[i] if u8 is not None else utf8_len(text[:i]))
        u = utf16_len(text[:i])
        assert index.utf8_offset(i) == b
        assert index.from_utf8(b) == i
        assert index.utf16_offset(i) == u
        assert index.from_utf16(u) == i
        if i < n and utf8_len(text[i]) > 1:
            with pytest.raises(briefkit.OffsetError):
                index.from_utf8(b + 1)
        if i < n and utf16_len(text[i]) > 1:
            with pytest.raises(briefkit.OffsetError):
                index.from_utf16(u + 1)
    for b in range(base):  # inside the BOM
        with pytest.raises(briefkit.OffsetError):
            index.from_utf8(b)


@settings(max_examples=60, deadline=None)
@given(raw=source_bytes(1, 60), data=st.data())
def test_spans_from_byte_and_utf16_offsets_round_trip(raw: bytes, data: st.DataObject) -> None:
    source = briefkit.Source.from_bytes("doc.txt", raw)
    if not source.text:
        return
    start, end = data.draw(grapheme_spans(source), label="span")
    pos = source.position(start, end)
    assert source.span_from_utf8(pos.byte_start, pos.byte_end) == briefkit.Span(start, end)
    u_start = utf16_len(source.text[:start])
    u_end = utf16_len(source.text[:end])
    assert source.span_from_utf16(u_start, u_end) == briefkit.Span(start, end)
