"""Tables, figure measures and the table of differences in a Markdown brief: what they read
as, where their problems are reported, how they are written back, what reaches the manifest,
and hostile tables (read in linear time, with clear errors)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import attrs
import pytest

import briefkit as bk
from briefkit import manifest as bk_manifest
from briefkit import mdbrief
from briefkit.mdbrief import tables as md_tables
from briefkit.model import Cell
from briefs import brief_problems, load_brief, position
from hostile.bounded import run_bounded

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
CNN = "000_28b258b49d188a62.txt"
DOD = "001_0e13d3aa4086082f.txt"
AFP = "002_a5ab00941732d00c.txt"
CRS = "004_35db4e2c9c51291d.txt"
TROOPS = "U.S. troops in Japan"

FRONT = f"""---
title: Tables
sources:
  root: {SEEDS.as_posix()}
  cnn: {CNN}
  dod: {DOD}
  afp: {AFP}
  crs: {CRS}
{{extra}}---
"""
#: The line the body starts on (after the front matter and its blank line).
FIRST = 11

CNN_50 = '{@cnn figure "50,000" within="US has 50,000 troops" unit="troops"}'
CITED = '50,000 [@cnn "US has 50,000 troops"]'


def _text(body: str, extra: str = "") -> str:
    return FRONT.format(extra=extra) + "\n" + textwrap.dedent(body).lstrip("\n")


def _read(body: str, tmp_path: Path, extra: str = "") -> mdbrief.MarkdownBrief:
    return load_brief(_text(body, extra), tmp_path)


def _problems(body: str, tmp_path: Path, extra: str = "") -> list[tuple[int, int, str]]:
    return brief_problems(_text(body, extra), tmp_path)


def _at(body: str, line_text: str, what: str, extra: str = "") -> tuple[int, int]:
    """The 1-based (line, column) of ``what`` in the first line of the brief that contains
    ``line_text``."""
    return position(_text(body, extra), line_text, what)


# -- reading ---------------------------------------------------------------------------------

_CNN_FIGURE = (
    '{@cnn figure "50,000" within="US has 50,000 troops" unit="troops" '
    'measure="U.S. troops in Japan"}'
)
_AFP_FIGURE = '{@afp figure "47,000" within="Some 47,000 US troops" measure="U.S. troops in Japan"}'
TABLE = "\n".join(
    [
        "# Forces",
        "",
        r"Table: U.S. troops \| counts in Japan",
        "  by source",
        "",
        "| Source | U.S. troops | Comment |",
        "| :-- | --: | --- |",
        rf'| CNN \| wire | {_CNN_FIGURE} | Carter met them. [@cnn "Carter met upon landing with '
        'US troops"] |',
        f"| AFP | some {_AFP_FIGURE} |  |",
        '| CRS | 54,000 [@crs "About 54,000 U.S. troops are stationed in Japan"] | The highest of '
        "the three. [!analysis] |",
        r'|  | As dated [@dod "NEWS \| April 9, 2015"; #dated]. | |',
        "",
    ]
)


def _want_table(corpus: bk.Corpus) -> bk.Table:
    cnn, dod, afp, crs = corpus[CNN], corpus[DOD], corpus[AFP], corpus[CRS]
    return bk.table(
        "U.S. troops | counts in Japan by source",
        ["Source", "U.S. troops", "Comment"],
        [
            "CNN | wire",
            bk.sentence(
                cnn.figure("50,000", within="US has 50,000 troops", unit="troops", measure=TROOPS)
            ),
            bk.sentence(
                "Carter met them.", cite=cnn.paraphrase("Carter met upon landing with US troops")
            ),
        ],
        [
            "AFP",
            bk.sentence(
                "some ", afp.figure("47,000", within="Some 47,000 US troops", measure=TROOPS)
            ),
            "",
        ],
        [
            "CRS",
            bk.sentence(
                "54,000", cite=crs.paraphrase("About 54,000 U.S. troops are stationed in Japan")
            ),
            bk.analysis("The highest of the three."),
        ],
        ["", bk.sentence("As dated.", cite=dod.paraphrase("NEWS | April 9, 2015"), id="dated"), ""],
        align=["left", "right", "left"],
    )


def test_a_pipe_table_reads_as_the_models_table(tmp_path: Path, corpus: bk.Corpus) -> None:
    loaded = _read(TABLE, tmp_path, extra=f"accept_differences: [{TROOPS}]\n")
    assert loaded.brief.sections[0].blocks == (_want_table(corpus),)
    assert loaded.brief.accept_differences == (TROOPS,)
    assert loaded.warnings == ()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Table: Counts\n\n", ""),  # before, a blank line between
        ("Table: Counts\n", ""),  # before, directly
        ("", "\nTable: Counts\n"),  # after, directly
        ("", "\n\ntable: Counts\n"),  # after, a blank line between
        (": Counts\n\n", ""),  # the short marker
        ("", "\n\n:   Counts\n"),
    ],
    ids=["before", "before-adjacent", "after-adjacent", "after", "colon", "colon-after"],
)
def test_the_caption_stands_before_or_after(
    tmp_path: Path, corpus: bk.Corpus, before: str, after: str
) -> None:
    body = f"# F\n\n{before}| Source | Troops |\n| --- | --- |\n| CNN | {CITED} |{after}"
    (tab,) = _read(body, tmp_path).brief.sections[0].blocks
    assert tab == bk.table(
        "Counts",
        ["Source", "Troops"],
        ["CNN", bk.sentence("50,000", cite=corpus[CNN].paraphrase("US has 50,000 troops"))],
    )
    assert tab.align == ()  # "---" everywhere: no alignment


def test_each_table_takes_its_own_caption(tmp_path: Path) -> None:
    row = f"| x | {CITED} |"
    head = "| a | b |\n| - | - |\n"
    # captions before every table, and captions after every table: both read as meant
    for body in (
        f"# F\n\nTable: One\n\n{head}{row}\n\nTable: Two\n\n{head}{row}\n",
        f"# F\n\n{head}{row}\n\nTable: One\n\n{head}{row}\n\nTable: Two\n",
    ):
        blocks = _read(body, tmp_path).brief.sections[0].blocks
        assert [b.caption for b in blocks] == ["One", "Two"]  # type: ignore[union-attr]


def test_alignments(tmp_path: Path) -> None:
    body = (
        "# F\n\nTable: A\n\n| a | b | c | d |\n| ---- | :-: | -: | :--------- |\n"
        f"| x | {CITED} | | |\n"
    )
    (tab,) = _read(body, tmp_path).brief.sections[0].blocks
    assert isinstance(tab, bk.Table)
    assert tab.align == ("left", "center", "right", "left")
    assert tab.header == ("a", "b", "c", "d")
    assert tab.rows[0][2:] == ("", "")


def test_a_cell_with_an_inline_quote_a_figure_or_analysis_is_a_sentence(
    tmp_path: Path, corpus: bk.Corpus
) -> None:
    body = (
        "# F\n\nTable: A\n\n| a | b |\n| - | - |\n"
        f'| {{@cnn "never been stronger"}} | {CNN_50} |\n'
        "| Several. Sentences. [!analysis; !several] | x [!analysis] |\n"
    )
    (tab,) = _read(body, tmp_path).brief.sections[0].blocks
    assert isinstance(tab, bk.Table)
    cnn = corpus[CNN]
    assert tab.rows == (
        (
            bk.sentence(cnn.quote("never been stronger")),
            bk.sentence(cnn.figure("50,000", within="US has 50,000 troops", unit="troops")),
        ),
        (bk.analysis("Several. Sentences.", several=True), bk.analysis("x")),
    )


def test_measure_differences_and_accepted_measures(tmp_path: Path, corpus: bk.Corpus) -> None:
    loaded = _read(
        f"""
        # Troops

        CNN counts {{@cnn figure "50,000" within="US has 50,000 troops" measure="{TROOPS}"}}. []
        AFP counts {{@afp figure "47,000" within="Some 47,000 US troops" measure="{TROOPS}"}}.

        [ !differences  "Where the sources differ" ]

        # Again

        Nothing more. [!analysis]
        """,
        tmp_path,
        extra="differences: true\naccept_differences:\n  - " + TROOPS + "\n  - Cost\n",
    )
    brief = loaded.brief
    assert brief.differences and brief.accept_differences == (TROOPS, "Cost")
    first, second = brief.sections
    para = first.blocks[0]
    assert isinstance(para, bk.Paragraph)
    figure = para.sentences[0].parts[1]
    assert isinstance(figure, bk.Figure) and figure.measure == TROOPS
    assert first.blocks[1] == bk.differences("Where the sources differ")
    assert len(second.blocks) == 1
    # "Cost" is the measure of no figure: a warning at the key, not an error
    ((_path, line, _col, message),) = loaded.warnings
    assert line == 10 and "no figure of the brief measures 'Cost'" in message


# -- problems, placed at their line and column ------------------------------------------------


def test_an_uncited_cell_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    body = f"""
    # F

    Table: A

    | Source | Troops | Note |
    | --- | --- | --- |
    | CNN | {CITED} | fine [!analysis] |
    | AFP | some troops, uncited | |
    """
    ((line, col, message),) = _problems(body, tmp_path)
    assert (line, col) == _at(body, "| AFP |", "some troops")
    assert "'some troops, uncited' is text that cites no excerpt" in message
    assert "in a Markdown brief: end the cell's text with a citation group" in message


def test_a_cell_sentences_problem_is_at_the_cell(tmp_path: Path) -> None:
    body = """
    # F

    Table: A

    | Source | Troops |
    | --- | --- |
    | CNN | 51,000 troops [@cnn "US has 50,000 troops"] |
    | AFP | Uncited claim. [] |
    """
    loaded_problems = _problems(body, tmp_path)
    assert [(line, col) for line, col, _ in loaded_problems] == [
        _at(body, "| AFP |", "Uncited claim")
    ]
    assert "cites no excerpt" in loaded_problems[0][2]
    # the warning about a number no cited span shows is at its cell too
    loaded = _read(body.replace("| AFP | Uncited claim. [] |", ""), tmp_path)
    assert [w[1:3] for w in loaded.warnings] == [_at(body, "| CNN |", "51,000")]
    assert "'51,000'" in loaded.warnings[0][3]


def test_the_same_heading_twice_places_a_table_problem_at_its_own_table(tmp_path: Path) -> None:
    table = "Table: A\n\n| a | b |\n| - | - |\n| x | {cell} |\n"
    second = table.format(cell=CITED) + "| y | uncited words |\n"
    body = "# S\n\n" + table.format(cell=CITED) + "\n# S\n\n" + second
    problems = _problems(body, tmp_path)
    assert [(line, col) for line, col, _ in problems] == [_at(body, "uncited words", "uncited")]


def test_a_table_with_no_cited_cell_is_reported_at_its_header(tmp_path: Path) -> None:
    body = "# F\n\nTable: A\n\n| a | b |\n| - | - |\n| x | |\n"
    ((line, col, message),) = _problems(body, tmp_path)
    assert (line, col) == (FIRST + 4, 1)
    assert "no cell of the table is a sentence that cites an excerpt" in message


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            f"| a | b |\n| - | - |\n| x | {CITED} |\n",
            ("| a | b |", "|"),
            "the table has no caption: write one as a paragraph 'Table: …' directly before or "
            "after it",
        ),
        (
            f"Table: A\n\n| a | b |\n| - | - |\n| x | {CITED} | y |\n",
            ("| y |", "|"),
            "this row has 3 cells, the header 2: every row has one cell per column",
        ),
        (
            f"Table: A\n\n| a | b |\n| - | - |\n| x | {CITED}\n",
            ("| x |", "|"),
            "this table row does not end with '|'",
        ),
        (
            'Table: A\n\n| a | b |\n| - | - |\n| x | 2015 [@dod "NEWS | April 9, 2015"] |\n',
            ("| x |", "|"),
            "this row has 3 cells, the header 2",
        ),
        (
            "Table: A\n\n| a | b | c |\n| - | - | - |\n"
            '| x | 2015 [@dod "NEWS | April 9, 2015"] |\n',
            ("| x |", '"NEWS'),
            "this quoted string is never closed (a '\"' is missing); in a table, a '|' inside a "
            "cell is written \\|",
        ),
        (
            f"Table: A\n\n| a | b |\n| x | {CITED} |\n",
            ("| x |", "|"),
            "a table's second row is its alignment row",
        ),
        ("Table: A\n\n| a | b |\n", ("| a |", "|"), "this table has only its header row"),
        (
            f"Table: A\n\n| a | b |\n| - |\n| x | {CITED} |\n",
            ("| - |", "|"),
            "the alignment row has 1 cell, the header 2",
        ),
        ("Table: A\n\n| a | b |\n| - | - |\n", ("| a |", "|"), "the table has no rows"),
        (
            f'Table: A\n\n| a [@cnn "US"] | b |\n| - | - |\n| x | {CITED} |\n',
            ("| a ", "a"),
            "a column label is plain text (no citations, excerpts, emphasis or links)",
        ),
        (
            f"Table: A\n\n| a | b |\n| - | - |\n| x | {CITED} troops |\n",
            ("| x |", "troops |"),
            "a table cell holds one sentence; this is a second one",
        ),
        (
            f"Table:\n\n| a | b |\n| - | - |\n| x | {CITED} |\n",
            ("Table:", "T"),
            "the table caption is empty",
        ),
        (
            f'Table: A [@cnn "US"]\n\n| a | b |\n| - | - |\n| x | {CITED} |\n',
            ("Table: A", "A"),
            "a table caption is plain text",
        ),
        ("Table: A\n\nText. [!analysis]\n", ("Table: A", "T"), "this table caption belongs to no"),
        (
            f"Table: A\n\n| a | b |\n| - | - |\n| x | {CITED} |\n\nTable: B\n",
            ("Table: B", "T"),
            "this table caption belongs to no table",
        ),
        (": A colon paragraph. [!analysis]\n", (": A", ":"), "this table caption belongs to no"),
        (
            "Text. [!analysis]\n[!differences]\n",
            ("[!differences]", "!"),
            "!differences places the table of differences: write [!differences]",
        ),
        (
            "[!differences] and more.\n",
            ("[!differences]", "and"),
            'is written [!differences] or [!differences "caption"] as a paragraph of its own',
        ),
        (
            "[!differences]\n\n[!differences]\n",
            ("[!differences]", "["),
            "the table of differences is placed twice",
        ),
        (
            'A {@cnn "US has 50,000 troops" measure="x"}. []\n',
            ("A {", "@"),
            "a quote takes no measure= option",
        ),
        (
            '{@cnn figure "50,000" within="US has 50,000 troops" measure=" "} [!analysis]\n',
            ("{@cnn", "@"),
            'measure="…" cannot be empty',
        ),
    ],
    ids=[
        "no-caption",
        "ragged",
        "unterminated",
        "pipe-in-quote-ragged",
        "pipe-in-quote-split",
        "no-alignment-row",
        "header-only",
        "alignment-count",
        "no-rows",
        "cited-label",
        "second-sentence",
        "empty-caption",
        "cited-caption",
        "orphan-caption",
        "second-caption",
        "colon-paragraph",
        "differences-in-a-paragraph",
        "differences-and-text",
        "differences-twice",
        "measure-on-a-quote",
        "blank-measure",
    ],
)
def test_table_problems_name_their_line(
    tmp_path: Path, body: str, where: tuple[str, str], message: str
) -> None:
    full = "# F\n\n" + body
    problems = _problems(full, tmp_path)
    line_text, what = where
    want = _at(full, line_text, what)
    if "placed twice" in message:  # the second of the two
        want = (want[0] + 2, want[1])
    assert any((line, col) == want and message in msg for line, col, msg in problems), problems


def test_a_missing_caption_says_whose_the_caption_before_it_is(tmp_path: Path) -> None:
    row = f"| x | {CITED} |"
    body = f"# F\n\n| a | b |\n| - | - |\n{row}\n\nTable: One\n\n| a | b |\n| - | - |\n{row}\n"
    ((line, _col, message),) = _problems(body, tmp_path)
    assert line == FIRST + 8
    assert "the caption before it is the caption of the table before that" in message


def test_a_table_before_the_first_heading_is_refused(tmp_path: Path) -> None:
    problems = _problems(f"Table: A\n\n| a | b |\n| - | - |\n| x | {CITED} |\n", tmp_path)
    assert [(line, col) for line, col, _ in problems] == [(FIRST + 2, 1)]
    assert "before the first heading only the key-points list" in problems[0][2]


def test_a_one_sided_figure_is_placed_at_it_with_the_markdown_hint(tmp_path: Path) -> None:
    body = f"""
    # F

    CNN counts {{@cnn figure "50,000" within="US has 50,000 troops" unit="troops"
      measure="{TROOPS}"}}. []
    The overview was consulted. [@crs "About 54,000 U.S. troops are stationed in Japan";
      !accept "54,000"]
    """
    ((line, col, message),) = _problems(body, tmp_path)
    assert (line, col) == _at(body, "CNN counts", "CNN")
    assert "also gives '54,000'" in message
    assert "list the measure under accept_differences: in the front matter" in message
    loaded = _read(body, tmp_path, extra=f"accept_differences: ['{TROOPS}']\n")
    assert loaded.brief.accept_differences == (TROOPS,)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("differences: yes please\n", "differences: must be true or false"),
        ("accept_differences: troops\n", "accept_differences: must be a list of measures"),
        ("accept_differences: [2016]\n", "each measure must be text; YAML read 2016 as int"),
        ("accept_differences: ['  ']\n", "accept_differences: a measure cannot be empty"),
        (
            "accept-differences: [troops]\n",
            "unknown front matter key(s) 'accept-differences'; known: ",
        ),
        ("accept-differences: [troops]\n", "write 'accept_differences' (with '_')"),
    ],
)
def test_front_matter_keys_are_checked(tmp_path: Path, extra: str, message: str) -> None:
    ((line, _col, got),) = _problems("# F\n\nA. [!analysis]\n", tmp_path, extra=extra)
    assert line == 9 and message in got


# -- writing ---------------------------------------------------------------------------------


def _tabled_brief(corpus: bk.Corpus) -> bk.Brief:
    tab = _want_table(corpus)
    pipes = bk.table(
        "| a caption: with | pipes",
        ["|", "", "Note | two"],
        ["| x \\| y", bk.analysis("A\nline | break."), ""],
        [":", "", bk.sentence("April.", cite=corpus[DOD].paraphrase("NEWS | April 9, 2015"))],
    )
    return bk.Brief(
        title="Tables",
        sections=[
            bk.section(
                "F",
                bk.paragraph(bk.analysis(": starts with a colon.")),
                tab,
                bk.paragraph(bk.analysis("Table: not a caption."), bk.analysis("| not a row.")),
                pipes,
                bk.differences('Where "they" | differ'),
            ),
            bk.section("G", bk.paragraph(bk.analysis("x")), bk.differences()),
        ],
        differences=True,
        accept_differences=[TROOPS, "Cost: in $"],
    )


def test_dumps_writes_tables_and_reads_back(tmp_path: Path, corpus: bk.Corpus) -> None:
    brief = _tabled_brief(corpus)
    brief = bk.Brief(  # one [!differences] only: the second section gets the first's
        title=brief.title,
        sections=(brief.sections[0], bk.section("G", bk.paragraph(bk.analysis("x")))),
        differences=True,
        accept_differences=brief.accept_differences,
    )
    aliases = {"cnn": CNN, "dod": DOD, "afp": AFP, "crs": CRS}
    text = mdbrief.dumps(brief, sources=SEEDS.as_posix(), aliases=aliases)
    assert "differences: true\naccept_differences:\n  - U.S. troops in Japan\n" in text
    assert "\\: starts with a colon. [!analysis]\n" in text
    assert "Table\\: not a caption. [!analysis]\n\\| not a row. [!analysis]\n" in text
    assert (
        "Table: U.S. troops | counts in Japan by source\n\n"
        "| Source | U.S. troops | Comment |\n"
        "| :-- | --: | :-- |\n"
        "| CNN \\| wire | {@cnn figure " in text
    )
    assert '| AFP | some {@afp figure "47,000" within="Some 47,000 US troops" ' in text
    assert 'measure="U.S. troops in Japan"} |  |\n' in text
    assert '[@dod "NEWS \\| April 9, 2015"; #dated] |  |\n' in text
    assert "| \\| |  | Note \\| two |\n| --- | --- | --- |\n" in text
    assert "| \\| x \\\\\\| y | A\\u{A}line \\| break. [!analysis] |  |\n" in text
    assert "| \\: |  | April. [" in text
    assert '[!differences "Where \\"they\\" | differ"]\n' in text
    loaded = mdbrief.loads(text, base=tmp_path)
    assert loaded.brief == brief
    assert mdbrief.dumps(loaded.brief, sources=SEEDS.as_posix(), aliases=aliases) == text


def test_dumps_refuses_a_label_of_blanks(corpus: bk.Corpus) -> None:
    cited = bk.sentence("50,000", cite=corpus[CNN].paraphrase("US has 50,000 troops"))
    cases: list[tuple[list[str], list[Cell]]] = [
        (["a", " "], ["x", cited]),
        (["a", "b"], [" \t", cited]),
    ]
    for header, row in cases:
        brief = bk.Brief(title="T", sections=[bk.section("F", bk.table("A", header, row))])
        with pytest.raises(bk.ValidationError, match="blanks only"):
            mdbrief.dumps(brief, sources=".")


def test_dumps_writes_the_ids_of_tables_differences_and_sections(
    tmp_path: Path, corpus: bk.Corpus
) -> None:
    """Ids were refused while the format could not hold them; now they are written (see
    test_images_refs.py for cross-references)."""
    cited = bk.sentence("50,000", cite=corpus[CNN].paraphrase("US has 50,000 troops"))
    tab = bk.table("A", ["a", "b"], ["x", cited])
    for sec, written in (
        (bk.section("F", attrs.evolve(tab, id="troops")), "Table: A {#troops}\n"),
        (bk.section("F", tab, bk.Differences(id="diffs")), "[!differences #diffs]\n"),
        (bk.section("F", tab, id="forces"), "# F {#forces}\n"),
    ):
        brief = bk.Brief(title="T", sections=[sec])
        text = mdbrief.dumps(brief, sources=SEEDS.as_posix())
        assert written in text
        assert mdbrief.loads(text, base=tmp_path).brief == brief


# -- the manifest ------------------------------------------------------------------------------


def test_cells_reach_the_manifest(tmp_path: Path, corpus: bk.Corpus) -> None:
    loaded = _read(TABLE, tmp_path, extra=f"accept_differences: [{TROOPS}]\n")
    out = bk.export(loaded.brief, tmp_path / "brief.json")
    manifest = bk_manifest.parse(out.read_bytes())
    (tab,) = manifest.tables
    assert (tab.number, tab.caption, tab.section) == (
        1,
        "U.S. troops | counts in Japan by source",
        ("Forces",),
    )
    assert tab.header == ("Source", "U.S. troops", "Comment")
    assert tab.align == ("left", "right", "left")
    by_id = {s.id: s for s in manifest.sentences}
    shown = [[by_id[c.sentence].text if c.sentence else c.text for c in row] for row in tab.rows]
    assert shown == [
        ["CNN | wire", "50,000 troops", "Carter met them."],
        ["AFP", "some 47,000", ""],
        ["CRS", "54,000", "The highest of the three."],
        ["", "As dated.", ""],
    ]
    assert [c.sentence is not None for row in tab.rows for c in row] == [
        False, True, True, False, True, False, False, True, True, False, True, False
    ]  # fmt: skip
    assert all(by_id[sid].block == "cell" for sid in manifest.table_of())
    assert tab.rows[3][1].sentence == "dated"
    dated = by_id["dated"]
    assert dated.citations[0].exact == "NEWS | April 9, 2015"


def test_the_table_of_differences_reaches_the_manifest(tmp_path: Path) -> None:
    loaded = _read(
        f"""
        # Troops

        CNN counts {{@cnn figure "50,000" within="US has 50,000 troops" measure="{TROOPS}"}}. []
        AFP counts {{@afp figure "47,000" within="Some 47,000 US troops" measure="{TROOPS}"}}.

        [!differences "Where they differ"]
        """,
        tmp_path,
    )
    out = bk.export(loaded.brief, tmp_path / "brief.json")
    (tab,) = bk_manifest.parse(out.read_bytes()).tables
    assert tab.generated and tab.caption == "Where they differ"
    assert [row[0].text for row in tab.rows] == [TROOPS, ""]


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_a_read_table_exports_and_verifies(tmp_path: Path, fmt: str) -> None:
    loaded = _read(TABLE, tmp_path, extra=f"accept_differences: [{TROOPS}]\n")
    try:
        out = bk.export(loaded.brief, tmp_path / f"brief.{fmt}")
    except NotImplementedError as exc:
        pytest.skip(f"the {fmt} writer has no tables yet: {exc}")
    report = bk.verify(out, sources=loaded.sources)
    assert report.ok, report.problems


# -- the docstrings' examples ------------------------------------------------------------------


def test_the_tables_docstring_example_reads(tmp_path: Path, corpus: bk.Corpus) -> None:
    doc = md_tables.__doc__
    assert doc is not None
    example = textwrap.dedent(doc.split("::\n", 1)[1].split("\nThe rules", 1)[0])
    loaded = _read("# Forces\n\n" + example.strip() + "\n", tmp_path)
    tab, diff = loaded.brief.sections[0].blocks
    assert isinstance(tab, bk.Table) and tab.align == ("left", "right", "left")
    assert tab.rows[2] == ("Analysis", "", bk.analysis("They differ."))
    assert tab.id == "troops"
    assert diff == bk.differences("Where the sources differ", id="differing")
    assert loaded.warnings == ()


def test_the_package_docstring_example_has_a_table(corpus: bk.Corpus) -> None:
    doc = mdbrief.__doc__
    assert doc is not None
    text = textwrap.dedent(doc.split("::\n", 1)[1].split("\n:func:", 1)[0])
    loaded = mdbrief.loads(text.strip() + "\n", base=ROOT / "examples" / "us-japan-alliance")
    blocks = loaded.brief.sections[0].blocks
    assert isinstance(blocks[1], bk.Table) and blocks[2] == bk.differences()
    assert blocks[1].id == "troops" and loaded.brief.sections[0].id == "reassurance"
    assert blocks[3] == bk.paragraph(bk.analysis("The counts differ; see ", bk.ref("troops"), "."))
    assert loaded.warnings == ()


# -- hostile tables: linear time, bounded errors -----------------------------------------------


def _bounded(text: str, tmp_path: Path) -> str:
    """Load ``text`` in a bounded child (1 GiB, 10 s of CPU); the first lines of its error,
    or ``ok`` and the table's shape."""
    path = tmp_path / "hostile.md"
    path.write_text(text, encoding="utf-8")
    code = textwrap.dedent(
        f"""
        from briefkit import mdbrief
        from briefkit.errors import BriefSyntaxError
        try:
            loaded = mdbrief.load({str(path)!r})
        except BriefSyntaxError as exc:
            print("error", len(exc.problems))
            print("\\n".join(line[:300] for line in str(exc).splitlines()[:4]))
        else:
            tab = loaded.brief.sections[0].blocks[0]
            print("ok", len(tab.rows), len(tab.header))
        """
    )
    outcome = run_bounded(code, cwd=tmp_path)
    assert not outcome.timed_out, f"did not finish in time: {outcome.stderr[-2000:]}"
    assert outcome.ok, outcome.stderr[-3000:]
    return outcome.stdout


