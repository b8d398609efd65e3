"""Check a written Markdown file against its manifest: every visible character of the body
must belong to the piece of the brief expected at that point, rendered as the writer renders
it, and the footnotes must be exactly the manifest's notes.

The reader (:mod:`briefkit.formats.markdown.reader`) gives the body's visible text with the
writer's markup as structure tokens. The pieces of :func:`~briefkit.formats.checking.outline`
are rendered the same way — the title as a level-1 heading, the subtitle, headings
one level down, key points and list items as ``- `` items, a block quote and its attribution,
the *Analysis:* label (in the manifest's language), the sentence text, its note
mark, the bibliography's entries as paragraphs, the sources appendix as a numbered list
with the titles and their addresses, and each table as its caption and a pipe table whose
labels are isolated as the writer isolates them, a line break in a cell read as a space —
and the two are walked in step,
whitespace aside: nothing may stand between two pieces. Text before, between or after the
pieces is *unlinked text*; a piece that reads otherwise *differs*, one that is not there is
*missing*, one found elsewhere is *out of order*. Whatever the reader found that the writer
never writes (hidden text, raw HTML, code, stray markup, any HTML comment but the manifest's
and the cites comments) is reported where it stands: in or after which sentence, in which
note. Each footnote definition ends in its cites comment (``<!-- cites: SOURCE:START-END …
-->``), which must list exactly its sentence's citations, in order (``note-cites``).

A table's pieces are named by their place (``the caption of table 1``, ``table 1, header,
column 2``, ``table 1, row 3, column 2 (sentence s9)``), so an edited, moved or added cell or
row, a relabelled header, a changed caption or text hidden in a cell is reported naming the
table, row and column. Each table must be read as a pipe table where its header row stands
(``table-missing``) whose alignment row aligns each column as the manifest does
(``table-align``).

Emphasis and links to web pages are taken out of the visible text before it is accounted
for (whitespace aside, they are the tokens of :func:`~.reader.href` and :data:`~.reader.EM`)
and checked piece by piece: a sentence's emphasised runs and links, in order, are compared
with its manifest parts by :func:`~briefkit.formats.checking.emphasis_problems` and
:func:`~briefkit.formats.checking.link_problems` (after its *Analysis:* label, which must be
in italics); the subtitle must be in italics, the contents' label and each source's title in
bold and each source's address a link to itself; emphasis or a link anywhere else — a
heading, the title, a table's labels, the bibliography, text outside every piece — is an
``emphasis`` or ``link`` problem, and so (as the reader's findings) is one in a note or an
image's alt text.

Images, links and the contents are rendered as the writer writes them and accounted with the
rest: each image is its token (and its ``{#figure-N}`` when a link leads to it), then the
label and caption sentence (``figure 1``, ``sentence s4 (figure 1, caption)``); each
cross-reference whose wording is one line is a link to the anchor the manifest records;
headings, and each table's caption, carry their id when a link leads to them; the contents
are the bold label and one item per heading, nested by level, linking to the heading's
anchor. So a link that leads elsewhere, an id removed or moved, an entry edited, removed,
added or re-nested each reads otherwise. Each image must moreover be one whose source is a
data URI (PNG or JPEG, strict base64) of exactly the manifest's bytes (``image-source``,
``image-differs``) with the manifest's alt text, isolated on one line as the writer writes it
(``image-alt``); an image that is not where the manifest has one is ``image-missing``, one the
manifest does not have ``image-extra``.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from briefkit._text import display, split_lines
from briefkit._typography import isolate
from briefkit.errors import ReadError
from briefkit.formats._lazy import read_only
from briefkit.formats.checking import (
    Checked,
    Piece,
    cites_problem,
    common_prefix,
    diff,
    emphasis_problems,
    link_problems,
    locale_of,
    note_text_problem,
    outline,
    squash,
)
from briefkit.formats.html._anchors import (
    contents_anchors,
    heading_anchors,
    linked_anchors,
    nesting,
    one_line,
)
from briefkit.formats.html._images import source_problems
from briefkit.formats.markdown._container import MANIFEST_COMMENT, RULE
from briefkit.formats.markdown.reader import (
    CAPTION,
    CELL,
    EM,
    HEADER_CELL,
    HEADING_END,
    IMAGE,
    ITEM,
    ORDERED,
    QUOTE,
    STRONG,
    TABLE_ROW,
    Finding,
    MarkdownContents,
    anchor,
    heading,
    item,
    link_close,
    link_open,
    mark,
    read_markdown,
    readable,
    span_anchor,
)
from briefkit.manifest import Manifest, ManifestSentence
from briefkit.problems import Problem

__all__ = ["MarkdownChecker", "check", "markdown_problems"]


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the Markdown file at ``path`` and compare what it shows with its manifest (or
    with ``manifest`` when one is given)."""
    md = read_markdown(path)
    found = manifest or md.manifest
    if found is None:
        hint = ""
        with path.open("rb") as fh:
            if fh.read(8).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                hint = (
                    "; it looks like a Markdown brief (front matter), which is what a build "
                    "reads: build it and verify the outputs (briefkit build BRIEF.md -o "
                    "OUTDIR --verify)"
                )
        raise ReadError(
            f"{str(path)!r}: no briefkit provenance manifest (the trailing "
            f"{MANIFEST_COMMENT!r} comment) is in the file{hint}"
        )
    return Checked(found, tuple(markdown_problems(md, found)))


