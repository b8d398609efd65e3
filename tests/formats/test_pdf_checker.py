"""verify accounts for every character a reader of a PDF sees, page by page: each belongs to a
sentence (with its label and note number), a note on its mark's page, or the writer's own
furniture; text drawn but not seen, and drawing the writer never does, are reported."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import ContentStream, DecodedStreamObject, NameObject
from reportlab.pdfgen.canvas import Canvas

import briefkit as bk
from briefkit import manifest as _manifest
from briefkit import mdbrief
from briefkit._text import ignorable, shown
from briefkit.errors import ReadError
from briefkit.formats.pdf import FontSet, GlyphCoverageError, PdfExporter
from briefkit.formats.pdf._fonts import RegisteredFonts
from briefkit.formats.pdf.checker import check
from briefkit.formats.pdf.reader import MAX_PAGE_CONTENT, MAX_PAGE_OPERATORS, read_pdf
from briefkit.problems import Problem
from briefkit.styles import DEFAULT_STYLE, CslStyle
from briefkit.testing import briefs, source_bytes
from briefs import EXAMPLE, alliance_brief
from make_pdf import edit_content

MANIFEST_NAME = "briefkit-provenance.json"


# -- documents -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example brief as a PDF, and its sources."""
    loaded = mdbrief.load(EXAMPLE)
    path = tmp_path_factory.mktemp("example") / "brief.pdf"
    bk.export(loaded.brief, path)
    return path, loaded.sources


_LONGER = "says something about the matter at hand and goes on long enough to fill a line."


def _letters(n: int) -> str:
    """``n`` in letters (no digits, which the number check would look for in the spans)."""
    out = ""
    while True:
        n, k = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[k] + out
        if not n:
            return out


def _long_brief(root: Path) -> bk.Brief:
    """Enough paragraphs, notes and a note longer than a page to break sentences and notes
    across pages."""
    words = " ".join(f"w{i:05d}" for i in range(2000))
    (root / "long.txt").write_text(words, encoding="utf-8")
    src = bk.Corpus.from_dir(root)["long.txt"]
    spans = [src.paraphrase(f"w{i:05d}") for i in range(1, 1500, 11)]
    paragraphs = [
        bk.paragraph(
            *(
                bk.sentence(f"Sentence {_letters(k + j)} {_LONGER}", cite=spans[k + j])
                for j in range(6)
            )
        )
        for k in range(0, 120, 6)
    ]
    huge = [src.paraphrase(f"w{i:05d}") for i in range(1500, 1650)]
    return bk.Brief(
        title="Long",
        sections=[
            bk.section("Many notes", *paragraphs[:10]),
            bk.section(
                "A long note", bk.paragraph(bk.sentence("This cites many spans.", cite=huge))
            ),
            bk.section("After", *paragraphs[10:]),
        ],
    )


def _export_with_spans(brief: bk.Brief, path: Path) -> Path:
    """``brief`` written with audit references in its notes ([id, chars a–b]), which make a
    note of many citations of one source long."""
    return bk.export(bk.NotePlan.build(brief, style=CslStyle(DEFAULT_STYLE, show_spans=True)), path)


def _page_of(path: Path, start: str) -> int:
    """The page with a text object that starts with ``start``."""
    return next(
        p.number for p in read_pdf(path).pages if any(o.text.startswith(start) for o in p.objects)
    )


def _codes(problems: tuple[Problem, ...] | list[Problem]) -> set[str]:
    return {p.code for p in problems}


def _one(problems: tuple[Problem, ...], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


# -- tampering tools -------------------------------------------------------------------------


def _overlay(src: Path, dst: Path, page: int, draw: Callable[[Canvas], None]) -> Path:
    """Draw on a page of ``src`` with reportlab, merged over it with pypdf."""
    box = PdfReader(src).pages[page - 1].mediabox
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(float(box.width), float(box.height)))
    draw(canvas)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=src)
    writer.pages[page - 1].merge_page(PdfReader(buffer).pages[0])
    writer.write(dst)
    return dst


def _reattach(src: Path, dst: Path, manifest: _manifest.Manifest) -> Path:
    """Replace the attached provenance manifest of ``src``."""
    writer = PdfWriter(clone_from=src)
    del writer.root_object[NameObject("/Names")]
    writer.add_attachment(MANIFEST_NAME, _manifest.dumps(manifest))
    writer.write(dst)
    return dst


