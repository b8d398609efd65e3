"""Every format prints the bibliography after the body, writes a brief in its own language
(labels, dates, quotation marks) and verifies it; a one-character edit to a bibliography entry
or to any note is caught in every format."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from pypdf import PdfWriter
from pypdf.generic import ContentStream

import briefkit as bk
from briefkit.formats.docx.reader import read_docx
from briefkit.formats.html.reader import read_html
from briefkit.formats.markdown._container import MANIFEST_COMMENT
from briefkit.formats.markdown.reader import read_markdown
from briefkit.formats.pdf import GlyphCoverageError
from briefkit.formats.pdf.reader import read_pdf
from briefkit.problems import Problem
from briefs import SEEDS, alliance_brief

FORMATS = ("md", "html", "docx", "pdf")

ENTRIES = (
    "“Carter looks to shore-up US-Japan military alliance.” CNN, December 5, 2016.",
    "“US Backs Japan Alliance ‘100%.’”",
)


def _squash(text: str) -> str:
    return "".join(text.split())


def visible(path: Path) -> str:
    """The text a reader of the written file sees (the body; the notes too where the format
    shows them in the same flow), whitespace kept."""
    suffix = path.suffix
    if suffix == ".md":
        return re.sub("\x02[^\x03]*\x03", " ", read_markdown(path).shown)
    if suffix == ".html":
        return read_html(path).visible
    if suffix == ".docx":
        return "\n".join(read_docx(path).paragraphs)
    return "\n".join(page.text for page in read_pdf(path).pages)


def _brief(
    *, lang: str | None = None, sources_appendix: bool = False, bibliography: bool = True
) -> bk.Brief:
    return attrs.evolve(
        alliance_brief(bk.Corpus.from_dir(SEEDS)),
        lang=lang,
        sources_appendix=sources_appendix,
        bibliography=bibliography,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The alliance brief in every format (English, no sources appendix)."""
    folder = tmp_path_factory.mktemp("written")
    return {fmt: bk.export(_brief(), folder / f"brief.{fmt}") for fmt in FORMATS}


# -- the bibliography ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_bibliography_is_printed_after_the_body(written: dict[str, Path], fmt: str) -> None:
    path = written[fmt]
    assert bk.verify(path, sources=SEEDS).problems == ()
    shown = _squash(visible(path))
    heading = shown.index("Bibliography")
    last_sentence = shown.index(_squash("50,000 troops (CNN)."))
    assert last_sentence < heading
    at = heading
    for entry in ENTRIES:
        found = shown.find(_squash(entry), at)
        assert found > at, (fmt, entry)
        at = found
    assert "sha256" not in shown  # the provenance annex is off by default


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_sources_appendix_follows_the_bibliography_when_asked_for(
    tmp_path: Path, fmt: str
) -> None:
    path = bk.export(_brief(sources_appendix=True), tmp_path / f"b.{fmt}")
    assert bk.verify(path, sources=SEEDS).problems == ()
    shown = _squash(visible(path))
    assert shown.index(_squash(ENTRIES[-1])) < shown.index("Sources") < shown.index("sha256")


def test_a_brief_without_a_bibliography_prints_none(tmp_path: Path) -> None:
    for fmt in FORMATS:
        path = bk.export(_brief(bibliography=False), tmp_path / f"b.{fmt}")
        assert bk.verify(path, sources=SEEDS).problems == ()
        assert "Bibliography" not in visible(path)


# -- one character edited -----------------------------------------------------------------------

#: (old, new): one character changed; ``old`` stands once in the file's visible text
EDITS = {
    "entry 1": ("December 5, 2016.", "December 6, 2016."),
    "entry 2": ("Alliance ‘100%.’”", "Alliance ‘10%.’”"),
    "note 1": ("2016, line 12;", "2016, line 13;"),
    "note 2": ("alliance,” line 18.", "alliance,” line 19."),
    "note 3": ("‘100%,’” line 10.", "‘100%,’” line 11."),
    "note 4": ("alliance,” line 12.", "alliance,” line 17."),
}


def _edit_text(path: Path, old: str, new: str) -> bytes:
    data = path.read_text(encoding="utf-8")
    end = data.index(MANIFEST_COMMENT) if path.suffix == ".md" else data.index("<script")
    assert data.count(old, 0, end) == 1, old
    return data.replace(old, new, 1).encode("utf-8")


