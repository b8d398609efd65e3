"""Read a briefkit Markdown file back as a reader of the rendered file sees it.

The file is split into three parts: the body, the footnote definitions (``[^n]: …`` with the
lines that continue them, as pandoc reads them) and the trailing comment that holds the
provenance manifest (exactly one, at the very end). A footnote definition may end in a comment
that carries the note's citations (``<!-- cites: SOURCE:START-END … -->``, exactly as
:mod:`._container` describes it); it is not part of the note's text, and its citations are
read into :attr:`MarkdownContents.note_cites`.

The body becomes :attr:`MarkdownContents.shown`: its visible text in reading order, with the
writer's own markup (ATX headings, ``- `` and ``1. `` items, ``>`` block quotes, emphasis,
``[^n]`` note marks, links to web pages, pipe tables and their ``Table:``
captions, images ``![alt](source)``, links to an anchor of the file ``[text](#sec-1)``, the
id attributes ``{#sec-1}`` that end a heading or follow an image and the empty spans
``[]{#table-1}``, and the nested items of a list, two blanks a level) turned into structure
tokens (see :func:`token`) and backslash escapes undone;
every character of it knows where it stands in the file. A footnote's visible text is its
definition and continuation lines joined by spaces, escapes undone.

*Emphasis and links to web pages.* The runs of ``*`` and ``_`` of a line are paired as
CommonMark pairs them (its flanking rules, Unicode punctuation and symbols counting as
punctuation, and its "process emphasis" procedure): each pair is an :data:`EM` or
:data:`STRONG` token on either side of what it emphasises; what is left of a run is shown as
itself and is a finding. A link to a web page, an autolink ``<https://…>`` (or ``http``,
``mailto``) or an inline link ``[text](<address>)`` (or ``[text](address)``), is
:func:`href` and :func:`href_close` around its text, the address with its backslash escapes
and character references undone. A numeric character reference reads as its code point, as
CommonMark reads it (not as HTML remaps ``&#128;``–``&#159;``); one right beside a run of
``*`` is the writer's (it makes the run open or close) and no finding. In a footnote or an
image's alt text, a run of ``*`` or ``_`` and a link are findings (``emphasis``, ``link``).

*Tables.* A line that starts with ``|``, followed by an alignment row of as many cells
(GitHub's rule), starts a pipe table; each following line that starts with ``|`` is a row
(a line that does not ends the table, as in pandoc). Cells are split at each ``|`` not
escaped by a backslash; each row is :data:`TABLE_ROW`, each cell :data:`HEADER_CELL` or
:data:`CELL` and its text (its blanks are layout). A paragraph that starts with ``Table:``
(or ``table:``) right before or after a table is its caption: :data:`CAPTION`, then its
text. Each table's alignments and row widths are in :attr:`MarkdownContents.tables`; a row
with more cells than the header is a finding (renderers drop the cells past the header's).

*Images.* An image ``![alt](source)`` (the source holds no blank and at most one level of
balanced parentheses, as pandoc reads it), optionally followed by ``{#figure-N}``, is
:data:`IMAGE` in the visible text (and the id's token); its offset, alt text (escapes undone;
any markup in it is a finding) and source are in :attr:`MarkdownContents.images`, for the
checker to compare with the manifest's image. Only the body holds images and links: in a
footnote, ``!`` and ``[`` are findings.

Anything the writer never produces and that a renderer would hide or read as markup is a
:class:`Finding`: an HTML comment other than the manifest and a cites comment that ends a
footnote definition (one that stands anywhere else is a finding too), raw HTML, code blocks
and code spans, link reference definitions, indented lines, setext underlines and rules,
character references (but for blanks that start a line, the C1 controls U+0091–U+0094, which
pandoc's smart punctuation would read as quotation marks, and those beside a run of ``*``),
raw control characters, and — since the writer escapes every special
character of its data — any unescaped special character.
"""

from __future__ import annotations

import bisect
import html
import os
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import attrs

from briefkit import manifest as _manifest
from briefkit.errors import ManifestError, ReadError
from briefkit.formats._lazy import read_only
from briefkit.formats.html._anchors import HEADING_ANCHOR, REF_ANCHOR
from briefkit.formats.html.reader import decode_utf8, read_limited
from briefkit.formats.markdown._container import CITES_COMMENT, MANIFEST_COMMENT, decode_cite
from briefkit.manifest import Manifest

__all__ = [
    "CAPTION",
    "CELL",
    "EM",
    "HEADER_CELL",
    "HEADING_END",
    "IMAGE",
    "ITEM",
    "MAX_FINDINGS",
    "MAX_MARKDOWN_BYTES",
    "ORDERED",
    "QUOTE",
    "STRONG",
    "TABLE_ROW",
    "Finding",
    "MarkdownContents",
    "MarkdownImage",
    "MarkdownTable",
    "anchor",
    "heading",
    "href",
    "href_close",
    "item",
    "link_close",
    "link_open",
    "mark",
    "read_markdown",
    "readable",
    "reference",
    "span_anchor",
    "token",
    "unescape",
]

MAX_MARKDOWN_BYTES = 512 * 1024 * 1024
#: How many findings the reader records one by one; the rest are counted in one last finding,
#: so that a file of nothing but odd markup is reported in bounded time and memory.
MAX_FINDINGS = 1000

_COMMENT_START = MANIFEST_COMMENT.rsplit(" ", 1)[0]  # any version
_COMMENT = re.compile(re.escape(_COMMENT_START) + r" v(\d+)\r?\n(.*?)\r?\n-->\s*\Z", re.S)
# a backslash escape (any ASCII punctuation) or a character reference
_ESCAPE = r"\\([!-/:-@\[-`{-~])|(&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});)"
_UNESCAPE = re.compile(_ESCAPE)

# -- structure tokens ------------------------------------------------------------------------

_OPEN, _CLOSE = "\x02", "\x03"
_TOKEN = re.compile("\x02([^\x03]*)\x03")


def token(name: str) -> str:
    """A structure token in :attr:`MarkdownContents.shown`. Raw control characters of a file
    are never shown as themselves (each is a finding and reads as U+FFFD), so no text of the
    file can forge a token."""
    return f"{_OPEN}{name}{_CLOSE}"


def heading(level: int) -> str:
    """The token that starts an ATX heading of ``level`` (1–6)."""
    return token(f"h{level}")