def markdown_problems(contents: MarkdownContents, manifest: Manifest) -> list[Problem]:
    """Every way what a reader of the file sees differs from ``manifest``."""
    wants = _wants(manifest)
    seen = _Seen.of(contents)
    body, placed = _account(contents, seen, wants)
    notes = {str(s.note): s for s in manifest.sentences if s.note is not None}
    found = [_finding_problem(f, contents, seen, wants, placed, notes) for f in contents.findings]
    tables = _table_problems(contents, seen, wants, placed)
    images = _image_problems(contents, seen, wants, placed)
    styles = _style_problems(contents, seen, wants, placed, manifest)
    return _note_problems(contents, manifest) + found + body + tables + images + styles


# -- the pieces as the writer renders them ----------------------------------------------------


@attrs.frozen
class _Want:
    """A piece of the brief as the file should show it (structure tokens, whitespace kept)."""

    text: str
    piece: Piece
    #: an analysis sentence's: where its label stands in the squashed text
    label_at: int | None = None
    #: a piece that is not a sentence: the text the writer emphasises (``em``/``strong``)
    #: and links (to its address) in it
    emphasis: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = ()

    @property
    def sentence(self) -> ManifestSentence | None:
        return self.piece.sentence

    @property
    def label(self) -> str:
        return _in_table(self.piece) or _in_figure(self.piece) or self.piece.label

    @property
    def named(self) -> str:
        """The piece's name at the head of a problem about it."""
        sent = self.piece.sentence
        if self.piece.table is not None:
            return _in_table(self.piece)
        if self.piece.image is not None:
            return _in_figure(self.piece)
        if sent is not None and self.piece.kind == "sentence":
            return f"sentence {sent.id} ({sent.place})"
        return self.piece.label


def _in_table(piece: Piece) -> str:
    """A table's piece by its place: ``the caption of table 2``, ``table 2, header, column
    1``, ``table 2, row 3, column 2 (sentence s9)`` (``""`` for a piece of no table)."""
    if piece.table is None:
        return ""
    name = f"table {piece.table.number}"
    if piece.kind == "caption":
        return f"the caption of {name}"
    if piece.kind == "header":
        return f"{name}, header, column {piece.column}"
    sent = f" (sentence {piece.sentence.id})" if piece.sentence is not None else ""
    return f"{name}, row {piece.row}, column {piece.column}{sent}"


def _in_figure(piece: Piece) -> str:
    """An image's piece by its place: ``figure 1`` (the image and its label), ``sentence s4
    (figure 1, caption)`` (``""`` for a piece of no image)."""
    if piece.image is None:
        return ""
    name = f"figure {piece.image.number}"
    return f"sentence {piece.sentence.id} ({name}, caption)" if piece.sentence else name


def _shown(text: str) -> str:
    """``text`` as the writer shows it: XML-illegal characters pictured, one break for every
    newline style."""
    return "\n".join(display(line) for line in split_lines(text))


_LEADS = {"key_point": ITEM, "list": ITEM, "quote": QUOTE}


def _text(sent: ManifestSentence, linked: bool = True) -> str:
    """A sentence's text as the writer shows it: each cross-reference whose wording is one
    line a link (``linked``)."""
    parts = sent.parts
    if not linked or "".join(p.text for p in parts) != sent.text:
        return _shown(sent.text)
    out: list[str] = []
    run: list[str] = []
    for part in parts:
        if part.ref is None or not one_line(part.text):
            run.append(part.text)
            continue
        out.append(_shown("".join(run)))
        run = []
        out.append(link_open(part.ref) + _shown(part.text) + link_close(part.ref))
    out.append(_shown("".join(run)))
    return "".join(out)


