"""Read a briefkit Markdown file back: the manifest in its trailing comment, the visible
footnotes and the order of the note marks.

A footnote's visible text is its ``[^n]:`` line (and any indented continuation lines, joined
by spaces) with Markdown's backslash escapes and character references undone — what a reader
of the rendered file sees. Note marks are the ``[^n]`` references outside the definitions;
escaped brackets (``\\[^1\\]``) are text, not marks.
"""

from __future__ import annotations

import html
import os
import re

import attrs

from briefkit import manifest as _manifest
from briefkit.errors import ManifestError, ReadError
from briefkit.formats.html.reader import decode_utf8, read_limited
from briefkit.manifest import Manifest

__all__ = ["MAX_MARKDOWN_BYTES", "MarkdownContents", "read_markdown", "unescape"]

MAX_MARKDOWN_BYTES = 512 * 1024 * 1024

_COMMENT_START = "<!-- briefkit-provenance"
_COMMENT = re.compile(r"<!-- briefkit-provenance v(\d+)\r?\n(.*?)\r?\n-->\s*\Z", re.S)
_DEFINITION = re.compile(r"\[\^([^\]\s]+)\]:[ \t]?(.*)\Z")
_CONTINUATION = re.compile(r"(?: {4}|\t)\s*(\S.*)\Z")
# a backslash escape (any ASCII punctuation) or a character reference, else a note mark
_ESCAPE = r"\\([!-/:-@\[-`{-~])|(&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});)"
_UNESCAPE = re.compile(_ESCAPE)
_MARKS = re.compile(_ESCAPE + r"|\[\^([^\]\s]+)\]")


@attrs.frozen
class MarkdownContents:
    manifest: Manifest | None
    notes: dict[str, str]  # note label ("1") -> visible text
    marks: tuple[str, ...]  # labels of the note marks in the body, in order
    duplicate_notes: tuple[str, ...] = ()  # labels defined more than once
    body: str = ""  # the lines that are not note definitions, joined by "\n"


def _unescape_match(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    return html.unescape(m.group(2))


def unescape(text: str) -> str:
    """Markdown text as a reader sees it: backslash escapes and character references undone."""
    return _UNESCAPE.sub(_unescape_match, text)


def _split_manifest(text: str, label: str) -> tuple[str, Manifest | None]:
    at = text.rfind(_COMMENT_START)
    if at == -1 or (at and text[at - 1] not in "\r\n"):
        return text, None
    m = _COMMENT.match(text, at)
    if m is None:
        raise ReadError(
            f"{label}: the trailing {_COMMENT_START} comment is damaged (expected a version, "
            "one line of JSON and '-->' at the end of the file)"
        )
    if m.group(1) != "1":
        raise ReadError(
            f"{label}: provenance comment version {m.group(1)} is not supported "
            "(this briefkit reads version 1)"
        )
    try:
        manifest = _manifest.parse(m.group(2))
    except ManifestError as exc:
        raise ReadError(f"{label}: the provenance comment: {exc}") from None
    return text[:at], manifest


def read_markdown(
    source: str | os.PathLike[str] | bytes,
    *,
    where: str | None = None,
    max_bytes: int = MAX_MARKDOWN_BYTES,
) -> MarkdownContents:
    """Read a Markdown file (path or bytes) written by briefkit."""
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<markdown>")
    text = decode_utf8(read_limited(source, label, max_bytes), label)
    body, manifest = _split_manifest(text, label)
    notes: dict[str, list[str]] = {}
    duplicates: list[str] = []
    marks: list[str] = []
    current: list[str] | None = None
    kept: list[str] = []
    for line in re.split(r"\r\n|\n|\r", body):
        m = _DEFINITION.match(line)
        if m is not None:
            name = m.group(1)
            if name in notes:
                duplicates.append(name)
            current = notes.setdefault(name, [])
            current.append(m.group(2))
            continue
        more = _CONTINUATION.match(line) if current is not None else None
        if current is not None and more is not None:
            current.append(more.group(1))
            continue
        current = None
        kept.append(line)
        marks.extend(mark.group(3) for mark in _MARKS.finditer(line) if mark.group(3))
    return MarkdownContents(
        manifest=manifest,
        notes={name: unescape(" ".join(parts)) for name, parts in notes.items()},
        marks=tuple(marks),
        duplicate_notes=tuple(dict.fromkeys(duplicates)),
        body="\n".join(kept),
    )
