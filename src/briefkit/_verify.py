"""Verify a written brief's citations against the source files on disk.

For every citation of the manifest: the source must exist under the root, its sha256 must
match, and the span must read exactly the recorded text (its byte offsets and lines too). When
a source has changed, each citation is re-anchored with its quote selector (exact text, then
prefix/suffix to choose between several occurrences) and reported as

* ``ok`` — the span reads the recorded text at the recorded offsets,
* ``moved`` — the exact text occurs once elsewhere (the new span is given),
* ``changed`` — the exact text is gone, or occurs several times and the context does not pick
  one (the closest match is given), or
* ``missing`` — the source file is not there (or its id is unsafe).

A changed source is never accepted silently: its hash mismatch alone makes the report fail.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import attrs

from briefkit._consistency import manifest_problems
from briefkit._locate import near_miss
from briefkit.errors import BriefkitError, SourceError, SpanError
from briefkit.excerpts import figure_occurs
from briefkit.formats import registry
from briefkit.formats.checking import Checked, diff
from briefkit.formats.json import read as read_manifest
from briefkit.manifest import Manifest, ManifestCitation, ManifestSentence, ManifestSource
from briefkit.notes import CitationStyle, parse_note
from briefkit.problems import Problem
from briefkit.readers import reader_for, reader_named
from briefkit.report import CitationCheck, Report, SourceCheck
from briefkit.sources import (
    DEFAULT_MAX_BYTES,
    Source,
    SourceMeta,
    _load_catalog,
    check_path,
    id_for_path,
    resolve_id,
    resolve_path,
)
from briefkit.styles import style_for

__all__ = ["verify", "verify_manifest"]


class _Base(NamedTuple):
    sentence_id: str
    note: int | None
    kind: str
    source: str
    start: int
    end: int


def _check_citation(
    sent: ManifestSentence, cit: ManifestCitation, source: Source, unchanged: bool
) -> CitationCheck:
    base = _Base(sent.id, sent.note, cit.kind, cit.source, cit.start, cit.end)
    text = source.text
    if cit.kind == "figure" and (not cit.value or not figure_occurs(cit.value, cit.exact)):
        return CitationCheck(
            "changed",
            *base,
            detail=f"the figure value {cit.value!r} does not occur in the recorded exact text",
        )
    here = text[cit.start : cit.end] if cit.end <= len(text) else None
    if here == cit.exact:
        if unchanged:
            try:
                pos = source.position(cit.start, cit.end)
            except SpanError as exc:
                detail = f"the recorded span is invalid: {exc}"
                return CitationCheck("changed", *base, detail=detail)
            recorded = (cit.byte_start, cit.byte_end, cit.line_start, cit.line_end)
            actual = (pos.byte_start, pos.byte_end, pos.line_start, pos.line_end)
            if recorded != actual:
                return CitationCheck(
                    "changed",
                    *base,
                    detail=f"manifest byte/line offsets {recorded} disagree with the file {actual}",
                )
        return CitationCheck("ok", *base)
    # re-anchor with the quote selector
    found = source.find_all(cit.exact) if cit.exact else []
    spans = found
    if len(found) > 1:
        spans = [
            s
            for s in found
            if text[max(0, s.start - len(cit.prefix)) : s.start] == cit.prefix
            or text[s.end : s.end + len(cit.suffix)] == cit.suffix
        ]
        if not spans:
            spans = found  # neither side of the context matches: do not guess
    if len(spans) == 1:
        s = spans[0]
        return CitationCheck(
            "moved",
            *base,
            new_start=s.start,
            new_end=s.end,
            detail=f"the text now stands at chars {s.start}–{s.end}",
        )
    if len(spans) > 1:
        return CitationCheck(
            "changed",
            *base,
            detail=f"the text occurs {len(spans)} times and its context does not pick one",
        )
    miss = (
        near_miss(source.index, cit.exact, prefix=cit.prefix, suffix=cit.suffix)
        if cit.exact
        else None
    )
    if miss is None:
        return CitationCheck("changed", *base, detail="the text no longer occurs in the source")
    span, ratio = miss
    new_text = text[span.start : span.end]
    return CitationCheck(
        "changed",
        *base,
        new_start=span.start,
        new_end=span.end,
        detail=(
            f"closest match at chars {span.start}–{span.end} ({ratio:.0%} similar): "
            f"{diff(cit.exact, new_text)}"
        ),
    )


def _check_record(ms: ManifestSource) -> None:
    """A source record names its file by a path that gives its id, and a reader that claims
    the file (so a manifest cannot point an id at another file, or have a file read in a
    way no reader of its kind would)."""
    if ms.path is not None and id_for_path(check_path(ms.path)) != ms.id:
        raise SourceError(
            f"{ms.id}: the manifest names the file {ms.path!r}, whose id is "
            f"{id_for_path(ms.path)!r}, not {ms.id!r}"
        )
    name = ms.path or ms.id
    claimed = reader_for(name)
    if claimed is not None and claimed.name != ms.reader.name:
        raise SourceError(
            f"{ms.id}: the manifest says the file was read by the {ms.reader.name!r} reader, "
            f"but files named like {name!r} are read by the {claimed.name!r} reader"
        )


def _source_check(ms: ManifestSource, src: Source) -> SourceCheck:
    """Whether ``src`` as read now is the source ``ms`` records: the same bytes, read to the
    same text with the same page and section map."""
    if src.sha256 != ms.sha256:
        return SourceCheck(ms.id, "modified", ms.sha256, src.sha256, "the file's sha256 differs")
    if ms.text_sha256 is not None and src.text_sha256 != ms.text_sha256:
        return SourceCheck(
            ms.id,
            "modified",
            ms.sha256,
            src.sha256,
            f"the file is as recorded, but the {src.reader.describe()} reads other text from it "
            f"than the {ms.reader.describe()} did; its citations are checked against the text "
            "read now",
        )
    if (src.pages, src.sections, src.paragraphs) != (ms.pages, ms.sections, ms.paragraphs):
        return SourceCheck(
            ms.id,
            "modified",
            ms.sha256,
            src.sha256,
            f"the {src.reader.describe()} reads the recorded text, but finds other pages or "
            "sections in it than the manifest records",
        )
    return SourceCheck(ms.id, "ok", ms.sha256, src.sha256)


def _metadata_problems(
    manifest: Manifest, root: Path, loaded: dict[str, Source | None]
) -> list[Problem]:
    """Where the sources folder has a catalog entry for a source, the metadata its notes and
    bibliography entry were written from must be that entry's (a warning: a brief may set a
    source's metadata itself, in its front matter)."""
    try:
        _, catalog = _load_catalog(root)
    except BriefkitError as exc:
        return [
            Problem("catalog", f"the sources' catalog cannot be read: {exc}", severity="warning")
        ]
    found: list[Problem] = []
    for record in manifest.sources:
        listed = catalog.get(record.id)
        if listed is None:
            continue
        want = listed.to_csl()
        src = loaded.get(record.id)
        if "URL" not in want and src is not None and src.doc_url:
            want["URL"] = src.doc_url  # the address the file gives itself fills the gap
        have = SourceMeta.from_csl(record.meta).to_csl()
        wrong = [
            f"{key} {have.get(key)!r} (the catalog: {want.get(key)!r})"
            for key in sorted(set(want) | set(have))
            if want.get(key) != have.get(key)
        ]
        if wrong:
            found.append(
                Problem(
                    "source-metadata",
                    f"source {record.id}: the notes and bibliography name it by metadata the "
                    f"catalog of the sources folder does not give: {'; '.join(wrong)}",
                    severity="warning",
                    subject=record.id,
                )
            )
    return found


