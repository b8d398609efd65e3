"""The provenance manifest: a versioned JSON record of where every sentence comes from.

Public field names (other tools read them; none is renamed without a version bump)::

    {"schema": "briefkit.provenance", "version": 4, "generator": "briefkit X.Y.Z",
     "brief":   {"title", "subtitle", "author", "date", "sources_appendix", "bibliography",
                 "smart_quotes", "citation_style", "style_class", "style_sha256", "locale", "ibid",
                 "show_spans", "contents"},
     "sources": [{"id", "sha256", "size", "bom", "title", "meta": {CSL-JSON fields}, "cited",
                  "reader": {"name", "version", ["options"], ["library"]}, "text_sha256",
                  "locations": {"pages": [[start, label]], "sections": [[start, label]],
                                "paragraphs"}, ["path"]}],
     "bibliography": [{"source", "text"}],
     "sentences": [{"id", "note", "text", "section": [...], "section_number": [...], "block",
                    "analysis", "place", "note_text",
                    "parts": [{"kind": "text"|"quote"|"figure", "text", "citation", ["ref"],
                               ["page"], ["style"], ["href"]}],
                    "citations": [{"kind", "source", "start", "end", "byte_start", "byte_end",
                                   "line_start", "line_end", "column_start", "column_end",
                                   "exact", "prefix", "suffix", "locator": {"label", "first",
                                   "last"}, ["speaker", "partial"], ["value", "unit",
                                   "measure"]}]}],
     "tables": [{"number", "caption", "section": [...], "section_number": [...], "generated",
                 "header": [...], "align": [...], "rows": [[{"text"} | {"sentence"}]]}],
     "images": [{"number", "sha256", "media_type", "width", "height", "alt", "name",
                 "caption", "section": [...], "section_number": [...]}]}

A sentence's ``parts`` are its rendered text in pieces: the author's words, each
cross-reference (a text part with the ``ref`` anchor it names: ``table-2``, ``sec-3-1``;
``page: true`` when a format with pages adds the page it leads to, which ``text`` leaves out), the
author's emphasised words (``style``: ``em`` or ``strong``), each link (``href``: its address;
a link whose text is its address is not the author's prose), and
each inline quotation or figure with the index of its citation, so that verify can check that
the text shows exactly what was cited. ``block`` is ``key_point``, ``paragraph``, ``list``,
``quote`` or ``cell`` (a table cell); ``section_number`` numbers the section path (``[2, 1]``);
``title`` is the source's title as notes name it; ``citation_style`` names the style that
wrote ``note_text`` (with the sha256 of its CSL file, its ``locale`` and options), so verify
can write every note again;
``bibliography`` lists the entries the style wrote for the cited sources, in its order; each
citation's ``locator`` is the page, section or line(s) its note prints.

A source's ``reader`` says which source reader (:mod:`briefkit.readers`) made its canonical
text, with its version, options and library; ``text_sha256`` is the sha256 of that text, so
that verify notices a reader that now extracts other text from the same file; ``locations`` is
the map the reader made (where each page and section begins, and whether paragraphs are
named) and ``path`` the file's path under the sources folder when it is not the id.

Each table records its number, caption, the section it stands in, its header row, each
column's alignment and its body rows, row by row: a cell is a label (``{"text": …}``, ``""``
when empty) or names the sentence it holds (``{"sentence": id}``). Every ``cell`` sentence
stands in exactly one cell, and the cell sentences are listed in the tables' reading order.
``generated`` marks the table of differences (a figure's ``measure`` names what it measures).

Each image records its number, the sha256 of its bytes (which every output embeds as they
are), media type, size in pixels, alt text, file name, the id of its caption sentence (whose
``block`` is ``caption``) and the section it stands in.

Version 5 (this one) added a part's ``style``, ``href`` and ``page``. Version 4 added ``tables``,
``images``, the brief's ``contents`` flag, the ``cell`` and ``caption`` blocks, a figure's
``measure`` and a part's ``ref``. Version 3 added
``reader``, ``text_sha256``, ``locations`` and ``path``, and
requires the first three. Version 2 added the style's record, ``bibliography`` and
``locator`` (version 1 notes printed their spans, version 2 notes need not); a version 2
manifest is still read, every source of it read as text.

Offsets ``start``/``end`` are code points into the canonical text; ``byte_start``/``byte_end``
are UTF-8 bytes into the raw file (a BOM included) of a text or Markdown source, and into the
UTF-8 of the canonical text of a source another reader made; ``line_end``/``column_end``
locate the last character of the span. :func:`dumps` is deterministic; :func:`parse` checks
every field's type and reports the JSON path of the first bad one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from briefkit._version import __version__
from briefkit.errors import ManifestError
from briefkit.excerpts import Figure, Quote
from briefkit.model import LINK_URL
from briefkit.notes import Locator
from briefkit.plan import NotePlan, TableBlock
from briefkit.readers import Mark, ReaderRecord
from briefkit.sources import SourceMeta
from briefkit.spans import Position

__all__ = [
    "BLOCKS",
    "BRIEF_KEYS",
    "READ_VERSIONS",
    "SCHEMA",
    "VERSION",
    "Manifest",
    "ManifestCell",
    "ManifestCitation",
    "ManifestEntry",
    "ManifestImage",
    "ManifestPart",
    "ManifestSentence",
    "ManifestSource",
    "ManifestTable",
    "build",
    "dumps",
    "parse",
]

SCHEMA = "briefkit.provenance"
VERSION = 5
#: Versions :func:`parse` reads (a version 2 manifest's sources were all read as text; before
#: version 4 there were no tables).
READ_VERSIONS = (2, 3, 4, 5)

_KINDS = ("quote", "paraphrase", "figure")
_PART_KINDS = ("text", "quote", "figure")
BLOCKS = ("key_point", "paragraph", "list", "quote", "cell", "caption")
_MEDIA_TYPES = ("image/png", "image/jpeg")
_ALIGNS = ("left", "center", "right")
_ANCHOR = re.compile(r"(?:table-[1-9]\d*|figure-[1-9]\d*|sec(?:-[1-9]\d*)+)\Z")
#: The fields of ``brief``, in the order they are written.
BRIEF_KEYS = (
    "title",
    "subtitle",
    "author",
    "date",
    "sources_appendix",
    "bibliography",
    "smart_quotes",
    "citation_style",
    "style_class",
    "style_sha256",
    "locale",
    "ibid",
    "show_spans",
    "contents",
)


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _frozen_meta(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy, so a frozen manifest holds no mutable state."""
    frozen: Mapping[str, Any] = _frozen(value)
    return frozen


