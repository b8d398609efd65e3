"""What makes the PDF export take less work, with the same file as the result: briefkit's
markup is read without Python's HTML parser into the fragments reportlab's own parser makes;
the pieces of a paragraph split over pages keep the lines it was wrapped into; structure
elements and link annotations are written as reportlab writes them; and fonts are registered
without reportlab searching its Type 1 metrics for their names."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paraparser import ParaParser

import briefkit as bk
from briefkit.formats.pdf import FontSet
from briefkit.formats.pdf._fonts import RegisteredFonts, _register
from briefkit.formats.pdf._markup import Paragraph, hold_blank_lines, markup, web_link
from briefkit.formats.pdf._tags import Dictionary, formatted

_FONTS = RegisteredFonts(FontSet.discover())
_STYLE = ParagraphStyle("t", fontName=_FONTS.regular, fontSize=10, leading=13)


def _state(value: Any, depth: int = 0) -> Any:
    """Everything a fragment holds, nested, for comparing two parses."""
    if depth > 5:
        return "…"
    if hasattr(value, "__dict__") and not callable(value):
        items = sorted(vars(value).items())
        return (type(value).__name__, tuple((k, _state(v, depth + 1)) for k, v in items))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_state(v, depth + 1) for v in value))
    return (type(value).__name__, repr(value))


def _reportlab_frags(text: str) -> Any:
    parser: Any = ParaParser()
    parser.caseSensitive = 1
    _style, frags, _bullets = parser.parse(rl_paragraph.cleanBlockQuotedText(text), _STYLE)
    return frags


_MARKUPS = [
    "plain text",
    "a &amp; b &lt;c&gt; d",
    '<b>bold</b> <i>it</i> <font color="#7A5C00"><b>Analysis:</b></font> x',
    'end.<a name="fnref3"/><a href="#fn3" color="#1F3A5F"><super>3</super></a>',
    'x<br/>y<br/>\u00a0<br/>z <font face="' + _FONTS.regular + '">f</font>',
    "\u200b" + web_link("https://example.org/?a=1&b='2'", "link &amp; text") + "\u200b",
    web_link('https://example.org/"q"', "q"),
    "<a href='#h-sec-1'>single quotes</a>",
]


@pytest.mark.parametrize("text", _MARKUPS)
def test_markup_is_read_into_reportlabs_own_fragments(text: str) -> None:
    assert _state(Paragraph(text, _STYLE).frags) == _state(_reportlab_frags(text))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(st.characters(codec="utf-8"), max_size=30),
            st.sampled_from(["", "b", "i", "link", "mark"]),
        ),
        max_size=6,
    )
)
def test_any_text_is_read_into_reportlabs_own_fragments(parts: list[tuple[str, str]]) -> None:
    pieces = []
    for n, (text, kind) in enumerate(parts):
        body = markup(text, _FONTS)
        if kind in ("b", "i"):
            body = f"<{kind}>{body}</{kind}>"
        elif kind == "link":
            body = web_link(f"https://example.org/{n}?x=1&y=2", body)
        elif kind == "mark":
            body += f'<a name="fnref{n}"/><a href="#fn{n}" color="#1F3A5F"><super>{n}</super></a>'
        pieces.append(body)
    text = hold_blank_lines(" ".join(pieces))
    assert _state(Paragraph(text, _STYLE).frags) == _state(_reportlab_frags(text))


def test_briefkits_markup_does_not_go_through_the_html_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fed: list[str] = []
    original = ParaParser.feed

    def feed(self: ParaParser, data: str) -> None:
        fed.append(data)
        original(self, data)

    monkeypatch.setattr(ParaParser, "feed", feed)
    for text in _MARKUPS:
        Paragraph(text, _STYLE)
    assert fed == []
    other = "<B>not</B> briefkit's markup: 1 < 2"  # anything else: the HTML parser reads it
    assert _state(Paragraph(other, _STYLE).frags) == _state(_reportlab_frags(other))
    assert fed == [f"<para>{other}</para>"] * 2


def _long_brief(corpus: bk.Corpus) -> bk.Brief:
    cnn = corpus["000_28b258b49d188a62.txt"]
    p = cnn.paraphrase("Pentagon officials are confident")
    words = " ".join(f"zq{i:04d}" for i in range(1500)) + "."
    return bk.Brief(
        title="Long",
        sections=[bk.section("Body", bk.paragraph(bk.sentence(words, cite=p)))],
    )


def test_the_pieces_of_a_split_paragraph_keep_its_lines(
    corpus: bk.Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a paragraph over several pages is wrapped once, its pieces not again; each piece's lines
    # are what wrapping the piece would give
    broken: list[int] = []
    drawn: list[Any] = []
    original = rl_paragraph.Paragraph.breakLines
    draw = Paragraph.draw

    def break_lines(self: Any, widths: Any) -> Any:
        broken.append(id(self))
        return original(self, widths)

    def record(self: Any) -> None:
        drawn.append(self)
        draw(self)

    monkeypatch.setattr(rl_paragraph.Paragraph, "breakLines", break_lines)
    monkeypatch.setattr(Paragraph, "draw", record)
    bk.render(_long_brief(corpus), "pdf")
    pieces = [p for p in drawn if p.text is None]  # made from a paragraph's lines
    assert len(pieces) >= 3
    assert not {id(p) for p in pieces} & set(broken)
    monkeypatch.setattr(rl_paragraph.Paragraph, "breakLines", original)
    for piece in pieces:
        again: Any = Paragraph(None, piece.style, frags=piece.frags)  # type: ignore[arg-type]
        again.wrap(piece.width, 1e7)
        assert _state(again.blPara) == _state(piece.blPara)
        assert again.height == piece.height


class _Doc:
    """What formatting a dictionary asks of reportlab's document."""

    def __init__(self) -> None:
        self.idToObjectNumberAndVersion = {"R7": (7, 0), "R12": (12, 0)}
        self.encrypt = pdfdoc.NoEncryption()


