"""Spans over a canonical text and everything derived from them.

A span is a half-open range ``[start, end)`` of **Unicode code point** offsets (Python ``str``
indices) into a source's canonical text: the W3C Web Annotation TextPositionSelector
convention. ``0 <= start < end <= len(text)``, and neither boundary may split a grapheme
cluster (a base and its combining marks, a ZWJ emoji sequence, a flag pair, CRLF).

:class:`TextIndex` answers, for one text and without quadratic work, the questions a citation
needs: is this offset a grapheme boundary, which line and column is it on, what is it in UTF-8
bytes or UTF-16 code units (and back, refusing offsets that land inside a character).

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``; lines and columns are 1-based and columns
count code points.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import NoReturn, TypeVar, cast

import attrs
import regex

from briefkit.errors import OffsetError, SpanError

T = TypeVar("T")

__all__ = [
    "CONTEXT_LENGTH",
    "Position",
    "Span",
    "TextIndex",
    "codepoint_to_utf8",
    "codepoint_to_utf16",
    "utf8_to_codepoint",
    "utf16_to_codepoint",
]

#: How many code points of context a quote selector keeps on each side (before widening the
#: context to whole grapheme clusters).
CONTEXT_LENGTH = 32

_GRAPHEME = regex.compile(r"\X", flags=regex.VERSION1)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_BLOCK = 1024  # code points between offset checkpoints
_SAFE_SCAN = 256  # how far back to look for a known cluster boundary before segmenting all
_CODECS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2)}


@attrs.frozen(order=True)
class Span:
    """A half-open code point range ``[start, end)``; validated against a text by
    :meth:`TextIndex.check`."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


@attrs.frozen
class Position:
    """Everything a citation records about a span, for humans and for other tools.

    ``byte_start``/``byte_end`` count UTF-8 bytes of the *raw file* (a leading BOM included), so
    ``raw[byte_start:byte_end].decode("utf-8") == exact``. ``line_end``/``column_end`` locate the
    span's last character (inclusive); ``prefix``/``suffix`` are the W3C TextQuoteSelector
    context, widened to whole grapheme clusters.
    """

    start: int
    end: int
    byte_start: int
    byte_end: int
    line_start: int
    column_start: int
    line_end: int
    column_end: int
    exact: str
    prefix: str
    suffix: str


def _integer(offset: object, unit: str) -> None:
    """Refuse an offset that is not an ``int`` — a ``bool`` included (``True`` is ``1`` to
    Python, but never meant as an offset)."""
    if not isinstance(offset, int) or isinstance(offset, bool):
        raise OffsetError(f"{unit} offset must be an integer, got {offset!r}")


def _is_ascii_graphic(ch: str) -> bool:
    return " " <= ch <= "~"


