"""Tables in the model, the note plan and the manifest; the table of differences and the
one-sided check (format by format, the writers and checkers are tested in tests/formats)."""

from __future__ import annotations

import json

import attrs
import pytest

import briefkit as bk
from briefkit import manifest as mf
from briefkit._consistency import manifest_problems
from briefkit._differences import value_key
from briefkit.formats.checking import outline
from briefkit.plan import TableBlock
from briefkit.problems import Place

CNN = "000_28b258b49d188a62.txt"
MATTIS = "002_a5ab00941732d00c.txt"
OVERVIEW = "004_35db4e2c9c51291d.txt"
TROOPS = "U.S. troops in Japan"
COST = "Japan's host-nation support"


@attrs.frozen
class Figures:
    cnn: bk.Figure
    mattis: bk.Figure
    overview: bk.Figure
    cost_cnn: bk.Figure
    cost_overview: bk.Figure


@pytest.fixture
def figs(corpus: bk.Corpus) -> Figures:
    cnn, mattis, ov = corpus[CNN], corpus[MATTIS], corpus[OVERVIEW]
    return Figures(
        cnn.figure("50,000", unit="troops", within="US has 50,000 troops", measure=TROOPS),
        mattis.figure("47,000", unit="troops", within="Some 47,000 US troops", measure=TROOPS),
        ov.figure("54,000", unit="U.S. troops", within="About 54,000 U.S. troops", measure=TROOPS),
        cnn.figure("$1.6 billion", within="pays $1.6 billion", measure=COST),
        ov.figure(
            "nearly $2 billion", unit="per year", within="nearly $2 billion per year", measure=COST
        ),
    )


def _troops_table(figs: Figures) -> bk.Table:
    return bk.table(
        "U.S. troops in Japan by source",
        ["Source", "Troops"],
        ["CNN", bk.sentence(figs.cnn)],
        ["AFP", bk.sentence(figs.mattis)],
        ["CRS", bk.sentence("about ", figs.overview)],
        align=["left", "right"],
    )


def _brief(*blocks: bk.Paragraph | bk.Table | bk.Differences, **kw: object) -> bk.Brief:
    return bk.Brief(title="T", sections=[bk.section("Forces", *blocks)], **kw)  # type: ignore[arg-type]


def _codes(brief: bk.Brief) -> list[tuple[str, str]]:
    return [(p.code, str(p.place)) for p in brief.problems()]


# -- the model -------------------------------------------------------------------------------


def test_cells_are_sentences_in_reading_order(figs: Figures) -> None:
    brief = _brief(_troops_table(figs))
    assert _codes(brief) == []
    places = [str(place) for place, _path, _s in brief.walk()]
    assert places == [
        "section 'Forces' › block 1 (a table) › row 1 › column 2",
        "section 'Forces' › block 1 (a table) › row 2 › column 2",
        "section 'Forces' › block 1 (a table) › row 3 › column 2",
    ]
    assert [s.id for s in brief.sources()] == [CNN, MATTIS, OVERVIEW]


def test_text_outside_the_first_column_must_cite(figs: Figures) -> None:
    bad = bk.table(
        "Troops", ["Source", "Troops"], ["CNN", "50,000"], ["AFP", bk.sentence(figs.mattis)]
    )
    assert _codes(_brief(bad)) == [
        ("uncited-cell", "section 'Forces' › block 1 (a table) › row 1 › column 2")
    ]
    # an empty cell is fine, and a table of labels only cites nothing
    labels = bk.table("Troops", ["Source", "Troops"], ["CNN", ""])
    assert _codes(_brief(labels)) == [("uncited-table", "section 'Forces' › block 1 (a table)")]


def test_the_shape_of_a_table_is_checked(figs: Figures) -> None:
    ragged = bk.table("Troops", ["Source", "Troops"], ["CNN", bk.sentence(figs.cnn), ""])
    assert _codes(_brief(ragged)) == [
        ("table-shape", "section 'Forces' › block 1 (a table) › row 1")
    ]
    aligned = bk.Table("Troops", ("A", "B"), [["x", bk.sentence(figs.cnn)]], align=("left",))
    assert [c for c, _ in _codes(_brief(aligned))] == ["table-align"]
    wrong = bk.Table("Troops", ("A", "B"), [["x", bk.sentence(figs.cnn)]], align=("up", "left"))
    assert [c for c, _ in _codes(_brief(wrong))] == ["table-align"]
    nameless = bk.table(" ", ["A", "B"], ["x", bk.sentence(figs.cnn)])
    assert [c for c, _ in _codes(_brief(nameless))] == ["table-caption"]
    no_rows = bk.table("T", ["A"])
    assert [c for c, _ in _codes(_brief(no_rows))] == ["empty-block"]
    headless = bk.Table("T", (), [[bk.sentence(figs.cnn)]])
    assert "table-shape" in [c for c, _ in _codes(_brief(headless))]


