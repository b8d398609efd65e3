"""Random briefs -> PDF -> verify: every citation resolves and the pages read as the manifest
(notes on their marks' pages, every sentence's text in reading order, across page breaks)."""

from __future__ import annotations

from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st

import briefkit
from briefkit.formats.pdf import GlyphCoverageError
from briefkit.testing import briefs

from .test_prop_export import workspace
from .test_prop_pdf import drawable, drawable_files


@settings(max_examples=25, deadline=None)
@given(files=drawable_files, data=st.data(), page_size=st.sampled_from(["A4", "Letter"]))
def test_a_written_pdf_verifies_clean(
    files: dict[str, bytes], data: st.DataObject, page_size: Literal["A4", "Letter"]
) -> None:
    from briefkit.formats.pdf import PdfExporter

    with workspace(files) as (root, out, corpus):
        brief = data.draw(briefs(corpus, keep=drawable), label="brief")
        path = out / "b.pdf"
        try:
            briefkit.export(brief, path, format=PdfExporter(page_size=page_size))
        except GlyphCoverageError:
            return  # refused by name; covered by test_prop_pdf
        report = briefkit.verify(path, sources=root)
        assert report.ok, (report.summary(), report.problems)
