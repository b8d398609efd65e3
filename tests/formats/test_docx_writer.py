from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import attrs
import docx
import pytest
from docx.text.paragraph import Paragraph
from lxml import etree

import briefkit as bk
from briefkit._text import display
from briefkit.formats.docx import DocxExporter
from briefkit.formats.docx.reader import read_docx
from briefs import alliance_brief
from pandoc_json import inline_text
from pandoc_json import notes as pandoc_notes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = (
    "Plain <b>bold</b> &amp; <a href='x'>link</a>\x0bvt\r\nCRLF 日本語の文 😀👨‍👩‍👧 שלום עולם\tend"
)


def _brief(corpus: bk.Corpus) -> bk.Brief:
    return alliance_brief(corpus, title="Alliance <brief> & co")


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _attr(el: etree._Element, name: str) -> str:
    """The attribute ``name`` of ``el``, which must be present."""
    value = el.get(name)
    assert value is not None, (el.tag, name)
    return value


def _style(p: Paragraph) -> str:
    """The name of the paragraph's style: every paragraph has a named style."""
    assert p.style is not None, p.text
    name = p.style.name
    assert isinstance(name, str), p.text
    return name


def _text(el: etree._Element) -> str:
    """All the text inside ``el`` (lxml yields ``str`` pieces)."""
    pieces: list[str] = []
    for piece in el.itertext():
        assert isinstance(piece, str)
        pieces.append(piece)
    return "".join(pieces)


def test_package_has_real_footnotes_parts(corpus: bk.Corpus) -> None:
    parts = _parts(bk.render(_brief(corpus), "docx"))
    assert b"wordprocessingml.footnotes+xml" in parts["[Content_Types].xml"]
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    targets = {_attr(r, "Type").rsplit("/", 1)[-1]: r.get("Target") for r in rels}
    assert targets["footnotes"] == "footnotes.xml"
    assert targets["customXml"] == "../customXml/item1.xml"
    settings = etree.fromstring(parts["word/settings.xml"])
    assert [f.get(f"{W}id") for f in settings.iter(f"{W}footnote")] == ["-1", "0"]
    notes = etree.fromstring(parts["word/footnotes.xml"])
    kinds = [(n.get(f"{W}type"), n.get(f"{W}id")) for n in notes.iter(f"{W}footnote")]
    assert kinds[:2] == [("separator", "-1"), ("continuationSeparator", "0")]
    assert [k[1] for k in kinds[2:]] == ["1", "2", "3", "4"]
    styles = etree.fromstring(parts["word/styles.xml"])
    ids = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
    assert {"FootnoteText", "FootnoteReference", "Title", "Subtitle", "Heading1", "Heading2",
            "ListBullet", "Quote"} <= ids  # fmt: skip


def test_every_reference_sits_in_its_sentence_bookmark(corpus: bk.Corpus) -> None:
    data = bk.render(_brief(corpus), "docx")
    contents = read_docx(data)
    plan = bk.NotePlan.build(_brief(corpus))
    noted = [s for s in plan.sentences if s.note is not None]
    assert [(r.ordinal, r.footnote_id, r.bookmark) for r in contents.references] == [
        (s.note, s.note, s.id) for s in noted
    ]
    assert contents.notes == {n.number: n.text for n in plan.notes}


