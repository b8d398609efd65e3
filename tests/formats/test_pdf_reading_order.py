"""A PDF must show its text in the order it is read: forged pages that draw the same text in
another order (lines, paragraphs, glyphs, the page number moved; a page or line turned; text
raised; spans, fonts and font programs abused) are reported, and briefkit's own are not."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)

import briefkit as bk
from briefkit.formats.pdf._container import FURTHER_GLYPH
from briefkit.formats.pdf.reader import (
    NO_PLACE,
    UNKNOWN_GLYPH,
    FontFace,
    _Budget,
    _Font,
    _Glyph,
    _Page,
    _State,
)
from make_pdf import edit_content

TROOPS = b"(\\001Troops numbered 47,000.\\002) Tj"
FIRST_LINE = b"BT 1 0 0 1 0 4 Tm 14.5 TL 0 0 0 rg /F2+0 10.5 Tf 14.5 TL " + TROOPS
LONG = (
    "The first part says the troops numbered forty seven thousand in all of the bases "
    "across the islands of the south."
)


def _brief(root: Path, first: str = "Troops numbered 47,000.") -> Path:
    """Two paragraphs quoting one source each a sentence, exported to ``root/b.pdf``."""
    (root / "s.txt").write_text(first + " Costs reached two billion.", encoding="utf-8")
    src = bk.Corpus.from_dir(root)["s.txt"]
    path = root / "b.pdf"
    paragraphs = (
        bk.paragraph(bk.sentence(src.quote(first))),
        bk.paragraph(bk.sentence(src.quote("Costs reached two billion."))),
    )
    bk.export(bk.Brief(title="T", sections=[bk.section("S", *paragraphs)]), path)
    assert bk.verify(path, sources=root).ok
    return path


def _replacing(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return edit


def _page_number_in_the_text(data: bytes) -> bytes:
    """A gap a digit wide opened before "47,000.", and the page number drawn in it, in the
    body's colour and size: the page shows "147,000."."""
    data = data.replace(TROOPS, b"[(\\001Troops numbered ) -636 (47,000.\\002)] TJ")
    old = b".333333 .333333 .333333 rg\nBT 1 0 0 1 294.9338 36 Tm /F2+0 8.5 Tf 10.2 TL (1) Tj"
    assert old in data
    return data.replace(old, b"0 0 0 rg\nBT 1 0 0 1 151.2 689.39 Tm /F2+0 10.5 Tf 10.2 TL (1) Tj")


def _beside_without_a_rule(data: bytes) -> bytes:
    """The first paragraph broken after "Troops numbered", the second drawn level with its
    first line, right after it, as a table's next cell would stand, but with no column rule:
    the page shows "Troops numbered Costs reached two billion." over "47,000."."""
    data = _replacing(TROOPS, b"(\\001Troops numbered ) Tj T* (47,000.\\002) Tj")(data)
    return _replacing(b"1 0 0 1 66 664.8898 cm", b"1 0 0 1 166 685.3898 cm")(data)


def _beside_past_a_drawn_rule(data: bytes) -> bytes:
    """:func:`_beside_without_a_rule` with a column rule drawn between the two paragraphs:
    they look like a table's two cells, and are none."""
    data = _beside_without_a_rule(data)
    data = _replacing(b"1 0 0 1 166 685.3898 cm", b"1 0 0 1 176 685.3898 cm")(data)
    # drawn last, so that the rule above the notes is still the first line drawn
    return data + b"\n/Artifact BMC q .5 w 0 0 0 RG n 171 680 m 171 700 l S Q EMC\n"


def _in_the_gap_just_below(data: bytes) -> bytes:
    """A gap opened in the first paragraph's line, and the second paragraph drawn in it 4.4 pt
    below the line (less than half the size of the note mark drawn last, more than nothing):
    the page shows "Troops numbered Costs reached two billion. 47,000."."""
    data = _replacing(TROOPS, b"[(\\001Troops numbered ) -16000 (47,000.\\002)] TJ")(data)
    return _replacing(b"1 0 0 1 66 664.8898 cm", b"1 0 0 1 166 680.9 cm")(data)


