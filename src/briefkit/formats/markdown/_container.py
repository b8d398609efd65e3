"""Where a written file keeps its provenance manifest and each note's citations, and how a
pipe table's alignment row aligns each column: defined once for the writer and the reader.

*A note's citations* end its footnote definition as an HTML comment, after one space::

    [^3]: Note text. <!-- cites: 000_cnn.txt:787-834 a%2D%2Db.txt:0-12 -->

``<!-- cites:``, then for each citation, in order, a space and ``SOURCE:START-END``, then
`` -->``. In ``SOURCE`` every character but ASCII letters, digits, ``.``, ``_`` and ``/`` is
percent-encoded (``%XX`` for each byte of its UTF-8, upper-case hex), so ``-`` is ``%2D``: a
source id may hold ``--`` (``a--b.txt``), which would end the comment early for an HTML
parser and make CommonMark before 0.31 (GitHub) take it for no comment at all and show it.
Encoded, a ``-`` stands only between two digits, and the comment holds no ``--``, no ``>``
and does not end in ``-``: every Markdown reader takes it for a comment and shows nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "CITES_COMMENT",
    "MANIFEST_COMMENT",
    "RULE",
    "cites_comment",
    "decode_cite",
    "encode_source",
]

#: the cell of a pipe table's alignment row for a column of each alignment
RULE = {"left": ":--", "center": ":-:", "right": "--:"}

#: how the trailing comment that holds the manifest opens
MANIFEST_COMMENT = "<!-- briefkit-provenance v1"

#: a footnote definition's trailing comment that carries the note's citations, whole (group 1:
#: the citations, each after a space)
CITES_COMMENT = re.compile(r"<!-- cites:((?: [A-Za-z0-9._/%]+:[0-9]+-[0-9]+)*) -->")

_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/")
_CITE = re.compile(r"([A-Za-z0-9._/%]+):([0-9]+)-([0-9]+)")
_PERCENT = re.compile(r"(?:%[0-9A-F]{2})+")


def encode_source(source: str) -> str:
    """``source`` with every character but ASCII letters, digits, ``.``, ``_`` and ``/``
    percent-encoded."""
    return "".join(
        ch if ch in _KEEP else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in source
    )


def cites_comment(citations: Iterable[tuple[str, int, int]]) -> str:
    """The comment that carries a note's ``(source, start, end)`` citations."""
    cites = "".join(f" {encode_source(s)}:{start}-{end}" for s, start, end in citations)
    return f"<!-- cites:{cites} -->"


def decode_cite(token: str) -> str:
    """One citation of a cites comment as ``SOURCE:START-END`` with its source decoded; a
    token not written as :func:`cites_comment` writes it is returned as it stands."""
    m = _CITE.fullmatch(token)
    if m is None:
        return token
    try:
        source = _PERCENT.sub(lambda p: bytes.fromhex(p[0].replace("%", "")).decode(), m[1])
    except UnicodeDecodeError:
        return token
    start, end = int(m[2]), int(m[3])
    if f"{encode_source(source)}:{start}-{end}" != token:  # not as the writer writes it
        return token
    return f"{source}:{start}-{end}"
