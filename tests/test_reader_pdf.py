"""The PDF source reader: canonical text by the rules of :mod:`briefkit.readers.pdf`, pages and
their labels, running headers and footers, scanned and unreadable files."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit.errors import BriefkitError, SourceError
from briefkit.readers import (
    Extraction,
    Mark,
    UnreadableSourceError,
    reader_for,
    reader_named,
)
from briefkit.readers.pdf import PdfReader, canonical_page_text, is_page_number
from make_pdf import (
    COLUMN_BREAK,
    FONT,
    draw_lines,
    encrypt_pdf,
    image_pdf,
    make_pdf,
    set_labels,
)

DEJAVU = FONT == "DejaVuSerif"
needs_dejavu = pytest.mark.skipif(not DEJAVU, reason="needs the DejaVu Serif font")


def read(data: bytes, *, keep_headers: bool = False, where: str = "doc.pdf") -> Extraction:
    return PdfReader(keep_headers=keep_headers).read(data, where=where)


def page_texts(got: Extraction) -> list[str]:
    """Each page's text, by the page marks."""
    starts = [mark.start for mark in got.pages]
    ends = [start - 1 for start in starts[1:]] + [len(got.text)]
    return [got.text[start:end] for start, end in zip(starts, ends, strict=True)]


# -- the reader as the registry makes it --------------------------------------------------


def test_the_registry_makes_the_pdf_reader() -> None:
    reader = reader_named("pdf")
    assert isinstance(reader, PdfReader)
    assert isinstance(reader_for("Annual Report.PDF"), PdfReader)
    assert reader.options() == {"keep_headers": False}
    assert reader_named("pdf", {"keep_headers": True}).options() == {"keep_headers": True}
    assert re.fullmatch(r"pypdfium2 \d+\.\d+\.\d+ \(PDFium \d+(\.\d+)*\)", reader.library() or "")
    record = reader.record()
    assert (record.name, record.version, record.library) == ("pdf", "1", reader.library())


def test_a_bad_option_is_refused() -> None:
    with pytest.raises(TypeError, match="keep_headers"):
        PdfReader(keep_headers="yes")  # type: ignore[arg-type]
    with pytest.raises(SourceError, match="bad options"):
        reader_named("pdf", {"keep_headers": "yes"})
    with pytest.raises(SourceError, match="bad options"):
        reader_named("pdf", {"columns": 2})


def test_a_source_from_pdf_bytes_is_read_by_the_pdf_reader() -> None:
    data = make_pdf([["The first page."], ["The second page."]])
    source = briefkit.Source.from_bytes("report.pdf", data)
    assert source.text == "The first page.\fThe second page."
    assert source.reader.name == "pdf"


# -- rule 1: each page's text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
        ("hyphen\ufffeated", "hyphen\u00ad\nated"),
        ("well\ufffeknown", "well\u00ad\nknown"),
        ("hyphen\x02ated", "hyphen\u00ad\nated"),
        ("naïve\ufffeété", "naïve\u00ad\nété"),
        ("X\uffferay", "X-\nray"),
        ("the end\ufffeOf it", "the end-\nOf it"),
        ("page 12\ufffe13", "page 12-\n13"),
        ("co\ufffe\r\noperate", "co\u00ad\noperate"),
        ("dangling\ufffe", "dangling-\n"),
        ("\ufb00 \ufb01 \ufb02 \ufb03 \ufb04 \ufb05 \ufb06", "ff fi fl ffi ffl st st"),
        ("ſt stays", "ſt stays"),
        ("a\x00b\x07c\x0cd\x1be\x7ff\x85g\x9fh", "abcdefgh"),
        ("tab\tstays", "tab\tstays"),
        ("trailing   \r\nspaces\t \r\n  lead", "trailing\nspaces\n  lead"),
        ("e\u0301 ﬁ ½ Ⅳ", "e\u0301 fi ½ Ⅳ"),  # no other normalisation
    ],
)
def test_page_text_rules(raw: str, canonical: str) -> None:
    assert canonical_page_text(raw) == canonical


def test_pages_are_joined_by_form_feeds_and_numbered() -> None:
    got = read(make_pdf([["Alpha one."], ["Beta two.", "Still beta."], ["Gamma three."]]))
    assert got.text == "Alpha one.\fBeta two.\nStill beta.\fGamma three."
    assert got.pages == (Mark(0, "1"), Mark(11, "2"), Mark(33, "3"))
    assert got.sections == ()
    assert (got.paragraphs, got.bom, got.url) == (False, False, None)


