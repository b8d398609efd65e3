"""The ``pdf`` exporter: reportlab pages with true per-page footnotes.

Every note is printed at the foot of the page on which its reference mark is drawn (see
:mod:`._layout`); marks link to their notes and notes link back; headings become the PDF outline;
fonts are embedded TrueType subsets chosen by a coverage check that runs before layout, so a
character no configured font has is an error naming it and where it occurs — never a blank box.
Right-to-left and Brahmic scripts, which reportlab cannot shape, are refused with a pointer to
DOCX. Labels are in the brief's language; the bibliography follows the body, each entry with a
hanging indent (its address is text, not a link). The provenance manifest is embedded as a file
attachment and is an associated file of the document (the catalog's ``/AF``, relationship
``/Data``). Each note carries its citations out of sight as well: the link annotation that
leads from the note's number back to its mark has a key of its own, ``/BriefkitCites``, whose
text string lists them (``SOURCE:START-END …``, in citation order) — viewers neither draw nor
extract it, so what the pages show is unchanged. Output is deterministic.

*PDF/A-3b and PDF/UA-1.* Every file is both (see :mod:`._archival`: XMP metadata that says so
and matches the information dictionary, an sRGB output intent, associated files, streams that
end with an end-of-line marker; and :mod:`._tags`: everything drawn is tagged or an artifact,
``/Lang`` is the brief's locale, the title is shown as the window's). Every annotation is
printed (``/F 4``), is the object of a ``Link`` element, and says where it leads
(``/Contents``): a web link its address; a note's mark ``to_note`` (``Note 12``) and a note's
back link ``back_to_mark``, in the brief's language; a link to a heading the heading, to a
table or figure its label.

*Tables.* A table is its caption — exactly ``Table N. caption`` in the brief's language
(:meth:`~briefkit.plan.TableBlock.label`), bold, kept with the table's header and first row —
then its rows, laid out by the page-aware layout (:class:`._layout.Row`). Column widths come
from the content: each column's widest cell when the table fits the text width (the room left
shared in proportion), else each column's longest word and the rest shared in proportion to
what its cells need; cell text wraps within its column (a word wider than its column is
broken). Each column is aligned as ``align`` says, the header row in bold. A sentence in a cell
is drawn as in a paragraph (its ``Analysis:`` label, its note's mark at the end of the cell's
text, the mark linking to its note and the note's back link carrying its citations), so a
cell's note is at the foot of the page where its row is printed. Rules are thin: above and
under the header row, a hairline between rows, under the last row of each page, and between
columns; the header row is repeated at the top of every page the table continues on.

*Contents.* When the brief asks for them, the contents follow the title block: their label
(``Contents`` in the brief's language) set as a top-level heading (neither listed in the
contents nor in the PDF outline), then one line per heading that follows, indented by its
level (top-level headings in bold), its text a link to the heading and the page the heading
is printed on drawn right-aligned, on the entry's last line, as a text object of its own after
the entry's text (no dot leaders). Each entry keeps :data:`_NUMBER_ROOM` free for its number
at the right, so the numbers never change what the contents take on the page: the body is laid
out once to learn on which page each heading falls (:attr:`._layout.Layout.dest_pages`), then
again with those numbers, which puts every heading on the same page (checked; a difference is
an :class:`~briefkit.errors.ExportError`). Each link carries the anchor it leads to under
``/BriefkitRef`` (:data:`._container.REF_KEY`).

*Figures.* An image is drawn whole (never split), scaled from its pixels at 96 per inch down to
the text width and 60% of the text height when it is larger, centred, with its caption line
under it on the same page: the label (``Figure N.``, bold) and the caption sentence (a sentence
like any other, its note's mark at its end and its note at the foot of the page). The drawing
of the image is marked content ``/Figure <</MCID n /Alt …>> BDC … EMC`` whose ``/Alt`` (a
UTF-16 text string) is the alt text, as is its ``Figure`` element's. reportlab re-encodes the
image into an image XObject of its own, so the bytes as the brief gives them are embedded as a
file too, ``figure-N.png`` or ``figure-N.jpg`` (:func:`._container.figure_file`), in the
EmbeddedFiles name tree beside the manifest and as an associated file of the document (the
catalog's ``/AF``, relationship ``/Source``, media type ``image/png`` or ``image/jpeg``): its
sha256 is the manifest's, and its pixels are the image drawn.

*Cross-references.* A reference to a heading, table or figure (a segment with ``ref``) is a
link over its words to the heading (destination ``h-<anchor>``), the table's caption
(``table-N``) or the figure (``figure-N``), carrying the anchor under ``/BriefkitRef``; its
text and colour are the sentence's. A reference with its page (``seg.page``) shows
:func:`~briefkit.plan.page_ref` instead (``Table 2 on page 4`` in the brief's language), the
whole phrase inside the link, with the page its target starts on. The pages come from the
layouts: a first one, with ``0`` for every such page, tells where each heading, table and
figure falls (:attr:`._layout.Layout.dest_pages`); the next draws those numbers. A number of
another width may move a line, and with it a target, so the body is laid out again with the
pages found until they are the pages drawn — at most :data:`_PAGE_PASSES` layouts after the
first; pages that still move are an :class:`~briefkit.errors.ExportError` (reword the text
near the reference, or drop its page). Only a brief with such a reference pays for more than
the contents' two layouts, and the usual case takes two (digits are equally wide).

*Emphasis and links.* The author's ``em`` text is drawn in the body's italic face, ``strong``
text in its bold face; in an analysis, which is drawn in italics, ``em`` text is upright and
``strong`` text bold italic, so emphasis always shows. Characters the body faces lack come
from a fallback face, upright and regular, emphasised or not. A brief with emphasis needs four
body faces that are what they say (their font descriptors tell italics and bold apart);
otherwise export fails with an :class:`~briefkit.errors.ExportError` naming the face rather than
lose the emphasis. A link (``http``, ``https`` or ``mailto``) is a ``/Link`` annotation with a
``/URI`` action over exactly its text, one per line the text is drawn on, the text in the
links' blue, with a zero-width space on each side (reportlab loses the link of a word too
long for its line that it must break, when the link is only part of the word; the space, which
shows nothing and is not compared, makes the link a word of its own). reportlab starts a
link's rectangle as if a justified line's spaces were not widened, so a paragraph with a link
(a web link or a cross-reference, whose page phrase must stand inside its link) is set
ragged-right.

*Page furniture.* Each page has its number, centred at the foot; each page from the second on
has a running header, the brief's title in small type at the top (shortened with an ellipsis
to the part that fits one line when it does not). Both are drawn after the page's notes, the
running header just before the page number.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from briefkit import __version__
from briefkit import manifest as _manifest
from briefkit._text import ignorable, shown, split_lines
from briefkit._timestamps import check_source_date_epoch, export_time
from briefkit.errors import ExportError
from briefkit.formats.checking import cite_token
from briefkit.formats.pdf._archival import Metadata, make_archival
from briefkit.formats.pdf._container import (
    CITES_KEY,
    MANIFEST_MEDIA_TYPE,
    MANIFEST_NAME,
    REF_KEY,
    figure_file,
    file_relationship,
)
from briefkit.formats.pdf._fonts import FontSet, RegisteredFonts
from briefkit.formats.pdf._layout import (
    Figure,
    Frame,
    Item,
    Layout,
    Placeable,
    Row,
    Table,
    column_widths,
)
from briefkit.formats.pdf._markup import Paragraph, hold_blank_lines, link, markup, web_link
from briefkit.formats.pdf._tags import Group, Tag, Tagger, formatted
from briefkit.plan import (
    BibliographyBlock,
    ContentsBlock,
    HeadingBlock,
    ImageBlock,
    ListBlock,
    NotePlan,
    ParagraphBlock,
    PlannedSentence,
    PlanVisitor,
    QuoteBlock,
    Segment,
    SourcesBlock,
    TableBlock,
    TitleBlock,
    page_ref,
    source_details,
)

__all__ = ["MANIFEST_NAME", "FontSet", "GlyphCoverageError", "PdfExporter"]

#: File name of the embedded provenance manifest.

_PAGES = {"A4": A4, "Letter": LETTER}
_INK = colors.HexColor("#1F3A5F")
_GREY = colors.HexColor("#555555")
_MARK = "#1F3A5F"
_ALIGN: dict[str, Literal[0, 1, 2]] = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
#: Points between a table cell's text and its column's edges, and above and below it.
_CELL_PAD = (4.0, 3.0)
#: Points kept free at the right of a contents entry for its page number.
_NUMBER_ROOM = 36.0
#: What a reference with its page shows for the page before a layout has told it.
_UNKNOWN_PAGE = "0"
#: Layouts with the pages a page reference shows before the pages must have settled.
_PAGE_PASSES = 3


class GlyphCoverageError(ExportError, ValueError):
    """Text has characters that no configured PDF font can draw."""


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=font, bulletFontName=font, fontSize=10.5, leading=14.5, allowOrphans=1
    )

    def make(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "title": make("title", fontSize=22, leading=27, textColor=_INK, spaceAfter=4),
        "subtitle": make("subtitle", fontSize=13, leading=17, textColor=colors.HexColor("#4A5A6A")),
        "meta": make("meta", fontSize=9, leading=12, textColor=colors.HexColor("#555555")),
        "h1": make("h1", fontSize=15, leading=19, textColor=_INK),
        "h2": make("h2", fontSize=12.5, leading=16, textColor=_INK),
        "h3": make("h3", fontSize=11, leading=14, textColor=colors.HexColor("#34495E")),
        "body": make("bodytext", alignment=TA_JUSTIFY),
        "ragged": make("ragged", alignment=TA_LEFT),
        "bullet": make("bullet", leftIndent=16, bulletIndent=4),
        "quote": make(
            "quote",
            fontSize=10,
            leading=14,
            leftIndent=26,
            rightIndent=26,
            textColor=colors.HexColor("#333333"),
        ),
        "attribution": make(
            "attribution", fontSize=9, leading=12, alignment=TA_RIGHT, rightIndent=26
        ),
        "source": make("source", fontSize=9, leading=12, leftIndent=16, firstLineIndent=-16),
        "bibliography": make(
            "bibliography", fontSize=9.5, leading=13, leftIndent=24, firstLineIndent=-24
        ),
        "note": make("note", fontSize=8, leading=10.5),
        "caption": make("caption", fontSize=10, leading=13.5, textColor=_INK),
        "cell": make("cell", fontSize=9, leading=12),
        "contents": make("contents", fontSize=10.5, leading=14.5),
        "figure": make("figure", fontSize=10, leading=13.5, alignment=TA_CENTER),
        "running": make("running", fontSize=8, leading=10, alignment=TA_CENTER, textColor=_GREY),
    }


def _paragraph(text: str, style: ParagraphStyle, **kw: Any) -> Paragraph:
    """A paragraph of this module's markup, each blank line held so the layout can split it."""
    return Paragraph(hold_blank_lines(text), style, **kw)


