"""Graphics and text state that changes what a page shows past what the PDF reader follows:
each is drawing briefkit never does, so verify reports it (``foreign-drawing``) instead of
reading the page as if it were not there. Each forgery below but the ICC profile was checked
by rendering with poppler: the page shows other text, or less of it, than the file reads as
(the profile here is a stand-in: a real one can take any value to white)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

import briefkit as bk
from make_pdf import edit_content

from .test_pdf_reading_order import _brief

SECOND = b"(\\001Costs reached two billion.\\002) Tj"
TITLE = b"BT 1 0 0 1 0 5 Tm /F1+0 22 Tf 27 TL (T) Tj T* ET"


def _replacing(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)

    return edit


def _with_state(writer: PdfWriter, state: DictionaryObject) -> None:
    """``state`` as the page's graphics state ``/GX``."""
    resources: Any = writer.pages[0]["/Resources"]
    resources[NameObject("/ExtGState")] = DictionaryObject({NameObject("/GX"): state})


def _white_transfer(writer: PdfWriter) -> None:
    """A transfer function that takes every value to 1: what is drawn after it is white."""
    white = DictionaryObject(
        {
            NameObject("/FunctionType"): NumberObject(2),
            NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
            NameObject("/C0"): ArrayObject([NumberObject(1)]),
            NameObject("/C1"): ArrayObject([NumberObject(1)]),
            NameObject("/N"): NumberObject(1),
        }
    )
    _with_state(writer, DictionaryObject({NameObject("/TR"): writer._add_object(white)}))


def _bold_font(writer: PdfWriter) -> None:
    """A graphics state that sets the bold font: poppler draws the text in it."""
    page: Any = writer.pages[0]
    fonts = page["/Resources"]["/Font"]
    bold = ArrayObject([fonts.raw_get("/F1+0"), FloatObject(10.5)])
    _with_state(writer, DictionaryObject({NameObject("/Font"): bold}))


def _bright_gray(writer: PdfWriter) -> None:
    """A calibrated gray whose gamma takes 0.5 to white."""
    calibrated = ArrayObject(
        [
            NameObject("/CalGray"),
            DictionaryObject(
                {
                    NameObject("/WhitePoint"): ArrayObject(
                        [FloatObject(0.9505), NumberObject(1), FloatObject(1.089)]
                    ),
                    NameObject("/Gamma"): FloatObject(0.001),
                }
            ),
        ]
    )
    resources: Any = writer.pages[0]["/Resources"]
    resources[NameObject("/ColorSpace")] = DictionaryObject({NameObject("/CG"): calibrated})


def _profile_gray(writer: PdfWriter) -> None:
    """An ICC-based gray space (its profile is not looked into: it may whiten anything)."""
    profile = DecodedStreamObject()
    profile.set_data(b"\0" * 128)
    profile[NameObject("/N")] = NumberObject(1)
    based = ArrayObject([NameObject("/ICCBased"), writer._add_object(profile)])
    resources: Any = writer.pages[0]["/Resources"]
    resources[NameObject("/ColorSpace")] = DictionaryObject({NameObject("/CG"): based})


def _link_border(writer: PdfWriter) -> None:
    """A link's border made 300 pt wide and white, over most of the page."""
    page: Any = writer.pages[0]
    link = page["/Annots"][0].get_object()
    link[NameObject("/Border")] = ArrayObject([NumberObject(0), NumberObject(0), NumberObject(300)])
    link[NameObject("/C")] = ArrayObject([NumberObject(1)] * 3)


#: name: (edit of the page's content, edit of the file, what verify says)
FORGERIES: dict[
    str, tuple[Callable[[bytes], bytes] | None, Callable[[PdfWriter], None] | None, str]
] = {
    # the title drawn as a clipping path (with its q/Q taken out, all after it is clipped away)
    "clipping text": (
        _replacing(TITLE, TITLE.replace(b"(T) Tj", b"4 Tr (T) Tj 0 Tr")),
        None,
        "text used as a clipping path",
    ),
    "white transfer": (
        _replacing(SECOND, b"/GX gs " + SECOND),
        _white_transfer,
        "graphics state parameters that change what is drawn",
    ),
    "font set by the graphics state": (
        _replacing(SECOND, b"/GX gs " + SECOND),
        _bold_font,
        "graphics state parameters that change what is drawn",
    ),
    "calibrated gray": (
        _replacing(SECOND, b"/CG cs .5 sc " + SECOND + b" 0 g"),
        _bright_gray,
        "colour spaces other than gray, RGB and CMYK",
    ),
    "profile gray": (
        _replacing(SECOND, b"/CG cs .5 sc " + SECOND + b" 0 g"),
        _profile_gray,
        "colour spaces other than gray, RGB and CMYK",
    ),
    "a link's border": (None, _link_border, "a link drawn with a border"),
    # the heading filled and stroked in white 60 pt wide: it and the text around it vanish
    "a wide white outline": (
        _replacing(b"(Bibliography) Tj", b"2 Tr 1 1 1 RG 60 w (Bibliography) Tj"),
        None,
        "text stroked wider than a tenth of its size",
    ),
    # a string moved down a line, then raised back by the rise into the gap before the first
    # words of the line above: the page shows "two billion. Costs reached"
    "raised back into a line": (
        _replacing(
            SECOND,
            b"75 0 Td (\\001Costs reached ) Tj -75 -8.5 Td 7.875 Ts (two billion.\\002) Tj 0 Ts",
        ),
        None,
        "text drawn back along its line",
    ),
}


