"""PDF export at N=1,000 and 10,000 sentences (one footnote each), next to a reportlab baseline.

The baseline lays out the same text — the same body paragraphs and the same note texts, set as
endnotes, with the same fonts and styles — through reportlab's own SimpleDocTemplate, with no
footnote logic; the ratio shows what per-page footnotes, the coverage check and the embedded
manifest cost. Each measurement runs in a fresh process, which reports its time and its peak
resident memory (the synthetic brief included). Run: python benchmarks/bench_pdf.py
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def baseline(plan: object) -> bytes:
    """The same body text and the same note texts (as endnotes), with no footnote logic."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

    from briefkit.formats.pdf import FontSet
    from briefkit.formats.pdf._fonts import RegisteredFonts
    from briefkit.formats.pdf._markup import markup
    from briefkit.formats.pdf.writer import _styles
    from briefkit.plan import ListBlock, NotePlan, ParagraphBlock

    assert isinstance(plan, NotePlan)
    fonts = RegisteredFonts(FontSet.discover())
    # reportlab's own frame splitting needs allowOrphans off (on, it can split to no lines)
    styles = {
        k: ParagraphStyle(k, parent=v, allowOrphans=0) for k, v in _styles(fonts.regular).items()
    }
    story: list[Flowable] = []
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


def child(which: str, n: int) -> None:
    from synthetic import make_brief

    import briefkit as bk

    plan = bk.NotePlan.build(make_brief(n))
    t0 = time.perf_counter()
    data = bk.render(plan, "pdf") if which == "briefkit" else baseline(plan)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "peak_mib": peak, "bytes": len(data), "notes": len(plan.notes)}
        )
    )


def measure(which: str, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    for n in (1_000, 10_000):
        ours = measure("briefkit", n)
        base = measure("baseline", n)
        ratio = ours["seconds"] / base["seconds"]
        print(
            f"N={n:>6}  briefkit pdf {ours['seconds']:6.2f} s "
            f"(peak RSS {ours['peak_mib']:6.1f} MiB) | reportlab baseline, notes as endnotes "
            f"{base['seconds']:6.2f} s (peak RSS {base['peak_mib']:6.1f} MiB) | "
            f"ratio {ratio:4.2f} | {int(ours['notes'])} notes",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