_MARK_START = '<a name="fnref'


def _mark(n: int) -> str:
    return f'{_MARK_START}{n}"/><a href="#fn{n}" color="{_MARK}"><super>{n}</super></a>'


class _Items(PlanVisitor[list[Placeable]]):
    def __init__(
        self,
        fonts: RegisteredFonts,
        styles: dict[str, ParagraphStyle],
        plan: NotePlan,
        frame: Frame,
    ) -> None:
        self.fonts = fonts
        self.s = styles
        self.analysis = plan.labels["analysis"]  # in the brief's language
        self.locale = plan.locale
        self.frame = frame
        self._cell_styles: dict[str, ParagraphStyle] = {}
        #: the page of each destination key, once a first layout has told it (contents)
        self.pages: dict[str, int] = {}

    def m(self, text: str) -> str:
        return markup(text, self.fonts)

    def sentence(self, ps: PlannedSentence) -> str:
        text = "".join(self.segment(seg, ps.analysis) for seg in ps.segments)
        if ps.analysis:
            label = self.m(f"{self.analysis}:")
            text = f'<font color="#7A5C00"><b>{label}</b></font> {text}'
        return text + (_mark(ps.note) if ps.note is not None else "")

    def segment(self, seg: Segment, analysis: bool) -> str:
        """One segment of a sentence: in italics when the sentence is the author's analysis;
        the author's emphasis the other way round (upright in an analysis), strong text in
        bold; a cross-reference a link to what it names, a link a link to its address."""
        text = self.m(self.shown(seg))
        if not text:
            return ""
        if (seg.style == "em") != analysis:
            text = f"<i>{text}</i>"
        if seg.style == "strong":
            text = f"<b>{text}</b>"
        if seg.ref:
            return f'<a href="#{dest_key(seg.ref)}">{text}</a>'
        if seg.href is not None:
            # a zero-width space on each side: reportlab loses the link of a word it must
            # break (too long for its line) when the link is only part of the word
            return f"\u200b{web_link(seg.href, text)}\u200b"
        return text

    def shown(self, seg: Segment) -> str:
        """What a segment shows: a cross-reference with its page (``seg.page``) as
        :func:`~briefkit.plan.page_ref` words it, with the page its target starts on once a
        layout has told it (:data:`_UNKNOWN_PAGE` until then)."""
        if not (seg.ref and seg.page):
            return seg.text
        page = self.pages.get(dest_key(seg.ref))
        return page_ref(self.locale, seg.text, str(page) if page is not None else _UNKNOWN_PAGE)

    def visit_TitleBlock(self, b: TitleBlock) -> list[Placeable]:
        items: list[Placeable] = [
            Item(
                _paragraph(f"<b>{self.m(b.title)}</b>", self.s["title"]),
                space_after=2,
                tag=Tag("H1"),
            )
        ]
        if b.subtitle:
            items.append(Item(_paragraph(f"<i>{self.m(b.subtitle)}</i>", self.s["subtitle"])))
        meta = b.byline
        if meta:
            items.append(Item(_paragraph(self.m(meta), self.s["meta"]), space_before=4))
        items[-1].space_after = 14
        return [*items]

    def visit_ContentsBlock(self, b: ContentsBlock) -> list[Placeable]:
        items: list[Placeable] = [
            Item(
                _paragraph(f"<b>{self.m(b.label)}</b>", self.s["h1"]),
                space_before=4,
                space_after=6,
                keep_with_next=True,
                splittable=False,
                tag=Tag("H1"),
            )
        ]
        toc = Group("TOC")
        fonts, size = self.fonts, float(self.s["contents"].fontSize)
        for entry in b.entries:
            key = dest_key(entry.anchor)
            style = self.contents_style(entry.level)
            text = f'<a href="#{key}">{self.m(entry.text)}</a>'
            if entry.level == 1:
                text = f"<b>{text}</b>"

            def number(c: Canvas, x: float, bottom: float, para: Paragraph, key: str = key) -> None:
                # the heading's page, right-aligned on the entry's last line
                style = para.style
                lines = len(para.blPara.lines)  # type: ignore[attr-defined]  # set by wrap()
                top = bottom + float(para.height)
                base = top - float(style.fontSize) - (lines - 1) * float(style.leading)
                c.saveState()
                c.setFont(fonts.regular, size)
                c.drawRightString(x + self.frame.width, base, str(self.pages.get(key, 0)))
                c.restoreState()

            items.append(
                Item(
                    _paragraph(text, style),
                    space_before=4 if entry.level == 1 else 0,
                    space_after=1,
                    splittable=False,
                    after=number,
                    tag=Tag("TOCI", toc),
                )
            )
        items[-1].space_after = 14
        return items

    def contents_style(self, level: int) -> ParagraphStyle:
        name = f"contents-{level}"
        style = self._cell_styles.get(name)
        if style is None:
            indent = 14.0 * (min(level, 4) - 1)
            style = ParagraphStyle(
                name, parent=self.s["contents"], leftIndent=indent, rightIndent=_NUMBER_ROOM
            )
            self._cell_styles[name] = style
        return style

    def visit_ImageBlock(self, b: ImageBlock) -> list[Placeable]:
        frame = self.frame
        width = b.width * 0.75  # pixels at 96 per inch
        height = b.height * 0.75
        scale = min(1.0, frame.width / width, (frame.top - frame.bottom) * 0.6 / height)
        width, height = width * scale, height * scale
        data, alt = b.data, b.alt

        def draw(c: Canvas, x: float, bottom: float) -> None:
            # the layout marks it as the content of a Figure element, with its alt text
            c.drawImage(ImageReader(io.BytesIO(data)), x, bottom, width, height)

        label = self.m(b.label(self.locale))
        caption = Item(
            _paragraph(f"<b>{label}</b> {self.sentence(b.caption)}", self.s["figure"]),
            space_before=4,
            space_after=10,
        )
        return [Figure(draw, width, height, dest=b.anchor, space_before=10, alt=alt), caption]

    def visit_HeadingBlock(self, b: HeadingBlock) -> list[Placeable]:
        level = min(b.level, 3)
        para = _paragraph(f"<b>{self.m(b.text)}</b>", self.s[f"h{level}"])
        before = {1: 14.0, 2: 10.0, 3: 8.0}[level]
        return [
            Item(
                para,
                space_before=before,
                space_after=4,
                keep_with_next=True,
                outline=(" ".join(b.text.split()), b.level - 1, dest_key(b.anchor)),
                splittable=False,
                tag=Tag(f"H{min(b.level, 6)}"),
            )
        ]

    def visit_ParagraphBlock(self, b: ParagraphBlock) -> list[Placeable]:
        text = " ".join(self.sentence(s) for s in b.sentences)
        # reportlab starts a link's rectangle as if a justified line's spaces were not
        # widened: a paragraph with a link (to a web page, or a cross-reference) is set
        # ragged-right, its links exactly over their text
        linked = any(seg.href or seg.ref for s in b.sentences for seg in s.segments)
        return [Item(_paragraph(text, self.s["ragged" if linked else "body"]), space_after=6)]

    def visit_ListBlock(self, b: ListBlock) -> list[Placeable]:
        group = Group("L")
        items = [
            Item(
                _paragraph(self.sentence(s), self.s["bullet"], bulletText="•"),
                space_after=3,
                tag=Tag("LBody", group, wrap="LI"),
            )
            for s in b.items
        ]
        items[-1].space_after = 8
        return [*items]

    def visit_QuoteBlock(self, b: QuoteBlock) -> list[Placeable]:
        items = [
            Item(
                _paragraph(self.sentence(b.sentence), self.s["quote"]),
                space_before=4,
                tag=Tag("BlockQuote"),
            )
        ]
        if b.attribution:
            items[0].keep_with_next = True
            items.append(
                Item(
                    _paragraph(f"<i>— {self.m(b.attribution)}</i>", self.s["attribution"]),
                    space_before=2,
                    splittable=False,
                )
            )
        items[-1].space_after = 8
        return [*items]

    def cell_style(self, align: str) -> ParagraphStyle:
        style = self._cell_styles.get(align)
        if style is None:
            base = self.s["cell"]
            style = ParagraphStyle(f"cell-{align}", parent=base, alignment=_ALIGN[align])
            self._cell_styles[align] = style
        return style

    def visit_TableBlock(self, b: TableBlock) -> list[Placeable]:
        group = Group("Table")
        caption = Item(
            _paragraph(f"<b>{self.m(b.label(self.locale))}</b>", self.s["caption"]),
            dest=b.anchor,
            space_before=10,
            space_after=4,
            keep_with_next=True,
            splittable=False,
            tag=Tag("Caption", group),
        )
        n = len(b.header)
        styles = [self.cell_style(b.align[k] if k < len(b.align) else "left") for k in range(n)]
        header = [
            _paragraph(f"<b>{self.m(label)}</b>", styles[k]) if label else None
            for k, label in enumerate(b.header)
        ]
        rows: list[list[Paragraph | None]] = []
        for row in b.rows:
            cells: list[Paragraph | None] = [None] * n
            for k, cell in enumerate(row[:n]):
                if cell.sentence is not None:
                    cells[k] = _paragraph(self.sentence(cell.sentence), styles[k])
                elif cell.text:
                    cells[k] = _paragraph(self.m(cell.text), styles[k])
            rows.append(cells)
        # each column's longest word and widest cell, then widths that share the text width
        least, most = [0.0] * n, [0.0] * n
        for cells in (header, *rows):
            for k, para in enumerate(cells):
                if para is not None:
                    least[k] = max(least[k], para.minWidth())
                    most[k] = max(most[k], _natural_width(para))
        pad_x, pad_y = _CELL_PAD
        widths = column_widths(least, most, self.frame.width - 2 * pad_x * n)
        columns: list[tuple[float, float]] = []
        x = self.frame.x
        for w in widths:
            columns.append((x, w + 2 * pad_x))
            x += w + 2 * pad_x
        table = Table(
            tuple(columns), tuple(header), pad_x=pad_x, pad_y=pad_y, loosen=_loosen, group=group
        )
        items: list[Placeable] = [caption]
        for r, cells in enumerate(rows):
            last = r == len(rows) - 1
            items.append(Row(table, tuple(cells), last=last, space_after=10 if last else 0))
        if not rows:  # a table without body rows: its header alone, as a row of its own
            items.append(Row(table, tuple([None] * n), last=True, space_after=10))
        return items

    def visit_BibliographyBlock(self, b: BibliographyBlock) -> list[Placeable]:
        # each entry as the style wrote it, with a hanging indent; its URL is text, not a link
        items = [
            Item(_paragraph(self.m(entry.text), self.s["bibliography"]), space_after=4)
            for entry in b.entries
        ]
        if items:
            items[-1].space_after = 8
        return [*items]

    def visit_SourcesBlock(self, b: SourcesBlock) -> list[Placeable]:
        items: list[Item] = []
        for n, entry in enumerate(b.entries, 1):
            text = f"{n}. <b>{self.m(entry.title)}</b>"
            details = source_details(entry.source.meta, self.locale)
            if details:
                text += self.m(". " + details)
            text += self.m(". " + entry.record)
            if entry.url:
                text += " " + link(entry.url, self.m(entry.url))
            items.append(Item(_paragraph(text, self.s["source"]), space_after=4))
        return [*items]


