"""Check a written PDF: its attached manifest, and every character a reader of its pages sees.

The reader (:mod:`.reader`) gives, page by page, the text objects in drawing order with the
characters each draws, which of them are hidden and why, where the footnote rule was drawn,
and the drawing briefkit never does. This module accounts for every drawn character, page by
page, in the order the writer draws a page:

1. **the body**, the text objects drawn before the page's first line (the footnote rule, or
   a rule of a table: the writer draws every line after the body's text): the pieces of
   :func:`~briefkit.formats.checking.outline` as the writer draws them — title block,
   headings, a bullet before each list item and key point, each sentence (after its
   ``Analysis:`` label, in the manifest's language, when it is the author's analysis)
   followed by its note number, block quote attributions, tables (below), the bibliography's
   entries and the sources appendix — going on from where the previous page stopped, so a
   piece may break across pages anywhere;
2. **the notes**, one text object each, after the rule: first what is left of notes begun on
   earlier pages (a note continues at the top of the next page's notes, or later when the
   writer had no room), then every note whose mark the body of this page carries, each
   starting with its number;
3. **the running header**, on every page from the second on: the text object drawn just
   before the page number, above every other text of the page, reading as the brief's title
   (or as the start of it followed by an ellipsis, when the title is too long for one line);
   ``missing``, ``differs`` or ``hidden-text`` when it is not;
4. **the page number**, the last text object equal to the page's number.

*Tables.* A table's pieces are in the body where the outline puts them: its caption
(``Table N. caption`` in the manifest's language), its header labels, then its cells row by
row — a label, or a sentence followed by its note number — and they are accounted for as the
other pieces are (``differs``, ``missing``, ``unlinked-text``, ``hidden-text`` name the cell:
``table 1, row 2, column 3``, or the sentence in it). On a page a table goes on to (the page
before stopped inside its rows) the header labels come first again: that repetition is
furniture, checked exactly (``differs`` and ``hidden-text`` name the repeated header row;
``table-header`` when it is not there at all). Then the drawing is
checked as far as a PDF tells it: on each page, the header and the rows of a table stand one
below the other in order (``table-row``), and the table's column rules (one between each two
columns, the height of the table) are all there (``table-column``) with each cell's text
between the rules of its own column (``table-cell``) — so a cell moved to another row or
column, or two cells swapped, is reported even when the text reads in order.

*Contents.* With a table of contents, the body begins (after the title block) with its label
and, for each heading of the outline in order, the entry's text followed by its page number,
which must be the page on which that heading's text is first drawn: the pages are read once
with the numbers the contents' links lead to and, when the headings turn out to be printed
elsewhere, again with the pages found. An edited entry, a wrong number, an entry missing or
added is ``differs``, ``missing`` or ``unlinked-text`` naming ``entry N of the contents`` (or
its page number).

*Links to headings, tables and figures.* Links that carry ``/BriefkitRef`` (contents entries
and cross-references) are set apart from the footnote links; each must lead to the page where
the heading, table caption or figure caption it names is printed (``link-differs``), and an
anchor the document does not have is ``link-differs`` too.

*Page references.* A sentence part that is a reference with its page (``page`` in the
manifest) is drawn as :func:`~briefkit.plan.page_ref` words it in the manifest's language
(``Table 2 on page 4``), its page the one on which the document draws the target (the
heading, the table's caption, the figure's caption): read first with the pages the
references' links lead to and, when the targets turn out to be drawn elsewhere, again with
the pages found. The phrase is a piece of its own within the sentence: a page number edited,
added to or removed, or the phrase cut, is a ``page-ref`` problem naming the reference and
the sentence; so is any character of the phrase drawn outside a ``/BriefkitRef`` link to its
anchor. A link that leads elsewhere is also ``link-differs`` (above).

*Figures.* A figure's caption line is its label (``Figure N.``) and its caption sentence,
accounted for as any other pieces (a problem about the sentence names ``the caption of
figure N``). The images drawn, in order over the pages, are the manifest's figures in order:
each figure's embedded file (``figure-N.png``/``.jpg``, from the name tree or the catalog's
``/AF``) has the manifest's sha256 (``image-differs``; ``image-source`` when there is none),
the image drawn has exactly the pixels of that file as Pillow decodes them (RGB;
``image-differs``), the alt text of the marked content around its drawing is the manifest's
(``image-alt``), and it is drawn on the page of its caption; a figure with no image drawn is
``image-missing``, an image drawn beyond the figures ``image-extra``.

*Emphasis and web links.* Each character read as a piece must be drawn in the face the writer
draws that piece in: the title, headings, the contents' label and top-level entries, labels
(``Table N.``, ``Figure N.``, ``Analysis:``), table headers and a source's title in bold, the
subtitle and block quote attributions in italics, everything else (notes, the bibliography,
note marks, bullets) upright and not bold — else an ``emphasis`` problem of the piece. A
sentence's text is drawn as its manifest's parts say: upright (in italics in an analysis), an
``em`` part the other way round, a ``strong`` part in bold; what each sentence shows in
italics or bold, and under which web link, is compared with its parts by
:func:`~briefkit.formats.checking.emphasis_problems` and
:func:`~briefkit.formats.checking.link_problems` (``emphasis`` and ``link`` problems: a
quotation in italics, emphasis removed, a link's address changed, a link added or removed). A
glyph upright and not bold in another font than the page numbers' (the body's regular face)
is a fallback face's, which has neither italics nor bold: it is taken to be drawn as wanted.
Only the sources appendix's addresses are under a link outside sentences; a web link over any
other text, or over no text of the document's pieces at all (over nothing, unlinked text, the
running header), is a ``link`` problem of the page — unless it is the link of a sentence part
whose text draws nothing.

A character that is none of these is ``unlinked-text``; a piece that is not where it should
be is ``missing`` or ``differs`` (``note-missing``/``note-differs`` for notes); a drawn
character a reader does not see is ``hidden-text``, named after the piece it belongs to.
The reader's ``foreign-drawing`` problems are passed on.

Out of sight, each note's back link (the link from its number to its mark) carries exactly its
sentence's citations, in order, in its ``/BriefkitCites`` text string (``SOURCE:START-END``
each, separated by spaces); a back link without it, with other citations, or citations on any
other link are ``note-cites`` problems. Back links are told from marks as the reader tells
them (a page's marks come first), so the notes' citations are read in note order.

Tolerances, each for something PDF drawing changes without changing what is read:

* whitespace is not compared: the layout decides line breaks, justification and the width of
  a space, and a space is no visible character (problems quote text with its whitespace);
* default-ignorable format characters (joiners, variation selectors, soft hyphens …) are not
  compared: they draw nothing, and the writer leaves out those no font has;
* a hyphen that ends a line where the text has a soft hyphen is the soft hyphen shown at a
  line break (reportlab draws it only there; before a hyphen of the text, it shows two);
* each line is compared as the writer draws it: characters XML cannot hold, DEL and C1
  controls as their one-for-one stand-ins, a tab as spaces (:func:`briefkit._text.shown`).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
from PIL import Image as PilImage

from briefkit._text import ignorable, shown, split_lines
from briefkit._typography import isolate
from briefkit.formats.checking import (
    Checked,
    Piece,
    cites_problem,
    diff,
    embedded_or_given,
    emphasis_problems,
    link_problems,
    locale_of,
    outline,
)
from briefkit.formats.pdf._container import CITES_KEY, figure_file
from briefkit.formats.pdf._markup import linked
from briefkit.formats.pdf.reader import (
    BOLD,
    ITALIC,
    MAX_IMAGE_PIXELS,
    NO_PLACE,
    PdfContents,
    PdfPage,
    TextObject,
    read_pdf,
)
from briefkit.manifest import (
    Manifest,
    ManifestImage,
    ManifestPart,
    ManifestSentence,
    ManifestTable,
)
from briefkit.plan import page_ref
from briefkit.problems import Problem

__all__ = ["PdfChecker", "check"]

_SOFT_HYPHEN = "\u00ad"
#: Characters an anchor has when reading goes on after a difference.
_ANCHOR = 12
#: How far past a difference an anchor is looked for, in the file's and the manifest's text.
_SEEN_WINDOW = 2_000
_WANTED_WINDOW = 10_000
#: Differences looked into before the rest of the document is no longer compared (each costs
#: at most a few milliseconds; a file that differs everywhere is reported, not dissected).
_MAX_DIFFERENCES = 100
#: How far (in points) a text object's first line may stand above the last line of the text
#: object drawn before it, or level with its first line: rounding, and a table's cells whose
#: first lines differ in face. A line of text stands a whole leading (12 pt or more) apart.
_LEVEL = 3.0


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the PDF at ``path`` and account for what its pages show with its manifest (or
    with ``manifest`` when one is given)."""
    pdf = read_pdf(path)
    found = embedded_or_given(path, manifest, pdf.manifest)
    problems = _link_problems(pdf, found)
    problems.extend(_cites_problems(pdf, found))
    for page in pdf.pages:
        problems.extend(page.problems)
    accounting = _account(pdf, found)
    problems.extend(accounting.problems)
    problems.extend(_ref_problems(pdf, accounting))
    problems.extend(_image_problems(pdf, found, accounting))
    return Checked(found, tuple(problems))


