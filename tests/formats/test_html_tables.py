"""Tables in the HTML page: an accessible ``<table>`` the checker verifies cell by cell.

A fresh page verifies with no problem; lxml and pandoc read each table with its caption,
its column and row headers and every cell in place; every way of changing, moving, adding or
hiding what a table shows is reported naming the table, row and column.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

import briefkit as bk
from briefkit.formats.html.reader import read_html
from briefkit.problems import Problem
from briefkit.testing import briefs
from briefs import CAPTION, COST, HEADER, TROOPS, table_brief
from pandoc_json import find as _find
from pandoc_json import text as _text
from property import corpus_files
from property.test_prop_export import workspace

CNN = "000_28b258b49d188a62.txt"
MATTIS = "002_a5ab00941732d00c.txt"
OVERVIEW = "004_35db4e2c9c51291d.txt"
RLO = "\u202e"
HOSTILE = f"a | b <script>alert(1)</script> *stars* {RLO}evil [^9] `x` -- Table: www.evil.com"


@pytest.fixture(scope="module")
def fresh(corpus: bk.Corpus, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The table brief as an HTML page (cell sentences s3–s7 in table 1, s9–s13 in the
    table of differences, table 2)."""
    page = bk.export(table_brief(corpus), tmp_path_factory.mktemp("html") / "brief.html")
    return page.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.html"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str, seeds: Path) -> tuple[Problem, ...]:
    report = bk.verify(_write(tmp_path, text), sources=seeds)
    assert not report.ok
    assert all(c.ok for c in report.citations)  # the sources are fine: the page is not
    return report.problems


def _edit(page: str, old: str, new: str) -> str:
    assert old in page, old
    return page.replace(old, new, 1)


def _tree(page: str) -> Any:
    """The page as lxml reads it (typed loosely: lxml's xpath results are a union)."""
    return lxml_html.document_fromstring(page.encode("utf-8"))


def _table(page: str, number: int = 1) -> Any:
    tree = _tree(page)
    found = tree.xpath(f'//table[@id="table-{number}"]')
    assert len(found) == 1
    return found[0]


# -- fresh pages -------------------------------------------------------------------------------


def test_a_fresh_page_with_tables_verifies(fresh: str, tmp_path: Path, seeds: Path) -> None:
    report = bk.verify(_write(tmp_path, fresh), sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
    assert report.ok and len(report.citations) == 12


def test_the_page_is_the_same_bytes_each_time(corpus: bk.Corpus, fresh: str) -> None:
    assert bk.render(table_brief(corpus), "html").decode("utf-8") == fresh


def test_lxml_reads_caption_headers_and_scopes(fresh: str) -> None:
    table = _table(fresh)
    assert table.xpath("string(caption)") == f"Table 1. {CAPTION}"
    heads = table.xpath("thead/tr/th")
    assert [th.text_content() for th in heads] == list(HEADER)
    assert [th.get("scope") for th in heads] == ["col"] * 3
    assert [th.get("class") for th in heads] == ["align-left", "align-right", "align-center"]
    rows = table.xpath("tbody/tr")
    assert len(rows) == 3
    for row, label in zip(rows, ("CNN", "AFP", "CRS"), strict=True):
        first, *rest = row.xpath("th|td")
        assert (first.tag, first.get("scope"), first.text_content()) == ("th", "row", label)
        assert [c.tag for c in rest] == ["td", "td"]
        assert all(c.get("scope") is None for c in rest)
    # each sentence cell holds its sentence as a paragraph does: span, id, note mark
    cell = rows[0].xpath("td")[0]
    (span,) = cell.xpath('span[@class="sentence"]')
    assert span.get("id") == "s-s3"
    assert span.xpath("string(sup/a/@href)") == "#fn-3"
    analysis = rows[2].xpath("td")[1]
    assert analysis.xpath("string(strong[@class='label'])") == "Analysis:"
    assert analysis.xpath("span/@class") == ["sentence analysis"]
    assert rows[1].xpath("td")[1].text_content() == ""  # the empty cell


def test_cell_notes_carry_their_citations(fresh: str) -> None:
    tree = _tree(fresh)
    (note,) = tree.xpath('//li[@id="fn-3"]')
    assert re.fullmatch(rf"{CNN}:\d+-\d+", note.get("data-cites"))
    assert tree.xpath('string(//a[@id="fnref-3"]/ancestor::td/@class)') == "align-right"


def test_the_table_of_differences_heads_only_labelled_rows(fresh: str) -> None:
    table = _table(fresh, 2)
    assert table.xpath("string(caption)") == "Table 2. Where the sources differ"
    rows = table.xpath("tbody/tr")
    assert len(rows) == 5
    firsts = [row.xpath("th|td")[0] for row in rows]
    # a measure names its rows once: a row that repeats it has an empty data cell
    assert [(c.tag, c.text_content()) for c in firsts] == [
        ("th", COST),
        ("td", ""),
        ("th", TROOPS),
        ("td", ""),
        ("td", ""),
    ]


def test_the_reader_reports_the_table_structure(fresh: str, tmp_path: Path) -> None:
    page = read_html(_write(tmp_path, fresh))
    assert [t.id for t in page.tables] == ["table-1", "table-2"]
    first = page.tables[0]
    assert first.captions == (f"Table 1. {CAPTION}",)
    assert [c.text for c in first.head[0]] == list(HEADER)
    assert [len(r) for r in first.body] == [3, 3, 3]
    assert [c.sentences for c in first.body[0]] == [(), ("s3",), ("s4",)]
    assert first.body[0][1].text == "50,000 troops3"  # the note mark is shown
    assert first.body[2][2].text == "Analysis: The highest of the three."
    assert page.sentence_blocks["s3"] == "cell"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_each_table(fresh: str) -> None:
    done = subprocess.run(
        ["pandoc", "-f", "html", "-t", "json"],
        input=fresh.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    tables = _find(json.loads(done.stdout), "Table")
    assert len(tables) == 2
    attr, caption, columns, _head, bodies, _foot = tables[0]["c"]
    assert attr[0] == "table-1"
    assert _text(caption[1]) == f"Table 1. {CAPTION}"
    assert len(columns) == 3
    rows = bodies[0][3]
    assert len(rows) == 3 and all(len(row[1]) == 3 for row in rows)
    first = rows[0][1][0]  # (attr, align, rowspan, colspan, blocks)
    assert first[0][2] == [["scope", "row"]] and _text(first[4]) == "CNN"
    assert _text(rows[0][1][1][4]) == "50,000 troops3"


@settings(max_examples=20, deadline=None)
@given(files=corpus_files, data=st.data())
def test_random_briefs_with_tables_verify(files: dict[str, bytes], data: st.DataObject) -> None:
    """Hard labels, empty cells, sentence cells of every kind, any alignment."""
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus, tables=True), label="brief")
        report = bk.verify(bk.export(brief, out / "brief.html"), sources=root)
        assert report.ok, report.summary()


