"""Where the links of a page or Markdown file lead: each heading's anchor, the nesting of the
table of contents, and which anchors a file links to. Shared by the HTML and Markdown writers
and checkers (the manifest records no heading anchors: they follow from the outline).

*Anchors.* A section's heading is ``sec-<numbers>`` (``sec-2-1``), the key points'
``key-points``, the bibliography's ``bibliography``, the sources appendix's ``sources``; a
table is ``table-N`` and an image ``figure-N``. A cross-reference names a section, a table or
an image (:data:`REF_ANCHOR`); a contents entry names a heading (:data:`HEADING_ANCHOR`).

*Nesting.* The contents list nests each entry under the nearest entry before it of a lower
level (:func:`nesting`): levels 1, 2, 3, 2, 1 stand at depths 1, 2, 3, 2, 1, and a depth is
never more than one deeper than the entry before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from briefkit._text import split_lines
from briefkit.formats.checking import Piece
from briefkit.manifest import Manifest

__all__ = [
    "HEADING_ANCHOR",
    "REF_ANCHOR",
    "contents_anchors",
    "heading_anchors",
    "linked_anchors",
    "nesting",
    "one_line",
]

#: the anchor of a heading (a contents entry links to one)
HEADING_ANCHOR = re.compile(r"key-points|bibliography|sources|sec-\d{1,9}(?:-\d{1,9}){0,63}")
#: the anchor a cross-reference links to: a section, a table or an image
REF_ANCHOR = re.compile(r"(?:table|figure)-\d{1,9}|sec-\d{1,9}(?:-\d{1,9}){0,63}")

_FURNITURE = {"entry": "bibliography", "source": "sources"}


def heading_anchors(pieces: Sequence[Piece]) -> dict[int, str]:
    """The anchor of each heading piece of an outline, by its index: the key points',
    the bibliography's and the sources appendix's own, else ``sec-`` and the first ``level``
    numbers of the section of what follows the heading (a sentence, a table or an image)."""
    found: dict[int, str] = {}
    following: Piece | None = None  # the next piece that is neither a heading nor contents
    for k in range(len(pieces) - 1, -1, -1):
        piece = pieces[k]
        if piece.kind == "contents":
            continue
        if piece.kind != "heading":
            following = piece
            continue
        if following is None:
            continue
        if following.kind in _FURNITURE:
            found[k] = _FURNITURE[following.kind]
            continue
        sent = following.sentence
        if sent is not None and sent.block == "key_point":
            found[k] = "key-points"
            continue
        numbers: tuple[int, ...] = ()
        if following.table is not None:
            numbers = following.table.section_number
        elif following.image is not None:
            numbers = following.image.section_number
        elif sent is not None:
            numbers = sent.section_number
        if len(numbers) >= piece.level:
            found[k] = "sec-" + "-".join(map(str, numbers[: piece.level]))
    return found


def contents_anchors(pieces: Sequence[Piece]) -> list[str | None]:
    """The anchor each contents entry (a ``contents`` piece of a level above 0) links to: the
    anchor of the heading it lists, in order."""
    anchors = heading_anchors(pieces)
    headings = [anchors.get(k) for k, p in enumerate(pieces) if p.kind == "heading"]
    entries = [p for p in pieces if p.kind == "contents" and p.level > 0]
    return [headings[k] if k < len(headings) else None for k in range(len(entries))]


def nesting(levels: Iterable[int]) -> list[int]:
    """The depth (1 for the outer list) at which each contents entry of ``levels`` stands:
    under the nearest entry before it of a lower level."""
    open_levels: list[int] = []
    depths: list[int] = []
    for level in levels:
        while open_levels and open_levels[-1] >= level:
            open_levels.pop()
        open_levels.append(level)
        depths.append(len(open_levels))
    return depths


def one_line(text: str) -> bool:
    """Whether ``text`` holds no line break (a cross-reference is a link only then in
    Markdown, whose link text stays on one line)."""
    return len(split_lines(text)) == 1


def linked_anchors(
    manifest: Manifest, pieces: Sequence[Piece], *, multiline_refs: bool = True
) -> frozenset[str]:
    """Every anchor a link of the file leads to: each cross-reference's (only those whose
    text is one line unless ``multiline_refs``), and, when the brief has a table of contents,
    every heading's (``pieces``: the manifest's :func:`~briefkit.formats.checking.outline`)."""
    found = {
        part.ref
        for sent in manifest.sentences
        for part in sent.parts
        if part.ref is not None and (multiline_refs or one_line(part.text))
    }
    if manifest.brief.get("contents"):
        found.update(heading_anchors(pieces).values())
    return frozenset(found)
