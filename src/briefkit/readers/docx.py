"""The DOCX reader: the paragraphs of a Word document's body as canonical text; headings and
numbered paragraphs are sections.

The canonical text (reading rules version ``1``) — a public contract: verify reads a source
again by exactly these rules, and any change to them raises :attr:`DocxReader.version`.

**The package.** The main document part is the target of the package's ``officeDocument``
relationship (``_rels/.rels``); without one, the part ``[Content_Types].xml`` declares as the
main document; without that, ``word/document.xml``. Its styles and numbering parts are the
targets of its ``styles`` and ``numbering`` relationships (without a relationships part,
``styles.xml`` and ``numbering.xml`` beside it); the title comes from the ``core-properties``
part (else ``docProps/core.xml``). Transitional and Strict WordprocessingML are both read. No
other part is read: headers, footers, footnotes, endnotes, comments, glossary documents and
imported content (``w:altChunk``, ``w:subDoc``) are not part of the text.

**Blocks.** The text is the body's paragraphs (``w:p``) in document order — including those in
tables (row by row, cell by cell, nested tables in place), content controls (``w:sdt``, their
shown content, placeholder text included), custom XML and smart tags — each paragraph one
block: blocks are separated by one blank line (``"\\n\\n"``), and a paragraph with no text, or
only whitespace, is left out. Deleted table rows (``w:trPr/w:del``) and cells
(``w:tcPr/w:cellDel``) are left out. Drawings, pictures, shapes, text boxes, embedded objects
and everything inside ``mc:AlternateContent`` are left out (a floating text box has no place in
the reading order). A paragraph whose paragraph mark is a tracked deletion (``w:pPr/w:rPr/
w:del`` or ``w:moveFrom``) has been joined to the next paragraph: its text comes first in that
paragraph, which keeps its own properties (at a table, a cell's end or the body's end it stays
a paragraph of its own). Elements these rules do not name (hyperlinks, bookmarks, bidi
embeddings, elements of other namespaces …) are read through, as if only their content were
there.

**A paragraph's text** is that of its runs (``w:r``, ``m:r``), in document order:

* ``w:t`` — its text as stored (``xml:space`` is not applied, a tab or line feed written into
  it is kept, nothing is normalised);
* ``w:tab`` and ``w:ptab`` — ``"\\t"``; ``w:br`` (any type: line, page or column break) and
  ``w:cr`` — ``"\\n"``; ``w:noBreakHyphen`` — U+2011; ``w:softHyphen`` — U+00AD;
* ``w:sym`` — the character of its ``w:char`` when that is a Unicode scalar value outside the
  private-use areas (symbol fonts' private-use codes are dropped);
* equations (Office Math ``m:t``) — their characters in document order, without operators
  for their structure; the phonetic guide of ruby text (``w:rt``) is left out, its base kept;
* tracked changes as if all were accepted: deleted text (``w:del``, ``w:moveFrom``,
  ``w:delText``) is left out, inserted text (``w:ins``, ``w:moveTo``) kept;
* hidden text is left out: a run is hidden when its own ``w:rPr`` says ``w:vanish`` (or
  ``w:specVanish``) is on, or — when its own properties do not say — when the document
  defaults, the paragraph's style and the run's character style (each followed through
  ``w:basedOn``, the nearest setting winning) toggle it on (``w:vanish`` is a toggle
  property: each of the three that has it on flips it);
* fields show their result: field codes (``w:instrText``, and everything between a
  ``w:fldChar`` ``begin`` and its ``separate``, nested fields included) are left out, the
  result up to the ``end`` is kept; a ``w:fldSimple``'s result runs are kept;
* what Word generates rather than stores is not text: list numbers and bullets, footnote
  and endnote reference marks, page numbers and dates of ``w:pgNum``/``w:dayShort`` …;
* control characters other than ``"\\n"`` and ``"\\t"`` are dropped.

(Two line breaks in a row make a blank line inside a paragraph, which citations that count
paragraphs take for a paragraph break.)

**Sections.** A paragraph starts a section when it is a heading or is numbered:

* it is a *heading* when its ``w:pPr/w:outlineLvl`` is 0–8, or — without one — the nearest
  style of its style chain (its ``w:pStyle``, else the default paragraph style, then each
  ``w:basedOn``) that has an outline level has 0–8, or that has a style id or name
  ``Heading1``–``Heading9``/``heading 1``–``heading 9`` or ``Title`` (any case) comes
  before any with an outline level 9 (body text);
* it is *numbered* when its ``w:numPr`` names a numbering (``w:numId``) other than ``0``
  whose level (``w:ilvl``) has a ``w:numFmt`` other than ``bullet`` and ``none`` and a
  ``w:lvlText`` with a ``%1``–``%9`` in it. A ``w:numId`` or ``w:ilvl`` the paragraph lacks
  comes from the nearest ``w:numPr`` with a ``w:numId`` in its style chain; a level still
  missing is the one linked to the paragraph's style (``w:lvl/w:pStyle``), else 0.

Numbers are computed as Word shows them, and are *not* part of the canonical text:

* a ``w:num`` counts on its ``w:abstractNumId`` (followed through ``w:numStyleLink``), so lists
  sharing one continue each other: counters are kept per abstract numbering, in document
  order; a level is defined by the ``w:num``'s ``w:lvlOverride/w:lvl``, else the abstract's;
* every numbered paragraph counts, with or without text, except one whose mark is deleted
  (above) or hidden with no text but whitespace visible; bulleted paragraphs count too;
* a level's first value is the ``w:num``'s ``w:lvlOverride/w:startOverride``, else its
  ``w:start`` (0 when missing); the first paragraph of a ``w:num`` with start overrides
  restarts those levels;
* using a level restarts the deeper levels, except a deeper level whose ``w:lvlRestart`` is
  ``n`` (restarted only by levels ``1``–``n``, counting from 1) or ``0`` (never restarted);
* ``%k`` in the level text is level ``k``'s current value (its first value when not yet
  used) in level ``k``'s ``w:numFmt``: ``decimal``; ``decimalZero`` (``01``);
  ``lowerLetter``/``upperLetter`` (``a``…``z``, ``aa``…); ``lowerRoman``/``upperRoman``
  (1–3999); other formats, and values these cannot show, decimal; ``bullet``/``none``,
  nothing. With ``w:isLgl`` the levels other than the paragraph's are decimal;
* the section label is that text with control characters dropped, whitespace collapsed,
  trailing ``.``, ``)``, ``]``, ``:`` and spaces and leading ``(`` and ``[`` removed, and a
  leading ``§``, ``Section``, ``Article``, ``Chapter``, ``Part`` or ``Sec.`` removed (as
  :func:`~briefkit.readers._common.heading_label` does with a typed number), cut at 60
  characters with ``…``: ``"2.1."`` → ``2.1``, ``"(a)"`` → ``a``, ``"Article III."`` →
  ``III``; a text with no letter or digit left is no number.

A heading's section label is ``heading_label(text, number)`` — its number when numbered, else
the number it starts with, else its text (:func:`briefkit.readers._common.heading_label`); a
numbered paragraph that is not a heading is labelled with its number. A paragraph left out
(no text) starts no section.

``title`` is the core properties' ``dc:title``, whitespace collapsed (None when empty); the
text is made of paragraphs (``paragraphs=True``); there is no URL.

A file that is not a zip package, lacks its main document part, holds malformed XML or XML
with a document type declaration (DTD, entities), nests elements more than 256 deep, or has a
part read larger than 64 MB uncompressed is refused with :class:`UnreadableSourceError`
naming the file and the part. The package is opened through
:class:`~briefkit.formats._zipsafe.BoundedZip` (member count, size and compression ratio
bounded), XML is parsed without entity expansion, DTD loading or network access, and the body
is walked without recursion.
"""

