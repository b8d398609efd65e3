"""From a split Markdown brief to the model: front matter, sources, excerpts, sections.

Every problem is collected with its offset and reported together as one
:class:`~briefkit.errors.BriefSyntaxError` naming the file's line and column. The brief is then
checked by the model itself, and each of its problems is placed at the sentence, excerpt,
heading, table cell or block it is about: its errors are raised the same way, its warnings (a
number no cited span shows) come back with the brief as :attr:`MarkdownBrief.warnings`.

A table's problems are placed by their :class:`~briefkit.problems.Place`: a cell sentence's at
the sentence (as every sentence's), a label cell's (``uncited-cell``) at the cell's first
character, a column label's at the header cell, the table's own (no rows, no cited cell) at its
header row and a missing caption's at the caption. A measure listed under
``accept_differences:`` that no figure of the brief measures is a warning at that key.

An image's problems are placed at its line (a file that cannot be used, at its path), its
caption sentence's as every sentence's. A cross-reference to an id that names nothing
(``unknown-ref``) is placed at its ``{>``, an id used twice (``duplicate-id``) at its second
``{#``.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from briefkit.errors import BriefkitError, BriefSyntaxError
from briefkit.excerpts import Excerpt, Figure, Quote
from briefkit.mdbrief.document import BlockDraft, Document, split_document
from briefkit.mdbrief.front import FrontMatter, key_offset, read_front_matter
from briefkit.mdbrief.images import ImageFiles, image_name, read_image
from briefkit.mdbrief.refs import trailing_id
from briefkit.mdbrief.syntax import Memo, Ref, SentenceDraft, XRef, parse_sentences, shorten
from briefkit.mdbrief.tables import PIPE_HINT, alignment, read_differences, split_row
from briefkit.mdbrief.writer import quoted
from briefkit.model import (
    Block,
    BlockQuote,
    Brief,
    BulletList,
    Cell,
    CrossRef,
    Differences,
    Emphasis,
    Image,
    Inline,
    Link,
    Paragraph,
    Section,
    Sentence,
    Table,
    table_problems,
)
from briefkit.problems import Problem, errors, warnings
from briefkit.sources import Corpus, Source

__all__ = ["Located", "MarkdownBrief", "build"]

#: A problem placed in a file: ``(path, line, column, message)``, lines and columns 1-based.
Located = tuple[str, int, int, str]

#: Most problems a brief collects; past it, one more says how many were left out (a
#: damaged file of millions of broken citations is still reported in bounded memory).
MAX_PROBLEMS = 10_000

_SURROGATE = re.compile("[\ud800-\udfff]")

#: What the model's advice means in this format, by problem code.
_HINTS = {
    "several-sentences": "in a Markdown brief: end each sentence with its own citation group, "
    "or write !several in the group that ends them (or end them with [!several])",
    "cut-word": "in a Markdown brief: write partial after the quoted words",
    "uncited-cell": "in a Markdown brief: end the cell's text with a citation group "
    '[@source "exact words"] or [!analysis], or hold an inline excerpt {@source …}',
    "uncited-table": "in a Markdown brief: end a cell's text with a citation group "
    '[@source "exact words"], or hold an inline figure {@source figure "…"} in it',
    "one-sided": 'in a Markdown brief: cite that figure too (with the same measure="…"), or '
    "list the measure under accept_differences: in the front matter",
    "unknown-ref": "in a Markdown brief: name what {>id} refers to with {#id} at the end of its "
    "heading or table caption, right after its image ![…](…){#id}, or as [!differences #id]",
}

#: Where a table stands: ``(section path, block number)``.
_BlockKey = tuple[tuple[str, ...], int]


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _read_only_nested(value: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in value.items()})


@attrs.frozen
class MarkdownBrief:
    """A brief read from Markdown: the model, the corpus it cites, and the folder source ids are
    relative to (what :func:`briefkit.verify` needs as ``sources=``)."""

    brief: Brief
    corpus: Corpus
    sources: Path
    path: Path | None = None
    aliases: Mapping[str, str] = attrs.field(factory=dict, converter=_read_only)
    #: metadata the front matter gives for source ids (CSL-JSON fields over the catalog's)
    metadata: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=dict, converter=_read_only_nested
    )
    #: the model's warnings (numbers no cited span shows …), each placed at its sentence as
    #: ``(path, line, column, message)`` like the problems of a BriefSyntaxError
    warnings: tuple[Located, ...] = ()


def _cell_view(value: Mapping[tuple[int, int], int]) -> Mapping[tuple[int, int], int]:
    return MappingProxyType(dict(value))


@attrs.frozen
class _TableAt:
    """Where a table's parts stand in the file, to place the model's problems about it:
    ``cells`` by ``(row, column)`` (row 0 is the header), both 1-based as in a
    :class:`~briefkit.problems.Place`."""

    table: Table
    offset: int
    caption: int
    cells: Mapping[tuple[int, int], int] = attrs.field(converter=_cell_view)
    rows: tuple[int, ...]


@attrs.define
class _Node:
    heading: str
    id: str | None = None
    blocks: list[Block] = attrs.field(factory=list)
    subsections: list[_Node] = attrs.field(factory=list)

    def freeze(self) -> Section:
        return Section(
            self.heading,
            tuple(self.blocks),
            tuple(s.freeze() for s in self.subsections),
            id=self.id,
        )


class _Builder:
    doc: Document

    def __init__(self, name: str, base: Path) -> None:
        self.name = name
        self.files = ImageFiles(base)
        self.problems: list[tuple[int, str]] = []
        self.front: FrontMatter | None = None
        self.sentence_offsets: list[int] = []
        # per sentence in reading order: the offset of each of its citations, in the order of
        # Sentence.citations (inline excerpts first, each excerpt once)
        self.citation_offsets: list[tuple[int, ...]] = []
        # per sentence in reading order: each cross-reference's target and offset
        self.xref_offsets: list[tuple[tuple[str, int], ...]] = []
        # the ids of sections, tables, images and tables of differences, in the model's
        # order (reading order, a section's before its blocks'), with the offset of each
        self.target_ids: list[tuple[str, int]] = []
        self.heading_offsets: list[tuple[tuple[str, ...], int]] = []
        # tables by (section path, block number); a path may repeat (two sections alike)
        self.tables: dict[_BlockKey, list[_TableAt]] = {}
        self.block_offsets: dict[_BlockKey, int] = {}
        self.differences_offsets: list[int] = []
        self.own_problems: dict[int, set[Problem]] = {}  # by id() of a _TableAt
        self.dropped = 0  # problems past MAX_PROBLEMS
        # excerpts already resolved, by what was written (a source never changes, so the
        # same citation written again resolves the same way): the excerpt, or the problem
        self.resolved: dict[tuple[object, ...], Excerpt | str] = {}
        self.memo = Memo()  # citation groups and excerpts already read, by what was written

    def report(self, offset: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((offset, message))
        else:
            self.dropped += 1

    # -- excerpts ----------------------------------------------------------------------

    def source(self, ref: Ref, at: int) -> Source | None:
        front = self.front
        corpus = front.corpus if front is not None else None
        if corpus is None or front is None or ref.key in front.bad_keys:
            return None  # the front matter's problem is reported already
        if front.aliases:
            sid = front.aliases.get(ref.key)
            known = list(front.aliases)
        else:
            sid = ref.key if ref.key in corpus else None
            known = list(corpus)
        if sid is None:
            close = difflib.get_close_matches(ref.key, known, n=3)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            where = "a key of sources:" if front.aliases else "a file in the sources folder"
            self.report(at, f"unknown source {ref.key!r} (not {where}){hint}")
            return None
        try:
            return corpus[sid]
        except BriefkitError as exc:
            self.report(at, str(exc))
            return None

    def excerpt(self, ref: Ref, at: int) -> Excerpt | None:
        """The excerpt ``ref`` (written at ``at``) stands for; None when it cannot be had (a
        problem is reported)."""
        if ref.broken:
            return None  # its syntax problem is reported already
        key = (ref.key, ref.kind, ref.text, ref.start, ref.end, ref.options, ref.normalize,
               ref.partial)  # fmt: skip
        known = self.resolved.get(key)
        if isinstance(known, str):
            self.report(at, known)
            return None
        if known is not None:
            return known
        before = len(self.problems)
        found = self._excerpt(ref, at)
        if found is not None:
            self.resolved[key] = found
        elif len(self.problems) == before + 1:
            self.resolved[key] = self.problems[before][1]
        return found

    def _excerpt(self, ref: Ref, at: int) -> Excerpt | None:
        src = self.source(ref, at)
        if src is None:
            return None
        allowed = {
            "quote": {"speaker"},
            "paraphrase": set(),
            "figure": {"unit", "within", "measure"},
        }[ref.kind]
        bad = [name for name, _ in ref.options if name not in allowed]
        if bad:
            self.report(at, f"a {ref.kind} takes no {bad[0]}= option")
            return None
        blank = [name for name, value in ref.options if not value.strip()]
        if blank and blank[0] in ("speaker", "unit", "measure"):
            self.report(at, f'{blank[0]}="…" cannot be empty (leave the option out)')
            return None
        try:
            if ref.kind == "figure":
                if ref.text is None:
                    self.report(at, 'a figure needs its value as written: figure "50,000"')
                    return None
                return src.figure(
                    ref.text,
                    unit=ref.option("unit"),
                    within=ref.option("within"),
                    start=ref.start,
                    end=ref.end,
                    normalize=ref.normalize,
                    measure=ref.option("measure"),
                )
            if ref.text is None and ref.start is None:
                self.report(at, f'@{ref.key}: give the "exact words" or a span start-end')
                return None
            if ref.text is not None and not ref.normalize and len(ref.text) > len(src.text):
                self.report(
                    at,
                    f"{src.id}: text {shorten(ref.text)} not found: its {len(ref.text)} "
                    f"characters are more than the source's {len(src.text)}",
                )
                return None
            if ref.kind == "quote":
                return src.quote(
                    ref.text,
                    start=ref.start,
                    end=ref.end,
                    speaker=ref.option("speaker"),
                    normalize=ref.normalize,
                    partial=ref.partial,
                )
            return src.paraphrase(ref.text, start=ref.start, end=ref.end, normalize=ref.normalize)
        except BriefkitError as exc:
            self.report(at, str(exc))
            return None

    def sentence(self, draft: SentenceDraft) -> Sentence | None:
        """The sentence ``draft`` stands for; its offset and those of its citations are
        recorded for placing the model's problems (sentences are read in reading order)."""
        self.sentence_offsets.append(draft.offset)
        placed: list[tuple[Excerpt, int]] = []
        xrefs: list[tuple[str, int]] = []
        parts: list[Inline] = []
        ok = True
        for part in draft.parts:
            if isinstance(part, str | Emphasis | Link):
                parts.append(part)
                continue
            if isinstance(part, XRef):
                ok = ok and not part.broken
                parts.append(CrossRef(part.target, page=part.page))
                xrefs.append((part.target, part.offset))
                continue
            ex = self.excerpt(part, part.offset)
            if ex is None:
                ok = False
            else:
                assert isinstance(ex, Quote | Figure)
                parts.append(ex)
                placed.append((ex, part.offset))
        cites: list[Excerpt] = []
        group = draft.group
        if group is not None:
            for ref in group.refs:
                at = group.offset + ref.offset  # a group's excerpts are placed from its '['
                ex = self.excerpt(ref, at)
                if ex is None:
                    ok = False
                else:
                    cites.append(ex)
                    placed.append((ex, at))
        self.xref_offsets.append(tuple(xrefs))
        if not ok:
            self.citation_offsets.append(())
            return None
        # excerpts are hashable values: the first offset of each, in order, in linear time
        first: dict[Excerpt, int] = {}
        for ex, at in placed:
            first.setdefault(ex, at)
        self.citation_offsets.append(tuple(first.values()))
        if group is None:
            return Sentence(tuple(parts))
        return Sentence(
            tuple(parts),
            cites=tuple(cites),
            analysis=group.analysis,
            id=group.id,
            several=group.several,
            accept_numbers=group.accept,
        )

    # -- blocks ------------------------------------------------------------------------

    def drafts(self, block: BlockDraft) -> list[SentenceDraft]:
        return parse_sentences(self.doc.masked, block.start, block.stop, self.report, self.memo)

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
        return self.sentence(drafts[0])

    def named(self, sid: str | None, offset: int) -> None:
        """Record the id ``sid`` of a section, table, image or table of differences."""
        if sid is not None:
            self.target_ids.append((sid, offset))

    def heading(self, block: BlockDraft) -> tuple[str | None, str | None, int]:
        """The heading's text (None when reported), its ``{#id}`` and where that stands."""
        stop, sid, at = trailing_id(
            self.doc.masked, block.start, block.stop, self.report, "the heading's id"
        )
        drafts = parse_sentences(self.doc.masked, block.start, stop, self.report, self.memo)
        if not drafts:
            self.report(block.offset, "a heading needs text after its '#'")
            return None, sid, at
        if len(drafts) != 1 or drafts[0].group is not None or not _plain(drafts[0]):
            refs = any(isinstance(p, XRef) for d in drafts for p in d.parts)
            self.report(
                block.offset,
                "a heading is plain text (no citations, excerpts, cross-references, emphasis "
                "or links)" + (" — its own id is written {#id} at its end" if refs else ""),
            )
            return None, sid, at
        return "".join(p for p in drafts[0].parts if isinstance(p, str)), sid, at

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
        group = drafts[0].group
        refused = False
        for flag in ("several", "accept"):
            at = group.flag_offset(flag) if group is not None else None
            if at is not None:
                self.report(at, f"a block quote takes no !{flag} (it has no text of the author's)")
                refused = True
        sent = self.sentence(drafts[0])
        if sent is None or refused:
            return None
        quote = sent.parts[0]
        assert isinstance(quote, Quote)
        return BlockQuote(quote, cites=sent.cites, id=sent.id)

    def label(self, start: int, stop: int, what: str) -> str | None:
        """The plain text written in ``masked[start:stop]`` (a column label, a caption); None
        (and a problem) when it holds citations or excerpts."""
        drafts = parse_sentences(self.doc.masked, start, stop, self.report, self.memo)
        if not drafts:
            return ""
        first = drafts[0]
        if len(drafts) != 1 or first.group is not None or not _plain(first):
            if any(isinstance(p, XRef) for d in drafts for p in d.parts):
                self.report(
                    first.offset,
                    f"{what} is plain text: a cross-reference {{>id}} stands only in a sentence",
                )
            else:
                self.report(
                    first.offset,
                    f"{what} is plain text (no citations, excerpts, emphasis or links)",
                )
            return None
        return "".join(p for p in first.parts if isinstance(p, str))

    def cell(self, start: int, stop: int) -> tuple[Cell | None, int]:
        """The body cell written in ``masked[start:stop]`` (None when it cannot be read) and
        where its text starts."""
        masked = self.doc.masked
        at = start + len(masked[start:stop]) - len(masked[start:stop].lstrip(" \t"))

        def report(offset: int, message: str) -> None:
            if "never closed" in message:
                message += f"; in a table, {PIPE_HINT}"
            self.report(offset, message)

        drafts = parse_sentences(masked, start, stop, report, self.memo)
        if not drafts:
            return "", at
        first = drafts[0]
        if len(drafts) > 1:
            self.report(
                drafts[1].offset,
                "a table cell holds one sentence; this is a second one (end the cell with its "
                "citation group; !several in it lets the cell's text hold several sentences)",
            )
            return None, at
        if first.group is None and _plain(first):
            return "".join(p for p in first.parts if isinstance(p, str)), at
        return self.sentence(first), at

    def table(
        self, block: BlockDraft, caption: BlockDraft | None, note: str = ""
    ) -> _TableAt | None:
        """The table written in ``block``, with its ``caption`` paragraph (None when it has
        none: a problem, with ``note`` added to it)."""
        text = self.doc.masked
        ok = True
        rows: list[tuple[int, tuple[tuple[int, int], ...] | None]] = []
        for pos, line in _lines(text, block.start, block.stop):
            cells = split_row(text, pos, pos + len(line))
            at = pos + len(line) - len(line.lstrip(" "))
            if cells is None:
                self.report(
                    at,
                    "this table row does not end with '|' (every row starts and ends with "
                    f"'|'; {PIPE_HINT})",
                )
            elif not cells:
                self.report(at, "a table row holds its cells between '|'s: | a | b |")
                cells = None
            rows.append((at, cells))
        if caption is None:
            self.report(
                block.offset,
                "the table has no caption: write one as a paragraph 'Table: …' directly "
                f"before or after it{note}",
            )
            ok = False
            caption_text: str | None = None
            sid: str | None = None
            sid_at = block.offset
        else:
            stop, sid, sid_at = trailing_id(
                text, caption.start, caption.stop, self.report, "the table's id"
            )
            caption_text = self.label(caption.start, stop, "a table caption")
            if caption_text is not None and not caption_text.strip():
                self.report(caption.offset, "the table caption is empty: write it after 'Table:'")
                caption_text = None
        header_at, header = rows[0]
        if header is None:
            return None
        width = len(header)
        align: list[str | None] = []
        if len(rows) < 2:
            self.report(
                header_at,
                "a table's second row is its alignment row, one ---, :--, --: or :-: per "
                "column (| --- | --: |); this table has only its header row",
            )
            return None
        align_at, align_cells = rows[1]
        if align_cells is None:
            return None  # reported
        for a, b in align_cells:
            is_align, kind = alignment(text, a, b)
            if not is_align:
                self.report(
                    align_at,
                    "a table's second row is its alignment row, one ---, :--, --: or :-: per "
                    f"column (| --- | --: |); found {shorten(text[a:b].strip())}",
                )
                return None
            align.append(kind)
        if len(align) != width:
            self.report(
                align_at,
                f"the alignment row has {_cells(len(align))}, the header {width} (one per column)",
            )
            ok = False
        labels: list[str] = []
        offsets: dict[tuple[int, int], int] = {}
        for c, (a, b) in enumerate(header, 1):
            offsets[(0, c)] = a + len(text[a:b]) - len(text[a:b].lstrip(" \t"))
            label = self.label(a, b, "a column label")
            if label is None:
                ok = False
            else:
                labels.append(label)
        if len(rows) < 3:
            self.report(header_at, "the table has no rows below its alignment row")
            ok = False
        body: list[tuple[Cell, ...]] = []
        for r, (at, cells) in enumerate(rows[2:], 1):
            if cells is None:
                ok = False
                continue
            if len(cells) != width:
                self.report(
                    at,
                    f"this row has {_cells(len(cells))}, the header {width}: every row has one "
                    f"cell per column ({PIPE_HINT}; an empty cell is written | |)",
                )
                ok = False
                continue
            row: list[Cell] = []
            for c, (a, b) in enumerate(cells, 1):
                cell, offsets[(r, c)] = self.cell(a, b)
                if cell is None:
                    ok = False
                else:
                    row.append(cell)
            body.append(tuple(row))
        if not ok or caption is None or caption_text is None:
            return None
        aligned = tuple(kind or "left" for kind in align) if any(align) else ()
        tab = Table(caption_text, tuple(labels), tuple(body), align=aligned, id=sid)
        self.named(sid, sid_at)
        return _TableAt(tab, header_at, caption.offset, offsets, tuple(at for at, _ in rows[2:]))

    def differences(self, block: BlockDraft) -> Differences | bool | None:
        """The ``[!differences]`` paragraph ``block``: the block, None when it is one that
        cannot be read (a problem), False when the paragraph is not one."""
        draft = read_differences(self.doc.masked, block.start, block.stop, self.report)
        if draft is None:
            return False
        if not draft.ok:
            return None
        self.named(draft.id, draft.offset)
        return Differences(draft.caption, id=draft.id)

    def caption(self, block: BlockDraft) -> Sentence | None:
        """The one sentence of the figure caption ``block``."""
        drafts = self.drafts(block)
        if not drafts:
            self.report(
                block.offset, "the figure caption is empty: write its sentence after 'Figure:'"
            )
            return None
        if len(drafts) > 1:
            self.report(
                drafts[1].offset,
                "a figure caption holds one sentence; this is a second one (end the caption "
                "with its citation group; !several in it lets its text hold several sentences)",
            )
            return None
        return self.sentence(drafts[0])

    def image(self, block: BlockDraft, caption: BlockDraft | None, note: str = "") -> Image | None:
        """The image paragraph ``block`` with its ``caption`` (None when it has none: a
        problem, with ``note`` added to it)."""
        draft = read_image(self.doc.masked, block.start, block.stop, self.report)
        data: bytes | None = None
        if draft.ok:
            found = self.files.read(draft.path)
            if isinstance(found, str):
                self.report(draft.path_offset, found)
            else:
                data = found
        if caption is None:
            self.report(
                draft.offset,
                "the image has no caption: write one as a paragraph 'Figure: …' directly "
                f"before or after it{note}",
            )
            return None
        sent = self.caption(caption)
        if sent is None or data is None:
            return None
        self.named(draft.id, draft.id_offset)
        return Image(data, draft.alt, sent, id=draft.id, name=image_name(draft.path))

    def body(self) -> tuple[list[Sentence], list[Section]]:
        key_points: list[Sentence] = []
        top: list[_Node] = []
        stack: list[_Node] = []
        blocks = self.doc.blocks
        captions, used = _pair_captions(blocks, "table", "caption")
        figures, figured = _pair_captions(blocks, "image", "figure")
        used |= figured
        path: tuple[str, ...] = ()  # the headings of the sections in the stack

        def add(block: Block, offset: int) -> int:
            """Append ``block`` to the current section; its 1-based number there."""
            node = stack[-1]
            node.blocks.append(block)
            b = len(node.blocks)
            self.block_offsets.setdefault((path, b), offset)
            return b

        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.kind == "comment" or (block.kind in ("caption", "figure") and i in used):
                i += 1
                continue
            if block.kind == "heading":
                i += 1
                text, sid, sid_at = self.heading(block)
                depth = len(stack)
                if block.level > depth + 1:
                    self.report(
                        block.offset,
                        f"a level-{block.level} heading cannot follow "
                        f"{'a level-' + str(depth) + ' heading' if depth else 'the front matter'}"
                        f"; use {'#' * (depth + 1)}",
                    )
                    continue
                node = _Node(text or "", sid)
                self.named(sid, sid_at)
                del stack[block.level - 1 :]
                (stack[-1].subsections if stack else top).append(node)
                stack.append(node)
                path = tuple(n.heading for n in stack)
                self.heading_offsets.append((path, block.offset))
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
                    add(BulletList(tuple(items)), block.offset)
                continue
            here = i
            i += 1
            if block.kind == "caption":
                self.report(
                    block.offset,
                    "this table caption belongs to no table: a caption ('Table: …' or ': …') "
                    "stands directly before or after the table it names, and each table has "
                    "one (to start a paragraph of text with it, write Table\\: or \\:)",
                )
                continue
            if block.kind == "figure":
                self.report(
                    block.offset,
                    "this figure caption belongs to no image: a caption ('Figure: …') stands "
                    "directly before or after the image it names, and each image has one (to "
                    "start a paragraph of text with it, write Figure\\:)",
                )
                continue
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
                    add(bq, block.offset)
                continue
            if block.kind == "table":
                k = captions.get(here)
                note = ""
                if k is None and here > 0 and blocks[here - 1].kind == "caption":
                    note = " (the caption before it is the caption of the table before that)"
                found = self.table(block, blocks[k] if k is not None else None, note)
                if found is not None:
                    b = add(found.table, block.offset)
                    self.tables.setdefault((path, b), []).append(found)
                continue
            if block.kind == "image":
                k = figures.get(here)
                note = ""
                if k is None and here > 0 and blocks[here - 1].kind == "figure":
                    note = " (the caption before it is the caption of the image before that)"
                img = self.image(block, blocks[k] if k is not None else None, note)
                if img is not None:
                    add(img, block.offset)
                continue
            diff = self.differences(block)
            if diff is not False:
                if isinstance(diff, Differences):
                    add(diff, block.offset)
                    self.differences_offsets.append(block.offset)
                continue
            sentences: list[Sentence] = []
            for draft in self.drafts(block):
                sent = self.sentence(draft)
                if sent is not None:
                    sentences.append(sent)
            add(Paragraph(tuple(sentences)), block.offset)
        return key_points, [node.freeze() for node in top]

    # -- whole brief -------------------------------------------------------------------

    def locate(self, problems: list[tuple[int, str]]) -> list[Located]:
        """``(offset, message)`` pairs as ``(path, line, column, message)``, in file order."""
        located = []
        for offset, message in sorted(problems, key=lambda p: p[0]):
            line, col = self.doc.line_col(offset)
            located.append((self.name, line, col, message))
        return located

    def table_offset(self, problem: Problem) -> int | None:
        """Where the table problem ``problem`` stands: its cell, header cell, caption or
        table. Of tables that share a place (two sections with the same heading), the one
        whose own problems include it."""
        place = problem.place
        assert place is not None
        assert place.block is not None
        found = self.tables.get((place.section, place.block), [])
        at = found[0] if len(found) == 1 else None
        for t in found if at is None else ():
            own = self.own_problems.get(id(t))
            if own is None:  # once per table: its problems are looked up, not recomputed
                own = self.own_problems[id(t)] = set(
                    table_problems(t.table, place.section, place.block)
                )
            if problem in own:
                at = t
                break
        if at is None:
            return None
        if place.item is None:
            return at.caption if problem.code == "table-caption" else at.offset
        if place.column is None:
            return at.rows[place.item - 1] if 0 < place.item <= len(at.rows) else at.offset
        return at.cells.get((place.item, place.column), at.offset)

    def fail(self) -> BriefSyntaxError:
        located = self.locate(self.problems)
        if self.dropped:
            located.append(
                (self.name, 0, 0, f"… and {self.dropped} more problems (not listed: the first "
                 f"{MAX_PROBLEMS} are)")
            )  # fmt: skip
        return BriefSyntaxError(located)

    def place_problems(self, problems: list[Problem]) -> list[tuple[int, str]]:
        """Give each of the model's problems the offset of the sentence, citation, heading or
        front matter key its place names, and say in this format's terms what its advice
        means. Places that repeat (two sections with the same heading) are matched in reading
        order.

        A sentence's place holds its index in reading order (1 for the first), the order in
        which the sentences' offsets were recorded."""
        recorded = len(self.sentence_offsets)
        known = {sid for sid, _ in self.target_ids}
        unknown: dict[int, Iterator[int]] = {}  # the unknown references of each sentence
        seen: set[str] = set()
        again: list[int] = []  # each id given a second time (the model's duplicate-id)
        for sid, at in self.target_ids:
            if sid in seen:
                again.append(at)
            seen.add(sid)
        duplicates = iter(again)
        headings: dict[tuple[str, ...], int] = {}
        for path, at in self.heading_offsets:
            headings.setdefault(path, at)
        placed: list[tuple[int, str]] = []
        repeated = iter(self.differences_offsets[1:])  # "placed twice", in reading order
        for problem in problems:
            offset: int | None = None
            place = problem.place
            if place is not None and place.index is not None and 0 < place.index <= recorded:
                at = place.index - 1
                offset, cited = self.sentence_offsets[at], self.citation_offsets[at]
                if problem.citation is not None and 0 < problem.citation <= len(cited):
                    offset = cited[problem.citation - 1]
                if problem.code == "unknown-ref" and (xrefs := self.xref_offsets[at]):
                    if at not in unknown:
                        unknown[at] = iter([a for target, a in xrefs if target not in known])
                    offset = next(unknown[at], offset)
            elif problem.code == "duplicate-id":
                offset = next(duplicates, None)
            elif problem.code == "duplicate-differences":
                offset = next(repeated, None)
            elif place is not None and place.block_kind == "table":
                offset = self.table_offset(problem)
            elif place is not None and place.block is not None:
                offset = self.block_offsets.get((place.section, place.block))
            elif problem.code.startswith("brief-"):
                field = problem.code.removeprefix("brief-")
                if field in ("title", "subtitle", "author", "date"):
                    offset = key_offset(self.doc, field)
                elif field == "accept":
                    offset = key_offset(self.doc, "accept_differences")
            if offset is None and place is not None and place.section:
                offset = headings.get(place.section)
            placed.append((offset if offset is not None else 0, _in_markdown(problem)))
        return placed


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


