"""Whether a glyph of a font program embedded in a PDF draws anything.

A font's ``/ToUnicode`` map says what each glyph reads as, and a viewer draws the glyph's
outline whatever the map says: a glyph that reads as a space or as nothing at all (a joiner,
a variation selector) may still show a word. The checker does not compare white space and
default-ignorable characters, so the reader asks the font program itself whether such a
glyph has ink (:meth:`Program.shows`), and reads one that has as a glyph it cannot decode.

Only TrueType programs (``/FontFile2``, the only kind briefkit embeds) are opened, with
HarfBuzz; a code is taken to the glyphs a viewer may draw for it as PDF 2.0 (9.6.5.4,
9.7.4.2) says: a simple font's through its program's (1,0) and (3,0) ``cmap`` subtables and
the (3,1) subtable for the character its encoding names (viewers differ in the order they
try them, so each is looked at); a CIDFont's through its ``/CIDToGIDMap``. A glyph has ink
when it has an outline, colour layers or paint (``COLR``), a PNG (``sbix``, ``CBDT``) or an
SVG document; in a program with monochrome bitmap strikes (``EBDT``), every glyph may.
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Callable, Mapping, Sequence
from typing import overload

import uharfbuzz as hb

__all__ = ["MAX_PROGRAM_BYTES", "Program"]

#: The largest font program looked into (briefkit's subsets are a few tens of KiB; a whole
#: CJK face is about 20 MiB).
MAX_PROGRAM_BYTES = 32 * 1024 * 1024


class _Pen:  # the pen protocol HarfBuzz draws with (fontTools' names)
    """Counts what drawing a glyph's outline does (HarfBuzz calls these)."""

    def __init__(self) -> None:
        self.strokes = 0

    def moveTo(self, *_point: float) -> None:
        self.strokes += 1

    def lineTo(self, *_point: float) -> None:
        self.strokes += 1

    def qCurveTo(self, *_points: tuple[float, float]) -> None:
        self.strokes += 1

    def curveTo(self, *_points: tuple[float, float]) -> None:
        self.strokes += 1

    def closePath(self) -> None:
        pass


