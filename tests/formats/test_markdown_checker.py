"""Verify accounts for every visible character of an exported Markdown brief.

A fresh export verifies with no problem at all; every way of adding, hiding, moving or editing
text afterwards is reported with its code and the sentence (or note) it concerns. Where pandoc
is installed, each hiding trick is also shown to hide or change what a reader sees.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

import briefkit as bk
import briefkit.manifest
from briefkit import mdbrief
from briefkit.formats.markdown.checker import check as check_markdown
from briefkit.formats.markdown.reader import read_markdown
from briefkit.formats.markdown.writer import MANIFEST_COMMENT
from briefkit.testing import briefs
from briefs import EXAMPLE, alliance_brief
from property import corpus_files
from property.test_prop_export import workspace

PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")

S2 = "Ash Carter said, “Our alliance with Japan has never been stronger”.[^2]"
S3 = "*Analysis:* Reassurance was the theme."
COMMENT = f"\n\n{MANIFEST_COMMENT}"


@pytest.fixture(scope="module")
def fresh(seeds: Path) -> str:
    """The shared brief as exported Markdown (its sentences: s1 a key point; s2, s3 one
    paragraph, s3 analysis; s4 a block quote; s5 a list item)."""
    return bk.render(alliance_brief(bk.Corpus.from_dir(seeds)), "md").decode("utf-8")


def _verify(tmp_path: Path, text: str, sources: Path) -> bk.Report:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8", newline="")
    return bk.verify(path, sources=sources)


def _edit(md: str, old: str, new: str) -> str:
    """Replace the first occurrence of ``old``, which must stand before the manifest."""
    at = md.find(old)
    assert 0 <= at < md.index(MANIFEST_COMMENT), old
    return md[:at] + new + md[at + len(old) :]


def _pandoc(text: str, to: str = "plain") -> str:
    assert PANDOC is not None
    return subprocess.run(
        [PANDOC, "-f", "markdown", "-t", to, "--wrap=none"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


# -- fresh exports ----------------------------------------------------------------------------


def test_a_fresh_export_verifies_with_no_problem(fresh: str, tmp_path: Path, seeds: Path) -> None:
    report = _verify(tmp_path, fresh, seeds)
    assert report.problems == ()
    assert report.ok
    contents = read_markdown(fresh.encode("utf-8"))
    assert contents.findings == ()
    assert contents.marks == ("1", "2", "3", "4")


def test_the_example_brief_verifies_with_no_problem(tmp_path: Path) -> None:
    loaded = mdbrief.load(EXAMPLE)
    path = bk.export(loaded.brief, tmp_path / "example.md")
    report = bk.verify(path, sources=loaded.sources)
    assert report.problems == ()
    assert report.ok


@settings(max_examples=30, deadline=None)
@given(files=corpus_files, data=st.data())
def test_every_fresh_markdown_export_has_no_problem(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        path = bk.export(brief, out / "brief.md")
        assert check_markdown(path).problems == ()
        report = bk.verify(path, sources=root)
        assert report.errors == ()  # a warning about the brief itself may stand
        assert report.ok


def test_a_subtitle_that_starts_with_a_line_break_stays_emphasis(
    tmp_path: Path, seeds: Path
) -> None:
    # joined to one line, "\nSub" would start with a blank: "* Sub*" is a list item
    brief = attrs.evolve(alliance_brief(bk.Corpus.from_dir(seeds)), subtitle="\nSub")
    md = bk.render(brief, "md").decode("utf-8")
    assert "\n*&#32;Sub*\n" in md
    assert _verify(tmp_path, md, seeds).problems == ()
    if PANDOC is not None:
        assert "<em> Sub</em>" in _pandoc(md, "html")


# -- tampering ----------------------------------------------------------------------------------


class Tamper(NamedTuple):
    old: str
    new: str
    code: str
    sentence: str | None
    words: str = ""  # words the problem's message must contain
    more: tuple[tuple[str, str], ...] = ()  # further edits (old, new)


TAMPERING = {
    # text added
    "between-sentences": Tamper(
        "stronger”.[^2] ",
        "stronger”.[^2] A new claim. ",
        "unlinked-text",
        "s2",
        "after sentence s2",
    ),
    "inside-a-sentence": Tamper(
        "was the theme", "was, as all agreed, the theme", "differs", "s3", "as all agreed"
    ),
    "own-paragraph": Tamper(
        "\n\n> “I wanted",
        "\n\nA new claim.\n\n> “I wanted",
        "unlinked-text",
        "s3",
        "'A new claim.'",
    ),
    "own-list-item": Tamper(
        "(CNN).[^4]", "(CNN).[^4]\n- A new claim.", "unlinked-text", "s5", "'- A new claim.'"
    ),
    "key-point": Tamper(
        "47,000.[^1]", "47,000.[^1]\n- A new claim.", "unlinked-text", "s1", "A new claim"
    ),
    "at-the-start": Tamper(
        "# Alliance", "A new claim.\n\n# Alliance", "unlinked-text", None, "at the start"
    ),
    "at-the-end": Tamper(
        COMMENT, f"\n\nA new claim.{COMMENT}", "unlinked-text", None, "after the entry '“US Backs"
    ),
    "end-of-last-sentence": Tamper(
        "(CNN).[^4]", "(CNN).[^4] A new claim.", "unlinked-text", "s5", "A new claim"
    ),
    "after-the-title": Tamper(
        "# Alliance", "# Alliance and a new claim", "differs", None, "the title"
    ),
    "in-a-heading": Tamper(
        "## Tone", "## Tone of the talks", "differs", None, "the heading 'Tone'"
    ),
    "in-the-bibliography": Tamper(
        "CNN, December 5, 2016.\n",
        "CNN, December 5, 2016. A new claim.\n",
        "unlinked-text",
        None,
        "after the entry '“Carter looks",
    ),
    "bibliography-entry-edited": Tamper(
        "CNN, December 5, 2016.\n",
        "CNN, December 6, 2016.\n",
        "differs",
        None,
        "the entry '“Carter looks",
    ),
    "bibliography-heading-edited": Tamper(
        "## Bibliography", "## Bibliographies", "differs", None, "the heading 'Bibliography'"
    ),
    "lazy-line-after-a-note": Tamper(
        COMMENT, f"\nA new claim.{COMMENT}", "note-differs", "s5", "A new claim"
    ),
    # text hidden after writing
    "comment-between": Tamper(
        "stronger”.[^2] ",
        "stronger”.[^2] <!-- A new claim. --> ",
        "hidden-text",
        "s2",
        "<!-- A new claim. -->",
    ),
    "comment-around": Tamper(
        S3, f"<!-- {S3} -->", "hidden-text", "s3", "where sentence s3 should stand"
    ),
    "fenced-code": Tamper(f"{S2} {S3}", f"```\n{S2} {S3}\n```", "code", "s2", "fenced code block"),
    "indented-code": Tamper(f"{S2} {S3}", f"    {S2} {S3}", "code", "s2", "indented code block"),
    "unclosed-fence": Tamper(S2, f"```\n{S2}", "code", "s2", "backtick"),
    "hidden-span": Tamper(
        "stronger”.[^2] ",
        'stronger”.[^2] <span style="display:none">A new claim.</span> ',
        "raw-html",
        "s2",
        "display:none",
    ),
    "details": Tamper(
        "\n\n> “I wanted",
        "\n\n<details>\n\nA new claim.\n\n</details>\n\n> “I wanted",
        "raw-html",
        "s3",
        "<details>",
    ),
    "reference-definition": Tamper(
        "\n\n> “I wanted",
        '\n\n[x]: http://example.org "A new claim"\n\n> “I wanted',
        "hidden-text",
        "s3",
        "link reference definition",
    ),
    "unreferenced-note": Tamper(
        COMMENT, f"\n[^9]: A new claim.{COMMENT}", "hidden-text", None, "[^9]"
    ),
    "title-block": Tamper(
        "# Alliance", "% A new claim\n\n# Alliance", "hidden-text", None, "title block"
    ),
    "manifest-comment-ends-early": Tamper("", "(see _tampered)", "manifest-comment", None, "'--'"),
    # moved, relabelled, edited
    "sentences-reordered": Tamper(f"{S2} {S3}", f"{S3} {S2}", "order", "s2", "out of order"),
    "analysis-label-removed": Tamper(
        S3, S3.removeprefix("*Analysis:* "), "differs", "s3", "delete 'Analysis: '"
    ),
    "analysis-label-added": Tamper(S2, f"*Analysis:* {S2}", "unlinked-text", "s2", "'Analysis:'"),
    "note-edited": Tamper(
        "alliance,” line 18.", "alliance,” line 81.", "note-differs", "s2", "replace '18' -> '81'"
    ),
    "note-defined-twice": Tamper(
        COMMENT, "(note 2 again)", "duplicate-note", "s2", "defined 2 times"
    ),
    "mark-twice": Tamper("theme.", "theme.[^2]", "note-mark", "s2", "2 marks"),
    "extra-note": Tamper(
        "theme.",
        "theme.[^9]",
        "note-extra",
        None,
        "[^9]",
        more=((COMMENT, f"\n[^9]: A new claim.{COMMENT}"),),
    ),
    "mark-removed": Tamper("stronger”.[^2]", "stronger”.", "note-mark", None, "3 note marks"),
    # markup the writer never writes
    "setext-underline": Tamper(S3, f"{S3}\n===", "markup", "s3", "setext heading"),
    "emphasis": Tamper("the theme", "_the_ theme", "emphasis", "s3", "'the' in italics"),
    "stray-underscore": Tamper("the theme", "the_theme", "markup", "s3", "'_'"),
    "smart-quotes": Tamper("the theme", '"the" theme', "markup", "s3", "'\"'"),
    "character-reference": Tamper("the theme", "the&#32;&#8203;theme", "markup", "s3", "&#8203;"),
    "control-character": Tamper("the theme", "the\x01theme", "markup", "s3", "U+0001"),
    "closing-hashes": Tamper("## Tone", "## Tone ##", "markup", None, "'#'"),
    "nested-list": Tamper("- 50,000", "- - 50,000", "markup", "s5", "'-'"),
    "table-row": Tamper("\n\n> “I wanted", "\n\n| a | b |\n\n> “I wanted", "markup", "s3", "'|'"),
}


def _tampered(fresh: str, name: str) -> str:
    t = TAMPERING[name]
    if name == "manifest-comment-ends-early":
        return fresh.replace(
            '"generator":"briefkit 0.1.0"', '"generator":"x --> A new claim. <!-- y"', 1
        )
    if name == "note-defined-twice":  # the second definition, with the first one's text
        first = fresh[fresh.index("[^2]: ") :].split("\n", 1)[0]
        return _edit(fresh, t.old, f"\n{first}{COMMENT}")
    md = _edit(fresh, t.old, t.new)
    for old, new in t.more:
        md = _edit(md, old, new)
    return md


@pytest.mark.parametrize("name", list(TAMPERING))
def test_every_tampering_is_reported(name: str, fresh: str, tmp_path: Path, seeds: Path) -> None:
    t = TAMPERING[name]
    report = _verify(tmp_path, _tampered(fresh, name), seeds)
    assert not report.ok
    assert "all resolved" not in report.summary()
    assert all(c.ok for c in report.citations)  # the sources are fine: the document is not
    hits = [p for p in report.problems if p.code == t.code and p.sentence == t.sentence]
    assert hits, report.problems
    assert any(t.words in p.message for p in hits), hits


def test_a_reordered_note_list_is_reported(fresh: str, tmp_path: Path, seeds: Path) -> None:
    one = fresh[fresh.index("[^1]: ") :].split("\n", 1)[0] + "\n"
    two = fresh[fresh.index("[^2]: ") :].split("\n", 1)[0] + "\n"
    report = _verify(tmp_path, fresh.replace(one + two, two + one, 1), seeds)
    assert [p.code for p in report.problems] == ["note-order"]
    assert "defined in the order 2, 1, 3, 4" in report.problems[0].message


def test_a_removed_mark_leaves_its_note_unshown(fresh: str, tmp_path: Path, seeds: Path) -> None:
    report = _verify(tmp_path, _tampered(fresh, "mark-removed"), seeds)
    codes = {p.code for p in report.problems}
    assert codes == {"note-mark", "hidden-text", "differs"}, report.problems
    (hidden,) = [p for p in report.problems if p.code == "hidden-text"]
    assert (hidden.sentence, hidden.note) == ("s2", 2)
    assert hidden.message.startswith("note 2 (sentence s2) is defined at line")


def test_a_problem_says_where_it_is(fresh: str, tmp_path: Path, seeds: Path) -> None:
    report = _verify(tmp_path, _tampered(fresh, "between-sentences"), seeds)
    (problem,) = report.problems
    line = 1 + fresh[: fresh.index(S2)].count("\n")
    column = fresh.split("\n")[line - 1].index(S3) + 1
    assert problem.message == (
        f"unlinked text after sentence s2 in the file (line {line}, column {column}): "
        "'A new claim.'"
    )


def test_a_quotation_edited_in_the_body_and_the_manifest_is_caught(
    fresh: str, tmp_path: Path, seeds: Path
) -> None:
    body, _, _ = fresh.rpartition(COMMENT)
    manifest = read_markdown(fresh.encode("utf-8")).manifest
    assert manifest is not None
    s2 = manifest.sentences[1]
    quote = s2.parts[1]
    edited = attrs.evolve(
        s2,
        text=s2.text.replace("stronger", "weaker"),
        parts=(
            s2.parts[0],
            attrs.evolve(quote, text=quote.text.replace("stronger", "weaker")),
            *s2.parts[2:],
        ),
    )
    sentences = (manifest.sentences[0], edited, *manifest.sentences[2:])
    data = json.loads(bk.manifest.dumps(attrs.evolve(manifest, sentences=sentences)))
    line = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("--", "-\\u002d")
    text = body.replace("stronger”", "weaker”", 1) + f"{COMMENT}\n{line}\n-->\n"
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    checked = check_markdown(path)
    assert checked.problems == ()  # the body reads as the edited manifest says
    report = bk.verify(path, sources=seeds)
    assert not report.ok
    assert any(p.code == "quote-shown" and p.sentence == "s2" for p in report.problems)


# -- what pandoc shows --------------------------------------------------------------------------


def _hides(words: str) -> Callable[[str, str], None]:
    def check(fresh: str, tampered: str) -> None:
        assert words in _pandoc(fresh) or words not in fresh
        assert words not in _pandoc(tampered)

    return check


def _shows_raw(fresh: str, tampered: str) -> None:
    # in a code block the writer's markup and note marks show as they are written
    assert "*Analysis:*" not in _pandoc(fresh)
    shown = _pandoc(tampered)
    assert "*Analysis:*" in shown and "[^2]" in shown


def _passes_html(words: str) -> Callable[[str, str], None]:
    def check(fresh: str, tampered: str) -> None:
        assert words not in _pandoc(fresh, "html")
        assert words in _pandoc(tampered, "html")

    return check


def _shows_in_a_browser(fresh: str, tampered: str) -> None:
    def text(md: str) -> str:
        return "".join(map(str, lxml_html.document_fromstring(_pandoc(md, "html")).itertext()))

    assert "A new claim." not in text(fresh)
    assert "A new claim." in text(tampered)


def _makes_a_heading(fresh: str, tampered: str) -> None:
    def headings(md: str) -> list[str]:
        tree = lxml_html.document_fromstring(_pandoc(md, "html"))
        return ["".join(map(str, h.itertext())) for h in tree.iter("h1", "h2", "h3")]

    assert not any("Reassurance" in h for h in headings(fresh))
    assert any("Reassurance" in h for h in headings(tampered))


SHOWN: dict[str, Callable[[str, str], None]] = {
    "comment-between": _hides("A new claim"),
    "comment-around": _hides("Reassurance was the theme"),
    "fenced-code": _shows_raw,
    "indented-code": _shows_raw,
    "hidden-span": _passes_html('<span style="display:none">A new claim.</span>'),
    "details": _passes_html("<details>"),
    "reference-definition": _hides("A new claim"),
    "unreferenced-note": _hides("A new claim"),
    "title-block": _hides("A new claim"),
    "manifest-comment-ends-early": _shows_in_a_browser,
    "setext-underline": _makes_a_heading,
}


@needs_pandoc
@pytest.mark.parametrize("name", list(SHOWN))
def test_pandoc_hides_or_changes_what_the_trick_touches(name: str, fresh: str) -> None:
    SHOWN[name](fresh, _tampered(fresh, name))
