"""The Markdown brief format: syntax, the model it builds, and located errors."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

import briefkit as bk
from briefkit import mdbrief
from briefs import brief_problems, load_brief

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "us-japan-alliance" / "brief.md"
CNN = "000_28b258b49d188a62.txt"
AFP = "002_a5ab00941732d00c.txt"

HEAD = f"""---
title: Alliance
author: Analyst
date: 2026-11-21
sources:
  root: {ROOT / "seeds"}
  cnn: {CNN}
  afp: {AFP}
---
"""


def _read(body: str, tmp_path: Path) -> mdbrief.MarkdownBrief:
    return load_brief(HEAD + body, tmp_path)


def _problems(body: str, tmp_path: Path) -> list[tuple[int, int, str]]:
    return brief_problems(HEAD + body, tmp_path)


def _example_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "us_japan_alliance", ROOT / "examples" / "us_japan_alliance.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("us_japan_alliance", module)
    spec.loader.exec_module(module)
    return module


def test_the_example_brief_md_builds_the_python_examples_model(corpus: bk.Corpus) -> None:
    loaded = mdbrief.load(EXAMPLE)
    assert loaded.brief == _example_module().build_brief(corpus)
    assert loaded.sources == (ROOT / "seeds").resolve()
    assert loaded.aliases["cnn"] == CNN


def test_the_same_model_as_the_python_api(tmp_path: Path, corpus: bk.Corpus) -> None:
    got = _read(
        """
- CNN counts {@cnn figure "50,000" within="US has 50,000 troops stationed in Japan" unit="troops"}.

# Tone

