"""Read a DOCX back: its embedded manifest, and what a reader of the document sees.

Independent of the writer: it parses the package parts with lxml (no entities, no network) and
looks at the document the way Word or LibreOffice shows it. The body is read in document order
— paragraphs of ``w:body`` and everything that holds them or their runs (tables, content
controls, hyperlinks, smart tags, tracked insertions, fields) — into stretches of visible text,
each knowing the paragraph it stands in and the bookmarks around it (briefkit names one after
each sentence), together with every footnote reference and its position.

Whatever is in the file but not seen by a reader, or seen but not part of the body's reading
order, is a :class:`Finding`: text hidden by ``w:vanish``/``w:specVanish``/``w:webHidden``
(directly or through the paragraph, character or table style), coloured like its background,
smaller than 2 pt, squeezed unreadable or without fill; deleted text; text boxes, shapes and
other embedded objects; fields and data-bound content whose shown result Word may recompute;
numbering that shows letters or digits; imported chunks; any text in endnotes, comments or the
footnote separators; and any text in a header or footer but the page furniture briefkit wrote
(:mod:`._furniture`): a footer that is one ``PAGE`` field and nothing else, or a header or
footer whose furniture text has the digest the writer recorded for its kind and type in the
``briefkit_furniture`` document property (a template's, kept as it was written).

A picture of the body — a ``w:drawing`` holding one ``pic:pic`` and nothing else (see
:mod:`._picture`) — is not a finding but a :class:`BodyPicture`: where it stands, the image
part its ``a:blip`` embeds and the sha256 of that part's bytes, its alternative text and title
(``wp:docPr``), its shown size, whether it floats (``wp:anchor``), is cropped (``a:srcRect``),
hidden (by its run's formatting or ``wp:docPr/@hidden``) or linked from outside the package.
Every other drawing, and any picture in a footnote, remains a finding; pictures in headers and
footers are page furniture. Each hyperlink of the body is a :class:`BodyLink` (its bookmark
``w:anchor`` or its external target, its text, the bookmarks open around it). A ``TOC`` field of
the body (in no table and no other field) is not a finding but a :class:`ContentsField`; its
result is visible text like the rest, but for the page numbers of the ``PAGEREF`` fields in it
(digits or roman numerals, which Word writes when it updates the field): those are its
``pages``, not text. A ``PAGEREF`` field of the body in no other field and in no footnote that
begins, is separated and ends inside one internal hyperlink, and whose result is a page number
or the writer's placeholder (``?``), is the page of a page reference (``Table 2 on page 4``):
a :class:`PageField`, whose result is page furniture, not text; the body's text holds
:data:`PAGE_MARK` (a character no XML text holds) in its place, in its stretches, paragraphs,
cells and links alike. Every other field is a finding, and its result is text.

Each stretch records whether it shows in bold and in italics — its effective formatting: the
run's own ``w:b``/``w:i`` when it has them, else the document defaults turned over by each of
the table styles, the paragraph style and the character style (with their ``w:basedOn``) that
turns them on (bold and italics are toggles, ECMA-376 §17.7.3; the complex-script twins
``w:bCs``/``w:iCs`` are not read) — and what its paragraph shows text with no formatting of its
own (:attr:`Stretch.plain`); :attr:`DocxContents.character_styles` says which character styles
turn bold or italics on. The footnotes' stretches and hyperlinks are kept per footnote, for
the checker to find emphasis and links there.

Each table of the body that stands in no other table is also read as a grid (:class:`BodyTable`):
its rows and, in each, its cells (``w:tc``, also inside content controls around cells) with the
visible text of each, the bookmarks that start in it, and whether it spans columns or is merged
with another; with the text of the paragraph right before the table (briefkit's caption) and its
alternative text (``w:tblCaption``). A table description (``w:tblDescription``), which screen
readers announce but no page shows, is a finding. Each finding inside such a table names the
cell it stands in.

Beside what is seen, it collects what each footnote carries out of sight: the bookmarks in it
(briefkit marks each citation with one) and the custom document properties (briefkit records
there what each citation cites), for the checker to compare with the manifest.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Iterator, Mapping, Sequence

import attrs
from lxml import etree

from briefkit import manifest as _manifest
from briefkit.errors import ManifestError, ReadError
from briefkit.formats._lazy import read_only
from briefkit.formats._zipsafe import BoundedZip
from briefkit.formats.docx._container import MANIFEST_NS, property_value
from briefkit.formats.docx._furniture import PROPERTY as FURNITURE_PROPERTY
from briefkit.formats.docx._furniture import (
    digest,
    furniture_key,
    furniture_text,
    is_page_number,
    parse_record,
)
from briefkit.formats.docx._picture import PIC, PICTURE_URI, WP, A
from briefkit.manifest import Manifest

__all__ = [
    "MAX_DEPTH",
    "MAX_OPEN_BOOKMARKS",
    "PAGE_MARK",
    "BodyCell",
    "BodyLink",
    "BodyPicture",
    "BodyTable",
    "ContentsField",
    "DocxContents",
    "Finding",
    "NoteReference",
    "PageField",
    "Stretch",
    "StyleLooks",
    "read_docx",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False
)

#: Deepest element nesting followed in the body (briefkit writes fewer than ten levels).
MAX_DEPTH = 200

#: Most bookmarks open at once (briefkit opens at most two: a sentence's and, in a footnote, a
#: citation's). Each stretch of text records the bookmarks open around it, so a document that
#: opens thousands without closing them is refused rather than read in quadratic memory.
MAX_OPEN_BOOKMARKS = 64

#: Text is hidden when its colour and its background have less contrast than this (WCAG
#: contrast ratio: 1 for equal colours, 21 for black on white).
MIN_CONTRAST = 1.2

#: Smallest font size (half-points) taken as readable: 2 pt.
MIN_HALF_POINTS = 4

#: Narrowest character scaling (percent) taken as readable.
MIN_SCALE = 20


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _R, _T = _w("p"), _w("r"), _w("t")
_RPR, _PPR = _w("rPr"), _w("pPr")
_BOOKMARK_START, _BOOKMARK_END = _w("bookmarkStart"), _w("bookmarkEnd")
_VAL = _w("val")
_ID = _w("id")


@attrs.frozen
class Stretch:
    """A stretch of visible body text (tabs and breaks as ``\\t`` and ``\\n``)."""

    text: str
    paragraph: int  # 1-based, over the body's paragraphs in document order
    marks: tuple[str, ...]  # bookmarks open around it, outermost first
    #: whether it shows in bold and in italics (its effective formatting, see :class:`Look`)
    bold: bool = False
    italic: bool = False
    #: the bold and italics text of its paragraph shows when it has no character style and no
    #: formatting of its own: ``(bold, italic)``
    plain: tuple[bool, bool] = (False, False)


@attrs.frozen
class NoteReference:
    """A footnote reference in the body, in reading order."""

    ordinal: int  # 1-based position among all references: the number a reader sees
    footnote_id: int
    bookmark: str | None  # innermost enclosing bookmark (briefkit: the sentence id)
    marks: tuple[str, ...] = ()  # every bookmark open around it, outermost first
    paragraph: int = 0
    #: how many stretches of visible text precede it
    at: int = 0
    #: the mark is the text that follows (``w:customMarkFollows``), not the note's number
    custom_mark: bool = False


@attrs.frozen
class Finding:
    """Something in the file that is not plain visible body text: hidden or foreign content.

    ``code`` is the problem code a checker reports; ``what`` says what it is; ``text`` is the
    text it holds (may be empty). ``part`` is the package part; ``paragraph``, ``marks`` and
    ``started`` (how many bookmarks had started before it) place it in the body; ``note`` is
    the footnote id when it is inside a footnote."""

    code: str
    what: str
    text: str
    part: str
    paragraph: int | None = None
    marks: tuple[str, ...] = ()
    started: int = 0
    note: int | None = None
    #: the cell of a body table it stands in: the table (1-based among the tables in no other
    #: table), the row (0: the first, briefkit's header row) and the column (1-based)
    cell: tuple[int, int, int] | None = None


@attrs.frozen
class BodyCell:
    """A cell of a body table: its visible text (a new paragraph as ``\\n``), the bookmarks
    that start in it, how many grid columns it spans (``w:gridSpan``) and whether it is part
    of a vertical or horizontal merge."""

    text: str
    bookmarks: tuple[str, ...] = ()
    span: int = 1
    merged: bool = False


@attrs.frozen
class BodyTable:
    """A table of the body that stands in no other table, as a grid of cells."""

    rows: tuple[tuple[BodyCell, ...], ...]
    #: the visible text of the paragraph right before it; None when no paragraph is
    caption: str | None
    #: its alternative text (``w:tblCaption``), None when it has none
    alt: str | None = None
    #: how many bookmarks of the body start before it
    started: int = 0
    #: how many body paragraphs stand before it
    paragraph: int = 0
    #: the rows (0-based) that leave grid columns empty before or after their cells
    #: (``w:gridBefore``, ``w:gridAfter``)
    shifted: tuple[int, ...] = ()
    #: the body's stretches it holds: ``(first, end)``
    stretches: tuple[int, int] = (0, 0)
    #: visible text it holds outside its cells
    stray: str = ""


@attrs.frozen
class BodyPicture:
    """A picture of the body (a ``w:drawing`` holding one ``pic:pic``, see :mod:`._picture`):
    what it shows and where it stands."""

    #: the relationship its ``a:blip`` embeds (``r:embed``), None when it embeds none
    rid: str | None
    #: the image part that relationship names, and the sha256 of its bytes (None when the
    #: package has no such part)
    part: str | None = None
    sha256: str | None = None
    #: its alternative text (``wp:docPr/@descr``) and title (``@title``), None when absent
    alt: str | None = None
    title: str | None = None
    #: its shown size (``wp:extent``, EMU), 0 when not given
    size: tuple[int, int] = (0, 0)
    #: in the line of text (``wp:inline``), not floating over the page (``wp:anchor``)
    inline: bool = True
    #: part of the image cut away (``a:srcRect``)
    cropped: bool = False
    #: why it cannot be seen (hidden run, ``wp:docPr/@hidden``), None when it can
    hidden: str | None = None
    #: an image linked from outside the package (``r:link``), not embedded
    linked: bool = False
    paragraph: int = 0
    #: how many bookmarks of the body start before it, and how many stretches precede it
    started: int = 0
    at: int = 0
    marks: tuple[str, ...] = ()
    #: the cell of a body table it stands in (see :attr:`Finding.cell`)
    cell: tuple[int, int, int] | None = None


@attrs.frozen
class BodyLink:
    """A hyperlink of the body: to a bookmark of the document (``anchor``) or out of it
    (``url``), with the visible text it holds and where it stands."""

    anchor: str | None
    url: str | None
    text: str
    paragraph: int
    #: the bookmarks open where it starts, outermost first
    marks: tuple[str, ...]
    #: how many bookmarks of the body start before it
    started: int
    #: the body's stretches it holds: ``(first, end)``
    stretches: tuple[int, int]


@attrs.frozen
class ContentsField:
    """A table of contents: a ``TOC`` field of the body (in no table and no other field),
    read for its instruction and its result, which is visible text like the rest. The
    result of a ``PAGEREF`` field in it that shows a page number (Word writes one after
    each entry when it updates the field) is not text but one of its ``pages``."""

    instruction: str
    #: the body's stretches its result holds: ``(first, end)``
    stretches: tuple[int, int]
    #: the body paragraphs its result spans: ``(first, last)``
    paragraphs: tuple[int, int]
    #: how many bookmarks of the body start before it
    started: int
    pages: tuple[str, ...] = ()


@attrs.frozen
class PageField:
    """The page of a page reference (``Table 2 on page 4``): a ``PAGEREF`` field of the body
    (in no other field, and in no footnote) that begins, is separated and ends inside one
    internal hyperlink, and whose result shows a page number (digits or roman numerals, as
    Word and LibreOffice write it) or the writer's placeholder (``?``). Its result is page
    furniture, not text: the body reads :data:`PAGE_MARK` in its place."""

    instruction: str
    #: its result as written (the page number, or the placeholder)
    result: str
    paragraph: int
    #: the bookmarks open around it, outermost first
    marks: tuple[str, ...]
    #: how many bookmarks of the body start before it
    started: int
    #: the body's stretch that stands for it (its text is :data:`PAGE_MARK`)
    at: int


#: What the body reads in place of a page reference's page (:class:`PageField`): a character
#: no XML text holds, so that no text can pass for it.
PAGE_MARK = "\x01"


@attrs.frozen
class DocxContents:
    manifest: Manifest | None
    #: footnote id -> visible text (without the reference mark)
    notes: Mapping[int, str] = attrs.field(converter=read_only)
    references: tuple[NoteReference, ...]
    paragraphs: tuple[str, ...]  # visible body text, one entry per paragraph
    stretches: tuple[Stretch, ...] = ()
    #: bookmark names in the order they start in the body
    bookmarks: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    #: footnote ids in the footnotes part that are separators (never referenced)
    separators: frozenset[int] = frozenset()
    #: footnote id -> the names of the bookmarks in it, in the order they start
    note_bookmarks: Mapping[int, tuple[str, ...]] = attrs.field(factory=dict, converter=read_only)
    #: the custom document properties: name -> the text of its value
    properties: Mapping[str, str] = attrs.field(factory=dict, converter=read_only)
    #: the tables of the body that stand in no other table, in document order
    tables: tuple[BodyTable, ...] = ()
    #: the pictures of the body, in document order
    pictures: tuple[BodyPicture, ...] = ()
    #: the hyperlinks of the body, in document order
    links: tuple[BodyLink, ...] = ()
    #: the tables of contents of the body, in document order
    contents: tuple[ContentsField, ...] = ()
    #: for each of :attr:`bookmarks`, the body paragraph it starts in
    bookmark_paragraphs: tuple[int, ...] = ()
    #: for each character style, whether it turns bold and italics on (``(bold, italic)``:
    #: applied to text, it turns each of them over, see :meth:`_Styles.plain`)
    character_styles: Mapping[str, tuple[bool, bool]] = attrs.field(
        factory=dict, converter=read_only
    )
    #: footnote id -> the stretches of its visible text (the first is the space after the
    #: mark); their ``paragraph`` counts the note's own paragraphs
    note_stretches: Mapping[int, tuple[Stretch, ...]] = attrs.field(
        factory=dict, converter=read_only
    )
    #: footnote id -> the hyperlinks in it, when it has any
    note_links: Mapping[int, tuple[BodyLink, ...]] = attrs.field(factory=dict, converter=read_only)
    #: the pages of the body's page references, in document order
    page_fields: tuple[PageField, ...] = ()


def _parse(data: bytes, where: str) -> etree._Element:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{where}: malformed XML: {exc}") from None
    except ValueError as exc:  # e.g. lxml refusing an XML declaration it cannot honour
        raise ReadError(f"{where}: not readable as XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        # entities are never expanded here, but another reader might show their text
        raise ReadError(f"{where}: declares a DTD (<!DOCTYPE …>); an OOXML part has none")
    return root


# -- formatting: what makes text unseen --------------------------------------------------------

RGB = tuple[int, int, int]
_WHITE: RGB = (255, 255, 255)
_BLACK: RGB = (0, 0, 0)
_HEX = re.compile(r"[0-9A-Fa-f]{6}\Z")
_HIGHLIGHT: dict[str, RGB] = {
    "black": (0, 0, 0),
    "blue": (0, 0, 255),
    "cyan": (0, 255, 255),
    "green": (0, 255, 0),
    "magenta": (255, 0, 255),
    "red": (255, 0, 0),
    "yellow": (255, 255, 0),
    "white": (255, 255, 255),
    "darkBlue": (0, 0, 128),
    "darkCyan": (0, 128, 128),
    "darkGreen": (0, 128, 0),
    "darkMagenta": (128, 0, 128),
    "darkRed": (128, 0, 0),
    "darkYellow": (128, 128, 0),
    "darkGray": (128, 128, 128),
    "lightGray": (192, 192, 192),
}
_THEME: dict[str, RGB] = {
    "background1": _WHITE,
    "light1": _WHITE,
    "text1": _BLACK,
    "dark1": _BLACK,
}
#: Run properties that hide text outright.
_HIDING = {"vanish": "w:vanish", "specVanish": "w:specVanish", "webHidden": "w:webHidden"}


def _rgb(value: str | None) -> RGB | None:
    if value is None or not _HEX.match(value):
        return None
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _on(el: etree._Element) -> bool:
    return el.get(_VAL, "true").lower() not in ("false", "0", "off")


def _int(el: etree._Element, name: str = _VAL) -> int | None:
    try:
        return int(el.get(name, ""))
    except ValueError:
        return None


def _shading(shd: etree._Element | None) -> RGB | None:
    """The colour a ``w:shd`` paints, or None when it paints nothing."""
    if shd is None:
        return None
    pattern = shd.get(_VAL, "clear")
    fill = _rgb(shd.get(_w("fill")))
    if pattern == "nil":
        return None
    if pattern == "solid":
        return _rgb(shd.get(_w("color"))) or _BLACK
    if pattern.startswith("pct") and pattern[3:].isdigit():
        share = min(int(pattern[3:]), 100) / 100
        ink = _rgb(shd.get(_w("color"))) or _BLACK
        paper = fill or _WHITE
        mixed = (round(i * share + p * (1 - share)) for i, p in zip(ink, paper, strict=True))
        a, b, c = mixed
        return (a, b, c)
    return fill


def _luminance(color: RGB) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: RGB, b: RGB) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


Props = dict[str, object]


def _run_props(rpr: etree._Element | None) -> Props:
    """The run properties that decide whether text can be seen (direct children only, so
    a recorded earlier formatting, ``w:rPrChange``, is not taken for the current one)."""
    out: Props = {}
    if rpr is None:
        return out
    for child in rpr:
        if not isinstance(child.tag, str):
            continue
        ns, _, name = child.tag[1:].partition("}")
        if ns == _W:
            if name in _HIDING:
                out[name] = _on(child)
            elif name == "color":
                theme = _THEME.get(child.get(_w("themeColor"), ""))
                val = child.get(_VAL, "auto")
                out["color"] = theme or _rgb(val) or "auto"
            elif name in ("sz", "szCs", "w", "spacing"):
                number = _int(child)
                if number is not None:
                    out[name] = number
            elif name == "shd":
                out["shd"] = _shading(child)
            elif name == "highlight":
                out["highlight"] = _HIGHLIGHT.get(child.get(_VAL, ""))
        elif ns == _W14 and name == "textFill":
            if child.find(f"{{{_W14}}}noFill") is not None:
                out["fill"] = "none"
            else:
                srgb = child.find(f".//{{{_W14}}}srgbClr")
                out["fill"] = _rgb(srgb.get(f"{{{_W14}}}val")) if srgb is not None else None
    return out


def _hidden_reason(props: Mapping[str, object], background: RGB) -> str | None:
    """Why text with ``props`` on ``background`` cannot be seen, or None when it can."""
    for name, shown in _HIDING.items():
        if props.get(name):
            return shown
    highlight = props.get("highlight")
    shd = props.get("shd")
    behind = (
        highlight if isinstance(highlight, tuple) else shd if isinstance(shd, tuple) else background
    )
    fill = props.get("fill")
    if fill == "none":
        return "no text fill"
    color = fill if isinstance(fill, tuple) else props.get("color")
    if isinstance(color, tuple) and _contrast(color, behind) < MIN_CONTRAST:
        return f"coloured #{_hex(color)} on #{_hex(behind)}"
    for name in ("sz", "szCs"):
        size = props.get(name)
        if isinstance(size, int) and size < MIN_HALF_POINTS:
            return f"{size / 2:g} pt text"
    scale = props.get("w")
    if isinstance(scale, int) and scale < MIN_SCALE:
        return f"characters scaled to {scale}%"
    spacing, size = props.get("spacing"), props.get("sz")
    half_points = size if isinstance(size, int) else 20
    if isinstance(spacing, int) and spacing < -5 * half_points:  # twips: half the font size
        return f"characters condensed by {-spacing / 20:g} pt"
    return None


_B, _I = _w("b"), _w("i")


def _bold_italic(rpr: etree._Element | None, bold: bool, italic: bool) -> tuple[bool, bool]:
    """``(bold, italic)`` as the run properties ``rpr`` set them (``w:b``, ``w:i``: the
    complex-script twins ``w:bCs``, ``w:iCs`` are not read), else as given."""
    if rpr is None:
        return (bold, italic)
    b, i = rpr.find(_B), rpr.find(_I)
    return (_on(b) if b is not None else bold, _on(i) if i is not None else italic)


def _hex(color: RGB) -> str:
    return "".join(f"{v:02X}" for v in color)


class _Styles:
    """The styles part: default run properties and each style's own, with ``w:basedOn``."""

    def __init__(self, root: etree._Element | None) -> None:
        self.defaults: Props = {}
        self._styles: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.default_character: str | None = None
        self._cache: dict[tuple[str, str], Props] = {}
        self._found: dict[tuple[str | None, str], etree._Element | None] = {}
        self._toggles: dict[str, tuple[bool, bool]] = {}
        self.default_toggles = (False, False)
        if root is None:
            return
        rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_RPR}")
        self.defaults = _run_props(rpr)
        self.default_toggles = _bold_italic(rpr, False, False)
        for style in root.iterfind(_w("style")):
            sid = style.get(_w("styleId"))
            if sid is None:
                continue
            self._styles.setdefault(sid, style)
            if style.get(_w("default")) in ("1", "true", "on"):
                kind = style.get(_w("type"))
                if kind == "paragraph" and self.default_paragraph is None:
                    self.default_paragraph = sid
                elif kind == "character" and self.default_character is None:
                    self.default_character = sid

    def chain(self, sid: str | None) -> list[etree._Element]:
        """The style and the styles it is based on, base first (loops cut)."""
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid is not None and sid not in seen and len(seen) < 64:
            seen.add(sid)
            style = self._styles.get(sid)
            if style is None:
                break
            out.append(style)
            based = style.find(_w("basedOn"))
            sid = based.get(_VAL) if based is not None else None
        return out[::-1]

    def run_props(self, sid: str | None) -> Props:
        """The run properties a style gives (through its bases)."""
        if sid is None:
            return {}
        key = ("r", sid)
        if key not in self._cache:
            merged: Props = {}
            for style in self.chain(sid):
                merged.update(_run_props(style.find(_RPR)))
            self._cache[key] = merged
        return self._cache[key]

    def toggles(self, sid: str | None) -> tuple[bool, bool]:
        """Whether a style turns bold and italics on: along its chain, the nearest setting of
        each (``w:b``, ``w:i``)."""
        if sid is None:
            return (False, False)
        found = self._toggles.get(sid)
        if found is None:
            bold, italic = False, False
            for style in self.chain(sid):
                bold, italic = _bold_italic(style.find(_RPR), bold, italic)
            found = self._toggles[sid] = (bold, italic)
        return found

    def plain(self, tables: Sequence[str | None], paragraph: str | None) -> tuple[bool, bool]:
        """The bold and italics of text in a paragraph of style ``paragraph`` in tables of
        the styles ``tables``, with no character style and no formatting of its own: bold and
        italics are toggles, each style that turns one on turns it over (ECMA-376
        §17.7.3), starting from the document defaults."""
        bold, italic = self.default_toggles
        for sid in (*tables, paragraph):
            b, i = self.toggles(sid)
            bold, italic = bold ^ b, italic ^ i
        return (bold, italic)

    def look(
        self, plain: tuple[bool, bool], character: str | None, rpr: etree._Element | None
    ) -> tuple[bool, bool]:
        """Bold and italics of a run of the character style ``character`` with the direct
        formatting ``rpr`` in a paragraph whose text shows ``plain``: the style turns them
        over, the run's own ``w:b`` and ``w:i`` decide."""
        b, i = self.toggles(character)
        return _bold_italic(rpr, plain[0] ^ b, plain[1] ^ i)

    def character_toggles(self) -> dict[str, tuple[bool, bool]]:
        """For each character style, whether it turns bold and italics on."""
        return {
            sid: self.toggles(sid)
            for sid, style in self._styles.items()
            if style.get(_w("type")) == "character"
        }

    def paragraph_find(self, sid: str | None, path: str) -> etree._Element | None:
        """The nearest ``w:pPr/path`` along a style's chain."""
        key = (sid, path)
        if key not in self._found:
            self._found[key] = self.table_find(sid, f"{_PPR}/{path}")
        return self._found[key]

    def table_find(self, sid: str | None, path: str) -> etree._Element | None:
        for style in reversed(self.chain(sid)):
            found = style.find(path)
            if found is not None:
                return found
        return None