def _between(path: Path, page: int, first: str) -> tuple[float, float]:
    """A point on ``page`` between the text object that starts with ``first`` and the next."""
    objects = read_pdf(path).pages[page - 1].objects
    k = next(i for i, o in enumerate(objects) if o.text.startswith(first))
    return objects[k].x[0], (min(objects[k].y) + max(objects[k + 1].y)) / 2


def _last_sentence_before(path: Path, heading: str) -> str:
    manifest = read_pdf(path).manifest
    assert manifest is not None
    k = next(i for i, s in enumerate(manifest.sentences) if s.section[-1:] == (heading,))
    return manifest.sentences[k - 1].id


# -- fresh exports ---------------------------------------------------------------------------


def test_the_alliance_brief_verifies_with_no_problem(
    tmp_path: Path, corpus: bk.Corpus, seeds: Path
) -> None:
    path = bk.export(alliance_brief(corpus), tmp_path / "a.pdf")
    assert bk.verify(path, sources=seeds).problems == ()


def test_the_example_verifies_with_no_problem(example: tuple[Path, Path]) -> None:
    path, sources = example
    assert len(read_pdf(path).pages) > 3
    assert bk.verify(path, sources=sources).problems == ()


def test_a_long_brief_with_sentences_and_notes_across_pages_verifies(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    path = _export_with_spans(_long_brief(root), tmp_path / "long.pdf")
    contents = read_pdf(path)
    assert contents.manifest is not None
    pages = ["".join(p.text.split()) for p in contents.pages]
    broken = [
        s.id
        for s in contents.manifest.sentences
        if not any("".join(s.text.split()) in page for page in pages)
    ]
    assert broken, "a sentence should break across a page break"
    long_note = next(s for s in contents.manifest.sentences if len(s.citations) == 150)
    squashed = f"{long_note.note}" + "".join((long_note.note_text or "").split())
    head = next(k for k, page in enumerate(pages) if squashed[:40] in page)
    tail = next(k for k, page in enumerate(pages) if squashed[-40:] in page)
    assert tail > head, "the long note should continue on a later page"
    assert bk.verify(path, sources=root).problems == ()


def test_what_drawing_changes_is_tolerated_and_nothing_else(tmp_path: Path) -> None:
    # soft hyphens shown as "-" at line breaks only, invisible format characters, a link
    word = "Ex\u00adtra\u00ador\u00addi\u00adnary"
    text = f"{word} wonderful " * 30 + "end\u200bof zero\u2060joiner, a\u200djoin, a\U000e0041tag."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "catalog.yaml").write_text(
        "a.txt:\n  title: Alpha\n  URL: https://example.org/a?x=1&y=2\n", encoding="utf-8"
    )
    src = bk.Corpus.from_dir(tmp_path)["a.txt"]
    brief = bk.Brief(title="T", key_points=[bk.sentence(src.quote(text), ".")])
    path = bk.export(brief, tmp_path / "b.pdf")
    assert "-\n" in read_pdf(path).pages[0].text  # a soft hyphen took a line break
    assert bk.verify(path, sources=tmp_path).problems == ()
    manifest = read_pdf(path).manifest
    assert manifest is not None
    plain = attrs.evolve(
        manifest.sentences[0], text=manifest.sentences[0].text.replace("\u00ad", "")
    )
    problems = check(path, attrs.evolve(manifest, sentences=(plain,))).problems
    found = _one(problems, "differs")
    assert found.sentence == plain.id
    assert "replace 'Extraordinary' -> 'Extra- ordinary'" in found.message


_FONTS = RegisteredFonts(FontSet.discover())


def _drawable(ch: str) -> bool:
    return not _FONTS.uncovered(shown(ch), ignorable=ignorable)