def _edit_docx(path: Path, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        found = 0
        for name in zin.namelist():
            data = zin.read(name)
            if name in ("word/document.xml", "word/footnotes.xml"):
                found += data.count(old.encode())
                data = data.replace(old.encode(), new.encode())
            zout.writestr(name, data)
    assert found == 1, old
    return out.getvalue()


def _drawn(text: str) -> bytes:
    """A pattern of ``text`` as a content stream draws it: ASCII as itself, any other
    character as its code in the font subset, a space perhaps as a line break."""
    out = []
    for ch in text:
        if ch == " ":
            out.append(rb"(?:\s+|\)\s*Tj\s*T\*\s*\()")
        elif ch in "()\\":
            out.append(re.escape(b"\\" + ch.encode()))
        elif " " < ch <= "~":
            out.append(re.escape(ch.encode()))
        else:
            out.append(rb"(?:\\[0-7]{1,3}|[^ -~])")
    return b"".join(out)


def _edit_pdf(path: Path, old: str, new: str) -> bytes:
    k = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
    assert old[k].isascii() and new[k].isascii()
    pattern = re.compile(
        b"("
        + _drawn(old[:k])
        + b")"
        + re.escape(old[k].encode())
        + b"(?="
        + _drawn(old[k + 1 :])
        + b")"
    )
    writer = PdfWriter(clone_from=path)
    found = 0
    for page in writer.pages:
        contents = page.get_contents()
        assert contents is not None
        data = contents.get_data()
        hits = list(pattern.finditer(data))
        found += len(hits)
        if hits:
            hit = hits[0]
            stream = ContentStream(None, writer)
            at = hit.end() - 1
            stream.set_data(data[:at] + new[k].encode() + data[at + 1 :])
            page.replace_contents(stream)
    assert found == 1, old
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


EDITORS: dict[str, Callable[[Path, str, str], bytes]] = {
    "md": _edit_text,
    "html": _edit_text,
    "docx": _edit_docx,
    "pdf": _edit_pdf,
}


def _caught(report: bk.Report, target: str) -> list[Problem]:
    assert not report.ok
    kind, number = target.split()
    if kind == "note":
        return [p for p in report.problems if p.code == "note-differs" and p.note == int(number)]
    return [p for p in report.problems if p.code == "differs" and "entry" in p.message]


@pytest.mark.parametrize("target", EDITS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_one_character_edited_in_an_entry_or_a_note_is_caught(
    written: dict[str, Path], tmp_path: Path, fmt: str, target: str
) -> None:
    old, new = EDITS[target]
    edited = tmp_path / f"edited.{fmt}"
    edited.write_bytes(EDITORS[fmt](written[fmt], old, new))
    report = bk.verify(edited, sources=SEEDS)
    assert _caught(report, target), [str(p) for p in report.problems]
    assert all(c.ok for c in report.citations)  # the sources are fine: the file is not


# -- languages ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("german")
    return {fmt: bk.export(_brief(lang="de-DE"), folder / f"brief.{fmt}") for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_german_brief_writes_and_verifies_with_german_labels(
    german: dict[str, Path], fmt: str
) -> None:
    path = german[fmt]
    report = bk.verify(path, sources=SEEDS)
    assert report.problems == (), [str(p) for p in report.problems]
    shown = visible(path)
    for label in ("Kernaussagen", "Analyse:", "Literaturverzeichnis", "21. November 2026"):
        assert label in shown, (fmt, label)
    for english in ("Key points", "Analysis", "Bibliography", "Notes"):
        assert english not in shown, (fmt, english)
    assert "Ash Carter sagte: „Our alliance with Japan has never been stronger“." in shown
    assert _squash("„US Backs Japan Alliance ‚100%‘“.") in _squash(shown)  # the entry


def test_the_german_notes_heading_and_page_language(german: dict[str, Path]) -> None:
    contents = read_html(german["html"])
    assert contents.lang == "de-DE"
    assert (2, "Anmerkungen") in contents.headings
    assert "Zeile 18" in contents.notes[2]
    with zipfile.ZipFile(german["docx"]) as zf:
        assert b'<w:lang w:val="de-DE"' in zf.read("word/styles.xml")
        assert b"<dc:language>de-DE</dc:language>" in zf.read("docProps/core.xml")


#: the analysis label as each format writes it, in German and in English
LABELS = {
    "md": ("*Analyse:*", "*Analysis:*"),
    "html": (">Analyse:</strong>", ">Analysis:</strong>"),
    "docx": (">Analyse:</w:t>", ">Analysis:</w:t>"),
    "pdf": ("Analyse:", "Analysis:"),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_english_label_in_a_german_brief_is_caught(
    german: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    old, new = LABELS[fmt]
    if fmt == "pdf":
        writer = PdfWriter(clone_from=german[fmt])
        page = writer.pages[0]
        contents = page.get_contents()
        assert contents is not None and old.encode() in contents.get_data()
        stream = ContentStream(None, writer)
        stream.set_data(contents.get_data().replace(old.encode(), new.encode()))
        page.replace_contents(stream)
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    elif fmt == "docx":
        data = _edit_docx(german[fmt], old, new)
    else:
        data = _edit_text(german[fmt], old, new)
    edited = tmp_path / f"edited.{fmt}"
    edited.write_bytes(data)
    report = bk.verify(edited, sources=SEEDS)
    assert not report.ok
    assert any(p.sentence == "s3" for p in report.problems), [str(p) for p in report.problems]


@pytest.mark.parametrize("lang", ["en-GB", "fr-FR", "es-ES", "ja-JP", "zh-CN", "zh-TW"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_language_writes_and_verifies(tmp_path: Path, fmt: str, lang: str) -> None:
    brief = _brief(lang=lang, sources_appendix=True)
    try:
        path = bk.export(brief, tmp_path / f"b.{fmt}")
    except GlyphCoverageError:
        pytest.skip(f"no font here draws {lang}")
    report = bk.verify(path, sources=SEEDS)
    assert report.problems == (), [str(p) for p in report.problems]
    plan = bk.NotePlan.build(brief)
    shown = _squash(visible(path))
    for key in ("key_points", "analysis", "provenance"):
        assert _squash(plan.labels[key]) in shown, (fmt, key)
    assert _squash(plan.style.bibliography_label) in shown
