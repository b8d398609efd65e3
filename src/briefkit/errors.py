"""The errors briefkit raises.

Every error is a :class:`BriefkitError`. Narrow subclasses also derive from the builtin that
fits (``ValueError``, ``LookupError``, ``OSError`` …) so callers can catch either. Messages say
*what* went wrong and *where* (file, byte or character offset, sentence path).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefkit.problems import Problem

__all__ = [
    "AmbiguousMatchError",
    "BriefSyntaxError",
    "BriefkitError",
    "DecodeError",
    "DuplicateExporterError",
    "ExcerptError",
    "ExportError",
    "LocaleError",
    "ManifestError",
    "OffsetError",
    "ReadError",
    "SourceError",
    "SourceNotFoundError",
    "SourceTooLargeError",
    "SpanError",
    "StyleError",
    "TextNotFoundError",
    "UnknownFormatError",
    "UnsafeIdError",
    "ValidationError",
]


class BriefkitError(Exception):
    """Root of every error raised by briefkit."""


class SourceError(BriefkitError):
    """A source file could not be loaded or identified."""


class DecodeError(SourceError, ValueError):
    """A source file is not valid UTF-8."""

    def __init__(self, source_id: str, byte_offset: int, reason: str) -> None:
        self.source_id = source_id
        self.byte_offset = byte_offset
        super().__init__(f"{source_id}: not valid UTF-8 at byte offset {byte_offset} ({reason})")


class SourceTooLargeError(SourceError, ValueError):
    """A source file is larger than the configured limit."""


class UnsafeIdError(SourceError, ValueError):
    """A source id is not from the safe alphabet or would leave the corpus root."""


class SourceNotFoundError(SourceError, LookupError):
    """No source with that id exists in the corpus or on disk."""

    def __str__(self) -> str:  # KeyError-style quoting would hide the message
        return str(self.args[0]) if self.args else ""


class SpanError(BriefkitError, ValueError):
    """A span is out of range, empty, or splits a grapheme cluster."""


class OffsetError(SpanError):
    """An offset in another unit (UTF-8 bytes, UTF-16 units) lands inside a character."""


class TextNotFoundError(BriefkitError, LookupError):
    """The text to locate does not occur in the source."""


class AmbiguousMatchError(BriefkitError, LookupError):
    """The text to locate occurs more than once; the caller must choose."""

    def __init__(self, message: str, matches: Iterable[tuple[int, int]]) -> None:
        self.matches = tuple(matches)
        super().__init__(message)


class ExcerptError(BriefkitError, ValueError):
    """An excerpt is inconsistent with its source (e.g. a figure not in its span)."""


class ValidationError(BriefkitError, ValueError):
    """A brief has problems; ``problems`` lists every one of them as
    :class:`~briefkit.problems.Problem` values (code, message, place)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"the brief has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n  - ".join([head, *map(str, self.problems)]))


_SHOWN = 50  # problems a BriefSyntaxError's message lists


class BriefSyntaxError(BriefkitError, ValueError):
    """A Markdown brief has problems; ``problems`` lists each as ``(path, line, column,
    message)`` (line and column are 1-based; 0 when a problem has no single place)."""

    def __init__(self, problems: Iterable[tuple[str, int, int, str]]) -> None:
        self.problems = tuple(problems)
        lines = []
        for path, line, column, message in self.problems:
            where = f"{path}:{line}:{column}" if line else path
            lines.append(f"{where}: {message}")
        count = len(lines)
        if count == 1:
            text = lines[0]
        else:
            shown = lines[:_SHOWN]
            if count > _SHOWN:
                shown.append(f"… and {count - _SHOWN} more (all of them are in .problems)")
            text = "\n  ".join([f"{count} problems in the Markdown brief:", *shown])
        super().__init__(text)


class StyleError(BriefkitError, ValueError):
    """A citation style cannot be found, read or used (or its locale is not supported)."""


class LocaleError(StyleError):
    """A language tag names no supported locale."""


class ManifestError(BriefkitError, ValueError):
    """A provenance manifest is malformed or of an unsupported version."""


class ReadError(BriefkitError, ValueError):
    """A written brief (DOCX, PDF, manifest) cannot be read: damaged, foreign or too large."""


class ExportError(BriefkitError):
    """An export could not be produced."""


class UnknownFormatError(ExportError, LookupError):
    """No exporter is registered under that name or suffix."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class DuplicateExporterError(ExportError, ValueError):
    """An exporter name is already registered and replacing was not asked for."""