def _link_titles(plan: NotePlan) -> dict[str, str]:
    """What each internal link leads to, by destination name (its ``/Contents``): a note's
    mark, ``to_note`` in the brief's language (the note's number: a reader follows the link
    to hear the note); a note's back link, ``back_to_mark``; a link to a heading, the
    heading; to a table or a figure, its label."""
    labels = plan.locale.labels
    titles: dict[str, str] = {}
    for note in plan.notes:
        titles[f"fn{note.number}"] = labels["to_note"].format(note=note.number)
        titles[f"fnref{note.number}"] = labels["back_to_mark"].format(note=note.number)
    for block in plan.blocks:
        if isinstance(block, HeadingBlock):
            titles[dest_key(block.anchor)] = " ".join(block.text.split())
        elif isinstance(block, (TableBlock, ImageBlock)):
            titles[dest_key(block.anchor)] = block.label(plan.locale)
    return titles


def dest_key(anchor: str) -> str:
    """The destination key of an anchor: ``h-sec-2-1`` for a heading, the anchor itself for
    a table (``table-1``) or a figure (``figure-1``)."""
    return anchor if anchor.startswith(("table-", "figure-")) else f"h-{anchor}"


def _loosen(para: Paragraph) -> Paragraph:
    """A cell's paragraph with a space before each note's mark (so that the mark is a word
    of its own, never broken) and without soft hyphens (reportlab breaks no word that has one
    anywhere but there); a space and a soft hyphen show nothing verify compares."""
    text = para.text.replace(_MARK_START, " " + _MARK_START).replace("\u00ad", "")
    return Paragraph(text, para.style)


