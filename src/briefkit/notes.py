"""Citation styles: how notes and the bibliography read.

A :class:`CitationStyle` turns the citations of every note of a brief, in reading order, into
note texts, and the cited sources into bibliography entries. It decides each citation's
*position* the way CSL does — ``first`` (the source's first citation), ``subsequent``, and,
when the style uses them, ``ibid`` / ``ibid-with-locator`` (the same source as the citation
just before) — and asks :meth:`CitationStyle.cite` for the wording.

The built-in styles are CSL styles (:class:`briefkit.styles.CslStyle`). The printed note holds
no machine data by default; with ``show_spans=True`` every citation ends in an audit reference
``[source id, chars start–end]`` that :func:`parse_note` reads back.

Every style records itself in the manifest (:meth:`CitationStyle.record`), and verify renders
each note again from the manifest with the recorded style and compares, so a note edited by
hand is caught whether or not it prints its reference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

import attrs

from briefkit.errors import StyleError
from briefkit.locales import DEFAULT_LOCALE, Locale
from briefkit.sources import SourceMeta
from briefkit.spans import Position

__all__ = [
    "CitationStyle",
    "Cite",
    "CitePosition",
    "CitedSource",
    "Locator",
    "NoteRef",
    "parse_note",
]

#: Where a citation stands relative to earlier citations of its source (CSL's ``position``).
CitePosition = Literal["first", "subsequent", "ibid", "ibid-with-locator"]

_REF = re.compile(
    r"\[(?P<id>[A-Za-z0-9_][A-Za-z0-9._/-]*), chars (?P<start>\d{1,18})–(?P<end>\d{1,18})\]"
)


_NO_BRACKETS = str.maketrans("[]", "()")


@attrs.frozen
class NoteRef:
    """An audit reference read back out of a note's text."""

    source_id: str
    start: int
    end: int


def parse_note(text: str) -> list[NoteRef]:
    """Every ``[source id, chars start–end]`` audit reference in a note's text, in order (a
    note printed with ``show_spans=True`` has one per citation; others have none)."""
    return [
        NoteRef(m.group("id"), int(m.group("start")), int(m.group("end")))
        for m in _REF.finditer(text)
    ]


@attrs.frozen
class Locator:
    """Where in a source a citation points, as a reader names it: ``label`` is a CSL locator
    term (``page``, ``section``, ``paragraph``, ``line``); ``first``/``last`` the numbers
    (``last`` is ``None`` for one page, section or line)."""

    label: str
    first: str
    last: str | None = None

    @property
    def value(self) -> str:
        """``22``, ``22–24``, or ``22, 30`` for a merged locator."""
        return self.first if self.last is None else f"{self.first}–{self.last}"

    @property
    def plural(self) -> bool:
        """Whether the locator names more than one page, section or line."""
        return self.last is not None or ", " in self.first

    def merged(self, other: Locator) -> Locator:
        """This locator and ``other`` (of the same label) as one: ``22, 30``; a value
        already named is not repeated."""
        values = self.value.split(", ")
        more = [v for v in other.value.split(", ") if v not in values]
        if not more:
            return self
        return Locator(self.label, ", ".join(sorted([*values, *more], key=_number_key)))