def _account(pdf: PdfContents, manifest: Manifest) -> _Accounting:
    """Account for the pages. With contents, their page numbers are wanted as the pages the
    headings are printed on: read first as the contents' links say (so a file whose links
    are right is read once), and again with the pages the headings were found on when
    those differ."""
    anchors = _heading_anchors(manifest)
    leads: dict[str, int | None] = {}
    for page in pdf.pages:
        for anchor, target in page.ref_links:
            leads.setdefault(anchor, target)
    guess: list[int | None] = []
    if manifest.brief.get("contents"):
        guess = [leads.get(a) for a in anchors]
    # the targets of the references with their page
    referred = sorted({p.ref for s in manifest.sentences for p in s.parts if p.ref and p.page})
    ref_guess = {a: leads.get(a) for a in referred}
    regular = _page_number_fonts(pdf)
    accounting = _Accounting(manifest, guess, regular, ref_guess)
    accounting.run(pdf.pages)
    pages = guess
    if manifest.brief.get("contents"):
        found = accounting.heading_pages()
        pages = [f if f is not None else g for f, g in zip(found, guess, strict=False)]
    ref_pages = {a: accounting.page_of(a) or ref_guess[a] for a in referred}
    if pages != guess or ref_pages != ref_guess:
        accounting = _Accounting(manifest, pages, regular, ref_pages)
        accounting.run(pdf.pages)
    return accounting


def _page_number_fonts(pdf: PdfContents) -> frozenset[int]:
    """The fonts the page numbers are drawn in (the body's regular face), as the checker finds
    the page numbers: each page's last text object that reads as its number."""
    found: set[int] = set()
    for page in pdf.pages:
        number = str(page.number)
        for obj in reversed(page.objects):
            if _squash(obj.text) == number:
                found.update(obj.font_at(k) for k, ch in enumerate(obj.text) if _compared(ch))
                break
    found.discard(-1)
    return frozenset(found)


def _heading_anchors(manifest: Manifest) -> list[str]:
    """The anchor of each heading of the outline, in order (as the plan names them)."""
    anchors: list[str] = []
    if any(s.block == "key_point" for s in manifest.sentences):
        anchors.append("key-points")
    seen: set[str] = set()
    for sent in manifest.sentences:
        for depth in range(len(sent.section_number)):
            anchor = "sec-" + "-".join(map(str, sent.section_number[: depth + 1]))
            if anchor not in seen:
                seen.add(anchor)
                anchors.append(anchor)
    brief = manifest.brief
    if brief.get("bibliography") and manifest.bibliography:
        anchors.append("bibliography")
    if brief.get("sources_appendix") and manifest.sources:
        anchors.append("sources")
    return anchors


def _ref_problems(pdf: PdfContents, accounting: _Accounting) -> list[Problem]:
    """Each link to a heading, table or figure (an entry of the contents, a cross-reference)
    leads to the page where what it names is printed."""
    problems: list[Problem] = []
    for page in pdf.pages:
        for anchor, target in page.ref_links:
            where = accounting.page_of(anchor)
            if where is None:
                problems.append(
                    Problem(
                        "link-differs",
                        f"page {page.number}: a link leads to {anchor!r}, which the manifest "
                        "has no heading, table or figure for (or which is not shown)",
                    )
                )
            elif target != where:
                led = f"page {target}" if target is not None else "no page of the document"
                problems.append(
                    Problem(
                        "link-differs",
                        f"page {page.number}: the link to {anchor} leads to {led}; it is "
                        f"printed on page {where}",
                    )
                )
    return problems


def _image_problems(pdf: PdfContents, manifest: Manifest, accounting: _Accounting) -> list[Problem]:
    """Each figure is drawn once, in order, on the page of its caption: the image drawn has
    the pixels of the embedded file of its bytes, whose sha256 is the manifest's, and the
    alt text the manifest gives; no other image is drawn."""
    problems: list[Problem] = []
    drawn = [(page.number, image) for page in pdf.pages for image in page.images]
    for k, rec in enumerate(manifest.images):
        name = f"figure {rec.number}"

        def add(code: str, message: str, name: str = name, rec: ManifestImage = rec) -> None:
            problems.append(Problem(code, f"{name}: {message}", sentence=rec.caption))

        file_name = figure_file(rec.number, rec.media_type)
        data = pdf.files.get(file_name)
        if data is None:
            add("image-source", f"the file does not embed {file_name} (the figure's bytes)")
        elif hashlib.sha256(data).hexdigest() != rec.sha256:
            digest = hashlib.sha256(data).hexdigest()
            add(
                "image-differs",
                f"the embedded {file_name} (sha256 {digest[:12]}…) is not the manifest's "
                f"image (sha256 {rec.sha256[:12]}…)",
            )
            data = None
        if k >= len(drawn):
            add("image-missing", "no image is drawn for it")
            continue
        number, image = drawn[k]
        if image.alt != rec.alt:
            shown_alt = _short(image.alt) if image.alt is not None else "none"
            add("image-alt", f"its alt text is {shown_alt}, not {_short(rec.alt)}")
        caption = accounting.page_of(f"figure-{rec.number}")
        if caption is not None and caption != number:
            add(
                "image-differs",
                f"its image is drawn on page {number}, its caption on page {caption}",
            )
        if data is not None:
            want = _decoded(data)
            got = image.pixels
            if want is None or got is None:
                add("image-differs", "the image drawn (or its embedded bytes) cannot be decoded")
            elif want.size != got.size or want.tobytes() != got.tobytes():
                add(
                    "image-differs",
                    f"the image drawn on page {number} is not the image of {file_name} "
                    "(its pixels differ)",
                )
    for number, _image in drawn[len(manifest.images) :]:
        problems.append(
            Problem(
                "image-extra",
                f"page {number}: an image is drawn that is no figure of the manifest",
            )
        )
    return problems


def _decoded(data: bytes) -> Any:
    """The pixels of PNG or JPEG bytes as RGB, ``None`` when they cannot be decoded."""
    try:
        with PilImage.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return None
            return img.convert("RGB")
    except (OSError, ValueError, PilImage.DecompressionBombError):
        return None


def _link_problems(contents: PdfContents, manifest: Manifest) -> list[Problem]:
    """Every footnote link stays on its page, and there is one mark link per note."""
    problems: list[Problem] = []
    for page in contents.pages:
        away = sorted({p for p in page.internal_links if p != page.number})
        if away:
            problems.append(
                Problem("note", f"page {page.number}: a footnote link points to page(s) {away}")
            )
    noted = sum(1 for s in manifest.sentences if s.note is not None)
    marks = len(contents.mark_pages())
    if marks != noted:
        problems.append(
            Problem(
                "note",
                f"the document shows {marks} footnote marks; the manifest has {noted} notes",
            )
        )
    return problems


_CARRIER = f"its back link's /{CITES_KEY}"


def _cites_problems(contents: PdfContents, manifest: Manifest) -> list[Problem]:
    """Each note's back link carries exactly its sentence's citations, in order; no other
    link carries any. Read with the links, so it costs nothing per page."""
    noted = sorted((s for s in manifest.sentences if s.note is not None), key=_note_number)
    problems: list[Problem] = []
    carried = contents.note_cites()
    if len(carried) == len(noted):  # otherwise the marks are miscounted, reported as such
        for sent, value in zip(noted, carried, strict=True):
            problem = cites_problem(sent, value.split() if value is not None else None, _CARRIER)
            if problem is not None:
                problems.append(problem)
    for page, k, value in contents.mark_cites():
        marked = noted[k - 1] if k <= len(noted) else None
        problems.append(
            Problem(
                "note-cites",
                f"page {page}: the link of note mark {k} carries citations ({_short(value)}); "
                "only a note's back link carries them",
                sentence=marked.id if marked is not None else None,
                note=marked.note if marked is not None else None,
            )
        )
    for page_data in contents.pages:
        for value in page_data.stray_cites:
            problems.append(
                Problem(
                    "note-cites",
                    f"page {page_data.number}: a link that leads to no page of the document "
                    f"carries citations ({_short(value)}); only a note's back link carries them",
                )
            )
    return problems


def _note_number(sent: ManifestSentence) -> int:
    return sent.note if sent.note is not None else 0


# -- the text on both sides ------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _compared(ch: str) -> bool:
    return not ch.isspace() and not ignorable(ch)


def _drawn(text: str) -> str:
    """``text`` as the writer draws it, line by line."""
    return "\n".join(shown(line) for line in split_lines(text))


@attrs.frozen
class _Part:
    """A piece of the document as the writer draws it. ``group`` names what problems are
    about (a sentence's bullet, text and note number are all the sentence)."""

    kind: str
    group: str
    sentence: str | None = None
    note: int | None = None
    table: int = 0  # the number of the table it is in (0: none); row 0 is the header row
    row: int = 0
    column: int = 0  # 1-based; 0 for a caption
    #: a reference with its page: the anchor it leads to
    anchor: str | None = None


