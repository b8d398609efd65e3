"""Page-aware layout with true per-page footnotes.

The layout places items (paragraphs, headings, list items, quotes, table rows) one line at a
time in the sense that matters: before any line is committed to a page, the footnotes whose
marks that line carries must fit at the bottom of the *same* page, together with the notes
already there. A paragraph that does not fit is split after the last line for which that holds;
the rest goes to the next page. So every note starts on the page of its reference mark, by
construction — there is no second pass to repair anything.

A note too tall for the space left is split as Word does: it starts on its reference's page
(at least two lines of it) and continues at the top of the next page's note area, above that
page's own notes, under a full-width separator.

Headings keep with what follows, and so does a table's caption: a run of items that keep with
the next (a heading, its subheading, a caption) goes to the next page unless the start of the
item that ends the run fits on this page with it — two lines of a paragraph, the header and
first row of a table. So no heading or caption is left alone at the foot of a page.
Paragraphs avoid single orphan and widow lines when the page already holds something.

*Tables.* A table is its caption (an item) and one :class:`Row` per body row, all sharing a
:class:`Table` (each column's left edge and width, the header row's cells). A row is placed
as a paragraph's line is: only when the notes its cells' marks carry fit at the foot of the
same page, so a cell's note is on the page where its row is printed. A row is never split
unless it is taller than a page; then its cells' lines are split alike, the rest of each cell
going on in the same row on the next page. On each page a table is on it is drawn as a
*segment*: a rule above the header row (bold, repeated at the top of every page the table
continues on), a rule under it, the rows with a hairline between them, a rule under the last
row of the page, and a thin rule between each two columns from the top rule to the bottom one.
Cells are drawn in reading order — row by row, cell by cell, each cell's lines top to bottom —
so the page's text reads in the table's order; each cell's text stays inside its column.

*Figures and destinations.* A :class:`Figure` (an image) is placed whole, with the start of
the item after it (its caption) on the same page; taller than what is left of the page, it
goes to the next. An item may set a destination (``dest``; a heading's comes with its
outline entry) and draw something after its paragraph (``after``: a contents entry's page
number); the page each destination was set on is kept in :attr:`Layout.dest_pages`.

*Drawing order.* A page draws its body's text, then (when it has notes) the footnote rule and
the notes, then the rules of its tables, then what ``on_page_end`` draws (the running header
and the page number): no line is drawn before the last text of the body, so the text drawn
before a page's first line is its body.

*Tags.* What is drawn is marked as it is drawn (see :mod:`._tags`): each item as the content
of its :attr:`Item.tag`'s element, a figure as a ``Figure`` with its alt text, a table's
caption, header cells and body cells as the ``Caption``, ``TH`` and ``TD`` of its ``Table``
(each row a ``TR``; a header repeated on a later page, the rules, the footnote rule and
whatever ``on_page_end`` draws are artifacts), each note as a ``Note``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from copy import copy, deepcopy
from typing import Any, TypeAlias, cast

import attrs
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.paragraph import FragLine, ParaLines

from briefkit.formats.pdf._container import ALT_TAG
from briefkit.formats.pdf._markup import Paragraph
from briefkit.formats.pdf._tags import Group, Tag, Tagger, hex_text

__all__ = [
    "Figure",
    "Frame",
    "Item",
    "Layout",
    "Placeable",
    "Row",
    "Table",
    "column_widths",
    "line_notes",
]

_BIG = 1e7
#: Items that keep with the next looked at, one after the other, before the one ending the run.
_CHAIN = 8
#: The least width of a column's text.
_NARROWEST = 24.0
_INK = (0.1216, 0.2275, 0.3725)  # #1F3A5F, as the headings
_HAIR = (0.72, 0.74, 0.77)


@attrs.define
class Item:
    """One thing to place: a paragraph (with its spacing) and what else it needs."""

    para: Paragraph
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    outline: tuple[str, int, str] | None = None  # (title, level, destination key)
    splittable: bool = True
    #: a destination key to set where the item starts, without an outline entry
    dest: str | None = None
    #: drawn after the paragraph: ``after(canvas, x, bottom, para)`` (a contents entry's
    #: page number, right-aligned on its last line)
    after: Callable[[Canvas, float, float, Paragraph], None] | None = None
    #: the structure element it is (a paragraph of its own unless told)
    tag: Tag = attrs.field(factory=lambda: Tag("P"))
    #: the rest of a paragraph split over pages: the lines still to place of the paragraph
    #: ``para`` as first wrapped (set by the layout; see :class:`_Rest`)
    rest: _Rest | None = None


@attrs.define(eq=False)
class _Rest:
    """The lines from ``start`` on of ``whole``, a paragraph wrapped once at the frame's
    width, with the notes on each of its lines.

    A long paragraph is wrapped once: each page takes the next of its lines, made into a
    paragraph of those lines only, so what is still to place is never wrapped again (which
    made a paragraph of many pages take time growing with the square of its length). The
    pieces are the paragraphs reportlab's own ``split`` makes: the same words, the first
    piece in the paragraph's style and the later ones with no first-line indent."""

    whole: Paragraph
    start: int
    lines: list[list[int]]


