"""Problems as values: what is wrong, a stable code, and where.

Validation of a brief and verification of a written file both report :class:`Problem` values.
A problem found in a brief carries a typed :class:`Place` (key points item 2, or section
'Costs' › paragraph 3 › sentence 1), so front ends such as the Markdown brief format map
it to their own coordinates without reading the English message. A problem found in a written
file names the sentence id and note number it concerns.

``severity`` is ``"error"`` or ``"warning"``: warnings (a number in a paraphrase that no cited
span shows) are reported but do not fail a build or a verification unless asked to
(``strict=True``, ``--strict``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeAlias

import attrs

__all__ = ["BlockKind", "Place", "Problem", "Severity", "errors", "warnings"]

Severity: TypeAlias = Literal["error", "warning"]
BlockKind: TypeAlias = Literal["paragraph", "list", "block quote", "table", "figure"]


@attrs.frozen
class Place:
    """Where in a brief: the key points (``section=()``, ``block=None``), or a block of a
    section. ``section`` is the heading path; ``block`` and ``item`` are 1-based; ``index``
    tells apart sentences whose places read alike (two sections with the same heading). In a
    table, ``item`` is the row (the header row is 0) and ``column`` the column, both 1-based."""

    section: tuple[str, ...] = ()
    block: int | None = None
    block_kind: BlockKind | None = None
    item: int | None = None
    key_points: bool = False
    column: int | None = None
    #: the sentence's 1-based position in reading order over the whole brief (not shown)
    index: int | None = attrs.field(default=None, eq=True)

    @classmethod
    def key_point(cls, item: int) -> Place:
        return cls(item=item, key_points=True)

    @classmethod
    def in_section(
        cls,
        path: tuple[str, ...],
        block: int | None = None,
        kind: BlockKind | None = None,
        item: int | None = None,
    ) -> Place:
        return cls(section=path, block=block, block_kind=kind, item=item)

    @classmethod
    def in_table(
        cls, path: tuple[str, ...], block: int, row: int | None = None, column: int | None = None
    ) -> Place:
        """A table's cell (row 0 is the header row), or the table itself."""
        return cls(section=path, block=block, block_kind="table", item=row, column=column)

    def __str__(self) -> str:
        if self.key_points:
            text = f"key points › item {self.item}" if self.item else "key points"
        elif not self.section:
            text = "the brief"
        else:
            text = "section " + " › ".join(repr(h) for h in self.section)
            if self.block is not None:
                if self.block_kind in ("table", "figure"):
                    # tables and images are numbered over the whole brief: name the block by
                    # its place in the section, not as 'table 2', which reads as Table 2
                    what = "a table" if self.block_kind == "table" else "an image"
                    text += f" › block {self.block} ({what})"
                else:
                    text += f" › {self.block_kind or 'block'} {self.block}"
                if self.block_kind == "table":
                    if self.item is not None:
                        text += " › header" if self.item == 0 else f" › row {self.item}"
                    if self.column is not None:
                        text += f" › column {self.column}"
                elif self.item is not None and self.block_kind not in ("block quote", "figure"):
                    word = "sentence" if self.block_kind == "paragraph" else "item"
                    text += f" › {word} {self.item}"
        return text


@attrs.frozen
class Problem:
    """One problem. ``code`` is stable (``uncited``, ``misquote``, ``unlinked-text`` …);
    ``message`` is for people. ``place`` locates it in a brief; ``sentence``/``note`` in a
    written file."""

    code: str
    message: str
    place: Place | None = None
    sentence: str | None = None
    note: int | None = None
    severity: Severity = "error"
    #: what the problem is about, as written (the number no cited span shows …), if anything
    subject: str | None = None
    #: the 1-based citation of the sentence the problem concerns, when it concerns one
    citation: int | None = None

    def __str__(self) -> str:
        if self.place is not None:
            return f"{self.place}: {self.message}"
        return self.message


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are errors."""
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are warnings."""
    return [p for p in problems if p.severity == "warning"]