def test_an_empty_page_keeps_its_mark() -> None:
    got = read(make_pdf([[], ["Middle."], [], []]))
    assert got.text == "\fMiddle.\f\f"
    assert got.pages == (Mark(0, "1"), Mark(1, "2"), Mark(9, "3"), Mark(10, "4"))
    assert page_texts(got) == ["", "Middle.", "", ""]


def test_a_hyphen_at_a_line_end() -> None:
    text = read(
        draw_lines([["a hyphen-", "ated word, an X-", "ray and a well-", "known end"]])
    ).text
    assert "hyphen\u00ad\nated word" in text
    assert "X-\nray" in text
    assert "well\u00ad\nknown end" in text
    assert text.replace("\u00ad\n", "").replace("-\n", "-") == (
        "a hyphenated word, an X-ray and a wellknown end"
    )


@needs_dejavu
def test_ligatures_become_letters() -> None:
    got = read(make_pdf([["The ﬁnal ﬂow, an oﬃcial staﬀ."]]))
    assert got.text == "The final flow, an official staff."


@needs_dejavu
def test_non_latin_text() -> None:
    got = read(make_pdf([["Grüße aus Köln: Ω ≈ 3 µF, naïve café."]]))
    assert got.text == "Grüße aus Köln: Ω ≈ 3 µF, naïve café."


def test_two_columns_read_one_after_the_other() -> None:
    left = [f"left{i:02d} alpha beta gamma delta epsilon zeta eta theta" * 2 for i in range(8)]
    right = [f"right{i:02d} iota kappa lambda mu nu xi omicron pi" * 2 for i in range(8)]
    text = read(make_pdf([[*left, COLUMN_BREAK, *right]], columns=2)).text
    lefts = [text.index(f"left{i:02d}") for i in range(8)]
    rights = [text.index(f"right{i:02d}") for i in range(8)]
    assert lefts == sorted(lefts)
    assert rights == sorted(rights)
    assert max(lefts) < min(rights)
    assert "alpha" not in text[min(rights) :]
    assert "kappa" not in text[: min(rights)]


# -- rule 2: running headers and footers -------------------------------------------------


BODY = [["Alpha one."], ["Beta two."], ["Gamma three."], ["Delta four."]]


def test_headers_and_page_numbers_are_left_out() -> None:
    data = make_pdf(BODY, header="Quarterly Review 2024", page_numbers=True)
    got = read(data)
    assert got.text == "Alpha one.\fBeta two.\fGamma three.\fDelta four."
    assert [m.label for m in got.pages] == ["1", "2", "3", "4"]


def test_headers_and_page_numbers_are_kept_when_asked() -> None:
    data = make_pdf(BODY, header="Quarterly Review 2024", page_numbers=True)
    pages = page_texts(read(data, keep_headers=True))
    for n, (page, body) in enumerate(zip(pages, BODY, strict=True), start=1):
        assert sorted(page.split("\n")) == sorted(["Quarterly Review 2024", str(n), body[0]])


@pytest.mark.parametrize("footer", ["Page {n} of {total}", "- {n} -", "{n}", "p. {n}"])
def test_page_number_footers_are_left_out(footer: str) -> None:
    got = read(make_pdf(BODY, page_numbers=True, page_number_format=footer))
    assert got.text == "Alpha one.\fBeta two.\fGamma three.\fDelta four."


def test_roman_page_numbers_are_left_out() -> None:
    labels = ["i", "ii", "1", "2"]
    got = read(make_pdf(BODY, page_numbers=True, labels=labels))
    assert got.text == "Alpha one.\fBeta two.\fGamma three.\fDelta four."
    assert [m.label for m in got.pages] == labels


def test_a_running_header_with_the_page_number_in_it() -> None:
    words = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]
    pages = [[f"Annual report 2024 — page {n}", f"{w} text."] for n, w in enumerate(words, 1)]
    assert page_texts(read(draw_lines(pages))) == [f"{w} text." for w in words]


def test_body_lines_that_differ_only_in_numbers_count_as_running() -> None:
    # the price of rule 2: a form ignores digits
    words = ["Alpha.", "Beta.", "Gamma.", "Delta."]
    pages = [[w, f"Figure {n} of the report"] for n, w in enumerate(words, 1)]
    assert read(draw_lines(pages)).text == "\f".join(words)