def test_cells_must_be_text_or_sentences(figs: Figures) -> None:
    with pytest.raises(TypeError, match="a table cell must be text or a Sentence"):
        bk.table("T", ["A"], [figs.cnn])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="a table row must be a sequence of cells"):
        bk.Table("T", ("A",), ["abc"])


def test_a_cell_sentence_is_validated_like_any_other(figs: Figures, corpus: bk.Corpus) -> None:
    cnn = corpus[CNN]
    typed = bk.sentence("“50,000 soldiers”", cite=cnn.paraphrase("US has 50,000 troops"))
    tab = bk.table("T", ["A", "B"], ["x", typed])
    assert ("misquote", "section 'Forces' › block 1 (a table) › row 1 › column 2") in _codes(
        _brief(tab)
    )


# -- the plan and the manifest -----------------------------------------------------------------


def test_notes_of_cells_are_numbered_in_reading_order(figs: Figures, corpus: bk.Corpus) -> None:
    before = bk.paragraph(
        bk.sentence("Carter visited Japan.", cite=corpus[CNN].paraphrase("arrived in Japan Monday"))
    )
    plan = bk.NotePlan.build(_brief(before, _troops_table(figs)))
    (table,) = plan.tables
    assert isinstance(table, TableBlock)
    assert table.number == 1 and table.anchor == "table-1"
    assert table.label(plan.locale) == "Table 1. U.S. troops in Japan by source"
    assert table.align == ("left", "right")
    notes = [cell.sentence.note for row in table.rows for cell in row if cell.sentence]
    assert notes == [2, 3, 4]
    assert [[cell.shown for cell in row] for row in table.rows] == [
        ["CNN", "50,000 troops"],
        ["AFP", "47,000 troops"],
        ["CRS", "about 54,000 U.S. troops"],
    ]
    assert [s.block for s in plan.sentences] == ["paragraph", "cell", "cell", "cell"]


def test_a_table_caption_speaks_the_brief_s_language(figs: Figures) -> None:
    for lang, caption in (
        ("de-DE", "Tabelle 1. U.S. troops in Japan by source"),
        ("ja-JP", "表1　U.S. troops in Japan by source"),
    ):
        plan = bk.NotePlan.build(_brief(_troops_table(figs), lang=lang))
        assert plan.tables[0].label(plan.locale) == caption


def test_the_manifest_records_every_cell_and_reads_back(figs: Figures) -> None:
    plan = bk.NotePlan.build(_brief(_troops_table(figs)))
    man = mf.build(plan)
    data = json.loads(mf.dumps(man))
    assert data["version"] == 5
    (record,) = data["tables"]
    assert record["caption"] == "U.S. troops in Japan by source"
    assert record["header"] == ["Source", "Troops"]
    assert record["align"] == ["left", "right"]
    ids = [s.id for s in plan.sentences]
    assert record["rows"] == [
        [{"text": "CNN"}, {"sentence": ids[0]}],
        [{"text": "AFP"}, {"sentence": ids[1]}],
        [{"text": "CRS"}, {"sentence": ids[2]}],
    ]
    assert data["sentences"][0]["citations"][0]["measure"] == TROOPS
    assert mf.parse(mf.dumps(man)) == man


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["tables"][0]["rows"][0].__setitem__(1, {"text": "50,000"}),
            "exactly the sentences",
        ),
        (lambda d: d["tables"][0]["rows"].reverse(), "in reading order"),
        (lambda d: d["tables"][0]["rows"][0].append({"text": ""}), "one cell per column"),
        (lambda d: d["tables"][0].__setitem__("number", 2), "must be 1"),
        (lambda d: d["tables"][0]["align"].__setitem__(0, "up"), "align"),
        (
            lambda d: d["tables"][0]["rows"][0].__setitem__(0, {"text": "x", "sentence": "s1"}),
            "must be",
        ),
        (lambda d: d.__setitem__("tables", []), "exactly the sentences"),
        (lambda d: d["tables"][0].__setitem__("section", ["Elsewhere"]), "different sections"),
    ],
)
def test_a_manifest_whose_tables_do_not_hold_its_cells_is_refused(
    figs: Figures, edit: object, message: str
) -> None:
    data = json.loads(mf.dumps(mf.build(bk.NotePlan.build(_brief(_troops_table(figs))))))
    edit(data)  # type: ignore[operator]
    with pytest.raises(bk.ManifestError, match=message):
        mf.parse(json.dumps(data))


