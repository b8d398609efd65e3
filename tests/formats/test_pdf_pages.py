"""Page references in PDF: ``Table 1 on page 3``.

A cross-reference with its page (``bk.ref(id, page=True)``) is drawn as the phrase of
:func:`briefkit.plan.page_ref`, all of it inside the reference's link (``/BriefkitRef``), with
the page its target — a heading, a table's caption, a figure — is drawn on. The writer learns
the pages from a first layout and lays out again with them until they settle. The checker
wants the page on which the document draws the target; a number edited, the phrase cut or
drawn outside its link is a ``page-ref`` problem.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from PIL import Image as Pil
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject

import briefkit as bk
from briefkit.errors import ExportError
from briefkit.formats.pdf import writer as pdf_writer
from briefkit.formats.pdf._layout import Layout
from briefkit.formats.pdf.reader import read_pdf
from briefkit.problems import Problem
from make_pdf import edit_content

CNN = "000_28b258b49d188a62.txt"
WORDS = "takes room on the page without saying anything of substance, "


def _chart() -> bytes:
    img = Pil.new("RGB", (320, 160), (255, 255, 255))
    img.paste((40, 80, 160), (40, 30, 120, 150))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _fill(n: int, start: int = 0) -> list[bk.Paragraph]:
    return [
        bk.paragraph(bk.analysis(f"Filler paragraph {k} " + WORDS * 6 + "and ends."))
        for k in range(start, start + n)
    ]


def pages_brief(corpus: bk.Corpus, filler: int = 20, lang: str = "en") -> bk.Brief:
    """s1 (page 1) refers with their pages to the section "Later", table 1 and figure 1,
    which stand after ``filler`` paragraphs each (about seven fill an A4 page); a cell of the
    table and a sentence of "Later" refer back."""
    cnn = corpus[CNN]
    t_cnn = cnn.figure(
        "50,000",
        unit="troops",
        within="US has 50,000 troops stationed in Japan",
        measure="U.S. troops in Japan",
    )
    troops = bk.table(
        "Troops",
        ["Source", "Troops", "See"],
        ["CNN", bk.sentence(t_cnn), bk.analysis("Read ", bk.ref("later", page=True))],
        id="troops",
    )
    chart = bk.image(_chart(), alt="A bar", caption=bk.analysis("One bar."), id="chart")
    see = bk.sentence(
        "See ",
        bk.ref("later", page=True),
        ", ",
        bk.ref("troops", page=True),
        " and ",
        bk.ref("chart", page=True),
        ".",
        cite=cnn.paraphrase("US has 50,000 troops stationed in Japan"),
    )
    back = bk.analysis("Back to ", bk.ref("troops", page=True), ", in italics.")
    return bk.Brief(
        title="Pages",
        date="2026-01-01",
        lang=lang,
        sections=[
            bk.section(
                "First",
                bk.paragraph(see),
                *_fill(filler),
                troops,
                *_fill(filler, filler),
                chart,
                *_fill(filler, 2 * filler),
            ),
            bk.section("Later", bk.paragraph(back), id="later"),
        ],
    )


@pytest.fixture(scope="module")
def fresh(corpus: bk.Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bk.export(pages_brief(corpus), tmp_path_factory.mktemp("pdf-pages") / "pages.pdf")


def problems_of(path: Path, seeds: Path) -> list[Problem]:
    return list(bk.verify(path, sources=seeds).problems)


def codes(path: Path, seeds: Path) -> set[str]:
    return {p.code for p in problems_of(path, seeds)}


def page_texts(path: Path) -> list[str]:
    """What pdftotext reads on each page, its whitespace squashed."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [" ".join(page.split()) for page in out.split("\f")]


def page_with(texts: list[str], pattern: str) -> int:
    found = [k for k, text in enumerate(texts, 1) if re.search(pattern, text)]
    assert found, pattern
    return found[0]


