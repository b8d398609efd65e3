"""Read a briefkit PDF back: its embedded manifest, what a reader of each page sees, and every
drawing the writer never does.

*What a reader sees.* Each page's content stream is interpreted here (not by a text
extractor), keeping the graphics state a viewer keeps: ``q``/``Q``, the transformation matrix,
the text state (font, size, character and word spacing, scaling, rise, render mode), the fill
and stroke colours and the constant alpha of ``gs``. Every glyph is decoded through its font's
``/ToUnicode`` map (or its simple encoding) and placed with the text and transformation
matrices; a glyph that cannot be decoded reads as :data:`UNKNOWN_GLYPH`, which matches no text.
The characters of each text object (``BT`` … ``ET``) are kept in drawing order, with a space
or newline where the pen jumps (:class:`TextObject`), each with where it stands on the page.

*Faces and web links.* Each character also records how its glyph is styled
(:attr:`TextObject.styles`): :data:`ITALIC` when its font is an italic one — its descriptor's
``/ItalicAngle`` is not 0 or its italic flag is set, or failing those its name says
``Italic``/``Oblique`` — or the glyph is slanted (a text or transformation matrix whose axes
are not at right angles); :data:`BOLD` when its font is a bold one (the descriptor's
``ForceBold`` flag, a ``/FontWeight`` of 600 or more, or the name) or the glyph is filled and
stroked (render mode 2 or 6). It records the font that draws it too (an index into
:attr:`PdfContents.fonts`, each font's name and style). A link annotation that leads to no
page of the document is a web link (:attr:`PdfPage.web_links`): its rectangle and its address
(the ``/URI`` of a ``/URI`` action; ``<S>`` for any other action ``S`` but ``/GoTo``); each
character records the first web link whose rectangle holds its glyph's centre
(:attr:`TextObject.links`), except a glyph without width (a combining mark, drawn where the
glyph before it ends), which no link can be told to hold or not (:data:`NO_PLACE`). Web links
are neither marks nor back links: the pairing below never counts them.

*Hidden text.* A glyph a reader does not see is kept, marked with why: render mode 3 or 7;
a fill (or, for stroked text, stroke) colour that is white or the colour of the shape behind
it; a fill alpha below 0.25; a size below 1 pt; its centre outside the page's crop and media
boxes or outside a clipping path; or covered by a filled shape or image drawn after it. The
checker decides which sentence such text belongs to.

*Foreign drawing.* briefkit draws text, thin straight horizontal and vertical lines (the
footnote rule above a page's notes, the rules of tables), image XObjects (its figures, which
the checker matches with the manifest's) and link annotations; nothing else, and every line
of a page after the text of its body. Filled shapes, inline images, shadings, form XObjects,
clipping paths, transparency, optional content, Type 3 fonts, colour spaces other than the
device ones, a line wider than 1 pt, curved, slanted or drawn through text (across the middle
of a visible glyph: struck through), text drawn back along its own line (more than a fifth of
an em left of where the text before it ended: read in the file's order, it would show in
another; a line put in display order is checked as a whole instead), and annotations other
than links without an appearance stream are each reported as a ``foreign-drawing`` problem
of the page
(:attr:`PdfPage.problems`). The straight lines are kept (:attr:`PdfPage.lines`) for the
checker, which places the columns of a table between its column rules.

*Images.* Each image XObject a page draws is kept (:attr:`PdfPage.images`): where it stands,
the ``/Alt`` of the innermost ``/Figure`` marked content around it (:data:`._container.ALT_TAG`)
and its pixels as Pillow decodes them (each at most :data:`MAX_IMAGE_PIXELS`, all together at
most :data:`MAX_DECODED_PIXELS`; past that, none). An image still hides the text drawn before
it under it. The embedded files named ``figure-…`` (from the name tree, then the catalog's
``/AF``) are read with the manifest (:attr:`PdfContents.files`); the checker compares them.

*Marks and notes.* briefkit draws, on every page, the body's reference marks (links to their
notes) before the notes' own back-links, and both kinds of link point at the same page. So the
internal links of a page, in order, are its marks followed by the back-links of the notes that
start there; that gives the page of every mark without relying on the text. Each back-link
carries its note's citations under ``/BriefkitCites`` (see :data:`._container.CITES_KEY`),
which is read with the links (:meth:`PdfContents.note_cites`), not from the pages' text.
A link that carries ``/BriefkitRef`` (:data:`._container.REF_KEY`: an entry of the contents
or a cross-reference, leading to a heading, table or figure on any page) is none of these: it
is kept apart, with its anchor and the page it leads to (:attr:`PdfPage.ref_links`) and its
rectangle (:attr:`PdfPage.ref_rects`).

*Bounds.* Reading is linear in the size of the content: a page's decoded content (with the
forms it draws) is capped at :data:`MAX_PAGE_CONTENT` bytes and :data:`MAX_PAGE_OPERATORS`
operators, the whole document at :data:`CONTENT_PER_BYTE` times the file's size plus
:data:`CONTENT_ALLOWANCE` and at most :data:`MAX_CONTENT` bytes (a stream drawn by several
pages counts once for each), and the operators at :data:`MAX_PAGE_OPERATORS` plus
:data:`OPERATORS_PER_BYTE` for each byte of the file; fonts' maps, arrays, nesting and
the filled shapes a page may draw are capped too. Past a cap, or for a file that is no PDF, a
:class:`~briefkit.errors.ReadError` names the file and what was too much.

*Structure.* The page tree and the embedded files' name tree are walked here, without
recursion: a document has at most :data:`MAX_PAGES` pages, each tree at most
:data:`MAX_TREE_DEPTH` levels, and a node of either reached twice (a ``/Kids`` loop) is
refused; a page without content or annotations costs next to nothing. ``/Annots`` must be an
array of annotation dictionaries (:data:`MAX_ANNOTATIONS` in all), the manifest's file
specification a dictionary whose ``/EF`` holds a stream, a name tree's ``/Names`` an array of
string keys each followed by its value. Anything else is a :class:`~briefkit.errors.ReadError`
that names the file, the page or the object, and what is wrong there.
"""

from __future__ import annotations

import bisect
import io
import itertools
import logging
import math
import os
import re
import struct
import unicodedata
import zlib
from array import array as _array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import attrs
from PIL import Image as PilImage
from pypdf import PdfReader
from pypdf.errors import DeprecationError as PdfDeprecationError
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    StreamObject,
)

from briefkit import _bidi
from briefkit import manifest as _manifest
from briefkit._text import ignorable, quoted_passages
from briefkit.errors import ManifestError, ReadError
from briefkit.formats.pdf import _ink
from briefkit.formats.pdf._container import (
    ALT_TAG,
    BASE_KEY,
    CITES_KEY,
    FURTHER_GLYPH,
    MANIFEST_NAME,
    REF_KEY,
    TEXT_KEY,
)
from briefkit.manifest import Manifest
from briefkit.problems import Problem

__all__ = [
    "BOLD",
    "CONTENT_ALLOWANCE",
    "CONTENT_PER_BYTE",
    "ITALIC",
    "MAX_ANNOTATIONS",
    "MAX_CONTENT",
    "MAX_PAGES",
    "MAX_PAGE_CONTENT",
    "MAX_PAGE_OPERATORS",
    "MAX_PDF_BYTES",
    "MAX_TREE_DEPTH",
    "NO_PLACE",
    "OPERATORS_PER_BYTE",
    "UNKNOWN_GLYPH",
    "FontFace",
    "PdfContents",
    "PdfPage",
    "TextObject",
    "WebLink",
    "read_pdf",
]

MAX_PDF_BYTES = 512 * 1024 * 1024
#: Decoded content of one page, the form XObjects it draws included.
MAX_PAGE_CONTENT = 4 * 1024 * 1024
#: Decoded content of all pages, a stream counted once for each page that draws it.
MAX_CONTENT = 64 * 1024 * 1024
#: Below :data:`MAX_CONTENT`, the pages' decoded content may be at most this many times the
#: file's size plus :data:`CONTENT_ALLOWANCE`: briefkit's PDFs draw about as many bytes as the
#: file holds, while a small file whose pages share one compressed stream could otherwise make
#: a reader interpret tens of millions of operators.
CONTENT_PER_BYTE = 16
CONTENT_ALLOWANCE = 4 * 1024 * 1024
#: Operators interpreted in the whole document: one page's worth (:data:`MAX_PAGE_OPERATORS`)
#: plus one for each byte of the file (briefkit's PDFs draw about one for every 14 bytes).
OPERATORS_PER_BYTE = 1
#: Operators interpreted on one page.
MAX_PAGE_OPERATORS = 250_000
#: Filled shapes, images and shadings one page may draw (briefkit draws only its figures).
MAX_PAGE_FILLS = 64
#: Elements of one array or dictionary in a content stream.
MAX_ARRAY = 65_536
#: Nesting of arrays, dictionaries, ``q`` and form XObjects.
MAX_DEPTH = 64
MAX_FORM_DEPTH = 8
#: Bytes of one font's ``/ToUnicode`` map.
MAX_CMAP_BYTES = 1024 * 1024
#: Pages of one document.
MAX_PAGES = 100_000
#: Levels of the page tree and of the embedded files' name tree.
MAX_TREE_DEPTH = 64
#: Annotations of all pages together (briefkit writes two links per note).
MAX_ANNOTATIONS = 250_000
#: Indirect references followed one to the next before an object is reached.
MAX_REFERENCE_CHAIN = 32


#: What a glyph that cannot be decoded reads as (never part of any text briefkit draws).
UNKNOWN_GLYPH = "\uffff"

Matrix: TypeAlias = tuple[float, float, float, float, float, float]
Box: TypeAlias = tuple[float, float, float, float]  # x0, y0, x1, y1
Segment: TypeAlias = tuple[float, float, float, float, float]  # x0, y0, x1, y1, line width
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_CITES = f"/{CITES_KEY}"
_REF = f"/{REF_KEY}"
#: Embedded files kept besides the manifest (the figures' bytes), and the bytes of each.
MAX_FIGURE_FILES = 1_000
MAX_FIGURE_BYTES = 64 * 1024 * 1024
#: Pixels of an image decoded to compare it (width times height), and of all images decoded.
MAX_IMAGE_PIXELS = 16_000_000
MAX_DECODED_PIXELS = 64_000_000


@attrs.frozen
class DrawnImage:
    """An image XObject drawn on a page: where (``box``), in drawing order among the page's
    images, the ``/Alt`` of the marked content around it (``None`` without one) and its
    pixels as Pillow decodes them (``None`` when they cannot be)."""

    box: tuple[float, float, float, float]
    alt: str | None
    pixels: Any = attrs.field(default=None, eq=False, repr=False)


#: What :attr:`TextObject.links` holds for a glyph without width (a combining mark), which
#: stands where the glyph before it ends: no link can be told to hold it or not.
NO_PLACE = -2

#: A glyph drawn in an italic face, or slanted (:attr:`TextObject.styles`).
ITALIC = 1
#: A glyph drawn in a bold face, or filled and stroked (:attr:`TextObject.styles`).
BOLD = 2


@attrs.frozen
class FontFace:
    """A font the pages draw with: its ``/BaseFont`` (without a subset's tag) and whether it
    is italic or bold, as its descriptor (``/ItalicAngle``, ``/Flags``, ``/FontWeight``) or,
    failing that, its name says."""

    name: str
    italic: bool = False
    bold: bool = False


@attrs.frozen
class WebLink:
    """A link annotation that leads to no page of the document: its rectangle on the page
    (``None`` without a usable one) and its address — the ``/URI`` of its ``/URI`` action, or
    ``<S>`` for another action ``S`` (``<Launch>``, ``<GoToR>`` …)."""

    rect: Box | None
    uri: str


@attrs.frozen
class TextObject:
    """The characters one text object (``BT`` … ``ET``) draws, in drawing order.

    ``text`` has a space or newline where the pen jumps between glyphs; ``x`` and ``y`` give
    where each character's glyph stands on the page (for an inferred space or newline, the
    glyph after it); ``hidden`` lists ``(start, end, why)`` for the runs of ``text`` a reader
    does not see."""

    text: str
    x: Sequence[float] = ()
    y: Sequence[float] = ()
    hidden: tuple[tuple[int, int, str], ...] = ()
    #: for each character of ``text``: how its glyph is styled (:data:`ITALIC`, :data:`BOLD`,
    #: both or neither; an inferred space or newline is neither)
    styles: Sequence[int] = ()
    #: for each character of ``text``: the font that draws it (an index into
    #: :attr:`PdfContents.fonts`; ``-1`` for an inferred space or newline)
    fonts: Sequence[int] = ()
    #: for each character of ``text``: the web link over its glyph (an index into the page's
    #: :attr:`PdfPage.web_links`; ``-1`` for none, :data:`NO_PLACE` for a glyph without width)
    links: Sequence[int] = ()

    def style_at(self, k: int) -> int:
        """How character ``k`` is styled (0 when not known)."""
        return self.styles[k] if k < len(self.styles) else 0

    def font_at(self, k: int) -> int:
        """The font of character ``k`` (``-1`` when not known)."""
        return self.fonts[k] if k < len(self.fonts) else -1

    def link_at(self, k: int) -> int:
        """The web link over character ``k`` (``-1`` for none)."""
        return self.links[k] if k < len(self.links) else -1

    @property
    def visible(self) -> str:
        """``text`` without its hidden runs."""
        if not self.hidden:
            return self.text
        parts, at = [], 0
        for start, end, _why in self.hidden:
            parts.append(self.text[at:start])
            at = end
        parts.append(self.text[at:])
        return "".join(parts)