class TextIndex:
    """Lazily built, cached lookups over one text. Cheap to create; each table is built on
    first use in one linear pass."""

    __slots__ = (
        "_ascii",
        "_boundaries",
        "_derived",
        "_line_starts",
        "_u8",
        "_u16",
        "byte_base",
        "text",
    )

    def __init__(self, text: str, *, byte_base: int = 0) -> None:
        self.text = text
        #: bytes before the text in the raw file (3 for a UTF-8 BOM), added to byte offsets
        self.byte_base = byte_base
        self._ascii = text.isascii()
        self._boundaries: bytearray | None = None
        self._line_starts: list[int] | None = None
        self._u8: list[int] | None = None
        self._u16: list[int] | None = None
        self._derived: dict[str, object] = {}

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """A value computed from the text once, on first use, and kept (a text's folded
        search form …). The index is the only place a source keeps lazily built state."""
        if name not in self._derived:
            self._derived[name] = build()
        return cast(T, self._derived[name])

    # -- grapheme clusters ---------------------------------------------------------------

    def is_boundary(self, i: int) -> bool:
        """True when offset ``i`` (``0 <= i <= len(text)``) does not split a grapheme cluster."""
        text = self.text
        n = len(text)
        if i < 0 or i > n:
            raise SpanError(f"offset {i} is outside the text (length {n})")
        if i == 0 or i == n:
            return True
        before, after = text[i - 1], text[i]
        # printable ASCII on both sides (_is_ascii_graphic inlined: every span's offsets are
        # checked here)
        if before == "\n" or (" " <= before <= "~" and " " <= after <= "~"):
            return True
        if self._boundaries is not None:
            return bool(self._boundaries[i])
        # Segment from the nearest earlier offset that is certainly a boundary: just after a
        # line feed, between two printable ASCII characters, or the start of the text. No
        # segmentation rule looks back across such a point.
        j = i - 1
        floor = max(0, i - _SAFE_SCAN)
        while j > floor:
            p, c = text[j - 1], text[j]
            if p == "\n" or (_is_ascii_graphic(p) and _is_ascii_graphic(c)):
                break
            j -= 1
        else:
            if j > 0:
                return bool(self._all_boundaries()[i])
        for m in _GRAPHEME.finditer(text, j):
            end = m.end()
            if end >= i:
                return end == i
        return False  # pragma: no cover - finditer always reaches the end of the text

    def _all_boundaries(self) -> bytearray:
        if self._boundaries is None:
            flags = bytearray(len(self.text) + 1)
            flags[0] = 1
            for m in _GRAPHEME.finditer(self.text):
                flags[m.end()] = 1
            self._boundaries = flags
        return self._boundaries

    def cluster_start(self, i: int) -> int:
        """The nearest grapheme boundary at or before ``i``."""
        while i > 0 and not self.is_boundary(i):
            i -= 1
        return i

    def cluster_end(self, i: int) -> int:
        """The nearest grapheme boundary at or after ``i``."""
        n = len(self.text)
        while i < n and not self.is_boundary(i):
            i += 1
        return i

    def check(self, start: int, end: int, *, where: str = "text") -> Span:
        """Validate ``[start, end)`` against the text; return it as a :class:`Span`.

        Raises :class:`SpanError` naming ``where`` when the span is empty, out of range or
        splits a grapheme cluster. Nothing is ever adjusted.
        """
        self._check(start, end, where)
        return Span(start, end)

    def _check(self, start: int, end: int, where: str) -> None:
        """:meth:`check` without making the :class:`Span` (every citation's position is
        checked on the way: the common case, two plain ``int`` offsets on boundaries that
        need no segmenting, is decided first)."""
        if (type(start) is not int or type(end) is not int) and not all(
            isinstance(v, int) and not isinstance(v, bool) for v in (start, end)
        ):
            raise SpanError(f"{where}: span offsets must be integers, got {start!r}, {end!r}")
        n = len(self.text)
        if not 0 <= start < end <= n:
            raise SpanError(
                f"{where}: span {start}–{end} is out of range or empty "
                f"(need 0 <= start < end <= {n})"
            )
        if not self.is_boundary(start):
            self._split(start, end, "start", start, where)
        if not self.is_boundary(end):
            self._split(start, end, "end", end, where)

    def _split(self, start: int, end: int, label: str, offset: int, where: str) -> NoReturn:
        lo, hi = self.cluster_start(offset), self.cluster_end(offset)
        line, col = self.line_col(offset)
        raise SpanError(
            f"{where}: span {start}–{end} {label} offset {offset} (line {line}, "
            f"column {col}) splits the grapheme cluster {self.text[lo:hi]!r} at "
            f"{lo}–{hi}; use {lo} or {hi}"
        )

    # -- lines ---------------------------------------------------------------------------

    def _lines(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
        return self._line_starts

    def line_col(self, i: int) -> tuple[int, int]:
        """1-based (line, column) of offset ``i``; columns count code points."""
        starts = self._lines()
        k = bisect.bisect_right(starts, i) - 1
        return k + 1, i - starts[k] + 1

    @property
    def line_count(self) -> int:
        return len(self._lines())

    # -- other offset units --------------------------------------------------------------

    def _checkpoints(self, unit: str) -> list[int]:
        table = self._u8 if unit == "utf-8" else self._u16
        if table is None:
            codec, width = _CODECS[unit]
            table = [0]
            total = 0
            text = self.text
            for k in range(0, len(text), _BLOCK):
                total += len(text[k : k + _BLOCK].encode(codec)) // width
                table.append(total)
            if unit == "utf-8":
                self._u8 = table
            else:
                self._u16 = table
        return table

    def _to_unit(self, i: int, unit: str) -> int:
        if type(i) is not int:
            _integer(i, "code point")
        n = len(self.text)
        if not 0 <= i <= n:
            raise OffsetError(f"code point offset {i} is outside the text (length {n})")
        if self._ascii:
            return i
        table = self._checkpoints(unit)
        codec, width = _CODECS[unit]
        k = i // _BLOCK
        return table[k] + len(self.text[k * _BLOCK : i].encode(codec)) // width

    def _from_unit(self, offset: int, unit: str, shown: int | None = None) -> int:
        if not isinstance(offset, int) or isinstance(offset, bool):
            raise OffsetError(f"{unit} offset must be an integer, got {offset!r}")
        text = self.text
        table = self._checkpoints(unit)
        total = table[-1]
        label = offset if shown is None else shown
        if not 0 <= offset <= total:
            raise OffsetError(f"{unit} offset {label} is outside the text ({total} units)")
        if self._ascii:
            return offset
        if offset == total:
            return len(text)
        k = bisect.bisect_right(table, offset) - 1
        codec, width = _CODECS[unit]
        block = text[k * _BLOCK : (k + 1) * _BLOCK].encode(codec)
        try:
            head = block[: (offset - table[k]) * width].decode(codec)
        except UnicodeDecodeError:
            i = k * _BLOCK + len(block[: (offset - table[k]) * width].decode(codec, "ignore"))
            raise OffsetError(
                f"{unit} offset {label} lands inside the character U+{ord(text[i]):04X} "
                f"at code point {i}"
            ) from None
        return k * _BLOCK + len(head)

    def utf8_offset(self, i: int) -> int:
        """UTF-8 byte offset of code point offset ``i`` in the raw file (``byte_base`` added)."""
        return self.byte_base + self._to_unit(i, "utf-8")

    def from_utf8(self, byte_offset: int) -> int:
        """Code point offset of a raw-file UTF-8 byte offset; refuses one inside a character."""
        _integer(byte_offset, "utf-8")
        if isinstance(byte_offset, int) and 0 <= byte_offset < self.byte_base:
            raise OffsetError(
                f"byte offset {byte_offset} lies inside the {self.byte_base}-byte BOM"
            )
        if isinstance(byte_offset, int) and byte_offset < 0:
            raise OffsetError(f"utf-8 offset {byte_offset} is outside the text")
        return self._from_unit(byte_offset - self.byte_base, "utf-8", shown=byte_offset)

    def utf16_offset(self, i: int) -> int:
        """UTF-16 code unit offset of code point offset ``i`` (as JavaScript counts)."""
        return self._to_unit(i, "utf-16")

    def from_utf16(self, unit_offset: int) -> int:
        """Code point offset of a UTF-16 code unit offset; refuses one between surrogates."""
        _integer(unit_offset, "utf-16")
        return self._from_unit(unit_offset, "utf-16")

    # -- everything at once --------------------------------------------------------------

    def position(self, start: int, end: int, *, where: str = "text") -> Position:
        """Validate a span and compute its :class:`Position`."""
        self._check(start, end, where)
        text = self.text
        starts = self._lines()
        k = bisect.bisect_right(starts, start) - 1
        last = end - 1
        # the span's last character is on the line of its first or a later one
        k_end = bisect.bisect_right(starts, last, k) - 1
        pre = self.cluster_start(max(0, start - CONTEXT_LENGTH))
        post = self.cluster_end(min(len(text), end + CONTEXT_LENGTH))
        exact = text[start:end]
        byte_start = self.utf8_offset(start)
        if self._ascii:
            byte_end = byte_start + (end - start)
        else:
            # the UTF-8 of the text up to ``end`` is that up to ``start`` and the span's own
            byte_end = byte_start + len(exact.encode("utf-8"))
        return Position(
            start=start,
            end=end,
            byte_start=byte_start,
            byte_end=byte_end,
            line_start=k + 1,
            column_start=start - starts[k] + 1,
            line_end=k_end + 1,
            column_end=last - starts[k_end] + 1,
            exact=exact,
            prefix=text[pre:start],
            suffix=text[end:post],
        )


# -- explicit converters for offsets that arrive in other units ------------------------------


def utf8_to_codepoint(text: str, byte_offset: int) -> int:
    """Code point offset in ``text`` of a UTF-8 byte offset into ``text.encode()``.

    Raises :class:`OffsetError` when the byte offset lands inside a multi-byte character.
    """
    return TextIndex(text).from_utf8(byte_offset)


def codepoint_to_utf8(text: str, index: int) -> int:
    """UTF-8 byte offset in ``text.encode()`` of code point offset ``index``."""
    return TextIndex(text).utf8_offset(index)


def utf16_to_codepoint(text: str, unit_offset: int) -> int:
    """Code point offset of a UTF-16 code unit offset (JavaScript, LSP, many LLM APIs).

    Raises :class:`OffsetError` when the offset falls between the two halves of a surrogate pair.
    """
    return TextIndex(text).from_utf16(unit_offset)


def codepoint_to_utf16(text: str, index: int) -> int:
    """UTF-16 code unit offset of code point offset ``index``."""
    return TextIndex(text).utf16_offset(index)