def _plain(draft: SentenceDraft) -> bool:
    return all(isinstance(p, str) for p in draft.parts)


def _lines(text: str, start: int, stop: int) -> Iterator[tuple[int, str]]:
    """The lines of ``text[start:stop]`` with the offset each starts at."""
    pos = start
    for line in text[start:stop].split("\n"):
        yield pos, line
        pos += len(line) + 1


def _pair_captions(
    blocks: tuple[BlockDraft, ...], kind: str, caption: str
) -> tuple[dict[int, int], set[int]]:
    """Each ``kind`` block's ``caption`` block (a table's, an image's), by block index (it
    takes the free caption right before it, else the one right after it), and the captions
    taken."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for i, block in enumerate(blocks):
        if block.kind != kind:
            continue
        if i > 0 and blocks[i - 1].kind == caption and i - 1 not in used:
            k = i - 1
        elif i + 1 < len(blocks) and blocks[i + 1].kind == caption:
            k = i + 1
        else:
            continue
        pairs[i] = k
        used.add(k)
    return pairs, used


def _unmeasured(brief: Brief) -> list[str]:
    """The accepted measures (``accept_differences``) that no cited figure measures, each
    shown once."""
    if not brief.accept_differences:
        return []
    measured = {
        cite.measure
        for _place, _path, sent in brief.walk()
        for cite in sent.citations
        if isinstance(cite, Figure)
    }
    return [shorten(m) for m in dict.fromkeys(brief.accept_differences) if m not in measured]


def _in_markdown(problem: Problem) -> str:
    """The problem's message, with what its advice means in a Markdown brief."""
    hint = _HINTS.get(problem.code)
    if problem.code == "unsupported-number":
        number = quoted(problem.subject) if problem.subject is not None else '"…"'
        hint = (
            f"in a Markdown brief: write !accept {number} in the group that ends the sentence "
            f"(or end it with [!accept {number}])"
        )
    return f"{problem.message}; {hint}" if hint else problem.message


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector (and resume it as it was). Reading a brief builds a few
    small objects per sentence, citation group and excerpt, which refer to one another in no
    cycle: in a big brief, millions that the collector would go through again and again as
    they grow in number, in a third of the reading time, to free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(text: str, *, name: str, base: Path, path: Path | None = None) -> MarkdownBrief:
    """Read a Markdown brief's text; ``base`` is the folder relative source paths start from."""
    with _cycle_collector_paused():
        return _build(text, name=name, base=base, path=path)


