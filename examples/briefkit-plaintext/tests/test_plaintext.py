"""The plug-in against briefkit's exporter contract, plus its own layout rules."""

from __future__ import annotations

import itertools
import unicodedata
from importlib import metadata

import pytest
import regex
from briefkit_plaintext import WIDTH, PlainTextExporter, render, text_width, wrap
from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit.testing import ExporterContract, hard_text, sample_brief


class TestPlainTextContract(ExporterContract):
    exporter = PlainTextExporter()
    text_encoding = "utf-8"
    note_mark = "[{n}]"
    refuses = ()  # plain text can show any brief


def _clusters(text: str) -> list[str]:
    return regex.findall(r"\X", text)


@settings(max_examples=60, deadline=None)
@given(text=hard_text(0, 200), indent=st.sampled_from(["", "- ", "[12] "]))
def test_lines_fit_and_never_split_a_cluster(text: str, indent: str) -> None:
    line = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    lines = wrap(line, first=indent, rest=" " * len(indent))
    assert all(text_width(out) <= WIDTH for out in lines)
    body = [out[len(indent) :] for out in lines]
    for a, b in itertools.pairwise(body):  # no break falls inside a cluster
        assert len(_clusters(a + b)) == len(_clusters(a)) + len(_clusters(b))
    # only breaking spaces are lost, and nothing else changes order
    squeeze = "".join(c for c in _clusters(line) if not c.isspace() or c == "\u00a0")
    assert "".join(c for c in _clusters("".join(body)) if not c.isspace() or c == "\u00a0") == (
        squeeze
    )


def test_wide_characters_count_two_columns() -> None:
    assert text_width("日本語") == 6
    assert text_width("e\u0301") == 1
    assert text_width("\U0001f468\u200d\U0001f469\u200d\U0001f467") == 2
    lines = wrap("漢" * 50)
    assert [text_width(x) for x in lines] == [72, 28]


def test_notes_quote_each_citation_and_sources_follow() -> None:
    text = render(briefkit.NotePlan.build(sample_brief()))
    notes, sources = text.index("\nNotes\n-----\n"), text.index("\nBibliography\n------------\n")
    assert notes < sources
    assert "\n[6] " in text[notes:sources]
    assert "      “Nothing else changed.”\n      “others disagreed”\n" in text
    assert all(text_width(line) <= WIDTH for line in text.splitlines())


def test_control_characters_are_shown_not_sent() -> None:
    src = briefkit.Source.from_text("a.txt", "bell\x07 and escape\x1b[31m red\x9b")
    brief = briefkit.Brief(
        title="T", key_points=[briefkit.sentence(src.quote("bell\x07 and escape\x1b[31m red\x9b"))]
    )
    text = render(briefkit.NotePlan.build(brief))
    assert "bell␇ and escape␛[31m red\ufffd" in text
    assert not any(unicodedata.category(ch) == "Cc" for ch in text.replace("\n", ""))


def test_installing_registers_the_format() -> None:
    try:
        metadata.distribution("briefkit-plaintext")
    except metadata.PackageNotFoundError:
        pytest.skip("briefkit-plaintext is not installed (its entry point registers txt)")
    assert isinstance(briefkit.registry.for_path("brief.txt"), PlainTextExporter)
    (row,) = [info for info in briefkit.registry.available() if info.name == "txt"]
    assert row.origin == "plug-in (briefkit-plaintext)"
