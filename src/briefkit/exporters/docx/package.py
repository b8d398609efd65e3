"""Writing an OPC package (the zip container of a DOCX) deterministically.

Parts are written in the order given, with one fixed timestamp, fixed permissions and fixed
compression, so the same parts always give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import os
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

__all__ = ["package_time", "write_package"]

_EPOCH_MIN = (1980, 1, 1, 0, 0, 0)
_ZIP_MAX = (2107, 12, 31, 23, 59, 58)  # the zip format cannot date a member outside these


def package_time(date: str | None) -> _dt.datetime:
    """The timestamp of an export: the brief's date, else ``SOURCE_DATE_EPOCH``, else 1980-01-01
    (never the clock)."""
    if date:
        d = _dt.date.fromisoformat(date)
        return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC)
    return _dt.datetime(*_EPOCH_MIN, tzinfo=_dt.UTC)


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
