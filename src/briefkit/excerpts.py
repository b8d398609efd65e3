"""Typed excerpts: a span of a source plus a kind that decides how it renders and is checked.

=========== =============================================== ===================================
kind        renders as                                      verified by
=========== =============================================== ===================================
quote       the exact source text in quotation marks        span text == recorded exact text
paraphrase  the author's own words (the span supports them) span text == recorded exact text
figure      a number (with unit) taken from the span        the number, as written, is in the span
=========== =============================================== ===================================

An excerpt's text is always the canonical slice of its source; it can never be retyped. Spans
are validated when the excerpt is made (range and grapheme boundaries).
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from briefkit.errors import ExcerptError
from briefkit.sources import Source
from briefkit.spans import Position

__all__ = ["KINDS", "Excerpt", "Figure", "Paraphrase", "Quote", "figure_occurs"]


def figure_occurs(value: str, text: str) -> bool:
    """True when ``value`` occurs in ``text`` as a whole number: not glued to further digits
    (``"5"`` is not in ``"50,000"``, nor ``"0,0"``); digits are decimal digits (category Nd)."""
    start = text.find(value)
    while start != -1:
        end = start + len(value)
        before, after = text[max(0, start - 2) : start], text[end : end + 2]
        glued_before = value[:1].isdecimal() and (
            before[-1:].isdecimal() or (before[-1:] in ".," and before[:1].isdecimal())
        )
        glued_after = value[-1:].isdecimal() and (
            after[:1].isdecimal() or (after[:1] in ".," and after[1:2].isdecimal())
        )
        if not glued_before and not glued_after:
            return True
        start = text.find(value, start + 1)
    return False


@attrs.frozen
class Excerpt:
    """Base of every excerpt kind: ``source`` and the code point span ``[start, end)``."""

    kind: ClassVar[str] = "excerpt"

    source: Source
    start: int
    end: int

    def __attrs_post_init__(self) -> None:
        if type(self) is Excerpt:
            raise TypeError("Excerpt is abstract; use Quote, Paraphrase or Figure")
        self.source.check(self.start, self.end)

    @property
    def source_id(self) -> str:
        return self.source.id

    @property
    def text(self) -> str:
        """The exact canonical text of the span."""
        return self.source.text[self.start : self.end]

    def position(self) -> Position:
        """Byte offsets, lines, columns, exact text and quote-selector context of the span."""
        return self.source.position(self.start, self.end)

    def describe(self) -> str:
        """``kind source-id chars start–end``, for messages."""
        return f"{self.kind} {self.source.id} chars {self.start}–{self.end}"


def _optional_text(_inst: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ExcerptError(f"{attribute.name} must be non-empty text or None, got {value!r}")


@attrs.frozen
class Quote(Excerpt):
    """Words quoted exactly, rendered in quotation marks. With a ``speaker`` the quote renders
    as ``Carter said, “…”`` wherever it stands; leave it None when your own words introduce the
    speaker."""

    kind: ClassVar[str] = "quote"

    speaker: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    #: the span may start or end inside a word; the cut side is shown with an ellipsis
    partial: bool = attrs.field(default=False, kw_only=True)


@attrs.frozen
class Paraphrase(Excerpt):
    """A passage that the author restates in their own words."""

    kind: ClassVar[str] = "paraphrase"


@attrs.frozen
class Figure(Excerpt):
    """A number taken from the span. ``value`` is the number *as written* in the source
    (``"50,000"``, ``"$1.6 billion"``) and must occur in the span; ``unit`` is optional
    text rendered after it (``"troops"``). ``measure`` names the quantity the figure measures
    (``"U.S. troops in Japan"``): figures of the same measure are compared across sources, and
    where they disagree the brief shows it (:class:`~briefkit.model.Differences`)."""

    kind: ClassVar[str] = "figure"

    value: str = attrs.field(kw_only=True)
    unit: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    measure: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not isinstance(self.value, str) or not self.value.strip():
            raise ExcerptError(f"{self.describe()}: a figure needs its value as written")
        if not any(ch.isdecimal() for ch in self.value):
            raise ExcerptError(f"{self.describe()}: figure value {self.value!r} has no digit")
        if not figure_occurs(self.value, self.text):
            raise ExcerptError(
                f"{self.describe()}: figure value {self.value!r} does not occur as a whole "
                f"number in the span {self.text!r}"
            )

    @property
    def rendered(self) -> str:
        """The figure as shown in a sentence: value, then unit if any."""
        return f"{self.value} {self.unit}" if self.unit else self.value


#: Excerpt classes by kind name (the manifest's ``kind`` field).
KINDS: dict[str, type[Excerpt]] = {cls.kind: cls for cls in (Quote, Paraphrase, Figure)}
