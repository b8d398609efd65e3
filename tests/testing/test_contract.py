"""The exporter contract (briefkit.testing.contract) on every built-in exporter, and on broken
exporters it must catch."""

from __future__ import annotations

import datetime as dt
import functools
import html
import itertools
import re
from typing import BinaryIO

import pytest
from hypothesis import strategies as st

import briefkit as bk
from briefkit._text import ignorable, shown
from briefkit.formats.docx import DocxExporter
from briefkit.formats.docx.reader import read_docx
from briefkit.formats.html.writer import HtmlExporter
from briefkit.formats.json import ManifestExporter
from briefkit.formats.markdown.writer import MarkdownExporter
from briefkit.formats.pdf import FontSet, PdfExporter
from briefkit.formats.pdf._fonts import RegisteredFonts
from briefkit.formats.pdf.reader import read_pdf
from briefkit.plan import NotePlan
from briefkit.testing import (
    ExporterContract,
    check_exporter_contract,
    contract_briefs,
    sample_brief,
)


class TestMarkdownContract(ExporterContract):
    exporter = MarkdownExporter()
    text_encoding = "utf-8"
    note_mark = "[^{n}]"
    refuses = ()
    examples = 15

    def read_text(self, data: bytes) -> str:
        """Markdown escapes brackets and underscores in references: read it unescaped."""
        return re.sub(r"\\(.)", r"\1", data.decode("utf-8"))


class TestHtmlContract(ExporterContract):
    exporter = HtmlExporter()
    text_encoding = "utf-8"
    refuses = ()
    examples = 15

    def read_text(self, data: bytes) -> str:
        """The page's text: tags dropped, character references resolved."""
        return html.unescape(re.sub(r"<[^>]*>", " ", data.decode("utf-8")))


class TestManifestContract(ExporterContract):
    exporter = ManifestExporter
    text_encoding = "utf-8"
    refuses = ()
    examples = 15


class TestDocxContract(ExporterContract):
    exporter = DocxExporter()
    note_mark = "[{n}]"
    refuses = ()
    examples = 15

    def read_text(self, data: bytes) -> str:
        """The body, then each footnote as the reader sees it numbered."""
        doc = read_docx(data)
        notes = [f"[{ref.ordinal}] {doc.notes[ref.footnote_id]}" for ref in doc.references]
        return "\n".join([*doc.paragraphs, *notes])


@functools.cache
def _fonts() -> RegisteredFonts:
    return RegisteredFonts(FontSet.discover())


def _drawable(ch: str) -> bool:
    """What the installed PDF fonts can draw and reportlab can shape."""
    return not _fonts().uncovered(shown(ch), ignorable=ignorable)


class TestPdfContract(ExporterContract):
    exporter = PdfExporter()
    examples = 5  # every example lays out pages: slow

    def read_text(self, data: bytes) -> str:
        """The body of every page, then the notes of every page: a note that continues on
        the next page reads on, as a reader follows it, past the next page's body."""
        pages = read_pdf(data).pages
        body: list[str] = []
        notes: list[str] = []
        for page in pages:
            objects = list(page.objects)
            if objects and objects[-1].visible.strip() == str(page.number):
                objects.pop()  # the page number, drawn last
            split = len(objects) if page.rule is None else page.rule
            body += [o.visible for o in objects[:split]]
            notes += [o.visible for o in objects[split:]]
        return "\n".join(body + notes)

    def brief_strategy(self) -> st.SearchStrategy[bk.Brief]:
        """Mostly text the installed fonts can draw, so examples reach the page layout."""
        return contract_briefs(keep=_drawable)


# -- broken exporters the contract must catch --------------------------------------------------


class _Text:
    name = "broken"
    suffixes: tuple[str, ...] = (".broken",)
    media_type = "text/plain; charset=utf-8"
    description = "a deliberately broken exporter"

    def body(self, plan: NotePlan) -> str:
        lines = [f"{s.text}[{s.note}]" if s.note else s.text for s in plan.sentences]
        return "\n".join([*lines, "", *(f"[{n.number}] {n.text}" for n in plan.notes)])

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(self.body(plan).encode("utf-8"))


_CLOCK = itertools.count()


