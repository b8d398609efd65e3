"""Random briefs over hostile sources, written as JSON, Markdown, HTML and DOCX, verify clean.

Each fresh export must pass ``briefkit.verify`` with no problem: every citation resolves, and
what a reader of the file sees (notes, marks, sentence text) is what the manifest says. The
HTML page is also parsed with lxml, independently of briefkit's reader: ids are unique, text
never turns into markup, and every note mark links to its note and back. (PDF has its own
property tests.)
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

import briefkit
from briefkit.notes import parse_note
from briefkit.testing import briefs

from . import corpus_files
from .test_prop_export import workspace

SUFFIXES = (".json", ".md", ".html", ".docx")
#: The only elements briefkit puts inside a sentence.
SENTENCE_CHILDREN = {"span", "br", "sup", "a", "em", "strong"}


def _elements(node: etree._Element, path: str) -> list[etree._Element]:
    """The HTML elements ``path`` selects: the XPath must select elements only."""
    found = node.xpath(path)
    assert isinstance(found, list), (path, found)
    elements: list[etree._Element] = []
    for el in found:
        assert isinstance(el, etree._Element) and isinstance(el, lxml_html.HtmlMixin), (path, el)
        elements.append(el)
    return elements


def _check_page(data: bytes, plan: briefkit.NotePlan) -> None:
    tree = lxml_html.document_fromstring(data)
    ids = Counter(el.get("id") for el in _elements(tree, "//*[@id]"))
    assert all(n == 1 for n in ids.values()), ids
    for ps in plan.sentences:
        (span,) = _elements(tree, f"//*[@id='s-{ps.id}']")
        assert {el.tag for el in span.iterdescendants()} <= SENTENCE_CHILDREN
    refs = _elements(tree, "//a[@role='doc-noteref']")
    assert len(refs) == len(plan.notes)
    for ref, note in zip(refs, plan.notes, strict=True):
        assert ref.get("href") == f"#fn-{note.number}"
        (item,) = _elements(tree, f"//li[@id='fn-{note.number}']")
        (back,) = _elements(item, ".//a[@role='doc-backlink']")
        assert back.get("href") == f"#{ref.get('id')}"
        assert isinstance(item, lxml_html.HtmlMixin)
        assert len(item.find_class("exact")) == len(note.citations)
    assert [s.get("type") for s in tree.iter("script")] == ["application/json"]


@settings(max_examples=30, deadline=None)
@given(files=corpus_files, data=st.data())
def test_every_fresh_export_verifies(files: dict[str, bytes], data: st.DataObject) -> None:
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        plan = briefkit.NotePlan.build(brief)
        for suffix in SUFFIXES:
            path = briefkit.export(plan, out / f"brief{suffix}")
            report = briefkit.verify(path, sources=root)
            assert report.errors == (), (suffix, report.problems)
            assert report.ok, (suffix, report.summary())
            assert len(report.citations) == sum(len(s.citations) for s in plan.sentences)
            if suffix == ".html":
                _check_page(path.read_bytes(), plan)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@settings(max_examples=10, deadline=None)
@given(files=corpus_files, data=st.data())
def test_pandoc_shows_every_note_reference_of_the_page(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (_root, _out, corpus):
        plan = briefkit.NotePlan.build(data.draw(briefs(corpus), label="brief"))
        shown = subprocess.run(
            ["pandoc", "-f", "html", "-t", "plain", "--wrap=none"],
            input=briefkit.render(plan, "html"),
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        for note in plan.notes:
            for ref in parse_note(note.text):
                assert f"[{ref.source_id}, chars {ref.start}–{ref.end}]" in shown