_FILES = st.lists(
    st.tuples(
        st.sampled_from(["a.txt", "b.md", "sub/c.txt"]), source_bytes(0, 200, keep=_drawable)
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda pair: pair[0],
)
_FILLER = "Filler words push what follows down the page, line after line, on and on to the end."


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=_FILES,
    data=st.data(),
    filler=st.integers(0, 16),
    page_size=st.sampled_from(["A4", "Letter"]),
)
def test_random_fresh_pdfs_have_no_problem(
    tmp_path_factory: pytest.TempPathFactory,
    files: list[tuple[str, bytes]],
    data: st.DataObject,
    filler: int,
    page_size: str,
) -> None:
    pool = [bk.Source.from_bytes(name, raw) for name, raw in files]
    brief = data.draw(briefs(pool, keep=_drawable), label="brief")
    if filler:  # push the random part across a page break at a random place
        pad = bk.section("Filler", *(bk.paragraph(bk.analysis(_FILLER * 3)) for _ in range(filler)))
        brief = attrs.evolve(brief, sections=(pad, *brief.sections))
    try:
        pdf = bk.render(brief, PdfExporter(page_size=page_size))  # type: ignore[arg-type]
    except GlyphCoverageError:
        return
    path = tmp_path_factory.mktemp("prop") / "b.pdf"
    path.write_bytes(pdf)
    assert check(path).problems == ()


# -- text added --------------------------------------------------------------------------------


def test_text_written_into_a_page_between_sentences_is_unlinked(
    tmp_path: Path, example: tuple[Path, Path]
) -> None:
    src, _ = example
    heading = b"(December 2016: Carter after the U.S. election)"

    def insert(data: bytes) -> bytes:
        at = data.rindex(b"\nq\n", 0, data.index(heading)) + 1  # before the heading's group
        font = re.search(rb"/(F\d+\+\d+) 10\.5 Tf", data)
        assert font is not None
        added = b"BT /%s 10.5 Tf 1 0 0 1 66 300 Tm (A new claim.) Tj ET\n" % font.group(1)
        return data[:at] + added + data[at:]

    report = check(edit_content(src, tmp_path / "t.pdf", page=2, edit=insert))
    found = _one(report.problems, "unlinked-text")
    before = _last_sentence_before(src, "December 2016: Carter after the U.S. election")
    assert found.message.startswith(f"page 2: unlinked text after sentence {before}")
    assert "'A new claim.'" in found.message
    # drawn low on the page before the heading above it: out of reading order too
    assert _codes(report.problems) == {"unlinked-text", "foreign-drawing"}


def test_a_sentence_overlaid_with_pypdf_is_unlinked(
    tmp_path: Path, example: tuple[Path, Path]
) -> None:
    src, sources = example
    x, y = _between(src, 2, "Carter said the rebalance")

    def draw(c: Canvas) -> None:
        c.setFont("Helvetica", 10.5)
        c.drawString(x, y, "A new claim.")

    path = _overlay(src, tmp_path / "t.pdf", 2, draw)
    report = bk.verify(path, sources=sources)
    assert not report.ok
    found = _one(report.problems, "unlinked-text")
    before = _last_sentence_before(src, "December 2016: Carter after the U.S. election")
    assert found.message.startswith("page 2: unlinked text after the page number 2")
    assert f"drawn after sentence {before}" in found.message
    assert found.message.endswith("'A new claim.'")


# -- text hidden ---------------------------------------------------------------------------------


def test_white_text_drawn_over_a_page_is_hidden_text(
    tmp_path: Path, example: tuple[Path, Path]
) -> None:
    src, sources = example

    def draw(c: Canvas) -> None:
        c.setFillColorRGB(1, 1, 1)
        c.setFont("Helvetica", 10.5)
        c.drawString(72, 300, "A claim no reader sees.")

    report = bk.verify(_overlay(src, tmp_path / "t.pdf", 3, draw), sources=sources)
    assert not report.ok
    found = _one(report.problems, "hidden-text")
    assert found.message.startswith("page 3: hidden text (drawn in white)")
    assert found.message.endswith("'A claim no reader sees.'")


def test_a_sentence_under_a_white_rectangle_is_hidden(
    tmp_path: Path, example: tuple[Path, Path]
) -> None:
    src, _ = example
    number = _page_of(src, "On the first stop")
    page = read_pdf(src).pages[number - 1]
    para = next(o for o in page.objects if o.text.startswith("On the first stop"))
    line = max(para.y)  # its first line holds only the paragraph's first sentence

    def draw(c: Canvas) -> None:
        c.setFillColorRGB(1, 1, 1)
        c.rect(60, line - 4, 480, 14, stroke=0, fill=1)

    report = check(_overlay(src, tmp_path / "t.pdf", number, draw))
    hidden = _one(report.problems, "hidden-text")
    manifest = read_pdf(src).manifest
    assert manifest is not None
    sid = next(s.id for s in manifest.sentences if s.text.startswith("On the first stop"))
    assert hidden.sentence == sid
    assert hidden.message.startswith(
        f"page {number}: sentence {sid} is drawn hidden (covered by a filled shape drawn after it)"
    )
    drawing = [p for p in report.problems if p.code == "foreign-drawing"]
    assert any(
        f"page {number}: filled shapes" in p.message and "white" in p.message for p in drawing
    )