def _natural_width(para: Paragraph) -> float:
    """How wide ``para`` is when nothing wraps it but its own line breaks."""
    para.wrap(_UNWRAPPED, _UNWRAPPED)
    return max(para.getActualLineWidths0(), default=0.0)


_UNWRAPPED = 1e6


def _running_head(
    title: str, fonts: RegisteredFonts, style: ParagraphStyle, width: float
) -> Paragraph | None:
    """The running header: the title on one line (its line breaks as spaces), or as much of
    it as fits one line followed by an ellipsis; ``None`` for a title that shows nothing."""
    text = " ".join(split_lines(title))
    # what is drawn decides: a control character is drawn as its picture (␜ for U+001C, which
    # Python counts as white space)
    if not any(not ch.isspace() and not ignorable(ch) for ch in shown(text)):
        return None

    def head(shown_text: str) -> Paragraph:
        para = Paragraph(markup(shown_text, fonts), style)
        para.wrap(width, 1e7)
        return para

    para = head(text)
    if len(para.blPara.lines) <= 1:  # type: ignore[attr-defined]  # set by wrap()
        return para
    ellipsis = "\u2026" if not fonts.uncovered("\u2026") else "..."
    lo, hi = 1, len(text) - 1  # the longest prefix that fits with the ellipsis
    best = head(text[:1] + ellipsis)
    while lo <= hi:
        mid = (lo + hi) // 2
        candidate = head(text[:mid].rstrip() + ellipsis)
        if len(candidate.blPara.lines) <= 1:  # type: ignore[attr-defined]
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best


