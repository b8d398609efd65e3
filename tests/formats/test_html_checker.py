"""The HTML checker accounts for every character a reader of the page sees.

A fresh page verifies with no problem at all; every way of adding, hiding, moving or changing
what the page shows is reported with a stable code and the sentence (and note) it concerns.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit import manifest as _manifest
from briefkit import mdbrief
from briefkit.formats.html.checker import check
from briefkit.formats.html.reader import MANIFEST_ID, read_html
from briefkit.problems import Problem
from briefkit.testing import briefs, source_bytes
from briefs import EXAMPLE, alliance_brief

URL = "https://example.org/report"


@pytest.fixture
def written(tmp_path: Path, seeds: Path) -> tuple[Path, Path]:
    """The shared brief as an HTML page, over a copy of the seed corpus."""
    sources = tmp_path / "sources"
    shutil.copytree(seeds, sources)
    page = bk.export(alliance_brief(bk.Corpus.from_dir(sources)), tmp_path / "brief.html")
    return page, sources


def _edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence (the visible one: the manifest comes last)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(path: Path, sources: Path) -> tuple[Problem, ...]:
    report = bk.verify(path, sources=sources)
    assert not report.ok
    assert all(c.ok for c in report.citations)  # the sources are fine: the page is not
    return report.problems


def _one(problems: tuple[Problem, ...], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert found, (code, [str(p) for p in problems])
    return found[0]


# -- fresh pages -------------------------------------------------------------------------------


def test_a_fresh_page_verifies_with_no_problem(written: tuple[Path, Path]) -> None:
    page, sources = written
    report = bk.verify(page, sources=sources)
    assert report.problems == (), [str(p) for p in report.problems]
    assert report.ok and len(report.citations) == 5


def test_the_example_brief_adds_no_problem_in_html(tmp_path: Path, seeds: Path) -> None:
    brief = mdbrief.load(EXAMPLE).brief
    page = bk.export(brief, tmp_path / "brief.html")
    data = bk.export(brief, tmp_path / "brief.json")
    assert check(page).problems == ()
    # what the page adds to the manifest's own checks: nothing
    report = bk.verify(page, sources=seeds)
    assert report.problems == bk.verify(data, sources=seeds).problems
    assert report.errors == ()


def _web_brief(tmp_path: Path) -> tuple[bk.Brief, Path]:
    sources = tmp_path / "web"
    sources.mkdir()
    raw = b"Some 50,000 troops & more are stationed here.\nLine two."
    (sources / "web.txt").write_bytes(raw)
    meta = bk.SourceMeta(title="Web report", url=URL, container_title="Wire", issued="2016-12")
    src = bk.Source.from_bytes("web.txt", raw, meta=meta)
    brief = bk.Brief(
        title="Web\nbrief",
        author="A <b> & B",
        date="2017-02-03",
        key_points=[bk.sentence(src.quote("50,000 troops & more"), ".")],
        sections=[
            bk.section(
                "Deep",
                bk.section("Deeper", bk.paragraph(bk.analysis("Mine, \x0b own."))),
                bk.section("Other", bk.bullets(bk.analysis("Listed."))),
            )
        ],
        sources_appendix=True,
    )
    return brief, sources


def test_a_page_with_source_links_verifies(tmp_path: Path) -> None:
    brief, sources = _web_brief(tmp_path)
    page = bk.export(brief, tmp_path / "brief.html")
    assert "source-link" in page.read_text(encoding="utf-8").split("</style>")[1]
    report = bk.verify(page, sources=sources)
    assert report.problems == (), [str(p) for p in report.problems]


def test_the_source_links_are_checked(tmp_path: Path) -> None:
    brief, sources = _web_brief(tmp_path)
    page = bk.export(brief, tmp_path / "brief.html")
    original = page.read_text(encoding="utf-8")
    _edit(
        page,
        'class="source-link" href="https://example.org/report#',
        'class="source-link" href="https://example.org/other#',
    )
    problem = _one(_problems(page, sources), "link-differs")
    assert (problem.sentence, problem.note) == ("s1", 1)
    page.write_text(original, encoding="utf-8")
    _edit(page, f'<a href="{URL}">{URL}</a>', f'<a href="https://evil.example/">{URL}</a>')
    assert "sources appendix links to" in str(_one(_problems(page, sources), "link-differs"))


@contextmanager
def _workspace(files: dict[str, bytes]) -> Iterator[tuple[Path, bk.Corpus]]:
    with tempfile.TemporaryDirectory(prefix="briefkit-html-") as tmp:
        root = Path(tmp) / "sources"
        for sid, raw in files.items():
            path = root.joinpath(*sid.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
        yield root, bk.Corpus.from_dir(root)


_files = st.dictionaries(
    st.sampled_from(["a.txt", "b.md", "sub/c.txt"]), source_bytes(0, 60), min_size=1, max_size=3
)


@settings(max_examples=30, deadline=None)
@given(files=_files, data=st.data())
def test_every_fresh_page_of_a_random_brief_has_no_problem(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with _workspace(files) as (root, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        page = bk.export(brief, root.parent / "brief.html")
        assert check(page).problems == ()
        assert bk.verify(page, sources=root).errors == ()


# -- text added ----------------------------------------------------------------------------------


def test_a_sentence_added_between_two_sentences(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(
        page,
        '</sup></span> <strong class="label">',
        '</sup></span> A new claim. <strong class="label">',
    )
    (problem,) = _problems(page, sources)
    assert problem.code == "unlinked-text" and problem.sentence == "s2"
    assert (
        str(problem)
        == "unlinked text after sentence s2, before sentence s3, in the page: 'A new claim.'"
    )


def test_a_sentence_added_as_a_span_of_its_own(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(
        page,
        "</sup></span> <strong",
        '</sup></span> <span class="sentence" id="s-s9">New.</span> <strong',
    )
    problem = _one(_problems(page, sources), "unlinked-text")
    assert "after sentence s2" in str(problem) and "'New.'" in str(problem)


def test_text_added_inside_a_sentence(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, "Reassurance was the theme.", "Reassurance was, as planned, the theme.")
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence) == ("sentence-differs", "s3")
    assert "insert ', as planned,'" in str(problem) or "as planned" in str(problem)


def test_a_paragraph_of_its_own(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, "</p>\n<figure", "</p>\n<p>Japan will pay double.</p>\n<figure")
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence) == ("unlinked-text", "s3")
    assert "after sentence s3" in str(problem) and "Japan will pay double." in str(problem)


def test_a_list_item_of_its_own(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, "</li>\n</ul>", "</li>\n<li>Troops will leave.</li>\n</ul>")
    (problem,) = _problems(page, sources)
    assert problem.code == "unlinked-text"
    assert "after sentence s1" in str(problem) and "Troops will leave." in str(problem)


def test_text_added_at_the_start_and_at_the_end(written: tuple[Path, Path]) -> None:
    page, sources = written
    original = page.read_text(encoding="utf-8")
    _edit(page, "<main>\n", "<main>\nBreaking:\n")
    (problem,) = _problems(page, sources)
    assert problem.code == "unlinked-text"
    assert (
        str(problem)
        == "unlinked text after the start, before the title 'Alliance', in the page: 'Breaking:'"
    )
    page.write_text(original, encoding="utf-8")
    _edit(page, "</section>\n</main>", "</section>\n<p>Final word.</p>\n</main>")
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence, problem.note) == ("unlinked-text", "s5", 4)
    assert "Final word." in str(problem)


def test_text_added_in_the_notes(written: tuple[Path, Path]) -> None:
    page, sources = written
    original = page.read_text(encoding="utf-8")
    _edit(
        page,
        '</figure>\n</li>\n<li id="fn-3" ',
        '</figure>\n<p>Also confirmed.</p>\n</li>\n<li id="fn-3" ',
    )
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence, problem.note) == ("unlinked-text", "s2", 2)
    assert "after excerpt 1 of note 2" in str(problem)
    page.write_text(original, encoding="utf-8")
    _edit(page, 'reference">↩</a>', 'reference">↩</a> (see also page 3)')
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.note) == ("unlinked-text", 1)
    assert "after note 1" in str(problem)


def test_text_outside_main(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, "</main>\n", "</main>\nPostscript.\n")
    problem = _one(_problems(page, sources), "unlinked-text")
    assert "'Postscript.'" in str(problem) and problem.sentence is None


# -- text hidden or changed by markup ------------------------------------------------------------

_S3 = '<span class="sentence analysis" id="s-s3">'


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (_S3, '<span class="sentence analysis" id="s-s3" style="display:none">'),
        (_S3, '<span class="sentence analysis" id="s-s3" hidden>'),
        (_S3, '<span class="sentence analysis" id="s-s3" style="color:#fff;background:#fff">'),
        (_S3, '<span class="sentence analysis" id="s-s3" style="font-size:0">'),
        (_S3, '<span class="sentence analysis" id="s-s3" aria-hidden="true">'),
        (_S3, '<span class="sentence analysis x" id="s-s3">'),
        (_S3, '<span class="sentence analysis" id="s-s3" dir="rtl">'),
        ("Reassurance was the", "Reassurance <span>was</span> the"),
        ("Reassurance was the", "Reassurance <!-- was --> the"),
        ("Reassurance was the", "Reassurance was</br> the"),
        ("Reassurance was the", 'Reassurance <span class="quoted"/>was the'),
        ("Reassurance was the", "Reassurance <br class=x>was the"),
    ],
)
def test_markup_on_a_sentence_is_reported(written: tuple[Path, Path], old: str, new: str) -> None:
    page, sources = written
    _edit(page, old, new)
    problem = _one(_problems(page, sources), "foreign-markup")
    assert problem.sentence == "s3", str(problem)
    assert "in sentence s3" in str(problem)


def test_a_style_rule_hiding_a_sentence(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, "</style>", "#s-s3{display:none}\n</style>")
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence) == ("foreign-markup", "s3")
    assert "style sheet is not briefkit's (it names sentence s3)" in str(problem)


@pytest.mark.parametrize(
    ("old", "new", "sentence"),
    [
        ("</head>", '<link rel="stylesheet" href="x.css">\n</head>', None),
        ("</head>", "<style>.sentence{display:none}</style>\n</head>", None),
        ("<p><span", '<p style="display:none"><span', "s2"),
        ("<p><span", "<template><p><span", "s2"),
        ("</main>", "</main>\n<script>document.body.hidden=true</script>", None),
        ("</main>", '</main>\n<iframe src="x.html"></iframe>', None),
        ("<main>", "<main>\n<object data=x></object>", None),
        ('<h2 id="sec-1">', '<h2 id="sec-1" class="sentence">', None),
        ("<!DOCTYPE html>\n", "", None),
        ("</head>", '<meta http-equiv="refresh" content="0; url=x.html">\n</head>', None),
        ("<main>", '<main>\n<script type="application/json" id="x"></script>', None),
        ('"generator":"briefkit', '"generator":"<!--<script>briefkit', None),
        ('<html lang="en-US">', '<html lang="en-US"><body></body>', None),
        ('<html lang="en-US">', '<html lang="en US">', None),
        ('787-834"><p>', '787-834"><p><span class="label">x</span>', "s2"),
        ('<li id="fn-2" data-cites', '<li id="fn-2" title="x" data-cites', None),
        ('<ul class="bibliography">', '<ul class="bibliography" hidden>', None),
        ('<ul class="bibliography">\n<li>', '<ul class="bibliography">\n<li class="x">', None),
        ('href="#fnref-2" class="backlink"', 'href="#fnref-1" class="backlink"', "s2"),
    ],
)
def test_markup_briefkit_does_not_write_is_reported(
    written: tuple[Path, Path], old: str, new: str, sentence: str | None
) -> None:
    page, sources = written
    _edit(page, old, new)
    problem = _one(_problems(page, sources), "foreign-markup")
    if sentence is not None:
        assert problem.sentence == sentence, str(problem)


def test_a_mark_with_another_id_is_reported(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, 'id="fnref-2"', 'id="fnref-7"')
    problem = _one(_problems(page, sources), "mark-differs")
    assert (problem.sentence, problem.note) == ("s2", 2)
    assert "has the id 'fnref-7'" in str(problem)


def test_the_data_block_stands_after_main(written: tuple[Path, Path]) -> None:
    page, sources = written
    text = page.read_text(encoding="utf-8")
    block = re.search(r"<script .*?</script>\n", text, re.S)
    assert block is not None
    moved = text.replace(block.group(), "", 1).replace("<body>\n", "<body>\n" + block.group(), 1)
    page.write_text(moved, encoding="utf-8")
    (problem,) = _problems(page, sources)
    assert problem.code == "foreign-markup" and "stands before <main>" in str(problem)


def test_an_unclosed_element_is_reported(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, "the theme.</span>", "the theme.")
    problem = _one(_problems(page, sources), "foreign-markup")
    assert "<span> is not closed before </p>" in str(problem) and problem.sentence == "s3"


# -- moved, removed, relabelled ------------------------------------------------------------------


def test_reordered_sentences(written: tuple[Path, Path]) -> None:
    page, sources = written
    text = page.read_text(encoding="utf-8")
    para = re.search(
        r'<p>(<span class="sentence" id="s-s2">.*?</sup></span>) (<strong.*?</span>)</p>', text
    )
    assert para is not None
    swapped = f"<p>{para.group(2)} {para.group(1)}</p>"
    page.write_text(text.replace(para.group(), swapped, 1), encoding="utf-8")
    problem = _one(_problems(page, sources), "sentence-order")
    assert problem.sentence == "s3"
    assert "sentence s3 stands where the manifest has sentence s2" in str(problem)


def test_a_sentence_moved_into_another_kind_of_block(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, '<ul class="key-points">\n<li>', "<p>")
    _edit(page, '</li>\n</ul>\n<h2 id="sec-1">', '</p>\n<h2 id="sec-1">')
    problem = _one(_problems(page, sources), "sentence-block")
    assert problem.sentence == "s1" and "stands in a paragraph" in str(problem)


def test_the_analysis_label_removed_or_added(written: tuple[Path, Path]) -> None:
    page, sources = written
    original = page.read_text(encoding="utf-8")
    _edit(page, '<strong class="label">Analysis:</strong> ', "")
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence) == ("label-missing", "s3")
    page.write_text(original, encoding="utf-8")
    _edit(
        page,
        '<p><span class="sentence" id="s-s2">',
        '<p><strong class="label">Analysis:</strong> <span class="sentence" id="s-s2">',
    )
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence) == ("label-extra", "s2")
    page.write_text(original, encoding="utf-8")
    _edit(
        page,
        '<p><span class="sentence" id="s-s2">',
        '<p>Analysis: <span class="sentence" id="s-s2">',
    )
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence) == ("unlinked-text", "s2")


def test_a_moved_note_mark(written: tuple[Path, Path]) -> None:
    page, sources = written
    text = page.read_text(encoding="utf-8")
    mark = re.search(r'<sup class="noteref"><a href="#fn-2".*?</sup>', text)
    assert mark is not None
    # inside its own sentence, but not at its end
    page.write_text(
        text.replace(mark.group(), "", 1).replace(
            "Ash Carter said,", "Ash Carter" + mark.group() + " said,", 1
        ),
        encoding="utf-8",
    )
    problem = _one(_problems(page, sources), "differs")
    assert problem.sentence == "s2"


# -- notes and excerpts --------------------------------------------------------------------------


def test_an_edited_note(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, "alliance,” line 18", "alliance,” line 81")
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence, problem.note) == ("note-differs", "s2", 2)


def test_an_edited_excerpt_and_caption(written: tuple[Path, Path]) -> None:
    page, sources = written
    original = page.read_text(encoding="utf-8")
    _edit(
        page,
        '<blockquote class="exact">Our alliance with Japan has never been stronger',
        '<blockquote class="exact">Our alliance with Japan has never been weaker',
    )
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence, problem.note) == ("excerpt-differs", "s2", 2)
    assert "replace 'stronger' -> 'weaker'" in str(problem)
    page.write_text(original, encoding="utf-8")
    _edit(page, "<figcaption>Cited text</figcaption>", "<figcaption>Cited text!</figcaption>")
    (problem,) = _problems(page, sources)
    assert (problem.code, problem.sentence, problem.note) == ("caption-differs", "s1", 1)
    page.write_text(original, encoding="utf-8")
    figure = re.search(r'<figure class="excerpt">.*?</figure>\n(</li>\n<li id="fn-2")', original)
    assert figure is not None
    page.write_text(original.replace(figure.group(), figure.group(1), 1), encoding="utf-8")
    problem = _one(_problems(page, sources), "excerpt-missing")
    assert (problem.sentence, problem.note) == ("s1", 1)


def test_a_heading_changed_in_level_or_text(written: tuple[Path, Path]) -> None:
    page, sources = written
    original = page.read_text(encoding="utf-8")
    _edit(page, '<h3 id="sec-1-1">Numbers</h3>', '<h2 id="sec-1-1">Numbers</h2>')
    (problem,) = _problems(page, sources)
    assert problem.code == "heading-level" and "'Numbers' is an <h2>" in str(problem)
    page.write_text(original, encoding="utf-8")
    _edit(page, ">Numbers</h3>", ">Figures</h3>")
    problem = _one(_problems(page, sources), "differs")
    assert "the heading 'Numbers'" in str(problem) and "replace 'Numbers' -> 'Figures'" in str(
        problem
    )


@pytest.mark.parametrize(
    ("old", "new", "label", "where"),
    [
        ("<h1>Alliance</h1>", "<h1>Alliance in crisis</h1>", "the title 'Alliance'", "the page"),
        (
            'class="subtitle">Sub</p>',
            'class="subtitle">Sub, approved</p>',
            "the subtitle 'Sub'",
            "the page",
        ),
        ("Analyst</span>", "Analyst, retired</span>", "the byline 'Analyst", "the page"),
        (
            "<title>Alliance</title>",
            "<title>Alliance in crisis</title>",
            "the title",
            "the page title (<title>)",
        ),
        (
            "December 5, 2016.</li>",
            "December 6, 2016.</li>",
            "the entry '“Carter looks",
            "the page",
        ),
        ("Alliance ‘100%.’”</li>", "Alliance ‘10%.’”</li>", "the entry '“US Backs", "the page"),
        (
            '<h2 id="bibliography">Bibliography</h2>',
            '<h2 id="bibliography">Works</h2>',
            "the heading 'Bibliography'",
            "the page",
        ),
        (
            '<h2 id="notes">Notes</h2>',
            '<h2 id="notes">Comments</h2>',
            "the heading 'Notes'",
            "the page",
        ),
        (
            'aria-label="Back to note 1 reference">↩',
            'aria-label="Back to note 1 reference">↑',
            "note 1",
            "the page",
        ),
    ],
)
def test_furniture_edited(
    written: tuple[Path, Path], old: str, new: str, label: str, where: str
) -> None:
    page, sources = written
    _edit(page, old, new)
    problems = [p for p in _problems(page, sources) if p.code in {"differs", "unlinked-text"}]
    assert problems, "not reported"
    first = str(problems[0])
    assert first.startswith((label, f"unlinked text after {label}")), first
    assert f"in {where}: " in first or f": {where} does not show it" in first, first


@pytest.mark.parametrize(
    ("old", "new", "label"),
    [
        ("cited 3 times", "cited 9 times", "the source '1. Carter looks"),
        ("Alliance “100%”</cite>", "Alliance “10%”</cite>", "the source '2. US Backs"),
        ('<h2 id="sources">Sources</h2>', '<h2 id="sources">Provenance</h2>', "the heading"),
    ],
)
def test_the_sources_appendix_edited(
    tmp_path: Path, seeds: Path, old: str, new: str, label: str
) -> None:
    brief = attrs.evolve(alliance_brief(bk.Corpus.from_dir(seeds)), sources_appendix=True)
    page = bk.export(brief, tmp_path / "brief.html")
    assert check(page).problems == ()
    _edit(page, old, new)
    problems = [p for p in _problems(page, seeds) if p.code in {"differs", "unlinked-text"}]
    assert problems and str(problems[0]).startswith(label), problems


def test_an_attribution_edited(written: tuple[Path, Path]) -> None:
    page, sources = written
    text = page.read_text(encoding="utf-8")
    assert "<figcaption>—" not in text  # the shared brief's block quote has no speaker
    with_speaker = bk.Brief(
        title="T",
        sections=[
            bk.section(
                "S",
                bk.block_quote(
                    bk.Corpus.from_dir(sources)["002_a5ab00941732d00c.txt"].quote(
                        "Some 47,000 US troops", speaker="AFP"
                    )
                ),
            )
        ],
    )
    bk.export(with_speaker, page)
    assert not check(page).problems
    _edit(page, "<figcaption>— AFP</figcaption>", "<figcaption>— Reuters</figcaption>")
    problem = _one(_problems(page, sources), "differs")
    assert str(problem).startswith("the attribution '— AFP': the page does not show it")
    assert problem.sentence == "s1"


# -- the manifest edited to match ----------------------------------------------------------------


def _embedded(page: Path) -> bk.manifest.Manifest:
    found = read_html(page).manifest
    assert found is not None
    return found


def _reembed(page: Path, edited: _manifest.Manifest) -> None:
    """Put ``edited`` in the page's data block, escaped as the writer escapes it."""
    text = page.read_text(encoding="utf-8")
    block = re.search(
        rf'(<script type="application/json" id="{MANIFEST_ID}">)(.*?)(</script>)', text, re.S
    )
    assert block is not None
    data = _manifest.dumps(edited).decode("utf-8")
    safe = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    json.loads(safe)  # still JSON
    page.write_text(text[: block.start(2)] + safe + text[block.end(2) :], encoding="utf-8")


