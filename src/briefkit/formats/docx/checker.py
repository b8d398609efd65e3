"""Check a written DOCX: its embedded manifest, and what a reader of the document sees
(every footnote, note reference and bookmarked sentence) against that manifest."""

from __future__ import annotations

from pathlib import Path

from briefkit._text import display, split_lines
from briefkit.errors import ReadError
from briefkit.formats._checking import Checked, diff, note_text_problem
from briefkit.formats.docx.reader import DocxContents, read_docx
from briefkit.manifest import Manifest
from briefkit.problems import Problem

__all__ = ["DocxChecker", "check"]


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the DOCX at ``path`` and compare what it shows with its manifest (or with
    ``manifest`` when one is given)."""
    contents = read_docx(path)
    found = manifest or contents.manifest
    if found is None:
        raise ReadError(f"{str(path)!r}: no briefkit provenance manifest is embedded")
    return Checked(found, tuple(_visible_note_problems(contents, found)))


def _add(problems: list[Problem], code: str, found: Problem | str) -> None:
    problems.append(found if isinstance(found, Problem) else Problem(code, found))


def _visible_note_problems(contents: DocxContents, manifest: Manifest) -> list[Problem]:
    """Compare the footnotes a reader of the DOCX sees with the manifest's notes."""
    noted = [s for s in manifest.sentences if s.note is not None]
    refs = contents.references
    problems: list[Problem] = []
    if len(refs) != len(noted):
        _add(
            problems,
            "note",
            f"the document shows {len(refs)} footnote references; the manifest has {len(noted)}",
        )
    for ref, sent in zip(refs, noted, strict=False):
        if ref.bookmark is not None and ref.bookmark != sent.id:
            _add(
                problems,
                "note",
                f"note {ref.ordinal}: referenced from sentence {ref.bookmark!r}, "
                f"the manifest puts it on {sent.id!r}",
            )
        visible = contents.notes.get(ref.footnote_id)
        problem = note_text_problem(ref.ordinal, sent, visible, display(sent.note_text or ""))
        if problem:
            _add(problems, "note", problem)
    if contents.bookmarked:  # briefkit marks every sentence: its words must be the manifest's
        problems += _sentence_problems(contents.bookmarked, manifest, strip_label_space=True)
    return problems


def _shown_lines(text: str, joiner: str = "\n") -> str:
    """``text`` as exporters show it: XML-illegal characters pictured, every newline style
    one break (``joiner``)."""
    return joiner.join(display(line) for line in split_lines(text))


def _sentence_problems(
    shown_texts: dict[str, str], manifest: Manifest, *, strip_label_space: bool = False
) -> list[Problem]:
    """Each sentence must be in the document, reading as the manifest says."""
    problems: list[Problem] = []
    for sent in manifest.sentences:
        shown_text = shown_texts.get(sent.id)
        if shown_text is None:
            _add(problems, "sentence", f"sentence {sent.id}: not found in the document")
            continue
        if sent.analysis and strip_label_space:
            shown_text = shown_text.removeprefix(" ")
        expected = _shown_lines(sent.text)
        if shown_text != expected:
            _add(
                problems,
                "sentence",
                f"sentence {sent.id} ({sent.place}): the document's text differs from the "
                f"manifest: {diff(expected, shown_text)}",
            )
    return problems


class DocxChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