from __future__ import annotations

import posixpath
import re
import zlib
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import unquote

from lxml import etree

from briefkit.errors import ReadError
from briefkit.formats._zipsafe import BoundedZip
from briefkit.readers import Extraction, SourceReader, UnreadableSourceError
from briefkit.readers._common import Block, heading_label, join_blocks

__all__ = ["MAX_PART_BYTES", "DocxReader"]

#: The largest package part read (uncompressed).
MAX_PART_BYTES = 64 * 1024 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_M_STRICT = "http://purl.oclc.org/ooxml/officeDocument/math"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_DC = "http://purl.org/dc/elements/1.1/"
_MAIN_TYPES = frozenset(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "openxmlformats-officedocument.wordprocessingml.document",
        "openxmlformats-officedocument.wordprocessingml.template",
        "ms-word.document.macroEnabled",
        "ms-word.template.macroEnabledTemplate",
    )
)

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEADING_STYLE = re.compile(r"(?:heading ?[1-9]|title)\Z", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"%([1-9])")
_NUMBER_PREFIX = re.compile(
    r"(?:§\s*|(?:Section|SECTION|Article|ARTICLE|Chapter|CHAPTER|Part|PART|Sec\.)\s+)(?=\S)"
)
_LABEL_MAX = 60
_LEVELS = 9
_OFF = frozenset({"0", "false", "off"})