def test_a_quotation_edited_in_the_page_and_in_its_manifest(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(
        page,
        "“Our alliance with Japan has never been stronger”",
        "“Our alliance with Japan has never been weaker”",
    )
    manifest = _embedded(page)
    sentences = []
    for sent in manifest.sentences:
        if sent.id == "s2":
            parts = tuple(
                attrs.evolve(p, text=p.text.replace("stronger", "weaker")) for p in sent.parts
            )
            sent = attrs.evolve(sent, text=sent.text.replace("stronger", "weaker"), parts=parts)
        sentences.append(sent)
    _reembed(page, attrs.evolve(manifest, sentences=tuple(sentences)))
    assert check(page).problems == ()  # the page shows what its (edited) manifest says
    report = bk.verify(page, sources=sources)
    assert not report.ok
    assert all(c.ok for c in report.citations)
    assert any(
        p.sentence == "s2" and p.code in {"quote-shown", "misquote"} for p in report.problems
    )


def test_the_reader_survives_odd_markup_and_names_it() -> None:
    odd = b"<![if x]><!x><?php ?>&#xffffff;</a></b><<>><div><span id=s-a>t<br/>u</div></span>"
    contents = read_html(odd)
    assert contents.sentences == {"a": "t\nu"}
    found = " | ".join(f.what for f in contents.foreign)
    for what in ("<![if x]>", "a comment", "<?php ?>", "</a> closes no", "<div>", "no <main>"):
        assert what in found


# -- the citations each note carries out of sight (data-cites) -------------------------------------

_CNN = "000_28b258b49d188a62.txt"
_AFP = "002_a5ab00941732d00c.txt"
_NOTE_1 = f'<li id="fn-1" data-cites="{_CNN}:493-532 {_AFP}:1535-1579">'


def test_each_note_carries_its_citations_in_data_cites(written: tuple[Path, Path]) -> None:
    page, _ = written
    contents = read_html(page)
    assert contents.note_cites == {
        1: f"{_CNN}:493-532 {_AFP}:1535-1579",
        2: f"{_CNN}:787-834",
        3: f"{_AFP}:687-882",
        4: f"{_CNN}:493-532",
    }
    assert _NOTE_1 in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "note", "words"),
    [
        pytest.param(f"{_CNN}:787-834", f"{_CNN}:787-835", 2,
                     (f"'{_CNN}:787-834' reads '{_CNN}:787-835'",), id="offset-changed"),
        pytest.param(f"{_CNN}:787-834", f"{_AFP}:787-834", 2,
                     (f"'{_CNN}:787-834' reads '{_AFP}:787-834'",), id="source-changed"),
        pytest.param(_NOTE_1, f'<li id="fn-1" data-cites="{_CNN}:493-532">', 1,
                     (f"'{_AFP}:1535-1579' missing",), id="one-dropped"),
        pytest.param(_NOTE_1, f'<li id="fn-1" data-cites="{_AFP}:1535-1579 {_CNN}:493-532">', 1,
                     ("another order",), id="reordered"),
        pytest.param(_NOTE_1, f'<li id="fn-1" data-cites="{_CNN}:493-532 {_AFP}:1535-1579 '
                     f'{_AFP}:1-2">', 1, (f"'{_AFP}:1-2' not the sentence's",), id="one-added"),
        pytest.param(_NOTE_1, '<li id="fn-1" data-cites="">', 1, ("missing",), id="emptied"),
        pytest.param(_NOTE_1, '<li id="fn-1">', 1, ("is gone",), id="attribute-removed"),
        pytest.param(_NOTE_1, f'<li id="fn-1" data-cites="{_CNN}:493-532,{_AFP}:1535-1579">', 1,
                     ("not the sentence's",), id="garbled"),
    ],
)  # fmt: skip
def test_a_tampered_data_cites_is_caught(
    written: tuple[Path, Path], old: str, new: str, note: int, words: tuple[str, ...]
) -> None:
    page, sources = written
    _edit(page, old, new)
    (problem,) = _problems(page, sources)  # what the page shows is unchanged
    # notes 1 and 2 are the notes of sentences s1 and s2
    assert (problem.code, problem.note, problem.sentence) == ("note-cites", note, f"s{note}")
    assert str(problem).startswith(f"note {note} (sentence s{note}): its data-cites attribute")
    for word in words:
        assert word in str(problem), str(problem)


def test_a_language_the_manifest_does_not_record_is_reported(written: tuple[Path, Path]) -> None:
    page, sources = written
    _edit(page, '<html lang="en-US">', '<html lang="de-DE">')
    (problem,) = _problems(page, sources)
    assert problem.code == "page-language" and "'de-DE'" in str(problem)


def test_a_german_page_is_checked_with_german_labels(tmp_path: Path, seeds: Path) -> None:
    brief = attrs.evolve(alliance_brief(bk.Corpus.from_dir(seeds)), lang="de-DE")
    page = bk.export(brief, tmp_path / "brief.html")
    assert check(page).problems == ()
    contents = read_html(page)
    assert contents.labelled == {"s3"} and contents.labels == {"s3": "Analyse:"}
    _edit(
        page, '<strong class="label">Analyse:</strong>', '<strong class="label">Analysis:</strong>'
    )
    found = check(page).problems
    assert {(p.code, p.sentence) for p in found} == {
        ("label-missing", "s3"),
        ("unlinked-text", "s2"),
    }
    assert "the 'Analyse' label is missing" in str(_one(found, "label-missing"))
