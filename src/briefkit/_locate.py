"""Locating text in a source: unique exact matches, normalised matches, near misses.

Whatever matching is used, the result is always a span in **canonical-text** offsets whose
boundaries fall on grapheme clusters; the stored exact text is the canonical slice.
"""

from __future__ import annotations

import difflib
import heapq
import math
import operator
from array import array
from collections.abc import Callable
from itertools import compress, repeat

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


#: Up to this many code points, a near miss is searched for over the whole text; above it, a
#: token index of the text (built once per text) first picks the regions worth searching.
_SCAN_LIMIT = 1 << 16
#: The token index cuts the text into blocks of this many code points, each indexed together
#: with the next ``_OVERLAP`` code points (so a needle up to that long lies inside one block).
_BLOCK = 4096
_OVERLAP = 1024
_TOKENS = 64  # a needle's tokens looked up in the index (its longest ones)
_KEPT_TOKENS = 100_000  # tokens whose blocks are kept (then forgotten, to bound memory)
#: how many bits of information the best block's tokens must carry beyond telling one block
#: from the others, for the index to pick it
_MARGIN_BITS = 4
_REGIONS = 4  # the best-scoring blocks (with at least half the best score), searched
_ANCHOR_HITS = 50  # occurrences of one anchor counted (per range searched)
_MAX_ANCHORS = 256  # anchors taken along a needle (evenly spaced)
_SCAN_ANCHORS = 4  # anchors looked for over the whole of a large text when the index cannot help
_SCAN_ANCHOR_LENGTH = 32  # ... at most this long
_RANKED = 200  # candidate starts clustered
_WINDOWS = 8  # candidate windows compared character by character (at most)
_COMPARE_BUDGET = 2_000_000  # ... and fewer for long needles: windows * len(needle) ** 2
_MIN_RATIO = 0.5
_TRIM = 8  # matching blocks at either end of a window that may be dropped


class _TokenIndex:
    """The whitespace-separated tokens of each block of a large text: enough to find the few
    blocks that share most of a needle's rarer tokens in time proportional to the number of
    blocks, not to the length of the text. Which blocks hold a token is found on first need
    and kept (only how many, for a token that many blocks hold)."""

    __slots__ = ("_found", "blocks")

    def __init__(self, text: str) -> None:
        self.blocks = [
            frozenset(text[i : i + _BLOCK + _OVERLAP].split()) for i in range(0, len(text), _BLOCK)
        ]
        self._found: dict[str, array[int] | int] = {}

    def _lookup(self, token: str) -> array[int] | int:
        found = self._found.get(token)
        if found is None:
            holding = list(map(operator.contains, self.blocks, repeat(token)))
            count = sum(holding)
            if count <= max(_REGIONS, len(holding) // 2):
                found = array("i", compress(range(len(holding)), holding))
            else:
                found = count  # too common to tell blocks apart by
            if len(self._found) >= _KEPT_TOKENS:
                self._found.clear()
            self._found[token] = found
        return found

    def regions(self, needle: str, length: int) -> list[tuple[int, int]] | None:
        """The text ranges worth searching for ``needle``: around the blocks that hold most of
        its rarer tokens (the rarer, the more a token counts). None when the needle's tokens
        are too few or too common for the best block to stand out."""
        tokens = sorted(set(needle.split()), key=lambda t: (-len(t), t))[:_TOKENS]
        total = len(self.blocks)
        scores = [0] * total
        for token in tokens:
            holding = self._lookup(token)
            if isinstance(holding, int) or not holding:
                continue
            # integer weights (millibits), so that scores add up and compare exactly
            weight = 1 + round(1000 * math.log2(total / len(holding)))
            for b in holding:
                scores[b] += weight
        best = heapq.nlargest(_REGIONS, range(total), key=scores.__getitem__)  # ties: first
        top = scores[best[0]]
        if top < 1000 * (math.log2(total) + _MARGIN_BITS):
            return None
        ranges: list[tuple[int, int]] = []
        for b in sorted(b for b in best if 2 * scores[b] >= top):
            lo = max(0, b * _BLOCK - length)
            hi = b * _BLOCK + _BLOCK + _OVERLAP + length
            if ranges and lo <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(hi, ranges[-1][1]))
            else:
                ranges.append((lo, hi))
        return ranges


