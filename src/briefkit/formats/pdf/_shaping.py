"""Right-to-left and complex scripts in the PDF: lines reordered for display and shaped.

reportlab breaks a paragraph into lines in logical order, measuring each character alone.
Before a line is drawn, a line that holds a right-to-left character (Hebrew, Arabic, Syriac,
Thaana, NKo …) or a character of a script whose letters change shape or order in context
(Arabic joining, the Brahmic scripts' conjuncts and reordered vowel signs, Thai, Khmer …) is
rebuilt here:

1. **Order.** The line's text (the characters of its pieces, in logical order) is given
   embedding levels by the Unicode Bidirectional Algorithm (:mod:`briefkit._bidi`), as a
   paragraph of its own with the base level it is given (left to right, 0, for every
   language a brief can be written in), and put in display order (rules L1–L2).
2. **Runs.** The display order is cut into runs: characters of one piece (one face, size,
   colour, link), at one level, next to each other in the text, not a space. A run at an odd
   level (right-to-left), or holding a character that needs shaping, is shaped by HarfBuzz
   (uharfbuzz) in its direction, which also mirrors brackets at odd levels; any other run, and
   every space, is drawn as before.
3. **Glyphs.** A shaped run is drawn glyph by glyph, left to right, each glyph moved by the
   offsets HarfBuzz gives (marks, kerning). Each glyph is drawn as a code of its own whose
   ``/ToUnicode`` entry is the text of its cluster (the characters HarfBuzz shaped into it;
   a cluster of several glyphs gives its text to the first glyph drawn, and the others read
   as :data:`._container.FURTHER_GLYPH`),
   so a text extractor that orders right-to-left runs itself (pdftotext, a viewer's copy)
   reads the words in logical order.
4. **Logical text.** The line is drawn inside a marked-content sequence ``/Span`` whose
   properties carry the line's text in logical order (with the isolates of
   :func:`_isolated`) under :data:`._container.TEXT_KEY` and the base level under
   :data:`._container.BASE_KEY`. briefkit's reader puts the glyphs back in logical order only
   after checking that they show that text: put in display order by the same algorithm, the
   text must be the glyphs' own texts, cluster by cluster, left to right on one line, and its
   isolates must be where this module's rules put them (see
   :meth:`briefkit.formats.pdf.reader._Page.put_in_logical_order`). A file edited to say one
   thing in the span and draw another reads as what it draws. A shaped left-to-right run is
   also inside a ``/Span`` of its own whose ``/ActualText`` is its text, which text
   extractors read instead of its glyphs (whose order inside a cluster is not the text's); a
   right-to-left run has none, as extractors take ``/ActualText`` to be drawn left to right.

Glyph codes. A glyph is named to reportlab by a character of the supplementary private use
areas (planes 15 and 16; never one a registered face maps itself, which a brief's own text
may use), one for each (face, glyph, cluster text); those
characters never reach the file (its fonts are subsets numbered in order of use, and the
``/ToUnicode`` map gives the cluster's text), so the bytes do not depend on what else the
process shaped before.

The lines are a little wider or narrower once shaped than reportlab measured them; the space
a line has left is corrected by the difference, so alignment and justification hold, and a
line that ends up wider than its frame by a fraction of a point stays so.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.textobject import PDFTextObject

from briefkit import _bidi
from briefkit._text import quoted_passages
from briefkit.errors import ExportError
from briefkit.formats.pdf._container import BASE_KEY, FURTHER_GLYPH, TEXT_KEY
from briefkit.formats.pdf._tags import hex_text

__all__ = [
    "CALLBACK",
    "PRIVATE_PLANES",
    "needs_rebuild",
    "rebuild_line",
    "reserve",
    "to_unicode_text",
]

#: The name of the canvas callback that opens and closes a rebuilt line's span.
CALLBACK = "briefkitSpan"

# What makes a line one to rebuild: a right-to-left character or control (Hebrew, Arabic,
# Syriac, Thaana, NKo …; RLM, ALM, RLE, RLO, RLI), or a character of a script whose letters
# change shape or order in context (Arabic and the other joining scripts, the Brahmic
# scripts, Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian and the like).
_REBUILD = re.compile(
    "[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f"
    "\u1780-\u18af\u1900-\u1aaf\u1b00-\u1c4f\ua800-\ua82f\ua840-\ua8ff\ua900-\uaaff"
    "\uabc0-\uabff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U00011000-\U00011fff"
    "\U0001e800-\U0001efff\u200f\u061c\u202b\u202e\u2067]"
)
#: Where the characters that name shaped glyphs start: the supplementary private use areas.
PRIVATE_PLANES = 0xF0000
_LAST_PRIVATE = 0x10FFFD
_LRI, _FSI, _PDI = _bidi.LRI, _bidi.FSI, _bidi.PDI
_WEB = re.compile(r"(?i)https?://|mailto:")
#: The direction controls of a text: not drawn, and ordering nothing in a rebuilt line (see
#: :func:`_isolated`).
_UNORDERED = _bidi.CONTROLS


def needs_rebuild(text: str) -> bool:
    """Whether a line of ``text`` must be reordered or shaped before it is drawn."""
    return _REBUILD.search(text) is not None


class _Glyphs:
    """The private characters standing for shaped glyphs, and the text each stands for."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, int, str], int] = {}
        self.texts: dict[int, str] = {}
        self.next = PRIVATE_PLANES
        #: private characters some registered face maps itself: never given out
        self.reserved: set[int] = set()

    def code(self, font: TTFont, gid: int, text: str, width: float) -> str:
        """The character standing for glyph ``gid`` of ``font`` read as ``text``; ``width``
        is the glyph's own advance (its ``hmtx`` entry, in thousandths of an em), which the
        font's ``/Widths`` must give (PDF/A)."""
        key = (font.fontName, gid, text)
        found = self.codes.get(key)
        if found is None:
            found = self.next
            while found in self.reserved or found in (0xFFFFE, 0xFFFFF):
                found += 1
            if found > _LAST_PRIVATE:
                raise ExportError("PDF fonts: too many different shaped glyphs in one process")
            self.next = found + 1
            self.codes[key] = found
            self.texts[found] = text
            face = font.face
            face.charToGlyph[found] = gid
            face.charWidths[found] = width
        return chr(found)