def _space_first(data: bytes) -> bytes:
    """The second paragraph drawn in a gap of the first one's line, its text object begun by
    a space in a 1 pt font placed elsewhere (which counts for no line nor place)."""
    data = _replacing(TROOPS, b"[(\\001Troops numbered ) -14600 (47,000.\\002)] TJ")(data)
    at = data.index(b"(\\001Costs reached two billion.\\002) Tj")
    start = data.rindex(b"BT 1 0 0 1 0 4 Tm", 0, at)
    data = (
        data[:start]
        + b"BT 1 0 0 1 400 4 Tm /F2+0 1 Tf ( ) Tj 1 0 0 1 100 3.4 Tm"
        + data[start + len(b"BT 1 0 0 1 0 4 Tm") :]
    )
    return _replacing(b"1 0 0 1 66 664.8898 cm", b"1 0 0 1 66 685.3898 cm")(data)


#: Edits of the two paragraphs' page, each showing their text in another order than it reads.
FORGERIES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    # the first paragraph drawn 41 pt lower by text rise, below the second
    "raised": (
        _replacing(TROOPS, b"-41 Ts " + TROOPS + b" 0 Ts"),
        "text raised or lowered further than a note's mark",
    ),
    # "47" drawn with a character spacing of minus two digits: "74" on the page
    "character spacing": (
        _replacing(
            TROOPS,
            b"[(\\001Troops numbered ) -636] TJ -13.356 Tc (47) Tj 0 Tc [-1908 (,000.\\002)] TJ",
        ),
        "text drawn back along its line, out of reading order",
    ),
    # the figure moved back in a text object of its own, after an empty string drawn turned
    # (an empty string counts for no line)
    "turned empty string": (
        _replacing(
            FIRST_LINE,
            b"BT 1 0 0 1 54 4 Tm 14.5 TL 0 0 0 rg /F2+0 10.5 Tf 14.5 TL (\\001Troops numbered ) Tj "
            b"0 -1 1 0 158 4 Tm () Tj ET BT 1 0 0 1 0 4 Tm (47,000.\\002) Tj",
        ),
        "text drawn back along its line, out of reading order",
    ),
    # the same after an empty string in a 2000 pt font (distances are in the smaller size)
    "huge empty string": (
        _replacing(
            FIRST_LINE,
            b"BT 1 0 0 1 54 4 Tm 14.5 TL 0 0 0 rg /F2+0 10.5 Tf 14.5 TL (\\001Troops numbered ) Tj "
            b"/F2+0 2000 Tf 1 0 0 1 0 4 Tm () Tj /F2+0 10.5 Tf (47,000.\\002) Tj",
        ),
        "text drawn back along its line, out of reading order",
    ),
    # ... or after a space 2000 pt wide pulled back by the word spacing
    "huge space": (
        _replacing(
            FIRST_LINE,
            b"BT 1 0 0 1 54 4 Tm 14.5 TL 0 0 0 rg /F2+0 10.5 Tf 14.5 TL (\\001Troops numbered ) Tj "
            b"/F2+0 2000 Tf 1 0 0 1 0 4 Tm -636 Tw ( ) Tj 0 Tw /F2+0 10.5 Tf (47,000.\\002) Tj",
        ),
        "text drawn back along its line, out of reading order",
    ),
    # ... inside a span claiming a line in logical order that is not one (base level 1)
    "inside a false span": (
        lambda data: _replacing(
            FIRST_LINE,
            b"/Span <</BriefkitText <FEFF0078> /BriefkitBase 1>> BDC "
            b"BT 1 0 0 1 54 4 Tm 14.5 TL 0 0 0 rg /F2+0 10.5 Tf 14.5 TL (\\001Troops numbered ) Tj "
            b"ET BT 1 0 0 1 0 4 Tm (47,000.\\002) Tj",
        )(data).replace(b"Tf 14.5 TL (1) Tj T* ET", b"Tf 14.5 TL (1) Tj T* ET EMC", 1),
        "text drawn back along its line, out of reading order",
    ),
    # the words of the first line drawn back over each other by a word spacing below minus
    # a space's width, in one string: "47,000." shown first
    "word spacing": (
        _replacing(TROOPS, b"-40 Tw " + TROOPS + b" 0 Tw"),
        "text drawn back along its line, out of reading order",
    ),
    # a string of spaces in a negative size moves the pen back: "74" on the page
    "negative size": (
        _replacing(
            TROOPS,
            b"[(\\001Troops numbered ) -556 (4)] TJ /F2+0 -10.5 Tf (    ) Tj "
            b"/F2+0 10.5 Tf (7) Tj [-556 (,000.\\002)] TJ",
        ),
        "text turned, mirrored or drawn backwards",
    ),
    # twenty spaces each moving back a little: together past the 4, so "74" shows
    "word spacing, a little at a time": (
        _replacing(
            TROOPS,
            b"-1.995 Tw [(\\001Troops numbered ) -636 (4) "
            + b"190 ( ) " * 20
            + b" 32 (7)] TJ 0 Tw [-636 (,000.\\002)] TJ",
        ),
        "text drawn back along its line, out of reading order",
    ),
    # a whole line's rise, not a note mark's
    "raised a line": (
        _replacing(TROOPS, b"10.5 Ts " + TROOPS + b" 0 Ts"),
        "text raised or lowered further than a note's mark",
    ),
    "beside without a rule": (_beside_without_a_rule, "text drawn above text drawn before it"),
    "beside past a drawn rule": (
        _beside_past_a_drawn_rule,
        "as a table's next cell stands, that is no next cell of its row",
    ),
    "space first": (_space_first, "text drawn back along its line, out of reading order"),
    "in the gap just below": (
        _in_the_gap_just_below,
        "text drawn back along its line, out of reading order",
    ),
    # the line drawn mirrored
    "mirrored": (
        _replacing(b"BT 1 0 0 1 0 4 Tm 14.5 TL 0 0 0 rg", b"BT -1 0 0 1 140 4 Tm 14.5 TL 0 0 0 rg"),
        "text turned, mirrored or drawn backwards",
    ),
    # the page number drawn in a gap of the text
    "page number": (
        _page_number_in_the_text,
        "the page number 1 is not drawn below the page's other text",
    ),
}