def test_a_line_on_fewer_than_half_the_pages_is_kept() -> None:
    pages = [["Summary", "One."], ["Summary", "Two."], ["Three."], ["Four."], ["Five."]]
    assert page_texts(read(draw_lines(pages))) == [
        "Summary\nOne.",
        "Summary\nTwo.",
        "Three.",
        "Four.",
        "Five.",
    ]


def test_a_repeated_line_in_the_middle_of_pages_is_kept() -> None:
    lines = ["Top.", "Second.", "Repeated middle line.", "Fourth.", "Bottom."]
    assert read(draw_lines([lines, lines])).text == "Repeated middle line.\fRepeated middle line."


def test_a_single_page_keeps_its_number_and_lines() -> None:
    got = read(draw_lines([["Report", "Body text.", "42"]]))
    assert got.text == "Report\nBody text.\n42"


def test_blank_lines_at_a_page_s_ends_are_removed() -> None:
    # PDFium gives no empty lines for vertical space, and runs of spaces as one space
    got = read(draw_lines([["", "", "Indented below.", "", "  Two spaces.", "", ""]]))
    assert got.text == "Indented below.\n Two spaces."
    headed = read(
        draw_lines([["Head", "", "Body one.", "", "Foot"], ["Head", "Body two.", "Foot"]])
    )
    assert headed.text == "Body one.\fBody two."


@pytest.mark.parametrize(
    "line",
    ["3", "12345", "iv", "XII", "lxxxix", "Page 3", "page 3 of 10", "- 3 -", "— 7 —", "3 of 10",
     "3/10", "p. 4", "Pg. 5", "  12  "],
)  # fmt: skip
def test_page_number_lines(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize(
    "line",
    ["", "Page", "-", "c", "d", "mix", "civil", "123456", "3.2", "Figure 3", "3 ways", "I think"],
)
def test_lines_that_are_not_page_numbers(line: str) -> None:
    assert not is_page_number(line)


# -- rule 3: labels ----------------------------------------------------------------------


def test_page_labels_name_the_pages() -> None:
    data = make_pdf([["Preface."], ["Contents."], ["Chapter one."], ["More."]],
                    labels=["i", "ii", "1", "2"])  # fmt: skip
    got = read(data)
    assert [m.label for m in got.pages] == ["i", "ii", "1", "2"]
    assert got.text == "Preface.\fContents.\fChapter one.\fMore."


def test_literal_and_upper_case_labels() -> None:
    data = set_labels(make_pdf([["a."], ["b."], ["c."], ["d."]]), ["Cover", "I", "II", "A-1"])
    assert [m.label for m in read(data).pages] == ["Cover", "I", "II", "A-1"]


# -- rule 4: scanned pages ---------------------------------------------------------------


def test_a_scanned_page_is_refused_by_its_number() -> None:
    data = make_pdf([["Text."], ["Scanned."], ["More text."]], scanned=[1])
    with pytest.raises(UnreadableSourceError) as info:
        read(data, where="scan.pdf")
    message = str(info.value)
    assert message.startswith("scan.pdf: page 2 has no text layer")
    assert "OCR" in message


def test_scanned_pages_are_named_with_their_labels() -> None:
    data = make_pdf([["a."], ["b."], ["c."], ["d."]], scanned=[0, 3], labels=["i", "1", "2", "3"])
    with pytest.raises(
        UnreadableSourceError,
        match=r"pages 1 \(labelled 'i'\), 4 \(labelled '3'\) have no text layer",
    ):
        read(data)


@pytest.mark.parametrize("in_form", [False, True])
@pytest.mark.parametrize(("fraction", "scan"), [(1.0, True), (0.55, True), (0.45, False)])
def test_a_page_is_a_scan_when_images_cover_half_of_it(
    fraction: float, scan: bool, in_form: bool
) -> None:
    data = image_pdf(fraction, in_form=in_form)
    if scan:
        with pytest.raises(UnreadableSourceError, match="page 1 has no text layer"):
            read(data)
    else:
        assert read(data).text == ""


def test_an_image_with_a_text_layer_is_read() -> None:
    assert read(image_pdf(1.0, text="Recognised text.")).text == "Recognised text."


def test_a_blank_page_is_not_a_scan() -> None:
    got = read(make_pdf([["Before."], [], ["After."]]))
    assert got.text == "Before.\f\fAfter."


# -- rule 5: unreadable files ------------------------------------------------------------


def test_random_bytes_are_not_a_pdf() -> None:
    noise = random.Random(7).randbytes(2000)
    with pytest.raises(UnreadableSourceError, match=r"^noise\.pdf: .*not a PDF"):
        read(noise, where="noise.pdf")
    with pytest.raises(UnreadableSourceError, match=r"^empty\.pdf: "):
        read(b"", where="empty.pdf")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_pdf_is_refused(keep: float) -> None:
    data = make_pdf([[f"Page {n} text."] for n in range(5)])
    with pytest.raises(UnreadableSourceError, match=r"^cut\.pdf: cannot read the PDF"):
        read(data[: int(len(data) * keep)], where="cut.pdf")


def test_a_damaged_header_is_refused() -> None:
    data = make_pdf([["Text."]])
    with pytest.raises(UnreadableSourceError, match="cannot read the PDF"):
        read(b"%PDF-1.4\n" + bytes(len(data)), where="zero.pdf")


def test_a_password_protected_pdf_is_refused() -> None:
    data = encrypt_pdf(make_pdf([["Secret text."]]))
    with pytest.raises(UnreadableSourceError, match=r"^locked\.pdf: .*password.*remove"):
        read(data, where="locked.pdf")


def test_errors_are_briefkit_errors() -> None:
    with pytest.raises(BriefkitError) as info:
        read(b"%PDF-1.7\nnot really")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SourceError)


