"""Check a written Markdown file: its trailing manifest comment, and what a reader of the file
sees (note marks, footnotes, sentences and their labels) against that manifest."""

from __future__ import annotations

import re
from pathlib import Path

from briefkit._text import display, split_lines
from briefkit.errors import ReadError
from briefkit.formats._checking import Checked, longest_prefix_found, note_text_problem
from briefkit.formats.markdown.reader import MarkdownContents, read_markdown
from briefkit.manifest import Manifest
from briefkit.plan import LABELS
from briefkit.problems import Problem

__all__ = ["MarkdownChecker", "check"]


def check(path: Path, manifest: Manifest | None = None) -> Checked:
    """Read the Markdown file at ``path`` and compare what it shows with its manifest (or
    with ``manifest`` when one is given)."""
    md = read_markdown(path)
    found = manifest or md.manifest
    if found is None:
        hint = ""
        with path.open("rb") as fh:
            if fh.read(8).lstrip(b"\xef\xbb\xbf").startswith(b"---"):
                hint = (
                    "; it looks like a Markdown brief (front matter), which is what a build "
                    "reads: build it and verify the outputs (briefkit build BRIEF.md -o "
                    "OUTDIR --verify)"
                )
        raise ReadError(
            f"{str(path)!r}: no briefkit provenance manifest (the trailing "
            f"'<!-- briefkit-provenance v1' comment) is in the file{hint}"
        )
    return Checked(found, tuple(_markdown_problems(md, found)))


def _add(problems: list[Problem], code: str, found: Problem | str) -> None:
    problems.append(found if isinstance(found, Problem) else Problem(code, found))


def _markdown_problems(contents: MarkdownContents, manifest: Manifest) -> list[Problem]:
    """Compare the note marks and footnotes a reader of the Markdown sees with the manifest."""
    noted = [s for s in manifest.sentences if s.note is not None]
    marks = contents.marks
    problems = [
        Problem("duplicate-note", f"note [^{n}] is defined more than once")
        for n in contents.duplicate_notes
    ]
    if len(marks) != len(noted):
        _add(
            problems,
            "note",
            f"the file shows {len(marks)} note marks; the manifest has {len(noted)} notes",
        )
    for k, (mark, sent) in enumerate(zip(marks, noted, strict=False), 1):
        if mark != str(sent.note):
            _add(
                problems,
                "note",
                f"note mark {k} reads [^{mark}]; the manifest numbers it note {sent.note} "
                f"(sentence {sent.id})",
            )
    for sent in noted:
        label = str(sent.note)
        problem = note_text_problem(
            label, sent, contents.notes.get(label), _shown_lines(sent.note_text or "", " ")
        )
        if problem:
            _add(problems, "note", problem)
    extra = sorted(set(contents.notes) - {str(s.note) for s in noted})
    if extra:
        _add(
            problems,
            "note",
            f"the file defines note(s) {', '.join(f'[^{n}]' for n in extra)} "
            "that the manifest does not have",
        )
    return problems + _markdown_sentence_problems(contents, manifest)


def _markdown_sentence_problems(contents: MarkdownContents, manifest: Manifest) -> list[Problem]:
    """Every sentence must be written, in reading order, as the Markdown exporter writes it:
    the analysis label, the escaped text and the note mark (blanks and block-quote markers at
    line starts aside)."""
    from briefkit.formats.markdown.writer import escape  # the writer's own escaping

    body = _squash(re.sub(r"(?m)^[ \t]*>[ \t]?", "", contents.body))
    problems: list[Problem] = []
    cursor = 0
    for sent in manifest.sentences:
        label = f"*{LABELS['analysis']}:* " if sent.analysis else ""
        mark = f"[^{sent.note}]" if sent.note is not None else ""
        want = _squash(label + escape(sent.text) + mark)
        at = body.find(want, cursor)
        if at < 0:
            length, found = longest_prefix_found(want, body, cursor)
            shows = repr(body[found + length : found + length + 20]) if length else "nothing"
            _add(
                problems,
                "sentence",
                f"sentence {sent.id} ({sent.place}): the file's text differs from the manifest"
                + (f" after {want[:length][-30:]!r} (shows {shows})" if length else ""),
            )
            continue
        cursor = at + len(want)
    return problems


def _squash(text: str) -> str:
    return "".join(text.split())


def _shown_lines(text: str, joiner: str = "\n") -> str:
    """``text`` as exporters show it: XML-illegal characters pictured, every newline style
    one break (``joiner``)."""
    return joiner.join(display(line) for line in split_lines(text))


class MarkdownChecker:
    """The checker verify uses for this format."""

    def check(self, path: Path, manifest: Manifest | None = None) -> Checked:
        return check(path, manifest)
