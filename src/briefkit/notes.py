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

import attrs

from briefkit.excerpts import Excerpt
from briefkit.sources import Source
from briefkit.spans import Position

__all__ = ["CitationStyle", "NoteRef", "human_date", "parse_note"]

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


class CitationStyle:
    """The default note wording. Subclass and override a method to change one aspect; the
    bracketed ``[id, chars start–end]`` part must stay so notes remain parseable."""

    short_title_words = 6

    def full(self, source: Source) -> str:
        """How a source is named the first time it is cited."""
        title = _one_line(source.title)
        meta = source.meta
        details = [d for d in (meta.venue, human_date(meta.issued)) if d]
        head = f"{_one_line(', '.join(meta.author))}, {title}" if meta.author else title
        return f"{head} ({', '.join(_one_line(d) for d in details)})" if details else head

    def short(self, source: Source) -> str:
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

    def citation(self, excerpt: Excerpt, position: Position, *, first: bool) -> str:
        name = self.full(excerpt.source) if first else self.short(excerpt.source)
        return (
            f"{name}, {self.locator(position)} "
            f"[{excerpt.source.id}, chars {excerpt.start}–{excerpt.end}]"
        )

    def note(self, citations: list[str]) -> str:
        return "; ".join(citations) + "."