class StyleLooks:
    """Bold and italics as a styles part gives them to text with no formatting of its own:
    what the writer consults to set the author's emphasis off from the text around it, as
    this reader will see it."""

    def __init__(self, styles_xml: bytes | None) -> None:
        self._styles = _Styles(_parse(styles_xml, "styles") if styles_xml else None)

    def look(
        self,
        tables: Sequence[str | None],
        paragraph: str | None,
        character: str | None = None,
    ) -> tuple[bool, bool]:
        """``(bold, italic)`` of a run of the character style ``character`` (None: the
        default) in a paragraph of the style ``paragraph`` (None: the default) inside tables
        of the styles ``tables``."""
        styles = self._styles
        para = paragraph if paragraph is not None else styles.default_paragraph
        char = character if character is not None else styles.default_character
        return styles.look(styles.plain(tables, para), char, None)


class _Numbering:
    """The numbering part: what each list level shows before its paragraph."""

    def __init__(self, root: etree._Element | None) -> None:
        self._abstract: dict[str, etree._Element] = {}
        self._nums: dict[str, etree._Element] = {}
        self._shown: dict[tuple[str, str], str | None] = {}
        if root is None:
            return
        for el in root.iterfind(_w("abstractNum")):
            self._abstract.setdefault(el.get(_w("abstractNumId"), ""), el)
        for el in root.iterfind(_w("num")):
            self._nums.setdefault(el.get(_w("numId"), ""), el)

    def shows_text(self, num_id: str, level: str) -> str | None:
        """The level text when the level shows letters or digits (a number or words), else
        None (a bullet, or no numbering)."""
        key = (num_id, level)
        if key not in self._shown:  # once per list level, not once per paragraph
            self._shown[key] = self._shows_text(num_id, level)
        return self._shown[key]

    def _shows_text(self, num_id: str, level: str) -> str | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        lvl = None
        for override in num.iterfind(_w("lvlOverride")):
            if override.get(_w("ilvl")) == level:
                lvl = override.find(_w("lvl"))
        if lvl is None:
            ref = num.find(_w("abstractNumId"))
            abstract = self._abstract.get(ref.get(_VAL, "") if ref is not None else "")
            if abstract is None:
                return None
            lvl = next(
                (x for x in abstract.iterfind(_w("lvl")) if x.get(_w("ilvl")) == level), None
            )
        if lvl is None:
            return None
        fmt_el = lvl.find(_w("numFmt"))
        fmt = fmt_el.get(_VAL, "decimal") if fmt_el is not None else "decimal"
        text_el = lvl.find(_w("lvlText"))
        text = text_el.get(_VAL, "") if text_el is not None else ""
        counters = re.search(r"%[1-9]", text) is not None and fmt not in ("bullet", "none")
        if counters or any(ch.isalnum() for ch in re.sub(r"%[1-9]", "", text)):
            return text
        return None