def _wants(manifest: Manifest) -> list[_Want]:
    wants: list[_Want] = []
    n = 0
    # the label, the subtitle, the contents' label and each source's title and address are
    # emphasised or linked in the file: checked with the author's emphasis and links
    analysis = f"{_shown(locale_of(manifest).labels['analysis'])}: "
    pieces = outline(manifest)
    linked = linked_anchors(manifest, pieces, multiline_refs=False)
    anchors = heading_anchors(pieces)
    listed = [p for p in pieces if p.kind == "contents" and p.level > 0]
    entries = iter(zip(contents_anchors(pieces), nesting(p.level for p in listed), strict=True))

    def attribute(name: str | None) -> str:
        """The id attribute of what ``name`` anchors, when a link leads to it."""
        return anchor(name) if name is not None and name in linked else ""

    for k, piece in enumerate(pieces):
        kind = piece.kind
        if kind == "title":
            text = heading(1) + _shown(piece.text) + HEADING_END
        elif kind == "subtitle":
            text = _shown(piece.text)
            wants.append(_Want(text, piece, emphasis=((text, "em"),)))
            continue
        elif kind == "heading":
            text = heading(min(6, piece.level + 1)) + _shown(piece.text)
            text += attribute(anchors.get(k)) + HEADING_END
        elif kind == "contents" and piece.level == 0:  # the label, in bold
            text = _shown(piece.text)
            wants.append(_Want(text, piece, emphasis=((text, "strong"),)))
            continue
        elif kind == "contents":  # an entry: a link to the heading, nested by level
            to, depth = next(entries)
            shown = _shown(isolate(piece.text)).replace("\n", " ")
            text = item(depth) + link_open(to or "") + shown + link_close(to or "")
        elif kind == "image" and piece.image is not None:
            text = IMAGE + attribute(f"figure-{piece.image.number}") + _shown(piece.text)
        elif kind == "caption":
            text = CAPTION + _shown(piece.text)
            if piece.table is not None and f"table-{piece.table.number}" in linked:
                text += span_anchor(f"table-{piece.table.number}")
        elif kind in ("header", "cell"):
            # a label is isolated (as the writer isolates it), on one line: a line break in
            # a cell is a space
            row = TABLE_ROW if piece.column == 1 else ""
            cell = HEADER_CELL if kind == "header" else CELL
            text = row + cell + _shown(isolate(piece.text)).replace("\n", " ")
        elif kind == "sentence" and piece.sentence is not None and piece.table is not None:
            sent = piece.sentence
            label = analysis if sent.analysis else ""
            note = mark(str(sent.note)) if sent.note is not None else ""
            row = TABLE_ROW if piece.column == 1 else ""
            text = row + CELL + label + _text(sent).replace("\n", " ") + note
            at = len(squash(row + CELL)) if label else None
            wants.append(_Want(text, piece, at))
            continue
        elif kind == "sentence" and piece.sentence is not None:
            sent = piece.sentence
            label = analysis if sent.analysis else ""
            note = mark(str(sent.note)) if sent.note is not None else ""
            lead = _LEADS.get(sent.block, "")
            text = lead + label + _text(sent) + note
            wants.append(_Want(text, piece, len(lead) if label else None))
            continue
        elif kind == "source":
            title = isolate(manifest.sources[n].title)
            n += 1
            head = f"{n}. {title}"
            rest = piece.text.removeprefix(head)
            if piece.url:
                rest = rest.removesuffix(f" {piece.url}")
            text = f"{ORDERED}{n}. {_shown(title)}{_shown(rest)}"
            if piece.url:
                text += f" {piece.url}"
            links = ((piece.url, piece.url),) if piece.url else ()
            wants.append(_Want(text, piece, emphasis=((_shown(title), "strong"),), links=links))
            continue
        else:  # the byline, a block quote's attribution, a bibliography entry (a paragraph)
            text = _shown(piece.text)
        wants.append(_Want(text, piece))
    return wants


# -- accounting ---------------------------------------------------------------------------------


#: Whitespace as ``str.isspace`` has it (``\s`` of a str pattern is the same set).
_BLANK = re.compile(r"\s+")
_NON_BLANK = re.compile(r"\S+")


#: the tokens of emphasis and of links to web pages, taken out of the text accounted for
_STYLE = re.compile(f"{re.escape(EM)}|{re.escape(STRONG)}|\x02/?href=[^\x03]*\x03")


