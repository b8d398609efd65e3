"""The one timestamp an export carries: from the brief, else ``SOURCE_DATE_EPOCH``, never the
clock — so the same brief always gives the same bytes."""

from __future__ import annotations

import datetime as _dt
import os

__all__ = ["export_time"]

_FALLBACK = _dt.datetime(1980, 1, 1, tzinfo=_dt.UTC)


def export_time(date: str | None) -> tuple[_dt.datetime, bool]:
    """``(moment, known)``: the brief's date at midnight UTC, else ``SOURCE_DATE_EPOCH``, else
    1980-01-01 with ``known`` False (so a format can leave its date fields out)."""
    if date:
        d = _dt.date.fromisoformat(date)
        return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.UTC), True
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC), True
    return _FALLBACK, False
