"""From a split Markdown brief to the model: front matter, sources, excerpts, sections.

Every problem is collected with its offset and reported together as one
:class:`~briefkit.errors.BriefSyntaxError` naming the file's line and column. The brief is then
validated by the model itself, and each of its problems is placed at the sentence or heading it
is about.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import yaml

from briefkit.errors import BriefkitError, BriefSyntaxError
from briefkit.excerpts import Excerpt, Quote
from briefkit.mdbrief.document import BlockDraft, Document, split_document
from briefkit.mdbrief.syntax import Ref, SentenceDraft, parse_sentences
from briefkit.model import BlockQuote, Brief, BulletList, Inline, Paragraph, Section, Sentence
from briefkit.sources import Corpus, Source, SourceMeta, check_id

__all__ = ["MarkdownBrief", "build"]

FRONT_KEYS = ("title", "subtitle", "author", "date", "sources", "sources_appendix")


@attrs.frozen
class MarkdownBrief:
    """A brief read from Markdown: the model, the corpus it cites, and the folder source ids are
    relative to (what :func:`briefkit.verify` needs as ``sources=``)."""

    brief: Brief
    corpus: Corpus
    sources: Path
    path: Path | None = None
    aliases: Mapping[str, str] = attrs.field(factory=dict)


@attrs.define
class _Node:
    heading: str
    offset: int
    level: int
    blocks: list[Paragraph | BulletList | BlockQuote] = attrs.field(factory=list)
    subsections: list[_Node] = attrs.field(factory=list)

    def freeze(self) -> Section:
        return Section(
            self.heading, tuple(self.blocks), tuple(s.freeze() for s in self.subsections)
        )


class _Builder:
    doc: Document

    def __init__(self, name: str, base: Path) -> None:
        self.name = name
        self.base = base
        self.problems: list[tuple[int, str]] = []
        self.corpus: Corpus | None = None
        self.root: Path | None = None
        self.aliases: dict[str, str] = {}
        self.sentence_offsets: list[int] = []
        self.heading_offsets: dict[str, int] = {}

    def report(self, offset: int, message: str) -> None:
        self.problems.append((offset, message))

    # -- front matter ------------------------------------------------------------------

    def front_matter(self) -> dict[str, Any]:
        doc = self.doc
        if doc.front is None:
            self.report(
                0,
                "a Markdown brief starts with YAML front matter between '---' lines "
                "(title: and sources: at least)",
            )
            return {}
        try:
            data = yaml.safe_load(doc.front)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            offset = doc.front_offset
            if mark is not None:
                offset = (
                    doc.line_starts[
                        min(len(doc.line_starts) - 1, doc.line_col(offset)[0] - 1 + mark.line)
                    ]
                    + mark.column
                )
            problem = getattr(exc, "problem", None) or str(exc)
            self.report(offset, f"the front matter is not valid YAML: {problem}")
            return {}
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.report(doc.front_offset, "the front matter must be a mapping (key: value lines)")
            return {}
        unknown = sorted(str(k) for k in data if k not in FRONT_KEYS)
        if unknown:
            self.report(
                self.key_offset(unknown[0]),
                f"unknown front matter key(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(FRONT_KEYS)}",
            )
        return data

    def key_offset(self, key: str) -> int:
        """Where ``key:`` stands in the front matter (its start, else the front matter's)."""
        doc = self.doc
        assert doc.front is not None
        at = doc.front.find(f"{key}:")
        return doc.front_offset + at if at >= 0 else doc.front_offset

    def text_field(self, data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                where = self.key_offset(key) if self.doc.front is not None else 0
                self.report(where, f"the front matter needs a {key}:")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(self.key_offset(key), f"{key}: must be text")
            return None
        return str(value)

    def load_sources(self, data: dict[str, Any]) -> None:
        value = data.get("sources")
        if value is None:
            if self.doc.front is not None:
                self.report(
                    self.key_offset("sources") if "sources" in data else self.doc.front_offset,
                    "the front matter needs sources: (a folder, or a map of keys to files)",
                )
            return
        where = self.key_offset("sources")
        overrides: dict[str, dict[str, Any]] = {}
        if isinstance(value, str):
            root_text = value
        elif isinstance(value, dict):
            root_text = str(value.get("root", "."))
            for key, entry in value.items():
                if key == "root":
                    continue
                key = str(key)
                if isinstance(entry, str):
                    path, meta = entry, {}
                elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
                    meta = {k: v for k, v in entry.items() if k != "path"}
                    path = entry["path"]
                else:
                    self.report(
                        where,
                        f"sources: {key!r} must be a file path, or a mapping "
                        "with path: and metadata fields",
                    )
                    continue
                try:
                    check_id(path)
                except BriefkitError as exc:
                    self.report(where, f"sources: {key!r}: {exc}")
                    continue
                self.aliases[key] = path
                if meta:
                    if isinstance(meta.get("issued"), _dt.date):
                        meta["issued"] = meta["issued"].isoformat()
                    overrides[path] = meta
        else:
            self.report(where, "sources: must be a folder, or a map of keys to files (and root:)")
            return
        root = Path(root_text)
        if not root.is_absolute():
            root = self.base / root
        try:
            corpus = Corpus.from_dir(root)
        except BriefkitError as exc:
            self.report(where, f"sources: {exc}")
            return
        self.root = Path(os.path.normpath(root.resolve()))
        for key, sid in self.aliases.items():
            if sid not in corpus:
                self.report(where, f"sources: {key!r}: no file {sid!r} under {str(root)!r}")
        if overrides:
            updated: list[Source] = []
            for sid in corpus:
                try:
                    src = corpus[sid]
                    if sid in overrides:
                        csl = src.meta.to_csl() | overrides[sid]
                        src = attrs.evolve(
                            src, meta=SourceMeta.from_csl(csl, where=f"sources: {sid}")
                        )
                except BriefkitError as exc:
                    self.report(where, str(exc))
                    continue
                updated.append(src)
            corpus = Corpus.from_sources(updated)
        self.corpus = corpus

    # -- excerpts ----------------------------------------------------------------------

    def source(self, ref: Ref) -> Source | None:
        corpus = self.corpus
        if corpus is None:
            return None
        sid = self.aliases.get(ref.key, ref.key)
        if sid not in corpus:
            known = [*self.aliases, *corpus]
            close = difflib.get_close_matches(ref.key, known, n=3)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            self.report(ref.offset, f"unknown source {ref.key!r}{hint}")
            return None
        try:
            return corpus[sid]
        except BriefkitError as exc:
            self.report(ref.offset, str(exc))
            return None

    def excerpt(self, ref: Ref) -> Excerpt | None:
        src = self.source(ref)
        if src is None:
            return None
        allowed = {"quote": {"speaker"}, "paraphrase": set(), "figure": {"unit", "within"}}[
            ref.kind
        ]
        bad = [name for name, _ in ref.options if name not in allowed]
        if bad:
            self.report(ref.offset, f"a {ref.kind} takes no {bad[0]}= option")
            return None
        try:
            if ref.kind == "figure":
                if ref.text is None:
                    self.report(ref.offset, 'a figure needs its value as written: figure "50,000"')
                    return None
                return src.figure(
                    ref.text,
                    unit=ref.option("unit"),
                    within=ref.option("within"),
                    start=ref.start,
                    end=ref.end,
                    normalize=ref.normalize,
                )
            if ref.text is None and ref.start is None:
                self.report(ref.offset, f'@{ref.key}: give the "exact words" or a span start-end')
                return None
            if ref.kind == "quote":
                return src.quote(
                    ref.text,
                    start=ref.start,
                    end=ref.end,
                    speaker=ref.option("speaker"),
                    normalize=ref.normalize,
                )
            return src.paraphrase(ref.text, start=ref.start, end=ref.end, normalize=ref.normalize)
        except BriefkitError as exc:
            self.report(ref.offset, str(exc))
            return None

    def sentence(self, draft: SentenceDraft) -> Sentence | None:
        parts: list[Inline] = []
        ok = True
        for part in draft.parts:
            if isinstance(part, str):
                parts.append(part)
                continue
            ex = self.excerpt(part)
            if ex is None:
                ok = False
            else:
                assert not isinstance(ex, str)
                parts.append(ex)  # type: ignore[arg-type]
        cites: list[Excerpt] = []
        group = draft.group
        if group is not None:
            for ref in group.refs:
                ex = self.excerpt(ref)
                if ex is None:
                    ok = False
                else:
                    cites.append(ex)
        if not ok:
            return None
        analysis = group.analysis if group else False
        sid = group.id if group else None
        return Sentence(tuple(parts), cites=tuple(cites), analysis=analysis, id=sid)

    # -- blocks ------------------------------------------------------------------------

    def drafts(self, block: BlockDraft) -> list[SentenceDraft]:
        return parse_sentences(self.doc.masked, block.start, block.stop, self.report)

    def one_sentence(self, block: BlockDraft, what: str) -> Sentence | None:
        drafts = self.drafts(block)
        if not drafts:
            self.report(block.offset, f"this {what} is empty")
            return None
        if len(drafts) > 1:
            self.report(
                drafts[1].offset,
                f"a {what} holds one sentence; this is a second one "
                "(start a paragraph for several sentences)",
            )
            return None
        self.sentence_offsets.append(drafts[0].offset)
        return self.sentence(drafts[0])

    def heading(self, block: BlockDraft) -> str | None:
        drafts = self.drafts(block)
        if (
            len(drafts) != 1
            or drafts[0].group is not None
            or not all(isinstance(p, str) for p in drafts[0].parts)
        ):
            self.report(block.offset, "a heading is plain text (no citations or excerpts)")
            return None
        return "".join(p for p in drafts[0].parts if isinstance(p, str))

    def block_quote(self, block: BlockDraft) -> BlockQuote | None:
        drafts = self.drafts(block)
        if (
            len(drafts) != 1
            or len(drafts[0].parts) != 1
            or not isinstance(drafts[0].parts[0], Ref)
            or drafts[0].parts[0].kind != "quote"
            or (drafts[0].group is not None and drafts[0].group.analysis)
        ):
            self.report(
                block.offset,
                'a block quote holds one quotation: > {@source "words"} '
                "and optionally [@further citations; #id] after it",
            )
            return None
        self.sentence_offsets.append(drafts[0].offset)
        sent = self.sentence(drafts[0])
        if sent is None:
            return None
        quote = sent.parts[0]
        assert isinstance(quote, Quote)
        return BlockQuote(quote, cites=sent.cites, id=sent.id)

    def body(self) -> tuple[list[Sentence], list[Section]]:
        key_points: list[Sentence] = []
        top: list[_Node] = []
        stack: list[_Node] = []
        blocks = self.doc.blocks
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.kind == "comment":
                i += 1
                continue
            if block.kind == "heading":
                i += 1
                text = self.heading(block)
                depth = len(stack)
                if block.level > depth + 1:
                    self.report(
                        block.offset,
                        f"a level-{block.level} heading cannot follow "
                        f"{'a level-' + str(depth) + ' heading' if depth else 'the front matter'}"
                        f"; use {'#' * (depth + 1)}",
                    )
                    continue
                node = _Node(text or "", block.offset, block.level)
                del stack[block.level - 1 :]
                (stack[-1].subsections if stack else top).append(node)
                stack.append(node)
                path = " › ".join(repr(n.heading) for n in stack)
                self.heading_offsets[f"section {path}"] = block.offset
                continue
            if block.kind == "item":
                items: list[Sentence] = []
                while i < len(blocks) and blocks[i].kind == "item":
                    sent = self.one_sentence(blocks[i], "list item")
                    if sent is not None:
                        items.append(sent)
                    i += 1
                if not stack:
                    if key_points:
                        self.report(
                            block.offset,
                            "only one key-points list may stand before the first heading",
                        )
                    key_points.extend(items)
                else:
                    stack[-1].blocks.append(BulletList(tuple(items)))
                continue
            i += 1
            if not stack:
                self.report(
                    block.offset,
                    "before the first heading only the key-points list "
                    "('- ' items) may stand; start a section with '# Heading'",
                )
                continue
            if block.kind == "quote":
                bq = self.block_quote(block)
                if bq is not None:
                    stack[-1].blocks.append(bq)
                continue
            sentences: list[Sentence] = []
            for draft in self.drafts(block):
                self.sentence_offsets.append(draft.offset)
                sent = self.sentence(draft)
                if sent is not None:
                    sentences.append(sent)
            stack[-1].blocks.append(Paragraph(tuple(sentences)))
        return key_points, [node.freeze() for node in top]

    # -- whole brief -------------------------------------------------------------------

    def fail(self) -> BriefSyntaxError:
        located = []
        for offset, message in sorted(self.problems, key=lambda p: p[0]):
            line, col = self.doc.line_col(offset)
            located.append((self.name, line, col, message))
        return BriefSyntaxError(located)

    def place_problems(self, brief: Brief, problems: list[str]) -> None:
        """Give each of the model's problems the offset of the sentence or heading it names."""
        prefixes: list[tuple[str, int]] = list(self.heading_offsets.items())
        for (place, _path, _sent), offset in zip(brief.walk(), self.sentence_offsets, strict=False):
            prefixes.append((place + ":", offset))
        prefixes.sort(key=lambda p: len(p[0]), reverse=True)
        for problem in problems:
            for prefix, offset in prefixes:
                if problem.startswith(prefix):
                    self.report(offset, problem)
                    break
            else:
                self.report(0, problem)


def build(text: str, *, name: str, base: Path) -> MarkdownBrief:
    """Read a Markdown brief's text; ``base`` is the folder relative source paths start from."""
    builder = _Builder(name, base)
    builder.doc = split_document(text, builder.report)
    data = builder.front_matter()
    title = builder.text_field(data, "title", required=True)
    subtitle = builder.text_field(data, "subtitle")
    author = builder.text_field(data, "author")
    date = data.get("date")
    if date is not None and not isinstance(date, str | _dt.date):
        builder.report(builder.key_offset("date"), "date: must be a date (YYYY-MM-DD)")
        date = None
    appendix = data.get("sources_appendix", True)
    if not isinstance(appendix, bool):
        builder.report(
            builder.key_offset("sources_appendix"), "sources_appendix: must be true or false"
        )
        appendix = True
    builder.load_sources(data)
    key_points, sections = builder.body()
    if builder.problems:
        raise builder.fail()
    brief = Brief(
        title=title or "",
        subtitle=subtitle,
        author=author,
        date=date,
        key_points=tuple(key_points),
        sections=tuple(sections),
        sources_appendix=appendix,
    )
    problems = brief.problems()
    if problems:
        builder.place_problems(brief, problems)
        raise builder.fail()
    assert builder.corpus is not None
    assert builder.root is not None
    return MarkdownBrief(brief, builder.corpus, builder.root, aliases=dict(builder.aliases))
