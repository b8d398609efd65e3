"""The one timestamp an export carries: from the brief, else ``SOURCE_DATE_EPOCH``, never the
clock — so the same brief always gives the same bytes, whatever the time zone (``TZ``), the
locale (``LC_ALL``, ``LANG``) or the hash seed (``PYTHONHASHSEED``) of the process: the moment
is always in UTC and no format writes it through the C library's locale."""

from __future__ import annotations

import datetime as _dt
import os
import re

from briefkit.errors import ExportError

__all__ = ["check_source_date_epoch", "export_time"]

_FALLBACK = _dt.datetime(1980, 1, 1, tzinfo=_dt.UTC)
_SECONDS = re.compile(r"[0-9]+", re.ASCII)


def export_time(date: str | None) -> tuple[_dt.datetime, bool]:
    """``(moment, known)``: the brief's date at midnight UTC, else ``SOURCE_DATE_EPOCH``, else
    1980-01-01 with ``known`` False (so a format can leave its date fields out).

    ``SOURCE_DATE_EPOCH`` is read only for a brief without a date. It must be a whole number of
    seconds since 1970-01-01 UTC in ASCII digits (surrounding blanks are ignored; empty counts as
    unset) naming a moment before the year 10000; anything else is an
    :class:`~briefkit.errors.ExportError`, as the reproducible-builds specification asks,
    rather than a silently undated document."""
    if date:
        d = _dt.date.fromisoformat(date)
        return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.UTC), True
    return check_source_date_epoch()


def check_source_date_epoch() -> tuple[_dt.datetime, bool]:
    """The moment ``SOURCE_DATE_EPOCH`` names (see :func:`export_time`), or the fallback with
    ``known`` False when it is unset; an :class:`~briefkit.errors.ExportError` when it is
    malformed. The PDF writer calls it even for a dated brief, as reportlab reads the variable
    itself (for the document's ``/ID``) and would fail on a malformed value with a
    ``ValueError``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return _FALLBACK, False
    if not _SECONDS.fullmatch(epoch):
        raise ExportError(
            f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a whole number of seconds since 1970 "
            "(ASCII digits only)"
        )
    try:
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC), True
    except (OverflowError, OSError, ValueError):
        raise ExportError(
            f"SOURCE_DATE_EPOCH={epoch[:40]!r} is out of range (it must name a moment before "
            "the year 10000)"
        ) from None
