"""Locating text in a source: unique exact matches, normalised matches, near misses.

Whatever matching is used, the result is always a span in **canonical-text** offsets whose
boundaries fall on grapheme clusters; the stored exact text is the canonical slice.
"""

from __future__ import annotations

import difflib
from array import array
from collections import Counter
from collections.abc import Callable

import regex

from briefkit._text import fold, fold_clusters
from briefkit.errors import AmbiguousMatchError, SpanError, TextNotFoundError
from briefkit.spans import Span, TextIndex

__all__ = ["FoldedText", "find_all", "locate", "near_miss"]

_GRAPHEME = regex.compile(r"\X", flags=regex.VERSION1)
_MAX_LISTED = 10
_HINT_LIMIT = 2_000_000  # code points; beyond this a failed find skips the normalised hint


def _occurrences(text: str, needle: str, limit: int | None = None) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``needle`` in ``text``."""
    found: list[int] = []
    i = text.find(needle)
    while i != -1:
        found.append(i)
        if limit is not None and len(found) >= limit:
            break
        i = text.find(needle, i + 1)
    return found


class FoldedText:
    """A source text folded for tolerant search, with a map back to canonical offsets.

    Each grapheme cluster is folded on its own (:func:`briefkit.text.fold_clusters`); a run
    of whitespace clusters becomes one space. A match counts only when it starts at the first and
    ends at the last character that a cluster folded into, so it maps back to whole clusters.
    """

    __slots__ = ("_ends", "_first", "_last", "_starts", "folded")

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        starts = array("q")
        ends = array("q")
        first = bytearray()
        last = bytearray()
        for start, end, folded in fold_clusters(text):
            width = len(folded)
            for k, ch in enumerate(folded):
                chars.append(ch)
                starts.append(start)
                ends.append(end)
                first.append(k == 0)
                last.append(k == width - 1)
        self.folded = "".join(chars)
        self._starts, self._ends, self._first, self._last = starts, ends, first, last

    def find_all(self, needle: str) -> list[Span]:
        pattern = fold(needle)
        if not pattern:
            return []
        spans: list[Span] = []
        for p in _occurrences(self.folded, pattern):
            q = p + len(pattern) - 1
            if self._first[p] and self._last[q]:
                span = Span(self._starts[p], self._ends[q])
                if not spans or spans[-1] != span:
                    spans.append(span)
        return spans


def find_all(
    index: TextIndex, needle: str, *, folded: FoldedText | None = None
) -> tuple[list[Span], list[Span]]:
    """All occurrences of ``needle``: ``(aligned, split)``.

    ``aligned`` holds the spans whose boundaries fall on grapheme clusters; ``split`` those
    that would cut a cluster (e.g. ``"e"`` inside ``"e\\u0301"``), which are never usable.
    With ``folded`` given, the tolerant search is used (its matches are always aligned).
    """
    if folded is not None:
        return folded.find_all(needle), []
    aligned: list[Span] = []
    split: list[Span] = []
    for start in _occurrences(index.text, needle):
        span = Span(start, start + len(needle))
        if index.is_boundary(span.start) and index.is_boundary(span.end):
            aligned.append(span)
        else:
            split.append(span)
    return aligned, split


def near_miss(index: TextIndex, needle: str) -> tuple[Span, float] | None:
    """The span of ``index.text`` most similar to ``needle`` and its similarity (0–1), or None.

    Candidates come from short exact anchors taken along the needle, so the cost stays
    proportional to the number of anchor hits, not to ``len(text) * len(needle)``.
    """
    text = index.text
    n = len(needle)
    if not n or not text:
        return None
    k = max(2, min(8, n // 2)) if n >= 4 else n
    step = max(1, k // 2)
    votes: Counter[int] = Counter()
    for off in range(0, max(1, n - k + 1), step):
        anchor = needle[off : off + k]
        if anchor.strip():
            for pos in _occurrences(text, anchor, limit=50):
                votes[max(0, pos - off)] += 1
    best: tuple[Span, float] | None = None
    for cand, _ in votes.most_common(25):
        lo = max(0, cand - n // 4)
        window = text[lo : cand + n + n // 4]
        matcher = difflib.SequenceMatcher(None, needle, window, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        start = lo + blocks[0].b
        end = lo + blocks[-1].b + blocks[-1].size
        start, end = index.cluster_start(start), index.cluster_end(end)
        if start >= end:
            continue
        ratio = difflib.SequenceMatcher(None, needle, text[start:end], autojunk=False).ratio()
        if best is None or ratio > best[1]:
            best = (Span(start, end), ratio)
    if best is None or best[1] < 0.5:
        return None
    return best


def _where(index: TextIndex, span: Span) -> str:
    line, col = index.line_col(span.start)
    return f"chars {span.start}–{span.end} (line {line}, column {col})"


def _short(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def locate(
    index: TextIndex,
    needle: str,
    *,
    source_id: str,
    normalize: bool = False,
    folded: Callable[[], FoldedText] | None = None,
) -> Span:
    """The unique span of ``needle`` in the text.

    Raises :class:`TextNotFoundError` (naming the closest near miss and where it is) when it does
    not occur, :class:`AmbiguousMatchError` (listing the occurrences) when it occurs more than
    once, and :class:`SpanError` when it occurs only inside grapheme clusters. ``folded``
    supplies the (cached) tolerant form of the text, used when ``normalize`` is true and to
    hint at a normalised match when an exact one fails.
    """
    get_folded = folded if folded is not None else (lambda: FoldedText(index.text))
    if not isinstance(needle, str) or not needle:
        raise SpanError(f"{source_id}: the text to locate must be a non-empty string")
    aligned, split = find_all(index, needle, folded=get_folded() if normalize else None)
    if len(aligned) == 1:
        return aligned[0]
    if len(aligned) > 1:
        listed = "; ".join(_where(index, s) for s in aligned[:_MAX_LISTED])
        more = f" and {len(aligned) - _MAX_LISTED} more" if len(aligned) > _MAX_LISTED else ""
        raise AmbiguousMatchError(
            f"{source_id}: {_short(needle)} occurs {len(aligned)} times ({listed}{more}); "
            "pass start/end offsets or a longer text to choose one",
            ((s.start, s.end) for s in aligned),
        )
    if split:
        raise SpanError(
            f"{source_id}: {_short(needle)} occurs only inside grapheme clusters "
            f"({_where(index, split[0])}); include the whole cluster"
        )
    hint = ""
    if not normalize and len(index.text) <= _HINT_LIMIT and get_folded().find_all(needle):
        hint = " It matches when quote marks and whitespace are normalised: pass normalize=True."
    else:
        miss = near_miss(index, needle)
        if miss is not None:
            span, ratio = miss
            hint = (
                f" Closest: {_short(index.text[span.start : span.end])} at "
                f"{_where(index, span)}, {ratio:.0%} similar."
            )
    mode = "normalised " if normalize else ""
    raise TextNotFoundError(f"{source_id}: {mode}text {_short(needle)} not found.{hint}")
