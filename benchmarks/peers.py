"""The peers briefkit's exports are measured against, and the documents they are given.

Each peer gets the same text as briefkit's export, prepared before the clock starts:

* :func:`reportlab_endnotes_pdf` lays the plan's paragraphs out with reportlab alone, the notes
  set as endnotes (against ``export pdf``);
* :func:`typst_markup` writes the plan as a Typst document with one ``#footnote[...]`` a note,
  which :func:`typst_module`'s ``compile`` turns into a PDF (against ``export pdf``);
* pandoc (:func:`pandoc_path`) converts :func:`pandoc_markdown`, briefkit's own Markdown
  export (its notes are ``[^n]`` footnotes) without its comments, to DOCX and to HTML
  (against ``export docx`` and ``export html``).

A peer that is not installed is reported missing, never an error: :func:`typst_module` and
:func:`pandoc_path` return ``None`` for it.
"""

from __future__ import annotations

import importlib
import io
import re
import shutil
import string
import subprocess
from pathlib import Path
from types import ModuleType

import briefkit as bk
from briefkit.plan import (
    HeadingBlock,
    ListBlock,
    NotePlan,
    ParagraphBlock,
    PlannedSentence,
    QuoteBlock,
    TitleBlock,
)

_TYPST_SPECIAL = frozenset(string.punctuation)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def reportlab_endnotes_pdf(plan: NotePlan) -> bytes:
    """The plan's body paragraphs and list items, then every note as an endnote, laid out by
    reportlab's ``SimpleDocTemplate`` with briefkit's own fonts and paragraph styles and no
    footnote logic: what a PDF of the same text costs without per-page footnotes, the coverage
    check and the embedded manifest. Headings, tables and the annexes are left out."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

    from briefkit.formats.pdf import FontSet
    from briefkit.formats.pdf._fonts import RegisteredFonts
    from briefkit.formats.pdf._markup import markup
    from briefkit.formats.pdf.writer import _styles

    fonts = RegisteredFonts(FontSet.discover())
    # reportlab's own frame splitting needs allowOrphans off (on, it can split to no lines)
    styles = {
        k: ParagraphStyle(k, parent=v, allowOrphans=0) for k, v in _styles(fonts.regular).items()
    }
    story: list[Flowable] = []
    for block in plan.blocks:
        if isinstance(block, ParagraphBlock):
            text = " ".join(markup(s.text, fonts) for s in block.sentences)
            story.append(Paragraph(text, styles["body"]))
        elif isinstance(block, ListBlock):
            story += [Paragraph(markup(s.text, fonts), styles["bullet"]) for s in block.items]
    story += [Paragraph(f"{n.number} {markup(n.text, fonts)}", styles["note"]) for n in plan.notes]
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1).build(story)
    return out.getvalue()


def typst_text(text: str) -> str:
    """``text`` as Typst markup that shows it literally: every ASCII punctuation character
    (``#``, ``*``, ``_``, ``[``, ``$``, ``/``, ``-``, ``.``, quotation marks …) is escaped
    with a backslash, so nothing in it can start a function call, emphasis, a heading, a list
    item, a comment, a label, smart punctuation or a smart quote; and every run of white space
    (newlines included) becomes one space, so it cannot end the paragraph."""
    escaped = "".join("\\" + c if c in _TYPST_SPECIAL else c for c in text)
    return " ".join(escaped.split())


def typst_markup(plan: NotePlan) -> str:
    """A Typst document with the plan's text: the title, author and date; each heading at
    its level; each paragraph's sentences, list items and block quotes, every cited sentence
    followed by ``#footnote[...]`` holding its note's text. Tables, images, contents and the
    annexes are left out (the synthetic brief has no tables or images). All text goes
    through :func:`typst_text`."""
    notes = {n.number: n.text for n in plan.notes}

    def sentence(s: PlannedSentence) -> str:
        out = typst_text(s.text)
        if s.note is not None:
            out += f"#footnote[{typst_text(notes[s.note])}]"
        return out

    parts = ['#set page(paper: "a4")']
    for block in plan.blocks:
        if isinstance(block, TitleBlock):
            parts.append(f'#text(size: 18pt, weight: "bold")[{typst_text(block.title)}]')
            byline = " · ".join(x for x in (block.author, block.date_text) if x)
            if byline:
                parts.append(typst_text(byline))
        elif isinstance(block, HeadingBlock):
            parts.append("=" * block.level + " " + typst_text(block.text))
        elif isinstance(block, ParagraphBlock):
            parts.append(" ".join(sentence(s) for s in block.sentences))
        elif isinstance(block, ListBlock):
            parts.append("\n".join("- " + sentence(s) for s in block.items))
        elif isinstance(block, QuoteBlock):
            parts.append(f"#quote(block: true)[{sentence(block.sentence)}]")
    return "\n\n".join(parts) + "\n"


def pandoc_markdown(plan: NotePlan) -> str:
    """briefkit's Markdown export of the plan with its HTML comments taken out: the same
    headings, paragraphs, lists and ``[^n]`` footnotes, without the audit comment after each
    note and the embedded manifest. Those comments are most of the file (about four fifths at
    1,000 sentences) and pandoc only parses them to drop them (DOCX) or copy them (HTML), so
    leaving them in would time pandoc's comment parsing rather than its writing."""
    return _COMMENT.sub("", bk.render(plan, "md").decode("utf-8"))


def typst_module() -> ModuleType | None:
    """The ``typst`` module of the ``typst`` PyPI wheel (``typst.compile(source_bytes)``
    returns the PDF's bytes), or ``None`` when it is not installed."""
    try:
        return importlib.import_module("typst")
    except ImportError:
        return None


def pandoc_path() -> str | None:
    """The pandoc program: the one the ``pypandoc-binary`` wheel ships when installed, else a
    ``pandoc`` on the PATH, else ``None``."""
    try:
        pypandoc = importlib.import_module("pypandoc")
        path = str(pypandoc.get_pandoc_path())
        if Path(path).is_file():
            return path
    except (ImportError, OSError):
        pass
    return shutil.which("pandoc")


def pandoc_version(path: str) -> str:
    """The version ``path --version`` reports on its first line (``3.1.9``)."""
    first = subprocess.run(
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    return first.split()[-1]