@attrs.define(eq=False)
class Figure:
    """An image to place whole (never split), ``width`` by ``height`` points, kept with the
    item after it (its caption). ``draw(canvas, x, bottom)`` draws it with its lower left
    corner at ``(x, bottom)``; ``dest`` is the destination key set at its top."""

    draw: Callable[[Canvas, float, float], None]
    width: float
    height: float
    dest: str | None = None
    space_before: float = 0.0
    space_after: float = 0.0
    #: the alt text, the ``/Alt`` of its ``Figure`` element and of its marked content
    alt: str = ""


@attrs.frozen
class Frame:
    x: float
    width: float
    top: float
    bottom: float
    note_gap: float = 8.0  # between body and the separator rule
    separator_gap: float = 4.0  # between the rule and the first note


@attrs.define(eq=False)
class Table:
    """What the rows of one table share: each column's left edge and width on the page (its
    cell padding included), the header row's cells (``None`` for an empty label) and how a
    cell that does not fit its column is made looser."""

    columns: tuple[tuple[float, float], ...]
    header: tuple[Paragraph | None, ...]
    pad_x: float = 4.0
    pad_y: float = 3.0
    #: the same text with room to break before each note's mark (see :meth:`fit`)
    loosen: Callable[[Paragraph], Paragraph] | None = None
    #: its ``Table`` element (its caption's tag has it as its group)
    group: Group = attrs.field(factory=lambda: Group("Table"))
    _header_height: float | None = attrs.field(default=None, init=False)

    @property
    def x0(self) -> float:
        return self.columns[0][0]

    @property
    def x1(self) -> float:
        x, width = self.columns[-1]
        return x + width

    def inner(self, column: int) -> float:
        """The width of a cell's text in ``column`` (0-based)."""
        return self.columns[column][1] - 2 * self.pad_x

    def header_height(self) -> float:
        if self._header_height is None:
            tallest = 0.0
            header = list(self.header)
            for k, para in enumerate(header):
                if para is not None:
                    header[k] = para = self.fit(para, k)
                    tallest = max(tallest, float(para.height))
            self.header = tuple(header)
            self._header_height = tallest + 2 * self.pad_y
        return self._header_height

    def fit(self, para: Paragraph, column: int) -> Paragraph:
        """``para``, or when it does not fit ``column`` — a line wider than the column (a word
        reportlab does not break), or a note's mark broken over two lines (reportlab breaks
        a long word anywhere, the mark after it too) — the same text made looser by
        :attr:`loosen`, then also wrapped between any two characters; wrapped at the width
        of the column's text."""
        width = self.inner(column)
        if _fits(para, width):
            return para
        loose = self.loosen(para) if self.loosen is not None else para
        if loose is not para and _fits(loose, width):
            return loose
        style = loose.style
        anywhere = ParagraphStyle(f"{style.name}-anywhere", parent=style, wordWrap="CJK")
        last = Paragraph(loose.text, anywhere)
        try:
            if _fits(last, width):
                return last
        except TypeError:
            # reportlab's wrapping between any two characters fails on a note's destination
            # (an empty piece) in some lines of several scripts: the looser text it is, then
            pass
        loose.wrap(width, _BIG)
        return loose


def _fits(para: Paragraph, width: float) -> bool:
    """Whether ``para`` wrapped at ``width`` has no line wider and each mark on one line."""
    para.wrap(width, _BIG)
    if max(para.getActualLineWidths0(), default=0.0) > width + 0.01:
        return False
    seen: set[int] = set()
    for line in line_notes(para):
        if seen.intersection(line[:1]):  # a note's mark goes on from the line before
            return False
        seen.update(line)
    return True


@attrs.define(eq=False)
class Row:
    """One body row of a table: its cells (``None`` for an empty cell), whether it is the
    table's last row and the space before and after it. :meth:`measure` wraps the cells."""

    table: Table
    cells: tuple[Paragraph | None, ...]
    last: bool = False
    space_before: float = 0.0
    space_after: float = 0.0
    #: the row's ``TR`` element, the same for the rest of a row split over pages
    key: object = attrs.field(factory=object)
    heights: list[float] = attrs.field(factory=list, init=False)
    lines: list[list[list[int]]] = attrs.field(factory=list, init=False)
    slots: int = attrs.field(default=0, init=False)
    leading: float = attrs.field(default=0.0, init=False)

    def measure(self) -> None:
        if self.lines or not self.cells:
            return
        cells = list(self.cells)
        for k, para in enumerate(cells):
            if para is None:
                self.heights.append(0.0)
                self.lines.append([])
                continue
            para = self.table.fit(para, k)  # and wrapped at the column's width
            self.heights.append(float(para.height))
            self.lines.append(line_notes(para))
            self.leading = max(self.leading, float(para.style.leading))
            cells[k] = para
        self.cells = tuple(cells)
        self.slots = max(len(lines) for lines in self.lines)

    @property
    def height(self) -> float:
        return max(self.heights, default=0.0) + 2 * self.table.pad_y

    def notes(self, slots: int | None = None) -> list[list[int]]:
        """The notes on the cells' lines (the first ``slots`` of each), in reading order."""
        return [line for lines in self.lines for line in lines[:slots]]