def verify_manifest(
    manifest: Manifest,
    sources: str | os.PathLike[str],
    *,
    path: str = "<manifest>",
    style: CitationStyle | str | os.PathLike[str] | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Check every citation of ``manifest`` against the files under ``sources``, and the
    manifest against itself (see :mod:`briefkit._consistency`)."""
    root = Path(sources)
    if not root.is_dir():
        raise SourceError(f"sources folder {str(root)!r} does not exist")
    loaded: dict[str, Source | None] = {}
    source_checks: list[SourceCheck] = []
    problems: list[Problem] = []
    for ms in manifest.sources:
        try:
            _check_record(ms)
            reader = reader_named(ms.reader.name, ms.reader.options)
            file = resolve_path(root, ms.path) if ms.path else resolve_id(root, ms.id)
            src: Source | None = Source.from_file(
                file, source_id=ms.id, reader=reader, relative=ms.path, max_bytes=max_bytes
            )
        except BriefkitError as exc:
            src = None
            source_checks.append(SourceCheck(ms.id, "missing", ms.sha256, None, str(exc)))
        else:
            assert src is not None
            source_checks.append(_source_check(ms, src))
        loaded[ms.id] = src
    unchanged = {c.id for c in source_checks if c.status == "ok"}
    problems.extend(_metadata_problems(manifest, root, loaded))
    checks: list[CitationCheck] = []
    for sent, cit in manifest.citations():
        if cit.source not in loaded:
            problems.append(
                Problem(
                    "unlisted-source",
                    f"sentence {sent.id}: cites {cit.source!r}, not listed in sources",
                    sentence=sent.id,
                )
            )
            continue
        src = loaded[cit.source]
        if src is None:
            checks.append(
                CitationCheck(
                    "missing",
                    sent.id,
                    sent.note,
                    cit.kind,
                    cit.source,
                    cit.start,
                    cit.end,
                    detail="the source file is missing",
                )
            )
            continue
        checks.append(_check_citation(sent, cit, src, cit.source in unchanged))
    for sent in manifest.sentences:
        if not sent.citations and not sent.analysis:
            problems.append(
                Problem(
                    "uncited",
                    f"sentence {sent.id} cites nothing and is not marked as analysis",
                    sentence=sent.id,
                )
            )
        if sent.citations and (sent.note is None or sent.note_text is None):
            problems.append(
                Problem(
                    "no-note",
                    f"sentence {sent.id} cites sources but has no footnote",
                    sentence=sent.id,
                )
            )
        elif sent.note_text is not None and manifest.brief.get("show_spans") is True:
            said = [(r.source_id, r.start, r.end) for r in parse_note(sent.note_text)]
            if said != [(c.source, c.start, c.end) for c in sent.citations]:
                problems.append(
                    Problem(
                        "note-refs",
                        f"note {sent.note} (sentence {sent.id}) names {said}, not the "
                        "sentence's citations",
                        sentence=sent.id,
                        note=sent.note,
                    )
                )
    try:
        written_with: CitationStyle | None = style_for(
            manifest.brief, style if isinstance(style, CitationStyle | str | None) else Path(style)
        )
    except BriefkitError as exc:
        written_with = None
        problems.append(Problem("style-unknown", f"the notes cannot be checked: {exc}"))
    problems += manifest_problems(manifest, loaded, unchanged, written_with)
    return Report(
        path=path,
        sources=tuple(source_checks),
        citations=tuple(checks),
        sentences=len(manifest.sentences),
        analysis=sum(1 for s in manifest.sentences if s.analysis),
        problems=tuple(problems),
        strict=strict,
    )


def _read(path: Path, manifest: str | os.PathLike[str] | Manifest | None) -> Checked:
    """The manifest of a written brief and the problems with what its reader sees."""
    checker = registry.checker_for(path)
    if not path.is_file():
        raise SourceError(f"{str(path)!r} does not exist")
    if manifest is None or isinstance(manifest, Manifest):
        given = manifest
    else:
        given = read_manifest(Path(manifest))
    return checker.check(path, given)


def verify(
    path: str | os.PathLike[str],
    *,
    sources: str | os.PathLike[str],
    manifest: str | os.PathLike[str] | Manifest | None = None,
    style: CitationStyle | str | os.PathLike[str] | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Verify the brief written at ``path`` against the source files under ``sources``.

    The file's format comes from its suffix, through the same registry as the exporters; its
    checker reads what a reader of the file sees and accounts for it with the manifest
    embedded in the file (or the manifest given as ``manifest`` — a ``.json`` file or a
    :class:`~briefkit.manifest.Manifest` — for formats that cannot carry one). The notes and
    bibliography are written again with the citation style the manifest records; ``style``
    gives that style when verify cannot find it by name (a ``.csl`` file, or a
    :class:`~briefkit.notes.CitationStyle` of your own). ``strict`` makes warnings fail the
    verification too.
    """
    file = Path(path)
    checked = _read(file, manifest)
    report = verify_manifest(
        checked.manifest, sources, path=str(file), style=style, strict=strict, max_bytes=max_bytes
    )
    return attrs.evolve(report, problems=report.problems + checked.problems)