_GLYPHS = _Glyphs()


def reserve(code_points: Iterable[int]) -> None:
    """Never name a shaped glyph by these private characters (a face maps them itself: a
    character of a brief drawn by that face must read as itself)."""
    _GLYPHS.reserved.update(code_points)


def to_unicode_text(code_point: int) -> str | None:
    """The text a private glyph character stands for (its cluster's), None for any other."""
    return _GLYPHS.texts.get(code_point)


@functools.cache
def _install_rise_fix() -> None:
    """reportlab's text object looks at the last operator it wrote before setting a rise, and
    fails (IndexError) when a shaped string's first glyph is raised or lowered (an Arabic
    vowel mark drawn first in a right-to-left run), as it writes each string into an empty
    buffer; there is nothing to look at then, and the rise is simply set."""
    original = PDFTextObject.setRise
    if getattr(original, "_briefkit_fixed", False):
        return

    def set_rise(self: PDFTextObject, rise: float) -> None:
        text: Any = self
        if text._code:
            original(self, rise)
            return
        text._rise = rise
        text._y -= rise
        text._code.append(f"{fp_str(rise)} Ts")

    set_rise._briefkit_fixed = True  # type: ignore[attr-defined]
    PDFTextObject.setRise = set_rise  # type: ignore[method-assign]


class _ShapingFont(TTFont):
    """A TrueType face that has drawn shaped text: a shaped string is as wide as HarfBuzz's
    advances say (reportlab measures a string by its characters' own widths, the ``hmtx``
    ones that ``/Widths`` gives, and places the links and lines over a line by them)."""

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        if type(text) is ShapedStr:
            data: list[Any] = getattr(text, "__shapeData__")  # noqa: B009 - a mangled name
            return float(sum(sd.x_advance for sd in data)) * size / 1000
        return float(super().stringWidth(text, size, encoding))


