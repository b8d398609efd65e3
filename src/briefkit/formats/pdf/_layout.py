"""Page-aware layout with true per-page footnotes.

The layout places items (paragraphs, headings, list items, quotes) one line at a time in the
sense that matters: before any line is committed to a page, the footnotes whose marks that line
carries must fit at the bottom of the *same* page, together with the notes already there. A
paragraph that does not fit is split after the last line for which that holds; the rest goes to
the next page. So every note starts on the page of its reference mark, by construction — there
is no second pass to repair anything.

A note too tall for the space left is split as Word does: it starts on its reference's page
(at least two lines of it) and continues at the top of the next page's note area, above that
page's own notes, under a full-width separator.

Headings keep with the first lines of what follows; paragraphs avoid single orphan and widow
lines when the page already holds something.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import attrs
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

__all__ = ["Frame", "Item", "Layout", "line_notes"]

_BIG = 1e7


@attrs.define
class Item:
    """One thing to place: a paragraph (with its spacing) and what else it needs."""

    para: Paragraph
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    outline: tuple[str, int, str] | None = None  # (title, level, destination key)
    splittable: bool = True


@attrs.frozen
class Frame:
    x: float
    width: float
    top: float
    bottom: float
    note_gap: float = 8.0  # between body and the separator rule
    separator_gap: float = 4.0  # between the rule and the first note


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
    ) -> None:
        self.c = canvas
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
                piece.para.drawOn(self.c, f.x, y)
        self.on_page_end(self.c, self.page)
        self.c.showPage()
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
        key = id(item.para)
        cached = self._wrapped.get(key)
        if cached is None or cached[0] is not item.para:
            _, h = item.para.wrap(self.f.width, _BIG)
            cached = (item.para, line_notes(item.para), h)
            self._wrapped = {key: cached}  # only the current item and its successor matter
            self._wrapped[key] = cached
        return cached[1], cached[2]

    def place(self, items: Iterable[Item]) -> None:
        source = iter(items)  # items are made as the layout reaches them, not all up front
        queue: list[Item] = []

        def peek(k: int) -> Item | None:
            while len(queue) <= k:
                nxt = next(source, None)
                if nxt is None:
                    return None
                queue.append(nxt)
            return queue[k]

        while (item := peek(0)) is not None:
            if self.closing:
                self.end_page()
            lines, height = self._lines(item)
            following = peek(1) if item.keep_with_next and not self._empty else None
            if following is not None:
                nxt_lines, nxt_height = self._lines(following)
                take = min(2, len(nxt_lines))
                need_lines = lines + nxt_lines[:take]
                nxt_h = nxt_height / len(nxt_lines) * take if nxt_lines else 0.0
                need = self._before(item) + height + following.space_before + nxt_h
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
                self._draw(item, item.para, height, lines)
                self.gap = item.space_after
                queue.pop(0)
            else:
                leading = height / len(lines)
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

    def _before(self, item: Item) -> float:
        return 0.0 if self._empty else self.gap + item.space_before

    def _draw(self, item: Item, para: Paragraph, height: float, lines: list[list[int]]) -> None:
        self.y -= self._before(item)
        if item.outline is not None:
            title, level, key = item.outline
            self.c.bookmarkHorizontal(key, self.f.x, self.y)
            self.c.addOutlineEntry(title, key, level=level)
        para.drawOn(self.c, self.f.x, self.y - height)
        self.y -= height
        for n in self._new_notes(lines):
            full, _ = self._note(n)
            self.page_notes.append(_Placed(n, self._note_para.pop(n), full, True))
            self.placed_notes.add(n)
