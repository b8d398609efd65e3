"""Plain text with endnotes: a briefkit exporter plug-in (format ``txt``).

The title is underlined, headings are underlined, paragraphs are wrapped at 72 columns, list
items start with ``- `` and block quotes are indented. Each cited sentence ends with its note
mark ``[n]``; the "Notes" section lists ``[n]`` and the note text, then the exact text of every
citation, indented. Cited sources follow.

Columns are counted per grapheme cluster (a letter with its accents, an emoji sequence, a flag)
and a line is never broken inside one; wide East Asian characters and emoji count two columns.
Control characters are shown as visible stand-ins, so the output never carries terminal escape
sequences; every newline style in the text becomes a line break.
"""

from __future__ import annotations

import re
import unicodedata
from typing import BinaryIO

from briefkit.plan import (
    LABELS,
    HeadingBlock,
    ListBlock,
    Note,
    NotePlan,
    ParagraphBlock,
    PlannedSentence,
    PlanVisitor,
    QuoteBlock,
    SourcesBlock,
    TitleBlock,
)
from briefkit.spans import TextIndex

__all__ = ["WIDTH", "PlainTextExporter", "clusters", "render", "text_width", "wrap"]

__version__ = "0.1.0"

#: The widest line, in terminal columns.
WIDTH = 72

_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_NO_BREAK = frozenset("\u00a0\u2007\u202f")
_UNDERLINE = {0: "=", 1: "-", 2: "~"}


def _visible(ch: str) -> str:
    """A control character as a visible stand-in; a tab as a space; anything else as is."""
    cp = ord(ch)
    if ch == "\t":
        return " "
    if cp < 0x20:
        return chr(0x2400 + cp)  # Unicode Control Pictures: "\x1b" -> "␛"
    if cp == 0x7F:
        return "\u2421"
    if 0x80 <= cp < 0xA0:
        return "\ufffd"
    return ch


def clusters(text: str) -> list[str]:
    """``text`` split into grapheme clusters."""
    index = TextIndex(text)
    out: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if index.is_boundary(i):
            out.append(text[start:i])
            start = i
    return out


def _cluster_width(cluster: str) -> int:
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in cluster) or "\ufe0f" in cluster:
        return 2
    if "\U0001f1e6" <= cluster[0] <= "\U0001f1ff":  # regional indicators: a flag
        return 2
    if all(unicodedata.category(ch) in ("Mn", "Me", "Cf") for ch in cluster):
        return 0
    return 1


def text_width(text: str) -> int:
    """Terminal columns of one line of ``text``."""
    return sum(_cluster_width(c) for c in clusters(text))


def _tokens(line: str) -> list[tuple[bool, list[tuple[str, int]]]]:
    """Runs of ``(is_space, [(cluster, width), ...])``; a space run is where a line may break."""
    out: list[tuple[bool, list[tuple[str, int]]]] = []
    for cluster in clusters(line):
        space = cluster.isspace() and cluster not in _NO_BREAK
        if not out or out[-1][0] != space:
            out.append((space, []))
        out[-1][1].append((cluster, _cluster_width(cluster)))
    return out


def wrap(line: str, width: int = WIDTH, *, first: str = "", rest: str = "") -> list[str]:
    """One line of text filled into lines of at most ``width`` columns, ``first`` before the
    first and ``rest`` before the others. Lines break at spaces (which are dropped there); a
    word wider than a line is cut between grapheme clusters."""
    lines: list[str] = []
    prefix = first
    room = width - text_width(prefix)
    cur: list[str] = []
    used = 0
    gap: list[tuple[str, int]] = []

    def flush() -> None:
        nonlocal prefix, room, cur, used
        lines.append((prefix + "".join(cur)).rstrip(" "))
        prefix, cur, used = rest, [], 0
        room = width - text_width(prefix)

    for space, run in _tokens(line):
        if space:
            gap = run
            continue
        need = sum(w for _, w in run)
        gap_width = sum(w for _, w in gap)
        if used + gap_width + need <= room:
            cur += [c for c, _ in gap] + [c for c, _ in run]
            used += gap_width + need
            gap = []
            continue
        if cur:
            flush()
        gap = []
        if need <= room:
            cur, used = [c for c, _ in run], need
            continue
        for cluster, w in run:  # wider than a whole line: cut between clusters
            if cur and used + w > room:
                flush()
            cur.append(cluster)
            used += w
    if cur or not lines:
        flush()
    return lines


