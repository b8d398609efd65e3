"""The author's emphasis and links in DOCX.

``em`` is written as the run's own italics (``w:i``, ``w:iCs``), ``strong`` as its own bold
(``w:b``, ``w:bCs``) — turned over where the text around is italic already (an analysis
sentence: upright) — and a link as an external hyperlink (``w:hyperlink r:id``, its
relationship ``TargetMode="External"``) around runs of the ``Hyperlink`` style. A fresh file
verifies, also once LibreOffice has saved it; python-docx and pandoc read the emphasis and the
links around exactly their words; and every tampering — emphasis added to a quotation or to
other text (directly or through a character style), emphasis removed, a link's address changed,
a link added around a quotation, in a heading or in a note, a link removed, emphasis in a note
or a heading — is reported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

import briefkit as bk
from briefkit.formats.docx.reader import read_docx
from briefs import SEEDS
from make_docx import el, has, parts_of, problems_of, w, write_zip, xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

BARE = "https://example.com/report_2016/(final)?a=1&b=2"
SITE = "https://example.org"
NET = "https://example.net/notes"
QUOTE = "Our alliance with Japan has never been stronger"

Edit = Callable[[etree._Element], None]


def inline_brief(corpus: bk.Corpus) -> bk.Brief:
    """s1: an analysis sentence with em, strong and a labelled link (its own paragraph);
    s2: a cited sentence with em, strong, the quotation, a bare-URL link and a labelled link;
    the sources appendix (whose source links are the briefkit's own)."""
    cnn = corpus["000_28b258b49d188a62.txt"]
    carter = cnn.quote(QUOTE, speaker="Ash Carter")
    return bk.Brief(
        title="Emphasis",
        author="Analyst",
        date="2026-11-21",
        sections=[
            bk.section(
                "Tone",
                bk.paragraph(
                    bk.analysis(
                        "It is ", bk.em("plainly"), " a ", bk.strong("test"), " with ",
                        bk.link(NET, "the notes"), " here.",
                    ),
                ),
                bk.paragraph(
                    bk.sentence(
                        "We ", bk.em("really"), " think ", bk.strong("so"), ": ", carter,
                        ", see ", bk.link(BARE), " and ", bk.link(SITE, "the site"), ".",
                    ),
                ),
            )
        ],
        sources_appendix=True,
    )  # fmt: skip


#: the address the CNN source is given (the seeds record none), for the sources appendix
CNN_URL = "https://edition.cnn.com/2016/12/05/politics/carter-japan"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus, its CNN source given a URL."""
    out = tmp_path_factory.mktemp("docx-inline-sources") / "seeds"
    shutil.copytree(SEEDS, out)
    catalog = out / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    head = "000_28b258b49d188a62.txt:\n"
    catalog.write_text(text.replace(head, f"{head}  URL: {CNN_URL}\n", 1), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def fresh(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    brief = inline_brief(bk.Corpus.from_dir(sources))
    return bk.export(brief, tmp_path_factory.mktemp("docx-inline") / "inline.docx")


def tamper(fresh: Path, out: Path, *edits: tuple[str, Edit]) -> Path:
    parts = parts_of(fresh)
    for part, edit in edits:
        root = etree.fromstring(parts[part])
        edit(root)
        parts[part] = xml(root)
    return write_zip(out / "tampered.docx", parts)


def text_of(node: etree._Element) -> str:
    return "".join(t.text or "" for t in node.iter(w("t")))


def run_with(root: etree._Element, words: str) -> etree._Element:
    """The first run whose text holds ``words``."""
    return next(r for r in root.iter(w("r")) if words in text_of(r))


def rpr_of(run: etree._Element) -> etree._Element:
    found = run.find(w("rPr"))
    if found is None:
        found = el("<w:rPr/>")
        run.insert(0, found)
    return found


def link_with(root: etree._Element, words: str) -> etree._Element:
    return next(h for h in root.iter(w("hyperlink")) if words in text_of(h))


def relationships(fresh: Path) -> dict[str, tuple[str, str | None]]:
    root = etree.fromstring(parts_of(fresh)["word/_rels/document.xml.rels"])
    return {
        r.get("Id", ""): (r.get("Target", ""), r.get("TargetMode"))
        for r in root.iter(f"{{{PKG}}}Relationship")
    }


# -- what is written -------------------------------------------------------------------------


def test_a_fresh_file_verifies(fresh: Path, sources: Path) -> None:
    report = bk.verify(fresh, sources=sources)
    assert report.problems == (), report.problems
    assert report.ok


def test_emphasis_is_the_runs_own_formatting(fresh: Path) -> None:
    root = etree.fromstring(parts_of(fresh)["word/document.xml"])
    really, so = run_with(root, "really"), run_with(root, "so")
    assert text_of(really) == "really" and text_of(so) == "so"
    assert [c.tag for c in rpr_of(really)] == [w("i"), w("iCs")]
    assert [c.tag for c in rpr_of(so)] == [w("b"), w("bCs")]
    # in an analysis sentence (italic through its Analysis style), em is upright
    plainly = rpr_of(run_with(root, "plainly"))
    assert plainly.find(w("rStyle")).get(w("val")) == "Analysis"  # type: ignore[union-attr]
    assert plainly.find(w("i")).get(w("val")) == "0"  # type: ignore[union-attr]
    # the quotation is plain
    assert rpr_of(run_with(root, QUOTE)).find(w("i")) is None


def test_links_are_external_hyperlinks_around_exactly_their_text(fresh: Path) -> None:
    root = etree.fromstring(parts_of(fresh)["word/document.xml"])
    rels = relationships(fresh)
    found = {}
    for link in root.iter(w("hyperlink")):
        rid = link.get(f"{{{R}}}id")
        if rid is None:
            continue
        target, mode = rels[rid]
        assert mode == "External"
        runs = list(link.iter(w("r")))
        named = [s.get(w("val")) for r in runs for s in r.iter(w("rStyle"))]
        assert runs and named == ["Hyperlink"] * len(runs)
        found[text_of(link)] = target
    assert found[BARE] == BARE
    assert found["the site"] == SITE
    assert found["the notes"] == NET
    # in the analysis sentence the link keeps the italics of the text around it
    notes = run_with(link_with(root, "the notes"), "the notes")
    assert rpr_of(notes).find(w("i")) is not None


def test_the_reader_sees_the_emphasis_and_the_links(fresh: Path) -> None:
    contents = read_docx(fresh)
    shown = {(s.text, s.bold != s.plain[0], s.italic != s.plain[1]) for s in contents.stretches}
    assert ("really", False, True) in shown
    assert ("so", False, False) not in shown and ("so", True, False) in shown
    assert any(QUOTE in text and not b and not i for text, b, i in shown)
    assert contents.character_styles["Analysis"] == (False, True)
    urls = {(link.text, link.url) for link in contents.links}
    assert {(BARE, BARE), ("the site", SITE), ("the notes", NET)} <= urls


def test_python_docx_reads_the_emphasis_and_the_links(fresh: Path) -> None:
    document = docx.Document(str(fresh))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert next(r for r in runs if r.text == "really").italic is True
    assert next(r for r in runs if r.text == "so").bold is True
    assert next(r for r in runs if QUOTE in r.text).italic is None
    links = {(h.text, h.address) for p in document.paragraphs for h in p.hyperlinks if h.address}
    assert {(BARE, BARE), ("the site", SITE), ("the notes", NET)} <= links


def _pandoc_inlines(node: Any, kind: str, found: list[Any]) -> list[Any]:
    if isinstance(node, dict):
        if node.get("t") == kind:
            found.append(node["c"])
        for value in node.values():
            _pandoc_inlines(value, kind, found)
    elif isinstance(node, list):
        for value in node:
            _pandoc_inlines(value, kind, found)
    return found


def _words(inlines: Any) -> str:
    out = []
    for node in inlines:
        if node["t"] == "Str":
            out.append(node["c"])
        elif node["t"] == "Space":
            out.append(" ")
        else:
            out.append(f"<{node['t']}>")
    return "".join(out)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_emph_strong_and_links_around_exactly_the_words(fresh: Path) -> None:
    ast = json.loads(
        subprocess.run(
            ["pandoc", "-f", "docx", "-t", "json", str(fresh)],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    )
    emph = [_words(c) for c in _pandoc_inlines(ast["blocks"], "Emph", [])]
    strong = [_words(c) for c in _pandoc_inlines(ast["blocks"], "Strong", [])]
    links = [(_words(c[1]), c[2][0]) for c in _pandoc_inlines(ast["blocks"], "Link", [])]
    assert "really" in emph
    assert "so" in strong and "test" in strong
    assert not any("stronger" in e for e in emph + strong)  # the quotation's words
    assert (BARE, BARE) in links
    assert ("the site", SITE) in links


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_a_copy_saved_by_libreoffice_still_verifies(
    fresh: Path, sources: Path, tmp_path: Path
) -> None:
    out = tmp_path / "saved"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(fresh)],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    saved = out / fresh.name
    assert saved.read_bytes() != fresh.read_bytes()
    # LibreOffice writes a bare host's address with a slash: the same address
    assert any(link.url == SITE + "/" for link in read_docx(saved).links)
    assert bk.verify(saved, sources=sources).problems == ()


# -- tampering -------------------------------------------------------------------------------

DOC = "word/document.xml"
NOTES = "word/footnotes.xml"
RELS = "word/_rels/document.xml.rels"
STYLES = "word/styles.xml"


def _italic_quote(root: etree._Element) -> None:
    rpr_of(run_with(root, QUOTE)).append(el("<w:i/>"))


def _bold_text(root: etree._Element) -> None:
    rpr_of(run_with(root, " think ")).append(el("<w:b/>"))


def _unemphasise(root: etree._Element) -> None:
    run = run_with(root, "really")
    run.remove(rpr_of(run))


def _italic_analysis_em(root: etree._Element) -> None:
    rpr = rpr_of(run_with(root, "plainly"))
    for node in [*rpr.iter(w("i")), *rpr.iter(w("iCs"))]:
        rpr.remove(node)


def _quote_style(root: etree._Element) -> None:
    rpr_of(run_with(root, QUOTE)).insert(0, el('<w:rStyle w:val="Slanted"/>'))


def _add_slanted_style(root: etree._Element) -> None:
    root.append(
        el(
            '<w:style w:type="character" w:styleId="Slanted"><w:name w:val="Slanted"/>'
            "<w:rPr><w:i/></w:rPr></w:style>"
        )
    )


def _retarget(root: etree._Element) -> None:
    rel = next(r for r in root.iter(f"{{{PKG}}}Relationship") if r.get("Target") == SITE)
    rel.set("Target", "https://evil.example")


def _link_quote(root: etree._Element) -> None:
    rid = link_with(root, "the site").get(f"{{{R}}}id")
    run = run_with(root, QUOTE)
    link = el(f'<w:hyperlink r:id="{rid}"/>')
    run.addprevious(link)
    link.append(run)


def _unlink(root: etree._Element) -> None:
    link = link_with(root, "the site")
    for run in list(link):
        link.addprevious(run)
    parent = link.getparent()
    assert parent is not None
    parent.remove(link)


def _link_heading(root: etree._Element) -> None:
    rid = link_with(root, "the site").get(f"{{{R}}}id")
    heading = next(p for p in root.iter(w("p")) if text_of(p) == "Tone")
    run = run_with(heading, "Tone")
    link = el(f'<w:hyperlink r:id="{rid}"/>')
    run.addprevious(link)
    link.append(run)


def _unbold_heading(root: etree._Element) -> None:
    heading = next(p for p in root.iter(w("p")) if text_of(p) == "Tone")
    rpr_of(run_with(heading, "Tone")).append(el('<w:b w:val="0"/>'))


def _note_run(root: etree._Element) -> etree._Element:
    note = next(n for n in root.iter(w("footnote")) if n.get(w("id")) == "1")
    return next(r for r in note.iter(w("r")) if len(text_of(r)) > 3)


def _link_note(root: etree._Element) -> None:
    run = _note_run(root)
    link = el('<w:hyperlink r:id="rId1"/>')
    run.addprevious(link)
    link.append(run)


def _italic_note(root: etree._Element) -> None:
    rpr_of(_note_run(root)).append(el("<w:i/>"))


TAMPERS = [
    pytest.param([(DOC, _italic_quote)], "emphasis", ("sentence s2", "in italics"),
                 id="quote-italic"),
    pytest.param([(STYLES, _add_slanted_style), (DOC, _quote_style)], "emphasis",
                 ("sentence s2", "in italics"), id="quote-italic-by-character-style"),
    pytest.param([(DOC, _bold_text)], "emphasis", ("sentence s2", "think", "in bold"),
                 id="text-bold"),
    pytest.param([(DOC, _unemphasise)], "emphasis", ("sentence s2", "really"),
                 id="emphasis-removed"),
    pytest.param([(DOC, _italic_analysis_em)], "emphasis", ("sentence s1", "plainly"),
                 id="analysis-emphasis-lost"),
    pytest.param([(RELS, _retarget)], "link", ("sentence s2", "evil.example"),
                 id="address-changed"),
    pytest.param([(DOC, _link_quote)], "link", ("sentence s2", "Ouralliance"),
                 id="quote-linked"),
    pytest.param([(DOC, _unlink)], "link", ("sentence s2", "does not show", "thesite"),
                 id="link-removed"),
    pytest.param([(DOC, _link_heading)], "link", ("'Tone'", "links no text there"),
                 id="heading-linked"),
    pytest.param([(DOC, _unbold_heading)], "emphasis", ("'Tone'", "not in bold"),
                 id="heading-unbolded"),
    pytest.param([(NOTES, _link_note)], "link", ("footnote 1", "sentence s2"),
                 id="note-linked"),
    pytest.param([(NOTES, _italic_note)], "emphasis", ("footnote 1", "in italics"),
                 id="note-italic"),
]  # fmt: skip


@pytest.mark.parametrize(("edits", "code", "words"), TAMPERS)
def test_tampering_is_reported(
    fresh: Path,
    sources: Path,
    tmp_path: Path,
    edits: list[tuple[str, Edit]],
    code: str,
    words: tuple[str, ...],
) -> None:
    found = problems_of(tamper(fresh, tmp_path, *edits), sources)
    assert has(found, code, *words), found


def test_the_sources_appendix_links_are_briefkits_own(
    fresh: Path, sources: Path, tmp_path: Path
) -> None:
    outside = [(link.text, link.url) for link in read_docx(fresh).links if not link.marks]
    assert outside == [(CNN_URL, CNN_URL)]

    def retarget(root: etree._Element) -> None:
        rel = next(r for r in root.iter(f"{{{PKG}}}Relationship") if r.get("Target") == CNN_URL)
        rel.set("Target", "https://evil.example/")

    found = problems_of(tamper(fresh, tmp_path, (RELS, retarget)), sources)
    assert has(found, "link", "evil.example", "links no text there"), found
