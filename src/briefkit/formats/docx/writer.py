"""The ``docx`` exporter: Word documents with real footnotes and embedded provenance.

Footnotes are Word's own (``word/footnotes.xml``, ``w:footnoteReference`` after each cited
sentence, separator notes, FootnoteText/FootnoteReference styles) with the numbers and text of
the shared note plan. Each sentence is wrapped in a bookmark named after its id. Each footnote's
text stands in one hidden bookmark per citation (``_bkc<note>_<k>``), and the custom document
property of the same name holds what it cites (``SOURCE:START-END``; see :mod:`._container`).
The provenance manifest is embedded as a custom XML part, which Word and LibreOffice keep.
Output is deterministic: same brief and sources, same bytes.
"""

from __future__ import annotations

import json
import os
from typing import BinaryIO, Literal

from briefkit import manifest as _manifest
from briefkit._timestamps import export_time
from briefkit.formats.checking import cite_token
from briefkit.formats.docx import _parts as parts
from briefkit.formats.docx._container import cite_bookmark
from briefkit.formats.docx._package import write_package
from briefkit.formats.docx._template import Template
from briefkit.formats.docx._xml import (
    NS,
    bookmark_end,
    bookmark_start,
    footnote_reference,
    paragraph,
    text_runs,
)
from briefkit.plan import (
    BibliographyBlock,
    HeadingBlock,
    ListBlock,
    NotePlan,
    ParagraphBlock,
    PlannedSentence,
    PlanVisitor,
    QuoteBlock,
    SourcesBlock,
    TitleBlock,
    source_details,
)

__all__ = ["DocxExporter"]

_PAGES = {"A4": (11906, 16838), "Letter": (12240, 15840)}


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


class _Body(PlanVisitor[str]):
    def __init__(self, plan: NotePlan) -> None:
        self.links: list[tuple[str, str]] = []
        self.analysis = plan.labels["analysis"]  # in the brief's language
        self.locale = plan.locale

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
        return paragraph(space.join(_sentence(s, self.analysis) for s in b.sentences))

    def visit_ListBlock(self, b: ListBlock) -> str:
        return "".join(paragraph(_sentence(s, self.analysis), style="ListBullet") for s in b.items)

    def visit_QuoteBlock(self, b: QuoteBlock) -> str:
        out = paragraph(_sentence(b.sentence, self.analysis), style="Quote")
        if b.attribution:
            out += paragraph(text_runs(f"— {b.attribution}"), style="QuoteAttribution")
        return out

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

    def document_xml(self, plan: NotePlan) -> tuple[bytes, list[tuple[str, str]]]:
        body = _Body(plan)
        blocks = "".join(body.walk(plan))
        width, height = _PAGES[self.page_size]
        sect = (
            f'<w:sectPr><w:pgSz w:w="{width}" w:h="{height}"/>'
            '<w:pgMar w:top="1440" w:right="1304" w:bottom="1440" w:left="1304" '
            'w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"><w:body>'
            f"{blocks}{sect}</w:body></w:document>"
        )
        return xml.encode("utf-8"), body.links

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        brief = plan.brief
        document, links = self.document_xml(plan)
        manifest_json = json.dumps(
            _manifest.build(plan).to_json(), ensure_ascii=True, separators=(",", ":")
        )
        when, known = export_time(brief.date)
        core_when = when if known else None
        write_package(
            stream,
            [
                ("[Content_Types].xml", parts.content_types()),
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
                ("docProps/custom.xml", parts.custom_xml(_cite_records(plan))),
                ("word/document.xml", document),
                ("word/_rels/document.xml.rels", parts.document_rels(links)),
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