#: What the layout places.
Placeable: TypeAlias = Item | Row | Figure


def column_widths(least: Sequence[float], most: Sequence[float], total: float) -> list[float]:
    """Widths of a table's columns' text that share ``total``.

    When every column's widest cell fits, each column gets that width and the room left is
    shared in proportion to them. Otherwise a column whose widest cell is no wider than a fair
    share of what is left (``total`` over the columns not yet given a width) gets that width,
    again and again; the columns left share the rest: each its longest word (capped at half of
    ``total`` when there are other columns: a longer word is broken) and what remains in
    proportion to what each column's text needs beyond that. No column is narrower than
    :data:`_NARROWEST` (or an equal share of ``total``, when that is less)."""
    n = len(most)
    if not n:
        return []
    cap = total / 2 if n > 1 else total
    floor = min(_NARROWEST, total / n)  # room for a character or two, however empty
    least = [max(floor, min(lo, cap)) for lo in least]
    most = [max(hi, lo) for lo, hi in zip(least, most, strict=True)]
    if sum(most) <= 0:
        return [total / n] * n
    if sum(most) <= total:
        return [hi + (total - sum(most)) * hi / sum(most) for hi in most]
    widths: list[float | None] = [None] * n
    left = total
    while True:
        open_columns = [k for k in range(n) if widths[k] is None]
        fair = left / len(open_columns)
        fits = [k for k in open_columns if most[k] <= fair]
        if not fits or len(fits) == len(open_columns):
            break
        for k in fits:
            widths[k] = most[k]
            left -= most[k]
    lo_sum = sum(least[k] for k in open_columns)
    if lo_sum >= left or lo_sum <= 0:
        base = {k: least[k] if lo_sum > 0 else 1.0 for k in open_columns}
        for k in open_columns:
            widths[k] = left * base[k] / sum(base.values())
    else:
        want = {k: most[k] - least[k] for k in open_columns}
        spare = left - lo_sum
        total_want = sum(want.values())
        for k in open_columns:
            share = want[k] / total_want if total_want > 0 else 1 / len(open_columns)
            widths[k] = least[k] + spare * share
    return [w if w is not None else 0.0 for w in widths]


@attrs.frozen
class _Line:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    colour: tuple[float, float, float]


def _targets(frag: object, out: set[int]) -> None:
    for _index, href in getattr(frag, "link", None) or ():
        if isinstance(href, str) and href.startswith("#fn") and href[3:].isdigit():
            out.add(int(href[3:]))


def line_notes(para: Paragraph) -> list[list[int]]:
    """For a wrapped paragraph, the note numbers whose marks stand on each line, in order."""
    bl: Any = para.blPara  # type: ignore[attr-defined]  # set by wrap(); not in the stubs
    lines: list[list[int]] = []
    if bl.kind == 0:
        found: set[int] = set()
        _targets(bl, found)
        return [sorted(found) for _ in bl.lines]
    for line in bl.lines:
        seen: list[int] = []
        for word in line.words:
            got: set[int] = set()
            _targets(word, got)
            seen.extend(n for n in sorted(got) if n not in seen)
        lines.append(seen)
    return lines


def _lines_kept(para: Paragraph) -> bool:
    """Whether ``para`` (wrapped) may be placed piece by piece from its lines as first
    wrapped: a paragraph of several runs of text, of a fixed leading, without end dots and
    with widow lines allowed (what reportlab's ``split`` does otherwise is left to it)."""
    bl: Any = getattr(para, "blPara", None)
    style = para.style
    return (
        bl is not None
        and bl.kind == 1
        and getattr(para, "autoLeading", getattr(style, "autoLeading", "")) in ("", "off")
        and not style.endDots
        and bool(getattr(para, "allowWidows", getattr(style, "allowWidows", 1)))
    )


def _piece(rest: _Rest, stop: int, *, head: bool) -> Paragraph:
    """The lines ``rest.start`` to ``stop`` of ``rest.whole`` as a paragraph of their own, as
    reportlab's ``split`` makes them: a head piece (more lines follow) is justified to its
    last line unless that line ends in a break; a piece after the first has no first-line
    indent nor bullet."""
    whole: Any = rest.whole
    bl = whole.blPara
    style = whole.style
    first = rest.start == 0
    if not first and style.firstLineIndent != 0:
        style = deepcopy(style)
        style.firstLineIndent = 0
    frags = whole._get_split_blParaFunc()(bl, rest.start, stop)
    piece: Any = whole.__class__(
        None, style, bulletText=whole.bulletText if first else None, frags=frags
    )
    if hasattr(whole, "autoLeading"):
        piece.autoLeading = whole.autoLeading
    if head:
        end = bl.lines[stop - 1]
        piece._JustifyLast = not (
            isinstance(end, FragLine) and hasattr(end, "lineBreak") and end.lineBreak
        )
        piece._splitpara = 1
    return cast(Paragraph, piece)