# What the walk does with an element, by kind (elements of other kinds are walked into).
_PARAGRAPH, _RUN, _TEXT, _CHAR, _SYM, _FLDCHAR, _ROW, _CELL, _TABLE, _SKIP = range(10)
_CHARS = {
    "tab": "\t",
    "ptab": "\t",
    "br": "\n",
    "cr": "\n",
    "noBreakHyphen": "\u2011",
    "softHyphen": "\u00ad",
}
_SKIPPED = {
    "deletions and field codes": ("del", "moveFrom", "delText", "delInstrText", "instrText"),
    "properties": ("pPr", "rPr", "sectPr", "tblPr", "tblPrEx", "tblGrid", "trPr", "tcPr"),
    "more properties": ("sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr", "rubyPr"),
    "floating content": ("drawing", "pict", "object", "txbxContent", "contentPart", "control"),
    "imported content": ("altChunk", "subDoc"),
    "the phonetic guide of ruby text": ("rt",),
}


def _kinds(w: str, m: str) -> dict[str, int]:
    kinds = {f"{{{w}}}{name}": _SKIP for group in _SKIPPED.values() for name in group}
    kinds.update({f"{{{w}}}{name}": _CHAR for name in _CHARS})
    kinds.update(
        {
            f"{{{w}}}p": _PARAGRAPH,
            f"{{{w}}}r": _RUN,
            f"{{{m}}}r": _RUN,
            f"{{{w}}}t": _TEXT,
            f"{{{m}}}t": _TEXT,
            f"{{{w}}}sym": _SYM,
            f"{{{w}}}fldChar": _FLDCHAR,
            f"{{{w}}}tbl": _TABLE,
            f"{{{w}}}tr": _ROW,
            f"{{{w}}}tc": _CELL,
            f"{{{_MC}}}AlternateContent": _SKIP,
        }
    )
    return kinds


_KINDS = {_W: _kinds(_W, _M), _W_STRICT: _kinds(_W_STRICT, _M_STRICT)}


def _on(el: etree._Element | None, val: str) -> bool | None:
    """The value of an on/off property element, or None when there is none."""
    if el is None:
        return None
    return el.get(val, "true").strip().lower() not in _OFF


def _int(el: etree._Element | None, val: str) -> int | None:
    if el is None:
        return None
    try:
        return int(el.get(val, "").strip())
    except ValueError:
        return None


def _symbol(code: str) -> str:
    """The character a ``w:sym`` shows: its code point unless private-use or not a scalar."""
    if not re.fullmatch(r"[0-9A-Fa-f]{1,6}", code):
        return ""
    point = int(code, 16)
    if (
        point >= 0x110000
        or 0xD800 <= point <= 0xDFFF
        or 0xE000 <= point <= 0xF8FF
        or point >= 0xF0000
    ):
        return ""
    return chr(point)


class _Names:
    """Qualified names of the WordprocessingML namespace a document is written in."""

    def __init__(self, w: str) -> None:
        self.ns = w
        self.kinds = _KINDS[w]
        self.chars = {f"{{{w}}}{local}": char for local, char in _CHARS.items()}
        self.deleted_mark = (f"{{{w}}}del", f"{{{w}}}moveFrom")
        for local in _Names.__annotations__:
            setattr(self, local, f"{{{w}}}{local}")

    # each ``{namespace}name``, set in __init__
    body: str
    p: str
    pPr: str
    rPr: str
    pStyle: str
    rStyle: str
    numPr: str
    numId: str
    ilvl: str
    outlineLvl: str
    vanish: str
    specVanish: str
    trPr: str
    tcPr: str
    cellDel: str
    style: str
    styleId: str
    name: str
    basedOn: str
    type: str
    default: str
    docDefaults: str
    rPrDefault: str
    val: str
    char: str
    fldCharType: str
    abstractNum: str
    abstractNumId: str
    num: str
    lvl: str
    lvlOverride: str
    startOverride: str
    start: str
    numFmt: str
    lvlText: str
    lvlRestart: str
    isLgl: str
    numStyleLink: str

    def deleted(self, rpr: etree._Element | None) -> bool:
        """Whether a paragraph mark's run properties record it as deleted."""
        return rpr is not None and any(rpr.find(tag) is not None for tag in self.deleted_mark)