# -- walking a story (the body, or one footnote) -------------------------------------------------


@attrs.frozen
class _Context:
    base: Props = attrs.field(eq=False)  # defaults, table and paragraph style run properties
    background: RGB
    hidden: str | None = None  # a hidden table row
    #: the table styles (outermost first) and paragraph style ``base`` comes from: with the
    #: background and ``hidden``, all that decides how a run's own formatting shows
    tables: tuple[str | None, ...] = ()
    paragraph: str | None = None
    #: the bold and italics of the paragraph (:meth:`_Styles.plain`)
    plain: tuple[bool, bool] = (False, False)


@attrs.define
class _Field:
    """A complex field being read: its instruction so far, whether its result has begun,
    and, for a table of contents, where its result begins; a page number field in a table of
    contents holds its result back (``held``) until its end shows what it is."""

    instruction: list[str]
    result: bool = False
    toc: bool = False
    start: tuple[int, int, int] = (0, 0, 0)  # stretches, paragraph, bookmarks
    held: list[str] | None = None
    pages: list[str] = attrs.field(factory=list)
    #: the internal hyperlink (its serial number) open where it begins, and, for a page
    #: reference's page, where its result begins
    link: int | None = None
    page_link: int | None = None


#: A page number as a ``PAGEREF`` field shows it: digits or roman numerals.
_PAGE_NUMBER = re.compile(r"[0-9]{1,9}|[ivxlcdmIVXLCDM]{1,15}")
#: What a page reference's ``PAGEREF`` field may show: a page number, or the placeholder the
#: writer writes before the document is laid out (``?``; ``??`` as LaTeX has it).
_PAGE_SHOWN = re.compile(r"[0-9]{1,9}|[ivxlcdmIVXLCDM]{1,15}|\?{1,2}")