def _texts(plan: NotePlan) -> Iterator[tuple[str, str]]:
    """Every text the PDF shows, with where it comes from (the body first, then the notes, the
    bibliography and the sources appendix)."""
    brief = plan.brief
    for label, value in (
        ("title", brief.title),
        ("subtitle", brief.subtitle),
        ("author", brief.author),
    ):
        if value:
            yield label, value
    after: list[tuple[str, str]] = []
    for block in plan.blocks:
        if isinstance(block, TitleBlock) and block.date_text:
            yield "date", block.date_text
        elif isinstance(block, ContentsBlock):
            yield "the contents' label", block.label
            for listed in block.entries:
                yield f"the contents' entry {listed.text!r}", listed.text
            yield "the contents' page numbers", "0123456789"
        elif isinstance(block, ImageBlock):
            yield f"the label of figure {block.number}", block.label(plan.locale)
        elif isinstance(block, HeadingBlock):
            yield f"heading {block.text!r}", block.text
        elif isinstance(block, QuoteBlock) and block.attribution:
            yield f"attribution of sentence {block.sentence.id}", block.attribution
        elif isinstance(block, TableBlock):
            yield f"the caption of table {block.number}", block.label(plan.locale)
            for k, label in enumerate(block.header, 1):
                yield f"table {block.number}, header of column {k}", label
            for r, row in enumerate(block.rows, 1):
                for k, cell in enumerate(row, 1):
                    if cell.sentence is None and cell.text:
                        yield f"table {block.number}, row {r}, column {k}", cell.text
        elif isinstance(block, BibliographyBlock):
            for k, entry in enumerate(block.entries, 1):
                after.append((f"bibliography entry {k} ({entry.source_id})", entry.text))
        elif isinstance(block, SourcesBlock):
            for source in block.entries:
                details = source_details(source.source.meta, plan.locale)
                shown_meta = (source.title, details, source.record, source.url)
                after.append((f"source {source.source.id}", " ".join(x for x in shown_meta if x)))
    if any(ps.analysis for ps in plan.sentences):
        yield "the analysis label", plan.labels["analysis"]
    for ps in plan.sentences:
        yield f"sentence {ps.id} ({ps.place})", ps.text
        for seg in ps.segments:
            if seg.ref and seg.page:  # the words around the page, and its digits
                phrase = page_ref(plan.locale, seg.text, "0123456789")
                yield f"the page reference in sentence {ps.id} ({ps.place})", phrase
    for note in plan.notes:
        yield f"note {note.number}", note.text
    yield from after


def _check_text(plan: NotePlan, fonts: RegisteredFonts) -> None:
    missing: dict[str, list[str]] = {}
    for where, text in _texts(plan):
        drawn = "".join(shown(line) for line in split_lines(text))
        for ch in fonts.uncovered(drawn, ignorable=ignorable):
            missing.setdefault(ch, []).append(where)

    def describe(found: dict[str, list[str]]) -> str:
        rows = []
        for ch, places in sorted(found.items())[:12]:
            more = f" and {len(places) - 3} more" if len(places) > 3 else ""
            rows.append(f"U+{ord(ch):04X} {ch!r} in {'; '.join(places[:3])}{more}")
        extra = f"\n  … and {len(found) - 12} more characters" if len(found) > 12 else ""
        return "\n  ".join(["", *rows]) + extra

    if missing:
        raise GlyphCoverageError(
            "PDF export: no configured font has a glyph for these characters:"
            + describe(missing)
            + "\n  Add a TrueType font that covers them, e.g. "
            "PdfExporter(fonts=FontSet.discover(extra_fallbacks=['/path/to/font.ttf'])) "
            "(Debian: fonts-symbola for emoji, fonts-ipaexfont-gothic for Japanese), "
            "or export to DOCX."
        )


