"""The font program reader that tells whether a glyph has ink (``formats/pdf/_ink.py``): the
code-to-glyph maps of a ``cmap`` table against fontTools' own, and the outlines of a real face."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit.formats.pdf._ink import Program, _cmap_subtables

fontTools = pytest.importorskip("fontTools", reason="fontTools (the test extra) checks the cmap")
from fontTools.ttLib import TTFont, newTable  # noqa: E402
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable  # noqa: E402

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _cmap_table(subtables: list[tuple[int, int, int, dict[int, int]]], glyphs: int) -> bytes:
    """A ``cmap`` table of ``(format, platform, encoding, map)`` subtables, compiled by
    fontTools for a font of ``glyphs`` glyphs."""
    font = TTFont()
    order = [".notdef"] + [f"g{k}" for k in range(1, glyphs)]
    font.setGlyphOrder(order)
    table = newTable("cmap")
    table.tableVersion = 0
    table.tables = []
    for form, platform, encoding, mapping in subtables:
        sub = CmapSubtable.newSubtable(form)
        sub.platformID, sub.platEncID, sub.language = platform, encoding, 0
        sub.cmap = {code: order[gid] for code, gid in mapping.items()}
        table.tables.append(sub)
    return bytes(table.compile(font))


_GLYPHS = 300


def _maps(high: int) -> st.SearchStrategy[dict[int, int]]:
    return st.dictionaries(st.integers(0, high), st.integers(1, _GLYPHS - 1), max_size=120)


@settings(max_examples=150, deadline=None)
@given(
    byte_map=st.dictionaries(st.integers(0, 255), st.integers(1, 255), max_size=120),
    bmp_map=_maps(0xFFFD),
    wide_map=st.dictionaries(st.integers(0, 0x10FFFF), st.integers(1, _GLYPHS - 1), max_size=60),
    trimmed=st.dictionaries(st.integers(40, 90), st.integers(1, _GLYPHS - 1), max_size=40),
)
def test_each_subtable_maps_codes_as_fonttools_compiles_them(
    byte_map: dict[int, int],
    bmp_map: dict[int, int],
    wide_map: dict[int, int],
    trimmed: dict[int, int],
) -> None:
    data = _cmap_table(
        [(0, 1, 0, byte_map), (4, 3, 1, bmp_map), (12, 0, 3, wide_map), (6, 3, 0, trimmed)],
        _GLYPHS,
    )
    found = _cmap_subtables(data)
    for key, mapping, high in (
        ((1, 0), byte_map, 0xFF),
        ((3, 1), bmp_map, 0xFFFF),
        ((0, 3), wide_map, 0x10FFFF),
        ((3, 0), trimmed, 0xFFFF),
    ):
        table = found[key]
        # each code mapped, the codes next to them and the ends of the range
        codes = {0, high, *mapping, *(c + 1 for c in mapping), *(c - 1 for c in mapping)}
        got = {c: table[c] for c in codes if 0 <= c <= high and c in table}
        assert got == mapping, key


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x00",
        b"\x00\x00\x00\x05" + b"\x00" * 7,
        b"\x00\x00\x00\x01\x00\x03\x00\x01\xff\xff\xff\xff",
    ],
    ids=["empty", "no count", "records cut short", "offset past the end"],
)
def test_a_broken_cmap_maps_nothing(data: bytes) -> None:
    assert _cmap_subtables(data) == {}


def test_a_cut_subtable_is_left_out() -> None:
    data = _cmap_table([(4, 3, 1, {65: 1, 66: 2, 300: 3})], 4)
    # the record says (3,1) at 12; cut the subtable's arrays off
    cut = data[: 12 + 16]
    assert _cmap_subtables(cut) == {}
    assert struct.unpack_from(">HH", data, 4) == (3, 1)


@pytest.fixture(scope="module")
def dejavu() -> Program:
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed (fonts-dejavu-core)")
    return Program(DEJAVU.read_bytes())


def _one(gids: set[int]) -> int:
    assert len(gids) == 1, gids
    return next(iter(gids))


def test_a_letter_has_ink_and_a_space_or_joiner_has_none(dejavu: Program) -> None:
    assert dejavu.shows(0x41, named="A")
    for code, blank in ((0x20, " "), (0xCA, "\u00a0")):  # (1,0) is Mac Roman: 0xCA is NBSP
        assert not dejavu.shows(code, named=blank), blank
    joiner = _one(dejavu.glyphs(0x200D, cid_to_gid=b""))  # a glyph by its number
    assert joiner == 0x200D
    zwj = dejavu.glyphs(0, named="\u200d") - dejavu.glyphs(0)
    assert zwj and not any(dejavu.inked(g) for g in zwj)


def test_a_cidfont_takes_codes_through_its_map(dejavu: Program) -> None:
    letter = max(dejavu.glyphs(0x41, named="A"))
    space = max(dejavu.glyphs(0x20, named=" "))
    assert dejavu.glyphs(letter, cid_to_gid=b"") == {letter}  # the identity
    mapping = bytearray(2 * 8)
    mapping[2 * 5 : 2 * 6] = letter.to_bytes(2, "big")
    mapping[2 * 6 : 2 * 7] = space.to_bytes(2, "big")
    assert dejavu.glyphs(5, cid_to_gid=bytes(mapping)) == {letter}
    assert dejavu.shows(5, cid_to_gid=bytes(mapping))
    assert dejavu.glyphs(6, cid_to_gid=bytes(mapping)) == {space}
    assert not dejavu.shows(6, cid_to_gid=bytes(mapping))
    # past the map: the CID itself to some viewers, .notdef to others
    assert dejavu.glyphs(99, cid_to_gid=bytes(mapping)) == {99, 0}


def test_a_glyph_the_program_lacks_draws_its_notdef(dejavu: Program) -> None:
    """A viewer draws ``.notdef`` (a box) for a glyph past the program's last."""
    assert dejavu.inked(0)
    assert dejavu.inked(10**6)
    assert dejavu.shows(10**6, cid_to_gid=b"")