class _Stamped(_Text):
    """Writes the time of export: the same brief never gives the same bytes twice."""

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        moment = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=next(_CLOCK))
        stream.write(f"Exported {moment.isoformat()}\n{self.body(plan)}".encode())


_KNOWN = {
    ch: ch for ch in map(chr, [10, *range(32, 127), *range(160, 0x250), *range(0x2000, 0x2070)])
}


class _Transliterating(_Text):
    """Looks every character up in a table of Latin and punctuation: KeyError on the rest."""

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write("".join(_KNOWN[ch] for ch in self.body(plan)).encode())


class _Forgetful(_Text):
    """Marks the sentences but leaves the notes out."""

    def body(self, plan: NotePlan) -> str:
        return "\n".join(f"{s.text}[{s.note}]" if s.note else s.text for s in plan.sentences)


class _Closing(_Text):
    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        super().write(plan, stream)
        stream.close()


class _Upper(_Text):
    suffixes = (".TXT",)


class _Squatter(_Text):
    name = "md"


def test_the_broken_reference_exporter_itself_passes() -> None:
    check_exporter_contract(_Text(), text_encoding="utf-8", note_mark="[{n}]", examples=5)


@pytest.mark.parametrize(
    ("exporter", "examples", "match"),
    [
        pytest.param(_Stamped(), 3, r"not deterministic \(the same plan twice\)", id="timestamp"),
        pytest.param(_Transliterating(), 25, r"raised KeyError", id="keyerror"),
        pytest.param(
            _Forgetful(), 3, r"the text of note 1 \(.*\) does not appear at all", id="no-notes"
        ),
        pytest.param(_Closing(), 3, r"closed the stream", id="closes"),
        pytest.param(_Upper(), 3, r"suffix '\.TXT' must be lower case", id="suffix"),
        pytest.param(_Squatter(), 3, r"'md' is a built-in format's name", id="name-taken"),
    ],
)
def test_the_contract_catches_a_broken_exporter(
    exporter: object, examples: int, match: str
) -> None:
    with pytest.raises(AssertionError, match=match):
        check_exporter_contract(
            exporter,
            text_encoding="utf-8",
            note_mark="[{n}]",
            examples=examples,
            refuses=(),
            shrink=False,  # which brief fails matters here, not a minimal one
        )


def test_random_briefs_catch_what_the_sample_brief_does_not() -> None:
    """The table lookup passes every fixed check; only hostile random text breaks it."""
    bk.render(sample_brief(), _Transliterating())
    with pytest.raises(AssertionError, match=r"raised KeyError"):
        check_exporter_contract(
            _Transliterating(), text_encoding="utf-8", examples=25, shrink=False
        )


class _Picky(_Text):
    """Refuses any brief with text beyond ASCII, saying so (or, with ``message=""``, not)."""

    def __init__(self, message: str = "only ASCII text can be shown") -> None:
        self.message = message

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        if not self.body(plan).isascii():
            raise bk.ExportError(self.message)
        super().write(plan, stream)


_ASCII_BRIEF = bk.Brief(title="T", key_points=[bk.analysis("Plain words only.")])


def test_a_refusal_with_a_message_is_allowed_unless_refuses_is_empty() -> None:
    check_exporter_contract(_Picky(), text_encoding="utf-8", examples=10, brief=_ASCII_BRIEF)
    with pytest.raises(AssertionError, match=r"raised ExportError: only ASCII"):
        check_exporter_contract(_Picky(), examples=25, brief=_ASCII_BRIEF, refuses=(), shrink=False)


def test_a_refusal_must_say_why() -> None:
    with pytest.raises(AssertionError, match=r"refused with an empty message"):
        check_exporter_contract(_Picky(""), examples=25, brief=_ASCII_BRIEF, shrink=False)


def test_a_contract_class_without_an_exporter_says_what_to_set() -> None:
    class TestNothing(ExporterContract):
        pass

    with pytest.raises(TypeError, match=r"must set exporter = "):
        TestNothing().test_is_an_exporter()


def test_the_charset_must_match_the_text_encoding() -> None:
    with pytest.raises(AssertionError, match=r"charset 'utf-8' but text is latin-1"):
        check_exporter_contract(_Text(), text_encoding="latin-1", examples=1)
