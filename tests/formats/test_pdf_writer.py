from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

import briefkit as bk
from briefkit.formats.pdf import FontSet, GlyphCoverageError, PdfExporter
from briefkit.formats.pdf.reader import read_pdf
from briefkit.styles import DEFAULT_STYLE, CslStyle
from briefs import alliance_brief


def _brief(corpus: bk.Corpus) -> bk.Brief:
    return alliance_brief(corpus, block_quote=False)


def _notes_on_their_pages(data: bytes, plan: bk.NotePlan) -> None:
    contents = read_pdf(data)
    for page in contents.pages:
        assert set(page.internal_links) <= {page.number}
    marks = contents.mark_pages()
    assert len(marks) == len(plan.notes)
    for page_no, note in zip(marks, plan.notes, strict=True):
        squashed = "".join(contents.pages[page_no - 1].text.split())
        head = "".join(note.text.split())[:40]
        assert head in squashed, (note.number, page_no)


def test_example_pdf_verifies_and_has_everything(
    tmp_path: Path, corpus: bk.Corpus, seeds: Path
) -> None:
    path = bk.export(_brief(corpus), tmp_path / "b.pdf")
    report = bk.verify(path, sources=seeds)
    assert report.ok, report
    reader = PdfReader(str(path))
    meta = reader.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == ("Alliance", "Analyst", "Sub")
    assert meta.creation_date is not None
    assert meta.creation_date.isoformat().startswith("2026-11-21T00:00:00")
    assert [o.title for o in reader.outline if not isinstance(o, list)] == [
        "Key points",
        "Tone",
        "Bibliography",
    ]
    embedded = json.loads(reader.attachments["briefkit-provenance.json"][0])
    assert embedded == json.loads(bk.render(_brief(corpus), "json"))
    _notes_on_their_pages(path.read_bytes(), bk.NotePlan.build(_brief(corpus)))


def test_pdf_is_deterministic(corpus: bk.Corpus) -> None:
    assert bk.render(_brief(corpus), "pdf") == bk.render(_brief(corpus), "pdf")
    letter = bk.render(_brief(corpus), PdfExporter(page_size="Letter"))
    box = PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 792.0)


@pytest.mark.skipif(
    shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed"
)
def test_only_embedded_fonts(tmp_path: Path, corpus: bk.Corpus) -> None:
    path = bk.export(_brief(corpus), tmp_path / "b.pdf")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes", row  # the "emb" column


def _japanese_fonts() -> bool:
    return any(p.name.startswith("ipaex") for p in FontSet.discover().fallbacks)


@pytest.mark.skipif(
    not _japanese_fonts(), reason="no Japanese TrueType font (fonts-ipaexfont-gothic)"
)
def test_japanese_text_renders_and_extracts(tmp_path: Path) -> None:
    text = "日米同盟は「アジア太平洋の平和と繁栄」に重要な役割を果たす。Abe said so."
    src = bk.Source.from_text("ja.txt", text)
    brief = bk.Brief(title="日本語 brief", key_points=[bk.sentence(src.quote(text[:-13]))])
    data = bk.render(brief, "pdf")
    extracted = "".join(read_pdf(data).pages[0].text.split())
    assert "".join(text[:-13].split()) in extracted
    assert "日本語brief" in extracted


def test_uncovered_characters_are_named_before_layout() -> None:
    found = FontSet.discover()
    vera_only = FontSet(
        Path(found.regular),
        Path(found.bold),
        Path(found.italic),
        Path(found.bold_italic),
        fallbacks=(),
    )
    src = bk.Source.from_text("x.txt", "plain text then 日本 and more")
    brief = bk.Brief(title="T", key_points=[bk.sentence(src.quote("plain text then 日本"))])
    with pytest.raises(
        GlyphCoverageError, match=r"U\+65E5 '日' in sentence s1 \(key points › item 1\)"
    ) as err:
        bk.render(brief, PdfExporter(fonts=vera_only))
    assert "export to DOCX" in str(err.value)


