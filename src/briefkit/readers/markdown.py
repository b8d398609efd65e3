"""The Markdown reader: the text exactly as the text reader reads it (so spans point into the
Markdown as written), with its headings as sections.

Headings are ATX headings (``#`` to ``######`` and a space) and setext headings (a paragraph's
lines underlined with a line of ``=`` or ``-``; the section starts at the paragraph's first
line), outside fenced code blocks (``````` or ``~~~``, closed by a fence of the same character
at least as long). A line of ``-`` or ``=`` that follows no paragraph is a thematic break. A
section's label is the heading's number when it starts with one (``## 3.2 Costs`` → ``3.2``),
else its text (see :func:`briefkit.readers._common.heading_label`).
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

    def mark(at: int, heading: str) -> None:
        label = heading_label(heading)
        if label is not None and (not marks or marks[-1].start < at):
            marks.append(Mark(at, label))

    fence: str | None = None  # the open code fence's marker
    para: int | None = None  # where the current paragraph's first line starts
    lines: list[str] = []  # the current paragraph's lines
    offset = 0
    for m in _LINE.finditer(text):
        line = m.group()
        if not line:
            break
        start, offset = offset, offset + len(line)
        f = _FENCE.match(line)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            continue
        if f:
            fence, para = f.group(1), None
            continue
        if not line.strip():
            para = None
            continue
        atx = _ATX.match(line)
        if atx:
            mark(start, atx.group(2) or "")
            para = None
        elif para is not None and _SETEXT.match(line):
            mark(para, " ".join(lines))
            para = None
        elif para is None and _SETEXT.match(line):
            pass  # a thematic break (---) or a stray underline: no paragraph, no heading
        elif para is None:
            para, lines = start, [line]
        else:
            lines.append(line)
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
