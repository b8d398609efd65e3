"""Fonts for the PDF exporter: a configurable set of TrueType files, coverage checks, and
per-character fallback.

A :class:`FontSet` names the body faces (regular, bold, italic, bold italic) and fallback
faces tried in order for characters the body face lacks (CJK, symbols, emoji, control
pictures). :meth:`FontSet.discover` finds sensible defaults on the system (DejaVu Serif; DejaVu
Sans, IPAex Gothic, FreeSerif/FreeMono and Symbola as fallbacks) and falls back to reportlab's
bundled Bitstream Vera. Every face is embedded (TrueType subsets); the standard-14 fonts are
never used for text.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import struct
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from briefkit.errors import ExportError
from briefkit.formats.pdf._shaping import PRIVATE_PLANES as _PRIVATE_PLANES
from briefkit.formats.pdf._shaping import reserve, to_unicode_text

__all__ = ["FontSet", "RegisteredFonts"]

_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)
_BODY = (
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
)
_FALLBACKS = (
    "DejaVuSans.ttf",  # Latin/Greek/Cyrillic extras, symbols, some emoji
    "ipaexg.ttf",  # Japanese (kana, kanji), IPAex Gothic
    "FreeSerif.ttf",  # wide coverage, control pictures
    "FreeMono.ttf",
    "Symbola_hint.ttf",  # emoji and pictographs (monochrome)
    "Symbola.ttf",
)


@functools.cache
def _system_fonts() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in _FONT_DIRS:
        base = Path(root).expanduser()
        if not base.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                found.setdefault(name, Path(dirpath) / name)
    return found


def _vera() -> tuple[Path, Path, Path, Path]:
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    return (
        folder / "Vera.ttf",
        folder / "VeraBd.ttf",
        folder / "VeraIt.ttf",
        folder / "VeraBI.ttf",
    )


def _paths(values: Iterable[str | os.PathLike[str]]) -> tuple[Path, ...]:
    return tuple(Path(v) for v in values)


@attrs.frozen
class FontSet:
    """TrueType files for body text and the fallbacks tried, in order, for missing glyphs."""

    regular: Path = attrs.field(converter=Path)
    bold: Path = attrs.field(converter=Path)
    italic: Path = attrs.field(converter=Path)
    bold_italic: Path = attrs.field(converter=Path)
    fallbacks: tuple[Path, ...] = attrs.field(default=(), converter=_paths)

    @classmethod
    def discover(cls, *, extra_fallbacks: Iterable[str | os.PathLike[str]] = ()) -> FontSet:
        """DejaVu Serif with the usual fallbacks when installed, else reportlab's Vera."""
        system = _system_fonts()
        body = [system.get(name) for name in _BODY]
        if all(p is not None for p in body):
            faces: Sequence[Path] = [p for p in body if p is not None]
        else:
            faces = _vera()
        fallbacks = [Path(p) for p in extra_fallbacks]
        fallbacks += [system[name] for name in _FALLBACKS if name in system]
        if faces[0].name.startswith("Vera"):
            fallbacks.append(faces[0])
        return cls(faces[0], faces[1], faces[2], faces[3], tuple(dict.fromkeys(fallbacks)))


def _font_name(path: Path) -> str:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    return f"bk{digest}"


def _register(path: Path) -> tuple[str, dict[int, int]]:
    name = _font_name(path)
    font: object
    # asked for a name it has not registered, reportlab reads every Type 1 metrics file it
    # has looking for a face of that name: register the file unless the name is there
    if name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
    else:
        try:
            font = TTFont(name, str(path))
        except (TTFError, OSError) as exc:
            raise ExportError(f"PDF fonts: cannot use {str(path)!r}: {exc}") from None
        pdfmetrics.registerFont(font)
    if not isinstance(font, TTFont):
        raise ExportError(f"PDF fonts: {name!r} is registered but is not a TrueType font")
    cmap = _CMAPS.get(name)
    if cmap is None:  # the face's own map, before any shaped glyph is named in it
        cmap = _CMAPS[name] = dict(font.face.charToGlyph)
        reserve(cp for cp in cmap if cp >= _PRIVATE_PLANES)
    return name, cmap


#: Each registered face's character map as its file gives it (reportlab's own map gains the
#: private characters that name shaped glyphs: see :mod:`._shaping`).
_CMAPS: dict[str, dict[int, int]] = {}


