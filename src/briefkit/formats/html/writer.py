"""The ``html`` exporter: one standalone, accessible HTML5 page with endnotes and provenance.

The page needs nothing else to be read: no external resources and no JavaScript. Every sentence
is an element with the id ``s-<sentence id>``; each cited sentence ends in a note mark
(``fnref-N``) linking to its endnote (``fn-N``), which links back and shows the exact source
text of each citation (with a URL text fragment when the source has a web address). Each
endnote carries its citations out of sight as well, in ``data-cites``
(``SOURCE:START-END …``, in citation order). The bibliography follows the body as a plain list
of the style's entries.

A table is a ``<table id="table-N">`` whose ``<caption>`` is exactly its label (``Table N.
<caption>`` in the brief's language), a ``<thead>`` row of ``<th scope="col">`` column labels
and a ``<tbody>`` row per body row. In a body row a label in the first column is a
``<th scope="row">`` (an empty one is a ``<td>``); every other cell is a ``<td>``. Each cell,
header cells too, carries its column's alignment as the class ``align-left``,
``align-center`` or ``align-right`` (:data:`~._container.ALIGN_CLASS`), which the style sheet
aligns; a cell's sentence is written exactly as in a paragraph (its ``s-<id>`` span, analysis
label and note mark), so its note and the note's ``data-cites`` are as any other. The style
sheet draws each cell's borders and padding and isolates the caption and each cell
(``unicode-bidi:isolate``), so a direction override in a label stays in its cell.

An image is a ``<figure class="image" id="figure-N">`` holding one ``<img>`` and one
``<figcaption>``. The page is one standalone file, so the ``<img>``'s ``src`` is a data URI of
the image's bytes exactly as the brief holds them (``data:image/png;base64,…`` or
``data:image/jpeg;base64,…``; never re-encoded, so their sha256 is the manifest's); its
``alt`` is the alt text on one line (escaped, every newline style a space), ``width`` and
``height`` its size in pixels, which the style sheet scales down to the page's width
(``max-width:100%;height:auto``). The caption is the label (``<span
class="figure-label">Figure N.</span>`` in the brief's language), a space and the caption
sentence written as in a paragraph (its ``s-<id>`` span, analysis label and note mark).

The author's emphasis is ``<em>`` (italics; upright inside an analysis sentence, which the
style sheet sets in italics) or ``<strong>`` (bold) around exactly its words, and a link to a
web page is ``<a class="link" href="…" rel="noopener noreferrer">`` around exactly its text
(its label, or the address itself), right inside the sentence's span; the address is one the
model accepts (http, https or mailto, printable ASCII without quotation marks, spaces or angle
brackets), written as an escaped attribute. The page's referrer is not sent to it
(``noreferrer``). A quotation is never emphasised or linked.

A cross-reference (a sentence's library wording for a section, table or image) is a link
``<a class="ref" href="#table-2">Table 2</a>`` inside its sentence's span, showing exactly the
same text; what it names carries that id: ``table-N``, ``figure-N``, or the heading's
``sec-…`` (every heading carries its anchor as its id: ``sec-2-1``, ``key-points``,
``bibliography``, ``sources``). The table of contents (when the brief has one) follows the
title block: ``<nav class="contents" aria-labelledby="contents">``, its title ``<h2
id="contents">`` (the label, ``Contents`` in the brief's language) and a ``<ul>`` of one
``<li>`` per heading, each a link to the heading's id; an entry of a deeper level stands in a
``<ul>`` inside the item of the entry before it (see :func:`._anchors.nesting`). The page's
``lang`` is the brief's language, and so is its furniture:
headings, labels, each excerpt's caption, the link that opens a passage at its source and the
back links' accessible names (the locale's labels); only the sources appendix's record of each
source (``Source …, sha256 …, cited n times.``) stays English in every language, as in every
format, because it is an audit record. All brief and source text is escaped; characters XML
cannot hold get their one-for-one stand-in, and so do DEL and the C1 controls, which HTML
forbids in a page (``␡`` U+2421 for DEL, U+FFFD for each of U+0080–U+009F, as the PDF shows
them; a character reference would not do: HTML reads ``&#x80;`` … ``&#x9f;`` as the Windows
characters ``€`` … ``Ÿ``), and every newline style becomes ``<br>``. The
provenance manifest is embedded as a JSON data block.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping, Sequence
from html import escape as _escape
from typing import BinaryIO

from briefkit import __version__
from briefkit import manifest as _manifest
from briefkit._locators import page_index
from briefkit._text import display, split_lines
from briefkit._typography import isolate
from briefkit.formats.html._anchors import nesting
from briefkit.formats.html._container import ALIGN_CLASS, LINK_REL, MANIFEST_ID
from briefkit.formats.html.reader import STYLE as _STYLE
from briefkit.formats.html.reader import passage_link, text_fragment
from briefkit.plan import (
    BibliographyBlock,
    CitedExcerpt,
    ContentsBlock,
    ContentsEntry,
    HeadingBlock,
    ImageBlock,
    ListBlock,
    Note,
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

__all__ = [
    "MANIFEST_ID",
    "HtmlExporter",
    "cites_attribute",
    "manifest_script",
    "text",
    "text_fragment",
]

#: The id of the ``<script type="application/json">`` element holding the manifest.


#: DEL and the C1 controls, which an HTML page may not hold, one-for-one as the PDF shows them
_FORBIDDEN = {0x7F: "\u2421", **dict.fromkeys(range(0x80, 0xA0), "\ufffd")}


def _shown(line: str) -> str:
    """One line with the stand-ins of :func:`~briefkit._text.display`, and DEL and the C1
    controls as ``␡`` and U+FFFD (NEL, U+0085, is a line break and never reaches here)."""
    shown = display(line)
    return shown.translate(_FORBIDDEN) if not shown.isascii() or "\x7f" in shown else shown


def text(value: str) -> str:
    """``value`` escaped as HTML text: stand-ins for XML-illegal characters and for DEL and
    the C1 controls, ``<br>`` for every newline style."""
    return "<br>".join(_escape(_shown(line), quote=False) for line in split_lines(value))


def _attr(value: str) -> str:
    """``value`` as one line, escaped for a double-quoted attribute."""
    return _escape(" ".join(_shown(line) for line in split_lines(value)), quote=True)


def _one_line(value: str) -> str:
    """``value`` as one line of escaped text (for ``<title>``)."""
    return _escape(" ".join(_shown(line) for line in split_lines(value)), quote=False)


def manifest_script(plan: NotePlan) -> str:
    """The provenance manifest as a JSON data block; ``<``, ``>`` and ``&`` are written as
    JSON escapes, so nothing in it can end the element."""
    data = json.dumps(_manifest.build(plan).to_json(), ensure_ascii=True, separators=(",", ":"))
    safe = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{MANIFEST_ID}">{safe}</script>'


def _mark(number: int) -> str:
    return (
        f'<sup class="noteref"><a href="#fn-{number}" id="fnref-{number}" role="doc-noteref" '
        f'aria-describedby="notes">{number}</a></sup>'
    )


def _sentence(ps: PlannedSentence, analysis: str) -> str:
    out: list[str] = []
    if ps.analysis:
        out.append(f'<strong class="label">{text(analysis)}:</strong> ')
        out.append(f'<span class="sentence analysis" id="s-{_attr(ps.id)}">')
    else:
        out.append(f'<span class="sentence" id="s-{_attr(ps.id)}">')
    for seg in ps.runs:
        if seg.kind == "text" and seg.ref is not None:  # a cross-reference: a link to it
            out.append(f'<a class="ref" href="#{_attr(seg.ref)}">{text(seg.text)}</a>')
        elif seg.kind == "text" and seg.href is not None:  # a link to a web page
            out.append(f'<a class="link" href="{_attr(seg.href)}" rel="{LINK_REL}">')
            out.append(f"{text(seg.text)}</a>")
        elif seg.kind == "text" and seg.style is not None:  # emphasis: <em> or <strong>
            out.append(f"<{seg.style}>{text(seg.text)}</{seg.style}>")
        elif seg.kind == "text":
            out.append(text(seg.text))
        else:
            out.append(f'<span class="{"quoted" if seg.kind == "quote" else "figure"}">')
            out.append(text(seg.text))
            out.append("</span>")
    if ps.note is not None:
        out.append(_mark(ps.note))
    out.append("</span>")
    return "".join(out)


class _Body(PlanVisitor[str]):
    def __init__(self, plan: NotePlan) -> None:
        self.analysis = plan.labels["analysis"]  # in the brief's language
        self.locale = plan.locale

    def visit_TitleBlock(self, b: TitleBlock) -> str:
        out = ['<header class="title-block">', f"<h1>{text(b.title)}</h1>"]
        if b.subtitle:
            out.append(f'<p class="subtitle">{text(b.subtitle)}</p>')
        byline: list[str] = []
        if b.author:
            byline.append(f'<span class="author">{text(isolate(b.author))}</span>')
        if b.date and b.date_text:
            byline.append(f'<time datetime="{_attr(b.date)}">{text(b.date_text)}</time>')
        if byline:
            out.append(f'<p class="byline">{" · ".join(byline)}</p>')
        out.append("</header>")
        return "\n".join(out)

    def visit_ContentsBlock(self, b: ContentsBlock) -> str:
        return (
            '<nav class="contents" aria-labelledby="contents">\n'
            f'<h2 id="contents">{text(b.label)}</h2>\n{_contents_list(b.entries)}\n</nav>'
        )

    def visit_ImageBlock(self, b: ImageBlock) -> str:
        data = base64.b64encode(b.data).decode("ascii")  # the bytes as they are
        caption = f'<span class="figure-label">{text(b.label(self.locale))}</span> ' + _sentence(
            b.caption, self.analysis
        )
        return (
            f'<figure class="image" id="{_attr(b.anchor)}">\n'
            f'<img src="data:{_attr(b.media_type)};base64,{data}" alt="{_attr(b.alt)}" '
            f'width="{b.width}" height="{b.height}">\n'
            f"<figcaption>{caption}</figcaption>\n</figure>"
        )

    def visit_HeadingBlock(self, b: HeadingBlock) -> str:
        level = min(6, b.level + 1)
        return f'<h{level} id="{_attr(b.anchor)}">{text(b.text)}</h{level}>'

    def visit_ParagraphBlock(self, b: ParagraphBlock) -> str:
        return "<p>" + " ".join(_sentence(s, self.analysis) for s in b.sentences) + "</p>"

    def visit_ListBlock(self, b: ListBlock) -> str:
        head = '<ul class="key-points">' if b.role == "key_points" else "<ul>"
        items = "".join(f"\n<li>{_sentence(s, self.analysis)}</li>" for s in b.items)
        return f"{head}{items}\n</ul>"

    def visit_QuoteBlock(self, b: QuoteBlock) -> str:
        quote = f"<blockquote><p>{_sentence(b.sentence, self.analysis)}</p></blockquote>"
        out = f'<figure class="block-quote">\n{quote}'
        if b.attribution:
            out += f"\n<figcaption>— {text(b.attribution)}</figcaption>"
        return out + "\n</figure>"

    def visit_TableBlock(self, b: TableBlock) -> str:
        out = [
            f'<table id="{_attr(b.anchor)}">',
            f"<caption>{text(b.label(self.locale))}</caption>",
        ]
        out.append("<thead>\n<tr>")
        out.extend(
            f'<th scope="col" class="{ALIGN_CLASS[align]}">{text(label)}</th>'
            for label, align in zip(b.header, b.align, strict=True)
        )
        out.append("</tr>\n</thead>\n<tbody>")
        for row in b.rows:
            out.append("<tr>")
            out.extend(
                self._cell(cell, column, ALIGN_CLASS[align])
                for column, (cell, align) in enumerate(zip(row, b.align, strict=True), 1)
            )
            out.append("</tr>")
        out.append("</tbody>\n</table>")
        return "\n".join(out)

    def _cell(self, cell: TableCell, column: int, align: str) -> str:
        if cell.sentence is not None:
            return f'<td class="{align}">{_sentence(cell.sentence, self.analysis)}</td>'
        if column == 1 and cell.text:  # a label that names the row
            return f'<th scope="row" class="{align}">{text(cell.text)}</th>'
        return f'<td class="{align}">{text(cell.text)}</td>'

    def visit_BibliographyBlock(self, b: BibliographyBlock) -> str:
        # each entry as the style wrote it; its URL is text, not a link
        items = "".join(f"\n<li>{text(entry.text)}</li>" for entry in b.entries)
        return f'<ul class="bibliography">{items}\n</ul>'

    def visit_SourcesBlock(self, b: SourcesBlock) -> str:
        rows: list[str] = ['<ol class="sources">']
        for n, entry in enumerate(b.entries, 1):
            row = [f'<li id="src-{n}"><cite>{text(entry.title)}</cite>']
            details = source_details(entry.source.meta, self.locale)
            if details:
                row.append(f". {text(details)}")
            row.append(f". {text(entry.record)}")
            if entry.url:
                row.append(f' <a href="{_attr(entry.url)}">{text(entry.url)}</a>')
            row.append("</li>")
            rows.append("".join(row))
        rows.append("</ol>")
        return "\n".join(rows)


def _contents_list(entries: Sequence[ContentsEntry]) -> str:
    """The contents as nested lists of links to the headings (see :func:`._anchors.nesting`)."""
    out = ["<ul>"]
    depth = 1
    for k, (entry, want) in enumerate(zip(entries, nesting(e.level for e in entries), strict=True)):
        if want > depth:  # one deeper: a list inside the item before
            out.append("\n<ul>")
        elif k:
            out.append("</li>")
            for _ in range(depth - want):
                out.append("\n</ul>\n</li>")
        depth = want
        out.append(f'\n<li><a href="#{_attr(entry.anchor)}">{text(entry.text)}</a>')
    if entries:
        out.append("</li>")
    out.extend("\n</ul>\n</li>" for _ in range(depth - 1))
    out.append("\n</ul>")
    return "".join(out)


def _excerpt(
    cited: CitedExcerpt, url: str | None, labels: Mapping[str, str], *, spans: bool
) -> str:
    """A citation's exact words under its note, captioned — with the source id and span only
    in an audit copy (``spans``: the style shows spans)."""
    pos = cited.position
    source_id = cited.excerpt.source.id
    cite = f' cite="{_attr(url)}"' if url else ""
    caption = (
        text(labels["excerpt_caption"]).format(
            source=f"<code>{text(source_id)}</code>", start=pos.start, end=pos.end
        )
        if spans
        else text(labels["excerpt_label"])
    )
    if url:
        link = passage_link(url, pos.exact, page_index(cited.excerpt.source.pages, pos.start))
        caption += (
            f' · <a class="source-link" href="{_attr(link)}">{text(labels["open_source"])}</a>'
        )
    return (
        f'<figure class="excerpt"><blockquote class="exact"{cite}>{text(pos.exact)}</blockquote>'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def cites_attribute(citations: Iterable[tuple[str, int, int]]) -> str:
    """The ``data-cites`` value of a note: ``SOURCE:START-END`` for each citation, in order,
    separated by spaces (source ids never hold a space or a colon)."""
    return " ".join(f"{source}:{start}-{end}" for source, start, end in citations)


def _note(
    note: Note, urls: dict[str, str | None], labels: Mapping[str, str], *, spans: bool
) -> str:
    n = note.number
    cites = cites_attribute(
        (c.excerpt.source.id, c.position.start, c.position.end) for c in note.citations
    )
    back = labels["back_to_mark"].format(note=n)
    out = [
        f'<li id="fn-{n}" data-cites="{_attr(cites)}">'
        f'<p><span class="note-text">{text(note.text)}</span> '
        f'<a href="#fnref-{n}" class="backlink" role="doc-backlink" '
        f'aria-label="{_attr(back)}">↩</a></p>'
    ]
    out.extend(
        _excerpt(c, urls.get(c.excerpt.source.id), labels, spans=spans) for c in note.citations
    )
    out.append("</li>")
    return "\n".join(out)


def render(plan: NotePlan) -> str:
    """The page as text."""
    brief = plan.brief
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_attr(plan.locale.tag)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_one_line(brief.title)}</title>",
        f'<meta name="generator" content="briefkit {_attr(__version__)}">',
    ]
    if brief.author:
        head.append(f'<meta name="author" content="{_attr(brief.author)}">')
    if brief.subtitle:
        head.append(f'<meta name="description" content="{_attr(brief.subtitle)}">')
    head += [f"<style>\n{_STYLE}</style>", "</head>", "<body>", "<main>"]
    body = _Body(plan).walk(plan)
    if plan.notes:
        urls = {e.source.id: e.url for e in plan.sources}
        body.append(
            '<section class="notes" role="doc-endnotes" aria-labelledby="notes">\n'
            f'<h2 id="notes">{text(plan.labels["notes"])}</h2>\n<ol>\n'
            + "\n".join(
                _note(n, urls, plan.labels, spans=plan.style.show_spans) for n in plan.notes
            )
            + "\n</ol>\n</section>"
        )
    tail = ["</main>", manifest_script(plan), "</body>", "</html>", ""]
    return "\n".join(head + body + tail)


class HtmlExporter:
    name = "html"
    suffixes = (".html", ".htm")
    media_type = "text/html; charset=utf-8"
    description = "standalone HTML page with endnotes and embedded provenance"

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(render(plan).encode("utf-8"))