@attrs.frozen
class _Seen:
    """The visible text without whitespace and without the tokens of emphasis and of links to
    web pages (``styles``: each such token and where it stands in ``text``); ``at`` is where
    each character stands in ``contents.shown``, ``offsets`` where it stands in the file."""

    text: str
    at: Sequence[int]
    offsets: Sequence[int]
    shown: str
    styles: tuple[tuple[int, str, int], ...] = ()  # (position in text, token, file offset)

    @classmethod
    def of(cls, contents: MarkdownContents) -> _Seen:
        shown = contents.shown
        # compact arrays, a run of non-blank characters at a time: 8 bytes a character
        at, offsets = array("q"), array("q")
        where = contents.where
        raw = where.cast("B") if isinstance(where, memoryview) and where.format == "q" else None
        size = offsets.itemsize
        texts: list[str] = []
        styles: list[tuple[int, str, int]] = []
        length = 0
        pos = 0
        for token in (*_STYLE.finditer(shown), None):
            end = token.start() if token is not None else len(shown)
            for m in _NON_BLANK.finditer(shown, pos, end):
                a, b = m.span()
                at.extend(range(a, b))
                if raw is not None:  # the reader's: copied as bytes, a run at a time
                    offsets.frombytes(raw[a * size : b * size])
                else:
                    offsets.extend(where[a:b])
                texts.append(m.group())
                length += b - a
            if token is not None:
                styles.append((length, token.group(), where[token.start()]))
                pos = token.end()
        text = "".join(texts)
        return cls(
            text,
            memoryview(at).toreadonly(),
            memoryview(offsets).toreadonly(),
            shown,
            tuple(styles),
        )

    def original(self, start: int, end: int) -> str:
        """The visible text (whitespace kept) behind ``[start, end)``."""
        if start >= end:
            return ""
        return self.shown[self.at[start] : self.at[end - 1] + 1]

    def quote(self, start: int, end: int, limit: int = 60) -> str:
        return _short(readable(self.original(start, end)), limit)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _where(contents: MarkdownContents, seen: _Seen, index: int) -> str:
    """``line L, column C`` of a character of ``seen`` (the end of the file past the last)."""
    if index < len(seen.offsets):
        offset = seen.offsets[index]
    elif seen.offsets:
        offset = seen.offsets[-1] + 1
    else:
        offset = 0
    line, column = contents.line_col(offset)
    return f"line {line}, column {column}"


@attrs.frozen
class _Placed:
    """Where the pieces stand in ``seen``: the pieces found, in the order of their (disjoint,
    non-empty) stretches ``[starts[i], ends[i])``, and where each missing piece should
    stand."""

    pieces: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: position -> the (first) piece missing there
    missing_at: Mapping[int, int] = attrs.field(converter=read_only)

    @classmethod
    def of(cls, ranges: Sequence[tuple[int, int] | None], missing: dict[int, int]) -> _Placed:
        found = sorted((r[0], r[1], k) for k, r in enumerate(ranges) if r and r[0] < r[1])
        at: dict[int, int] = {}
        for k, pos in missing.items():
            at.setdefault(pos, k)
        return cls(
            tuple(k for _, _, k in found),
            tuple(a for a, _, _ in found),
            tuple(b for _, b, _ in found),
            at,
        )


@attrs.define
class _Stretch:
    """Unlinked text ``[start, end)`` of ``seen`` between the pieces ``before`` and ``after``
    (indices into the pieces; -1 and ``len`` at the ends)."""

    start: int
    end: int
    before: int
    after: int


def _account(
    contents: MarkdownContents, seen: _Seen, wants: Sequence[_Want]
) -> tuple[list[Problem], _Placed]:
    """Walk the visible text and the pieces in step. Returns the problems and where each
    piece was found."""
    text = seen.text
    squashed = [squash(w.text) for w in wants]
    ranges: list[tuple[int, int] | None] = [None] * len(wants)
    claimed: list[tuple[int, int]] = []  # pieces found out of order
    stretches: list[_Stretch] = []
    problems: list[Problem] = []
    missing: dict[int, int] = {}  # a missing piece: where it should stand
    cursor = 0
    previous = -1

    def skip_claimed(pos: int) -> int:
        moved = True
        while moved:
            moved = False
            for a, b in claimed:
                if a == pos < b:
                    pos, moved = b, True
        return pos

    for k, want in enumerate(wants):
        w = squashed[k]
        cursor = skip_claimed(cursor)
        if text.startswith(w, cursor):
            ranges[k] = (cursor, cursor + len(w))
            cursor += len(w)
            previous = k
            continue
        following = next((j for j in range(k + 1, len(wants)) if squashed[j]), None)
        nxt = squashed[following] if following is not None else None
        at = text.find(w, cursor)
        if at > cursor:
            if nxt is not None and text.startswith(nxt, cursor):
                # the next piece stands here: this one was moved further on
                claimed.append((at, at + len(w)))
                ranges[k] = (at, at + len(w))
                problems.append(_order(want, "later", _where(contents, seen, at)))
                continue
            stretches.append(_Stretch(cursor, at, previous, k))
            ranges[k] = (at, at + len(w))
            cursor = at + len(w)
            previous = k
            continue
        earlier = _carve(stretches, text, w)
        if earlier is not None:
            claimed.append(earlier)
            ranges[k] = earlier
            problems.append(_order(want, "earlier", _where(contents, seen, earlier[0])))
            continue
        stands = text.find(nxt, cursor) if nxt is not None else len(text)
        if stands == cursor or cursor >= len(text):
            after = wants[previous].label if previous >= 0 else "the start"
            missing[k] = cursor
            problems.append(
                Problem(
                    "missing",
                    f"{want.named}: missing from the file (expected after {after}, at "
                    f"{_where(contents, seen, cursor)})",
                    sentence=want.sentence.id if want.sentence else None,
                    note=want.sentence.note if want.sentence else None,
                )
            )
            continue
        end = _resync(w, text, cursor)
        if end is None or (stands > cursor and end > stands):
            end = stands if stands > cursor else cursor + max(1, common_prefix(w, text, cursor))
        detail = (
            diff(
                " ".join(readable(want.text).split()),
                " ".join(readable(seen.original(cursor, end)).split()),
            )
            or "the same characters, not the same markup"
        )
        problems.append(
            Problem(
                "differs",
                f"{want.named}: the file does not show it as the manifest says "
                f"({_where(contents, seen, cursor)}: {detail})",
                sentence=want.sentence.id if want.sentence else None,
                note=want.sentence.note if want.sentence else None,
            )
        )
        ranges[k] = (cursor, end)
        cursor = end
        previous = k
    cursor = skip_claimed(cursor)
    if cursor < len(text):
        stretches.append(_Stretch(cursor, len(text), previous, len(wants)))
    unlinked = _unlinked(contents, seen, wants, stretches, claimed)
    return problems + unlinked, _Placed.of(ranges, missing)


