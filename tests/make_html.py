"""Small HTML pages, as bytes, for tests of the HTML source reader.

``make_html`` builds a page of headed sections of plain-text paragraphs (escaped here) inside
``<main>``, with a navigation bar and a footer around it; ``expected_text`` is the canonical
text the HTML reader makes of such a page; ``page`` wraps a raw body fragment in a document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

__all__ = ["FOOTER_BLOCKS", "NAV_BLOCKS", "expected_text", "make_html", "page"]

#: The blocks of the navigation bar ``make_html`` adds (one per link).
NAV_BLOCKS: tuple[str, ...] = ("Home", "About us")
#: The blocks of the footer ``make_html`` adds.
FOOTER_BLOCKS: tuple[str, ...] = ("© 2024 Example Org",)

_NAV = '<nav><ul><li><a href="/">Home</a></li>\n<li><a href="/about">About us</a></li></ul></nav>'
_FOOTER = "<footer><p>&copy; 2024 Example Org</p></footer>"
_ASCII_SPACE = re.compile(r"[\t\n\f\r ]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def page(
    body: str,
    *,
    title: str | None = None,
    head: str = "",
    encoding: str = "utf-8",
    charset: bool = True,
) -> bytes:
    """A whole document around the raw HTML ``body``: doctype, ``<meta charset>`` (unless
    ``charset`` is false), an optional ``<title>`` (escaped) and extra ``head`` markup, encoded
    in ``encoding`` (characters it cannot encode become character references)."""
    parts = ["<!DOCTYPE html>\n<html><head>"]
    if charset:
        parts.append(f'<meta charset="{encoding}">')
    if title is not None:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append(head)
    parts.append(f"</head>\n<body>\n{body}\n</body></html>\n")
    return "".join(parts).encode(encoding, "xmlcharrefreplace")


def make_html(
    sections: Sequence[tuple[str | None, Sequence[str]]],
    *,
    title: str | None = "Test page",
    url: str | None = None,
    extra_head: str = "",
    nav: bool = True,
    footer: bool = True,
    level: int = 2,
    encoding: str = "utf-8",
) -> bytes:
    """A page of ``sections``: each a heading (``<h{level}>``, none for None) and paragraphs
    (``<p>``), all plain text escaped here, inside ``<main>``; a ``<nav>`` before it and a
    ``<footer>`` after it unless turned off; ``url`` as ``<link rel="canonical">``."""
    if not 1 <= level <= 6:
        raise ValueError(f"heading level {level} is not 1–6")
    head = extra_head
    if url is not None:
        head = f'<link rel="canonical" href="{escape(url)}">' + head
    body: list[str] = []
    if nav:
        body.append(_NAV)
    body.append("<main>")
    for heading, paragraphs in sections:
        if heading is not None:
            body.append(f"<h{level}>{escape(heading)}</h{level}>")
        body.extend(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    body.append("</main>")
    if footer:
        body.append(_FOOTER)
    return page("\n".join(body), title=title, head=head, encoding=encoding)


def expected_text(
    sections: Sequence[tuple[str | None, Sequence[str]]],
    *,
    nav: bool = True,
    footer: bool = True,
    main_only: bool = False,
) -> str:
    """The canonical text the HTML reader makes of ``make_html(sections, …)`` (with
    ``main_only``: as read with ``main=True``). Control characters in the texts are not
    allowed here."""
    blocks: list[str] = []
    if nav and not main_only:
        blocks.extend(NAV_BLOCKS)
    for heading, paragraphs in sections:
        for text in ([heading] if heading is not None else []) + list(paragraphs):
            if _CONTROL.search(text):
                raise ValueError(f"{text!r}: control characters are not allowed here")
            block = _ASCII_SPACE.sub(" ", text).strip(" ")
            if block.strip():
                blocks.append(block)
    if footer and not main_only:
        blocks.extend(FOOTER_BLOCKS)
    return "\n\n".join(blocks)
