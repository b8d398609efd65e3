"""Right-to-left and shaped scripts in the PDF: Arabic, Hebrew, Devanagari, Thai.

Lines are drawn in display order and shaped (see ``briefkit.formats.pdf._shaping``); briefkit's
reader puts each line back in logical order only when its glyphs show the text its span gives,
and pdftotext reads the words in logical order too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import TypeAlias

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit import _bidi
from briefkit._text import ignorable, shown
from briefkit.formats.pdf import FontSet, GlyphCoverageError, PdfExporter
from briefkit.formats.pdf._container import FURTHER_GLYPH
from briefkit.formats.pdf._fonts import RegisteredFonts
from briefkit.formats.pdf._shaping import _SHAPER, to_unicode_text
from briefkit.formats.pdf.reader import NO_PLACE, _Budget, _Glyph, _Page, read_pdf
from hostile.bounded import run_bounded
from make_pdf import edit_content

_FONTS = RegisteredFonts(FontSet.discover())

ARABIC = (
    "التقرير السنوي لعام 2024: بلغ عدد القوات 47000 جندي في القاعدة. وقال الوزير: «الدعم مستمر»."
)
HEBREW = 'הדוח קובע כי התמיכה הגיעה ל-1.6 מיליארד דולר בשנת 2023. השר אמר: "זה לא מספיק".'
HINDI = "रिपोर्ट के अनुसार 54000 सैनिक तैनात हैं। मंत्री ने कहा कि सहायता जारी रहेगी।"
THAI = "รายงานระบุว่ามีทหาร 50000 นายประจำการอยู่"


def _covered(*texts: str) -> bool:
    return not any(_FONTS.uncovered(shown(t), ignorable=ignorable) for t in texts)


needs_fonts = pytest.mark.skipif(
    not _covered(ARABIC, HEBREW, HINDI, THAI),
    reason="no installed font draws Arabic, Hebrew, Devanagari and Thai "
    "(Debian: fonts-dejavu-core and fonts-freefont-ttf)",
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def _corpus(root: Path) -> bk.Corpus:
    for name, text in (("ar.txt", ARABIC), ("he.txt", HEBREW), ("hi.txt", HINDI), ("th.txt", THAI)):
        (root / name).write_text(text + "\n", encoding="utf-8")
    return bk.Corpus.from_dir(root)


def _brief(corpus: bk.Corpus) -> bk.Brief:
    ar, he, hi, th = corpus["ar.txt"], corpus["he.txt"], corpus["hi.txt"], corpus["th.txt"]
    return bk.Brief(
        title="Reports in four scripts",
        author="Analyst",
        date="2026-12-06",
        key_points=[
            bk.sentence(
                "The reports disagree: ",
                ar.figure("47000", unit="troops", within="بلغ عدد القوات 47000 جندي"),
                " against ",
                hi.figure("54000", unit="troops", within="54000 सैनिक तैनात हैं"),
                ".",
            )
        ],
        sections=[
            bk.section(
                "What the sources say",
                bk.paragraph(
                    bk.sentence(
                        "The Arabic report: ", ar.quote("بلغ عدد القوات 47000 جندي في القاعدة"), "."
                    ),
                    bk.sentence(
                        "The Hebrew report puts support at ",
                        he.figure("1.6 מיליארד דולר", within="הגיעה ל-1.6 מיליארד דולר"),
                        ", and the minister said ",
                        he.quote("זה לא מספיק"),
                        ".",
                    ),
                    bk.sentence(
                        "The Hindi report: ", hi.quote("मंत्री ने कहा कि सहायता जारी रहेगी"), "."
                    ),
                    bk.sentence("The Thai report: ", th.quote("รายงานระบุว่ามีทหาร 50000 นาย"), "."),
                    bk.analysis("The figures disagree."),
                ),
            ),
            bk.section(
                "مقتطف عربي", bk.paragraph(bk.sentence(ar.quote("وقال الوزير: «الدعم مستمر»"), "."))
            ),
        ],
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("scripts")
    path = root / "brief.pdf"
    bk.export(_brief(_corpus(root)), path)
    return root, path


def _words(pattern: str, text: str) -> list[str]:
    return re.findall(pattern, text)


_SCRIPT_WORDS = {
    "Arabic": "[\u0600-\u06ff]+",
    "Hebrew": "[\u0590-\u05ff]+",
    "Devanagari": "[\u0900-\u097f]+",
    "Thai": "[\u0e00-\u0e7f]+",
}


def _in_order(wanted: list[str], found: list[str]) -> bool:
    """Whether ``wanted`` is a run of ``found``."""
    n = len(wanted)
    return any(found[i : i + n] == wanted for i in range(len(found) - n + 1))


@needs_fonts
def test_a_brief_quoting_four_scripts_verifies(written: tuple[Path, Path]) -> None:
    root, path = written
    report = bk.verify(path, sources=root)
    assert [p for p in report.problems if p.severity == "error"] == []
    assert report.ok


@needs_fonts
def test_the_reader_gives_every_sentence_in_logical_order(written: tuple[Path, Path]) -> None:
    _root, path = written
    text = " ".join(" ".join(page.text.split()) for page in read_pdf(path).pages)
    for quoted in (
        "بلغ عدد القوات 47000 جندي في القاعدة",
        "1.6 מיליארד דולר",
        "זה לא מספיק",
        "मंत्री ने कहा कि सहायता जारी रहेगी",
        "รายงานระบุว่ามีทหาร 50000 นาย",
        "وقال الوزير: «الدعم مستمر»",
    ):
        assert quoted in text


@needs_fonts
@needs_pdftotext
def test_pdftotext_reads_the_words_of_every_script_in_logical_order(
    written: tuple[Path, Path],
) -> None:
    """pdftotext orders right-to-left runs itself, from the glyphs' places and texts; a
    number or punctuation inside right-to-left words cuts them into runs that pdftotext puts
    in the order they stand on the page (its ordering is not the Unicode algorithm's), so the
    words are compared run by run: between numbers and punctuation."""
    _root, path = written
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    for quoted, script in (
        ("بلغ عدد القوات 47000 جندي في القاعدة", "Arabic"),
        ("وقال الوزير: «الدعم مستمر»", "Arabic"),
        ("1.6 מיליארד דולר", "Hebrew"),
        ("זה לא מספיק", "Hebrew"),
        ("मंत्री ने कहा कि सहायता जारी रहेगी", "Devanagari"),
        ("รายงานระบุว่ามีทหาร 50000 นาย", "Thai"),
    ):
        pattern = _SCRIPT_WORDS[script]
        found = _words(pattern, out)
        for part in re.split(r"[0-9.,:;«»“”'\"-]+", quoted):
            assert _in_order(_words(pattern, part), found), (part, out)


def _glyph_xs(path: Path, word: str) -> list[float]:
    for page in read_pdf(path).pages:
        for obj in page.objects:
            at = obj.text.find(word)
            if at != -1:
                return list(obj.x[at : at + len(word)])
    raise AssertionError(f"{word!r} is not on any page")


@needs_fonts
def test_hebrew_letters_stand_right_to_left_and_digits_left_to_right(
    written: tuple[Path, Path],
) -> None:
    _root, path = written
    letters = _glyph_xs(path, "מיליארד")
    assert letters == sorted(letters, reverse=True)  # the first letter stands rightmost
    digits = _glyph_xs(path, "47000")
    assert digits == sorted(digits)


@needs_fonts
def test_the_quotation_stands_between_its_marks_and_the_note_mark_after(
    written: tuple[Path, Path],
) -> None:
    """The words inside a quotation are ordered on their own: an Arabic quotation at the end
    of an English sentence keeps the closing mark, the full stop and the note mark after it,
    on its left-to-right side."""
    _root, path = written
    quoted = "بلغ عدد القوات 47000 جندي في القاعدة"
    for page in read_pdf(path).pages:
        for obj in page.objects:
            at = obj.text.find("The Arabic report: “" + quoted + "”.")
            if at == -1:
                continue
            opening = at + len("The Arabic report: ")
            closing = opening + 1 + len(quoted)
            words = obj.x[opening + 1 : closing]
            assert obj.x[opening] < min(words)  # “ on the left of the words
            assert max(words) < obj.x[closing] < obj.x[closing + 1]  # then ” and the full stop
            return
    raise AssertionError("the sentence is not on any page")


def _font(name: str) -> str:
    for face, cmap in _FONTS.fallbacks:
        if ord(name) in cmap:
            return face
    raise AssertionError(f"no face draws {name!r}")


@needs_fonts
def test_arabic_letters_take_their_joined_forms() -> None:
    glyphs, _data = _SHAPER.shape(_font("ب"), "ببب", rtl=True)
    assert len(set(glyphs)) == 3  # final, medial and initial forms: three glyphs
    assert [to_unicode_text(ord(g)) for g in glyphs] == ["ب", "ب", "ب"]


@needs_fonts
def test_a_vowel_sign_drawn_before_its_consonant_reads_after_it() -> None:
    glyphs, _data = _SHAPER.shape(_font("क"), "कि", rtl=False)
    assert [to_unicode_text(ord(g)) for g in glyphs] == ["कि", FURTHER_GLYPH]


def _hex(text: str) -> bytes:
    return ("FEFF" + text.encode("utf-16-be").hex().upper()).encode()


@needs_fonts
def test_a_span_that_says_other_words_than_its_glyphs_is_reported(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    root, path = written
    original = "זה לא מספיק"
    edited = "זה כן מספיק"  # as long, other letters

    def edit(data: bytes) -> bytes:
        return data.replace(_hex(original)[4:], _hex(edited)[4:])

    page = 1 + next(k for k, p in enumerate(read_pdf(path).pages) if original in p.text)
    tampered = edit_content(path, tmp_path / "t.pdf", edit, page=page)
    problems = bk.verify(tampered, sources=root).problems
    assert any(p.code == "differs" for p in problems), problems


@needs_fonts
def test_a_line_without_its_logical_text_reads_as_drawn_and_is_reported(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    root, path = written
    tampered = edit_content(
        path, tmp_path / "t.pdf", lambda d: d.replace(b"/BriefkitText", b"/BriefkitTexx", 1)
    )
    problems = bk.verify(tampered, sources=root).problems
    assert problems


@needs_fonts
def test_a_word_moved_along_its_line_is_not_put_back_in_order(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    """Glyphs drawn out of display order (here a shaped run moved to the line's start) do not
    read as the span's text."""
    root, path = written

    def edit(data: bytes) -> bytes:
        # the first shaped run of the page is written as "[ … ] TJ" after its span opens:
        # move it far left by a large first adjustment
        at = data.index(b"/BriefkitText")
        tj = data.index(b"[", at)
        return data[: tj + 1] + b"30000 " + data[tj + 1 :]

    tampered = edit_content(path, tmp_path / "t.pdf", edit)
    problems = bk.verify(tampered, sources=root).problems
    assert problems


_LETTERS = st.sampled_from(
    [
        *"שלוםעולם",
        *"العربية",
        "\u064e",  # fatha
        "\u0651",  # shadda
        *"हिन्दीभाषा",
        "\u094d",  # virama
        *"ภาษาไทย",
        *"abc",
        *"0123456789",
        *"٠١٢٣",
        *" .,:;-()[]«»“”!?%$/",
        *"\u061c\u200e\u200f\u200c\u200d\u00ad\u00a0",  # ALM, LRM, RLM, ZWNJ, ZWJ, SHY, NBSP
        *"\u202b\u202c\u2067\u2069",  # RLE, PDF, RLI, PDI
    ]
)


@needs_fonts
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(_LETTERS, min_size=1, max_size=120).map("".join),
    data=st.data(),
)
def test_any_mix_of_scripts_verifies(
    text: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("mix")
    (root / "s.txt").write_text(text, encoding="utf-8")
    src = bk.Corpus.from_dir(root)["s.txt"]
    body = src.text
    if not body.strip():
        return
    start = data.draw(st.integers(0, len(body) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(body)), label="end")
    if not body[start:end].strip() or body[start:end] != body[start:end].strip():
        return
    before = data.draw(st.sampled_from(["", "He said ", "שלום ", "قال "]), label="before")
    after = data.draw(st.sampled_from(["", ", in 2024.", " (שלום)."]), label="after")
    try:
        quote = src.quote(start=start, end=end, partial=True)
    except bk.SpanError:
        return  # a span that splits a grapheme cluster
    sentence = bk.sentence(before, quote, after)
    brief = bk.Brief(
        title=data.draw(st.sampled_from(["T", text[:30] or "T"])), key_points=[sentence]
    )
    path = root / "b.pdf"
    try:
        bk.export(brief, path, format=PdfExporter())
    except bk.ValidationError:
        return  # e.g. text the model refuses
    report = bk.verify(path, sources=root)
    assert [p for p in report.problems if p.severity == "error"] == []


# -- the reader's rules, glyph by glyph ------------------------------------------------------


Drawn: TypeAlias = "tuple[str, float] | tuple[str, float, float]"


def _page_with(glyphs: list[Drawn], *, link: int = -1) -> _Page:
    """A page whose text object drew ``(text, x)`` glyphs, in that order (``(text, x,
    rise)`` for a raised one); a glyph whose text is a combining mark or the further glyph
    has no width, the others are under web link ``link`` (``-1``: none)."""
    page = _Page(None, 1, _Budget("t.pdf", 0), {})
    page.glyphs = []
    for k, (text, x, *rise) in enumerate(glyphs):
        up = rise[0] if rise else 0.0
        wide = not (unicodedata.combining(text[0]) or text == FURTHER_GLYPH)
        glyph = _Glyph(
            text, x, 700.0, x + 3.0, 703.5 + up, k, 1, None, "\n" if k == 0 else "", 10.0
        )
        glyph.link = link if wide else NO_PLACE
        page.glyphs.append(glyph)
    return page


def _order(page: _Page, text: str, base: int = 0) -> str:
    """What the page reads as once its glyphs are put in order as the span ``text`` says."""
    page.put_in_logical_order(0, len(page.glyphs), text, base)
    return "".join(g.text for g in page.glyphs)


def _drawn_left_to_right(text: str) -> list[Drawn]:
    return [(ch, 10.0 * k) for k, ch in enumerate(text)]


def test_glyphs_in_display_order_read_as_the_span_says() -> None:
    page = _page_with(_drawn_left_to_right("ab םולש"))
    assert _order(page, "ab שלום") == "ab שלום"
    assert page.glyphs[0].sep == "\n"  # what stood before the line stays before it
    assert [g.sep for g in page.glyphs[1:]] == [""] * 6


def test_only_the_base_level_a_brief_is_written_with_is_taken() -> None:
    # right to left as a whole: "שלום ab" drawn as "ab םולש" — not a line briefkit writes
    assert _order(_page_with(_drawn_left_to_right("ab םולש")), "שלום ab", 1) == "ab םולש"


def test_a_span_whose_text_the_glyphs_do_not_show_leaves_them_as_drawn() -> None:
    """Letters of the same count in another order: taken by their places alone, the glyphs
    would read as the span says."""
    assert _order(_page_with(_drawn_left_to_right("B A")), "ש ל") == "B A"
    assert _order(_page_with(_drawn_left_to_right("םולש")), "שלוס") == "םולש"


@pytest.mark.parametrize(
    ("drawn", "text"),
    [
        # an override would make "74" read as the "47" of the text
        ("74000", "\u202e47\u202c000"),
        ("74000", "\u2067\u202e47\u202c\u2069000"),
        # an isolate right to left around English words would swap them
        ("Jones paid Smith", "\u2067Smith paid Jones\u2069"),
        # an embedding, a mark
        ("21 soldiers", "\u202b12\u202c soldiers"),
        ("2.1", "\u200f1.2"),
    ],
)
def test_direction_controls_other_than_the_writers_isolates_are_not_obeyed(
    drawn: str, text: str
) -> None:
    assert _order(_page_with(_drawn_left_to_right(drawn)), text) == drawn
    # nor when the file draws the controls too, as glyphs standing where the order puts them
    _base, levels = _bidi.paragraph_levels(text, 0)
    shown = "".join(text[i] for i in _bidi.line_order(text, levels, 0, 0, len(text)))
    assert _order(_page_with(_drawn_left_to_right(shown)), text) == shown


def test_glyphs_drawn_out_of_display_order_are_left_as_drawn() -> None:
    # the right text, but the second word drawn at the line's start: a reader sees it first
    glyphs: list[Drawn] = [("ם", 40.0), ("ו", 50.0), ("ל", 60.0), ("ש", 70.0), (" ", 30.0)]
    glyphs += [("ם", 0.0), ("ל", 10.0), ("ו", 20.0), ("ע", 25.0)]
    assert _order(_page_with(glyphs), "עולם שלום") == "םולש םלוע"
    # a full stop moved back between the digits: "4.7" on the page, "47." in the file
    assert _order(_page_with([("4", 0.0), ("7", 10.0), (".", 6.0)]), "47.") == "47."
    # not on one line
    page = _page_with([("ם", 0.0), ("ו", 10.0), ("ל", 20.0), ("ש", 30.0)])
    page.glyphs[2].y -= 300
    assert _order(page, "שלום") == "םולש"
    # a mark drawn a little left of the glyph before it is in order
    assert _order(_page_with([("क", 10.0), ("\u0941", 6.0), ("त", 20.0)]), "कुत") == "कुत"
    # a Hebrew point drawn before its letter (as HarfBuzz gives them), over it
    page = _page_with([("\u05b8", 9.0), ("ב", 10.0), ("ש", 20.0)])
    assert _order(page, "שב\u05b8") == "שב\u05b8"


def test_a_mark_after_a_widened_space_stands_where_the_pen_stands_after_it() -> None:
    # a space 6 wide at 10, widened by 30 of word spacing: the mark after it stands at 46
    drawn: list[Drawn] = [("a", 0.0), (" ", 10.0), ("\u0301", 46.0), ("b", 46.0)]
    drawn += [(" ", 56.0), ("ל", 66.0), ("ש", 76.0)]
    page = _page_with(drawn)
    page.spread[1] = 30.0
    assert _order(page, "a \u0301b של") == "a \u0301b של"
    # without the word spacing, or further than an em past it: not next to its space
    assert _order(_page_with(drawn), "a \u0301b של") == "a \u0301b לש"
    far = [*drawn[:2], ("\u0301", 60.0), *drawn[3:]]
    page = _page_with(far)
    page.spread[1] = 30.0
    assert _order(page, "a \u0301b של") == "a \u0301b לש"


def test_a_further_glyph_of_a_cluster_is_left_out_only_near_it() -> None:
    assert _order(_page_with([("कि", 0.0), (FURTHER_GLYPH, 4.0), ("त", 12.0)]), "कित") == "कित"
    far = _page_with([("कि", 0.0), (FURTHER_GLYPH, 40.0), ("त", 50.0)])
    assert _order(far, "कित") == "कि" + FURTHER_GLYPH + "त"  # not part of the cluster
    # no more than the cluster has characters
    many = [("कि", 0.0), (FURTHER_GLYPH, 4.0), (FURTHER_GLYPH, 8.0), (FURTHER_GLYPH, 9.0)]
    assert FURTHER_GLYPH in _order(_page_with([*many, ("त", 12.0)]), "कित")
    # a sign with no letter: HarfBuzz draws a dotted circle for each, next to the glyph before
    chain: list[Drawn] = [("ीि", 0.0), (FURTHER_GLYPH, 8.0), (FURTHER_GLYPH, 16.0)]
    assert _order(_page_with([*chain, ("त", 24.0)]), "ीित") == "ीित"


def test_a_mark_after_a_cluster_stands_within_an_em_of_its_further_glyphs() -> None:
    """An emoji with a skin tone is one cluster that a face may draw as two glyphs, the second
    with a width; a mark drawn next (before its letter, right to left) is measured from the
    cluster's end, not its first glyph's."""
    drawn: list[Drawn] = [("ש", 0.0), ("👩🏽", 10.0), (FURTHER_GLYPH, 16.0), ("\u0652", 28.0)]
    drawn += [("ل", 27.0)]
    page = _page_with(drawn)
    page.glyphs[2].link = -1  # the further glyph has a width
    assert _order(page, "لْ👩🏽ש") == "لْ👩🏽ש"
    # without a width, the mark stands more than an em past the cluster
    assert _order(_page_with(drawn), "لْ👩🏽ש") == "ש👩🏽" + FURTHER_GLYPH + "\u0652ل"


def test_the_writers_isolates_order_the_span_and_are_not_read() -> None:
    # "a “שלום”" with the quotation isolated: the isolates have no glyph
    page = _page_with(_drawn_left_to_right("a “םולש”"))
    assert _order(page, "a “\u2068שלום\u2069”") == "a “שלום”"
    # a quotation not isolated, or isolated elsewhere, is not the writer's: as drawn
    page = _page_with(_drawn_left_to_right("a “םולש”"))
    assert _order(page, "a “שלום”") == "a “םולש”"
    page = _page_with(_drawn_left_to_right("a ל“םוש”"))
    assert _order(page, "a \u2068“שלום”\u2069") == "a ל“םוש”"


def test_a_left_to_right_isolate_must_hold_a_link_or_a_note_mark() -> None:
    # "ש a ת": an isolate around "a" would draw the Hebrew words the other way round
    drawn = _drawn_left_to_right("ת a ש")
    text = "ש \u2066a\u2069 ת"
    assert _order(_page_with(drawn), text) == "ת a ש"  # no link: as drawn
    assert _order(_page_with(drawn, link=0), text) == "ש a ת"  # under one web link
    # a note's mark: raised digits
    marked: list[Drawn] = [("ם", 0.0), ("ש", 10.0), ("1", 20.0, 4.0)]
    assert _order(_page_with(marked), "ש\u2066ם1\u2069") == "םש1"  # not digits only: as drawn
    assert _order(_page_with(marked), "שם\u20661\u2069") == "שם1"
    flat: list[Drawn] = [("ם", 0.0), ("ש", 10.0), ("1", 20.0)]
    assert _order(_page_with(flat), "שם\u20661\u2069") == "םש1"  # not raised: as drawn


# -- what the writer isolates ------------------------------------------------------------------


def _placed(root: Path, sentence: bk.Sentence, text: str) -> tuple[list[float], int]:
    """Where the glyphs of the text object that shows ``text`` stand, and where ``text``
    starts in it, in a PDF of a brief of ``sentence`` alone (which verifies)."""
    path = root / "b.pdf"
    bk.export(bk.Brief(title="T", key_points=[sentence]), path)
    assert bk.verify(path, sources=root).ok
    for page in read_pdf(path).pages:
        for obj in page.objects:
            at = obj.text.find(text)
            if at != -1:
                return list(obj.x), at
    raise AssertionError(f"{text!r} is not on any page")


@needs_fonts
def test_a_number_after_an_arabic_quotation_stays_after_it(tmp_path: Path) -> None:
    quoted = "بلغ عدد القوات"
    sentence = bk.sentence("In ", _corpus(tmp_path)["ar.txt"].quote(quoted), ", 12 units.")
    xs, at = _placed(tmp_path, sentence, quoted + "”, 12")
    close, comma, one = (xs[at + len(quoted) + k] for k in (0, 1, 3))
    assert max(xs[at : at + len(quoted)]) < close < comma < one


@needs_fonts
def test_the_full_stop_and_note_mark_after_hebrew_words_stay_after_them(tmp_path: Path) -> None:
    words = "מיליארד דולר"
    figure = _corpus(tmp_path)["he.txt"].figure("1.6 " + words, within="ל-1.6 " + words)
    xs, at = _placed(tmp_path, bk.sentence("Support reached ", figure, "."), words + ".1")
    stop, mark = at + len(words), at + len(words) + 1
    assert max(xs[at:stop]) < xs[stop] < xs[mark]


@needs_fonts
def test_a_mark_after_a_space_a_justified_line_widens_stays_in_order(tmp_path: Path) -> None:
    """A combining mark after a space is drawn where the pen stands after the space: on a
    justified line, past the word spacing that widens it. The line holding Hebrew still reads
    in logical order."""
    # the long word goes on to the next line: the first, justified, has few spaces to widen
    text = "a \u0301b שלום " + "x" * 70
    brief = bk.Brief(title="T", sections=[bk.section("S", bk.paragraph(bk.analysis(text)))])
    path = tmp_path / "b.pdf"
    bk.export(brief, path)
    report = bk.verify(path, sources=tmp_path)
    assert [p for p in report.problems if p.severity == "error"] == []
    assert any("\u0301b שלום" in obj.text for obj in read_pdf(path).pages[0].objects)


@pytest.mark.skipif(not _covered("لْ👩🏽ש"), reason="no installed font draws the emoji")
def test_a_mark_after_an_emoji_of_two_glyphs_in_a_right_to_left_run_is_in_order(
    tmp_path: Path,
) -> None:
    text = "لْ👩🏽ש"
    brief = bk.Brief(title="T", sections=[bk.section("S", bk.paragraph(bk.analysis(text)))])
    path = tmp_path / "b.pdf"
    bk.export(brief, path)
    report = bk.verify(path, sources=tmp_path)
    assert [p for p in report.problems if p.severity == "error"] == []


@needs_fonts
def test_link_words_after_hebrew_stand_under_their_link(tmp_path: Path) -> None:
    """Link words that start with neutral characters after Hebrew would join the Hebrew run
    and be drawn apart from the rest of the link: ordered on their own, they stay together
    under one rectangle."""
    he = _corpus(tmp_path)["he.txt"]
    brief = bk.Brief(
        title="T",
        key_points=[
            bk.sentence(
                he.quote("זה לא מספיק"), " ", bk.link("https://example.org/a", "[1] site"), "."
            )
        ],
    )
    path = tmp_path / "b.pdf"
    bk.export(brief, path)
    report = bk.verify(path, sources=tmp_path)
    assert [p for p in report.problems if p.severity == "error"] == []


@needs_fonts
def test_the_same_brief_gives_the_same_bytes_whatever_was_shaped_before(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    """Shaped glyphs are named to reportlab by characters given out in the order a process
    first meets them; none of them reaches the file."""
    _root, path = written
    program = (
        "import sys\n"
        "sys.path[:0] = [sys.argv[1], sys.argv[1] + '/..']\n"
        "import briefkit as bk\n"
        "from test_pdf_scripts import _brief, _corpus\n"
        "from pathlib import Path\n"
        "other = bk.Source.from_text('x.txt', 'ثلاثة كتب وشجرة; ตัวอย่าง; उदाहरण')\n"
        "bk.render(bk.Brief(title='x', key_points=[bk.sentence(other.quote(other.text))]), 'pdf')\n"
        "sys.stdout.buffer.write(bk.render(_brief(_corpus(Path(sys.argv[2]))), 'pdf'))\n"
    )
    again = subprocess.run(
        [sys.executable, "-c", program, str(Path(__file__).parent), str(tmp_path)],
        capture_output=True,
        check=True,
    ).stdout
    assert again == path.read_bytes()


# -- hostile spans -------------------------------------------------------------------------------


def _span(text: str, base: int = 0) -> bytes:
    return b"/Span <</BriefkitText <" + _hex(text) + b"> /BriefkitBase %d>> BDC " % base


def test_spans_nested_many_times_are_read_in_linear_time(tmp_path: Path) -> None:
    """Each span's work is bounded by its own text: 20,000 nested spans around a line of
    20,000 glyphs read quickly (the line reads as drawn: no span's text is its)."""
    line = b"a" * 20_000
    content = b"BT /F1 10 Tf 10 700 Td (" + line + b") Tj ET"
    (tmp_path / "c.bin").write_bytes(_span("b") * 20_000 + content + b" EMC" * 20_000)
    result = run_bounded(
        "from briefkit.formats.pdf.reader import _Budget, _Page, _State\n"
        "data = open('c.bin', 'rb').read()\n"
        "budget = _Budget('c.pdf', len(data) * 100)\n"
        "budget.start_page(1)\n"
        "page = _Page({}, 1, budget, {})\n"
        "page.run(data, {}, _State(), 0)\n"
        "print(len(page.glyphs), page.glyphs[0].text)\n",
        cwd=tmp_path,
        seconds=20,
    )
    assert result.ok, result
    assert result.stdout.split()[0] == "20000"


@needs_fonts
def test_a_private_character_of_the_text_is_never_a_shaped_glyph() -> None:
    """The private characters that name shaped glyphs are reportlab's business: a brief's own
    character there is drawn only by a face that maps it itself (none here), never as the
    shaped glyph that happens to share its code."""
    glyphs, _data = _SHAPER.shape(_font("ب"), "ببب", rtl=True)
    fonts = RegisteredFonts(FontSet.discover())
    assert fonts.uncovered("".join(glyphs)) == sorted(set(glyphs))
    src = bk.Source.from_text("p.txt", "x " + glyphs[0] + " y")
    brief = bk.Brief(title="T", key_points=[bk.sentence(src.quote(src.text))])
    with pytest.raises(GlyphCoverageError, match=f"U\\+{ord(glyphs[0]):04X}"):
        bk.render(brief, "pdf")


@needs_fonts
@pytest.mark.parametrize("control", ["\u061c", "\u200f", "\u2067", "\u202e"])
def test_direction_controls_in_a_source_are_obeyed_and_not_drawn(
    tmp_path: Path, control: str
) -> None:
    """ARABIC LETTER MARK, RLM, RLI, RLO: invisible, no font needs them."""
    (tmp_path / "c.txt").write_text(f"The count {control}was 12 in all.", encoding="utf-8")
    src = bk.Corpus.from_dir(tmp_path)["c.txt"]
    brief = bk.Brief(title="T", key_points=[bk.sentence(src.quote(src.text))])
    path = tmp_path / "b.pdf"
    bk.export(brief, path)
    assert bk.verify(path, sources=tmp_path).problems == ()


@needs_fonts
def test_a_table_cell_of_several_scripts_that_wraps_anywhere_is_drawn(tmp_path: Path) -> None:
    """reportlab's wrapping between any two characters (a cell's last resort) failed with a
    TypeError on a note's destination in this cell; the looser text is drawn instead."""
    quoted = (
        "$1.6bn الله कि reached بلغ न میخواهم لعام न मतरी 24 عدد तनात میخواهم القاعدة عدد "
        "कषतरिय $1.6bn لعام الله रिपोरट لعام कहा कि التقرير मतरी"
    )
    (tmp_path / "s.txt").write_text(quoted, encoding="utf-8")
    src = bk.Corpus.from_dir(tmp_path)["s.txt"]
    cell = "الله ٤٧٠٠٠ السنوي in अनसार محمد بلغ القوات"
    table = bk.table(cell, ["A", "ा"], [cell, bk.sentence(src.quote(src.text))])
    path = tmp_path / "b.pdf"
    bk.export(bk.Brief(title="T", sections=[bk.section("S", table)]), path)
    assert bk.verify(path, sources=tmp_path).ok


@needs_fonts
def test_the_texts_own_direction_controls_order_nothing(tmp_path: Path) -> None:
    """A right-to-left isolate left open in a source (as text pasted from the web has) would
    pull what follows the quotation into it: the numbers after it would be drawn before it."""
    for name, text in (("clean", "הדוח קובע"), ("stray", "הדוח קובע\u2067")):
        root = tmp_path / name
        root.mkdir()
        (root / "s.txt").write_text(text, encoding="utf-8")
        quote = bk.Corpus.from_dir(root)["s.txt"].quote(text.strip())
        xs, at = _placed(root, bk.sentence("Report: ", quote, ": 12, 40."), "”: 12, 40")
        closing, one, four = xs[at], xs[at + 3], xs[at + 7]
        assert closing < one < four


@needs_fonts
def test_a_link_label_with_an_isolate_of_its_own_stands_under_its_link(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("abc", encoding="utf-8")
    quote = bk.Corpus.from_dir(tmp_path)["s.txt"].quote("abc")
    link = bk.link("https://example.org/x", "سa\u2068")
    xs, _at = _placed(tmp_path, bk.sentence("See ", link, " and ", quote, "."), "See ")
    assert xs


@pytest.mark.parametrize(
    "word",
    ["কো", "কৌশল", "কෛ", "කෛ", "ෛ", "கொ", "ଗୋ"],
    ids=[
        "bengali-o",
        "bengali-au",
        "mixed",
        "sinhala-kombu-deka",
        "sinhala-sign-alone",
        "tamil-o",
        "oriya-o",
    ],
)
def test_vowels_split_around_their_consonant_read_back(tmp_path: Path, word: str) -> None:
    """A vowel sign drawn in two parts, one before its consonant (some fonts shape the sign
    as a cluster of its own): the line still reads in logical order."""
    if not _covered(word):
        pytest.skip(f"no installed font draws {word!r}")
    brief = bk.Brief(
        title="T", sections=[bk.section("S", bk.paragraph(bk.analysis(f"Word {word} here.")))]
    )
    path = tmp_path / "b.pdf"
    bk.export(brief, path)
    assert bk.verify(path, sources=tmp_path).problems == ()
