"""The note plan: one validated, laid-out view of a brief that every exporter renders.

:meth:`NotePlan.build` validates the brief, renders every sentence to text segments, numbers
the footnotes in reading order (one note per cited sentence) and words them with a
:class:`~briefkit.notes.CitationStyle`. Exporters walk :attr:`NotePlan.blocks` — a flat
sequence of block records — usually through a :class:`PlanVisitor`, so DOCX, PDF, Markdown, HTML
and the manifest carry the same numbers and the same note texts.
"""

from __future__ import annotations

import re
from typing import Generic, Literal, TypeAlias, TypeVar

import attrs

from briefkit._claims import quote_text
from briefkit.errors import ValidationError
from briefkit.excerpts import Excerpt, Figure, Quote
from briefkit.model import BlockQuote, Brief, BulletList, Paragraph, Section, Sentence
from briefkit.notes import CitationStyle, human_date, parse_note
from briefkit.problems import Place, Problem
from briefkit.sources import Source, SourceMeta
from briefkit.spans import Position

__all__ = [
    "BLOCK_QUOTE_MIN",
    "LABELS",
    "Block",
    "CitedExcerpt",
    "HeadingBlock",
    "ListBlock",
    "Note",
    "NotePlan",
    "ParagraphBlock",
    "PlanVisitor",
    "PlannedSentence",
    "QuoteBlock",
    "Segment",
    "SourceEntry",
    "SourcesBlock",
    "TitleBlock",
]

#: A paragraph that is one sentence made of one Quote this long (code points) or longer is set
#: as a block quote.
BLOCK_QUOTE_MIN = 300

#: Fixed wording shared by every exporter.
_SAFE_URL = re.compile(r"https?://[!#-;=?-\[\]_a-z~]+\Z", re.IGNORECASE)  # printable ASCII only

LABELS = {
    "key_points": "Key points",
    "sources": "Sources",
    "analysis": "Analysis",
    "notes": "Notes",
    "said": "said,",
}


@attrs.frozen
class Segment:
    """A run of rendered sentence text. ``kind`` is ``text`` (the author's words), ``quote``
    (source words in quotation marks, or bare inside a block quote) or ``figure``."""

    kind: Literal["text", "quote", "figure"]
    text: str
    excerpt: Excerpt | None = attrs.field(default=None, eq=False)


@attrs.frozen
class CitedExcerpt:
    """An excerpt with its resolved position (bytes, lines, context)."""

    excerpt: Excerpt
    position: Position


@attrs.frozen
class PlannedSentence:
    id: str
    index: int  # 1-based reading order over all sentences
    note: int | None  # footnote number, None for an uncited analysis sentence
    segments: tuple[Segment, ...]
    section: tuple[str, ...]
    section_number: tuple[int, ...]  # the section's numbers (2, 1 for "sec-2-1"); () if none
    block: BlockRole
    place: Place
    analysis: bool
    citations: tuple[CitedExcerpt, ...]
    several: bool = False
    accept_numbers: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The sentence as rendered (no analysis label, no note mark)."""
        return "".join(seg.text for seg in self.segments)


@attrs.frozen
class Note:
    number: int
    sentence_id: str
    text: str
    citations: tuple[CitedExcerpt, ...]


@attrs.frozen
class SourceEntry:
    """A cited source as the appendix lists it."""

    source: Source
    citations: int
    first_note: int | None

    @property
    def details(self) -> str | None:
        """Where and when it appeared (``CNN, December 5, 2016``), when known."""
        return source_details(self.source.meta)

    @property
    def record(self) -> str:
        """``Source <id>, sha256 <first 12>, cited <n> time(s).``"""
        return source_record(self.source.id, self.source.sha256, self.citations)

    @property
    def url(self) -> str | None:
        """The source's URL when it is ``http(s)`` (the only links any exporter makes)."""
        return safe_url(self.source.meta)


def source_details(meta: SourceMeta) -> str | None:
    """Where and when a source appeared (``CNN, December 5, 2016``), when known."""
    found = [d for d in (meta.venue, human_date(meta.issued)) if d]
    return ", ".join(found) if found else None


def source_record(source_id: str, sha256: str, cited: int) -> str:
    """``Source <id>, sha256 <first 12>, cited <n> time(s).``"""
    times = "time" if cited == 1 else "times"
    return f"Source {source_id}, sha256 {sha256[:12]}, cited {cited} {times}."


def safe_url(meta: SourceMeta) -> str | None:
    """The source's URL when it is ``http(s)`` (the only links any exporter makes)."""
    url = meta.url
    return url if url and _SAFE_URL.match(url) else None