def test_outline_shows_a_table_as_caption_header_and_cells(figs: Figures) -> None:
    man = mf.build(bk.NotePlan.build(_brief(_troops_table(figs))))
    pieces = [(p.kind, p.text, p.row, p.column) for p in outline(man)]
    assert pieces[:2] == [("title", "T", 0, 0), ("heading", "Forces", 0, 0)]
    assert pieces[2:] == [
        ("caption", "Table 1. U.S. troops in Japan by source", 0, 0),
        ("header", "Source", 0, 1),
        ("header", "Troops", 0, 2),
        ("cell", "CNN", 1, 1),
        ("sentence", "50,000 troops", 1, 2),
        ("cell", "AFP", 2, 1),
        ("sentence", "47,000 troops", 2, 2),
        ("cell", "CRS", 3, 1),
        ("sentence", "about 54,000 U.S. troops", 3, 2),
        ("heading", "Bibliography", 0, 0),
        *[("entry", e.text, 0, 0) for e in man.bibliography],
    ]


# -- where the sources differ -----------------------------------------------------------------


def test_values_compare_by_number_and_scale() -> None:
    assert value_key("50,000") == value_key("50000") == "50000"
    assert value_key("nearly $2 billion") == value_key("$2 billion") == "2 billion"
    assert value_key("1.60") == value_key("1.6") != value_key("16")
    assert value_key("$1.6bn") == "1.6 billion"
    assert value_key("about 054") == "54"
    assert value_key("none") == "none"


def test_the_table_of_differences_lists_each_value_with_its_source(
    figs: Figures, corpus: bk.Corpus
) -> None:
    text = bk.paragraph(
        bk.sentence("CNN puts the troops at ", figs.cnn, "."),
        bk.sentence("AFP says ", figs.mattis, ", and the CRS ", figs.overview, "."),
        bk.sentence("Japan pays ", figs.cost_cnn, " a year.", accept_numbers=["1.6"]),
        bk.sentence("Or ", figs.cost_overview, "."),
    )
    plan = bk.NotePlan.build(_brief(text, differences=True))
    (table,) = plan.tables
    assert table.generated and table.caption == "Where the sources differ"
    assert table.header == ("Measure", "Value", "Source", "Date")
    rows = [[cell.shown for cell in row] for row in table.rows]
    titles = {k: corpus[k].title for k in (CNN, MATTIS, OVERVIEW)}
    dates = {k: plan.locale.date(corpus[k].meta.issued) or "" for k in (CNN, MATTIS, OVERVIEW)}
    assert rows == [
        [TROOPS, "50,000 troops", titles[CNN], dates[CNN]],
        ["", "47,000 troops", titles[MATTIS], dates[MATTIS]],
        ["", "54,000 U.S. troops", titles[OVERVIEW], dates[OVERVIEW]],
        [COST, "$1.6 billion", titles[CNN], dates[CNN]],
        ["", "nearly $2 billion per year", titles[OVERVIEW], dates[OVERVIEW]],
    ]
    # its own section, after the last one, each value with a note citing the very span
    heading = [b for b in plan.blocks if getattr(b, "text", None) == "Where the sources differ"]
    assert len(heading) == 1
    cells = [row[1].sentence for row in table.rows]
    assert [c.citations[0].excerpt for c in cells if c] == [
        figs.cnn,
        figs.mattis,
        figs.overview,
        figs.cost_cnn,
        figs.cost_overview,
    ]
    assert all(c is not None and c.note is not None for c in cells)


def test_the_table_of_differences_stands_where_the_author_places_it(figs: Figures) -> None:
    text = bk.paragraph(bk.sentence("Figures: ", figs.cnn, " or ", figs.mattis, "."))
    plan = bk.NotePlan.build(_brief(text, bk.differences("Troop counts"), differences=True))
    (table,) = plan.tables
    assert table.caption == "Troop counts"
    assert not [b for b in plan.blocks if getattr(b, "text", None) == "Where the sources differ"]
    assert plan.sentences[-1].section == ("Forces",)