class _Styles:
    """The styles part: each style by id, the defaults, and what the rules need of a style
    chain (cached per style id)."""

    def __init__(self, root: etree._Element | None, q: _Names) -> None:
        self.q = q
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.default_character: str | None = None
        self.default_vanish = False
        self._vanish: dict[str, bool] = {}
        self._heading: dict[str | None, bool | None] = {}
        self._numpr: dict[str | None, tuple[str | None, str | None]] = {}
        if root is None:
            return
        defaults = root.find(f"{q.docDefaults}/{q.rPrDefault}/{q.rPr}")
        if defaults is not None:
            self.default_vanish = bool(_on(defaults.find(q.vanish), q.val))
        for style in root.iterfind(q.style):
            sid = style.get(q.styleId)
            if sid is None or sid in self.by_id:
                continue
            self.by_id[sid] = style
            if (style.get(q.default) or "").lower() in ("1", "true", "on"):
                kind = style.get(q.type)
                if kind == "paragraph" and self.default_paragraph is None:
                    self.default_paragraph = sid
                elif kind == "character" and self.default_character is None:
                    self.default_character = sid

    def chain(self, sid: str | None) -> Iterator[etree._Element]:
        """The style and the styles it is based on, nearest first (a loop is cut)."""
        seen: set[str] = set()
        while sid is not None and sid not in seen and len(seen) < 64:
            seen.add(sid)
            style = self.by_id.get(sid)
            if style is None:
                return
            yield style
            based = style.find(self.q.basedOn)
            sid = based.get(self.q.val) if based is not None else None

    def vanish(self, sid: str | None) -> bool:
        """Whether a style turns ``w:vanish`` on (the nearest setting in its chain)."""
        if sid is None:
            return False
        known = self._vanish.get(sid)
        if known is None:
            known = False
            for style in self.chain(sid):
                rpr = style.find(self.q.rPr)
                value = _on(rpr.find(self.q.vanish), self.q.val) if rpr is not None else None
                if value is not None:
                    known = value
                    break
            self._vanish[sid] = known
        return known

    def heading(self, sid: str | None) -> bool:
        """Whether a paragraph style makes a heading (an outline level 0–8, or a heading or
        title style id or name, whichever comes first along its chain)."""
        if sid not in self._heading:
            found: bool | None = None
            for style in self.chain(sid):
                ppr = style.find(self.q.pPr)
                level = _int(ppr.find(self.q.outlineLvl), self.q.val) if ppr is not None else None
                if level is not None:
                    found = 0 <= level <= 8
                    break
                name = style.find(self.q.name)
                names = (
                    style.get(self.q.styleId) or "",
                    "" if name is None else name.get(self.q.val) or "",
                )
                if any(_HEADING_STYLE.match(n.strip()) for n in names):
                    found = True
                    break
            self._heading[sid] = found
        return bool(self._heading[sid])

    def numbering(self, sid: str | None) -> tuple[str | None, str | None]:
        """The ``w:numId`` and ``w:ilvl`` a style's chain gives (the nearest ``w:numPr``)."""
        if sid not in self._numpr:
            found: tuple[str | None, str | None] = (None, None)
            for style in self.chain(sid):
                ppr = style.find(self.q.pPr)
                numpr = ppr.find(self.q.numPr) if ppr is not None else None
                if numpr is not None:
                    found = _numpr(numpr, self.q)
                    if found[0] is not None:
                        break
            self._numpr[sid] = found
        return self._numpr[sid]


def _numpr(numpr: etree._Element, q: _Names) -> tuple[str | None, str | None]:
    num_id = numpr.find(q.numId)
    ilvl = numpr.find(q.ilvl)
    return (
        None if num_id is None else num_id.get(q.val, "").strip(),
        None if ilvl is None else ilvl.get(q.val, "").strip(),
    )


def _roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _format(value: int, fmt: str) -> str:
    """A counter's value in a ``w:numFmt``."""
    if fmt in ("bullet", "none"):
        return ""
    if fmt == "decimalZero" and 0 <= value < 10:
        return f"0{value}"
    if fmt in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value <= 3999:
        roman = _roman(value)
        return roman if fmt == "lowerRoman" else roman.upper()
    return str(value)