def _with_map(platform: int, encoding: int, mapping: dict[int, str]) -> Program:
    """DejaVu Sans with one ``cmap`` subtable, ``(platform, encoding)``, of ``mapping``."""
    font = TTFont(io.BytesIO(DEJAVU.read_bytes()))
    table = newTable("cmap")
    table.tableVersion = 0
    sub = CmapSubtable.newSubtable(4 if max(mapping) > 0xFF else 0)
    sub.platformID, sub.platEncID, sub.language = platform, encoding, 0
    sub.cmap = mapping
    table.tables = [sub]
    font["cmap"] = table
    out = io.BytesIO()
    font.save(out)
    return Program(out.getvalue())


def _swapped_mac_map() -> Program:
    """A (1,0) map, as reportlab writes a subset's, that takes the code of a space to the
    letter A's glyph and the code of an A to the space's."""
    return _with_map(1, 0, {0x20: "A", 0x41: "space"})


def test_a_symbolic_font_takes_a_code_through_its_private_use_map() -> None:
    """A (3,0) map holds a symbolic font's codes as they are or moved to U+F000 …"""
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed (fonts-dejavu-core)")
    order = TTFont(io.BytesIO(DEJAVU.read_bytes())).getGlyphOrder()
    program = _with_map(3, 0, {0xF020: "A", 0x41: "B"})
    assert program.glyphs(0x20, named=" ") == {order.index("A")}
    assert program.shows(0x20, named=" ")
    assert program.glyphs(0x41) == {order.index("B")}


def test_a_named_character_is_taken_through_the_unicode_map() -> None:
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed (fonts-dejavu-core)")
    order = TTFont(io.BytesIO(DEJAVU.read_bytes())).getGlyphOrder()
    program = _with_map(3, 1, {0x2003: "A", 0x2C: "space"})  # EM SPACE drawn as an A
    # the map's glyph, and the one DejaVu's post table names uni2003 (its own em space)
    assert program.glyphs(0x99, named="\u2003") == {order.index("A"), order.index("uni2003")}
    assert program.shows(0x99, named="\u2003")
    assert not program.shows(0x99, named=",")  # a comma drawn as a space
    assert program.glyphs(0x99) == {0}


def test_a_simple_font_takes_a_code_through_its_mac_map() -> None:
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed (fonts-dejavu-core)")
    program = _swapped_mac_map()
    font = TTFont(io.BytesIO(DEJAVU.read_bytes()))
    order = font.getGlyphOrder()
    assert program.glyphs(0x20, named=" ") == {order.index("A")}
    assert program.shows(0x20, named=" ")  # reads as a space, draws an A
    assert program.glyphs(0x41) == {order.index("space")}
    assert not program.shows(0x41)
    # a viewer may also find the glyph the encoding names by its name in the post table
    assert program.glyphs(0x41, named="A") == {order.index("space"), order.index("A")}
    assert program.shows(0x41, named="A")
    assert program.glyphs(0x42) == {0}  # no map has it: .notdef


def _dejavu_with(tables: dict[str, object]) -> tuple[Program, list[str]]:
    """DejaVu Sans with ``tables`` added, and its glyph order."""
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed (fonts-dejavu-core)")
    font = TTFont(io.BytesIO(DEJAVU.read_bytes()))
    for tag, table in tables.items():
        font[tag] = table
    out = io.BytesIO()
    font.save(out)
    return Program(out.getvalue()), font.getGlyphOrder()