#: The font descriptor's flags of an italic face and of a bold one (as reportlab sets them
#: from the font: a non-zero italic angle, a weight of 600 or more).
_FLAG_ITALIC, _FLAG_BOLD = 1 << 6, 1 << 18


def _check_faces(plan: NotePlan, font_set: FontSet, fonts: RegisteredFonts) -> None:
    """Emphasis must show: with any in the brief, each body face is what its name says — the
    regular one upright and not bold, the italic one italic (not bold), the bold one bold
    (upright), the bold italic one both — as its font descriptor tells a reader. Otherwise an
    :class:`~briefkit.errors.ExportError` names the face (emphasis is never silently lost)."""
    if not any(seg.style for ps in plan.sentences for seg in ps.segments):
        return
    faces = (
        ("regular", font_set.regular, fonts.regular, 0),
        ("italic", font_set.italic, fonts.italic, _FLAG_ITALIC),
        ("bold", font_set.bold, fonts.bold, _FLAG_BOLD),
        ("bold italic", font_set.bold_italic, fonts.bold_italic, _FLAG_ITALIC | _FLAG_BOLD),
    )
    for label, path, name, want in faces:
        face: Any = pdfmetrics.getFont(name).face  # type: ignore[attr-defined]
        got = int(face.flags) & (_FLAG_ITALIC | _FLAG_BOLD)
        if got != want:
            raise ExportError(
                f"PDF export: the brief emphasises text, but the {label} face {str(path)!r} is "
                f"{_face_kind(got)}, so italics and bold could not be told from the rest; "
                "configure a FontSet whose four faces are regular, italic, bold and bold italic"
            )


def _face_kind(flags: int) -> str:
    italic, bold = flags & _FLAG_ITALIC, flags & _FLAG_BOLD
    if italic and bold:
        return "bold italic"
    return "italic" if italic else "bold" if bold else "regular"


def _pdf_date(when: _dt.datetime) -> str:
    # the year with four digits: strftime("%Y") drops leading zeros (year 5 -> "5")
    return f"D:{when.year:04d}" + when.strftime("%m%d%H%M%S+00'00'")


#: The annotation flag that has an annotation printed.
_PRINT = 4

#: The producer the file names (reportlab's own, as it writes it).
_PRODUCER = pdfdoc.PDFInfo.producer


class _Link(pdfdoc.LinkAnnotation):
    """A link annotation that may have its key in the parent tree (``/StructParent``)."""

    permitted = (*pdfdoc.LinkAnnotation.permitted, "StructParent")

    def format(self, document: Any) -> bytes:
        """reportlab's bytes for it, written faster (see :func:`._tags.formatted`)."""
        return formatted(self.Dict(), document)


class _CitingLink(_Link):
    """A link annotation that may carry a note's citations under :data:`CITES_KEY`."""

    permitted = (*_Link.permitted, CITES_KEY)


class _RefLink(_Link):
    """A link annotation that carries the anchor it leads to under :data:`REF_KEY`."""

    permitted = (*_Link.permitted, REF_KEY)


class _Canvas(Canvas):
    """A canvas on which the link from each note back to its mark (``#fnref<n>``) carries
    the note's citations: ``cites`` maps the link's destination name to their text; on
    which a link to a heading, table or figure carries its anchor: ``refs`` maps the
    destination name to it; on which each link says where it leads (its ``/Contents``):
    ``titles`` maps a destination name to that text, a web link's is its address; and
    whose annotations are the objects of ``Link`` elements of ``tags``."""

    def __init__(
        self,
        *args: Any,
        cites: Mapping[str, str],
        refs: Mapping[str, str],
        titles: Mapping[str, str],
        tags: Tagger,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.cites = cites
        self.refs = refs
        self.titles = titles
        self.tags = tags

    def linkURL(  # reportlab's name
        self,
        url: str,
        rect: Any,
        relative: bool | Literal[0, 1] = 0,
        thickness: int = 0,
        color: colors.Color | None = None,
        dashArray: Any = None,
        kind: str = "URI",
        **kw: Any,
    ) -> None:
        kw.setdefault("Contents", pdfdoc.PDFString(url))
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)

    def _addAnnotation(  # reportlab's name
        self, annotation: Any, name: Any = None, addtopage: bool | Literal[0, 1] = 1
    ) -> None:
        """Every annotation is printed (``/F 4``), as PDF/A asks, and is the object of a
        ``Link`` element in the structure tree."""
        if isinstance(annotation, pdfdoc.PDFDictionary):
            annotation["F"] = _PRINT
        else:
            if type(annotation) is pdfdoc.LinkAnnotation:
                annotation.__class__ = _Link
            annotation.otherkw["F"] = _PRINT
        canvas: Any = self  # reportlab's own counter, not in the stubs
        if not name:  # the name reportlab would give it
            name = "NUMBER" + repr(canvas._annotationCount + 1)
        super()._addAnnotation(annotation, name, addtopage)  # type: ignore[misc]
        self.tags.annotation(annotation, name)

    def linkRect(
        self,
        contents: Any,
        destinationname: Any,
        Rect: Any = None,
        addtopage: bool | Literal[0, 1] = 1,
        name: Any = None,
        relative: bool | Literal[0, 1] = 1,
        thickness: int = 0,
        color: colors.Color | None = None,
        dashArray: Any = None,
        **kw: Any,
    ) -> None:
        name_ok = isinstance(destinationname, str)
        cites = self.cites.get(destinationname) if name_ok else None
        ref = self.refs.get(destinationname) if name_ok else None
        if name_ok and not contents:
            contents = self.titles.get(destinationname, contents)
        if ref is not None and color is None and dashArray is None and not kw:
            target: Any = self
            ref_fields: dict[str, Any] = {
                "Rect": target._absRect(Rect, relative),
                "Contents": contents,
                "Destination": target._bookmarkReference(destinationname),
                "Border": pdfdoc.PDFArray([0, 0, 0]),
                REF_KEY: pdfdoc.PDFString(ref),
            }
            target._addAnnotation(_RefLink(**ref_fields), name, addtopage)
            return
        if cites is None or color is not None or dashArray is not None or kw:
            super().linkRect(
                contents,
                destinationname,
                Rect,
                addtopage,
                name,
                relative,
                thickness,
                color,
                dashArray,
                **kw,
            )
            return
        # what reportlab's linkRect does, with the citations added to the annotation
        canvas: Any = self  # reportlab's own helpers, not in the stubs
        fields: dict[str, Any] = {
            "Rect": canvas._absRect(Rect, relative),
            "Contents": contents,
            "Destination": canvas._bookmarkReference(destinationname),
            "Border": pdfdoc.PDFArray([0, 0, thickness or 0]),
            CITES_KEY: pdfdoc.PDFString(cites),
        }
        canvas._addAnnotation(_CitingLink(**fields), name, addtopage)


