"""Writing an OPC package (the zip container of a DOCX) deterministically.

Parts are written in the order given, with one fixed timestamp, fixed permissions and fixed
compression, so the same parts always give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

__all__ = ["write_package"]

_EPOCH_MIN = (1980, 1, 1, 0, 0, 0)
_ZIP_MAX = (2107, 12, 31, 23, 59, 58)  # the zip format cannot date a member outside these


def write_package(stream: BinaryIO, parts: Iterable[tuple[str, bytes]], when: _dt.datetime) -> None:
    moment = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    stamp = min(_ZIP_MAX, max(_EPOCH_MIN, moment))
    with zipfile.ZipFile(stream, "w") as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