def mark(label: str) -> str:
    """The token of a note mark ``[^label]`` whose note is defined."""
    return token(f"^{label}")


def item(depth: int) -> str:
    """The token that starts a ``- `` list item nested ``depth`` lists deep (1: not nested;
    a nested item is indented two blanks a level)."""
    return ITEM if depth <= 1 else token(f"li{depth}")


def anchor(name: str) -> str:
    """The token of an id attribute ``{#name}`` that ends a heading or follows an image."""
    return token(f"id={name}")


def span_anchor(name: str) -> str:
    """The token of an empty span with an id, ``[]{#name}`` (it ends a table's caption)."""
    return token(f"span={name}")


def link_open(name: str) -> str:
    """The token that opens a link to ``#name`` (``[``)."""
    return token(f"a={name}")


def link_close(name: str) -> str:
    """The token that closes a link to ``#name`` (``](#name)``)."""
    return token(f"/a={name}")


def href(url: str) -> str:
    """The token that opens a link to the web page ``url`` (``[`` or ``<``)."""
    return token(f"href={url}")


def href_close(url: str) -> str:
    """The token that closes a link to the web page ``url`` (``](<url>)`` or ``>``)."""
    return token(f"/href={url}")


HEADING_END = token("/h")  # ends a heading
ITEM = token("li")  # starts a "- " list item
IMAGE = token("img")  # an image "![alt](source)": its alt and source are in ``images``
ORDERED = token("ol")  # starts a "1. " list item (its number follows as text)
QUOTE = token("q")  # starts a block quote
EM = token("em")  # "*"
STRONG = token("strong")  # "**"
CAPTION = token("caption")  # "Table: ", the start of a table's caption
TABLE_ROW = token("tr")  # starts a row of a pipe table (the header row too)
HEADER_CELL = token("th")  # starts a cell of a pipe table's header row
CELL = token("td")  # starts a cell of a pipe table's body row

_READABLE = {
    "li": "- ",
    "ol": "",
    "q": "> ",
    "em": "*",
    "strong": "**",
    "<": "<",
    ">": ">",
    "caption": "Table: ",
    "tr": "",
    "th": "| ",
    "td": "| ",
}


def _readable_token(m: re.Match[str]) -> str:
    name = m.group(1)
    if name.startswith("^"):
        return f"[{name}]"
    if name[:1] == "h" and name[1:].isdigit():
        return "#" * int(name[1:]) + " "
    if name[:2] == "li" and name[2:].isdigit():
        return "  " * (int(name[2:]) - 1) + "- "
    kind, _, value = name.partition("=")
    shown = {
        "id": f" {{#{value}}}",
        "span": f" []{{#{value}}}",
        "a": "[",
        "/a": f"](#{value})",
        "href": "[",
        "/href": f"](<{value}>)",
    }
    if value and kind in shown:
        return shown[kind]
    if name == "img":
        return "![…](…)"
    return _READABLE.get(name, "")


def readable(text: str) -> str:
    """``text`` with its structure tokens written as the Markdown they stand for."""
    return _TOKEN.sub(_readable_token, text)


# -- results -----------------------------------------------------------------------------------


@attrs.frozen
class Finding:
    """Something in the file that the writer never writes. ``start``/``end`` are offsets
    (code points) into the file's text; ``note`` is the label of the footnote it stands in."""

    code: str
    what: str
    start: int
    end: int
    note: str | None = None


@attrs.frozen
class MarkdownTable:
    """A pipe table of the body: where it starts (an offset into the file's text), each
    column's alignment as its alignment row gives it (``left``, ``center``, ``right`` or
    ``default``), how many cells its header row has and how many each body row has."""

    offset: int
    align: tuple[str, ...]
    width: int
    rows: tuple[int, ...]


@attrs.frozen
class MarkdownImage:
    """An image ``![alt](source){#id}`` of the body: where it starts (an offset into the
    file's text), its alt text as a reader sees it (escapes undone), its source as written
    and its id (``None`` without one)."""

    offset: int
    alt: str
    src: str
    id: str | None