def _number_label(shown: str) -> str | None:
    """The section label of a list number as Word shows it (``"(a)"`` → ``a``, ``"2.1."`` →
    ``2.1``, ``"Article 3"`` → ``3``), None when it shows no letter or digit."""
    label = " ".join(_CONTROLS.sub("", shown).split())
    label = label.rstrip(".)]: ").lstrip("([ ")
    prefix = _NUMBER_PREFIX.match(label)
    if prefix:
        label = label[prefix.end() :]
    if not any(ch.isalnum() for ch in label):
        return None
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1].rstrip() + "…"


class _Numbering:
    """The numbering part, and the counters of its lists as the body is read."""

    def __init__(self, root: etree._Element | None, q: _Names, styles: _Styles) -> None:
        self.q = q
        self.styles = styles
        self.abstracts: dict[str, etree._Element] = {}
        self.nums: dict[str, etree._Element] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        self._resolved: dict[str, str | None] = {}
        self._levels: dict[tuple[str, int], etree._Element | None] = {}
        if root is None:
            return
        for el in root.iterfind(q.abstractNum):
            self.abstracts.setdefault(el.get(q.abstractNumId, "").strip(), el)
        for el in root.iterfind(q.num):
            self.nums.setdefault(el.get(q.numId, "").strip(), el)

    def abstract(self, num_id: str) -> str | None:
        """The abstract numbering a ``w:num`` counts on (``w:numStyleLink`` followed)."""
        if num_id not in self._resolved:
            found: str | None = None
            seen: set[str] = set()
            current: str | None = num_id
            while current is not None and current not in seen and len(seen) < 16:
                seen.add(current)
                num = self.nums.get(current)
                ref = num.find(self.q.abstractNumId) if num is not None else None
                aid = ref.get(self.q.val, "").strip() if ref is not None else None
                abstract = self.abstracts.get(aid) if aid is not None else None
                if abstract is None:
                    break
                found = aid
                link = abstract.find(self.q.numStyleLink)
                style = (
                    self.styles.by_id.get(link.get(self.q.val, "")) if link is not None else None
                )
                if style is None:
                    break
                ppr = style.find(self.q.pPr)
                numpr = ppr.find(self.q.numPr) if ppr is not None else None
                current = _numpr(numpr, self.q)[0] if numpr is not None else None
            self._resolved[num_id] = found
        return self._resolved[num_id]

    def level(self, num_id: str, aid: str, ilvl: int) -> etree._Element | None:
        """The definition of a level: the ``w:num``'s override, else the abstract's."""
        key = (num_id, ilvl)
        if key not in self._levels:
            self._levels[key] = self._level(num_id, aid, ilvl)
        return self._levels[key]

    def _level(self, num_id: str, aid: str, ilvl: int) -> etree._Element | None:
        num = self.nums.get(num_id)
        if num is not None:
            for override in num.iterfind(self.q.lvlOverride):
                if _int(override, self.q.ilvl) == ilvl:
                    lvl = override.find(self.q.lvl)
                    if lvl is not None:
                        return lvl
        for lvl in self.abstracts[aid].iterfind(self.q.lvl):
            if _int(lvl, self.q.ilvl) == ilvl:
                return lvl
        return None

    def start(self, num_id: str, aid: str, ilvl: int) -> int:
        num = self.nums.get(num_id)
        if num is not None:
            for override in num.iterfind(self.q.lvlOverride):
                if _int(override, self.q.ilvl) == ilvl:
                    value = _int(override.find(self.q.startOverride), self.q.val)
                    if value is not None:
                        return value
        value = _int(self._find(num_id, aid, ilvl, self.q.start), self.q.val)
        return 0 if value is None else value

    def _find(self, num_id: str, aid: str, ilvl: int, path: str) -> etree._Element | None:
        lvl = self.level(num_id, aid, ilvl)
        return lvl.find(path) if lvl is not None else None

    def _fmt(self, num_id: str, aid: str, ilvl: int) -> str:
        el = self._find(num_id, aid, ilvl, self.q.numFmt)
        return "decimal" if el is None else el.get(self.q.val, "decimal")

    def styled_level(self, num_id: str, sid: str | None) -> int:
        """The level linked to a paragraph style (``w:lvl/w:pStyle``), else 0."""
        aid = self.abstract(num_id)
        if aid is None or sid is None:
            return 0
        for lvl in self.abstracts[aid].iterfind(self.q.lvl):
            style = lvl.find(self.q.pStyle)
            if style is not None and style.get(self.q.val) == sid:
                found = _int(lvl, self.q.ilvl)
                return found if found is not None and 0 <= found < _LEVELS else 0
        return 0

    def advance(self, num_id: str, ilvl: int) -> str | None:
        """Count a paragraph of list ``num_id`` at level ``ilvl``; its label, if numbered."""
        aid = self.abstract(num_id)
        if aid is None or self.level(num_id, aid, ilvl) is None:
            return None
        counters = self.counters.setdefault(aid, [None] * _LEVELS)
        num = self.nums[num_id]
        if num_id not in self.used:
            self.used.add(num_id)
            for override in num.iterfind(self.q.lvlOverride):
                at = _int(override, self.q.ilvl)
                started = override.find(self.q.startOverride) is not None
                if at is not None and 0 <= at < _LEVELS and started:
                    counters[at] = None
        current = counters[ilvl]
        counters[ilvl] = self.start(num_id, aid, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            restart = _int(self._find(num_id, aid, deeper, self.q.lvlRestart), self.q.val)
            if restart is None or restart > deeper:
                restart = deeper
            if restart != 0 and ilvl < restart:
                counters[deeper] = None
        fmt = self._fmt(num_id, aid, ilvl)
        text_el = self._find(num_id, aid, ilvl, self.q.lvlText)
        text = text_el.get(self.q.val, "") if text_el is not None else ""
        if fmt in ("bullet", "none") or not _PLACEHOLDER.search(text):
            return None
        legal = bool(_on(self._find(num_id, aid, ilvl, self.q.isLgl), self.q.val))

        def shown(m: re.Match[str]) -> str:
            at = int(m.group(1)) - 1
            value = counters[at]
            if value is None:
                value = self.start(num_id, aid, at)
            level_fmt = self._fmt(num_id, aid, at)
            if legal and at != ilvl and level_fmt not in ("bullet", "none"):
                level_fmt = "decimal"
            return _format(value, level_fmt)

        return _number_label(_PLACEHOLDER.sub(shown, text))


class _Body:
    """Reads the body into blocks, in document order, without recursion."""

    def __init__(self, q: _Names, styles: _Styles, numbering: _Numbering) -> None:
        self.q = q
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[Block] = []
        self._carry = ""  # text of paragraphs whose mark is deleted, joined to the next
        self._hidden: dict[tuple[str | None, str | None], bool] = {}

    def hidden(self, rpr: etree._Element | None, paragraph_style: str | None) -> bool:
        """Whether a run with the direct properties ``rpr`` is hidden: its own ``w:vanish``
        (or ``w:specVanish``) when it has one, else the toggles of the document defaults, the
        paragraph style and the character style."""
        q = self.q
        character: str | None = None
        if rpr is not None:
            if _on(rpr.find(q.specVanish), q.val):
                return True
            direct = _on(rpr.find(q.vanish), q.val)
            if direct is not None:
                return direct
            style = rpr.find(q.rStyle)
            character = style.get(q.val) if style is not None else None
        key = (paragraph_style, character or self.styles.default_character)
        known = self._hidden.get(key)
        if known is None:
            known = (
                self.styles.default_vanish ^ self.styles.vanish(key[0]) ^ self.styles.vanish(key[1])
            )
            self._hidden[key] = known
        return known

    def read(self, body: etree._Element) -> None:
        q = self.q
        kinds, chars = q.kinds, q.chars
        # the open paragraphs: [parts, pPr, style id]; the open runs: hidden or not
        paragraphs: list[tuple[list[str], etree._Element | None, str | None]] = []
        runs: list[bool] = []
        fields: list[bool] = []  # open complex fields: True once in their result
        in_code = 0  # open fields still in their code
        stack: list[tuple[etree._Element, bool]] = [(el, False) for el in reversed(body)]
        while stack:
            el, end = stack.pop()
            kind = kinds.get(el.tag) if isinstance(el.tag, str) else _SKIP
            if end:
                if kind == _PARAGRAPH:
                    parts, ppr, sid = paragraphs.pop()
                    self.paragraph("".join(parts), ppr, sid)
                elif kind == _RUN:
                    runs.pop()
                else:  # a table or cell: deleted paragraph marks do not join across it
                    self.flush()
                continue
            if kind == _SKIP:
                continue
            if kind in (_TEXT, _CHAR, _SYM):
                if paragraphs and runs and not runs[-1] and in_code == 0:
                    if kind == _TEXT:
                        piece = el.text or ""
                    elif kind == _CHAR:
                        piece = chars[el.tag]
                    else:
                        piece = _symbol(el.get(q.char, ""))
                    paragraphs[-1][0].append(piece)
                continue
            if kind == _FLDCHAR:
                what = el.get(q.fldCharType, "")
                if what == "begin":
                    fields.append(False)
                    in_code += 1
                elif what == "separate" and fields and not fields[-1]:
                    fields[-1] = True
                    in_code -= 1
                elif what == "end" and fields and not fields.pop():
                    in_code -= 1
                continue
            if kind == _PARAGRAPH:
                ppr = el.find(q.pPr)
                style = ppr.find(q.pStyle) if ppr is not None else None
                sid = style.get(q.val) if style is not None else None
                paragraphs.append(([], ppr, sid or self.styles.default_paragraph))
            elif kind == _RUN:
                sid = paragraphs[-1][2] if paragraphs else self.styles.default_paragraph
                runs.append(self.hidden(el.find(q.rPr), sid))
            elif kind == _ROW:
                trpr = el.find(q.trPr)
                if trpr is not None and self.q.deleted(trpr):
                    continue
            elif kind in (_TABLE, _CELL):
                if kind == _CELL:
                    tcpr = el.find(q.tcPr)
                    if tcpr is not None and tcpr.find(q.cellDel) is not None:
                        continue
                self.flush()
            if kind in (_PARAGRAPH, _RUN, _TABLE, _CELL):
                stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        self.flush()

    def flush(self) -> None:
        if self._carry:
            self.blocks.append(Block(_CONTROLS.sub("", self._carry)))
            self._carry = ""

    def paragraph(self, text: str, ppr: etree._Element | None, sid: str | None) -> None:
        q = self.q
        mark = ppr.find(q.rPr) if ppr is not None else None
        if q.deleted(mark):
            self._carry += text
            return
        text = _CONTROLS.sub("", self._carry + text)
        self._carry = ""
        number = None
        numbered = self.numbered(ppr, sid)
        if numbered is not None and (text.strip() or not self.hidden(mark, sid)):
            number = self.numbering.advance(*numbered)
        outline = _int(ppr.find(q.outlineLvl), q.val) if ppr is not None else None
        heading = 0 <= outline <= 8 if outline is not None else self.styles.heading(sid)
        self.blocks.append(Block(text, heading_label(text, number) if heading else number))

    def numbered(self, ppr: etree._Element | None, sid: str | None) -> tuple[str, int] | None:
        """The list (``w:numId``) and level a paragraph is in, if any."""
        num_id: str | None = None
        level: str | None = None
        numpr = ppr.find(self.q.numPr) if ppr is not None else None
        if numpr is not None:
            num_id, level = _numpr(numpr, self.q)
        if num_id is None or level is None:
            style_num, style_level = self.styles.numbering(sid)
            num_id = style_num if num_id is None else num_id
            level = style_level if level is None else level
        if not num_id or num_id == "0" or num_id not in self.numbering.nums:
            return None
        try:
            ilvl = int(level) if level is not None else self.numbering.styled_level(num_id, sid)
        except ValueError:
            ilvl = 0
        return num_id, ilvl if 0 <= ilvl < _LEVELS else 0


# -- the package -------------------------------------------------------------------------------


class _Package:
    def __init__(self, zf: BoundedZip, where: str) -> None:
        self.zf = zf
        self.where = where
        self.names = {name.lower(): name for name in zf.names()}

    def has(self, part: str) -> bool:
        return self._name(part) is not None

    def _name(self, part: str) -> str | None:
        for candidate in (part, unquote(part)):
            name = self.names.get(candidate.lower())
            if name is not None:
                return name
        return None

    def read(self, part: str) -> bytes | None:
        name = self._name(part)
        if name is None:
            return None
        try:
            data = self.zf.read(name)
        except ReadError as exc:
            raise UnreadableSourceError(str(exc)) from None
        except zlib.error as exc:  # damaged deflate data gets past BoundedZip
            raise UnreadableSourceError(f"{self.where}: cannot read {name}: {exc}") from None
        if data is not None and len(data) > MAX_PART_BYTES:
            raise UnreadableSourceError(
                f"{self.where}: {part} is larger than {MAX_PART_BYTES} bytes uncompressed"
            )
        return data

    def xml(self, part: str) -> etree._Element | None:
        data = self.read(part)
        return None if data is None else _parse(data, f"{self.where}: {part}")

    def relationships(self, part: str) -> list[tuple[str, str]] | None:
        """(type, target part) of a part's relationships ("" for the package), None when it
        has no relationships part."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
        if root is None:
            return None
        out = []
        for rel in root.iter(f"{{{_PKG_RELS}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            out.append((rel.get("Type", "").rsplit("/", 1)[-1], target))
        return out

    def main_part(self) -> str:
        rels = self.relationships("")
        for kind, target in rels or ():
            if kind == "officeDocument":
                if not self.has(target):
                    raise UnreadableSourceError(
                        f"{self.where}: the main document part {target} is missing"
                    )
                return target
        types = self.xml("[Content_Types].xml")
        if types is not None:
            for override in types.iter(f"{{{_CONTENT_TYPES}}}Override"):
                if override.get("ContentType", "").strip() in _MAIN_TYPES:
                    target = override.get("PartName", "").lstrip("/")
                    if self.has(target):
                        return target
        if not self.has("word/document.xml"):
            raise UnreadableSourceError(
                f"{self.where}: not a DOCX package (no main document part: word/document.xml)"
            )
        return "word/document.xml"

    def related(self, part: str, kind: str) -> etree._Element | None:
        rels = self.relationships(part)
        if rels is None:
            return self.xml(posixpath.join(posixpath.dirname(part), f"{kind}.xml"))
        for rel_kind, target in rels:
            if rel_kind == kind and self.has(target):
                return self.xml(target)
        return None

    def title(self) -> str | None:
        targets = [t for k, t in self.relationships("") or () if k == "core-properties"]
        for part in [*targets, "docProps/core.xml"]:
            root = self.xml(part)
            if root is None:
                continue
            el = root.find(f"{{{_DC}}}title")
            text = (el.text or "") if el is not None else ""
            return " ".join(_CONTROLS.sub(" ", text).split()) or None
        return None


def _parse(data: bytes, label: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        what = "elements nested too deeply" if "depth" in str(exc).lower() else "malformed XML"
        raise UnreadableSourceError(f"{label}: {what} ({exc})") from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None:
        raise UnreadableSourceError(
            f"{label}: the XML has a document type declaration (DTD or entities), which a "
            "DOCX never has"
        )
    return root


def _hint(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return " (an OLE compound file: a password-protected DOCX or an old .doc file?)"
    return ""


class DocxReader(SourceReader):
    """The paragraphs of a Word document's body in order (tables cell by cell, tracked changes
    accepted, hidden text and field codes left out), headings and numbered paragraphs as
    sections; the rules are the module's documentation."""

    name: ClassVar[str] = "docx"
    version: ClassVar[str] = "1"
    suffixes: ClassVar[tuple[str, ...]] = (".docx",)
    description: ClassVar[str] = (
        "the paragraphs of a Word document's body; headings and numbered paragraphs as sections"
    )

    def library(self) -> str | None:
        return f"lxml {etree.__version__}"

    def read(self, data: bytes, *, where: str) -> Extraction:
        try:
            zf = BoundedZip(bytes(data), where=where)
        except ReadError as exc:
            raise UnreadableSourceError(f"{exc}{_hint(bytes(data))}") from None
        with zf:
            package = _Package(zf, where)
            main = package.main_part()
            root = package.xml(main)
            if root is None:  # pragma: no cover - main_part() checked it is there
                raise UnreadableSourceError(f"{where}: the main document part {main} is missing")
            namespace = etree.QName(root).namespace or ""
            if namespace not in _KINDS or etree.QName(root).localname != "document":
                raise UnreadableSourceError(
                    f"{where}: {main} is not a WordprocessingML document (its root is {root.tag!r})"
                )
            q = _Names(namespace)
            styles = _Styles(package.related(main, "styles"), q)
            numbering = _Numbering(package.related(main, "numbering"), q, styles)
            title = package.title()
        body = _Body(q, styles, numbering)
        body_el = root.find(q.body)
        if body_el is not None:
            body.read(body_el)
        text, marks = join_blocks(body.blocks)
        sections = tuple(marks)
        return Extraction(text, sections=sections, paragraphs=True, title=title)
