"""Ids and cross-references in a Markdown brief.

::

    # Costs {#costs}

    Table: U.S. troops in Japan by source {#troops}

    ![Bars of 50,000, 47,000 and 54,000 troops](figures/troops.png){#chart}

    [!differences "Where the sources differ" #differing]

    The counts differ (see {>troops} and {>chart}); {>costs} gives the payments. [!analysis]

The rules:

* **Ids.** ``{#id}`` at the end of a heading line names its section (``# Costs {#costs}``), at
  the end of a table caption names the table (``Table: Troops by source {#troops}``), right
  after an image names the image (``![alt](chart.png){#chart}``, see
  :mod:`briefkit.mdbrief.images`); ``#id`` as the last entry of ``[!differences …]`` names the
  table of differences (``[!differences #differing]``, ``[!differences "caption" #differing]``).
  An id starts with an ASCII letter and holds only ASCII letters, digits, ``_`` and ``-`` (64
  characters at most: the model's rule); blanks may stand inside the braces (``{ #costs }``).
  Sections, tables, images and the table of differences share one set of ids, and each id
  names one of them (the second use of an id is an error at its line). A ``#id`` in a citation
  group is something else: it names a *sentence* (for its note), see
  :mod:`briefkit.mdbrief.syntax`. ``{#…}`` anywhere else (inside a sentence, a caption's
  middle) is an error; write ``\\{`` for a brace of text.
* **Cross-references.** ``{>id}`` in the text of a sentence (a paragraph, list item, key point,
  table cell or figure caption) refers to the section, table, image or table of differences
  named ``id`` (:class:`~briefkit.model.CrossRef`). Every output shows it as the brief's
  language names the target — ``Table 2``, ``Figure 1``, or a section's heading in quotation
  marks — and links it where the format has links; it is the library's wording, not a claim,
  so it needs no citation (the sentence around it still does). Blanks may stand inside the
  braces (``{> troops }``). Headings, captions and column labels are plain text and hold none.
  An id that names nothing is the model's ``unknown-ref`` error, reported at the ``{>``.

Why ``{>id}``: square brackets belong to citation groups, which *end* a sentence and whose
entries cite (``[@cnn …]``, ``[!analysis]``, ``[#id]``), so ``[@@id]`` or ``[see:id]`` would
read as a malformed citation group — one typo away from a citation. A cross-reference is shown
*inside* the sentence, as an inline excerpt ``{@cnn …}`` is, so it is written in braces like
one; ``>`` (an arrow: messages show an unresolved reference as ``→id``) cannot begin a source
key, so the two cannot be mistaken for each other, and ``{#id}`` names what ``{>id}`` points
to. pandoc-crossref's ``@tbl:id`` is not used: in pandoc (and in this format's groups) ``@``
starts a citation key, so a mistyped reference would become a citation, or the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "ID_RULE",
    "TARGET_ID",
    "checked_id",
    "read_attribute_id",
    "read_id_run",
    "trailing_id",
]

Report = Callable[[int, str], None]

#: What a section, table, image or table of differences may be named (the model's rule).
TARGET_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
#: The rule, as messages state it.
ID_RULE = (
    "an id starts with an ASCII letter and holds only ASCII letters, digits, '_' and '-' "
    "(64 characters at most)"
)

# "{#id}" with blanks allowed inside the braces; what stands between '#' and '}' is checked
_ATTRIBUTE = re.compile(r"\{[ \t]*#([^{}\n]*?)[ \t]*\}")
_TRAILING_BLANKS = re.compile(r"[ \t\n]*\Z")
_ID_RUN = re.compile(r"[^\s{}\[\]]*")


def checked_id(value: str, at: int, report: Report, what: str = "an id") -> str | None:
    """``value`` when it is a valid id; else None, with a problem at ``at``."""
    if TARGET_ID.fullmatch(value):
        return value
    shown = repr(value) if len(value) <= 40 else repr(value[:39] + "…")
    if not value:
        report(at, f"{what} is empty: write it after '#', like {{#costs}}")
    else:
        report(at, f"{what} {shown}: {ID_RULE}")
    return None


def _escaped(text: str, at: int, start: int) -> bool:
    """Whether ``text[at]`` is escaped: an odd run of backslashes (from ``start``) before it."""
    k = at
    while k > start and text[k - 1] == "\\":
        k -= 1
    return (at - k) % 2 == 1


def trailing_id(
    text: str, start: int, stop: int, report: Report, what: str = "an id"
) -> tuple[int, str | None, int]:
    """The ``{#id}`` that ends ``text[start:stop]`` (a heading's text, a table caption): the
    end of the text before it, the id (None when there is none, or when the one written is
    reported as invalid) and the offset of its ``{`` (``stop`` when there is none)."""
    end = _TRAILING_BLANKS.search(text, start, stop).start()  # type: ignore[union-attr]
    if end <= start or text[end - 1] != "}":
        return stop, None, stop
    brace = text.rfind("{", start, end)
    if brace < 0 or _escaped(text, brace, start):
        return stop, None, stop
    m = _ATTRIBUTE.fullmatch(text, brace, end)
    if m is None:
        return stop, None, stop
    found = checked_id(m.group(1), brace, report, what)
    before = brace
    while before > start and text[before - 1] in " \t\n":
        before -= 1
    return before, found, brace


def read_attribute_id(
    text: str, at: int, stop: int, report: Report, what: str = "an id"
) -> tuple[str | None, int]:
    """The ``{#id}`` whose ``{`` is at ``text[at]`` (reading no further than ``stop``): the id
    (None when reported) and the index after its ``}`` (``at`` when no ``{#…}`` stands
    there)."""
    m = _ATTRIBUTE.match(text, at, stop)
    if m is None:
        return None, at
    return checked_id(m.group(1), at, report, what), m.end()


def read_id_run(text: str, at: int, stop: int) -> tuple[str, int]:
    """The run of id characters (anything but blanks, braces and brackets) at ``text[at]``."""
    m = _ID_RUN.match(text, at, stop)
    assert m is not None
    return m.group(), m.end()