def test_a_sentence_drawn_in_render_mode_3_is_hidden(
    tmp_path: Path, example: tuple[Path, Path]
) -> None:
    src, _ = example
    marker = b"(On the first stop"

    def invisible(data: bytes) -> bytes:
        at = data.rindex(b"BT ", 0, data.index(marker)) + 3
        return data[:at] + b"3 Tr " + data[at:]

    number = _page_of(src, "On the first stop")
    report = check(edit_content(src, tmp_path / "t.pdf", page=number, edit=invisible))
    found = [p for p in report.problems if p.code == "hidden-text"]
    assert found and all("render mode 3 (invisible)" in p.message for p in found)
    assert found[0].message.startswith(f"page {number}: sentence ")
    assert len({p.sentence for p in found}) == len(found) > 1  # each sentence of the paragraph


def _text(**how: object) -> Callable[[Canvas], None]:
    def draw(c: Canvas) -> None:
        if how.get("behind"):
            c.setFillColorRGB(0.2, 0.2, 0.2)
            c.rect(70, 15, 300, 16, stroke=0, fill=1)
        if how.get("clip"):
            path = c.beginPath()
            path.rect(0, 0, 5, 5)
            c.clipPath(path, stroke=0, fill=0)
        if "alpha" in how:
            c.setFillAlpha(float(how["alpha"]))  # type: ignore[arg-type]
        grey = how.get("grey", 0.2 if how.get("behind") else 0.0)
        c.setFillColorRGB(grey, grey, grey)  # type: ignore[arg-type]
        text = c.beginText(float(how.get("x", 72)), 20)  # type: ignore[arg-type]
        text.setFont("Helvetica", float(how.get("size", 10.5)))  # type: ignore[arg-type]
        text.setTextRenderMode(int(how.get("mode", 0)))  # type: ignore[call-overload]
        text.textOut("A claim no reader sees.")
        c.drawText(text)
        if how.get("cover"):
            c.setFillColorRGB(0, 0, 0)
            c.rect(70, 15, 300, 16, stroke=0, fill=1)

    return draw


@pytest.mark.parametrize(
    ("how", "why", "drawing"),
    [
        ({"mode": 3}, "render mode 3 (invisible)", None),
        ({"mode": 7}, "render mode 7 (invisible)", None),
        ({"size": 0.5}, "smaller than 1 pt", None),
        ({"x": -400}, "outside the page", None),
        ({"clip": True}, "outside its clipping path", "clipping paths"),
        ({"alpha": 0.0}, "transparent", "transparency"),
        ({"grey": 0.97}, "drawn in white", None),
        ({"behind": True}, "drawn in the colour of the shape behind it", "filled shapes"),
        ({"cover": True}, "covered by a filled shape drawn after it", "filled shapes"),
    ],
    ids=["mode3", "mode7", "tiny", "off-page", "clipped", "transparent", "white", "same", "cover"],
)
def test_every_way_of_hiding_text_is_reported(
    tmp_path: Path,
    example: tuple[Path, Path],
    how: dict[str, object],
    why: str,
    drawing: str | None,
) -> None:
    src, _ = example
    report = check(_overlay(src, tmp_path / "t.pdf", 4, _text(**how)))
    found = _one(report.problems, "hidden-text")
    assert found.message.startswith(f"page 4: hidden text ({why}) after the page number 4")
    assert found.message.endswith("'A claim no reader sees.'")
    assert "unlinked-text" not in _codes(report.problems)
    if drawing is not None:
        assert any(
            p.code == "foreign-drawing" and p.message.startswith(f"page 4: {drawing}")
            for p in report.problems
        ), report.problems


# -- notes and the manifest ----------------------------------------------------------------------


# words of note 1 of the example, as its content stream draws them
_NOTE_1 = b"Defense, April 9, 2015, lines 7,"
_NOTE_1_EDITED = b"Defense, April 9, 2015, lines 8,"


