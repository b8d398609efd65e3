"""The note plan: one validated, laid-out view of a brief that every exporter renders.

:meth:`NotePlan.build` validates the brief, renders every sentence to text segments, numbers
the footnotes in reading order (one note per cited sentence) and words them with a
:class:`~briefkit.notes.CitationStyle`. Exporters walk :attr:`NotePlan.blocks` — a flat
sequence of block records — usually through a :class:`PlanVisitor`, so DOCX, PDF, Markdown, HTML
and the manifest carry the same numbers and the same note texts.

Direction isolation: a piece of source or metadata text that holds an explicit direction control
(U+202A–U+202E, U+2066–U+2069) is shown isolated (:func:`briefkit._typography.isolate`:
wrapped in U+2068 … U+2069, with whatever it leaves open closed inside), so that it cannot
reverse or disguise the library's words after it — a note's source id and span, a note mark.
Text without such characters is shown exactly as before. Here that is each inline quotation
(the isolate's controls are segments of the library's own words around the quotation
segment, which itself reads exactly as the source words; the opening control stands before
``Carter said, `` when the quotation has a speaker) and the speaker's name in
:func:`said`; the citation style isolates titles, names and other metadata in notes and the
bibliography (:mod:`briefkit.styles._csl`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Generic, Literal, TypeAlias, TypeVar

import attrs

from briefkit._claims import PLACEHOLDER, quote_text, sentence_breaks
from briefkit._locators import locator_for
from briefkit._typography import drop_doubled_stop, isolate, isolation, smart_quotes_pieces
from briefkit.errors import ValidationError
from briefkit.excerpts import Excerpt, Figure, Quote
from briefkit.locales import Locale
from briefkit.model import (
    Align,
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
    misquoted,
)
from briefkit.notes import CitationStyle, Cite, Locator
from briefkit.problems import Place, Problem
from briefkit.sources import Source, SourceMeta
from briefkit.spans import Position

__all__ = [
    "BLOCK_QUOTE_MIN",
    "BibEntry",
    "BibliographyBlock",
    "Block",
    "CitedExcerpt",
    "ContentsBlock",
    "ContentsEntry",
    "HeadingBlock",
    "ImageBlock",
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
    "TableBlock",
    "TableCell",
    "TitleBlock",
    "byline",
    "figure_label",
    "figure_ref",
    "page_ref",
    "section_ref",
    "table_ref",
]

#: A paragraph that is one sentence made of one Quote this long (code points) or longer is set
#: as a block quote.
BLOCK_QUOTE_MIN = 300

_SAFE_URL = re.compile(r"https?://[!#-;=?-\[\]_a-z~]+\Z", re.IGNORECASE)  # printable ASCII only


@attrs.frozen
class Segment:
    """A run of rendered sentence text. ``kind`` is ``text`` (the author's words), ``quote``
    (source words in quotation marks, or bare inside a block quote) or ``figure``."""

    kind: Literal["text", "quote", "figure"]
    text: str
    excerpt: Excerpt | None = attrs.field(default=None, eq=False)
    #: the library's own words (``Carter said, ``), not the author's
    library: bool = attrs.field(default=False, eq=False)
    #: for a cross-reference (library text): the anchor of what it names (``table-2``)
    ref: str | None = attrs.field(default=None, eq=False)
    #: for a cross-reference: whether a format with pages adds the page (:func:`page_ref`)
    page: bool = attrs.field(default=False, eq=False)
    #: the author's emphasis of text: ``em`` (italics) or ``strong`` (bold)
    style: Literal["em", "strong"] | None = None
    #: for a link: the address it leads to (a :data:`~briefkit.model.LINK_URL`)
    href: str | None = None

    @property
    def prose(self) -> bool:
        """Whether this is the author's words: text that is neither the library's wording
        nor a link's address shown as itself."""
        return self.kind == "text" and not self.library and self.text != self.href


@attrs.frozen
class CitedExcerpt:
    """An excerpt with its resolved position (bytes, lines, context) and its locator (the
    page, section or lines its note names)."""

    excerpt: Excerpt
    position: Position
    locator: Locator


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

    @property
    def runs(self) -> tuple[Segment, ...]:
        """The segments as a writer shows them one after another: a CR LF line break split
        between two segments (author text ending in CR, the next segment starting with LF)
        is one line break, so the LF is left out of the second."""
        out: list[Segment] = []
        for seg in self.segments:
            if out and out[-1].text.endswith("\r") and seg.text.startswith("\n"):
                seg = attrs.evolve(seg, text=seg.text[1:])
            out.append(seg)
        return tuple(out)


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
    locale: Locale = attrs.field(factory=lambda: Locale.named("en-US"), eq=False, repr=False)

    @property
    def title(self) -> str:
        """The source's title as the appendix shows it, isolated
        (:func:`~briefkit._typography.isolate`) from the words that follow it."""
        return isolate(self.source.title)

    @property
    def details(self) -> str | None:
        """Where and when it appeared (``CNN, December 5, 2016``), when known, in the
        brief's language."""
        return source_details(self.source.meta, self.locale)

    @property
    def record(self) -> str:
        """``Source <id>, sha256 <first 12>, cited <n> time(s).``"""
        return source_record(self.source.id, self.source.sha256, self.citations)

    @property
    def url(self) -> str | None:
        """The source's URL when it is ``http(s)`` (the only links any exporter makes)."""
        return safe_url(self.source.meta)


def source_details(meta: SourceMeta, locale: Locale | None = None) -> str | None:
    """Where and when a source appeared (``CNN, December 5, 2016``), when known; the venue
    isolated (:func:`~briefkit._typography.isolate`) from the date after it."""
    date = (locale or Locale.named("en-US")).date(meta.issued)
    found = [d for d in (isolate(meta.venue) if meta.venue else None, date) if d]
    return ", ".join(found) if found else None


def source_record(source_id: str, sha256: str, cited: int) -> str:
    """``Source <id>, sha256 <first 12>, cited <n> time(s).`` (an id is of ASCII letters,
    digits, ``.``, ``_``, ``-`` and ``/``: it holds no direction control)."""
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

    @property
    def byline(self) -> str | None:
        """The author and the date as the title block shows them (see :func:`byline`)."""
        return byline(self.author, self.date_text)


def byline(author: str | None, date_text: str | None) -> str | None:
    """``<author> · <date>`` (either alone when the other is missing, ``None`` when both
    are), the author's name isolated (:func:`~briefkit._typography.isolate`) so that a
    direction control in it cannot run on into the date."""
    shown = " · ".join(x for x in (isolate(author) if author else None, date_text) if x)
    return shown or None


@attrs.frozen
class HeadingBlock:
    level: int  # 1 for top-level sections
    text: str
    path: tuple[str, ...]
    anchor: str  # stable id, e.g. "sec-2-1"
    role: Literal["section", "key_points", "bibliography", "sources"] = "section"


@attrs.frozen
class ContentsEntry:
    """A heading as the table of contents lists it: its text isolated
    (:func:`~briefkit._typography.isolate`), so that a direction control in it cannot run on
    into the page number a format with pages sets after it."""

    level: int
    text: str
    anchor: str


@attrs.frozen
class ContentsBlock:
    """The table of contents (after the title block, when the brief asks for one): its
    ``label`` (``Contents`` in the brief's language) and every heading that follows, in
    order. A format with pages adds each heading's page number."""

    label: str
    entries: tuple[ContentsEntry, ...]


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
class TableCell:
    """A table cell: a planned sentence, or a label (``text``; ``""`` for an empty cell)."""

    text: str = ""
    sentence: PlannedSentence | None = None

    @property
    def shown(self) -> str:
        """The cell's text as rendered (no note mark)."""
        return self.sentence.text if self.sentence is not None else self.text


@attrs.frozen
class TableBlock:
    """A numbered table: ``caption`` (the author's words; formats show it after the
    ``table`` label in the brief's language, :meth:`label`), the header row's labels, the
    body rows and each column's alignment. ``generated`` marks the table of differences."""

    number: int
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    align: tuple[Align, ...]
    anchor: str  # "table-2"
    generated: bool = False

    def label(self, locale: Locale) -> str:
        """The caption as shown: ``Table 2. <caption>`` in ``locale``'s language."""
        return table_caption(locale, self.number, self.caption)


@attrs.frozen
class ImageBlock:
    """A numbered image: its bytes (embedded as they are), type, size in pixels, sha256, alt
    text and caption sentence, shown after the label :meth:`label` (``Figure 2.``). ``name``
    is the file name a format that links images (Markdown) writes it to."""

    number: int
    data: bytes = attrs.field(repr=False)
    media_type: str
    width: int
    height: int
    sha256: str
    alt: str
    caption: PlannedSentence
    anchor: str  # "figure-2"
    name: str

    def label(self, locale: Locale) -> str:
        """The caption's label: ``Figure 2.`` in ``locale``'s language."""
        return figure_label(locale, self.number)


def figure_label(locale: Locale, number: int) -> str:
    """An image caption's label as every format shows it before the caption: ``Figure 2.``"""
    return locale.labels["figure_label"].format(number=number)


def figure_ref(locale: Locale, number: int) -> str:
    """A cross-reference to an image as shown: ``Figure 2``."""
    return locale.labels["figure_ref"].format(number=number)


def section_ref(locale: Locale, heading: str) -> str:
    """A cross-reference to a section as shown: its heading in quotation marks (``“Costs”``;
    headings are not numbered)."""
    return f"{locale.quotes[0]}{isolate(heading)}{locale.quotes[1]}"


def page_ref(locale: Locale, shown: str, page: str) -> str:
    """A cross-reference with the page its target starts on, as a format with pages shows
    it: ``Table 2 on page 4`` (``shown`` is the reference as every format shows it,
    ``page`` the page's number as printed)."""
    return locale.labels["page_ref"].format(ref=shown, page=page)


def table_ref(locale: Locale, number: int) -> str:
    """A cross-reference to a table as shown: ``Table 2``."""
    return locale.labels["table_ref"].format(number=number)


def _targets(brief: Brief, locale: Locale) -> dict[str, tuple[str, str]]:
    """What each id a cross-reference may name shows, with its anchor: sections and tables
    numbered as the planner numbers them (a table of differences counts only when it has
    rows)."""
    from briefkit._differences import disagreements
    from briefkit.excerpts import Figure

    known: list[bool] = []

    def disputed() -> bool:
        # read the whole brief's figures only for a brief that places the table
        if not known:
            known.append(
                bool(
                    disagreements(
                        (place, cite)
                        for place, _path, sent in brief._walk()
                        for cite in sent.citations
                        if isinstance(cite, Figure)
                    )
                )
            )
        return known[0]

    out: dict[str, tuple[str, str]] = {}
    tables = 0
    images = 0
    placed = False

    def visit(sec: Section, numbers: tuple[int, ...]) -> None:
        nonlocal tables, images, placed
        if sec.id is not None:
            out[sec.id] = ("sec-" + "-".join(map(str, numbers)), section_ref(locale, sec.heading))
        for block in sec.blocks:
            if isinstance(block, Image):
                images += 1
                if block.id is not None:
                    out[block.id] = (f"figure-{images}", figure_ref(locale, images))
            if isinstance(block, Table) or (isinstance(block, Differences) and disputed()):
                tables += 1
                if block.id is not None:
                    out[block.id] = (f"table-{tables}", table_ref(locale, tables))
            if isinstance(block, Differences):
                placed = True
        for k, sub in enumerate(sec.subsections, 1):
            visit(sub, (*numbers, k))

    for n, sec in enumerate(brief.sections, 1):
        visit(sec, (n,))
    return out


def table_caption(locale: Locale, number: int, caption: str) -> str:
    """A table's caption as every format shows it: ``Table 2. <caption>``."""
    return locale.labels["table_caption"].format(number=number, caption=caption)


@attrs.frozen
class SourcesBlock:
    """The provenance annex: each cited source's id, hash and citation count."""

    entries: tuple[SourceEntry, ...]


@attrs.frozen
class BibEntry:
    """A bibliography entry as the citation style writes it."""

    source_id: str
    text: str
    url: str | None = None


@attrs.frozen
class BibliographyBlock:
    """The cited sources as the citation style lists them (after a heading block that reads
    ``label``)."""

    label: str
    entries: tuple[BibEntry, ...]


#: The kind of block a sentence stands in.
BlockRole: TypeAlias = Literal["key_point", "paragraph", "list", "quote", "cell", "caption"]

Block: TypeAlias = (
    TitleBlock
    | ContentsBlock
    | HeadingBlock
    | ParagraphBlock
    | ListBlock
    | QuoteBlock
    | TableBlock
    | ImageBlock
    | BibliographyBlock
    | SourcesBlock
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
    sent: Sentence,
    cited: tuple[CitedExcerpt, ...],
    locale: Locale,
    *,
    bare_quote: bool = False,
    smart: bool = True,
    targets: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for part in sent.parts:
        if isinstance(part, CrossRef):
            resolved = (targets or {}).get(part.target)
            if resolved is not None:  # else the planner reports it
                out.append(
                    Segment("text", resolved[1], library=True, ref=resolved[0], page=part.page)
                )
        elif isinstance(part, str):
            # adjacent pieces of author text are one run: "a\r" + "\nb" holds one line break
            last = out[-1] if out else None
            if last is not None and last.prose and last.style is None and last.href is None:
                out[-1] = Segment("text", last.text + part)
            elif part:
                out.append(Segment("text", part))
        elif isinstance(part, Emphasis):
            out.append(Segment("text", part.text, style="strong" if part.strong else "em"))
        elif isinstance(part, Link):
            out.append(Segment("text", part.text, href=part.url))
        elif isinstance(part, Quote):
            # an inline quote is one of the sentence's citations, whose position is resolved
            pos = next(c.position for c in cited if c.excerpt is part or c.excerpt == part)
            marks = None if bare_quote else locale.quotes
            shown = quote_text(part.text, pos.prefix, pos.suffix, marks=marks)
            # a block quote is one quotation and nothing else, in a block of its own
            head, tail = ("", "") if bare_quote else isolation(shown)
            if head:
                out.append(Segment("text", head, library=True))
            if part.speaker and not bare_quote:
                out.append(Segment("text", said(part.speaker, locale), library=True))
            out.append(Segment("quote", shown, part))
            if tail:
                out.append(Segment("text", tail, library=True))
        elif isinstance(part, Figure):
            out.append(Segment("figure", part.rendered, part))
    return _typeset(out, locale, smart=smart)


def said(speaker: str, locale: Locale) -> str:
    """The words before a quotation with a speaker: ``Carter said, `` (``カーターは述べた：``
    in languages written without spaces). The speaker's name is isolated
    (:func:`~briefkit._typography.isolate`) when it holds direction controls."""
    speaker = isolate(speaker)
    if locale.lang in ("ja", "zh"):
        return f"{speaker}{locale.labels['said']}"
    return f"{speaker} {locale.labels['said']} "


def author_text(segments: Sequence[tuple[str, str, bool]]) -> str:
    """The author's words of a sentence as shown, each quotation, figure and piece of the
    library's wording standing as U+FFFC: what the misquote and several-sentences checks
    read, in the plan and in verify alike. ``segments`` are ``(kind, text, library)``."""
    return "".join(
        text if kind == "text" and not library else PLACEHOLDER for kind, text, library in segments
    )


def _display_problems(
    sent: Sentence, segments: tuple[Segment, ...], cited: tuple[CitedExcerpt, ...], place: Place
) -> list[Problem]:
    """What typesetting could change about the validation of a sentence: the quotations and
    sentence breaks of its words as shown (with curly quotation marks)."""
    joined = author_text([(s.kind, s.text, not s.prose) for s in segments])
    found = [
        Problem(
            "misquote",
            f"misquote: the quoted words {typed!r}, as shown with the language's quotation "
            "marks, do not occur in any span the sentence cites",
            place,
        )
        for typed in misquoted(joined, [c.position.exact for c in cited])
    ]
    if not sent.several and sentence_breaks(joined):
        found.append(
            Problem(
                "several-sentences",
                "the sentence, as shown with the language's quotation marks, holds more than "
                "one sentence; pass several=True or split it",
                place,
            )
        )
    return found


def _typeset(segments: list[Segment], locale: Locale, *, smart: bool) -> tuple[Segment, ...]:
    """The author's words as printed: straight quotation marks made curly (when ``smart``),
    and no full stop doubled after a quotation that ends with one.

    The quotation marks are decided over the sentence's author text as a whole, every other
    segment standing as U+FFFC — the text validation reads — so that the sentence shown is
    the sentence validated."""
    for seg in segments:
        if seg.kind == "quote" or (smart and ('"' in seg.text or "'" in seg.text) and seg.prose):
            break
    else:
        # no straight quotation mark to make curly, no quotation to double a full stop
        return tuple(segments)
    author = [seg.prose for seg in segments]
    texts = [seg.text for seg in segments]
    if smart and not any(PLACEHOLDER in t for t, a in zip(texts, author, strict=True) if a):
        pieces = [t if a else PLACEHOLDER for t, a in zip(texts, author, strict=True)]
        texts = smart_quotes_pieces(pieces, locale.quotes, locale.inner_quotes)
    out: list[Segment] = []
    for k, seg in enumerate(segments):
        if author[k]:
            text = texts[k]
            before = k - 1
            if before > 0 and segments[before].library and segments[before - 1].kind == "quote":
                before -= 1  # the controls that close an isolated quotation
            if before >= 0 and segments[before].kind == "quote":
                text = drop_doubled_stop(segments[before].text, text)
            if text == seg.text:
                out.append(seg)
            elif text:
                out.append(attrs.evolve(seg, text=text))
        else:
            out.append(seg)
    return tuple(out)


def _lone_long_quote(par: Paragraph) -> Quote | None:
    if len(par.sentences) != 1:
        return None
    sent = par.sentences[0]
    quotes = [p for p in sent.parts if isinstance(p, Quote)]
    rest = "".join(p for p in sent.parts if isinstance(p, str))
    if (
        len(quotes) == 1
        and all(isinstance(p, str | Quote) for p in sent.parts)
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
    #: ``(source id, entry)`` as the style lists the cited sources
    bibliography: tuple[tuple[str, str], ...] = ()

    @property
    def tables(self) -> tuple[TableBlock, ...]:
        """The tables, in reading order."""
        return tuple(b for b in self.blocks if isinstance(b, TableBlock))

    @property
    def images(self) -> tuple[ImageBlock, ...]:
        """The images, in reading order."""
        return tuple(b for b in self.blocks if isinstance(b, ImageBlock))

    @classmethod
    def build(
        cls,
        brief: Brief,
        *,
        style: CitationStyle | str | Path | None = None,
        locale: str | None = None,
        ibid: bool = False,
        show_spans: bool = False,
    ) -> NotePlan:
        """Validate ``brief`` (raising one error listing every problem) and lay it out.

        ``style`` is a :class:`~briefkit.notes.CitationStyle`, or the name or file of a CSL
        style; by default the style the brief names, else ``briefkit-notes``. For a style
        given by name, ``locale`` overrides the brief's language for notes, labels and dates,
        ``ibid`` lets a repeated source read "Ibid.", and ``show_spans`` prints the audit
        reference ``[source id, chars start–end]`` after every citation."""
        brief.validate()
        chosen = resolve_style(brief, style, locale=locale, ibid=ibid, show_spans=show_spans)
        return _Planner(brief, chosen).run()

    @property
    def locale(self) -> Locale:
        """The language of labels, dates and quotation marks (the style's)."""
        return self.style.locale

    @property
    def labels(self) -> Mapping[str, str]:
        """The fixed wording (``key_points``, ``analysis``, ``notes`` …) in the brief's
        language."""
        return self.style.locale.labels

    def note(self, number: int) -> Note:
        return self.notes[number - 1]


def resolve_style(
    brief: Brief,
    style: CitationStyle | str | Path | None,
    *,
    locale: str | None = None,
    ibid: bool = False,
    show_spans: bool = False,
) -> CitationStyle:
    """The citation style for ``brief``: ``style`` itself, or the CSL style it names (in the
    brief's language unless ``locale`` is given), or the style the brief names, or the
    default."""
    if isinstance(style, CitationStyle):
        return style
    from briefkit.styles import DEFAULT_STYLE, CslStyle

    return CslStyle(
        style or brief.style or DEFAULT_STYLE,
        locale=locale or brief.lang,
        ibid=ibid,
        show_spans=show_spans,
    )


class _Planner:
    def __init__(self, brief: Brief, style: CitationStyle) -> None:
        self.brief = brief
        self.style = style
        self.locale = style.locale
        self.blocks: list[Block] = []
        self.sentences: list[PlannedSentence] = []
        self.cites: list[tuple[str, tuple[CitedExcerpt, ...]]] = []
        self.cited_sources: dict[str, Source] = {}
        self.counts: dict[str, int] = {}
        self.first_note: dict[str, int | None] = {}
        self.numbers: tuple[int, ...] = ()
        self.problems: list[Problem] = []
        self.tables = 0
        self.images = 0
        self.differences_placed = False
        self.targets = _targets(brief, self.locale)
        # validation read the author's words with the brief's own quotation marks; only a
        # style in another language shows them differently and needs them read again
        validated = Locale.named(brief.lang) if brief.lang else Locale.named("en-US")
        self.check_display = brief.smart_quotes and (
            (validated.quotes, validated.inner_quotes)
            != (self.locale.quotes, self.locale.inner_quotes)
        )

    def run(self) -> NotePlan:
        brief = self.brief
        labels = self.locale.labels
        date_text = self.locale.date(brief.date)
        self.blocks.append(
            TitleBlock(brief.title, brief.subtitle, brief.author, brief.date, date_text)
        )
        if brief.key_points:
            self.blocks.append(
                HeadingBlock(1, labels["key_points"], (), "key-points", role="key_points")
            )
            items = tuple(
                self.plan(s, (), Place.key_point(i), "key_point")
                for i, s in enumerate(brief.key_points, 1)
            )
            self.blocks.append(ListBlock(items, role="key_points"))
        for n, sec in enumerate(brief.sections, 1):
            self.section(sec, (), (n,))
        if brief.differences and not self.differences_placed:
            heading = labels["differences"]
            self.differences_section(heading, (len(brief.sections) + 1,))
        if self.problems:
            raise ValidationError(self.problems)
        texts = self.style.notes(
            [[Cite(c.excerpt.source, c.position, c.locator) for c in cs] for _, cs in self.cites]
        )
        notes = tuple(
            Note(n, sid, text, cs)
            for n, ((sid, cs), text) in enumerate(zip(self.cites, texts, strict=True), 1)
        )
        entries = tuple(
            SourceEntry(src, self.counts[sid], self.first_note[sid], self.locale)
            for sid, src in self.cited_sources.items()
        )
        bibliography = tuple(self.style.bibliography(list(self.cited_sources.values())))
        if brief.bibliography and bibliography:
            label = self.style.bibliography_label
            self.blocks.append(HeadingBlock(1, label, (), "bibliography", role="bibliography"))
            self.blocks.append(
                BibliographyBlock(
                    self.style.bibliography_label,
                    tuple(
                        BibEntry(sid, text, safe_url(self.cited_sources[sid].meta))
                        for sid, text in bibliography
                    ),
                )
            )
        if brief.sources_appendix and entries:
            self.blocks.append(HeadingBlock(1, labels["provenance"], (), "sources", role="sources"))
            self.blocks.append(SourcesBlock(entries))
        if brief.contents:
            listed = tuple(
                ContentsEntry(b.level, isolate(b.text), b.anchor)
                for b in self.blocks
                if isinstance(b, HeadingBlock)
            )
            self.blocks.insert(1, ContentsBlock(labels["contents"], listed))
        return NotePlan(
            brief=brief,
            blocks=tuple(self.blocks),
            sentences=tuple(self.sentences),
            notes=notes,
            sources=entries,
            style=self.style,
            bibliography=bibliography,
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
            elif isinstance(block, Table):
                self.table(block, here, b)
            elif isinstance(block, Differences):
                self.differences(block.caption, here, b)
            elif isinstance(block, Image):
                self.image(block, here, b)
            else:
                self.quote_block(block, here, Place.in_section(here, b, "block quote"))
        for k, sub in enumerate(sec.subsections, 1):
            self.section(sub, here, (*numbers, k))

    def table(self, tab: Table, path: tuple[str, ...], b: int) -> None:
        self.tables += 1
        rows = tuple(
            tuple(
                TableCell(sentence=self.plan(cell, path, Place.in_table(path, b, r, c), "cell"))
                if isinstance(cell, Sentence)
                else TableCell(cell)
                for c, cell in enumerate(row, 1)
            )
            for r, row in enumerate(tab.rows, 1)
        )
        align = tuple(tab.alignment(c) for c in range(len(tab.header)))
        self.blocks.append(
            TableBlock(self.tables, tab.caption, tab.header, rows, align, f"table-{self.tables}")
        )

    def image(self, img: Image, path: tuple[str, ...], b: int) -> None:
        from briefkit._images import image_info

        self.images += 1
        info = image_info(img.data)  # validated: it is an image
        caption = self.plan(img.caption, path, Place.in_section(path, b, "figure"), "caption")
        ext = ".png" if info.media_type == "image/png" else ".jpg"
        self.blocks.append(
            ImageBlock(
                number=self.images,
                data=img.data,
                media_type=info.media_type,
                width=info.width,
                height=info.height,
                sha256=img.sha256,
                alt=img.alt,
                caption=caption,
                anchor=f"figure-{self.images}",
                name=img.name or f"figure-{self.images}{ext}",
            )
        )

    def differences(self, caption: str | None, path: tuple[str, ...], b: int) -> None:
        """The table of the figures the sources disagree on (nothing when they agree)."""
        from briefkit._differences import disagreements
        from briefkit.excerpts import Figure

        self.differences_placed = True
        cited = [
            (place, cite)
            for place, _path, sent in self.brief.walk()
            for cite in sent.citations
            if isinstance(cite, Figure)
        ]
        disputed = disagreements(cited)
        if not disputed:
            return
        labels = self.locale.labels
        self.tables += 1
        rows: list[tuple[TableCell, ...]] = []
        for item in disputed:
            for k, given in enumerate(item.values):
                fig = given.figure
                place = Place.in_table(path, b, len(rows) + 1, 2)
                value = self.plan(Sentence((fig,)), path, place, "cell")
                meta = fig.source.meta
                rows.append(
                    (
                        TableCell(isolate(item.measure) if k == 0 else ""),
                        TableCell(sentence=value),
                        TableCell(isolate(fig.source.title)),
                        TableCell(self.locale.date(meta.issued) or ""),
                    )
                )
        header = (labels["measure"], labels["value"], labels["source"], labels["date"])
        self.blocks.append(
            TableBlock(
                self.tables,
                caption or labels["differences"],
                header,
                tuple(rows),
                ("left", "right", "left", "left"),
                f"table-{self.tables}",
                generated=True,
            )
        )

    def differences_section(self, heading: str, numbers: tuple[int, ...]) -> None:
        """The section that holds the table of differences when no section places it (none
        when the figures agree)."""
        here = (heading,)
        self.numbers = numbers
        start = len(self.blocks)
        self.blocks.append(HeadingBlock(1, heading, here, "sec-" + "-".join(map(str, numbers))))
        self.differences(None, here, 1)
        if len(self.blocks) == start + 1:
            self.blocks.pop()

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
        cited = tuple(
            CitedExcerpt(c, pos, locator_for(c.source, pos))
            for c in sent.citations
            for pos in (c.position(),)
        )
        note: int | None = None
        if cited:
            note = len(self.cites) + 1
            for c in cited:
                src = c.excerpt.source
                if src.id not in self.cited_sources:
                    self.cited_sources[src.id] = src
                    self.first_note[src.id] = note
                    self.counts[src.id] = 0
                self.counts[src.id] += 1
            self.cites.append((sid, cited))
        segments = _segments(
            sent,
            cited,
            self.locale,
            bare_quote=bare_quote,
            smart=self.brief.smart_quotes,
            targets=self.targets,
        )
        if self.check_display:
            self.problems.extend(_display_problems(sent, segments, cited, place))
        for part in sent.parts:
            if isinstance(part, CrossRef) and part.target not in self.targets:
                self.problems.append(
                    Problem(
                        "unknown-ref",
                        f"the reference {part.target!r} names the table of differences, which "
                        "is not shown: the brief's figures of each measure agree",
                        place,
                    )
                )
        planned = PlannedSentence(
            id=sid,
            index=index,
            note=note,
            segments=segments,
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
