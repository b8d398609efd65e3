"""Tables and the table of differences in a Markdown brief.

::

    Table: U.S. troops in Japan by source {#troops}

    | Source   | U.S. troops                                                      | Note |
    | :------- | ---------------------------------------------------------------: | ---- |
    | CNN      | {@cnn figure "50,000" within="US has 50,000 troops" measure="troops"} | |
    | AFP      | some {@afp figure "47,000" within="Some 47,000 US troops" measure="troops"} | |
    | Analysis |                                                   | They differ. [!analysis] |

    [!differences "Where the sources differ" #differing]

The rules (a pandoc pipe table, read strictly so that every cell is accounted for):

* **Rows.** A table is a run of lines that start with ``|`` (after at most three spaces);
  a blank line or any other line ends it, and a ``|`` line ends the paragraph or list item
  before it (write ``\\|`` to start a line of text with a pipe). Every row starts *and ends*
  with an unescaped ``|``; the ``|`` between them separate the cells. ``\\|`` is a pipe
  inside a cell — in the author's text and inside a quoted ``"…"`` text alike — because rows
  are split before cells are read (a citation's ``"a | b"`` must be written ``"a \\| b"``).
* **Header and alignment.** The first row is the header: one plain-text column label per cell
  (no citations; a label may be empty). The second row is the alignment row, one cell per
  column: ``---`` (default), ``:--`` (left), ``--:`` (right), ``:-:`` (centre), with any number
  of dashes. When every column has the default the table has no alignment
  (:attr:`~briefkit.model.Table.align` is ``()``); otherwise each default column is ``left``.
* **Body cells.** Every further row has exactly one cell per column (a ragged row is an error
  naming its line). A cell holds one sentence of the inline grammar
  (:mod:`briefkit.mdbrief.syntax`): text ending with a citation group (``50,000 [@cnn
  "US has 50,000 troops"]``), text with an inline quotation or figure, or text ending with
  ``[!analysis]``, each a :class:`~briefkit.model.Sentence`; plain text without any of these is a
  label, which names the row in the first column (in any other column it is text that cites
  nothing, refused by the model as ``uncited-cell`` and reported at the cell's line and
  column); an empty cell is ``""``. A cell holds one sentence: ``!several`` in its group lets
  the sentence's text hold several.
* **Caption.** Every table has a caption: a paragraph that starts with ``Table:``, ``table:``
  or ``:`` (not followed by punctuation), directly before or after the table (blank lines
  between are allowed, nothing else). A table takes the free caption before it, else the one
  after it; a caption no table takes is an error (write ``Table\\:`` or ``\\:`` to start a
  paragraph of text with them). The caption is plain text and may run over several lines;
  a ``{#id}`` at its end names the table for a cross-reference ``{>id}`` (see
  :mod:`briefkit.mdbrief.refs`).
* **Differences.** A paragraph of its own holding only ``[!differences]`` or
  ``[!differences "caption"]`` places the table of the figures the sources disagree on
  (:class:`~briefkit.model.Differences`) there; a last entry ``#id`` names it
  (``[!differences #differing]``, ``[!differences "caption" #differing]``). Figures name
  what they measure with ``measure="…"``; the front matter's ``differences: true`` adds the
  table in a section of its own when no ``[!differences]`` places it, and
  ``accept_differences:`` lists the measures for which the brief may cite fewer values than
  its sources give.

Rows are split in one pass over each line, and cells are read as sentences are: a table's
reading time is linear in its size.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import attrs

from briefkit.mdbrief.refs import checked_id, read_id_run
from briefkit.mdbrief.syntax import read_string

__all__ = ["DifferencesDraft", "alignment", "read_differences", "split_row"]

Report = Callable[[int, str], None]

_PIPE = re.compile(r"\\.|\|", re.S)  # an escape (skipped) or a pipe
_ALIGN = re.compile(r"[ \t]*(:?)-+(:?)[ \t]*")
_DIFFERENCES = re.compile(r"[ \t\n]*\[[ \t\n]*!differences(?![A-Za-z0-9_])")
_BLANKS = re.compile(r"[ \t\n]*")

#: The hint every problem about a row's cells ends with.
PIPE_HINT = "a '|' inside a cell is written \\|"


def split_row(text: str, start: int, stop: int) -> tuple[tuple[int, int], ...] | None:
    """The cells of the row ``text[start:stop]`` (one line whose first non-blank character is
    ``|``), as ``(start, stop)`` of each cell's text between two unescaped pipes; None when
    the line does not end with an unescaped ``|``."""
    end = start + len(text[start:stop].rstrip(" \t"))
    pipes = [m.start() for m in _PIPE.finditer(text, start, end) if m.group() == "|"]
    if not pipes or pipes[-1] != end - 1:
        return None
    return tuple((a + 1, b) for a, b in itertools.pairwise(pipes))


def alignment(text: str, start: int, stop: int) -> tuple[bool, str | None]:
    """Whether ``text[start:stop]`` is an alignment cell, and the alignment it gives (None
    for the default ``---``)."""
    m = _ALIGN.fullmatch(text, start, stop)
    if m is None:
        return False, None
    left, right = bool(m.group(1)), bool(m.group(2))
    if left and right:
        return True, "center"
    if right:
        return True, "right"
    return True, "left" if left else None


@attrs.frozen
class DifferencesDraft:
    """A ``[!differences "caption" #id]`` paragraph as read (``ok`` is False when a problem
    was reported)."""

    offset: int
    caption: str | None
    ok: bool
    id: str | None = None


def read_differences(text: str, start: int, stop: int, report: Report) -> DifferencesDraft | None:
    """The ``[!differences]`` paragraph ``text[start:stop]``; None when the paragraph does not
    start with ``[!differences``."""
    m = _DIFFERENCES.match(text, start, stop)
    if m is None:
        return None
    body = text[start:stop]
    problems: list[int] = []

    def local(offset: int, message: str) -> None:
        problems.append(offset)
        report(start + offset, message)

    at = body.index("[")
    caption: str | None = None
    j = _BLANKS.match(body, m.end() - start).end()  # type: ignore[union-attr]
    if body.startswith('"', j):
        caption, j = read_string(body, j, local)
        j = _BLANKS.match(body, j).end()  # type: ignore[union-attr]
    sid: str | None = None
    if body.startswith("#", j):
        value, after = read_id_run(body, j + 1, len(body))
        sid = checked_id(value, j, local, "the table of differences' id")
        j = _BLANKS.match(body, after).end()  # type: ignore[union-attr]
    closed = body.startswith("]", j)
    if closed:
        j = _BLANKS.match(body, j + 1).end()  # type: ignore[union-attr]
    if not problems and (j < len(body) or not closed):
        local(
            j if j < len(body) else at,
            'the table of differences is written [!differences] or [!differences "caption"] '
            "as a paragraph of its own (nothing else in it; a last entry #id names it: "
            '[!differences "caption" #id])',
        )
    return DifferencesDraft(start + at, caption, not problems, sid)
