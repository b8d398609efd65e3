"""Images (figures) in a Markdown brief.

::

    ![Bars of 50,000, 47,000 and 54,000 U.S. troops](figures/troops.png){#chart}

    Figure: U.S. troops in Japan: {@cnn figure "50,000" within="US has 50,000 troops"} (CNN)
    and {@afp figure "47,000" within="Some 47,000 US troops"} (AFP). []

The rules:

* **The image.** A paragraph of its own holding only ``![alt text](path)``, optionally followed
  by ``{#id}`` (which names it for a cross-reference ``{>id}``, see
  :mod:`briefkit.mdbrief.refs`) — nothing else, so a blank line stands between it and the
  text around it. An image inside a sentence is an error (write ``!\\[`` for the text ``![``).
* **Alt text** says what the image shows to a reader who cannot see it, and is required. It
  is plain text up to the first unescaped ``]``: ``\\`` before ASCII punctuation gives that
  character (``\\]``, ``\\[``, ``\\\\``), ``\\u{HEX}`` any code point, a line break and the
  blanks around it one space; blanks at its ends are dropped (write ``\\u{20}`` to keep one).
* **The path** follows ``]`` directly, in parentheses: ``(figures/troops.png)``, or
  ``(<figures/troop counts.png>)`` for a path with blanks or parentheses. It is relative to the
  brief's file (to ``base`` for :func:`briefkit.mdbrief.loads`), with ``/`` separators, and
  must stay inside the brief's folder: an absolute path, a ``..``, ``.`` or empty segment, a
  backslash or a control character is refused as a source path is
  (:func:`briefkit.sources.check_path`), and so is a path that leaves the folder through a
  symbolic link, or loops. The file must be a regular file (a FIFO, device, socket or folder is
  refused without reading from it) of at most :data:`briefkit._images.MAX_IMAGE_BYTES` bytes,
  holding a PNG or JPEG image (embedded as it is). The file's name, when it is a plain name
  (letters, digits, ``.``, ``_``, ``-``), becomes the image's ``name``: the file name the
  outputs that link images write it to.
* **The caption** is a paragraph that starts with ``Figure:`` or ``figure:``, directly before
  or after the image (blank lines between are allowed, nothing else), holding one sentence of
  the inline grammar (:mod:`briefkit.mdbrief.syntax`) that cites where the image comes from (or
  is marked ``[!analysis]``): the :class:`~briefkit.model.Image`'s ``caption``. An image takes
  the free caption before it, else the one after it (as a table takes its ``Table:`` caption);
  an image without a caption, or a caption no image takes, is an error (write ``Figure\\:`` to
  start a paragraph of text with it). Outputs show it as ``Figure 1. <caption>``.

Every problem names its line and column. Each file is read once however many images show it
(files are told apart by device and inode), and the images of one brief hold at most
:data:`MAX_BRIEF_IMAGE_BYTES` bytes together: reading stays bounded in time and memory.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import attrs

from briefkit._images import MAX_IMAGE_BYTES, ImageError, image_info
from briefkit.errors import UnsafeIdError
from briefkit.mdbrief.refs import read_attribute_id
from briefkit.sources import check_path

__all__ = [
    "MAX_BRIEF_IMAGE_BYTES",
    "ImageDraft",
    "ImageFiles",
    "file_kind",
    "image_name",
    "read_image",
]

Report = Callable[[int, str], None]

#: The most bytes the images of one brief may hold together (each file counted once).
MAX_BRIEF_IMAGE_BYTES = 8 * MAX_IMAGE_BYTES

#: A name the model takes for an image (:func:`briefkit.model.image_problems`).
_NAME = re.compile(r"[\w.-]{1,100}")
_BLANKS = re.compile(r"[ \t\n]*")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_HEX = re.compile(r"u\{([0-9A-Fa-f]{1,6})\}")
_BARE_PATH = re.compile(r"[^\s()<>]+")
_ANGLE_PATH = re.compile(r"<([^<>\n]*)>")
_ALT_SPECIAL = re.compile(r"[\]\\]")
_EXAMPLE = "![alt text](path/to/file.png)"


@attrs.frozen
class ImageDraft:
    """An image paragraph as read: its alt text, path (and where it stands) and id; ``ok`` is
    False when a problem was reported."""

    offset: int
    alt: str
    path: str
    path_offset: int
    id: str | None
    ok: bool
    id_offset: int = 0


def image_name(path: str) -> str | None:
    """The image's ``name`` for the file at ``path``: its last segment, when the model takes
    it as a name (else None: the outputs name it ``figure-N``)."""
    name = path.rsplit("/", 1)[-1]
    return name if _NAME.fullmatch(name) and name not in (".", "..") else None


def _alt(text: str, i: int, stop: int, report: Report) -> tuple[str, int] | None:
    """The alt text starting at ``text[i]`` up to the first unescaped ``]``: its value and
    the index of that ``]``; None (reported) when none closes it."""
    pieces: list[tuple[str, bool]] = []  # (text, protected from trimming)
    raw_from = j = i
    while True:
        special = _ALT_SPECIAL.search(text, j, stop)  # skip plain text in one step
        if special is None:
            break
        j = special.start()
        if text[j] == "]":
            break
        pieces.append((text[raw_from:j], False))
        nxt = text[j + 1 : j + 2] if j + 1 < stop else ""
        if nxt and nxt.isascii() and not nxt.isalnum() and not nxt.isspace():
            pieces.append((nxt, True))
            j += 2
        elif (m := _HEX.match(text, j + 1, stop)) is not None:
            value = int(m.group(1), 16)
            if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
                report(j, f"\\u{{{m.group(1)}}} is not a Unicode scalar value")
                pieces.append(("\ufffd", True))
            else:
                pieces.append((chr(value), True))
            j = m.end()
        else:
            pieces.append(("\\", True))
            j += 1
        raw_from = j
    if special is None:
        report(i - 2, f"the image's alt text is never closed (a ']' is missing): {_EXAMPLE}")
        return None
    pieces.append((text[raw_from:j], False))
    pieces = [(_LINE_BREAK.sub(" ", p) if not kept else p, kept) for p, kept in pieces]
    for order in (range(len(pieces)), range(len(pieces) - 1, -1, -1)):
        for k in order:
            piece, kept = pieces[k]
            if kept:
                break
            piece = piece.lstrip(" \t") if order.step == 1 else piece.rstrip(" \t")
            pieces[k] = (piece, False)
            if piece:
                break
    return "".join(p for p, _ in pieces), j


def read_image(text: str, start: int, stop: int, report: Report) -> ImageDraft:
    """The image paragraph ``text[start:stop]`` (whose first non-blank characters are
    ``![``)."""
    problems: list[int] = []

    def local(offset: int, message: str) -> None:
        problems.append(offset)
        report(offset, message)

    at = _BLANKS.match(text, start, stop).end()  # type: ignore[union-attr]
    draft = ImageDraft(at, "", "", at, None, False)
    found = _alt(text, at + 2, stop, local)
    if found is None:
        return draft
    alt, close = found
    if not text.startswith("(", close + 1) or close + 1 >= stop:
        local(
            close,
            f"an image is written {_EXAMPLE}: the path follows ']' directly, in parentheses",
        )
        return draft
    j = _BLANKS.match(text, close + 2, stop).end()  # type: ignore[union-attr]
    path_at = j
    if (m := _ANGLE_PATH.match(text, j, stop)) is not None:
        path, j = m.group(1), m.end()
    elif (m := _BARE_PATH.match(text, j, stop)) is not None:
        path, j = m.group(), m.end()
    else:
        path = ""
    j = _BLANKS.match(text, j, stop).end()  # type: ignore[union-attr]
    if not text.startswith(")", j) or j >= stop:
        what = "are never closed (a ')' is missing)" if j >= stop else "hold only its path"
        local(
            j,
            f"the parentheses after an image's alt text {what}: {_EXAMPLE}, or "
            "(<path with blanks.png>) for a path with blanks or parentheses",
        )
        return draft
    j += 1
    if not path.strip():
        local(path_at, f"the image needs the path of its file: {_EXAMPLE}")
    if not alt.strip():
        local(
            at,
            "the image needs alt text that says what it shows, for readers who cannot see it: "
            "![Bar chart of the troop counts](troops.png)",
        )
    j = _BLANKS.match(text, j, stop).end()  # type: ignore[union-attr]
    sid: str | None = None
    sid_at = j
    if j < stop and text[j] == "{":
        sid, after = read_attribute_id(text, j, stop, local, "the image's id")
        if after == j:
            local(j, "after an image only its id may follow, written {#id}")
            return draft
        j = _BLANKS.match(text, after, stop).end()  # type: ignore[union-attr]
    if j < stop:
        local(
            j,
            "an image is a paragraph of its own: nothing may follow it but its {#id} (put a "
            "blank line between the image and its 'Figure: …' caption)",
        )
    return ImageDraft(at, alt, path, path_at, sid, not problems, sid_at)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _path_problem(path: str) -> str:
    """Why :func:`~briefkit.sources.check_path` refuses ``path``, said of an image."""
    segments = path.split("/")
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return "is absolute; give it relative to the brief's file"
    if "\\" in path:
        return "has a backslash; separate folders with '/'"
    if ".." in segments:
        return "leaves the brief's folder ('..'); an image stands in it or in a folder below"
    if any(part in ("", ".") for part in segments):
        return "has an empty or '.' segment"
    return "has a control character"


class ImageFiles:
    """Reads the image files of one brief, each once: by path as written, then by the file
    (device and inode) it is."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._root: Path | str | None = None
        self._by_path: dict[str, bytes | str] = {}
        # by device and inode: the bytes, or why they cannot be used (said of the image)
        self._by_file: dict[tuple[int, int], bytes | str] = {}
        self.total = 0

    def root(self) -> Path | str:
        """The brief's folder, resolved (or why it cannot be)."""
        if self._root is None:
            try:
                self._root = self.base.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                self._root = f"the brief's folder {str(self.base)!r} cannot be read: {exc}"
        return self._root

    def read(self, path: str) -> bytes | str:
        """The bytes of the image at ``path`` (relative to the brief's folder), or why it
        cannot be read."""
        known = self._by_path.get(path)
        if known is None:
            known = self._by_path[path] = self._read(path)
        return known

    def _read(self, path: str) -> bytes | str:
        shown = repr(path) if len(path) <= 80 else repr(path[:79] + "…")
        try:
            check_path(path)
        except UnsafeIdError:
            return f"the image path {shown} {_path_problem(path)}"
        root = self.root()
        if isinstance(root, str):
            return root
        file = root.joinpath(*path.split("/"))
        try:
            real = file.resolve()
        except RuntimeError:  # Python 3.11 reports a symlink loop so
            return f"the image path {shown} is a symbolic link that loops"
        except OSError as exc:
            return f"cannot read the image {shown}: {exc.strerror or exc}"
        if not real.is_relative_to(root):
            return (
                f"the image path {shown} leaves the brief's folder through a symbolic link; "
                "an image stands in the brief's folder or in a folder below"
            )
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        try:
            fd = os.open(real, flags | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return f"no image file {shown} in the brief's folder {str(root)!r}"
            if exc.errno == errno.ELOOP:
                return f"the image path {shown} is a symbolic link that loops"
            return f"cannot read the image {shown}: {exc.strerror or exc}"
        try:
            found = self._from(fd, shown)
        except OSError as exc:
            return f"cannot read the image {shown}: {exc.strerror or exc}"
        finally:
            os.close(fd)
        if isinstance(found, str):
            return found
        key, data = found
        known = self._by_file.get(key)
        if known is None:
            self.total += len(data)  # every byte read counts: reading stays bounded
            if len(data) > MAX_IMAGE_BYTES:  # it grew while being read
                known = f"is more than an image may be ({MAX_IMAGE_BYTES} bytes)"
            else:
                try:
                    image_info(data)
                    known = data
                except ImageError as exc:
                    known = f"cannot be used: {exc}"
            self._by_file[key] = known
        return known if isinstance(known, bytes) else f"the image {shown} {known}"

    def _from(self, fd: int, shown: str) -> tuple[tuple[int, int], bytes] | str:
        """The file's device and inode with the bytes of the open file ``fd`` (nothing, when
        that file was read before), or why it cannot be used (nothing is read from a file that
        is not a regular one)."""
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return f"the image path {shown} is {file_kind(info.st_mode)}, not a regular file"
        if info.st_size > MAX_IMAGE_BYTES:
            return (
                f"the image {shown} is {info.st_size} bytes, more than an image may be "
                f"({MAX_IMAGE_BYTES} bytes)"
            )
        key = (info.st_dev, info.st_ino)
        if key in self._by_file:
            return key, b""
        if self.total + info.st_size > MAX_BRIEF_IMAGE_BYTES:
            return (
                f"the image {shown} brings the brief's images to more than "
                f"{MAX_BRIEF_IMAGE_BYTES} bytes together (MAX_BRIEF_IMAGE_BYTES)"
            )
        chunks: list[bytes] = []
        left = MAX_IMAGE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return key, b"".join(chunks)
