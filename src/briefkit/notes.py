"""Citation style: the wording of footnotes, and parsing it back.

A note lists its citations separated by ``; `` and ends with a full stop. Each citation names
the source (in full the first time it is cited in the brief, shortened later), the location in
human terms, and — in brackets — the full source id and the code point span::

    Carter looks to shore-up US-Japan military alliance (CNN, December 5, 2016), line 22
    [000_28b258b49d188a62.txt, chars 1234–1290].

:func:`parse_note` reads the bracketed ``(source id, start, end)`` triples back out of a note.
"""

from __future__ import annotations

import calendar
import re
from typing import Protocol

import attrs

from briefkit.sources import SourceMeta
from briefkit.spans import Position

__all__ = ["STYLE_NAME", "CitationStyle", "CitedSource", "NoteRef", "human_date", "parse_note"]

#: The name the manifest records for the default style.
STYLE_NAME = "briefkit-default"

_REF = re.compile(r"\[(?P<id>[A-Za-z0-9_][A-Za-z0-9._/-]*), chars (?P<start>\d+)–(?P<end>\d+)\]")


@attrs.frozen
class NoteRef:
    """A citation read back out of a note's text."""

    source_id: str
    start: int
    end: int


def parse_note(text: str) -> list[NoteRef]:
    """Every ``[source id, chars start–end]`` reference in a note's text, in order."""
    return [
        NoteRef(m.group("id"), int(m.group("start")), int(m.group("end")))
        for m in _REF.finditer(text)
    ]


def human_date(iso: str | None) -> str | None:
    """``2016-12-05`` -> ``December 5, 2016``; ``2015-04`` -> ``April 2015``; ``2017`` as is."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return f"{calendar.month_name[int(parts[1])]} {int(parts[2])}, {parts[0]}"
        if len(parts) == 2:
            return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError):
        return iso
    return iso


def _one_line(text: str) -> str:
    """One line of text for a note; square brackets become parentheses so that nothing but the
    style's own ``[id, chars start–end]`` part can read as a reference."""
    return " ".join(text.split()).replace("[", "(").replace("]", ")")


class CitedSource(Protocol):
    """What a style knows of a source: a :class:`~briefkit.sources.Source`, or the record of
    one in a manifest (so that verify renders notes again from the manifest alone)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def meta(self) -> SourceMeta: ...


class CitationStyle:
    """The default note wording. Subclass and override a method to change one aspect; the
    bracketed ``[id, chars start–end]`` part must stay so notes remain parseable.

    ``name`` is recorded in the manifest; verify renders every note again with the style of
    that name (the default, or one passed to it) and compares."""

    name = STYLE_NAME

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:  # a subclass is another style unless it says otherwise
            cls.name = f"{cls.__module__}.{cls.__qualname__}"

    short_title_words = 6

    def full(self, source: CitedSource) -> str:
        """How a source is named the first time it is cited."""
        title = _one_line(source.title)
        meta = source.meta
        details = [d for d in (meta.venue, human_date(meta.issued)) if d]
        head = f"{_one_line(', '.join(meta.author))}, {title}" if meta.author else title
        return f"{head} ({', '.join(_one_line(d) for d in details)})" if details else head

    def short(self, source: CitedSource) -> str:
        """How a source is named when it was cited before."""
        words = _one_line(source.title).split(" ")
        if len(words) <= self.short_title_words:
            return " ".join(words)
        return " ".join(words[: self.short_title_words]).rstrip(",;:") + "…"

    def locator(self, position: Position) -> str:
        """``line 22`` or ``lines 22–24``."""
        if position.line_start == position.line_end:
            return f"line {position.line_start}"
        return f"lines {position.line_start}–{position.line_end}"

    def citation(self, source: CitedSource, position: Position, *, first: bool) -> str:
        """One citation of ``source`` at ``position``: named in full when ``first``."""
        name = self.full(source) if first else self.short(source)
        return (
            f"{name}, {self.locator(position)} [{source.id}, chars {position.start}–{position.end}]"
        )

    def note(self, citations: list[str]) -> str:
        return "; ".join(citations) + "."
