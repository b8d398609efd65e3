"""Near misses at scale: verify re-anchors hundreds of edited citations in a 20 MB source within
the time and memory limits of a hostile case, and the near-miss search keeps finding the closest
match at the right place (edits at either end, ties, tiny and oversized needles, Unicode)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import briefkit as bk
from briefkit._locate import _SCAN_LIMIT, near_miss
from briefkit.spans import TextIndex

from .bounded import run_bounded

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "to",
    "ne",
    "su",
    "vi",
    "de",
    "po",
    "an",
    "el",
    "or",
    "us",
    "qu",
    "ze",
    "th",
    "ion",
    "er",
    "st",
]


def _prose(seed: int, size: int, extra: tuple[str, ...] = ()) -> str:
    """``size`` code points of varied prose: pseudo-words (Zipf-weighted) from a seeded RNG."""
    rng = random.Random(seed)
    vocab = sorted(
        {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(6000)}
    )
    vocab += ["the", "of", "and", "to", "in", "is", "was", "for", "that", "on", *extra]
    rng.shuffle(vocab)
    cum: list[float] = []
    total = 0.0
    for i in range(len(vocab)):
        total += 1.0 / (i + 1) ** 0.8
        cum.append(total)
    parts: list[str] = []
    length = 0
    while length < size:
        para = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(40, 120)))
        para = para.capitalize() + ".\n\n"
        parts.append(para)
        length += len(para)
    return "".join(parts)


def _passages(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """``count`` word-aligned passages (60–250 code points), in order, far apart."""
    step = len(text) // count
    spans = []
    for k in range(count):
        s = text.index(" ", k * step + rng.randrange(step // 2)) + 1
        e = text.index(" ", s + rng.randint(60, 250))
        spans.append((s, e))
    return spans


def _edit(
    text: str, spans: list[tuple[int, int]], rng: random.Random, word: str = "zzedited"
) -> tuple[str, list[tuple[int, int]]]:
    """Replace one inner word of each passage by ``word``; the passages' new spans."""
    pieces: list[str] = []
    moved: list[tuple[int, int]] = []
    shift = 0
    last = 0
    for s, e in spans:
        spaces = [i for i in range(s, e) if text[i] == " "]
        at = rng.choice(spaces[1:-1]) + 1  # neither the first nor the last word
        end = text.index(" ", at)
        pieces += [text[last:at], word]
        last = end
        delta = len(word) - (end - at)
        moved.append((s + shift, e + shift + delta))
        shift += delta
    pieces.append(text[last:])
    return "".join(pieces), moved


# -- the big case --------------------------------------------------------------------------