def _attach(canvas: Canvas, files: list[tuple[str, bytes, str, str]], when: _dt.datetime) -> None:
    """Embed each ``(name, data, description, media type)`` as a file attachment (an
    EmbeddedFiles name tree in the catalog, its names in order) that is also an associated
    file of the document (the catalog's ``/AF``, in the same order), as PDF/A-3 asks: the
    manifest with the relationship ``/Data``, each figure's bytes with ``/Source`` (the bytes
    the drawn image was made from), see :func:`._container.file_relationship`."""
    doc: Any = canvas._doc  # type: ignore[attr-defined]  # reportlab's document, not in stubs
    tree: list[Any] = []
    associated: list[Any] = []
    for name, data, desc, media_type in sorted(files, key=lambda f: f[0].encode("utf-16-be")):
        spec = doc.Reference(_file_spec(doc, name, data, desc, media_type, when))
        tree.extend([pdfdoc.PDFString(name), spec])
        associated.append(spec)
    catalog = doc.Catalog
    catalog.Names = pdfdoc.PDFDictionary(
        {"EmbeddedFiles": pdfdoc.PDFDictionary({"Names": pdfdoc.PDFArray(tree)})}
    )
    if "AF" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "AF"]
    catalog.AF = pdfdoc.PDFArray(associated)


def _file_spec(
    doc: Any, name: str, data: bytes, desc: str, media_type: str, when: _dt.datetime
) -> Any:
    """The file specification of an embedded file: its stream's ``/Subtype`` is its media
    type, its ``/Params`` its size and date; ``/F`` and ``/UF`` its name."""
    params = pdfdoc.PDFDictionary({"Size": len(data), "ModDate": pdfdoc.PDFString(_pdf_date(when))})
    stream = pdfdoc.PDFStream(
        dictionary=pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("EmbeddedFile"),
                "Subtype": _media_type_name(media_type),
                "Params": params,
            }
        ),
        content=data,
        filters=[pdfdoc.PDFStreamFilterZCompress()],
    )
    return pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Filespec"),
            "F": pdfdoc.PDFString(name),
            "UF": pdfdoc.PDFString(name),
            "Desc": pdfdoc.PDFString(desc),
            "AFRelationship": pdfdoc.PDFName(file_relationship(name)),
            "EF": pdfdoc.PDFDictionary({"F": doc.Reference(stream)}),
        }
    )


def _media_type_name(media_type: str) -> str:
    """A media type as a PDF name, written out: ``/application#2Fjson`` (a ``/`` inside a
    name is written ``#2F``; reportlab's names would leave it as it is)."""
    return "/" + "".join(
        ch if "!" <= ch <= "~" and ch not in "/%()<>[]{}#" else f"#{ord(ch):02X}"
        for ch in media_type
    )