def _anchors(needle: str, limit: int, longest: int = 8) -> list[tuple[int, str]]:
    """Short exact pieces of ``needle`` (up to ``longest`` code points) and their offsets:
    overlapping, evenly spaced (the first and the last piece always among them), at most
    ``limit``."""
    n = len(needle)
    k = max(2, min(longest, n // 2)) if n >= 4 else n
    last = n - k
    step = max(1, k // 2, -(-last // max(1, limit - 1)))
    offsets = sorted({*range(0, last + 1, step), last})
    return [(off, needle[off : off + k]) for off in offsets if needle[off : off + k].strip()]


def _votes(
    text: str, anchors: list[tuple[int, str]], ranges: list[tuple[int, int]]
) -> dict[int, int]:
    """For each start offset of the text, how many anchors occur (within ``ranges``) where the
    needle starting there would have them."""
    votes: dict[int, int] = {}
    for off, anchor in anchors:
        for lo, hi in ranges:
            i = text.find(anchor, lo, hi)
            hits = 0
            while i != -1 and hits < _ANCHOR_HITS:
                at = max(0, i - off)
                votes[at] = votes.get(at, 0) + 1
                hits += 1
                i = text.find(anchor, i + 1, hi)
    return votes


def _candidates(votes: dict[int, int], n: int) -> list[int]:
    """The starts worth comparing: the best-voted start of each cluster of nearby starts (an
    edit shifts the anchors after it), best clusters first, those with at least half the votes
    of the best one, fewer for long needles."""
    ranked = heapq.nsmallest(_RANKED, votes.items(), key=lambda kv: (-kv[1], kv[0]))
    radius = max(1, n // 4)
    clusters: list[list[int]] = []  # [start, votes]
    near: dict[int, list[int]] = {}  # start // radius -> the clusters starting there
    for at, count in ranked:
        key = at // radius
        joined = [
            c
            for k in (key - 1, key, key + 1)
            for c in near.get(k, ())
            if abs(clusters[c][0] - at) <= radius
        ]
        if joined:
            clusters[min(joined)][1] += count
        else:
            near.setdefault(key, []).append(len(clusters))
            clusters.append([at, count])
    clusters.sort(key=lambda c: (-c[1], c[0]))
    most = max(1, min(_WINDOWS, _COMPARE_BUDGET // (n * n)))
    return [at for at, count in clusters[:most] if 2 * count >= clusters[0][1]]


def _common(a: str, b: str) -> int:
    """The length of the common prefix of ``a`` and ``b``."""
    i = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        i += 1
    return i


def _context(text: str, span: Span, prefix: str, suffix: str) -> int:
    """How many characters of the recorded context agree with the text around ``span``."""
    before = text[max(0, span.start - len(prefix)) : span.start]
    after = text[span.end : span.end + len(suffix)]
    return _common(before[::-1], prefix[::-1]) + _common(after, suffix)


def _compare(index: TextIndex, needle: str, at: int) -> tuple[Span, float] | None:
    """The part of the text around ``at`` that matches ``needle``, from its first to its last
    matching character (widened to whole grapheme clusters), and its similarity."""
    text = index.text
    n = len(needle)
    lo = max(0, at - n // 4)
    hi = min(len(text), at + n + n // 4)
    matcher = difflib.SequenceMatcher(None, needle, text[lo:hi], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return None
    # drop stray matches at either end (letters of an edited word matched in the text around
    # the passage) when that makes the span more similar: cut only where the gap between two
    # matches is much wider in the text than in the needle
    sizes = [0]
    for block in blocks:
        sizes.append(sizes[-1] + block.size)

    def cut(k: int) -> bool:  # between blocks k - 1 and k
        before, after = blocks[k - 1], blocks[k]
        gap_a = after.a - before.a - before.size
        gap_b = after.b - before.b - before.size
        return gap_b > 2 * gap_a + 2

    best = (sizes[-1], n + blocks[-1].b + blocks[-1].size - blocks[0].b, 0, len(blocks))
    for i in range(min(_TRIM, len(blocks))):
        if i and not cut(i):
            continue
        for j in range(len(blocks), max(i, len(blocks) - _TRIM), -1):
            if j < len(blocks) and not cut(j):
                continue
            matched = sizes[j] - sizes[i]
            total = n + blocks[j - 1].b + blocks[j - 1].size - blocks[i].b
            if matched * best[1] > best[0] * total:
                best = (matched, total, i, j)
    trimmed = best[2:] != (0, len(blocks))
    blocks = blocks[best[2] : best[3]]
    start = index.cluster_start(lo + blocks[0].b)
    end = index.cluster_end(lo + blocks[-1].b + blocks[-1].size)
    if start >= end:
        return None
    if not trimmed and lo <= start and end <= hi:
        # every matching block lies inside [start, end), which lies inside the window, so
        # comparing the needle with text[start:end] would find the very same blocks
        ratio = 2.0 * sum(b.size for b in blocks) / (n + end - start)
    else:
        ratio = difflib.SequenceMatcher(None, needle, text[start:end], autojunk=False).ratio()
    return Span(start, end), ratio


def near_miss(
    index: TextIndex, needle: str, *, prefix: str = "", suffix: str = ""
) -> tuple[Span, float] | None:
    """The span of ``index.text`` most similar to ``needle`` and its similarity (0–1), or None
    when nothing is at least half similar.

    Candidates come from short exact anchors taken along the needle; only the best few are
    compared character by character (:mod:`difflib`). Over a large text, the anchors are looked
    for only in the blocks that share the needle's rarer tokens (a token index of the text,
    built on first use and kept on ``index``), or else only a few anchors over the whole text,
    so the cost stays bounded whatever the length of the text. Among equally similar spans,
    the one whose surroundings agree most with ``prefix``/``suffix`` (the citation's recorded
    context), then the first, is chosen: the answer depends only on the text and the needle.
    """
    text = index.text
    n = len(needle)
    if not n or not text:
        return None
    ranges = [(0, len(text))]
    anchors = None
    if len(text) > _SCAN_LIMIT:
        tokens = index.derived("near-miss-tokens", lambda: _TokenIndex(text))
        picked = tokens.regions(needle, n)
        if picked is None:
            # the index cannot tell where: a few longer (so rarer) anchors over the whole text
            longest = min(_SCAN_ANCHOR_LENGTH, max(8, n // 4))
            anchors = _anchors(needle, _SCAN_ANCHORS, longest)
        else:
            ranges = picked
    if anchors is None:
        anchors = _anchors(needle, _MAX_ANCHORS)
    votes = _votes(text, anchors, ranges)
    best: tuple[tuple[float, int, int], Span] | None = None
    for at in _candidates(votes, n):
        found = _compare(index, needle, at)
        if found is None:
            continue
        span, ratio = found
        key = (ratio, _context(text, span, prefix, suffix) if prefix or suffix else 0, -span.start)
        if best is None or key > best[0]:
            best = (key, span)
    if best is None or best[0][0] < _MIN_RATIO:
        return None
    return best[1], best[0][0]


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
