"""The Markdown brief format: write a brief as Markdown with citation markers.

::

    ---
    title: The U.S.–Japan alliance
    date: 2026-11-21
    sources:
      root: ../../seeds
      cnn: 000_28b258b49d188a62.txt
      afp: 002_a5ab00941732d00c.txt
    ---

    - Carter said {@cnn "Our alliance with Japan has never been stronger" speaker="Ash Carter"}.

    # Reassurance {#reassurance}

    Officials expected the relationship to last. [@cnn "Pentagon officials are confident"]
    The visits were meant to calm allied nerves. [!analysis]
    He came in 2016. He met Abe. [@cnn "Carter looks"; !several; !accept "2016"]
    Carter called the alliance {@cnn "never been strong" partial}. []

    Table: U.S. troops in Japan by source {#troops}

    | Source | U.S. troops                                                            |
    | ------ | ---------------------------------------------------------------------: |
    | CNN    | {@cnn figure "50,000" within="US has 50,000 troops" measure="troops"}  |
    | AFP    | {@afp figure "47,000" within="Some 47,000 US troops" measure="troops"} |

    [!differences]

    The counts differ; see {>troops}. [!analysis]

:func:`load` reads a file into the same model the Python API builds; :func:`dumps` writes a
brief back. See :mod:`briefkit.mdbrief.syntax` for the sentence grammar: ``!several`` lets the
author's text of one group hold several sentences, ``!accept "2016"`` vouches for a number no
cited span shows, ``partial`` marks a quotation that cuts a word. See
:mod:`briefkit.mdbrief.tables` for tables (``Table: caption`` and a pipe table whose cells are
sentences or row labels), a figure's ``measure="…"`` and ``[!differences]``, which places the
table of the figures the sources disagree on; the front matter (:mod:`briefkit.mdbrief.front`)
may ask for that table with ``differences: true`` and accept differences with
``accept_differences: [measure, …]``.

See :mod:`briefkit.mdbrief.images` for images (``![alt text](path)``, a file in the brief's
folder, with a ``Figure: caption`` paragraph that cites), and :mod:`briefkit.mdbrief.refs`
for ids (``{#id}`` at the end of a heading or table caption, after an image;
``[!differences #id]``) and cross-references (``{>id}`` in a sentence, shown as ``Table 2``,
``Figure 1`` or a section's heading). ``contents: true`` in the front matter adds a table of
contents. :func:`dumps` writes images as links to file names; :func:`image_files` gives the
files to write next to it.

Errors (syntax, unknown sources, the model's own errors) raise one
:class:`~briefkit.errors.BriefSyntaxError` naming each problem's line and column; the model's
warnings do not stop a brief from loading and come back, placed the same way, as
:attr:`MarkdownBrief.warnings`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from briefkit.errors import BriefSyntaxError, DecodeError
from briefkit.mdbrief.build import MarkdownBrief, build
from briefkit.mdbrief.images import file_kind
from briefkit.mdbrief.writer import dumps, image_files

__all__ = ["MAX_BRIEF_BYTES", "MarkdownBrief", "dumps", "image_files", "load", "loads"]

#: Largest Markdown brief read (bytes).
MAX_BRIEF_BYTES = 32 * 1024 * 1024


def loads(text: str, *, base: str | os.PathLike[str] = ".", name: str = "<brief>") -> MarkdownBrief:
    """Read a Markdown brief from ``text``; relative source folders start at ``base``.
    Raises :class:`~briefkit.errors.BriefSyntaxError` for errors; warnings are in the
    result's ``warnings``."""
    return build(text.removeprefix("\ufeff"), name=name, base=Path(base))


def load(path: str | os.PathLike[str]) -> MarkdownBrief:
    """Read the Markdown brief at ``path`` (UTF-8; a leading BOM is allowed), as
    :func:`loads` does. Only a regular file is read: a FIFO, device, socket or directory is
    refused without reading from it (opening does not block)."""
    file = Path(path)
    try:
        data = _read_regular(file)
    except BriefSyntaxError:
        raise
    except OSError as exc:
        raise BriefSyntaxError(
            [(str(file), 0, 0, f"cannot read the brief: {exc.strerror or exc}")]
        ) from None
    except ValueError as exc:  # a path with a NUL byte
        raise BriefSyntaxError([(str(file), 0, 0, f"cannot read the brief: {exc}")]) from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise DecodeError(str(file), exc.start, exc.reason) from None
    return build(text, name=str(file), base=file.parent, path=file)


def _read_regular(file: Path) -> bytes:
    """The bytes of ``file`` when it is a regular file of at most :data:`MAX_BRIEF_BYTES`.
    The file is opened without blocking (``O_NONBLOCK``: a FIFO with no writer would wait
    forever) and checked on the open descriptor, so what is checked is what is read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(file, flags)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BriefSyntaxError(
                [(str(file), 0, 0, f"cannot read the brief: it is {file_kind(info.st_mode)}, "
                  "not a regular file")]
            )  # fmt: skip
        if info.st_size > MAX_BRIEF_BYTES:
            raise BriefSyntaxError(
                [(str(file), 0, 0, f"{info.st_size} bytes is larger than a brief may be "
                  f"({MAX_BRIEF_BYTES} bytes)")]
            )  # fmt: skip
        data = fh.read(MAX_BRIEF_BYTES + 1)
    if len(data) > MAX_BRIEF_BYTES:  # it grew while being read
        raise BriefSyntaxError(
            [(str(file), 0, 0, f"the brief is larger than a brief may be ({MAX_BRIEF_BYTES} "
              "bytes)")]
        )  # fmt: skip
    return data