HEAD_ROW = "Table: Big\n\n| Source | Troops |\n| --- | --: |\n"


def test_a_table_of_ten_thousand_rows(tmp_path: Path) -> None:
    rows = "".join(f"| Row {k} | {CITED} |\n" for k in range(10_000))
    out = _bounded(_text("# F\n\n" + HEAD_ROW + rows), tmp_path)
    assert out.split("\n")[0] == "ok 10000 2", out


def test_a_row_of_ten_thousand_cells(tmp_path: Path) -> None:
    width = 10_000
    header = "| " + " | ".join(f"c{k}" for k in range(width)) + " |\n"
    align = "|" + "---|" * width + "\n"
    row = f"| x | {CITED} |" + " |" * (width - 2) + "\n"
    out = _bounded(_text("# F\n\nTable: Wide\n\n" + header + align + row), tmp_path)
    assert out.split("\n")[0] == f"ok 1 {width}", out
    # the same row against a header of two columns is one ragged-row error
    out = _bounded(_text("# F\n\n" + HEAD_ROW + row), tmp_path)
    assert out.startswith("error 1\n"), out
    assert f"hostile.md:{FIRST + 6}:1: this row has {width} cells, the header 2" in out


def test_a_cell_of_a_megabyte(tmp_path: Path) -> None:
    big = "word " * 200_000
    out = _bounded(_text("# F\n\n" + HEAD_ROW + f"| {big} | {CITED} |\n"), tmp_path)
    assert out.split("\n")[0] == "ok 1 2", out  # a label of a megabyte
    out = _bounded(_text("# F\n\n" + HEAD_ROW + f"| x | {big} |\n| y | {CITED} |\n"), tmp_path)
    assert out.startswith("error 1\n") and "is text that cites no excerpt" in out, out
    assert len(out) < 1000  # the message quotes the cell shortened
    out = _bounded(_text("# F\n\n" + HEAD_ROW + f'| x | a [@cnn "{big}"] |\n'), tmp_path)
    assert out.startswith("error 1\n") and "not found" in out, out