def test_structure_in_word_terms(corpus: bk.Corpus) -> None:
    brief = attrs.evolve(_brief(corpus), sources_appendix=True)
    d = docx.Document(io.BytesIO(bk.render(brief, "docx")))
    styles = [(_style(p), p.text) for p in d.paragraphs]
    assert styles[0] == ("Title", "Alliance <brief> & co")
    assert styles[1] == ("Subtitle", "Sub")
    assert styles[2] == ("Brief Meta", "Analyst · November 21, 2026")
    assert ("Heading 1", "Key points") in styles
    assert ("Heading 1", "Tone") in styles
    assert ("Heading 2", "Numbers") in styles
    assert ("Heading 1", "Bibliography") in styles
    assert ("Heading 1", "Sources") in styles
    assert styles.index(("Heading 1", "Bibliography")) < styles.index(("Heading 1", "Sources"))
    assert [t for s, t in styles if s == "Bibliography"] == [
        "“Carter looks to shore-up US-Japan military alliance.” CNN, December 5, 2016.",
        "“US Backs Japan Alliance ‘100%.’”",
    ]
    assert any(s == "List Bullet" and t.startswith("CNN counts 50,000 troops") for s, t in styles)
    assert any(s == "Quote" and t.startswith("“I wanted") for s, t in styles)
    assert ("Quote Attribution", "— Ash Carter") not in styles  # the block quote has no speaker
    analysis = next(p for p in d.paragraphs if "Reassurance was the theme." in p.text)
    labels = [r.text for r in analysis.runs if r.style.name == "Analysis Label"]
    assert labels == ["Analysis:"]
    sources = [t for s, t in styles if s == "Source Entry"]
    assert sources[0].startswith(
        "1.\tCarter looks to shore-up US-Japan military alliance. CNN, December 5, 2016. "
    )
    assert "sha256 5741069cc5e8, cited 3 times." in sources[0]
    props = d.core_properties
    assert (props.title, props.author, props.subject) == ("Alliance <brief> & co", "Analyst", "Sub")
    assert props.created.isoformat() == "2026-11-21T00:00:00+00:00"


def test_output_is_deterministic(corpus: bk.Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    a = bk.render(_brief(corpus), "docx")
    assert a == bk.render(_brief(corpus), "docx")
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 11, 21, 0, 0, 0)}
        assert zf.namelist()[0] == "[Content_Types].xml"
    undated = bk.Brief(title="T", key_points=_brief(corpus).key_points)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with zipfile.ZipFile(io.BytesIO(bk.render(undated, "docx"))) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in zf.read("docProps/core.xml")


def test_embedded_manifest_equals_the_exported_one(corpus: bk.Corpus) -> None:
    brief = _brief(corpus)
    contents = read_docx(bk.render(brief, "docx"))
    assert contents.manifest == bk.manifest.parse(bk.render(brief, "json"))


def test_hostile_text_survives_as_text(tmp_path: Path) -> None:
    src = bk.Source.from_text("hostile.txt", HOSTILE)
    brief = bk.Brief(title="<i>T</i>", key_points=[bk.sentence(src.quote(HOSTILE))])
    path = bk.export(brief, tmp_path / "h.docx")
    d = docx.Document(str(path))
    item = next(p for p in d.paragraphs if _style(p) == "List Bullet")
    # an inline quotation is reflowed: each line break reads as a space
    expected = "“" + display(re.sub(r"[ \t]*(?:\r\n|[\r\n\x0b])[ \t]*", " ", HOSTILE)) + "”"
    assert item.text == expected
    xml = _parts(path.read_bytes())["word/document.xml"].decode()
    assert "<b>" not in xml and "<a href" not in xml and "&amp;amp;" in xml
    runs = etree.fromstring(xml.encode()).iter(f"{W}r")
    props = {_text(r): etree.tostring(r).decode() for r in runs}
    rtl = next(v for k, v in props.items() if "שלום" in k)
    cjk = next(v for k, v in props.items() if "日本語" in k)
    assert "<w:rtl/>" in rtl
    assert 'w:hint="eastAsia"' in cjk


def test_very_long_text_is_split_and_reads_back() -> None:
    text = ("word " * 20_000).strip() + "."
    src = bk.Source.from_text("long.txt", text)
    brief = bk.Brief(
        title="T", sections=[bk.section("S", bk.paragraph(bk.sentence(src.quote(text))))]
    )
    data = bk.render(brief, "docx")
    xml = _parts(data)["word/document.xml"]
    assert xml.count(b"<w:t xml:space") >= 4
    d = docx.Document(io.BytesIO(data))
    assert any(p.text == text for p in d.paragraphs)


