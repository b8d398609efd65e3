"""What the tests share: where the seed corpus and the example brief are, and a small brief
over the seed corpus."""

from __future__ import annotations

from pathlib import Path

import briefkit as bk

ROOT = Path(__file__).resolve().parents[1]
#: the seed corpus
SEEDS = ROOT / "seeds"
#: the example Markdown brief over the seeds
EXAMPLE = ROOT / "examples" / "us-japan-alliance" / "brief.md"


def alliance_brief(
    corpus: bk.Corpus, *, title: str = "Alliance", block_quote: bool = True
) -> bk.Brief:
    """Key point with two figures, a quote with a speaker, an analysis sentence, an optional
    block quote, and a subsection with a list."""
    cnn = corpus["000_28b258b49d188a62.txt"]
    afp = corpus["002_a5ab00941732d00c.txt"]
    q = cnn.quote("Our alliance with Japan has never been stronger", speaker="Ash Carter")
    f1 = cnn.figure("50,000", unit="troops", within="US has 50,000 troops stationed in Japan")
    f2 = afp.figure("47,000", within="Some 47,000 US troops are stationed in Japan")
    blocks: list[bk.BlockQuote] = []
    if block_quote:
        end = afp.text.index("from now,”") + len("from now,”")
        blocks.append(bk.block_quote(afp.quote(start=afp.text.index("“I wanted"), end=end)))
    return bk.Brief(
        title=title,
        subtitle="Sub",
        author="Analyst",
        date="2026-11-21",
        key_points=[bk.sentence("CNN counts ", f1, "; another report ", f2, ".")],
        sections=[
            bk.section(
                "Tone",
                bk.paragraph(bk.sentence(q, "."), bk.analysis("Reassurance was the theme.")),
                *blocks,
                bk.section("Numbers", bk.bullets(bk.sentence(f1, " (CNN)."))),
            )
        ],
    )
