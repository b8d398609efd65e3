"""The block structure of a Markdown brief: front matter, headings, paragraphs, items, quotes,
tables, table captions, images and figure captions.

The file's text (line endings made ``\\n``) is kept whole; list and quote markers are blanked
out in a copy of the same length, so every offset of the copy is an offset of the file and
problems can name the file's line and column.

A line that starts with ``|`` (after at most three spaces) is a table row: consecutive such
lines are one ``table`` block, and such a line ends the paragraph or list item before it. A
paragraph whose first line starts with ``Table:``, ``table:`` or ``:`` (not followed by
punctuation) is a ``caption`` block, whose text starts after that marker (pandoc's rule; see
:mod:`briefkit.mdbrief.tables`). A paragraph whose first line starts with ``![`` is an
``image`` block, and one whose first line starts with ``Figure:`` or ``figure:`` a ``figure``
caption block, whose text starts after that marker (see :mod:`briefkit.mdbrief.images`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Literal, NamedTuple

import attrs

__all__ = ["BlockDraft", "Document", "split_document"]

_FENCE = re.compile(r"---[ \t]*\Z")
_FENCE_END = re.compile(r"(?:---|\.\.\.)[ \t]*\Z")
_HEADING = re.compile(r"(#{1,6})(?:[ \t]+|\Z)")
_ITEM = re.compile(r" {0,3}-(?:[ \t]|\Z)")
_QUOTE = re.compile(r" {0,3}>[ \t]?")
_COMMENT = re.compile(r" {0,3}<!--")
_TABLE = re.compile(r" {0,3}\|")
#: A caption's marker (pandoc's): "Table:", "table:", or ":" not followed by ASCII punctuation.
_CAPTION = re.compile(r" {0,3}(?:[Tt]able:|:(?![!-/:-@\[-`{-~]))")
_IMAGE = re.compile(r" {0,3}!\[")
_FIGURE = re.compile(r" {0,3}[Ff]igure:")
#: What ends a paragraph or list item: a line that starts a heading, item, quote, comment
#: or table row (one of the patterns above).
_BLOCK_START = re.compile(r"#{1,6}(?:[ \t]|\Z)| {0,3}(?:-(?:[ \t]|\Z)|>|<!--|\|)")
_CLOSING_HASHES = re.compile(r"(?:(?<=[ \t])|(?<=^))#+\Z")  # "## Heading ##": the closing run


class BlockDraft(NamedTuple):
    """A block: its kind, where it starts, and the range of its content in the masked text.
    (A named tuple: a brief may hold hundreds of thousands of blocks, and a named tuple is
    built several times faster than a frozen attrs class.)"""

    kind: Literal[
        "heading", "paragraph", "item", "quote", "comment", "table", "caption", "image", "figure"
    ]
    offset: int
    start: int
    stop: int
    level: int = 0


@attrs.frozen
class Document:
    """A Markdown brief split into its parts."""

    text: str  # the file, newlines normalised
    masked: str  # the same text with list and quote markers blanked out
    front: str | None  # the YAML between the fences
    front_offset: int
    blocks: tuple[BlockDraft, ...]
    line_starts: tuple[int, ...]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of ``offset``."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _blanked(text: str, offsets: list[int]) -> str:
    """``text`` with the character at each of ``offsets`` (ascending) made a space."""
    pieces: list[str] = []
    prev = 0
    for at in offsets:
        pieces += (text[prev:at], " ")
        prev = at + 1
    pieces.append(text[prev:])
    return "".join(pieces)


def split_document(text: str, report: Any) -> Document:
    """Split ``text``; ``report(offset, message)`` receives every structural problem."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _lines(text)
    starts = tuple(pos for pos, _ in lines)
    blanked: list[int] = []  # the offsets of list and quote markers, in file order
    front: str | None = None
    front_offset = 0
    k = 0
    if lines and _FENCE.match(lines[0][1]):
        for j in range(1, len(lines)):
            if _FENCE_END.match(lines[j][1]):
                front_offset = lines[1][0] if len(lines) > 1 else 0
                front = text[front_offset : lines[j][0]]
                k = j + 1
                break
        else:
            report(0, "the front matter opened by '---' is never closed by a '---' line")
            k = len(lines)
    blocks: list[BlockDraft] = []
    n = len(lines)

    while k < n:
        pos, line = lines[k]
        if not line.strip():
            k += 1
            continue
        if _COMMENT.match(line):  # an HTML comment, up to its closing -->; it ends a list
            blocks.append(BlockDraft("comment", pos, pos, pos))
            while k < n and "-->" not in lines[k][1]:
                k += 1
            if k == n:
                report(pos, "this comment is never closed by '-->'")
            else:
                close_pos, close_line = lines[k]
                after = close_line.index("-->") + 3
                if close_line[after:].strip():
                    report(
                        close_pos + after,
                        "text after '-->' on the same line would be lost; start it on a new line",
                    )
            k += 1
            continue
        if (m := _HEADING.match(line)) is not None:
            content = line[: len(line.rstrip(" \t"))]
            closing = _CLOSING_HASHES.search(content, m.end() - 1)
            end = closing.start() if closing is not None else len(content)
            blocks.append(
                BlockDraft("heading", pos, pos + m.end(), pos + max(end, m.end()), len(m.group(1)))
            )
            k += 1
            continue
        if (m := _ITEM.match(line)) is not None:
            blanked.append(pos + line.index("-"))
            k += 1
            while k < n and lines[k][1].strip() and not _BLOCK_START.match(lines[k][1]):
                k += 1
            end = lines[k - 1][0] + len(lines[k - 1][1])
            blocks.append(BlockDraft("item", pos, pos, end))
            continue
        if _QUOTE.match(line):
            while k < n and _QUOTE.match(lines[k][1]) is not None:
                blanked.append(lines[k][0] + lines[k][1].index(">"))
                k += 1
            end = lines[k - 1][0] + len(lines[k - 1][1])
            blocks.append(BlockDraft("quote", pos, pos, end))
            continue
        if _TABLE.match(line):
            while k < n and _TABLE.match(lines[k][1]) is not None:
                k += 1
            end = lines[k - 1][0] + len(lines[k - 1][1])
            blocks.append(BlockDraft("table", pos, pos, end))
            continue
        k += 1
        while k < n and lines[k][1].strip() and not _BLOCK_START.match(lines[k][1]):
            k += 1
        end = lines[k - 1][0] + len(lines[k - 1][1])
        if (m := _CAPTION.match(line)) is not None:
            blocks.append(BlockDraft("caption", pos, pos + m.end(), end))
        elif (m := _FIGURE.match(line)) is not None:
            blocks.append(BlockDraft("figure", pos, pos + m.end(), end))
        elif _IMAGE.match(line) is not None:
            blocks.append(BlockDraft("image", pos, pos, end))
        else:
            blocks.append(BlockDraft("paragraph", pos, pos, end))
    return Document(
        text=text,
        masked=_blanked(text, blanked),
        front=front,
        front_offset=front_offset,
        blocks=tuple(blocks),
        line_starts=starts,
    )