def test_a_glyph_drawn_in_colour_layers_has_ink() -> None:
    """``COLR`` draws the space glyph as the letter A's outline: it has ink; the no-break
    space, which the table leaves alone, still has none."""
    from fontTools.colorLib.builder import buildCOLR, buildCPAL

    program, order = _dejavu_with(
        {
            "COLR": buildCOLR({"space": [("A", 0)]}),
            "CPAL": buildCPAL([[(0.0, 0.0, 0.0, 1.0)]]),
        }
    )
    assert program.inked(order.index("space"))
    assert not program.inked(order.index("nonbreakingspace"))


def test_a_glyph_drawn_as_an_svg_document_has_ink() -> None:
    program0, order = _dejavu_with({})
    gid = order.index("nonbreakingspace")
    assert not program0.inked(gid)
    svg = newTable("SVG ")
    doc = f'<svg xmlns="http://www.w3.org/2000/svg"><rect id="glyph{gid}" width="9"/></svg>'
    svg.docList = [(doc, gid, gid)]
    program, _ = _dejavu_with({"SVG ": svg})
    assert program.inked(gid)
    assert not program.inked(order.index("space"))


def test_a_program_with_bitmap_strikes_may_draw_any_glyph() -> None:
    """Which glyphs monochrome strikes hold is not looked into: each may draw."""
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    strikes = DefaultTable("EBDT")
    strikes.data = b"\x00\x02\x00\x00"
    program, order = _dejavu_with({"EBDT": strikes})
    assert program.inked(order.index("space"))


def test_a_glyph_drawn_as_a_png_strike_has_ink() -> None:
    """An ``sbix`` strike draws the space glyph as a picture."""
    from fontTools.ttLib.tables.sbixGlyph import Glyph
    from fontTools.ttLib.tables.sbixStrike import Strike
    from PIL import Image

    picture = io.BytesIO()
    Image.new("L", (4, 4), 0).save(picture, "PNG")
    strike = Strike(ppem=20, resolution=72)
    strike.glyphs = {
        "space": Glyph(glyphName="space", graphicType="png ", imageData=picture.getvalue())
    }
    table = newTable("sbix")
    table.version, table.flags, table.strikes = 1, 1, {20: strike}
    program, order = _dejavu_with({"sbix": table})
    assert program.inked(order.index("space"))
    assert not program.inked(order.index("nonbreakingspace"))


def test_codes_are_taken_through_other_maps_when_the_usual_ones_are_missing() -> None:
    """A program with a (3,10) map only: a code goes through it as it is, a named character
    too; a code no map takes to a glyph may draw (a viewer may find one by its name), though
    its ``.notdef`` draws nothing."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed (fonts-dejavu-core)")
    order = TTFont(io.BytesIO(DEJAVU.read_bytes())).getGlyphOrder()
    font = TTFont(io.BytesIO(DEJAVU.read_bytes()))
    table = newTable("cmap")
    table.tableVersion = 0
    sub = CmapSubtable.newSubtable(12)
    sub.platformID, sub.platEncID, sub.language = 3, 10, 0
    sub.cmap = {0x20: "A", 0x1F600: "space"}
    table.tables = [sub]
    font["cmap"] = table
    font["glyf"][".notdef"] = TTGlyphPen(None).glyph()  # a .notdef that draws nothing
    out = io.BytesIO()
    font.save(out)
    program = Program(out.getvalue())
    assert not program.inked(0)
    assert program.glyphs(0x20) == {order.index("A")}
    assert program.shows(0x20)
    assert program.glyphs(0x05, named="\U0001f600") == {order.index("space")}
    assert not program.shows(0x05, named="\U0001f600")
    assert program.glyphs(0x07) == {0}
    assert program.shows(0x07)  # mapped by none


def test_a_cid_past_a_short_map_may_draw_itself(dejavu: Program) -> None:
    """A ``/CIDToGIDMap`` shorter than the CID: viewers take the CID itself, or ``.notdef``."""
    letter = max(dejavu.glyphs(0x41, named="A"))
    assert dejavu.glyphs(letter, cid_to_gid=b"\x00\x03") == {letter, 0}


def test_the_text_a_glyph_reads_as_and_its_name_are_looked_up_too() -> None:
    """A viewer may find a simple font's glyph by the character ``/ToUnicode`` reads, or by
    the name the encoding gives it in the program's ``post`` table, when the code and the
    encoding's character lead to a blank glyph."""
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed (fonts-dejavu-core)")
    order = TTFont(io.BytesIO(DEJAVU.read_bytes())).getGlyphOrder()
    program = _with_map(3, 1, {0x01: "space", 0x20: "T"})
    assert not program.shows(0x01, named="\x01")
    assert program.glyphs(0x01, named="\x01", reads=" ") == {order.index("space"), order.index("T")}
    assert program.shows(0x01, named="\x01", reads=" ")
    assert program.shows(0x01, named="\x01", name="T")  # DejaVu's post table names it
    assert not program.shows(0x01, named="\x01", name="space")
