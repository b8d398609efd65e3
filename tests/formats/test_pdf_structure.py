"""The file's structure read as a viewer reads it: where pypdf and a viewer (poppler) could
take a page, its contents, a font or a box otherwise, the file is foreign drawing or a
``ReadError`` — never read one way while it shows another. Each forgery below was checked by
rendering with poppler: the page shows other text than the file reads as, or none."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
)

import briefkit as bk
from briefkit.errors import ReadError
from briefkit.formats.pdf.reader import _Font

from .test_pdf_reading_order import _brief

FIRST = b"(\\001Troops numbered 47,000.\\002) Tj"


def _forged(tmp_path: Path, edit: Callable[[PdfWriter, Any, bytes], None]) -> Path:
    """The two-paragraph brief's PDF with ``edit(writer, page 1, its content)`` done."""
    writer = PdfWriter(clone_from=_brief(tmp_path))
    page: Any = writer.pages[0]
    edit(writer, page, page.get_contents().get_data())
    out = tmp_path / "forged.pdf"
    writer.write(out)
    return out


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _null_in_contents(writer: PdfWriter, page: Any, data: bytes) -> None:
    """A null beside the content stream: poppler shows none of the page."""
    page[NameObject("/Contents")] = ArrayObject([NullObject(), _stream(writer, data)])


def _comment_into_the_next(writer: PdfWriter, page: Any, data: bytes) -> None:
    """The first stream ends in ``%``, the second starts with the first paragraph's line:
    a viewer runs the comment on, and the paragraph is not drawn."""
    at = data.index(FIRST)
    page[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, data[:at] + b"%"), _stream(writer, data[at:])]
    )


@pytest.mark.parametrize(
    ("edit", "found"),
    [
        (_null_in_contents, "page contents that are not streams"),
        (_comment_into_the_next, "a comment that may run on into the next content stream"),
    ],
    ids=["null", "comment"],
)
def test_contents_a_viewer_reads_otherwise_are_foreign(
    tmp_path: Path, edit: Callable[[PdfWriter, Any, bytes], None], found: str
) -> None:
    problems = bk.verify(_forged(tmp_path, edit), sources=tmp_path).problems
    assert any(p.code == "foreign-drawing" and found in p.message for p in problems), problems


def _extra_leaf(kind: str, count: int) -> Callable[[PdfWriter, Any, bytes], None]:
    """A node typed ``kind`` with no ``/Kids`` put first in the page tree, showing "470,000":
    poppler shows it as a page (pypdf skips it); the root's ``/Count`` grows by ``count``."""

    def edit(writer: PdfWriter, page: Any, data: bytes) -> None:
        root: Any = writer.root_object["/Pages"]
        leaf = DictionaryObject(
            {
                NameObject("/Type"): NameObject(kind),
                NameObject("/Parent"): root.indirect_reference,
                NameObject("/MediaBox"): page["/MediaBox"],
                NameObject("/Resources"): page["/Resources"],
                NameObject("/Contents"): _stream(writer, data.replace(b"47,000", b"470,000")),
            }
        )
        root["/Kids"].insert(0, writer._add_object(leaf))
        root[NameObject("/Count")] = NumberObject(root["/Count"] + count)

    return edit


def _count(n: int) -> Callable[[PdfWriter, Any, bytes], None]:
    def edit(writer: PdfWriter, page: Any, data: bytes) -> None:
        root: Any = writer.root_object["/Pages"]
        root[NameObject("/Count")] = NumberObject(n)

    return edit


@pytest.mark.parametrize(
    ("edit", "found"),
    [
        (_extra_leaf("/Pages", 0), "has no /Kids"),
        (_extra_leaf("/Pages", 1), "has no /Kids"),
        (_extra_leaf("/Foo", 0), "is a Foo node, neither page nor tree"),
        (_count(0), "the page tree holds 1 pages and its /Count says 0"),
    ],
    ids=["pages-leaf", "pages-leaf-counted", "other-leaf", "count-0"],
)
def test_a_page_tree_a_viewer_reads_otherwise_is_a_read_error(
    tmp_path: Path, edit: Callable[[PdfWriter, Any, bytes], None], found: str
) -> None:
    with pytest.raises(ReadError, match=found):
        bk.verify(_forged(tmp_path, edit), sources=tmp_path)


def test_a_key_defined_twice_is_a_read_error(tmp_path: Path) -> None:
    """The page dictionary names ``/Contents`` twice, the forged one last: pypdf takes the
    first, poppler the last."""

    def twice(writer: PdfWriter, page: Any, data: bytes) -> None:
        forged = _stream(writer, data.replace(b"47,000", b"470,000"))
        page[NameObject("/Contentz")] = forged

    path = _forged(tmp_path, twice)
    raw = path.read_bytes()
    assert raw.count(b"/Contentz") == 1
    path.write_bytes(raw.replace(b"/Contentz", b"/Contents"))
    with pytest.raises(ReadError, match="a dictionary defines a key twice"):
        bk.verify(path, sources=tmp_path)


def test_a_box_that_is_no_rectangle_gives_way_to_the_inherited_one(tmp_path: Path) -> None:
    """The page's media box cut to three numbers, a 500 pt high one on the page tree: a
    viewer shows the inherited box, which leaves the top of the page out."""

    def boxes(writer: PdfWriter, page: Any, data: bytes) -> None:
        page[NameObject("/MediaBox")] = ArrayObject([NumberObject(v) for v in (0, 0, 595)])
        root: Any = writer.root_object["/Pages"]
        root[NameObject("/MediaBox")] = ArrayObject([NumberObject(v) for v in (0, 0, 595, 500)])

    problems = bk.verify(_forged(tmp_path, boxes), sources=tmp_path).problems
    assert any(p.code == "hidden-text" and "outside the page" in p.message for p in problems)


def test_an_abbreviated_filter_name_is_a_read_error(tmp_path: Path) -> None:
    """``/Fl`` for ``/FlateDecode``: pypdf refuses it with an error of its own kind."""

    def abbreviated(writer: PdfWriter, page: Any, data: bytes) -> None:
        stream = DecodedStreamObject()
        stream._data = zlib.compress(data)
        stream[NameObject("/Filter")] = NameObject("/Fl")
        page[NameObject("/Contents")] = writer._add_object(stream)

    with pytest.raises(ReadError, match="/Fl"):
        bk.verify(_forged(tmp_path, abbreviated), sources=tmp_path)


def _type0(encoding: str, codespace: bytes) -> DictionaryObject:
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(
        b"begincmap 1 begincodespacerange " + codespace + b" endcodespacerange endcmap"
    )
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/X"),
            NameObject("/Encoding"): NameObject(encoding),
            NameObject("/ToUnicode"): to_unicode,
        }
    )


def test_a_composite_font_is_read_only_as_identity_h_with_two_byte_codes() -> None:
    """Vertical writing (or a character map) moves the pen otherwise; Identity-H codes are
    two bytes, whatever the ``/ToUnicode`` code space says."""
    assert _Font(_type0("/Identity-H", b"<0000> <FFFF>"), "f").foreign is None
    vertical = _Font(_type0("/Identity-V", b"<0000> <FFFF>"), "f")
    assert vertical.foreign == "fonts written vertically or through a character map"
    short = _Font(_type0("/Identity-H", b"<00> <FF>"), "f")
    assert short.foreign == "fonts whose /ToUnicode codes are not their own"
    assert short.bytes == 2
