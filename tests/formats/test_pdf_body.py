"""verify reads the body of a PDF sentence by sentence, also where a sentence breaks across a
page break: an edit on either side of the break is named by sentence and page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ContentStream

import briefkit as bk
from briefkit import mdbrief
from briefkit.formats.pdf.checker import check
from briefkit.formats.pdf.reader import read_pdf
from briefs import EXAMPLE


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    bk.export(mdbrief.load(EXAMPLE).brief, path)
    return path


def _squash(text: str) -> str:
    return "".join(text.split())


def _broken(path: Path) -> tuple[str, str, int]:
    """A sentence drawn across a page break: its id, text and the page where it begins."""
    contents = read_pdf(path)
    assert contents.manifest is not None
    pages = [_squash(p.text) for p in contents.pages]
    for sent in contents.manifest.sentences:
        want = _squash(sent.text)
        if not any(want in page for page in pages):
            head = next(k for k, page in enumerate(pages, 1) if want[:12] in page)
            return sent.id, sent.text, head
    raise AssertionError("the example should have a sentence broken across pages")


def _drawn(word: str) -> bytes:
    """A pattern of ``word`` as a content stream draws it: ASCII as itself (escaped in a
    literal string), any other character as the code the font subset gives it."""
    out = []
    for ch in word:
        if ch in "()\\":
            out.append(re.escape(b"\\" + ch.encode()))
        elif " " <= ch <= "~":
            out.append(re.escape(ch.encode()))
        else:
            out.append(rb"(?:\\[0-7]{1,3}|[^ -~])")
    return b"".join(out)


def _change_a_letter(src: Path, dst: Path, page: int, words: list[str], which: int = 1) -> Path:
    """Change the first letter of ``words[which]`` where ``words`` stand on ``page`` (that
    letter must be ASCII)."""
    writer = PdfWriter(clone_from=src)
    target = writer.pages[page - 1]
    contents = target.get_contents()
    assert contents is not None
    data = contents.get_data()
    pattern = rb"\s+".join(b"(" + _drawn(w) + b")" for w in words)
    found = list(re.finditer(pattern, data))
    assert len(found) == 1, (words, found)
    at = found[0].start(which + 1)
    stream = ContentStream(None, writer)
    stream.set_data(data[:at] + b"x" + data[at + 1 :])
    target.replace_contents(stream)
    writer.write(dst)
    return dst


def test_a_fresh_pdf_reads_as_its_manifest_even_across_page_breaks(example: Path) -> None:
    _broken(example)
    assert check(example).problems == ()


@pytest.mark.parametrize("part", ["start", "continuation"])
def test_an_edit_on_either_side_of_a_page_break_is_caught(
    tmp_path: Path, example: Path, part: str
) -> None:
    sid, text, head = _broken(example)
    words = text.split()
    # the sentence's own words on each side of the break, not the same words elsewhere
    if part == "start":
        # three of its words drawn together on one line of the page where it begins (a line
        # may end after its first word)
        page, which = head, 1
        data = PdfWriter(clone_from=example).pages[page - 1].get_contents()
        assert data is not None
        stream = data.get_data()
        shown = _squash(read_pdf(example).pages[page - 1].text)
        on_page = [k for k in range(1, len(words)) if "".join(words[:k]) in shown]
        picked = next(
            words[k : k + 3]
            for k in range(max(on_page) - 2)
            if len(
                re.findall(rb"\s+".join(b"(" + _drawn(w) + b")" for w in words[k : k + 3]), stream)
            )
            == 1
        )
    else:
        page = head + 1
        shown = _squash(read_pdf(example).pages[page - 1].text)
        after = max(k for k in range(1, len(words)) if shown.startswith("".join(words[-k:])))
        picked = words[-min(after, 3) :]
        which = min(1, len(picked) - 1)
    edited = _change_a_letter(example, tmp_path / "t.pdf", page, picked, which)
    problems = check(edited).problems
    assert len(problems) == 1, problems
    assert problems[0].code == "differs"
    assert problems[0].sentence == sid
    assert problems[0].message.startswith(
        f"page {page}: sentence {sid} does not read as the manifest says (replace "
    )


def test_an_edited_sentence_is_named_with_the_words_that_changed(
    tmp_path: Path, example: Path
) -> None:
    contents = read_pdf(example)
    assert contents.manifest is not None
    sent = next(s for s in contents.manifest.sentences if "realignment of U.S." in s.text)
    page = next(p.number for p in contents.pages if "realignment of U.S." in p.text)
    edited = _change_a_letter(example, tmp_path / "t.pdf", page, ["the", "realignment", "of"])
    problems = check(edited).problems
    assert [(p.code, p.sentence) for p in problems] == [("differs", sent.id)]
    assert problems[0].message.endswith("(replace 'realignment' -> 'xealignment')")