class _Wanted:
    """The characters the manifest says are drawn, in drawing order: ``chars`` (compared
    characters only), ``soft[i]`` when a soft hyphen stands just before ``chars[i]``,
    ``owner[i]`` the part it belongs to and ``where[i]`` its place in ``original``."""

    def __init__(self) -> None:
        self.chars_list: list[str] = []
        self.soft: bytearray = bytearray()
        #: how each character is drawn: ITALIC, BOLD, and _SENTENCE (with _ANALYSIS) for the
        #: text of a sentence, whose emphasis the manifest's parts give; _UNCHECKED: not known
        self.face: bytearray = bytearray()
        #: the web link each character is drawn under (``None``: none)
        self.href: list[str | None] = []
        self.owner: list[int] = []
        self.where: list[int] = []
        self.parts: list[_Part] = []
        self.spans: list[tuple[int, int]] = []  # each part's chars
        self.original_list: list[str] = []
        self.length = 0
        self.chars = ""
        self.original = ""

    def add(
        self,
        text: str,
        part: _Part,
        *,
        spaced: bool = True,
        face: int = 0,
        runs: Sequence[tuple[str, int, str | None]] | None = None,
    ) -> int:
        """Add ``part``, drawn as ``text`` in ``face`` (or as ``runs``: ``(text, face, href)``
        each, one after the other); ``spaced=False`` when nothing stands between it and the
        part before (a note number after its sentence)."""
        if spaced and self.length:
            self.original_list.append(" ")
            self.length += 1
        index = len(self.parts)
        self.parts.append(part)
        start = len(self.chars_list)
        soft = False
        compared = _compared
        for run, run_face, href in runs if runs is not None else [(text, face, None)]:
            drawn = _drawn(run)
            base = self.length
            if _SOFT_HYPHEN in drawn:
                for k, ch in enumerate(drawn):
                    if ch == _SOFT_HYPHEN:
                        soft = True
                    elif compared(ch):
                        self.chars_list.append(ch)
                        self.soft.append(1 if soft else 0)
                        self.face.append(run_face)
                        self.href.append(href)
                        self.owner.append(index)
                        self.where.append(base + k)
                        soft = False
            else:  # the same, a run at a time
                ks = [k for k, ch in enumerate(drawn) if compared(ch)]
                if ks:
                    self.chars_list.extend(drawn[k] for k in ks)
                    self.soft.extend(bytes(len(ks)))
                    if soft:
                        self.soft[-len(ks)] = 1
                        soft = False
                    self.face.extend(itertools.repeat(run_face, len(ks)))
                    self.href.extend(itertools.repeat(href, len(ks)))
                    self.owner.extend(itertools.repeat(index, len(ks)))
                    self.where.extend(base + k for k in ks)
            self.original_list.append(drawn)
            self.length += len(drawn)
        self.spans.append((start, len(self.chars_list)))
        return index

    def done(self) -> _Wanted:
        self.chars = "".join(self.chars_list)
        self.original = "".join(self.original_list)
        self.soft.append(0)
        return self

    def quote(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.original[self.where[start] : self.where[end - 1] + 1]


@attrs.define
class _Seen:
    """Compared characters drawn in a run of text objects: ``chars``, each one's place in
    ``original``, whether it ends a line, why it is hidden (``None``: visible) and where it
    stands on the page."""

    chars: str
    where: list[int]
    original: str
    line_end: bytearray
    hidden: list[str | None]
    xy: list[tuple[float, float]]
    #: how each is styled (ITALIC, BOLD), its font and the web link over it (-1: none)
    style: bytearray = attrs.field(factory=bytearray)
    font: list[int] = attrs.field(factory=list)
    link: list[int] = attrs.field(factory=list)

    @classmethod
    def of(cls, objects: Sequence[TextObject]) -> _Seen:
        chars: list[str] = []
        where: list[int] = []
        line_end = bytearray()
        hidden: list[str | None] = []
        xy: list[tuple[float, float]] = []
        style = bytearray()
        font: list[int] = []
        link: list[int] = []
        texts: list[str] = []
        base = 0
        compared = _compared
        for obj in objects:
            text = obj.text
            size = len(text)
            # the places in ``text`` of its compared characters, in order
            ks = [k for k, ch in enumerate(text) if compared(ch)]
            first = len(chars)
            chars.extend(text[k] for k in ks)
            where.extend(base + k for k in ks)
            line_end.extend(bytes(len(ks)))
            # a newline ends the line of the compared character before it (of this object or,
            # when it has none before, of the object before)
            at = text.find("\n")
            while at >= 0:
                before = first + bisect.bisect_left(ks, at)
                if before:
                    line_end[before - 1] = 1
                at = text.find("\n", at + 1)
            if obj.hidden:
                why_at = _hidden_map(obj)
                hidden.extend(why_at.get(k) for k in ks)
            else:
                hidden.extend(itertools.repeat(None, len(ks)))
            xs, ys, styles, fonts, links = obj.x, obj.y, obj.styles, obj.fonts, obj.links
            if len(xs) >= size and len(ys) >= size:
                xy.extend((xs[k], ys[k]) for k in ks)
            else:
                xy.extend((xs[k], ys[k]) if k < len(xs) else (0.0, 0.0) for k in ks)
            if len(styles) >= size:
                style.extend(styles[k] & (ITALIC | BOLD) for k in ks)
            else:
                style.extend(obj.style_at(k) & (ITALIC | BOLD) for k in ks)
            if len(fonts) >= size:
                font.extend(fonts[k] for k in ks)
            else:
                font.extend(obj.font_at(k) for k in ks)
            if len(links) >= size:
                link.extend(links[k] for k in ks)
            else:
                link.extend(obj.link_at(k) for k in ks)
            if line_end:
                line_end[-1] = 1
            texts.append(text)
            base += size + 1
        return cls("".join(chars), where, "\n".join(texts), line_end, hidden, xy, style, font, link)

    def before(self, end: int) -> _Seen:
        """The first ``end`` characters."""
        return _Seen(
            self.chars[:end],
            self.where[:end],
            self.original,
            self.line_end[:end],
            self.hidden[:end],
            self.xy[:end],
            self.style[:end],
            self.font[:end],
            self.link[:end],
        )

    def after(self, start: int) -> _Seen:
        """What follows the first ``start`` characters."""
        return _Seen(
            self.chars[start:],
            self.where[start:],
            self.original,
            self.line_end[start:],
            self.hidden[start:],
            self.xy[start:],
            self.style[start:],
            self.font[start:],
            self.link[start:],
        )

    def quote(self, start: int, end: int, limit: int = 80) -> str:
        if start >= end:
            return "''"
        text = " ".join(self.original[self.where[start] : self.where[end - 1] + 1].split())
        return repr(text if len(text) <= limit else text[: limit - 1] + "…")

    def text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.original[self.where[start] : self.where[end - 1] + 1]


def _hidden_map(obj: TextObject) -> dict[int, str]:
    found: dict[int, str] = {}
    for start, end, why in obj.hidden:
        for k in range(start, end):
            found[k] = why
    return found


def _advance(seen: _Seen, i: int, wanted: _Wanted, j: int, j_end: int) -> tuple[int, int]:
    """Read on while what is seen is what is wanted; where both stop."""
    got, want = seen.chars, wanted.chars
    n = len(got)
    while i < n:
        step = min(64, n - i, j_end - j)
        if step > 1 and got[i : i + step] == want[j : j + step]:
            if _soft_dash(seen, i + step - 1, wanted, j + step - 1, j_end):
                step -= 1  # the last one is read as a soft hyphen shown: read it alone
            i += step
            j += step
            continue
        if _soft_dash(seen, i, wanted, j, j_end):
            i += 1  # a soft hyphen shown at a line break
            continue
        if j < j_end and got[i] == want[j]:
            i += 1
            j += 1
            continue
        break
    return i, j


def _soft_dash(seen: _Seen, i: int, wanted: _Wanted, j: int, j_end: int) -> bool:
    """Whether seen character ``i`` is a soft hyphen shown at a line break, where wanted
    character ``j`` is next: a hyphen that ends a line where a soft hyphen stands, unless it
    is the wanted character itself (a soft hyphen before a hyphen, shown at a break, shows
    two hyphens: the first is the soft one when the second reads as what is wanted)."""
    got = seen.chars
    if got[i] != "-" or not seen.line_end[i] or not wanted.soft[j]:
        return False
    if j >= j_end or wanted.chars[j] != "-":
        return True
    return i + 1 < len(got) and got[i + 1] == "-"


def _resync(seen: _Seen, i: int, wanted: _Wanted, j: int, j_end: int) -> tuple[int, int] | None:
    """After a difference at ``(i, j)``: the nearest place where the two read alike again
    for an anchor's length, or ``None``."""
    got, want = seen.chars, wanted.chars
    best: tuple[int, int] | None = None
    cost = _SEEN_WINDOW + _WANTED_WINDOW
    limit_j = min(j_end, j + _WANTED_WINDOW + _ANCHOR)
    for di in range(min(_SEEN_WINDOW, len(got) - i - _ANCHOR + 1)):
        if di >= cost:
            break
        at = want.find(got[i + di : i + di + _ANCHOR], j, limit_j)
        if at >= 0 and di + at - j < cost:
            best, cost = (i + di, at), di + at - j
    limit_i = min(len(got), i + _SEEN_WINDOW + _ANCHOR)
    for dj in range(min(_WANTED_WINDOW, j_end - j - _ANCHOR + 1)):
        if dj >= cost:
            break
        at = got.find(want[j + dj : j + dj + _ANCHOR], i, limit_i)
        if at >= 0 and dj + at - i < cost:
            best, cost = (at, j + dj), dj + at - i
    return best


def _pairs(seen: _Seen, wanted: _Wanted, event: _Event) -> Iterator[tuple[int, int]]:
    """Each seen character of a ``same`` event with the wanted character it reads as (a soft
    hyphen shown at a line break, with the character after it), read as :func:`_advance`
    reads them."""
    got, want = seen.chars, wanted.chars
    j = event.j0
    for i in range(event.i0, event.i1):
        if j < event.j1 and got[i] == want[j] and not _soft_dash(seen, i, wanted, j, event.j1):
            yield i, j
            j += 1
        else:
            yield i, min(j, event.j1 - 1)


@attrs.frozen
class _Event:
    """What reading found: ``same`` (seen ``[i0, i1)`` is wanted ``[j0, j1)``), ``extra``
    (seen ``[i0, i1)`` is not wanted there) or ``gone`` (wanted ``[j0, j1)`` is not seen)."""

    kind: str
    i0: int
    i1: int
    j0: int
    j1: int


# -- accounting --------------------------------------------------------------------------------


@attrs.define
class _Note:
    number: int
    sentence: ManifestSentence
    wanted: _Wanted
    mark: int  # where its mark is in the body's wanted text
    pos: int = 0
    started: bool = False
    due: int | None = None  # the page of its mark

    @property
    def done(self) -> bool:
        return self.pos >= len(self.wanted.chars)

    @property
    def part(self) -> _Part:
        return _Part(
            "note",
            f"note {self.number} (sentence {self.sentence.id})",
            self.sentence.id,
            self.number,
        )


@attrs.define
class _Change:
    """A part that reads differently: the seen characters standing in its place."""

    part: _Part
    i0: int
    i1: int


class _Accounting:
    """Walks the pages in order, accounting for every drawn character."""

    def __init__(
        self,
        manifest: Manifest,
        pages: Sequence[int | None] = (),
        regular: frozenset[int] = frozenset(),
        ref_pages: Mapping[str, int | None] | None = None,
    ) -> None:
        self.body = _body(manifest, pages, ref_pages or {})
        self.manifest = manifest
        #: the fonts of the page numbers: the body's regular face (a glyph upright and not
        #: bold in any other font is a fallback face's, which has no italics or bold)
        self.regular = regular
        #: for each sentence seen: what of it is emphasised and what is under a web link
        self.emphasis: dict[str, list[tuple[str, str]]] = {}
        self.web: dict[str, list[tuple[str, str]]] = {}
        self.both: dict[str, list[str]] = {}
        #: the web links of the current page that cover text the pages are checked against
        self.linked: set[int] = set()
        #: the groups already reported for emphasis or a link on the current page
        self.styled: set[tuple[str, str]] = set()
        #: the addresses of links whose text draws nothing compared (a link over no text of
        #: the pages may be one of them)
        self.unseen_links = {
            p.href
            for sent in manifest.sentences
            for p in sent.parts
            if p.href is not None and not _squash(_drawn(p.text))
        }
        self.links_anywhere = {
            p.href for sent in manifest.sentences for p in sent.parts if p.href is not None
        }
        self.anchors = _heading_anchors(manifest)
        #: the page on which each part of the body was first seen
        self.first_page: dict[int, int] = {}
        self.notes: list[_Note] = []
        marks = {
            p.note: self.body.spans[k][0]
            for k, p in enumerate(self.body.parts)
            if p.kind == "mark" and p.note is not None
        }
        for sent in manifest.sentences:
            if sent.note is None:
                continue
            wanted = _Wanted()
            wanted.add(f"{sent.note} {sent.note_text or ''}", _Part("note", f"note {sent.note}"))
            mark = marks.get(sent.note, len(self.body.chars))
            self.notes.append(_Note(sent.note, sent, wanted.done(), mark))
        self.notes.sort(key=lambda n: n.mark)
        self.cursor = 0
        self.next_note = 0  # notes before this one have their mark on an earlier page
        self.open: list[_Note] = []  # notes due and not finished, in order
        self.problems: list[Problem] = []
        self.differences = 0
        self.gave_up = False
        # where the body's characters stand on the current page: x, y and group
        self.placed_parts: list[tuple[float, float, str]] = []
        self.tables = {t.number: t for t in manifest.tables}
        self.headers = {n: _header(t) for n, t in self.tables.items()}
        # the last row of each table that shows any text (0: none does)
        self.last_shown_row: dict[int, int] = {}
        for owner in self.body.owner:
            part = self.body.parts[owner]
            if part.table and part.row > self.last_shown_row.get(part.table, 0):
                self.last_shown_row[part.table] = part.row
        self.in_cell = {
            (t.number, r, c): cell.sentence
            for t in manifest.tables
            for r, row in enumerate(t.rows, 1)
            for c, cell in enumerate(row, 1)
            if cell.sentence is not None
        }
        # where the characters of each table piece stand on the current page
        self.cells: dict[tuple[int, int, int], list[tuple[float, float]]] = {}
        #: the text objects of the current page that start beside the one before them, as a
        #: table's next cell does: where each of its compared characters stands, where the one
        #: before ends, and both texts
        self.beside: list[tuple[list[tuple[float, float]], tuple[float, float], str, str]] = []
        #: the cell (table, row, column) of each of those places, once the page is compared
        #: (``None``: a place of no cell, or of more than one piece)
        self.beside_cells: dict[tuple[float, float], tuple[int, int, int] | None] = {}
        #: the places of ``beside``, all together: those the comparison notes the cells of
        self.beside_asked: set[tuple[float, float]] = set()
        title = " ".join(split_lines(str(manifest.brief.get("title") or "")))
        self.running = _squash(_drawn(title)) or None
        self._next_seen: list[int | None] | None = None

    def heading_pages(self) -> list[int | None]:
        """The page each heading was first seen on, in order (``None``: not seen)."""
        return [self.seen_on(k) for k, p in enumerate(self.body.parts) if p.kind == "heading"]

    def seen_on(self, k: int) -> int | None:
        """The page part ``k`` was first seen on. A part that shows nothing a reader can see
        (a heading of format characters only) is never seen: it stands on the page of the
        first part after it that is (a heading is kept with what follows it)."""
        found = self.first_page.get(k)
        start, end = self.body.spans[k]
        if found is not None or end > start:
            return found
        if self._next_seen is None:  # the page of the next part seen, for each part: once
            after: int | None = None
            pages: list[int | None] = []
            for j in range(len(self.body.parts) - 1, -1, -1):
                after = self.first_page.get(j, after)
                pages.append(after)
            self._next_seen = pages[::-1]
        return self._next_seen[k]

    def page_of(self, anchor: str) -> int | None:
        """The page where the heading, table caption or figure caption ``anchor`` names is
        printed (``None`` when it is not found)."""
        parts = self.body.parts
        if anchor.startswith(("table-", "figure-")):
            kind, _, number = anchor.partition("-")
            wanted = f"the caption of {kind} {number}"
            for k, p in enumerate(parts):
                if p.group == wanted:
                    return self.seen_on(k)
            return None
        if anchor not in self.anchors:
            return None
        headings = [k for k, p in enumerate(parts) if p.kind == "heading"]
        at = self.anchors.index(anchor)
        if len(headings) != len(self.anchors) or at >= len(headings):
            return None
        return self.seen_on(headings[at])

    def add(self, code: str, message: str, part: _Part | None = None) -> None:
        self.problems.append(
            Problem(
                code,
                message,
                sentence=part.sentence if part else None,
                note=part.note if part and part.kind == "note" else None,
            )
        )

    def run(self, pages: Iterable[PdfPage]) -> list[Problem]:
        for page in pages:
            self.page(page)
        self.finish()
        return self.problems

    # -- a page

    def page(self, page: PdfPage) -> None:
        objects = list(page.objects)
        number = str(page.number)
        footer = next(
            (k for k in range(len(objects) - 1, -1, -1) if _squash(objects[k].text) == number),
            None,
        )
        end = footer if footer is not None else len(objects)
        if page.number > 1 and self.running is not None:
            end = self.running_header(page.number, objects, end)
        rule = page.rule if page.rule is not None and page.rule <= end else end
        self.beside, self.beside_cells = [], {}
        self.reading_order(page.number, objects[:end], page.lines)
        self.beside_asked = {p for places, end, _t, _b in self.beside for p in (*places, end)}
        self.placed_parts = []
        self.cells = {}
        self.linked = set()
        self.styled = set()
        self.page_body(page, objects[:rule])
        self.table_problems(page.number, page.lines)
        self.beside_is_a_cell(page.number)
        self.page_notes(page, objects[rule:end])
        self.stray_links(page)
        if footer is None:
            return
        label = f"the page number {number}"
        others = [min(o.y) for k, o in enumerate(objects) if o.y and k != footer]
        if objects[footer].y and others and max(objects[footer].y) >= min(others) - _LEVEL:
            self.add(
                "foreign-drawing",
                f"page {number}: {label} is not drawn below the page's other text, "
                "which briefkit never draws",
            )
        if objects[footer].hidden:
            why = objects[footer].hidden[0][2]
            self.add("hidden-text", f"page {number}: {label} is drawn hidden ({why})")
        seen = _Seen.of(objects[footer + 1 :])
        if seen.chars:
            self.extra(page.number, seen, 0, len(seen.chars), f"after {label}")

    def reading_order(
        self,
        number: int,
        objects: Sequence[TextObject],
        rules: Sequence[tuple[float, float, float, float]] = (),
    ) -> None:
        """The body and the notes are read in the file's order, and the writer draws them
        down the page: each text object starts on or below the lowest line drawn before it,
        or beside the text object before it as a table's next cell stands: its first line
        level with that one's first line, right of all its text, past a column rule drawn
        between them. Anything else shows the page in another order than it reads (the reader
        checks the lines within a text object). How high an object starts is where its first
        visible character stands (a space placed apart decides nothing). Whether what stands
        beside is a table's next cell is known once the page is compared (see
        :meth:`beside_is_a_cell`)."""
        before: TextObject | None = None
        lowest = math.inf
        for obj in objects:
            at = _first_compared(obj)
            if at is None:
                continue
            y = at[1]
            if before is not None:
                # a cell's first line (blank or not) is level with the row's other cells'
                right = max(before.x)
                beside = (
                    abs(obj.y[0] - before.y[0]) <= _LEVEL
                    and obj.x[0] >= right - _LEVEL
                    and _rule_between(rules, right, obj.x[0], obj.y[0])
                )
                if y > lowest + _LEVEL and not beside:
                    self.add(
                        "foreign-drawing",
                        f"page {number}: text drawn above text drawn before it, out of reading "
                        f"order ({_short(obj.visible)} above {_short(before.visible)}), "
                        "which briefkit never draws",
                    )
                    return
                if y > lowest + _LEVEL:
                    end = _last_compared(before)
                    assert end is not None  # it has a first
                    self.beside.append((_compared_places(obj), end, obj.visible, before.visible))
            lowest = min(lowest, min(obj.y))
            before = obj

    def beside_is_a_cell(self, number: int) -> None:
        """Text drawn beside the text before it, as a table's next cell stands, must be one:
        where it starts, a cell of the row where the text before it ends, in a later column,
        and nothing else of it drawn in another piece than that cell. (A column rule drawn
        between two paragraphs does not make them a table's cells, nor does a cell make what
        is drawn after it in its text object one.)"""
        found = self.beside_cells
        for places, end, text, before in self.beside:
            cell, last = found.get(places[0]), found.get(end)
            if (
                cell is None
                or last is None
                or cell[:2] != last[:2]
                or cell[2] <= last[2]
                # a place no piece was matched at is text the page shows extra: reported so
                or any(found.get(p, cell) != cell for p in places)
            ):
                self.add(
                    "foreign-drawing",
                    f"page {number}: text drawn beside text drawn before it, as a table's next "
                    f"cell stands, that is no next cell of its row ({_short(text)} beside "
                    f"{_short(before)}), which briefkit never draws",
                )
                return

    def _beside_cell(self, x: float, y: float, part: _Part) -> None:
        """Note the cell of the piece drawn at ``(x, y)``, a place :meth:`beside_is_a_cell`
        asks about."""
        cell = (part.table, part.row, part.column) if part.table and part.column else None
        found = self.beside_cells
        if (x, y) in found and found[(x, y)] != cell:
            cell = None  # two pieces drawn at one place: neither is known to be the cell
        found[(x, y)] = cell

    def running_header(self, number: int, objects: Sequence[TextObject], end: int) -> int:
        """Check the running header, drawn just before ``end`` (the page number); where the
        notes end (before it, when it is there)."""
        label = "the running header"
        k = end - 1
        found = objects[k] if k >= 0 else None
        if (
            found is None
            or not found.y
            or any(o.y and max(o.y) >= min(found.y) for o in objects[:k])
        ):
            self.add("missing", f"page {number}: {label} (the title) is not at the top of the page")
            return end
        got, want = _squash(found.text), self.running or ""
        shortened = any(
            got.endswith(mark) and len(got) > len(mark) and want.startswith(got[: -len(mark)])
            for mark in ("\u2026", "...")
        )
        if got != want and not shortened:
            self.add(
                "differs",
                f"page {number}: {label} does not read as the title ({diff(want, got)})",
            )
        if found.hidden:
            self.add(
                "hidden-text", f"page {number}: {label} is drawn hidden ({found.hidden[0][2]})"
            )
        return k

    def page_body(self, page: PdfPage, objects: Sequence[TextObject]) -> None:
        number = page.number
        seen = _Seen.of(objects)
        body = self.body
        start = self.repeated_header(number, seen)
        if start:
            seen = seen.after(start)
        events = self.walk(seen, body, self.cursor, len(body.chars))
        cells = self.cells
        asked = self.beside_asked
        for event in events:
            if event.kind == "same" and event.j1 > event.j0:
                for i, j in _pairs(seen, body, event):
                    x, y = seen.xy[i]
                    part = body.parts[body.owner[j]]
                    if asked and (x, y) in asked:
                        self._beside_cell(x, y, part)
                    self.first_page.setdefault(body.owner[j], number)
                    self.placed_parts.append((x, y, part.group))
                    if part.table:
                        cells.setdefault((part.table, part.row, part.column), []).append((x, y))
                    if part.anchor is not None:
                        self.in_ref_link(page, x, y, seen, i, part)
                    self.styles(page, seen, i, body, j, part)
        self.report(number, seen, body, events, None)
        for event in events:
            if event.kind != "extra":
                self.cursor = max(self.cursor, event.j1)
        while self.next_note < len(self.notes) and self.notes[self.next_note].mark < self.cursor:
            note = self.notes[self.next_note]
            note.due = number
            self.open.append(note)
            self.next_note += 1

    def in_ref_link(
        self, page: PdfPage, x: float, y: float, seen: _Seen, i: int, part: _Part
    ) -> None:
        """A reference with its page is drawn, every character of it, inside a link to its
        anchor (``page-ref`` once per reference and page when it is not)."""
        for (anchor, _target), rect in zip(page.ref_links, page.ref_rects, strict=False):
            # reportlab may start the rectangle of a link at a line's start a point or two
            # after its first glyph's origin: less than a glyph's width, which any move is
            if anchor == part.anchor and rect is not None and _holds(rect, x, y, _REF_SLACK):
                return
        if (part.group, "ref-link") in self.styled:
            return
        self.styled.add((part.group, "ref-link"))
        self.add(
            "page-ref",
            f"page {page.number}: {part.group} shows {seen.quote(i, i + 1)} outside its link "
            f"to {part.anchor}",
            part,
        )

    def repeated_header(self, number: int, seen: _Seen) -> int:
        """On a page a table goes on to, its header row comes first again: check it; how many
        of the page's first characters it accounts for."""
        body, cursor = self.body, self.cursor
        if not 0 < cursor < len(body.chars):
            return 0
        before, after = body.parts[body.owner[cursor - 1]], body.parts[body.owner[cursor]]
        # the page before stopped inside the table's rows (or after its header, when the
        # first rows are empty)
        going_on = before.row or before.kind == "header"
        if not (before.table and going_on):
            return 0
        table = before.table
        # the rows left after the page before show no text: the layout may have carried
        # them over under the header, or kept them on the page before
        optional = not (before.table == after.table and after.row)
        if optional and not (
            before.row == self.last_shown_row.get(table, 0)
            and before.row < len(self.tables[table].rows)
        ):
            return 0
        wanted = self.headers[table]
        size = len(wanted.chars)
        if not size:
            return 0
        i, j = _advance(seen, 0, wanted, 0, size)
        if optional and j < size:
            return 0
        if j == size:
            head = seen.before(i)
            events = [_Event("same", 0, i, 0, size)]
            asked = self.beside_asked
            for k, at in _pairs(head, wanted, events[0]):
                part = wanted.parts[wanted.owner[at]]
                self.cells.setdefault((table, 0, part.column), []).append(head.xy[k])
                if head.xy[k] in asked:
                    self._beside_cell(*head.xy[k], part)
            self.report(number, head, wanted, events, None)  # text hidden in it
            return i
        # it reads otherwise: it goes on to where the rows go on
        anchor = body.chars[cursor : cursor + _ANCHOR]
        i = seen.chars.find(anchor, 0, size + _SEEN_WINDOW) if anchor else -1
        if i <= 0:
            self.add(
                "table-header",
                f"page {number}: the header row of table {table} is not repeated at the top "
                "of the page, where the table goes on",
            )
            return 0
        shown_text = " ".join(seen.text(0, i).split())
        want_text = " ".join(wanted.quote(0, size).split())
        self.add(
            "differs",
            f"page {number}: the header row of table {table}, repeated at the top of the page, "
            f"does not read as the manifest says ({diff(want_text, shown_text)})",
        )
        hidden = [k for k in range(i) if seen.hidden[k] is not None]
        if hidden:
            why = seen.hidden[hidden[0]]
            self.add(
                "hidden-text",
                f"page {number}: the header row of table {table}, repeated at the top of the "
                f"page, is drawn hidden ({why}): {seen.quote(hidden[0], hidden[-1] + 1)}",
            )
        return i

    def table_problems(
        self, number: int, lines: Sequence[tuple[float, float, float, float]]
    ) -> None:
        """The drawing of the tables on this page: rows one below the other in order, and each
        cell's text between the column rules of its column."""
        by_table: dict[int, dict[tuple[int, int], list[tuple[float, float]]]] = {}
        for (table, row, column), points in self.cells.items():
            by_table.setdefault(table, {})[(row, column)] = points
        for table, cells in sorted(by_table.items()):
            self.rows_in_order(number, table, cells)
            self.cells_in_columns(number, table, cells, lines)

    def rows_in_order(
        self, number: int, table: int, cells: dict[tuple[int, int], list[tuple[float, float]]]
    ) -> None:
        bands: dict[int, tuple[float, float]] = {}  # row: its lowest and highest baseline
        for (row, column), points in cells.items():
            if column:
                ys = [y for _x, y in points]
                low, high = bands.get(row, (math.inf, -math.inf))
                bands[row] = (min(low, *ys), max(high, *ys))
        rows = sorted(bands)
        for above, below in itertools.pairwise(rows):
            if bands[below][1] >= bands[above][0] - 0.5:
                self.add(
                    "table-row",
                    f"page {number}: {_row_name(table, below)} is not drawn below "
                    f"{_row_name(table, above)}",
                    self.row_part(table, below),
                )
        caption = cells.get((0, 0))
        if caption and rows and min(y for _x, y in caption) <= bands[rows[0]][1]:
            self.add(
                "table-row",
                f"page {number}: the caption of table {table} is not drawn above the table",
            )

    def row_part(self, table: int, row: int, column: int = 0) -> _Part | None:
        """A part naming the sentence of the cell (or of the row's first sentence cell)."""
        columns = [column] if column else range(1, len(self.tables[table].header) + 1)
        for c in columns:
            sid = self.in_cell.get((table, row, c))
            if sid is not None:
                return _Part("cell", "", sid)
        return None

    def cells_in_columns(
        self,
        number: int,
        table: int,
        cells: dict[tuple[int, int], list[tuple[float, float]]],
        lines: Sequence[tuple[float, float, float, float]],
    ) -> None:
        count = len(self.tables[table].header)
        ys = [y for (_r, column), points in cells.items() if column for _x, y in points]
        if count < 2 or not ys:
            return
        low, high = min(ys), max(ys)
        rules = [
            line
            for line in lines
            if abs(line[2] - line[0]) <= 0.1
            and min(line[1], line[3]) <= high
            and max(line[1], line[3]) >= low
        ]
        name = f"table {table}"
        if len(rules) != count - 1:
            self.add(
                "table-column",
                f"page {number}: {name} is drawn with {len(rules)} column rules, not {count - 1} "
                "(one between each two columns)",
            )
            return
        if any(min(r[1], r[3]) > low + 0.5 or max(r[1], r[3]) < high - 0.5 for r in rules):
            self.add(
                "table-column",
                f"page {number}: a column rule of {name} does not run the height of the table",
            )
        edges = sorted(r[0] for r in rules)
        bounds = [-math.inf, *edges, math.inf]
        for (row, column), points in sorted(cells.items()):
            if not column:
                continue
            xs = sorted(x for x, _y in points)
            if bounds[column - 1] < xs[0] and xs[-1] < bounds[column]:
                continue
            drawn = bisect.bisect_left(edges, xs[len(xs) // 2]) + 1
            where = f"in column {drawn}" if drawn != column else "across a column rule"
            cell = "the header" if row == 0 else f"row {row}"
            self.add(
                "table-cell",
                f"page {number}: {name}, {cell}, column {column} is drawn {where}, not within "
                f"column {column}",
                self.row_part(table, row, column),
            )

    def page_notes(self, page: PdfPage, objects: Sequence[TextObject]) -> None:
        number = page.number
        open_notes = self.open
        k = 0
        last: _Note | None = None
        for obj in objects:
            seen = _Seen.of([obj])
            if not seen.chars:
                continue
            chosen: _Note | None = None
            best = (0, -1)
            for idx in range(k, len(open_notes)):
                note = open_notes[idx]
                got, _ = _advance(seen, 0, note.wanted, note.pos, len(note.wanted.chars))
                if got == len(seen.chars):
                    chosen, k = note, idx
                    break
                if got > best[0]:
                    best = (got, idx)
                if not note.started and note.due == number and got:
                    # a note whose mark is on this page is not passed over when the text
                    # begins as it does (it reads differently); one that does not even begin
                    # so is passed over only for a note that the text reads as in full
                    break
            if (
                chosen is None
                and best[1] >= 0
                and not any(not n.started and n.due == number for n in open_notes[k : best[1]])
            ):
                chosen, k = open_notes[best[1]], best[1]
            if chosen is None:
                where = f"among the notes, after note {last.number}" if last else "among the notes"
                self.extra(number, seen, 0, len(seen.chars), where)
                continue
            events = self.walk(seen, chosen.wanted, chosen.pos, len(chosen.wanted.chars))
            for event in events:
                if event.kind == "same" and event.j1 > event.j0:
                    for i, j in _pairs(seen, chosen.wanted, event):
                        self.styles(page, seen, i, chosen.wanted, j, chosen.part)
            self.report(number, seen, chosen.wanted, events, chosen)
            for event in events:
                if event.kind != "extra":
                    chosen.pos = max(chosen.pos, event.j1)
            chosen.started = True
            last = chosen
            if chosen.done:
                k += 1
        for note in open_notes:
            if note.due == number and not note.started:
                self.add(
                    "note-missing",
                    f"page {number}: {note.part.group} is not at the foot of page {number}, "
                    "where its mark is",
                    note.part,
                )
        self.open = [n for n in open_notes if not n.done]

    # -- emphasis and links

    def styles(
        self, page: PdfPage, seen: _Seen, i: int, wanted: _Wanted, j: int, part: _Part
    ) -> None:
        """Seen character ``i``, read as wanted character ``j`` of ``part``: how it is styled
        and the web link over it. A sentence's are gathered (see :meth:`inline_problems`);
        anything else is drawn as the writer draws that piece, under no link but its own."""
        face = wanted.face[j]
        if face & _UNCHECKED:
            return
        style, font, link = seen.style[i], seen.font[i], seen.link[i]
        if not style and self.regular and font not in self.regular:
            style = face & (ITALIC | BOLD)  # a fallback face: neither italics nor bold
        uri = page.web_links[link].uri if 0 <= link < len(page.web_links) else None
        if link == NO_PLACE:
            uri = wanted.href[j]  # a glyph without width: no link can be told to hold it
        if link >= 0:
            self.linked.add(link)
        ch = seen.chars[i]
        if ch != wanted.chars[j]:
            return  # not the character wanted (a soft hyphen shown): reported otherwise
        if face & _SENTENCE and part.sentence is not None:
            sid = part.sentence
            self.emphasis.setdefault(sid, [])
            self.web.setdefault(sid, [])
            italic = bool(style & ITALIC) != bool(face & _ANALYSIS)
            if italic and style & BOLD:
                self.both.setdefault(sid, []).append(ch)
            elif italic or style & BOLD:
                self.emphasis[sid].append((ch, "strong" if style & BOLD else "em"))
            if uri is not None:
                self.web[sid].append((ch, uri))
            return
        want = face & (ITALIC | BOLD)
        if style != want and (part.group, "emphasis") not in self.styled:
            self.styled.add((part.group, "emphasis"))
            self.add(
                "emphasis",
                f"page {page.number}: {part.group} shows {seen.quote(i, i + 1)} "
                f"{_face_name(style)}; the writer draws it {_face_name(want)}",
                part,
            )
        if uri != wanted.href[j] and (part.group, "link") not in self.styled:
            self.styled.add((part.group, "link"))
            self.add(
                "link",
                f"page {page.number}: {part.group} shows {seen.quote(i, i + 1)} "
                + (f"as a link to {_short(uri)}" if uri is not None else "under no link")
                + (
                    f"; the manifest links it to {_short(wanted.href[j] or '')}"
                    if wanted.href[j] is not None
                    else ", which the manifest links nowhere"
                ),
                part,
            )

    def stray_links(self, page: PdfPage) -> None:
        """A web link over no text of the document's pieces (over nothing, over unlinked text,
        the running header or the page number) is a ``link`` problem."""
        if len(self.linked) == len(page.web_links):
            return
        covered: dict[int, list[str]] = {}
        marks: list[tuple[float, float]] = []  # (y, x) of each glyph without width
        for obj in page.objects:
            for k, ch in enumerate(obj.text):
                link = obj.link_at(k)
                if link >= 0 and link not in self.linked and _compared(ch):
                    covered.setdefault(link, []).append(ch)
                elif link == NO_PLACE and k < len(obj.x):
                    marks.append((obj.y[k], obj.x[k]))
        marks.sort()
        for k, web in enumerate(page.web_links):
            if k in self.linked or (k not in covered and web.uri in self.unseen_links):
                continue
            if k not in covered and web.uri in self.links_anywhere and _holds_marks(page, k, marks):
                continue
            text = "".join(covered.get(k, []))
            over = f"over {_short(text)}" if text else "over no text"
            self.add(
                "link",
                f"page {page.number}: a link to {_short(web.uri)} {over}, which the manifest "
                "has no link for",
            )

    def inline_problems(self) -> None:
        """Each sentence seen shows exactly its manifest's emphasis and web links."""
        for sent in self.manifest.sentences:
            if sent.id not in self.emphasis:
                continue  # not shown at all: reported as such
            both = self.both.get(sent.id)
            if both:
                self.add(
                    "emphasis",
                    f"sentence {sent.id} shows {_short(''.join(both))} in bold italics, which "
                    "the writer never draws",
                    _Part("sentence", "", sent.id),
                )
            drawn = _as_drawn(sent)
            self.problems.extend(emphasis_problems(drawn, self.emphasis[sent.id]))
            self.problems.extend(link_problems(drawn, self.web[sent.id]))

    # -- reading

    def walk(self, seen: _Seen, wanted: _Wanted, j: int, j_end: int) -> list[_Event]:
        """Read ``seen`` against ``wanted`` from ``j``: what is the same, what is extra,
        what is gone."""
        events: list[_Event] = []
        i, n = 0, len(seen.chars)
        while i < n:
            i2, j2 = _advance(seen, i, wanted, j, j_end)
            if i2 > i or j2 > j:
                events.append(_Event("same", i, i2, j, j2))
            i, j = i2, j2
            if i >= n:
                break
            found = None
            if j < j_end and not self.gave_up:
                self.differences += 1
                self.gave_up = self.differences > _MAX_DIFFERENCES
                if not self.gave_up:
                    found = _resync(seen, i, wanted, j, j_end)
            if found is None:
                events.append(_Event("extra", i, n, j, j))
                break
            i2, j2 = found
            if j2 > j:
                events.append(_Event("gone", i, i, j, j2))
            if i2 > i:
                events.append(_Event("extra", i, i2, j2, j2))
            i, j = i2, j2
        return events

    def report(
        self, number: int, seen: _Seen, wanted: _Wanted, events: list[_Event], note: _Note | None
    ) -> None:
        """Problems for one run of reading: text hidden in a part, text between parts, parts
        that read differently or are not there."""
        hidden: dict[str, tuple[_Part, str, int, int]] = {}
        changed: dict[str, _Change] = {}
        gone: dict[str, _Part] = {}
        for pos, event in enumerate(events):
            if event.kind == "same":
                for i in range(event.i0, event.i1 if event.j1 > event.j0 else event.i0):
                    why = seen.hidden[i]
                    if why is None:
                        continue
                    part = self.owner(wanted, min(event.j0 + i - event.i0, event.j1 - 1), note)
                    earlier = hidden.get(part.group)
                    hidden[part.group] = (part, why, earlier[2] if earlier else i, i + 1)
            elif event.kind == "extra":
                self.extra_event(number, seen, wanted, event, note, changed)
            else:
                substituted = any(e.kind == "extra" for e in events[max(0, pos - 1) : pos + 2])
                for k in sorted({wanted.owner[j] for j in range(event.j0, event.j1)}):
                    part = note.part if note else wanted.parts[k]
                    lo, hi = self.span(wanted, part, note)
                    if note is None and not substituted and event.j0 <= lo and hi <= event.j1:
                        gone.setdefault(part.group, part)
                    else:
                        _widen(changed, part, event.i0, event.i0)
        for group, part in gone.items():
            if group not in changed:
                code = "page-ref" if part.kind == "paged" else "missing"
                self.add(code, f"page {number}: {group} is not shown where it belongs", part)
        # what of the wanted text this run of reading covers (a part may go on elsewhere)
        first = min((e.j0 for e in events), default=0)
        last = max((e.j1 for e in events), default=0)
        for change in changed.values():
            part = change.part
            lo, hi = self.span(wanted, part, note)
            lo, hi = max(lo, first), min(hi, last)
            i0, i1 = change.i0, change.i1
            for event in events:  # with the same characters around the change
                if event.kind == "same" and event.j1 > lo and event.j0 < hi:
                    i0 = min(i0, event.i0 + max(0, lo - event.j0))
                    i1 = max(i1, min(event.i1, event.i0 + hi - event.j0))
            shown_text = " ".join(seen.text(i0, i1).split())
            want_text = " ".join(wanted.quote(lo, hi).split())
            detail = diff(want_text, shown_text) if shown_text else ""
            code = {"note": "note-differs", "paged": "page-ref"}.get(part.kind, "differs")
            self.add(
                code,
                f"page {number}: {part.group} does not read as the manifest says"
                + (f" ({detail})" if detail else ": it is not shown"),
                part,
            )
        for part, why, i0, i1 in hidden.values():
            self.add(
                "hidden-text",
                f"page {number}: {part.group} is drawn hidden ({why}): {seen.quote(i0, i1)}",
                part,
            )

    def extra_event(
        self,
        number: int,
        seen: _Seen,
        wanted: _Wanted,
        event: _Event,
        note: _Note | None,
        changed: dict[str, _Change],
    ) -> None:
        """Seen characters that stand where no wanted character does: part of the piece
        around them, or unlinked text between pieces."""
        j = event.j0
        owners = wanted.owner
        before = wanted.parts[owners[j - 1]] if 0 < j <= len(owners) else None
        after = wanted.parts[owners[j]] if j < len(owners) else None
        hidden_only = all(seen.hidden[i] is not None for i in range(event.i0, event.i1))
        if note is not None:
            if 0 < j < len(owners) and not hidden_only:
                _widen(changed, note.part, event.i0, event.i1)
                return
            where = f"after {note.part.group}" if j else f"before {note.part.group}"
            self.extra(number, seen, event.i0, event.i1, f"among the notes, {where}")
            return
        inside = before is not None and after is not None and before.group == after.group
        if before is not None and before.kind in ("page", "paged") and not hidden_only:
            # digits just after a contents entry's page number (or a reference's, which ends
            # the phrase in some languages): the number reads otherwise
            inside = seen.text(event.i0, event.i1).strip().isdigit()
            after = before if inside else after
        if inside and after is not None and not hidden_only:
            _widen(changed, after, event.i0, event.i1)
            return
        where = f"after {before.group}" if before is not None else "before the title"
        self.extra(number, seen, event.i0, event.i1, where)

    def extra(self, number: int, seen: _Seen, i0: int, i1: int, where: str) -> None:
        """Problems for drawn characters ``[i0, i1)`` that no piece accounts for, one per run
        of visible or of hidden text."""
        k = i0
        while k < i1:
            why = seen.hidden[k]
            end = k
            while end < i1 and (seen.hidden[end] is None) == (why is None):
                end += 1
            placed = self.placed(seen, k)
            placed = f" (drawn {placed})" if placed and placed not in where else ""
            if why is None:
                message = f"unlinked text {where}{placed}: {seen.quote(k, end)}"
                self.add("unlinked-text", f"page {number}: {message}")
            else:
                message = f"hidden text ({why}) {where}{placed}: {seen.quote(k, end)}"
                self.add("hidden-text", f"page {number}: {message}")
            k = end

    def placed(self, seen: _Seen, i: int) -> str:
        """Where seen character ``i`` stands among the body's text on the page, in reading
        order ("after sentence s3"), when something of the body stands before it."""
        x, y = seen.xy[i]
        for px, py, group in reversed(self.placed_parts):
            if py > y + 2 or (abs(py - y) <= 2 and px <= x):
                return f"after {group}"
        return ""

    # -- parts

    @staticmethod
    def owner(wanted: _Wanted, j: int, note: _Note | None) -> _Part:
        return note.part if note else wanted.parts[wanted.owner[j]]

    @staticmethod
    def span(wanted: _Wanted, part: _Part, note: _Note | None) -> tuple[int, int]:
        """Where the wanted characters of ``part``'s group are."""
        if note is not None:
            return 0, len(wanted.chars)
        spans = [wanted.spans[k] for k, p in enumerate(wanted.parts) if p.group == part.group]
        return min(s[0] for s in spans), max(s[1] for s in spans)

    # -- the end

    def finish(self) -> None:
        self.inline_problems()
        body = self.body
        reported: set[str] = set()
        for k in sorted({body.owner[j] for j in range(self.cursor, len(body.chars))}):
            part = body.parts[k]
            if part.group in reported:
                continue
            reported.add(part.group)
            if self.span(body, part, None)[0] < self.cursor:
                message = "ends early: the rest of it is not shown on any page"
                self.add("differs", f"{part.group} {message}", part)
            else:
                self.add("missing", f"{part.group} is not shown on any page", part)
        for note in self.notes:
            if note.done:
                continue
            if note.started:
                rest = note.wanted.quote(note.pos, len(note.wanted.chars))
                message = f"{note.part.group} ends early: {_short(rest)} is not shown"
                self.add("note-differs", message, note.part)
            elif note.due is None:
                self.add("note-missing", f"{note.part.group} is not shown on any page", note.part)
        if self.gave_up:
            self.add(
                "differs",
                f"the pages differ from the manifest in more than {_MAX_DIFFERENCES} places; "
                "the rest was not compared",
            )


def _widen(changed: dict[str, _Change], part: _Part, i0: int, i1: int) -> None:
    found = changed.get(part.group)
    if found is None:
        changed[part.group] = _Change(part, i0, i1)
    else:
        found.i0, found.i1 = min(found.i0, i0), max(found.i1, i1)


def _squash(text: str) -> str:
    return "".join(ch for ch in text if _compared(ch))


def _first_compared(obj: TextObject) -> tuple[float, float] | None:
    """Where the first character of ``obj`` that is compared (not white space, not a
    default-ignorable one) stands."""
    text, xs, ys = obj.text, obj.x, obj.y
    for k, ch in enumerate(text):
        if k >= len(xs) or k >= len(ys):
            return None
        if _compared(ch):
            return xs[k], ys[k]
    return None


def _compared_places(obj: TextObject) -> list[tuple[float, float]]:
    """Where each compared character of ``obj`` stands."""
    text, xs, ys = obj.text, obj.x, obj.y
    n = min(len(text), len(xs), len(ys))
    return [(xs[k], ys[k]) for k in range(n) if _compared(text[k])]


def _last_compared(obj: TextObject) -> tuple[float, float] | None:
    """Where the last character of ``obj`` that is compared stands."""
    text, xs, ys = obj.text, obj.x, obj.y
    for k in range(min(len(text), len(xs), len(ys)) - 1, -1, -1):
        if _compared(text[k]):
            return xs[k], ys[k]
    return None


def _rule_between(
    rules: Sequence[tuple[float, float, float, float]], left: float, right: float, y: float
) -> bool:
    """Whether a vertical rule stands between ``left`` and ``right`` at height ``y`` (a
    table's column rule)."""
    return any(
        abs(x0 - x1) <= 0.5 and left < x0 < right and min(y0, y1) <= y <= max(y0, y1)
        for x0, y0, x1, y1 in rules
    )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _holds_marks(page: PdfPage, k: int, marks: list[tuple[float, float]]) -> bool:
    """Whether web link ``k``'s rectangle holds one of ``marks`` (where the page's glyphs
    without width stand, sorted by height): a link over nothing but combining marks, which
    stand where the glyph before them ends."""
    rect = page.web_links[k].rect
    if rect is None:
        return False
    x0, y0, x1, y1 = rect
    start = bisect.bisect_left(marks, (y0, -math.inf))
    end = bisect.bisect_right(marks, (y1, math.inf))
    return any(x0 <= x <= x1 for _y, x in marks[start:end])


#: how far (points) a glyph's origin may stand before or after its reference link's rectangle
_REF_SLACK = 2.5


def _holds(rect: tuple[float, float, float, float], x: float, y: float, slack: float = 1.0) -> bool:
    """Whether a glyph whose origin is ``(x, y)`` stands in ``rect`` (a link's rectangle runs
    from below the baseline to above it; ``slack`` points across for rounding)."""
    x0, y0, x1, y1 = rect
    return x0 - slack <= x <= x1 + slack and y0 - 1 <= y <= y1 + 1


def _as_drawn(sent: ManifestSentence) -> ManifestSentence:
    """``sent`` with the text of each part as it is compared with the pages: as the writer
    draws it, without the characters that draw nothing (see the module's tolerances)."""
    parts = tuple(
        attrs.evolve(p, text="".join(ch for ch in _drawn(p.text) if ch.isspace() or _compared(ch)))
        for p in sent.parts
    )
    return attrs.evolve(sent, parts=parts)


def _face_name(style: int) -> str:
    if style & ITALIC and style & BOLD:
        return "in bold italics"
    return "in italics" if style & ITALIC else "in bold" if style & BOLD else "upright"


def _row_name(table: int, row: int) -> str:
    return f"the header of table {table}" if row == 0 else f"row {row} of table {table}"


def _header(table: ManifestTable) -> _Wanted:
    """A table's header row, as repeated on each page the table goes on to."""
    wanted = _Wanted()
    for c, label in enumerate(table.header, 1):
        group = f"the header of table {table.number}, column {c}, repeated at the top of the page"
        wanted.add(label, _Part("header", group, table=table.number, column=c))
    return wanted.done()


def _body(
    manifest: Manifest,
    pages: Sequence[int | None] = (),
    ref_pages: Mapping[str, int | None] | None = None,
) -> _Wanted:
    """The body of the document as the writer draws it; ``pages`` the page of each heading,
    as the contents show it after its entry; ``ref_pages`` the page of each anchor a
    reference with its page leads to, as the reference shows it."""
    wanted = _Wanted()
    sources = 0
    entries = 0
    listed = 0
    locale = locale_of(manifest)
    analysis = f"{locale.labels['analysis']}: "

    def paged(part: ManifestPart) -> str:
        page = (ref_pages or {}).get(part.ref or "")
        return page_ref(locale, part.text, str(page) if page is not None else "?")

    for piece in outline(manifest):
        sent = piece.sentence
        if piece.table is not None:
            _table_piece(wanted, piece, analysis, paged)
        elif piece.kind == "contents" and piece.level == 0:
            wanted.add(piece.text, _Part("contents", "the label of the contents"), face=BOLD)
        elif piece.kind == "contents":
            listed += 1
            group = f"entry {listed} of the contents ({_short(piece.text, 40)})"
            wanted.add(piece.text, _Part("contents", group), face=BOLD if piece.level == 1 else 0)
            page = pages[listed - 1] if listed <= len(pages) else None
            wanted.add(
                str(page) if page is not None else "?",
                _Part("page", f"the page number of entry {listed} of the contents"),
            )
        elif piece.kind == "image" and piece.image is not None:
            number = piece.image.number
            wanted.add(piece.text, _Part("image", f"the caption of figure {number}"), face=BOLD)
        elif piece.kind == "sentence" and sent is not None:
            group = f"sentence {sent.id}"
            if piece.image is not None:
                group += f" (the caption of figure {piece.image.number})"
            if sent.block in ("key_point", "list"):
                wanted.add("•", _Part("bullet", group, sent.id))
            _add_sentence(wanted, sent, _Part("sentence", group, sent.id), analysis, paged)
            if sent.note is not None:
                mark = _Part("mark", group, sent.id, sent.note)
                wanted.add(str(sent.note), mark, spaced=False)
        elif piece.kind == "attribution" and sent is not None:
            wanted.add(
                piece.text,
                _Part("attribution", f"the attribution of sentence {sent.id}", sent.id),
                face=ITALIC,
            )
        elif piece.kind == "source":
            sources += 1
            title = (
                isolate(manifest.sources[sources - 1].title)
                if sources <= len(manifest.sources)
                else ""
            )
            wanted.add(
                piece.text,
                _Part("source", f"entry {sources} of the sources"),
                runs=_source_runs(piece, f"{sources}. ", title),
            )
        elif piece.kind == "entry":
            entries += 1
            wanted.add(piece.text, _Part("entry", f"entry {entries} of the bibliography"))
        else:
            face = _FACES.get(piece.kind, 0)
            part = _Part(piece.kind, f"the {piece.kind} {_short(piece.text, 40)}")
            wanted.add(piece.text, part, face=face)
    return wanted.done()


#: How the writer draws each kind of piece not handled on its own.
_FACES = {"title": BOLD, "subtitle": ITALIC, "heading": BOLD}
#: A sentence's own text (the manifest's parts give its emphasis), in an analysis (drawn in
#: italics, its emphasis upright); a character whose face is not known.
_SENTENCE, _ANALYSIS, _UNCHECKED = 4, 8, 16


#: How a reference with its page reads: its part and the phrase shown.
_Paged = Callable[[ManifestPart], str]


def _sentence_runs(
    sent: ManifestSentence, analysis: str, paged: _Paged | None = None
) -> list[tuple[str, int, str | None, ManifestPart | None]]:
    """How the writer draws a sentence: its ``Analysis:`` label in bold when it is one, then
    each part, in italics in an analysis, the author's emphasis the other way round (``em``)
    or in bold (``strong``), a link's text under its link, a reference with its page as
    ``paged`` words it (with the part, last)."""
    base = _SENTENCE | (_ANALYSIS | ITALIC if sent.analysis else 0)
    runs: list[tuple[str, int, str | None, ManifestPart | None]] = (
        [(analysis, BOLD, None, None)] if sent.analysis else []
    )
    if not sent.parts or "".join(p.text for p in sent.parts) != sent.text:
        return [*runs, (sent.text, base, None, None)]
    for p in sent.parts:
        face = base ^ ITALIC if p.style == "em" else base | BOLD if p.style == "strong" else base
        if p.ref and p.page and paged is not None:
            runs.append((paged(p), face, p.href, p))
        else:
            runs.append((p.text, face, p.href, None))
    return runs


def _add_sentence(
    wanted: _Wanted, sent: ManifestSentence, part: _Part, analysis: str, paged: _Paged
) -> None:
    """Add a sentence's text as the writer draws it (:func:`_sentence_runs`): a reference with
    its page is a part of its own (kind ``paged``), so that a difference in it is a
    ``page-ref`` problem and its characters can be held to its link."""
    pieces: list[tuple[_Part, list[tuple[str, int, str | None]]]] = [(part, [])]
    for text, face, href, paged_part in _sentence_runs(sent, analysis, paged):
        if paged_part is None:
            if pieces[-1][0] is not part:
                pieces.append((part, []))
            pieces[-1][1].append((text, face, href))
            continue
        group = f"the reference to {paged_part.ref} with its page, in {part.group}"
        own = attrs.evolve(part, kind="paged", group=group, anchor=paged_part.ref)
        pieces.append((own, [(text, face, href)]))
    first = True
    for piece_part, runs in pieces:
        if runs:  # (a sentence that starts with the reference: nothing before it)
            wanted.add(sent.text, piece_part, runs=runs, spaced=first)
            first = False


def _source_runs(piece: Piece, number: str, title: str) -> list[tuple[str, int, str | None]]:
    """How the writer draws an entry of the sources appendix: its number, its title in bold,
    the rest, its address under a link to it (when it is a web page's)."""
    text = piece.text
    if not text.startswith(number + title):
        return [(text, _UNCHECKED, None)]
    runs: list[tuple[str, int, str | None]] = [(number, 0, None), (title, BOLD, None)]
    rest = text[len(number + title) :]
    url = piece.url
    if url and linked(url) and rest.endswith(" " + url):
        return [*runs, (rest[: -len(url)], 0, None), (url, 0, url)]
    return [*runs, (rest, 0, None)]


def _table_piece(wanted: _Wanted, piece: Piece, analysis: str, paged: _Paged) -> None:
    """A piece of a table as the writer draws it: the caption, a header label, a cell's label,
    or a cell's sentence followed by its note number."""
    assert piece.table is not None
    number, row, column = piece.table.number, piece.row, piece.column
    if piece.kind == "caption":
        part = _Part("caption", f"the caption of table {number}", table=number)
        wanted.add(piece.text, part, face=BOLD)
    elif piece.kind == "header":
        group = f"the header of table {number}, column {column}"
        wanted.add(piece.text, _Part("header", group, None, None, number, row, column), face=BOLD)
    elif piece.kind == "cell" or piece.sentence is None:
        group = f"table {number}, row {row}, column {column}"
        wanted.add(piece.text, _Part("cell", group, None, None, number, row, column))
    else:
        sent = piece.sentence
        group = f"sentence {sent.id} (table {number}, row {row}, column {column})"
        part = _Part("sentence", group, sent.id, None, number, row, column)
        _add_sentence(wanted, sent, part, analysis, paged)
        if sent.note is not None:
            mark = _Part("mark", group, sent.id, sent.note, number, row, column)
            wanted.add(str(sent.note), mark, spaced=False)


class PdfChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
