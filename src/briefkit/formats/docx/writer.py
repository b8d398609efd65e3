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
from collections.abc import Sequence
from typing import BinaryIO, Literal

import attrs

from briefkit import manifest as _manifest
from briefkit._timestamps import export_time
from briefkit.formats.checking import cite_token
from briefkit.formats.docx import _parts as parts
from briefkit.formats.docx._container import cite_bookmark
from briefkit.formats.docx._furniture import PROPERTY as FURNITURE_PROPERTY
from briefkit.formats.docx._furniture import furniture_key, record
from briefkit.formats.docx._package import write_package
from briefkit.formats.docx._template import Template
from briefkit.formats.docx._xml import (
    NS,
    attr,
    bookmark_end,
    bookmark_start,
    footnote_reference,
    paragraph,
    text_runs,
)
from briefkit.plan import (
    BibliographyBlock,
    Block,
    HeadingBlock,
    ListBlock,
    NotePlan,
    ParagraphBlock,
    PlannedSentence,
    PlanVisitor,
    QuoteBlock,
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
#: ``w:tblLook``: the first row and first column are the table's headings, no banding
_LOOK = (
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
    'w:noHBand="1" w:noVBand="1"/>'
)


def _sentence(ps: PlannedSentence, analysis: str) -> str:
    out = [bookmark_start(ps.index, ps.id)]
    if ps.analysis:
        out.append(text_runs(f"{analysis}:", style="AnalysisLabel"))
        out.append(text_runs(" "))
    style = "Analysis" if ps.analysis else None
    out.extend(text_runs(seg.text, style=style) for seg in ps.runs)
    if ps.note is not None:
        out.append(footnote_reference(ps.note))
    out.append(bookmark_end(ps.index))
    return "".join(out)


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
    def __init__(self, plan: NotePlan, width: int) -> None:
        self.links: list[tuple[str, str]] = []
        self.analysis = plan.labels["analysis"]  # in the brief's language
        self.locale = plan.locale
        self.width = width  # of the text, in twips
        #: the space before the paragraph that follows a table (twips), else None
        self.gap: int | None = None
        self._after_table = False

    def visit(self, block: Block) -> str:
        self.gap = _GAP if self._after_table else None
        out = super().visit(block)
        self._after_table = isinstance(block, TableBlock)
        return out

    def visit_TitleBlock(self, b: TitleBlock) -> str:
        out = [paragraph(text_runs(b.title), style="Title")]
        if b.subtitle:
            out.append(paragraph(text_runs(b.subtitle), style="Subtitle"))
        meta = " · ".join(x for x in (b.author, b.date_text) if x)
        if meta:
            out.append(paragraph(text_runs(meta), style="BriefMeta"))
        return "".join(out)

    def visit_HeadingBlock(self, b: HeadingBlock) -> str:
        return paragraph(text_runs(b.text), style=f"Heading{min(b.level, 3)}")

    def visit_ParagraphBlock(self, b: ParagraphBlock) -> str:
        space = text_runs(" ")
        return paragraph(
            space.join(_sentence(s, self.analysis) for s in b.sentences), space_before=self.gap
        )

    def visit_ListBlock(self, b: ListBlock) -> str:
        return "".join(
            paragraph(
                _sentence(s, self.analysis),
                style="ListBullet",
                space_before=None if k else self.gap,
            )
            for k, s in enumerate(b.items)
        )

    def visit_QuoteBlock(self, b: QuoteBlock) -> str:
        out = paragraph(_sentence(b.sentence, self.analysis), style="Quote")
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
            paragraph(text_runs(caption), style="Caption", keep_next=True)
            + f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )

    @staticmethod
    def cell(content: str, width: int) -> str:
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'

    def cell_paragraph(self, cell: TableCell, align: str) -> str:
        if cell.sentence is not None:
            content = _sentence(cell.sentence, self.analysis)
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
            runs = [text_runs(f"{n}.\t"), text_runs(entry.source.title, bold=True)]
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

    def document_xml(
        self, plan: NotePlan, pages: Sequence[_Page] = ()
    ) -> tuple[bytes, list[tuple[str, str]]]:
        """The main document part and its hyperlinks ``(rId, URL)``; its section refers to
        the headers and footers ``pages``."""
        width, height = _PAGES[self.page_size]
        body = _Body(plan, width - 2 * _MARGIN)
        blocks = "".join(body.walk(plan))
        refs = "".join(
            f'<w:{p.kind}Reference w:type="{attr(p.type)}" r:id="{p.rid}"/>' for p in pages
        )
        title = "<w:titlePg/>" if self.template.title_page else ""
        sect = (
            f'<w:sectPr>{refs}<w:pgSz w:w="{width}" w:h="{height}"/>'
            f'<w:pgMar w:top="1440" w:right="{_MARGIN}" w:bottom="1440" w:left="{_MARGIN}" '
            f'w:header="708" w:footer="708" w:gutter="0"/>{title}</w:sectPr>'
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"><w:body>'
            f"{blocks}{sect}</w:body></w:document>"
        )
        return xml.encode("utf-8"), body.links

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        brief = plan.brief
        pages = self.pages()
        document, links = self.document_xml(plan, pages)
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
                    parts.document_rels(links, [(p.rid, p.kind, p.name) for p in pages]),
                ),
                ("word/styles.xml", self.template.styles_in(plan.locale.tag)),
                ("word/numbering.xml", self.template.numbering),
                ("word/settings.xml", parts.settings_xml()),
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