@pytest.mark.parametrize(
    "entries",
    [
        {},
        {"Type": pdfdoc.PDFName("StructElem"), "S": pdfdoc.PDFName("P"), "K": 3},
        {
            "P": pdfdoc.PDFObjectReference("R7"),
            "K": pdfdoc.PDFArray([0, 1, pdfdoc.PDFObjectReference("R12"), *range(2, 14)]),
            "Pg": pdfdoc.PDFObjectReference("R12"),
            "ID": pdfdoc.PDFString("note-1"),
            "Alt": pdfdoc.PDFString("caf\u00e9 \u6771\u4eac (x)"),
            "A": pdfdoc.PDFDictionary({"O": pdfdoc.PDFName("Table"), "Scope": "/Column"}),
            "Rect": pdfdoc.PDFArray([66.0, 100.25, 1e-3, 529.2755905511812]),
            "Odd name #1": "/caf\u00e9",
            "Flag": True,
            "More": [1, 2],
        },
        {
            "Contents": pdfdoc.PDFString("Note 12"),
            "Cites": pdfdoc.PDFString("a.txt:1-5 (b) c\\d"),
            "Title": pdfdoc.PDFString("\u00e9t\u00e9\n"),
            "Raw": pdfdoc.PDFString("raw (x)", escape=0),
            "Bytes": pdfdoc.PDFString(b"bytes"),
            "Many": pdfdoc.PDFString("tab\there", escape=7),
        },
    ],
)
def test_dictionaries_are_written_as_reportlab_writes_them(entries: dict[str, Any]) -> None:
    doc = _Doc()
    assert formatted(pdfdoc.PDFDictionary(entries), doc) == (
        pdfdoc.PDFDictionary(entries).format(doc)
    )
    assert Dictionary(entries).format(doc) == pdfdoc.PDFDictionary(entries).format(doc)


def test_a_destination_is_written_as_reportlab_writes_it() -> None:
    doc: Any = pdfdoc.PDFDocument()
    page = pdfdoc.PDFPage()
    doc.Reference(page)
    for zoom in (0, None, 1.5):
        target: Any = pdfdoc.Destination("fn1")
        target.xyz(66.0, 700.125, zoom)
        target.page = page
        entries = {"Dest": target, "Rect": pdfdoc.PDFArray([1, 2.5, 3, 4])}
        assert formatted(pdfdoc.PDFDictionary(entries), doc) == (
            pdfdoc.PDFDictionary(entries).format(doc)
        )


def test_a_font_is_registered_without_searching_type1_metrics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a name reportlab does not know yet (a file at a new path): registered at once
    copy = tmp_path / "face.ttf"
    shutil.copyfile(FontSet.discover().regular, copy)

    def searched(*_args: object) -> None:
        raise AssertionError("reportlab searched its Type 1 metrics")

    monkeypatch.setattr(pdfmetrics, "getTypeFace", searched)
    name, cmap = _register(copy)
    assert name in pdfmetrics.getRegisteredFontNames()
    assert cmap
    assert _register(copy)[0] == name  # and found, registered, the next time
