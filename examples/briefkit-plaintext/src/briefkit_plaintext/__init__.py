"""Plain text with endnotes: a briefkit exporter plug-in (format ``txt``).

The title is underlined, headings are underlined, paragraphs are wrapped at 72 columns, list
items start with ``- `` and block quotes are indented. A table is its caption, then its header
row and each body row on lines of their own, cells separated by `` | ``. An image is shown by
its alt text in brackets (``[Image: …]``), then its caption; the contents list each heading,
indented by level. Plain text has no italics or bold: emphasised words are shown as they are;
a link shown as words is followed by its address in angle brackets. Each cited sentence
ends with its note mark ``[n]``; the "Notes" section lists ``[n]`` and the note text, then the
exact text of every citation, indented. Cited sources follow.

Columns are counted per grapheme cluster (a letter with its accents, an emoji sequence, a flag)
and a line is never broken inside one; wide East Asian characters and emoji count two columns.
Control characters are shown as visible stand-ins, so the output never carries terminal escape
sequences; every newline style in the text becomes a line break.

A text file has no room for the provenance manifest, so :meth:`PlainTextExporter.check` takes
the JSON manifest exported from the same brief (``briefkit.verify("brief.txt", sources=ROOT,
manifest="brief.json")``) and accounts for every visible character of the file with it: the
title block, headings, sentences with their labels and note marks, attributions and sources
as this module writes them, and the notes, each exactly the manifest's note and the exact text
of its citations. Whitespace is layout (wrapping), so it is not compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, NamedTuple

from briefkit.errors import ReadError
from briefkit.formats.checking import Checked, Piece, account, locale_of, outline
from briefkit.manifest import Manifest, ManifestSentence
from briefkit.plan import (
    BibliographyBlock,
    ContentsBlock,
    HeadingBlock,
    ImageBlock,
    ListBlock,
    Note,
    NotePlan,
    ParagraphBlock,
    PlannedSentence,
    PlanVisitor,
    QuoteBlock,
    SourcesBlock,
    TableBlock,
    TitleBlock,
)
from briefkit.problems import Problem
from briefkit.spans import TextIndex

__all__ = [
    "MAX_TEXT_BYTES",
    "WIDTH",
    "PlainTextExporter",
    "check",
    "clusters",
    "render",
    "text_width",
    "wrap",
]

__version__ = "0.1.0"

#: The widest line, in terminal columns.
WIDTH = 72

#: The largest file :func:`check` reads.
MAX_TEXT_BYTES = 256 * 1024 * 1024

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


def _sentence_text(text: str, analysis: str | None, note: int | None) -> str:
    """A sentence as written: the analysis label (when it has one), the text and the note
    mark."""
    label = f"{analysis}: " if analysis else ""
    mark = f"[{note}]" if note is not None else ""
    return label + text + mark


def _linked(parts: Iterable[tuple[str, str | None]]) -> str:
    """A sentence's text from its ``(text, link address)`` parts: a link shown as words is
    followed by `` <address>`` (a text file cannot hold the link itself)."""
    return "".join(
        text + (f" <{href}>" if href is not None and text != href else "") for text, href in parts
    )


def _sentence(ps: PlannedSentence, label: str) -> str:
    text = _linked((seg.text, seg.href) for seg in ps.segments)
    return _sentence_text(text, label if ps.analysis else None, ps.note)


def _note_lines(number: int, text: str, exact: Iterable[str]) -> list[str]:
    """A note: its number and text, then the exact words of every citation in quotation
    marks."""
    mark = f"[{number}] "
    lines = _fill(text, mark)
    pad = " " * (len(mark) + 2)
    for words in exact:
        lines += _fill(f"“{words}”", pad, pad + " ")
    return lines


def _image_text(alt: str) -> str:
    """An image as a text file shows it: its alt text."""
    return f"[Image: {alt}]"


def _row(cells: Iterable[str]) -> str:
    """A table row: its cells separated by `` | ``."""
    return " | ".join(cells)


def _note(note: Note) -> list[str]:
    return _note_lines(note.number, note.text, (c.excerpt.text for c in note.citations))


def _source_text(text: str, url: str | None) -> str:
    """A sources-appendix entry (``title. details. record``) and its link, if any."""
    return text + (f" <{url}>" if url else "")


class _Writer(PlanVisitor[list[str]]):
    def __init__(self, plan: NotePlan) -> None:
        self.notes = plan.notes
        self.labels = plan.labels
        self.locale = plan.locale
        self.notes_written = False

    def notes_section(self) -> list[str]:
        self.notes_written = True
        if not self.notes:
            return []
        lines = _underlined(self.labels["notes"], 1)
        for note in self.notes:
            lines += ["", *_note(note)]
        return lines

    def visit_TitleBlock(self, b: TitleBlock) -> list[str]:
        lines = _underlined(b.title, 0)
        if b.subtitle:
            lines += _fill(b.subtitle)
        if b.byline:
            lines += _fill(b.byline)
        return lines

    def visit_HeadingBlock(self, b: HeadingBlock) -> list[str]:
        if b.role in ("bibliography", "sources") and not self.notes_written:
            notes = self.notes_section()
            if notes:
                return [*notes, "", *_underlined(b.text, b.level)]
        return _underlined(b.text, b.level)

    def visit_ParagraphBlock(self, b: ParagraphBlock) -> list[str]:
        label = self.labels["analysis"]
        return _fill(" ".join(_sentence(s, label) for s in b.sentences))

    def visit_ListBlock(self, b: ListBlock) -> list[str]:
        label = self.labels["analysis"]
        return [line for s in b.items for line in _fill(_sentence(s, label), "- ")]

    def visit_QuoteBlock(self, b: QuoteBlock) -> list[str]:
        lines = _fill(_sentence(b.sentence, self.labels["analysis"]), "    ")
        if b.attribution:
            lines += _fill(f"— {b.attribution}", "    ", "      ")
        return lines

    def visit_TableBlock(self, b: TableBlock) -> list[str]:
        label = self.labels["analysis"]
        lines = _fill(b.label(self.locale))
        lines += _fill(_row(b.header))
        for row in b.rows:
            cells = [_sentence(c.sentence, label) if c.sentence else c.text for c in row]
            lines += _fill(_row(cells))
        return lines

    def visit_ContentsBlock(self, b: ContentsBlock) -> list[str]:
        lines = _underlined(b.label, 1)
        for entry in b.entries:
            lines += _fill(entry.text, "  " * entry.level)
        return lines

    def visit_ImageBlock(self, b: ImageBlock) -> list[str]:
        lines = _fill(_image_text(b.alt))
        caption = _sentence(b.caption, self.labels["analysis"])
        return lines + _fill(f"{b.label(self.locale)} {caption}")

    def visit_BibliographyBlock(self, b: BibliographyBlock) -> list[str]:
        lines: list[str] = []
        for entry in b.entries:
            lines += [*([""] if lines else []), *_fill(entry.text)]
        return lines

    def visit_SourcesBlock(self, b: SourcesBlock) -> list[str]:
        lines: list[str] = []
        for n, entry in enumerate(b.entries, 1):
            parts = [entry.title, entry.details, entry.record]
            text = ". ".join(p.strip() for p in parts if p)
            lines += _fill(_source_text(text, entry.url), f"{n}. ")
        return lines


def render(plan: NotePlan) -> str:
    """The brief as plain text."""
    writer = _Writer(plan)
    blocks = [lines for lines in writer.walk(plan) if lines]
    if not writer.notes_written:
        blocks.append(writer.notes_section())
    return "\n\n".join("\n".join(lines) for lines in blocks if lines) + "\n"


# -- checking a written file ------------------------------------------------------------------


class _Expected(NamedTuple):
    """One stretch of the file as the manifest says it reads: its visible text, how problems
    name it, and the note it is (for notes)."""

    text: str
    label: str
    note: int | None = None
    sentence: str | None = None


def _shown(lines: list[str]) -> str:
    return "\n".join(lines)


def _piece(piece: Piece, analysis: str) -> str:
    """An outline piece as :func:`render` writes it."""
    if piece.kind == "title":
        return _shown(_underlined(piece.text, 0))
    if piece.kind == "contents":  # the label is a heading; each entry indented by its level
        if piece.level == 0:
            return _shown(_underlined(piece.text, 1))
        return _shown(_fill(piece.text, "  " * piece.level))
    if piece.kind == "image" and piece.image is not None:
        return _shown(_fill(_image_text(piece.image.alt))) + "\n" + piece.text
    if piece.kind == "heading":
        return _shown(_underlined(piece.text, piece.level))
    if piece.kind == "sentence":
        sent = piece.sentence
        assert sent is not None
        bullet = "- " if sent.block in ("key_point", "list") else ""
        label = analysis if sent.analysis else None
        text = _linked((p.text, p.href) for p in sent.parts) if sent.parts else sent.text
        if piece.table is not None:  # a cell: one piece of its row's line
            return _shown(_fill(_sentence_text(text, label, sent.note)))
        return _shown(_fill(_sentence_text(text, label, sent.note), bullet))
    if piece.kind in ("header", "cell"):
        return _shown(_fill(piece.text))  # controls shown as the writer shows them
    if piece.kind == "source" and piece.url:
        return _shown(_fill(_source_text(piece.text.removesuffix(f" {piece.url}"), piece.url)))
    return _shown(_fill(piece.text))  # subtitle, byline, attribution, source without a link


def _notes(noted: list[ManifestSentence], heading: str) -> list[_Expected]:
    """The notes section: its heading, then every note with the exact cited words."""
    if not noted:
        return []
    out = [_Expected(_shown(_underlined(heading, 1)), "the Notes heading")]
    for sent in noted:
        assert sent.note is not None
        lines = _note_lines(sent.note, sent.note_text or "", (c.exact for c in sent.citations))
        label = f"note {sent.note} (sentence {sent.id})"
        out.append(_Expected(_shown(lines), label, sent.note, sent.id))
    return out


def _expected(manifest: Manifest) -> list[_Expected]:
    """What a plain-text file written from the brief ``manifest`` describes shows, in order:
    the body, with the notes before the bibliography or the sources appendix (or at the
    end)."""
    labels = locale_of(manifest).labels
    pieces = outline(manifest)
    notes = _notes([s for s in manifest.sentences if s.note is not None], labels["notes"])
    first_source = next((i for i, p in enumerate(pieces) if p.kind in ("entry", "source")), None)
    appendix = first_source - 1 if first_source is not None else len(pieces)
    body = [_Expected(_piece(p, labels["analysis"]), p.label) for p in pieces]
    # a table's header row and each body row are one line of cells
    grouped: list[_Expected] = []
    for k, (piece, expected) in enumerate(zip(pieces, body, strict=True)):
        if k < appendix and piece.table is not None and piece.kind != "caption":
            before = pieces[k - 1]
            if before.table is piece.table and before.row == piece.row and before.kind != "caption":
                last = grouped[-1]
                label = f"table {piece.table.number}, row {piece.row}"
                grouped[-1] = _Expected(_row((last.text, expected.text)), label)
                continue
        grouped.append(expected)
    appendix -= len(body) - len(grouped)
    return [*grouped[:appendix], *notes, *grouped[appendix:]]


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"{str(path)!r}: cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(
            f"{str(path)!r}: over {MAX_TEXT_BYTES} bytes, too large for a plain-text brief"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{str(path)!r}: not UTF-8 text (invalid byte at offset {exc.start}); "
            "this exporter writes UTF-8"
        ) from None


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Account for every visible character of the plain-text brief at ``path`` with
    ``manifest``, the JSON manifest exported from the same brief (required: a text file
    cannot carry one)."""
    if manifest is None:
        raise ReadError(
            f"{str(path)!r}: a plain-text brief carries no provenance manifest; pass the JSON "
            "manifest exported from the same brief (briefkit.verify(..., manifest="
            "'brief.json'), or --manifest brief.json)"
        )
    text = _read_text(path)
    want = _expected(manifest)
    notes = {w.label: w for w in want if w.note is not None}
    problems: list[Problem] = []
    for problem in account(text, [(w.text, w.label) for w in want], where=path.name):
        label = problem.message.partition(": ")[0]
        note = notes.get(label) if problem.code in ("differs", "missing") else None
        if note is not None:  # a note that is not there as the manifest says
            problem = Problem(
                f"note-{problem.code}",
                problem.message,
                sentence=note.sentence,
                note=note.note,
                severity=problem.severity,
            )
        problems.append(problem)
    return Checked(manifest, tuple(problems))


class PlainTextExporter:
    """The ``txt`` exporter; its :meth:`check` makes the files it writes verifiable."""

    name = "txt"
    suffixes = (".txt",)
    media_type = "text/plain; charset=utf-8"
    description = "plain text wrapped at 72 columns, with endnotes quoting each citation"

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(render(plan).encode("utf-8"))

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        """Verify's reader for ``.txt`` files: what the file shows against ``manifest``."""
        return check(path, manifest)