def _fill(text: str, first: str = "", rest: str | None = None) -> list[str]:
    """``text`` with every newline style as a line break, each line wrapped."""
    rest = " " * text_width(first) if rest is None else rest
    out: list[str] = []
    for n, line in enumerate(_LINE_BREAK.split(text)):
        shown = "".join(_visible(ch) for ch in line)
        out += wrap(shown, first=first if n == 0 else rest, rest=rest)
    return out


def _underlined(text: str, level: int) -> list[str]:
    lines = _fill(text)
    longest = max(text_width(line) for line in lines)
    return [*lines, _UNDERLINE.get(level, ".") * max(1, min(WIDTH, longest))]


def _sentence(ps: PlannedSentence) -> str:
    label = f"{LABELS['analysis']}: " if ps.analysis else ""
    mark = f"[{ps.note}]" if ps.note is not None else ""
    return label + ps.text + mark


def _note(note: Note) -> list[str]:
    mark = f"[{note.number}] "
    lines = _fill(note.text, mark)
    pad = " " * (len(mark) + 2)
    for cited in note.citations:  # the exact words of every citation, in quotation marks
        lines += _fill(f"“{cited.excerpt.text}”", pad, pad + " ")
    return lines


class _Writer(PlanVisitor[list[str]]):
    def __init__(self, notes: tuple[Note, ...]) -> None:
        self.notes = notes
        self.notes_written = False

    def notes_section(self) -> list[str]:
        self.notes_written = True
        if not self.notes:
            return []
        lines = _underlined(LABELS["notes"], 1)
        for note in self.notes:
            lines += ["", *_note(note)]
        return lines

    def visit_TitleBlock(self, b: TitleBlock) -> list[str]:
        lines = _underlined(b.title, 0)
        if b.subtitle:
            lines += _fill(b.subtitle)
        byline = " · ".join(x for x in (b.author, b.date_text) if x)
        if byline:
            lines += _fill(byline)
        return lines

    def visit_HeadingBlock(self, b: HeadingBlock) -> list[str]:
        if b.role == "sources" and not self.notes_written:
            notes = self.notes_section()
            if notes:
                return [*notes, "", *_underlined(b.text, b.level)]
        return _underlined(b.text, b.level)

    def visit_ParagraphBlock(self, b: ParagraphBlock) -> list[str]:
        return _fill(" ".join(_sentence(s) for s in b.sentences))

    def visit_ListBlock(self, b: ListBlock) -> list[str]:
        return [line for s in b.items for line in _fill(_sentence(s), "- ")]

    def visit_QuoteBlock(self, b: QuoteBlock) -> list[str]:
        lines = _fill(_sentence(b.sentence), "    ")
        if b.attribution:
            lines += _fill(f"— {b.attribution}", "    ", "      ")
        return lines

    def visit_SourcesBlock(self, b: SourcesBlock) -> list[str]:
        lines: list[str] = []
        for n, entry in enumerate(b.entries, 1):
            parts = [entry.source.title, entry.details, entry.record]
            text = ". ".join(p.strip() for p in parts if p)
            lines += _fill(text + (f" <{entry.url}>" if entry.url else ""), f"{n}. ")
        return lines


def render(plan: NotePlan) -> str:
    """The brief as plain text."""
    writer = _Writer(plan.notes)
    blocks = [lines for lines in writer.walk(plan) if lines]
    if not writer.notes_written:
        blocks.append(writer.notes_section())
    return "\n\n".join("\n".join(lines) for lines in blocks if lines) + "\n"


class PlainTextExporter:
    """The ``txt`` exporter."""

    name = "txt"
    suffixes = (".txt",)
    media_type = "text/plain; charset=utf-8"
    description = "plain text wrapped at 72 columns, with endnotes quoting each citation"

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(render(plan).encode("utf-8"))
