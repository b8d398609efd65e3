"""briefkit: citation-aware briefing documents.

Every sentence of a brief stays linked to its origin file and character span; the brief
exports to DOCX, PDF, Markdown, HTML and a JSON provenance manifest, and written files can be
verified against the sources later.

    import briefkit
    corpus = briefkit.Corpus.from_dir("seeds")
    src = corpus["000_28b258b49d188a62.txt"]
    q = src.quote("Our alliance with Japan has never been stronger", speaker="Carter")
    brief = briefkit.Brief(
        title="The alliance",
        sections=[briefkit.section("Tone", briefkit.paragraph(briefkit.sentence(q, ".")))],
    )
    briefkit.export(brief, "out/brief.md")
"""

from __future__ import annotations

from briefkit._export import export, render
from briefkit._verify import verify
from briefkit._version import __version__
from briefkit.errors import (
    AmbiguousMatchError,
    BriefkitError,
    BriefSyntaxError,
    DecodeError,
    DuplicateExporterError,
    ExcerptError,
    ExportError,
    LocaleError,
    ManifestError,
    OffsetError,
    ReadError,
    SourceError,
    SourceNotFoundError,
    SourceTooLargeError,
    SpanError,
    StyleError,
    TextNotFoundError,
    UnknownFormatError,
    UnsafeIdError,
    ValidationError,
)
from briefkit.excerpts import Excerpt, Figure, Paraphrase, Quote
from briefkit.formats import Exporter, registry
from briefkit.locales import Locale
from briefkit.model import (
    BlockQuote,
    Brief,
    BulletList,
    CrossRef,
    Differences,
    Emphasis,
    Image,
    Link,
    Paragraph,
    Section,
    Sentence,
    Table,
    analysis,
    block_quote,
    bullets,
    differences,
    em,
    image,
    link,
    paragraph,
    ref,
    section,
    sentence,
    strong,
    table,
)
from briefkit.notes import CitationStyle, Cite, Locator, parse_note
from briefkit.plan import NotePlan
from briefkit.report import Report
from briefkit.sources import Corpus, Source, SourceMeta
from briefkit.spans import Position, Span
from briefkit.styles import CslStyle

__all__ = [
    "AmbiguousMatchError",
    "BlockQuote",
    "Brief",
    "BriefSyntaxError",
    "BriefkitError",
    "BulletList",
    "CitationStyle",
    "Cite",
    "Corpus",
    "CrossRef",
    "CslStyle",
    "DecodeError",
    "Differences",
    "DuplicateExporterError",
    "Emphasis",
    "Excerpt",
    "ExcerptError",
    "ExportError",
    "Exporter",
    "Figure",
    "Image",
    "Link",
    "Locale",
    "LocaleError",
    "Locator",
    "ManifestError",
    "NotePlan",
    "OffsetError",
    "Paragraph",
    "Paraphrase",
    "Position",
    "Quote",
    "ReadError",
    "Report",
    "Section",
    "Sentence",
    "Source",
    "SourceError",
    "SourceMeta",
    "SourceNotFoundError",
    "SourceTooLargeError",
    "Span",
    "SpanError",
    "StyleError",
    "Table",
    "TextNotFoundError",
    "UnknownFormatError",
    "UnsafeIdError",
    "ValidationError",
    "__version__",
    "analysis",
    "block_quote",
    "bullets",
    "differences",
    "em",
    "export",
    "image",
    "link",
    "paragraph",
    "parse_note",
    "ref",
    "registry",
    "render",
    "section",
    "sentence",
    "strong",
    "table",
    "verify",
]