@attrs.frozen
class PdfPage:
    """One page: ``text`` is what a reader sees (the visible text of its text objects, one
    per line); ``internal_links`` the destination pages of its internal links in drawing
    order; ``objects`` its text objects; ``rule`` how many of them were drawn before its
    first stroked line (the footnote rule, or the first rule of a table: briefkit draws every
    line after the body's text), ``None`` without one; ``problems`` the drawing on the page
    that briefkit never does."""

    number: int  # 1-based
    text: str
    internal_links: tuple[int, ...]  # destination page numbers, in drawing order
    objects: tuple[TextObject, ...] = ()
    rule: int | None = None
    problems: tuple[Problem, ...] = ()
    #: for each internal link, in the same order: the text of its ``/BriefkitCites`` (a
    #: note's citations), ``None`` without one
    link_cites: tuple[str | None, ...] = ()
    #: the ``/BriefkitCites`` of the page's other links (those that lead to no page of it)
    stray_cites: tuple[str, ...] = ()
    #: the straight lines stroked on the page, in drawing order: ``(x0, y0, x1, y1)`` each
    lines: tuple[Box, ...] = ()
    #: the links that carry a ``/BriefkitRef`` (to a heading, table or figure): its text and
    #: the page the link leads to (``None``: none of the document)
    ref_links: tuple[tuple[str, int | None], ...] = ()
    #: for each of :attr:`ref_links`, in the same order: its rectangle on the page (``None``
    #: without a usable one)
    ref_rects: tuple[Box | None, ...] = ()
    #: the image XObjects drawn on the page, in drawing order
    images: tuple[DrawnImage, ...] = ()
    #: the page's links to anything but a page of the document (web links), in the order of
    #: its annotations
    web_links: tuple[WebLink, ...] = ()


@attrs.frozen
class PdfContents:
    manifest: Manifest | None
    pages: tuple[PdfPage, ...]
    #: the embedded files named ``figure-…`` (each figure's bytes), by name
    files: Mapping[str, bytes] = attrs.field(factory=dict)
    #: each font the pages draw with (as :attr:`TextObject.fonts` indexes them)
    fonts: tuple[FontFace, ...] = ()

    def mark_pages(self) -> list[int]:
        """The page of each footnote mark, in note order (marks are half a page's links)."""
        out: list[int] = []
        for page in self.pages:
            out.extend([page.number] * (len(page.internal_links) // 2))
        return out

    def note_cites(self) -> list[str | None]:
        """What the back link of each note carries (its ``/BriefkitCites``, ``None`` without
        one), in note order: a page's back links follow its marks."""
        out: list[str | None] = []
        for page in self.pages:
            cites = (*page.link_cites, *[None] * len(page.internal_links))
            out.extend(cites[len(page.internal_links) // 2 : len(page.internal_links)])
        return out

    def mark_cites(self) -> list[tuple[int, int, str]]:
        """``(page, mark, text)`` for each note mark whose link carries a ``/BriefkitCites``
        (``mark``: its 1-based place among all marks), which only back links do."""
        out: list[tuple[int, int, str]] = []
        marks = 0
        for page in self.pages:
            half = len(page.internal_links) // 2
            for k, cites in enumerate(page.link_cites[:half], marks + 1):
                if cites is not None:
                    out.append((page.number, k, cites))
            marks += half
        return out


# -- content stream tokens ---------------------------------------------------------------------

_REGULAR = rb"[^ \t\r\n\f\x00()<>\[\]{}/%]"
_TOKEN = re.compile(
    rb"[ \t\r\n\f\x00]+|%[^\r\n]*"
    rb"|(/" + _REGULAR + rb"*)"  # 1 name
    rb"|([+-]?(?:\d+\.?\d*|\.\d+))(?!" + _REGULAR + rb")"  # 2 number
    rb"|(<<|>>|\[|\]|\{|\})"  # 3 punctuation
    rb"|<([0-9A-Fa-f \t\r\n\f\x00]*)>"  # 4 hex string
    rb"|(\()"  # 5 literal string
    rb"|(" + _REGULAR + rb"+)"  # 6 operator or keyword
)
_PAREN = re.compile(rb"[()\\]")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\s\S])")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_NAME_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_END_INLINE_IMAGE = re.compile(rb"[ \t\r\n\f\x00]EI(?=[ \t\r\n\f\x00]|$)")
_KEYWORDS: dict[bytes, object] = {b"true": True, b"false": False, b"null": None}


class Name(str):
    """A PDF name operand (``/F1`` reads as ``Name("F1")``)."""


#: What :func:`_operations` gives for a token no operator or operand can be.
_MALFORMED = "\x00malformed"

#: The operands of each operator (PDF 2.0, annex A): ``n`` a number, ``s`` a string, ``a`` an
#: array, ``N`` a name, ``p`` a name or a dictionary; ``*`` any number of numbers, a name
#: last allowed (``scn``). A viewer skips an operator whose operands are otherwise: the reader
#: must not run it as if they were right.
_OPERANDS: dict[str, str] = {
    **dict.fromkeys(
        ("b", "B", "b*", "B*", "BT", "ET", "EMC", "f", "F", "f*", "h", "n", "q", "Q", "s", "S"),
        "",
    ),
    **dict.fromkeys(("W", "W*", "T*", "BX", "EX", "BI"), ""),
    **dict.fromkeys(("BMC", "MP", "cs", "CS", "Do", "gs", "ri", "sh"), "N"),
    **dict.fromkeys(("BDC", "DP"), "Np"),
    **dict.fromkeys(("c", "cm", "Tm", "d1"), "nnnnnn"),
    **dict.fromkeys(("v", "y", "re"), "nnnn"),
    **dict.fromkeys(("l", "m", "Td", "TD", "d0"), "nn"),
    **dict.fromkeys(("g", "G", "i", "j", "J", "M", "w", "Tc", "Tw", "Tz", "TL", "Ts", "Tr"), "n"),
    **dict.fromkeys(("rg", "RG"), "nnn"),
    **dict.fromkeys(("k", "K"), "nnnn"),
    **dict.fromkeys(("sc", "SC", "scn", "SCN"), "*"),
    "d": "an",
    "Tf": "Nn",
    "Tj": "s",
    "'": "s",
    '"': "nns",
    "TJ": "a",
}


def _operands_fit(op: str, args: list[Any]) -> bool:
    """Whether ``args`` are the operands operator ``op`` takes (an unknown operator: no)."""
    shape = _OPERANDS.get(op)
    if shape is None:
        return False
    if shape == "*":
        numbers = args[:-1] if args and isinstance(args[-1], Name) else args
        return bool(args) and all(_is_number(v) for v in numbers)
    if len(args) != len(shape):
        return False
    for kind, value in zip(shape, args, strict=True):
        if kind == "n":
            ok = _is_number(value)
        elif kind == "s":
            ok = isinstance(value, bytes)
        elif kind == "N":
            ok = isinstance(value, Name)
        elif kind == "p":
            ok = isinstance(value, Name | dict)
        else:
            ok = isinstance(value, list)
        if not ok:
            return False
    if op == "TJ":
        return all(isinstance(v, bytes) or _is_number(v) for v in args[0])
    return True


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    if code in (b"\r", b"\n", b"\r\n"):
        return b""
    return _ESCAPES.get(code, code)


class _Budget:
    """What is left of the caps on content bytes and operators."""

    def __init__(self, label: str, size: int) -> None:
        self.label = label
        self.limit = min(MAX_CONTENT, CONTENT_ALLOWANCE + CONTENT_PER_BYTE * size)
        self.operator_limit = MAX_PAGE_OPERATORS + OPERATORS_PER_BYTE * size
        self.total = 0
        self.all_operators = 0
        self.page = 0
        self.operators = 0
        self.page_number = 0
        self.annotations = 0
        self.pixels = 0  # of the images decoded

    def start_page(self, number: int) -> None:
        self.page = 0
        self.operators = 0
        self.page_number = number

    def take(self, size: int) -> None:
        self.page += size
        self.total += size
        if self.page > MAX_PAGE_CONTENT:
            raise ReadError(
                f"{self.label}: page {self.page_number}: its content is larger than "
                f"{MAX_PAGE_CONTENT} bytes"
            )
        if self.total > self.limit:
            raise ReadError(
                f"{self.label}: the pages' content is larger than {self.limit} bytes "
                f"({CONTENT_PER_BYTE} times the file's size plus {CONTENT_ALLOWANCE}, "
                f"at most {MAX_CONTENT}), counting a stream once for each page that draws it"
            )

    def operator(self) -> None:
        self.operators += 1
        self.all_operators += 1
        if self.operators > MAX_PAGE_OPERATORS:
            raise ReadError(
                f"{self.label}: page {self.page_number}: more than {MAX_PAGE_OPERATORS} "
                "drawing operators"
            )
        if self.all_operators > self.operator_limit:
            raise ReadError(
                f"{self.label}: more than {self.operator_limit} drawing operators in all "
                f"({MAX_PAGE_OPERATORS} and {OPERATORS_PER_BYTE} for each byte of the file), "
                "counting a stream once for each page that draws it"
            )

    def fail(self, what: str) -> ReadError:
        return ReadError(f"{self.label}: page {self.page_number}: {what}")


def _operations(data: bytes, budget: _Budget) -> Iterator[tuple[str, list[Any]]]:
    """``(operator, operands)`` for each operator of a content stream, in order."""
    stack: list[list[Any]] = [[]]  # operands, then each open array or dictionary
    kinds: list[bytes] = []
    pos, end = 0, len(data)
    match = _TOKEN.match
    while pos < end:
        m = match(data, pos)
        if m is None:  # a stray delimiter (a hex string with another character in it …)
            pos += 1
            yield _MALFORMED, []
            continue
        pos = m.end()
        group = m.lastindex
        if group is None:
            continue
        top = stack[-1]
        if group == 2:
            text = m.group(2)
            top.append(float(text) if b"." in text else int(text))
        elif group == 1:
            raw = _NAME_HEX.sub(lambda h: bytes([int(h.group(1), 16)]), m.group(1)[1:])
            top.append(Name(raw.decode("latin-1")))
        elif group == 5:
            depth, at = 1, pos
            while depth:
                found = _PAREN.search(data, at)
                if found is None:
                    at = end + 1
                    break
                ch = found.group()
                at = found.end() + (1 if ch == b"\\" else 0)
                depth += {b"(": 1, b")": -1}.get(ch, 0)
            top.append(_ESCAPE.sub(_unescape, data[pos : at - 1]))
            pos = at
        elif group == 4:
            digits = re.sub(rb"[ \t\r\n\f\x00]", b"", m.group(4))
            top.append(bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode()))
        elif group == 3:
            punct = m.group(3)
            if punct in (b"[", b"<<"):
                if len(stack) > MAX_DEPTH:
                    raise budget.fail("arrays or dictionaries nested too deeply")
                stack.append([])
                kinds.append(punct)
            elif punct in (b"]", b">>") and kinds:
                items = stack.pop()
                kind = kinds.pop()
                if kind == b"<<":
                    stack[-1].append(
                        {str(k): v for k, v in zip(items[::2], items[1::2], strict=False)}
                    )
                else:
                    stack[-1].append(items)
        else:
            word = m.group(6)
            if word in _KEYWORDS:
                top.append(_KEYWORDS[word])
            elif len(stack) > 1:  # an operator inside an array: malformed, keep reading
                yield _MALFORMED, []
                continue
            else:
                budget.operator()
                operands = stack[0]
                stack[0] = []
                if word == b"BI":  # inline image: its dictionary, then binary data to EI
                    at_id = data.find(b"ID", pos)
                    close = _END_INLINE_IMAGE.search(data, at_id + 3) if at_id >= 0 else None
                    pos = close.end() if close else end
                    yield "BI", []
                    continue
                yield word.decode("latin-1"), operands
        if len(top) > MAX_ARRAY:
            raise budget.fail(f"an array or operand list of more than {MAX_ARRAY} elements")


# -- fonts -----------------------------------------------------------------------------------

_HEX_PAIR = re.compile(rb"<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_RANGE_ENTRY = re.compile(
    rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]*)>|\[([^\]]*)\])"
)
_CODESPACE = re.compile(rb"begincodespacerange(.*?)endcodespacerange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")

#: A subset's tag before a font's name (``AAAAAA+``).
_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
#: Names of italic and of bold faces (when the descriptor does not tell).
_ITALIC_NAME = re.compile(r"italic|oblique|kursiv|slanted", re.IGNORECASE)
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
#: The font descriptor's flags for an italic face and for a bold one (ForceBold).
_FLAG_ITALIC = 1 << 6
_FLAG_BOLD = 1 << 18
_FLAG_SYMBOLIC = 1 << 2
#: How far before its centre a glyph is looked for under a link, in points.
_HAIR = 0.01
#: How far a glyph may lean (the cosine of the angle between its axes) and still be upright.
_SLANT = 0.08

# Glyph names of simple fonts without a /ToUnicode map that briefkit could meet in a foreign
# overlay; anything else decodes as UNKNOWN_GLYPH (still a visible character).
_GLYPH_NAMES = {
    "space": " ",
    "period": ".",
    "comma": ",",
    "hyphen": "-",
    "colon": ":",
    "semicolon": ";",
    "quoteright": "\u2019",
    "quoteleft": "\u2018",
    "quotedbl": '"',
    "quotesingle": "'",
    "exclam": "!",
    "question": "?",
    "parenleft": "(",
    "parenright": ")",
    "slash": "/",
    "bullet": "\u2022",
    "endash": "\u2013",
    "emdash": "\u2014",
    **{
        name: str(i)
        for i, name in enumerate(
            ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
        )
    },
}


def _glyph_name_text(name: str) -> str:
    if len(name) == 1 and name.isascii() and name.isalpha():
        return name
    if name in _GLYPH_NAMES:
        return _GLYPH_NAMES[name]
    if re.fullmatch(r"uni([0-9A-F]{4})+", name):
        return "".join(chr(int(name[i : i + 4], 16)) for i in range(3, len(name), 4))
    if re.fullmatch(r"u[0-9A-F]{4,6}", name) and int(name[1:], 16) <= 0x10FFFF:
        return chr(int(name[1:], 16))
    return UNKNOWN_GLYPH


def _blank(text: str) -> bool:
    """Whether ``text`` is white space and default-ignorable characters only (or nothing):
    what the checker does not compare."""
    return all(ch.isspace() or ignorable(ch) for ch in text)


def _utf16(raw: bytes) -> str:
    text = raw.decode("utf-16-be", errors="replace")
    return UNKNOWN_GLYPH if not text or text == "\x00" else text


