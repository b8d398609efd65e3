"""Random briefs over hostile sources -> DOCX -> read back with lxml, independently of briefkit.

Every footnote reference has its note; the k-th reference sits in the bookmark of the sentence
the manifest gives note k; each note's bracketed (source id, start, end) resolves to the exact
text in the file on disk; the embedded manifest equals the exported one; the body shows every
sentence's rendered text.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import briefkit
from briefkit.plan import page_ref
from briefkit.testing import briefs

from . import canonical, corpus_files
from .test_prop_export import workspace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REF = re.compile(r"\[([A-Za-z0-9_][A-Za-z0-9._/-]*), chars (\d+)–(\d+)\]")
CONTROL_PICTURES = {chr(c): chr(0x2400 + c) for c in range(0x20) if c not in (9, 10, 13)}


def _visible(el: etree._Element) -> str:
    out = []
    for node in el.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(
            node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n"
        )
    return "".join(out)


def _attr(el: etree._Element, name: str) -> str:
    """The attribute ``name`` of ``el``, which must be present."""
    value = el.get(name)
    assert value is not None, (el.tag, name)
    return value


def _shown(text: str) -> str:
    """What a reader should see: every newline style a break, XML-illegal characters pictured."""
    text = re.sub("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]", "\n", text)
    return "".join(
        CONTROL_PICTURES.get(ch, "\ufffd" if ch in "\ufffe\uffff" else ch) for ch in text
    )


@settings(max_examples=40, deadline=None)
@given(files=corpus_files, data=st.data())
def test_docx_notes_belong_to_their_sentences_and_resolve_on_disk(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        # audit notes print their references, which the test reads back
        path = briefkit.export(brief, out / "b.docx", show_spans=True)
        exported = json.loads(briefkit.render(brief, "json", show_spans=True))
        with zipfile.ZipFile(path) as zf:
            body = etree.fromstring(zf.read("word/document.xml"))
            notes_xml = etree.fromstring(zf.read("word/footnotes.xml"))
            item = etree.fromstring(zf.read("customXml/item1.xml"))
        assert json.loads(item.text or "") == exported

        notes = {
            int(_attr(fn, f"{W}id")): _visible(fn)
            for fn in notes_xml.iter(f"{W}footnote")
            if fn.get(f"{W}type") is None
        }
        refs: list[tuple[int, str | None]] = []
        marks: list[str] = []
        for el in body.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd", f"{W}footnoteReference"):
            if el.tag == f"{W}bookmarkStart":
                marks.append(_attr(el, f"{W}name"))
            elif el.tag == f"{W}bookmarkEnd":
                marks.pop()
            else:
                refs.append((int(_attr(el, f"{W}id")), marks[-1] if marks else None))

        noted = [s for s in exported["sentences"] if s["note"] is not None]
        assert len(refs) == len(noted) == len(notes)
        for k, ((fid, mark), sent) in enumerate(zip(refs, noted, strict=True), 1):
            assert sent["note"] == k
            assert mark == sent["id"]
            assert fid in notes
            assert notes[fid] == " " + _shown(sent["note_text"])
            found = [(m[1], int(m[2]), int(m[3])) for m in REF.finditer(notes[fid])]
            assert found == [(c["source"], c["start"], c["end"]) for c in sent["citations"]]
            for source_id, start, end in found:
                text = canonical(root.joinpath(*source_id.split("/")).read_bytes())
                cite = next(
                    c
                    for c in sent["citations"]
                    if (c["source"], c["start"], c["end"]) == (source_id, start, end)
                )
                assert text[start:end] == cite["exact"]

        paragraphs = "\n".join(_visible(p) for p in body.iter(f"{W}p"))
        locale = briefkit.Locale.named(exported["brief"]["locale"])
        for sent in exported["sentences"]:
            # a reference with its page shows the page field's result, "?" until Word updates it
            shown = "".join(
                page_ref(locale, p["text"], "?") if p.get("page") else p["text"]
                for p in sent["parts"]
            )
            assert _shown(shown) in paragraphs


@settings(max_examples=15, deadline=None)
@given(files=corpus_files, data=st.data())
def test_docx_export_is_deterministic_and_verifies(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        first = briefkit.render(brief, "docx")
        assert first == briefkit.render(brief, "docx")
        (out / "b.docx").write_bytes(first)
        report = briefkit.verify(out / "b.docx", sources=root)
        assert report.ok, report
        with zipfile.ZipFile(io.BytesIO(first)) as zf:
            assert zf.testzip() is None
