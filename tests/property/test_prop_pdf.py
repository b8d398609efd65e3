"""Random briefs over hostile sources -> PDF -> read back with pypdf, page by page.

Text in scripts reportlab cannot shape, or that no installed font covers, must be refused with
the matching clear error; everything else must lay out so that every note starts on the page
of its reference mark (every internal link stays on its page, and the note's text is there),
notes are numbered 1..n, and each note's (source id, start, end) resolves to the file on disk.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import briefkit
from briefkit._text import ignorable, shown
from briefkit.formats.pdf import FontSet, GlyphCoverageError
from briefkit.formats.pdf._fonts import RegisteredFonts
from briefkit.formats.pdf._shaping import needs_rebuild
from briefkit.testing import briefs, source_bytes

from . import SOURCE_IDS, canonical, corpus_files
from .test_prop_export import workspace

_FONTS = RegisteredFonts(FontSet.discover())


def drawable(ch: str) -> bool:
    """What the installed PDF fonts can draw."""
    return not _FONTS.uncovered(shown(ch), ignorable=ignorable)


def _read_as_drawn(ch: str) -> bool:
    """What pypdf reads as it is drawn: every drawable character but right-to-left text and
    the scripts that are shaped, whose glyphs are drawn in display order, clusters whole
    (pypdf reads them in that order; briefkit's reader and pdftotext put them back in
    logical order, as the scripts' own tests show)."""
    return drawable(ch) and not needs_rebuild(ch)


def _files(keep: Callable[[str], bool]) -> st.SearchStrategy[dict[str, bytes]]:
    """One to three source files of text whose characters ``keep`` accepts."""
    return st.lists(
        st.tuples(st.sampled_from(SOURCE_IDS), source_bytes(0, 120, keep=keep)),
        min_size=1,
        max_size=3,
        unique_by=lambda pair: pair[0],
    ).map(dict)


#: Sources whose text the PDF can show, so most examples reach the layout.
drawable_files = _files(drawable)
#: Sources whose text the PDF shows and pypdf reads back as it is.
_plain_files = _files(_read_as_drawn)

REF = re.compile(r"\[([A-Za-z0-9_][A-Za-z0-9._/-]*),chars(\d+)–(\d+)\]")


def _squash(text: str) -> str:
    return "".join(text.split())


_ZWNBSP = "\u2060" if _FONTS.face_for("\u2060") is not None else ""
_SHY = "\u00ad"


def _drawn(text: str) -> str:
    """The characters a reader of the PDF sees: the documented one-for-one stand-ins (U+FEFF
    as U+2060 or nothing), and no invisible format characters that no font has, no zero-width
    space (a break hint only). Soft hyphens stay, for :func:`_pattern`: each is drawn as a
    hyphen when a line breaks there and as nothing otherwise."""
    return "".join(
        ch
        for ch in shown(text).replace("\ufeff", _ZWNBSP)
        if ch != "\u200b" and not (ignorable(ch) and _FONTS.face_for(ch) is None)
    )


def _pattern(note: str) -> re.Pattern[str]:
    """``note`` (from :func:`_drawn`, squashed) as page text may read: a soft hyphen is a "-"
    where the line broke at it, and nothing anywhere else."""
    return re.compile("".join("-?" if ch == _SHY else re.escape(ch) for ch in note))


@settings(max_examples=30, deadline=None)
@given(files=corpus_files, data=st.data())
def test_text_the_pdf_cannot_draw_is_refused_by_name(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (_root, _out, corpus):
        brief = data.draw(briefs(corpus), label="brief")
        plan = briefkit.NotePlan.build(brief)
        bad = {ch for s in plan.sentences for ch in s.text if not drawable(ch) and ch.isprintable()}
        if not bad:
            return
        with pytest.raises(GlyphCoverageError, match=r"U\+[0-9A-F]{4}"):
            briefkit.render(plan, "pdf")


def _reads_on(note: str, here: str, after: str) -> bool:
    """Whether ``note`` reads whole from its mark's page ``here``, or starts there and goes on
    in the next page's note area (``after``; a split note may break inside a reference)."""
    lo, hi = 0, len(note)  # the longest prefix of the note on its mark's page
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _pattern(note[:mid]).search(here):
            lo = mid
        else:
            hi = mid - 1
    return lo == len(note) or _pattern(note[lo:]).search(after) is not None


def _check_pdf(root: Path, brief: briefkit.Brief) -> None:
    """Every note starts on its mark's page and reads whole there or with the next page,
    notes are numbered 1..n, and each reference resolves to its source file on disk."""
    # audit notes print their references, which the test reads back
    pdf = briefkit.render(brief, "pdf", show_spans=True)
    exported = json.loads(briefkit.render(brief, "json", show_spans=True))
    reader = PdfReader(io.BytesIO(pdf))
    assert json.loads(reader.attachments["briefkit-provenance.json"][0]) == exported
    page_of: dict[int, int] = {}
    for i, p in enumerate(reader.pages, 1):
        assert p.indirect_reference is not None  # pages read from a file are indirect objects
        page_of[p.indirect_reference.idnum] = i
    mark_pages: list[int] = []
    texts: dict[int, str] = {}
    for number, page in enumerate(reader.pages, 1):
        links = [a.get_object() for a in page.get("/Annots", []) or []]
        targets = [  # marks and back-links: not the cross-references, which go anywhere
            page_of[a["/Dest"][0].idnum]
            for a in links
            if a.get("/Subtype") == "/Link" and "/Dest" in a and "/BriefkitRef" not in a
        ]
        assert set(targets) <= {number}  # every mark and back-link stays on its page
        mark_pages += [number] * (len(targets) // 2)
        texts[number] = _squash(page.extract_text())
    noted = [s for s in exported["sentences"] if s["note"] is not None]
    assert [s["note"] for s in noted] == list(range(1, len(noted) + 1))
    assert len(mark_pages) == len(noted)
    for page_no, sent in zip(mark_pages, noted, strict=True):
        note = _squash(_drawn(sent["note_text"]))
        here = texts[page_no]
        assert _pattern(note[:12]).search(here)  # the note starts on its mark's page
        assert _reads_on(note, here, texts.get(page_no + 1, ""))  # and all of it is shown
        refs = [(m[1], int(m[2]), int(m[3])) for m in REF.finditer(note.replace(_SHY, ""))]
        assert refs == [(c["source"], c["start"], c["end"]) for c in sent["citations"]]
        for source_id, start, end in refs:
            text = canonical(root.joinpath(*source_id.split("/")).read_bytes())
            assert any(text[start:end] == c["exact"] for c in sent["citations"])


@settings(max_examples=60, deadline=None)
@given(files=_plain_files, data=st.data())
def test_pdf_notes_sit_on_the_page_of_their_marks(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    with workspace(files) as (root, _out, corpus):
        _check_pdf(root, data.draw(briefs(corpus, keep=_read_as_drawn), label="brief"))


def test_a_note_split_inside_a_reference_reads_whole_across_the_page_break(
    tmp_path: Path,
) -> None:
    # the note of the second key point starts at the foot of page 1 and goes on at the top of
    # page 2's note area, breaking inside "[s.txt, chars 175–180]" (seed 13 found such a note)
    text = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu. " * 4
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    src = briefkit.Corpus.from_dir(tmp_path)["s.txt"]
    cites = [src.paraphrase(start=i, end=i + 5) for i in range(0, 200, 7)]
    for filler in (49, 50, 60, 61, 63, 64):
        brief = briefkit.Brief(
            title="T",
            key_points=[
                briefkit.sentence("Filler " * (8 * filler), cite=cites[0]),
                briefkit.sentence("Cited widely.", cite=cites[1:]),
            ],
        )
        _check_pdf(tmp_path, brief)


def test_a_note_line_broken_at_a_soft_hyphen_shows_a_hyphen_there(tmp_path: Path) -> None:
    # reportlab may break a line of a note at a soft hyphen, and then draws a "-" at the end of
    # the line: the page reads "…schiff-" + "fahr…" where the note text has "schiff\u00adfahr…"
    # (seeds 7 and 11 found such notes)
    word = "\u00ad".join(["Donau", "dampf", "schiff", "fahrts", "gesell", "schaft"] * 4)
    (tmp_path / "s.txt").write_text(f"{'x' * 36} {word} sails.", encoding="utf-8")
    src = briefkit.Corpus.from_dir(tmp_path)["s.txt"]
    cites = [src.paraphrase(start=0, end=1), src.paraphrase(start=1, end=2)]
    brief = briefkit.Brief(title="T", key_points=[briefkit.sentence("It sails.", cite=cites)])
    pdf = briefkit.render(brief, "pdf", show_spans=True)
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "-" not in src.text and re.search(r"[a-z]-\n[a-z]", page), page
    _check_pdf(tmp_path, brief)


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_pdf_is_deterministic(page_size: str) -> None:
    src = briefkit.Source.from_text("a.txt", "Alpha beta gamma. " * 40)
    brief = briefkit.Brief(title="T", key_points=[briefkit.sentence(src.quote(start=0, end=23))])
    exporter = briefkit.formats.pdf.PdfExporter(page_size=page_size)  # type: ignore[arg-type]
    assert briefkit.render(brief, exporter) == briefkit.render(brief, exporter)