@attrs.define
class _Row:
    """A table row being read: the context of its cells and, for a recorded table, the cells
    read so far."""

    context: _Context
    cells: list[BodyCell] | None
    number: int  # the table's, among the recorded ones
    row: int  # 0-based


def _value(props: etree._Element | None, name: str) -> str | None:
    """The ``w:val`` of the child ``name`` of ``props``, None when there is none."""
    el = props.find(_w(name)) if props is not None else None
    return el.get(_VAL) if el is not None else None


def _leaves_columns(trpr: etree._Element) -> bool:
    """Whether a row leaves grid columns empty before or after its cells."""
    return any(
        (_int(el) or 0) > 0
        for name in ("gridBefore", "gridAfter")
        if (el := trpr.find(_w(name))) is not None
    )


_TR, _TC, _TRPR, _TCPR, _SHD = _w("tr"), _w("tc"), _w("trPr"), _w("tcPr"), _w("shd")
_HIDDEN_ROW, _GRID_SPAN, _VMERGE, _HMERGE = _w("hidden"), _w("gridSpan"), _w("vMerge"), _w("hMerge")
_ROW_PROPERTIES = {_TRPR, _w("tblPrEx")}
#: the children of a table that are not rows nor hold any
_TABLE_PROPERTIES = {_w("tblPr"), _w("tblGrid"), _w("sdtPr"), _w("sdtEndPr"), _w("tblPrEx")}
#: what may stand between a caption and its table without being seen
_MARKERS = {
    _BOOKMARK_START,
    _BOOKMARK_END,
    _w("proofErr"),
    _w("permStart"),
    _w("permEnd"),
    _w("commentRangeStart"),
    _w("commentRangeEnd"),
}
_DELETED = {_w("del"), _w("moveFrom")}
#: property elements, which hold no text
_PROPERTIES = {_PPR, _RPR, _w("sectPr"), _w("tblPr"), _w("sdtPr"), _w("tcPr")}
_TEXTS = {_T, f"{{{_M}}}t"}
_SYM = _w("sym")
_TXBX = _w("txbxContent")
#: Run content that shows as one fixed character.
_SIMPLE = {
    _w("tab"): "\t",
    _w("ptab"): "\t",
    _w("br"): "\n",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "\u2011",
}
_OBJECTS = {_w("drawing"), _w("pict"), _w("object"), f"{{{_MC}}}AlternateContent"}
_HYPERLINK = _w("hyperlink")
_GENERATED = {
    "pgNum",
    "dayShort",
    "dayLong",
    "monthShort",
    "monthLong",
    "yearShort",
    "yearLong",
}