class _Shaper:
    """HarfBuzz fonts for reportlab's registered TrueType faces, made once each."""

    def __init__(self) -> None:
        self.fonts: dict[str, Any] = {}

    def shape(self, font_name: str, text: str, rtl: bool) -> tuple[str, list[Any]]:
        import uharfbuzz as hb

        font = pdfmetrics.getFont(font_name)
        if not isinstance(font, TTFont):  # pragma: no cover - briefkit registers TrueType only
            raise ExportError(f"PDF fonts: {font_name!r} is not a TrueType font")
        hb_font = self.fonts.get(font_name)
        if hb_font is None:
            _install_rise_fix()
            face: Any = font.face
            hb_font = self.fonts[font_name] = hb.Font(hb.Face(hb.Blob(face._ttf_data)))
            if type(font) is TTFont:  # measured as drawn from now on (the same face)
                changed: Any = font
                changed.__class__ = _ShapingFont
        upem = hb_font.face.upem
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(hb_font, buf, {"kern": True, "liga": True})
        infos, positions = buf.glyph_infos, buf.glyph_positions
        # the text of each cluster: from its first character to the next cluster's, in the
        # text's own order (clusters rise left to right in a left-to-right run, fall in a
        # right-to-left one)
        starts = sorted({info.cluster for info in infos})
        ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
        seen: set[int] = set()
        chars: list[str] = []
        data: list[Any] = []
        for info, pos in zip(infos, positions, strict=True):
            cluster = info.cluster
            own = FURTHER_GLYPH if cluster in seen else text[cluster : ends[cluster]]
            seen.add(cluster)
            gid = info.codepoint
            width = hb_font.get_glyph_h_advance(gid) * 1000 / upem
            chars.append(_GLYPHS.code(font, gid, own, width))
            # reportlab draws the glyph moved by its offsets and then moves on by the advance
            # HarfBuzz gives (kerning and marks change it), not the glyph's own width
            data.append(
                ShapeData(
                    cluster,
                    pos.x_advance * 1000 / upem,
                    pos.y_advance * 1000 / upem,
                    pos.x_offset * 1000 / upem,
                    pos.y_offset * 1000 / upem,
                    width,
                )
            )
        return "".join(chars), data


_SHAPER = _Shaper()


def _shaped_run(frag: Any, text: str, rtl: bool) -> Any:
    """A piece drawing ``text`` shaped."""
    glyphs, data = _SHAPER.shape(frag.fontName, text, rtl)
    return _piece(frag, ShapedStr(glyphs, shapeData=cast(Any, data)))


def _piece(frag: Any, text: str) -> Any:
    """A copy of reportlab's fragment ``frag`` (a plain record of attributes) with ``text``."""
    piece = object.__new__(type(frag))
    piece.__dict__.update(frag.__dict__)
    piece.text = text
    return piece


def _marker(label: str) -> Any:
    from reportlab.lib.abag import ABag
    from reportlab.platypus.paraparser import ParaFrag

    frag = ParaFrag()
    frag.cbDefn = ABag(kind="onDraw", name=CALLBACK, label=label)
    frag.text = ""
    return frag


def _width(frag: Any) -> float:
    return float(pdfmetrics.stringWidth(frag.text, frag.fontName, frag.fontSize))


def _isolating(frag: Any) -> object:
    """What a piece's link isolates it with: a web link's address, or a note mark's (raised)
    link; None for any other piece (a link to a heading, a table, a figure is not isolated:
    such a link is a whole contents entry or a phrase that starts with a word)."""
    links = getattr(frag, "link", None)
    if not links:
        return None
    if getattr(frag, "rise", 0):
        return ("mark", *map(str, links))
    hrefs = [str(link[1]) if isinstance(link, (tuple, list)) else str(link) for link in links]
    return tuple(hrefs) if all(_WEB.match(h) for h in hrefs) else None