def _control_pictures() -> bool:
    from briefkit.formats.pdf._fonts import RegisteredFonts

    return RegisteredFonts(FontSet.discover()).face_for("␁") is not None


@pytest.mark.skipif(
    not _control_pictures(), reason="no font with Control Pictures (fonts-freefont-ttf)"
)
def test_markup_in_data_is_never_interpreted() -> None:
    hostile = (
        '<b>bold</b> <a href="javascript:alert(1)">x</a> <img src="x.png"/> <font size="40">big'
        "</font> &amp; &nbsp; &#65; <super>1</super> ]]> \x01 end"
    )
    src = bk.Source.from_text("h.txt", hostile)
    meta_src = bk.Source.from_text(
        "m.txt", "Title", meta=bk.SourceMeta(title="<i>T</i>", url="javascript:alert(1)")
    )
    brief = bk.Brief(
        title="<b>T</b>",
        key_points=[bk.sentence(src.quote(hostile)), bk.sentence(meta_src.quote("Title"))],
    )
    data = bk.render(brief, "pdf")
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    flat = " ".join(text.split())
    for literal in (
        "<b>bold</b>",
        '<a href="javascript:alert(1)">x</a>',
        '<img src="x.png"/>',
        "&amp; &nbsp; &#65;",
        "<super>1</super>",
        "<b>T</b>",
        "<i>T</i>",
    ):
        assert literal in flat, literal
    assert "␁" in text  # a control character is shown one-for-one
    uris = [
        a.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for a in page.get("/Annots", []) or []
    ]
    assert not [u for u in uris if u and "javascript" in str(u)]


def test_many_notes_long_notes_and_split_paragraphs_keep_the_page_rule() -> None:
    words = " ".join(f"w{i:05d}" for i in range(4000))
    src = bk.Source.from_text("long.txt", words)
    spans = [
        src.paraphrase(f"w{i:05d}")
        if i % 7
        else src.quote(" ".join(f"w{j:05d}" for j in range(i, i + 3)))
        for i in range(1, 3000, 11)
    ]
    paragraphs = [
        bk.paragraph(
            *(
                bk.sentence(
                    f"Sentence {k} says something about the matter at hand.", cite=spans[k + j]
                )
                for j in range(6)
            )
        )
        for k in range(0, 240, 6)
    ]
    huge_note = [src.paraphrase(f"w{i:05d}") for i in range(3000, 3400)]
    brief = bk.Brief(
        title="Stress",
        sections=[
            bk.section("Many notes", *paragraphs[:20]),
            bk.section(
                "A note longer than a page",
                bk.paragraph(bk.sentence("This one cites 400 spans.", cite=huge_note)),
            ),
            bk.section("After", *paragraphs[20:]),
        ],
    )
    # audit references ([long.txt, chars a–b]) make the note of 400 citations longer than a page
    plan = bk.NotePlan.build(brief, style=CslStyle(DEFAULT_STYLE, show_spans=True))
    data = bk.render(plan, "pdf")
    contents = read_pdf(data)
    assert len(contents.pages) > 5
    _notes_on_their_pages(data, plan)
    # the long note continues: its last reference is on a later page than its mark
    big = next(n for n in plan.notes if len(n.citations) == 400)
    mark_page = contents.mark_pages()[big.number - 1]
    last_ref = re.escape("[long.txt, chars ") + str(big.citations[-1].excerpt.start)
    later = [p.number for p in contents.pages if re.search(last_ref, " ".join(p.text.split()))]
    assert later and later[0] > mark_page


