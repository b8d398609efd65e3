"""The locator a reader understands for a span of a source: page, section, paragraph or lines.

A source whose reader made a location map (:mod:`briefkit.readers`) is located by it:

* **page** — when the map has pages (PDF): the label of the page of the span's first
  character, and of its last when that differs (``p. 12``, ``pp. iv–2``);
* **section** — when the map has sections (headings and numbered paragraphs of HTML, DOCX
  and Markdown): the label of the last section starting at or before the span's start (the
  heading's number, else its text). A map with one section only is not used: a lone
  heading titles the document rather than dividing it;
* **paragraph** — for text before the first section (or without sections) when the reader
  made paragraphs (HTML, DOCX): the 1-based number of the paragraph of the span's first
  character, and of its last when that differs, paragraphs being separated by a blank line
  (so a block that holds a blank line itself — preformatted text, two line breaks in a row —
  counts as more than one);
* otherwise the rules for text below.

Text (and text before a Markdown file's first heading) — the rule, applied the same way when a
brief is built and when it is verified:

1. **page** — when the source text has pages (form feeds, as text extracted from a PDF has
   them): the page of the span's first character, and of its last when that differs;
2. **section** — when the text has numbered sections: at least three lines that start a
   paragraph (after a blank line, or the text's start), are short (at most 120 characters),
   and begin with a number such as ``3.``, ``3.2``, ``§ 3`` or ``Section 3`` (at most three
   digits, so years are not taken for sections), whose first numbers start at 0 or 1 and
   only ever grow. The span's section is the last heading at or before
   its start (lines are used for text before the first heading);
3. **line** — otherwise: the line(s) of the span's first and last characters.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from typing import Protocol, TypeVar

from briefkit.notes import Locator
from briefkit.readers import Mark
from briefkit.spans import Position

__all__ = ["Located", "locator_for", "page_index", "text_locator"]

_HEADING = re.compile(
    r"^[ \t]{0,8}(?:§[ \t]*|(?:Section|SECTION|Article|ARTICLE|Sec\.)[ \t]+)?"
    r"(?P<number>\d{1,3}(?:\.\d{1,3}){0,3})\.?(?:[ \t]+\S[^\r\n]{0,110})?[ \t]*\r?$",
    re.MULTILINE,
)
_BLANK_BEFORE = re.compile(r"(?:\A|\n[ \t]*\r?\n)\Z")


_T = TypeVar("_T")
#: Each text's page and section tables, by the identity of the text (see :func:`_remembered`).
_TABLES: dict[int, tuple[str, tuple[tuple[int, ...], tuple[tuple[int, ...], tuple[str, ...]]]]] = {}
_TABLES_MAX = 4096


def _remembered(cache: dict[int, tuple[str, _T]], text: str, build: Callable[[str], _T]) -> _T:
    """``build(text)``, kept in ``cache`` by the identity of ``text`` (a source's text is one
    object for all its citations; looking it up by value would compare whole texts), the
    least recently used of :data:`_TABLES_MAX` texts dropped first."""
    known = cache.pop(id(text), None)
    if known is None or known[0] is not text:
        known = (text, build(text))
        while len(cache) >= _TABLES_MAX:
            del cache[next(iter(cache))]  # the least recently used
    cache[id(text)] = known  # most recent last; holding the text keeps its id unique
    return known[1]


def _tables(text: str) -> tuple[tuple[int, ...], tuple[tuple[int, ...], tuple[str, ...]]]:
    return _remembered(_TABLES, text, _page_and_section_tables)


def _page_and_section_tables(
    text: str,
) -> tuple[tuple[int, ...], tuple[tuple[int, ...], tuple[str, ...]]]:
    pages = _pages(text)
    return pages, (_sections(text) if not pages else ((), ()))


def _pages(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer("\f", text))


def _sections(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    starts: list[int] = []
    numbers: list[str] = []
    for m in _HEADING.finditer(text):
        if not _BLANK_BEFORE.search(text, max(0, m.start() - 200), m.start()):
            continue
        starts.append(m.start("number"))
        numbers.append(m.group("number"))
    tops = [int(n.split(".")[0]) for n in numbers]
    # the numbered lines must read as a sequence of sections: from 0 or 1, only growing
    distinct = [t for i, t in enumerate(tops) if i == 0 or t != tops[i - 1]]
    if (
        len(distinct) < 3
        or distinct[0] not in (0, 1)
        or any(b <= a for a, b in itertools.pairwise(distinct))
    ):
        return (), ()
    return tuple(starts), tuple(numbers)


class Located(Protocol):
    """What locating needs of a source: its canonical text and location map."""

    @property
    def text(self) -> str: ...

    @property
    def pages(self) -> tuple[Mark, ...]: ...

    @property
    def sections(self) -> tuple[Mark, ...]: ...

    @property
    def paragraphs(self) -> bool: ...


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*(?:\r?\n[ \t]*)+")
#: paragraph starts of each text, by identity (as :data:`_TABLES`)
_PARAGRAPHS: dict[int, tuple[str, tuple[int, ...]]] = {}


def _paragraph_starts(text: str) -> tuple[int, ...]:
    return _remembered(_PARAGRAPHS, text, _paragraph_table)


def _paragraph_table(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(text)))


def _mark_at(marks: tuple[Mark, ...], offset: int) -> int:
    """The index of the last mark starting at or before ``offset`` (-1 if none)."""
    return bisect.bisect_right(marks, offset, key=_start) - 1


def _start(mark: Mark) -> int:
    return mark.start


def page_index(pages: tuple[Mark, ...], offset: int) -> int | None:
    """The 1-based physical page number (not its label) of ``offset``, or None without
    pages: what a PDF viewer's ``#page=N`` opens."""
    return _mark_at(pages, offset) + 1 if pages else None


def _ranged(label: str, first: str, last: str) -> Locator:
    return Locator(label, first, last if last != first else None)


def locator_for(source: Located, position: Position) -> Locator:
    """The locator of ``position`` in ``source`` (see the module's rules)."""
    end = max(position.start, position.end - 1)
    if source.pages:
        first, last = _mark_at(source.pages, position.start), _mark_at(source.pages, end)
        return _ranged("page", source.pages[first].label, source.pages[last].label)
    sections = source.sections
    if len(sections) > 1:
        k = _mark_at(sections, position.start)
        if k >= 0:
            return Locator("section", sections[k].label)
    if source.paragraphs:
        starts = _paragraph_starts(source.text)
        first_p = bisect.bisect_right(starts, position.start)
        last_p = bisect.bisect_right(starts, end)
        return _ranged("paragraph", str(first_p), str(last_p))
    return text_locator(source.text, position)


def text_locator(text: str, position: Position) -> Locator:
    """The locator of ``position`` in a text file's canonical ``text``."""
    pages, (starts, numbers) = _tables(text)
    if pages:
        # a form feed ends its page: characters after it are on the next one
        first = bisect.bisect_left(pages, position.start) + 1
        last = bisect.bisect_left(pages, max(position.start, position.end - 1)) + 1
        return Locator("page", str(first), str(last) if last != first else None)
    if starts:
        k = bisect.bisect_right(starts, position.start) - 1
        if k >= 0:
            return Locator("section", numbers[k])
    if position.line_start == position.line_end:
        return Locator("line", str(position.line_start))
    return Locator("line", str(position.line_start), str(position.line_end))
