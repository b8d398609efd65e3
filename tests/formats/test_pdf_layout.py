"""The PDF page layout leaves no single line of a paragraph alone at the foot of a page
(orphan) or at the top of the next (widow)."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from pypdf import PdfReader

import briefkit as bk

WORDS = 260  # one paragraph of several lines


def _brief(corpus: bk.Corpus, filler: int) -> bk.Brief:
    cnn = corpus["000_28b258b49d188a62.txt"]
    p = cnn.paraphrase("Pentagon officials are confident")
    long = " ".join(f"zq{i:03d}" for i in range(WORDS)) + "."
    fill = [bk.paragraph(bk.sentence("A filler paragraph.", cite=p))] * filler
    return bk.Brief(
        title="Layout",
        sections=[bk.section("Body", *fill, bk.paragraph(bk.sentence(long, cite=p)))],
    )


def _lines_per_page(pdf: bytes) -> list[int]:
    """How many lines of the long paragraph each page shows (by distinct baselines)."""
    counts: list[int] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        baselines: Counter[float] = Counter()

        def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
            if "zq" in text:
                baselines[round(tm[5], 1)] += 1  # noqa: B023 - used before the loop moves on

        page.extract_text(visitor_text=visit)
        counts.append(len(baselines))
    return counts


@pytest.mark.parametrize("filler", range(8, 21))
def test_no_paragraph_leaves_a_single_line_on_a_page(corpus: bk.Corpus, filler: int) -> None:
    pdf = bk.render(_brief(corpus, filler), "pdf")
    counts = [n for n in _lines_per_page(pdf) if n]
    assert sum(counts) >= 4, counts  # the paragraph is long enough for the rule to matter
    assert all(n >= 2 for n in counts), counts


def test_the_range_of_fillers_does_split_the_paragraph(corpus: bk.Corpus) -> None:
    # the parametrised test means something only if some filler count splits the paragraph
    splits = 0
    for filler in range(8, 21):
        counts = [n for n in _lines_per_page(bk.render(_brief(corpus, filler), "pdf")) if n]
        splits += len(counts) > 1
    assert splits >= 3


def _frag_text(frag: object) -> str:
    """The text of a reportlab fragment, or of a word of a wrapped paragraph's fragments (its
    width, then each piece's fragment and text)."""
    if isinstance(frag, list):
        return "".join(str(piece[1]) for piece in frag[1:])
    return str(getattr(frag, "text", ""))


def test_a_paragraph_over_many_pages_is_wrapped_once(
    corpus: bk.Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each page takes the next lines of the paragraph as first wrapped: what is left of it is
    # not wrapped again page after page, and every word is shown once, in order
    from briefkit.formats.pdf._markup import Paragraph

    cnn = corpus["000_28b258b49d188a62.txt"]
    p = cnn.paraphrase("Pentagon officials are confident")
    words = [f"zq{i:04d}" for i in range(6000)]
    brief = bk.Brief(
        title="Long",
        sections=[bk.section("Body", bk.paragraph(bk.sentence(" ".join(words) + ".", cite=p)))],
    )
    wrapped: list[int] = []
    original = Paragraph.wrap

    def wrap(self: Paragraph, width: float, height: float) -> tuple[float, float]:
        ours = any("zq" in _frag_text(f) for f in self.frags[:3])
        got = original(self, width, height)
        if ours:
            wrapped.append(len(self.blPara.lines))  # type: ignore[attr-defined]
        return got

    monkeypatch.setattr(Paragraph, "wrap", wrap)
    pdf = bk.render(brief, "pdf")
    counts = [n for n in _lines_per_page(pdf) if n]
    assert len(counts) >= 8, counts  # the paragraph runs over many pages
    assert sum(wrapped) <= 3 * sum(counts), (sum(wrapped), sum(counts))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert [w[:6] for w in text.split() if w.startswith("zq")] == words  # "zq5999.1": its mark
