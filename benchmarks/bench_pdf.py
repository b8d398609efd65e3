"""PDF export at N=1,000 and 10,000 sentences (one footnote each), next to a reportlab baseline.

The baseline lays out the same text — the same body paragraphs and the same note texts, set as
endnotes, with the same fonts and styles — through reportlab's own SimpleDocTemplate, with no
footnote logic; the ratio shows what per-page footnotes, the coverage check and the embedded
manifest cost. Prints time and peak traced memory. Run: python benchmarks/bench_pdf.py
"""

from __future__ import annotations

import gc
import io
import sys
import time
import tracemalloc
from pathlib import Path

from reportlab.platypus import Paragraph, SimpleDocTemplate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_brief

import briefkit as bk
from briefkit.exporters.pdf import FontSet, _styles
from briefkit.exporters.pdf.fonts import RegisteredFonts
from briefkit.exporters.pdf.markup import markup
from briefkit.plan import ListBlock, ParagraphBlock


def baseline(plan: bk.NotePlan) -> bytes:
    """The same body text and the same note texts (as endnotes), with no footnote logic."""
    fonts = RegisteredFonts(FontSet.discover())
    styles = _styles(fonts.regular)
    story = []
    for block in plan.blocks:
        if isinstance(block, ParagraphBlock):
            text = " ".join(markup(s.text, fonts) for s in block.sentences)
            story.append(Paragraph(text, styles["body"]))
        elif isinstance(block, ListBlock):
            story += [Paragraph(markup(s.text, fonts), styles["bullet"]) for s in block.items]
    story += [Paragraph(f"{n.number} {markup(n.text, fonts)}", styles["note"]) for n in plan.notes]
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1).build(story)
    return out.getvalue()


def timed(fn: object) -> tuple[float, float, float]:
    gc.collect()
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    seconds = time.perf_counter() - t0
    gc.collect()
    tracemalloc.start()
    fn()  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, 0.0


def main() -> None:
    for n in (1_000, 10_000):
        plan = bk.plan(make_brief(n))
        ours, ours_peak, _ = timed(lambda plan=plan: bk.render(plan, "pdf"))
        base, base_peak, _ = timed(lambda plan=plan: baseline(plan))
        pages = bk.render(plan, "pdf").count(b"/Type /Page\n")
        print(
            f"N={n:>6}  briefkit pdf {ours:6.2f} s (peak {ours_peak:6.1f} MiB) | "
            f"reportlab baseline, notes as endnotes {base:6.2f} s (peak {base_peak:6.1f} MiB) | "
            f"ratio {ours / base:4.2f} | {len(plan.notes)} notes",
            flush=True,
        )
        del pages


if __name__ == "__main__":
    main()