def test_agreeing_figures_make_no_table(figs: Figures, corpus: bk.Corpus) -> None:
    again = corpus[CNN].figure(
        "50,000", within="some of the 50,000 stationed in Japan", measure=TROOPS
    )
    text = bk.paragraph(bk.sentence("CNN: ", figs.cnn, " and ", again, "."))
    plan = bk.NotePlan.build(_brief(text, differences=True, accept_differences=[TROOPS]))
    assert plan.tables == ()
    assert [b for b in plan.blocks if getattr(b, "text", None) == "Where the sources differ"] == []


def test_differences_placed_twice_are_refused(figs: Figures) -> None:
    text = bk.paragraph(bk.sentence("Figures: ", figs.cnn, " or ", figs.mattis, "."))
    codes = _codes(_brief(text, bk.differences(), bk.differences()))
    assert ("duplicate-differences", "section 'Forces' › block 3") in codes


def test_citing_one_value_of_a_disputed_measure_is_one_sided(
    figs: Figures, corpus: bk.Corpus
) -> None:
    ov = corpus[OVERVIEW]
    text = bk.paragraph(
        bk.sentence("CNN puts the troops at ", figs.cnn, "."),
        bk.sentence(
            "The alliance is old.",
            cite=ov.paraphrase("The U.S.-Japan alliance has long been an anchor"),
        ),
    )
    brief = _brief(text)
    problems = [p for p in brief.problems() if p.code == "one-sided"]
    assert len(problems) == 1
    (p,) = problems
    assert p.severity == "error" and p.subject == "54,000"
    assert str(p.place) == str(Place.in_section(("Forces",), 1, "paragraph", 1))
    assert f"the cited source {OVERVIEW!r} also gives '54,000'" in p.message
    with pytest.raises(bk.ValidationError, match="one-sided|also gives"):
        brief.validate()
    # accepted explicitly, or with the other value cited, it is not reported
    assert not [
        p for p in _brief(text, accept_differences=[TROOPS]).problems() if p.code == "one-sided"
    ]
    both = bk.paragraph(*text.sentences, bk.sentence("The CRS says ", figs.overview, "."))
    assert not [p for p in _brief(both).problems() if p.code == "one-sided"]


def test_a_measure_without_a_unit_is_compared_among_the_brief_s_figures(
    figs: Figures, corpus: bk.Corpus
) -> None:
    text = bk.paragraph(
        bk.sentence("Japan pays ", figs.cost_cnn, " a year.", accept_numbers=["1.6"]),
        bk.sentence(
            "Old.",
            cite=corpus[OVERVIEW].paraphrase("The U.S.-Japan alliance has long been an anchor"),
        ),
    )
    assert not [p for p in _brief(text).problems() if p.code == "one-sided"]


def test_a_table_of_differences_edited_in_the_manifest_is_caught(figs: Figures) -> None:
    text = bk.paragraph(
        bk.sentence("CNN: ", figs.cnn, "; AFP: ", figs.mattis, "; CRS: ", figs.overview, ".")
    )
    man = mf.build(bk.NotePlan.build(_brief(text, differences=True)))
    assert manifest_problems(man, {}, set(), None) == []
    table = man.tables[0]
    dropped = attrs.evolve(man, tables=(attrs.evolve(table, rows=table.rows[:2]),))
    swapped_source = attrs.evolve(
        man,
        tables=(
            attrs.evolve(
                table,
                rows=(
                    (table.rows[0][0], table.rows[0][1], table.rows[1][2], table.rows[0][3]),
                    *table.rows[1:],
                ),
            ),
        ),
    )
    relabelled = attrs.evolve(man, tables=(attrs.evolve(table, header=("A", "B", "C", "D")),))
    for edited in (dropped, swapped_source, relabelled):
        codes = [p.code for p in manifest_problems(edited, {}, set(), None)]
        assert codes == ["differences-table"], codes