def _wrapped_piece(rest: _Rest, stop: int, width: float, *, head: bool) -> tuple[Paragraph, float]:
    """:func:`_piece`, wrapped at ``width``, and its height. reportlab wraps a piece's words
    again into the very lines they stood on in the whole paragraph when no line breaks at a
    ``<br/>`` and no word is split or holds a soft hyphen; such a piece is given those lines
    (:func:`_same_lines`) instead of being wrapped again."""
    piece: Any = _piece(rest, stop, head=head)
    whole: Any = rest.whole
    if not _same_lines(whole, piece, width):
        _, height = piece.wrap(width, _BIG)
        return cast(Paragraph, piece), float(height)
    style = piece.style
    piece.width = width
    piece._wrapWidths = [
        width - (style.leftIndent + style.firstLineIndent) - style.rightIndent,
        width - style.leftIndent - style.rightIndent,
    ]
    lines = whole.blPara.lines[rest.start : stop]
    base = lines[0].sFW
    piece.blPara = ParaLines(kind=1, lines=[_shifted(line, base) for line in lines])
    piece.height = height = len(lines) * style.leading
    return cast(Paragraph, piece), float(height)


def _shifted(line: Any, base: int) -> Any:
    """A copy of a whole paragraph's line as a piece's line: its first word's index
    (``sFW``) counted from the piece's first word."""
    out = copy(line)
    out.sFW = line.sFW - base
    return out