def _order(want: _Want, which: str, where: str) -> Problem:
    return Problem(
        "order",
        f"{want.named}: out of order; the file shows it {which}, at {where}",
        sentence=want.sentence.id if want.sentence else None,
        note=want.sentence.note if want.sentence else None,
    )


def _carve(stretches: list[_Stretch], text: str, want: str) -> tuple[int, int] | None:
    """Where ``want`` stands inside stretches of unlinked text already passed, if it does."""
    for s in stretches:
        at = text.find(want, s.start, s.end)
        if at >= 0:
            return at, at + len(want)
    return None


def _unlinked(
    contents: MarkdownContents,
    seen: _Seen,
    wants: Sequence[_Want],
    stretches: Sequence[_Stretch],
    claimed: Sequence[tuple[int, int]],
) -> list[Problem]:
    problems: list[Problem] = []
    for s in stretches:
        start = s.start
        for a, b in sorted(claimed):
            if b <= start or a >= s.end:
                continue
            if a > start:
                problems.append(_unlinked_problem(contents, seen, wants, s, start, a))
            start = max(start, b)
        if start < s.end:
            problems.append(_unlinked_problem(contents, seen, wants, s, start, s.end))
    return problems


def _unlinked_problem(
    contents: MarkdownContents,
    seen: _Seen,
    wants: Sequence[_Want],
    stretch: _Stretch,
    start: int,
    end: int,
) -> Problem:
    before = wants[stretch.before] if stretch.before >= 0 else None
    after = wants[stretch.after] if stretch.after < len(wants) else None
    sent = (before.sentence if before else None) or (after.sentence if after else None)
    where = f"after {before.label}" if before else "at the start"
    return Problem(
        "unlinked-text",
        f"unlinked text {where} in the file ({_where(contents, seen, start)}): "
        f"{seen.quote(start, end)}",
        sentence=sent.id if sent else None,
    )


def _resync(want: str, text: str, cursor: int) -> int | None:
    """Where reading goes on after a piece that reads differently: after its last 12
    characters when they stand close by, else ``None``."""
    tail = want[-12:]
    at = text.find(tail, cursor, cursor + len(want) * 2 + 64)
    return at + len(tail) if at >= 0 else None


# -- emphasis and links -----------------------------------------------------------------------


@attrs.frozen
class _Run:
    """Emphasised or linked text of ``seen``: ``[start, end)``, ``em``/``strong`` or the
    address it links to, and where it starts in the file."""

    start: int
    end: int
    style: str | None
    href: str | None
    offset: int


def _runs(seen: _Seen) -> list[_Run]:
    """The emphasised runs and links of ``seen``, in the order they open."""
    runs: list[tuple[int, str | None, str | None, int]] = []  # start, style, href, offset
    found: list[_Run | None] = []
    open_at: list[int] = []  # indices of the runs still open
    for pos, name, offset in seen.styles:
        style = "em" if name == EM else "strong" if name == STRONG else None
        closing = name.startswith("\x02/href=")
        if style is not None:
            closing = any(runs[k][1] == style for k in open_at[-1:])
        if closing and open_at:
            k = open_at.pop()
            start, kind, to, at = runs[k]
            found[k] = _Run(start, pos, kind, to, at)
            continue
        runs.append((pos, style, None if style else name[len("\x02href=") : -1], offset))
        found.append(None)
        open_at.append(len(runs) - 1)
    for k in open_at:  # never closed: to the end of the text
        start, kind, to, at = runs[k]
        found[k] = _Run(start, len(seen.text), kind, to, at)
    return [r for r in found if r is not None]


