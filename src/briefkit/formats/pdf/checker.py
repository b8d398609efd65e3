"""Check a written PDF: its attached manifest, and what a reader of the pages sees (the body
text, each note on its mark's page) against that manifest."""

from __future__ import annotations

import bisect
from pathlib import Path

from briefkit._text import ignorable, shown, split_lines
from briefkit.errors import ReadError
from briefkit.formats._checking import Checked, longest_prefix_found
from briefkit.formats.pdf.reader import PdfContents, read_pdf
from briefkit.manifest import Manifest
from briefkit.problems import Problem

__all__ = ["PdfChecker", "check"]


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the PDF at ``path`` and compare what its pages show with its manifest (or with
    ``manifest`` when one is given)."""
    pdf = read_pdf(path)
    found = manifest or pdf.manifest
    if found is None:
        raise ReadError(f"{str(path)!r}: no briefkit provenance manifest is embedded")
    problems = _pdf_note_problems(pdf, found) + _pdf_body_problems(pdf, found)
    return Checked(found, tuple(problems))


def _add(problems: list[Problem], code: str, found: Problem | str) -> None:
    problems.append(found if isinstance(found, Problem) else Problem(code, found))


def _squash(text: str) -> str:
    return "".join(text.split())


def _pdf_visible(text: str) -> str:
    """Text as the PDF shows it, with whitespace, break hints and format characters (which a
    PDF may or may not draw) removed: what page text extraction can be compared with. Hyphens
    are left out too: a line broken at a soft hyphen shows one that the text does not have."""
    drawn = "".join(shown(line) for line in split_lines(text))
    return _squash("".join(ch for ch in drawn if not ignorable(ch) and ch not in "\u200b\u00ad-"))


def _pdf_note_problems(contents: PdfContents, manifest: Manifest) -> list[Problem]:
    """Each note must start on the page of its mark and read as the manifest says (a note may
    continue on the next page)."""
    problems: list[Problem] = []
    for page in contents.pages:
        away = sorted({p for p in page.internal_links if p != page.number})
        if away:
            _add(problems, "note", f"page {page.number}: a footnote link points to page(s) {away}")
    noted = [s for s in manifest.sentences if s.note is not None]
    marks = contents.mark_pages()
    if len(marks) != len(noted):
        _add(
            problems,
            "note",
            f"the document shows {len(marks)} footnote marks; the manifest has {len(noted)}",
        )
    texts = {p.number: _pdf_visible(p.text) for p in contents.pages}
    for page_no, sent in zip(marks, noted, strict=False):
        want = _pdf_visible(sent.note_text or "")
        here, after = texts.get(page_no, ""), texts.get(page_no + 1, "")
        lo, _ = longest_prefix_found(want, here, 0)  # the part on its mark's page
        if lo == 0 or (
            lo < len(want) and not after.startswith(want[lo:]) and want[lo:] not in after
        ):
            _add(
                problems,
                "note",
                f"note {sent.note} (sentence {sent.id}): the text on page {page_no} does not "
                "match the manifest's note",
            )
    return problems


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _pdf_body_problems(contents: PdfContents, manifest: Manifest) -> list[Problem]:
    """Every sentence must be drawn, in reading order, as the manifest says. A sentence may
    break across pages: its text then ends one page's body and goes on at the very top of the
    next page (the notes of the first page come between)."""
    pages = [_pdf_visible(p.text) for p in contents.pages]
    starts: list[int] = []
    total = 0
    for text in pages:
        starts.append(total)
        total += len(text)
    whole = "".join(pages)
    problems: list[Problem] = []
    cursor = 0
    for sent in manifest.sentences:
        want = _pdf_visible(sent.text)
        if not want:
            continue
        at = whole.find(want, cursor)
        if at >= 0:
            cursor = at + len(want)
            continue
        length, at = longest_prefix_found(want, whole, cursor)
        rest = want[length:]
        page = bisect.bisect_right(starts, at + length - 1) - 1 if length else len(pages)
        while rest and page + 1 < len(pages):
            page += 1
            top = pages[page]
            run = _common_prefix(rest, top)
            if run == 0:
                break
            rest = rest[run:]
            cursor = starts[page] + run
        if rest:
            shown_text = whole[at : at + length + 20] if length else ""
            _add(
                problems,
                "sentence",
                f"sentence {sent.id} ({sent.place}): the PDF's text differs from the manifest"
                + (
                    f" after {want[:length][-30:]!r} (shows {shown_text[length:]!r})"
                    if length
                    else ""
                ),
            )
    return problems


class PdfChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