def _source(text: str, sid: str = "s.txt") -> bk.Source:
    return bk.Source.from_text(sid, text)


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("Some 47,000 troops are here.", ["47,000"]),
        ("About 54,000 U.S. troops are here.", ["54,000"]),
        ("About 54,000 U.S. Army active troops.", ["54,000"]),  # three words between
        ("About 54,000 U.S. Army active duty troops.", []),  # four words: not the unit's
        ("Some 47 stayed. Then troops left.", []),  # not across a sentence break
        ("Some 47 stayed; troops left.", []),
        ("Some 47,000 stationed, and troops.", ["47,000"]),  # within three words
        ("The 47,000 were not troopships.", []),
        ("In 2016 the TROOPS left.", ["2016"]),  # case does not matter
        ("1,200 troops and 1,200 troops", ["1,200"]),  # each value once
    ],
)
def test_a_source_gives_a_value_followed_by_the_unit_word(text: str, given: list[str]) -> None:
    src = _source("Ref 50,000 troops. " + text)
    cited = src.figure("50,000", unit="troops", within="Ref 50,000 troops", measure=TROOPS)
    brief = bk.Brief(title="T", key_points=[bk.sentence("A count: ", cited, ".")])
    found = [p.subject for p in brief.problems() if p.code == "one-sided"]
    assert found == given


def test_the_units_of_every_figure_of_a_measure_are_looked_for() -> None:
    src = _source("Ref 50,000 troops. Ref 3 bases. Then 7 bases and 9 soldiers.")
    a = src.figure("50,000", unit="troops", within="Ref 50,000 troops", measure="force")
    b = src.figure("3", unit="bases", within="Ref 3 bases", measure="force")
    brief = bk.Brief(title="T", key_points=[bk.sentence("Counts: ", a, " and ", b, ".")])
    assert [p.subject for p in brief.problems() if p.code == "one-sided"] == ["7"]
    other = src.figure("3", unit="bases", within="Ref 3 bases", measure="bases")
    alone = bk.Brief(title="T", key_points=[bk.sentence("Counts: ", a, " and ", other, ".")])
    # each measure looks for its own units only
    assert sorted(p.subject or "" for p in alone.problems() if p.code == "one-sided") == ["7"]


def test_value_keys_at_their_edges() -> None:
    assert value_key("1.0") == "1" and value_key("2.50") == "2.5"
    assert value_key("0") == "0" and value_key("000") == "0"
    assert value_key("two  thousand") == "two thousand"


def test_a_figure_without_a_measure_is_left_out_of_the_comparison(figs: Figures) -> None:
    plain = attrs.evolve(figs.cnn, measure=None)
    plan = bk.NotePlan.build(
        _brief(
            bk.paragraph(
                bk.sentence("Counts: ", plain, ", ", figs.mattis, ", ", figs.overview, ".")
            ),
            differences=True,
            accept_differences=[TROOPS],
        )
    )
    (table,) = plan.tables
    assert [row[1].shown for row in table.rows] == ["47,000 troops", "54,000 U.S. troops"]


def test_a_unit_without_a_word_is_not_looked_for() -> None:
    src = _source("Ref 5 %. Then 7 % and 9 percent.")
    fig = src.figure("5", unit="%", within="Ref 5 %", measure="share")
    brief = bk.Brief(title="T", key_points=[bk.sentence("Share: ", fig, ".")])
    assert [p for p in brief.problems() if p.code == "one-sided"] == []


def test_a_unit_far_behind_a_long_word_is_not_the_number_s() -> None:
    src = _source("Ref 50,000 troops. Then 7 " + "x" * 100 + " troops.")
    fig = src.figure("50,000", unit="troops", within="Ref 50,000 troops", measure=TROOPS)
    brief = bk.Brief(title="T", key_points=[bk.sentence("Count: ", fig, ".")])
    assert [p for p in brief.problems() if p.code == "one-sided"] == []


def test_an_accepted_measure_leaves_the_others_checked(figs: Figures, corpus: bk.Corpus) -> None:
    src = _source("Ref 3 bases. Then 7 bases. Or 4 bases.")
    bases = src.figure("3", unit="bases", within="Ref 3 bases", measure="bases")
    more = src.figure("4", unit="bases", within="Or 4 bases", measure="bases")
    text = bk.paragraph(
        bk.sentence("Troops: ", figs.cnn, "."),
        bk.sentence("Bases: ", bases, " or ", more, "."),
        bk.sentence("Old.", cite=corpus[OVERVIEW].paraphrase("has long been an anchor")),
    )
    problems = _brief(text, accept_differences=[TROOPS]).problems()
    (p,) = [p for p in problems if p.code == "one-sided"]
    assert p.message == (
        "measure 'bases': the brief cites 3, 4, but the cited source 's.txt' also gives '7' "
        "(chars 18–19); cite that figure too, or accept the difference (accept_differences)"
    )
