"""Write a brief as a Markdown brief that reads back to the same model.

One sentence per line; every excerpt is written as its exact words (with its span too when the
words occur more than once in the source), so the file reads well and pins each citation.
Author text is escaped so that nothing in it is read as syntax (``\\``, ``[``, ``]``, ``{``,
``}``, ``*`` and ``<`` always). Emphasis is written ``*words*`` or ``**words**``, a link shown
as its address ``<address>`` and one shown as words ``[words](address)`` (``(<address>)`` when
the address holds parentheses). Emphasis right next to emphasis of the other kind
(``*a***b**``) cannot be written and is refused; two of one kind side by side are written as
one. A sentence's flags are written
in its group (``!analysis`` first, then the citations, ``!several``, ``!accept "…"`` and the
id); a partial quotation gets the word ``partial``, a figure its ``measure="…"``.

A table is written as its caption paragraph ``Table: …``, a blank line, then the pipe table:
the header row, the alignment row (``---`` in every column when the table has no alignment,
else ``:--``, ``--:`` or ``:-:`` for left, right and centre) and one row per body row, each
cell on the row's line: a label as escaped text, a sentence as above (its line breaks written
as ``\\u{A}``), an empty cell as nothing; every ``|`` in a cell is written ``\\|``. The table
of differences is ``[!differences]`` (with its caption in quotes when it has one). A line of
author text that would start a table row, or a paragraph that would read as a caption
(``Table:``, ``Figure:``, ``:``), has its ``|`` or ``:`` escaped. The front matter gets
``differences: true`` and an ``accept_differences:`` list when the brief has them. A column
label or label cell of blanks only cannot be written (a Markdown brief reads it as an empty
cell) and is refused.

Ids and cross-references (:mod:`briefkit.mdbrief.refs`): a section's id is written ``{#id}``
at the end of its heading line, a table's at the end of its caption, an image's right after it,
the table of differences' as the last entry ``#id`` of ``[!differences …]``; a cross-reference
in a sentence is ``{>id}`` (``{>id page}`` with the page it leads to). ``contents: true`` in
the front matter asks for the table of contents.

An image (:mod:`briefkit.mdbrief.images`) is written as its own paragraph ``![alt](name)``
(with ``{#id}`` after it when it has one), a blank line, and its caption paragraph
``Figure: <caption sentence>``. The alt text escapes ``\\``, ``[`` and ``]``, and writes
control characters, and blanks at its ends, as ``\\u{…}``. ``name`` is the image's
:attr:`~briefkit.model.Image.name`, or ``figure-N.png`` / ``figure-N.jpg`` (N its number in
reading order: the name every output gives it) when it has none. **The writer does not write
image files**: :func:`image_files` gives each name with its bytes, to be written next to the
Markdown file — then the file reads back to the same brief (an image without a name reads back
named ``figure-N…``, which every output shows alike). Two images that would be written under
one name with different bytes are refused, as is a name that a path cannot be (``.``,
``..``).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import yaml

from briefkit.errors import ValidationError
from briefkit.excerpts import Excerpt, Figure, Quote
from briefkit.mdbrief.syntax import KEY
from briefkit.model import (
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
)
from briefkit.problems import Problem

__all__ = ["dumps", "image_files", "quoted"]

_SYNTAX = frozenset("\\[]{}*<")
_LINE_START = frozenset("#->+<*|:")
#: A caption's marker besides ``:`` (written with its colon escaped at a line's start).
_CAPTION_WORDS = ("Table:", "table:", "Figure:", "figure:")
_PIPE = re.compile(r"\\.|\|", re.S)  # an escape (kept) or a pipe
_ALIGN_MARKS = {"left": ":--", "right": "--:", "center": ":-:"}
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hex(ch: str) -> str:
    return f"\\u{{{ord(ch):X}}}"


def _needs_hex(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029"


def quoted(text: str) -> str:
    """``text`` as a ``"…"`` literal of the Markdown brief format."""
    out = []
    for ch in text:
        if ch in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[ch])
        elif _needs_hex(ch):
            out.append(_hex(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _text(text: str, *, multiline: bool, lead: bool, trail: bool, heading: bool = False) -> str:
    """Escape author text. Blanks that reading would trim — at the start (``lead``), at the end
    (``trail``) and after a line break — are written as escapes."""
    out: list[str] = []
    line_start = lead
    tail = len(text.rstrip(" \t")) if trail else len(text)
    last_break = len(text.rstrip(" \t\n")) if trail else len(text)
    colon = -1  # the colon of a "Table:" that starts a line
    for k, ch in enumerate(text):
        if ch == "\n" and multiline and k < last_break:
            out.append("\\\n")
            line_start = True
            continue
        if line_start and text.startswith(_CAPTION_WORDS, k):
            colon = text.index(":", k)
        if ch in _SYNTAX or k == colon:
            out.append("\\" + ch)
        elif ch in " \t" and (line_start or k >= tail):
            out.append(_hex(ch))
        elif (line_start and ch in _LINE_START) or (heading and ch == "#"):
            out.append("\\" + ch)
        elif _needs_hex(ch):
            out.append(_hex(ch))
        else:
            out.append(ch)
        line_start = False
    return "".join(out)


def _alt(text: str) -> str:
    """Alt text as written between ``![`` and ``]``."""
    out: list[str] = []
    tail = len(text.rstrip(" \t"))
    head = len(text) - len(text.lstrip(" \t"))
    for k, ch in enumerate(text):
        if ch in "\\[]":
            out.append("\\" + ch)
        elif _needs_hex(ch) or (ch in " \t" and (k < head or k >= tail)):
            out.append(_hex(ch))
        else:
            out.append(ch)
    return "".join(out)


def _named(brief: Brief) -> list[tuple[Image, str]]:
    """Each image of the brief in reading order, with the file name it is written as."""
    from briefkit._images import image_info

    out: list[tuple[Image, str]] = []
    given: dict[str, Image] = {}

    def visit(sec: Section) -> None:
        for block in sec.blocks:
            if isinstance(block, Image):
                name = block.name
                if name is None:
                    png = image_info(block.data).media_type == "image/png"
                    name = f"figure-{len(out) + 1}{'.png' if png else '.jpg'}"
                if name in (".", ".."):
                    _refuse(f"the image name {name!r} cannot name a file")
                other = given.setdefault(name, block)
                if other is not block and other.data != block.data:
                    _refuse(
                        f"two images would both be written as {name!r}, with different bytes; "
                        "give them names apart (Image name=…)"
                    )
                out.append((block, name))
        for sub in sec.subsections:
            visit(sub)

    for sec in brief.sections:
        visit(sec)
    return out


def image_files(brief: Brief) -> dict[str, bytes]:
    """The image files :func:`dumps` links to: each file name with the bytes to write there,
    next to the Markdown file (the writer writes no file itself)."""
    brief.validate()
    return {name: img.data for img, name in _named(brief)}


class _Writer:
    def __init__(self, keys: Mapping[str, str], names: Iterable[str]) -> None:
        self.keys = keys
        self.names = iter(names)  # each image's file name, in reading order

    def ref(self, ex: Excerpt, *, inline: bool) -> str:
        default = "quote" if inline else "paraphrase"
        words = [f"@{self.keys.get(ex.source_id, ex.source_id)}"]
        if ex.kind != default:
            words.append(ex.kind)
        if isinstance(ex, Figure):
            words.append(quoted(ex.value))
            if ex.text != ex.value:
                if self._unique(ex):
                    words.append(f"within={quoted(ex.text)}")
                else:
                    words.append(f"{ex.start}-{ex.end}")
            elif not self._unique(ex):
                words.append(f"{ex.start}-{ex.end}")
            if ex.unit is not None:
                words.append(f"unit={quoted(ex.unit)}")
            if ex.measure is not None:
                words.append(f"measure={quoted(ex.measure)}")
        else:
            words.append(quoted(ex.text))
            if not self._unique(ex):
                words.append(f"{ex.start}-{ex.end}")
        if isinstance(ex, Quote) and ex.partial:
            words.append("partial")
        if isinstance(ex, Quote) and ex.speaker is not None:
            words.append(f"speaker={quoted(ex.speaker)}")
        return " ".join(words)

    @staticmethod
    def _unique(ex: Excerpt) -> bool:
        found = ex.source.find_all(ex.text)
        return len(found) == 1 and (found[0].start, found[0].end) == (ex.start, ex.end)

    def sentence(self, sent: Sentence, *, last: bool, multiline: bool = True) -> str:
        out: list[str] = []
        parts = _merged(sent.parts)  # what reading gives back: the same text either way
        at_line_start = True  # the sentence starts a line; so does text after a line break
        for k, part in enumerate(parts):
            if isinstance(part, str):
                trail = all(isinstance(p, str) and not p for p in parts[k + 1 :])
                written = _text(part, multiline=multiline, lead=at_line_start, trail=trail)
                if written.endswith("!") and k + 1 < len(parts) and isinstance(parts[k + 1], Link):
                    written = written[:-1] + "\\!"  # "![" before a link would open an image
                out.append(written)
                if written:
                    at_line_start = written.endswith("\\\n")
            elif isinstance(part, Quote | Figure):
                out.append("{" + self.ref(part, inline=True) + "}")
                at_line_start = False
            elif isinstance(part, CrossRef):
                out.append(f"{{>{part.target}{' page' if part.page else ''}}}")
                at_line_start = False
            elif isinstance(part, Emphasis):
                stars = "**" if part.strong else "*"
                words = _text(part.text, multiline=multiline, lead=False, trail=False)
                out.append(stars + words + stars)
                at_line_start = False
            elif isinstance(part, Link):
                out.append(_link(part, multiline=multiline))
                at_line_start = False
        entries = ["!analysis"] if sent.analysis else []
        entries += [self.ref(c, inline=False) for c in sent.cites]
        if sent.several:
            entries.append("!several")
        if sent.accept_numbers:
            for number in sent.accept_numbers:
                if not any(ch.isdecimal() for ch in number):
                    raise ValidationError(
                        [
                            Problem(
                                "not-writable",
                                f"accepted number {number!r} has no digit; !accept takes numbers",
                            )
                        ]
                    )
            entries.append("!accept " + " ".join(map(quoted, sent.accept_numbers)))
        if sent.id is not None:
            entries.append(f"#{sent.id}")
        body = "".join(out)
        if entries:
            return f"{body} [{'; '.join(entries)}]"
        return body if last else f"{body} []"

    def table(self, tab: Table) -> list[str]:
        """The caption paragraph, a blank line and the pipe table (the brief is valid: every
        row has one cell per column, and the alignment one entry per column or none)."""
        caption = _text(tab.caption, multiline=False, lead=True, trail=True) + _id(tab.id)
        marks = [_ALIGN_MARKS[a] for a in tab.align] if tab.align else ["---"] * len(tab.header)
        out = [f"Table: {caption}", "", _row(map(self.label, tab.header)), _row(marks)]
        out += [_row(map(self.cell, row)) for row in tab.rows]
        return out

    @staticmethod
    def label(text: str) -> str:
        if text and not text.strip():
            raise ValidationError(
                [
                    Problem(
                        "not-writable",
                        f"the table label {text!r} is blanks only, which a Markdown brief "
                        'reads as an empty cell; write "" instead',
                    )
                ]
            )
        return _pipes(_text(text, multiline=False, lead=True, trail=True))

    def cell(self, cell: Cell) -> str:
        if isinstance(cell, str):
            return self.label(cell)
        return _pipes(self.sentence(cell, last=True, multiline=False))

    def section(self, sec: Section, level: int) -> list[str]:
        if level > 6:
            raise ValidationError(
                [
                    Problem(
                        "not-writable",
                        f"section {sec.heading!r} is nested {level} deep; headings go to 6",
                    )
                ]
            )
        heading = _text(sec.heading, multiline=False, lead=True, trail=True, heading=True)
        out = [f"{'#' * min(level, 6)} {heading}{_id(sec.id)}", ""]
        previous_list = False
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                n = len(block.sentences)
                out += [self.sentence(s, last=i == n - 1) for i, s in enumerate(block.sentences)]
                previous_list = False
            elif isinstance(block, BulletList):
                if previous_list:
                    out += ["<!-- a new list -->", ""]
                out += [f"- {self.sentence(s, last=True)}" for s in block.items]
                previous_list = True
            elif isinstance(block, BlockQuote):
                out.append(f"> {self.sentence(block.as_sentence(), last=True)}")
                previous_list = False
            elif isinstance(block, Table):
                out += self.table(block)
                previous_list = False
            elif isinstance(block, Differences):
                caption = "" if block.caption is None else " " + quoted(block.caption)
                sid = "" if block.id is None else f" #{block.id}"
                out.append(f"[!differences{caption}{sid}]")
                previous_list = False
            elif isinstance(block, Image):
                attribute = "" if block.id is None else f"{{#{block.id}}}"
                out += [f"![{_alt(block.alt)}]({next(self.names)}){attribute}", ""]
                out.append(f"Figure: {self.sentence(block.caption, last=True)}")
                previous_list = False
            out.append("")
        for sub in sec.subsections:
            out += self.section(sub, level + 1)
        return out


def _refuse(what: str) -> NoReturn:
    """Refuse what the format cannot hold, rather than drop it."""
    raise ValidationError([Problem("not-writable", what)])


def _id(sid: str | None) -> str:
    """The ``{#id}`` that ends a heading or a table caption."""
    return "" if sid is None else f" {{#{sid}}}"


def _merged(parts: tuple[Inline, ...]) -> list[Inline]:
    """``parts`` with adjacent text joined, adjacent emphasis of one kind joined and empty
    text dropped (what reading gives back); emphasis right next to emphasis of the other kind
    is refused (``*a***b**`` reads as neither)."""
    out: list[Inline] = []
    run: list[str] = []
    for part in parts:
        if isinstance(part, str):
            run.append(part)
            continue
        if "".join(run):
            out.append("".join(run))
        run = []
        last = out[-1] if out else None
        if isinstance(part, Emphasis) and isinstance(last, Emphasis):
            if part.strong != last.strong:
                _refuse(
                    f"emphasis {part.text!r} right after emphasis {last.text!r} of the other "
                    "kind (italics next to bold) cannot be written as a Markdown brief"
                )
            out[-1] = Emphasis(last.text + part.text, strong=part.strong)
            continue
        out.append(part)
    if "".join(run):
        out.append("".join(run))
    return out


def _link(link: Link, *, multiline: bool) -> str:
    """A link as written: ``<address>``, or ``[words](address)``."""
    if link.label is None:
        return f"<{link.url}>"
    words = _text(link.label, multiline=multiline, lead=False, trail=False)
    if words.startswith(("@", "!", "#")):  # "[@", "[!" and "[#" open a citation group
        words = "\\" + words
    url = f"<{link.url}>" if "(" in link.url or ")" in link.url else link.url
    return f"[{words}]({url})"


def _pipes(written: str) -> str:
    """``written`` (a cell's text as written) with every pipe that is not escaped already
    written ``\\|``: the reader splits rows at them before it reads escapes."""
    return _PIPE.sub(lambda m: "\\|" if m.group() == "|" else m.group(), written)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value``: PyYAML's own form when it does, a
    double-quoted one with every unusual character escaped when it does not."""
    plain = yaml.safe_dump(value, allow_unicode=True, width=10**6).removesuffix("\n...\n")
    plain = plain.rstrip("\n")
    if "\n" not in plain and yaml.safe_load(plain) == value:
        return plain
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and ch != "\u0085":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(
                f"\\x{code:02X}"
                if code < 0x100
                else f"\\u{code:04X}"
                if code < 0x10000
                else f"\\U{code:08X}"
            )
    return '"' + "".join(out) + '"'


def _check_aliases(brief: Brief, aliases: Mapping[str, str]) -> dict[str, str]:
    """Aliases for every cited source (a source without one is keyed by its id)."""
    out: dict[str, str] = {}
    for key, sid in aliases.items():
        if not KEY.fullmatch(key) or key == "root":
            raise ValidationError(
                [
                    Problem(
                        "not-writable",
                        f"alias {key!r}: use letters, digits, '.', '_', '-', '/' (not 'root')",
                    )
                ]
            )
        if sid in out.values():
            raise ValidationError(
                [
                    Problem(
                        "not-writable", f"aliases {key!r} and another name the same source {sid!r}"
                    )
                ]
            )
        out[key] = sid
    for src in brief.sources():
        if src.id not in out.values():
            if src.id in out:
                raise ValidationError(
                    [
                        Problem(
                            "not-writable",
                            f"alias {src.id!r} is also the id of another cited source",
                        )
                    ]
                )
            out[src.id] = src.id
    for key, sid in out.items():
        if key != sid and key in out.values():
            raise ValidationError(
                [Problem("not-writable", f"alias {key!r} is also the id of another cited source")]
            )
    return out


def dumps(
    brief: Brief,
    *,
    sources: str,
    aliases: Mapping[str, str] | None = None,
    metadata: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """The Markdown brief for ``brief``. ``sources`` is the folder source ids are relative to,
    as written in the front matter (relative to the Markdown file). With ``aliases`` (short
    keys for source ids, ``{"cnn": "000_28b258b49d188a62.txt"}``) the sources are listed as a
    map, and ``metadata`` (CSL-JSON fields by source id) is written with them."""
    brief.validate()
    keys: dict[str, str] = {}
    lines = ["---", f"title: {_yaml_text(brief.title)}"]
    for field in ("subtitle", "author"):
        value = getattr(brief, field)
        if value is not None:
            lines.append(f"{field}: {_yaml_text(value)}")
    if brief.date is not None:
        canonical = _dt.date.fromisoformat(brief.date).isoformat() == brief.date
        lines.append(f"date: {brief.date if canonical else _yaml_text(brief.date)}")
    if aliases is None and not metadata:
        lines.append(f"sources: {_yaml_text(sources)}")
    else:
        listed = _check_aliases(brief, aliases or {})
        keys = {sid: key for key, sid in listed.items()}
        lines += ["sources:", f"  root: {_yaml_text(sources)}"]
        for key, sid in listed.items():
            fields = dict((metadata or {}).get(sid, {}))
            if not fields:
                lines.append(f"  {key}: {_yaml_text(sid)}")
                continue
            lines.append(f"  {key}:")
            body = yaml.safe_dump(
                {"path": sid, **fields}, sort_keys=False, allow_unicode=True, width=10**6
            )
            lines += ["    " + line for line in body.rstrip("\n").split("\n")]
    if brief.lang:
        lines.append(f"lang: {_yaml_text(brief.lang)}")
    if brief.style:
        lines.append(f"style: {_yaml_text(brief.style)}")
    for key, value, default in (
        ("bibliography", brief.bibliography, True),
        ("smart_quotes", brief.smart_quotes, True),
        ("sources_appendix", brief.sources_appendix, False),
        ("differences", brief.differences, False),
        ("contents", brief.contents, False),
    ):
        if value != default:
            lines.append(f"{key}: {'true' if value else 'false'}")
    if brief.accept_differences:
        lines.append("accept_differences:")
        lines += [f"  - {_yaml_text(measure)}" for measure in brief.accept_differences]
    lines += ["---", ""]
    writer = _Writer(keys, [name for _img, name in _named(brief)])
    if brief.key_points:
        lines += [f"- {writer.sentence(s, last=True)}" for s in brief.key_points]
        lines.append("")
    for sec in brief.sections:
        lines += writer.section(sec, 1)
    return "\n".join(lines).rstrip("\n") + "\n"
