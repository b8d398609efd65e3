"""Briefs that cite PDF, HTML, DOCX and text sources: built to every format, verified, and
caught when a cited word in a source changes; and, for generated sources, every citation
resolves and names the right page or section."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit import mdbrief
from briefkit.notes import Locator
from briefkit.plan import NotePlan
from make_docx import make_docx
from make_html import make_html
from make_pdf import make_pdf

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "source-formats"
FORMATS = ("docx", "pdf", "html", "md", "json")


def _build(brief: bk.Brief, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    return {fmt: bk.export(brief, out / f"brief.{fmt}") for fmt in FORMATS}


def _verify(written: Path, sources: Path) -> bk.Report:
    manifest = written.with_suffix(".json") if written.suffix == ".md" else None
    return bk.verify(written, sources=sources, manifest=manifest)


# -- the example ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE, root / "ex")
    loaded = mdbrief.load(root / "ex" / "brief.md")
    return root / "ex" / "sources", _build(loaded.brief, root / "out")


def test_the_example_cites_every_kind_of_file(example: tuple[Path, dict[str, Path]]) -> None:
    _sources, written = example
    manifest = json.loads(written["json"].read_text(encoding="utf-8"))
    readers = {s["id"]: s["reader"]["name"] for s in manifest["sources"]}
    assert sorted(readers.values()) == ["docx", "html", "pdf", "text"]
    labels = {
        (c["source"], c["locator"]["label"]) for s in manifest["sentences"] for c in s["citations"]
    }
    assert {label for _, label in labels} == {"page", "paragraph", "line"}
    pages = {
        c["locator"]["first"]
        for s in manifest["sentences"]
        for c in s["citations"]
        if c["locator"]["label"] == "page"
    }
    assert pages == {"1", "2"}  # the report runs over two pages, cited on both
    pdf = next(s for s in manifest["sources"] if s["reader"]["name"] == "pdf")
    assert pdf["path"] == "U.S.-Japan Alliance report.pdf"
    assert [m[1] for m in pdf["locations"]["pages"]] == ["1", "2"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_example_verifies_in_every_format(
    example: tuple[Path, dict[str, Path]], fmt: str
) -> None:
    sources, written = example
    report = _verify(written[fmt], sources)
    assert report.ok, report.summary()
    assert len(report.sources) == 4


def test_notes_name_pages_paragraphs_and_lines(example: tuple[Path, dict[str, Path]]) -> None:
    _, written = example
    notes = [
        s["note_text"]
        for s in json.loads(written["json"].read_text(encoding="utf-8"))["sentences"]
        if s["note_text"]
    ]
    joined = " ".join(notes)
    assert "U.S.-Japan Alliance, 2." in joined  # a page of the PDF
    assert "paragraph 21" in joined  # the web page
    assert "line 18" in joined  # the text file
    assert "chars" not in joined and ".pdf" not in joined  # no machine data in print


# -- edits to a cited word ---------------------------------------------------------------------


def _folder(tmp_path: Path, word: str) -> Path:
    root = tmp_path / "sources"
    root.mkdir(parents=True, exist_ok=True)
    (root / "report.pdf").write_bytes(
        make_pdf([["Cover page."], [f"The budget grew by {word} percent in 2016."]])
    )
    (root / "page.html").write_bytes(
        make_html(
            [
                ("Costs", [f"Officials called the rise {word} and temporary."]),
                ("Outlook", ["Nothing more."]),
            ]
        )
    )
    (root / "memo.docx").write_bytes(
        make_docx(
            [
                ("heading1", "1. Scope"),
                ("para", "The memo covers bases."),
                ("heading1", "2. Money"),
                ("para", "Host support is steady."),
            ]
        )
    )
    (root / "wire.txt").write_text("Troops stay.\nCosts rise.\n", encoding="utf-8")
    return root


def _small_brief(root: Path) -> bk.Brief:
    corpus = bk.Corpus.from_dir(root)
    return bk.Brief(
        title="Edits",
        key_points=[
            bk.sentence(
                "The budget grew.",
                cite=corpus["report.pdf"].paraphrase("The budget grew by seven percent"),
            ),
            bk.sentence(
                "Officials played it down.",
                cite=corpus["page.html"].paraphrase("called the rise seven"),
            ),
            bk.sentence(
                "Host support holds.", cite=corpus["memo.docx"].paraphrase("Host support is steady")
            ),
            bk.sentence("Costs rise.", cite=corpus["wire.txt"].paraphrase("Costs rise.")),
        ],
    )


def test_locators_of_every_reader(tmp_path: Path) -> None:
    root = _folder(tmp_path, "seven")
    plan = NotePlan.build(_small_brief(root))
    locators = [c.locator for note in plan.notes for c in note.citations]
    assert locators == [
        Locator("page", "2"),
        Locator("section", "Costs"),
        Locator("section", "2"),
        Locator("line", "2"),
    ]


@pytest.mark.parametrize("edited", ["report.pdf", "page.html"])
def test_an_edited_cited_word_is_reported_changed(tmp_path: Path, edited: str) -> None:
    root = _folder(tmp_path, "seven")
    written = _build(_small_brief(root), tmp_path / "out")
    for path in written.values():
        assert _verify(path, root).ok
    fresh = _folder(tmp_path / "new", "eight")
    shutil.copyfile(fresh / edited, root / edited)
    for fmt, path in written.items():
        report = _verify(path, root)
        assert not report.ok, fmt
        by_source = {c.source: c for c in report.citations}
        assert by_source[edited].status == "changed", (fmt, by_source[edited])
        assert "eight" in by_source[edited].detail
        assert [s.status for s in report.sources if s.id == edited] == ["modified"]
        others = [c.status for c in report.citations if c.source != edited]
        assert others == ["ok", "ok", "ok"]


# -- property: generated sources -----------------------------------------------------------------

_WORD = st.text(alphabet="abcdefghijkmnopqrstuvwxyzéßΩ", min_size=2, max_size=7)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pages=st.lists(
        st.lists(st.lists(_WORD, min_size=1, max_size=5), min_size=1, max_size=3),
        min_size=1,
        max_size=3,
    ),
    kind=st.sampled_from(["pdf", "html", "docx"]),
)
def test_every_citation_of_a_generated_source_resolves_at_its_place(
    pages: list[list[list[str]]], kind: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("gen")
    # each paragraph carries a token naming its page (or section) and paragraph, in letters
    # (lines that differ in their digits only could be taken for a running header)
    names = ["Alpha", "Beta", "Gamma"]
    paras = [
        [f"t{'abc'[p]}x{'abcde'[k]} " + " ".join(words) + "." for k, words in enumerate(page)]
        for p, page in enumerate(pages)
    ]
    if kind == "pdf":
        data = make_pdf(paras)
    elif kind == "html":
        data = make_html(
            [(names[p], page) for p, page in enumerate(paras)], nav=False, footer=False
        )
    else:
        blocks = []
        for p, page in enumerate(paras):
            blocks.append(("heading1", names[p]))
            blocks += [("para", text) for text in page]
        data = make_docx(blocks)
    (root / f"doc.{kind}").write_bytes(data)
    corpus = bk.Corpus.from_dir(root)
    src = corpus[f"doc.{kind}"]
    sentences = []
    expected = []
    for p, page in enumerate(paras):
        for k, _ in enumerate(page):
            token = f"t{'abc'[p]}x{'abcde'[k]}"
            sentences.append(bk.sentence(src.quote(token), "."))
            if kind == "pdf":
                expected.append(Locator("page", str(p + 1)))
            elif len(paras) > 1:
                expected.append(Locator("section", names[p]))
            else:  # one heading only: paragraphs (the heading is paragraph 1)
                expected.append(Locator("paragraph", str(k + 2)))
    brief = bk.Brief(title="Generated", key_points=sentences)
    plan = NotePlan.build(brief)
    assert [c.locator for n in plan.notes for c in n.citations] == expected
    out = bk.export(brief, root / "brief.json")
    report = bk.verify(out, sources=root)
    assert report.ok, report.summary()
    assert len(report.citations) == len(expected)
