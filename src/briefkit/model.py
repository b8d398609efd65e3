"""The brief model: Brief -> Section -> blocks (Paragraph, BulletList, BlockQuote, Table,
Differences) -> Sentence.

Every object is an immutable value (attrs frozen class); lists given to constructors become
tuples. A :class:`Sentence` is a sequence of inline parts — the author's text, and
:class:`~briefkit.excerpts.Quote` / :class:`~briefkit.excerpts.Figure` excerpts whose text comes
from the source — plus further citations. Every sentence cites at least one excerpt unless it is
explicitly marked as the author's own *analysis*.

:meth:`Brief.validate` collects every problem (uncited sentences, misquotes, empty parts,
conflicting sources, duplicate ids) and raises one :class:`~briefkit.errors.ValidationError`.

The small functions at the end (:func:`sentence`, :func:`paragraph`, :func:`section` …) are the
builder layer: they read well in a script and produce the same values.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import stat
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from typing import Literal, TypeAlias

import attrs

from briefkit._claims import quote_boundary_problem, sentence_breaks, unsupported_numbers
from briefkit._text import fold, quoted_passages
from briefkit._typography import smart_quotes
from briefkit.errors import ValidationError
from briefkit.excerpts import Excerpt, Figure, Quote
from briefkit.problems import Place, Problem, errors
from briefkit.sources import Source

__all__ = [
    "SCHEMA_VERSION",
    "Align",
    "Block",
    "BlockQuote",
    "Brief",
    "BulletList",
    "Cell",
    "CrossRef",
    "Differences",
    "Emphasis",
    "Image",
    "Inline",
    "Link",
    "Paragraph",
    "Section",
    "Sentence",
    "Table",
    "analysis",
    "block_quote",
    "bullets",
    "differences",
    "em",
    "image",
    "link",
    "paragraph",
    "ref",
    "section",
    "sentence",
    "sentence_problems",
    "strong",
    "table",
]

#: Version of the model's schema (the set of node and excerpt kinds); bumped on any change.
#: 2 added tables, the table of differences and a figure's measure; 3 emphasis and links.
SCHEMA_VERSION = 3


@attrs.frozen
class CrossRef:
    """A reference to a section, table or table of differences of the brief by its ``id``,
    shown as the brief's language names it: ``Table 2``, or a section's heading in quotation
    marks (``“Costs”``; headings are not numbered). It is the library's wording, not a claim:
    it needs no citation, and the number in ``Table 2`` is not checked against the spans.

    With ``page=True`` a format with pages adds the page its target starts on, in the brief's
    language (``Table 2 on page 4``): the PDF after laying the document out, DOCX as a
    ``PAGEREF`` field that Word and LibreOffice compute. Formats without pages (HTML,
    Markdown) show the reference alone."""

    target: str
    page: bool = False

    @property
    def text(self) -> str:
        """How messages show it before it is resolved: ``→target``."""
        return f"→{self.target}"


@attrs.frozen
class Emphasis:
    """The author's words in italics, or in bold with ``strong=True`` (Markdown ``*…*`` and
    ``**…**``). Only the author's own text can be emphasised: a quotation is an
    :class:`~briefkit.excerpts.Quote`, which is always shown as its source has it. The text is
    one line that neither starts nor ends with white space."""

    text: str
    strong: bool = False


@attrs.frozen
class Link:
    """A link to a web page: the author's words ``label`` (or, without one, the address
    itself) leading to ``url``, an ``http``, ``https`` or ``mailto`` address of printable
    ASCII characters. An address shown as itself is not prose: the misquote, number and
    sentence checks read it as they read an excerpt."""

    url: str
    label: str | None = None

    @property
    def text(self) -> str:
        """The words shown: the label, or the address."""
        return self.url if self.label is None else self.label


Inline: TypeAlias = str | Quote | Figure | CrossRef | Emphasis | Link

#: the addresses a :class:`Link` may lead to (printable ASCII, no quotation marks, spaces,
#: angle brackets or backslashes: safe in every format's markup)
_URL_CHAR = r"[!#-;=?-\[\]_a-z~]"
LINK_URL = re.compile(
    rf"(?:https?://{_URL_CHAR}+|mailto:{_URL_CHAR}+@{_URL_CHAR}+)\Z", re.IGNORECASE
)

# Sentence ids double as anchors (DOCX bookmarks allow 40 characters of [A-Za-z0-9_]).
_SENTENCE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,35}\Z")
_AUTO_ID = re.compile(r"s\d+\Z")
# what a CrossRef names a section or table by
_TARGET_ID = re.compile(
    r"[A-Za-z][A-Za-z0-9_-]{0,63}\Z"
)  # the note plan numbers unnamed sentences s1, s2 …
_PLACEHOLDER = "\ufffc"  # stands for an embedded excerpt in the misquote check
# a lone surrogate: a str can hold one, no output format can (UTF-8 and XML refuse it)
_SURROGATE = re.compile("[\ud800-\udfff]")
#: a decimal digit, as :func:`~briefkit._claims.unsupported_numbers` reads numbers
_DIGIT = re.compile(r"\d")


def surrogate_problem(text: object) -> str | None:
    """What is wrong when ``text`` holds a lone surrogate (U+D800–U+DFFF): where the first
    is and how many there are; None otherwise (and for anything not text)."""
    if not isinstance(text, str):
        return None
    m = _SURROGATE.search(text)
    if m is None:
        return None
    count = len(_SURROGATE.findall(text))
    more = f" (and {count - 1} more)" if count > 1 else ""
    return (
        f"a lone surrogate U+{ord(m.group()):04X} at character {m.start()}{more}: it is not a "
        "Unicode character, and no output format can store it"
    )


_INLINE = (str, Quote, Figure, CrossRef, Emphasis, Link)


def _inline_tuple(parts: Iterable[Inline] | Inline) -> tuple[Inline, ...]:
    if isinstance(parts, _INLINE):
        return (parts,)
    out = tuple(parts)
    for part in out:
        if not isinstance(part, _INLINE):
            raise TypeError(
                "a sentence part must be text, a Quote, a Figure, a CrossRef, an Emphasis or "
                f"a Link, not {type(part).__name__}"
            )
    return out


def prose(part: Inline) -> str | None:
    """The author's words of a sentence part: its text for plain text, emphasis and a
    labelled link; None for an excerpt, a cross-reference and an address shown as itself."""
    if isinstance(part, str):
        return part
    if isinstance(part, Emphasis):
        return part.text
    if isinstance(part, Link) and part.label is not None:
        return part.label
    return None


def _str_tuple(items: Iterable[str]) -> tuple[str, ...]:
    out = (items,) if isinstance(items, str) else tuple(items)
    for item in out:
        if not isinstance(item, str):
            raise TypeError(f"expected text, not {type(item).__name__}")
    return out


def _excerpt_tuple(cites: Iterable[Excerpt] | Excerpt | None) -> tuple[Excerpt, ...]:
    if cites is None:
        return ()
    if isinstance(cites, Excerpt):
        return (cites,)
    out = tuple(cites)
    for cite in out:
        if not isinstance(cite, Excerpt):
            raise TypeError(f"a citation must be an excerpt, not {type(cite).__name__}")
    return out


@attrs.frozen
class Sentence:
    """One sentence: inline ``parts`` plus further citations ``cites``.

    ``analysis=True`` marks the author's own analysis, which may stand without a citation and
    is visibly marked in every output. ``id`` is optional; the note plan numbers sentences
    ``s1``, ``s2`` … in reading order when it is not given.

    A sentence is one grammatical sentence: text that holds several is refused unless
    ``several=True`` lets them share the citations. Numbers the author writes must occur in a
    cited span (else a warning); ``accept_numbers`` lists those the author vouches for.
    """

    parts: tuple[Inline, ...] = attrs.field(converter=_inline_tuple)
    cites: tuple[Excerpt, ...] = attrs.field(default=(), converter=_excerpt_tuple)
    analysis: bool = False
    id: str | None = None
    several: bool = False
    accept_numbers: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    @property
    def citations(self) -> tuple[Excerpt, ...]:
        """Inline excerpts in order, then ``cites``; each excerpt once."""
        found = [item for item in (*self.parts, *self.cites) if isinstance(item, Excerpt)]
        if len(found) < 2:
            return tuple(found)  # most sentences cite one excerpt: nothing to hash
        # excerpts are hashable values: a dict keeps the first of each, in order, in linear time
        return tuple(dict.fromkeys(found))


def _sentence_tuple(items: Iterable[Sentence]) -> tuple[Sentence, ...]:
    out = tuple(items)
    for item in out:
        if not isinstance(item, Sentence):
            raise TypeError(f"expected a Sentence, not {type(item).__name__}")
    return out


@attrs.frozen
class Paragraph:
    """A paragraph of sentences."""

    sentences: tuple[Sentence, ...] = attrs.field(converter=_sentence_tuple)


@attrs.frozen
class BulletList:
    """A bulleted list; each item is one sentence."""

    items: tuple[Sentence, ...] = attrs.field(converter=_sentence_tuple)


@attrs.frozen
class BlockQuote:
    """A long quotation set as a block; ``cites`` adds citations beyond the quote itself."""

    quote: Quote
    cites: tuple[Excerpt, ...] = attrs.field(default=(), converter=_excerpt_tuple)
    id: str | None = None

    def as_sentence(self) -> Sentence:
        return Sentence((self.quote,), cites=self.cites, id=self.id)


#: A column's alignment.
Align: TypeAlias = Literal["left", "center", "right"]
_ALIGNS = ("left", "center", "right")

#: A table cell: a sentence, or a label (text that claims nothing: a row's name in the first
#: column, or ``""`` for an empty cell).
Cell: TypeAlias = str | Sentence


def _cell_rows(rows: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    out = []
    for row in rows:
        if isinstance(row, str | Sentence):
            raise TypeError("a table row must be a sequence of cells, not a single cell")
        cells = tuple(row)
        for cell in cells:
            if not isinstance(cell, str | Sentence):
                raise TypeError(
                    f"a table cell must be text or a Sentence, not {type(cell).__name__}"
                )
        out.append(cells)
    return tuple(out)


@attrs.frozen
class Table:
    """A table: a ``caption``, a ``header`` row of column labels, and body ``rows`` of cells.

    A body cell is a :class:`Sentence` with its own citations or figures (or marked as
    analysis), or text in the first column that names the row; any other cell holding text
    would be a claim without a source, and is refused (``""`` leaves a cell empty). Notes from
    cells are numbered in reading order, row by row. ``align`` gives each column's alignment
    (``left``, ``center`` or ``right``; left when not given). Tables are numbered in reading
    order; the caption is shown as ``Table 2. <caption>`` in the brief's language. ``id``
    lets a :class:`CrossRef` refer to it."""

    caption: str
    header: tuple[str, ...] = attrs.field(converter=_str_tuple)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_cell_rows)
    align: tuple[Align, ...] = attrs.field(default=(), converter=_str_tuple)
    #: what a :class:`CrossRef` names it by
    id: str | None = attrs.field(default=None, kw_only=True)

    def alignment(self, column: int) -> Align:
        """The alignment of 0-based ``column``."""
        return self.align[column] if column < len(self.align) else "left"


@attrs.frozen
class Differences:
    """Where the table of the figures the sources disagree on stands.

    For each measure (:attr:`~briefkit.excerpts.Figure.measure`) whose cited figures
    disagree, the table lists every value with the source that gives it, the source's date
    and a note citing the value's span. Without this block, ``Brief(differences=True)``
    places the table in a section of its own after the last section."""

    caption: str | None = None
    #: what a :class:`CrossRef` names it by
    id: str | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class Image:
    """An image (PNG or JPEG ``data``, embedded as it is) with ``alt`` text for readers who
    cannot see it and a ``caption`` sentence that cites where the image comes from (or is
    marked as analysis). Images are numbered in reading order and captioned ``Figure 2.`` in
    the brief's language; the manifest records the bytes' sha256, and verify checks the image
    every output embeds. ``id`` lets a :class:`CrossRef` refer to it; ``name`` is the file name
    a Markdown output links to (``figure-2.png`` when not given)."""

    data: bytes = attrs.field(repr=False)
    alt: str
    caption: Sentence
    id: str | None = attrs.field(default=None, kw_only=True)
    name: str | None = attrs.field(default=None, kw_only=True)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def from_file(
        cls,
        path: str | os.PathLike[str],
        *,
        alt: str,
        caption: Sentence,
        id: str | None = None,
    ) -> Image:
        """The image in the regular file at ``path`` (at most
        :data:`~briefkit._images.MAX_IMAGE_BYTES`); an unreadable file is a
        :class:`~briefkit.errors.SourceError` naming it."""
        from briefkit._images import MAX_IMAGE_BYTES
        from briefkit.errors import SourceError

        where = os.fspath(path)
        try:
            fd = os.open(where, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            raise SourceError(f"{where!r}: cannot read the image: {exc.strerror}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise SourceError(f"{where!r}: an image must be a regular file")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(MAX_IMAGE_BYTES + 1)
        except OSError as exc:
            raise SourceError(f"{where!r}: cannot read the image: {exc.strerror}") from None
        finally:
            os.close(fd)
        if len(data) > MAX_IMAGE_BYTES:
            raise SourceError(f"{where!r}: the image is over {MAX_IMAGE_BYTES} bytes")
        return cls(data, alt, caption, id=id, name=os.path.basename(where))


Block: TypeAlias = Paragraph | BulletList | BlockQuote | Table | Differences | Image


def _block_tuple(items: Iterable[Block]) -> tuple[Block, ...]:
    out = tuple(items)
    for item in out:
        if not isinstance(item, Paragraph | BulletList | BlockQuote | Table | Differences | Image):
            raise TypeError(
                f"a section holds Paragraph, BulletList, BlockQuote, Table, Differences or "
                f"Image blocks, not {type(item).__name__}"
            )
    return out


def _section_tuple(items: Iterable[Section]) -> tuple[Section, ...]:
    out = tuple(items)
    for item in out:
        if not isinstance(item, Section):
            raise TypeError(f"expected a Section, not {type(item).__name__}")
    return out


@attrs.frozen
class Section:
    """A headed section: blocks first, then subsections. ``id`` lets a :class:`CrossRef`
    refer to it."""

    heading: str
    blocks: tuple[Block, ...] = attrs.field(default=(), converter=_block_tuple)
    subsections: tuple[Section, ...] = attrs.field(default=(), converter=_section_tuple)
    id: str | None = attrs.field(default=None, kw_only=True)


def _date(value: str | _dt.date | None) -> str | None:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


#: The problems of each brief object checked and still alive, by identity (see
#: :meth:`Brief.problems`): its weak reference (which drops the entry when it dies) and them.
_CHECKED: dict[int, tuple[weakref.ref[Brief], tuple[Problem, ...]]] = {}


def _numbered(place: Place, n: int) -> Place:
    """``place`` with the reading-order ``index`` ``n``: ``attrs.evolve(place, index=n)``
    spelled out (evolve is slow, and a long brief is walked sentence by sentence)."""
    return Place(
        section=place.section,
        block=place.block,
        block_kind=place.block_kind,
        item=place.item,
        key_points=place.key_points,
        column=place.column,
        index=n,
    )


@attrs.frozen
class Brief:
    """A briefing document: title block, key points, sections, and a bibliography.

    ``lang`` is the document's language (a tag such as ``de-DE``; English when ``None``): it
    sets the labels, dates and quotation marks, and the citation style's locale unless a
    style is given with its own. ``style`` names the citation style the brief asks for (a
    bundled CSL style or a ``.csl`` file; the default when ``None``). ``bibliography`` lists
    the cited sources as the style formats them; ``sources_appendix`` adds the provenance
    annex (each source's id, hash and citation count); ``smart_quotes`` turns the author's
    straight quotation marks into the language's curly ones.

    ``differences`` adds the table of the figures the sources disagree on (see
    :class:`Differences`) in a section of its own, when no section places it.
    ``accept_differences`` names the measures for which the brief may cite fewer values than
    its cited sources give (see :func:`briefkit._differences.one_sided`). ``contents`` adds a
    table of contents after the title block: every heading, in order (with its page number
    where the format has pages)."""

    title: str
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_section_tuple)
    key_points: tuple[Sentence, ...] = attrs.field(default=(), converter=_sentence_tuple)
    subtitle: str | None = None
    author: str | None = None
    date: str | None = attrs.field(default=None, converter=_date)
    sources_appendix: bool = False
    bibliography: bool = True
    smart_quotes: bool = True
    lang: str | None = None
    style: str | None = None
    differences: bool = False
    accept_differences: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    contents: bool = False

    def walk(self) -> Iterator[tuple[Place, tuple[str, ...], Sentence]]:
        """Every sentence in reading order as ``(place, section path, sentence)``; each place
        carries the sentence's reading-order ``index``."""
        for n, (place, path, sent) in enumerate(self._walk(), 1):
            yield _numbered(place, n), path, sent

    def _walk(self) -> Iterator[tuple[Place, tuple[str, ...], Sentence]]:
        for i, point in enumerate(self.key_points, 1):
            yield Place.key_point(i), (), point

        def visit(
            sec: Section, path: tuple[str, ...]
        ) -> Iterator[tuple[Place, tuple[str, ...], Sentence]]:
            path = (*path, sec.heading)
            for b, block in enumerate(sec.blocks, 1):
                if isinstance(block, Paragraph):
                    for s, sent in enumerate(block.sentences, 1):
                        yield Place.in_section(path, b, "paragraph", s), path, sent
                elif isinstance(block, BulletList):
                    for s, sent in enumerate(block.items, 1):
                        yield Place.in_section(path, b, "list", s), path, sent
                elif isinstance(block, Table):
                    for r, row in enumerate(block.rows, 1):
                        for c, cell in enumerate(row, 1):
                            if isinstance(cell, Sentence):
                                yield Place.in_table(path, b, r, c), path, cell
                elif isinstance(block, BlockQuote):
                    yield Place.in_section(path, b, "block quote"), path, block.as_sentence()
                elif isinstance(block, Image):
                    yield Place.in_section(path, b, "figure"), path, block.caption
            for sub in sec.subsections:
                yield from visit(sub, path)

        for sec in self.sections:
            yield from visit(sec, ())

    def sources(self) -> tuple[Source, ...]:
        """Every cited source, in order of first citation."""
        seen: dict[str, Source] = {}
        for _, _, sent in self.walk():
            for cite in sent.citations:
                seen.setdefault(cite.source.id, cite.source)
        return tuple(seen.values())

    def problems(self) -> list[Problem]:
        """Every problem of the brief, each with its place (empty when valid). Errors and
        warnings both: :meth:`validate` raises for errors only.

        A brief is immutable, all the way down, so the problems of one brief object are
        found once and remembered while it lives (loading a Markdown brief and then planning
        it checks it once)."""
        known = _CHECKED.get(id(self))
        if known is not None and known[0]() is self:
            return list(known[1])
        found = self._find_problems()
        key = id(self)
        _CHECKED[key] = (weakref.ref(self, lambda _ref: _CHECKED.pop(key, None)), tuple(found))
        return found

    def _find_problems(self) -> list[Problem]:
        found: list[Problem] = []

        def brief_problem(code: str, message: str) -> None:
            found.append(Problem(code, message, Place()))

        for field in ("title", "subtitle", "author"):
            value = getattr(self, field)
            if value is not None and not isinstance(value, str):
                brief_problem(
                    f"brief-{field}",
                    f"the brief's {field} must be text, not {type(value).__name__}",
                )
            elif (bad := surrogate_problem(value)) is not None:
                brief_problem(f"brief-{field}", f"the brief's {field} holds {bad}")
        if not isinstance(self.title, str) or not self.title.strip():
            brief_problem("brief-title", "the brief has an empty title")
        if self.date is not None and not isinstance(self.date, str):
            brief_problem("brief-date", f"brief date {self.date!r} must be an ISO date string")
        elif self.date is not None:
            try:
                _dt.date.fromisoformat(self.date)
            except ValueError:
                brief_problem(
                    "brief-date", f"brief date {self.date!r} is not an ISO date (YYYY-MM-DD)"
                )
        if not self.sections and not self.key_points:
            brief_problem("brief-empty", "the brief has no key points and no sections")

        targets: dict[str, Place] = {}

        def target(value: object, where: Place) -> None:
            if value is None:
                return
            if not isinstance(value, str) or not _TARGET_ID.match(value):
                found.append(
                    Problem(
                        "bad-id",
                        f"id {_shown_id(value)} must start with a letter and use only ASCII "
                        "letters, digits, '_' and '-' (64 characters at most)",
                        where,
                    )
                )
            elif value in targets:
                found.append(
                    Problem("duplicate-id", f"id {value!r} is also used at {targets[value]}", where)
                )
            else:
                targets[value] = where

        def check_sections(sections: tuple[Section, ...], path: tuple[str, ...]) -> None:
            for sec in sections:
                here = (*path, sec.heading)
                where = Place.in_section(here)
                target(sec.id, where)
                if not isinstance(sec.heading, str) or not sec.heading.strip():
                    found.append(Problem("empty-heading", "the heading is empty", where))
                elif (bad := surrogate_problem(sec.heading)) is not None:
                    found.append(Problem("surrogate", f"the heading holds {bad}", where))
                if not sec.blocks and not sec.subsections:
                    found.append(Problem("empty-section", "the section is empty", where))
                for b, block in enumerate(sec.blocks, 1):
                    if isinstance(block, Paragraph) and not block.sentences:
                        found.append(
                            Problem(
                                "empty-block",
                                "the paragraph has no sentences",
                                Place.in_section(here, b, "paragraph"),
                            )
                        )
                    if isinstance(block, BulletList) and not block.items:
                        found.append(
                            Problem(
                                "empty-block",
                                "the list has no items",
                                Place.in_section(here, b, "list"),
                            )
                        )
                    if isinstance(block, Table):
                        found.extend(table_problems(block, here, b))
                        target(block.id, Place.in_table(here, b))
                    if isinstance(block, Differences):
                        placed.append(Place.in_section(here, b))
                        target(block.id, Place.in_section(here, b))
                    if isinstance(block, Image):
                        found.extend(image_problems(block, Place.in_section(here, b, "figure")))
                        target(block.id, Place.in_section(here, b, "figure"))
                check_sections(sec.subsections, here)

        placed: list[Place] = []
        check_sections(self.sections, ())
        for where in placed[1:]:
            found.append(
                Problem(
                    "duplicate-differences",
                    f"the table of differences is placed twice (first at {placed[0]})",
                    where,
                )
            )
        for measure in self.accept_differences:
            if (bad := surrogate_problem(measure)) is not None:
                brief_problem("brief-accept", f"an accepted measure holds {bad}")

        marks: tuple[tuple[str, str], tuple[str, str]] = (("“", "”"), ("‘", "’"))
        if self.lang is not None:
            from briefkit.errors import LocaleError
            from briefkit.locales import Locale

            try:
                locale = Locale.named(self.lang)
                marks = (locale.quotes, locale.inner_quotes)
            except LocaleError as exc:
                brief_problem("brief-lang", str(exc))
        sources: dict[str, Source] = {}
        ids: dict[str, Place] = {}
        shown_marks = marks if self.smart_quotes else None
        # the figures that name a measure, at their places (not numbered), for one_sided
        figures: list[tuple[Place, Figure]] = []
        for n, (where, _path, sent) in enumerate(self._walk(), 1):
            place = _numbered(where, n)
            citations = sent.citations
            found.extend(_sentence_problems(place, sent, shown_marks, citations))
            for part in sent.parts:
                if isinstance(part, CrossRef) and part.target not in targets:
                    found.append(
                        Problem(
                            "unknown-ref",
                            f"the reference {_shown_id(part.target)} names no section or "
                            "table of the brief (give the one you mean id=...)",
                            place,
                        )
                    )
            if sent.id is not None:
                if not isinstance(sent.id, str) or not _SENTENCE_ID.match(sent.id):
                    found.append(
                        Problem(
                            "bad-id",
                            f"sentence id {_shown_id(sent.id)} must start with a letter and "
                            "use only ASCII letters, digits and '_' (36 characters at most)",
                            place,
                        )
                    )
                elif _AUTO_ID.match(sent.id):
                    found.append(
                        Problem(
                            "reserved-id",
                            f"sentence id {sent.id!r} has the form reserved for automatic "
                            "ids (s1, s2 …)",
                            place,
                        )
                    )
                elif sent.id in ids:
                    found.append(
                        Problem(
                            "duplicate-id",
                            f"sentence id {sent.id!r} is also used at {ids[sent.id]}",
                            place,
                        )
                    )
                else:
                    ids[sent.id] = place
            for cite in citations:
                known = sources.setdefault(cite.source.id, cite.source)
                if known is not cite.source and known != cite.source:
                    found.append(
                        Problem(
                            "source-conflict",
                            f"cites source {cite.source.id!r} with sha256 "
                            f"{cite.source.sha256[:12]}…, but another citation uses a different "
                            f"{cite.source.id!r} (sha256 {known.sha256[:12]}…)",
                            place,
                        )
                    )
                if isinstance(cite, Figure) and cite.measure is not None:
                    figures.append((where, cite))
        from briefkit._differences import one_sided

        # the figures and sources as this walk found them: one_sided need not walk again
        found.extend(one_sided(self, cited=(figures, sources)))
        return found

    def validate(self) -> Brief:
        """Raise :class:`~briefkit.errors.ValidationError` listing every error; return self.
        Warnings (see :meth:`problems`) do not raise."""
        problems = errors(self.problems())
        if problems:
            raise ValidationError(problems)
        return self


def image_problems(img: Image, where: Place) -> list[Problem]:
    """The problems of an image: bytes that are no PNG or JPEG (or too large), no alt text,
    a caption that is not a sentence (its citations are checked as every sentence's are)."""
    from briefkit._images import ImageError, image_info

    found: list[Problem] = []
    if not isinstance(img.data, bytes):
        found.append(Problem("image", "the image's data must be bytes", where))
    else:
        try:
            image_info(img.data)
        except ImageError as exc:
            found.append(Problem("image", str(exc), where))
    if not isinstance(img.alt, str) or not img.alt.strip():
        found.append(Problem("image-alt", "the image has no alt text (say what it shows)", where))
    elif (bad := surrogate_problem(img.alt)) is not None:
        found.append(Problem("surrogate", f"the image's alt text holds {bad}", where))
    if not isinstance(img.caption, Sentence):
        found.append(Problem("image-caption", "the image's caption must be a Sentence", where))
    if img.name is not None and (
        not isinstance(img.name, str) or not re.fullmatch(r"[\w.-]{1,100}", img.name)
    ):
        found.append(Problem("image-name", "the image's name must be a plain file name", where))
    return found


def table_problems(tab: Table, path: tuple[str, ...], block: int) -> list[Problem]:
    """The problems of a table's shape and labels (its cell sentences are checked as every
    sentence is)."""
    found: list[Problem] = []
    where = Place.in_table(path, block)

    def problem(code: str, message: str, place: Place = where) -> None:
        found.append(Problem(code, message, place))

    if not isinstance(tab.caption, str) or not tab.caption.strip():
        problem("table-caption", "the table has no caption")
    elif (bad := surrogate_problem(tab.caption)) is not None:
        problem("surrogate", f"the table's caption holds {bad}")
    width = len(tab.header)
    if not width:
        problem("table-shape", "the table has no header row (name each column)")
    for c, label in enumerate(tab.header, 1):
        if (bad := surrogate_problem(label)) is not None:
            problem("surrogate", f"the column label holds {bad}", Place.in_table(path, block, 0, c))
    bad_align = [a for a in tab.align if a not in _ALIGNS]
    if bad_align:
        problem("table-align", f"column alignment {bad_align[0]!r} is not one of {_ALIGNS}")
    elif tab.align and len(tab.align) != width:
        problem("table-align", f"the table aligns {len(tab.align)} columns but has {width}")
    if not tab.rows:
        problem("empty-block", "the table has no rows")
    cited = False
    for r, row in enumerate(tab.rows, 1):
        if len(row) != width and width:
            problem(
                "table-shape",
                f"the row has {len(row)} cells, the header {width}",
                Place.in_table(path, block, r),
            )
        for c, cell in enumerate(row, 1):
            here = Place.in_table(path, block, r, c)
            if isinstance(cell, Sentence):
                cited = True
            elif (bad := surrogate_problem(cell)) is not None:
                problem("surrogate", f"the cell holds {bad}", here)
            elif c > 1 and cell.strip():
                problem(
                    "uncited-cell",
                    f"the cell {_shorten(cell)} is text that cites no excerpt; make it a "
                    "sentence with a citation, mark it as analysis, or leave it empty (only "
                    "the first column names rows)",
                    here,
                )
    if tab.rows and not cited:
        problem("uncited-table", "no cell of the table is a sentence that cites an excerpt")
    return found


def _snippet(sent: Sentence) -> str:
    text = "".join(p if isinstance(p, str) else p.text for p in sent.parts)
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:59] + "…")