# -- tampering ----------------------------------------------------------------------------------

#: name -> (old, new, the code reported, words the problem's message holds)
TAMPER: dict[str, tuple[str, str, str, str]] = {
    "edited-label": (
        '<th scope="row" class="align-left">CNN</th>',
        '<th scope="row" class="align-left">BBC</th>',
        "table-cell",
        "table 1, row 1, column 1",
    ),
    "edited-sentence": (
        "Carter met troops on landing.",
        "Carter met troops on leaving.",
        "sentence-differs",
        "table 1, row 1, column 3",
    ),
    "relabelled-header": (
        '<th scope="col" class="align-right">U.S. troops</th>',
        '<th scope="col" class="align-right">Troops</th>',
        "table-header",
        "table 1, header, column 2",
    ),
    "changed-caption": (
        f"<caption>Table 1. {CAPTION}</caption>",
        "<caption>Table 1. US troops in Japan</caption>",
        "table-caption",
        "table 1",
    ),
    "added-row": (
        "</tr>\n</tbody>",
        '</tr>\n<tr><th scope="row" class="align-left">BBC</th><td class="align-right">'
        '60,000</td><td class="align-center"></td></tr>\n</tbody>',
        "table-row",
        "table 1 shows 4 body rows",
    ),
    "added-cell": (
        '<td class="align-center"></td>',
        '<td class="align-center"></td><td class="align-center">More</td>',
        "table-row",
        "table 1, row 2 has 4 cells",
    ),
    "text-in-empty-cell": (
        '<td class="align-center"></td>',
        '<td class="align-center">Most troops</td>',
        "table-cell",
        "table 1, row 2, column 3",
    ),
    "text-beside-a-sentence": (
        'troops on landing.<sup class="noteref"><a href="#fn-4" id="fnref-4" '
        'role="doc-noteref" aria-describedby="notes">4</a></sup></span>',
        'troops on landing.<sup class="noteref"><a href="#fn-4" id="fnref-4" '
        'role="doc-noteref" aria-describedby="notes">4</a></sup></span> Not really.',
        "table-cell",
        "table 1, row 1, column 3",
    ),
    "hidden-attribute": (
        '<td class="align-center"></td>',
        '<td class="align-center" hidden>Secret</td>',
        "foreign-markup",
        "in table 1, row 2, column 3",
    ),
    "hidden-by-inline-style": (
        '<td class="align-center"></td>',
        '<td class="align-center"><span style="display:none">Secret</span></td>',
        "foreign-markup",
        "in table 1, row 2, column 3",
    ),
    "hidden-by-the-style-sheet": (
        "</style>",
        "#table-1 td{visibility:hidden}\n</style>",
        "foreign-markup",
        "it names table 1",
    ),
    "row-scope-becomes-col": (
        '<th scope="row" class="align-left">AFP</th>',
        '<th scope="col" class="align-left">AFP</th>',
        "table-scope",
        "table 1, row 2, column 1",
    ),
    "header-loses-its-scope": (
        '<th scope="col" class="align-left">Source</th>',
        '<th class="align-left">Source</th>',
        "table-scope",
        "table 1, header, column 1",
    ),
    "realigned-cell": (
        '<td class="align-right"><span class="sentence" id="s-s5">',
        '<td class="align-left"><span class="sentence" id="s-s5">',
        "table-align",
        "table 1, row 2, column 2",
    ),
    "lost-id": ('<table id="table-1">', '<table id="table-9">', "table-missing", "table 1"),
    "text-between-cells": (
        '<th scope="row" class="align-left">AFP</th>',
        '<th scope="row" class="align-left">AFP</th>Moved out',
        "unlinked-text",
        "table 1, row 2, column 1",
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


def test_swapped_sentence_cells_are_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    one = re.search(r'<td class="align-right"><span class="sentence" id="s-s3">.*?</td>', fresh)
    two = re.search(r'<td class="align-right"><span class="sentence" id="s-s5">.*?</td>', fresh)
    assert one is not None and two is not None
    swapped = fresh.replace(one[0], "\0").replace(two[0], one[0]).replace("\0", two[0])
    problems = _problems(tmp_path, swapped, seeds)
    cells = {p.message.split(":")[0] for p in problems if p.code == "table-cell"}
    assert cells == {"table 1, row 1, column 2", "table 1, row 2, column 2"}
    assert any(p.code == "sentence-order" for p in problems)


def test_swapped_label_cells_are_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    swapped = (
        fresh.replace(">CNN</th>", ">\0</th>", 1)
        .replace(">AFP</th>", ">CNN</th>", 1)
        .replace(">\0</th>", ">AFP</th>", 1)
    )
    problems = _problems(tmp_path, swapped, seeds)
    assert {p.message.split(":")[0] for p in problems} == {
        "table 1, row 1, column 1",
        "table 1, row 2, column 1",
    }
    assert {p.code for p in problems} == {"table-cell"}  # reported once, by the table check
    assert {p.sentence for p in problems} == {"s3", "s5"}  # the row's sentence


def test_a_removed_row_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    row = re.search(r'<tr>\n<th scope="row" class="align-left">AFP</th>.*?</tr>\n', fresh, re.S)
    assert row is not None
    problems = _problems(tmp_path, fresh.replace(row[0], ""), seeds)
    assert any(p.code == "table-row" and "table 1 shows 2 body rows" in p.message for p in problems)


def test_a_moved_table_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    table = re.search(r'<table id="table-1">.*?</table>\n', fresh, re.S)
    assert table is not None
    moved = fresh.replace(table[0], "").replace("</main>", table[0] + "</main>")
    codes = {p.code for p in _problems(tmp_path, moved, seeds)}
    assert codes & {"unlinked-text", "sentence-order"}


# -- escaping -----------------------------------------------------------------------------------


def test_hostile_labels_are_inert_and_verify(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    brief = table_brief(corpus, caption=HOSTILE, header=(HOSTILE, "Troops", RLO), label=HOSTILE)
    page = bk.export(brief, tmp_path / "brief.html")
    report = bk.verify(page, sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
    text = page.read_text(encoding="utf-8")
    tree = _tree(text)
    assert len(tree.xpath("//script")) == 1  # the manifest's data block only
    table = _table(text)
    assert table.xpath("string(caption)") == f"Table 1. {HOSTILE}"
    assert [th.text_content() for th in table.xpath("thead/tr/th")] == [HOSTILE, "Troops", RLO]
    assert table.xpath("string(tbody/tr[1]/th)") == HOSTILE
    # no markup from the label: its cell holds text only
    assert table.xpath("tbody/tr[1]/th/*") == [] and table.xpath("caption/*") == []
    # an override cannot leave its cell: the style sheet isolates captions and cells
    assert "caption,th,td{unicode-bidi:isolate}" in text


def test_a_line_break_in_a_label_is_a_br_and_verifies(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    brief = table_brief(corpus, header=("Source", "U.S.\ntroops", "Comment"), label="C\r\nN N")
    page = bk.export(brief, tmp_path / "brief.html")
    text = page.read_text(encoding="utf-8")
    assert '<th scope="col" class="align-right">U.S.<br>troops</th>' in text
    assert '<th scope="row" class="align-left">C<br>N N</th>' in text
    report = bk.verify(page, sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