def _places(data: bytes, text: bytes) -> bytes:
    """The ``cm`` operator placing the paragraph that draws ``text``."""
    at = data.index(text)
    found: list[bytes] = re.findall(rb"1 0 0 1 [\d.]+ [\d.]+ cm", data[:at])
    assert found
    return found[-1]


def test_a_paragraph_drawn_above_the_one_before_it_is_foreign_drawing(tmp_path: Path) -> None:
    path = _brief(tmp_path)

    def swap(data: bytes) -> bytes:
        first, second = _places(data, b"Troops"), _places(data, b"Costs")
        return data.replace(first, b"\0").replace(second, first).replace(b"\0", second)

    problems = bk.verify(edit_content(path, tmp_path / "t.pdf", swap), sources=tmp_path).problems
    assert [p.code for p in problems] == ["foreign-drawing"]
    assert problems[0].message.startswith(
        "page 1: text drawn above text drawn before it, out of reading order "
        "('“Costs reached two billion.”2' above '“Troops numbered 47,000.”1')"
    )


def test_a_line_moved_below_the_paragraph_after_it_is_foreign_drawing(tmp_path: Path) -> None:
    """The last line of a paragraph moved down under the next paragraph: each text object
    still reads downwards, but the page shows the second paragraph inside the first."""
    path = _brief(tmp_path, LONG)

    def move(data: bytes) -> bytes:
        old = b"bases) Tj T* "
        assert old in data
        return data.replace(old, b"bases) Tj 0 -50 Td ", 1)  # 3.5 lines down, not one

    problems = bk.verify(edit_content(path, tmp_path / "t.pdf", move), sources=tmp_path).problems
    assert [p.code for p in problems] == ["foreign-drawing"]
    assert "'“Costs reached two billion.”2' above '“The first part" in problems[0].message


def test_text_moved_back_in_a_text_object_of_its_own_is_foreign_drawing(tmp_path: Path) -> None:
    """The figure of a sentence drawn, in a text object of its own, before the words drawn
    before it on the same line: the page shows "47,000. Troops numbered"."""
    path = _brief(tmp_path)
    split = _replacing(
        TROOPS, b"(\\001Troops numbered ) Tj ET BT 1 0 0 1 -4 4 Tm (47,000.\\002) Tj"
    )
    problems = bk.verify(edit_content(path, tmp_path / "t.pdf", split), sources=tmp_path).problems
    assert [p.message for p in problems] == [
        "page 1: text drawn back along its line, out of reading order, which briefkit never draws"
    ]