def test_a_pdf_with_only_an_owner_password_is_read() -> None:
    from io import BytesIO

    from pypdf import PdfReader as PypdfReader
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PypdfReader(BytesIO(make_pdf([["Open text."]]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    assert read(out.getvalue()).text == "Open text."


# -- rule 6: metadata; determinism -------------------------------------------------------


def test_the_title_comes_from_the_metadata() -> None:
    assert (
        read(make_pdf([["x"]], title=" Annual\n\treport\x07 2024 ")).title == "Annual report 2024"
    )
    assert read(make_pdf([["x"]])).title is None
    assert read(make_pdf([["x"]], title="  ")).title is None


def test_the_same_bytes_give_the_same_extraction() -> None:
    def build() -> bytes:
        return make_pdf(BODY, header="Review", page_numbers=True, labels=["i", "ii", "1", "2"],
                        title="Review")  # fmt: skip

    data = build()
    assert build() == data
    assert read(data) == read(data)
    assert PdfReader().read(data, where="a") == PdfReader().read(data, where="b")


def test_reads_from_several_threads_agree() -> None:
    from concurrent.futures import ThreadPoolExecutor

    data = make_pdf(BODY * 5, header="Review", page_numbers=True)
    expected = read(data)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: read(data), range(8)))
    assert results == [expected] * 8


# -- property: every paragraph on its page ------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz" + ("éßΩçø" if DEJAVU else "éßçø")
_words = st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=6), min_size=1, max_size=6)
_pages = st.lists(st.lists(_words, min_size=1, max_size=3), min_size=1, max_size=4)


def _token(page: int, paragraph: int) -> str:
    # no digits, so that no two pages share a line's form (rule 2)
    return "tok" + "abcd"[page] + "xyz"[paragraph]


@settings(max_examples=25, deadline=None)
@given(pages=_pages)
def test_every_paragraph_is_read_on_its_page(pages: list[list[list[str]]]) -> None:
    paragraphs = [
        [" ".join([_token(p, q), *words]) for q, words in enumerate(paras)]
        for p, paras in enumerate(pages)
    ]
    got = read(make_pdf(paragraphs))
    assert [m.label for m in got.pages] == [str(n) for n in range(1, len(pages) + 1)]
    texts = page_texts(got)
    assert got.text.count("\f") == len(pages) - 1
    for p, paras in enumerate(paragraphs):
        start = got.pages[p].start
        end = got.pages[p + 1].start if p + 1 < len(pages) else len(got.text)
        for q, paragraph in enumerate(paras):
            assert start <= got.text.index(_token(p, q)) < end
            for word in paragraph.split():
                assert word in texts[p]
        assert texts[p] == "\n".join(paras)