Carter said {@cnn "Our alliance with Japan has never been stronger" speaker="Ash Carter"}. []
Officials expected the relationship to last [@cnn "Pentagon officials are confident"].
Reassurance was the theme. [!analysis; #theme]

## Numbers

- Another report: {@afp figure "47,000" within="Some 47,000 US troops are stationed in Japan"} [@afp 0-10]
""",
        tmp_path,
    ).brief
    cnn, afp = corpus[CNN], corpus[AFP]
    troops = cnn.figure("50,000", unit="troops", within="US has 50,000 troops stationed in Japan")
    want = bk.Brief(
        title="Alliance",
        author="Analyst",
        date="2026-11-21",
        key_points=[bk.sentence("CNN counts ", troops, ".")],
        sections=[
            bk.section(
                "Tone",
                bk.paragraph(
                    bk.sentence(
                        "Carter said ",
                        cnn.quote(
                            "Our alliance with Japan has never been stronger", speaker="Ash Carter"
                        ),
                        ".",
                    ),
                    bk.sentence(
                        "Officials expected the relationship to last.",
                        cite=cnn.paraphrase("Pentagon officials are confident"),
                    ),
                    bk.analysis("Reassurance was the theme.", id="theme"),
                ),
                bk.section(
                    "Numbers",
                    bk.bullets(
                        bk.sentence(
                            "Another report: ",
                            afp.figure(
                                "47,000", within="Some 47,000 US troops are stationed in Japan"
                            ),
                            cite=afp.paraphrase(start=0, end=10),
                        )
                    ),
                ),
            )
        ],
    )
    assert got == want


def test_escapes_line_joins_and_blocks(tmp_path: Path, corpus: bk.Corpus) -> None:
    got = _read(
        r"""
# Literal \[text\] and \{braces\}

A sentence written
   over two lines, a \u{20}kept blank, [sic] text,\
and a line break. [@cnn "never been stronger"]

> {@afp "Some 47,000 US troops are stationed in Japan"} [#bq]

<!-- a comment is skipped -->
""",
        tmp_path,
    ).brief
    sec = got.sections[0]
    assert sec.heading == "Literal [text] and {braces}"
    para = sec.blocks[0]
    assert isinstance(para, bk.Paragraph)
    assert para.sentences[0].parts == (
        "A sentence written over two lines, a  kept blank, [sic] text,\nand a line break.",
    )
    quote = sec.blocks[1]
    assert isinstance(quote, bk.BlockQuote)
    assert quote.id == "bq"
    assert quote.quote.text == "Some 47,000 US troops are stationed in Japan"


def test_a_normalized_selector_and_a_span_selector(tmp_path: Path, corpus: bk.Corpus) -> None:
    got = _read(
        """
- Carter was upbeat [@cnn "never been stronger,\\" Carter told" normalize; @cnn "Carter" 0-6].
""",
        tmp_path,
    ).brief
    first, second = got.key_points[0].cites
    assert first.text == "never been stronger,” Carter told"
    assert (second.start, second.end) == (0, 6)


def test_problems_name_line_and_column(tmp_path: Path) -> None:
    problems = _problems(
        """
- Carter spoke. [@cnn "Our aliance with Japan"]

# Head

Then more [@cnnx "x"] and {@cnn paraphrase "x"} [@cnn 5-3; !foo; @afp "never closed
""",
        tmp_path,
    )
    lines = {(line, col) for line, col, _ in problems}
    text = "\n".join(msg for _, _, msg in problems)
    assert (11, 18) in lines and "Closest: 'Our alliance with Japan'" in text
    assert (
        15,
        12,
    ) in lines and "unknown source 'cnnx' (not a key of sources:); did you mean 'cnn'?" in text
    assert "a paraphrase cannot stand here" in text
    assert "out of range or empty" in text
    assert "unknown flag !foo" in text
    assert "never closed" in text


def test_model_problems_are_placed_at_their_sentence(tmp_path: Path) -> None:
    problems = _problems(
        """
- Unc ited sentence.

# Head

Officials said the alliance is "ironclad". [@cnn "Pentagon officials are confident"]

## Empty
""",
        tmp_path,
    )
    assert problems[0][:2] == (11, 3) and "cites no excerpt" in problems[0][2]
    assert (
        problems[1][:2] == (15, 1) and "misquote" in problems[1][2] and "ironclad" in problems[1][2]
    )
    assert problems[2][:2] == (17, 1) and "is empty" in problems[2][2]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("\n### Deep\n\nText. [!analysis]\n", "level-3 heading cannot follow the front matter"),
        ("\nText before any heading. [!analysis]\n", "only the key-points list"),
        ("\n# H\n\n> Just words. [!analysis]\n", "a block quote holds one quotation"),
        ("\n# H\n\n- One. [!analysis] Two. [!analysis]\n", "a list item holds one sentence"),
        ('\n# H [@cnn "Carter"]\n\nA. [!analysis]\n', "a heading is plain text"),
        ("\n# H\n\nA. [!analysis]\n\n<!-- open\n", "never closed by '-->'"),
    ],
)
def test_structure_problems(tmp_path: Path, body: str, message: str) -> None:
    problems = _problems(body, tmp_path)
    assert any(message in msg for _, _, msg in problems), problems


def test_front_matter_problems(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text("# No front matter\n\nA. [!analysis]\n", encoding="utf-8")
    with pytest.raises(bk.BriefSyntaxError, match=r"b\.md:1:1: a Markdown brief starts with YAML"):
        mdbrief.load(path)
    path.write_text("---\ntitle: [unclosed\nsources: .\n---\n", encoding="utf-8")
    with pytest.raises(
        bk.BriefSyntaxError, match=r"b\.md:3:\d+: the front matter is not valid YAML"
    ):
        mdbrief.load(path)
    path.write_text("---\ntitle: T\nsource: .\ncolour: red\n---\n", encoding="utf-8")
    with pytest.raises(bk.BriefSyntaxError) as info:
        mdbrief.load(path)
    text = str(info.value)
    assert "unknown front matter key(s) 'colour', 'source'" in text
    assert "needs sources:" in text


def test_sources_map_paths_are_safe_and_metadata_merges(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("The alliance is strong.", encoding="utf-8")
    path = tmp_path / "brief.md"
    path.write_text(
        "---\ntitle: T\nsources:\n  root: src\n  a:\n    path: a.txt\n    title: A report\n"
        '    container-title: Wire\n  bad: ../../etc/passwd\n---\n\n- Strong. [@a "strong"]\n',
        encoding="utf-8",
    )
    with pytest.raises(bk.BriefSyntaxError, match="'bad'.*'..'"):
        mdbrief.load(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("  bad: ../../etc/passwd\n", ""), encoding="utf-8"
    )
    loaded = mdbrief.load(path)
    cited = loaded.brief.key_points[0].cites[0].source
    assert (cited.meta.title, cited.meta.venue) == ("A report", "Wire")
    assert loaded.sources == src.resolve()


def test_bad_utf8_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_bytes(HEAD.encode() + b"\n- caf\xe9 [!analysis]\n")
    with pytest.raises(bk.DecodeError, match="byte offset"):
        mdbrief.load(path)
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode() + b"\n- Fine. [!analysis]\n")
    assert mdbrief.load(path).brief.key_points[0].analysis


def test_dumps_of_the_example_reads_back(corpus: bk.Corpus, tmp_path: Path) -> None:
    loaded = mdbrief.load(EXAMPLE)
    seeds = EXAMPLE.parent.parent.parent / "seeds"
    text = mdbrief.dumps(loaded.brief, sources=str(seeds), aliases=loaded.aliases)
    for name, data in mdbrief.image_files(loaded.brief).items():  # the writer links them by name
        (tmp_path / name).write_bytes(data)
    again = mdbrief.loads(text, base=tmp_path, name="dumped")
    assert again.brief == loaded.brief
    assert again.aliases == loaded.aliases


def test_text_after_a_comment_on_its_closing_line_is_an_error(tmp_path: Path) -> None:
    problems = _problems('\n# S\n\n<!-- note --> B matters. [@cnn "Carter looks"]\n', tmp_path)
    assert problems[0][:2] == (13, 14) and "text after '-->'" in problems[0][2]
    # a comment line ends the paragraph before it instead of joining it
    got = _read("\n# S\n\nA. [!analysis]\n<!-- aside -->\nB. [!analysis]\n", tmp_path).brief
    assert [len(b.sentences) for b in got.sections[0].blocks] == [1, 1]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title: T\ndate: 2016-02-30\nsources: .\n", "cannot be read: day is out of range"),
        ("title: T\ntitle: U\nsources: .\n", "the key 'title' is given twice"),
        (
            "title: 1:20\nsources: .\n",
            'title: must be text; YAML read 80 as int (put it in quotes: title: "…")',
        ),
        ("title: T\nsources:\n  root: [a]\n", "root: must be a folder path"),
        ("title: T\nsources:\n  root: .\n  c n: a.txt\n", "key 'c n' must use letters"),
        ("title: T\nx: " + "[" * 3000 + "]" * 3000 + "\nsources: .\n", "nested too deeply"),
    ],
)
def test_front_matter_values_are_checked(tmp_path: Path, front: str, message: str) -> None:
    path = tmp_path / "b.md"
    path.write_text(f"---\n{front}---\n\n- A. [!analysis]\n", encoding="utf-8")
    with pytest.raises(bk.BriefSyntaxError) as info:
        mdbrief.load(path)
    assert message in str(info.value)


def test_a_problem_in_a_repeated_heading_is_placed_at_its_own_line(tmp_path: Path) -> None:
    problems = _problems("\n# S\n\nA. [!analysis]\n\n# S\n\nB.\n", tmp_path)
    assert [(line, col) for line, col, _ in problems] == [(17, 1)]


def test_follow_on_problems_are_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text('---\ntitle: [x\n---\n\n- A. [@cnn "x"]\n', encoding="utf-8")
    with pytest.raises(bk.BriefSyntaxError) as info:
        mdbrief.load(path)
    assert len(info.value.problems) == 1  # not also "needs a title" and "unknown source"
    problems = _problems('\n- Carter [@cnn "Carter looks]\n', tmp_path)
    messages = [msg for _, _, msg in problems]
    assert "this quoted string is never closed (a '\"' is missing)" in messages
    assert not any("not found" in msg for msg in messages)  # the broken excerpt is not looked up


def test_closing_hashes_and_loads_with_a_bom(tmp_path: Path) -> None:
    got = _read("\n# Tone ##\n\nA. [!analysis]\n", tmp_path).brief
    assert got.sections[0].heading == "Tone"
    text = "\ufeff" + HEAD + "\n- A. [!analysis]\n"
    assert mdbrief.loads(text, base=tmp_path).brief.key_points[0].analysis


def test_dumps_keeps_what_reading_would_otherwise_change(tmp_path: Path, corpus: bk.Corpus) -> None:
    cnn = corpus[CNN]
    q = cnn.quote("Our alliance with Japan has never been stronger")
    brief = bk.Brief(
        title="Line\x85break  ",
        date="20160102",
        key_points=[bk.sentence(q, " said\n"), bk.sentence("first\n", "- not an item", q)],
        sections=[bk.section("Tone ##", bk.paragraph(bk.analysis("A.")))],
    )
    metadata = {CNN: {"container-title": "Cable News"}}
    text = mdbrief.dumps(
        brief, sources=str(ROOT / "seeds"), aliases={"cnn": CNN}, metadata=metadata
    )
    loaded = mdbrief.loads(text, base=tmp_path)
    assert loaded.brief.title == brief.title and loaded.brief.date == "20160102"
    assert loaded.brief.key_points[0].parts[1] == " said\n"
    assert loaded.brief.key_points[1].parts[0] == "first\n- not an item"
    assert loaded.brief.sections[0].heading == "Tone ##"
    assert loaded.metadata == metadata
    assert loaded.corpus[CNN].meta.venue == "Cable News"


def test_dumps_refuses_what_the_format_cannot_hold(corpus: bk.Corpus) -> None:
    deep = bk.section("7", bk.paragraph(bk.analysis("A.")))
    for level in range(6, 0, -1):
        deep = bk.section(str(level), deep)
    with pytest.raises(bk.ValidationError, match="nested 7 deep"):
        mdbrief.dumps(bk.Brief(title="T", sections=[deep]), sources=".")
    brief = bk.Brief(
        title="T", key_points=[bk.sentence("A.", cite=corpus[CNN].paraphrase("Carter looks"))]
    )
    for aliases in ({"root": CNN}, {"c n": CNN}, {"a": CNN, "b": CNN}):
        with pytest.raises(bk.ValidationError, match="alias"):
            mdbrief.dumps(brief, sources=".", aliases=aliases)


# -- flags: !several, !accept, partial ---------------------------------------------------------


def test_several_sentences_share_a_group_with_the_several_flag(
    tmp_path: Path, corpus: bk.Corpus
) -> None:
    got = _read(
        """
- He arrived. He met Abe. [@cnn "Carter looks"; !several]
- Carter said it had {@cnn "never been stronger"}. It was news. [!several]

# Head

It was planned. It worked. [!analysis; !several; #plan]
""",
        tmp_path,
    ).brief
    first, second = got.key_points
    assert first.several and first.parts == ("He arrived. He met Abe.",)
    assert first.cites == (corpus[CNN].paraphrase("Carter looks"),)
    assert second.several and not second.cites  # a group of flags alone ends the sentence
    assert second.parts[1] == corpus[CNN].quote("never been stronger")
    para = got.sections[0].blocks[0]
    assert isinstance(para, bk.Paragraph)
    assert para.sentences[0] == bk.analysis("It was planned. It worked.", id="plan", several=True)


def test_several_sentences_without_the_flag_are_refused_at_the_sentence(tmp_path: Path) -> None:
    problems = _problems(
        '\n# Head\n\nFine. [!analysis] He arrived. He met Abe. [@cnn "Carter looks"]\n', tmp_path
    )
    ((line, col, message),) = problems
    assert (line, col) == (13, 19)
    assert "more than one sentence" in message and "!several" in message


def test_partial_quotations_inline_in_a_group_and_as_a_block(
    tmp_path: Path, corpus: bk.Corpus
) -> None:
    got = _read(
        """
- Carter called it {@cnn "never been strong" partial speaker="Ash Carter"}. []
- Carter was upbeat [@cnn quote "ever been stronger" partial].

# Head

> {@cnn partial "ever been stronger"} [#bq]
""",
        tmp_path,
    ).brief
    cnn = corpus[CNN]
    inline = got.key_points[0].parts[1]
    assert inline == bk.Quote(cnn, 815, 832, speaker="Ash Carter", partial=True)
    assert got.key_points[1].cites == (bk.Quote(cnn, 816, 834, partial=True),)
    block = got.sections[0].blocks[0]
    assert isinstance(block, bk.BlockQuote)
    assert block.quote == bk.Quote(cnn, 816, 834, partial=True) and block.id == "bq"


def test_a_quotation_that_cuts_a_word_is_refused_at_the_quotation(tmp_path: Path) -> None:
    problems = _problems(
        '\n- Carter looks ahead [@cnn "Carter looks"; @cnn quote "never been strong"].\n',
        tmp_path,
    )
    ((line, col, message),) = problems
    assert (line, col) == (11, 44)  # the second citation's '@'
    assert "inside the word 'stronger'" in message and "write partial" in message
    problems = _problems('\n- Carter called it {@cnn "ever been stronger"}. []\n', tmp_path)
    assert [(line, col) for line, col, _ in problems] == [(11, 21)]


def test_accepted_numbers(tmp_path: Path, corpus: bk.Corpus) -> None:
    loaded = _read(
        """
- In 2016 and 2017 Carter said {@cnn "never been stronger"} [!accept "2016" "2017"].
- In 2016 and 2017 officials were confident [@cnn "Pentagon officials are confident";
  !accept "2016"; !accept "2017"; #sure].
""",
        tmp_path,
    )
    first, second = loaded.brief.key_points
    assert first.accept_numbers == ("2016", "2017") and not first.cites
    assert second.accept_numbers == ("2016", "2017") and second.id == "sure"
    assert loaded.warnings == ()


@pytest.mark.parametrize(
    ("group", "at", "message"),
    [
        ("[!accept]", "!", '!accept needs the numbers it accepts, in quotes: !accept "2016"'),
        (
            "[!accept 2016]",
            "2016",
            "!accept takes numbers in quotes, like !accept \"2016\", not '2016'",
        ),
        (
            '[!accept "2016" x]',
            "x",
            "!accept takes numbers in quotes, like !accept \"2016\", not 'x'",
        ),
        ('[!accept "many"]', '"many"', "!accept takes numbers; 'many' has no digit"),
        ("[!several; !several]", "!several", "!several is given twice"),
        ("[!analysis; !analysis]", "!analysis", "!analysis is given twice"),
        ("[!sevral]", "!", "unknown flag !sevral; the flags are !analysis, !several, !accept"),
        (
            '[@cnn "Carter looks" partial]',
            "partial",
            "only a quotation can be partial (shown with an ellipsis), not a paraphrase",
        ),
        ('[@cnn "Carter looks" normalize normalize]', "normalize", "'normalize' is given twice"),
        ('[@cnn "Carter looks" partial quote partial]', "partial", "'partial' is given twice"),
    ],
)
def test_flags_misused_name_their_place(tmp_path: Path, group: str, at: str, message: str) -> None:
    line = f"- Carter said it. {group}"
    problems = _problems(f"\n{line}\n", tmp_path)
    assert problems == [(11, line.rindex(at) + 1, message)]


def test_an_inline_figure_cannot_be_partial_nor_a_block_quote_take_flags(tmp_path: Path) -> None:
    problems = _problems(
        '\n- About {@cnn figure "50,000" 500-506 partial} troops.\n\n# H\n\n'
        '> {@cnn "never been stronger"} [!several; @cnn "Carter looks"; !accept "1"]\n',
        tmp_path,
    )
    assert problems == [
        (11, 39, "only a quotation can be partial (shown with an ellipsis), not a figure"),
        (15, 33, "a block quote takes no !several (it has no text of the author's)"),
        (15, 64, "a block quote takes no !accept (it has no text of the author's)"),
    ]


def test_warnings_come_back_with_the_brief_placed_at_their_sentence(tmp_path: Path) -> None:
    loaded = _read(
        """
- In 2016 officials were confident [@cnn "Pentagon officials are confident"].

# Head

Fine. [!analysis] Carter looked ahead to 2017 and 2018
  in Tokyo [@cnn "Carter looks"].
""",
        tmp_path,
    )
    path = str(tmp_path / "brief.md")
    assert [w[:3] for w in loaded.warnings] == [(path, 11, 3), (path, 15, 19), (path, 15, 19)]
    messages = [w[3] for w in loaded.warnings]
    assert "'2016' occurs in none of the spans" in messages[0]
    assert 'write !accept "2016" in the group that ends the sentence' in messages[0]
    assert "'2017'" in messages[1] and "'2018'" in messages[2]
    # the same text with the numbers accepted has no warning
    accepted = _read(
        '\n- In 2016 officials were confident [@cnn "Pentagon officials are confident"; '
        '!accept "2016"].\n',
        tmp_path,
    )
    assert accepted.warnings == ()
    # warnings do not join the errors of a brief that has some
    problems = _problems(
        '\n- In 2016 officials were confident [@cnn "Pentagon officials are confident"].\n'
        "- Uncited.\n",
        tmp_path,
    )
    assert [(line, col) for line, col, _ in problems] == [(12, 3)]


def _flagged_brief(corpus: bk.Corpus) -> bk.Brief:
    cnn = corpus[CNN]
    strong = bk.Quote(cnn, 815, 832, partial=True, speaker="Ash Carter")
    return bk.Brief(
        title="Flags",
        key_points=[
            bk.sentence("He came. He saw. ", strong, ".", several=True),
            bk.sentence(
                "In 2016 it held.",
                cite=[cnn.paraphrase("Carter looks"), bk.Quote(cnn, 816, 834, partial=True)],
                accept_numbers=("2016", '20"17\\'),
                id="held",
            ),
        ],
        sections=[
            bk.section(
                "S",
                bk.paragraph(
                    bk.analysis("One. Two.", several=True),
                    bk.sentence("Carter said ", strong, " in 2016.", accept_numbers=["2016"]),
                ),
                bk.block_quote(bk.Quote(cnn, 816, 834, partial=True)),
            )
        ],
    )


def test_dumps_writes_every_flag_and_reads_back(tmp_path: Path, corpus: bk.Corpus) -> None:
    brief = _flagged_brief(corpus)
    text = mdbrief.dumps(brief, sources=str(ROOT / "seeds"), aliases={"cnn": CNN})
    body = text.split("---\n", 2)[2]
    assert body.splitlines()[1:3] == [
        '- He came. He saw. {@cnn "never been strong" partial speaker="Ash Carter"}. [!several]',
        '- In 2016 it held. [@cnn "Carter looks"; @cnn quote "ever been stronger" '
        'partial; !accept "2016" "20\\"17\\\\"; #held]',
    ]
    assert "One. Two. [!analysis; !several]\n" in body
    assert ' in 2016. [!accept "2016"]\n' in body
    assert '> {@cnn "ever been stronger" partial}\n' in body
    loaded = mdbrief.loads(text, base=tmp_path)
    assert loaded.brief == brief
    assert loaded.warnings == ()


def test_dumps_refuses_an_accepted_number_without_a_digit(corpus: bk.Corpus) -> None:
    brief = bk.Brief(
        title="T",
        key_points=[
            bk.sentence("A.", cite=corpus[CNN].paraphrase("Carter looks"), accept_numbers=["x"])
        ],
    )
    with pytest.raises(bk.ValidationError, match="accepted number 'x' has no digit"):
        mdbrief.dumps(brief, sources=".")


def test_the_module_docstrings_example_reads(corpus: bk.Corpus) -> None:
    text = textwrap.dedent(mdbrief.__doc__.split("::\n", 1)[1].split("\n:func:", 1)[0])
    loaded = mdbrief.loads(text.strip() + "\n", base=EXAMPLE.parent)
    assert loaded.warnings == ()
    said = loaded.brief.sections[0].blocks[0].sentences  # type: ignore[union-attr]
    assert said[2].several and said[2].accept_numbers == ("2016",)
    assert said[3].parts[1] == bk.Quote(corpus[CNN], 815, 832, partial=True)


def test_the_example_has_no_warnings() -> None:
    assert mdbrief.load(EXAMPLE).warnings == ()


def test_a_source_name_too_long_for_the_file_system_is_a_located_problem(tmp_path: Path) -> None:
    name = "x." + "1" * 3000 + "-" + "2" * 3000 + "txt"  # each part a valid id, too long a name
    path = tmp_path / "b.md"
    front = f"---\ntitle: T\nsources:\n  root: {ROOT / 'seeds'}\n  a: {name}\n---\n"
    path.write_text(front + "\n- A. [!analysis]\n", encoding="utf-8")
    with pytest.raises(bk.BriefSyntaxError) as info:
        mdbrief.load(path)
    ((_path, line, _col, message),) = info.value.problems
    assert line == 3 and message.startswith("sources: cannot read ") and len(message) < 200
