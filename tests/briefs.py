"""What the tests share: where the seed corpus and the example brief are, a small brief over
the seed corpus, and reading a Markdown brief's text (its problems, where text stands)."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefkit as bk
from briefkit import mdbrief

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


# -- a brief with tables (the table writers' and checkers' tests) --------------------------

TABLE_CNN = "000_28b258b49d188a62.txt"
TABLE_MATTIS = "002_a5ab00941732d00c.txt"
TABLE_OVERVIEW = "004_35db4e2c9c51291d.txt"
TROOPS = "U.S. troops in Japan"
COST = "Japan's host-nation support"
CAPTION = "U.S. troops in Japan by source"
HEADER = ("Source", "U.S. troops", "Comment")


def table_brief(
    corpus: bk.Corpus,
    *,
    caption: str = CAPTION,
    header: tuple[str, ...] = HEADER,
    label: str = "CNN",
    comment: str = "Carter met troops on landing.",
) -> bk.Brief:
    """A paragraph, a three-column table (a row label, a figure, a comment: a paraphrase, an
    empty cell, an analysis), a paragraph, and the generated table of differences."""
    cnn, mattis, ov = corpus[TABLE_CNN], corpus[TABLE_MATTIS], corpus[TABLE_OVERVIEW]
    within = "US has 50,000 troops stationed in Japan"
    t_cnn = cnn.figure("50,000", unit="troops", within=within, measure=TROOPS)
    t_mat = mattis.figure(
        "47,000",
        unit="troops",
        within="Some 47,000 US troops are stationed in Japan",
        measure=TROOPS,
    )
    t_ov = ov.figure(
        "54,000",
        unit="U.S. troops",
        within="About 54,000 U.S. troops are stationed in Japan",
        measure=TROOPS,
    )
    c_cnn = cnn.figure(
        "$1.6 billion", within="the Japanese government pays $1.6 billion", measure=COST
    )
    c_ov = ov.figure(
        "nearly $2 billion",
        unit="per year",
        within="The Japanese government currently provides nearly $2 billion per year",
        measure=COST,
    )
    met = cnn.paraphrase("Carter met upon landing with US troops")
    tab = bk.table(
        caption,
        header,
        [label, bk.sentence(t_cnn), bk.sentence(comment, cite=met)],
        ["AFP", bk.sentence(t_mat), ""],
        ["CRS", bk.sentence("about ", t_ov), bk.analysis("The highest of the three.")],
        align=["left", "right", "center"],
    )
    return bk.Brief(
        title="Tables",
        sections=[
            bk.section(
                "Forces",
                bk.paragraph(
                    bk.sentence("Japan pays ", c_cnn, " a year.", accept_numbers=["1.6"]),
                    bk.sentence("Another source says ", c_ov, "."),
                ),
                tab,
                bk.paragraph(bk.sentence("After the table, the text goes on.", cite=met)),
            )
        ],
        differences=True,
    )


def load_brief(text: str, tmp_path: Path) -> mdbrief.MarkdownBrief:
    """The Markdown brief ``text``, written to ``tmp_path/brief.md`` and read."""
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    return mdbrief.load(path)


def brief_problems(text: str, tmp_path: Path) -> list[tuple[int, int, str]]:
    """The ``(line, column, message)`` of each problem reading the brief ``text`` finds (it
    must find some)."""
    with pytest.raises(bk.BriefSyntaxError) as info:
        load_brief(text, tmp_path)
    return [(line, col, msg) for _path, line, col, msg in info.value.problems]


def position(text: str, line_text: str, what: str) -> tuple[int, int]:
    """The 1-based (line, column) of ``what`` in the first line of ``text`` that contains
    ``line_text``."""
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if line_text in line)
    return k + 1, lines[k].index(what) + 1