def _number(value: object, default: float = 0.0) -> float:
    """``value`` as a finite float, else ``default`` (a malformed operand is ignored, as
    viewers ignore it)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return default
    try:
        found = float(value)
    except (ValueError, OverflowError):
        return default
    return found if math.isfinite(found) else default


#: What pypdf raises for a file it cannot parse (beside its own errors): it reads lazily, so
#: any of these can come from looking at any object or stream.
_PARSE_FAILURES: tuple[type[BaseException], ...] = (
    PyPdfError,
    PdfDeprecationError,  # pypdf's for an abbreviated filter name (/Fl), which is no PyPdfError
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    NotImplementedError,
    OverflowError,
    RecursionError,
    zlib.error,
    struct.error,
)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "objects nested too deeply"
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


class _Malformed(Exception):
    """Part of the file is not what a PDF has there; the message says where and what
    (:func:`read_pdf` makes it a :class:`~briefkit.errors.ReadError` naming the file)."""


class _Unreadable(_Malformed):
    """An object pypdf cannot read; the message names it (:func:`read_pdf` adds the page or
    part of the file being read)."""


def _resolve(obj: Any) -> Any:
    """The object ``obj`` refers to (``obj`` itself when it is no reference)."""
    hops = 0
    while isinstance(obj, IndirectObject):
        hops += 1
        if hops > MAX_REFERENCE_CHAIN:
            raise _Malformed(
                f"object {obj.idnum}: more than {MAX_REFERENCE_CHAIN} indirect references "
                "lead one to the next"
            )
        try:
            obj = obj.get_object()
        except _PARSE_FAILURES as exc:
            raise _Unreadable(f"object {obj.idnum} cannot be read ({_reason(exc)})") from None
    return obj


def _kind(obj: Any) -> str:
    """What ``obj`` is, for a message ("a number (5)", "a dictionary" …)."""
    if obj is None or isinstance(obj, NullObject):
        return "null"
    if isinstance(obj, (bool, BooleanObject)):
        return f"a boolean ({'true' if obj else 'false'})"
    if isinstance(obj, NameObject):
        return f"a name ({str(obj)[:40]})"
    if isinstance(obj, (int, float)):
        return f"a number ({obj})"
    if isinstance(obj, (str, bytes)):
        return "a string"
    if isinstance(obj, StreamObject):
        return "a stream"
    if isinstance(obj, DictionaryObject):
        return "a dictionary"
    if isinstance(obj, ArrayObject):
        return "an array"
    return f"a {type(obj).__name__}"


def _object(ref: Any) -> str:
    """`` (object N)`` when ``ref`` is an indirect reference, else nothing."""
    return f" (object {ref.idnum})" if isinstance(ref, IndirectObject) else ""


def _hex_bytes(digits: bytes) -> bytes:
    """The bytes of hexadecimal ``digits`` (an odd last digit is followed by 0, as in PDF)."""
    return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode("ascii"))


class _Font:
    """What interpreting text needs of one font: how to cut a string into character codes,
    and each code's text and advance width (in text space units per unit of font size)."""

    def __init__(self, obj: Any, label: str) -> None:
        font = _resolve(obj)
        self.ok = isinstance(font, DictionaryObject)
        font = font if self.ok else DictionaryObject()
        subtype = str(font.get("/Subtype", ""))
        self.type3 = subtype == "/Type3"
        self.composite = subtype == "/Type0"
        self.bytes = 2 if self.composite else 1
        self.scale = 0.001
        if self.type3:
            matrix = _resolve(font.get("/FontMatrix"))
            if isinstance(matrix, ArrayObject) and matrix:
                self.scale = abs(_number(_resolve(matrix[0]), 0.001))
        self.to_unicode: dict[int, str] = {}
        self.ranges: list[tuple[int, int, bytes | list[str]]] = []
        self.encoding: dict[int, str] = {}
        self.utf16 = False
        self.widths: dict[int, float] = {}
        self.default_width = 500.0
        self.cache: dict[int, tuple[str, float]] = {}
        self.index = -1  # its place in the document's fonts (set when it is first used)
        self.face = FontFace("")
        #: where its glyphs' outlines are: the embedded TrueType program (read when first
        #: asked) and, for a CIDFont, its CID-to-glyph map (``b""``: the identity)
        self.program_ref: Any = None
        self.program: _ink.Program | None = None
        self.cid_to_gid: bytes | None = None
        self.embedded = False  # whether it carries a font program of any kind
        self.names: dict[int, str] = {}  # the glyph names of a simple font's /Differences
        self.symbolic = False  # a symbol font (its own encoding), by its name or its flags
        self.foreign: str | None = None  # why a font shows otherwise than it reads
        self._read_to_unicode(font.get("/ToUnicode"), label)
        if self.composite:
            self._read_composite(font)
        else:
            self._read_simple(font)
        self._read_face(font)
        if self.symbolic and not (
            self.embedded or self.composite or self.to_unicode or self.ranges
        ):
            # a symbol font's built-in encoding is its own (Symbol's "n" is a nu): only the
            # glyph names the font gives are read
            self.encoding = {
                code: text for code, text in self.encoding.items() if code in self.names
            }
        #: whether a width is below nothing (the pen goes back after the glyph)
        self.backwards = self.default_width < 0 or any(w < 0 for w in self.widths.values())

    def _read_face(self, font: DictionaryObject) -> None:
        """Its name and whether it is italic or bold: the descriptor's ``/ItalicAngle`` or
        italic flag, its bold flag or ``/FontWeight`` (600 or more), else the name."""
        name = _text_of(_resolve(font.get("/BaseFont")))
        if name is None:
            base = _resolve(font.get("/BaseFont"))
            name = str(base).lstrip("/") if isinstance(base, NameObject) else ""
        name = _SUBSET_TAG.sub("", name)
        descriptor = _resolve(font.get("/FontDescriptor"))
        if not isinstance(descriptor, DictionaryObject) and self.composite:
            descendants = _resolve(font.get("/DescendantFonts"))
            if isinstance(descendants, ArrayObject) and descendants:
                cid = _resolve(descendants[0])
                if isinstance(cid, DictionaryObject):
                    descriptor = _resolve(cid.get("/FontDescriptor"))
        italic = bool(_ITALIC_NAME.search(name))
        bold = bool(_BOLD_NAME.search(name))
        self.symbolic = name in ("Symbol", "ZapfDingbats")
        if isinstance(descriptor, DictionaryObject):
            programs = sum(key in descriptor for key in _FONT_FILES)
            # with more than one, which a viewer draws with is its own choice: may draw
            self.program_ref = descriptor.get("/FontFile2") if programs == 1 else None
            self.embedded = programs > 0
            flags = int(_number(_resolve(descriptor.get("/Flags")), 0)) & 0xFFFFFFFF
            angle = _number(_resolve(descriptor.get("/ItalicAngle")), 0.0)
            weight = _number(_resolve(descriptor.get("/FontWeight")), 0.0)
            italic = italic or angle != 0 or bool(flags & _FLAG_ITALIC)
            self.symbolic = self.symbolic or bool(flags & _FLAG_SYMBOLIC)
            bold = bold or weight >= 600 or bool(flags & _FLAG_BOLD)
        self.face = FontFace(name[:200], italic, bold)

    def _read_to_unicode(self, ref: Any, label: str) -> None:
        stream = _resolve(ref)
        if not isinstance(stream, StreamObject):
            return
        data = stream.get_data()
        if len(data) > MAX_CMAP_BYTES:
            raise ReadError(f"{label}: a font's /ToUnicode map is larger than {MAX_CMAP_BYTES}")
        spaces = [
            len(lo) // 2
            for block in _CODESPACE.findall(data)
            for lo, _hi in _HEX_PAIR.findall(block)
        ]
        if self.composite and spaces and len(set(spaces)) == 1:
            self.bytes = max(1, min(4, spaces[0]))
        for block in _BFCHAR.findall(data):
            for src, dst in _HEX_PAIR.findall(block):
                if src:
                    self.to_unicode[int(src, 16)] = _utf16(_hex_bytes(dst))
        for block in _BFRANGE.findall(data):
            for lo, hi, dst, array in _RANGE_ENTRY.findall(block):
                first, last = int(lo, 16), int(hi, 16)
                if last < first:
                    continue
                if array:
                    names = [_utf16(_hex_bytes(h)) for h in _HEX.findall(array)]
                    self.ranges.append((first, last, names))
                elif dst:
                    self.ranges.append((first, last, _hex_bytes(dst)))

    def _read_simple(self, font: DictionaryObject) -> None:
        first = int(_number(_resolve(font.get("/FirstChar")), 0))
        widths = _resolve(font.get("/Widths"))
        if isinstance(widths, ArrayObject):
            for i, w in enumerate(widths[:256]):
                self.widths[first + i] = _number(_resolve(w), 0.0)
        descriptor = _resolve(font.get("/FontDescriptor"))
        if isinstance(descriptor, DictionaryObject) and "/MissingWidth" in descriptor:
            self.default_width = _number(_resolve(descriptor["/MissingWidth"]), 500.0)
        encoding = _resolve(font.get("/Encoding"))
        base = encoding
        differences: list[Any] = []
        if isinstance(encoding, DictionaryObject):
            base = encoding.get("/BaseEncoding")
            found = _resolve(encoding.get("/Differences"))
            differences = list(found) if isinstance(found, ArrayObject) else []
        codec = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}.get(str(base))
        for code in range(256):
            if codec is not None:
                try:
                    self.encoding[code] = bytes([code]).decode(codec)
                except UnicodeDecodeError:
                    continue
            elif 0x20 <= code < 0x7F and not self.type3:  # the standard encoding's ASCII
                self.encoding[code] = {0x27: "\u2019", 0x60: "\u2018"}.get(code, chr(code))
        code = 0
        for item in differences[:1024]:
            item = _resolve(item)
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                code = int(item)
            elif isinstance(item, str):
                self.encoding[code] = _glyph_name_text(str(item).lstrip("/"))
                self.names[code] = str(item).lstrip("/")[:128]
                code += 1

    def _read_composite(self, font: DictionaryObject) -> None:
        encoding = str(_resolve(font.get("/Encoding", "")))
        self.utf16 = "UCS2" in encoding or "UTF16" in encoding
        if encoding != "/Identity-H":
            # written vertically (a -V CMap, /WMode 1), or codes taken to CIDs by a CMap the
            # reader does not follow: briefkit writes no such font
            self.foreign = "fonts written vertically or through a character map"
        elif self.bytes != 2:
            # Identity-H codes are two bytes, whatever /ToUnicode's code space says
            self.foreign = "fonts whose /ToUnicode codes are not their own"
            self.bytes = 2
        descendants = _resolve(font.get("/DescendantFonts"))
        if not isinstance(descendants, ArrayObject) or not descendants:
            return
        cid = _resolve(descendants[0])
        if not isinstance(cid, DictionaryObject):
            return
        gids = _resolve(cid.get("/CIDToGIDMap", NameObject("/Identity")))
        if isinstance(gids, StreamObject):
            self.cid_to_gid = gids.get_data()[: 2 * 65_536]
        else:
            self.cid_to_gid = b""
        self.default_width = _number(_resolve(cid.get("/DW")), 1000.0)
        widths = _resolve(cid.get("/W"))
        if not isinstance(widths, ArrayObject):
            return
        items = [_resolve(x) for x in widths[:MAX_ARRAY]]
        i = 0
        while i + 1 < len(items):
            start = int(_number(items[i]))
            nxt = items[i + 1]
            if isinstance(nxt, ArrayObject):
                for k, w in enumerate(nxt[:MAX_ARRAY]):
                    self.widths[start + k] = _number(_resolve(w))
                i += 2
            elif i + 2 < len(items):
                last = int(_number(nxt))
                width = _number(items[i + 2])
                for c in range(start, min(last, start + MAX_ARRAY) + 1):
                    self.widths[c] = width
                i += 3
            else:
                break

    def _text(self, code: int) -> str:
        found = self.to_unicode.get(code)
        if found is not None:
            return found
        for first, last, dst in self.ranges:
            if first <= code <= last:
                if isinstance(dst, list):
                    k = code - first
                    return dst[k] if k < len(dst) else UNKNOWN_GLYPH
                if not dst:
                    return UNKNOWN_GLYPH
                value = int.from_bytes(dst, "big") + code - first
                if value >= 1 << (8 * len(dst)):  # past the last value the range can give
                    return UNKNOWN_GLYPH
                return _utf16(value.to_bytes(len(dst), "big"))
        if self.composite:
            if self.utf16 and 0 < code < 0xD800:
                return chr(code)
            return UNKNOWN_GLYPH
        text = self.encoding.get(code)
        return UNKNOWN_GLYPH if not text or text == "\x00" else text

    def glyphs(self, data: bytes) -> Iterator[tuple[int, int, str, float]]:
        """``(code, length in bytes, text, width)`` for each character code of ``data``."""
        step = self.bytes
        for i in range(0, len(data) - step + 1, step):
            code = int.from_bytes(data[i : i + step], "big") if step > 1 else data[i]
            known = self.cache.get(code)
            if known is None:
                width = self.widths.get(code, self.default_width) * self.scale
                text = self._text(code)
                if _blank(text) and self.inked(code, text):
                    text = UNKNOWN_GLYPH  # it shows something, and reads as nothing
                known = self.cache[code] = (text, width)
            yield code, step, known[0], known[1]

    def inked(self, code: int, reads: str | None = None) -> bool:
        """Whether the glyph of ``code``, which ``/ToUnicode`` ``reads`` as, may draw
        something: in the embedded TrueType program (see :mod:`._ink`); with a program of
        another kind (briefkit embeds none), more than one program, or one that cannot be read,
        or of a CIDFont with none, it may; of a simple font with none, when its encoding names
        a visible character (a viewer draws that glyph of the font it puts in its place)."""
        if self.program is None and self.program_ref is not None:
            stream, self.program_ref = _resolve(self.program_ref), None
            if isinstance(stream, StreamObject):
                data = stream.get_data()
                program = _ink.Program(data) if len(data) <= _ink.MAX_PROGRAM_BYTES else None
                if program is not None and program.usable:
                    self.program = program
        if self.program is not None:
            if self.composite:
                return self.program.shows(code, cid_to_gid=self.cid_to_gid)
            return self.program.shows(
                code, named=self.encoding.get(code), reads=reads, name=self.names.get(code)
            )
        if self.embedded or self.composite:
            return True
        return not _blank(self.encoding.get(code, ""))


# -- geometry --------------------------------------------------------------------------------