def _isolated(frags: Sequence[Any]) -> tuple[str, list[int]]:
    """The text of a line's pieces with the isolates it is ordered with, and for each of its
    characters the piece it belongs to (``-1`` for an isolate, never drawn).

    Quoted text, web links and note marks are ordered on their own, as ``<q>`` and ``<bdi>``
    are on the web: the words inside each quotation the line holds whole
    (:func:`quoted_passages`) are put between FIRST STRONG ISOLATE and POP DIRECTIONAL
    ISOLATE, the text of each web link and each note's mark (a link to its note, raised)
    between LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE. So a quotation in Arabic keeps
    its closing mark and the note mark after it where the sentence's own direction puts them,
    a number after right-to-left words is not drawn before them, and a link's words stand
    together under one rectangle. These are the only direction controls a line is ordered
    with: those of the text itself (embeddings, overrides, isolates and the marks LRM, RLM,
    ALM) are not drawn and order nothing, so that what a page shows follows from its visible
    characters by rules the reader checks (see :data:`._container.TEXT_KEY`)."""
    plain: list[str] = []
    owner: list[int] = []
    runs: list[tuple[int, int]] = []  # [start, end) of each isolated link, in ``plain``
    current: object = None
    for k, frag in enumerate(frags):
        isolating = _isolating(frag)
        if current is not None and isolating != current:
            runs[-1] = (runs[-1][0], len(plain))
            current = None
        if isolating is not None and current is None:
            runs.append((len(plain), len(plain)))
            current = isolating
        for ch in frag.text:
            if ch not in _UNORDERED:
                plain.append(ch)
                owner.append(k)
    if current is not None:
        runs[-1] = (runs[-1][0], len(plain))
    flat = "".join(plain)
    opens: dict[int, list[str]] = {}
    closes: dict[int, int] = {}
    for start, end in runs:
        if end > start:
            opens.setdefault(start, []).append(_LRI)
            closes[end] = closes.get(end, 0) + 1
    for start, end, _inner in quoted_passages(flat):
        opens.setdefault(start + 1, []).append(_FSI)
        closes[end - 1] = closes.get(end - 1, 0) + 1
    text: list[str] = []
    owners: list[int] = []
    for at in range(len(flat) + 1):
        shut = closes.get(at, 0)
        text += [_PDI] * shut
        owners += [-1] * shut
        for mark in opens.get(at, ()):
            text.append(mark)
            owners.append(-1)
        if at < len(flat):
            text.append(flat[at])
            owners.append(owner[at])
    return "".join(text), owners


def rebuild_line(
    words: Sequence[Any], base: int, label: str
) -> tuple[list[Any], float, dict[str, str]]:
    """The pieces (reportlab fragments) of one line rebuilt for display, how much wider they
    are than ``words`` (negative when narrower), and the marked content they open: for each
    marker's label, the operator that opens its sequence (a marker whose label ends in ``/``
    closes the sequence of the label before it).

    The line's pieces are inside the span that carries its logical text; each shaped run
    written left to right is inside a ``/Span`` with its text as ``/ActualText`` too, which
    text extractors read instead of the glyphs' own texts (a vowel sign drawn before its
    consonant, a conjunct's glyphs: their order is not the text's)."""
    frags = [w for w in words if not hasattr(w, "cbDefn")]
    line, owner = _isolated(frags)
    _base, levels = _bidi.paragraph_levels(line, base)
    order = _bidi.line_order(line, levels, base, 0, len(line))
    before = sum(_width(f) for f in frags)
    opens = {label: f"/Span <</{TEXT_KEY} <{hex_text(line)}> /{BASE_KEY} {base}>> BDC"}
    # the line's destinations (``<a name>``) stand at its start: a destination is the top of
    # its line, whatever its place along it
    out: list[Any] = [_marker(label), *(w for w in words if hasattr(w, "cbDefn"))]
    k = 0
    while k < len(order):
        i = order[k]
        level, frag = levels[i], owner[i]
        if frag < 0:  # a direction control: it orders the text and is not drawn
            k += 1
            continue
        step = -1 if level % 2 else 1
        j = k + 1
        if line[i] != " ":
            while (
                j < len(order)
                and order[j] == order[j - 1] + step
                and levels[order[j]] == level
                and owner[order[j]] == frag
                and line[order[j]] != " "
            ):
                j += 1
        lo, hi = min(order[k], order[j - 1]), max(order[k], order[j - 1]) + 1
        text = line[lo:hi]
        source = frags[frag]
        if text != " " and (level % 2 or needs_rebuild(text)):
            piece = _shaped_run(source, text, bool(level % 2))
            if level % 2:
                out.append(piece)
            else:
                run = f"{label}.{len(opens)}"
                opens[run] = f"/Span <</ActualText <{hex_text(text)}>>> BDC"
                out += [_marker(run), piece, _marker(run + "/")]
        else:
            out.append(_piece(source, text))
        k = j
    out.append(_marker(label + "/"))
    after = sum(_width(f) for f in out if not hasattr(f, "cbDefn"))
    return out, after - before, opens
