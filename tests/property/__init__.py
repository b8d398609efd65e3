"""Property tests, and the independent oracles they compare briefkit against.

Nothing here uses briefkit's own span machinery: grapheme boundaries come from ``regex``'s
``\\X``, lines from a hand-written scan, byte and UTF-16 offsets from ``str.encode``.
"""

from __future__ import annotations

import bisect
from pathlib import Path

import regex
from hypothesis import strategies as st

from briefkit import Source
from briefkit.testing import source_bytes

BOM = b"\xef\xbb\xbf"

#: Source ids used by the corpus strategies (nested ones exercise ``/`` in ids).
SOURCE_IDS = ("a.txt", "b.md", "notes.markdown", "sub/c.txt", "sub/deeper/d.text")


def canonical(raw: bytes) -> str:
    """The canonical text of a raw file: strict UTF-8, one leading BOM removed."""
    return (raw[len(BOM) :] if raw.startswith(BOM) else raw).decode("utf-8")


def boundaries(text: str) -> list[int]:
    """Every grapheme cluster boundary, from ``regex`` alone."""
    return [0, *(m.end() for m in regex.finditer(r"\X", text))]


def line_starts(text: str) -> list[int]:
    """Offsets where lines start; lines end at ``\\r\\n``, ``\\r`` or ``\\n``."""
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
            i += 2
            starts.append(i)
            continue
        i += 1
        if ch in "\r\n":
            starts.append(i)
    return starts


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of ``offset``."""
    starts = line_starts(text)
    k = bisect.bisect_right(starts, offset) - 1
    return k + 1, offset - starts[k] + 1


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


#: ``{source id: raw bytes}`` for one to three files (some may be empty, some have a BOM).
corpus_files = st.lists(
    st.tuples(st.sampled_from(SOURCE_IDS), source_bytes(0, 60)),
    min_size=1,
    max_size=3,
    unique_by=lambda pair: pair[0],
).map(dict)


def in_memory(files: dict[str, bytes]) -> list[Source]:
    return [Source.from_bytes(sid, raw) for sid, raw in files.items()]


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for sid, raw in files.items():
        path = root.joinpath(*sid.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
