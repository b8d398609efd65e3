"""Tables in the Markdown file: pandoc pipe tables with a ``Table:`` caption, verified cell by
cell.

A fresh file verifies with no problem; pandoc reads each table with its caption, alignments and
the notes of its cells; every way of changing, moving, adding or hiding what a table shows is
reported naming the table, row and column.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit.formats.markdown.reader import read_markdown
from briefkit.formats.markdown.writer import MANIFEST_COMMENT, escape
from briefkit.problems import Problem
from briefkit.testing import briefs
from briefs import CAPTION, HEADER, table_brief
from pandoc_json import find as _find
from pandoc_json import read as _pandoc
from pandoc_json import text as _text
from property import corpus_files
from property.test_prop_export import workspace

CNN = "000_28b258b49d188a62.txt"
MATTIS = "002_a5ab00941732d00c.txt"
OVERVIEW = "004_35db4e2c9c51291d.txt"
RLO, FSI, PDF, PDI = "\u202e", "\u2068", "\u202c", "\u2069"
HOSTILE = f"a | b <script>alert(1)</script> *stars* {RLO}evil [^9] `x` -- Table: www.evil.com"

PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")


@pytest.fixture(scope="module")
def fresh(corpus: bk.Corpus) -> str:
    """The table brief as Markdown (cell sentences s3–s7 in table 1, notes 3–6; s9–s13 in the
    table of differences, table 2)."""
    return bk.render(table_brief(corpus), "md").decode("utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _problems(tmp_path: Path, text: str, seeds: Path) -> tuple[Problem, ...]:
    report = bk.verify(_write(tmp_path, text), sources=seeds)
    assert not report.ok
    assert all(c.ok for c in report.citations)  # the sources are fine: the file is not
    return report.problems


def _edit(md: str, old: str, new: str) -> str:
    """Replace the first occurrence of ``old``, which must stand before the manifest."""
    at = md.find(old)
    assert 0 <= at < md.index(MANIFEST_COMMENT), old
    return md[:at] + new + md[at + len(old) :]


def _kinds(node: Any) -> set[str]:
    """Every node kind under ``node``."""
    if isinstance(node, dict):
        found = {str(node["t"])} if "t" in node else set()
        return found.union(*(_kinds(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_kinds(v) for v in node))
    return set()


# -- fresh files --------------------------------------------------------------------------------


def test_a_fresh_file_with_tables_verifies(fresh: str, tmp_path: Path, seeds: Path) -> None:
    report = bk.verify(_write(tmp_path, fresh), sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
    assert report.ok and len(report.citations) == 12


def test_the_table_is_a_captioned_pipe_table(fresh: str) -> None:
    start = fresh.index("Table: Table 1.")
    lines = fresh[start:].split("\n")[:7]
    assert lines == [
        f"Table: Table 1. {CAPTION}",
        "",
        "| Source | U.S. troops | Comment |",
        "|:--|--:|:-:|",
        "| CNN | 50,000 troops[^3] | Carter met troops on landing.[^4] |",
        "| AFP | 47,000 troops[^5] |  |",
        "| CRS | about 54,000 U.S. troops[^6] | *Analysis:* The highest of the three. |",
    ]
    assert "Table: Table 2. Where the sources differ" in fresh


def test_the_reader_reports_each_pipe_table(fresh: str, tmp_path: Path) -> None:
    found = read_markdown(_write(tmp_path, fresh)).tables
    assert [(t.align, t.width, t.rows) for t in found] == [
        (("left", "right", "center"), 3, (3, 3, 3)),
        (("left", "right", "left", "left"), 4, (4, 4, 4, 4, 4)),
    ]


@needs_pandoc
def test_pandoc_reads_a_table_with_its_caption_and_the_notes_of_its_cells(fresh: str) -> None:
    tables = _find(_pandoc(fresh), "Table")
    assert len(tables) == 2
    _attr, caption, columns, head, bodies, _foot = tables[0]["c"]
    assert _text(caption[1]) == f"Table 1. {CAPTION}"
    assert [c[0]["t"] for c in columns] == ["AlignLeft", "AlignRight", "AlignCenter"]
    assert [_text(cell[4]) for cell in head[1][0][1]] == list(HEADER)
    rows = bodies[0][3]
    cells = [[_text(cell[4]) for cell in row[1]] for row in rows]
    assert cells == [
        ["CNN", "50,000 troops", "Carter met troops on landing."],
        ["AFP", "47,000 troops", ""],
        ["CRS", "about 54,000 U.S. troops", "Analysis: The highest of the three."],
    ]
    notes = _find(rows, "Note")
    assert len(notes) == 4  # notes 3–6 are in the cells
    # each note keeps its cites comment, which no format but HTML shows
    assert all(_find(n, "RawInline") for n in notes)
    assert "Carter looks to shore-up" in _text(notes[0]["c"])
    generated = tables[1]["c"]
    assert _text(generated[1][1]) == "Table 2. Where the sources differ"
    assert len(_find(generated[4], "Note")) == 5


@needs_pandoc
def test_gfm_reads_the_tables_too(fresh: str) -> None:
    assert len(_find(_pandoc(fresh, "gfm"), "Table")) == 2


@settings(max_examples=20, deadline=None)
@given(files=corpus_files, data=st.data())
def test_random_briefs_with_tables_verify(files: dict[str, bytes], data: st.DataObject) -> None:
    """Hard labels, empty cells, sentence cells of every kind, any alignment."""
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus, tables=True), label="brief")
        report = bk.verify(bk.export(brief, out / "brief.md"), sources=root)
        assert report.ok, report.summary()


# -- tampering ----------------------------------------------------------------------------------

#: name -> (old, new, the code reported, words the problem's message holds)
TAMPER: dict[str, tuple[str, str, str, str]] = {
    "edited-label": ("| CNN |", "| BBC |", "differs", "table 1, row 1, column 1"),
    "edited-sentence": (
        "Carter met troops on landing.",
        "Carter met troops on leaving.",
        "differs",
        "table 1, row 1, column 3 (sentence s4)",
    ),
    "relabelled-header": (
        "| Source | U.S. troops |",
        "| Source | Troops |",
        "differs",
        "table 1, header, column 2",
    ),
    "changed-caption": (
        f"Table: Table 1. {CAPTION}",
        "Table: Table 1. US troops in Japan",
        "differs",
        "the caption of table 1",
    ),
    "caption-removed": (f"Table: Table 1. {CAPTION}\n\n", "", "missing", "the caption of table 1"),
    "added-row": ("| CRS |", "| BBC | 60,000 |  |\n| CRS |", "unlinked-text", "table 1, row 2"),
    "text-in-empty-cell": ("[^5] |  |", "[^5] | Most |", "unlinked-text", "table 1, row 2"),
    "comment-in-a-cell": (
        "[^5] |  |",
        "[^5] | <!-- secret --> |",
        "hidden-text",
        "table 1, row 2, column 3",
    ),
    "raw-html-in-a-cell": (
        "[^5] |  |",
        '[^5] | <span hidden="">Secret</span> |',
        "raw-html",
        "table 1, row 2, column 3",
    ),
    "cell-past-the-header": (
        "[^5] |  |",
        "[^5] |  | Secret |",
        "hidden-text",
        "renderers do not show the cells past the header's",
    ),
    "realigned-column": ("|:--|--:|:-:|", "|:--|:--|:-:|", "table-align", "table 1, column 2"),
    "alignment-row-broken": ("|:--|--:|:-:|", "|:--|--:|", "table-missing", "table 1"),
    "split-cell": (
        "| Carter met troops",
        "| Carter met | troops",
        "differs",
        "table 1, row 1, column 3",
    ),
}


@pytest.mark.parametrize("name", list(TAMPER))
def test_every_table_tampering_is_reported_with_its_cell(
    name: str, fresh: str, tmp_path: Path, seeds: Path
) -> None:
    old, new, code, words = TAMPER[name]
    problems = _problems(tmp_path, _edit(fresh, old, new), seeds)
    found = [p for p in problems if p.code == code]
    assert found, (code, [str(p) for p in problems])
    assert any(words in p.message for p in found), [str(p) for p in found]


def test_swapped_cells_are_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    swapped = (
        fresh.replace("50,000 troops[^3]", "\0", 1)
        .replace("47,000 troops[^5]", "50,000 troops[^3]", 1)
        .replace("\0", "47,000 troops[^5]", 1)
    )
    problems = _problems(tmp_path, swapped, seeds)
    assert any(
        p.code in ("order", "differs") and "table 1, row 2, column 2 (sentence s5)" in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_swapped_labels_are_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    swapped = (
        fresh.replace("| CNN |", "| \0 |", 1)
        .replace("| AFP |", "| CNN |", 1)
        .replace("| \0 |", "| AFP |", 1)
    )
    problems = _problems(tmp_path, swapped, seeds)
    assert any("table 1, row" in p.message for p in problems), [str(p) for p in problems]


def test_a_table_that_is_no_longer_one_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    # without its leading pipes the header row is a paragraph to the reader
    problems = _problems(tmp_path, _edit(fresh, "| Source | U.S.", "Source | U.S."), seeds)
    assert any(p.code == "table-missing" and "table 1" in p.message for p in problems)


# -- escaping and line breaks ---------------------------------------------------------------------


def test_a_paragraph_that_starts_like_a_caption_is_escaped() -> None:
    assert escape("Table: not a caption") == "Table\\: not a caption"
    assert escape("table: x") == "table\\: x"
    assert escape("Tables: x") == "Tables: x"


@needs_pandoc
def test_a_sentence_that_starts_like_a_caption_stays_a_paragraph(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    brief = table_brief(corpus)
    after = brief.sections[0].blocks[2]
    assert isinstance(after, bk.Paragraph)
    met = corpus[CNN].paraphrase("Carter met upon landing with US troops")
    sections = [
        bk.section(
            "Forces",
            *brief.sections[0].blocks[:2],
            bk.paragraph(bk.sentence("Table: this is a sentence.", cite=met)),
        )
    ]
    brief = bk.Brief(title="Tables", sections=sections)
    path = bk.export(brief, tmp_path / "brief.md")
    assert bk.verify(path, sources=seeds).problems == ()
    doc = _pandoc(path.read_text(encoding="utf-8"))
    (table,) = _find(doc, "Table")
    assert _text(table["c"][1][1]) == f"Table 1. {CAPTION}"
    paragraphs = [_text(b) for b in doc["blocks"] if b["t"] == "Para"]
    assert "Table: this is a sentence." in paragraphs


def test_hostile_labels_are_inert_and_verify(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    brief = table_brief(corpus, caption=HOSTILE, header=(HOSTILE, "Troops", RLO), label=HOSTILE)
    path = bk.export(brief, tmp_path / "brief.md")
    report = bk.verify(path, sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
    text = path.read_text(encoding="utf-8")
    header = next(line for line in text.split("\n") if line.startswith("| "))
    # a label is isolated: its override is closed inside the cell, before the next pipe
    isolated = f"{FSI}{escape(HOSTILE)}{PDF}{PDI}"
    assert header == f"| {isolated} | Troops | {FSI}{RLO}{PDF}{PDI} |"
    if PANDOC is None:
        return
    (table, _generated) = _find(_pandoc(text), "Table")
    _attr, caption, _columns, head, bodies, _foot = table["c"]
    assert _text(caption[1]) == f"Table 1. {HOSTILE}"
    labels = [_text(cell[4]) for cell in head[1][0][1]]
    assert labels == [f"{FSI}{HOSTILE}{PDF}{PDI}", "Troops", f"{FSI}{RLO}{PDF}{PDI}"]
    first = bodies[0][3][0][1][0]
    assert _text(first[4]) == f"{FSI}{HOSTILE}{PDF}{PDI}"
    # nothing of it became markup: no HTML, emphasis, code, link or note
    shown = _kinds([caption, head, first])
    assert not shown & {"RawInline", "Emph", "Code", "Link", "Note", "Strikeout"}, shown


def test_a_line_break_in_a_cell_is_a_space_and_verifies(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    brief = table_brief(
        corpus,
        header=("Source", "U.S.\ntroops", "Comment"),
        label="C\r\nN N",
        comment="Carter met troops\non landing.",
    )
    path = bk.export(brief, tmp_path / "brief.md")
    text = path.read_text(encoding="utf-8")
    assert "| Source | U.S. troops | Comment |" in text
    assert "| C N N | 50,000 troops[^3] | Carter met troops on landing.[^4] |" in text
    report = bk.verify(path, sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
    if PANDOC is not None:
        assert len(_find(_pandoc(text), "Table")) == 2