def test_many_pipes_inside_citation_quotes(tmp_path: Path) -> None:
    escaped = '| x | 2015 [@dod "NEWS \\| April 9, 2015"] |\n' * 5_000
    out = _bounded(_text("# F\n\n" + HEAD_ROW + escaped), tmp_path)
    assert out.split("\n")[0] == "ok 5000 2", out
    bare = '| x | 2015 [@dod "NEWS | April 9, 2015"] |\n' * 5_000
    out = _bounded(_text("# F\n\n" + HEAD_ROW + bare), tmp_path)
    assert out.startswith("error 5000\n"), out
    assert re.search(rf"hostile\.md:{FIRST + 6}:1: this row has 3 cells, the header 2", out)
    pipes = "| x | " + "\\|" * 500_000 + " [!analysis] |\n"
    out = _bounded(_text("# F\n\n" + HEAD_ROW + pipes), tmp_path)
    assert out.split("\n")[0] == "ok 1 2", out


def test_unterminated_rows(tmp_path: Path) -> None:
    rows = f"| x | {CITED}\n" * 10_000
    out = _bounded(_text("# F\n\n" + HEAD_ROW + rows), tmp_path)
    assert out.startswith("error 10000\n"), out
    first = out.split("\n")[2]
    assert f"hostile.md:{FIRST + 6}:1: this table row does not end with '|'" in first
    # a long row that never ends its quoted string nor itself
    out = _bounded(_text("# F\n\n" + HEAD_ROW + '| x | a [@cnn "' + "y" * 1_000_000), tmp_path)
    assert out.startswith("error 1\n") and "does not end with '|'" in out, out


def test_many_uncited_cells_in_tables_under_the_same_heading(tmp_path: Path) -> None:
    """Each problem is placed at its own table without recomputing the tables' problems."""
    rows = "".join(f"| Row {k} | uncited {k} |\n" for k in range(5_000)) + f"| c | {CITED} |\n"
    section = "# S\n\n" + HEAD_ROW + rows + "\n"
    out = _bounded(_text(section * 2), tmp_path)
    assert out.startswith("error 10000\n"), out
    first = out.split("\n")[2]
    assert f"hostile.md:{FIRST + 6}:11: the cell 'uncited 0' is text that cites no" in first
