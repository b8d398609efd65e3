"""The locator of a span: page (form feeds), numbered section, else lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import briefkit as bk
from briefkit._locators import text_locator
from briefkit.notes import Locator


def at(text: str, needle: str) -> Locator:
    src = bk.Source.from_text("s.txt", text)
    start = text.index(needle)
    return text_locator(text, src.position(start, start + len(needle)))


LICENCE = """GNU TERMS

Preamble text that
runs over two lines.

  0. Definitions.

  "This License" refers to version 3.

  1. Source Code.

  The "source code" for a work means
  the preferred form.

  2. Basic Permissions.

  All rights granted.

  2.1 Details.

  Detailed words.
"""


def test_lines() -> None:
    assert at("a\nb\nc\n", "b") == Locator("line", "2")
    assert at("a\nb\nc\n", "b\nc") == Locator("line", "2", "3")


def test_pages_from_form_feeds() -> None:
    text = "page one\fpage two\nmore\fpage three"
    assert at(text, "page one") == Locator("page", "1")
    assert at(text, "more") == Locator("page", "2")
    assert at(text, "more\fpage") == Locator("page", "2", "3")


def test_numbered_sections() -> None:
    assert at(LICENCE, "refers to") == Locator("section", "0")
    assert at(LICENCE, "preferred form") == Locator("section", "1")
    assert at(LICENCE, "All rights") == Locator("section", "2")
    assert at(LICENCE, "Detailed words") == Locator("section", "2.1")
    # before the first heading, lines
    assert at(LICENCE, "Preamble") == Locator("line", "3")


def test_numbered_lines_that_are_not_sections() -> None:
    # a numbered list inside a paragraph, or numbers that do not count up, are not sections
    listing = "Intro\n1. one\n2. two\n3. three\n"
    assert at(listing, "two") == Locator("line", "3")
    years = "Text.\n\n1990 was a year.\n\n2004 another.\n\n2016 a third.\n"
    assert at(years, "another") == Locator("line", "5")
    two = "x\n\n1. One\n\ny\n\n2. Two\n\nz\n"
    assert at(two, "z") == Locator("line", "9")  # two headings are too few
    back = "x\n\n1. One\n\n3. Three\n\n2. Two\n\nz\n"
    assert at(back, "z") == Locator("line", "9")  # numbers that go back are not sections


def test_sections_may_skip_numbers() -> None:
    # the Mozilla Public License boxes its sections 6 and 7: the others are still sections
    text = "".join(f"\n\n{n}. Heading {n}\n\nBody of {n}." for n in (1, 2, 3, 4, 5, 8, 9))
    assert at(text, "Body of 8") == Locator("section", "8")


def test_crlf_sections() -> None:
    text = LICENCE.replace("\n", "\r\n")
    assert at(text, "preferred form") == Locator("section", "1")


@given(st.text(alphabet=st.sampled_from("ab\n\r\f 1.§\u2028é😀"), min_size=1, max_size=80))
def test_every_span_has_a_locator_that_reads_as_numbers(text: str) -> None:
    src = bk.Source.from_text("s.txt", text)
    for start in range(len(text)):
        try:
            pos = src.position(start, start + 1)
        except bk.SpanError:
            continue
        loc = text_locator(text, pos)
        assert loc.label in ("page", "section", "line")
        assert loc.first.replace(".", "").isdigit()
        assert loc.last is None or (loc.last.isdigit() and int(loc.last) > int(loc.first))
        if loc.label == "page":
            assert int(loc.first) == text.count("\f", 0, start) + 1
        if loc.label == "line":
            assert int(loc.first) == pos.line_start


def test_many_sources_in_rotation_are_each_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefkit import _locators

    scans: list[int] = []
    sections = _locators._sections

    def counted(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        scans.append(id(text))
        return sections(text)

    monkeypatch.setattr(_locators, "_sections", counted)
    monkeypatch.setattr(_locators, "_TABLES", {})
    sources = [bk.Source.from_text(f"s{k}.txt", f"text {k}\nmore\n") for k in range(300)]
    for _ in range(3):
        for src in sources:
            text_locator(src.text, src.position(0, 4))
    assert len(scans) == 300  # more sources than the old cache held, each scanned once