@pytest.mark.parametrize("name", list(FORGERIES))
def test_text_shown_out_of_reading_order_is_reported(tmp_path: Path, name: str) -> None:
    edit, found = FORGERIES[name]
    path = _brief(tmp_path)
    problems = bk.verify(edit_content(path, tmp_path / "t.pdf", edit), sources=tmp_path).problems
    assert problems, f"{name}: verified clean"
    assert any(p.code == "foreign-drawing" and found in p.message for p in problems), problems


def test_a_line_climbing_in_small_steps_is_a_line_above(tmp_path: Path) -> None:
    """The second line's words each drawn 4 pt above the one before (less than half a line
    a step) until they stand above the first line: each line is held against the lowest
    drawn so far, not only the one before."""
    path = _brief(tmp_path, LONG)

    def climb(data: bytes) -> bytes:
        old = b"bases) Tj T* 0 Tw (across the islands of the south.\\002) Tj"
        assert old in data
        words = [b"across ", b"the ", b"islands ", b"of ", b"the ", b"south.\\002"]
        steps = b" ".join(b"0 4 Td (" + word + b") Tj" for word in words)
        return data.replace(old, b"bases) Tj T* 0 Tw " + steps, 1)

    problems = bk.verify(edit_content(path, tmp_path / "t.pdf", climb), sources=tmp_path).problems
    assert (
        "page 1: a line drawn above the line before it, out of reading order, "
        "which briefkit never draws" in [p.message for p in problems]
    )


def test_a_paragraph_after_a_cell_like_object_is_held_to_the_lowest_line(
    tmp_path: Path,
) -> None:
    """A text object of one space level with the first paragraph's first line, right of it
    (as a table's next cell stands), does not let the second paragraph go between the first
    one's lines."""
    path = _brief(tmp_path, LONG)

    def interleave(data: bytes) -> bytes:
        data = data.replace(b"bases) Tj T* 0 Tw (across", b"bases) Tj 0 -29 Td 0 Tw (across", 1)
        data = data.replace(
            b"(1) Tj T* ET", b"(1) Tj T* ET BT 1 0 0 1 470 18.5 Tm /F2+0 10.5 Tf ( ) Tj ET", 1
        )
        first, second = b"1 0 0 1 66 650.3898 cm", b"1 0 0 1 66 670.8898 cm"
        assert first in data and second in data
        return data.replace(first, second, 1)

    problems = bk.verify(
        edit_content(path, tmp_path / "t.pdf", interleave), sources=tmp_path
    ).problems
    assert any(
        p.code == "foreign-drawing" and "text drawn above text drawn before it" in p.message
        for p in problems
    ), problems


def test_a_turned_page_is_foreign_drawing(tmp_path: Path) -> None:
    """A page shown turned (``/Rotate``) with its content turned back: briefkit turns none."""
    path = _brief(tmp_path)
    writer = PdfWriter(clone_from=path)
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    page[NameObject("/MediaBox")] = ArrayObject([NumberObject(n) for n in (0, 0, 842, 595)])
    page[NameObject("/Rotate")] = NumberObject(90)
    stream = ContentStream(None, writer)
    stream.set_data(b"q 0 1 -1 0 842 0 cm\n" + contents.get_data() + b"\nQ")
    page.replace_contents(stream)
    writer.write(tmp_path / "t.pdf")
    messages = [p.message for p in bk.verify(tmp_path / "t.pdf", sources=tmp_path).problems]
    assert any("a page turned for viewing (/Rotate 90)" in m for m in messages), messages
    assert any("text turned, mirrored or drawn backwards" in m for m in messages), messages


# -- fonts that do not say what they draw -------------------------------------------------------


