"""Decoding: invalid UTF-8 is refused with the byte offset Python's own decoder reports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit.testing import source_bytes

from . import canonical

#: Byte sequences that are not valid UTF-8 on their own.
_INVALID = (
    b"\xff",
    b"\xfe",
    b"\x80",  # lone continuation byte
    b"\xbf\xbf",
    b"\xc0\x80",  # overlong NUL
    b"\xc1\xbf",
    b"\xe0\x80\x80",  # overlong
    b"\xed\xa0\x80",  # UTF-8-encoded surrogate U+D800
    b"\xed\xbf\xbf",
    b"\xe2\x82",  # truncated three-byte sequence
    b"\xf0\x9f\x98",  # truncated four-byte sequence
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xf5\x80\x80\x80",
    b"\xc3",  # truncated at the very end
    b"\xef\xbb",  # half a BOM
)

broken_bytes = st.tuples(
    source_bytes(0, 30),
    st.one_of(st.sampled_from(_INVALID), st.binary(min_size=1, max_size=6)),
    st.one_of(source_bytes(0, 10, bom=False), st.binary(max_size=6)),
).map(lambda t: t[0] + t[1] + t[2])


@settings(max_examples=200, deadline=None)
@given(raw=broken_bytes)
def test_invalid_utf8_reports_the_decoders_byte_offset(raw: bytes) -> None:
    try:
        raw.decode("utf-8")  # counts raw-file bytes; a leading BOM decodes as U+FEFF
    except UnicodeDecodeError as exc:
        expected = exc.start
    else:
        source = briefkit.Source.from_bytes("doc.txt", raw)
        assert source.text == canonical(raw)
        return
    with pytest.raises(briefkit.DecodeError) as info:
        briefkit.Source.from_bytes("doc.txt", raw)
    assert info.value.byte_offset == expected
    assert info.value.source_id == "doc.txt"
    assert f"byte offset {expected}" in str(info.value)
    assert isinstance(info.value, ValueError)
    with pytest.raises(briefkit.SourceError):
        briefkit.Source.from_bytes("doc.txt", raw)
