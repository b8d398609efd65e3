"""Bounded access to zip containers (DOCX and other OPC packages)."""

from __future__ import annotations

import io
import os
import zipfile
import zlib

from briefkit.errors import ReadError

__all__ = ["MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "BoundedZip"]

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, beyond which a member looks like a zip bomb


class BoundedZip:
    """A zip file whose member count and sizes are checked before anything is inflated."""

    def __init__(self, source: str | os.PathLike[str] | bytes, *, where: str) -> None:
        self.where = where
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except FileNotFoundError:
            raise ReadError(f"{where}: no such file") from None
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise ReadError(f"{where}: not a readable zip package ({exc})") from None
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"{where}: {len(infos)} zip members is more than {MAX_MEMBERS}")
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise ReadError(f"{where}: {total} bytes uncompressed is more than {MAX_TOTAL_BYTES}")
        self._infos = {i.filename: i for i in infos}

    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, name: str) -> bytes | None:
        """The member's bytes, or None when there is no such member."""
        info = self._infos.get(name)
        if info is None:
            return None
        if info.file_size > MAX_MEMBER_BYTES:
            raise ReadError(f"{self.where}: {name} is larger than {MAX_MEMBER_BYTES} bytes")
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 1 << 20
        ):
            raise ReadError(f"{self.where}: {name} compresses suspiciously well (zip bomb?)")
        try:
            return self._zip.read(info)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            ValueError,
            zlib.error,
            NotImplementedError,  # a compression method or zip version not supported
            RuntimeError,  # an encrypted member
        ) as exc:
            raise ReadError(f"{self.where}: cannot read {name}: {exc}") from None

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> BoundedZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