def targets(path: Path) -> dict[str, int]:
    """The page each target is drawn on, as the text shows it."""
    texts = page_texts(path)
    return {
        "later": page_with(texts, r"Later Analysis: Back to"),
        "troops": page_with(texts, r"Table 1\. Troops"),
        "chart": page_with(texts, r"Figure 1\. Analysis: One bar"),
    }


needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed"
)


# -- what the writer writes ------------------------------------------------------------------


def test_a_fresh_file_verifies(fresh: Path, seeds: Path) -> None:
    assert problems_of(fresh, seeds) == []


@needs_pdftotext
def test_each_reference_shows_the_page_its_target_is_drawn_on(fresh: Path) -> None:
    pages = targets(fresh)
    assert pages["troops"] >= 3 and pages["chart"] > pages["troops"]
    assert pages["later"] > pages["chart"]
    first = page_texts(fresh)[0]
    assert (
        f"See “Later” on page {pages['later']}, Table 1 on page {pages['troops']} and "
        f"Figure 1 on page {pages['chart']}." in first
    )
    texts = page_texts(fresh)
    assert f"Read “Later” on page {pages['later']}" in texts[pages["troops"] - 1]
    assert f"Back to Table 1 on page {pages['troops']}, in italics." in texts[pages["later"] - 1]


def test_each_phrase_is_inside_its_link_which_leads_to_the_target(fresh: Path) -> None:
    pdf = read_pdf(fresh)
    page = pdf.pages[0]
    leads = dict(page.ref_links)
    rects = dict(zip((a for a, _ in page.ref_links), page.ref_rects, strict=True))
    body = next(obj for obj in page.objects if "See" in obj.text)
    for anchor, phrase in (
        ("sec-2", f"Later” on page {leads['sec-2']}"),
        ("table-1", f"Table 1 on page {leads['table-1']}"),
        ("figure-1", f"Figure 1 on page {leads['figure-1']}"),
    ):
        at = body.text.index(phrase)
        rect = rects[anchor]
        assert rect is not None
        for k in range(at, at + len(phrase)):
            if not body.text[k].isspace():
                assert rect[0] - 1 <= body.x[k] <= rect[2] + 1, (anchor, body.text[k])
                assert rect[1] <= body.y[k] <= rect[3], (anchor, body.text[k])


def test_the_pages_shown_are_the_pages_the_links_lead_to(fresh: Path) -> None:
    first = read_pdf(fresh).pages[0]
    text = " ".join(first.text.split())
    for anchor, target in first.ref_links:
        assert target is not None
        label = {"sec-2": "“Later”", "table-1": "Table 1", "figure-1": "Figure 1"}[anchor]
        assert f"{label} on page {target}" in text


def test_the_phrase_takes_the_analysis_italics(fresh: Path) -> None:
    pdf = read_pdf(fresh)
    for page in pdf.pages:
        for obj in page.objects:
            at = obj.text.find("Back to")
            if at >= 0:
                end = obj.text.index("in italics")
                assert all(obj.style_at(k) for k in range(at, end) if not obj.text[k].isspace())
                return
    raise AssertionError("no 'Back to'")