def test_an_edited_note_is_named(tmp_path: Path, example: tuple[Path, Path]) -> None:
    src, sources = example
    path = edit_content(
        src, tmp_path / "t.pdf", page=1, edit=lambda d: d.replace(_NOTE_1, _NOTE_1_EDITED, 1)
    )
    report = bk.verify(path, sources=sources)
    assert not report.ok
    found = _one(report.problems, "note-differs")
    assert (found.note, found.sentence) == (1, "s1")
    assert found.message == (
        "page 1: note 1 (sentence s1) does not read as the manifest says (replace '7' -> '8')"
    )


def test_a_note_edited_with_its_manifest_is_caught(
    tmp_path: Path, example: tuple[Path, Path]
) -> None:
    src, sources = example
    edited = edit_content(
        src, tmp_path / "e.pdf", page=1, edit=lambda d: d.replace(_NOTE_1, _NOTE_1_EDITED, 1)
    )
    manifest = read_pdf(src).manifest
    assert manifest is not None
    first = manifest.sentences[0]
    assert first.note_text is not None and "lines 7, 11" in first.note_text
    forged = attrs.evolve(first, note_text=first.note_text.replace("lines 7, 11", "lines 8, 11", 1))
    manifest = attrs.evolve(manifest, sentences=(forged, *manifest.sentences[1:]))
    path = _reattach(edited, tmp_path / "t.pdf", manifest)
    assert check(path).problems == ()  # the pages read as the forged manifest says
    report = bk.verify(path, sources=sources)
    assert not report.ok
    assert any(p.code == "note-style" and p.note == 1 for p in report.problems), report.problems


def test_a_manifest_that_does_not_match_the_pages_is_reported(example: tuple[Path, Path]) -> None:
    src, _ = example
    manifest = read_pdf(src).manifest
    assert manifest is not None
    target = manifest.sentences[4]
    changed = attrs.evolve(target, text=target.text.replace(" the ", " a ", 1))
    assert changed.text != target.text
    edited = attrs.evolve(
        manifest, sentences=tuple(changed if s is target else s for s in manifest.sentences)
    )
    found = _one(check(src, edited).problems, "differs")
    assert found.sentence == target.id
    assert "(replace 'a' -> 'the')" in found.message
    dropped = attrs.evolve(manifest, sentences=tuple(s for s in manifest.sentences if s.note != 7))
    problems = check(src, dropped).problems
    unlinked = [p for p in problems if p.code == "unlinked-text"]
    gone = next(s for s in manifest.sentences if s.note == 7)
    page = _page_of(src, "On the first stop")  # the paragraph of the sentence of note 7
    assert unlinked[0].message.startswith(f"page {page}: unlinked text after sentence ")
    assert gone.text[:20] in unlinked[0].message
    assert any("among the notes" in p.message and "'7 “Carter" in p.message for p in unlinked)


def test_a_note_taken_off_its_page_is_missing(tmp_path: Path, example: tuple[Path, Path]) -> None:
    src, _ = example

    def cut(data: bytes) -> bytes:
        at = data.index(b"(4) Tj 0 0 0 rg")
        start = data.rindex(b"\nq\n1 0 0 1 ", 0, at) + 1  # the note's group, with its place
        end = data.index(b"Q\nQ\n", at) + 4
        return data[:start] + data[end:]

    problems = check(edit_content(src, tmp_path / "t.pdf", page=1, edit=cut)).problems
    found = _one(problems, "note-missing")
    assert (found.note, found.sentence) == (4, "s4")
    assert found.message == (
        "page 1: note 4 (sentence s4) is not at the foot of page 1, where its mark is"
    )


def test_a_missing_last_page_leaves_sentences_and_notes_missing(
    tmp_path: Path, example: tuple[Path, Path]
) -> None:
    src, _ = example
    writer = PdfWriter(clone_from=src)
    # from the last page with notes on (the very last may hold none) to the end
    last = max(p.number for p in read_pdf(src).pages if p.internal_links)
    for _ in range(last, len(writer.pages) + 1):
        writer.remove_page(len(writer.pages) - 1)
    path = tmp_path / "t.pdf"
    writer.write(path)
    problems = check(path).problems
    missing = [p for p in problems if p.code == "missing"]
    assert missing and all(p.message.endswith("is not shown on any page") for p in missing)
    notes = [p for p in problems if p.code == "note-missing"]
    assert notes and all(p.message.endswith("is not shown on any page") for p in notes)
    assert notes[0].note is not None and notes[0].sentence is not None