class RegisteredFonts:
    """A :class:`FontSet` registered with reportlab, answering which face draws a character."""

    def __init__(self, fonts: FontSet) -> None:
        _install_astral_cmap_fix()
        self.regular, regular = _register(fonts.regular)
        self.bold, bold = _register(fonts.bold)
        self.italic, italic = _register(fonts.italic)
        self.bold_italic, bold_italic = _register(fonts.bold_italic)
        # the body face is used only for what all four styles have, so <b>/<i> never lose a
        # glyph; anything else comes from a fallback face (drawn upright and regular)
        self._cmap = set(regular).intersection(bold, italic, bold_italic)
        addMapping(self.regular, 0, 0, self.regular)
        addMapping(self.regular, 1, 0, self.bold)
        addMapping(self.regular, 0, 1, self.italic)
        addMapping(self.regular, 1, 1, self.bold_italic)
        self.fallbacks = [_register(p) for p in fonts.fallbacks if p != fonts.regular]
        self._by_name = dict(self.fallbacks)
        self._face_cache: dict[str, str | None] = {}
        self._body_run: re.Pattern[str] | None = None

    def face_for(self, ch: str) -> str | None:
        """The fallback face name for ``ch``, ``""`` for the body face, None when uncovered."""
        cached = self._face_cache.get(ch)
        if cached is not None or ch in self._face_cache:
            return cached
        cp = ord(ch)
        face: str | None = None
        if cp in self._cmap or ch in "\n\t":
            face = ""
        else:
            for name, cmap in self.fallbacks:
                if cp in cmap:
                    face = name
                    break
        self._face_cache[ch] = face
        return face

    def body_covers(self, text: str) -> bool:
        """Whether the body face (in all four styles) draws every character of ``text``."""
        cmap = self._cmap
        return all(ord(ch) in cmap for ch in set(text))

    def body_run(self, text: str, start: int) -> int:
        """Where the run of characters the body face draws (see :meth:`body_covers`) that
        starts at ``start`` in ``text`` ends: ``start`` itself when that character is not one."""
        if self._body_run is None:
            ranges: list[str] = []
            cps = sorted(self._cmap)
            k = 0
            while k < len(cps):
                j = k
                while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
                    j += 1
                lo, hi = re.escape(chr(cps[k])), re.escape(chr(cps[j]))
                ranges.append(lo if j == k else f"{lo}-{hi}")
                k = j + 1
            self._body_run = re.compile(f"[{''.join(ranges)}]*" if ranges else "")
        found = self._body_run.match(text, start)
        return found.end() if found is not None else start

    def covers(self, face: str, ch: str) -> bool:
        """Whether ``face`` (as :meth:`face_for` names it; ``""`` is the body) draws ``ch``."""
        return ord(ch) in (self._cmap if not face else self._by_name.get(face, {}))

    def uncovered(self, text: str, *, ignorable: Callable[[str], bool] | None = None) -> list[str]:
        """Characters of ``text`` that no face covers, except those ``ignorable`` accepts."""
        return sorted(
            ch
            for ch in set(text)
            if self.face_for(ch) is None and not (ignorable is not None and ignorable(ch))
        )


def _utf16_hex(cp: int) -> str:
    data = chr(cp).encode("utf-16-be")
    return "".join(f"{u:04X}" for u in struct.unpack(f">{len(data) // 2}H", data))


def _text_hex(cp: int) -> str:
    """What the code of character ``cp`` reads as: a shaped glyph's cluster text (see
    :mod:`._shaping`), else the character itself."""
    text = to_unicode_text(cp)
    if text is None:
        return _utf16_hex(cp)
    return "".join(_utf16_hex(ord(ch)) for ch in text)


@functools.cache
def _install_astral_cmap_fix() -> None:
    """reportlab writes ToUnicode entries for characters beyond U+FFFF as ``<1F600>``, which
    readers misread; rewrite those entries as UTF-16 surrogate pairs so text extracts exactly."""
    original = _ttfonts.makeToUnicodeCMap
    if getattr(original, "_briefkit_fixed", False):
        return

    def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
        text: str = original(fontname, subset)
        if all(cp < 0x10000 for cp in subset):
            return text
        lines = text.split("\n")
        try:
            i = lines.index(f"{len(subset)} beginbfchar")
        except ValueError:  # pragma: no cover - an unexpected reportlab layout: leave it
            return text
        lines[i + 1 : i + 1 + len(subset)] = [
            f"<{j:02X}> <{_text_hex(cp)}>" for j, cp in enumerate(subset)
        ]
        return "\n".join(lines)

    make_to_unicode_cmap._briefkit_fixed = True  # type: ignore[attr-defined]
    _ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