def _build(text: str, *, name: str, base: Path, path: Path | None) -> MarkdownBrief:
    builder = _Builder(name, base)
    builder.doc = split_document(text, builder.report)
    for m in _SURROGATE.finditer(builder.doc.text):  # only a str holds one; no file can
        builder.report(
            m.start(),
            f"the text holds a lone surrogate U+{ord(m.group()):04X}, which is not a Unicode "
            "character (no output format can store it); remove it or write the character "
            "it was meant to be",
        )
    if builder.problems and _SURROGATE.search(builder.doc.text):
        raise builder.fail()  # nothing else can be read safely (paths, YAML) with them in
    front = read_front_matter(builder.doc, base, builder.report, path)
    builder.front = front
    key_points, sections = builder.body()
    if builder.problems or front is None:
        raise builder.fail()
    brief = Brief(
        title=front.title or "",
        subtitle=front.subtitle,
        author=front.author,
        date=front.date,
        key_points=tuple(key_points),
        sections=tuple(sections),
        sources_appendix=front.sources_appendix,
        bibliography=front.bibliography,
        smart_quotes=front.smart_quotes,
        lang=front.lang,
        style=front.style,
        differences=front.differences,
        accept_differences=front.accept_differences,
        contents=front.contents,
    )
    problems = brief.problems()
    if errors(problems):
        for offset, message in builder.place_problems(errors(problems)):
            builder.report(offset, message)  # at most MAX_PROBLEMS of them, as every problem
        raise builder.fail()
    placed = builder.place_problems(warnings(problems))
    unused = _unmeasured(brief)
    if unused:
        placed.append(
            (
                key_offset(builder.doc, "accept_differences"),
                f"accept_differences: no figure of the brief measures {', '.join(unused)} "
                '(a figure names its measure with measure="…"); accepting it changes nothing',
            )
        )
    assert front.corpus is not None
    if front.corpus.unclaimed:
        left = front.corpus.unclaimed
        shown = ", ".join(left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
        placed.append(
            (
                key_offset(builder.doc, "sources"),
                f"sources: {len(left)} file(s) in the folder no source reader claims were left "
                f"out: {shown}",
            )
        )
    warned = builder.locate(placed)
    assert front.root is not None
    return MarkdownBrief(
        brief,
        front.corpus,
        front.root,
        path=path,
        aliases=dict(front.aliases),
        metadata={k: dict(v) for k, v in front.metadata.items()},
        warnings=tuple(warned),
    )