def test_an_annotation_is_foreign_drawing(tmp_path: Path, example: tuple[Path, Path]) -> None:
    src, _ = example
    writer = PdfWriter(clone_from=src)
    writer.add_annotation(0, FreeText(text="A new claim.", rect=(72, 300, 300, 320)))
    path = tmp_path / "t.pdf"
    writer.write(path)
    found = _one(check(path).problems, "foreign-drawing")
    assert found.message.startswith("page 1: annotations (FreeText)")


# -- looking at it -------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_a_fresh_and_a_tampered_page_render(tmp_path: Path, example: tuple[Path, Path]) -> None:
    src, _ = example

    def draw(c: Canvas) -> None:
        c.setFillColorRGB(1, 1, 1)
        c.rect(60, 560, 480, 200, stroke=0, fill=1)

    tampered = _overlay(src, tmp_path / "t.pdf", 2, draw)
    for name, pdf in (("fresh", src), ("tampered", tampered)):
        prefix = tmp_path / name
        subprocess.run(
            ["pdftoppm", "-r", "50", "-f", "2", "-l", "2", "-png", str(pdf), str(prefix)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        assert list(tmp_path.glob(f"{name}*.png"))


# -- bounds --------------------------------------------------------------------------------------


def test_thirty_thousand_empty_pages_read_quickly(tmp_path: Path) -> None:
    writer = PdfWriter()
    for _ in range(30_000):
        writer.add_blank_page(200, 200)
    path = tmp_path / "empty.pdf"
    writer.write(path)
    began = time.monotonic()
    contents = read_pdf(path)
    assert len(contents.pages) == 30_000
    assert time.monotonic() - began < 60


def _page_with(content: bytes) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"q",
                b"Q",
                b"BT",
                b"ET",
                b"1 0 0 1 5 5 cm",
                b"3 Tr",
                b"/F1 9 Tf",
                b"(a\\)b) Tj",
                b"[(x) -120 <0041>] TJ",
                b"0 0 5 5 re f",
                b"W n",
                b"1 g",
                b"/X Do",
                b"BI /W 1 ID \x00 EI",
                b"<< /A [1 2 (c)] >> BDC",
                b"1e999 0 Td",
                b"[[[",
                b">>",
                b")",
                b"99999999999999999999 Tz",
            ]
        )
        | st.binary(max_size=12),
        max_size=40,
    )
)
def test_any_content_stream_reads_or_is_a_read_error(pieces: list[bytes]) -> None:
    try:
        contents = read_pdf(_page_with(b"\n".join(pieces)))
    except ReadError:
        return
    assert len(contents.pages) == 1


def test_too_many_operators_is_a_read_error() -> None:
    with pytest.raises(ReadError, match=f"page 1: more than {MAX_PAGE_OPERATORS} drawing"):
        read_pdf(_page_with(b"n\n" * (MAX_PAGE_OPERATORS + 1)))


def test_too_much_content_is_a_read_error() -> None:
    with pytest.raises(ReadError, match=f"page 1: its content is larger than {MAX_PAGE_CONTENT}"):
        read_pdf(_page_with(b"%" + b"x" * MAX_PAGE_CONTENT))


# -- text drawn out of reading order -----------------------------------------------------------


def _one_quote_pdf(root: Path, text: str) -> Path:
    (root / "s.txt").write_text(text, encoding="utf-8")
    src = bk.Corpus.from_dir(root)["s.txt"]
    path = root / "b.pdf"
    bk.export(bk.Brief(title="T", key_points=[bk.sentence(src.quote(src.text))]), path)
    return path


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        # the full stop drawn back between the digits: "4.7" on the page, "47." in the file
        (
            "The losses reached 47.",
            b"(\\002The losses reached 47.\\003) Tj",
            b"[(\\002The losses reached 4) -318 (7) 954 (.) -636 (\\003)] TJ",
        ),
        # a name moved back before the words drawn before it
        (
            "Yesterday Smith paid Jones",
            b"(\\002Yesterday Smith paid Jones\\003) Tj",
            b"[(\\002Yesterday Smith paid ) 12000 (Jones\\003)] TJ",
        ),
    ],
    ids=["full stop", "name"],
)
def test_text_moved_back_along_its_line_is_foreign_drawing(
    tmp_path: Path, text: str, old: bytes, new: bytes
) -> None:
    """Reading follows the file's order, and a reader's eye the page's: a line whose words or
    signs are moved back over it reads otherwise than it shows."""
    path = _one_quote_pdf(tmp_path, text)
    assert bk.verify(path, sources=tmp_path).ok

    def edit(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new)

    problems = bk.verify(edit_content(path, tmp_path / "t.pdf", edit), sources=tmp_path).problems
    assert "foreign-drawing" in _codes(problems), problems