def _style_problems(
    contents: MarkdownContents,
    seen: _Seen,
    wants: Sequence[_Want],
    placed: _Placed,
    manifest: Manifest,
) -> list[Problem]:
    """The emphasis and links of each piece: a sentence's are its parts' (compared by
    :func:`~briefkit.formats.checking.emphasis_problems` and
    :func:`~briefkit.formats.checking.link_problems`) after its analysis label in italics;
    the subtitle is in italics, the contents' label and each source's title in bold and its
    address a link to itself; nothing else is emphasised or linked."""
    by_piece: dict[int, list[_Run]] = {}
    problems: list[Problem] = []
    for run in _runs(seen):
        i = bisect.bisect_right(placed.starts, run.start) - 1
        if i >= 0 and (run.start < placed.ends[i] or run.start == run.end):
            by_piece.setdefault(placed.pieces[i], []).append(run)
            continue
        line, column = contents.line_col(run.offset)
        text = _short(readable(seen.text[run.start : run.end]))
        what = f"in {'bold' if run.style == 'strong' else 'italics'}" if run.style else "linked"
        problems.append(
            Problem(
                "emphasis" if run.style else "link",
                f"text {what} outside the brief's pieces (line {line}, column {column}): {text}",
            )
        )
    label = squash(_shown(locale_of(manifest).labels["analysis"]) + ":")
    starts = dict(zip(placed.pieces, placed.starts, strict=True))
    for k, runs in sorted(by_piece.items()):
        want = wants[k]
        emphasis = [(readable(seen.text[r.start : r.end]), r) for r in runs if r.style]
        links = [(readable(seen.text[r.start : r.end]), r) for r in runs if r.href]
        sent = want.sentence
        if sent is not None and want.piece.kind == "sentence":
            start = starts[k]
            if want.label_at is not None and emphasis:
                first = emphasis[0][1]
                if first.start == start + want.label_at and emphasis[0][0] == label:
                    emphasis = emphasis[1:]
            problems += emphasis_problems(
                sent, [(t, r.style or "") for t, r in emphasis], want.named
            )
            problems += link_problems(sent, [(t, r.href or "") for t, r in links], want.named)
            continue
        problems += _expected_styles(want, emphasis, links)
    for k, want in enumerate(wants):  # what should be emphasised or linked and is not
        sent = want.sentence
        if k in by_piece:
            continue
        if sent is not None and want.piece.kind == "sentence":
            problems += emphasis_problems(sent, [], want.named)
            problems += link_problems(sent, [], want.named)
        else:
            problems += _expected_styles(want, [], [])
    problems += _label_problems(seen, wants, placed, by_piece, label)
    return problems


def _label_problems(
    seen: _Seen,
    wants: Sequence[_Want],
    placed: _Placed,
    by_piece: Mapping[int, list[_Run]],
    label: str,
) -> list[Problem]:
    """Each analysis sentence found shows its label in italics."""
    problems: list[Problem] = []
    for i, k in enumerate(placed.pieces):
        want = wants[k]
        if want.label_at is None or want.sentence is None:
            continue
        at = placed.starts[i] + want.label_at
        if not any(
            r.style == "em" and r.start == at and squash(seen.text[r.start : r.end]) == label
            for r in by_piece.get(k, ())
        ):
            problems.append(
                Problem(
                    "emphasis",
                    f"{want.named} does not show its label {label!r} in italics",
                    sentence=want.sentence.id,
                )
            )
    return problems


def _expected_styles(
    want: _Want, emphasis: Sequence[tuple[str, _Run]], links: Sequence[tuple[str, _Run]]
) -> list[Problem]:
    """The emphasis and links of a piece that is not a sentence, as the writer writes it."""
    wanted = [(squash(t), s) for t, s in want.emphasis if squash(t)]
    linked = [(squash(t), h) for t, h in want.links]
    got = [(squash(t), r.style or "") for t, r in emphasis if squash(t)]
    got_links = [(squash(t), r.href or "") for t, r in links]
    problems: list[Problem] = []
    sent = want.sentence
    if got != wanted:
        shown = ", ".join(f"{t!r} ({s})" for t, s in got) or "nothing"
        expected = ", ".join(f"{t!r} ({s})" for t, s in wanted) or "nothing"
        problems.append(
            Problem(
                "emphasis",
                f"{want.named}: the file emphasises {shown}; the writer emphasises {expected}",
                sentence=sent.id if sent else None,
            )
        )
    if got_links != linked:
        shown = ", ".join(f"{t!r} -> {h}" for t, h in got_links) or "nothing"
        expected = ", ".join(f"{t!r} -> {h}" for t, h in linked) or "nothing"
        problems.append(
            Problem(
                "link",
                f"{want.named}: the file links {shown}; the writer links {expected}",
                sentence=sent.id if sent else None,
            )
        )
    return problems