def test_verify_flags_a_pdf_whose_notes_disagree(
    tmp_path: Path, corpus: bk.Corpus, seeds: Path
) -> None:
    brief = _brief(corpus)
    other = bk.Brief(
        title=brief.title,
        subtitle=brief.subtitle,
        author=brief.author,
        date=brief.date,
        key_points=brief.key_points[::-1] * 1,
        sections=brief.sections,
    )
    pages = PdfExporter().render_pages(bk.NotePlan.build(other))
    # graft the true brief's manifest onto a PDF that shows different notes
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pages))
    manifest_json = bk.render(
        bk.Brief(title="T", key_points=[brief.key_points[0], brief.key_points[0]]), "json"
    )
    writer.add_attachment("briefkit-provenance.json", manifest_json)
    path = tmp_path / "forged.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    report = bk.verify(path, sources=seeds)
    assert not report.ok
    assert report.problems


def test_bold_and_italic_text_never_loses_a_glyph(tmp_path: Path) -> None:
    # DejaVu Serif has ℝ upright but not in bold or italic: it must come from a fallback face
    src = bk.Source.from_text("r.txt", "Growth in ℝ and a\u1ab5b, it\x92s \u200bhere.")
    brief = bk.Brief(
        title="Growth in ℝ",
        sections=[
            bk.section(
                "The set ℝ",
                bk.paragraph(bk.analysis("Over ℝ.", cite=src.paraphrase("Growth in ℝ"))),
            )
        ],
        key_points=[bk.sentence(src.quote(src.text))],
    )
    path = bk.export(brief, tmp_path / "r.pdf")
    text = "".join(PdfReader(str(path)).pages[0].extract_text().split())
    assert text.count("ℝ") >= 4
    assert "\x00" not in text
    assert bk.verify(path, sources=_write(tmp_path / "src", src)).ok


def _write(root: Path, *sources: bk.Source) -> Path:
    root.mkdir()
    for s in sources:
        (root / s.id).write_bytes(s.text.encode())
    return root


def test_a_zero_width_no_break_space_leaves_the_text_after_it_in_order(tmp_path: Path) -> None:
    # pypdf reads U+FEFF as an Arabic presentation form and reversed the ":?" after it
    src = bk.Source.from_text("a.txt", "a\ufeff:?0")
    brief = bk.Brief(
        title="a", key_points=[bk.Sentence((src.quote(start=0, end=1),), analysis=True)]
    )
    path = bk.export(brief, tmp_path / "z.pdf")
    text = "".join(read_pdf(path).pages[0].text.split())
    assert "“a\u2060:?0,”line1." in text  # drawn as U+2060 WORD JOINER
    assert bk.verify(path, sources=_write(tmp_path / "src", src)).ok


def test_a_paragraph_that_starts_with_blank_lines_splits_at_the_foot_of_a_page() -> None:
    # reportlab cannot split a paragraph after lines that hold no word: with filler that leaves
    # room for two lines, the widow rule splits "\n\nText." after its first (blank) line
    src = bk.Source.from_text("s.txt", "Alpha beta gamma delta. " * 20)
    cite = src.paraphrase(start=0, end=23)
    for n in range(56, 76):
        brief = bk.Brief(
            title="T",
            key_points=[
                bk.sentence("Filler " * (8 * n), cite=cite),
                bk.sentence("\n\nAfter two blank lines.", cite=cite),
            ],
        )
        plan = bk.NotePlan.build(brief)
        _notes_on_their_pages(bk.render(plan, "pdf"), plan)


def test_a_body_run_ends_at_the_first_character_the_body_face_lacks() -> None:
    # the markup takes each run of what the body face draws whole: the run must stop exactly
    # where a character needs another face (or none), wherever it starts
    from briefkit.formats.pdf._fonts import RegisteredFonts
    from briefkit.formats.pdf._markup import markup

    fonts = RegisteredFonts(FontSet.discover())
    text = "Tokyo 日本 naïve \u0301x ]-^\\ façade 😀\x00 end\u2060 ok"
    for start in range(len(text) + 1):
        end = start
        while end < len(text) and fonts.body_covers(text[end]):
            end += 1
        assert fonts.body_run(text, start) == end, (start, text[start:])
    shown = markup("Ab 日本 c\u0301 😀 ]-^\\ x", fonts)
    assert shown.startswith("Ab ") and "]-^\\ x" in shown