def _thawed(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thawed(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thawed(v) for v in value]
    return value


@attrs.frozen
class ManifestCitation:
    kind: str
    source: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    line_start: int
    line_end: int
    column_start: int
    column_end: int
    exact: str
    prefix: str
    suffix: str
    locator: Locator
    speaker: str | None = None
    value: str | None = None
    unit: str | None = None
    partial: bool = False
    measure: str | None = None

    @property
    def position(self) -> Position:
        """The recorded span as a :class:`~briefkit.spans.Position`."""
        return Position(
            self.start,
            self.end,
            self.byte_start,
            self.byte_end,
            self.line_start,
            self.column_start,
            self.line_end,
            self.column_end,
            self.exact,
            self.prefix,
            self.suffix,
        )


@attrs.frozen
class ManifestPart:
    """A piece of a sentence's rendered text; ``citation`` indexes the sentence's citations
    for an inline quotation or figure."""

    kind: Literal["text", "quote", "figure"]
    text: str
    citation: int | None = None
    #: a cross-reference's anchor (``table-2``, ``sec-3-1``): the part is the library's
    #: wording for it
    ref: str | None = None
    #: the author's emphasis: ``em`` (italics) or ``strong`` (bold)
    style: Literal["em", "strong"] | None = None
    #: a link's address
    href: str | None = None
    #: a cross-reference whose page a format with pages adds (the ``text`` leaves it out)
    page: bool = False

    @property
    def prose(self) -> bool:
        """Whether the part is the author's words (not a quotation, figure, reference or
        address shown as itself); what the misquote and sentence checks read."""
        return self.kind == "text" and self.ref is None and self.text != self.href


@attrs.frozen
class ManifestSentence:
    id: str
    note: int | None
    text: str
    section: tuple[str, ...]
    analysis: bool
    place: str
    note_text: str | None
    citations: tuple[ManifestCitation, ...]
    parts: tuple[ManifestPart, ...] = ()
    block: str = "paragraph"
    section_number: tuple[int, ...] = ()
    several: bool = False
    accepted_numbers: tuple[str, ...] = ()


@attrs.frozen
class ManifestSource:
    id: str
    sha256: str
    size: int
    bom: bool
    meta: Mapping[str, Any] = attrs.field(eq=True, hash=False, converter=_frozen_meta)
    cited: int = 0
    title: str = ""
    reader: ReaderRecord = attrs.field(factory=ReaderRecord)
    text_sha256: str | None = None
    pages: tuple[Mark, ...] = ()
    sections: tuple[Mark, ...] = ()
    paragraphs: bool = False
    path: str | None = None

    def locations_json(self) -> dict[str, Any]:
        return {
            "pages": [[m.start, m.label] for m in self.pages],
            "sections": [[m.start, m.label] for m in self.sections],
            "paragraphs": self.paragraphs,
        }

    @property
    def source_meta(self) -> SourceMeta:
        """The metadata as a :class:`~briefkit.sources.SourceMeta` (title as recorded)."""
        return SourceMeta.from_csl({**self.meta, "title": self.title or self.meta.get("title")})


@attrs.frozen
class ManifestEntry:
    """A bibliography entry as the citation style wrote it."""

    source: str
    text: str


@attrs.frozen
class ManifestCell:
    """A table cell: a label (``text``) or the id of the sentence it holds."""

    text: str = ""
    sentence: str | None = None


@attrs.frozen
class ManifestTable:
    number: int
    caption: str
    section: tuple[str, ...]
    section_number: tuple[int, ...]
    header: tuple[str, ...]
    align: tuple[str, ...]
    rows: tuple[tuple[ManifestCell, ...], ...]
    generated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "caption": self.caption,
            "section": list(self.section),
            "section_number": list(self.section_number),
            "generated": self.generated,
            "header": list(self.header),
            "align": list(self.align),
            "rows": [
                [
                    {"sentence": c.sentence} if c.sentence is not None else {"text": c.text}
                    for c in row
                ]
                for row in self.rows
            ],
        }