def sentence_problems(
    place: Place, sent: Sentence, marks: tuple[tuple[str, str], tuple[str, str]] | None = None
) -> list[Problem]:
    """The problems of one sentence (empty, uncited, misquotes …), each at ``place``.
    ``marks`` (quotation marks, inner quotation marks) are the ones the author's straight
    quotation marks become when shown: the misquote and several-sentences checks read the
    sentence as shown."""
    return _sentence_problems(place, sent, marks, sent.citations)


def _sentence_problems(
    place: Place,
    sent: Sentence,
    marks: tuple[tuple[str, str], tuple[str, str]] | None,
    citations: tuple[Excerpt, ...],
) -> list[Problem]:
    """:func:`sentence_problems`, given the sentence's ``citations`` (which validation reads
    again after it)."""
    found: list[Problem] = []
    if not sent.parts or all(isinstance(p, str) and not p.strip() for p in sent.parts):
        found.append(Problem("empty-sentence", "the sentence is empty", place))
        return found
    for k, piece in enumerate(sent.parts, 1):
        if isinstance(piece, str) and (piece.isascii() or not _SURROGATE.search(piece)):
            continue  # most parts: the author's text, nothing to report
        typed: str | None = piece if isinstance(piece, str) else None
        what = "its text"
        if isinstance(piece, Quote):
            typed, what = piece.speaker, "the speaker of its quotation"
        elif isinstance(piece, Figure):
            typed, what = piece.unit, "the unit of its figure"
        elif isinstance(piece, Emphasis | Link):
            typed = prose(piece)
        if (bad := surrogate_problem(typed)) is not None:
            found.append(
                Problem(
                    "surrogate",
                    f"sentence {_snippet(sent)}: part {k} ({what}) holds {bad}; remove it",
                    place,
                )
            )
        elif isinstance(piece, Emphasis | Link) and (bad := _inline_problem(piece)):
            code = "bad-link" if isinstance(piece, Link) else "bad-emphasis"
            found.append(Problem(code, f"sentence {_snippet(sent)}: part {k} {bad}", place))
    if not citations and not sent.analysis:
        found.append(
            Problem(
                "uncited",
                f"sentence {_snippet(sent)} cites no excerpt; cite one or mark it as analysis",
                place,
            )
        )
    joined = "".join(
        p if isinstance(p, str) else _PLACEHOLDER if (text := prose(p)) is None else text
        for p in sent.parts
    )
    if marks is not None:
        joined = smart_quotes(joined, *marks)
    if not sent.several:
        breaks = sentence_breaks(joined)
        if breaks:
            rest = joined[breaks[0] :].replace(_PLACEHOLDER, "…")
            found.append(
                Problem(
                    "several-sentences",
                    f"sentence {_snippet(sent)} holds more than one sentence (another starts "
                    f"at {_shorten(rest)}); give each its own citation, or pass several=True "
                    "to let them share",
                    place,
                )
            )
    for k, part in enumerate(citations, 1):
        if isinstance(part, Quote) and not part.partial:
            cut = quote_boundary_problem(part.source.text, part.start, part.end)
            if cut is not None:
                found.append(
                    Problem(
                        "cut-word",
                        f"citation {k}: {cut}; quote whole words, or pass partial=True to "
                        "show the cut with an ellipsis",
                        place,
                        citation=k,
                    )
                )
    # the cited texts are read only for a check that has something to compare: a number the
    # author wrote, or words in quotation marks
    cited: list[str] | None = None
    if citations and not sent.analysis and _DIGIT.search(joined):
        cited = [c.text for c in citations]
        for number in unsupported_numbers(joined, cited):
            if number not in sent.accept_numbers:
                found.append(
                    Problem(
                        "unsupported-number",
                        f"the number {number!r} occurs in none of the spans the sentence "
                        "cites (accept it with accept_numbers= if it is right)",
                        place,
                        severity="warning",
                        subject=number,
                    )
                )
    passages = quoted_passages(joined)
    if cited is None and passages:
        cited = [c.text for c in citations]
    for typed in _misquoted(passages, cited or []):
        found.append(
            Problem(
                "misquote",
                f"misquote: the quoted words {typed!r} do not occur in any span the sentence "
                "cites (embed a Quote excerpt instead of typing them)",
                place,
            )
        )
    return found


