"""verify compares the body text a PDF shows with the manifest, sentence by sentence."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import briefkit as bk
from briefkit import mdbrief
from briefkit.formats.pdf.checker import _pdf_body_problems, _pdf_visible
from briefkit.formats.pdf.reader import PdfContents, read_pdf

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "us-japan-alliance" / "brief.md"


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> PdfContents:
    path = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    bk.export(mdbrief.load(EXAMPLE).brief, path)
    return read_pdf(path)


def _split(contents: PdfContents) -> list[tuple[str, str, int]]:
    """Sentences drawn across a page break, with the page where each begins (0-based)."""
    assert contents.manifest is not None
    pages = [_pdf_visible(p.text) for p in contents.pages]
    out = []
    for sent in contents.manifest.sentences:
        want = _pdf_visible(sent.text)
        if not any(want in page for page in pages):
            head = next(k for k, page in enumerate(pages) if want[:12] in page)
            out.append((sent.id, sent.text, head))
    return out


def _edit(contents: PdfContents, page: int, old: str, new: str) -> PdfContents:
    pages = list(contents.pages)
    assert old in pages[page].text
    pages[page] = attrs.evolve(pages[page], text=pages[page].text.replace(old, new, 1))
    return attrs.evolve(contents, pages=tuple(pages))


def test_a_fresh_pdf_reads_as_its_manifest_even_across_page_breaks(contents: PdfContents) -> None:
    assert contents.manifest is not None
    assert _split(contents), "the example should have a sentence broken across pages"
    assert _pdf_body_problems(contents, contents.manifest) == []


def test_an_edited_sentence_is_named(contents: PdfContents) -> None:
    assert contents.manifest is not None
    k = next(i for i, p in enumerate(contents.pages) if "realignment of U.S." in p.text)
    problems = _pdf_body_problems(
        _edit(contents, k, "realignment of U.S.", "alignment of U.S."), contents.manifest
    )
    assert len(problems) == 1
    assert "the PDF's text differs from the manifest" in problems[0].message
    assert "'alignmentofU.S." in problems[0].message


@pytest.mark.parametrize("part", ["start", "continuation"])
def test_an_edit_on_either_side_of_a_page_break_is_caught(contents: PdfContents, part: str) -> None:
    assert contents.manifest is not None
    sid, text, head = _split(contents)[0]
    words = text.split()
    # the sentence's own words on each side of the break, not the same word elsewhere
    pattern = r"\s+".join(map(re.escape, words[:3] if part == "start" else words[-3:]))
    page = head if part == "start" else head + 1
    pages = list(contents.pages)
    found = re.search(pattern, pages[page].text)
    assert found is not None
    edited_text = pages[page].text[: found.start()] + "x" + pages[page].text[found.start() + 1 :]
    pages[page] = attrs.evolve(pages[page], text=edited_text)
    problems = _pdf_body_problems(attrs.evolve(contents, pages=tuple(pages)), contents.manifest)
    assert len(problems) == 1, problems
    assert problems[0].message.startswith(f"sentence {sid} ")