def _two_line_quote_pdf(root: Path) -> Path:
    """A key point quoting a source over three lines, drawn as one text object."""
    return _one_quote_pdf(
        root,
        "The first part says the troops numbered forty seven thousand in all of the bases "
        "across the islands. The second part of it says the costs reached two billion dollars.",
    )


def test_a_line_drawn_above_the_line_before_it_is_foreign_drawing(tmp_path: Path) -> None:
    """The second line of a quotation drawn above its first: read in the file's order the
    text is unchanged, but a reader sees the lines the other way round."""
    path = _two_line_quote_pdf(tmp_path)
    assert bk.verify(path, sources=tmp_path).ok

    def swap(data: bytes) -> bytes:
        assert data.count(b") Tj T* (") >= 2
        # T* (the next line, one leading down) becomes a move one leading up, then back down
        data = data.replace(b") Tj T* (", b") Tj 0 14.5 Td (", 1)
        return data.replace(b") Tj T* (", b") Tj 0 -43.5 Td (", 1)

    problems = bk.verify(edit_content(path, tmp_path / "t.pdf", swap), sources=tmp_path).problems
    assert [p.message for p in problems] == [
        "page 1: a line drawn above the line before it, out of reading order, "
        "which briefkit never draws"
    ]


# -- glyphs that read as nothing --------------------------------------------------------------