_VERIFY = """
import json, resource, time
import briefkit as bk
t = time.perf_counter()
report = bk.verify("brief.json", sources="sources")
took = time.perf_counter() - t
src = bk.Corpus.from_dir("sources")["big.txt"]
t = time.perf_counter()
try:
    src.find(report.citations[150].detail and json.load(open("needle.json"))["needle"])
except bk.TextNotFoundError as exc:
    miss = str(exc)
else:
    miss = ""
find_took = time.perf_counter() - t
print(json.dumps({
    "checks": [[c.status, c.new_start, c.new_end, c.detail] for c in report.citations],
    "seconds": took,
    "find_seconds": find_took,
    "find": miss,
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def test_300_edited_citations_in_a_20_mb_source_verify_in_bounds(tmp_path: Path) -> None:
    text = _prose(2024, 20_000_000)
    rng = random.Random(7)
    spans = _passages(text, rng, 300)
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "big.txt").write_text(text, encoding="utf-8", newline="")
    src = bk.Corpus.from_dir(sources)["big.txt"]
    brief = bk.Brief(
        title="Big",
        key_points=[bk.sentence("Said ", src.quote(start=s, end=e), ".") for s, e in spans],
    )
    bk.export(brief, tmp_path / "brief.json")
    edited, moved = _edit(text, spans, rng)
    (sources / "big.txt").write_text(edited, encoding="utf-8", newline="")
    needle = text[spans[150][0] : spans[150][1]]
    (tmp_path / "needle.json").write_text(json.dumps({"needle": needle}), encoding="utf-8")
    del text, edited, src, brief

    # about 4.5 s of CPU here; a shared CI machine gets more wall time
    out = run_bounded(_VERIFY, cwd=tmp_path, seconds=30)
    assert out.ok, (out.timed_out, out.stderr[-2000:])
    result = json.loads(out.stdout)
    checks = result["checks"]
    assert len(checks) == 300
    assert all(status == "changed" for status, *_ in checks)
    # every citation's closest match is its own edited passage, exactly
    assert [(start, end) for _, start, end, _ in checks] == moved
    assert all("zzedited" in detail for *_, detail in checks)
    s, e = moved[150]
    assert f"at chars {s}–{e} " in result["find"]


# -- the closest match, over small and large texts -----------------------------------------


@pytest.fixture(scope="module")
def large() -> str:
    text = _prose(99, 3 * _SCAN_LIMIT)
    assert len(text) > _SCAN_LIMIT
    return text


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_the_closest_match_is_found_after_an_edit_anywhere_in_the_passage(
    large: str, size: str, where: str
) -> None:
    text = large if size == "large" else large[: _SCAN_LIMIT // 2]
    rng = random.Random(f"{size}-{where}")
    for s, e in _passages(text, rng, 12):
        words = text[s:e].split(" ")
        k = {"start": 0, "middle": len(words) // 2, "end": len(words) - 1}[where]
        words[k] = "qqq" + words[k][::-1] + "qqq"
        needle = " ".join(words)
        assert needle not in text
        found = near_miss(TextIndex(text), needle)
        assert found is not None
        span, ratio = found
        assert ratio > 0.8
        # the match is the passage, give or take the edited word at its ends
        assert abs(span.start - s) <= len(words[0]) + 6 and abs(span.end - e) <= len(words[-1]) + 6


def test_one_word_edits_are_located_exactly_in_a_large_text(large: str) -> None:
    rng = random.Random(3)
    spans = _passages(large, rng, 40)
    edited, moved = _edit(large, spans, rng, word="xyxyx")
    index = TextIndex(edited)
    for (s, e), (ms, me) in zip(spans, moved, strict=True):
        found = near_miss(index, large[s:e])
        assert found is not None
        assert (found[0].start, found[0].end) == (ms, me)


@pytest.mark.parametrize("pad", [0, _SCAN_LIMIT])
def test_equal_candidates_choose_by_context_then_first(pad: int) -> None:
    filler = _prose(5, pad)[:pad]
    passage = "the harbour master says the eastern port is shut for now"
    text = f"{filler}Alpha: {passage}. Beta: {passage}. End.\n"
    needle = "the harbour master says the eastern port is open for now"
    first = text.index(passage)
    second = text.index(passage, first + 1)
    span, ratio = near_miss(TextIndex(text), needle) or (None, 0.0)
    assert span is not None and span.start == first and ratio > 0.8
    again = near_miss(TextIndex(text), needle)
    assert again is not None and again[0] == span  # the same answer every time
    by_context = near_miss(TextIndex(text), needle, prefix="Beta: ", suffix=". End.")
    assert by_context is not None and by_context[0].start == second
    assert by_context[1] == ratio


def test_a_needle_longer_than_the_text() -> None:
    text = "the port is open"
    found = near_miss(TextIndex(text), "the port is open to all ships from tomorrow")
    assert found is not None
    span, ratio = found
    assert (span.start, span.end) == (0, len(text))
    assert 0.5 <= ratio < 1
    assert near_miss(TextIndex("ab"), "a completely different and much longer needle") is None


@pytest.mark.parametrize("pad", [0, _SCAN_LIMIT])
def test_needles_of_one_to_three_characters(pad: int) -> None:
    filler = "lurim ipsum dulur sit amit " * (pad // 27 + 1) if pad else ""  # no e, no o
    text = filler + "cafe\u0301 and ko\u0308ln; x\U0001f600y"
    index = TextIndex(text)
    for needle in ("e", "o", "q", "zq", "wvu", "\U0001f600", "x\U0001f601"):
        found = near_miss(index, needle)
        if found is not None:
            span, ratio = found
            assert index.is_boundary(span.start) and index.is_boundary(span.end)
            assert 0.5 <= ratio <= 1
    # a lone base letter matches its whole cluster, never half of it
    found = near_miss(index, "e")
    assert found is not None
    assert text[found[0].start : found[0].end] == "e\u0301"


_MARKS = [
    "e\u0301",
    "a\u0308",
    "o\u0302\u0323",
    "\U0001f1ef\U0001f1f5",
    "\U0001f469\u200d\U0001f4bb",
]


@pytest.mark.parametrize("pad", [0, _SCAN_LIMIT])
def test_unicode_heavy_text_keeps_spans_on_grapheme_boundaries(pad: int) -> None:
    rng = random.Random(11)
    words = []
    length = 0
    while length < max(pad * 2, 20_000):
        word = "".join(
            rng.choice([*_MARKS, "\U00020000", "\U0001d11e", "ß", "ж", "日本"])
            for _ in range(rng.randint(1, 5))
        )
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)
    index = TextIndex(text)
    for k in range(10):
        i = rng.randrange(len(words) - 20)
        passage = words[i : i + 15]
        needle = " ".join([*passage[:7], "plainword", *passage[8:]])
        found = near_miss(index, needle)
        assert found is not None, k
        span, ratio = found
        assert index.is_boundary(span.start) and index.is_boundary(span.end)
        assert ratio > 0.7
        start = len(" ".join(words[:i])) + (1 if i else 0)
        assert abs(span.start - start) <= 12
        # cutting a cluster in the needle still lands on whole clusters in the text
        cut = needle[: needle.index("\u0301") if "\u0301" in needle else len(needle)]
        if len(cut) >= 4:
            found = near_miss(index, cut)
            if found is not None:
                assert index.is_boundary(found[0].start) and index.is_boundary(found[0].end)


def test_a_large_text_without_spaces_falls_back_to_a_bounded_scan() -> None:
    rng = random.Random(5)
    chars = "日本語中文字漢詞句章節段落書紙筆墨硯"
    text = "".join(rng.choice(chars) for _ in range(2 * _SCAN_LIMIT))
    s = len(text) // 2
    needle = text[s : s + 40]
    needle = needle[:20] + "X" + needle[21:]
    found = near_miss(TextIndex(text), needle)
    assert found is not None
    assert (found[0].start, found[0].end) == (s, s + 40)
