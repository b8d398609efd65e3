"""The ``md`` exporter: Markdown with ``[^n]`` footnotes (pandoc and GitHub read them as notes).

All brief and source text is escaped, so nothing in it is read as Markdown, HTML, a pandoc
citation (``@key``), math (``$``) or smart punctuation (``--``, ``...``, straight quotes) —
nor as a link that a renderer makes by itself out of bare text: the extended autolinks of
GitHub Flavored Markdown (``www.``, ``https://``, e-mail addresses) and the fuzzy links of
linkify (``evil.com``). For those a backslash goes before the first of two slashes
(``https:\\//``), before the dot after ``www`` and before each dot that leads into something
a linker takes for a top-level domain (two letters, ``com``, ``org`` …); a backslash before
ASCII punctuation shows nothing, so the text reads as it did.
Characters XML cannot hold get their one-for-one stand-in; every newline style becomes a hard
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
"""

from __future__ import annotations

import json
import re
from typing import BinaryIO

from briefkit import manifest as _manifest
from briefkit._text import display, split_lines
from briefkit._typography import isolate
from briefkit.formats.markdown._container import MANIFEST_COMMENT, RULE, cites_comment
from briefkit.plan import (
    BibliographyBlock,
    HeadingBlock,
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
    r"[\\`*_\[\]<>&#|~^$@{}\"'!]|-(?=-)|\.(?=\.)|(?<=\.)\."
    # what would make a bare link: "//" (a scheme's or a protocol-relative one), "www.", and
    # a dot before a top-level domain that ends a host name
    r"|/(?=/)|(?<=[Ww]{3})\.|(?<=[^\W_])\.(?=(?i:[a-z]{2}|" + _TLDS + r")(?![^\W_]))"
)
_LINE_START = re.compile(r"([ \t]*)(?:([+\-=:])|(\d+)([.)]))")
#: pandoc's fancy list markers: "a)", "(iv)", "B.", "(1)" followed by a blank or the end
_FANCY_LIST = re.compile(r"(\()?([A-Za-z]|[ivxlcdmIVXLCDM]+|\d+)[.)](?=[ \t]|\Z)")
#: a paragraph that starts so is a table's caption to pandoc
_CAPTION = re.compile(r"[Tt]able(?=:)")


def _escape_line(line: str) -> str:
    out = _SPECIAL.sub(lambda m: "\\" + m.group(), display(line))
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


def escape(text: str, *, breaks: bool = True) -> str:
    """Escape ``text`` for Markdown; newlines become hard breaks (or spaces)."""
    lines = [_escape_line(line) for line in split_lines(text)]
    if breaks:
        return "\\\n".join(lines)
    joined = " ".join(lines)
    if joined.startswith(" "):  # an empty first line: the spaces must not start the line
        rest = joined.lstrip(" ")
        return "&#32;" * (len(joined) - len(rest)) + rest
    return joined


def _sentence(ps: PlannedSentence, analysis: str, *, breaks: bool = True) -> str:
    label = f"*{escape(analysis, breaks=False)}:* " if ps.analysis else ""
    mark = f"[^{ps.note}]" if ps.note is not None else ""
    return label + escape(ps.text, breaks=breaks) + mark


def _row(cells: list[str]) -> str:
    """One line of a pipe table (an empty cell is two blanks between its pipes)."""
    return "| " + " | ".join(cells) + " |"


class _Writer(PlanVisitor[str]):
    def __init__(self, plan: NotePlan) -> None:
        self.analysis = plan.labels["analysis"]  # in the brief's language
        self.locale = plan.locale

    def visit_TitleBlock(self, b: TitleBlock) -> str:
        out = [f"# {escape(b.title, breaks=False)}"]
        if b.subtitle:
            out.append(f"*{escape(b.subtitle, breaks=False)}*")
        byline = " · ".join(escape(x, breaks=False) for x in (b.author, b.date_text) if x)
        if byline:
            out.append(byline)
        return "\n\n".join(out)

    def visit_HeadingBlock(self, b: HeadingBlock) -> str:
        return f"{'#' * min(6, b.level + 1)} {escape(b.text, breaks=False)}"

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
        lines = [
            f"Table: {escape(b.label(self.locale), breaks=False)}",
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
            text = f"{n}. **{escape(entry.source.title, breaks=False)}**"
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