class CitedSource(Protocol):
    """What a style knows of a source: a :class:`~briefkit.sources.Source`, or the record of
    one in a manifest (so that verify renders notes again from the manifest alone)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def meta(self) -> SourceMeta: ...


@attrs.frozen
class Cite:
    """One citation in a note: the source, the exact span, and its locator."""

    source: CitedSource = attrs.field(eq=False)
    position: Position
    locator: Locator

    @property
    def source_id(self) -> str:
        return self.source.id


class CitationStyle:
    """The base of citation styles. A style implements :meth:`cite` (one citation's wording at
    a CSL position) and :meth:`bibliography_entry`; everything else is shared.

    ``locale`` (a tag such as ``de-DE``) sets the language of terms, dates and quotation
    marks; ``ibid`` lets a repeated source read "Ibid."; ``show_spans`` appends the audit
    reference ``[source id, chars start–end]`` to every citation."""

    #: recorded in the manifest; verify looks the style up by it
    name = "custom"
    #: ``note`` styles print full references in notes; ``in-text`` (author-date) styles print
    #: a short reference, and the bibliography carries the rest
    kind: Literal["note", "in-text"] = "note"

    def __init__(
        self, *, locale: str = DEFAULT_LOCALE, ibid: bool = False, show_spans: bool = False
    ) -> None:
        self._locale = Locale.named(locale)
        self.ibid = ibid
        self.show_spans = show_spans

    @property
    def locale(self) -> Locale:
        """The language of the style's terms, dates and quotation marks (fixed when the style
        is made: a CSL processor is set up for it)."""
        return self._locale

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:  # a subclass is another style unless it says otherwise
            cls.name = f"{cls.__module__}.{cls.__qualname__}"

    # -- what a style says ----------------------------------------------------------------

    def cite(self, cite: Cite, position: CitePosition) -> str:
        """The wording of one citation (without the note's closing punctuation)."""
        raise StyleError(f"the citation style {type(self).__name__} does not define cite()")

    def bibliography_entry(self, source: CitedSource) -> str:
        """One source as the bibliography lists it."""
        raise StyleError(
            f"the citation style {type(self).__name__} does not define bibliography_entry()"
        )

    def join(self, citations: Sequence[str]) -> str:
        """A note from its citations' wordings: ``a; b.``"""
        text = "; ".join(citations)
        return text if text.endswith((".", "。", "!", "?")) else text + self.locale.full_stop

    @property
    def bibliography_label(self) -> str:
        """The heading of the bibliography (``Bibliography``, or ``References`` for an
        author-date style), in the style's language."""
        key = "references" if self.kind == "in-text" else "bibliography"
        return self.locale.labels[key]

    # -- shared machinery -----------------------------------------------------------------

    def notes(self, notes: Sequence[Sequence[Cite]]) -> list[str]:
        """The text of every note, given each note's citations in reading order.

        Within a note, citations of one source with the same kind of locator are printed as
        one (``lines 7, 11``) where the source is first cited in the note — unless
        ``show_spans`` prints each citation's reference."""
        out: list[str] = []
        seen: set[str] = set()
        alone: Cite | None = None  # the previous note's citation, when it had only one
        for given in notes:
            cites = list(given) if self.show_spans else _merge(given)
            placed: list[tuple[Cite, CitePosition]] = []
            for k, c in enumerate(cites):
                # CSL: "ibid" when the citation just before, in this note or standing alone
                # in the note before, is of the same source
                before = cites[k - 1] if k > 0 else alone
                position: CitePosition
                if c.source_id not in seen:
                    position = "first"
                elif self.ibid and before is not None and before.source_id == c.source_id:
                    position = "ibid" if before.locator == c.locator else "ibid-with-locator"
                else:
                    position = "subsequent"
                seen.add(c.source_id)
                placed.append((c, position))
            alone = cites[0] if len(cites) == 1 else None
            out.append(self._note(placed))
        return out

    def _note(self, placed: Sequence[tuple[Cite, CitePosition]]) -> str:
        """A note's text from its citations, each at its position: every citation's
        wording (:meth:`cite`, then the audit reference when ``show_spans``), joined
        (:meth:`join`)."""
        words: list[str] = []
        for c, position in placed:
            text = self.cite(c, position)
            if self.show_spans:
                # square brackets are the audit reference's alone
                text = text.translate(_NO_BRACKETS)
                text += f" [{c.source_id}, chars {c.position.start}–{c.position.end}]"
            words.append(text)
        return self.join(words)

    def bibliography(self, sources: Sequence[CitedSource]) -> list[tuple[str, str]]:
        """``(source id, entry)`` for every source, in the style's order (by default, the
        order given)."""
        return [(s.id, self.bibliography_entry(s)) for s in sources]

    def record(self) -> dict[str, str | bool]:
        """What the manifest records so that verify can use this style again."""
        return {
            "citation_style": self.name,
            "style_class": self.kind,
            "locale": self.locale.tag,
            "ibid": self.ibid,
            "show_spans": self.show_spans,
        }

    def matches(self, record: Mapping[str, object]) -> bool:
        """Whether ``record`` (a manifest's) names this very style and its options."""
        return all(record.get(k) == v for k, v in self.record().items())


def _number_key(value: str) -> tuple[int, ...]:
    """``3.2–4`` sorts as (3, 2): by the numbers of its first part."""
    head = value.split("–")[0]
    return tuple(int(p) if p.isascii() and p.isdigit() else 0 for p in head.split("."))


def _merge(cites: Sequence[Cite]) -> list[Cite]:
    if len(cites) < 2:
        return list(cites)  # most notes cite one excerpt: nothing to merge
    out: list[Cite] = []
    where: dict[tuple[str, str], int] = {}
    for c in cites:
        key = (c.source_id, c.locator.label)
        k = where.get(key)
        if k is None:
            where[key] = len(out)
            out.append(c)
        else:
            out[k] = attrs.evolve(out[k], locator=out[k].locator.merged(c.locator))
    return out