def test_two_digit_pages_settle_and_verify(
    corpus: bk.Corpus, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = _count_layouts(monkeypatch)
    path = bk.export(pages_brief(corpus, filler=30), tmp_path / "long.pdf")
    assert problems_of(path, seeds) == []
    pages = targets(path) if shutil.which("pdftotext") else {}
    if pages:
        assert pages["later"] >= 10
        first = page_texts(path)[0]
        assert f"“Later” on page {pages['later']}" in first
    assert 2 <= layouts[0] <= 1 + pdf_writer._PAGE_PASSES


@pytest.mark.parametrize(("lang", "later"), [("de", "„Later“ auf Seite"), ("ja", None)])
def test_the_phrase_is_in_the_brief_s_language(
    corpus: bk.Corpus, seeds: Path, tmp_path: Path, lang: str, later: str | None
) -> None:
    try:
        path = bk.export(pages_brief(corpus, filler=8, lang=lang), tmp_path / f"{lang}.pdf")
    except pdf_writer.GlyphCoverageError as err:  # pragma: no cover - depends on the fonts
        pytest.skip(f"no font for {lang}: {err}")
    assert problems_of(path, seeds) == []
    if shutil.which("pdftotext") is None:
        return
    first = page_texts(path)[0]
    troops = page_with(page_texts(path), r"(Tabelle 1\.|表1) Troops")
    if lang == "de":
        assert later is not None and later in first
        assert f"Tabelle 1 auf Seite {troops}" in first
    else:
        assert f"{troops}ページの表1" in first.replace(" ", "")


# -- how many layouts --------------------------------------------------------------------------


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    place = Layout.place

    def counted(self: Layout, items: Any) -> None:
        calls[0] += 1
        place(self, items)

    monkeypatch.setattr(Layout, "place", counted)
    return calls


def test_only_briefs_with_a_page_reference_lay_out_again(
    corpus: bk.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = _count_layouts(monkeypatch)
    plain = bk.Brief(
        title="Plain",
        sections=[bk.section("One", bk.paragraph(bk.analysis("See ", bk.ref("two"), ".")),
                             *_fill(3)),
                  bk.section("Two", *_fill(2), id="two")],
    )  # fmt: skip
    bk.export(plain, tmp_path / "plain.pdf")
    assert layouts[0] == 1
    layouts[0] = 0
    bk.export(pages_brief(corpus, filler=3), tmp_path / "paged.pdf")
    assert layouts[0] == 2  # one to learn the pages, one that draws them (they settle)


def test_pages_that_do_not_settle_are_an_export_error(
    corpus: bk.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = [0]
    place = Layout.place

    def moving(self: Layout, items: Any) -> None:  # each layout moves the targets
        calls[0] += 1
        place(self, items)
        for key in self.dest_pages:
            self.dest_pages[key] += calls[0]

    monkeypatch.setattr(Layout, "place", moving)
    with pytest.raises(ExportError, match="do not settle"):
        bk.export(pages_brief(corpus, filler=2), tmp_path / "never.pdf")
    assert calls[0] == 1 + pdf_writer._PAGE_PASSES


# -- tampering ---------------------------------------------------------------------------------


def _troops_page(fresh: Path) -> int:
    return dict(read_pdf(fresh).pages[0].ref_links)["table-1"] or 0


def test_an_edited_page_number_is_a_page_ref_problem(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    n = _troops_page(fresh)
    was = f"(Table 1 on page {n})".encode()
    path = edit_content(
        fresh, tmp_path / "t.pdf", lambda d: d.replace(was, f"(Table 1 on page {n + 1})".encode())
    )
    problems = problems_of(path, seeds)
    assert {p.code for p in problems} == {"page-ref"}, problems
    assert "table-1" in problems[0].message and problems[0].sentence == "s1"


def test_a_phrase_cut_to_the_reference_is_a_page_ref_problem(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    was = f"(Table 1 on page {_troops_page(fresh)})".encode()
    path = edit_content(fresh, tmp_path / "t.pdf", lambda d: d.replace(was, b"(Table 1)"))
    assert codes(path, seeds) == {"page-ref"}


def test_a_page_number_added_to_is_a_page_ref_problem(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    n = _troops_page(fresh)
    was = f"(Table 1 on page {n})".encode()
    path = edit_content(
        fresh, tmp_path / "t.pdf", lambda d: d.replace(was, f"(Table 1 on page {n}0)".encode())
    )
    assert codes(path, seeds) == {"page-ref"}


def _annotate(src: Path, dst: Path, change: Callable[[Any], None]) -> Path:
    writer = PdfWriter(clone_from=src)
    annots: Any = writer.pages[0]["/Annots"]
    for ref in annots:
        annot = ref.get_object()
        if annot.get("/BriefkitRef") == "table-1":
            change(annot)
    writer.write(dst)
    return dst


def test_a_phrase_outside_its_link_is_a_page_ref_problem(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    def shrink(annot: Any) -> None:  # the link over "Table" alone
        x0, y0, _x1, y1 = (float(v) for v in annot["/Rect"])
        annot[NameObject("/Rect")] = ArrayObject(
            [FloatObject(x0), FloatObject(y0), FloatObject(x0 + 25), FloatObject(y1)]
        )

    problems = problems_of(_annotate(fresh, tmp_path / "t.pdf", shrink), seeds)
    assert {p.code for p in problems} == {"page-ref"}, problems
    assert "outside its link to table-1" in problems[0].message


def test_a_link_and_number_moved_together_are_both_reported(
    fresh: Path, tmp_path: Path, seeds: Path
) -> None:
    n = _troops_page(fresh)
    reader = PdfReader(fresh)
    elsewhere = reader.pages[n].indirect_reference  # the page after the table's

    def move(annot: Any) -> None:
        dest = annot["/Dest"]
        dest[0] = elsewhere

    moved = _annotate(fresh, tmp_path / "m.pdf", move)
    was = f"(Table 1 on page {n})".encode()
    path = edit_content(
        moved, tmp_path / "t.pdf", lambda d: d.replace(was, f"(Table 1 on page {n + 1})".encode())
    )
    found = codes(path, seeds)
    assert found == {"page-ref", "link-differs"}, found


@needs_pdftotext
def test_pdftotext_reads_the_phrase_and_the_page(fresh: Path) -> None:
    texts = page_texts(fresh)
    troops = page_with(texts, r"Table 1\. Troops")
    assert f"Table 1 on page {troops}" in texts[0]


def test_with_contents_both_kinds_of_page_verify(
    corpus: bk.Corpus, seeds: Path, tmp_path: Path
) -> None:
    brief = attrs.evolve(pages_brief(corpus, filler=12), contents=True)
    path = bk.export(brief, tmp_path / "contents.pdf")
    assert problems_of(path, seeds) == []
    first = read_pdf(path).pages[0]
    leads = dict(first.ref_links)
    assert f"“Later” on page {leads['sec-2']}" in " ".join(first.text.split())


def test_a_heading_that_shows_nothing_stands_on_the_page_of_what_follows(
    corpus: bk.Corpus, tmp_path: Path, seeds: Path
) -> None:
    """A heading of format characters only (U+200B) is drawn but shows nothing, so no glyph
    places it: a reference to it leads to, and gives, the page of what follows it (a heading
    is kept with its first lines)."""
    cite = corpus["000_28b258b49d188a62.txt"].paraphrase("US has 50,000 troops")
    filler = [bk.paragraph(*[bk.sentence("Filler text.", cite=cite)] * 12) for _ in range(6)]
    brief = bk.Brief(
        title="T",
        key_points=[
            bk.sentence("See ", bk.ref("inv", page=True), " and ", bk.ref("inv"), ".", cite=cite)
        ],
        sections=[
            bk.section("A", *filler),
            bk.section("\u200b", bk.paragraph(bk.analysis("Under no heading.")), id="inv"),
        ],
    )
    path = bk.export(brief, tmp_path / "b.pdf")
    report = bk.verify(path, sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
    pages = read_pdf(path).pages
    on = next(p.number for p in pages if any("Under no heading" in o.text for o in p.objects))
    assert on > 1 and f"on page {on}" in "".join(o.text for o in pages[0].objects)


def test_a_page_phrase_anywhere_in_a_paragraph_stands_inside_its_link(
    tmp_path: Path, seeds: Path
) -> None:
    """reportlab places a link's rectangle as if a justified line's spaces were not widened;
    the phrase of a reference with its page, wherever the line breaks it, stays inside its
    link (a paragraph with a link is set ragged-right)."""
    sentences = [
        bk.analysis("Word " * n, bk.ref("later", page=True), " and more words" * 12, ".")
        for n in range(24)
    ]
    brief = bk.Brief(
        title="T",
        sections=[
            bk.section("A", bk.paragraph(*sentences)),
            bk.section("Later", bk.paragraph(bk.analysis("Here.")), id="later"),
        ],
    )
    report = bk.verify(bk.export(brief, tmp_path / "b.pdf"), sources=seeds)
    assert report.problems == (), [str(p) for p in report.problems]