@attrs.frozen
class ManifestImage:
    number: int
    sha256: str
    media_type: str
    width: int
    height: int
    alt: str
    name: str
    caption: str  # the caption sentence's id
    section: tuple[str, ...]
    section_number: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
            "alt": self.alt,
            "name": self.name,
            "caption": self.caption,
            "section": list(self.section),
            "section_number": list(self.section_number),
        }


@attrs.frozen
class Manifest:
    schema: str
    version: int
    generator: str
    brief: Mapping[str, str | bool | None] = attrs.field(hash=False, converter=_frozen_meta)
    sources: tuple[ManifestSource, ...]
    sentences: tuple[ManifestSentence, ...]
    bibliography: tuple[ManifestEntry, ...] = ()
    tables: tuple[ManifestTable, ...] = ()
    images: tuple[ManifestImage, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The manifest as plain JSON data (fields in their public order)."""
        return {
            "schema": self.schema,
            "version": self.version,
            "generator": self.generator,
            "brief": {
                **{k: self.brief.get(k) for k in BRIEF_KEYS},
                **{k: v for k, v in self.brief.items() if k not in BRIEF_KEYS},
            },
            "sources": [
                {
                    "id": s.id,
                    "sha256": s.sha256,
                    "size": s.size,
                    "bom": s.bom,
                    "title": s.title,
                    "meta": _thawed(s.meta),
                    "cited": s.cited,
                    "reader": s.reader.to_json(),
                    "text_sha256": s.text_sha256,
                    "locations": s.locations_json(),
                    **({"path": s.path} if s.path is not None else {}),
                }
                for s in self.sources
            ],
            "bibliography": [{"source": e.source, "text": e.text} for e in self.bibliography],
            "sentences": [_sentence_json(s) for s in self.sentences],
            "tables": [t.to_json() for t in self.tables],
            "images": [i.to_json() for i in self.images],
        }

    def image_of(self) -> dict[str, ManifestImage]:
        """The image each caption sentence captions, by sentence id."""
        return {i.caption: i for i in self.images}

    def table_of(self) -> dict[str, ManifestTable]:
        """The table each cell sentence stands in, by sentence id."""
        return {
            c.sentence: t
            for t in self.tables
            for row in t.rows
            for c in row
            if c.sentence is not None
        }

    def citations(self) -> list[tuple[ManifestSentence, ManifestCitation]]:
        """Every citation with its sentence, in reading order."""
        return [(s, c) for s in self.sentences for c in s.citations]

    def source(self, source_id: str) -> ManifestSource | None:
        return next((s for s in self.sources if s.id == source_id), None)


def _sentence_json(s: ManifestSentence) -> dict[str, Any]:
    return {
        "id": s.id,
        "note": s.note,
        "text": s.text,
        "section": list(s.section),
        "section_number": list(s.section_number),
        "block": s.block,
        "analysis": s.analysis,
        "several": s.several,
        "accepted_numbers": list(s.accepted_numbers),
        "place": s.place,
        "note_text": s.note_text,
        "parts": [_part_json(p) for p in s.parts],
        "citations": [_citation_json(c) for c in s.citations],
    }


def _part_json(p: ManifestPart) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": p.kind, "text": p.text, "citation": p.citation}
    if p.ref is not None:
        out["ref"] = p.ref
    if p.style is not None:
        out["style"] = p.style
    if p.href is not None:
        out["href"] = p.href
    if p.page:
        out["page"] = True
    return out


def _citation_json(c: ManifestCitation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": c.kind,
        "source": c.source,
        "start": c.start,
        "end": c.end,
        "byte_start": c.byte_start,
        "byte_end": c.byte_end,
        "line_start": c.line_start,
        "line_end": c.line_end,
        "column_start": c.column_start,
        "column_end": c.column_end,
        "exact": c.exact,
        "prefix": c.prefix,
        "suffix": c.suffix,
        "locator": {"label": c.locator.label, "first": c.locator.first, "last": c.locator.last},
    }
    if c.kind == "quote":
        out["speaker"] = c.speaker
        out["partial"] = c.partial
    if c.kind == "figure":
        out["value"] = c.value
        out["unit"] = c.unit
        out["measure"] = c.measure
    return out


def build(plan: NotePlan) -> Manifest:
    """The manifest of a note plan."""
    brief = plan.brief
    notes = {n.number: n.text for n in plan.notes}
    sentences = []
    for ps in plan.sentences:
        citations = []
        for ce in ps.citations:
            ex, pos = ce.excerpt, ce.position
            citations.append(
                ManifestCitation(
                    kind=ex.kind,
                    source=ex.source.id,
                    start=pos.start,
                    end=pos.end,
                    byte_start=pos.byte_start,
                    byte_end=pos.byte_end,
                    line_start=pos.line_start,
                    line_end=pos.line_end,
                    column_start=pos.column_start,
                    column_end=pos.column_end,
                    exact=pos.exact,
                    prefix=pos.prefix,
                    suffix=pos.suffix,
                    speaker=ex.speaker if isinstance(ex, Quote) else None,
                    partial=ex.partial if isinstance(ex, Quote) else False,
                    value=ex.value if isinstance(ex, Figure) else None,
                    unit=ex.unit if isinstance(ex, Figure) else None,
                    measure=ex.measure if isinstance(ex, Figure) else None,
                    locator=ce.locator,
                )
            )
        cited = [ce.excerpt for ce in ps.citations]
        parts = tuple(
            ManifestPart(
                seg.kind,
                seg.text,
                cited.index(seg.excerpt) if seg.excerpt is not None else None,
                seg.ref,
                seg.style,
                seg.href,
                seg.page,
            )
            for seg in ps.segments
        )
        sentences.append(
            ManifestSentence(
                id=ps.id,
                note=ps.note,
                text=ps.text,
                section=ps.section,
                analysis=ps.analysis,
                place=str(ps.place),
                note_text=notes.get(ps.note) if ps.note is not None else None,
                citations=tuple(citations),
                parts=parts,
                block=ps.block,
                section_number=ps.section_number,
                several=ps.several,
                accepted_numbers=ps.accept_numbers,
            )
        )
    return Manifest(
        schema=SCHEMA,
        version=VERSION,
        generator=f"briefkit {__version__}",
        brief={
            "title": brief.title,
            "subtitle": brief.subtitle,
            "author": brief.author,
            "date": brief.date,
            "sources_appendix": brief.sources_appendix,
            "bibliography": brief.bibliography,
            "smart_quotes": brief.smart_quotes,
            "contents": brief.contents,
            "style_sha256": None,
            **plan.style.record(),
        },
        sources=tuple(
            ManifestSource(
                id=e.source.id,
                sha256=e.source.sha256,
                size=e.source.size,
                bom=e.source.bom,
                meta=e.source.meta.to_csl(),
                cited=e.citations,
                title=e.source.title,
                reader=e.source.reader,
                text_sha256=e.source.text_sha256,
                pages=e.source.pages,
                sections=e.source.sections,
                paragraphs=e.source.paragraphs,
                path=e.source.path,
            )
            for e in plan.sources
        ),
        sentences=tuple(sentences),
        bibliography=tuple(ManifestEntry(sid, text) for sid, text in plan.bibliography),
        tables=tuple(_table_record(t) for t in plan.tables),
        images=tuple(
            ManifestImage(
                number=i.number,
                sha256=i.sha256,
                media_type=i.media_type,
                width=i.width,
                height=i.height,
                alt=i.alt,
                name=i.name,
                caption=i.caption.id,
                section=i.caption.section,
                section_number=i.caption.section_number,
            )
            for i in plan.images
        ),
    )


def _table_record(t: TableBlock) -> ManifestTable:
    first = next(c.sentence for row in t.rows for c in row if c.sentence is not None)
    return ManifestTable(
        number=t.number,
        caption=t.caption,
        section=first.section,
        section_number=first.section_number,
        header=t.header,
        align=tuple(t.align),
        rows=tuple(
            tuple(
                ManifestCell(sentence=c.sentence.id)
                if c.sentence is not None
                else ManifestCell(c.text)
                for c in row
            )
            for row in t.rows
        ),
        generated=t.generated,
    )


def dumps(manifest: Manifest) -> bytes:
    """Deterministic UTF-8 JSON (2-space indent, public field order, trailing newline)."""
    return (json.dumps(manifest.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- parsing ---------------------------------------------------------------------------------


class _Reader:
    """Typed access to JSON data that names the path of any bad field."""

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        if not isinstance(data, Mapping):
            raise ManifestError(f"manifest: {path} must be an object")
        self.data = data
        self.path = path

    def _get(self, key: str, optional: bool) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise ManifestError(f"manifest: {self.path}.{key} is missing")
        return self.data[key]

    def text(self, key: str, *, optional: bool = False) -> Any:
        value = self._get(key, optional)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise ManifestError(f"manifest: {self.path}.{key} must be a string")
        return value

    def number(self, key: str, *, optional: bool = False) -> Any:
        value = self._get(key, optional)
        if value is None and optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ManifestError(f"manifest: {self.path}.{key} must be a non-negative integer")
        return value

    def flag(self, key: str, *, optional: bool = False) -> bool:
        """A true or false field; an optional one is false when it is missing."""
        if optional and key not in self.data:
            return False
        value = self._get(key, False)
        if not isinstance(value, bool):
            raise ManifestError(f"manifest: {self.path}.{key} must be true or false")
        return value

    def array(self, key: str) -> list[Any]:
        value = self._get(key, False)
        if not isinstance(value, list):
            raise ManifestError(f"manifest: {self.path}.{key} must be an array")
        return value


def _texts(items: list[Any], path: str) -> list[str]:
    if not all(isinstance(x, str) for x in items):
        raise ManifestError(f"manifest: {path}.accepted_numbers must be an array of strings")
    return items


def _parse_part(data: Any, path: str, citations: int) -> ManifestPart:
    r = _Reader(data, path)
    kind = r.text("kind")
    if kind not in _PART_KINDS:
        raise ManifestError(f"manifest: {path}.kind {kind!r} is not one of {_PART_KINDS}")
    index = r.number("citation", optional=True)
    if (kind == "text") != (index is None) or (index is not None and index >= citations):
        raise ManifestError(
            f"manifest: {path}.citation must index the sentence's citations for a quote or "
            "figure, and be null for text"
        )
    ref = r.text("ref", optional=True)
    if ref is not None and (kind != "text" or not _ANCHOR.match(ref)):
        raise ManifestError(
            f"manifest: {path}.ref must be a table, figure or section anchor, on a text part"
        )
    style = r.text("style", optional=True)
    if style is not None and (kind != "text" or style not in ("em", "strong")):
        raise ManifestError(f"manifest: {path}.style must be 'em' or 'strong', on a text part")
    href = r.text("href", optional=True)
    if href is not None and (kind != "text" or ref is not None or not LINK_URL.match(href)):
        raise ManifestError(
            f"manifest: {path}.href must be an http, https or mailto address of printable "
            "ASCII characters, on a text part that is no cross-reference"
        )
    page = r.flag("page", optional=True)
    if page and ref is None:
        raise ManifestError(f"manifest: {path}.page is true only on a cross-reference's part")
    return ManifestPart(kind, r.text("text"), index, ref, style, href, page)


def _parse_reader(data: Any, path: str) -> ReaderRecord:
    if data is None:
        return ReaderRecord()
    r = _Reader(data, path)
    options = r._get("options", True)
    if options is not None and not isinstance(options, Mapping):
        raise ManifestError(f"manifest: {path}.options must be an object")
    name = r.text("name")
    if not name:
        raise ManifestError(f"manifest: {path}.name must name a reader")
    return ReaderRecord(
        name, r.text("version"), dict(options or {}), r.text("library", optional=True)
    )


def _parse_marks(data: Any, path: str) -> tuple[Mark, ...]:
    if not isinstance(data, list):
        raise ManifestError(f"manifest: {path} must be an array of [start, label] pairs")
    marks = []
    last = -1
    for k, item in enumerate(data):
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], int)
            or isinstance(item[0], bool)
            or not isinstance(item[1], str)
            or not item[1]
            or item[0] <= last
        ):
            raise ManifestError(
                f"manifest: {path}[{k}] must be [start, label], starts growing, labels not empty"
            )
        last = item[0]
        marks.append(Mark(item[0], item[1]))
    return tuple(marks)


def _parse_locations(data: Any, path: str) -> dict[str, Any]:
    if data is None:
        return {}
    r = _Reader(data, path)
    return {
        "pages": _parse_marks(r._get("pages", False), f"{path}.pages"),
        "sections": _parse_marks(r._get("sections", False), f"{path}.sections"),
        "paragraphs": r.flag("paragraphs"),
    }


def _parse_locator(data: Any, path: str) -> Locator:
    r = _Reader(data, path)
    label = r.text("label")
    first = r.text("first")
    last = r.text("last", optional=True)
    if not label or not first or last == "":
        raise ManifestError(f"manifest: {path} needs a label and a first number")
    return Locator(label, first, last)


def _parse_citation(data: Any, path: str) -> ManifestCitation:
    r = _Reader(data, path)
    kind = r.text("kind")
    if kind not in _KINDS:
        raise ManifestError(f"manifest: {path}.kind {kind!r} is not one of {', '.join(_KINDS)}")
    citation = ManifestCitation(
        kind=kind,
        source=r.text("source"),
        start=r.number("start"),
        end=r.number("end"),
        byte_start=r.number("byte_start"),
        byte_end=r.number("byte_end"),
        line_start=r.number("line_start"),
        line_end=r.number("line_end"),
        column_start=r.number("column_start"),
        column_end=r.number("column_end"),
        exact=r.text("exact"),
        prefix=r.text("prefix"),
        suffix=r.text("suffix"),
        speaker=r.text("speaker", optional=True),
        value=r.text("value", optional=True),
        unit=r.text("unit", optional=True),
        measure=r.text("measure", optional=True),
        partial=r.flag("partial") if kind == "quote" else False,
        locator=_parse_locator(r._get("locator", False), f"{path}.locator"),
    )
    if not citation.start < citation.end:
        raise ManifestError(f"manifest: {path} has start >= end")
    if not citation.byte_start <= citation.byte_end:
        raise ManifestError(f"manifest: {path} has byte_start > byte_end")
    return citation


def parse(data: bytes | str | Mapping[str, Any]) -> Manifest:
    """Parse and check a manifest (JSON bytes, text or already-loaded data)."""
    if isinstance(data, bytes | str):
        try:
            loaded = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ManifestError(f"manifest: not valid JSON: {exc}") from None
        except RecursionError:
            raise ManifestError("manifest: JSON nested too deeply") from None
    else:
        loaded = data
    top = _Reader(loaded, "$")
    schema = top.text("schema")
    if schema != SCHEMA:
        raise ManifestError(f"manifest: schema is {schema!r}, expected {SCHEMA!r}")
    version = top.number("version")
    if version not in READ_VERSIONS:
        raise ManifestError(
            f"manifest: version {version} is not supported (this briefkit reads versions "
            f"{', '.join(map(str, READ_VERSIONS))})"
        )
    legacy = version < 3  # no reader records: every source was read as text
    brief_r = _Reader(top._get("brief", False), "$.brief")
    brief: dict[str, str | bool | None] = {
        k: brief_r.text(k, optional=True) for k in ("title", "subtitle", "author", "date")
    }
    if brief["title"] is None:
        raise ManifestError("manifest: $.brief.title is missing")
    for key in ("sources_appendix", "bibliography", "smart_quotes", "ibid", "show_spans"):
        brief[key] = brief_r.flag(key)
    brief["contents"] = brief_r.flag("contents") if version >= 4 else False
    brief["citation_style"] = brief_r.text("citation_style")
    brief["locale"] = brief_r.text("locale")
    brief["style_class"] = brief_r.text("style_class")
    brief["style_sha256"] = brief_r.text("style_sha256", optional=True)
    entries = []
    for i, item in enumerate(top.array("bibliography")):
        r = _Reader(item, f"$.bibliography[{i}]")
        entries.append(ManifestEntry(r.text("source"), r.text("text")))
    sources = []
    for i, item in enumerate(top.array("sources")):
        r = _Reader(item, f"$.sources[{i}]")
        meta = r._get("meta", False)
        if not isinstance(meta, Mapping):
            raise ManifestError(f"manifest: $.sources[{i}].meta must be an object")
        sources.append(
            ManifestSource(
                id=r.text("id"),
                sha256=r.text("sha256"),
                size=r.number("size"),
                bom=r.flag("bom"),
                meta=dict(meta),
                cited=r.number("cited"),
                title=r.text("title"),
                reader=_parse_reader(r._get("reader", legacy), f"$.sources[{i}].reader"),
                text_sha256=r.text("text_sha256", optional=legacy),
                path=r.text("path", optional=True),
                **_parse_locations(r._get("locations", legacy), f"$.sources[{i}].locations"),
            )
        )
    sentences = []
    for i, item in enumerate(top.array("sentences")):
        path = f"$.sentences[{i}]"
        r = _Reader(item, path)
        section = r.array("section")
        if not all(isinstance(h, str) for h in section):
            raise ManifestError(f"manifest: {path}.section must be an array of strings")
        numbers = r.array("section_number")
        if len(numbers) != len(section) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers
        ):
            raise ManifestError(
                f"manifest: {path}.section_number must number each heading of .section"
            )
        block = r.text("block")
        if block not in BLOCKS:
            raise ManifestError(f"manifest: {path}.block {block!r} is not one of {BLOCKS}")
        citations = tuple(
            _parse_citation(c, f"{path}.citations[{k}]") for k, c in enumerate(r.array("citations"))
        )
        parts = tuple(
            _parse_part(item, f"{path}.parts[{k}]", len(citations))
            for k, item in enumerate(r.array("parts"))
        )
        sentences.append(
            ManifestSentence(
                id=r.text("id"),
                note=r.number("note", optional=True),
                text=r.text("text"),
                section=tuple(section),
                analysis=r.flag("analysis"),
                place=r.text("place", optional=True) or "",
                note_text=r.text("note_text", optional=True),
                citations=citations,
                parts=parts,
                block=block,
                section_number=tuple(numbers),
                several=r.flag("several"),
                accepted_numbers=tuple(_texts(r.array("accepted_numbers"), path)),
            )
        )
    tables = (
        tuple(_parse_table(t, f"$.tables[{k}]", k + 1) for k, t in enumerate(top.array("tables")))
        if version >= 4
        else ()
    )
    _check_cells(tables, sentences)
    images = (
        tuple(_parse_image(t, f"$.images[{k}]", k + 1) for k, t in enumerate(top.array("images")))
        if version >= 4
        else ()
    )
    _check_captions(images, sentences)
    return Manifest(
        schema=schema,
        version=version,
        generator=top.text("generator", optional=True) or "",
        brief=brief,
        sources=tuple(sources),
        sentences=tuple(sentences),
        bibliography=tuple(entries),
        tables=tables,
        images=images,
    )


_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_NAME = re.compile(r"[\w.-]{1,100}\Z")


def _parse_image(data: Any, path: str, number: int) -> ManifestImage:
    r = _Reader(data, path)
    if r.number("number") != number:
        raise ManifestError(f"manifest: {path}.number must be {number} (images in order)")
    section = r.array("section")
    numbers = r.array("section_number")
    if not all(isinstance(h, str) for h in section):
        raise ManifestError(f"manifest: {path}.section must be an array of strings")
    if len(numbers) != len(section) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers
    ):
        raise ManifestError(f"manifest: {path}.section_number must number each heading")
    sha = r.text("sha256")
    media = r.text("media_type")
    name = r.text("name")
    if not _SHA256.match(sha):
        raise ManifestError(f"manifest: {path}.sha256 must be 64 lowercase hex digits")
    if media not in _MEDIA_TYPES:
        raise ManifestError(f"manifest: {path}.media_type must be one of {_MEDIA_TYPES}")
    if not _NAME.match(name):
        raise ManifestError(f"manifest: {path}.name must be a plain file name")
    return ManifestImage(
        number=number,
        sha256=sha,
        media_type=media,
        width=r.number("width"),
        height=r.number("height"),
        alt=r.text("alt"),
        name=name,
        caption=r.text("caption"),
        section=tuple(section),
        section_number=tuple(numbers),
    )


def _check_captions(images: tuple[ManifestImage, ...], sentences: list[ManifestSentence]) -> None:
    """Every caption sentence captions exactly one image, in reading order, in its section."""
    listed = [s for s in sentences if s.block == "caption"]
    if [i.caption for i in images] != [s.id for s in listed]:
        raise ManifestError(
            "manifest: $.images: the images must be captioned by exactly the sentences whose "
            "block is 'caption', each once and in reading order"
        )
    for image, sent in zip(images, listed, strict=True):
        if sent.section != image.section or sent.section_number != image.section_number:
            raise ManifestError(
                f"manifest: $.images: image {image.number} and its caption {sent.id} stand "
                "in different sections"
            )


def _parse_table(data: Any, path: str, number: int) -> ManifestTable:
    r = _Reader(data, path)
    if r.number("number") != number:
        raise ManifestError(f"manifest: {path}.number must be {number} (tables in order)")
    section = r.array("section")
    numbers = r.array("section_number")
    header = r.array("header")
    align = r.array("align")
    if not all(isinstance(h, str) for h in (*section, *header)) or not header:
        raise ManifestError(f"manifest: {path}: section and header must be arrays of strings")
    if len(numbers) != len(section) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers
    ):
        raise ManifestError(f"manifest: {path}.section_number must number each heading")
    if len(align) != len(header) or not all(a in _ALIGNS for a in align):
        raise ManifestError(f"manifest: {path}.align must give one of {_ALIGNS} per column")
    rows = []
    for i, row in enumerate(r.array("rows")):
        if not isinstance(row, list) or len(row) != len(header):
            raise ManifestError(f"manifest: {path}.rows[{i}] must hold one cell per column")
        cells = []
        for k, cell in enumerate(row):
            where = f"{path}.rows[{i}][{k}]"
            c = _Reader(cell, where)
            if set(cell) == {"text"}:
                cells.append(ManifestCell(c.text("text")))
            elif set(cell) == {"sentence"}:
                cells.append(ManifestCell(sentence=c.text("sentence")))
            else:
                raise ManifestError(f"manifest: {where} must be {{'text'}} or {{'sentence'}}")
        rows.append(tuple(cells))
    return ManifestTable(
        number=number,
        caption=r.text("caption"),
        section=tuple(section),
        section_number=tuple(numbers),
        header=tuple(header),
        align=tuple(align),
        rows=tuple(rows),
        generated=r.flag("generated"),
    )


def _check_cells(tables: tuple[ManifestTable, ...], sentences: list[ManifestSentence]) -> None:
    """Every cell sentence stands in exactly one cell, in the tables' reading order, and
    every sentence a cell names is a cell sentence."""
    in_cells = [c.sentence for t in tables for row in t.rows for c in row if c.sentence]
    listed = [s.id for s in sentences if s.block == "cell"]
    if in_cells != listed:
        raise ManifestError(
            "manifest: $.tables: the cells must hold exactly the sentences whose block is "
            "'cell', each once and in reading order"
        )
    by_id = {s.id: s for s in sentences}
    for t in tables:
        for row in t.rows:
            for c in row:
                if c.sentence is not None and by_id[c.sentence].section != t.section:
                    raise ManifestError(
                        f"manifest: $.tables: table {t.number} and its sentence "
                        f"{c.sentence} stand in different sections"
                    )