@attrs.frozen
class MarkdownContents:
    manifest: Manifest | None
    #: note label ("1") -> visible text (the last definition of a label)
    notes: Mapping[str, str] = attrs.field(converter=read_only)
    marks: tuple[str, ...]  # labels of the note marks in the body, in order
    duplicate_notes: tuple[str, ...] = ()  # labels defined more than once
    shown: str = ""  # the body as a reader sees it, with structure tokens
    #: for each character of ``shown``: its offset in the file (a compact, read-only sequence)
    where: Sequence[int] = ()
    findings: tuple[Finding, ...] = ()
    definitions: tuple[tuple[str, int], ...] = ()  # (label, offset) of each note definition
    line_starts: tuple[int, ...] = (0,)
    #: note label -> the citations its cites comment carries, ``SOURCE:START-END`` each (a
    #: note without one is not in it)
    note_cites: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=read_only)
    tables: tuple[MarkdownTable, ...] = ()  # the body's pipe tables, in order
    images: tuple[MarkdownImage, ...] = ()  # the body's images, in order

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a file offset."""
        k = bisect.bisect_right(self.line_starts, offset) - 1
        return k + 1, offset - self.line_starts[k] + 1


def _unescape_match(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    return reference(m.group(2))


def reference(ref: str) -> str:
    """The character a character reference ``&…;`` stands for, as CommonMark reads it: a
    numeric one is its code point as it is (not remapped as HTML remaps ``&#145;``), U+FFFD
    for 0, a surrogate or beyond U+10FFFF; a named one as HTML names it."""
    if ref[1:2] != "#":
        return html.unescape(ref)
    n = int(ref[3:-1], 16) if ref[2:3] in "xX" else int(ref[2:-1])
    return "\ufffd" if n == 0 or 0xD800 <= n < 0xE000 or n > 0x10FFFF else chr(n)


_REFERENCE_CHAIN = re.compile(r"(?:&#[0-9]+;)+")


def _blank_chain(text: str, start: int) -> tuple[int, bool]:
    """Where the chain of numeric references that starts at ``start`` ends, and whether it
    is a run of blanks written beside an emphasis marker: the writer's way of keeping blanks
    at the inner side of a run (``*x&#160;&#32;*``)."""
    run = _REFERENCE_CHAIN.match(text, start)
    if run is None:
        return start + 1, False
    beside = text[start - 1 : start] == "*" or text[run.end() : run.end() + 1] == "*"
    blank = all(reference(r).isspace() for r in re.findall(r"&#[0-9]+;", run.group()))
    return run.end(), beside and blank


def unescape(text: str) -> str:
    """Markdown text as a reader sees it: backslash escapes and character references undone."""
    return _UNESCAPE.sub(_unescape_match, text)


def _split_manifest(text: str, label: str) -> tuple[str, Manifest | None, str]:
    at = text.rfind(_COMMENT_START)
    if at == -1 or (at and text[at - 1] not in "\r\n"):
        return text, None, ""
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
    return text[:at], manifest, m.group(2)


# -- reading -----------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HIDDEN = "\x00"  # stands for each character of an HTML comment in the working copy
_BREAKS = re.compile(r"\r\n|\r|\n")
_BLANK = re.compile("[ \t\x00]*")

# a label holds no "[": a failed "[^" never scans past the next "[" (linear on "[^[^[^…")
_DEFINITION = re.compile(r"\[\^([^\]\[\s]+)\]:[ \t]?")
_HEADING = re.compile(r"(#{1,6})(?:[ \t]+|\Z)")
#: a paragraph that starts so is the caption of the table next to it (pandoc)
_CAPTION = re.compile(r"[Tt]able:[ \t]?")
#: a cell of a pipe table's alignment row
_RULE_CELL = re.compile(r"[ \t]*(:)?-+(:)?[ \t]*")
_ITEM = re.compile(r"-(?:[ \t]+|\Z)")
#: a nested item of a list: two blanks a level (the table of contents)
_NESTED = re.compile(r"((?:  ){1,63})-(?:[ \t]+|\Z)")
#: the id attribute that ends a heading the file links to (after a blank)
_HEADING_ID = re.compile(f"\\{{#({HEADING_ANCHOR.pattern})\\}}")


def _heading_id(text: str) -> tuple[int, str] | None:
    """Where the blanks and the id attribute that end a heading's ``text`` start, and the id
    (``None`` when the heading does not end in one). Looked for from the end: linear."""
    kept = text.rstrip(" \t")
    at = kept.rfind("{")
    m = _HEADING_ID.fullmatch(kept, at) if at > 0 else None
    if m is None or kept[at - 1] not in " \t":
        return None
    return len(kept[:at].rstrip(" \t")), m.group(1)


_ORDERED = re.compile(r"(\d{1,9})\.(?:[ \t]+|\Z)")
_QUOTE = re.compile(r">[ \t]?")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_REFERENCE = re.compile(r"\[(?!\^)[^\]]*\]:")
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*\Z")
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*\Z")
# what the writer escapes at the start of a line: list, setext, definition and table markers
_LINE_START = re.compile(
    r"[+\-=:]|\*(?=[ \t]|\Z)|\d+[.)]|\(?(?:[A-Za-z]|[ivxlcdmIVXLCDM]+|\d+)[.)](?=[ \t]|\Z)"
)

#: what a link's text or an image's alt text may hold: escapes and anything but brackets
_BRACKETED = r"(?:\\[!-/:-@\[-`{-~]|[^\[\]\\]++)*+"
_INLINE = re.compile(
    r"(?P<esc>\\(?P<ch>[!-/:-@\[-`{-~])?)"
    r"|(?P<ref>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});)"
    r"|(?P<delim>\*+|_+)"
    r"|(?P<image>!\[(?P<alt>" + _BRACKETED + r")\]\((?P<src>(?:[^()\s<>]++|\([^()\s<>]*+\))*+)\)"
    r"(?:\{#(?P<image_id>figure-\d{1,9})\})?)"
    r"|(?P<reflink>\[(?P<linked>"
    + _BRACKETED
    + r")\]\(#(?P<to>"
    + f"(?:table|figure)-\\d{{1,9}}|{HEADING_ANCHOR.pattern}"
    + r")\))"
    r"|(?P<xlink>\[(?P<xtext>" + _BRACKETED + r")\]\((?:<(?P<adest>[^<>\s]*)>"
    r"|(?P<bdest>(?:[^\s()<>\\#]|\\[!-/:-@\[-`{-~])(?:[^\s()<>\\]|\\[!-/:-@\[-`{-~]"
    r"|\((?:[^\s()<>\\]|\\[!-/:-@\[-`{-~])*\))*))\))"
    r"|(?P<span>\[\]\{#(?P<span_id>" + REF_ANCHOR.pattern + r")\})"
    r"|(?P<mark>\[\^(?P<label>[^\]\[\s]+)\])"
    r"|(?P<link><(?P<url>(?:[Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:)"
    r"[!#-;=?-\[\]_a-zA-Z~]+)>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:[ \t/][^<>]*)?>|<![A-Za-z\[][^<>]*>|<\?[^<>]*\?>)"
    r"|(?P<code>`+)"
    r"|(?P<dashes>--+)|(?P<dots>\.\.+)"
    r"|(?P<special>[&<>\[\]_#|~^$@{}\"'!])"
    r"|(?P<hidden>\x00+)"
)
#: Every character an ``_INLINE`` match can start with: searching for one of these first and
#: matching ``_INLINE`` there is the same search, an order of magnitude faster on plain text.
_CANDIDATE = re.compile(r"[\\&*\[\]<>`\-._#|~^$@{}\"'!\x00]")
_WHITESPACE_REFS = {"&#32;", "&#9;"}
#: the C1 controls the writer writes as character references (pandoc would read them raw as
#: quotation marks)
_C1_QUOTES = "\x91\x92\x93\x94"


def _next_inline(text: str, pos: int) -> re.Match[str] | None:
    """``_INLINE.search(text, pos)``."""
    while (candidate := _CANDIDATE.search(text, pos)) is not None:
        m = _INLINE.match(text, candidate.start())
        if m is not None:
            return m
        pos = candidate.start() + 1
    return None


_START, _PARA, _LIST, _QUOTED, _NOTE, _NOTE_BLANK, _CODE, _FENCED, _TABLE_RULE, _TABLE = range(10)


def _closes(fence: str, line: str) -> bool:
    """Whether ``line`` closes a code block opened by ``fence``."""
    bare = line.strip(" \t")
    return bare.startswith(fence) and not bare.strip(fence[0])


class _Closers:
    """Which lines could close a code block: answers "does a line after line ``index`` close
    ``fence``?" by lookup (a scan of the rest of the file for each fence that never closes
    would be quadratic)."""

    def __init__(self, lines: Sequence[tuple[int, str]]) -> None:
        #: fence character -> the indexes of the lines of only that character (at least three,
        #: blanks aside), and the longest such line from each on
        self._at: dict[str, list[int]] = {"`": [], "~": []}
        lengths: dict[str, list[int]] = {"`": [], "~": []}
        for index, (_offset, line) in enumerate(lines):
            bare = line.strip(" \t")
            if len(bare) >= 3 and bare[0] in "`~" and not bare.strip(bare[0]):
                self._at[bare[0]].append(index)
                lengths[bare[0]].append(len(bare))
        self._longest: dict[str, list[int]] = {}
        for ch, found in lengths.items():
            longest = found[:]
            for k in range(len(longest) - 2, -1, -1):
                longest[k] = max(longest[k], longest[k + 1])
            self._longest[ch] = longest

    def closed(self, fence: str, index: int) -> bool:
        """Whether a line after line ``index`` closes the code block ``fence`` opens."""
        at = self._at[fence[0]]
        k = bisect.bisect_right(at, index)
        return k < len(at) and self._longest[fence[0]][k] >= len(fence)


class _Found(list[Finding]):
    """The findings, the first :data:`MAX_FINDINGS` of them one by one (the rest counted)."""

    left_off = 0

    def append(self, found: Finding, /) -> None:
        if len(self) < MAX_FINDINGS:
            super().append(found)
        else:
            self.left_off += 1

    def extend(self, found: Iterable[Finding], /) -> None:
        for one in found:
            self.append(one)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.replace(_HIDDEN, "").split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _columns(blanks: str) -> int:
    cols = 0
    for ch in blanks:
        cols = cols + 4 - cols % 4 if ch == "\t" else cols + 1
    return cols


@attrs.define
class _Definition:
    label: str
    start: int
    parts: list[tuple[str, int]] = attrs.Factory(list)


@attrs.define
class _TableBuild:
    offset: int
    align: tuple[str, ...] = ()
    width: int = 0
    rows: list[int] = attrs.Factory(list)


def _cells(line: str, offset: int) -> list[tuple[str, int]]:
    """The cells of a pipe table row that starts with ``|``: each one's text and offset. A
    backslash escapes the character after it (``\\|`` is a pipe in a cell); text after the
    last pipe is a cell when it is not blank."""
    cells: list[tuple[str, int]] = []
    start = i = 1
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "|":
            cells.append((line[start:i], offset + start))
            start = i + 1
        i += 1
    if line[start:].strip(" \t" + _HIDDEN):
        cells.append((line[start:], offset + start))
    return cells


def _table_follows(lines: Sequence[tuple[int, str]], index: int) -> bool:
    """Whether a pipe table starts right after the paragraph that starts at line ``index``
    (blank lines between): then a ``Table:`` paragraph is its caption. Only a paragraph that
    starts with ``Table:`` is looked past, once: linear in the file."""
    if not _CAPTION.match(lines[index][1]):
        return False
    j = index + 1
    while j < len(lines) and not _BLANK.fullmatch(lines[j][1]):
        j += 1
    while j < len(lines) and _BLANK.fullmatch(lines[j][1]):
        j += 1
    if j + 1 >= len(lines) or not lines[j][1].startswith("|"):
        return False
    rule = _alignments(lines[j + 1][1].lstrip(" \t"))
    return rule is not None and len(rule) == len(_cells(lines[j][1], 0))


def _alignments(line: str) -> list[str] | None:
    """The alignment of each column an alignment row gives (``left``, ``center``,
    ``right``, or ``default`` for ``---``), or ``None`` when ``line`` is not one."""
    if not line.startswith("|"):
        return None
    cells = _cells(line, 0)
    found = []
    for text, _at in cells:
        m = _RULE_CELL.fullmatch(text)
        if m is None:
            return None
        left, right = bool(m.group(1)), bool(m.group(2))
        found.append(
            "center" if left and right else "left" if left else "right" if right else "default"
        )
    return found or None


class _Reader:
    def __init__(self, body: str) -> None:
        self.findings = _Found()
        self.tables: list[_TableBuild] = []
        self.images: list[MarkdownImage] = []
        #: the end of each comment that reads as a note's cites comment -> its start and
        #: citations (see ``_container``); only one that ends a footnote definition is one
        self.cites_comments: dict[int, tuple[int, str]] = {}
        #: every other comment: start, end and whether it is closed (each a finding, made
        #: once the footnote definitions it may stand in are known)
        self.comments: list[tuple[int, int, bool]] = []
        self.body = body
        self.text = self._working_copy(body)
        # pass 1: blocks; the body's lines become segments, the notes' lines definitions
        self.segments: list[tuple[str, str, int]] = []  # (kind, text, offset)
        self.definitions: list[_Definition] = []
        self._blocks()
        # pass 2: inline text
        self.labels = {d.label for d in self.definitions}
        self.shown: list[str] = []
        self.where = array("q")  # 8 bytes a character, not a list of int objects
        self.marks: list[str] = []
        self._body()

    # -- the working copy ------------------------------------------------------------------------

    def _working_copy(self, body: str) -> str:
        """``body`` with raw control characters as U+FFFD and the characters of HTML comments
        as ``_HIDDEN`` (line breaks kept), each a finding (a comment's once the footnote
        definitions are known, unless it is the cites comment that ends one); offsets are
        unchanged."""
        for m in _CONTROL.finditer(body):
            self.findings.append(
                Finding(
                    "markup",
                    f"a raw control character U+{ord(m.group()):04X}",
                    m.start(),
                    m.end(),
                )
            )
        text = _CONTROL.sub("\ufffd", body)
        out: list[str] = []
        pos = 0
        at = text.find("<!--")
        while at >= 0:
            backslashes = 0
            while at - backslashes > 0 and text[at - backslashes - 1] == "\\":
                backslashes += 1
            if backslashes % 2:  # an escaped "<"
                at = text.find("<!--", at + 1)
                continue
            end = text.find("-->", at + 4)
            closed = "" if end >= 0 else ", never closed"
            end = len(text) if end < 0 else end + 3
            cites = CITES_COMMENT.fullmatch(text, at, end)
            if cites is not None:  # a finding unless it ends a footnote definition
                self.cites_comments[end] = (at, cites.group(1))
            else:
                self.comments.append((at, end, not closed))
            out.append(text[pos:at])
            out.append(re.sub(r"[^\r\n]", _HIDDEN, text[at:end]))
            pos = end
            at = text.find("<!--", end)
        out.append(text[pos:])
        return "".join(out)

    def _comment_findings(self) -> None:
        """A finding for each comment but the cites comments that end footnote definitions,
        with the note it stands in."""
        spans = sorted(
            (offset, offset + len(text), d.label)
            for d in self.definitions
            for text, offset in d.parts
        )
        starts = [a for a, _b, _label in spans]
        comments = [*self.comments, *((a, b, True) for b, (a, _) in self.cites_comments.items())]
        for start, end, closed in comments:
            k = bisect.bisect_right(starts, start) - 1
            note = spans[k][2] if k >= 0 and start < spans[k][1] else None
            self.findings.append(
                Finding(
                    "hidden-text",
                    f"an HTML comment{'' if closed else ', never closed'}, which renderers do not "
                    f"show: {_short(_CONTROL.sub(chr(0xFFFD), self.body[start:end]))}",
                    start,
                    end,
                    note,
                )
            )

    # -- pass 1: blocks --------------------------------------------------------------------------

    def _lines(self) -> list[tuple[int, str]]:
        lines: list[tuple[int, str]] = []
        pos = 0
        for m in _BREAKS.finditer(self.text):
            lines.append((pos, self.text[pos : m.start()]))
            pos = m.end()
        if pos < len(self.text):
            lines.append((pos, self.text[pos:]))
        return lines

    def _find(self, code: str, what: str, start: int, end: int, note: str | None = None) -> None:
        self.findings.append(Finding(code, what, start, end, note))

    def _blocks(self) -> None:
        state = _START
        fence = ""
        block = 0  # the finding of the code block being read
        first = True
        note: _Definition | None = None
        after_table = False  # the last block was a table
        lines = self._lines()
        closers = _Closers(lines)
        for index, (offset, line) in enumerate(lines):
            if state == _FENCED:
                if _closes(fence, line):
                    state = _START
                    self._extend(block, offset + len(line))
                else:
                    self.segments.append(("literal", line, offset))
                    self.segments.append(("break", "\n", offset + len(line)))
                continue
            if _BLANK.fullmatch(line):
                if line and not line.strip(" \t\x00") and _HIDDEN in line:
                    continue  # a line of comment only: it neither ends nor starts a block
                if state == _NOTE:
                    state = _NOTE_BLANK
                elif state != _CODE:
                    after_table = state in (_TABLE, _TABLE_RULE) or (
                        after_table and state == _START
                    )
                    state = _START
                continue
            stripped = line.lstrip(" \t")
            indent = _columns(line[: len(line) - len(stripped)])
            here = offset + len(line) - len(stripped)
            if state == _NOTE_BLANK:
                if indent >= 4 and note is not None:  # a further paragraph of the note
                    note.parts.append((stripped, here))
                    state = _NOTE
                    continue
                state = _START
            if state == _CODE:
                if indent >= 4:
                    self._literal(line, offset)
                    self._extend(block, offset + len(line))
                    continue
                state = _START
            if state == _TABLE_RULE:  # the alignment row, found with the header row
                self._alignment(stripped, here)
                state = _TABLE
                continue
            if state == _TABLE:
                if stripped.startswith("|") and indent < 4:
                    self._table_row(stripped, here, header=False)
                    continue
                state = _START  # a line without a leading pipe ends the table (as pandoc)
                after_table = True
            if state == _START:
                if first and line.startswith("%"):
                    self._find(
                        "hidden-text",
                        f"a title block line, which renderers take as metadata: {_short(line)}",
                        offset,
                        offset + len(line),
                    )
                    first = False
                    continue
                first = False
                if indent >= 4:
                    block = len(self.findings)
                    self._find(
                        "code",
                        "an indented code block, which renderers show as raw code",
                        offset,
                        offset + len(line),
                    )
                    self._literal(line, offset)
                    state = _CODE
                    continue
                if indent:
                    self._find(
                        "markup",
                        "blanks at the start of a block, which the writer never writes",
                        offset,
                        here,
                    )
                fenced = _FENCE.match(stripped)
                if fenced is not None and closers.closed(fenced.group(1), index):
                    state = _FENCED
                    fence = fenced.group(1)
                    block = len(self.findings)
                    self._find(
                        "code",
                        "a fenced code block, which renderers show as raw code",
                        here,
                        len(self.text),
                    )
                    continue
                if self._table_start(stripped, lines, index, here):
                    state = _TABLE_RULE
                    continue
                caption = after_table or _table_follows(lines, index)
                after_table = False
                state, note = self._block_start(stripped, here, note, caption=caption)
                continue
            # the line continues the block before it
            if state == _NOTE:
                m = _DEFINITION.match(line)
                if m is not None:
                    note = self._definition(m, offset, line)
                    continue
                assert note is not None
                note.parts.append((stripped, here))
                continue
            if state == _LIST:
                if self._item(line, offset):
                    continue
            elif state == _QUOTED:
                m = _QUOTE.match(line)
                if m is not None:
                    self._text(line[m.end() :], offset + m.end(), start=True, prefix=True)
                    continue
            elif state == _PARA and _UNDERLINE.match(line):
                self._find(
                    "markup",
                    f"a setext heading underline {line.strip()!r}, which makes the line above "
                    "a heading",
                    offset,
                    offset + len(line),
                )
                continue  # shown as no text: it makes the paragraph above a heading
            self._text(stripped, here, start=True, prefix=False)

    def _extend(self, finding: int, end: int) -> None:
        if finding < len(self.findings):  # not when it was only counted
            self.findings[finding] = attrs.evolve(self.findings[finding], end=end)

    def _literal(self, line: str, offset: int) -> None:
        """A line of an indented code block, shown as written (four columns of blanks off)."""
        cut = cols = 0
        while cut < len(line) and cols < 4 and line[cut] in " \t":
            cols = cols + 4 - cols % 4 if line[cut] == "\t" else cols + 1
            cut += 1
        self.segments.append(("literal", line[cut:], offset + cut))
        self.segments.append(("break", "\n", offset + len(line)))

    def _definition(self, m: re.Match[str], offset: int, line: str) -> _Definition:
        note = _Definition(m.group(1), offset)
        note.parts.append((line[m.end() :], offset + m.end()))
        self.definitions.append(note)
        return note

    def _table_start(
        self, line: str, lines: Sequence[tuple[int, str]], index: int, offset: int
    ) -> bool:
        """Whether ``line`` starts a pipe table: a header row of pipe-separated cells, then
        an alignment row of as many cells (GitHub's rule); if so, read the header row."""
        if not line.startswith("|") or index + 1 >= len(lines):
            return False
        rule = _alignments(lines[index + 1][1].lstrip(" \t"))
        if rule is None or len(rule) != len(_cells(line, 0)):
            return False
        self.tables.append(_TableBuild(offset))
        self._table_row(line, offset, header=True)
        return True

    def _alignment(self, line: str, offset: int) -> None:
        found = _alignments(line)
        assert found is not None  # as _table_start saw it
        self.tables[-1].align = tuple(found)

    def _table_row(self, line: str, offset: int, *, header: bool) -> None:
        """A row of a pipe table: a row token, then a cell token and the text of each cell
        (its blanks are layout)."""
        table = self.tables[-1]
        cells = _cells(line, offset)
        self.segments.append(("token", TABLE_ROW, offset))
        for text, at in cells:
            self.segments.append(("token", HEADER_CELL if header else CELL, at - 1))
            if text.strip(" \t"):
                self.segments.append(("text", text, at))
        if header:
            table.width = len(cells)
            return
        table.rows.append(len(cells))
        if len(cells) > table.width:
            start = cells[table.width][1] - 1
            self._find(
                "hidden-text",
                f"a table row of {len(cells)} cells under a header of {table.width}: renderers "
                f"do not show the cells past the header's ({_short(line[start - offset :])})",
                start,
                offset + len(line),
            )

    def _item(self, line: str, offset: int) -> bool:
        m = _ITEM.match(line)
        if m is not None:
            self.segments.append(("token", ITEM, offset))
            self._text(line[m.end() :], offset + m.end(), start=True, prefix=True)
            return True
        m = _NESTED.match(line)  # only ever indented inside a list: see _blocks
        if m is not None:
            depth = len(m.group(1)) // 2 + 1
            self.segments.append(("token", item(depth), offset + len(m.group(1))))
            self._text(line[m.end() :], offset + m.end(), start=True, prefix=True)
            return True
        m = _ORDERED.match(line)
        if m is not None:
            self.segments.append(("token", ORDERED, offset))
            self.segments.append(("number", f"{m.group(1)}. ", offset))
            self._text(line[m.end() :], offset + m.end(), start=True, prefix=True)
            return True
        return False

    def _block_start(
        self, line: str, offset: int, note: _Definition | None, *, caption: bool = False
    ) -> tuple[int, _Definition | None]:
        """Read the line that starts a block (``caption``: a table stands right before or
        after the block, so that ``Table:`` starts its caption)."""
        m = _DEFINITION.match(line)
        if m is not None:
            return _NOTE, self._definition(m, offset, line)
        if _REFERENCE.match(line):
            self._find(
                "hidden-text",
                f"a link reference definition, which renderers do not show: {_short(line)}",
                offset,
                offset + len(line),
            )
            return _START, note
        if _RULE.match(line):
            self._find(
                "markup",
                f"a rule {line.strip()!r} (or the start of a metadata block renderers hide)",
                offset,
                offset + len(line),
            )
            return _START, note
        m = _CAPTION.match(line) if caption else None
        if m is not None:
            self.segments.append(("token", CAPTION, offset))
            self._text(line[m.end() :], offset + m.end(), start=True, prefix=True)
            return _PARA, note
        m = _HEADING.match(line)
        if m is not None:
            self.segments.append(("token", heading(len(m.group(1))), offset))
            rest = line[m.end() :]
            attribute = _heading_id(rest)
            if attribute is not None:  # its id: the anchor a link leads to
                rest = rest[: attribute[0]]
            self._text(rest, offset + m.end(), start=True, prefix=True)
            if attribute is not None:
                at = offset + m.end() + attribute[0]
                self.segments.append(("token", anchor(attribute[1]), at))
            self.segments.append(("token", HEADING_END, offset + len(line)))
            return _START, note
        if self._item(line, offset):
            return _LIST, note
        m = _QUOTE.match(line)
        if m is not None:
            self.segments.append(("token", QUOTE, offset))
            self._text(line[m.end() :], offset + m.end(), start=True, prefix=True)
            return _QUOTED, note
        self._text(line, offset, start=True, prefix=False)
        return _PARA, note

    def _text(self, text: str, offset: int, *, start: bool, prefix: bool) -> None:
        """Queue a line's text (after any block marker) for pass 2; check its start."""
        if start:
            lead = len(text) - len(text.lstrip(" \t" + _HIDDEN))
            if prefix and text[:lead].strip(_HIDDEN):
                self._find(
                    "markup",
                    "blanks at the start of a line, which the writer never writes",
                    offset,
                    offset + lead,
                )
            m = _LINE_START.match(text, lead)
            if m is not None:
                self._find(
                    "markup",
                    f"an unescaped {m.group()!r} at the start of a line, which renderers may "
                    "read as a list, heading, table or definition marker",
                    offset + m.start(),
                    offset + m.end(),
                )
        if self.segments and self.segments[-1][0] in ("text", "literal"):
            self.segments.append(("break", "\n", offset))
        self.segments.append(("text", text, offset))

    # -- pass 2: inline text ---------------------------------------------------------------------

    def _body(self) -> None:
        for kind, text, offset in self.segments:
            if kind == "token":
                if self.shown and text not in (EM, STRONG, HEADING_END) and text[1:4] != "id=":
                    self._emit("\n", offset)  # a new block or item
                self._emit(text, offset)
            elif kind == "number":
                self._emit_run(text, offset)
            elif kind == "literal":
                self._emit_run(text.replace(_HIDDEN, " "), offset)
            elif kind == "break":
                self._emit("\n", offset)
            else:
                found = _inline(text, offset, self.labels, self.findings, images=self.images)
                for piece, at in found:
                    if piece.startswith(_OPEN) and piece[1:2] == "^":
                        self.marks.append(piece[2:-1])
                    if len(piece) == 1 or piece.startswith(_OPEN):
                        self._emit(piece, at)
                    else:
                        self._emit_run(piece, at)

    def _emit(self, piece: str, at: int) -> None:
        self.shown.append(piece)
        self.where.extend([at] * len(piece))

    def _emit_run(self, run: str, at: int) -> None:
        self.shown.append(run)
        self.where.extend(range(at, at + len(run)))

    def notes(self) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
        """Each note's visible text, and the citations its cites comment carries (a note
        without one is not in it)."""
        visible: dict[str, str] = {}
        cites: dict[str, tuple[str, ...]] = {}
        for d in self.definitions:
            carried = self._cites_comment(d)
            if carried is not None:
                cites[d.label] = carried
            else:
                cites.pop(d.label, None)  # the last definition of a label is the one shown
            parts = []
            for text, offset in d.parts:
                pieces = _inline(text, offset, None, self.findings, d.label)
                parts.append("".join(p for p, _ in pieces))
            shown = " ".join(parts)
            if d.parts[-1][0].rstrip(" \t").endswith(_HIDDEN):
                # blanks before a comment that ends the note are no more seen than the comment
                # (which is a finding of its own)
                shown = shown.rstrip(" \t")
            visible[d.label] = shown
        self._comment_findings()
        return visible, cites

    def _cites_comment(self, d: _Definition) -> tuple[str, ...] | None:
        """The citations of the cites comment that ends definition ``d`` (taken out of its
        last line, with the one space before it), if one does."""
        text, offset = d.parts[-1]
        end = offset + len(text.rstrip(" \t"))
        found = self.cites_comments.get(end)
        if found is None or found[0] < offset:
            return None
        del self.cites_comments[end]
        kept = text[: found[0] - offset]
        d.parts[-1] = (kept.removesuffix(" "), offset)
        return tuple(decode_cite(token) for token in found[1].split())


def _inline(
    text: str,
    offset: int,
    labels: set[str] | None,
    findings: _Found,
    note: str | None = None,
    images: list[MarkdownImage] | None = None,
    context: str = " in a footnote",
) -> list[tuple[str, int]]:
    """The visible pieces of one line of text: runs of characters, single characters and
    structure tokens, each with its offset in the file. ``labels`` are the defined notes
    (``None`` inside a footnote ``note`` or an image's alt text — ``context`` says which —
    where the writer writes no markup at all). An image of the body is added to
    ``images``."""
    out: list[tuple[str, int]] = []
    delims: list[_Delim] = []  # the runs of "*" and "_", paired once the line is read
    plain = labels is None
    pos = 0
    chain_end, chain_beside = 0, False  # the chain of references the last one stood in

    def find(code: str, what: str, m: re.Match[str]) -> None:
        if len(findings) >= MAX_FINDINGS:
            findings.left_off += 1  # counted only: no message built
            return
        where = context if plain else ""
        findings.append(Finding(code, what + where, offset + m.start(), offset + m.end(), note))

    while pos < len(text):
        m = _next_inline(text, pos)
        if m is None:
            out.append((text[pos:], offset + pos))
            break
        if m.start() > pos:
            out.append((text[pos : m.start()], offset + pos))
        pos = m.end()
        at = offset + m.start()
        kind = m.lastgroup
        if kind == "esc":
            if m.group("ch") is not None:
                out.append((m.group("ch"), at + 1))
            elif m.end() == len(text) and not plain:
                out.append(("\n", at))  # a hard line break
            else:
                find("markup", "a backslash that escapes nothing", m)
                out.append(("\\", at))
        elif kind == "ref":
            ref = m.group()
            # the writer writes a character as a reference next to an emphasis run, so that
            # the run opens or closes, and the blanks at either end inside a run as a chain of
            # references (see the writer's ``_emphasis`` and ``_emphasised``)
            if m.start() >= chain_end:
                chain_end, chain_beside = _blank_chain(text, m.start())
            beside = (
                chain_beside
                or text[m.start() - 1 : m.start()] == "*"
                or text[m.end() : m.end() + 1] == "*"
            )
            if (
                ref not in _WHITESPACE_REFS
                and reference(ref) not in _C1_QUOTES
                and not (beside and ref[1] == "#" and not plain)
            ):
                find("markup", f"a character reference {ref!r}", m)
            out.append((reference(ref), at))
        elif kind == "delim" and not plain:
            delims.append(_Delim(len(out), m.group(), at, *_flanking(text, m.start(), m.end())))
            out.append((m.group(), at))
        elif kind == "delim":
            find("emphasis", f"{m.group()!r}, which renderers may read as emphasis", m)
            out.append((m.group(), at))
        elif kind == "image" and not plain and images is not None:
            alt = _inline(
                m.group("alt"),
                offset + m.start("alt"),
                None,
                findings,
                note,
                None,
                " in an image's alt text",
            )
            images.append(
                MarkdownImage(at, "".join(p for p, _ in alt), m.group("src"), m.group("image_id"))
            )
            out.append((IMAGE, at))
            if m.group("image_id") is not None:
                out.append((anchor(m.group("image_id")), offset + m.start("image_id") - 2))
        elif kind == "reflink" and not plain:
            to = m.group("to")
            out.append((link_open(to), at))
            out += _inline(m.group("linked"), offset + m.start("linked"), labels, findings, note)
            out.append((link_close(to), offset + m.end("linked")))
        elif kind == "span" and not plain:
            out.append((span_anchor(m.group("span_id")), at))
        elif kind == "mark" and not plain and m.group("label") in labels:  # type: ignore[operator]
            out.append((mark(m.group("label")), at))
        elif kind == "link" and not plain:
            url = m.group("url")
            if _REFERENCE_LIKE.search(url):
                find("markup", "a character reference in an autolink, read differently", m)
            out.append((href(url), at))
            out.append((url, at + 1))
            out.append((href_close(url), offset + m.end() - 1))
        elif kind == "xlink" and not plain:
            dest = m.group("adest") if m.group("adest") is not None else m.group("bdest")
            url = unescape(dest)
            out.append((href(url), at))
            out += _inline(m.group("xtext"), offset + m.start("xtext"), labels, findings, note)
            out.append((href_close(url), offset + m.end("xtext")))
        elif kind in ("link", "xlink"):
            find("link", f"a link {_short(m.group())}", m)
            out.append((m.group(), at))
        elif kind == "tag":
            find("raw-html", f"raw HTML {_short(m.group())}, which renderers interpret", m)
        elif kind == "code":
            find("code", "a backtick, which renderers read as a code span", m)
            out.append((m.group(), at))
        elif kind == "dashes":
            find("markup", f"unescaped {m.group()!r}, which renderers make a dash", m)
            out.append((m.group(), at))
        elif kind == "dots":
            find("markup", f"unescaped {m.group()!r}, which renderers may make an ellipsis", m)
            out.append((m.group(), at))
        elif kind == "hidden":
            continue
        else:  # a special character, or markup that is out of place in a footnote or alt text
            ch = m.group()[0]
            code = "raw-html" if ch == "<" else "markup"
            find(code, f"an unescaped {ch!r}, which renderers may read as markup", m)
            out.append((ch, at))
            pos = m.start() + 1
    if delims:
        _pair(out, delims, findings, note)
    return out


#: a character reference, which CommonMark reads in an autolink and pandoc does not
_REFERENCE_LIKE = re.compile(r"&[#A-Za-z0-9]+;")


def _punctuation(ch: str) -> bool:
    """CommonMark's punctuation: ASCII punctuation, or Unicode punctuation and symbols."""
    return unicodedata.category(ch)[0] in "PS"


def _whitespace(ch: str) -> bool:
    return ch in "\t\n\f\r" or unicodedata.category(ch) == "Zs"


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the run ``text[start:end]`` of ``*`` or ``_`` can open and close emphasis
    (CommonMark's flanking rules; the start and end of the line count as whitespace)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    left = not _whitespace(after) and (
        not _punctuation(after) or _whitespace(before) or _punctuation(before)
    )
    right = not _whitespace(before) and (
        not _punctuation(before) or _whitespace(after) or _punctuation(after)
    )
    if text[start] == "*":
        return left, right
    return (
        left and (not right or _punctuation(before)),
        right and (not left or _punctuation(after)),
    )


@attrs.define
class _Delim:
    """A run of ``*`` or ``_``: where it stands in the pieces, its characters, its offset,
    whether it can open and close; what is left of it, the closing tokens at its start and
    the opening tokens at its end."""

    index: int
    run: str
    at: int
    can_open: bool
    can_close: bool
    left: int = 0
    closes: list[str] = attrs.Factory(list)
    opens: list[str] = attrs.Factory(list)

    def __attrs_post_init__(self) -> None:
        self.left = len(self.run)


def _pair(
    out: list[tuple[str, int]],
    delims: list[_Delim],
    findings: _Found,
    note: str | None,
) -> None:
    """Pair the runs of ``*`` and ``_`` of a line as CommonMark does (the "process
    emphasis" procedure, with its rule of three) and put in their place the emphasis tokens
    (:data:`EM`, :data:`STRONG`, each pair of one kind) and any characters left over (shown
    as themselves, each a finding)."""
    stack: list[_Delim] = []
    bottom: dict[tuple[str, bool, int], int] = {}
    for closer in delims:
        if closer.can_close:
            key = (closer.run[0], closer.can_open, len(closer.run) % 3)
            j = len(stack) - 1
            floor = bottom.get(key, 0)
            while closer.left and j >= floor:
                opener = stack[j]
                odd = (opener.can_close or closer.can_open) and (
                    (len(opener.run) + len(closer.run)) % 3 == 0
                    and not (len(opener.run) % 3 == 0 and len(closer.run) % 3 == 0)
                )
                if opener.run[0] != closer.run[0] or odd:
                    j -= 1
                    continue
                n = 2 if opener.left >= 2 and closer.left >= 2 else 1
                name = STRONG if n == 2 else EM
                opener.left -= n
                closer.left -= n
                opener.opens.insert(0, name)
                closer.closes.append(name)
                del stack[j + 1 :]  # the runs between are text
                if not opener.left:
                    del stack[j]
                j = len(stack) - 1
                floor = min(floor, len(stack))
                for other, at in bottom.items():
                    bottom[other] = min(at, len(stack))
            if closer.left:
                bottom[key] = len(stack)
        if closer.left and closer.can_open:
            stack.append(closer)
    replaced: dict[int, list[tuple[str, int]]] = {}
    for d in delims:
        pieces: list[tuple[str, int]] = [(name, d.at) for name in d.closes]
        if d.left:
            pieces.append((d.run[0] * d.left, d.at))
            findings.append(
                Finding(
                    "markup",
                    f"an unescaped {d.run[0] * d.left!r}, which renderers may read as emphasis",
                    d.at,
                    d.at + len(d.run),
                    note,
                )
            )
        pieces += [(name, d.at + len(d.run)) for name in d.opens]
        replaced[d.index] = pieces
    out[:] = [p for k, piece in enumerate(out) for p in replaced.get(k, [piece])]


def read_markdown(
    source: str | os.PathLike[str] | bytes,
    *,
    where: str | None = None,
    max_bytes: int = MAX_MARKDOWN_BYTES,
) -> MarkdownContents:
    """Read a Markdown file (path or bytes) written by briefkit."""
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<markdown>")
    text = decode_utf8(read_limited(source, label, max_bytes), label)
    body, manifest, data = _split_manifest(text, label)
    reader = _Reader(body)
    notes, cites = reader.notes()
    findings: list[Finding] = list(reader.findings)
    if "--" in data:
        at = len(body) + text[len(body) :].index("--", len(_COMMENT_START))
        findings.append(
            Finding(
                "manifest-comment",
                "'--' inside the manifest comment: renderers may end the comment there and "
                "show the rest",
                at,
                at + 2,
            )
        )
    if reader.findings.left_off:
        last = max(findings, key=lambda f: f.end)
        findings = [
            *findings,
            Finding(
                "markup",
                f"… and {reader.findings.left_off} more pieces of markup the writer never writes",
                last.start,
                last.end,
            ),
        ]
    counts = Counter(d.label for d in reader.definitions)
    duplicates = [label for label, n in counts.items() if n > 1]
    starts = [0, *(m.end() for m in _BREAKS.finditer(text))]
    return MarkdownContents(
        manifest=manifest,
        notes=notes,
        marks=tuple(reader.marks),
        duplicate_notes=tuple(duplicates),
        shown="".join(reader.shown),
        where=memoryview(reader.where).toreadonly(),
        findings=tuple(sorted(findings, key=lambda f: (f.start, f.end))),
        definitions=tuple((d.label, d.start) for d in reader.definitions),
        line_starts=tuple(starts),
        note_cites=cites,
        tables=tuple(
            MarkdownTable(t.offset, t.align, t.width, tuple(t.rows)) for t in reader.tables
        ),
        images=tuple(reader.images),
    )
