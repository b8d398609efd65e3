"""Emphasis and links in PDF: ``em`` in the body's italic face (upright in an analysis, which is
in italics), ``strong`` in its bold face, a link a ``/URI`` link annotation over exactly its
text (one per line it is drawn on) — and verify tells each way of tampering with them."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

import briefkit as bk
from briefkit.formats.pdf import FontSet, GlyphCoverageError, PdfExporter
from briefkit.formats.pdf.reader import BOLD, ITALIC, PdfPage, read_pdf
from briefkit.problems import Problem
from make_pdf import edit_content

QUOTE = "Our alliance with Japan has never been stronger"
BARE = "https://example.com/a_b?x=1&y=(2)'*[]~"
LABELLED = "https://www.defense.gov/News/"
LABEL = "the Pentagon own account of the visit, which runs long enough to wrap"
MAIL = "mailto:press@example.org"


def _brief(corpus: bk.Corpus) -> bk.Brief:
    cnn = corpus["000_28b258b49d188a62.txt"]
    carter = cnn.quote(QUOTE, speaker="Ash Carter")
    confident = cnn.paraphrase(
        "Pentagon officials are confident that the US-Japan defense relationship will continue"
    )
    return bk.Brief(
        title="Inline styles",
        sections=[
            bk.section(
                "Reassurance",
                bk.paragraph(
                    bk.sentence(carter, ", a ", bk.em("remarkably"), " firm line."),
                    bk.sentence(
                        "Officials were ",
                        bk.strong("confident"),
                        " the ties would last, as ",
                        bk.link(LABELLED, LABEL),
                        " says (see ",
                        bk.link(BARE),
                        ").",
                        cite=confident,
                    ),
                    bk.analysis("The visit was ", bk.em("meant"), " to calm allies."),
                ),
                bk.paragraph(
                    bk.analysis(
                        "Write to ",
                        bk.link(MAIL, "the press office"),
                        " or ",
                        bk.strong("not"),
                        ".",
                    )
                ),
            )
        ],
    )


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, corpus: bk.Corpus) -> Path:
    path = tmp_path_factory.mktemp("inline") / "brief.pdf"
    bk.export(_brief(corpus), path)
    return path


def squash(text: str) -> str:
    """``text`` without whitespace, nor the zero-width spaces the writer puts around links."""
    return "".join(text.replace("\u200b", "").split())


def _verify(path: Path, seeds: Path) -> list[Problem]:
    return list(bk.verify(path, sources=seeds).problems)


def _codes(problems: list[Problem]) -> set[str]:
    return {p.code for p in problems}


# -- the written file, as readers see it -------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        # a combining mark after a link's text, emphasised: drawn where the link's text ends
        ("See ", bk.link("https://0"), bk.em("\u20ddaaa"), "."),
        # characters the body faces lack, from an upright fallback face, in emphasis and links
        (
            "See ",
            bk.em("日本 and ✓"),
            " or ",
            bk.strong("中文"),
            " at ",
            bk.link(BARE, "日本"),
            ".",
        ),
        # emphasis that draws nothing compared (a joiner, a soft hyphen) and a DEL shown as ␡
        ("A ", bk.em("a\u200d"), " ", bk.strong("\x7f"), " b\u00adc."),
    ],
)
def test_hard_inline_text_verifies_clean(
    parts: tuple[Any, ...], tmp_path: Path, seeds: Path
) -> None:
    brief = bk.Brief(
        title="T",
        key_points=[bk.analysis(*parts)],
        sections=[bk.section("S", bk.paragraph(bk.analysis(*parts)))],
    )
    path = tmp_path / "b.pdf"
    try:
        bk.export(brief, path)
    except GlyphCoverageError:
        pytest.skip("no font here draws these characters")
    report = bk.verify(path, sources=seeds)
    assert report.problems == (), report.problems


def test_a_fresh_file_verifies_clean(fresh: Path, seeds: Path) -> None:
    report = bk.verify(fresh, sources=seeds)
    assert report.ok, report.problems
    assert report.problems == ()


def test_links_are_uri_annotations_over_their_text(fresh: Path) -> None:
    reader = PdfReader(fresh)
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/A", {}).get("/S") == "/URI"
    ]
    assert set(uris) == {LABELLED, BARE, MAIL}
    pages = read_pdf(fresh).pages
    shown: dict[str, str] = {}
    for page in pages:
        for obj in page.objects:
            for k, ch in enumerate(obj.text):
                link = obj.link_at(k)
                if link >= 0 and not ch.isspace():
                    uri = page.web_links[link].uri
                    shown[uri] = shown.get(uri, "") + ch
    assert shown == {LABELLED: squash(LABEL), BARE: squash(BARE), MAIL: "thepressoffice"}
    # the long label wraps: one annotation per line it is drawn on
    assert uris.count(LABELLED) >= 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdftotext_reads_each_link_rectangle_as_the_link_text(fresh: Path) -> None:
    reader = PdfReader(fresh)
    height = float(reader.pages[0].mediabox.height)
    found: dict[str, str] = {}
    for annot in reader.pages[0].get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/A", {}).get("/S") != "/URI":
            continue
        x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
        text = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", "-x", str(int(x0)), "-y", str(int(height - y1)),
             "-W", str(int(x1 - x0) - 1), "-H", str(int(y1 - y0)), str(fresh), "-"],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout  # fmt: skip
        uri = str(annot["/A"]["/URI"])
        found[uri] = found.get(uri, "") + " " + text
    assert squash(found[LABELLED]) == squash(LABEL)
    assert squash(found[BARE]) == squash(BARE)
    assert squash(found[MAIL]) == "thepressoffice"
    whole = subprocess.run(
        ["pdftotext", str(fresh), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert BARE in whole.replace("\n", "")


def _fonts_of(path: Path) -> list[tuple[str, str]]:
    """``(text, base font)`` of each piece of text pypdf extracts from page 1."""
    pieces: list[tuple[str, str]] = []

    def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
        if text.strip() and font is not None:
            pieces.append((text, str(font.get("/BaseFont", ""))))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return pieces


def test_pypdf_sees_the_emphasis_in_its_faces(fresh: Path) -> None:
    pieces = _fonts_of(fresh)
    faces = {text.strip(): font.split("+")[-1] for text, font in pieces}
    assert faces["remarkably"].endswith("-Italic")
    assert faces["confident"].endswith("-Bold")
    assert faces["meant"] == faces["Officials were"]  # upright in an analysis
    assert faces["The visit was"].endswith("-Italic")
    assert faces["not"].endswith("-BoldItalic")
    quoted = [font for text, font in pieces if "alliance with Japan" in text]
    assert quoted and not any(re.search("Italic|Bold", font) for font in quoted)


def test_the_reader_tells_the_style_of_every_glyph(fresh: Path) -> None:
    page = read_pdf(fresh).pages[0]
    styled: dict[int, str] = {}
    for obj in page.objects:
        for k, ch in enumerate(obj.text):
            if not ch.isspace():
                styled[obj.style_at(k)] = styled.get(obj.style_at(k), "") + ch
    assert "remarkably" in styled[ITALIC]
    assert "confident" in styled[BOLD]
    assert "not" in styled[BOLD | ITALIC]
    assert "meant" in styled[0] and "Thevisitwas" in styled[ITALIC]


# -- tampering -------------------------------------------------------------------------------


def _font_before(data: bytes, text: bytes) -> bytes:
    at = data.index(text)
    found: list[bytes] = re.findall(rb"(/F\d+\+\d+) [\d.]+ Tf", data[:at])
    return found[-1]


def _italic_font(data: bytes) -> bytes:
    return _font_before(data, b"(remarkably)")


def _regular_font(data: bytes) -> bytes:
    return _font_before(data, b"(Ash Carter said")


def test_italics_added_to_a_quotation_are_reported(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    def edit(data: bytes) -> bytes:
        italic, regular = _italic_font(data), _regular_font(data)
        return data.replace(
            b"alliance with Japan",
            b") Tj " + italic + b" 10.5 Tf (alliance with Japan) Tj " + regular + b" 10.5 Tf (",
            1,
        )

    problems = _verify(edit_content(fresh, tmp_path / "t.pdf", edit), seeds)
    assert _codes(problems) == {"emphasis"}, problems
    assert "alliancewithJapan" in problems[0].message and "italics" in problems[0].message


def test_emphasis_removed_is_reported(fresh: Path, tmp_path: Path, seeds: Path) -> None:
    def edit(data: bytes) -> bytes:
        italic, regular = _italic_font(data), _regular_font(data)
        return data.replace(
            italic + b" 10.5 Tf 14.5 TL (remarkably)", regular + b" 10.5 Tf 14.5 TL (remarkably)"
        )

    problems = _verify(edit_content(fresh, tmp_path / "t.pdf", edit), seeds)
    assert _codes(problems) == {"emphasis"}, problems
    assert "does not show 'remarkably' in italics" in problems[0].message


def test_bold_turned_into_italics_is_reported(fresh: Path, tmp_path: Path, seeds: Path) -> None:
    def edit(data: bytes) -> bytes:
        bold = _font_before(data, b"(confident)")
        return data.replace(
            bold + b" 10.5 Tf 14.5 TL (confident)",
            _italic_font(data) + b" 10.5 Tf 14.5 TL (confident)",
        )

    problems = _verify(edit_content(fresh, tmp_path / "t.pdf", edit), seeds)
    # (the narrower face moves the rest of the line: the link's first letter leaves its link)
    assert _codes(problems) <= {"emphasis", "link"}, problems
    assert "shows 'confident' in italics" in problems[0].message


def test_slanted_text_reads_as_italics(fresh: Path, tmp_path: Path, seeds: Path) -> None:
    """Italics made by slanting upright glyphs (a skewed text matrix) are italics too."""

    def edit(data: bytes) -> bytes:
        at = data.index(b"(Ash Carter said")
        bt = data.rindex(b"BT 1 0 0 1 ", 0, at)
        return data[:bt] + b"BT 1 0 .3 1 " + data[bt + len(b"BT 1 0 0 1 ") :]

    problems = _verify(edit_content(fresh, tmp_path / "t.pdf", edit), seeds)
    assert "emphasis" in _codes(problems), problems


def test_emphasis_in_a_note_or_heading_is_reported(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    def edit(data: bytes) -> bytes:
        italic, regular = _italic_font(data), _regular_font(data)
        words = b"December 5, 2016, line"
        swapped = b") Tj " + italic + b" 8 Tf (" + words + b") Tj " + regular + b" 8 Tf ("
        return data.replace(words, swapped, 1)

    problems = _verify(edit_content(fresh, tmp_path / "t.pdf", edit), seeds)
    assert _codes(problems) == {"emphasis"}, problems
    assert "note 1" in problems[0].message

    def heading(data: bytes) -> bytes:
        bold = _font_before(data, b"(Reassurance)")
        return data.replace(
            bold + b" 15 Tf 19 TL (Reassurance)",
            _regular_font(data) + b" 15 Tf 19 TL (Reassurance)",
        )

    problems = _verify(edit_content(fresh, tmp_path / "h.pdf", heading), seeds)
    assert _codes(problems) == {"emphasis"}, problems
    assert "heading" in problems[0].message


def _annotate(src: Path, dst: Path, change: Callable[[PdfWriter, ArrayObject], None]) -> Path:
    writer = PdfWriter(clone_from=src)
    page = writer.pages[0]
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else ArrayObject()
    change(writer, annots)
    page[NameObject("/Annots")] = annots
    writer.write(dst)
    return dst


def _rect_of(page: PdfPage, text: str) -> tuple[float, float, float, float]:
    """A rectangle around the glyphs of the first text object holding ``text``."""
    for obj in page.objects:
        at = obj.text.find(text)
        if at >= 0:
            xs, ys = obj.x[at : at + len(text)], obj.y[at : at + len(text)]
            return min(xs) - 0.5, min(ys) - 2, max(xs) + 5, max(ys) + 8
    raise AssertionError(text)


def _uri_link(writer: PdfWriter, rect: tuple[float, float, float, float], uri: str) -> Any:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(uri)}
    )
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/A"): action,
        }
    )
    return writer._add_object(annot)


def test_a_changed_address_is_reported(fresh: Path, tmp_path: Path, seeds: Path) -> None:
    def change(_writer: PdfWriter, annots: ArrayObject) -> None:
        for ref in annots:
            action = ref.get_object().get("/A")
            if action is not None and action.get("/URI") == BARE:
                action[NameObject("/URI")] = TextStringObject("https://evil.example/")

    problems = _verify(_annotate(fresh, tmp_path / "t.pdf", change), seeds)
    assert _codes(problems) == {"link"}, problems
    assert "evil.example" in problems[0].message


def test_a_removed_link_is_reported(fresh: Path, tmp_path: Path, seeds: Path) -> None:
    def change(_writer: PdfWriter, annots: ArrayObject) -> None:
        for k in range(len(annots) - 1, -1, -1):
            action = annots[k].get_object().get("/A")
            if action is not None and action.get("/URI") == MAIL:
                del annots[k]

    problems = _verify(_annotate(fresh, tmp_path / "t.pdf", change), seeds)
    assert _codes(problems) == {"link"}, problems
    assert "does not show 'thepressoffice'" in problems[0].message


def test_a_link_added_around_a_quotation_is_reported(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    rect = _rect_of(read_pdf(fresh).pages[0], "alliance with Japan")

    def change(writer: PdfWriter, annots: ArrayObject) -> None:
        annots.append(_uri_link(writer, rect, "https://evil.example/"))

    problems = _verify(_annotate(fresh, tmp_path / "t.pdf", change), seeds)
    assert _codes(problems) == {"link"}, problems
    assert "alliancewithJapan" in problems[0].message


@pytest.mark.parametrize("where", ["note", "heading", "nothing"])
def test_a_link_added_elsewhere_is_reported(
    where: str, fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    page = read_pdf(fresh).pages[0]
    if where == "nothing":
        rect = (1.0, 1.0, 20.0, 20.0)
    else:
        rect = _rect_of(page, "Reassurance" if where == "heading" else "CNN, December")

    def change(writer: PdfWriter, annots: ArrayObject) -> None:
        annots.append(_uri_link(writer, rect, "https://evil.example/"))

    problems = _verify(_annotate(fresh, tmp_path / "t.pdf", change), seeds)
    assert _codes(problems) == {"link"}, problems


def test_links_do_not_disturb_the_notes(fresh: Path) -> None:
    """Web links are kept apart: the page's internal links are still its marks, then its
    notes' back links, each back link carrying its note's citations."""
    contents = read_pdf(fresh)
    assert contents.mark_pages() == [1, 1]
    assert all(value is not None for value in contents.note_cites())


# -- faces that cannot show emphasis -----------------------------------------------------------


def test_a_font_set_without_an_italic_face_refuses_emphasis(
    corpus: bk.Corpus, tmp_path: Path
) -> None:
    found = FontSet.discover()
    upright = FontSet(found.regular, found.bold, found.regular, found.bold, found.fallbacks)
    with pytest.raises(bk.errors.ExportError, match="italic face"):
        bk.export(_brief(corpus), tmp_path / "b.pdf", format=PdfExporter(fonts=upright))
    plain = bk.Brief(
        title="Plain",
        sections=[bk.section("S", bk.paragraph(bk.analysis("Nothing emphasised here.")))],
    )
    bk.export(plain, tmp_path / "plain.pdf", format=PdfExporter(fonts=upright))


def test_links_over_the_whole_page_many_times_are_bounded(fresh: Path, tmp_path: Path) -> None:
    """Each web link looks only at the glyphs of its own band; links that together look at
    more glyphs than any document's do are a read error, found quickly."""

    def change(writer: PdfWriter, annots: ArrayObject) -> None:
        for _ in range(3000):
            annots.append(_uri_link(writer, (0.0, 0.0, 600.0, 850.0), "https://x.example/"))

    path = _annotate(fresh, tmp_path / "t.pdf", change)
    started = time.perf_counter()
    with pytest.raises(bk.errors.ReadError, match="links cover more glyphs"):
        read_pdf(path)
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("label", ["abc", "tÛ🇺🇸🇯T"])
def test_a_link_glued_to_a_word_too_long_for_its_cell_keeps_its_rectangle(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path, label: str
) -> None:
    """Splitting a word too long for its line can leave an empty piece of the link's
    fragment on the line; drawn, it would restart the link there and lose its rectangle (the
    annotation would cover nothing). The writer leaves such pieces out."""
    cite = corpus["000_28b258b49d188a62.txt"].paraphrase("US has 50,000 troops")
    cell = bk.sentence(bk.link("https://e.org/x", label), "abcdefghij" * 7, cite=cite)
    tab = bk.table("T", ["", "B"], ["a long row label with several words in it", cell])
    brief = bk.Brief(title="T", sections=[bk.section("S", tab)])
    path = bk.export(brief, tmp_path / "b.pdf")
    assert _verify(path, seeds) == []
    (page,) = read_pdf(path).pages
    (web,) = page.web_links
    assert web.rect is not None and web.rect[2] - web.rect[0] > 5  # it covers the label
