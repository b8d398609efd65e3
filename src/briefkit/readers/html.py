"""The HTML reader: the text of a page as a browser shows it, one block per paragraph, its
headings as sections.

The canonical text (reader version 1) is made by these rules. They are a public contract: verify
reads a source again by them, and any change to them raises :attr:`HtmlReader.version`.

**Encoding.** The first of:

1. a byte order mark — UTF-8 (``EF BB BF``), UTF-16LE (``FF FE``) or UTF-16BE (``FE FF``);
2. an XML declaration at byte 0 (``<?xml version="1.0" encoding="…"?>``, as XHTML files have);
3. ``<meta charset="…">`` or ``<meta http-equiv="Content-Type" content="…; charset=…">`` in the
   first 1024 bytes, found as the HTML standard's *prescan* finds it (comments and other tags
   skipped; a tag must end within the 1024 bytes);
4. UTF-8.

Labels mean what the WHATWG Encoding Standard says they mean, as browsers read them:
``iso-8859-1``, ``latin1``, ``ascii`` and ``windows-1252`` are all windows-1252 (0x80–0x9F are
``€‚ƒ„…`` …), ``iso-8859-9`` is windows-1254, ``tis-620``/``iso-8859-11`` windows-874,
``gb2312``/``gbk`` GB18030, ``big5`` Big5-HKSCS, ``shift_jis`` windows-31J, ``euc-kr``
windows-949, and a ``<meta>`` naming UTF-16 means UTF-8. Other supported encodings:
ISO-8859-2…8, -10, -13…16, windows-1250…1258, KOI8-R, KOI8-U, macintosh, x-mac-cyrillic,
IBM866, EUC-JP and ISO-2022-JP. A label naming no supported encoding is ignored (the prescan
goes on). Bytes that are not valid in the encoding are an :class:`UnreadableSourceError` that
names the file, the byte offset and where the encoding came from; nothing is ever replaced.
A file without a byte order mark whose first 1024 bytes are a quarter or more NUL bytes (in
the even or the odd positions) is refused as UTF-16 or UTF-32 without a byte order mark. NUL
characters are then removed. Byte offsets into the file do not map to the canonical text, so
``Extraction.bom`` is always false.

**Parsing.** The decoded text, as UTF-8, is parsed by libxml2's HTML parser through lxml, with
libxml2's huge-document option (without it a comment over 10 MB turns into text). The reader
takes the parser's start, end and text events as they come, without building a tree, keeping
its own stack of open elements: libxml2's tree builder stops at a nesting depth of 256 (2048
with the option) and drops the rest of the page, the event stream has no such limit, and no
Python recursion is involved. The element tree the rules below speak of is therefore
libxml2's, not the WHATWG tree-construction algorithm's; the two agree on ordinary pages
(libxml2 closes ``<p>``, ``<li>``, ``<dd>`` and cells where HTML does, decodes every character
reference as HTML5 does, ``&#x80;`` → ``€``, ``&notit;`` → ``¬it;``) but not on all broken ones
(``</br>`` is ignored, ``<div/>`` is an empty element, misnested ``<b>`` is not reconstructed,
``<table><td>`` implies no ``<tr>``, a ``<title>`` in the body ends the paragraph around it).
The manifest records the libxml2 version. Comments, processing instructions, CDATA sections and
the doctype give no text.

**Nesting limit.** A page on which more than ``max_depth`` elements are open at once (the
option; :data:`MAX_DEPTH`, 512, by default) is an :class:`UnreadableSourceError` that names the
file and the line and column (in characters, lines counted by LF) of the tag that passed the
limit. Elements count as libxml2 opens and closes them, ``html`` and ``body`` included (also
when implied): an element libxml2 closes by itself (a ``<p>`` at the next ``<p>``, anything
open in a cell at ``</td>``) no longer counts, one never closed counts to the end of the page.
A page within the limit is read exactly as without one. The limit keeps reading linear in the
size of the file: libxml2 spends time in proportion to the number of open elements on an end
tag that matches none of them (and on a few other tags, such as a second ``<body>``), so a
page of thousands of unclosed elements followed by thousands of such end tags would otherwise
be quadratic (15 s for 1 MB). At 512 open elements, 1 MB of such end tags reads in about
0.3 s (twice that with ``main``, which may read a page twice), no slower than 1 MB of ordinary
dense markup (``<p>`` after ``<p>``). Real pages nest far less deeply: a few dozen levels, a
few hundred in the deepest known (generated documents of nested layout tables).

**Left out**, with everything inside them:

* the elements ``head``, ``title``, ``meta``, ``link``, ``base``, ``script``, ``style``,
  ``template``, ``noscript`` (as a browser with scripting shows a page), ``svg`` (with any
  ``foreignObject``), ``iframe``, ``object``, ``embed``, ``applet``, ``canvas``, ``audio``,
  ``video``, ``source``, ``track``, ``param``, ``area``, ``frameset``, ``frame``, ``noframes``,
  ``noembed``, the form controls ``input``, ``button``, ``select``, ``option``, ``optgroup``,
  ``datalist``, ``meter`` and ``progress``, ``rp``, MathML's ``annotation`` and
  ``annotation-xml``, and a ``dialog`` without ``open``;
* any element with a ``hidden`` attribute (whatever its value), with ``aria-hidden="true"``,
  or with an inline ``style`` whose last ``display`` declaration is ``none`` or whose last
  ``visibility`` declaration is ``hidden`` or ``collapse`` (ASCII case-insensitive, spaces,
  ``/* comments */`` and ``!important`` allowed; declarations are split at ``;``).

A left-out element has no effect at all, not even as a block boundary (``a <span hidden>…
</span> b`` reads ``a b``). Style sheets are not applied and ``visibility: visible`` inside a
hidden element does not show it again. Kept: MathML text (``<math>``, inline unless
``display="block"``), ``<textarea>`` content, ``<rt>`` ruby text, the content of closed
``<details>`` (one click away, and found by a browser's find-in-page). Images give no text
(their ``alt`` is not read), list items no bullets or numbers.

**Blocks.** These elements are blocks: ``html``, ``body``, ``address``, ``article``,
``aside``, ``blockquote``, ``center``, ``details``, ``summary``, ``dialog``, ``dir``, ``div``,
``dl``, ``dt``, ``dd``, ``fieldset``, ``legend``, ``figure``, ``figcaption``, ``footer``,
``form``, ``h1``–``h6``, ``header``, ``hgroup``, ``hr``, ``li``, ``main``, ``menu``, ``nav``,
``ol``, ``ul``, ``p``, ``pre``, ``listing``, ``xmp``, ``plaintext``, ``textarea``, ``search``,
``section``, ``table``, ``caption``, ``colgroup``, ``col``, ``thead``, ``tbody``, ``tfoot``,
``tr``, ``td``, ``th``, and ``math display="block"``. Every other element (``span``, ``a``,
``b``, unknown and custom elements …) is inline. The start and the end of a block end the
text run before it, so text is cut into blocks wherever a block begins or ends (``a<div>b</div>
c`` is three blocks). Each block is one paragraph of the canonical text: blocks are joined
with one blank line (``"\\n\\n"``) and blocks that are empty or only whitespace (by
``str.strip``, so a lone ``&nbsp;`` too) are left out.

**Text in a block.** Inline text follows CSS ``white-space: normal``: every run of ASCII
whitespace (space, tab, LF, FF, CR) becomes one space, also across inline element boundaries
(``<p>a <b>b</b>c</p>`` → ``a bc``, ``a <b> b</b>`` → ``a b``), and spaces are trimmed at the
start and end of a block and around line breaks. ``<br>`` is a line break ``"\\n"`` (two
``<br>`` make a blank line), and line breaks at the start or end of a block are trimmed too.
The text of ``pre``, ``listing``, ``xmp``, ``plaintext`` and ``textarea`` (and of everything
inside them) is kept exactly as written, except that one newline right after the start tag of
``pre``, ``listing`` and ``textarea`` is dropped, as HTML does. Character references are
decoded; U+00A0 stays U+00A0 (it is not whitespace). Control characters (Unicode category Cc)
other than ``"\\n"`` and ``"\\t"`` are removed: in inline text the others but CR and FF first,
then whitespace is collapsed (so ``a \\x01 b`` reads ``a b`` and CR and FF are whitespace); in
preformatted text all of them, CR and FF too. No other character is changed or removed (no
Unicode normalisation; soft hyphens, zero-width spaces and U+FEFF stay).

**Tables.** A table row (``tr``) whose cells (``td``, ``th``) each hold at most one block,
none of them a heading, with no text outside its cells, is one block: its cells' texts joined
with one tab (``"\\t"``), an empty cell giving empty text (``a\\t\\tc``). A cell's one
block may be a nested table's only row, whose tabs then join the outer row's. Any other row —
a layout row whose cells hold several paragraphs or headings — is read as the blocks of its
cells, one after another, without tabs. A cell outside any row is a block of its own.

**Sections.** ``h1``–``h6`` are sections: a heading's block (each block inside it, should it
hold blocks) starts a section labelled :func:`heading_label` of its text (``2.1 Costs`` →
``2.1``, ``Overview`` → ``Overview``, whitespace and line breaks collapsed); a heading without
text starts none. Only ``h1``–``h6`` are headings (not ``role="heading"``). The text is always
paragraphs (``paragraphs=True``).

**Option** ``main`` (default false): when true, only the content of the page's main element
is read: its ``<main>``; if it has none, the element whose ``role`` includes ``main``; if none,
its ``<article>`` (left-out ones are not counted). When the page has several of the first of
these kinds it has, or none at all, the whole page is read, as when false (nothing is dropped
on a guess). When false, everything visible is read, navigation, headers and footers included.

**Option** ``max_depth`` (default :data:`MAX_DEPTH`): the nesting limit above, a whole number of
at least 2. It decides only whether a page is read, never its text, so the manifest records it
only when it is not the default (records made before the option existed stay valid).

**Title and URL.** ``title`` is the text of the first ``<title>`` (not one inside ``svg``,
``math`` or ``template``), control characters removed, ASCII whitespace collapsed and trimmed,
None when empty. ``url`` is the ``href`` of the first ``<link rel="canonical">`` whose
``href`` is an absolute ``http:``/``https:`` URL, else the ``content`` of the first ``<meta
property="og:url">`` that is, else None (leading and trailing whitespace removed; a URL with
whitespace or control characters inside is not taken).

A page without any visible text (a frameset, a page that makes its text with JavaScript) is an
:class:`UnreadableSourceError`. So is a fatal error of the parser (none is known to happen).
"""

