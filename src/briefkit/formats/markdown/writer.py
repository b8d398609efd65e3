"""The ``md`` exporter: Markdown with ``[^n]`` footnotes (pandoc and GitHub read them as notes).

All brief and source text is escaped, so nothing in it is read as Markdown, HTML, a pandoc
citation (``@key``), math (``$``) or smart punctuation (``--``, ``...``, straight quotes) —
nor as a link that a renderer makes by itself out of bare text: the extended autolinks of
GitHub Flavored Markdown (``www.``, ``https://``, e-mail addresses) and the fuzzy links of
linkify (``evil.com``). For those a backslash goes before the first of two slashes
(``https:\\//``), before the dot after ``www`` and before each dot that leads into something
a linker takes for a top-level domain (two letters, ``com``, ``org`` …); a backslash before
ASCII punctuation shows nothing, so the text reads as it did.
The C1 controls U+0091–U+0094, which pandoc's smart punctuation reads as quotation marks,
are written as character references (``&#145;``). Characters XML cannot hold get their
one-for-one stand-in; every newline style becomes a hard
line break. Labels are in the brief's language; the bibliography follows the body, one
paragraph per entry (its address is text, not a link). Each footnote definition ends, after
its text, in an HTML comment that carries the note's citations out of sight
(``<!-- cites: SOURCE:START-END … -->``, source ids percent-encoded so that the comment can
hold no ``--``; see :mod:`._container`). The provenance manifest ends the file as an HTML
comment (``<!-- briefkit-provenance v1``, one line of JSON, ``-->``). Markdown readers show
neither comment (pandoc leaves them out of every format but HTML, where they stay comments).

A table is a pipe table (pandoc's, GitHub's) after its caption paragraph ``Table: Table N.
<caption>`` (the label in the brief's language; pandoc makes the paragraph the table's
caption, GitHub shows it as a paragraph): a blank line, the header row, the alignment row
(``:--``, ``:-:``, ``--:`` per column, :data:`~._container.RULE`) and a row per body row,
each ``| cell | … |`` on one line. A cell is escaped as all text is (a ``|`` is ``\\|``), a
sentence written as in a paragraph (the analysis label, the text, its ``[^N]`` mark, whose
definition carries the cites comment as every note does); a label (a header's, a row's, an
entry of the table of differences) is first isolated
(:func:`~briefkit._typography.isolate`: a direction control in it is closed before the next
pipe). A pipe table row is one line, so *a line break in a cell is written as a space*; the
checker reads it so. Since pandoc takes a paragraph that starts with ``Table:`` (or
``table:``) next to a table for its caption, text that starts a line so has its colon
escaped (``Table\\:``).

*Images.* An image is written ``![alt](data:image/png;base64,…)`` (or ``image/jpeg``): the
file is one stream, so it holds the image's bytes exactly as the brief does (never
re-encoded; their sha256 is the manifest's) rather than naming a file beside it. Its alt text
is escaped on one line (every newline style a space) and isolated as a table's labels are.
A hard line break (``\\``) ends the image's line and its caption line follows in the same
paragraph: the label (``Figure N.`` in the brief's language), a space and the caption
sentence as in a paragraph. (An image alone in its paragraph would be a figure to pandoc,
captioned with its alt text, which would then be shown twice.) pandoc reads the data URI;
*GitHub does not render images from data URIs*: a reader there sees the caption line, not the
image.

*Emphasis and links to web pages.* The author's emphasis is ``*…*`` (italics) or ``**…**``
(bold) around exactly its words (neighbouring emphasis of one style is one run), written so
that CommonMark's flanking rules and pandoc read each run as meant: where the inner side of a
run is not a letter or digit, a letter (or any character but a blank or ASCII punctuation)
just outside it is written as a numeric character reference (``wa&#115;*(odd)*&#108;y``);
where two emphases meet, the characters on either side of the run between them are
(``*&#97;***&#98;**``). The subtitle is in italics, the contents' label and each source's
title in bold, a blank at either end of them a character reference. A link whose text is its
own address is an autolink ``<https://…>`` (``mailto:`` too), unless the address holds
something like a character reference (``&amp;``), which pandoc reads in an autolink and
CommonMark does not; any other is ``[text](<address>)``, the text escaped as all text is and
the address in angle brackets as it is (parentheses, brackets, ``*`` and ``_`` need nothing
there), each ``&`` written ``&#38;``. (pandoc's own Markdown reader percent-encodes ``[`` and
``]`` in every link's address, as it does for any link.)

*Links.* A cross-reference whose wording is one line is a link to what it names:
``[Table 2](#table-2)``, ``[Figure 1](#figure-1)``, ``[“Costs”](#sec-2)`` (one whose wording
holds a line break is text: a link's text stays on one line). The table of contents (when the
brief has one) follows the title block: the label in bold (``**Contents**``), then a list of
links to the headings, ``- [Heading](#sec-1)``, an entry nested under the one before it two
blanks a level (:func:`~briefkit.formats.html._anchors.nesting`), each heading isolated.
What a link leads to carries its id in pandoc's syntax, *only when a link of the file leads to
it* (every heading when the brief has contents, else only what a cross-reference names): a
heading ends in `` {#sec-2-1}`` (``key-points``, ``bibliography``, ``sources``), an image in
``{#figure-N}`` right after its ``)``, and a table's caption in an empty span `` []{#table-N}``
(pandoc 2.17 reads no attributes on a table caption). pandoc reads them all and leaves them
unseen; GitHub and other CommonMark renderers show them as text and make their own heading
ids, so there these links lead nowhere. A brief without contents or cross-references is
written without any of them.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from typing import BinaryIO

from briefkit import manifest as _manifest
from briefkit._text import display, split_lines
from briefkit._typography import isolate
from briefkit.formats.html._anchors import nesting, one_line
from briefkit.formats.markdown._container import MANIFEST_COMMENT, RULE, cites_comment
from briefkit.plan import (
    BibliographyBlock,
    ContentsBlock,
    ContentsEntry,
    HeadingBlock,
    ImageBlock,
    ListBlock,
    Note,
    NotePlan,
    ParagraphBlock,
    PlannedSentence,
    PlanVisitor,
    QuoteBlock,
    SourcesBlock,
    TableBlock,
    TableCell,
    TitleBlock,
    source_details,
)

__all__ = ["MANIFEST_COMMENT", "MarkdownExporter", "escape", "manifest_comment"]

#: The first line of the trailing comment that holds the provenance manifest.

#: the top-level domains linkify takes in bare text (besides any two letters)
_TLDS = "biz|com|edu|gov|net|org|pro|web|xxx|aero|asia|coop|info|museum|name|shop|xn--|рф"
_SPECIAL = re.compile(
    r"[\\`*_\[\]<>&#|~^$@{}\"'!\x91-\x94]|-(?=-)|\.(?=\.)|(?<=\.)\."
    # what would make a bare link: "//" (a scheme's or a protocol-relative one), "www.", and
    # a dot before a top-level domain that ends a host name
    r"|/(?=/)|(?<=[Ww]{3})\.|(?<=[^\W_])\.(?=(?i:[a-z]{2}|" + _TLDS + r")(?![^\W_]))"
)
_LINE_START = re.compile(r"([ \t]*)(?:([+\-=:])|(\d+)([.)]))")
#: pandoc's fancy list markers: "a)", "(iv)", "B.", "(1)" followed by a blank or the end
_FANCY_LIST = re.compile(r"(\()?([A-Za-z]|[ivxlcdmIVXLCDM]+|\d+)[.)](?=[ \t]|\Z)")
#: a paragraph that starts so is a table's caption to pandoc
_CAPTION = re.compile(r"[Tt]able(?=:)")


#: the C1 controls pandoc's smart punctuation reads as quotation marks (their Windows-1252
#: meaning), written as character references, which pandoc and CommonMark read as themselves
_C1_QUOTES = "\x91\x92\x93\x94"


def _escaped(m: re.Match[str]) -> str:
    ch = m.group()
    return f"&#{ord(ch)};" if ch in _C1_QUOTES else "\\" + ch


def _escape_line(line: str, start: bool = True) -> str:
    """One line escaped; ``start``: it starts a line of the file, where markers count."""
    out = _SPECIAL.sub(_escaped, display(line))
    if not start:
        return out
    indent = len(out) - len(out.lstrip(" \t"))
    if indent:  # leading blanks would start a code block: write them as character references
        blanks = "".join("&#9;" if ch == "\t" else "&#32;" for ch in out[:indent])
        return blanks + out[indent:]
    m = _LINE_START.match(out)
    if m is None:
        caption = _CAPTION.match(out)
        if caption is not None:  # "Table:": a colon escaped shows nothing
            return f"{out[: caption.end()]}\\{out[caption.end() :]}"
        fancy = _FANCY_LIST.match(out)
        if fancy is None:
            return out
        if fancy.group(1):  # "(a)" / "(iv)" / "(1)": escape the opening parenthesis
            return "\\" + out
        return f"{out[: fancy.end(2)]}\\{out[fancy.end(2) :]}"  # "a)" / "iv." / "B."
    if m.group(2):  # a list marker, setext underline or definition marker at line start
        return f"{m.group(1)}\\{out[m.end(1) :]}"
    return f"{m.group(1)}{m.group(3)}\\{out[m.end(3) :]}"  # "1." / "1)" ordered-list marker


def escape(text: str, *, breaks: bool = True, inline: bool = False) -> str:
    """Escape ``text`` for Markdown; newlines become hard breaks (or spaces). ``inline``:
    the text goes on after other text of its line (or in a link's text), where nothing it
    starts with is read as a block marker."""
    lines = [_escape_line(line, k > 0 or not inline) for k, line in enumerate(split_lines(text))]
    if breaks:
        return "\\\n".join(lines)
    joined = " ".join(lines)
    if (
        joined.startswith(" ") and not inline
    ):  # an empty first line: the spaces must not start the line
        rest = joined.lstrip(" ")
        return "&#32;" * (len(joined) - len(rest)) + rest
    return joined


def _sentence(
    ps: PlannedSentence, analysis: str, *, breaks: bool = True, inline: bool = False
) -> str:
    label = f"*{escape(analysis, breaks=False, inline=inline)}:* " if ps.analysis else ""
    mark = f"[^{ps.note}]" if ps.note is not None else ""
    return label + _linked(ps, breaks=breaks, inline=inline) + mark


def _linked(ps: PlannedSentence, *, breaks: bool, inline: bool) -> str:
    """A sentence's text escaped: each cross-reference whose wording is one line a link to
    its anchor (one that holds a line break is text: a link's text stays on one line), the
    author's emphasis in ``*…*`` and ``**…**``, each link to a web page an autolink or an
    inline link (see :func:`_emphasised` and :func:`_web_link`)."""
    # (kind, text): "plain" text, "em" or "strong" text (each run of them escaped as one:
    # "*a**b*" would read otherwise), or "markup" already written
    groups: list[tuple[str, str]] = []
    for seg in ps.segments:
        if seg.style is not None or (seg.href is None and seg.ref is None):
            kind: str = seg.style or "plain"
            if groups and groups[-1][0] == kind:
                groups[-1] = (kind, groups[-1][1] + seg.text)
            else:
                groups.append((kind, seg.text))
        elif seg.href is not None:
            groups.append(("markup", _web_link(seg.text, seg.href)))
        elif seg.ref is not None and one_line(seg.text):
            link = f"[{escape(seg.text, breaks=False, inline=True)}](#{seg.ref})"
            groups.append(("markup", link))
        elif groups and groups[-1][0] == "plain":  # a cross-reference written as text
            groups[-1] = ("plain", groups[-1][1] + seg.text)
        else:
            groups.append(("plain", seg.text))
    items: list[tuple[str, str]] = []  # (kind, Markdown): "text", "em" or "strong"
    for kind, text in groups or [("plain", "")]:
        if kind == "plain":
            items.append(("text", escape(text, breaks=breaks, inline=inline or bool(items))))
        elif kind == "markup":
            items.append(("text", text))
        else:
            items.append((kind, escape(text, breaks=False, inline=True)))
    return _emphasised(items)


#: a character reference, which CommonMark reads in an autolink and pandoc does not
_REFERENCE_LIKE = re.compile(r"&[#A-Za-z0-9]+;")


def _web_link(text: str, href: str) -> str:
    """A link to a web page: an autolink ``<https://…>`` when it shows its own address (and
    every reader reads that address the same), else ``[text](<href>)``, whose destination
    in angle brackets may hold parentheses, brackets, ``*`` and ``_`` as they are; an ``&``
    is written ``&#38;`` there, so that no reader takes it for the start of a character
    reference (pandoc and CommonMark read ``\\&`` differently)."""
    if text == href and _REFERENCE_LIKE.search(href) is None:
        return f"<{href}>"
    label = escape(text, breaks=False, inline=True)
    return f"[{label}](<{href.replace('&', '&#38;')}>)"


_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_MARKER = {"em": "*", "strong": "**"}


def _safe(ch: str) -> bool:
    """Whether ``ch`` is whitespace or ASCII punctuation to every CommonMark reader (other
    punctuation and symbols are punctuation to some versions of the specification only)."""
    return ch.isspace() or ch in _ASCII_PUNCTUATION


def _reference(ch: str) -> str:
    return f"&#{ord(ch)};"


def _emphasis(text: str, marker: str) -> str:
    """``text`` (one line, escaped) between ``marker`` runs that stand at a blank or the end
    of a line, or before ``.``: blanks at either end of it are written as character
    references, since a run next to a blank on its inner side neither opens nor closes."""
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    if lead == len(text):
        return f"{marker}{''.join(map(_reference, text))}{marker}"
    head = "".join(map(_reference, text[:lead]))
    tail = "".join(map(_reference, text[trail:]))
    return f"{marker}{head}{text[lead:trail]}{tail}{marker}"


def _emphasised(items: list[tuple[str, str]]) -> str:
    """Text and emphasis joined so that CommonMark's flanking rules (and pandoc) read each
    ``*``/``**`` run as the writer means it. A run whose inner side is a letter or digit
    opens or closes whatever stands outside; one whose inner side is anything else needs
    whitespace or ASCII punctuation outside, so a letter (or other character) there is written
    as a character reference (``a&#98;*(c)*``: the run then follows ``;``). Where two
    emphases meet (``*a***b**``), the run between them must both open and close: the
    characters on either side are made ASCII punctuation the same way (``*&#97;***&#98;**``).
    Every character reads as itself."""
    texts = [markdown for _kind, markdown in items]
    kinds = [kind for kind, _markdown in items]
    # first where two emphases meet (the characters there are final once ASCII punctuation),
    # then the text around them (only text changes, so no decision is undone)
    for k in range(1, len(texts)):
        if kinds[k] != "text" and kinds[k - 1] != "text":
            last, first = texts[k - 1][-1], texts[k][0]
            if last not in _ASCII_PUNCTUATION:
                texts[k - 1] = texts[k - 1][:-1] + _reference(last)
            if first not in _ASCII_PUNCTUATION:
                texts[k] = _reference(first) + texts[k][1:]
    for k, kind in enumerate(kinds):
        if kind == "text":
            continue
        if k > 0 and kinds[k - 1] == "text" and texts[k - 1] and not texts[k][0].isalnum():
            last = texts[k - 1][-1]
            if not _safe(last):
                texts[k - 1] = texts[k - 1][:-1] + _reference(last)
        after = k + 1
        if after < len(texts) and kinds[after] == "text" and texts[after]:
            first = texts[after][0]
            if not texts[k][-1].isalnum() and not _safe(first):
                texts[after] = _reference(first) + texts[after][1:]
    return "".join(
        text if kind == "text" else f"{_MARKER[kind]}{text}{_MARKER[kind]}"
        for kind, text in zip(kinds, texts, strict=True)
    )


def _contents(entries: Sequence[ContentsEntry]) -> list[str]:
    """The contents as a list of links to the headings, nested two blanks a level (each
    heading isolated, as a table's labels are)."""
    return [
        f"{'  ' * (depth - 1)}- [{escape(isolate(e.text), breaks=False, inline=True)}](#{e.anchor})"
        for e, depth in zip(entries, nesting(e.level for e in entries), strict=True)
    ]


def _row(cells: list[str]) -> str:
    """One line of a pipe table (an empty cell is two blanks between its pipes)."""
    return "| " + " | ".join(cells) + " |"


def linked(plan: NotePlan) -> frozenset[str]:
    """The anchors a link of the file leads to, which carry their id (``{#sec-1}``): each
    cross-reference's whose wording is one line, and every heading's when the brief has a
    table of contents."""
    found = {
        seg.ref
        for ps in plan.sentences
        for seg in ps.segments
        if seg.ref is not None and one_line(seg.text)
    }
    for block in plan.blocks:
        if isinstance(block, ContentsBlock):
            found.update(e.anchor for e in block.entries)
    return frozenset(found)


class _Writer(PlanVisitor[str]):
    def __init__(self, plan: NotePlan) -> None:
        self.analysis = plan.labels["analysis"]  # in the brief's language
        self.locale = plan.locale
        self.linked = linked(plan)

    def _id(self, anchor: str) -> str:
        """The id attribute of what ``anchor`` names, when a link leads to it."""
        return f"{{#{anchor}}}" if anchor in self.linked else ""

    def visit_ContentsBlock(self, b: ContentsBlock) -> str:
        label = _emphasis(escape(b.label, breaks=False, inline=True), "**")
        return "\n\n".join([label, "\n".join(_contents(b.entries))] if b.entries else [label])

    def visit_ImageBlock(self, b: ImageBlock) -> str:
        data = base64.b64encode(b.data).decode("ascii")  # the bytes as they are
        alt = escape(isolate(b.alt), breaks=False, inline=True)
        caption = escape(b.label(self.locale), breaks=False)
        caption += " " + _sentence(b.caption, self.analysis, inline=True)
        return f"![{alt}](data:{b.media_type};base64,{data}){self._id(b.anchor)}\\\n{caption}"

    def visit_TitleBlock(self, b: TitleBlock) -> str:
        out = [f"# {escape(b.title, breaks=False)}"]
        if b.subtitle:
            out.append(_emphasis(escape(b.subtitle, breaks=False, inline=True), "*"))
        byline = escape(b.byline, breaks=False) if b.byline else ""
        if byline:
            out.append(byline)
        return "\n\n".join(out)

    def visit_HeadingBlock(self, b: HeadingBlock) -> str:
        attribute = self._id(b.anchor)
        text = escape(b.text, breaks=False)
        return f"{'#' * min(6, b.level + 1)} {text}{' ' + attribute if attribute else ''}"

    def visit_ParagraphBlock(self, b: ParagraphBlock) -> str:
        return " ".join(_sentence(s, self.analysis) for s in b.sentences)

    def visit_ListBlock(self, b: ListBlock) -> str:
        return "\n".join(f"- {_sentence(s, self.analysis)}" for s in b.items)

    def visit_QuoteBlock(self, b: QuoteBlock) -> str:
        lines = _sentence(b.sentence, self.analysis).split("\n")
        if b.attribution:
            lines += ["", f"— {escape(b.attribution, breaks=False)}"]
        return "\n".join(f"> {line}".rstrip() for line in lines)

    def visit_TableBlock(self, b: TableBlock) -> str:
        span = f" []{self._id(b.anchor)}" if b.anchor in self.linked else ""
        lines = [
            f"Table: {escape(b.label(self.locale), breaks=False)}{span}",
            "",
            _row([escape(isolate(label), breaks=False) for label in b.header]),
            "|" + "|".join(RULE[align] for align in b.align) + "|",
        ]
        lines.extend(_row([self._cell(cell) for cell in row]) for row in b.rows)
        return "\n".join(lines)

    def _cell(self, cell: TableCell) -> str:
        """A cell's text on one line: a line break in it is a space (see the docstring)."""
        if cell.sentence is not None:
            return _sentence(cell.sentence, self.analysis, breaks=False)
        return escape(isolate(cell.text), breaks=False)

    def visit_BibliographyBlock(self, b: BibliographyBlock) -> str:
        # one paragraph per entry, as the style wrote it (its URL is text, not a link)
        return "\n\n".join(escape(entry.text, breaks=False) for entry in b.entries)

    def visit_SourcesBlock(self, b: SourcesBlock) -> str:
        rows = []
        for n, entry in enumerate(b.entries, 1):
            text = f"{n}. {_emphasis(escape(entry.title, breaks=False), '**')}"
            details = source_details(entry.source.meta, self.locale)
            if details:
                text += ". " + escape(details, breaks=False)
            text += ". " + escape(entry.record, breaks=False)
            if entry.url:
                text += f" <{entry.url}>"
            rows.append(text)
        return "\n".join(rows)


def manifest_comment(plan: NotePlan) -> str:
    """The provenance manifest as an HTML comment. The JSON is ASCII on one line, and each
    ``--`` (only ever inside a JSON string) is written ``-\\u002d``, so the comment cannot end
    early."""
    data = json.dumps(_manifest.build(plan).to_json(), ensure_ascii=True, separators=(",", ":"))
    safe = data.replace("--", "-\\u002d")
    return f"{MANIFEST_COMMENT}\n{safe}\n-->"


def _cites(note: Note) -> str:
    """The comment that carries ``note``'s citations."""
    return cites_comment(
        (c.excerpt.source.id, c.position.start, c.position.end) for c in note.citations
    )


def render(plan: NotePlan) -> str:
    parts = _Writer(plan).walk(plan)
    notes = [f"[^{n.number}]: {escape(n.text, breaks=False)} {_cites(n)}" for n in plan.notes]
    body = "\n\n".join(parts)
    if notes:
        body += "\n\n" + "\n".join(notes)
    return f"{body}\n\n{manifest_comment(plan)}\n"


class MarkdownExporter:
    name = "md"
    suffixes = (".md", ".markdown")
    media_type = "text/markdown; charset=utf-8"
    description = "Markdown with [^n] footnotes"

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(render(plan).encode("utf-8"))
