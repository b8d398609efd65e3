"""Read a briefkit HTML page back: its embedded manifest, what a reader of the page sees, and
every piece of markup that briefkit does not write.

Independent of the writer: it parses the page with the standard library's ``html.parser``.

*What a reader sees.* ``visible`` is every text node of ``<main>`` in document order (``<br>``
reads as a newline); ``title`` is the text of ``<title>``. Beside it the reader collects the
text of each element with an ``s-<id>`` id (a sentence), of each note (``.note-text`` inside
``li#fn-N``), each note's excerpts (the exact text and its caption), every note mark
(``a[role=doc-noteref]``) with the sentence it stands in, the headings, the labels (with the
sentence each stands before), the bibliography's entries, each note's ``data-cites``, the
accessible name of each note's back link, the page's ``lang``, each table's structure
(:class:`HtmlTable`: its id, captions, header and body rows, and for each cell its element,
``scope``, alignment class, every character it shows and the sentences in it), each image
figure (:class:`HtmlFigure`: its id, the ``src``, ``alt``, ``width`` and ``height`` of each of
its ``<img>``, its labels, how many captions it has and the sentences in it), the table of
contents (:class:`HtmlNav`: its titles and each link's nesting depth, ``href`` and text), each
cross-reference link (:class:`HtmlRef`: its sentence, ``href`` and text), each heading's
id, and for each sentence the pieces of its text shown in italics or bold (``emphasis``) and
inside links out of the page (``links``). Note marks and back links
are left out of the sentence and note texts. Words briefkit writes in the page's language (an
excerpt's caption, a back link's name) are read as they stand; the checker compares them with
the labels of the manifest's language.

*Provable through structure.* A page briefkit writes uses a small vocabulary: each element
stands only in the parent the writer puts it in, with exactly the attributes and ``class``
values the writer gives it, every element is closed where it was opened, and there are no
comments, processing instructions or other declarations than ``<!DOCTYPE html>``. Anything
else is a *finding* (see :class:`Finding`): an inline ``style``, a ``hidden`` or
``aria-hidden`` attribute (on a table cell too), a ``<link>``, ``<template>``, ``<iframe>``, a
``<tfoot>`` or ``<colgroup>`` in a table, or a second
``<script>`` could hide text or show text that is not in the page's text nodes. An ``<img>``
stands only in an image figure, with exactly ``src``, ``alt``, ``width`` and ``height`` (no
``srcset``, no event handler); whether its source is a data URI of the manifest's image is the
checker's to say, naming the figure. A link in a sentence is only a cross-reference (``<a
class="ref">`` to a ``table-N``, ``figure-N`` or ``sec-…`` anchor) or a link to a web page
(``<a class="link" rel="noopener noreferrer">`` whose ``href`` is an http, https or mailto
address of :data:`~briefkit.model.LINK_URL`'s shape: never ``javascript:`` or any other
scheme), a link of the table of contents only one to a heading's anchor; ``<em>`` and
``<strong>`` stand only right inside a sentence's span. The text of
the one ``<style>`` element is returned for the checker to compare with briefkit's own style
sheet (:data:`STYLE`), so no rule can hide or add text either. With both, every character a
reader sees is a character of ``visible`` or ``title``. A table's cell may be a ``th`` or a
``td`` with any ``scope`` and no class or an alignment class: which one each cell must be is
the checker's to say, naming the cell. A finding inside a table names its place (``in table
1, row 2, column 3``).

*Emphasis and links.* Whatever the markup, the reader notes what a browser shows in italics
or in bold — ``<em>``, ``<i>``, ``<cite>``, ``<var>``, ``<dfn>``, ``<address>``, ``<strong>``,
``<b>`` and a ``style`` attribute that sets ``font-style`` or ``font-weight`` (or ``font``) to
italics or bold — and every link that leads out of the page (an ``<a href>`` other than a
``#fragment``). In a sentence, its text is recorded with them, in order (``emphasis``,
``links``), for the checker to compare with the manifest's parts: over a quotation's words
too, wherever the markup stands (around the quotation's span, inside it or around the whole
sentence). Outside every sentence — a heading, the title, a note, an excerpt, the
bibliography, a label — the outermost such element is a finding of its own
(``emphasis_elsewhere``, ``links_elsewhere``); briefkit's own bold and italics (the analysis
label, a source's title in the appendix, headings and table headers by the style sheet) and
its own links (the appendix's addresses, each excerpt's link to its passage) are not among
them. Markup briefkit does not write is a finding as well. The style sheet keeps ``<em>``
upright inside an analysis sentence, which it sets in italics.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from urllib.parse import quote as _quote

import attrs
from attrs import evolve

from briefkit import manifest as _manifest
from briefkit.errors import ManifestError, ReadError
from briefkit.formats._lazy import read_only
from briefkit.formats.checking import locale_of
from briefkit.formats.html._anchors import HEADING_ANCHOR, REF_ANCHOR
from briefkit.formats.html._container import ALIGN_CLASS, LINK_REL, MANIFEST_ID
from briefkit.locales import DEFAULT_LOCALE, Locale
from briefkit.manifest import Manifest
from briefkit.model import LINK_URL

__all__ = [
    "MANIFEST_ID",
    "MAX_DEPTH",
    "MAX_FINDINGS",
    "MAX_HTML_BYTES",
    "STYLE",
    "Excerpt",
    "Finding",
    "HtmlCell",
    "HtmlContents",
    "HtmlEntry",
    "HtmlFigure",
    "HtmlImage",
    "HtmlNav",
    "HtmlRef",
    "HtmlTable",
    "NoteMark",
    "analysis_label_of",
    "decode_utf8",
    "passage_link",
    "read_html",
    "read_limited",
    "text_fragment",
]

MAX_HTML_BYTES = 512 * 1024 * 1024
#: How deep elements may nest: a page briefkit writes nests them about a dozen deep; a page
#: that opens more elements than this without closing them is refused (:class:`ReadError`
#: naming the line and column of the element that goes too deep).
MAX_DEPTH = 256
#: How many pieces of foreign markup (and of stray text) the reader records one by one; the
#: rest are counted in one last finding, so that a page of nothing but odd markup is
#: reported in bounded time and memory.
MAX_FINDINGS = 1000

#: The style sheet of every page briefkit writes (the writer embeds it; the checker requires
#: exactly this text in the page's one ``<style>`` element).
STYLE = """\
:root{color-scheme:light dark}
body{max-width:44em;margin:0 auto;padding:1em 1.25em 3em;font:1.05em/1.6 Georgia,serif;\
overflow-wrap:anywhere}
h1,h2,h3,h4,h5,h6{font-family:system-ui,sans-serif;line-height:1.25}
.subtitle{font-size:1.2em;margin-top:-.4em}
.byline,.bibliography,.sources,.notes{font-size:.92em}
.bibliography{list-style:none;padding-left:2em}
.bibliography li{text-indent:-2em}
.sentence,.note-text,.exact{white-space:pre-wrap}
.analysis{font-style:italic}
.analysis em{font-style:normal}
.label{font-weight:600}
sup a{text-decoration:none;padding:0 .15em}
blockquote{margin:.6em 0;padding-left:1em;border-left:3px solid #8888}
figure{margin:.6em 0}
.exact{unicode-bidi:plaintext}
.sentence,.note-text,cite,h1,h2,h3,h4,h5,h6{unicode-bidi:isolate}
.excerpt figcaption,.block-quote figcaption{font-size:.9em}
table{border-collapse:collapse;margin:1em 0;max-width:100%}
caption{caption-side:top;text-align:start;font-weight:600;padding:0 0 .4em}
th,td{border:1px solid #8888;padding:.3em .6em;vertical-align:top}
thead th{border-bottom-width:2px}
caption,th,td{unicode-bidi:isolate}
.align-left{text-align:left}
.align-center{text-align:center}
.align-right{text-align:right;font-variant-numeric:tabular-nums}
figure.image img{display:block;max-width:100%;height:auto}
figure.image figcaption{margin-top:.4em}
.figure-label{font-weight:600}
.contents ul{list-style:none;margin:.2em 0;padding-left:1.25em}
.contents>ul{padding-left:0}
.contents a{unicode-bidi:isolate}
.notes{border-top:1px solid #8888;margin-top:2.5em}
:target{outline:2px solid #c90;outline-offset:2px}
@media print{body{max-width:none;padding:0;font-size:11pt}a{color:inherit}\
.backlink,.source-link{display:none}h1,h2,h3,h4,caption{break-after:avoid}\
li,figure,tr{break-inside:avoid}}
"""

#: A text fragment names only the first and last words of an exact text longer than this
#: (code points) with more than twice ``_FRAGMENT_WORDS`` words.
_FRAGMENT_LONG = 80
_FRAGMENT_WORDS = 4


def _percent(value: str) -> str:
    """Percent-encode a text directive term: everything but ASCII letters, digits and ``._~``
    (``-``, ``&`` and ``,`` are directive syntax)."""
    return _quote(value, safe="").replace("-", "%2D")


def passage_link(url: str, exact: str, page: int | None = None) -> str:
    """Where a citation's passage opens: for a paged source (a PDF) ``url`` at its page
    (``#page=12``, replacing any fragment the URL has), else ``url`` with a text fragment
    (:func:`text_fragment`)."""
    if page is not None:
        return f"{url.split('#', 1)[0]}#page={page}"
    return text_fragment(url, exact)


def text_fragment(url: str, exact: str) -> str:
    """``url`` with a text fragment (``#:~:text=``) that highlights ``exact`` in a browser;
    a long text is named by its first and last words (``textStart,textEnd``)."""
    words = exact.split()
    if not words:
        return url
    joined = " ".join(words)
    if len(joined) > _FRAGMENT_LONG and len(words) > 2 * _FRAGMENT_WORDS:
        start = " ".join(words[:_FRAGMENT_WORDS])
        end = " ".join(words[-_FRAGMENT_WORDS:])
        directive = f"{_percent(start)},{_percent(end)}"
    else:
        directive = _percent(joined)
    return f"{url}{':~:' if '#' in url else '#:~:'}text={directive}"


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_NOTE_ID = re.compile(r"fn-(\d+)\Z")


@attrs.frozen
class NoteMark:
    """A note mark in the body, in reading order."""

    ordinal: int  # 1-based position among all marks
    label: str  # the text shown, e.g. "3"
    target: str | None  # where it links, e.g. "#fn-3"
    sentence: str | None  # the id of the sentence it stands in
    element_id: str | None = None  # the mark's own id, e.g. "fnref-3"


@attrs.frozen
class Excerpt:
    """One excerpt figure of a note: the exact text shown and its caption."""

    exact: str
    caption: str
    cite: str | None = None  # the blockquote's ``cite`` address
    link: str | None = None  # where the caption's "open this passage" link goes


@attrs.frozen
class Finding:
    """Markup briefkit does not write, or text outside the page's main content. ``where`` is
    a phrase such as ``in sentence s3`` or ``before sentence s4``; ``sentence`` and ``note``
    name what it concerns, when known."""

    what: str
    line: int
    column: int
    where: str
    sentence: str | None = None
    note: int | None = None


@attrs.frozen
class HtmlCell:
    """One cell of a table as the page shows it: its element (``th`` or ``td``), ``scope``
    and ``class`` (``None`` without one), every character of it a reader sees (an analysis
    label and note marks included; ``<br>`` as a newline) and the ids of the sentences that
    stand in it. ``line`` and ``column`` are where the element starts."""

    tag: str
    scope: str | None
    align: str | None
    text: str
    sentences: tuple[str, ...]
    line: int
    column: int


@attrs.frozen
class HtmlTable:
    """A ``<table>`` of ``<main>`` as the page shows it: its ``id``, the text of each of its
    captions (briefkit writes one), the rows of its ``<thead>`` and of its ``<tbody>``
    (cells of foreign markup are not among them: they are findings)."""

    id: str | None
    captions: tuple[str, ...]
    head: tuple[tuple[HtmlCell, ...], ...]
    body: tuple[tuple[HtmlCell, ...], ...]
    line: int
    column: int


@attrs.frozen
class HtmlImage:
    """An ``<img>`` of a figure as the page writes it: its ``src``, ``alt``, ``width`` and
    ``height`` attributes (``None`` when it has none) and where it starts."""

    src: str | None
    alt: str | None
    width: str | None
    height: str | None
    line: int
    column: int


@attrs.frozen
class HtmlFigure:
    """A ``<figure class="image">`` of ``<main>``: its ``id``, its images, the text of each
    of its labels (``<span class="figure-label">``), how many captions (``<figcaption>``) it
    has and the ids of the sentences that stand in it."""

    id: str | None
    images: tuple[HtmlImage, ...]
    labels: tuple[str, ...]
    captions: int
    sentences: tuple[str, ...]
    line: int
    column: int


@attrs.frozen
class HtmlEntry:
    """A link of the table of contents: how deep its list is nested (1 for the outer list),
    where it leads (``href``) and its text."""

    depth: int
    href: str | None
    text: str


@attrs.frozen
class HtmlNav:
    """The table of contents (``<nav class="contents">``): the text of each of its titles
    (``<h2 id="contents">``; briefkit writes one) and its links in page order."""

    labels: tuple[str, ...]
    entries: tuple[HtmlEntry, ...]
    line: int
    column: int


@attrs.frozen
class HtmlRef:
    """A cross-reference link (``<a class="ref">``) in a sentence: the sentence, where it
    leads and its text."""

    sentence: str | None
    href: str | None
    text: str


@attrs.frozen
class HtmlContents:
    manifest: Manifest | None
    notes: Mapping[int, str] = attrs.field(converter=read_only)  # note number -> its text
    marks: tuple[NoteMark, ...]
    #: sentence id -> visible text (analysis label and marks left out)
    sentences: Mapping[str, str] = attrs.field(converter=read_only)
    duplicate_ids: tuple[str, ...] = ()  # element ids that occur more than once
    #: sentences right after the analysis label (``Analysis:`` in the page's language)
    labelled: frozenset[str] = frozenset()
    note_order: tuple[int, ...] = ()  # note numbers of the endnote items, in page order
    visible: str = ""  # every text node of <main>, in document order
    title: str | None = None  # the text of <title>
    style: str | None = None  # the text of the (first) <style> element
    foreign: tuple[Finding, ...] = ()  # markup briefkit does not write
    stray: tuple[Finding, ...] = ()  # text outside <main>, <title> and the data blocks
    excerpts: Mapping[int, tuple[Excerpt, ...]] = attrs.field(factory=dict)
    headings: tuple[tuple[int, str], ...] = ()  # (level, text) of h2–h6 in <main>
    sentence_order: tuple[str, ...] = ()  # sentence ids in page order
    sentence_blocks: Mapping[str, str] = attrs.field(factory=dict)  # id -> paragraph|item|quote
    source_links: tuple[tuple[int, str], ...] = ()  # (sources entry, href) in the appendix
    #: sentence id -> the text of the label (``<strong class="label">``) right before it
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=read_only)
    #: note number -> its ``data-cites`` attribute (a note without one is not in it)
    note_cites: Mapping[int, str] = attrs.field(factory=dict, converter=read_only)
    lang: str | None = None  # the ``lang`` of ``<html>``
    #: note number -> the ``aria-label`` of its back link (the first, when there are more)
    backlinks: Mapping[int, str] = attrs.field(factory=dict, converter=read_only)
    entries: tuple[str, ...] = ()  # the text of each bibliography entry, in order
    tables: tuple[HtmlTable, ...] = ()  # the tables of <main>, in page order
    figures: tuple[HtmlFigure, ...] = ()  # the image figures of <main>, in page order
    navs: tuple[HtmlNav, ...] = ()  # the tables of contents (briefkit writes at most one)
    refs: tuple[HtmlRef, ...] = ()  # the cross-reference links, in page order
    heading_ids: tuple[str | None, ...] = ()  # the id of each of ``headings``
    #: sentence id -> ``(text, "em" | "strong")`` of each piece of its text shown in italics
    #: or in bold by markup (an ``<em>``, ``<strong>``, ``<i>``, ``<b>`` … or a ``style``),
    #: in order; a piece both is there twice
    emphasis: Mapping[str, tuple[tuple[str, str], ...]] = attrs.field(
        factory=dict, converter=read_only
    )
    #: sentence id -> ``(text, href)`` of each piece of its text inside a link that leads
    #: out of the page (any ``<a href>`` but a ``#fragment``), in order
    links: Mapping[str, tuple[tuple[str, str], ...]] = attrs.field(
        factory=dict, converter=read_only
    )
    #: markup that shows text in italics or bold outside every sentence
    emphasis_elsewhere: tuple[Finding, ...] = ()
    #: links that lead out of the page outside every sentence (but the sources appendix's
    #: addresses and the excerpts' links to their passages, which briefkit writes)
    links_elsewhere: tuple[Finding, ...] = ()


# -- the vocabulary of a briefkit page ------------------------------------------------------

#: An attribute value: a constant, or a pattern the whole value must match.
_Value = str | re.Pattern[str]

_ANY = re.compile(r".*", re.DOTALL)
_ONE_LINE = re.compile(r"[^\r\n]+")
_WEB = re.compile(r"https?://[!-~]+\Z", re.IGNORECASE)  # printable ASCII, no space
_DIGITS = re.compile(r"[0-9]{1,9}")
#: a language tag (BCP 47 shape)
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@attrs.frozen
class _Rule:
    """An element the writer writes in a given parent: what it is (``kind``) and exactly
    which attributes it carries besides ``class`` (``optional`` ones may be left out)."""

    kind: str
    attributes: Mapping[str, _Value] = attrs.field(factory=dict)
    optional: frozenset[str] = frozenset()


def _rules() -> dict[tuple[str, str, str | None], _Rule]:
    """(parent kind, tag, class) -> rule."""
    anchor = re.compile(r"key-points|bibliography|sources|sec-\d+(?:-\d+)*")
    found: dict[tuple[str, str, str | None], _Rule] = {
        ("root", "html", None): _Rule("html", {"lang": _LANG}),
        ("html", "head", None): _Rule("head"),
        ("html", "body", None): _Rule("body"),
        ("head", "title", None): _Rule("title"),
        ("head", "style", None): _Rule("style"),
        ("body", "main", None): _Rule("main"),
        ("body", "script", None): _Rule("script", {"type": "application/json", "id": MANIFEST_ID}),
        ("main", "header", "title-block"): _Rule("header"),
        ("main", "p", None): _Rule("paragraph"),
        ("main", "ul", None): _Rule("list"),
        ("main", "ul", "key-points"): _Rule("list"),
        ("main", "figure", "block-quote"): _Rule("block-quote"),
        ("main", "ul", "bibliography"): _Rule("bibliography"),
        ("main", "ol", "sources"): _Rule("sources"),
        ("main", "section", "notes"): _Rule(
            "notes", {"role": "doc-endnotes", "aria-labelledby": "notes"}
        ),
        ("header", "h1", None): _Rule("h1"),
        ("header", "p", "subtitle"): _Rule("subtitle"),
        ("header", "p", "byline"): _Rule("byline"),
        ("byline", "span", "author"): _Rule("author"),
        ("byline", "time", None): _Rule("time", {"datetime": _ANY}),
        ("list", "li", None): _Rule("item"),
        ("sentence", "span", "quoted"): _Rule("inline"),
        ("sentence", "span", "figure"): _Rule("inline"),
        ("sentence", "sup", "noteref"): _Rule("noteref"),
        ("noteref", "a", None): _Rule(
            "mark",
            {
                "href": re.compile(r"#fn-\d+"),
                "id": re.compile(r"fnref-\d+"),
                "role": "doc-noteref",
                "aria-describedby": "notes",
            },
        ),
        ("block-quote", "blockquote", None): _Rule("quote"),
        ("block-quote", "figcaption", None): _Rule("attribution"),
        ("quote", "p", None): _Rule("quote-paragraph"),
        ("bibliography", "li", None): _Rule("entry"),
        ("sources", "li", None): _Rule("source", {"id": re.compile(r"src-\d+")}),
        ("source", "cite", None): _Rule("cite"),
        ("source", "a", None): _Rule("source-url", {"href": _WEB}),
        ("notes", "h2", None): _Rule("notes-heading", {"id": "notes"}),
        ("notes", "ol", None): _Rule("note-list"),
        # data-cites: the note's citations (the checker compares them with the manifest's; a
        # note without them is reported there)
        ("note-list", "li", None): _Rule(
            "note", {"id": re.compile(r"fn-\d+"), "data-cites": _ANY}, frozenset({"data-cites"})
        ),
        ("note", "p", None): _Rule("note-paragraph"),
        ("note", "figure", "excerpt"): _Rule("excerpt"),
        ("note-paragraph", "span", "note-text"): _Rule("note-text"),
        ("note-paragraph", "a", "backlink"): _Rule(
            "backlink",
            {
                "href": re.compile(r"#fnref-\d+"),
                "role": "doc-backlink",
                # in the page's language: the checker compares it with the manifest's
                "aria-label": _ONE_LINE,
            },
        ),
        ("excerpt", "blockquote", "exact"): _Rule("exact", {"cite": _WEB}, frozenset({"cite"})),
        ("excerpt", "figcaption", None): _Rule("caption"),
        ("caption", "code", None): _Rule("code"),
        ("caption", "a", "source-link"): _Rule("source-link", {"href": _WEB}),
    }
    for level in range(2, 7):
        found["main", f"h{level}", None] = _Rule("heading", {"id": anchor})
    # a table: its caption, head and body; the checker compares each cell's element, scope,
    # alignment class and text with the manifest's table (so that it can name the cell)
    found["main", "table", None] = _Rule("table", {"id": re.compile(r"table-\d+")})
    found["table", "caption", None] = _Rule("table-caption")
    found["table", "thead", None] = _Rule("thead")
    found["table", "tbody", None] = _Rule("tbody")
    found["thead", "tr", None] = _Rule("header-row")
    found["tbody", "tr", None] = _Rule("row")
    for row in ("header-row", "row"):
        for cell in ("th", "td"):
            for align in (None, *ALIGN_CLASS.values()):
                found[row, cell, align] = _Rule("table-cell", {"scope": _ANY}, frozenset({"scope"}))
    sentence_id = re.compile(r"s-.+", re.DOTALL)
    # the table of contents: a title and nested lists of links to the headings
    found["main", "nav", "contents"] = _Rule("contents-nav", {"aria-labelledby": "contents"})
    found["contents-nav", "h2", None] = _Rule("contents-label", {"id": "contents"})
    found["contents-nav", "ul", None] = _Rule("contents-list")
    found["contents-list", "li", None] = _Rule("contents-item")
    found["contents-item", "ul", None] = _Rule("contents-list")
    found["contents-item", "a", None] = _Rule(
        "contents-link", {"href": re.compile(f"#(?:{HEADING_ANCHOR.pattern})")}
    )
    # an image: its img (whose src, alt and size the checker compares with the manifest's)
    # and its caption, the label and the caption sentence
    found["main", "figure", "image"] = _Rule("image-figure", {"id": re.compile(r"figure-\d+")})
    found["image-figure", "img", None] = _Rule(
        "img", {"src": _ANY, "alt": _ANY, "width": _DIGITS, "height": _DIGITS}
    )
    found["image-figure", "figcaption", None] = _Rule("image-caption")
    found["image-caption", "span", "figure-label"] = _Rule("figure-label")
    # the author's emphasis and links to web pages, in their sentence
    found["sentence", "em", None] = _Rule("em")
    found["sentence", "strong", None] = _Rule("strong")
    found["sentence", "a", "link"] = _Rule("link", {"href": LINK_URL, "rel": LINK_REL})
    # a cross-reference: a link to a section, table or image, in its sentence
    found["sentence", "a", "ref"] = _Rule("ref", {"href": re.compile(f"#(?:{REF_ANCHOR.pattern})")})
    for parent in ("paragraph", "item", "quote-paragraph", "table-cell", "image-caption"):
        for classes in ("sentence", "sentence analysis"):
            found[parent, "span", classes] = _Rule("sentence", {"id": sentence_id})
        found[parent, "strong", "label"] = _Rule("label")
    return found


_RULES = _rules()

#: What the writer writes in ``<head>`` besides the title and the style sheet.
_METAS: tuple[Mapping[str, _Value], ...] = (
    {"charset": "utf-8"},
    {"name": "viewport", "content": "width=device-width, initial-scale=1"},
    {"name": re.compile(r"generator|author|description"), "content": _ANY},
)

#: Elements that hold text, where the writer may break a line with ``<br>``.
_LINES = frozenset(
    {"h1", "heading", "subtitle", "author", "time", "sentence", "inline", "cite", "source"}
    | {"source-url", "attribution", "note-text", "exact", "code", "entry"}
    | {"table-caption", "table-cell", "contents-label", "contents-link", "figure-label", "ref"}
)
#: Elements a page has exactly once.
_ONCE = ("html", "head", "body", "main", "title", "style")
#: Elements a page has at most once.
_AT_MOST_ONCE = frozenset({*_ONCE, "script", "header", "notes", "contents-nav"})
#: Where a sentence stands, by the kind of its parent.
_BLOCK_OF = {
    "paragraph": "paragraph",
    "item": "item",
    "quote-paragraph": "quote",
    "table-cell": "cell",
    "image-caption": "caption",
}


#: Elements a browser shows in italics or in bold. briefkit's own italics and bold are told
#: apart by their kind: the analysis label (``<strong class="label">``), a source's title in
#: the appendix (``<cite>``), and elements bold by the style sheet (headings, table headers).
_ITALIC_TAGS = frozenset({"em", "i", "cite", "var", "dfn", "address"})
_BOLD_TAGS = frozenset({"strong", "b"})
_OWN_EMPHASIS = frozenset({"label", "cite"})
#: The kinds of briefkit's own links out of the page: the sources appendix's addresses and
#: each excerpt's link to its passage.
_OWN_LINKS = frozenset({"source-url", "source-link"})


def _css_styles(css: str) -> list[str]:
    """``em`` and/or ``strong`` when a ``style`` attribute sets italics or bold (one pass over
    its declarations)."""
    found: list[str] = []
    for declaration in css.split(";"):
        name, colon, value = declaration.partition(":")
        if not colon:
            continue
        name = name.strip().lower()
        words = value.lower().replace(",", " ").replace("!", " ").split()
        if name in ("font", "font-style") and ("italic" in words or "oblique" in words):
            found.append("em")
        if name in ("font", "font-weight") and any(
            w in ("bold", "bolder") or (w.isdigit() and len(w) <= 4 and int(w) >= 600)
            for w in words
        ):
            found.append("strong")
    return found


def _styles(tag: str, kind: str, found: Mapping[str, str]) -> list[str]:
    """How an element shows its text: ``em`` (italics) and/or ``strong`` (bold), unless it is
    briefkit's own furniture."""
    out: list[str] = []
    if kind not in _OWN_EMPHASIS:
        if tag in _ITALIC_TAGS:
            out.append("em")
        elif tag in _BOLD_TAGS:
            out.append("strong")
    if "style" in found:
        out += _css_styles(found["style"])
    return out


def _outward(tag: str, kind: str, found: Mapping[str, str]) -> str | None:
    """Where a link leads when it leads out of the page (any ``href`` but a ``#fragment``), and
    it is not one of briefkit's own links of the appendix and the notes."""
    href = found.get("href")
    if tag != "a" or href is None or kind in _OWN_LINKS or href.strip().startswith("#"):
        return None
    return href


def _value_ok(value: str, want: _Value) -> bool:
    return value == want if isinstance(want, str) else want.fullmatch(value) is not None


def _attrs_ok(
    found: Mapping[str, str], want: Mapping[str, _Value], optional: frozenset[str]
) -> bool:
    if not set(want) - optional <= set(found) <= set(want):
        return False
    return all(_value_ok(found[k], want[k]) for k in found)


def _show(tag: str, attributes: list[tuple[str, str | None]]) -> str:
    """A start tag as it stands in the page (shortened)."""
    parts = [tag]
    for key, value in attributes:
        parts.append(key if value is None else f'{key}="{value}"')
    shown = "<" + " ".join(parts) + ">"
    return shown if len(shown) <= 120 else shown[:119] + "…>"


def _quote_text(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@attrs.frozen
class _Context:
    """What the text at one point of the page belongs to."""

    kind: str = "root"  # the kind of the innermost element (see _RULES), "foreign" outside
    sentence: str | None = None
    note: int | None = None
    note_text: bool = False
    hidden: bool = False  # inside a note mark or back link
    mark: int | None = None  # index into marks while inside a note mark
    manifest: bool = False
    label: bool = False  # inside a <strong class="label">
    main: bool = False  # inside <main>
    head: bool = False  # inside <head>
    excerpt: int | None = None  # index into excerpts while inside an excerpt figure
    exact: bool = False  # inside the exact text of an excerpt
    caption: bool = False  # inside the caption of an excerpt
    heading: int | None = None  # index into headings while inside a heading
    entry: int | None = None  # index into entries while inside a bibliography entry
    raw: bool = False  # inside a foreign <script> or <style>, whose text is not shown
    table: int | None = None  # index into tables while inside a table
    table_caption: int | None = None  # index into that table's captions inside one
    cell: int | None = None  # index into cells while inside a table cell
    place: str | None = None  # "table 2, row 3, column 1" inside a table
    figure: int | None = None  # index into figures while inside an image figure
    figure_label: bool = False  # inside a figure's label
    nav: int | None = None  # index into navs while inside the table of contents
    nav_label: bool = False  # inside its title
    depth: int = 0  # how many of its lists are open
    toc_entry: int | None = None  # index into its links while inside one
    ref: int | None = None  # index into refs while inside a cross-reference link
    styles: tuple[str, ...] = ()  # "em" and "strong" when markup shows the text so
    href: str | None = None  # where the innermost link out of the page leads, inside one


_TOP = _Context()

#: What a finding records: what, line, column, sentence, note, how many sentences opened
#: before it (-1: anywhere), whether it is in the page head, and its place in a table.
_Found = tuple[str, int, int, str | None, int | None, int, bool, str | None]


@attrs.define
class _CellBuild:
    tag: str
    scope: str | None
    align: str | None
    line: int
    column: int
    text: list[str] = attrs.Factory(list)
    sentences: list[str] = attrs.Factory(list)


@attrs.define
class _FigureBuild:
    id: str | None
    line: int
    column: int
    images: list[HtmlImage] = attrs.Factory(list)
    labels: list[list[str]] = attrs.Factory(list)
    captions: int = 0
    sentences: list[str] = attrs.Factory(list)


@attrs.define
class _NavBuild:
    line: int
    column: int
    labels: list[list[str]] = attrs.Factory(list)
    entries: list[tuple[int, str | None, list[str]]] = attrs.Factory(list)


@attrs.define
class _TableBuild:
    id: str | None
    line: int
    column: int
    captions: list[list[str]] = attrs.Factory(list)
    head: list[list[int]] = attrs.Factory(list)  # each row's cells, indices into cells
    body: list[list[int]] = attrs.Factory(list)


class _Parser(HTMLParser):
    def __init__(self, label: str) -> None:
        super().__init__(convert_charrefs=True)
        self.label = label
        self.lang: str | None = None
        self.note_cites: dict[int, str] = {}
        self.backlinks: dict[int, str] = {}
        self.entries: list[list[str]] = []
        self.stack: list[tuple[str, _Context]] = []
        self.open_count: dict[str, int] = {}
        self.ids: set[str] = set()
        self.duplicates: list[str] = []
        self.sentences: dict[str, list[str]] = {}
        self.notes: dict[int, list[str]] = {}
        self.marks: list[tuple[list[str], str | None, str | None, str | None]] = []
        self.manifest_parts: list[str] | None = None
        self.label_text: list[str] = []
        self.label_pending: str | None = None  # the text of a label, the last thing shown
        self.labels: dict[str, str] = {}
        self.note_order: list[int] = []
        self.visible: list[str] = []
        self.title: list[str] | None = None
        self.style: list[str] | None = None
        self.script: list[str] = []
        self.findings: list[_Found] = []
        self.stray: list[_Found] = []
        self.tables: list[_TableBuild] = []
        self.cells: list[_CellBuild] = []
        self.figures: list[_FigureBuild] = []
        self.navs: list[_NavBuild] = []
        self.refs: list[tuple[str | None, str | None, list[str]]] = []
        self.heading_ids: list[str | None] = []
        self.excerpts: list[tuple[int, list[str], list[str], str | None, list[str]]] = []
        self.headings: list[tuple[int, list[str]]] = []
        self.sentence_blocks: dict[str, str] = {}
        self.source_links: list[tuple[int, str]] = []
        self.sources_seen = 0
        self.seen: dict[str, int] = {}
        self.doctype = False
        self.started = False
        self.findings_left_off = 0  # foreign markup beyond MAX_FINDINGS, counted only
        self.stray_left_off = 0  # stray text beyond MAX_FINDINGS, counted only
        self.emphasis: dict[str, list[tuple[str, str]]] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self.emphasis_found: list[_Found] = []  # emphasis outside every sentence
        self.links_found: list[_Found] = []  # links out of the page outside every sentence
        self.elsewhere_left_off = [0, 0]  # of each, beyond MAX_FINDINGS, counted only

    @property
    def here(self) -> _Context:
        return self.stack[-1][1] if self.stack else _TOP

    def _find(self, what: str, ctx: _Context | None = None, *, anywhere: bool = False) -> None:
        """Note markup briefkit does not write, here (or ``anywhere`` in the page)."""
        if len(self.findings) >= MAX_FINDINGS:
            self.findings_left_off += 1
            return
        ctx = ctx or self.here
        line, column = self.getpos()
        before = -1 if anywhere else len(self.sentences)
        self.findings.append(
            (what, line, column + 1, ctx.sentence, ctx.note, before, ctx.head, ctx.place)
        )

    def _classify(
        self,
        tag: str,
        attributes: list[tuple[str, str | None]],
        found: dict[str, str],
        ctx: _Context,
    ) -> str:
        """The kind of an element that opens in ``ctx``, noting what briefkit does not
        write."""
        parent = ctx.kind

        def find(what: str) -> None:
            self._find(what, ctx)

        if parent == "foreign":  # reported with its outermost foreign element
            return "foreign"
        names = [key for key, _value in attributes]
        if len(set(names)) != len(names):
            find(f"the element {_show(tag, attributes)} repeats an attribute")
        if tag == "br" and parent in _LINES:
            if found:
                find(f"the line break {_show(tag, attributes)} has attributes")
            return "br"
        if tag == "meta" and parent == "head":
            if not any(_attrs_ok(found, want, frozenset()) for want in _METAS):
                find(f"the element {_show(tag, attributes)} is not briefkit's")
            return "meta"
        rule = _RULES.get((parent, tag, found.get("class")))
        if rule is None:
            find(f"the element {_show(tag, attributes)} is not part of a briefkit page here")
            return "foreign"
        others = {k: v for k, v in found.items() if k != "class"}
        if not _attrs_ok(others, rule.attributes, rule.optional):
            find(
                f"the element {_show(tag, attributes)} does not carry the attributes briefkit "
                "gives it"
            )
        if rule.kind in _AT_MOST_ONCE:
            self.seen[rule.kind] = self.seen.get(rule.kind, 0) + 1
            if self.seen[rule.kind] > 1:
                find(f"a second {_show(tag, attributes)} element")
        if rule.kind == "script" and "main" not in self.seen:
            find("the manifest data block stands before <main>")
        if rule.kind == "head" and "body" in self.seen:
            find("<head> stands after <body>")
        return rule.kind

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.started:
            self.started = True
            if not self.doctype:
                self._find("the page does not start with <!DOCTYPE html>")
        found: dict[str, str] = {}
        for key, value in attrs:
            found.setdefault(key, value or "")
        ctx = self.here
        el_id = found.get("id")
        if el_id is not None:
            if el_id in self.ids:
                self.duplicates.append(el_id)
            self.ids.add(el_id)
        own = el_id[2:] if el_id is not None and el_id.startswith("s-") else None
        pre = ctx if not own else evolve(ctx, sentence=own)
        if tag in ("th", "td") and ctx.kind in ("header-row", "row") and ctx.table is not None:
            row = self._row(ctx)
            pre = evolve(pre, place=f"{ctx.place}, column {len(row) + 1}")
        kind = self._classify(tag, attrs, found, pre)
        if tag == "br":
            self._text("\n")
        if kind == "img" and ctx.figure is not None:
            line, column = self.getpos()
            self.figures[ctx.figure].images.append(
                HtmlImage(
                    found.get("src") if "src" in found else None,
                    found.get("alt") if "alt" in found else None,
                    found.get("width") if "width" in found else None,
                    found.get("height") if "height" in found else None,
                    line,
                    column + 1,
                )
            )
        if tag in _VOID:
            return
        ctx = evolve(ctx, kind=kind, raw=ctx.raw or tag in self.CDATA_CONTENT_ELEMENTS)
        classes = found.get("class", "").split()
        role = found.get("role")
        if kind == "html" and self.lang is None:
            self.lang = found.get("lang")
        if kind == "main":
            ctx = evolve(ctx, main=True)
        elif kind == "head":
            ctx = evolve(ctx, head=True)
        elif kind == "title" and self.title is None:
            self.title = []
        elif kind == "style" and self.style is None:
            self.style = []
        elif kind == "heading" or kind == "notes-heading":
            self.headings.append((int(tag[1]), []))
            self.heading_ids.append(el_id)
            ctx = evolve(ctx, heading=len(self.headings) - 1)
        elif kind == "entry":
            self.entries.append([])
            ctx = evolve(ctx, entry=len(self.entries) - 1)
        elif kind == "source":
            self.sources_seen += 1
        elif kind == "source-url":
            self.source_links.append((self.sources_seen, found.get("href", "")))
        ctx = self._table(kind, tag, ctx, found, pre.place)
        ctx = self._figure_or_nav(kind, ctx, found)
        if tag == "script" and el_id == MANIFEST_ID:
            if self.manifest_parts is not None:
                raise ReadError(f"{self.label}: more than one provenance manifest")
            self.manifest_parts = []
            ctx = evolve(ctx, manifest=True)
        elif el_id is not None and el_id.startswith("s-"):
            ctx = evolve(ctx, sentence=el_id[2:])
            self.sentences.setdefault(el_id[2:], [])
            if self.label_pending is not None and ctx.sentence is not None:
                self.labels.setdefault(ctx.sentence, self.label_pending)
            self.label_pending = None
            if kind == "sentence":
                self.sentence_blocks.setdefault(el_id[2:], _BLOCK_OF[self.here.kind])
            if ctx.cell is not None and el_id[2:] not in self.cells[ctx.cell].sentences:
                self.cells[ctx.cell].sentences.append(el_id[2:])
            if ctx.figure is not None and el_id[2:] not in self.figures[ctx.figure].sentences:
                self.figures[ctx.figure].sentences.append(el_id[2:])
        elif tag == "li" and el_id is not None and _NOTE_ID.match(el_id):
            ctx = evolve(ctx, note=int(el_id[3:]), note_text=False)
            self.note_order.append(int(el_id[3:]))
            if kind == "note" and "data-cites" in found:
                self.note_cites.setdefault(int(el_id[3:]), found["data-cites"])
        if tag == "strong" and "label" in classes and ctx.sentence is None:
            self.label_text = []
            ctx = evolve(ctx, label=True)
        if "note-text" in classes and ctx.note is not None:
            self.notes.setdefault(ctx.note, [])
            ctx = evolve(ctx, note_text=True)
        if tag == "a" and role == "doc-noteref":
            self.marks.append(([], found.get("href"), ctx.sentence, el_id))
            ctx = evolve(ctx, hidden=True, mark=len(self.marks) - 1)
        elif tag == "a" and role == "doc-backlink":
            ctx = evolve(ctx, hidden=True, mark=None)
            if kind == "backlink" and ctx.note is not None:
                self._backlink(ctx, found)
        ctx = self._excerpt(kind, ctx, found)
        ctx = self._inline(tag, attrs, kind, ctx, found)
        if len(self.stack) >= MAX_DEPTH:
            line, column = self.getpos()
            raise ReadError(
                f"{self.label}: line {line}, column {column + 1}: <{tag}> opens more than "
                f"{MAX_DEPTH} nested elements (a briefkit page nests them about a dozen deep)"
            )
        self.stack.append((tag, ctx))
        self.open_count[tag] = self.open_count.get(tag, 0) + 1

    def _inline(
        self,
        tag: str,
        attributes: list[tuple[str, str | None]],
        kind: str,
        ctx: _Context,
        found: dict[str, str],
    ) -> _Context:
        """Note the italics, bold and link out of the page that an element shows its text in:
        in a sentence they are the sentence's (its text is recorded with them); elsewhere the
        outermost such element is a finding of its own."""
        styles = [style for style in _styles(tag, kind, found) if style not in ctx.styles]
        if styles:
            if ctx.sentence is None and not ctx.styles:
                shown = " and ".join("in bold" if s == "strong" else "in italics" for s in styles)
                self._elsewhere(
                    self.emphasis_found, f"{_show(tag, attributes)} shows its text {shown}", ctx
                )
            ctx = evolve(ctx, styles=(*ctx.styles, *styles))
        href = _outward(tag, kind, found)
        if href is not None:
            if ctx.sentence is None and ctx.href is None:
                self._elsewhere(
                    self.links_found, f"{_show(tag, attributes)} links to {_quote_text(href)}", ctx
                )
            ctx = evolve(ctx, href=href)
        return ctx

    def _elsewhere(self, found: list[_Found], what: str, ctx: _Context) -> None:
        """Note emphasis or a link outside every sentence (at most MAX_FINDINGS of each)."""
        if len(found) >= MAX_FINDINGS:
            self.elsewhere_left_off[0 if found is self.emphasis_found else 1] += 1
            return
        line, column = self.getpos()
        found.append(
            (what, line, column + 1, None, ctx.note, len(self.sentences), ctx.head, ctx.place)
        )

    def _row(self, ctx: _Context) -> list[int]:
        """The cells of the row open in ``ctx`` (a header row or a body row)."""
        assert ctx.table is not None
        table = self.tables[ctx.table]
        return (table.head if ctx.kind == "header-row" else table.body)[-1]

    def _table(
        self, kind: str, tag: str, ctx: _Context, found: dict[str, str], place: str | None
    ) -> _Context:
        """Record the table, caption, row or cell that opens (``ctx`` is its own context)."""
        if kind == "table":
            line, column = self.getpos()
            self.tables.append(_TableBuild(found.get("id"), line, column + 1))
            n = len(self.tables)
            return evolve(ctx, table=n - 1, place=f"table {n}")
        if ctx.table is None:
            return ctx
        table = self.tables[ctx.table]
        if kind == "table-caption":
            table.captions.append([])
            return evolve(
                ctx, table_caption=len(table.captions) - 1, place=f"table {ctx.table + 1}, caption"
            )
        if kind in ("header-row", "row"):
            rows = table.head if kind == "header-row" else table.body
            rows.append([])
            n = len(rows)
            name = f"row {n}" if kind == "row" else "header" if n == 1 else f"header row {n}"
            return evolve(ctx, place=f"table {ctx.table + 1}, {name}")
        if kind == "table-cell":
            line, column = self.getpos()
            self.cells.append(
                _CellBuild(tag, found.get("scope"), found.get("class"), line, column + 1)
            )
            self._row(self.here).append(len(self.cells) - 1)
            return evolve(ctx, cell=len(self.cells) - 1, place=place)
        return ctx

    def _figure_or_nav(self, kind: str, ctx: _Context, found: dict[str, str]) -> _Context:
        """Record the image figure, the table of contents, or a part of one, or the
        cross-reference link that opens (``ctx`` is its own context)."""
        if kind == "image-figure":
            line, column = self.getpos()
            self.figures.append(_FigureBuild(found.get("id"), line, column + 1))
            n = len(self.figures)
            return evolve(ctx, figure=n - 1, place=f"figure {n}")
        if kind == "image-caption" and ctx.figure is not None:
            self.figures[ctx.figure].captions += 1
            return ctx
        if kind == "figure-label" and ctx.figure is not None:
            self.figures[ctx.figure].labels.append([])
            return evolve(ctx, figure_label=True)
        if kind == "contents-nav":
            line, column = self.getpos()
            self.navs.append(_NavBuild(line, column + 1))
            return evolve(ctx, nav=len(self.navs) - 1, place="the table of contents")
        if ctx.nav is None:
            if kind == "ref":
                self.refs.append((ctx.sentence, found.get("href"), []))
                return evolve(ctx, ref=len(self.refs) - 1)
            return ctx
        nav = self.navs[ctx.nav]
        if kind == "contents-label":
            nav.labels.append([])
            return evolve(ctx, nav_label=True)
        if kind == "contents-list":
            return evolve(ctx, depth=ctx.depth + 1)
        if kind == "contents-link":
            nav.entries.append((ctx.depth, found.get("href"), []))
            return evolve(ctx, toc_entry=len(nav.entries) - 1)
        return ctx

    def _backlink(self, ctx: _Context, found: dict[str, str]) -> None:
        n = ctx.note
        assert n is not None
        if found.get("href") != f"#fnref-{n}":
            self._find(f"the back link of note {n} does not lead back to its mark", ctx)
        if "aria-label" in found:  # without one, the element is foreign markup
            self.backlinks.setdefault(n, found["aria-label"])

    def _excerpt(self, kind: str, ctx: _Context, found: dict[str, str]) -> _Context:
        if kind == "excerpt" and ctx.note is not None:
            self.excerpts.append((ctx.note, [], [], None, []))
            return evolve(ctx, excerpt=len(self.excerpts) - 1)
        if ctx.excerpt is None:
            return ctx
        note, exact, caption, _cite, link = self.excerpts[ctx.excerpt]
        if kind == "exact":
            self.excerpts[ctx.excerpt] = (note, exact, caption, found.get("cite"), link)
            return evolve(ctx, exact=True)
        if kind == "caption":
            return evolve(ctx, caption=True)
        if kind == "source-link":
            link.append(found.get("href", ""))
        return ctx

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            # a browser ignores the slash and leaves the element open
            self._find(f"the self-closing tag {_show(tag, attrs)[:-1]}/>")
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_count.get(tag):
            self._find(f"the end tag </{tag}> closes no open element")
            return  # a stray end tag closes nothing
        while self.stack:  # pops never outnumber pushes: linear over the whole page
            open_tag, ctx = self.stack.pop()
            self.open_count[open_tag] -= 1
            if ctx.label and not self.here.label:
                self.label_pending = "".join(self.label_text).strip()
            if open_tag == tag:
                break
            self._find(f"<{open_tag}> is not closed before </{tag}>", ctx)

    def handle_data(self, data: str) -> None:
        ctx = self.here
        if ctx.manifest and self.manifest_parts is not None:
            self.manifest_parts.append(data)
            return
        if ctx.kind == "script":
            self.script.append(data)
            return
        if ctx.kind in ("style", "title"):
            collected = self.style if ctx.kind == "style" else self.title
            if self.seen.get(ctx.kind) == 1 and collected is not None:
                collected.append(data)
            else:  # a second one is reported as such
                self._text(data)
            return
        if ctx.raw:
            return  # a foreign script or style sheet: reported, never shown
        if ctx.mark is not None:
            self.marks[ctx.mark][0].append(data)
        self._text(data)

    def _text(self, data: str) -> None:
        ctx = self.here
        if ctx.main:
            self.visible.append(data)
        elif data.strip() and not ctx.manifest and len(self.stray) >= MAX_FINDINGS:
            self.stray_left_off += 1
        elif data.strip() and not ctx.manifest:
            line, column = self.getpos()
            self.stray.append(
                (
                    f"text outside the page's main content: {_quote_text(data)}",
                    line,
                    column + 1,
                    ctx.sentence,
                    ctx.note,
                    len(self.sentences),
                    ctx.head,
                    ctx.place,
                )
            )
        if ctx.heading is not None:
            self.headings[ctx.heading][1].append(data)
        if ctx.entry is not None:
            self.entries[ctx.entry].append(data)
        if ctx.excerpt is not None:
            if ctx.exact:
                self.excerpts[ctx.excerpt][1].append(data)
            elif ctx.caption:
                self.excerpts[ctx.excerpt][2].append(data)
        if ctx.cell is not None:
            self.cells[ctx.cell].text.append(data)
        if ctx.table_caption is not None and ctx.table is not None:
            self.tables[ctx.table].captions[ctx.table_caption].append(data)
        if ctx.figure_label and ctx.figure is not None:
            self.figures[ctx.figure].labels[-1].append(data)
        if ctx.nav is not None:
            nav = self.navs[ctx.nav]
            if ctx.nav_label:
                nav.labels[-1].append(data)
            if ctx.toc_entry is not None:
                nav.entries[ctx.toc_entry][2].append(data)
        if ctx.ref is not None:
            self.refs[ctx.ref][2].append(data)
        if ctx.hidden or ctx.manifest:
            return
        if ctx.label:
            self.label_text.append(data)
        elif data.strip():
            self.label_pending = None
        if ctx.sentence is not None:
            self.sentences.setdefault(ctx.sentence, []).append(data)
            if ctx.styles:
                self.emphasis.setdefault(ctx.sentence, []).extend((data, s) for s in ctx.styles)
            if ctx.href is not None:
                self.links.setdefault(ctx.sentence, []).append((data, ctx.href))
        if ctx.note is not None and ctx.note_text:
            self.notes.setdefault(ctx.note, []).append(data)

    def handle_comment(self, data: str) -> None:
        self._find(f"a comment: {_quote_text(data)}")

    def handle_decl(self, decl: str) -> None:
        if decl.lower() != "doctype html" or self.started or self.doctype:
            self._find(f"the declaration <!{decl}>")
        self.doctype = True

    def handle_pi(self, data: str) -> None:
        self._find(f"the processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._find(f"the declaration <![{data}]>")

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![`` and a keyword html.parser does not know reads as a browser reads it: a
        bogus comment up to the next ``>`` (reported as a comment)."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # html.parser's "unknown status keyword", "expected name token"
            return self.parse_bogus_comment(i, report)

    def close(self) -> None:
        """The end of the page. When it ends inside markup that is never finished (a comment
        without ``-->``, a tag without ``>``, an attribute value without its closing quote …)
        that markup runs to the end of the page, as a browser reads it: it is reported once
        and nothing after it is read. (html.parser would instead read the unfinished markup
        as text and start again right after it, re-scanning the rest of the page for every
        ``<`` that follows: quadratic time on a page of unfinished tags or comments.)"""
        tail = self.rawdata
        if len(tail) > 1 and tail[0] == "<" and self.cdata_elem is None:
            self._find(
                f"the page ends inside {_unfinished(tail)} that starts here "
                f"({_quote_text(tail, 40)}); a browser shows nothing after it"
            )
            self.rawdata = ""
        super().close()

    def finish(self) -> None:
        """Note what the page leaves open and what it lacks."""
        for tag, ctx in reversed(self.stack):
            self._find(f"<{tag}> is never closed", ctx)
        for kind in _ONCE:
            if kind not in self.seen:
                self._find(f"the page has no <{kind}> element", _TOP, anywhere=True)
        if any("<" in part for part in [*self.script, *(self.manifest_parts or [])]):
            self._find("the manifest data block holds a '<'", _TOP, anywhere=True)
        line, column = self.getpos()
        if self.findings_left_off:
            more = self.findings_left_off
            what = f"… and {more} more pieces of markup briefkit does not write, up to here"
            self.findings.append((what, line, column + 1, None, None, -1, False, None))
        if self.stray_left_off:
            what = f"text in {self.stray_left_off} more places, up to here"
            self.stray.append((what, line, column + 1, None, None, -1, False, None))
        for found, more, what in zip(
            (self.emphasis_found, self.links_found),
            self.elsewhere_left_off,
            ("elements in italics or bold", "links"),
            strict=True,
        ):
            if more:
                what = f"… and {more} more {what}, up to here"
                found.append((what, line, column + 1, None, None, -1, False, None))


def _unfinished(tail: str) -> str:
    """What the unfinished markup at the start of ``tail`` is."""
    if tail.startswith("<!--"):
        return "a comment"
    if tail.startswith("<?"):
        return "a processing instruction"
    if tail.startswith("<!"):
        return "a declaration"
    if tail.startswith("</"):
        return "an end tag"
    return "a start tag"


def _findings(found: list[_Found], order: list[str]) -> tuple[Finding, ...]:
    out: list[Finding] = []
    for what, line, column, sentence, note, before, head, place in found:
        if sentence is not None:
            where = f"in sentence {sentence}" + (f" ({place})" if place else "")
        elif place is not None:
            where = f"in {place}"
        elif note is not None:
            where = f"in note {note}"
        elif head:
            where = "in the page head"
        elif 0 <= before < len(order):
            sentence = order[before]
            where = f"before sentence {sentence}"
        elif order and before >= 0:
            where = f"after sentence {order[-1]}"
        else:
            where = "in the page"
        out.append(Finding(what, line, column, where, sentence, note))
    return tuple(out)


def decode_utf8(data: bytes, label: str) -> str:
    """Strict UTF-8 text (one leading BOM dropped), naming ``label`` when it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{label}: not UTF-8 text (byte offset {exc.start}: {exc.reason})"
        ) from None


def read_limited(source: str | os.PathLike[str] | bytes, label: str, limit: int) -> bytes:
    """The bytes of ``source`` (a path or bytes), refusing more than ``limit``."""
    if isinstance(source, bytes):
        data = source
    else:
        try:
            size = os.path.getsize(source)
            if size > limit:
                raise ReadError(f"{label}: {size} bytes is larger than {limit}")
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            raise ReadError(f"{label}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ReadError(f"{label}: more than {limit} bytes")
    return data


def read_html(
    source: str | os.PathLike[str] | bytes,
    *,
    where: str | None = None,
    max_bytes: int = MAX_HTML_BYTES,
    analysis_label: str | None = None,
) -> HtmlContents:
    """Read an HTML page (path or bytes) written by briefkit. ``labelled`` names the sentences
    after the label ``analysis_label`` (without its colon; by default the analysis label of
    the language the embedded manifest records)."""
    label = where or (os.fspath(source) if not isinstance(source, bytes) else "<html>")
    page = decode_utf8(read_limited(source, label, max_bytes), label)
    parser = _Parser(label)
    try:
        parser.feed(page)
        parser.close()
        parser.finish()
    except ReadError:
        raise
    except Exception as exc:  # html.parser has no error type of its own
        raise ReadError(f"{label}: not readable as HTML ({type(exc).__name__}: {exc})") from None
    manifest = None
    if parser.manifest_parts is not None:
        try:
            manifest = _manifest.parse("".join(parser.manifest_parts))
        except ManifestError as exc:
            raise ReadError(f"{label}: the embedded provenance manifest: {exc}") from None
    order = list(parser.sentences)
    if analysis_label is None:
        analysis_label = analysis_label_of(manifest)
    labelled = {sid for sid, shown in parser.labels.items() if shown == f"{analysis_label}:"}
    excerpts: dict[int, list[Excerpt]] = {}
    for note, exact, caption, cite, link in parser.excerpts:
        excerpts.setdefault(note, []).append(
            Excerpt("".join(exact), "".join(caption), cite, link[0] if link else None)
        )
    return HtmlContents(
        manifest=manifest,
        notes={n: "".join(parts) for n, parts in parser.notes.items()},
        marks=tuple(
            NoteMark(i, "".join(text), href, sentence, el_id)
            for i, (text, href, sentence, el_id) in enumerate(parser.marks, 1)
        ),
        sentences={sid: "".join(parts) for sid, parts in parser.sentences.items()},
        duplicate_ids=tuple(dict.fromkeys(parser.duplicates)),
        labelled=frozenset(labelled),
        note_order=tuple(parser.note_order),
        visible="".join(parser.visible),
        title=None if parser.title is None else "".join(parser.title),
        style=None if parser.style is None else "".join(parser.style),
        foreign=_findings(parser.findings, order),
        stray=_findings(parser.stray, order),
        excerpts={n: tuple(found) for n, found in excerpts.items()},
        headings=tuple((level, "".join(text)) for level, text in parser.headings),
        sentence_order=tuple(order),
        sentence_blocks=dict(parser.sentence_blocks),
        source_links=tuple(parser.source_links),
        labels=dict(parser.labels),
        note_cites=dict(parser.note_cites),
        lang=parser.lang,
        backlinks=dict(parser.backlinks),
        entries=tuple("".join(parts) for parts in parser.entries),
        tables=tuple(_table(t, parser.cells) for t in parser.tables),
        figures=tuple(
            HtmlFigure(
                f.id,
                tuple(f.images),
                tuple("".join(parts) for parts in f.labels),
                f.captions,
                tuple(f.sentences),
                f.line,
                f.column,
            )
            for f in parser.figures
        ),
        navs=tuple(
            HtmlNav(
                tuple("".join(parts) for parts in n.labels),
                tuple(HtmlEntry(d, href, "".join(parts)) for d, href, parts in n.entries),
                n.line,
                n.column,
            )
            for n in parser.navs
        ),
        refs=tuple(HtmlRef(sid, href, "".join(parts)) for sid, href, parts in parser.refs),
        heading_ids=tuple(parser.heading_ids),
        emphasis={sid: tuple(found) for sid, found in parser.emphasis.items()},
        links={sid: tuple(found) for sid, found in parser.links.items()},
        emphasis_elsewhere=_findings(parser.emphasis_found, order),
        links_elsewhere=_findings(parser.links_found, order),
    )


def _table(table: _TableBuild, cells: list[_CellBuild]) -> HtmlTable:
    def row(found: list[int]) -> tuple[HtmlCell, ...]:
        return tuple(
            HtmlCell(c.tag, c.scope, c.align, "".join(c.text), tuple(c.sentences), c.line, c.column)
            for c in (cells[k] for k in found)
        )

    return HtmlTable(
        table.id,
        tuple("".join(parts) for parts in table.captions),
        tuple(row(r) for r in table.head),
        tuple(row(r) for r in table.body),
        table.line,
        table.column,
    )


def analysis_label_of(manifest: Manifest | None) -> str:
    """The analysis label (without its colon) in the language ``manifest`` records (English
    without a manifest)."""
    locale = locale_of(manifest) if manifest is not None else Locale.named(DEFAULT_LOCALE)
    return locale.labels["analysis"]