class Program:
    """An embedded TrueType font program: each character code's glyph, and whether it draws."""

    def __init__(self, data: bytes) -> None:
        self._face = hb.Face(hb.Blob(data))
        self._font = hb.Font(self._face)
        self._count = self._face.glyph_count
        self._subtables = _cmap_subtables(self._face.reference_table("cmap").data)
        tags = set(self._face.table_tags)
        #: glyphs drawn as bitmaps HarfBuzz cannot look into, glyph by glyph
        self._bitmaps = bool(tags & _BITMAP_TABLES)
        #: glyphs that may be drawn in colour (layers, paint, PNG or SVG)
        self._colour = bool(tags & _COLOUR_TABLES)

    @property
    def usable(self) -> bool:
        """Whether HarfBuzz could read any glyph of it (a viewer that cannot falls back on
        another font)."""
        return bool(self._count > 0)

    def glyphs(
        self,
        code: int,
        *,
        named: str | None = None,
        cid_to_gid: bytes | None = None,
        reads: str | None = None,
        name: str | None = None,
    ) -> set[int]:
        """The glyphs a viewer may draw for ``code``: of a CIDFont, the one its
        ``cid_to_gid`` map gives (``b""``: the identity; past a shorter map's end, the CID
        itself or ``.notdef``); of a simple font whose encoding names ``named`` (the glyph
        ``name``), which ``/ToUnicode`` ``reads`` as, each one its maps give
        (:meth:`_mapped`) — viewers differ in which they take first, so a glyph is known to
        draw nothing only when none of them does — or ``.notdef`` (0) when none does."""
        if cid_to_gid is not None:
            if not cid_to_gid:
                return {code}
            at = 2 * code
            found = cid_to_gid[at : at + 2]
            return {int.from_bytes(found, "big")} if len(found) == 2 else {code, 0}
        return self._mapped(code, named, reads, name) or {0}

    def _mapped(
        self, code: int, named: str | None, reads: str | None = None, name: str | None = None
    ) -> set[int]:
        """The glyphs the ``cmap`` subtables and glyph names give a simple font's ``code``:
        through the (1,0) and (3,0) subtables (a symbolic font's codes as they are or moved to
        U+F000 …); for the character ``named`` and the one it ``reads`` as, through each
        Unicode subtable and by the names ``uniXXXX`` (and a letter's own); by the glyph
        ``name`` the encoding gives; and when none of these gives one, the code as it is
        through every subtable (as a viewer does with a font whose maps are none of those)."""
        gids: set[int] = set()
        tables = self._subtables
        keys = ((1, 0), (code,)), ((3, 0), (code, 0xF000 + code, 0xF100 + code, 0xF200 + code))
        for key, codes in keys:
            table = tables.get(key)
            if table is not None:
                gids.update(table[c] for c in codes if c in table)
        names = [name] if name else []
        for text in (named, reads):
            if text is None or len(text) != 1:
                continue
            char = ord(text)
            for key, table in tables.items():
                if (key[0] == 0 or key in _UNICODE) and char in table:
                    gids.add(table[char])
            names.append(f"uni{char:04X}")
            if text.isascii() and text.isalpha():
                names.append(text)
        for each in names:
            found = self._font.get_glyph_from_name(each)
            if found is not None:
                gids.add(found)
        if not gids:
            gids.update(table[code] for table in tables.values() if code in table)
        return gids

    def shows(
        self,
        code: int,
        *,
        named: str | None = None,
        cid_to_gid: bytes | None = None,
        reads: str | None = None,
        name: str | None = None,
    ) -> bool:
        """Whether a glyph a viewer may draw for ``code`` (:meth:`glyphs`) has ink. A simple
        font's code that no map takes to a glyph may draw: a viewer may then find a glyph by
        its name (the program's ``post`` table) or in another font, whatever ``.notdef``
        is."""
        if cid_to_gid is None:
            found = self._mapped(code, named, reads, name)
            if not found:
                return True
        else:
            found = self.glyphs(code, cid_to_gid=cid_to_gid)
        return any(self.inked(gid) for gid in found)

    def inked(self, gid: int) -> bool:
        """Whether glyph ``gid`` draws an outline, or may draw a bitmap or a colour glyph
        instead (a glyph the program does not have is drawn as its ``.notdef``, glyph 0,
        which has one in any font briefkit embeds). A program with monochrome bitmap strikes
        (``EBDT``, ``bdat``) may draw any glyph: which glyphs they hold is not looked into.
        briefkit's own subsets hold outlines only."""
        if not 0 <= gid < self._count:
            gid = 0
        if self._bitmaps:
            return True
        pen = _Pen()
        self._font.draw_glyph_with_pen(gid, pen)
        if pen.strokes > 0:
            return True
        return self._colour and self._coloured(gid)

    def _coloured(self, gid: int) -> bool:
        face = self._face
        return bool(
            face.get_glyph_color_layers(gid)
            or face.glyph_has_color_paint(gid)
            or len(face.get_glyph_color_svg(gid))
            or len(self._font.get_glyph_color_png(gid))
        )


#: Tables of glyphs drawn as monochrome bitmaps (OpenType's and Apple's names).
_BITMAP_TABLES = frozenset(("EBDT", "EBLC", "bdat", "bloc"))
#: Tables of glyphs drawn in colour: layers (v0) and paint (v1), PNG strikes, SVG documents.
_COLOUR_TABLES = frozenset(("COLR", "CBDT", "CBLC", "sbix", "SVG "))

#: The Unicode subtables besides platform 0's: Windows' BMP and full repertoire.
_UNICODE = frozenset(((3, 1), (3, 10)))
#: How many subtables are read at most (a font has a handful).
_MAX_SUBTABLES = 64


class _Subtable:
    """One ``cmap`` subtable: the glyph of a code (0: none), looked up in its own arrays —
    a code costs a binary search however the subtable is made, so a crafted font cannot
    make reading slow."""

    def __init__(self, get: Callable[[int], int]) -> None:
        self._get = get

    def __contains__(self, code: int) -> bool:
        return self._get(code) != 0

    def __getitem__(self, code: int) -> int:
        return self._get(code)


