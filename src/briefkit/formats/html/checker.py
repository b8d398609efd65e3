"""Check a written HTML page: its embedded manifest, and what a reader of the page sees (note
marks, endnotes, sentences and their labels) against that manifest."""

from __future__ import annotations

from pathlib import Path

from briefkit._text import display, split_lines
from briefkit.errors import ReadError
from briefkit.formats._checking import Checked, diff, note_text_problem
from briefkit.formats.html.reader import HtmlContents, read_html
from briefkit.manifest import Manifest
from briefkit.problems import Problem

__all__ = ["HtmlChecker", "check"]


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the page at ``path`` and compare what it shows with its manifest (or with
    ``manifest`` when one is given)."""
    page = read_html(path)
    found = manifest or page.manifest
    if found is None:
        raise ReadError(f"{str(path)!r}: no briefkit provenance manifest is embedded")
    return Checked(found, tuple(_html_problems(page, found)))


def _add(problems: list[Problem], code: str, found: Problem | str) -> None:
    problems.append(found if isinstance(found, Problem) else Problem(code, found))


def _html_problems(contents: HtmlContents, manifest: Manifest) -> list[Problem]:
    """Compare the note marks, notes and sentences a reader of the page sees with the
    manifest."""
    noted = [s for s in manifest.sentences if s.note is not None]
    marks = contents.marks
    problems = [
        Problem("duplicate-id", f"the id {i!r} is used by more than one element")
        for i in contents.duplicate_ids
    ]
    if len(marks) != len(noted):
        _add(
            problems,
            "page",
            f"the page shows {len(marks)} note marks; the manifest has {len(noted)} notes",
        )
    for mark, sent in zip(marks, noted, strict=False):
        if mark.label != str(sent.note) or mark.target != f"#fn-{sent.note}":
            _add(
                problems,
                "page",
                f"note mark {mark.ordinal} reads {mark.label!r} and links to {mark.target!r}; "
                f"the manifest numbers it note {sent.note} (#fn-{sent.note})",
            )
        if mark.sentence != sent.id:
            _add(
                problems,
                "page",
                f"note {sent.note}: its mark stands in sentence {mark.sentence!r}, "
                f"the manifest puts it on {sent.id!r}",
            )
    for sent in noted:
        assert sent.note is not None
        problem = note_text_problem(
            sent.note, sent, contents.notes.get(sent.note), _shown_lines(sent.note_text or "")
        )
        if problem:
            _add(problems, "page", problem)
    extra = sorted(set(contents.notes) - {s.note for s in noted})
    if extra:
        _add(problems, "page", f"the page shows note(s) {extra} that the manifest does not have")
    numbers = [s.note for s in noted]
    if list(contents.note_order) != numbers and not extra:
        _add(
            problems,
            "page",
            f"the endnotes stand in the order {list(contents.note_order)[:20]}; a list numbers "
            "them by position, so each must stand at its own number",
        )
    for sent in manifest.sentences:
        shown_label = sent.id in contents.labelled
        if sent.analysis and not shown_label:
            _add(
                problems,
                "page",
                f"sentence {sent.id} ({sent.place}): the 'Analysis' label is missing; the "
                "manifest marks it as the author's own analysis",
            )
        elif shown_label and not sent.analysis:
            _add(
                problems,
                "page",
                f"sentence {sent.id} ({sent.place}): the page labels it 'Analysis', but the "
                "manifest does not",
            )
    return problems + _sentence_problems(contents.sentences, manifest)


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


class HtmlChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
