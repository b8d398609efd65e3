"""``export`` and ``render``: from a brief to bytes, or to a file written atomically."""

from __future__ import annotations

import io
import os
from pathlib import Path

from briefkit._atomic import atomic_write
from briefkit.formats import Exporter, check_exporter, registry
from briefkit.model import Brief
from briefkit.notes import CitationStyle
from briefkit.plan import NotePlan

__all__ = ["export", "render"]


def _exporter(format: str | Exporter | None, path: str | os.PathLike[str] | None) -> Exporter:
    if format is None:
        if path is None:
            raise TypeError("render() needs a format")
        return registry.for_path(os.fspath(path))
    if isinstance(format, str):
        return registry.get(format)
    return check_exporter(format, "format=")


def _plan_of(
    brief: Brief | NotePlan,
    style: CitationStyle | str | os.PathLike[str] | None,
    locale: str | None,
    show_spans: bool,
) -> NotePlan:
    if isinstance(brief, NotePlan):
        return brief
    chosen = style if isinstance(style, CitationStyle | str | None) else Path(style)
    return NotePlan.build(brief, style=chosen, locale=locale, show_spans=show_spans)


def render(
    brief: Brief | NotePlan,
    format: str | Exporter,
    *,
    style: CitationStyle | str | os.PathLike[str] | None = None,
    locale: str | None = None,
    show_spans: bool = False,
) -> bytes:
    """The exported bytes of ``brief`` in ``format`` (a registered name or an exporter).
    ``style``, ``locale`` and ``show_spans`` are as for :meth:`NotePlan.build`."""
    exporter = _exporter(format, None)
    buffer = io.BytesIO()
    exporter.write(_plan_of(brief, style, locale, show_spans), buffer)
    return buffer.getvalue()


def export(
    brief: Brief | NotePlan,
    path: str | os.PathLike[str],
    *,
    format: str | Exporter | None = None,
    style: CitationStyle | str | os.PathLike[str] | None = None,
    locale: str | None = None,
    show_spans: bool = False,
) -> Path:
    """Validate, plan and write ``brief`` to ``path`` atomically; the format comes from the
    suffix unless ``format`` names one (or is an exporter object). ``style``, ``locale``
    and ``show_spans`` are as for :meth:`NotePlan.build`. Returns the path.

    The brief is validated and planned before the file is touched, and the file is written
    atomically (see :mod:`briefkit._atomic` for the whole contract): a failed, interrupted or
    killed export leaves any earlier file unchanged and no partial file behind; a symbolic link
    at ``path`` is written through and kept; an existing file keeps its permission bits; and
    a path that cannot be a file (a folder, a FIFO, a device, a missing folder) or any I/O
    error (a full disk …) is an :class:`~briefkit.errors.ExportError` naming the file.
    """
    exporter = _exporter(format, path)
    target = Path(path)
    the_plan = _plan_of(brief, style, locale, show_spans)
    with atomic_write(target) as stream:
        exporter.write(the_plan, stream)
    return target