FIRST = b"(\\001Troops numbered 47,000.\\002) Tj"


def _first_as(new: bytes) -> Callable[[bytes], bytes]:
    """The first paragraph's line drawn as ``new`` (in its place)."""
    return _replacing(FIRST, new)


def _symbol_font(writer: PdfWriter) -> None:
    """The standard Symbol font as ``/FS``, not embedded and with no ``/ToUnicode``: a viewer
    draws its own encoding's glyphs (``n`` is a nu)."""
    symbol = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Symbol"),
        }
    )
    page: Any = writer.pages[0]
    page["/Resources"]["/Font"][NameObject("/FS")] = writer._add_object(symbol)


#: Operators a viewer skips, or reads otherwise than the reader would run them (each shows the
#: figure otherwise, or hides it: "47,000" as "7,000", "not 47,000", or nothing after it).
MALFORMED: dict[str, bytes] = {
    "an array for Tj": b"(\\001Troops numbered ) Tj [(4)] Tj (7,000.\\002) Tj",
    "a string for TJ": b"(\\001Troops numbered ) Tj (4) TJ (7,000.\\002) Tj",
    "a hex string with another character": (
        b"(\\001Troops numbered ) Tj <6E6F742z> Tj (47,000.\\002) Tj"
    ),
    "a name for a number": b"(\\001Troops numbered ) Tj 3 Tr /0 Tr (47,000.\\002) Tj 0 Tr",
    "too few operands": b"(\\001Troops numbered ) Tj 3 Tr Tr (47,000.\\002) Tj 0 Tr",
    "a number no reader reads": b"(\\001Troops numbered ) Tj --3000 Ts (47,000.\\002) Tj",
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_content_is_reported(tmp_path: Path, name: str) -> None:
    path = edit_content(_brief(tmp_path), tmp_path / "t.pdf", _first_as(MALFORMED[name]))
    problems = bk.verify(path, sources=tmp_path).problems
    assert any(
        p.code == "foreign-drawing" and "malformed content" in p.message for p in problems
    ), problems


def test_a_dash_pattern_is_reported(tmp_path: Path) -> None:
    """Stroked text with a dash of no length and long gaps paints nothing."""
    dashed = b"(\\001Troops numbered ) Tj 1 Tr [0 100] 0 d (4) Tj [] 0 d 0 Tr (7,000.\\002) Tj"
    path = edit_content(_brief(tmp_path), tmp_path / "t.pdf", _first_as(dashed))
    problems = bk.verify(path, sources=tmp_path).problems
    assert any(p.code == "foreign-drawing" and "dashed lines" in p.message for p in problems)


def test_a_symbol_font_without_a_map_reads_as_unknown_glyphs(tmp_path: Path) -> None:
    """ "nu" in Symbol shows a nu and an upsilon: read through the standard encoding it would
    be the word's own letters."""
    path = edit_content(
        _brief(tmp_path),
        tmp_path / "c.pdf",
        _first_as(b"(\\001Troops ) Tj /FS 10.5 Tf (nu) Tj /F2+0 10.5 Tf (mbered 47,000.\\002) Tj"),
    )
    writer = PdfWriter(clone_from=path)
    _symbol_font(writer)
    writer.write(tmp_path / "t.pdf")
    problems = bk.verify(tmp_path / "t.pdf", sources=tmp_path).problems
    assert [p.code for p in problems] == ["differs"], problems
    assert "\\uffff\\uffff" in problems[0].message


@pytest.mark.parametrize("name", list(FORGERIES))
def test_drawing_that_changes_what_shows_is_reported(tmp_path: Path, name: str) -> None:
    content, whole, found = FORGERIES[name]
    path = _brief(tmp_path)
    if content is not None:
        path = edit_content(path, tmp_path / "c.pdf", content)
    if whole is not None:
        writer = PdfWriter(clone_from=path)
        whole(writer)
        path = tmp_path / "w.pdf"
        writer.write(path)
    problems = bk.verify(path, sources=tmp_path).problems
    assert any(p.code == "foreign-drawing" and found in p.message for p in problems), problems