# -- tables -------------------------------------------------------------------------------------


def _table_problems(
    contents: MarkdownContents, seen: _Seen, wants: Sequence[_Want], placed: _Placed
) -> list[Problem]:
    """Each of the manifest's tables is a pipe table where its header row stands, and its
    alignment row aligns each column as the manifest does; what the cells show is accounted
    for with the rest of the body."""
    problems: list[Problem] = []
    starts = dict(zip(placed.pieces, placed.starts, strict=True))
    tables = {t.offset: t for t in contents.tables}
    for k, want in enumerate(wants):
        t = want.piece.table
        if t is None or want.piece.kind != "header" or want.piece.column != 1:
            continue
        first = next((c.sentence for row in t.rows for c in row if c.sentence), None)
        name = f"table {t.number}"
        start = starts.get(k)
        found = tables.get(seen.offsets[start]) if start is not None else None
        if found is None:
            problems.append(
                Problem(
                    "table-missing",
                    f"{name} ({_short(t.caption)}): the file has no pipe table for it (a header "
                    "row, then an alignment row of as many cells)",
                    sentence=first,
                )
            )
            continue
        line, _column = contents.line_col(found.offset)
        for c, (align, got) in enumerate(zip(t.align, found.align, strict=False), 1):
            if align != got:
                problems.append(
                    Problem(
                        "table-align",
                        f"{name}, column {c}: the alignment row (line {line + 1}) aligns it "
                        f"{got}; the manifest aligns it {align} ({RULE[align]!r})",
                        sentence=first,
                    )
                )
    return problems


# -- images -------------------------------------------------------------------------------------


def _image_problems(
    contents: MarkdownContents, seen: _Seen, wants: Sequence[_Want], placed: _Placed
) -> list[Problem]:
    """Each of the manifest's images is an image where its piece stands, whose source is a
    data URI of exactly the manifest's bytes and whose alt text is the manifest's (isolated,
    on one line, as the writer writes it); an image the manifest does not have is
    reported."""
    problems: list[Problem] = []
    starts = dict(zip(placed.pieces, placed.starts, strict=True))
    images = {i.offset: i for i in contents.images}
    claimed: set[int] = set()
    for k, want in enumerate(wants):
        img = want.piece.image
        if img is None or want.piece.kind != "image":
            continue
        caption = wants[k + 1].sentence if k + 1 < len(wants) else None
        sid = caption.id if caption is not None else img.caption
        note = caption.note if caption is not None else None
        name = f"figure {img.number}"
        start = starts.get(k)
        found = images.get(seen.offsets[start]) if start is not None else None
        if found is None:
            problems.append(
                Problem(
                    "image-missing",
                    f"{name} ({_short(img.alt)}): the file shows no image where the manifest "
                    "has it",
                    sentence=sid,
                    note=note,
                )
            )
            continue
        claimed.add(found.offset)
        line, column = contents.line_col(found.offset)
        where = f"{name} (line {line}, column {column})"
        for code, message in source_problems(img, found.src):
            problems.append(Problem(code, f"{where}: {message}", sentence=sid, note=note))
        alt = _shown(isolate(img.alt)).replace("\n", " ")
        if found.alt != alt:
            problems.append(
                Problem(
                    "image-alt",
                    f"{where}: the image's alt text reads {_short(found.alt)}; the manifest's "
                    f"is {_short(alt)} ({diff(alt, found.alt) or 'other characters'})",
                    sentence=sid,
                    note=note,
                )
            )
    for extra in contents.images:
        if extra.offset not in claimed:
            line, column = contents.line_col(extra.offset)
            problems.append(
                Problem(
                    "image-extra",
                    f"an image the manifest does not have (line {line}, column {column}): "
                    f"{_short(extra.alt)}",
                )
            )
    return problems


# -- what the reader found ----------------------------------------------------------------------


