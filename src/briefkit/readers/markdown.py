"""The Markdown reader: the text exactly as the text reader reads it (so spans point into the
Markdown as written), with its headings as sections.

Headings are ATX headings (``#`` to ``######`` and a space) and setext headings (a line of text
underlined with ``=`` or ``-``), outside fenced code blocks. A section's label is the heading's
number when it starts with one (``## 3.2 Costs`` → ``3.2``), else its text (see
:func:`briefkit.readers._common.heading_label`).
"""

from __future__ import annotations

import re
from typing import ClassVar

from briefkit.readers import Extraction, Mark, SourceReader
from briefkit.readers._common import heading_label
from briefkit.readers.text import decode

__all__ = ["MarkdownReader"]

_LINE = re.compile(r"[^\n]*(?:\n|\Z)")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?\n?\Z")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*\r?\n?\Z")


def _sections(text: str) -> list[Mark]:
    marks: list[Mark] = []
    fence: str | None = None
    previous: tuple[int, str] | None = None  # the last plain text line: start, text
    blank_before = True
    offset = 0
    for m in _LINE.finditer(text):
        line = m.group()
        if not line:
            break
        start = offset
        offset += len(line)
        f = _FENCE.match(line)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            continue
        if f:
            fence = f.group(1)
            previous = None
            continue
        if not line.strip():
            previous, blank_before = None, True
            continue
        atx = _ATX.match(line)
        label: str | None = None
        if atx:
            label = heading_label(atx.group(2) or "")
            at = start
        elif previous is not None and _SETEXT.match(line) and line.strip()[0] in "=-":
            label = heading_label(previous[1])
            at = previous[0]
        if label is not None and (not marks or marks[-1].start < at):
            marks.append(Mark(at, label))
            previous = None
        else:
            previous = (start, line) if blank_before or previous is None else previous
        blank_before = False
    return marks


class MarkdownReader(SourceReader):
    """Markdown as written (UTF-8, as the text reader reads it), headings as sections."""

    name: ClassVar[str] = "markdown"
    version: ClassVar[str] = "1"
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".markdown")
    description: ClassVar[str] = "Markdown as written, headings as sections"

    def read(self, data: bytes, *, where: str) -> Extraction:
        text, bom = decode(where, data)
        return Extraction(text, sections=_sections(text), bom=bom)