def test_a_user_template_keeps_its_styles_and_gains_missing_ones(
    tmp_path: Path, corpus: bk.Corpus
) -> None:
    template = tmp_path / "template.docx"
    docx.Document().save(str(template))
    exporter = DocxExporter(template=template, page_size="Letter")
    data = bk.render(_brief(corpus), exporter)
    parts = _parts(data)
    styles = etree.fromstring(parts["word/styles.xml"])
    ids = [s.get(f"{W}styleId") for s in styles.iter(f"{W}style")]
    assert "FootnoteText" in ids and "BriefMeta" in ids and "Heading1" in ids
    assert len(ids) == len(set(ids))
    numbering = etree.fromstring(parts["word/numbering.xml"])
    tags = [etree.QName(e).localname for e in numbering]
    assert tags.index("num") > max(i for i, t in enumerate(tags) if t == "abstractNum")
    assert b'w:w="12240"' in parts["word/document.xml"]
    d = docx.Document(io.BytesIO(data))
    assert d.paragraphs[0].text == "Alliance <brief> & co"
    with pytest.raises(bk.ExportError, match="cannot read the template"):
        DocxExporter(template=tmp_path / "missing.docx")


def test_verify_reads_docx_and_catches_an_edited_footnote(tmp_path: Path, seeds: Path) -> None:
    sources = tmp_path / "src"
    shutil.copytree(seeds, sources)
    corpus = bk.Corpus.from_dir(sources)
    path = bk.export(_brief(corpus), tmp_path / "b.docx")
    assert bk.verify(path, sources=sources).ok
    parts = _parts(path.read_bytes())
    parts["word/footnotes.xml"] = parts["word/footnotes.xml"].replace(b"line 18", b"line 19", 1)
    edited = _zip(tmp_path / "edited.docx", parts)
    report = bk.verify(edited, sources=sources)
    assert not report.ok
    assert any(
        "note 1 (sentence s1): the visible footnote differs" in p for p in map(str, report.problems)
    )


def test_damaged_docx_is_a_clear_error(tmp_path: Path, seeds: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(bk.ReadError, match="not a readable zip package"):
        bk.verify(bad, sources=seeds)
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    with pytest.raises(bk.ReadError, match="no briefkit provenance manifest"):
        bk.verify(plain, sources=seeds)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_one_note_per_cited_sentence(tmp_path: Path, corpus: bk.Corpus) -> None:
    path = bk.export(_brief(corpus), tmp_path / "b.docx")
    out = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "json", str(path)], capture_output=True, check=True
    )
    found = pandoc_notes(json.loads(out.stdout)["blocks"])
    plan = bk.NotePlan.build(_brief(corpus))
    got = [" ".join(inline_text(n[0]["c"]).split()) for n in found]
    assert got == [" ".join(n.text.split()) for n in plan.notes]


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_libreoffice_renders_the_notes(tmp_path: Path, corpus: bk.Corpus) -> None:
    path = bk.export(_brief(corpus), tmp_path / "b.docx")
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for note in bk.NotePlan.build(_brief(corpus)).notes:
        assert " ".join(note.text.split()) in flat


def test_dates_outside_the_zip_range_are_clamped_in_the_zip_only(corpus: bk.Corpus) -> None:
    brief = bk.Brief(title="T", date="2150-06-01", key_points=_brief(corpus).key_points)
    with zipfile.ZipFile(io.BytesIO(bk.render(brief, "docx"))) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        assert b"2150-06-01T00:00:00Z" in zf.read("docProps/core.xml")


def test_verify_catches_an_edited_sentence_in_the_body(tmp_path: Path, seeds: Path) -> None:
    sources = tmp_path / "src"
    shutil.copytree(seeds, sources)
    path = bk.export(_brief(bk.Corpus.from_dir(sources)), tmp_path / "b.docx")
    parts = _parts(path.read_bytes())
    assert b"never been stronger" in parts["word/document.xml"]
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"never been stronger", b"never been weaker"
    )
    edited = _zip(tmp_path / "edited.docx", parts)
    report = bk.verify(edited, sources=sources)
    assert not report.ok
    assert any(
        "sentence s2" in p and "'stronger' -> 'weaker'" in p for p in map(str, report.problems)
    )
