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

__all__ = ["KINDS", "Excerpt", "Figure", "Paraphrase", "Quote"]


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


@attrs.frozen
class Paraphrase(Excerpt):
    """A passage that the author restates in their own words."""

    kind: ClassVar[str] = "paraphrase"


@attrs.frozen
class Figure(Excerpt):
    """A number taken from the span. ``value`` is the number *as written* in the source
    (``"50,000"``, ``"$1.6 billion"``) and must occur in the span; ``unit`` is optional
    text rendered after it (``"troops"``)."""

    kind: ClassVar[str] = "figure"

    value: str = attrs.field(kw_only=True)
    unit: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not isinstance(self.value, str) or not self.value.strip():
            raise ExcerptError(f"{self.describe()}: a figure needs its value as written")
        if not any(ch.isdigit() for ch in self.value):
            raise ExcerptError(f"{self.describe()}: figure value {self.value!r} has no digit")
        if self.value not in self.text:
            raise ExcerptError(
                f"{self.describe()}: figure value {self.value!r} does not occur in the span "
                f"{self.text!r}"
            )

    @property
    def rendered(self) -> str:
        """The figure as shown in a sentence: value, then unit if any."""
        return f"{self.value} {self.unit}" if self.unit else self.value


#: Excerpt classes by kind name (the manifest's ``kind`` field).
KINDS: dict[str, type[Excerpt]] = {cls.kind: cls for cls in (Quote, Paraphrase, Figure)}