def _font(subtype: str, *, program: str | None = None) -> _Font:
    """A font whose ``/ToUnicode`` reads every code as a space."""
    cmap = StreamObject()
    cmap.set_data(
        b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange "
        b"1 beginbfchar <0041> <0020> endbfchar endcmap"
        if subtype == "/Type0"
        else b"begincmap 1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfrange <00> <FF> [" + b" ".join([b"<0020>"] * 256) + b"] endbfrange endcmap"
    )
    font = DictionaryObject(
        {NameObject("/Subtype"): NameObject(subtype), NameObject("/ToUnicode"): cmap}
    )
    descriptor = DictionaryObject()
    if program is not None:
        data = StreamObject()
        data.set_data(b"\x80\x01 a font program of another kind")
        descriptor[NameObject(program)] = data
    if subtype == "/Type0":
        cid = DictionaryObject({NameObject("/FontDescriptor"): descriptor})
        font[NameObject("/DescendantFonts")] = ArrayObject([cid])
        font[NameObject("/Encoding")] = NameObject("/Identity-H")
    else:
        font[NameObject("/FontDescriptor")] = descriptor
    return _Font(font, "t.pdf")


@pytest.mark.parametrize(
    ("subtype", "program", "code", "shown"),
    [
        # a Type 1 program with its own encoding (code 32 may be any glyph): it may draw
        ("/Type1", "/FontFile", b"\x20", UNKNOWN_GLYPH),
        ("/TrueType", "/FontFile3", b"\x20", UNKNOWN_GLYPH),
        # a CIDFont whose program HarfBuzz does not open, or with none: it may draw
        ("/Type0", "/FontFile3", b"\x00\x41", UNKNOWN_GLYPH),
        ("/Type0", None, b"\x00\x41", UNKNOWN_GLYPH),
        # a simple font with no program: its encoding names what a viewer draws
        ("/Type1", None, b"\x41", UNKNOWN_GLYPH),
        ("/Type1", None, b"\x20", " "),
    ],
    ids=["type1", "opentype", "cid-opentype", "cid-none", "none-letter", "none-space"],
)
def test_a_glyph_read_as_a_space_that_may_draw_is_undecodable(
    subtype: str, program: str | None, code: bytes, shown: str
) -> None:
    font = _font(subtype, program=program)
    assert [text for _code, _n, text, _w in font.glyphs(code)] == [shown]


# -- further glyphs of a shaped cluster ----------------------------------------------------------


def _glyph(text: str, x: float, width: float, font: int) -> _Glyph:
    glyph = _Glyph(text, x, 700.0, x + width / 2, 703.5, 0, 1, None, "", 10.0)
    glyph.font = font
    glyph.link = -1 if width else NO_PLACE
    return glyph


def _read(glyphs: list[_Glyph], text: str, faces: list[str]) -> str:
    page = _Page(None, 1, _Budget("t.pdf", 0), {})
    page.faces = [FontFace(name) for name in faces]
    page.glyphs = glyphs
    page.put_in_logical_order(0, len(glyphs), text, 0)
    return "".join(g.text for g in page.glyphs)


def test_a_further_glyph_is_of_its_clusters_face() -> None:
    """A glyph read as a further glyph of the cluster before must come from that cluster's
    face (a subset of it counts as it): from another, it is read, and reported."""
    conjunct = "\u0915\u094d\u0937"  # क्ष: up to two further glyphs
    for faces, read in (
        (["FreeSerif", "FreeSerif"], conjunct),  # two subsets of one face
        (["FreeSerif", "DejaVuSans"], conjunct + FURTHER_GLYPH),
    ):
        glyphs = [_glyph(conjunct, 0.0, 8.0, 0), _glyph(FURTHER_GLYPH, 8.0, 5.0, 1)]
        assert _read(glyphs, conjunct, faces) == read, faces


def test_a_further_glyph_after_a_wide_glyph_is_measured_from_its_end() -> None:
    """Sinhala KOMBU DEKA, drawn as two glyphs 13 pt wide together with no letter: the second
    starts more than an em from the first one's middle, within an em of its end."""
    sign = "\u0ddb"
    glyphs = [_glyph(sign, 0.0, 13.0, 0), _glyph(FURTHER_GLYPH, 13.3, 6.6, 0)]
    assert _read(glyphs, sign, ["FreeSerif"]) == sign
    far = [_glyph(sign, 0.0, 13.0, 0), _glyph(FURTHER_GLYPH, 13.0 + 10.5, 6.6, 0)]
    assert _read(far, sign, ["FreeSerif"]) == sign + FURTHER_GLYPH