@attrs.frozen
class TitleBlock:
    title: str
    subtitle: str | None
    author: str | None
    date: str | None  # ISO
    date_text: str | None  # human


@attrs.frozen
class HeadingBlock:
    level: int  # 1 for top-level sections
    text: str
    path: tuple[str, ...]
    anchor: str  # stable id, e.g. "sec-2-1"
    role: Literal["section", "key_points", "sources"] = "section"


@attrs.frozen
class ParagraphBlock:
    sentences: tuple[PlannedSentence, ...]


@attrs.frozen
class ListBlock:
    items: tuple[PlannedSentence, ...]
    role: Literal["bullets", "key_points"] = "bullets"


@attrs.frozen
class QuoteBlock:
    sentence: PlannedSentence
    attribution: str | None


@attrs.frozen
class SourcesBlock:
    entries: tuple[SourceEntry, ...]


#: The kind of block a sentence stands in.
BlockRole: TypeAlias = Literal["key_point", "paragraph", "list", "quote"]

Block: TypeAlias = (
    TitleBlock | HeadingBlock | ParagraphBlock | ListBlock | QuoteBlock | SourcesBlock
)

R = TypeVar("R")


class PlanVisitor(Generic[R]):
    """Dispatch on block type: ``visit(block)`` calls ``visit_<ClassName>(block)``.

    Subclasses implement the methods for the blocks they render; a missing one raises
    ``NotImplementedError`` naming it, so a new block kind is never silently dropped.
    """

    def visit(self, block: Block) -> R:
        method = getattr(self, f"visit_{type(block).__name__}", None)
        if method is None:
            raise NotImplementedError(f"{type(self).__name__} has no visit_{type(block).__name__}")
        result: R = method(block)
        return result

    def walk(self, plan: NotePlan) -> list[R]:
        return [self.visit(block) for block in plan.blocks]


def _segments(
    sent: Sentence, cited: tuple[CitedExcerpt, ...], *, bare_quote: bool = False
) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for part in sent.parts:
        if isinstance(part, str):
            # adjacent pieces of author text are one run: "a\r" + "\nb" holds one line break
            if out and out[-1].kind == "text":
                out[-1] = Segment("text", out[-1].text + part)
            elif part:
                out.append(Segment("text", part))
        elif isinstance(part, Quote):
            # an inline quote is one of the sentence's citations, whose position is resolved
            pos = next(c.position for c in cited if c.excerpt == part)
            shown = quote_text(part.text, pos.prefix, pos.suffix, bare=bare_quote)
            if part.speaker and not bare_quote:
                out.append(Segment("text", f"{part.speaker} {LABELS['said']} "))
            out.append(Segment("quote", shown, part))
        elif isinstance(part, Figure):
            out.append(Segment("figure", part.rendered, part))
    return tuple(out)


def _lone_long_quote(par: Paragraph) -> Quote | None:
    if len(par.sentences) != 1:
        return None
    sent = par.sentences[0]
    quotes = [p for p in sent.parts if isinstance(p, Quote)]
    rest = "".join(p for p in sent.parts if isinstance(p, str))
    if (
        len(quotes) == 1
        and len(sent.parts) <= 2
        and not rest.strip(" .,;:")
        and not sent.analysis
        and len(quotes[0].text) >= BLOCK_QUOTE_MIN
    ):
        return quotes[0]
    return None


@attrs.frozen
class NotePlan:
    """The laid-out brief with numbered notes. Build with :meth:`build`."""

    brief: Brief
    blocks: tuple[Block, ...]
    sentences: tuple[PlannedSentence, ...]
    notes: tuple[Note, ...]
    sources: tuple[SourceEntry, ...]
    style: CitationStyle = attrs.field(eq=False, repr=False)

    @classmethod
    def build(cls, brief: Brief, *, style: CitationStyle | None = None) -> NotePlan:
        """Validate ``brief`` (raising one error listing every problem) and lay it out."""
        brief.validate()
        return _Planner(brief, style or CitationStyle()).run()

    def note(self, number: int) -> Note:
        return self.notes[number - 1]