class PdfExporter:
    """PDF export. ``fonts`` is a :class:`FontSet` (default: discovered on the system);
    ``page_size`` is ``"A4"`` or ``"Letter"``."""

    name = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)
    media_type = "application/pdf"
    description = "PDF with per-page footnotes, embedded fonts and embedded provenance"

    def __init__(
        self, *, fonts: FontSet | None = None, page_size: Literal["A4", "Letter"] = "A4"
    ) -> None:
        if page_size not in _PAGES:
            raise ValueError(f"page_size must be one of {', '.join(_PAGES)}, not {page_size!r}")
        self.font_set = fonts
        self.page_size = page_size

    def render_pages(self, plan: NotePlan, *, manifest: bytes | None = None) -> bytes:
        """The PDF; ``manifest`` (JSON bytes) is embedded as a file attachment when given,
        with each figure's bytes as they are (see :func:`._container.figure_file`)."""
        font_set = self.font_set or FontSet.discover()
        fonts = RegisteredFonts(font_set)
        _check_text(plan, fonts)
        _check_faces(plan, font_set, fonts)
        styles = _styles(fonts.regular)
        width, height = _PAGES[self.page_size]
        margin_x, margin_top, margin_bottom = 66.0, 64.0, 58.0
        frame = Frame(margin_x, width - 2 * margin_x, height - margin_top, margin_bottom + 10)
        note_texts = {n.number: n.text for n in plan.notes}

        def make_note(number: int) -> Paragraph:
            return _paragraph(
                f'<a href="#fnref{number}" color="{_MARK}"><super>{number}</super></a>'
                f"\u00a0{markup(note_texts[number], fonts)}",
                styles["note"],
            )

        # each note's back link carries its citations (see _Canvas)
        cites = {
            f"fnref{n.number}": " ".join(
                cite_token(c.excerpt.source.id, c.position.start, c.position.end)
                for c in n.citations
            )
            for n in plan.notes
        }
        # each link to a heading, table or figure carries its anchor
        refs: dict[str, str] = {}
        for block in plan.blocks:
            if isinstance(block, ContentsBlock):
                refs.update((dest_key(e.anchor), e.anchor) for e in block.entries)
        for ps in plan.sentences:
            refs.update((dest_key(seg.ref), seg.ref) for seg in ps.segments if seg.ref)
        titles = _link_titles(plan)
        brief = plan.brief
        when, _known = export_time(brief.date)
        running = _running_head(brief.title, fonts, styles["running"], frame.width)

        def footer(c: Canvas, page: int) -> None:
            if page > 1 and running is not None:  # the running header, above the text
                running.drawOn(c, frame.x, height - margin_top + 24)
            c.saveState()
            c.setFont(fonts.regular, 8.5)
            c.setFillColor(_GREY)
            c.drawCentredString(width / 2, margin_bottom - 22, str(page))
            c.restoreState()

        def lay_out(canvas: Canvas, pages: dict[str, int]) -> dict[str, int]:
            visitor = _Items(fonts, styles, plan, frame)
            visitor.pages = pages
            items = (item for block in plan.blocks for item in visitor.visit(block))
            tags: Tagger = canvas.tags  # type: ignore[attr-defined]  # a _Canvas
            layout = Layout(canvas, frame, make_note, on_page_end=footer, tags=tags)
            layout.place(items)
            return layout.dest_pages

        check_source_date_epoch()  # reportlab reads it when it makes a canvas, dated brief or not

        def new_canvas(buffer: io.BytesIO) -> _Canvas:
            return _Canvas(
                buffer,
                pagesize=(width, height),
                invariant=1,
                initialFontName=fonts.regular,
                cites=cites,
                refs=refs,
                titles=titles,
                tags=Tagger(),
            )

        def document(buffer: io.BytesIO) -> _Canvas:
            """A canvas for the file itself: its metadata and attached files."""
            canvas = new_canvas(buffer)
            # reportlab seeds the /ID with its own timestamp (SOURCE_DATE_EPOCH in invariant
            # mode); the file's identity is its metadata and content, whatever the environment
            canvas._doc.signature = hashlib.md5(  # type: ignore[attr-defined]
                b"briefkit document", usedforsecurity=False
            )
            meta = Metadata(
                title=brief.title,
                author=brief.author or None,
                subject=brief.subtitle or None,
                creator=f"briefkit {__version__}",
                producer=_PRODUCER,
                when=when,
                accessible=True,
            )
            make_archival(canvas._doc, meta, _pdf_date(when))  # type: ignore[attr-defined]
            files: list[tuple[str, bytes, str, str]] = []
            if manifest is not None:
                # reportlab's invariant /ID hashes the metadata only; add the content's digest
                canvas._doc.updateSignature(  # type: ignore[attr-defined]
                    hashlib.sha256(manifest).digest()
                )
                files.append(
                    (MANIFEST_NAME, manifest, "briefkit provenance manifest", MANIFEST_MEDIA_TYPE)
                )
            for image in plan.images:
                files.append(
                    (
                        figure_file(image.number, image.media_type),
                        image.data,
                        f"figure {image.number}, as the brief gives it",
                        image.media_type,
                    )
                )
            if files:
                _attach(canvas, files, when)
            return canvas

        # the pages the document shows, by destination key: the contents' numbers and the
        # pages of the references with their page
        contents_keys = {
            dest_key(e.anchor)
            for block in plan.blocks
            if isinstance(block, ContentsBlock)
            for e in block.entries
        }
        ref_keys = {
            dest_key(seg.ref)
            for ps in plan.sentences
            for seg in ps.segments
            if seg.ref and seg.page
        }
        shown_keys = contents_keys | ref_keys
        pages: dict[str, int] = {}
        if shown_keys or any(isinstance(block, ContentsBlock) for block in plan.blocks):
            # a first layout tells the pages (the contents take the same room whatever the
            # numbers; a reference's page is drawn as _UNKNOWN_PAGE)
            pages = lay_out(new_canvas(io.BytesIO()), {})
        for _attempt in range(_PAGE_PASSES if ref_keys else 1):
            buffer = io.BytesIO()
            canvas = document(buffer)
            placed = lay_out(canvas, pages)
            if all(placed.get(key) == pages.get(key) for key in shown_keys):
                break
            if not ref_keys:  # cannot happen: the contents keep their room
                raise ExportError("PDF export: the contents moved a heading to another page")
            # a page number of another width than the one drawn before moved a line, and with
            # it a heading, table or figure: lay out again with the pages found
            pages = placed
        else:
            raise ExportError(
                "PDF export: the pages that references show do not settle: each of "
                f"{_PAGE_PASSES} layouts with the pages the one before found moved a referenced "
                "heading, table or figure to another page; reword the text near a reference "
                "with its page, or drop the page (bk.ref(..., page=False))"
            )
        canvas.tags.write(canvas._doc, plan.locale.tag)  # type: ignore[attr-defined]
        canvas.showOutline()
        canvas.save()
        return buffer.getvalue()

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(self.render_pages(plan, manifest=_manifest.dumps(_manifest.build(plan))))
