"""The plain text reader: the file's bytes as strict UTF-8, one leading BOM removed and
recorded, nothing else changed (no newline translation, no normalisation, no stripping)."""

from __future__ import annotations

from typing import ClassVar

from briefkit.errors import DecodeError
from briefkit.readers import Extraction, SourceReader

__all__ = ["TextReader", "decode"]

_BOM = b"\xef\xbb\xbf"


def _hint(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "; it starts with a UTF-16 byte order mark: save it as UTF-8"
    if data.startswith(b"%PDF-"):
        return "; it is a PDF: name it with the .pdf suffix so the PDF reader reads it"
    if data.startswith(b"PK\x03\x04"):
        return "; it is a ZIP container (a .docx?): name it with its own suffix"
    return ""


def decode(source_id: str, data: bytes) -> tuple[str, bool]:
    """The canonical text of UTF-8 ``data`` and whether a BOM was removed."""
    bom = data.startswith(_BOM)
    body = data[len(_BOM) :] if bom else data
    try:
        text = body.decode("utf-8", "strict")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(_BOM) if bom else 0)
        raise DecodeError(source_id, offset, exc.reason + _hint(data)) from None
    return text, bom


class TextReader(SourceReader):
    """UTF-8 text, exactly as stored. Citations name pages (form feeds), numbered sections or
    lines, by the rules of :mod:`briefkit._locators`."""

    name: ClassVar[str] = "text"
    version: ClassVar[str] = "1"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".text")
    description: ClassVar[str] = "UTF-8 text as stored"

    def read(self, data: bytes, *, where: str) -> Extraction:
        text, bom = decode(where, data)
        return Extraction(text, bom=bom)