def _cmap_subtables(data: bytes) -> Mapping[tuple[int, int], _Subtable]:
    """The subtables of formats 0, 4, 6 and 12 of a ``cmap`` table, by (platform, encoding),
    the first of each pair and at most :data:`_MAX_SUBTABLES`; one that cannot be read is left
    out."""
    found: dict[tuple[int, int], _Subtable] = {}
    if len(data) < 4:
        return found
    (count,) = struct.unpack_from(">H", data, 2)
    for k in range(count):
        at = 4 + 8 * k
        if at + 8 > len(data) or k >= _MAX_SUBTABLES:
            break
        platform, encoding, offset = struct.unpack_from(">HHI", data, at)
        if (platform, encoding) in found:
            continue
        try:
            table = _subtable(data, offset)
        except struct.error:
            continue
        if table is not None:
            found[(platform, encoding)] = table
    return found


def _subtable(data: bytes, at: int) -> _Subtable | None:
    """The subtable at ``at``, its arrays checked to lie within ``data`` (else
    ``struct.error``); ``None`` for a format not read."""
    (form,) = struct.unpack_from(">H", data, at)
    if form == 0:
        gids = data[at + 6 : at + 6 + 256]
        if len(gids) != 256:
            raise struct.error("a format 0 subtable cut short")
        return _Subtable(lambda code: gids[code] if 0 <= code < 256 else 0)
    if form == 6:
        first, count = struct.unpack_from(">HH", data, at + 6)
        trimmed = struct.unpack_from(f">{count}H", data, at + 10)
        return _Subtable(lambda code: trimmed[code - first] if 0 <= code - first < count else 0)
    if form == 4:
        return _segments(data, at)
    if form == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        if at + 16 + 12 * groups > len(data):
            raise struct.error("a format 12 subtable cut short")
        firsts = _Column(data, at + 16, groups)

        def group(code: int) -> int:
            k = bisect.bisect_right(firsts, code) - 1
            if k < 0:
                return 0
            first, last, start = struct.unpack_from(">III", data, at + 16 + 12 * k)
            return int(start + code - first) & 0xFFFFFFFF if code <= last else 0

        return _Subtable(group)
    return None


class _Column(Sequence[int]):
    """The first codes of a format 12 subtable's groups, read from the table as searched."""

    def __init__(self, data: bytes, at: int, count: int) -> None:
        self._data, self._at, self._count = data, at, count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, k: int) -> int: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[int]: ...
    def __getitem__(self, k: int | slice) -> int | Sequence[int]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self._count))]
        (first,) = struct.unpack_from(">I", self._data, self._at + 12 * k)
        return int(first)


def _segments(data: bytes, at: int) -> _Subtable:
    """A format 4 subtable: segments of codes, each mapped by a delta or through an array
    of glyphs (the first segment holding a code maps it, as its end codes are searched)."""
    (doubled,) = struct.unpack_from(">H", data, at + 6)
    n = doubled // 2
    ends = struct.unpack_from(f">{n}H", data, at + 14)
    starts = struct.unpack_from(f">{n}H", data, at + 16 + 2 * n)
    deltas: tuple[int, ...] = struct.unpack_from(f">{n}H", data, at + 16 + 4 * n)
    ranges_at = at + 16 + 6 * n
    offsets = struct.unpack_from(f">{n}H", data, ranges_at)

    def segment(code: int) -> int:
        k = bisect.bisect_left(ends, code)
        if k >= n or not starts[k] <= code <= 0xFFFF:
            return 0
        if offsets[k] == 0:
            return (code + deltas[k]) & 0xFFFF
        where = ranges_at + 2 * k + offsets[k] + 2 * (code - starts[k])
        if where + 2 > len(data):
            return 0
        (gid,) = struct.unpack_from(">H", data, where)
        return (gid + deltas[k]) & 0xFFFF if gid else 0

    return _Subtable(segment)
