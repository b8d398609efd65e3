"""Hypothesis strategies that generate hostile text, sources, excerpts and whole briefs.

Meant for plug-in authors (an exporter should survive anything these produce) and for
briefkit's own property tests. Needs the ``test`` extra (``pip install 'briefkit[test]'``),
which installs Hypothesis.

    import briefkit
    from hypothesis import given, strategies as st
    from briefkit.testing import briefs, sources

    ids = st.sampled_from(["a.txt", "b.txt", "sub/c.md"])
    corpora = st.lists(sources(ids), min_size=1, max_size=3, unique_by=lambda s: s.id)

    @given(corpora.flatmap(briefs))
    def test_my_exporter_never_crashes(brief):
        briefkit.render(brief, "my-format")

Every strategy shrinks towards short, plain text: :func:`hard_text` is built from a list of
"atoms" (one hard case each: combining marks, ZWJ emoji, flags, CRLF, controls, RTL, markup …)
mixed with :func:`hypothesis.strategies.text` runs, and the atoms shrink to ``"a"``. Grapheme
boundaries are computed here independently of briefkit, with ``regex``'s ``\\X``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, TypeAlias

import regex
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from briefkit._claims import PLACEHOLDER, quote_boundary_problem, sentence_breaks
from briefkit.excerpts import Excerpt, Figure, Paraphrase, Quote
from briefkit.model import (
    Block,
    BlockQuote,
    Brief,
    BulletList,
    CrossRef,
    Emphasis,
    Inline,
    Link,
    Paragraph,
    Section,
    Sentence,
    Table,
    prose,
)
from briefkit.sources import Source

_ALIGNS = ("left", "center", "right")

__all__ = [
    "briefs",
    "excerpts",
    "grapheme_spans",
    "hard_text",
    "source_bytes",
    "sources",
]

ExcerptKind: TypeAlias = Literal["quote", "paraphrase", "figure"]

_BOM = b"\xef\xbb\xbf"
_GRAPHEME = regex.compile(r"\X")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")  # a whole number, as figures need

#: One hard case each. The first atom is what everything shrinks to.
_ATOMS: tuple[str, ...] = (
    "a",
    "Z",
    " ",
    "word",
    "The figure is",
    "0",
    "42",
    "1,234",
    "3.5%",
    ".",
    ",",
    "-",
    "--",
    "...",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\r\r\n",
    "\t",
    # combining marks: one, stacked, and a lone mark at the start of a piece
    "e\u0301",
    "a\u0308\u0323",
    "o\u0302\u0303\u0304\u0305",
    "\u0301",
    "\u20dd",
    " \u0301",
    "\u00a0\u0308",
    # emoji: ZWJ sequences, flags, skin tones, keycaps, tag sequences, variation selectors
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f469\U0001f3fd\u200d\U0001f52c",
    "\U0001f1ef\U0001f1f5",
    "\U0001f1fa\U0001f1f8",
    "\U0001f1ef",
    "\U0001f44d\U0001f3fd",
    "\U0001f3fd",
    "\u200d",
    "1\ufe0f\u20e3",
    "\u2764\ufe0f",
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    # astral letters and emoji
    "\U0001d518",
    "\U0001f600",
    "\U00020000",
    # CJK, RTL, Hangul, Indic
    "中文",
    "日本語の文",
    "漢",
    "שלום",
    "مرحبا",
    "\u0627\u064e\u0644\u0652",
    "\u200f",
    "\u202e",
    "\u1100\u1161\u11a8",
    "\u1100\u1161",
    "한국어",
    "क्ष",
    "\u0915\u094d\u0937\u093f",
    "\u0928\u092e\u0938\u094d\u0924\u0947",
    "\u0600",
    "\u0e01\u0e33",
    # spaces, quotes and other punctuation that normalised search folds
    "\u00a0",
    "\u2009",
    "\u3000",
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u00ab",
    "\u00bb",
    "\u201e",
    '"',
    "'",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\ufffd",
    "\uffff",
    # markup-looking text
    "<b>",
    "</b>",
    '<a href="x">',
    "&amp;",
    "&lt;",
    "<img src=x>",
    "<script>",
    "*",
    "_",
    "`",
    "#",
    "[^1]",
    "[doc.txt, chars 0\u20131]",
    "[x](y)",
    "\\",
    "$",
    "@key",
    "|",
    "{",
    "}",
    # control characters: all of C0, DEL and NEL
    *(chr(cp) for cp in range(0x20)),
    "\x7f",
    "\x85",
)

#: Quotation marks that make the brief's misquote check look for a quoted passage.
_QUOTE_MARKS = str.maketrans(
    dict.fromkeys(
        '\u201c\u201d"\u00ab\u00bb\u201e\u201f\u2033'  # double: “ ” " « » „ ‟ ″
        "\u2018\u2019\u2039\u203a\u300c\u300d\u300e\u300f"  # ‘ ’ ‹ › 「 」 『 』
        "'\u201a"  # ' and ‚, which the shown text turns into (or keeps as) quotation marks
    )
)


def _keep_only(keep: Callable[[str], bool] | None) -> Callable[[str], str]:
    if keep is None:
        return lambda text: text
    return lambda text: "".join(ch if keep(ch) else "?" for ch in text)


def hard_text(
    min_size: int = 0, max_size: int = 80, *, keep: Callable[[str], bool] | None = None
) -> st.SearchStrategy[str]:
    """Valid Unicode text (no lone surrogates) mixing hard cases.

    Pieces are drawn from a list of atoms (ASCII words and digits, every newline style, combining
    marks, ZWJ emoji, flags, skin tones, CJK, Hebrew and Arabic, astral characters, C0 controls,
    DEL, NEL, NBSP, curly quotes, markup, Hangul jamo, Devanagari conjuncts …) and from
    :func:`hypothesis.strategies.text` runs. The result has between ``min_size`` and
    ``max_size`` code points; it may split a grapheme cluster only at its end (truncation).
    With ``keep``, every character for which it returns False becomes ``"?"`` (e.g. to stay
    within what a PDF font set can draw).
    """
    if min_size < 0 or max_size < min_size:
        raise InvalidArgument(f"need 0 <= min_size <= max_size, got {min_size}, {max_size}")
    piece = st.one_of(
        st.sampled_from(_ATOMS),
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
    )
    only = _keep_only(keep)
    return st.lists(piece, min_size=min_size, max_size=max(min_size, max_size // 2 + 1)).map(
        lambda pieces: only("".join(pieces)[:max_size])
    )


def source_bytes(
    min_size: int = 0,
    max_size: int = 80,
    *,
    bom: bool | None = None,
    keep: Callable[[str], bool] | None = None,
) -> st.SearchStrategy[bytes]:
    """The raw bytes of a source file: :func:`hard_text` encoded as UTF-8, with a leading
    UTF-8 BOM sometimes (always with ``bom=True``, never with ``bom=False``).

    ``min_size``/``max_size`` bound the code points of the text, not the bytes. The text itself
    may start with U+FEFF, so a file can carry two BOMs (briefkit removes only one).
    ``keep`` is passed to :func:`hard_text`.
    """
    with_bom = st.booleans() if bom is None else st.just(bom)
    return st.tuples(hard_text(min_size, max_size, keep=keep), with_bom).map(
        lambda pair: (_BOM if pair[1] else b"") + pair[0].encode("utf-8")
    )


def sources(
    source_id: str | st.SearchStrategy[str] = "doc.txt",
    *,
    min_size: int = 1,
    max_size: int = 80,
    bom: bool | None = None,
) -> st.SearchStrategy[Source]:
    """:class:`briefkit.Source` objects built with :meth:`briefkit.Source.from_bytes` from
    :func:`source_bytes`.

    ``source_id`` is a fixed id or a strategy of (safe) ids. The canonical text has at least
    ``min_size`` code points (default 1, so :func:`grapheme_spans` can always draw a span) and
    at most ``max_size``.
    """
    ids = st.just(source_id) if isinstance(source_id, str) else source_id
    # a text that starts with U+FEFF and gets no BOM of its own loses that character on
    # decoding (it reads as the BOM), which could leave fewer than ``min_size`` code points
    return st.builds(
        Source.from_bytes,
        ids,
        source_bytes(min_size, max_size, bom=bom),
    ).filter(lambda source: len(source.text) >= min_size)


def _boundaries(text: str) -> list[int]:
    """Every grapheme cluster boundary of ``text``, computed with ``regex`` alone."""
    return [0, *(m.end() for m in _GRAPHEME.finditer(text))]


def _text_of(source: Source | str) -> str:
    return source if isinstance(source, str) else source.text


def grapheme_spans(source: Source | str) -> st.SearchStrategy[tuple[int, int]]:
    """Non-empty ``(start, end)`` code point spans of ``source`` (a Source or a text) whose
    ends fall on grapheme cluster boundaries; shrinks towards the first cluster.

    Raises :class:`hypothesis.errors.InvalidArgument` for an empty text.
    """
    bounds = _boundaries(_text_of(source))
    if len(bounds) < 2:
        raise InvalidArgument("grapheme_spans() needs a non-empty text")
    last = len(bounds) - 1
    return (
        st.integers(0, last - 1)
        .flatmap(lambda i: st.tuples(st.just(i), st.integers(i + 1, last)))
        .map(lambda ij: (bounds[ij[0]], bounds[ij[1]]))
    )


def _author_text(
    min_size: int = 0, max_size: int = 40, keep: Callable[[str], bool] | None = None
) -> st.SearchStrategy[str]:
    """Hard text without quotation marks (those would trigger the misquote check)."""
    return hard_text(min_size, max_size, keep=keep).map(lambda s: s.translate(_QUOTE_MARKS))


#: characters that break a line, which emphasis and link text may not hold
_LINE_BREAKS = dict.fromkeys(map(ord, "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))

#: link addresses: every character a link may hold, in a few shapes
_URLS = st.tuples(
    st.sampled_from(("https://", "http://", "mailto:a@")),
    st.text(alphabet="!#$%&'()*+,-./0123456789:;=?@AZaz[]_~", min_size=1, max_size=20),
).map("".join)


@st.composite
def _styled(draw: st.DrawFn, keep: Callable[[str], bool] | None) -> Emphasis | Link:
    """Emphasised author text, or a link shown as its address or as author text."""
    text = draw(_author_text(1, 20, keep)).translate(_LINE_BREAKS).strip() or "x"
    kind = draw(st.sampled_from(("em", "strong", "url", "label")))
    if kind in ("em", "strong"):
        return Emphasis(text, strong=kind == "strong")
    if kind == "label" and not any(
        not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Me", "Cf") for ch in text
    ):
        text = "x" + text  # link text shows a character of its own (see the model)
    return Link(draw(_URLS), text if kind == "label" else None)


def _nonblank(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return text.map(lambda s: s if s.strip() else f"x{s}")


_ALL_KINDS: tuple[ExcerptKind, ...] = ("quote", "paraphrase", "figure")


@st.composite
def _excerpt(
    draw: st.DrawFn,
    source: Source,
    kinds: tuple[ExcerptKind, ...],
    keep: Callable[[str], bool] | None = None,
) -> Excerpt:
    text = source.text
    digits = [m.start() for m in _DIGIT.finditer(text)]
    available = [k for k in kinds if k != "figure" or digits]
    if not available:
        raise InvalidArgument(
            f"excerpts(): source {source.id!r} has no digit, so no figure can be made"
        )
    kind = draw(st.sampled_from(available))
    bounds = _boundaries(text)
    if kind != "figure":
        start, end = draw(grapheme_spans(text))
        if kind == "paraphrase":
            return Paraphrase(source, start, end)
        speaker = draw(st.none() | _nonblank(_author_text(1, 20, keep)))
        # a span that cuts a word is a partial quotation (shown with an ellipsis)
        partial = quote_boundary_problem(text, start, end) is not None
        return Quote(source, start, end, speaker=speaker, partial=partial)
    # a figure: a span around one digit, and the whole number inside the span as its value
    d = draw(st.sampled_from(digits))
    lower = [b for b in bounds if b <= d]
    upper = [b for b in bounds if b > d]
    start = draw(st.sampled_from(lower[::-1]))
    end = draw(st.sampled_from(upper))
    runs = [m.span() for m in _DIGITS.finditer(text, start, end)]
    r0, r1 = draw(st.sampled_from(runs))
    v0, v1 = r0, r1
    unit = draw(st.none() | _nonblank(_author_text(1, 12, keep)))
    return Figure(source, start, end, value=text[v0:v1], unit=unit)


def excerpts(
    source: Source,
    *,
    kinds: Iterable[ExcerptKind] = _ALL_KINDS,
    keep: Callable[[str], bool] | None = None,
) -> st.SearchStrategy[Excerpt]:
    """:class:`~briefkit.Quote`, :class:`~briefkit.Paraphrase` and :class:`~briefkit.Figure`
    excerpts of ``source`` over grapheme-aligned spans.

    Figures are made only where the span contains a digit; the value is a whole number inside
    the span (so a source without digits yields no figures). Quotes sometimes have a speaker,
    figures sometimes a unit. ``kinds`` restricts the kinds drawn; ``keep`` restricts the
    speaker and unit text as in :func:`hard_text`.
    """
    chosen = tuple(kinds)
    if not chosen or any(k not in _ALL_KINDS for k in chosen):
        raise InvalidArgument(f"excerpts(): kinds must be drawn from {_ALL_KINDS}, got {chosen}")
    if not source.text:
        raise InvalidArgument(f"excerpts(): source {source.id!r} is empty")
    return _excerpt(source, chosen, keep)


class _BriefDrawer:
    """Draws the parts of one brief; numbers explicit sentence ids so they stay unique."""

    def __init__(
        self,
        draw: st.DrawFn,
        pool: Sequence[Source],
        keep: Callable[[str], bool] | None,
        tables: bool = True,
        inline_styles: bool = True,
        cross_refs: bool = True,
    ) -> None:
        self.draw = draw
        self.pool = pool
        self.keep = keep
        self.tables = tables
        self.inline_styles = inline_styles
        self.cross_refs = cross_refs
        self.ids = itertools.count(1)
        #: the ids cross-references name, and those not yet given to a section or table
        self.targets: list[str] = []
        self.unplaced: list[str] = []

    def excerpt(self, kinds: tuple[ExcerptKind, ...] = _ALL_KINDS) -> Excerpt:
        source = self.draw(st.sampled_from(self.pool))
        return self.draw(excerpts(source, kinds=kinds, keep=self.keep))

    def inline(self) -> Inline:
        if self.pool and self.draw(st.integers(0, 2)) == 0:
            part = self.excerpt(("quote", "figure"))
            assert isinstance(part, Quote | Figure)
            return part
        if self.inline_styles and self.draw(st.integers(0, 4)) == 0:
            return self.draw(_styled(self.keep))
        return self.draw(_author_text(0, 30, self.keep))

    def sentence_id(self) -> str | None:
        return f"x{next(self.ids)}" if self.draw(st.integers(0, 3)) == 0 else None

    def sentence(self) -> Sentence:
        draw = self.draw
        parts = [self.inline() for _ in range(draw(st.integers(1, 4)))]
        if not any(not isinstance(p, str) or p.strip() for p in parts):
            parts.append("x")
        if self.targets and draw(st.integers(0, 4)) == 0:
            target = CrossRef(draw(st.sampled_from(self.targets)), page=draw(st.booleans()))
            parts.insert(draw(st.integers(0, len(parts))), target)
        cites: list[Excerpt] = []
        if self.pool:
            cites = [self.excerpt() for _ in range(draw(st.integers(0, 2)))]
        has_citation = bool(cites) or any(isinstance(p, Quote | Figure) for p in parts)
        analysis = not self.pool or draw(st.integers(0, 4)) == 0
        if not analysis and not has_citation:
            cites.append(self.excerpt())
        # random author text may hold several sentences: let them share the citations
        joined = "".join(PLACEHOLDER if (text := prose(p)) is None else text for p in parts)
        return Sentence(
            tuple(parts),
            cites=tuple(cites),
            analysis=analysis,
            id=self.sentence_id(),
            several=bool(sentence_breaks(joined)),
        )

    def label(self) -> str:
        """A table label: empty, or text that is not blanks only (which a reader cannot tell
        from an empty cell)."""
        return self.draw(st.just("") | _nonblank(_author_text(1, 12, self.keep)))

    def table(self) -> Table:
        draw = self.draw
        width = draw(st.integers(1, 3))
        header = tuple(self.label() for _ in range(width))
        rows = []
        for _ in range(draw(st.integers(1, 3))):
            row: list[str | Sentence] = []
            for column in range(width):
                kind = draw(st.integers(0, 2))
                if kind == 0 and column == 0:
                    row.append(self.label())
                elif kind == 0:
                    row.append("")
                else:
                    row.append(self.sentence())
            rows.append(tuple(row))
        if not any(isinstance(cell, Sentence) for row in rows for cell in row):
            rows[0] = (*rows[0][:-1], self.sentence())
        align = draw(st.sampled_from(((), tuple(draw(st.sampled_from(_ALIGNS)) for _ in header))))
        caption = draw(_nonblank(_author_text(1, 20, self.keep)))
        return Table(caption, header, rows, align=align, id=self.target_id())

    def target_id(self) -> str | None:
        """An id that cross-references name, for a section or table (some get none)."""
        if not self.unplaced:
            return None
        give: bool = self.draw(st.booleans())
        return self.unplaced.pop() if give else None

    def block(self) -> Block:
        draw = self.draw
        choice = draw(st.integers(0, (3 if self.tables else 2) if self.pool else 1))
        if choice == 3:
            return self.table()
        if choice == 0:
            return Paragraph(tuple(self.sentence() for _ in range(draw(st.integers(1, 3)))))
        if choice == 1:
            return BulletList(tuple(self.sentence() for _ in range(draw(st.integers(1, 3)))))
        quote = self.excerpt(("quote",))
        assert isinstance(quote, Quote)
        cites = [self.excerpt() for _ in range(draw(st.integers(0, 1)))]
        return BlockQuote(quote, cites=tuple(cites), id=self.sentence_id())

    def section(self, depth: int) -> Section:
        draw = self.draw
        heading = draw(_nonblank(_author_text(1, 20, self.keep)))
        blocks = [self.block() for _ in range(draw(st.integers(0, 2)))]
        subs: list[Section] = []
        if depth < 2:
            subs = [self.section(depth + 1) for _ in range(draw(st.integers(0, 2)))]
        if not blocks and not subs:
            blocks.append(self.block())
        return Section(heading, tuple(blocks), tuple(subs), id=self.target_id())

    def brief(self) -> Brief:
        draw = self.draw
        if self.cross_refs:
            self.targets = [f"t{k}" for k in range(1, draw(st.integers(0, 2)) + 1)]
            self.unplaced = list(self.targets)
        key_points = [self.sentence() for _ in range(draw(st.integers(0, 3)))]
        sections = [self.section(0) for _ in range(draw(st.integers(0, 3)))]
        if not key_points and not sections:
            key_points.append(self.sentence())
        for target in self.unplaced:  # a section of its own for each id no section or table took
            end = Paragraph((Sentence((f"Section {target}.",), analysis=True),))
            sections.append(Section(f"On {target}", (end,), id=target))
        optional = st.none() | _nonblank(_author_text(1, 20, self.keep))
        return Brief(
            title=draw(_nonblank(_author_text(1, 30, self.keep))),
            sections=tuple(sections),
            key_points=tuple(key_points),
            subtitle=draw(optional),
            author=draw(optional),
            date=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
            sources_appendix=draw(st.booleans()),
        )


@st.composite
def _brief(
    draw: st.DrawFn,
    pool: tuple[Source, ...],
    keep: Callable[[str], bool] | None,
    tables: bool,
    inline_styles: bool,
    cross_refs: bool,
) -> Brief:
    return _BriefDrawer(draw, pool, keep, tables, inline_styles, cross_refs).brief()


def briefs(
    corpus_sources: Sequence[Source] | Mapping[str, Source],
    *,
    keep: Callable[[str], bool] | None = None,
    tables: bool = True,
    inline_styles: bool = True,
    cross_refs: bool = True,
) -> st.SearchStrategy[Brief]:
    """Valid :class:`briefkit.Brief` objects citing ``corpus_sources`` (a sequence of sources
    or a mapping such as a :class:`briefkit.Corpus`).

    Briefs have key points, nested sections (up to three levels), paragraphs, bullet lists,
    block quotes, tables (unless ``tables=False``: hard labels, empty cells and sentence
    cells), analysis sentences (some uncited), inline quotes and figures, emphasis and links
    in the author's text (unless ``inline_styles=False``), cross-references to sections and
    tables, some with their page (unless ``cross_refs=False``), further
    citations, some explicit sentence ids, and hard author text (without quotation marks,
    which would trip the misquote check). Empty sources are never cited; with no
    non-empty source every sentence is uncited analysis. ``keep`` restricts the author text
    as in :func:`hard_text` (the sources' own text is whatever the sources hold).
    """
    if isinstance(corpus_sources, Mapping):
        items: Iterable[Source] = corpus_sources.values()
    else:
        items = corpus_sources
    pool = tuple(s for s in items if s.text)
    return _brief(pool, keep, tables, inline_styles, cross_refs)
