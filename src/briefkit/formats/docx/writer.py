"""The ``docx`` exporter: Word documents with real footnotes and embedded provenance.

Footnotes are Word's own (``word/footnotes.xml``, ``w:footnoteReference`` after each cited
sentence, separator notes, FootnoteText/FootnoteReference styles) with the numbers and text of
the shared note plan. Each sentence is wrapped in a bookmark named after its id. Each footnote's
text stands in one hidden bookmark per citation (``_bkc<note>_<k>``), and the custom document
property of the same name holds what it cites (``SOURCE:START-END``; see :mod:`._container`).
The provenance manifest is embedded as a custom XML part, which Word and LibreOffice keep.
Output is deterministic: same brief and sources, same bytes.

Tables. A table is its caption — one paragraph in the ``Caption`` style reading exactly
``Table N. <caption>`` in the brief's language, kept with the next paragraph so it never stands
alone at the foot of a page — then, right after it, one ``w:tbl`` in the ``BriefTable`` style
(borders defined in ``styles.xml``), the full text width, fixed column widths laid out from
the longest line of each column, and the caption as its alternative text (``w:tblCaption``).
Row 1 is the header row, repeated on each page (``w:tblHeader``) and never split: one
``TableHeading`` paragraph per column holding the column's label in bold. Then one row per
body row, one cell per column, each cell one ``TableText`` paragraph: a label as plain text
(``""``: an empty paragraph), or the cell's sentence rendered exactly as in a paragraph — its
bookmark named after its id, the *Analysis:* label, the footnote reference at its end with the
number the plan gives it (cell notes are numbered in reading order, row by row), the note's
hidden citation bookmarks in the footnote. Every paragraph of a column is aligned as the
column is (``w:jc`` left, center or right). No cell spans rows or columns.

Images. A figure is one paragraph holding its picture and nothing else — centred, kept with
the next paragraph so that the picture never stands on a page without its caption — then its
caption paragraph (``Caption`` style, not kept with what follows): ``Figure N. `` in the brief's
language and the caption sentence, rendered exactly as in a paragraph (its bookmark, its
footnote reference). The picture is inline (``w:drawing``/``wp:inline``/``pic:pic``, see
:mod:`._picture`), its ``a:blip`` embedding the image part ``word/media/figureN.png`` (or
``.jpeg``; renamed apart from a template's pictures) whose bytes are the image's as given,
with its relationship and content type; its ``wp:docPr`` has a drawing id of its own (after
the template's) and the image's alt text as ``descr``. Its size is its pixel size at 96 dpi,
scaled down, proportions kept, to the text's width and to the text's height less an inch for
the caption.

Anchors and cross-references. Each heading holds a bookmark named after its anchor
(``sec-2-1``, ``key-points``, ``bibliography``, ``sources``), each table's caption one named
``table-N`` and each figure's picture one named ``figure-N`` (:func:`._container.anchor_bookmark`:
``<anchor>-heading`` when a sentence bears the anchor's name). A cross-reference in a sentence
is an internal hyperlink (``w:hyperlink w:anchor``) to its target's bookmark around exactly its
text, in the sentence's formatting; the sentence reads as before. A cross-reference with its
page (``Table 2 on page 4``, :func:`briefkit.plan.page_ref` in the brief's language) holds the
whole phrase in its link: the label's text around one ``PAGEREF <target's bookmark> \\h``
complex field (:func:`._container.page_instruction`) whose ``begin`` is marked
``w:dirty="true"``, so that Word computes it on opening. Its result is written as ``?``
(:data:`._container.PAGE_PLACEHOLDER`): the page cannot be known without laying the document
out (LaTeX shows ``??`` for the same reason); LibreOffice computes the field whenever it lays
the document out (its PDF, and a copy it saves, show the real page).

Emphasis and links. The author's emphasis is the run's own formatting (no character style of
its own): ``em`` turns over the italics of the text around it (``w:i`` and ``w:iCs``),
``strong`` its bold (``w:b`` and ``w:bCs``), as the template's styles give that text
(:class:`~.reader.StyleLooks`: document defaults, table, paragraph and character style). So
emphasis is italic in a plain paragraph, and upright (``w:i w:val="0"``) in an analysis
sentence, whose ``Analysis`` character style is italic; the run keeps the sentence's character
style. A link is an external hyperlink (``w:hyperlink r:id``, its relationship
``TargetMode="External"`` in ``word/_rels/document.xml.rels`` leading to the address) around
exactly its text, in runs of the ``Hyperlink`` style, given the bold and italics of the text
around it where that style would change them. A quotation is never emphasised nor linked.

Table of contents. When the brief has one, right after the title block: its label in the
``TOCHeading`` style (outline level 9: body text, so it never lists itself), then one ``TOC``
field (:data:`._container.TOC_FIELD`: headings of levels 1–3, as hyperlinks) whose result is
written already: one paragraph per heading (``TOC1`` … ``TOC3`` by level, indented, a dot-leader
tab stop at the right margin) holding an internal hyperlink to the heading's bookmark around
the heading's text. No page numbers: the writer cannot know the pages; Word writes them
(``PAGEREF`` fields after a tab) when the user updates the field. A document with a table of
contents or a page reference asks Word to update its fields on opening
(``<w:updateFields w:val="true"/>`` in ``word/settings.xml``, which briefkit writes whatever
the template: Word offers to, which fills in the pages).

Page furniture. Every page's footer is briefkit's own: its number, centred, as one ``PAGE``
field and nothing else. With a template (:mod:`._template`), the headers and footers its
section refers to are kept instead (briefkit's footer only where the template has no footer),
and the custom document property ``briefkit_furniture`` records the sha256 of each kept part's
text (:mod:`._furniture`), for the checker to accept exactly those.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence, Set
from typing import BinaryIO, Literal

import attrs

from briefkit import manifest as _manifest
from briefkit._timestamps import export_time
from briefkit.formats.checking import cite_token
from briefkit.formats.docx import _parts as parts
from briefkit.formats.docx._container import (
    PAGE_PLACEHOLDER,
    TOC_FIELD,
    anchor_bookmark,
    cite_bookmark,
    page_instruction,
    page_phrase,
)
from briefkit.formats.docx._furniture import PROPERTY as FURNITURE_PROPERTY
from briefkit.formats.docx._furniture import furniture_key, record
from briefkit.formats.docx._package import write_package
from briefkit.formats.docx._picture import EMU_PER_TWIP, fit, inline_picture
from briefkit.formats.docx._template import Template
from briefkit.formats.docx._xml import (
    NS,
    Look,
    attr,
    bookmark_end,
    bookmark_start,
    esc,
    footnote_reference,
    paragraph,
    text_runs,
)
from briefkit.formats.docx.reader import StyleLooks
from briefkit.locales import Locale
from briefkit.plan import (
    BibliographyBlock,
    Block,
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
    TableCell,
    TitleBlock,
    source_details,
)

__all__ = ["DocxExporter"]

_PAGES = {"A4": (11906, 16838), "Letter": (12240, 15840)}
#: the left and right page margins (twips)
_MARGIN = 1304
#: the width of a character of table text, on average (twips): a column's natural width is
#: its longest line, plus room for the cell's margins and a note mark (in characters)
_CHAR = 115
_COLUMN_ROOM = 3
#: the space between a table and a paragraph or list right after it (twips)
_GAP = 200
#: the top and bottom page margins (twips)
_MARGIN_Y = 1440
#: the space between a picture and its caption (twips)
_CAPTION_GAP = 60
#: the room a picture leaves on its page for its caption (twips)
_CAPTION_ROOM = 1440
#: ``w:tblLook``: the first row and first column are the table's headings, no banding
_LOOK = (
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
    'w:noHBand="1" w:noVBand="1"/>'
)


def _sentence(
    ps: PlannedSentence,
    analysis: str,
    anchors: Mapping[str, str],
    inline: Callable[[Segment, str | None], str],
    locale: Locale | None = None,
) -> str:
    """A sentence in its bookmark: the analysis label, its text (a cross-reference as an
    internal hyperlink to the bookmark ``anchors`` names for its target, holding the page its
    target starts on when it asks for it, see :func:`_page_reference`; emphasis and links as
    ``inline`` renders them, given the character style of the sentence's text), its note
    mark."""
    out = [bookmark_start(ps.index, ps.id)]
    if ps.analysis:
        out.append(text_runs(f"{analysis}:", style="AnalysisLabel"))
        out.append(text_runs(" "))
    style = "Analysis" if ps.analysis else None
    for seg in ps.runs:
        if seg.style is not None or seg.href is not None:
            out.append(inline(seg, style))
            continue
        if seg.ref is not None and seg.page and locale is not None:
            bookmark = anchors.get(seg.ref, seg.ref)
            out.append(_internal_link(bookmark, _page_reference(locale, seg.text, bookmark, style)))
            continue
        runs = text_runs(seg.text, style=style)
        if seg.ref is not None and runs:
            runs = _internal_link(anchors.get(seg.ref, seg.ref), runs)
        out.append(runs)
    if ps.note is not None:
        out.append(footnote_reference(ps.note))
    out.append(bookmark_end(ps.index))
    return "".join(out)


def _internal_link(bookmark: str, runs: str) -> str:
    return f'<w:hyperlink w:anchor="{attr(bookmark)}" w:history="1">{runs}</w:hyperlink>'


def _page_reference(locale: Locale, shown: str, bookmark: str, style: str | None) -> str:
    """The runs of a cross-reference with its page (``Table 2 on page 4``, see
    :func:`briefkit.plan.page_ref`): the phrase's text around a ``PAGEREF <bookmark> \\h``
    field (:func:`._container.page_instruction`), marked dirty so that Word computes it on
    opening, whose result is written as :data:`._container.PAGE_PLACEHOLDER`."""
    before, after = page_phrase(locale, shown)
    return (
        text_runs(before, style=style)
        + _field(page_instruction(bookmark), dirty=True)
        + text_runs(PAGE_PLACEHOLDER, style=style)
        + _FIELD_END
        + text_runs(after, style=style)
    )


def _field(instruction: str, *, dirty: bool = False) -> str:
    """The runs that begin a complex field: begin, instruction, separate (its result follows,
    then :data:`_FIELD_END`). A ``dirty`` field is one Word updates on opening."""
    flag = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"{flag}/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


_FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _column_widths(b: TableBlock, width: int) -> list[int]:
    """Each column's width (twips; they add up to ``width``). A column's natural width is
    that of its longest line; when they all fit, each column gets its natural width and a
    share of the rest in proportion to it. Otherwise the columns narrower than a fair share
    of the width left keep their natural width, and the others share the rest in proportion
    to theirs (as a browser lays out a table)."""
    natural = [_CHAR * (_longest_line(label) + _COLUMN_ROOM) for label in b.header]
    for row in b.rows:
        for c, cell in enumerate(row[: len(natural)]):
            natural[c] = max(natural[c], _CHAR * (_longest_line(cell.shown) + _COLUMN_ROOM))
    out = [0] * len(natural)
    wide = list(range(len(natural)))
    left = width
    if sum(natural) > width:
        while wide:
            fair = left // len(wide)
            narrow = [c for c in wide if natural[c] <= fair]
            if not narrow:
                break
            for c in narrow:
                out[c] = natural[c]
                left -= natural[c]
            wide = [c for c in wide if natural[c] > fair]
    total = sum(natural[c] for c in wide)
    for c in wide:
        out[c] = left * natural[c] // total
    if sum(natural) <= width:  # all fit: the room left goes to every column
        out = [width * n // sum(natural) for n in natural]
    out[-1] += width - sum(out)
    return out


class _Body(PlanVisitor[str]):
    """The body's XML, block by block. ``width`` and ``height`` are the text area's (twips);
    ``first_bookmark`` the first bookmark id free for the anchors of headings, tables and
    figures; ``first_shape`` the first drawing object id free for the pictures."""

    def __init__(
        self,
        plan: NotePlan,
        width: int,
        height: int,
        *,
        first_bookmark: int,
        first_shape: int,
        taken: Set[str] = frozenset(),
        looks: StyleLooks | None = None,
    ) -> None:
        looks = looks if looks is not None else StyleLooks(None)
        self.links: list[tuple[str, str]] = []
        #: the pictures' image parts: (rId, part name in ``word/``, bytes, content type)
        self.media: list[tuple[str, str, bytes, str]] = []
        self.analysis = plan.labels["analysis"]  # in the brief's language
        self.looks = looks
        self.locale = plan.locale
        self.width = width  # of the text, in twips
        self.height = height
        #: the space before the paragraph that follows a table (twips), else None
        self.gap: int | None = None
        self._after_table = False
        self._bookmark = first_bookmark
        self._shape = first_shape
        self._taken = taken  # part names the template's pictures have
        sentences = {s.id for s in plan.sentences}
        #: the bookmark each anchor a link may point at is named
        self.anchors = {
            anchor: anchor_bookmark(anchor, sentences)
            for b in plan.blocks
            if (anchor := getattr(b, "anchor", None)) is not None
        }

    def sentence(
        self, ps: PlannedSentence, paragraph: str | None = None, tables: tuple[str, ...] = ()
    ) -> str:
        """A sentence in a paragraph of the style ``paragraph`` (None: the default) inside
        tables of the styles ``tables``."""

        def inline(seg: Segment, style: str | None) -> str:
            return self.inline(seg, style, paragraph, tables)

        return _sentence(ps, self.analysis, self.anchors, inline, self.locale)

    def inline(
        self, seg: Segment, style: str | None, paragraph: str | None, tables: tuple[str, ...]
    ) -> str:
        """The author's emphasis or link ``seg`` in a sentence whose text has the character
        style ``style``. Emphasis turns over what the text around it shows: italics for
        ``em``, bold for ``strong`` (upright or not bold where the text around is italic or
        bold), as the run's own ``w:i``/``w:iCs`` or ``w:b``/``w:bCs``. A link is an
        external hyperlink around runs of the ``Hyperlink`` style, with the bold and italics
        of the text around it."""
        around = self.looks.look(tables, paragraph, style)
        if seg.href is not None:
            own = self.looks.look(tables, paragraph, "Hyperlink")
            look: Look = (
                around[0] if around[0] != own[0] else None,
                around[1] if around[1] != own[1] else None,
            )
            rid = f"rIdLink{len(self.links) + 1}"
            self.links.append((rid, seg.href))
            runs = text_runs(seg.text, style="Hyperlink", look=look)
            return f'<w:hyperlink r:id="{rid}" w:history="1">{runs}</w:hyperlink>'
        if seg.style == "strong":
            return text_runs(seg.text, style=style, look=(not around[0], None))
        return text_runs(seg.text, style=style, look=(None, not around[1]))

    def anchored(self, anchor: str, content: str) -> str:
        """``content`` in the bookmark of ``anchor``."""
        bid = self._bookmark
        self._bookmark += 1
        return bookmark_start(bid, self.anchors[anchor]) + content + bookmark_end(bid)

    def visit(self, block: Block) -> str:
        self.gap = _GAP if self._after_table else None
        out = super().visit(block)
        self._after_table = isinstance(block, TableBlock)
        return out

    def visit_TitleBlock(self, b: TitleBlock) -> str:
        out = [paragraph(text_runs(b.title), style="Title")]
        if b.subtitle:
            out.append(paragraph(text_runs(b.subtitle), style="Subtitle"))
        meta = b.byline
        if meta:
            out.append(paragraph(text_runs(meta), style="BriefMeta"))
        return "".join(out)

    def visit_ContentsBlock(self, b: ContentsBlock) -> str:
        # the label: not a heading style, and body text in the outline, so that it never
        # lists itself when Word updates the field
        out = [paragraph(text_runs(b.label), style="TOCHeading", outline=9)]
        last = len(b.entries) - 1
        for k, entry in enumerate(b.entries):
            link = _internal_link(self.anchors[entry.anchor], text_runs(entry.text))
            out.append(
                paragraph(
                    (_field(TOC_FIELD) if k == 0 else "")
                    + link
                    + (_FIELD_END if k == last else ""),
                    style=f"TOC{min(entry.level, 3)}",
                    tab=self.width,
                )
            )
        if not b.entries:
            out.append(paragraph(_field(TOC_FIELD) + _FIELD_END, style="TOC1"))
        return "".join(out)

    def visit_HeadingBlock(self, b: HeadingBlock) -> str:
        return paragraph(
            self.anchored(b.anchor, text_runs(b.text)), style=f"Heading{min(b.level, 3)}"
        )

    def visit_ImageBlock(self, b: ImageBlock) -> str:
        number = len(self.media) + 1
        rid = f"rIdImage{number}"
        ext = "png" if b.media_type == "image/png" else "jpeg"
        name = f"media/figure{number}.{ext}"
        while f"word/{name}" in self._taken:
            name = f"media/briefkit-{name.removeprefix('media/')}"
        self.media.append((rid, name, b.data, b.media_type))
        # the picture fits the text's width, and leaves room on its page for its caption
        cx, cy = fit(
            b.width,
            b.height,
            self.width * EMU_PER_TWIP,
            (self.height - _CAPTION_ROOM) * EMU_PER_TWIP,
        )
        shape = self._shape
        self._shape += 1
        picture = inline_picture(rid, shape, f"Figure {b.number}", b.alt, cx, cy)
        # the picture in its own paragraph, kept on the page of its caption; the caption
        # (whose style keeps it with what follows, as a table's) follows, kept with nothing
        ppr = (
            '<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60" w:line="240" '
            'w:lineRule="auto"/><w:ind w:left="0" w:right="0" w:firstLine="0"/>'
            '<w:jc w:val="center"/></w:pPr>'
        )
        label = text_runs(b.label(self.locale) + " ")
        return f"<w:p>{ppr}{self.anchored(b.anchor, picture)}</w:p>" + paragraph(
            label + self.sentence(b.caption, "Caption"),
            style="Caption",
            keep_next=False,
            space_before=_CAPTION_GAP,
        )

    def visit_ParagraphBlock(self, b: ParagraphBlock) -> str:
        space = text_runs(" ")
        return paragraph(space.join(self.sentence(s) for s in b.sentences), space_before=self.gap)

    def visit_ListBlock(self, b: ListBlock) -> str:
        return "".join(
            paragraph(
                self.sentence(s, "ListBullet"),
                style="ListBullet",
                space_before=None if k else self.gap,
            )
            for k, s in enumerate(b.items)
        )

    def visit_QuoteBlock(self, b: QuoteBlock) -> str:
        out = paragraph(self.sentence(b.sentence, "Quote"), style="Quote")
        if b.attribution:
            out += paragraph(text_runs(f"— {b.attribution}"), style="QuoteAttribution")
        return out

    def visit_TableBlock(self, b: TableBlock) -> str:
        caption = b.label(self.locale)
        widths = _column_widths(b, self.width)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        props = (
            '<w:tblPr><w:tblStyle w:val="BriefTable"/><w:tblW w:w="5000" w:type="pct"/>'
            f'<w:tblLayout w:type="fixed"/>{_LOOK}<w:tblCaption w:val="{attr(caption)}"/>'
            "</w:tblPr>"
        )
        head = "".join(
            self.cell(paragraph(text_runs(label, bold=True), style="TableHeading", align=align), w)
            for label, align, w in zip(b.header, b.align, widths, strict=True)
        )
        rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"]
        for row in b.rows:
            cells = "".join(
                self.cell(self.cell_paragraph(cell, align), w)
                for cell, align, w in zip(row, b.align, widths, strict=True)
            )
            rows.append(f"<w:tr>{cells}</w:tr>")
        return (
            paragraph(self.anchored(b.anchor, text_runs(caption)), style="Caption", keep_next=True)
            + f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )

    @staticmethod
    def cell(content: str, width: int) -> str:
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'

    def cell_paragraph(self, cell: TableCell, align: str) -> str:
        if cell.sentence is not None:
            content = self.sentence(cell.sentence, "TableText", ("BriefTable",))
        else:
            content = text_runs(cell.text)
        return paragraph(content, style="TableText", align=align)

    def visit_BibliographyBlock(self, b: BibliographyBlock) -> str:
        # each entry as the style wrote it, with a hanging indent; its URL is text, not a link
        return "".join(
            paragraph(text_runs(entry.text), style="Bibliography") for entry in b.entries
        )

    def visit_SourcesBlock(self, b: SourcesBlock) -> str:
        out = []
        for n, entry in enumerate(b.entries, 1):
            runs = [text_runs(f"{n}.\t"), text_runs(entry.title, bold=True)]
            details = source_details(entry.source.meta, self.locale)
            if details:
                runs.append(text_runs(". " + details))
            runs.append(text_runs(". " + entry.record))
            if entry.url:
                rid = f"rIdLink{len(self.links) + 1}"
                self.links.append((rid, entry.url))
                runs.append(text_runs(" "))
                runs.append(
                    f'<w:hyperlink r:id="{rid}">{text_runs(entry.url, style="Hyperlink")}'
                    "</w:hyperlink>"
                )
            out.append(paragraph("".join(runs), style="SourceEntry"))
        return "".join(out)


@attrs.frozen
class _Page:
    """A header or footer part: its relationship id, kind, ``w:type``, name (in ``word/``),
    XML, relationships part, and the digest of its furniture text recorded for it (a
    template's; None for briefkit's own footer)."""

    rid: str
    kind: str
    type: str
    name: str
    data: bytes
    rels: bytes | None = None
    digest: str | None = None


class DocxExporter:
    """Word export. ``template`` is a ``.docx`` whose styles to use (missing ones are added);
    ``page_size`` is ``"A4"`` or ``"Letter"``."""

    name = "docx"
    suffixes = (".docx",)
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    description = "Word document with real footnotes and embedded provenance"

    def __init__(
        self,
        *,
        template: str | os.PathLike[str] | None = None,
        page_size: Literal["A4", "Letter"] = "A4",
    ) -> None:
        if page_size not in _PAGES:
            raise ValueError(f"page_size must be one of {', '.join(_PAGES)}, not {page_size!r}")
        self.template = Template.from_docx(template) if template is not None else Template.default()
        self.page_size = page_size

    def pages(self) -> list[_Page]:
        """The headers and footers: the template's (the first of each kind and type), and
        briefkit's own footer where the template has none."""
        out: list[_Page] = []
        seen: set[str] = set()
        counts = {"header": 0, "footer": 0}
        for f in self.template.furniture:
            key = furniture_key(f.kind, f.type)
            if key in seen:
                continue
            seen.add(key)
            counts[f.kind] += 1
            rows = [
                (
                    r.rid,
                    r.type,
                    r.target if r.external else posixpath.relpath(r.target, "word"),
                    r.external,
                )
                for r in f.relationships
            ]
            out.append(
                _Page(
                    f"rIdPage{len(out) + 1}",
                    f.kind,
                    f.type,
                    f"{f.kind}{counts[f.kind]}.xml",
                    f.data,
                    parts.rels(rows) if rows else None,
                    f.digest,
                )
            )
        if not counts["footer"]:
            out.append(
                _Page(
                    f"rIdPage{len(out) + 1}", "footer", "default", "footer1.xml", parts.footer_xml()
                )
            )
        return out

    def document_xml(self, plan: NotePlan, pages: Sequence[_Page] = ()) -> tuple[bytes, _Body]:
        """The main document part, and the body it holds (its hyperlinks and pictures); its
        section refers to the headers and footers ``pages``."""
        width, height = _PAGES[self.page_size]
        cited = sum(len(n.citations) for n in plan.notes)
        body = _Body(
            plan,
            width - 2 * _MARGIN,
            height - 2 * _MARGIN_Y,
            # after the sentences' bookmarks and the footnotes' citation bookmarks
            first_bookmark=len(plan.sentences) + cited + 1,
            first_shape=_last_shape(self.template) + 1,
            taken={name for name, _, _ in self.template.media},
            looks=StyleLooks(self.template.styles_in(plan.locale.tag)),
        )
        blocks = "".join(body.walk(plan))
        refs = "".join(
            f'<w:{p.kind}Reference w:type="{attr(p.type)}" r:id="{p.rid}"/>' for p in pages
        )
        title = "<w:titlePg/>" if self.template.title_page else ""
        sect = (
            f'<w:sectPr>{refs}<w:pgSz w:w="{width}" w:h="{height}"/>'
            f'<w:pgMar w:top="{_MARGIN_Y}" w:right="{_MARGIN}" w:bottom="{_MARGIN_Y}" '
            f'w:left="{_MARGIN}" w:header="708" w:footer="708" w:gutter="0"/>{title}</w:sectPr>'
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"><w:body>'
            f"{blocks}{sect}</w:body></w:document>"
        )
        return xml.encode("utf-8"), body

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        brief = plan.brief
        pages = self.pages()
        document, body = self.document_xml(plan, pages)
        manifest_json = json.dumps(
            _manifest.build(plan).to_json(), ensure_ascii=True, separators=(",", ":")
        )
        when, known = export_time(brief.date)
        core_when = when if known else None
        records = _cite_records(plan)
        digests = {furniture_key(p.kind, p.type): p.digest for p in pages if p.digest}
        if digests:
            records.append((FURNITURE_PROPERTY, record(digests)))
        page_parts: list[tuple[str, bytes]] = []
        types: list[tuple[str, str]] = []
        for page in pages:
            page_parts.append((f"word/{page.name}", page.data))
            kind = parts.HEADER_TYPE if page.kind == "header" else parts.FOOTER_TYPE
            types.append((f"word/{page.name}", kind))
            if page.rels is not None:
                page_parts.append((f"word/_rels/{page.name}.rels", page.rels))
        for name, data, ctype in self.template.media:
            page_parts.append((name, data))
            types.append((name, ctype))
        for _, name, data, ctype in body.media:  # the pictures' images, as they are
            page_parts.append((f"word/{name}", data))
            types.append((f"word/{name}", ctype))
        write_package(
            stream,
            [
                ("[Content_Types].xml", parts.content_types(types)),
                ("_rels/.rels", parts.package_rels()),
                (
                    "docProps/core.xml",
                    parts.core_xml(
                        title=brief.title,
                        author=brief.author,
                        subject=brief.subtitle,
                        when=core_when,
                        language=plan.locale.tag,
                    ),
                ),
                ("docProps/app.xml", parts.app_xml()),
                ("docProps/custom.xml", parts.custom_xml(records)),
                ("word/document.xml", document),
                (
                    "word/_rels/document.xml.rels",
                    parts.document_rels(
                        body.links,
                        [(p.rid, p.kind, p.name) for p in pages],
                        [(rid, name) for rid, name, _, _ in body.media],
                    ),
                ),
                ("word/styles.xml", self.template.styles_in(plan.locale.tag)),
                ("word/numbering.xml", self.template.numbering),
                ("word/settings.xml", parts.settings_xml(update_fields=_has_fields(plan))),
                (
                    "word/footnotes.xml",
                    parts.footnotes_xml(
                        [(n.number, n.text) for n in plan.notes],
                        [len(n.citations) for n in plan.notes],
                        first_bookmark=len(plan.sentences) + 1,
                    ),
                ),
                *page_parts,
                ("customXml/item1.xml", parts.manifest_item(manifest_json)),
                ("customXml/itemProps1.xml", parts.manifest_item_props(manifest_json)),
                ("customXml/_rels/item1.xml.rels", parts.manifest_item_rels()),
            ],
            when,
        )


_DOC_PR_ID = re.compile(rb"<(?:\w+:)?docPr\b[^>]*?\sid=\"([0-9]{1,9})\"")


def _last_shape(template: Template) -> int:
    """The largest drawing object id (``wp:docPr``) of the template's kept headers and
    footers: the body's pictures take the ids after it (Word wants them unique)."""
    return max(
        (int(m[1]) for f in template.furniture for m in _DOC_PR_ID.finditer(f.data)), default=0
    )


def _has_fields(plan: NotePlan) -> bool:
    """Whether the document has fields Word should update on opening: a table of contents
    (its page numbers) or a page reference."""
    return any(isinstance(b, ContentsBlock) for b in plan.blocks) or any(
        seg.ref is not None and seg.page for ps in plan.sentences for seg in ps.runs
    )


def _cite_records(plan: NotePlan) -> list[tuple[str, str]]:
    """``(bookmark name, SOURCE:START-END)`` for every citation of every note."""
    return [
        (
            cite_bookmark(note.number, k),
            cite_token(c.excerpt.source.id, c.position.start, c.position.end),
        )
        for note in plan.notes
        for k, c in enumerate(note.citations, 1)
    ]