class _Planner:
    def __init__(self, brief: Brief, style: CitationStyle) -> None:
        self.brief = brief
        self.style = style
        self.blocks: list[Block] = []
        self.sentences: list[PlannedSentence] = []
        self.notes: list[Note] = []
        self.cited_sources: dict[str, Source] = {}
        self.counts: dict[str, int] = {}
        self.first_note: dict[str, int | None] = {}
        self.numbers: tuple[int, ...] = ()
        self.explicit_ids = {s.id for _, _, s in brief.walk() if s.id is not None}

    def run(self) -> NotePlan:
        brief = self.brief

        date_text = human_date(brief.date)
        self.blocks.append(
            TitleBlock(brief.title, brief.subtitle, brief.author, brief.date, date_text)
        )
        if brief.key_points:
            self.blocks.append(
                HeadingBlock(1, LABELS["key_points"], (), "key-points", role="key_points")
            )
            items = tuple(
                self.plan(s, (), Place.key_point(i), "key_point")
                for i, s in enumerate(brief.key_points, 1)
            )
            self.blocks.append(ListBlock(items, role="key_points"))
        for n, sec in enumerate(brief.sections, 1):
            self.section(sec, (), (n,))
        entries = tuple(
            SourceEntry(src, self.counts[sid], self.first_note[sid])
            for sid, src in self.cited_sources.items()
        )
        if brief.sources_appendix and entries:
            self.blocks.append(HeadingBlock(1, LABELS["sources"], (), "sources", role="sources"))
            self.blocks.append(SourcesBlock(entries))
        return NotePlan(
            brief=brief,
            blocks=tuple(self.blocks),
            sentences=tuple(self.sentences),
            notes=tuple(self.notes),
            sources=entries,
            style=self.style,
        )

    def section(self, sec: Section, path: tuple[str, ...], numbers: tuple[int, ...]) -> None:
        here = (*path, sec.heading)
        self.numbers = numbers
        anchor = "sec-" + "-".join(map(str, numbers))
        self.blocks.append(HeadingBlock(len(here), sec.heading, here, anchor))
        for b, block in enumerate(sec.blocks, 1):
            if isinstance(block, Paragraph):
                lone = _lone_long_quote(block)
                if lone is not None:
                    sent = block.sentences[0]
                    as_block = BlockQuote(lone, cites=sent.cites, id=sent.id)
                    self.quote_block(as_block, here, Place.in_section(here, b, "paragraph", 1))
                    continue
                self.blocks.append(
                    ParagraphBlock(
                        tuple(
                            self.plan(s, here, Place.in_section(here, b, "paragraph", i))
                            for i, s in enumerate(block.sentences, 1)
                        )
                    )
                )
            elif isinstance(block, BulletList):
                self.blocks.append(
                    ListBlock(
                        tuple(
                            self.plan(s, here, Place.in_section(here, b, "list", i), "list")
                            for i, s in enumerate(block.items, 1)
                        )
                    )
                )
            else:
                self.quote_block(block, here, Place.in_section(here, b, "block quote"))
        for k, sub in enumerate(sec.subsections, 1):
            self.section(sub, here, (*numbers, k))

    def quote_block(self, block: BlockQuote, path: tuple[str, ...], place: Place) -> None:
        planned = self.plan(block.as_sentence(), path, place, "quote", bare_quote=True)
        speaker = block.quote.speaker
        self.blocks.append(QuoteBlock(planned, speaker))

    def plan(
        self,
        sent: Sentence,
        path: tuple[str, ...],
        place: Place,
        block: BlockRole = "paragraph",
        *,
        bare_quote: bool = False,
    ) -> PlannedSentence:
        index = len(self.sentences) + 1
        sid = sent.id if sent.id is not None else f"s{index}"
        cited = tuple(CitedExcerpt(c, c.position()) for c in sent.citations)
        note: int | None = None
        if cited:
            note = len(self.notes) + 1
            parts: list[str] = []
            for c in cited:
                src = c.excerpt.source
                first = src.id not in self.cited_sources
                if first:
                    self.cited_sources[src.id] = src
                    self.first_note[src.id] = note
                    self.counts[src.id] = 0
                self.counts[src.id] += 1
                parts.append(self.style.citation(src, c.position, first=first))
            text = self.style.note(parts)
            refs = [(r.source_id, r.start, r.end) for r in parse_note(text)]
            if refs != [(c.excerpt.source.id, c.excerpt.start, c.excerpt.end) for c in cited]:
                raise ValidationError(
                    [
                        Problem(
                            "style-unparseable",
                            f"the citation style {type(self.style).__name__} wrote note "
                            f"{note} as {text!r}, which does not read back as its citations "
                            "(each needs its [source id, chars start–end] part, in order)",
                            place,
                        )
                    ]
                )
            self.notes.append(Note(note, sid, text, cited))
        planned = PlannedSentence(
            id=sid,
            index=index,
            note=note,
            segments=_segments(sent, cited, bare_quote=bare_quote),
            section=path,
            section_number=self.numbers if path else (),
            block=block,
            place=place,
            analysis=sent.analysis,
            citations=cited,
            several=sent.several,
            accept_numbers=sent.accept_numbers,
        )
        self.sentences.append(planned)
        return planned