def _finding_problem(
    f: Finding,
    contents: MarkdownContents,
    seen: _Seen,
    wants: Sequence[_Want],
    placed: _Placed,
    notes: dict[str, ManifestSentence],
) -> Problem:
    """The problem of a finding, with the sentence (or note) it stands in or after."""
    line, column = contents.line_col(f.start)
    sent: ManifestSentence | None = None
    a = bisect.bisect_left(seen.offsets, f.start)
    b = bisect.bisect_left(seen.offsets, f.end)
    instead = placed.missing_at.get(a) if a == b else None
    if f.note is not None:
        sent = notes.get(f.note)
        context = f"in note [^{f.note}]"
    elif instead is not None:  # shows nothing, where a piece that is missing should stand
        context = f"where {wants[instead].label} should stand"
        sent = wants[instead].sentence
    else:
        # the pieces' stretches are disjoint: those it overlaps stand together
        first = bisect.bisect_right(placed.ends, a)
        last = bisect.bisect_left(placed.starts, b if b > a else a + 1)
        if b == a and first < last and placed.starts[first] >= a:
            last = first  # nothing visible, right before a piece: not in it
        hits = [placed.pieces[i] for i in range(first, last)]
        if hits:
            k = next((k for k in hits if wants[k].sentence is not None), hits[0])
            context = f"in {wants[k].label}"
            sent = wants[k].sentence
        else:
            if first > 0:
                k = placed.pieces[first - 1]
                context = f"after {wants[k].label}"
                sent = wants[k].sentence
            else:
                context = "before the first piece of the brief"
            if sent is None and first < len(placed.pieces):
                sent = wants[placed.pieces[first]].sentence  # after a heading: what follows
    return Problem(
        f.code,
        f"{f.what} (line {line}, column {column}, {context})",
        sentence=sent.id if sent else None,
        note=sent.note if sent else None,
    )


# -- notes ----------------------------------------------------------------------------------------


def _note_problems(contents: MarkdownContents, manifest: Manifest) -> list[Problem]:
    """The note marks and footnotes must be exactly the manifest's notes: one mark per note,
    in order, each note defined once, in order, reading as the manifest says and ending in
    the comment that carries exactly its sentence's citations, in order."""
    noted = [s for s in manifest.sentences if s.note is not None]
    by_label = {str(s.note): s for s in noted}
    marks = contents.marks
    problems: list[Problem] = []
    if len(marks) != len(noted):
        problems.append(
            Problem(
                "note-mark",
                f"the file shows {len(marks)} note marks; the manifest has {len(noted)} notes",
            )
        )
    for k, (label, sent) in enumerate(zip(marks, noted, strict=False), 1):
        if label != str(sent.note):
            problems.append(
                Problem(
                    "note-mark",
                    f"note mark {k} reads [^{label}]; the manifest numbers it note {sent.note} "
                    f"(sentence {sent.id})",
                    sentence=sent.id,
                    note=sent.note,
                )
            )
    for label, n in Counter(marks).items():
        if n > 1:
            problems.append(
                _note_problem(
                    "note-mark", by_label.get(label), label, f"has {n} marks; a note has one"
                )
            )
    defined = Counter(label for label, _ in contents.definitions)
    for label in contents.duplicate_notes:
        problems.append(
            _note_problem(
                "duplicate-note",
                by_label.get(label),
                label,
                f"is defined {defined[label]} times; renderers show only one of them",
            )
        )
    for sent in noted:
        label = str(sent.note)
        shown = _shown(sent.note_text or "").replace("\n", " ")
        problem = note_text_problem(label, sent, contents.notes.get(label), shown)
        if problem:
            problems.append(problem)
        if label in contents.notes:  # a missing note is reported as such
            problem = cites_problem(sent, contents.note_cites.get(label), "its cites comment")
            if problem:
                problems.append(problem)
    referenced = set(marks)
    extra = sorted((set(contents.notes) - set(by_label)) & referenced)
    if extra:
        problems.append(
            Problem(
                "note-extra",
                f"the file defines note(s) {', '.join(f'[^{n}]' for n in extra)} "
                "that the manifest does not have",
            )
        )
    for label, offset in contents.definitions:
        if label not in referenced and defined[label]:
            defined[label] = 0  # once per label
            line, column = contents.line_col(offset)
            problems.append(
                _note_problem(
                    "hidden-text",
                    by_label.get(label),
                    label,
                    f"is defined at line {line}, column {column}, but no mark refers to it, "
                    f"so renderers do not show it: {_short(contents.notes[label])}",
                )
            )
    order = [
        label for label in dict.fromkeys(x for x, _ in contents.definitions) if label in by_label
    ]
    expected = [label for label in by_label if label in order]
    if order != expected:
        problems.append(
            Problem(
                "note-order",
                f"the footnotes are defined in the order {', '.join(order)}; the manifest "
                f"numbers them {', '.join(expected)}",
            )
        )
    return problems


def _note_problem(code: str, sent: ManifestSentence | None, label: str, message: str) -> Problem:
    if sent is not None:
        return Problem(
            code,
            f"note {label} (sentence {sent.id}) {message}",
            sentence=sent.id,
            note=sent.note,
        )
    return Problem(code, f"note [^{label}] {message}")


class MarkdownChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