def _same_lines(whole: Any, piece: Any, width: float) -> bool:
    """Whether reportlab would wrap ``piece`` (made by :func:`_piece` from ``whole``, wrapped
    at ``width``) into the lines it stood on in ``whole``: a paragraph wrapped at the same
    width, of styled pieces, left to right with words broken only at spaces, without a line
    that ends at a ``<br/>``, its piece made of whole words (no split word, none with a
    soft hyphen or injected by the wrapping)."""
    bl = getattr(whole, "blPara", None)
    style = piece.style
    if (
        bl is None
        or bl.kind != 1
        or type(bl.lines) is not list
        or getattr(whole, "width", None) != width
        or style.wordWrap
        or getattr(piece, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
    ):
        return False
    if any(getattr(line, "lineBreak", True) or not hasattr(line, "sFW") for line in bl.lines):
        return False
    frags = piece.frags
    if not frags:
        return False
    for word in frags:
        if type(word) not in _WHOLE_WORDS:
            return False
        for _frag, text in word[1:]:
            if type(text) is not str:
                return False
    return True


#: The kinds of reportlab's processed words that are whole words (no split, no soft hyphen).
_WHOLE_WORDS = (list, _paragraph._HSFrag)  # type: ignore[attr-defined]


@attrs.define
class _Placed:
    number: int
    para: Paragraph
    height: float
    first: bool  # the note's first piece (carries its destination)


class Layout:
    """Lays items out on ``canvas`` page by page, with the notes of each page at its foot."""

    def __init__(
        self,
        canvas: Canvas,
        frame: Frame,
        notes: Callable[[int], Paragraph],
        *,
        on_page_end: Callable[[Canvas, int], None],
        tags: Tagger | None = None,
    ) -> None:
        self.c = canvas
        #: the structure tree of what is drawn (see :mod:`._tags`)
        self.tags = tags if tags is not None else Tagger()
        self.f = frame
        self.make_note = notes
        self._note_para: dict[int, Paragraph] = {}
        self._note_height: dict[int, float] = {}
        self._note_leading: dict[int, float] = {}
        self.on_page_end = on_page_end
        self.page = 1
        self.y = frame.top
        self.page_notes: list[_Placed] = []
        self.carry: list[_Placed] = []
        self.closing = False  # a split note ends this page
        self.placed_notes: set[int] = set()
        self.gap = 0.0  # space owed after the last item, paid only if another follows here
        self._wrapped: dict[int, tuple[Paragraph, list[list[int]], float]] = {}
        self._page_sum: tuple[int, float] = (0, 0.0)
        self.rules: list[_Line] = []  # this page's table rules, drawn after its notes
        self.open_table: Table | None = None  # the table whose segment this page has open
        self.segment_top = 0.0
        #: the page each destination key (heading, caption, figure) was set on
        self.dest_pages: dict[str, int] = {}

    # -- note bookkeeping ----------------------------------------------------------------

    def _note(self, n: int) -> tuple[float, float]:
        if n not in self._note_height:
            para = self._note_para[n] = self.make_note(n)
            _, h = para.wrap(self.f.width, _BIG)
            self._note_height[n] = h
            self._note_leading[n] = float(para.style.leading)
        return self._note_height[n], self._note_leading[n]

    def _page_notes_height(self) -> float:
        if self._page_sum[0] != len(self.page_notes):  # page_notes only ever grows or resets
            self._page_sum = (len(self.page_notes), sum(p.height for p in self.page_notes))
        return self._page_sum[1]

    def _sep(self, has_notes: bool) -> float:
        return self.f.note_gap + self.f.separator_gap if has_notes else 0.0

    def _head(self, n: int, head_lines: int) -> float:
        full, leading = self._note(n)
        return min(full, head_lines * leading)

    def _notes_height(self, extra: Sequence[int], *, head_lines: int) -> float:
        """Height of this page's notes plus ``extra`` new ones: in full, or (``head_lines`` > 0)
        only the first lines of each new note, the rest continuing on the next page."""
        h = self._page_notes_height()
        for n in extra:
            h += self._head(n, head_lines) if head_lines else self._note(n)[0]
        return h + self._sep(bool(self.page_notes) or bool(extra))

    def _room(self, extra: Sequence[int], *, head_lines: int = 0) -> float:
        return self.y - self.f.bottom - self._notes_height(extra, head_lines=head_lines)

    # -- pages ---------------------------------------------------------------------------

    @property
    def _empty(self) -> bool:
        return self.y >= self.f.top - 0.01

    def _start_page_with_carry(self) -> None:
        """Put notes continued from the previous page at the top of this page's note area,
        keeping at least a third of the body for text."""
        limit = (self.f.top - self.f.bottom) * 2 / 3
        carry, self.carry = self.carry, []
        used = self._sep(True)
        for piece in carry:
            if used + piece.height <= limit or not self.page_notes:
                room = limit - used
                if piece.height > room:
                    head, tail = self._split_note(piece, room)
                    if head is not None:
                        self.page_notes.append(head)
                        used += head.height
                    if tail is not None:
                        self.carry.append(tail)
                    continue
                self.page_notes.append(piece)
                used += piece.height
            else:
                self.carry.append(piece)

    def _split_note(self, piece: _Placed, room: float) -> tuple[_Placed | None, _Placed | None]:
        leading = float(piece.para.style.leading)
        lines = int(room // leading)
        if lines < 1:
            return None, piece
        parts = piece.para.split(self.f.width, lines * leading + 0.01)
        if len(parts) != 2:
            return (piece, None) if parts and parts[0] is piece.para else (None, piece)
        head, tail = cast(list[Paragraph], parts)
        _, hh = head.wrap(self.f.width, _BIG)
        _, th = tail.wrap(self.f.width, _BIG)
        return _Placed(piece.number, head, hh, piece.first), _Placed(piece.number, tail, th, False)

    def end_page(self) -> None:
        f = self.f
        if self.page_notes:
            room = self.y - f.bottom - self._sep(True)
            placed: list[_Placed] = []
            used = 0.0
            # every note whose mark is on this page must start here: keep a line for each
            reserve = [float(p.para.style.leading) if p.first else 0.0 for p in self.page_notes]
            for k, piece in enumerate(self.page_notes):
                later = sum(reserve[k + 1 :])
                if used + piece.height + later <= room + 0.01:
                    placed.append(piece)
                    used += piece.height
                    continue
                head, tail = self._split_note(piece, room - used - later)
                if head is not None:
                    placed.append(head)
                    used += head.height
                if tail is not None:
                    self.carry.append(tail)
            continued = bool(placed) and not placed[0].first
            top = f.bottom + used
            rule_y = top + f.separator_gap
            with self.tags.artifact(self.c):
                self.c.saveState()
                self.c.setLineWidth(0.5)
                self.c.setStrokeColorRGB(0.45, 0.5, 0.55)
                self.c.line(f.x, rule_y, f.x + (f.width if continued else f.width / 3), rule_y)
                self.c.restoreState()
            y = top
            for piece in placed:
                if piece.first:
                    self.c.bookmarkHorizontal(f"fn{piece.number}", f.x, y)
                y -= piece.height
                note = self.tags.element(
                    ("note", piece.number), "Note", ident=f"note-{piece.number}"
                )
                with self.tags.content(self.c, note):
                    piece.para.drawOn(self.c, f.x, y)
        if self.open_table is not None:
            self._close_segment()
        if self.rules:
            with self.tags.artifact(self.c):
                self.c.saveState()
                for line in self.rules:
                    self.c.setLineWidth(line.width)
                    self.c.setStrokeColorRGB(*line.colour)
                    self.c.line(line.x0, line.y0, line.x1, line.y1)
                self.c.restoreState()
            self.rules = []
        with self.tags.artifact(self.c, pagination=True):
            self.on_page_end(self.c, self.page)
        self.c.showPage()
        self.tags.next_page()
        self.page += 1
        self.y = f.top
        self.page_notes = []
        self.closing = False
        self.gap = 0.0
        if self.carry:
            self._start_page_with_carry()

    # -- placing -------------------------------------------------------------------------

    def _new_notes(self, lines: Sequence[Sequence[int]]) -> list[int]:
        out: list[int] = []
        on_page = {p.number for p in self.page_notes}
        for line in lines:
            for n in line:
                if n not in out and n not in on_page and n not in self.placed_notes:
                    out.append(n)
        return out

    def _fit(self, item: Item, lines: list[list[int]], height: float) -> tuple[int, bool]:
        """How many lines of ``item`` fit on this page with their notes (and whether the last
        new note had to be split)."""
        n = len(lines)
        leading = height / n if n else height
        before = self._before(item)
        k = 0
        while (
            k < n
            and self._room(self._new_notes(lines[: k + 1])) >= before + (k + 1) * leading - 0.01
        ):
            k += 1
        if k == 0 and n:
            new = self._new_notes(lines[:1])
            for head_lines in (2, 1):  # start each new note here, continue it overleaf
                if new and self._room(new, head_lines=head_lines) >= before + leading - 0.01:
                    return 1, True
        if not item.splittable and k < n:
            return 0, False
        if 0 < k < n and not self._empty:
            if k < 2 <= n:  # no single orphan line at the foot of a page
                k = 0
            elif n - k < 2 and n >= 3:  # no single widow line at the top of the next
                k = n - 2
        return k, False

    def _lines(self, item: Item) -> tuple[list[list[int]], float]:
        """The notes on each line of the item and its height (wrapped once per paragraph)."""
        rest = item.rest
        if rest is not None:
            left = len(rest.lines) - rest.start
            return rest.lines[rest.start :], left * rest.whole.style.leading
        key = id(item.para)
        cached = self._wrapped.get(key)
        if cached is None or cached[0] is not item.para:
            _, h = item.para.wrap(self.f.width, _BIG)
            cached = (item.para, line_notes(item.para), h)
            if len(self._wrapped) > _CHAIN + 2:  # only the items in the queue matter
                self._wrapped = {}
            self._wrapped[key] = cached
        return cached[1], cached[2]

    def _start(self, item: Placeable) -> tuple[list[list[int]], float]:
        """The least of ``item`` that what keeps with it needs beside it on the page (the
        notes on its lines, and its height): two lines of a paragraph; a table's header and
        first row (the row's first two lines when the row is taller than a page)."""
        if isinstance(item, Figure):
            return [], item.height
        if isinstance(item, Row):
            item.measure()
            head = item.table.header_height() if self.open_table is not item.table else 0.0
            if not self._tall(item):
                return item.notes(), head + item.height
            return item.notes(2), head + 2 * item.leading + 2 * item.table.pad_y
        lines, height = self._lines(item)
        take = min(2, len(lines))
        return lines[:take], (height / len(lines) * take if lines else 0.0)

    def _kept(
        self, item: Item, lines: list[list[int]], height: float, peek: Callable[[int], Any]
    ) -> tuple[list[list[int]], float]:
        """What must fit on this page for ``item`` to go here: itself, each item after it that
        keeps with the next, and the start of the item that ends that run."""
        need_lines = list(lines)
        need = self._before(item) + height
        for k in range(1, _CHAIN + 1):
            nxt: Placeable | None = peek(k)
            if nxt is None:
                break
            if isinstance(nxt, Item) and nxt.keep_with_next:
                more, h = self._lines(nxt)
                need_lines += more
                need += nxt.space_before + h
                continue
            more, h = self._start(nxt)
            need_lines += more
            need += nxt.space_before + h
            break
        return need_lines, need

    def place(self, items: Iterable[Placeable]) -> None:
        source = iter(items)  # items are made as the layout reaches them, not all up front
        queue: list[Placeable] = []

        def peek(k: int) -> Placeable | None:
            while len(queue) <= k:
                nxt = next(source, None)
                if nxt is None:
                    return None
                queue.append(nxt)
            return queue[k]

        while (item := peek(0)) is not None:
            if self.closing:
                self.end_page()
            if isinstance(item, Row):
                self._place_row(item, queue)
                continue
            if isinstance(item, Figure):
                self._place_figure(item, queue, peek)
                continue
            lines, height = self._lines(item)
            if item.keep_with_next and not self._empty:
                need_lines, need = self._kept(item, lines, height, peek)
                if self._room(self._new_notes(need_lines), head_lines=1) < need:
                    self.end_page()
                    continue
            k, split_note = self._fit(item, lines, height)
            if k == 0:
                if self._empty:  # nothing fits even on a fresh page: place it anyway
                    k = len(lines)
                else:
                    self.end_page()
                    continue
            if k >= len(lines):
                if item.rest is not None:
                    rest = item.rest
                    last, height = _wrapped_piece(rest, len(rest.lines), self.f.width, head=False)
                    self._draw(item, last, height, lines)
                else:
                    self._draw(item, item.para, height, lines)
                self.gap = item.space_after
                queue.pop(0)
            else:
                leading = height / len(lines)
                if self._split_lines(item, k, queue):
                    continue
                parts = item.para.split(self.f.width, k * leading + 0.01)
                if len(parts) != 2:  # reportlab refused the split: move to the next page
                    if self._empty:
                        self._draw(item, item.para, height, lines)
                        queue.pop(0)
                    else:
                        self.end_page()
                    continue
                head, tail = cast(list[Paragraph], parts)
                _, hh = head.wrap(self.f.width, _BIG)
                self._draw(item, head, hh, line_notes(head))
                queue[0] = attrs.evolve(item, para=tail, space_before=0.0, outline=None)
                self.end_page()
                continue
            if split_note:
                self.closing = True
        if self.page_notes or not self._empty or self.carry:
            self.end_page()
        while self.page_notes or self.carry:  # notes continued past the last body line
            self.end_page()

    def _before(self, item: Placeable) -> float:
        return 0.0 if self._empty else self.gap + item.space_before

    def _split_lines(self, item: Item, k: int, queue: list[Placeable]) -> bool:
        """Place the first ``k`` lines of the paragraph at the head of ``queue`` on this page
        and leave the rest of its lines at the head of the queue, unwrapped again, when its
        lines are kept (see :class:`_Rest`); whether it did. It does as reportlab's ``split``
        would, and refuses where that would: no line, or a single orphan line unless the
        style allows it."""
        rest = item.rest
        if rest is None:
            whole = item.para
            if not _lines_kept(whole):
                return False
            lines, _ = self._lines(item)
            rest = _Rest(whole, 0, lines)
        style = rest.whole.style
        if k == 0 or (k <= 1 and not getattr(rest.whole, "allowOrphans", style.allowOrphans)):
            if self._empty:
                last, height = _wrapped_piece(rest, len(rest.lines), self.f.width, head=False)
                self._draw(item, last, height, rest.lines[rest.start :])
                queue.pop(0)
            else:
                self.end_page()
            return True
        head, hh = _wrapped_piece(rest, rest.start + k, self.f.width, head=True)
        self._draw(item, head, hh, line_notes(head))
        more = _Rest(rest.whole, rest.start + k, rest.lines)
        queue[0] = attrs.evolve(item, rest=more, space_before=0.0, outline=None)
        self.end_page()
        return True

    def _draw(self, item: Item, para: Paragraph, height: float, lines: list[list[int]]) -> None:
        self.y -= self._before(item)
        if item.outline is not None:
            title, level, key = item.outline
            self.c.bookmarkHorizontal(key, self.f.x, self.y)
            self.c.addOutlineEntry(title, key, level=level)
            self.dest_pages.setdefault(key, self.page)
        if item.dest is not None:
            self._dest(item.dest)
        with self.tags.content(self.c, self.tags.of_tag(item.tag)):
            para.drawOn(self.c, self.f.x, self.y - height)
            if item.after is not None:
                item.after(self.c, self.f.x, self.y - height, para)
        self.y -= height
        for n in self._new_notes(lines):
            full, _ = self._note(n)
            self.page_notes.append(_Placed(n, self._note_para.pop(n), full, True))
            self.placed_notes.add(n)

    def _dest(self, key: str) -> None:
        if key not in self.dest_pages:
            self.c.bookmarkHorizontal(key, self.f.x, self.y)
            self.dest_pages[key] = self.page

    # -- figures -------------------------------------------------------------------------

    def _place_figure(
        self, fig: Figure, queue: list[Placeable], peek: Callable[[int], Placeable | None]
    ) -> None:
        """Place the figure at the head of ``queue`` whole, with the start of the item after
        it (its caption) on the same page: here, or on the next page."""
        before = self._before(fig)
        need_lines: list[list[int]] = []
        need = before + fig.height
        nxt = peek(1)
        if nxt is not None:
            more, h = self._start(nxt)
            need_lines += more
            need += nxt.space_before + h
        if not self._empty and self._room(self._new_notes(need_lines), head_lines=1) < need:
            self.end_page()
            return
        self.y -= before
        if fig.dest is not None:
            self._dest(fig.dest)
        elem = self.tags.element(fig, ALT_TAG, alt=fig.alt)
        with self.tags.content(self.c, elem, f" /Alt <{hex_text(fig.alt)}>"):
            fig.draw(self.c, self.f.x + (self.f.width - fig.width) / 2, self.y - fig.height)
        self.y -= fig.height
        self.gap = fig.space_after
        queue.pop(0)

    # -- tables --------------------------------------------------------------------------

    def _tall(self, row: Row) -> bool:
        """Whether ``row`` (under its table's header) is taller than a page."""
        return row.height + row.table.header_height() > self.f.top - self.f.bottom

    def _place_row(self, row: Row, queue: list[Placeable]) -> None:
        """Place the row at the head of ``queue``: whole, on this page or the next; or, when
        it is taller than a page, as many of its lines as fit here with their notes."""
        row.measure()
        table = row.table
        head = 0.0 if self.open_table is table else table.header_height()
        before = self._before(row)
        if not self._tall(row):
            new = self._new_notes(row.notes())
            if self._room(new) < before + head + row.height - 0.01:
                if not self._empty:
                    self.end_page()
                    return
                self.closing = bool(new)  # alone on a page: its notes go on overleaf
            self._draw_row(row, row.cells, row.heights, row.lines)
            queue.pop(0)
            return
        pad = 2 * table.pad_y
        k = 0
        while k < row.slots and self._room(self._new_notes(row.notes(k + 1))) >= (
            before + head + (k + 1) * row.leading + pad - 0.01
        ):
            k += 1
        if k == 0:
            if not self._empty:
                self.end_page()
                return
            k = 1  # not even a line fits with its notes: place one, its notes go on overleaf
        heads: list[Paragraph | None] = []
        tails: list[Paragraph | None] = []
        for c, para in enumerate(row.cells):
            if para is None or len(row.lines[c]) <= k:
                heads.append(para)
                tails.append(None)
                continue
            parts = para.split(table.inner(c), k * row.leading + 0.01)
            if len(parts) != 2:  # reportlab refused the split: the row goes whole
                k = row.slots
                break
            first, rest = cast(list[Paragraph], parts)
            heads.append(first)
            tails.append(rest)
        if k >= row.slots:
            self._draw_row(row, row.cells, row.heights, row.lines)
            queue.pop(0)
            return
        heights = [
            0.0 if p is None else p.wrap(table.inner(c), _BIG)[1] for c, p in enumerate(heads)
        ]
        lines = [[] if p is None else line_notes(p) for p in heads]
        self._draw_row(attrs.evolve(row, last=False), tuple(heads), heights, lines)
        queue[0] = Row(table, tuple(tails), last=row.last, space_after=row.space_after, key=row.key)
        self.end_page()

    def _draw_row(
        self,
        row: Row,
        cells: Sequence[Paragraph | None],
        heights: Sequence[float],
        lines: Sequence[list[list[int]]],
    ) -> None:
        """Draw ``cells`` as a row (under the table's header when this page does not show it
        yet), top-aligned, in reading order; their notes go to this page."""
        table = row.table
        c = self.c
        self.y -= self._before(row)
        if self.open_table is not table:
            if self.open_table is not None:
                self._close_segment()
            self.segment_top = self.y
            self.rules.append(_Line(table.x0, self.y, table.x1, self.y, 0.8, _INK))
            self._draw_header(table)
            self.y -= table.header_height()
            self.rules.append(_Line(table.x0, self.y, table.x1, self.y, 0.5, _INK))
            self.open_table = table
        else:
            self.rules.append(_Line(table.x0, self.y, table.x1, self.y, 0.3, _HAIR))
        top = self.y
        tags = self.tags
        group = tags.element(table.group, "Table")
        tr = tags.element(row.key, "TR", group)
        for k, para in enumerate(cells):
            td = tags.element((row.key, k), "TD", tr)
            if para is not None:
                with tags.content(c, td):
                    para.drawOn(
                        c, table.columns[k][0] + table.pad_x, top - table.pad_y - heights[k]
                    )
        self.y -= max(heights, default=0.0) + 2 * table.pad_y
        for cell_lines in lines:
            for n in self._new_notes(cell_lines):
                full, _ = self._note(n)
                self.page_notes.append(_Placed(n, self._note_para.pop(n), full, True))
                self.placed_notes.add(n)
        if row.last:
            self._close_segment()
        self.gap = row.space_after

    def _draw_header(self, table: Table) -> None:
        """The table's header row at the top of its segment: its ``TR`` of ``TH`` the first
        time, an artifact when it is repeated on a page the table continues on."""
        tags, c = self.tags, self.c
        key = ("header", table)
        repeated = tags.seen(key)
        tr = tags.element(key, "TR", tags.element(table.group, "Table"))
        for k, para in enumerate(table.header):
            if repeated:
                if para is not None:  # wrapped by header_height()
                    with tags.artifact(c):
                        self._draw_cell(table, k, para)
                continue
            th = tags.element((key, k), "TH", tr, scope="Column")
            if para is not None:
                with tags.content(c, th):
                    self._draw_cell(table, k, para)

    def _draw_cell(self, table: Table, column: int, para: Paragraph) -> None:
        h = float(para.height)
        para.drawOn(self.c, table.columns[column][0] + table.pad_x, self.y - table.pad_y - h)

    def _close_segment(self) -> None:
        """The rule under the open table's last row on this page, and its column rules."""
        table = self.open_table
        if table is None:
            return
        self.rules.append(_Line(table.x0, self.y, table.x1, self.y, 0.8, _INK))
        for x, _width in table.columns[1:]:
            self.rules.append(_Line(x, self.segment_top, x, self.y, 0.3, _HAIR))
        self.open_table = None