def _with_blank_font(
    src: Path, dst: Path, reads_as: str, edit: Callable[[bytes], bytes], *, program: str = "same"
) -> Path:
    """``src`` with a font ``/FB`` added to page 1: the body's font with the same codes and
    font program (``program="none"``: none; ``"broken"``: one no one can read; ``"colour"``:
    the same with a colour table that draws the space glyph as a ``T``), whose
    ``/ToUnicode`` reads every glyph as ``reads_as``; its content rewritten by ``edit``.
    ``"3,10"``: the same with its codes mapped by a (3,10) subtable only, and ``"no map"``:
    by none, each with an empty ``.notdef``, so that a viewer draws the glyphs by other means
    than the maps the reader looks at first; ``"two"``: the same program and a second one
    beside it (a Type 1 ``/FontFile``), which a viewer may draw with instead."""
    writer = PdfWriter(clone_from=src)
    page = writer.pages[0]
    resources: Any = page["/Resources"]
    fonts = resources["/Font"]
    body = fonts["/F2+0"].get_object()
    clone = body.clone(writer, force_duplicate=True)
    units = b"<" + reads_as.encode("utf-16-be").hex().encode() + b">"
    cmap = DecodedStreamObject()
    cmap.set_data(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfrange <00> <FF> [" + b" ".join([units] * 256) + b"] endbfrange "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    clone[NameObject("/ToUnicode")] = writer._add_object(cmap)
    if program == "two":
        descriptor = clone["/FontDescriptor"].get_object().clone(writer, force_duplicate=True)
        other = DecodedStreamObject()
        other.set_data(b"%!PS-AdobeFont-1.0: a second program\n")
        descriptor[NameObject("/FontFile")] = writer._add_object(other)
        clone[NameObject("/FontDescriptor")] = writer._add_object(descriptor)
    elif program != "same":
        descriptor = clone["/FontDescriptor"].get_object().clone(writer, force_duplicate=True)
        original = descriptor["/FontFile2"].get_object().get_data()
        del descriptor["/FontFile2"]
        if program in ("colour", "3,10", "no map"):
            changed = DecodedStreamObject()
            if program == "colour":
                changed.set_data(_space_drawn_in_colour(original))
            else:
                changed.set_data(_mapped_otherwise(original, program == "3,10"))
            descriptor[NameObject("/FontFile2")] = writer._add_object(changed)
        if program == "broken":
            garbage = DecodedStreamObject()
            garbage.set_data(b"not a font " * 40)
            descriptor[NameObject("/FontFile2")] = writer._add_object(garbage)
        clone[NameObject("/FontDescriptor")] = writer._add_object(descriptor)
    fonts[NameObject("/FB")] = writer._add_object(clone)
    contents = page.get_contents()
    assert contents is not None
    stream = ContentStream(None, writer)
    stream.set_data(edit(contents.get_data()))
    page.replace_contents(stream)
    writer.write(dst)
    return dst


def _space_drawn_in_colour(program: bytes) -> bytes:
    """A TrueType ``program`` with a ``COLR`` table (and its palette) that draws the glyph
    of code 0x20 as one layer: the glyph of code 0x54, a ``T``. Its outline stays empty."""
    colour = pytest.importorskip("fontTools.colorLib.builder", reason="fontTools builds COLR")
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program))
    codes = font["cmap"].getcmap(1, 0).cmap
    font["COLR"] = colour.buildCOLR({codes[0x20]: [(codes[0x54], 0)]})
    font["CPAL"] = colour.buildCPAL([[(0.0, 0.0, 0.0, 1.0)]])
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _mapped_otherwise(program: bytes, wide: bool) -> bytes:
    """A TrueType ``program`` whose (1,0) ``cmap`` subtable is replaced by a (3,10) one of
    the same codes (``wide``) or by none, and whose ``.notdef`` draws nothing."""
    pytest.importorskip("fontTools", reason="fontTools rewrites the font program")
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    font = TTFont(io.BytesIO(program))
    table = font["cmap"]
    codes = dict(table.getcmap(1, 0).cmap)
    table.tables = []
    if wide:
        sub = CmapSubtable.newSubtable(12)
        sub.platformID, sub.platEncID, sub.language, sub.cmap = 3, 10, 0, codes
        table.tables.append(sub)
    font["glyf"][".notdef"] = TTGlyphPen(None).glyph()
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("reads_as", "program"),
    [
        (" ", "same"),
        ("\u200d", "same"),
        ("\u3000", "same"),
        (" ", "none"),
        (" ", "broken"),
        (" ", "3,10"),
        (" ", "no map"),
    ],
    ids=[
        "space",
        "zwj",
        "wide",
        "space-no-program",
        "space-broken-program",
        "space-3-10-map",
        "space-no-map",
    ],
)
def test_a_visible_glyph_that_reads_as_nothing_is_caught(
    tmp_path: Path, reads_as: str, program: str
) -> None:
    """A glyph whose outline shows a letter, mapped to white space or a joiner: the page shows
    the letter, and the checker (which does not compare white space) must not miss it. Without
    an embedded program, the font's encoding names the letter a viewer draws."""
    path = _one_quote_pdf(tmp_path, "The losses reached 47.")
    assert bk.verify(path, sources=tmp_path).ok
    # draw the quotation's first letters again in the blank-reading font: "The" shows twice
    forged = _with_blank_font(
        path,
        tmp_path / "t.pdf",
        reads_as,
        lambda data: data.replace(
            b"(\\002The losses reached 47.\\003) Tj",
            b"/FB 10.5 Tf (The ) Tj /F2+0 10.5 Tf (\\002The losses reached 47.\\003) Tj",
        ),
        program=program,
    )
    problems = bk.verify(forged, sources=tmp_path).problems
    assert problems, "a word drawn in glyphs that read as nothing went unseen"
    assert {p.code for p in problems} & {"unlinked-text", "differs"}, problems


@pytest.mark.parametrize("program", ["same", "colour", "two"])
def test_a_blank_glyph_is_reported_only_when_it_shows_something(
    tmp_path: Path, program: str
) -> None:
    """Three of the body font's space glyphs drawn in the blank-reading font: they have no
    outline, so nothing shows and nothing is reported — unless a colour table draws the
    space glyph as a letter, which shows while it reads as a space, or the font carries a
    second program a viewer may draw with instead."""
    path = _one_quote_pdf(tmp_path, "The losses reached 47.")
    forged = _with_blank_font(
        path,
        tmp_path / "t.pdf",
        " ",
        lambda data: data.replace(
            b"(\\002The losses reached 47.\\003) Tj",
            b"/FB 10.5 Tf (   ) Tj /F2+0 10.5 Tf (\\002The losses reached 47.\\003) Tj",
        ),
        program=program,
    )
    problems = bk.verify(forged, sources=tmp_path).problems
    if program == "same":
        assert problems == ()
    else:
        assert {p.code for p in problems} & {"unlinked-text", "differs"}, problems
