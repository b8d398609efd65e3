"""Testing helpers for briefkit and its plug-ins: Hypothesis strategies and the exporter
contract.

This package needs the ``test`` extra, which installs Hypothesis (and pytest, which the
contract's test class runs under)::

    pip install 'briefkit[test]'

See :mod:`briefkit.testing.strategies` for what each strategy generates and
:mod:`briefkit.testing.contract` for what an exporter must do.
"""

from __future__ import annotations

from briefkit.testing.contract import (
    ExporterContract,
    check_exporter_contract,
    contract_briefs,
    sample_brief,
)
from briefkit.testing.strategies import (
    briefs,
    excerpts,
    grapheme_spans,
    hard_text,
    source_bytes,
    sources,
)

__all__ = [
    "ExporterContract",
    "briefs",
    "check_exporter_contract",
    "contract_briefs",
    "excerpts",
    "grapheme_spans",
    "hard_text",
    "sample_brief",
    "source_bytes",
    "sources",
]
