"""Rules the built-in readers share: how a heading becomes a section label, and how a list of
blocks becomes canonical text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefkit.readers import Mark

__all__ = ["Block", "heading_label", "join_blocks"]

_NUMBERED = re.compile(
    r"(?:(?P<prefix>§|(?:Section|SECTION|Article|ARTICLE|Chapter|CHAPTER|Part|PART|Sec\.)\s)\s*)?"
    r"(?P<number>\d{1,3}(?:\.\d{1,3}){0,4}|[IVXLC]{1,6}|[A-Z])(?P<sep>[.):])?(?:\s|\Z)"
)
_SHORT = 60
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def heading_label(text: str, number: str | None = None) -> str | None:
    """The section label of a heading.

    * ``number`` when given (a list number the document computes, ``"2.1"``), without a
      trailing ``.`` or ``)``;
    * else the heading's own number: ``3.2 Costs`` → ``3.2``, ``1. Scope`` → ``1``,
      ``§ 4 Fees`` / ``Section 4`` → ``4``, ``IV. Costs`` → ``IV``, ``B) Annex`` → ``B``. A
      number of one part without ``§``/``Section``… needs ``.``, ``)`` or ``:`` after it (so
      ``3 ways to save`` is not numbered), and Roman numerals and letters always do;
    * else the heading's text, whitespace collapsed, cut at 60 characters with ``…``;
    * None for a heading without text.
    """
    if number and number.rstrip(".)"):
        return number.rstrip(".)")
    words = " ".join(_CONTROLS.sub(" ", text).split())
    m = _NUMBERED.match(words)
    if m:
        num, sep, prefix = m.group("number"), m.group("sep"), m.group("prefix")
        dotted = "." in num
        if (num[0].isdigit() and (dotted or sep or prefix)) or (not num[0].isdigit() and sep):
            return num
    if not words:
        return None
    return words if len(words) <= _SHORT else words[: _SHORT - 1].rstrip() + "…"


class Block:
    """One block of a document's text (a paragraph, heading, list item, cell …), with the
    section label it starts (headings) or None."""

    __slots__ = ("section", "text")

    def __init__(self, text: str, section: str | None = None) -> None:
        self.text = text
        self.section = section


def join_blocks(blocks: Iterable[Block]) -> tuple[str, list[Mark]]:
    """Blocks as canonical text — each block's text, blocks separated by one blank line
    (``"\\n\\n"``), empty blocks left out — and the section marks of headings."""
    parts: list[str] = []
    marks: list[Mark] = []
    offset = 0
    for block in blocks:
        if not block.text.strip():
            continue
        if parts:
            parts.append("\n\n")
            offset += 2
        if block.section and (not marks or marks[-1].start != offset):
            marks.append(Mark(offset, block.section))
        parts.append(block.text)
        offset += len(block.text)
    return "".join(parts), marks