class _Story:
    """Reads one story — the body, or one footnote — in document order."""

    def __init__(
        self,
        styles: _Styles,
        numbering: _Numbering,
        part: str,
        note: int | None = None,
        *,
        label: str | None = None,
    ) -> None:
        self.styles = styles
        self.numbering = numbering
        self.part = part
        self.where = f"{label}: {part}" if label else part
        self.note = note
        self.stretches: list[Stretch] = []
        self.paragraph_texts: list[list[str]] = []
        #: each finding with the pieces of its text (joined once, by :attr:`findings`)
        self._findings: list[tuple[Finding, list[str]]] = []
        self.references: list[NoteReference] = []
        self.bookmarks: list[str] = []
        self._open: dict[str, str] = {}
        self._stack: list[str] = []
        #: ``tuple(self._stack)``, shared by everything recorded while the stack is unchanged
        self._marks: tuple[str, ...] | None = ()
        self._fields: list[_Field] = []  # the open complex fields, innermost last
        self._in_instruction = 0  # how many of them are still in their instruction
        #: the pictures, hyperlinks and tables of contents of the body
        self.pictures: list[BodyPicture] = []
        self.links: list[BodyLink] = []
        self.contents: list[ContentsField] = []
        self.page_fields: list[PageField] = []
        #: the internal hyperlinks being read (their serial numbers), innermost last
        self._links: list[int] = []
        self._link_serial = 0
        self.bookmark_paragraphs: list[int] = []
        self._numbered = 0  # footnote references numbered so far (not custom marks)
        self._reasons: dict[tuple[object, ...], tuple[str | None, tuple[bool, bool]]] = {}
        #: the formatting of the run being read: bold, italic, and its paragraph's
        self._look: tuple[bool, bool, tuple[bool, bool]] = (False, False, (False, False))
        #: the body's tables in no other table, read as grids
        self.tables: list[BodyTable] = []
        #: the rows being read, innermost last; None inside a cell (its content is no row)
        self._rows: list[_Row | None] = []
        self._table_depth = 0
        #: the cell of a recorded table being read (see :attr:`Finding.cell`)
        self._cell: tuple[int, int, int] | None = None
        #: the stretches (from, to) of each cell of the recorded table being read
        self._cell_stretches: list[tuple[int, int]] = []

    # where things are

    @property
    def paragraph(self) -> int:
        return len(self.paragraph_texts)

    @property
    def marks(self) -> tuple[str, ...]:
        """The bookmarks open here, outermost first."""
        if self._marks is None:
            self._marks = tuple(self._stack)
        return self._marks

    @property
    def findings(self) -> list[Finding]:
        return [
            attrs.evolve(found, text="".join(parts)) if len(parts) > 1 else found
            for found, parts in self._findings
        ]

    def find(self, code: str, what: str, text: str = "") -> None:
        """Record a finding; one that continues the previous one joins it."""
        last = self._findings[-1][0] if self._findings else None
        marks = self.marks
        if (
            last is not None
            and text
            and (last.code, last.what, last.paragraph, last.marks, last.cell)
            == (code, what, self.paragraph or None, marks, self._cell)
        ):
            self._findings[-1][1].append(text)  # joined once at the end: linear
            return
        found = Finding(
            code,
            what,
            text,
            self.part,
            self.paragraph or None,
            marks,
            len(self.bookmarks),
            self.note,
            self._cell,
        )
        self._findings.append((found, [text]))

    def emit(self, text: str) -> None:
        if not text:
            return
        if self._in_instruction:
            self._fields[-1].instruction.append(text)  # inside a field's instruction: not shown
            return
        if self._fields and self._fields[-1].held is not None:
            self._fields[-1].held.append(text)  # a page number, perhaps: see its end
            return
        if not self.paragraph_texts:
            self.paragraph_texts.append([])
        self.paragraph_texts[-1].append(text)
        bold, italic, plain = self._look
        self.stretches.append(Stretch(text, self.paragraph, self.marks, bold, italic, plain))

    # the walk

    def walk(self, el: etree._Element, ctx: _Context, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise ReadError(
                f"{self.where}: line {el.sourceline}: elements are nested more than "
                f"{MAX_DEPTH} deep (briefkit writes fewer than ten levels)"
            )
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _P:
                self.paragraph_el(child, ctx, depth)
            elif tag in (_R, f"{{{_M}}}r"):
                self.run(child, ctx, depth)
            elif tag == _BOOKMARK_START:
                if len(self._stack) >= MAX_OPEN_BOOKMARKS:
                    raise ReadError(
                        f"{self.where}: line {child.sourceline}: more than "
                        f"{MAX_OPEN_BOOKMARKS} bookmarks are open at once (briefkit opens "
                        "at most two)"
                    )
                name = child.get(_w("name"), "")
                self._open[child.get(_ID, "")] = name
                self._stack.append(name)
                self._marks = None
                self.bookmarks.append(name)
                self.bookmark_paragraphs.append(self.paragraph)
            elif tag == _BOOKMARK_END:
                closed = self._open.pop(child.get(_ID, ""), None)
                if closed is not None and closed in self._stack:
                    # the innermost bookmark of that name
                    at = len(self._stack) - 1 - self._stack[::-1].index(closed)
                    del self._stack[at]
                    self._marks = None
            elif tag in _DELETED:
                text = _all_text(child)
                if text.strip():
                    self.find("deleted-text", "deleted text (tracked change)", text)
            elif tag in _OBJECTS:
                self.embedded(child)
            elif tag == _w("fldSimple"):
                self.find("field", f"a field ({' '.join(child.get(_w('instr'), '').split())})")
                self.walk(child, ctx, depth + 1)
            elif tag in (_w("altChunk"), _w("subDoc")):
                name = etree.QName(tag).localname
                self.find("foreign-part", f"content Word imports on opening (w:{name})")
            elif tag == _w("tbl"):
                self.table(child, ctx, depth)
            elif tag == _HYPERLINK:
                self.hyperlink(child, ctx, depth)
            elif tag == _TC and self._rows and self._rows[-1] is not None:
                self.cell(child, depth + 1)  # a cell inside a content control around cells
            elif tag == _w("sdt"):
                props = child.find(_w("sdtPr"))
                if props is not None and props.find(_w("dataBinding")) is not None:
                    self.find("field", "a content control bound to custom XML data")
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self.walk(content, ctx, depth + 1)
            elif tag in _PROPERTIES:
                continue
            else:  # hyperlinks, smart tags, custom XML, insertions, bidi embeddings, math …
                self.walk(child, ctx, depth + 1)

    def hyperlink(self, link: etree._Element, ctx: _Context, depth: int) -> None:
        first, marks, started, paragraph = (
            len(self.stretches),
            self.marks,
            len(self.bookmarks),
            self.paragraph,
        )
        anchor = link.get(_w("anchor"))
        if anchor is not None:
            self._link_serial += 1
            self._links.append(self._link_serial)
        self.walk(link, ctx, depth + 1)
        if anchor is not None:
            self._links.pop()
        rid = link.get(f"{{{_NS_R}}}id")
        if anchor is None and rid is None:
            return
        self.links.append(
            BodyLink(
                anchor,
                rid,  # the relationship's target, once the package's are read
                "".join(st.text for st in self.stretches[first:]),
                paragraph,
                marks,
                started,
                (first, len(self.stretches)),
            )
        )

    def paragraph_el(self, p: etree._Element, ctx: _Context, depth: int) -> None:
        self.paragraph_texts.append([])
        ppr = p.find(_PPR)
        style_el = ppr.find(_w("pStyle")) if ppr is not None else None
        sid = style_el.get(_VAL) if style_el is not None else self.styles.default_paragraph
        base = {**ctx.base, **self.styles.run_props(sid)}
        shd = ppr.find(_w("shd")) if ppr is not None else None
        if shd is None:
            shd = self.styles.paragraph_find(sid, _w("shd"))
        fill = _shading(shd)
        num = ppr.find(_w("numPr")) if ppr is not None else None
        if num is None:
            num = self.styles.paragraph_find(sid, _w("numPr"))
        if num is not None:
            num_id = num.find(_w("numId"))
            level = num.find(_w("ilvl"))
            shown = self.numbering.shows_text(
                num_id.get(_VAL, "") if num_id is not None else "",
                level.get(_VAL, "0") if level is not None else "0",
            )
            if shown is not None:
                self.find("numbering-text", f"list numbering that shows {shown!r}")
        inner = attrs.evolve(
            ctx,
            base=base,
            background=fill or ctx.background,
            paragraph=sid,
            plain=self.styles.plain(ctx.tables, sid),
        )
        self.walk(p, inner, depth + 1)

    def table(self, tbl: etree._Element, ctx: _Context, depth: int) -> None:
        props = tbl.find(_w("tblPr"))
        style_el = props.find(_w("tblStyle")) if props is not None else None
        sid = style_el.get(_VAL) if style_el is not None else None
        shd = props.find(_w("shd")) if props is not None else None
        if shd is None:
            shd = self.styles.table_find(sid, f"{_w('tblPr')}/{_w('shd')}")
        base = {**ctx.base, **self.styles.run_props(sid)}
        fill = _shading(shd) or ctx.background
        record = self._table_depth == 0 and self.note is None
        number = len(self.tables) + 1
        caption = self._caption_before(tbl) if record else None
        started, paragraph = len(self.bookmarks), self.paragraph
        alt = _value(props, "tblCaption")
        description = _value(props, "tblDescription")
        if description is not None and description.strip():
            self.find("hidden-text", "a table description (alternative text)", description)
        rows: list[tuple[BodyCell, ...]] = []
        shifted: list[int] = []
        first = len(self.stretches)
        if record:
            self._cell_stretches = []
        self._table_depth += 1
        for r, row in enumerate(self._rows_of(tbl, depth)):
            trpr = row.find(_TRPR)
            hidden = trpr is not None and any(_on(h) for h in trpr.iterfind(_HIDDEN_ROW))
            inner = _Context(
                base, fill, "a hidden table row" if hidden else ctx.hidden, (*ctx.tables, sid)
            )
            state = _Row(inner, [] if record else None, number, r)
            if record and trpr is not None and _leaves_columns(trpr):
                shifted.append(r)
            self._rows.append(state)
            for cell in row:
                if cell.tag == _TC:
                    self.cell(cell, depth + 2)
                elif isinstance(cell.tag, str) and cell.tag not in _ROW_PROPERTIES:
                    self.walk(cell, inner, depth + 2)  # content controls around cells
            self._rows.pop()
            if state.cells is not None:
                rows.append(tuple(state.cells))
        self._table_depth -= 1
        if record:
            self.tables.append(
                BodyTable(
                    tuple(rows),
                    caption,
                    alt,
                    started,
                    paragraph,
                    tuple(shifted),
                    (first, len(self.stretches)),
                    self._outside_cells(first),
                )
            )

    def _rows_of(self, tbl: etree._Element, depth: int) -> Iterator[etree._Element]:
        """The rows of a table in document order, also inside content controls and other
        wrappers around rows."""
        pending = [(iter(tbl), depth)]
        while pending:
            child = next(pending[-1][0], None)
            if child is None:
                pending.pop()
                continue
            tag = child.tag
            if tag == _TR:
                yield child
            elif isinstance(tag, str) and tag not in _TABLE_PROPERTIES:
                level = pending[-1][1] + 1
                if level > MAX_DEPTH:
                    raise ReadError(
                        f"{self.where}: line {child.sourceline}: elements are nested more than "
                        f"{MAX_DEPTH} deep (briefkit writes fewer than ten levels)"
                    )
                pending.append((iter(child), level))

    def _outside_cells(self, first: int) -> str:
        """The visible text from stretch ``first`` on that stands in none of the cells just
        recorded (text in a table but outside its cells)."""
        out: list[str] = []
        at = first
        for start, end in [*self._cell_stretches, (len(self.stretches), len(self.stretches))]:
            out.extend(st.text for st in self.stretches[at:start])
            at = max(at, end)
        return "".join(out)

    def cell(self, tc: etree._Element, depth: int) -> None:
        """A cell of the row being read."""
        state = self._rows[-1]
        if state is None:  # pragma: no cover - the callers check
            return
        tcpr = tc.find(_TCPR)
        cell_fill = _shading(tcpr.find(_SHD)) if tcpr is not None else None
        row = state.context
        inner = (
            _Context(row.base, cell_fill, row.hidden, row.tables) if cell_fill is not None else row
        )
        first_stretch, first_mark = len(self.stretches), len(self.bookmarks)
        if state.cells is not None:
            self._cell = (state.number, state.row, len(state.cells) + 1)
        self._rows.append(None)
        self.walk(tc, inner, depth)
        self._rows.pop()
        if state.cells is None:
            return
        self._cell = None
        self._cell_stretches.append((first_stretch, len(self.stretches)))
        span, merged = 1, False
        if tcpr is not None:
            grid = tcpr.find(_GRID_SPAN)
            span = (_int(grid) or 1) if grid is not None else 1
            merged = tcpr.find(_VMERGE) is not None or tcpr.find(_HMERGE) is not None
        state.cells.append(
            BodyCell(
                self._text_since(first_stretch), tuple(self.bookmarks[first_mark:]), span, merged
            )
        )

    def _text_since(self, first: int) -> str:
        """The visible text from stretch ``first`` on, a new paragraph as a line break."""
        out: list[str] = []
        paragraph: int | None = None
        for stretch in self.stretches[first:]:
            if paragraph is not None and stretch.paragraph != paragraph:
                out.append("\n")
            paragraph = stretch.paragraph
            out.append(stretch.text)
        return "".join(out)

    def _caption_before(self, tbl: etree._Element) -> str | None:
        """The visible text of the paragraph right before ``tbl``, None when something else
        stands there."""
        prev = tbl.getprevious()
        while prev is not None and (not isinstance(prev.tag, str) or prev.tag in _MARKERS):
            prev = prev.getprevious()
        if prev is None or prev.tag != _P:
            return None
        return "".join(self.paragraph_texts[-1]) if self.paragraph_texts else ""

    def embedded(self, el: etree._Element, hidden: str | None = None) -> None:
        text = "".join(_all_text(box) + "\n" for box in _outermost(el, _TXBX)).strip()
        if text:
            self.find("text-box", "text in a text box or shape", text)
            return
        picture = _picture(el) if self.note is None else None
        if picture is None:
            name = etree.QName(el).localname
            self.find("embedded-object", f"a picture or embedded object ({name})")
            return
        self.pictures.append(
            attrs.evolve(
                picture,
                hidden=hidden or picture.hidden,
                paragraph=self.paragraph,
                started=len(self.bookmarks),
                at=len(self.stretches),
                marks=self.marks,
                cell=self._cell,
            )
        )

    def look(
        self, rpr: etree._Element | None, ctx: _Context
    ) -> tuple[str | None, tuple[bool, bool]]:
        """Why a run with the direct formatting ``rpr`` in ``ctx`` cannot be seen (None when
        it can), and whether it shows in bold and in italics."""
        key = (ctx.tables, ctx.paragraph, ctx.background, ctx.hidden, _key(rpr))
        found = self._reasons.get(key)
        if found is None:
            style_el = rpr.find(_w("rStyle")) if rpr is not None else None
            sid = style_el.get(_VAL) if style_el is not None else self.styles.default_character
            props = {**ctx.base, **self.styles.run_props(sid), **_run_props(rpr)}
            reason = _hidden_reason(props, ctx.background) or ctx.hidden
            found = (reason, self.styles.look(ctx.plain, sid, rpr))
            self._reasons[key] = found
        return found

    def run(self, r: etree._Element, ctx: _Context, depth: int) -> None:
        hidden, (bold, italic) = self.look(r.find(_RPR), ctx)
        self._look = (bold, italic, ctx.plain)
        for child in r:
            tag = child.tag
            text = _SIMPLE.get(tag) if isinstance(tag, str) else None
            if text is None:
                if not isinstance(tag, str) or tag == _RPR:
                    continue
                if tag in _TEXTS:
                    text = child.text or ""
                else:
                    self.special(child, tag, hidden, ctx, depth)
                    if tag != _SYM:
                        continue
                    text = _symbol(child)
            if hidden is not None:
                if text.strip():
                    self.find("hidden-text", f"hidden text ({hidden})", text)
            else:
                self.emit(text)

    def special(
        self, child: etree._Element, tag: str, hidden: str | None, ctx: _Context, depth: int
    ) -> None:
        """A run's content other than text, tabs and breaks."""
        namespace, _, local = tag[1:].partition("}")
        if tag in _OBJECTS:
            self.embedded(child, hidden)
        elif namespace != _W:
            return
        elif local == "footnoteReference":
            self.reference(child, hidden)
        elif local == "endnoteReference":
            self.find("foreign-part", f"an endnote reference (endnote {child.get(_ID)})")
        elif local == "delText":
            if (child.text or "").strip():
                self.find("deleted-text", "deleted text (tracked change)", child.text or "")
        elif local == "instrText":
            if self._fields:
                self._fields[-1].instruction.append(child.text or "")
            else:
                self.find("field", f"a field code ({child.text or ''})")
        elif local == "fldChar":
            self.field_char(child.get(_w("fldCharType"), ""))
        elif local in _GENERATED:
            self.find("field", f"text Word generates (w:{local})")
        elif local == "ruby":
            self.walk(child, ctx, depth + 1)

    def field_char(self, kind: str) -> None:
        if kind == "begin":
            self._fields.append(_Field([], link=self._links[-1] if self._links else None))
            self._in_instruction += 1
        elif kind == "separate" and self._fields and not self._fields[-1].result:
            field = self._fields[-1]
            field.result = True
            self._in_instruction -= 1
            word = "".join(field.instruction).split()[:1]
            if word == ["TOC"] and len(self._fields) == 1 and self._body_level():
                field.toc = True
                field.start = (len(self.stretches), self.paragraph, len(self.bookmarks))
            elif word == ["PAGEREF"] and self._fields[0].toc:  # a TOC is outermost
                field.held = []
            elif word == ["PAGEREF"] and self._page_reference(field, len(self._fields) == 1):
                field.held = []
                field.page_link = field.link
        elif kind == "end" and self._fields:
            field = self._fields.pop()
            if not field.result:
                self._in_instruction -= 1
            instruction = " ".join("".join(field.instruction).split())
            if field.held is not None:
                shown = "".join(field.held)
                if self._fields and _PAGE_NUMBER.fullmatch("".join(shown.split())):
                    self._fields[0].pages.append(shown)
                    return
                if (
                    field.page_link is not None
                    and self._page_reference(field, not self._fields)
                    and _PAGE_SHOWN.fullmatch("".join(shown.split()))
                ):
                    self.page_field(instruction, shown)
                    return
                for text in field.held:  # not a page number: text like any other
                    self.emit(text)
            elif field.toc:
                first, paragraph, started = field.start
                self.contents.append(
                    ContentsField(
                        instruction,
                        (first, len(self.stretches)),
                        (paragraph, self.paragraph),
                        started,
                        tuple(field.pages),
                    )
                )
                return
            self.find("field", f"a field ({instruction})")

    def _page_reference(self, field: _Field, outermost: bool) -> bool:
        """Whether ``field`` may be a page reference's page: in the body (not a footnote), in
        no other field (``outermost``), inside the internal hyperlink it began in."""
        return (
            self.note is None
            and outermost
            and field.link is not None
            and self._links[-1:] == [field.link]
            and field.page_link in (None, field.link)
        )

    def page_field(self, instruction: str, shown: str) -> None:
        """A page reference's page: :data:`PAGE_MARK` in the body's text."""
        self.page_fields.append(
            PageField(
                instruction,
                shown,
                self.paragraph,
                self.marks,
                len(self.bookmarks),
                len(self.stretches),
            )
        )
        self.emit(PAGE_MARK)

    def _body_level(self) -> bool:
        """Whether reading is in the body, outside every table."""
        return self.note is None and self._table_depth == 0

    def close(self) -> None:
        while self._fields:
            self.field_char("end")

    def reference(self, el: etree._Element, hidden: str | None) -> None:
        try:
            fid = int(el.get(_ID, ""))
        except ValueError:
            raise ReadError(f"{self.part}: a footnote reference has a bad id") from None
        custom = el.get(_w("customMarkFollows"), "0").lower() in ("1", "true", "on")
        ordinal = self._numbered + 1
        if not custom:
            self._numbered += 1
        self.references.append(
            NoteReference(
                ordinal,
                fid,
                self._stack[-1] if self._stack else None,
                self.marks,
                self.paragraph,
                len(self.stretches),
                custom,
            )
        )
        if hidden is not None:
            self.find("hidden-text", f"the mark of footnote {ordinal} is hidden ({hidden})")

    def text(self) -> str:
        return "\n".join("".join(parts) for parts in self.paragraph_texts)


_WP_INLINE, _WP_ANCHOR = f"{{{WP}}}inline", f"{{{WP}}}anchor"


def _picture(drawing: etree._Element) -> BodyPicture | None:
    """The picture a ``w:drawing`` shows, when it shows one picture and nothing else."""
    if drawing.tag != _w("drawing"):
        return None
    frames = [c for c in drawing if isinstance(c.tag, str)]
    if len(frames) != 1 or frames[0].tag not in (_WP_INLINE, _WP_ANCHOR):
        return None
    frame = frames[0]
    data = frame.find(f"{{{A}}}graphic/{{{A}}}graphicData")
    if data is None or data.get("uri") != PICTURE_URI:
        return None
    shown = [c for c in data if isinstance(c.tag, str)]
    if len(shown) != 1 or shown[0].tag != f"{{{PIC}}}pic":
        return None
    fill = shown[0].find(f"{{{PIC}}}blipFill")
    blip = fill.find(f"{{{A}}}blip") if fill is not None else None
    if fill is None or blip is None:
        return None
    crop = fill.find(f"{{{A}}}srcRect")
    cropped = crop is not None and any(
        (_int(crop, side) or 0) != 0 for side in ("l", "t", "r", "b")
    )
    doc_pr = frame.find(f"{{{WP}}}docPr")
    extent = frame.find(f"{{{WP}}}extent")
    hidden = doc_pr is not None and doc_pr.get("hidden", "0").lower() in ("1", "true", "on")
    return BodyPicture(
        blip.get(f"{{{_NS_R}}}embed"),
        alt=doc_pr.get("descr") if doc_pr is not None else None,
        title=doc_pr.get("title") if doc_pr is not None else None,
        size=((_int(extent, "cx") or 0), (_int(extent, "cy") or 0))
        if extent is not None
        else (0, 0),
        inline=frame.tag == _WP_INLINE,
        cropped=cropped,
        hidden="the picture is marked hidden (wp:docPr/@hidden)" if hidden else None,
        linked=blip.get(f"{{{_NS_R}}}link") is not None,
    )


def _key(rpr: etree._Element | None) -> bytes | None:
    if rpr is None:
        return None
    data: bytes = etree.tostring(rpr)
    return data


def _outermost(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """The ``tag`` elements under ``el`` that are not inside another one, in document order
    (a text box in a text box is read with the outer one, not once more on its own)."""
    pending = [iter(el)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == tag:
            yield child
        else:
            pending.append(iter(child))


def _symbol(el: etree._Element) -> str:
    """The character a ``w:sym`` shows."""
    code = el.get(_w("char"), "")
    if re.fullmatch(r"[0-9A-Fa-f]{1,6}", code) and int(code, 16) < 0x110000:
        return chr(int(code, 16))
    return ""


def _all_text(el: etree._Element) -> str:
    """Every piece of text under ``el``, shown or not."""
    out = []
    for node in el.iter(_T, _w("delText"), f"{{{_M}}}t", _w("tab"), _w("br"), _w("cr"), _P):
        tag = node.tag
        if tag in (_T, _w("delText"), f"{{{_M}}}t"):
            out.append(node.text or "")
        elif tag == _P:
            if out:
                out.append("\n")
        else:
            out.append("\t" if tag == _w("tab") else "\n")
    return "".join(out)


# -- the package -----------------------------------------------------------------------------


def _rels(zf: BoundedZip, part: str) -> dict[str, tuple[str, str]]:
    folder, name = posixpath.split(part)
    data = zf.read(posixpath.join(folder, "_rels", name + ".rels"))
    if data is None:
        return {}
    root = _parse(data, f"{zf.where}: relationships of {part}")
    rels = {}
    for rel in root.iter(f"{{{_PKG}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        rels[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return rels


def _main_part(zf: BoundedZip) -> str:
    data = zf.read("_rels/.rels")
    if data is None:
        raise ReadError(f"{zf.where}: not a DOCX package (no _rels/.rels)")
    root = _parse(data, f"{zf.where}: _rels/.rels")
    for rel in root.iter(f"{{{_PKG}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    raise ReadError(f"{zf.where}: not a DOCX package (no main document)")


def _manifest_from(zf: BoundedZip, rels: dict[str, tuple[str, str]]) -> Manifest | None:
    candidates = [t for kind, t in rels.values() if kind == "customXml"]
    candidates += [n for n in zf.names() if n.startswith("customXml/item") and "Props" not in n]
    for name in dict.fromkeys(candidates):
        data = zf.read(name)
        if data is None:
            continue
        root = _parse(data, f"{zf.where}: {name}")
        if root.tag == f"{{{MANIFEST_NS}}}provenance":
            try:
                return _manifest.parse(root.text or "")
            except ManifestError as exc:
                raise ReadError(f"{zf.where}: {name}: {exc}") from None
    return None


def _related(rels: dict[str, tuple[str, str]], kind: str) -> list[str]:
    return [target for k, target in rels.values() if k == kind]


#: Parts whose text a reader would see around or beside the body; briefkit writes none but
#: its page furniture.
_FOREIGN_KINDS = ("header", "footer", "endnotes", "comments")
_FOREIGN_NAMES = re.compile(r"word/(header\d*|footer\d*|endnotes|comments)\.xml\Z")


def _page_references(
    body: etree._Element, rels: dict[str, tuple[str, str]]
) -> dict[str, list[tuple[str, str]]]:
    """For each header and footer part a section refers to: ``(kind, key)`` of each reference
    (:func:`._furniture.furniture_key`)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for sect in body.iter(_w("sectPr")):
        for ref in sect:
            if ref.tag not in (_w("headerReference"), _w("footerReference")):
                continue
            kind = "header" if ref.tag == _w("headerReference") else "footer"
            found = rels.get(ref.get(f"{{{_NS_R}}}id", ""))
            if found is not None and found[0] == kind:
                out.setdefault(found[1], []).append(
                    (kind, furniture_key(kind, ref.get(_w("type"))))
                )
    return out


def _foreign_parts(
    zf: BoundedZip,
    rels: dict[str, tuple[str, str]],
    label: str,
    pages: Mapping[str, list[tuple[str, str]]],
    properties: Mapping[str, str],
) -> Iterator[Finding]:
    recorded = parse_record(property_value(properties, FURNITURE_PROPERTY))
    names = [t for kind in _FOREIGN_KINDS for t in _related(rels, kind)]
    names += [n for n in zf.names() if _FOREIGN_NAMES.match(n)]
    for name in dict.fromkeys(names):
        data = zf.read(name)
        if data is None:
            continue
        root = _parse(data, f"{label}: {name}")
        text = _all_text(root).strip()
        if not text:
            continue
        what = f"text in {name}"
        if name in pages:
            shown = furniture_text(root)
            wrong = [
                (kind, key)
                for kind, key in pages[name]
                if not _furniture_ok(kind, key, shown, recorded)
            ]
            if not wrong:
                continue
            kind, key = wrong[0]
            if key in recorded:
                what += f" (the {kind} differs from the one the document was written with)"
            else:
                what += f" (a {kind} briefkit did not write)"
        elif root.tag == _w("ftr") and is_page_number(furniture_text(root)):
            continue  # a page number no section shows
        yield Finding("foreign-part", what, text, name)


def _furniture_ok(kind: str, key: str, shown: str, recorded: Mapping[str, str]) -> bool:
    """Whether a header or footer referred to as ``key`` is the page furniture briefkit wrote:
    its own page number, or what it recorded for the template's."""
    if kind == "footer" and is_page_number(shown):
        return True
    return recorded.get(key) == digest(shown)


@attrs.define
class _Notes:
    """What the footnotes part holds (see :class:`DocxContents`)."""

    notes: dict[int, str] = attrs.field(factory=dict)
    findings: list[Finding] = attrs.field(factory=list)
    separators: set[int] = attrs.field(factory=set)
    marks: dict[int, tuple[str, ...]] = attrs.field(factory=dict)
    stretches: dict[int, tuple[Stretch, ...]] = attrs.field(factory=dict)
    links: dict[int, tuple[BodyLink, ...]] = attrs.field(factory=dict)


def _footnotes(
    zf: BoundedZip,
    target: str,
    label: str,
    styles: _Styles,
    numbering: _Numbering,
    background: RGB,
    out: _Notes,
) -> None:
    data = zf.read(target)
    if data is None:
        raise ReadError(f"{label}: the footnotes part {target} is missing")
    notes, findings, separators, marks = out.notes, out.findings, out.separators, out.marks
    rels: dict[str, tuple[str, str]] | None = None
    for fn in _parse(data, f"{label}: {target}").iter(_w("footnote")):
        try:
            fid = int(fn.get(_ID, ""))
        except ValueError:
            raise ReadError(f"{label}: a footnote has a bad id") from None
        story = _Story(styles, numbering, target, note=fid, label=label)
        story.walk(fn, _Context(styles.defaults, background))
        story.close()
        findings += story.findings
        text = story.text()
        if fn.get(_w("type")) in ("separator", "continuationSeparator"):
            separators.add(fid)
            if text.strip():
                findings.append(
                    Finding("foreign-part", "text in the footnote separator", text, target)
                )
            continue
        notes[fid] = text[1:] if text.startswith(" ") else text
        marks[fid] = tuple(story.bookmarks)
        out.stretches[fid] = tuple(story.stretches)
        if story.links:
            if rels is None:
                rels = _rels(zf, target)
            out.links[fid] = _resolve_links(story.links, rels)


_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _properties(zf: BoundedZip, label: str) -> dict[str, str]:
    """The custom document properties: name -> the text of the value (the first of each
    name)."""
    names = [t for kind, t in _rels(zf, "").values() if kind == "custom-properties"]
    out: dict[str, str] = {}
    for name in dict.fromkeys([*names, "docProps/custom.xml"]):
        data = zf.read(name)
        if data is None:
            continue
        root = _parse(data, f"{label}: {name}")
        for prop in root.iter(f"{{{_CUSTOM_PROPERTIES}}}property"):
            key = prop.get("name")
            if key is None or key in out:
                continue
            value = next((child for child in prop if isinstance(child.tag, str)), None)
            out[key] = (value.text or "") if value is not None else ""
        break
    return out


def read_docx(source: str | os.PathLike[str] | bytes, *, where: str | None = None) -> DocxContents:
    """Read a DOCX file (path or bytes)."""
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<docx>")
    with BoundedZip(source, where=label) as zf:
        main = _main_part(zf)
        rels = _rels(zf, main)
        body_xml = zf.read(main)
        if body_xml is None:
            raise ReadError(f"{label}: the main document part {main} is missing")
        root = _parse(body_xml, f"{label}: {main}")
        styles_xml = next((zf.read(t) for t in _related(rels, "styles")), None)
        styles = _Styles(_parse(styles_xml, f"{label}: styles") if styles_xml else None)
        numbering_xml = next((zf.read(t) for t in _related(rels, "numbering")), None)
        numbering = _Numbering(
            _parse(numbering_xml, f"{label}: numbering") if numbering_xml else None
        )
        page = root.find(_w("background"))
        background = (_rgb(page.get(_w("color"))) if page is not None else None) or _WHITE
        read = _Notes()
        for target in _related(rels, "footnotes"):
            _footnotes(zf, target, label, styles, numbering, background, read)
        notes, findings, separators, note_marks = (
            read.notes,
            read.findings,
            read.separators,
            read.marks,
        )
        properties = _properties(zf, label)
        findings += _foreign_parts(zf, rels, label, _page_references(root, rels), properties)
        manifest = _manifest_from(zf, rels)
        body = root.find(_w("body"))
        story = _Story(styles, numbering, main, label=label)
        if body is not None:
            story.walk(body, _Context(styles.defaults, background))
        story.close()
        pictures = _resolve_pictures(zf, story.pictures, rels)
    links = _resolve_links(story.links, rels)
    return DocxContents(
        manifest,
        notes,
        tuple(story.references),
        tuple("".join(parts) for parts in story.paragraph_texts),
        tuple(story.stretches),
        tuple(story.bookmarks),
        (*story.findings, *findings),
        frozenset(separators),
        note_marks,
        properties,
        tuple(story.tables),
        pictures,
        links,
        tuple(story.contents),
        tuple(story.bookmark_paragraphs),
        styles.character_toggles(),
        read.stretches,
        read.links,
        tuple(story.page_fields),
    )


def _resolve_links(
    links: Sequence[BodyLink], rels: Mapping[str, tuple[str, str]]
) -> tuple[BodyLink, ...]:
    """Each hyperlink with the target of its relationship as its ``url``."""
    return tuple(
        attrs.evolve(link, url=_url(rels, link.url)) if link.url is not None else link
        for link in links
    )


def _url(rels: Mapping[str, tuple[str, str]], rid: str) -> str | None:
    """The target of a hyperlink's relationship, None when there is none."""
    found = rels.get(rid)
    return found[1] if found is not None and found[0] == "hyperlink" else None


def _resolve_pictures(
    zf: BoundedZip, pictures: Sequence[BodyPicture], rels: Mapping[str, tuple[str, str]]
) -> tuple[BodyPicture, ...]:
    """Each picture with the image part it embeds and the sha256 of its bytes."""
    digests: dict[str, str | None] = {}
    out = []
    for picture in pictures:
        found = rels.get(picture.rid or "")
        part = found[1] if found is not None and found[0] == "image" else None
        if part is not None and part not in digests:
            data = zf.read(part)
            digests[part] = hashlib.sha256(data).hexdigest() if data is not None else None
        sha = digests.get(part) if part is not None else None
        out.append(attrs.evolve(picture, part=part, sha256=sha))
    return tuple(out)
