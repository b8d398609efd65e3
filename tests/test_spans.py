from __future__ import annotations

import pytest

from briefkit import OffsetError, SpanError
from briefkit.spans import (
    TextIndex,
    codepoint_to_utf8,
    codepoint_to_utf16,
    utf8_to_codepoint,
    utf16_to_codepoint,
)

HARD = "a\r\nb e\u0301 👨\u200d👩\u200d👧 🇯🇵 日本 שלום 𝔘\n"


def test_boundaries_refuse_cluster_splits() -> None:
    index = TextIndex(HARD)
    assert index.is_boundary(0) and index.is_boundary(len(HARD))
    assert not index.is_boundary(2)  # between CR and LF
    e = HARD.index("e\u0301")
    assert not index.is_boundary(e + 1)  # between e and its combining acute
    family = HARD.index("👨")
    assert all(not index.is_boundary(family + k) for k in range(1, 5))
    flag = HARD.index("🇯")
    assert not index.is_boundary(flag + 1)
    assert index.is_boundary(flag + 2)


def test_check_names_the_cluster_and_the_alternatives() -> None:
    index = TextIndex(HARD)
    e = HARD.index("e\u0301")
    with pytest.raises(SpanError, match=r"splits the grapheme cluster '.{2}' at 5–7; use 5 or 7"):
        index.check(0, e + 1, where="doc.txt")


@pytest.mark.parametrize(("start", "end"), [(0, 0), (3, 2), (-1, 2), (0, 999)])
def test_check_refuses_empty_or_out_of_range(start: int, end: int) -> None:
    with pytest.raises(SpanError, match="doc.txt: span"):
        TextIndex("hello world").check(start, end, where="doc.txt")


def test_long_lines_without_ascii_fall_back_to_full_segmentation() -> None:
    text = "日本" * 400 + "e\u0301" + "日本" * 400
    index = TextIndex(text)
    e = text.index("e\u0301")
    assert index.is_boundary(e) and not index.is_boundary(e + 1) and index.is_boundary(e + 2)


def test_lines_and_columns_count_every_newline_style() -> None:
    index = TextIndex("ab\r\ncd\ref\ngh")
    assert index.line_col(0) == (1, 1)
    assert index.line_col(4) == (2, 1)
    assert index.line_col(7) == (3, 1)
    assert index.line_col(10) == (4, 1)
    assert index.line_count == 4


def test_position_records_bytes_lines_and_context() -> None:
    text = "ünïcode line\nsecond line here\n"
    index = TextIndex(text, byte_base=3)
    pos = index.position(13, 19)
    assert pos.exact == "second"
    assert pos.line_start == pos.line_end == 2
    assert (pos.column_start, pos.column_end) == (1, 6)
    assert pos.byte_start == 3 + len(text[:13].encode())
    assert pos.prefix == text[:13]
    assert pos.suffix == text[19:]


def test_converters_round_trip_and_refuse_offsets_inside_characters() -> None:
    text = "a😀é日"
    assert codepoint_to_utf8(text, 2) == 5
    assert utf8_to_codepoint(text, 5) == 2
    assert codepoint_to_utf16(text, 2) == 3
    assert utf16_to_codepoint(text, 3) == 2
    with pytest.raises(OffsetError, match="lands inside the character U\\+1F600"):
        utf8_to_codepoint(text, 2)
    with pytest.raises(OffsetError, match="U\\+1F600"):
        utf16_to_codepoint(text, 2)
    with pytest.raises(OffsetError, match="outside"):
        utf8_to_codepoint(text, 100)


def test_converters_past_a_checkpoint_block() -> None:
    text = ("é" * 1500) + "x😀" * 10
    index = TextIndex(text)
    for i in (0, 1023, 1024, 1025, 1500, 1501, len(text)):
        b = index.utf8_offset(i)
        assert b == len(text[:i].encode())
        assert index.from_utf8(b) == i
        u = index.utf16_offset(i)
        assert u == len(text[:i].encode("utf-16-le")) // 2
        assert index.from_utf16(u) == i