def test_a_split_vowel_without_a_decomposition_may_take_a_further_glyph() -> None:
    """KA with KOMBU DEKA: the consonant and the sign's two parts, three glyphs for two
    characters, though the sign has no decomposition to say it is made of two."""
    cluster = "\u0d9a\u0ddb"
    glyphs = [
        _glyph(cluster, 0.0, 6.0, 0),
        _glyph(FURTHER_GLYPH, 6.0, 6.0, 0),
        _glyph(FURTHER_GLYPH, 12.0, 6.0, 0),
    ]
    assert _read(glyphs, cluster, ["FreeSerif"]) == cluster
    # a letter with no split vowel has no room for the third glyph
    plain = "\u0d9a\u0dd9"
    glyphs = [
        _glyph(plain, 0.0, 6.0, 0),
        _glyph(FURTHER_GLYPH, 6.0, 6.0, 0),
        _glyph(FURTHER_GLYPH, 12.0, 6.0, 0),
    ]
    assert _read(glyphs, plain, ["FreeSerif"]) == plain + FURTHER_GLYPH * 2


def _drawn(content: bytes, widths: list[float]) -> _Page:
    """A page that ran ``content`` with font ``/F1``: codes from 65 (A) on with ``widths``."""
    font = DictionaryObject(
        {
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/FirstChar"): NumberObject(65),
            NameObject("/Widths"): ArrayObject([NumberObject(w) for w in widths]),
        }
    )
    resources = {"/Font": DictionaryObject({NameObject("/F1"): font})}
    budget = _Budget("t.pdf", 10_000)
    budget.start_page(1)
    page = _Page({}, 1, budget, {})
    page.run(content, resources, _State(), 0)
    return page


_BACK_NOTE = "text drawn back along its line, out of reading order"


def test_a_font_with_a_width_below_nothing_draws_back() -> None:
    """A glyph whose width is negative moves the pen back: the next glyph is drawn before it."""
    for widths, back in (([-600.0, 600.0], True), ([600.0, 600.0], False)):
        page = _drawn(b"BT /F1 10 Tf 100 700 Td (AB) Tj ET", widths)
        assert (_BACK_NOTE in page.foreign) is back


def test_small_moves_back_add_up() -> None:
    """Narrow glyphs each started a little (0.15 em) before the last one ends: none is far
    back from the one before, but the pen goes back along the line step by step, and the
    fourth stands 0.3 em left of where the line had reached."""
    steps = b" ".join([b"[150 (C)] TJ"] * 4)
    page = _drawn(b"BT /F1 10 Tf 100 700 Td (C) Tj " + steps + b" ET", [600.0, 600.0, 100.0])
    assert _BACK_NOTE in page.foreign
    forward = b" ".join([b"[50 (C)] TJ"] * 4)  # 0.05 em back each: within a glyph's width
    page = _drawn(b"BT /F1 10 Tf 100 700 Td (C) Tj " + forward + b" ET", [600.0, 600.0, 100.0])
    assert _BACK_NOTE not in page.foreign


def test_small_spacing_below_nothing_adds_up_within_a_string() -> None:
    """Character spacing of -0.15 em under glyphs 0.1 em wide: each glyph starts 0.05 em
    before the one before it, and by the fifth the string has gone back 0.2 em."""
    page = _drawn(b"BT /F1 10 Tf 100 700 Td -1.5 Tc (CCCCCC) Tj ET", [600.0, 600.0, 100.0])
    assert _BACK_NOTE in page.foreign
    page = _drawn(b"BT /F1 10 Tf 100 700 Td -0.5 Tc (CCCCCC) Tj ET", [600.0, 600.0, 100.0])
    assert _BACK_NOTE not in page.foreign


def test_a_string_of_spaces_drawn_anywhere_is_not_reported() -> None:
    """White space shows nothing: a string of it drawn back along the line, above it or in
    a tiny size is no text out of order, and the text after it is measured from the text
    before it."""
    page = _drawn(
        b"BT /F1 10 Tf 100 700 Td (AB) Tj 1 0 0 1 20 740 Tm /F1 1 Tf (   ) Tj ET",
        [600.0, 600.0],
    )
    assert page.foreign == {}