from __future__ import annotations

import codecs
import re
from typing import Any, ClassVar, Final, cast
from urllib.parse import urlsplit

from lxml import etree

from briefkit.readers import Extraction, SourceReader, UnreadableSourceError
from briefkit.readers._common import Block, heading_label, join_blocks

__all__ = ["MAX_DEPTH", "HtmlReader"]

#: How many elements may be open at once by default (the option ``max_depth``).
MAX_DEPTH: Final = 512

# ---------------------------------------------------------------------------------- encoding

_W1252: Final = "windows-1252"  # WHATWG windows-1252: latin-1 with 0x80–0x9F as cp1252 has them


def _w1252_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue  # 0x81 0x8D 0x8F 0x90 0x9D: C1 controls, as WHATWG decodes them
    return table


_W1252_TABLE: Final = _w1252_table()

#: Python codec name → the decoder browsers use for it (WHATWG Encoding Standard).
_DECODERS: Final[dict[str, str]] = {
    "utf-8": "utf-8",
    "utf-16": "utf-8",  # a label found by reading ASCII bytes cannot be right about UTF-16
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
    "iso8859-1": _W1252,
    "ascii": _W1252,
    "cp1252": _W1252,
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "shift_jis": "cp932",
    "cp932": "cp932",
    "euc_kr": "cp949",
    "cp949": "cp949",
    "euc_jp": "euc_jp",
    "iso2022_jp": "iso2022_jp",
    "koi8-r": "koi8-r",
    "koi8-u": "koi8-u",
    "mac-roman": "mac-roman",
    "mac-cyrillic": "mac-cyrillic",
    "cp866": "cp866",
    "cp874": "cp874",
    **{f"iso8859-{n}": f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    **{f"cp125{n}": f"cp125{n}" for n in range(9) if n != 2},
}

#: WHATWG labels Python's codec registry does not know.
_LABELS: Final[dict[str, str]] = {
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "windows-874": "cp874",
    "dos-874": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "csgb2312": "gbk",
    "gb_2312-80": "gbk",
    "x-gbk": "gbk",
    "x-x-big5": "big5",
    "cseuckr": "cp949",
    "ks_c_5601-1989": "cp949",
    "windows-949": "cp949",
    "x-euc-jp": "euc_jp",
    "cseucpkdfmtjapanese": "euc_jp",
    "koi8-ru": "koi8-u",
    "koi": "koi8-r",
    "koi8": "koi8-r",
    "iso-8859-8-i": "iso8859-8",
    "csiso88598i": "iso8859-8",
    "logical": "iso8859-8",
    "visual": "iso8859-8",
    **{f"x-cp125{n}": f"cp125{n}" for n in range(9)},
}

_BOMS: Final = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_SPACE_B: Final = b"\t\n\f\r "
_XML_DECL = re.compile(rb"<\?xml[\t\n\r ][^>]*?encoding[\t\n\r ]*=[\t\n\r ]*([\"'])([^\"'>]*)\1")
_PRESCAN = re.compile(
    rb"<!--.*?-->|<meta(?=[\t\n\f\r /])|</?[A-Za-z][^\t\n\f\r />]*|<[!/?][^>]*>", re.S | re.I
)
_ATTR = re.compile(
    rb"[\t\n\f\r /]*(?P<name>[^\t\n\f\r />][^\t\n\f\r /=>]*)"
    rb"(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\t\n\f\r >]*)))?"
)
_CHARSET = re.compile(
    rb"charset[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"([^\"]*)\"|'([^']*)'|([^\t\n\f\r ;\"']+))", re.I
)


def _codec(label: bytes) -> str | None:
    """The decoder for an encoding label, None for a label naming no supported encoding."""
    name = label.strip(_SPACE_B).decode("ascii", "replace").lower()
    if not name or len(name) > 40:
        return None
    name = _LABELS.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None
    return _DECODERS.get(info.name)


def _attributes(head: bytes, pos: int) -> tuple[dict[bytes, bytes], int] | None:
    """The attributes of a tag whose name ends at ``pos`` (first of each name wins) and the
    offset after its ``>``; None when the tag does not end within ``head``."""
    attrs: dict[bytes, bytes] = {}
    while pos < len(head):
        while pos < len(head) and head[pos] in b"\t\n\f\r /":
            pos += 1
        if pos >= len(head):
            return None
        if head[pos : pos + 1] == b">":
            return attrs, pos + 1
        m = _ATTR.match(head, pos)
        if m is None:  # pragma: no cover - the name pattern matches any other byte
            pos += 1
            continue
        value = m.group("dq")
        if value is None:
            value = m.group("sq")
        if value is None:
            value = m.group("uq") or b""
        attrs.setdefault(m.group("name").lower(), value)
        pos = m.end()
    return None


def _prescan(head: bytes) -> str | None:
    """The encoding a ``<meta>`` in ``head`` (the first 1024 bytes) declares."""
    pos = 0
    while True:
        m = _PRESCAN.search(head, pos)
        if m is None:
            return None
        pos = m.end()
        token = m.group()
        if token.startswith((b"<!", b"</", b"<?")) and not token[1:2].isalpha():
            continue  # a comment, doctype, processing instruction or bogus end tag
        got = _attributes(head, pos)
        if got is None:
            return None  # the tag does not end in the first 1024 bytes
        attrs, pos = got
        if token.lower() != b"<meta":
            continue
        charset: bytes | None = None
        if b"charset" in attrs:
            charset = attrs[b"charset"]
        elif attrs.get(b"http-equiv", b"").strip(_SPACE_B).lower() == b"content-type":
            c = _CHARSET.search(attrs.get(b"content", b""))
            if c:
                charset = next(g for g in c.groups() if g is not None)
        if charset is not None:
            codec = _codec(charset)
            if codec is not None:
                return codec


def _nul_heavy(sample: bytes) -> bool:
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) * 4 >= len(even) or odd.count(0) * 4 >= len(odd)


def _decode(data: bytes, where: str) -> str:
    """The text of an HTML file's bytes by the encoding rules above."""
    skip = 0
    codec: str | None = None
    how = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec, skip, how = name, len(bom), "its byte order mark"
            break
    if codec is None:
        sample = data[:1024]
        if _nul_heavy(sample):
            raise UnreadableSourceError(
                f"{where}: looks like UTF-16 or UTF-32 without a byte order mark (NUL bytes from "
                f"byte offset {sample.index(0)}); save it as UTF-8"
            )
        decl = _XML_DECL.match(data[:1024]) if data.startswith(b"<?xml") else None
        if decl is not None and (codec := _codec(decl.group(2))) is not None:
            how = "its XML declaration"
        elif (codec := _prescan(sample)) is not None:
            how = "its <meta> charset"
        else:
            codec, how = "utf-8", "the default"
    body = data[skip:]
    if codec == _W1252:
        return body.decode("latin-1").translate(_W1252_TABLE).replace("\x00", "")
    try:
        text = body.decode(codec, "strict")
    except UnicodeDecodeError as exc:
        raise UnreadableSourceError(
            f"{where}: not valid {codec} at byte offset {skip + exc.start} ({exc.reason}); "
            f"the encoding is {how}"
        ) from None
    return text.replace("\x00", "")


# ------------------------------------------------------------------------------------ text

_LEFT_OUT: Final = frozenset(
    re.findall(
        r"\S+",
        """head title meta link base basefont script style template noscript svg iframe object
        embed applet canvas audio video source track param area frameset frame noframes noembed
        input button select option optgroup datalist meter progress rp annotation
        annotation-xml""",
    )
)
_BLOCKS: Final = frozenset(
    re.findall(
        r"\S+",
        """html body address article aside blockquote center details summary dialog dir div dl
        dt dd fieldset legend figure figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr
        li main menu nav ol ul p pre listing xmp plaintext textarea search section table caption
        colgroup col thead tbody tfoot tr td th""",
    )
)
_PRE: Final = frozenset({"pre", "listing", "xmp", "plaintext", "textarea"})
_DROP_LF: Final = frozenset({"pre", "listing", "textarea"})
_HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_FOREIGN: Final = frozenset({"svg", "math", "template"})

# frame flags: what an element did at its start, undone at its end
_HIDE: Final = 1
_BLOCK: Final = 2
_PREF: Final = 4
_HEAD: Final = 8
_ROW: Final = 16
_CELL: Final = 32
_TABLE: Final = 64
_SCOPE: Final = 128
_TITLE: Final = 256
_FOREIGNF: Final = 512

_WS = re.compile(r"[\t\n\f\r ]+")
_TOKEN = re.compile(r"[^\t\n\f\r ]+")
_CONTROLS_INLINE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]+")  # Cc but \t \n \f \r
_CONTROLS_PRE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")  # Cc but \t \n
_STYLE_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_IMPORTANT = re.compile(r"![\t\n\f\r ]*important\Z", re.I)
_ASCII_LOWER: Final = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_SPACES: Final = "\t\n\f\r "


def _lower(value: str) -> str:
    return value.translate(_ASCII_LOWER)


def _tokens(value: str) -> list[str]:
    return _TOKEN.findall(_lower(value))


def _style_hides(style: str) -> bool:
    display = visibility = ""
    for decl in _STYLE_COMMENT.sub(" ", style).split(";"):
        prop, colon, value = decl.partition(":")
        if not colon:
            continue
        prop = _lower(prop.strip(_SPACES))
        value = _IMPORTANT.sub("", _lower(value.strip(_SPACES))).strip(_SPACES)
        if prop == "display":
            display = value
        elif prop == "visibility":
            visibility = value
    return display == "none" or visibility in ("hidden", "collapse")


def _hides(tag: str, attrib: dict[str, str]) -> bool:
    """Whether an element is left out, with its content."""
    if tag in _LEFT_OUT or (tag == "dialog" and "open" not in attrib):
        return True
    if not attrib:
        return False
    if "hidden" in attrib:
        return True
    aria = attrib.get("aria-hidden")
    if aria is not None and _lower(aria.strip(_SPACES)) == "true":
        return True
    style = attrib.get("style")
    return style is not None and _style_hides(style)


def _kind(tag: str, attrib: dict[str, str]) -> int:
    """Which main-element candidate an element is: 1 ``main``, 2 ``role=main``, 4 ``article``."""
    kind = 0
    if tag == "main":
        kind |= 1
    role = attrib.get("role") if attrib else None
    if role and "main" in _tokens(role):
        kind |= 2
    if tag == "article":
        kind |= 4
    return kind


def _http_url(value: str | None) -> str | None:
    if value is None:
        return None
    url = value.strip(_SPACES)
    if not url or any(c in _SPACES or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


class _Row:
    __slots__ = ("cells", "start", "stray")

    def __init__(self, start: int) -> None:
        self.start = start
        self.cells: list[list[int]] = []  # [first block, end block] of each cell
        self.stray = False


class _TooDeep(Exception):
    """Raised by :class:`_Builder` inside the parser when an element passes the nesting limit
    (which stops libxml2 at once); ``tag`` is that element."""

    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


class _Builder:
    """Parser target that makes the blocks of a page by the rules of the module docstring."""

    def __init__(self, scope: tuple[int, int] | None, limit: int = MAX_DEPTH) -> None:
        #: with ``main``: which candidate kind (1, 2, 4) and its ordinal among visible ones
        self.scope = scope
        #: how many elements may be open at once; ``stopped`` once an element passed it
        self.limit = limit
        self.stopped = False
        #: the visible ``main`` elements, ``role=main`` elements and articles seen so far
        self.seen = [0, 0, 0]
        self.active = scope is None
        self.frames: list[tuple[str, int]] = []
        self.open: dict[str, int] = {}
        self.skip = 0  # open left-out elements
        self.pre = 0  # open elements keeping whitespace
        self.headings = 0
        self.foreign = 0
        self.rows: list[_Row | None] = []  # None: a table (its rows are not the outer row's)
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.last = ""  # the last character of the current block's text, "" at its start
        self.block_pre = False
        self.drop_lf = False
        self.title: list[str] | None = None
        self.title_done = False
        self.canonical: str | None = None
        self.og_url: str | None = None

    # -- blocks

    def flush(self) -> None:
        if not self.parts:
            return
        text = "".join(self.parts)
        self.parts.clear()
        self.last = ""
        if not self.block_pre:
            text = text.strip(" \n")
        self.block_pre = False
        if text.strip():
            self.blocks.append(Block(text, heading_label(text) if self.headings else None))

    def _row_start(self) -> None:
        self.rows.append(_Row(len(self.blocks)))

    def _cell_start(self, row: _Row) -> None:
        expected = row.cells[-1][1] if row.cells else row.start
        if len(self.blocks) != expected:
            row.stray = True
        row.cells.append([len(self.blocks), len(self.blocks)])

    def _row_end(self) -> None:
        row = self.rows.pop()
        assert row is not None
        blocks = self.blocks
        end = row.cells[-1][1] if row.cells else row.start
        if row.stray or not row.cells or len(blocks) != end:
            return
        texts: list[str] = []
        for first, last in row.cells:
            if last - first > 1 or (last > first and blocks[first].section is not None):
                return  # a layout row: its cells' blocks stay blocks
            texts.append(blocks[first].text if last > first else "")
        del blocks[row.start :]
        joined = "\t".join(texts)
        if joined.strip():
            blocks.append(Block(joined))

    # -- parser target

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if len(self.frames) >= self.limit:
            self.stopped = True  # (lxml still calls close(), which then does nothing)
            raise _TooDeep(tag)
        self.drop_lf = False
        flags = 0
        if tag in _FOREIGN:
            flags |= _FOREIGNF
            self.foreign += 1
        elif self.foreign == 0:
            self._metadata(tag, attrib)
            if tag == "title" and not self.title_done:
                flags |= _TITLE
                self.title = []
        if self.skip:
            self._push(tag, flags)  # inside a left-out element: no effect
            return
        if _hides(tag, attrib):
            self.skip += 1
            self._push(tag, flags | _HIDE)
            return
        kind = _kind(tag, attrib)
        if kind:
            hit = False
            for i in range(3):
                if kind >> i & 1:
                    self.seen[i] += 1
                    hit = hit or self.scope == (1 << i, self.seen[i])
            if hit and not self.active:
                self.flush()
                self.active = True
                flags |= _SCOPE
        if not self.active:
            self._push(tag, flags)
            return
        if tag in _BLOCKS or (tag == "math" and _lower(attrib.get("display", "")) == "block"):
            flags |= _BLOCK
            self.flush()
            if tag == "tr":
                flags |= _ROW
                self._row_start()
            elif tag in ("td", "th") and self.rows and (row := self.rows[-1]) is not None:
                flags |= _CELL
                self._cell_start(row)
            elif tag == "table":
                flags |= _TABLE
                self.rows.append(None)
            if tag in _HEADINGS:
                flags |= _HEAD
                self.headings += 1
            if tag in _PRE:
                flags |= _PREF
                self.pre += 1
                self.drop_lf = tag in _DROP_LF
        elif tag == "br":
            self._line_break()
        self._push(tag, flags)

    def _push(self, tag: str, flags: int) -> None:
        self.frames.append((tag, flags))
        self.open[tag] = self.open.get(tag, 0) + 1

    def _metadata(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == "link" and self.canonical is None:
            if "canonical" in _tokens(attrib.get("rel", "")):
                self.canonical = _http_url(attrib.get("href"))
        elif (
            tag == "meta"
            and self.og_url is None
            and _lower(attrib.get("property", "").strip(_SPACES)) == "og:url"
        ):
            self.og_url = _http_url(attrib.get("content"))

    def _line_break(self) -> None:
        if not self.pre and self.parts and self.last == " ":
            self.parts[-1] = self.parts[-1][:-1]
        self.parts.append("\n")
        self.last = "\n"

    def end(self, tag: str) -> None:
        self.drop_lf = False
        if not self.open.get(tag):
            return  # libxml2 reports only ends of open elements; be safe anyway
        while True:
            name, flags = self.frames.pop()
            self.open[name] -= 1
            self._close(flags)
            if name == tag:
                return

    def _close(self, flags: int) -> None:
        if flags & _FOREIGNF:
            self.foreign -= 1
        if flags & _TITLE:
            self.title_done = True
        if flags & _HIDE:
            self.skip -= 1
            return
        if not flags & (_BLOCK | _SCOPE):
            return
        self.flush()
        if flags & _CELL:
            row = self.rows[-1]
            if row is not None and row.cells:
                row.cells[-1][1] = len(self.blocks)
        if flags & _ROW:
            self._row_end()
        if flags & _TABLE:
            self.rows.pop()
        if flags & _HEAD:
            self.headings -= 1
        if flags & _PREF:
            self.pre -= 1
        if flags & _SCOPE:
            self.active = False

    def data(self, data: str) -> None:
        if self.title is not None and not self.title_done:
            self.title.append(data)
        if self.skip or not self.active:
            self.drop_lf = False
            return
        if self.drop_lf:
            self.drop_lf = False
            if data.startswith("\n"):
                data = data[1:]
        if self.pre:
            data = _CONTROLS_PRE.sub("", data)
            if data:
                self.parts.append(data)
                self.last = data[-1]
                self.block_pre = True
            return
        data = _WS.sub(" ", _CONTROLS_INLINE.sub("", data))
        if data[:1] == " " and self.last in ("", " ", "\n"):
            data = data[1:]
        if data:
            self.parts.append(data)
            self.last = data[-1]

    def close(self) -> None:
        if self.stopped:
            return
        while self.frames:
            self._close(self.frames.pop()[1])
        self.flush()

    def page_title(self) -> str | None:
        if self.title is None:
            return None
        text = _WS.sub(" ", _CONTROLS_INLINE.sub("", "".join(self.title))).strip(" ")
        return text or None


def _parser(target: _Builder) -> etree.HTMLParser:
    return etree.HTMLParser(
        target=cast(Any, target),
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,  # else a comment over 10 MB becomes text
    )


_PIECE: Final = 1 << 16  # bytes fed at once while looking for where the limit was passed


def _passes(parser: etree.HTMLParser, piece: bytes) -> bool:
    """Feed ``piece``; whether the nesting limit was passed on it."""
    try:
        parser.feed(piece)
    except _TooDeep:
        return True
    return False


def _place(text: bytes, limit: int, tag: str) -> str | None:
    """Where in ``text`` the nesting passes ``limit``: the line and column of the start tag
    ``<tag`` at which the parser passed it, found by reading the text again in pieces (None
    if that reading does not pass it).

    libxml2 reports a start tag as soon as it has its ``>``. The text is fed in 64 KiB pieces
    until the limit is passed, then again up to that piece at once and the piece itself in
    pieces that each end at a ``>``: the piece on which the limit is passed ends with the
    ``>`` of the tag, whose start is the last ``<tag`` before it (ASCII case-insensitive).
    This reading is linear too and stops where the first one did."""
    parser = _parser(_Builder(None, limit))
    start = end = 0
    while True:
        if start >= len(text):
            try:
                parser.close()
            except _TooDeep:  # pragma: no cover - libxml2 drops a tag unfinished at the end
                return "at the end of the page"
            return None  # pragma: no cover - libxml2 reads the same in pieces
        end = min(start + _PIECE, len(text))
        if _passes(parser, text[start:end]):
            break
        start = end
    parser = _parser(_Builder(None, limit))
    if _passes(parser, text[:start]):  # pragma: no cover - as above
        return None
    at = start
    while at < end:
        after = text.find(b">", at, end) + 1 or end
        if _passes(parser, text[at:after]):
            at = _tag_start(text, tag, after)
            line_start = text.rfind(b"\n", 0, at) + 1
            line = text.count(b"\n", 0, at) + 1
            column = len(text[line_start:at].decode("utf-8")) + 1
            return f"line {line}, column {column}"
        at = after
    return None  # pragma: no cover - as above


def _tag_start(text: bytes, tag: str, end: int) -> int:
    """The offset of the last ``<tag`` (ASCII case-insensitive) before ``end``, looked for
    backwards in windows that double (so the time is that of the tag's length), or of the
    last byte before ``end`` when there is none (an element libxml2 implies)."""
    opening = re.compile(b"<" + re.escape(tag.encode("utf-8")) + rb"(?![^\t\n\f\r />])", re.I)
    size = 1024
    while True:
        start = max(0, end - size)
        found = [m.start() for m in opening.finditer(text, start, end)]
        if found:
            return found[-1]
        if start == 0:
            return max(0, end - 1)
        size *= 2


def _too_deep(text: bytes, limit: int, tag: str, where: str) -> UnreadableSourceError:
    shown = tag if len(tag) <= 40 else tag[:40] + "…"
    place = _place(text, limit, tag)
    return UnreadableSourceError(
        f"{where}: {place + ': ' if place else ''}<{shown}> opens more than {limit} nested "
        "elements (html and body included); the HTML reader's option max_depth raises the limit"
    )


def _parse(text: bytes, target: _Builder, where: str) -> None:
    parser = _parser(target)
    try:
        parser.feed(text)
        parser.close()
    except _TooDeep as exc:
        raise _too_deep(text, target.limit, exc.tag, where) from None
    except etree.LxmlError as exc:  # pragma: no cover - libxml2's HTML parser recovers
        raise UnreadableSourceError(f"{where}: libxml2 cannot parse it: {exc}") from None
    for error in parser.error_log:
        if error.level_name == "FATAL":  # pragma: no cover - none is known to happen
            raise UnreadableSourceError(
                f"{where}: libxml2 stopped at line {error.line}, column {error.column}: "
                f"{error.message}"
            )


class HtmlReader(SourceReader):
    """The visible text of an HTML page, one block per paragraph, headings as sections (see
    the module docstring for the exact rules)."""

    name: ClassVar[str] = "html"
    version: ClassVar[str] = "1"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm", ".xhtml")
    description: ClassVar[str] = "the visible text of the page; headings are sections"

    def __init__(self, *, main: bool = False, max_depth: int = MAX_DEPTH) -> None:
        if not isinstance(main, bool):
            raise TypeError(f"the option main must be true or false, not {main!r}")
        if not isinstance(max_depth, int) or isinstance(max_depth, bool) or max_depth < 2:
            raise TypeError(
                f"the option max_depth must be a whole number of at least 2, not {max_depth!r}"
            )
        self.main = main
        self.max_depth = max_depth

    def options(self) -> dict[str, Any]:
        """``main``, and ``max_depth`` when it is not :data:`MAX_DEPTH` (it never changes the
        text of a page it reads, only whether it reads it)."""
        if self.max_depth == MAX_DEPTH:
            return {"main": self.main}
        return {"main": self.main, "max_depth": self.max_depth}

    def library(self) -> str:
        lxml_version = ".".join(str(n) for n in etree.LXML_VERSION[:3])
        libxml_version = ".".join(str(n) for n in etree.LIBXML_VERSION)
        return f"lxml {lxml_version} (libxml2 {libxml_version})"

    def read(self, data: bytes, *, where: str) -> Extraction:
        utf8 = _decode(data, where).encode("utf-8")
        builder = _Builder(None, self.max_depth)
        _parse(utf8, builder, where)
        scope: tuple[int, int] | None = None
        if self.main:  # the whole page is read first: it counts the candidates
            kind = next((i for i, n in enumerate(builder.seen) if n), None)
            if kind is not None and builder.seen[kind] == 1:
                scope = (1 << kind, 1)
                builder = _Builder(scope, self.max_depth)
                _parse(utf8, builder, where)
        text, marks = join_blocks(builder.blocks)
        if not text:
            within = " in its main element (read it with main=false)" if scope else ""
            raise UnreadableSourceError(
                f"{where}: the page has no visible text{within} (a frameset, or a page that "
                "makes its text with JavaScript?)"
            )
        return Extraction(
            text,
            sections=marks,
            paragraphs=True,
            title=builder.page_title(),
            url=builder.canonical or builder.og_url,
        )