def _mul(a: Matrix, b: Matrix) -> Matrix:
    """``a`` then ``b`` (PDF's row-vector convention: ``a × b``)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _matrix(operands: list[Any]) -> Matrix | None:
    if len(operands) < 6:
        return None
    values = [_number(v, math.nan) for v in operands[-6:]]
    if any(math.isnan(v) for v in values):
        return None
    return (values[0], values[1], values[2], values[3], values[4], values[5])


#: A box that holds every point (standing for no box at all).
_EVERYWHERE: Box = (-math.inf, -math.inf, math.inf, math.inf)


def _inside(box: Box | None, x: float, y: float) -> bool:
    return box is None or (box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _intersect(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _box_of(points: list[tuple[float, float]]) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


# -- colour ----------------------------------------------------------------------------------

Rgb: TypeAlias = tuple[float, float, float]
_DEVICE_SPACES = {"DeviceGray": 1, "DeviceRGB": 3, "DeviceCMYK": 4, "G": 1, "RGB": 3, "CMYK": 4}


def _rgb(components: list[float]) -> Rgb | None:
    c = [min(1.0, max(0.0, v)) for v in components]
    if len(c) == 1:
        return (c[0], c[0], c[0])
    if len(c) == 3:
        return (c[0], c[1], c[2])
    if len(c) == 4:
        k = c[3]
        return ((1 - c[0]) * (1 - k), (1 - c[1]) * (1 - k), (1 - c[2]) * (1 - k))
    return None


_WHITE: Rgb = (1.0, 1.0, 1.0)
_BLACK: Rgb = (0.0, 0.0, 0.0)


def _alike(a: Rgb, b: Rgb) -> bool:
    """Whether text in colour ``a`` cannot be told from a background of colour ``b``."""
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]), abs(a[2] - b[2])) < 0.1


def _colour_name(c: Rgb) -> str:
    if _alike(c, _WHITE):
        return "white"
    return "#{:02X}{:02X}{:02X}".format(*(round(v * 255) for v in c))


# -- the interpreter -------------------------------------------------------------------------


@attrs.define
class _State:
    """The graphics state ``q`` saves and ``Q`` restores."""

    ctm: Matrix = _IDENTITY
    fill: Rgb | None = _BLACK  # None: a colour space this reader does not evaluate
    stroke: Rgb | None = _BLACK
    fill_space: int = 1  # components of the current fill colour space (0: not evaluated)
    stroke_space: int = 1
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    line_width: float = 1.0
    clip: Box | None = None
    font: _Font | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render: int = 0


@attrs.define
class _Glyph:
    text: str
    x: float
    y: float
    cx: float
    cy: float
    order: int
    obj: int
    why: str | None
    sep: str  # "", " " or "\n": what stands between this glyph and the one before
    em: float = 0.0  # its size on the page
    style: int = 0  # ITALIC, BOLD
    font: int = -1  # its font's index in the document's fonts
    link: int = -1  # the web link over it (an index into the page's web links)


@attrs.define
class _Cover:
    box: Box
    order: int
    colour: Rgb | None
    what: str


class _Page:
    """Interprets one page (and the form XObjects it draws)."""

    def __init__(
        self,
        page: Any,
        number: int,
        budget: _Budget,
        fonts: dict[int, _Font],
        faces: list[FontFace] | None = None,
    ) -> None:
        self.number = number
        self.budget = budget
        self.fonts = fonts
        self.faces = faces if faces is not None else []
        self.glyphs: list[_Glyph] = []
        self.covers: list[_Cover] = []
        self.objects = 0  # text objects begun
        self.order = 0
        self.strokes = 0
        self.rule: int | None = None
        self.foreign: dict[str, list[str]] = {}
        self.page = page
        self._box: Box | None = None
        self._box_known = False
        self.path: list[tuple[float, float]] = []
        self.path_curved = False
        self.subpaths: list[int] = []  # where in ``path`` each subpath begins
        self.lines: list[Segment] = []  # the straight lines stroked
        self.pending_clip = False
        #: the line of the last string shown (where it started and ended, its direction, the
        #: size of its glyphs on the page)
        self.last: tuple[float, float, float, float, float, float, float] | None = None
        self.fresh = True  # nothing shown yet in the text object begun last
        self.lowest: float | None = None  # the lowest baseline of the text object so far
        self.furthest: float | None = None  # how far right the pen has reached on this line
        self.line_em = 0.0  # the largest size of the strings drawn on this line
        #: where text was drawn back along its line inside a line given in logical order
        self.backs: list[int] = []
        self.marked: list[str | None] = []  # the alt text of each open marked content
        #: for each open marked content: where the glyphs of a line given in logical order
        #: start, that text and its base level (see :meth:`put_in_logical_order`)
        self.spans: list[tuple[int, str, int] | None] = []
        self.open_spans = 0  # how many of ``spans`` are lines given in logical order
        #: the lines given in logical order, closed: where their glyphs start and end, their
        #: text and base level (put in order when the page is read: see :meth:`result`)
        self.logical: list[tuple[int, int, str, int]] = []
        #: for each space drawn with word spacing inside such a line (by its index in
        #: ``glyphs``): how much further along the page the pen moved after it than its width
        #: (a justified line's spaces are widened so)
        self.spread: dict[int, float] = {}
        self.nested_span = False
        self.images: list[DrawnImage] = []
        self.decoded: dict[int, Any] = {}  # each image XObject's pixels, decoded once

    @property
    def box(self) -> Box | None:
        """The part of the page a viewer shows: its crop box within its media box."""
        if not self._box_known:
            self._box, self._box_known = _page_box(self.page), True
        return self._box

    def note(self, kind: str, detail: str = "") -> None:
        found = self.foreign.setdefault(kind, [])
        if detail and len(found) < 3:
            found.append(detail)
        elif not detail and not found:
            found.append("")

    # -- resources

    def font(self, resources: Mapping[str, Any], name: object) -> _Font | None:
        fonts = _resolve(resources.get("/Font"))
        if not isinstance(fonts, DictionaryObject):
            return None
        ref = fonts.get(f"/{name}")
        if ref is None:
            return None
        key = ref.idnum if isinstance(ref, IndirectObject) else id(_resolve(ref))
        found = self.fonts.get(key)
        if found is None:
            found = self.fonts[key] = _Font(ref, self.budget.label)
        return found

    # -- running a content stream

    def run(self, data: bytes, resources: Mapping[str, Any], state: _State, depth: int) -> None:
        self.budget.take(len(data))
        stack: list[_State] = []
        in_text = False
        tm = tlm = _IDENTITY
        for op, args in _operations(data, self.budget):
            self.order += 1
            if not _operands_fit(op, args):
                # a viewer skips it, or reads it otherwise: what shows is not what it runs as
                self.note("malformed content", op if op != _MALFORMED else "")
                continue
            if op == "q":
                if len(stack) >= MAX_DEPTH * 64:
                    raise self.budget.fail("graphics states saved too deeply")
                stack.append(attrs.evolve(state))
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "cm":
                m = _matrix(args)
                if m is not None:
                    state.ctm = _mul(m, state.ctm)
            elif op == "BT":
                in_text = True
                tm = tlm = _IDENTITY
                self.begin_text_object()
            elif op == "ET":
                in_text = False
            elif op in ("Tj", "TJ", "'", '"'):
                if not in_text:  # text outside BT … ET: still drawn by lenient viewers
                    self.begin_text_object()
                    in_text = True
                if op in ("'", '"'):
                    if op == '"' and len(args) >= 3:
                        state.word_spacing = _number(args[0])
                        state.char_spacing = _number(args[1])
                    tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), tlm)
                    tm = tlm
                items = args[-1] if args else b""
                for item in items if isinstance(items, list) else [items]:
                    if isinstance(item, bytes):
                        tm = self.show(item, state, tm)
                    elif isinstance(item, (int, float)) and not isinstance(item, bool):
                        shift = -_number(item) / 1000 * state.size * state.scale
                        tm = _mul((1.0, 0.0, 0.0, 1.0, shift, 0.0), tm)
            elif op in ("Td", "TD"):
                if len(args) >= 2:
                    tx, ty = _number(args[-2]), _number(args[-1])
                    if op == "TD":
                        state.leading = -ty
                    tlm = _mul((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
                    tm = tlm
            elif op == "Tm":
                m = _matrix(args)
                if m is not None:
                    tm = tlm = m
            elif op == "T*":
                tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), tlm)
                tm = tlm
            elif op in _TEXT_STATE:
                self.text_state(op, args, state, resources)
            else:
                self.graphics(op, args, state, resources, depth)

    def text_state(
        self, op: str, args: list[Any], state: _State, resources: Mapping[str, Any]
    ) -> None:
        value = _number(args[-1]) if args else 0.0
        if op == "Tf":
            if len(args) >= 2:
                state.font = self.font(resources, args[-2])
                state.size = value
                if state.font is not None and state.font.type3:
                    self.note("Type 3 fonts")
                if state.font is not None and state.font.foreign:
                    self.note(state.font.foreign)
        elif op == "Tc":
            state.char_spacing = value
        elif op == "Tw":
            state.word_spacing = value
        elif op == "Tz":
            state.scale = value / 100
        elif op == "TL":
            state.leading = value
        elif op == "Ts":
            state.rise = value
        elif op == "Tr":
            state.render = int(value)
            if state.render in (4, 5, 6, 7):
                # the glyphs' outlines become the clipping path: text drawn after may vanish
                self.note("text used as a clipping path")

    def graphics(
        self, op: str, args: list[Any], state: _State, resources: Mapping[str, Any], depth: int
    ) -> None:
        if op in _COLOUR:
            self.colour(op, args, state, resources)
        elif op == "w":
            state.line_width = _number(args[-1], 1.0) if args else 1.0
        elif op == "d" and args and args[0]:
            # a dashed line: gaps anywhere, even in a glyph's outline (briefkit draws none)
            self.note("dashed lines")
        elif op in _PATH:
            self.path_op(op, args, state)
        elif op in ("W", "W*"):
            self.pending_clip = True
        elif op in _PAINT:
            self.paint(op, state)
        elif op == "gs":
            self.ext_state(args, state, resources)
        elif op == "Do":
            self.xobject(args, state, resources, depth)
        elif op == "BI":
            self.note("images")
            self.cover(state, "an image", None)
        elif op == "sh":
            self.note("shadings")
            box = state.clip or self.box or (-1e9, -1e9, 1e9, 1e9)
            self.add_cover(box, None, "a shading")
        elif op in ("BDC", "DP") and len(args) >= 1 and args[0] == "OC":
            self.note("optional content")
            if op == "BDC":
                self.marked.append(None)
                self.spans.append(None)
        elif op in ("BMC", "BDC"):
            self.marked.append(_alt(args) if op == "BDC" else None)
            span = _logical_span(args, len(self.glyphs)) if op == "BDC" else None
            if span is not None:
                if self.open_spans:
                    self.nested_span = True  # a line inside a line: none of them is ordered
                self.open_spans += 1
            self.spans.append(span)
        elif op == "EMC" and self.marked:
            self.marked.pop()
            span = self.spans.pop()
            if span is not None:
                self.open_spans -= 1
                start, text, base = span
                self.logical.append((start, len(self.glyphs), text, base))

    def put_in_logical_order(self, start: int, end: int, text: str, base: int) -> bool:
        """Read the glyphs ``start:end`` — a line drawn in display order, inside a span that
        gives its text in logical order (see :func:`_logical_span`) — in logical order, when
        they show that text by the writer's rules; otherwise they stay as drawn, and a line
        that does not read as its text is reported as any other.

        * The base level is 0 (left to right) and the only direction controls of the text are
          the writer's isolates (:data:`._container.TEXT_KEY`): FIRST STRONG ISOLATE exactly
          inside each quotation the text holds whole (:func:`~briefkit._text.quoted_passages`
          of the text without its isolates), LEFT-TO-RIGHT ISOLATE around glyphs all under
          one web link or around a note's mark (raised digits), never inside a quotation's.
          So the order a page shows follows from its visible characters.
        * Put in display order by the Unicode Bidirectional Algorithm, the text must be the
          glyphs' own texts, left to right, each the characters of one cluster (a space of
          any kind as a space). A glyph that reads as :data:`._container.FURTHER_GLYPH`,
          starting within an em of the ends of the glyph drawn before it, in the same face,
          where the text holds no such character, is a further glyph of the cluster before (a
          vowel sign drawn before its consonant, a conjunct's second glyph, a dotted circle
          under a sign with no letter) and is left out: no more than :func:`_further_glyphs`
          allows.
        * The glyphs stand on one line (within an em of the first one's baseline), each glyph
          with a width to the right of the one with a width before it (a glyph without width,
          a mark, within an em of that one's ends: those of its cluster's further glyphs too,
          and a space's end is where the pen stands after it, past the word spacing that
          widens it on a justified line), so glyphs moved to read in another order on the page
          than in the file are not put in order."""
        count = end - start
        if base != 0 or not count or count > 2 * len(text) or len(text) > 4 * count + 64:
            # no text is much longer than its glyphs, nor has half as many characters: this
            # keeps the work of a span within its own text's size, however many a page has
            return False
        drawn = self.glyphs[start:end]
        first_glyph = drawn[0]
        if any(g.obj != first_glyph.obj for g in drawn):
            return False
        isolates = _isolates(text)
        if isolates is None:
            return False
        plain = "".join(ch for ch in text if ch not in _ISOLATES)
        quoted = {(a + 1, b - 1) for a, b, _inner in quoted_passages(plain)}
        if {(a, b) for kind, a, b in isolates if kind == _FSI} != quoted:
            return False
        _base, levels = _bidi.paragraph_levels(text, 0)
        order = [
            i for i in _bidi.line_order(text, levels, 0, 0, len(text)) if text[i] not in _ISOLATES
        ]
        at_plain = [0] * (len(text) + 1)  # the index in ``plain`` of each index of ``text``
        k = 0
        for i, ch in enumerate(text):
            at_plain[i] = k
            if ch not in _ISOLATES:
                k += 1
        placed: list[tuple[int, _Glyph]] = []
        of: dict[int, _Glyph] = {}  # the glyph each character of ``plain`` is read from
        at = 0
        before: _Glyph | None = None  # the last glyph drawn
        wide: _Glyph | None = None  # the last glyph with a width
        wide_end = 0.0  # where its cluster ends: its further glyphs, the word spacing after it
        further = 0  # how many more glyphs the cluster of the last one read may have
        for index, glyph in enumerate(drawn, start):
            em = max(glyph.em, first_glyph.em)
            if abs(glyph.y - first_glyph.y) > em:
                return False  # not on the line
            size = len(glyph.text)
            if (
                glyph.text == FURTHER_GLYPH
                and before is not None
                and self._one_face(glyph.font, before.font)  # a cluster is shaped in one face
                and further > 0
                and not (at < len(order) and text[order[at]] == FURTHER_GLYPH)
                and before.x - em <= glyph.x <= 2 * before.cx - before.x + em
            ):
                before = glyph  # a further glyph of the cluster before, next to the last
                further -= 1
                if glyph.link != NO_PLACE:  # with a width: the cluster ends where it does
                    wide_end = max(wide_end, 2 * glyph.cx - glyph.x)
                continue
            block = order[at : at + size]
            if len(block) != size or not size:
                return False
            low, high = min(block), max(block)
            cluster = "".join(ch for ch in text[low : high + 1] if ch not in _ISOLATES)
            if len(cluster) != size or (
                cluster != glyph.text and not (cluster.isspace() and glyph.text.isspace())
            ):
                return False
            if glyph.link == NO_PLACE:  # without width: a mark, over or next to its glyph
                if wide is not None and not wide.x - em <= glyph.x <= wide_end + em:
                    return False  # not within an em of the glyph with a width before it
            else:
                if wide is not None and glyph.x < wide.x + _ONWARD:
                    return False  # drawn left of the glyph before: not in display order
                wide = glyph
                wide_end = 2 * glyph.cx - glyph.x + self.spread.get(index, 0.0)
            placed.append((low, glyph))
            for i in range(low, high + 1):
                of[at_plain[i]] = glyph
            before = glyph
            further = _further_glyphs(cluster)
            if high + 1 < len(text) and _split(text[high + 1]):
                # a split vowel next, of its own cluster: its first part is drawn before this
                # consonant and read with it (Bengali KA, O shaped as E-part, KA, AA-part)
                further += 1
            at += size
        if at != len(order):
            return False
        for kind, a, b in isolates:
            shown = [of[i] for i in range(a, b) if i in of]
            if kind == _LRI and not self._isolated_link(plain[a:b], shown, isolates, a, b):
                return False
        placed.sort(key=lambda item: item[0])
        sep = self.glyphs[start].sep
        for _first, glyph in placed:
            glyph.sep, sep = sep, ""
        self.glyphs[start:end] = [glyph for _first, glyph in placed]
        return True

    def _one_face(self, one: int, other: int) -> bool:
        """Whether fonts ``one`` and ``other`` are subsets of one face (a face of more than
        256 glyphs used is written as several fonts)."""
        if one == other:
            return True
        faces = self.faces
        return 0 <= one < len(faces) and 0 <= other < len(faces) and faces[one] == faces[other]

    @staticmethod
    def _isolated_link(
        words: str, glyphs: list[_Glyph], isolates: list[tuple[str, int, int]], a: int, b: int
    ) -> bool:
        """Whether a left-to-right isolate over ``words`` (drawn by ``glyphs``; ``a:b`` in the
        text without isolates) is one the writer makes: not inside a quotation's isolate,
        around glyphs all under one web link, or around a note's mark (digits raised by at
        least :data:`_RAISED` of an em)."""
        if not words or not glyphs:
            return False
        if any(kind == _FSI and qa <= a and b <= qb for kind, qa, qb in isolates):
            return False
        links = {g.link for g in glyphs if g.link != NO_PLACE}
        if len(links) == 1 and min(links) >= 0:
            return True
        # a raised glyph's centre stands higher above its origin than a third of an em (the
        # text rise is drawn above the origin: see :meth:`show`)
        return (
            words.isdigit()
            and words.isascii()
            and all(g.cy - g.y > (0.35 + _RAISED) * g.em for g in glyphs)
        )

    def colour(self, op: str, args: list[Any], state: _State, resources: Mapping[str, Any]) -> None:
        stroke = op.isupper()
        values = [_number(v) for v in args if isinstance(v, (int, float))]
        if op in ("cs", "CS"):
            comps = self.space(args[-1] if args else None, resources)
            if stroke:
                state.stroke_space = comps
                state.stroke = _BLACK if comps else None
            else:
                state.fill_space = comps
                state.fill = _BLACK if comps else None
            return
        device = {"g": 1, "rg": 3, "k": 4}.get(op.lower())
        if device is not None:
            comps = device
            found = _rgb(values[-comps:]) if len(values) >= comps else None
        else:  # sc, scn, SC, SCN in the current colour space
            comps = state.stroke_space if stroke else state.fill_space
            found = _rgb(values[-comps:]) if comps and len(values) >= comps else None
        if stroke:
            state.stroke, state.stroke_space = found, comps
        else:
            state.fill, state.fill_space = found, comps

    def space(self, name: object, resources: Mapping[str, Any]) -> int:
        """Components of a colour space that is gray, RGB or CMYK; 0 for any other."""
        key = str(name)
        if key in _DEVICE_SPACES:
            return _DEVICE_SPACES[key]
        spaces = _resolve(resources.get("/ColorSpace"))
        found = _resolve(spaces.get(f"/{key}")) if isinstance(spaces, DictionaryObject) else None
        if isinstance(found, ArrayObject) and found:
            family = str(found[0])
            # a profile, or a calibrated space's gamma and matrix, may turn a dark value light:
            # briefkit sets colours in the device spaces only
            self.note("colour spaces other than gray, RGB and CMYK", key)
            if family == "/ICCBased" and len(found) > 1:
                stream = _resolve(found[1])
                n = (
                    int(_number(_resolve(stream.get("/N")), 0))
                    if isinstance(stream, DictionaryObject)
                    else 0
                )
                return n if n in (1, 3, 4) else 0
            return {"/CalGray": 1, "/CalRGB": 3}.get(family, 0)
        if found is not None and str(found).lstrip("/") in _DEVICE_SPACES:
            return _DEVICE_SPACES[str(found).lstrip("/")]
        self.note("colour spaces other than gray, RGB and CMYK", key)
        return 0

    def ext_state(self, args: list[Any], state: _State, resources: Mapping[str, Any]) -> None:
        states = _resolve(resources.get("/ExtGState"))
        if not args or not isinstance(states, DictionaryObject):
            return
        found = _resolve(states.get(f"/{args[-1]}"))
        if not isinstance(found, DictionaryObject):
            return
        if "/ca" in found:
            state.fill_alpha = _number(_resolve(found["/ca"]), 1.0)
        if "/CA" in found:
            state.stroke_alpha = _number(_resolve(found["/CA"]), 1.0)
        if "/LW" in found:
            state.line_width = _number(_resolve(found["/LW"]), 1.0)
        changing = sorted(key for key in _CHANGING_STATE if key in found)
        if changing:
            # another font than Tf set, or colours turned by transfer, black generation,
            # undercolour removal or halftone functions: what shows is not what is read
            self.note("graphics state parameters that change what is drawn", changing[0])
        smask = _resolve(found.get("/SMask"))
        blend = str(_resolve(found.get("/BM", "/Normal")))
        if (
            state.fill_alpha < 1
            or state.stroke_alpha < 1
            or (smask is not None and str(smask) != "/None")
            or blend not in ("/Normal", "/Compatible")
        ):
            self.note("transparency")

    def xobject(
        self, args: list[Any], state: _State, resources: Mapping[str, Any], depth: int
    ) -> None:
        objects = _resolve(resources.get("/XObject"))
        if not args or not isinstance(objects, DictionaryObject):
            return
        found = _resolve(objects.get(f"/{args[-1]}"))
        if not isinstance(found, StreamObject):
            return
        subtype = str(found.get("/Subtype", ""))
        if "/OC" in found:
            self.note("optional content")  # a viewer may leave it out, or show it
        if subtype == "/Image":
            masks = [key for key in _IMAGE_MASKS if key in found]
            if masks:  # some of its pixels are not painted: the figure is not as it reads
                self.note("masked images", masks[0])
            self.cover(state, "an image", None)
            corners = [_apply(state.ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
            alt = next((a for a in reversed(self.marked) if a is not None), None)
            key = id(found)
            if key not in self.decoded:
                self.decoded[key] = _pixels(found, self.budget)
            self.images.append(DrawnImage(_box_of(corners), alt, self.decoded[key]))
            return
        if subtype != "/Form":
            return
        self.note("form XObjects")
        if depth >= MAX_FORM_DEPTH:
            raise self.budget.fail("form XObjects nested too deeply")
        inner = attrs.evolve(state)
        matrix = _resolve(found.get("/Matrix"))
        m = _matrix([_resolve(v) for v in matrix[:6]]) if isinstance(matrix, ArrayObject) else None
        if m is not None:
            inner.ctm = _mul(m, inner.ctm)
        bbox = _resolve(found.get("/BBox"))
        if isinstance(bbox, ArrayObject) and len(bbox) == 4:
            x0, y0, x1, y1 = (_number(_resolve(v)) for v in bbox)
            corners = [_apply(inner.ctm, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
            inner.clip = _intersect(inner.clip, _box_of(corners))
        own = _resolve(found.get("/Resources"))
        self.run(
            found.get_data(),
            own if isinstance(own, DictionaryObject) else resources,
            inner,
            depth + 1,
        )

    # -- paths and painting

    def path_op(self, op: str, args: list[Any], state: _State) -> None:
        values = [_number(v) for v in args]
        if op == "re" and len(values) >= 4:
            x, y, w, h = values[-4:]
            self.path.extend(
                _apply(state.ctm, px, py)
                for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))
            )
            self.path_curved = True  # a rectangle is not the writer's straight rule
        elif op in ("m", "l") and len(values) >= 2:
            if op == "m" or not self.path:
                self.subpaths.append(len(self.path))
            self.path.append(_apply(state.ctm, values[-2], values[-1]))
        elif op in ("c", "v", "y") and len(values) >= 4:
            pairs = list(zip(values[0::2], values[1::2], strict=False))
            self.path.extend(_apply(state.ctm, px, py) for px, py in pairs)
            self.path_curved = True
        if len(self.path) > MAX_ARRAY:
            raise self.budget.fail(f"a path of more than {MAX_ARRAY} points")

    def paint(self, op: str, state: _State) -> None:
        box = _box_of(self.path) if self.path else None
        fills = op in ("f", "F", "f*", "B", "B*", "b", "b*")
        strokes = op in ("S", "s", "B", "B*", "b", "b*")
        if strokes and box is not None:
            self.strokes += 1
            if self.rule is None:
                self.rule = self.objects
            width = state.line_width * math.sqrt(
                abs(state.ctm[0] * state.ctm[3] - state.ctm[1] * state.ctm[2])
            )
            if not self.path_curved:
                self.straight(width)
            if width > 1.0 or self.path_curved:
                self.note("lines wider than 1 pt, curves or rectangles")
                if width >= 2:
                    half = width / 2
                    grown = (box[0] - half, box[1] - half, box[2] + half, box[3] + half)
                    self.add_cover(
                        grown, state.stroke if state.stroke_alpha >= 0.5 else None, "a line"
                    )
        if fills and box is not None:
            x0, y0, x1, y1 = box
            colour = state.fill
            self.note(
                "filled shapes",
                f"({x0:.0f}, {y0:.0f})–({x1:.0f}, {y1:.0f})"
                + (f" in {_colour_name(colour)}" if colour is not None else ""),
            )
            if state.fill_alpha >= 0.5:
                self.add_cover(box, colour, "a filled shape")
        if self.pending_clip:
            self.note("clipping paths")
            if box is not None:
                state.clip = _intersect(state.clip, box)
            self.pending_clip = False
        self.path = []
        self.path_curved = False
        self.subpaths = []

    def straight(self, width: float) -> None:
        """Keep the segments of a stroked path of straight lines; a slanted one is foreign."""
        starts = [*self.subpaths, len(self.path)]
        for a, b in itertools.pairwise(starts):
            for (x0, y0), (x1, y1) in itertools.pairwise(self.path[a:b]):
                if abs(y1 - y0) > 0.1 and abs(x1 - x0) > 0.1:
                    self.note("slanted lines")
                if len(self.lines) < MAX_PAGE_OPERATORS:
                    self.lines.append((x0, y0, x1, y1, width))

    def cover(self, state: _State, what: str, colour: Rgb | None) -> None:
        corners = [_apply(state.ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
        self.add_cover(_box_of(corners), colour, what)

    def add_cover(self, box: Box, colour: Rgb | None, what: str) -> None:
        if len(self.covers) >= MAX_PAGE_FILLS:
            raise self.budget.fail(
                f"more than {MAX_PAGE_FILLS} filled shapes, images or shadings "
                "(briefkit draws none)"
            )
        self.covers.append(_Cover(box, self.order, colour, what))

    # -- text

    def show(self, data: bytes, state: _State, tm: Matrix) -> Matrix:
        """Place the glyphs of one string; returns the text matrix after them. Within a
        string the pen only moves along the baseline, so the matrices are worked out once."""
        font = state.font
        if font is None:  # no font set: every glyph reads as unknown
            font = self.fonts.get(-1)
            if font is None:
                font = self.fonts[-1] = _Font(None, self.budget.label)
        size, scale, rise = state.size, state.scale, state.rise
        if len(data) < font.bytes:
            return tm  # no glyph: nothing shown, nor moved (an empty string counts for no line)
        line = _mul(tm, state.ctm)
        a, b, c, d, e, f = line
        if abs(b) > _UPRIGHT * abs(a) or a <= 0 or d <= 0 or scale <= 0 or size < 0:
            # briefkit sets every line upright and left to right: a line turned, mirrored or
            # run backwards reads otherwise than the rules of reading order below assume
            self.note("text turned, mirrored or drawn backwards")
        if abs(rise) > _RISE * abs(size):
            self.note("text raised or lowered further than a note's mark")
        # the glyph matrix (size, scale and rise) of a glyph at the start of the string
        ta, tb, tc, td = size * scale * a, size * scale * b, size * c, size * d
        fixed = self.state_why(state, min(math.hypot(ta, tb), math.hypot(tc, td)))
        rx, ry = rise * c, rise * d
        space_glyph = font.bytes == 1
        if font.index < 0:
            font.index = len(self.faces)
            self.faces.append(font.face)
        style = (ITALIC if font.face.italic else 0) | (BOLD if font.face.bold else 0)
        lengths = math.hypot(ta, tb) * math.hypot(tc, td)
        if lengths > 0 and abs(ta * tc + tb * td) > _SLANT * lengths:
            style |= ITALIC  # a slanted glyph reads as italics
        if state.render in (2, 6):
            style |= BOLD  # filled and stroked: a heavier glyph
        glyphs = self.glyphs
        order, obj = self.order, self.objects
        em = min(math.hypot(ta, tb), math.hypot(tc, td))
        if state.render in (1, 2, 5, 6):
            ctm = state.ctm
            stroke = abs(state.line_width) * math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
            if stroke > _STROKE * em:
                # a wide outline paints far past the glyph, over the text around it
                self.note("text stroked wider than a tenth of its size")
        found = list(font.glyphs(data))
        # a string of white space shows nothing: it stands for no line and no place on one
        blank = all(text.isspace() for _code, _n, text, _width in found)
        # the rise moves the glyphs off the baseline: a line is held to where they stand too
        sep = "" if blank else self.separator(line, size, em, (rx, ry))
        back = -_BACK * abs(size)  # how far back a glyph may start from where the one before ends
        shift = 0.0  # how far the pen has moved along the baseline, in text space
        # without shapes drawn, a glyph inside the page and its clipping path is seen
        # (:meth:`place_why`): those glyphs are told apart here without the call
        plain = fixed is None and not self.covers
        page = self.box if self.box is not None else _EVERYWHERE
        clip = state.clip if state.clip is not None else _EVERYWHERE
        px0, py0, px1, py1 = max(page[0], clip[0]), max(page[1], clip[1]), page[2], page[3]
        qx1, qy1 = clip[2], clip[3]
        if len(glyphs) + len(data) // font.bytes > MAX_PAGE_OPERATORS:
            raise self.budget.fail(f"more than {MAX_PAGE_OPERATORS} glyphs")
        index, char_spacing, word_spacing = font.index, state.char_spacing, state.word_spacing
        # a glyph's advance is its width plus the character spacing (and the word spacing
        # after a space): spacing below -0.2 em, or a width below nothing, draws the next
        # glyph back over this one ("47" shown as "74")
        first = len(glyphs)
        if (
            char_spacing < back
            or (space_glyph and char_spacing + word_spacing < back and 32 in data)
            or font.backwards
        ):
            self.back_within(first + 1)
        # spacing below nothing, however little, may add up to a move back within the string:
        # its glyphs are then looked at one by one (briefkit never sets it)
        backwards = char_spacing < 0 or (space_glyph and word_spacing < 0)
        spread = self.spread if word_spacing and self.open_spans else None
        place_why, append = self.place_why, glyphs.append
        # the offsets of the glyph's centre from its origin: half its width along the
        # baseline (``wa``, ``wb`` for each unit of width), a third of an em up (and the rise)
        wa, wb = ta / 2, tb / 2
        ua, ub = 0.35 * tc, 0.35 * td
        for code, _n, text, width in found:
            x, y = e + shift * a, f + shift * b
            cx = x + width * wa + ua + rx
            cy = y + width * wb + ub + ry
            if plain and px0 <= cx <= px1 and py0 <= cy <= py1 and cx <= qx1 and cy <= qy1:
                why = None
            else:
                why = fixed or place_why(state, cx, cy)
            # a glyph without width (a combining mark) stands where the one before it ends:
            # no link can be told to hold it or not
            append(
                _Glyph(
                    text,
                    x,
                    y,
                    cx,
                    cy,
                    order,
                    obj,
                    why,
                    sep,
                    em,
                    style,
                    index,
                    -1 if width else NO_PLACE,
                )
            )
            sep = ""
            advance = width * size + char_spacing
            if space_glyph and code == 32:
                advance += word_spacing
                if spread is not None:
                    spread[len(glyphs) - 1] = word_spacing * scale * a
            shift += advance * scale
        end_x = e + shift * a
        if backwards:
            reach = -math.inf
            for k in range(first, len(glyphs)):
                if glyphs[k].x < reach - _BACK * em:
                    self.back_within(k)
                    break
                reach = max(reach, glyphs[k].x)
            end_x = max(end_x, reach)
        if not blank:
            self.last = (e, f, e + shift * a, f + shift * b, a, b, em)
            self.furthest = end_x if self.furthest is None else max(self.furthest, end_x)
            self.lowest = f if self.lowest is None else min(self.lowest, f)
        return _mul((1.0, 0.0, 0.0, 1.0, shift, 0.0), tm)

    def begin_text_object(self) -> None:
        """A text object begins: nothing shown in it yet, no line of it to be below."""
        self.objects += 1
        self.fresh, self.lowest = True, None

    def back_within(self, at: int) -> None:
        """Text drawn back along its line, at glyph ``at``: out of reading order — unless it is
        inside a line given in logical order, which is read as a whole (and, when it is not
        put in that order, reported then: see :meth:`result`)."""
        if self.open_spans:
            self.backs.append(at)
        else:
            self.note("text drawn back along its line, out of reading order")

    def separator(
        self, line: Matrix, size: float, em: float, rise: tuple[float, float] = (0.0, 0.0)
    ) -> str:
        """What stands between the last glyph placed and one at the origin of ``line`` (in
        glyphs ``em`` high on the page): a newline when the baseline moved, a space when the pen
        jumped along it (nothing for the first string of a text object, which stands apart
        from the one before).

        The page must read in the file's order, as briefkit draws it: each line of a text
        object no higher than its lowest line so far (a line drawn above one drawn before it
        is seen first and read after), and no text drawn back along a line over text drawn
        before it, in this text object or the one before (whose text may go on along the same
        line: a bullet and its item, a table's cells). Distances are in the smaller of the two
        strings' sizes, so a huge space or font cannot stretch them; but a new line goes
        down by more than :data:`_NEW_LINE` of the largest size drawn on the line so far, or
        it would stand in the line's own gaps and be read with it — nor does text that the
        ``rise`` (its offset on the page) brings back to within half that size of the line
        before it."""
        last = self.last
        fresh, self.fresh = self.fresh, False
        if last is None:
            return ""
        x, y = line[4], line[5]
        px, py, ex, ey, ux, uy, last_em = last
        norm = math.hypot(ux, uy) or 1.0
        ux, uy = ux / norm, uy / norm
        up = (x - px) * -uy + (y - py) * ux  # how far above the line before (negative: below)
        raised = rise[0] * -uy + rise[1] * ux  # and how far the rise lifts it
        along = (x - ex) * ux + (y - ey) * uy
        unit = min(em, last_em) or abs(size) * math.hypot(line[2], line[3]) or 1.0
        lowest = self.lowest
        if not fresh and lowest is not None and y - lowest > 0.5 * unit:
            # a line above one drawn before it: read after it, but seen before it
            self.note("a line drawn above the line before it, out of reading order")
        largest = max(em, last_em, self.line_em)
        if abs(up) > _NEW_LINE * largest and abs(up + raised) > 0.5 * largest:
            sep = "\n"
            self.furthest = None  # a new line
            self.line_em = em
        else:
            self.line_em = largest
            furthest = self.furthest
            if furthest is not None and x - furthest < along:
                along = x - furthest  # back from the furthest the line has reached
            if along < -_BACK * unit:
                # drawn back over its own line: the page would read in another order than the
                # file (a line in display order is checked as a whole: see
                # put_in_logical_order)
                self.back_within(len(self.glyphs))
            sep = " " if abs(along) > 0.2 * unit else ""
        return "" if fresh else sep

    def state_why(self, state: _State, size: float) -> str | None:
        """Why no glyph drawn in ``state`` at ``size`` (pt) can be seen, wherever it stands."""
        mode = state.render
        if mode in (3, 7):
            return f"render mode {mode} (invisible)"
        if mode not in range(7):
            return f"render mode {mode}"
        if size < 1.0:
            return "smaller than 1 pt"
        if not self.covers:
            return self.paint_why(state, _WHITE)
        return None

    def place_why(self, state: _State, cx: float, cy: float) -> str | None:
        """Why a glyph centred at ``(cx, cy)`` cannot be seen there."""
        if not _inside(self.box, cx, cy):
            return "outside the page"
        if not _inside(state.clip, cx, cy):
            return "outside its clipping path"
        if not self.covers:
            return None
        background = _WHITE
        for cover in reversed(self.covers):
            if cover.colour is not None and _inside(cover.box, cx, cy):
                background = cover.colour
                break
        return self.paint_why(state, background)

    @staticmethod
    def paint_why(state: _State, background: Rgb) -> str | None:
        """Why glyphs painted in ``state`` cannot be told from ``background``."""
        paints: list[tuple[Rgb | None, float]] = []
        if state.render in (0, 2, 4, 6):
            paints.append((state.fill, state.fill_alpha))
        if state.render in (1, 2, 5, 6):
            paints.append((state.stroke, state.stroke_alpha))
        reasons = []
        for colour, alpha in paints:
            if alpha < 0.25:
                reasons.append("transparent")
            elif colour is not None and _alike(colour, background):
                where = "white" if background == _WHITE else "the colour of the shape behind it"
                reasons.append(f"drawn in {where}")
            else:
                return None
        return reasons[0] if reasons else None

    # -- results

    def result(self, links: tuple[int, ...], web: tuple[WebLink, ...] = ()) -> PdfPage:
        glyphs = self.glyphs
        if self.covers and glyphs:
            orders = [g.order for g in glyphs]
            for cover in self.covers:
                for g in glyphs[: bisect.bisect_left(orders, cover.order)]:
                    if g.why is None and _inside(cover.box, g.cx, g.cy):
                        g.why = f"covered by {cover.what} drawn after it"
        if web and glyphs:
            self.place_links(web)
        ordered: list[tuple[int, int]] = []
        if self.logical and not self.nested_span:
            for start, end, text, base in reversed(self.logical):  # later lines first
                if self.put_in_logical_order(start, end, text, base):
                    ordered.append((start, end))
            glyphs = self.glyphs
        # text drawn back along its line is out of reading order, but within a line read as a
        # whole in logical order (not as it enters it)
        ordered.sort()
        firsts = [a for a, _b in ordered]
        for at in self.backs:
            k = bisect.bisect_left(firsts, at) - 1  # the last line begun before it
            if k < 0 or at >= ordered[k][1]:
                self.note("text drawn back along its line, out of reading order")
                break
        objects: list[TextObject] = []
        rule: int | None = None
        k = 0
        total = len(glyphs)
        while k < total:
            obj = glyphs[k].obj
            # the characters, one entry a character (a glyph's text may be several, each
            # standing where the glyph does), kept as compact arrays
            chars: list[str] = []
            xs: list[float] = []
            ys: list[float] = []
            styles = bytearray()
            fonts: list[int] = []
            over: list[int] = []
            hidden: list[tuple[int, int, str]] = []
            size = 0
            first = True
            while k < total and glyphs[k].obj == obj:
                g = glyphs[k]
                if g.sep and not first and not (g.sep == " " and chars[-1][-1:].isspace()):
                    # (a space after white space drawn by a string of its own says nothing more)
                    chars.append(g.sep)
                    xs.append(g.x)
                    ys.append(g.y)
                    styles.append(0)
                    fonts.append(-1)
                    over.append(-1)
                    size += 1
                start = size
                text = g.text
                count = len(text)
                chars.append(text)
                if count == 1:
                    xs.append(g.x)
                    ys.append(g.y)
                    styles.append(g.style)
                    fonts.append(g.font)
                    over.append(g.link)
                else:
                    xs.extend(itertools.repeat(g.x, count))
                    ys.extend(itertools.repeat(g.y, count))
                    styles.extend(itertools.repeat(g.style, count))
                    fonts.extend(itertools.repeat(g.font, count))
                    over.extend(itertools.repeat(g.link, count))
                size += count
                if g.why is not None:
                    if hidden and hidden[-1][1] == start and hidden[-1][2] == g.why:
                        hidden[-1] = (hidden[-1][0], size, g.why)
                    else:
                        hidden.append((start, size, g.why))
                first = False
                k += 1
            if self.rule is not None and rule is None and obj > self.rule:
                rule = len(objects)
            objects.append(
                TextObject(
                    "".join(chars),
                    _array("d", xs),
                    _array("d", ys),
                    tuple(hidden),
                    bytes(styles),
                    _array("i", fonts),
                    _array("i", over),
                )
            )
        if self.rule is not None and rule is None:
            rule = len(objects)
        struck = self.struck()
        if struck:
            self.note("lines drawn through text", f"through {struck!r}")
        problems = tuple(
            Problem(
                "foreign-drawing",
                f"page {self.number}: {kind}"
                + (f" ({'; '.join(d for d in details if d)})" if any(details) else "")
                + ", which briefkit never draws",
            )
            for kind, details in self.foreign.items()
        )
        text = "\n".join(o.visible for o in objects)
        lines = tuple((x0, y0, x1, y1) for x0, y0, x1, y1, _w in self.lines)
        return PdfPage(
            self.number,
            text,
            links,
            tuple(objects),
            rule,
            problems,
            lines=lines,
            images=tuple(self.images),
            web_links=web,
        )

    def place_links(self, web: tuple[WebLink, ...]) -> None:
        """Mark each glyph whose centre (a hair before it) a web link's rectangle holds with the
        first such link (glyphs sorted by height, so each link looks only at the glyphs of its
        own band; the glyphs looked at are capped as the operators are)."""
        glyphs = sorted(self.glyphs, key=lambda g: g.cy)
        heights = [g.cy for g in glyphs]
        looked = 0
        for index, link in enumerate(web):
            if link.rect is None:
                continue
            x0, y0, x1, y1 = link.rect
            start = bisect.bisect_left(heights, y0)
            end = bisect.bisect_right(heights, y1)
            looked += end - start
            if looked > 4 * MAX_PAGE_OPERATORS:
                raise self.budget.fail("its links cover more glyphs than any document's links do")
            for g in glyphs[start:end]:
                # a hair before the centre: a glyph without width (a combining mark) stands
                # where the glyph it marks ends, and belongs with it
                if g.link == -1 and x0 <= g.cx - _HAIR <= x1:
                    g.link = index

    def struck(self) -> str:
        """The text of the first visible glyph a straight line crosses through its middle (a
        line across its letters, not under or over them), ``""`` when none is."""
        shown = [g for g in self.glyphs if g.why is None and g.em > 0 and not g.text.isspace()]
        if not shown or not self.lines:
            return ""
        by_y = sorted(shown, key=lambda g: g.cy)
        ys = [g.cy for g in by_y]
        by_x = sorted(shown, key=lambda g: g.cx)
        xs = [g.cx for g in by_x]
        tallest = max(g.em for g in shown)
        for x0, y0, x1, y1, _width in self.lines:
            if abs(y1 - y0) <= 0.1:  # across: glyphs whose middle band it crosses
                lo, hi = sorted((x0, x1))
                start = bisect.bisect_left(ys, y0 - 0.3 * tallest)
                end = bisect.bisect_right(ys, y0 + 0.3 * tallest)
                for g in by_y[start:end]:
                    half = 0.6 * abs(g.cx - g.x)
                    if abs(y0 - g.cy) < 0.3 * g.em and lo < g.cx + half and g.cx - half < hi:
                        return g.text
            elif abs(x1 - x0) <= 0.1:  # down: glyphs whose middle it passes through
                lo, hi = sorted((y0, y1))
                start = bisect.bisect_left(xs, x0 - 0.6 * tallest)
                end = bisect.bisect_right(xs, x0 + 0.6 * tallest)
                for g in by_x[start:end]:
                    half = 0.6 * abs(g.cx - g.x)
                    if abs(x0 - g.cx) < half and lo < g.cy + 0.3 * g.em and g.cy - 0.3 * g.em < hi:
                        return g.text
        return ""


_TEXT_STATE = {"Tf", "Tc", "Tw", "Tz", "TL", "Ts", "Tr"}
_COLOUR = {"g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"}
_PATH = {"m", "l", "c", "v", "y", "h", "re"}
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}


def _rectangle(value: Any) -> Box | None:
    found = _resolve(value)
    if not isinstance(found, ArrayObject) or len(found) != 4:
        return None
    x0, y0, x1, y1 = (_number(_resolve(v), math.nan) for v in found)
    if any(math.isnan(v) for v in (x0, y0, x1, y1)):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _page_box(page: Any) -> Box | None:
    """The crop box within the media box (both inherited through the page tree). A box that
    is no rectangle is passed over for the one the page inherits, as a viewer does, and a
    page with no media box at all is a US Letter page."""
    media = _rectangle(page.get("/MediaBox"))
    crop = _rectangle(page.get("/CropBox"))
    inherited = getattr(page, "inherited", {})
    if media is None:
        media = _rectangle(inherited.get("/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
    if crop is None:
        crop = _rectangle(inherited.get("/CropBox"))
    return _intersect(crop, media) if crop is not None else media


# -- the document ----------------------------------------------------------------------------


def _alt(args: list[Any]) -> str | None:
    """The ``/Alt`` of a ``BDC``'s properties when its tag is :data:`ALT_TAG` (a string read
    as a PDF text string: UTF-16 with its byte order mark, else PDFDocEncoding as Latin-1)."""
    if len(args) < 2 or args[0] != ALT_TAG or not isinstance(args[1], dict):
        return None
    value = args[1].get("Alt")
    if not isinstance(value, bytes):
        return None
    if value[:2] == b"\xfe\xff":
        return value[2:].decode("utf-16-be", "replace")
    return value.decode("latin-1")


#: How far back along its line (in ems) text may start from where the text before it ended:
#: briefkit draws each line left to right, a word after the one before it.
_BACK = 0.2
#: How far down a new line starts, at least, in the largest size drawn on the line before it
#: (briefkit's lines are 1.15 em apart or more; a title's next line, 0.9 of its size)
_NEW_LINE = 0.8
#: The keys of an image that leave some of its pixels unpainted (briefkit flattens images).
_IMAGE_MASKS = ("/SMask", "/Mask", "/ImageMask", "/SMaskInData")
#: How wide a glyph's outline may be stroked, in ems (briefkit strokes none).
_STROKE = 0.1
#: The graphics state parameters (PDF 2.0, 8.4.5) that change which glyphs or colours are
#: drawn past what the reader follows (briefkit sets none).
_CHANGING_STATE = frozenset(
    (
        "/Font",
        "/TR",
        "/TR2",
        "/BG",
        "/BG2",
        "/UCR",
        "/UCR2",
        "/HT",
        "/HTO",
        "/UseBlackPtComp",
        "/D",
    )
)
#: The keys of a font descriptor that carry a font program.
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
#: How far text may be raised or lowered (in ems): a note's mark is raised about 0.62 em.
_RISE = 0.75
#: How far a line may turn (its rise over its run) and still be upright: briefkit turns none.
_UPRIGHT = 1e-3

#: How far right of the glyph with a width before it a glyph with a width of a line in
#: display order must start, in points (its origin; a hair less than nothing, for rounding).
_ONWARD = -0.01
_LRI, _FSI, _PDI = _bidi.LRI, _bidi.FSI, _bidi.PDI
_ISOLATES = frozenset((_LRI, _FSI, _PDI))
#: How far above the line (in ems) a note's mark is raised at least (briefkit raises it by
#: reportlab's superscript rise, about a third of an em).
_RAISED = 0.15


#: Vowel signs drawn in two parts around their consonant that have no decomposition to say so
#: (Sinhala KOMBU DEKA; Khmer's split vowels, whose first part stands before the consonant).
_SPLIT_VOWELS = frozenset("\u0ddb\u17be\u17bf\u17c0\u17c4\u17c5")


def _split(ch: str) -> bool:
    """Whether ``ch`` is a vowel sign drawn in parts around its consonant."""
    return ch in _SPLIT_VOWELS or (
        unicodedata.category(ch) == "Mc" and len(unicodedata.normalize("NFKD", ch)) > 1
    )


def _further_glyphs(cluster: str) -> int:
    """How many glyphs after its first a shaped cluster may be drawn with: one for each of its
    characters after the first (a conjunct's parts, a vowel sign drawn apart), one more for
    each further part of a character made of several (a vowel sign split around its
    consonant, as in Tamil, Bengali, Sinhala or Khmer; Thai SARA AM),
    and one for each sign when the cluster starts with a sign and no letter (a dotted circle
    under each)."""
    allowed = len(cluster) - 1
    allowed += len(unicodedata.normalize("NFKD", cluster)) - len(cluster)
    allowed += sum(1 for ch in cluster if ch in _SPLIT_VOWELS)
    if unicodedata.category(cluster[0]).startswith("M"):
        allowed += sum(1 for ch in cluster if unicodedata.category(ch).startswith("M"))
    return allowed


def _isolates(text: str) -> list[tuple[str, int, int]] | None:
    """The writer's isolates in ``text`` — ``(opener, start, end)``, where ``start:end`` is
    what each holds in the text without its isolates — or None when the text holds any other
    direction control (or LRM, RLM, ALM), or an isolate not closed, or a close not opened."""
    found: list[tuple[str, int, int]] = []
    open_: list[tuple[str, int]] = []
    k = 0
    for ch in text:
        if ch in (_LRI, _FSI):
            open_.append((ch, k))
        elif ch == _PDI:
            if not open_:
                return None
            kind, at = open_.pop()
            found.append((kind, at, k))
        elif ch in _bidi.CONTROLS:
            return None
        else:
            k += 1
    return None if open_ else found


def _logical_span(args: list[Any], start: int) -> tuple[int, str, int] | None:
    """``(start, text, base)`` for a ``BDC`` whose properties give a line's text in logical
    order (:data:`._shaping.TEXT_KEY`, a text string) and its base level
    (:data:`._shaping.BASE_KEY`, 0 or 1), else None."""
    if len(args) < 2 or not isinstance(args[1], dict):
        return None
    value, base = args[1].get(TEXT_KEY), args[1].get(BASE_KEY)
    if not isinstance(value, bytes) or base not in (0, 1) or isinstance(base, bool):
        return None
    if value[:2] != b"\xfe\xff" or len(value) % 2:
        return None
    return start, value[2:].decode("utf-16-be", "replace"), int(base)


def _pixels(stream: StreamObject, budget: _Budget) -> Any:
    """An image XObject's pixels as Pillow decodes them (RGB), ``None`` when they cannot
    be (or the image is larger than :data:`MAX_IMAGE_PIXELS`, or the document's images
    together than :data:`MAX_DECODED_PIXELS`)."""
    w, h = _number(_resolve(stream.get("/Width"))), _number(_resolve(stream.get("/Height")))
    size = max(0.0, w) * max(0.0, h)
    if size > MAX_IMAGE_PIXELS or budget.pixels + size > MAX_DECODED_PIXELS:
        return None
    budget.pixels += int(size)
    try:
        filters = _resolve(stream.get("/Filter"))
        last = filters[-1] if isinstance(filters, ArrayObject) and filters else filters
        if last == "/DCTDecode":  # JPEG bytes as they are: decoded as Pillow decodes a file
            data = stream.get_data()
            with PilImage.open(io.BytesIO(data)) as img:
                return img.convert("RGB") if img.width * img.height <= MAX_IMAGE_PIXELS else None
        return stream.decode_as_image().convert("RGB")
    except Exception:  # any failure to decode: no pixels to compare
        return None


def _dest_page(annot: dict[str, object], pages: dict[int, int]) -> int | None:
    dest = annot.get("/Dest")
    if dest is None:
        action = annot.get("/A")
        if isinstance(action, dict) and action.get("/S") == "/GoTo":
            dest = action.get("/D")
    if dest is None or not hasattr(dest, "__getitem__"):
        return None
    try:
        ref = dest[0]
        return pages.get(ref.idnum)
    except (IndexError, AttributeError, TypeError):
        return None


@attrs.frozen
class _PageRef:
    """A leaf of the page tree: its dictionary, its object number (``None`` for a page written
    inline in its parent's ``/Kids``) and what it inherits from the nodes above it."""

    obj: DictionaryObject
    idnum: int | None
    inherited: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.obj:
            return self.obj.raw_get(key)
        return self.inherited.get(key, default)


_INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _node_type(node: DictionaryObject) -> str:
    """``/Pages``, ``/Page`` or what else a node of the page tree says it is (as pypdf
    decides: without a ``/Type``, a node with ``/Kids`` is an inner node)."""
    if "/Type" in node:
        return str(_resolve(node.raw_get("/Type")))
    return "/Pages" if "/Kids" in node else "/Page"


def _page_list(catalog: DictionaryObject) -> list[_PageRef]:
    """The pages, in order, walking the page tree without recursion: at most
    :data:`MAX_PAGES` of them, :data:`MAX_TREE_DEPTH` levels deep, each inner node reached
    once (a page may be listed more than once, as pypdf allows)."""
    if "/Pages" not in catalog:
        raise _Malformed("the document catalog has no page tree (/Pages)")
    pages: list[_PageRef] = []
    inner: set[int] = set()  # object numbers of the inner nodes walked
    # each open inner node: its remaining kids, what its kids inherit, and where it is
    frames: list[tuple[Iterator[tuple[int, Any]], Mapping[str, Any], str]] = []
    ref: Any = catalog.raw_get("/Pages")
    inherited: Mapping[str, Any] = {}
    where = "the page tree (the catalog's /Pages)"
    while True:
        node = _resolve(ref)
        idnum = ref.idnum if isinstance(ref, IndirectObject) else None
        if not isinstance(node, DictionaryObject):
            if frames and (node is None or isinstance(node, NullObject)):
                pass  # a null kid is no page
            else:
                raise _Malformed(f"{where} is {_kind(node)}, not a page or page tree node")
        else:
            kind = _node_type(node)
            if kind == "/Pages":
                if idnum is not None:
                    if idnum in inner:
                        raise _Malformed(
                            f"{where}: page tree node {idnum} is reached again "
                            "(its /Kids lead back to it or it has two parents)"
                        )
                    inner.add(idnum)
                if len(frames) >= MAX_TREE_DEPTH:
                    raise _Malformed(f"{where}: the page tree is more than {MAX_TREE_DEPTH} deep")
                own = {k: node.raw_get(k) for k in _INHERITABLE if k in node}
                kids = _resolve(node.raw_get("/Kids")) if "/Kids" in node else None
                name = f"page tree node {idnum}" if idnum is not None else where
                if kids is None or isinstance(kids, NullObject):
                    # a viewer may show a node without kids as a page
                    raise _Malformed(f"{name} has no /Kids")
                if not isinstance(kids, ArrayObject):
                    raise _Malformed(f"{name}: /Kids is {_kind(kids)}, not an array")
                frames.append((enumerate(kids), {**inherited, **own} if own else inherited, name))
            elif kind == "/Page":
                if len(pages) >= MAX_PAGES:
                    raise _Malformed(f"the document has more than {MAX_PAGES} pages")
                pages.append(_PageRef(node, idnum, inherited))
            else:  # viewers differ: some show it as a page
                raise _Malformed(f"{where} is a {kind.lstrip('/')} node, neither page nor tree")
        found: tuple[int, Any] | None = None
        while frames and found is None:
            found = next(frames[-1][0], None)
            if found is None:
                frames.pop()
        if found is None:
            root = _resolve(catalog.raw_get("/Pages"))
            count = _resolve(root.get("/Count")) if isinstance(root, DictionaryObject) else None
            if count is not None and count != len(pages):  # a viewer shows /Count pages
                raise _Malformed(
                    f"the page tree holds {len(pages)} pages and its /Count says {count}"
                )
            return pages
        k, ref = found
        inherited, parent = frames[-1][1], frames[-1][2]
        where = f"{parent}: /Kids entry {k + 1}{_object(ref)}"


def _content(page: _PageRef, budget: _Budget, reading: _Page) -> bytes:
    """The page's content streams, joined. Anything else where a stream should be (a viewer
    may then show none of the page), or a stream that ends in a comment (which a viewer may
    run on into the next stream), is noted: briefkit writes one stream a page."""
    contents = _resolve(page.get("/Contents"))
    if contents is None:
        return b""
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    parts: list[bytes] = []
    size = 0
    for ref in streams[:MAX_ARRAY]:
        stream = _resolve(ref)
        if isinstance(stream, StreamObject):
            data = stream.get_data()
            size += len(data) + 1
            if size > MAX_PAGE_CONTENT:
                budget.take(size)
            parts.append(data)
        else:
            reading.note("page contents that are not streams")
    for data in parts[:-1]:
        last = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if b"%" in data[last + 1 :]:
            reading.note("a comment that may run on into the next content stream")
    return b"\n".join(parts)


@attrs.frozen
class _Links:
    """A page's internal links (destination pages), what each carries under
    ``/BriefkitCites`` and what the other links carry there."""

    targets: tuple[int, ...] = ()
    cites: tuple[str | None, ...] = ()
    stray: tuple[str, ...] = ()
    refs: tuple[tuple[str, int | None], ...] = ()
    web: tuple[WebLink, ...] = ()
    ref_rects: tuple[Box | None, ...] = ()


def _cites_of(annot: DictionaryObject) -> str | None:
    """The text of a link's ``/BriefkitCites``; a value that is no string reads as what it
    is (which no citation matches)."""
    value = _resolve(annot.get(_CITES, None))
    if value is None or isinstance(value, NullObject):
        return None
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, str) and not isinstance(value, NameObject):
        return str(value)
    return f"<{type(value).__name__.removesuffix('Object').lower()}>"


def _annotations(page: _PageRef, page_ids: dict[int, int], reading: _Page) -> _Links:
    number = reading.number
    found = _resolve(page.get("/Annots"))
    if found is None or isinstance(found, NullObject):
        return _Links()
    if not isinstance(found, ArrayObject):
        raise _Malformed(
            f"page {number}: /Annots{_object(page.get('/Annots'))} is {_kind(found)}, "
            "not an array of annotations"
        )
    budget = reading.budget
    budget.annotations += len(found)
    if budget.annotations > MAX_ANNOTATIONS:
        raise _Malformed(f"page {number}: the pages have more than {MAX_ANNOTATIONS} annotations")
    links: list[int] = []
    cites: list[str | None] = []
    stray: list[str] = []
    refs: list[tuple[str, int | None]] = []
    ref_rects: list[Box | None] = []
    web: list[WebLink] = []
    for k, ref in enumerate(found, 1):
        annot = _resolve(ref)
        if annot is None or isinstance(annot, NullObject):
            continue
        if not isinstance(annot, DictionaryObject):
            raise _Malformed(
                f"page {number}: annotation {k}{_object(ref)} is {_kind(annot)}, "
                "not an annotation dictionary"
            )
        subtype = str(_resolve(annot.get("/Subtype", "")))
        if subtype != "/Link":
            reading.note("annotations", subtype.lstrip("/") or "without a subtype")
            continue
        if "/AP" in annot:
            reading.note("annotations", "a link with an appearance stream")
        if _bordered(annot):
            reading.note("annotations", "a link drawn with a border")
        target = _dest_page(annot, page_ids)
        if _REF in annot:  # a link to a heading, table or figure (not a footnote's)
            value = _resolve(annot.get(_REF))
            text = _text_of(value)
            refs.append((text if text is not None else "<not a string>", target))
            ref_rects.append(_rectangle(annot.get("/Rect")))
            if _CITES in annot:
                stray.append(_cites_of(annot) or "")
            continue
        carried = _cites_of(annot) if _CITES in annot else None
        if target is not None:
            links.append(target)
            cites.append(carried)
        else:
            if carried is not None:
                stray.append(carried)
            address = _address(annot)
            if address is not None:
                web.append(WebLink(_rectangle(annot.get("/Rect")), address))
    return _Links(
        tuple(links), tuple(cites), tuple(stray), tuple(refs), tuple(web), tuple(ref_rects)
    )


def _bordered(annot: DictionaryObject) -> bool:
    """Whether a viewer draws a border around a link (briefkit's have ``/Border [0 0 0]``;
    without one, the border is a point wide): its ``/BS`` width, else its ``/Border``'s, is
    above nothing, or cannot be read."""
    style = _resolve(annot.get("/BS"))
    if isinstance(style, DictionaryObject) and "/W" in style:
        return _number(_resolve(style["/W"]), 1.0) != 0
    border = _resolve(annot.get("/Border"))
    if not isinstance(border, ArrayObject) or len(border) < 3:
        return True
    return _number(_resolve(border[2]), 1.0) != 0


def _address(annot: DictionaryObject) -> str | None:
    """Where a link that leads to no page of the document leads: the ``/URI`` of its
    ``/URI`` action (``<not a string>`` when it is none), ``<S>`` for any other action
    ``S`` but ``/GoTo``, ``None`` without an action (a link that leads nowhere)."""
    action = _resolve(annot.get("/A"))
    if not isinstance(action, DictionaryObject):
        return None
    kind = _resolve(action.get("/S"))
    name = str(kind).lstrip("/") if isinstance(kind, NameObject) else "an action"
    if name == "GoTo":
        return None
    if name != "URI":
        return f"<{name[:40]}>"
    uri = _text_of(_resolve(action.get("/URI")))
    return uri if uri is not None else "<not a string>"


def _text_of(key: Any) -> str | None:
    """A name tree key or file name as text (``None`` when it is no string)."""
    if isinstance(key, bytes):
        return key.decode("latin-1")
    if isinstance(key, str) and not isinstance(key, NameObject):
        return str(key)
    return None


def _embedded_files(catalog: DictionaryObject) -> Iterator[tuple[str, Any, str]]:
    """``(key, value, where)`` for each entry of the embedded files' name tree, in order,
    walking it without recursion; a malformed tree (a node that is no dictionary, ``/Kids``
    or ``/Names`` that are no arrays, an odd ``/Names``, a key that is no string, a node
    reached twice, more than :data:`MAX_TREE_DEPTH` levels) is refused."""
    names = _resolve(catalog.raw_get("/Names")) if "/Names" in catalog else None
    if names is None or isinstance(names, NullObject):
        return
    if not isinstance(names, DictionaryObject):
        raise _Malformed(f"the catalog's /Names is {_kind(names)}, not a dictionary")
    if "/EmbeddedFiles" not in names:
        return
    walked: set[int] = set()
    entries = 0
    stack: list[tuple[Any, int, str]] = [
        (names.raw_get("/EmbeddedFiles"), 0, "the embedded files' name tree")
    ]
    while stack:
        ref, depth, where = stack.pop()
        node = _resolve(ref)
        if node is None or isinstance(node, NullObject):
            continue
        where += _object(ref)
        if not isinstance(node, DictionaryObject):
            raise _Malformed(f"{where} is {_kind(node)}, not a name tree node")
        if isinstance(ref, IndirectObject):
            if ref.idnum in walked:
                raise _Malformed(
                    f"{where} is reached again (the /Kids of the name tree lead back to it)"
                )
            walked.add(ref.idnum)
        if depth >= MAX_TREE_DEPTH:
            raise _Malformed(f"{where}: the name tree is more than {MAX_TREE_DEPTH} deep")
        kids = _resolve(node.raw_get("/Kids")) if "/Kids" in node else None
        if kids is not None and not isinstance(kids, NullObject):
            if not isinstance(kids, ArrayObject):
                raise _Malformed(f"{where}: /Kids is {_kind(kids)}, not an array")
            name = f"{where}: /Kids entry"
            stack.extend(
                (kid, depth + 1, f"{name} {k}") for k, kid in reversed(list(enumerate(kids, 1)))
            )
        pairs = _resolve(node.raw_get("/Names")) if "/Names" in node else None
        if pairs is None or isinstance(pairs, NullObject):
            continue
        if not isinstance(pairs, ArrayObject):
            raise _Malformed(f"{where}: /Names is {_kind(pairs)}, not an array")
        if len(pairs) % 2:
            raise _Malformed(
                f"{where}: /Names has {len(pairs)} elements, an odd number (keys and values "
                "go in pairs)"
            )
        entries += len(pairs) // 2
        if entries > MAX_ARRAY:
            raise _Malformed(f"{where}: the name tree has more than {MAX_ARRAY} entries")
        for k in range(0, len(pairs), 2):
            key = _text_of(_resolve(pairs[k]))
            if key is None:
                raise _Malformed(
                    f"{where}: key {k // 2 + 1} of /Names is {_kind(_resolve(pairs[k]))}, "
                    "not a string"
                )
            yield key, pairs[k + 1], f"{where}: the entry {key[:60]!r}"


def _file_names(spec: Any) -> tuple[str, ...]:
    """The names a file specification gives (``/UF``, else ``/F``)."""
    if not isinstance(spec, DictionaryObject):
        return ()
    for key in ("/UF", "/F"):
        if key in spec:
            text = _text_of(_resolve(spec.raw_get(key)))
            return (text,) if text is not None else ()
    return ()


def _manifest_data(catalog: DictionaryObject) -> bytes | None:
    """The bytes of the embedded file named :data:`MANIFEST_NAME` (by its key in the name
    tree or, as pypdf names attachments, by its file specification), ``None`` without one."""
    chosen: tuple[Any, str] | None = None
    named: tuple[Any, str] | None = None
    for key, value, where in _embedded_files(catalog):  # all of the tree: a loop is refused
        if named is None and key == MANIFEST_NAME:
            named = (value, where)
        elif chosen is None and named is None and MANIFEST_NAME in _file_names(_resolve(value)):
            chosen = (value, where)
    chosen = named or chosen
    if chosen is None:
        return None
    ref, where = chosen
    where += _object(ref)
    spec = _resolve(ref)
    if not isinstance(spec, DictionaryObject):
        raise _Malformed(f"{where} is {_kind(spec)}, not a file specification dictionary")
    files = _resolve(spec.raw_get("/EF")) if "/EF" in spec else None
    if not isinstance(files, DictionaryObject):
        raise _Malformed(
            f"{where}: /EF{_object(spec.raw_get('/EF')) if '/EF' in spec else ''} is "
            f"{_kind(files)}, not a dictionary of embedded files"
        )
    entry = next((k for k in ("/UF", "/F") if k in files), None)
    if entry is None:
        raise _Malformed(f"{where}: /EF has neither /F nor /UF")
    stream = _resolve(files.raw_get(entry))
    if not isinstance(stream, StreamObject):
        raise _Malformed(
            f"{where}: /EF {entry}{_object(files.raw_get(entry))} is {_kind(stream)}, "
            "not an embedded file stream"
        )
    data = stream.get_data()
    return data if isinstance(data, bytes) else data.encode("latin-1")


def _figure_files(catalog: DictionaryObject) -> dict[str, bytes]:
    """The embedded files whose name tree key (or, for the catalog's associated files
    ``/AF``, file name) starts with ``figure-``: each one's bytes (the first of a name, the
    name tree first), at most :data:`MAX_FIGURE_FILES` of them."""
    out: dict[str, bytes] = {}
    total = 0
    associated = _resolve(catalog.raw_get("/AF")) if "/AF" in catalog else None
    also: list[tuple[str, Any, str]] = []
    if isinstance(associated, ArrayObject):
        for k, ref in enumerate(associated[:MAX_FIGURE_FILES], 1):
            names = _file_names(_resolve(ref))
            if names:
                also.append((names[0], ref, f"the catalog's /AF entry {k}"))
    for key, value, where in itertools.chain(_embedded_files(catalog), also):
        if not key.startswith("figure-") or key in out:
            continue
        if len(out) >= MAX_FIGURE_FILES:
            raise _Malformed(f"more than {MAX_FIGURE_FILES} embedded figures")
        spec = _resolve(value)
        files = _resolve(spec.raw_get("/EF")) if isinstance(spec, DictionaryObject) else None
        stream = None
        if isinstance(files, DictionaryObject):
            entry = next((k for k in ("/UF", "/F") if k in files), None)
            stream = _resolve(files.raw_get(entry)) if entry is not None else None
        if not isinstance(stream, StreamObject):
            raise _Malformed(f"{where}: it holds no embedded file stream")
        data = stream.get_data()
        blob = data if isinstance(data, bytes) else data.encode("latin-1")
        total += len(blob)
        if total > MAX_FIGURE_BYTES:
            raise _Malformed(f"the embedded figures are larger than {MAX_FIGURE_BYTES} bytes")
        out[key] = blob
    return out


class _KeyTwice(logging.Handler):
    """Keeps the first of pypdf's warnings that a dictionary defines a key twice."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.found is None and str(record.msg).startswith("Multiple definitions"):
            self.found = ascii(record.getMessage())[1:-1][:200]


def read_pdf(source: str | os.PathLike[str] | bytes, *, where: str | None = None) -> PdfContents:
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<pdf>")
    if isinstance(source, bytes):
        data = source
    else:
        try:
            size = os.path.getsize(source)
        except OSError as exc:
            raise ReadError(f"{label}: cannot read: {exc.strerror}") from None
        if size > MAX_PDF_BYTES:
            raise ReadError(f"{label}: {size} bytes is larger than {MAX_PDF_BYTES}")
        with open(source, "rb") as fh:
            data = fh.read()
    budget = _Budget(label, len(data))
    place = "not a readable PDF"
    twice = _KeyTwice()
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.addHandler(twice)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        catalog = _resolve(reader.trailer.raw_get("/Root")) if "/Root" in reader.trailer else None
        if not isinstance(catalog, DictionaryObject):
            raise _Malformed(f"the document catalog (/Root) is {_kind(catalog)}, not a dictionary")
        place = "its page tree is not readable"
        page_refs = _page_list(catalog)
        page_ids: dict[int, int] = {}
        for i, ref in enumerate(page_refs, 1):
            if ref.idnum is not None:
                page_ids.setdefault(ref.idnum, i)
        fonts: dict[int, _Font] = {}
        faces: list[FontFace] = []
        pages = []
        for i, page in enumerate(page_refs, 1):
            if "/Contents" not in page.obj and "/Annots" not in page.obj:
                pages.append(PdfPage(i, "", ()))  # nothing drawn, nothing linked
                continue
            place = f"page {i} is not readable"
            budget.start_page(i)
            reading = _Page(page, i, budget, fonts, faces)
            turn = _number(_resolve(page.get("/Rotate")), 0.0)
            if turn % 360:
                reading.note("a page turned for viewing", f"/Rotate {turn:g}")
            content = _content(page, budget, reading)
            if content:
                resources = _resolve(page.get("/Resources"))
                if not isinstance(resources, DictionaryObject):
                    resources = DictionaryObject()
                reading.run(content, resources, _State(), 0)
            links = _annotations(page, page_ids, reading)
            pages.append(
                attrs.evolve(
                    reading.result(links.targets, links.web),
                    link_cites=links.cites,
                    stray_cites=links.stray,
                    ref_links=links.refs,
                    ref_rects=links.ref_rects,
                )
            )
        place = f"the embedded {MANIFEST_NAME} is not readable"
        blob = _manifest_data(catalog)
        place = "an embedded figure is not readable"
        files = _figure_files(catalog)
        if twice.found is not None:
            # pypdf takes the first value, and a viewer may take the last: the page read is
            # not the page shown
            raise _Malformed(f"a dictionary defines a key twice ({twice.found})")
    except ReadError:
        raise
    except _Unreadable as exc:
        raise ReadError(f"{label}: {place} ({exc})") from None
    except _Malformed as exc:
        raise ReadError(f"{label}: {exc}") from None
    except _PARSE_FAILURES as exc:
        raise ReadError(f"{label}: {place} ({_reason(exc)})") from None
    finally:
        pypdf_log.removeHandler(twice)
    manifest = None
    if blob is not None:
        try:
            manifest = _manifest.parse(blob)
        except ManifestError as exc:
            raise ReadError(f"{label}: {MANIFEST_NAME}: {exc}") from None
    return PdfContents(manifest, tuple(pages), files, tuple(faces))