def _inline_problem(part: Emphasis | Link) -> str | None:
    """What is wrong with an emphasis or a link, as the end of a sentence; None if nothing."""
    if isinstance(part, Link):
        if not isinstance(part.url, str) or not LINK_URL.match(part.url):
            return (
                f"links to {_shown_id(part.url)}: a link leads to an http, https or mailto "
                "address of printable ASCII characters, without spaces, quotation marks or "
                "angle brackets"
            )
        if part.label is None:
            return None
        text, what = part.label, "link text"
    else:
        text, what = part.text, "emphasised text"
    if not isinstance(text, str):
        return f"has {what} that is {type(text).__name__}, not text"
    if not text.strip():
        return f"has empty {what}"
    if isinstance(part, Link) and not any(_stands_alone(ch) for ch in text):
        return (
            f"has {what} {text[:40]!r} of combining marks or invisible characters only, "
            "which no reader can click or see; give it a letter, digit or sign of its own"
        )
    if text != text.strip():
        return f"has {what} {text[:40]!r} that starts or ends with white space; leave it out"
    if any(ch in text for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return f"has {what} {_shorten(text)} that breaks a line; keep it on one line"
    return None


def _stands_alone(ch: str) -> bool:
    """Whether ``ch`` is drawn as a character of its own: not white space, a combining mark
    (which sits on the character before it) or an invisible format character."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Me", "Cf")


def _shown_id(value: object) -> str:
    return _shorten(value) if isinstance(value, str) else repr(value)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def misquoted(joined: str, cited: list[str]) -> list[str]:
    """The words an author typed inside quotation marks in ``joined`` (the sentence with
    each embedded excerpt as U+FFFC) that occur in none of the ``cited`` texts. Spans are
    folded only when there are quotation marks to check."""
    return _misquoted(quoted_passages(joined), cited)


def _misquoted(passages: list[tuple[int, int, str]], cited: list[str]) -> list[str]:
    """:func:`misquoted`, given the sentence's ``passages`` in quotation marks
    (:func:`~briefkit._text.quoted_passages`)."""
    if not passages:
        return []
    folded_spans = [fold(text) for text in cited]
    bad: list[str] = []
    for _s, _e, inner in passages:
        for typed in inner.split(_PLACEHOLDER):
            needle = fold(typed).strip()
            if needle and not any(needle in span for span in folded_spans):
                bad.append(typed.strip())
    return bad


# -- builder layer ---------------------------------------------------------------------------


def sentence(
    *parts: Inline,
    cite: Excerpt | Iterable[Excerpt] | None = None,
    id: str | None = None,
    several: bool = False,
    accept_numbers: Iterable[str] = (),
) -> Sentence:
    """``sentence("Carter said ", quote, ".", cite=paraphrase)``."""
    return Sentence(
        parts,
        cites=_excerpt_tuple(cite),
        id=id,
        several=several,
        accept_numbers=tuple(accept_numbers),
    )


def analysis(
    *parts: Inline,
    cite: Excerpt | Iterable[Excerpt] | None = None,
    id: str | None = None,
    several: bool = False,
) -> Sentence:
    """A sentence of the author's own analysis (citations optional, marked in every output)."""
    return Sentence(parts, cites=_excerpt_tuple(cite), analysis=True, id=id, several=several)


def table(
    caption: str,
    header: Iterable[str],
    *rows: Iterable[Cell],
    align: Iterable[Align] = (),
    id: str | None = None,
) -> Table:
    """``table("Troops", ["Source", "Troops"], ["CNN", sentence(cnn_figure)], align=...)``."""
    return Table(caption, tuple(header), rows, align=tuple(align), id=id)


def image(
    data: bytes | str | os.PathLike[str],
    *,
    alt: str,
    caption: Sentence,
    id: str | None = None,
) -> Image:
    """An image from bytes or a file: ``image("map.png", alt="…", caption=sentence(...))``."""
    if isinstance(data, bytes):
        return Image(data, alt, caption, id=id)
    return Image.from_file(data, alt=alt, caption=caption, id=id)


def differences(caption: str | None = None, *, id: str | None = None) -> Differences:
    """Place the table of the figures the sources disagree on here."""
    return Differences(caption, id=id)


def paragraph(*sentences: Sentence) -> Paragraph:
    return Paragraph(sentences)


def bullets(*items: Sentence) -> BulletList:
    return BulletList(items)


def block_quote(
    quote: Quote, *, cite: Excerpt | Iterable[Excerpt] | None = None, id: str | None = None
) -> BlockQuote:
    return BlockQuote(quote, cites=_excerpt_tuple(cite), id=id)


def section(heading: str, *content: Block | Section, id: str | None = None) -> Section:
    """``section("Heading", paragraph(...), bullets(...), section("Sub", ...))``: blocks in
    order, subsections after them; ``id`` names it for a :func:`ref`."""
    blocks: list[Block] = []
    subs: list[Section] = []
    for item in content:
        if isinstance(item, Section):
            subs.append(item)
        elif subs:
            raise TypeError(
                f"section {heading!r}: blocks must come before subsections "
                f"(a {type(item).__name__} follows subsection {subs[-1].heading!r})"
            )
        else:
            blocks.append(item)
    return Section(heading, blocks=_block_tuple(blocks), subsections=tuple(subs), id=id)


def em(text: str) -> Emphasis:
    """The author's words in italics: ``sentence("It was ", em("not"), " agreed.", cite=…)``."""
    return Emphasis(text)


def strong(text: str) -> Emphasis:
    """The author's words in bold."""
    return Emphasis(text, strong=True)


def link(url: str, text: str | None = None) -> Link:
    """A link to ``url`` shown as ``text`` (the author's words) or, without it, as the
    address itself."""
    return Link(url, text)


def ref(target: str, *, page: bool = False) -> CrossRef:
    """A reference to the section, table, image or table of differences whose ``id`` is
    ``target``: ``sentence("See ", ref("troops"), ".", cite=...)`` reads ``See Table 2.``;
    with ``page=True``, ``See Table 2 on page 4.`` where the format has pages."""
    return CrossRef(target, page=page)
