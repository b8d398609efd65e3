"""Testing helpers for briefkit and its plug-ins: Hypothesis strategies.

This package needs the ``test`` extra, which installs Hypothesis::

    pip install 'briefkit[test]'

See :mod:`briefkit.testing.strategies` for what each strategy generates.
"""

from __future__ import annotations

from briefkit.testing.strategies import (
    briefs,
    excerpts,
    grapheme_spans,
    hard_text,
    source_bytes,
    sources,
)

__all__ = [
    "briefs",
    "excerpts",
    "grapheme_spans",
    "hard_text",
    "source_bytes",
    "sources",
]
