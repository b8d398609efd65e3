from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import briefkit as bk
from briefkit.exporters.markdown import escape
from pandoc_json import inline_text
from pandoc_json import notes as pandoc_notes

HOSTILE = (
    "Title <b>bold</b> <a href='javascript:x'>x</a> <img src=x onerror=alert(1)> &amp; "
    "*star* _under_ [link](http://x) `code` # not heading @cite $x$ ~sub~ ^sup^ -- ... "
    "\"straight\" 'single' \x0b vt\r\nnext line\r- dash\n1. one\n日本 😀 שלום"
)


@pytest.fixture
def hostile_brief() -> bk.Brief:
    src = bk.Source.from_text("hostile.txt", HOSTILE)
    q = src.quote(HOSTILE)
    return bk.Brief(
        title="<h1>Brief</h1> & *more*",
        subtitle="sub [x]",
        key_points=[bk.sentence("Key ", q, ".")],
        sections=[bk.section("# Heading <i>", bk.paragraph(bk.analysis("Plain *analysis* <br>.")))],
    )


def test_escape_neutralises_markup_and_smart_punctuation() -> None:
    out = escape("<b>&amp;</b> *x* -- ... 'q' @a $m$")
    assert out == r"\<b\>\&amp;\</b\> \*x\* \-- \.\.\. \'q\' \@a \$m\$"


def test_newlines_become_hard_breaks_and_line_starts_are_safe() -> None:
    assert escape("a\r\n- b\r1. c\x0bd") == "a\\\n\\- b\\\n1\\. c\\\nd"


def test_control_characters_are_shown_one_for_one() -> None:
    assert escape("a\x00b\x1fc") == "a␀b␟c"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_real_notes_and_the_same_text(
    hostile_brief: bk.Brief, corpus: bk.Corpus
) -> None:
    md = bk.render(hostile_brief, "md")
    out = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"], input=md, capture_output=True, check=True
    )
    doc = json.loads(out.stdout)
    notes = pandoc_notes(doc["blocks"])
    plan = bk.plan(hostile_brief)
    assert len(notes) == len(plan.notes) == 1
    note_text = inline_text(notes[0][0]["c"])
    assert note_text == plan.notes[0].text
    # the key point: every character of the hostile quote survives as text (no markup)
    bullets = next(b for b in doc["blocks"] if b["t"] == "BulletList")
    para = bullets["c"][0][0]["c"]  # item -> Plain -> inlines
    text = inline_text(para)
    expected = bk.text.display(plan.sentences[0].text).replace("\r\n", "\n").replace("\r", "\n")
    expected = expected.replace("␋", "\n")  # a vertical tab is a line break too
    assert " ".join(text.split()) == " ".join(expected.split())
    assert "<RawInline>" not in text and "<Link>" not in text and "<Image>" not in text


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_finds_one_note_per_cited_sentence(corpus: bk.Corpus) -> None:
    cnn = corpus["000_28b258b49d188a62.txt"]
    q = cnn.quote("Our alliance with Japan has never been stronger", speaker="Ash Carter")
    f = cnn.figure("50,000", within="US has 50,000 troops stationed in Japan")
    brief = bk.Brief(
        title="T",
        key_points=[bk.sentence(q, "."), bk.sentence("Troops: ", f, ".")],
        sections=[bk.section("S", bk.paragraph(bk.sentence(f, " again."), bk.analysis("Mine.")))],
    )
    out = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"],
        input=bk.render(brief, "md"),
        capture_output=True,
        check=True,
    )
    notes = pandoc_notes(json.loads(out.stdout)["blocks"])
    plan = bk.plan(brief)
    assert [inline_text(n[0]["c"]) for n in notes] == [n.text for n in plan.notes]


def test_leading_blanks_never_make_a_code_block() -> None:
    assert escape("    indented\n\tx") == "&#32;&#32;&#32;&#32;indented\\\n&#9;x"


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_keeps_the_note_of_an_indented_sentence() -> None:
    src = bk.Source.from_text("a.txt", "    Indented claim.")
    brief = bk.Brief(
        title="T",
        key_points=[bk.sentence(src.quote(src.text))],
        sections=[
            bk.section(
                "S", bk.paragraph(bk.sentence("    Also indented.", cite=src.paraphrase(src.text)))
            )
        ],
    )
    out = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"],
        input=bk.render(brief, "md"),
        capture_output=True,
        check=True,
    )
    doc = json.loads(out.stdout)
    assert len(pandoc_notes(doc["blocks"])) == 2
    assert "CodeBlock" not in out.stdout.decode()
