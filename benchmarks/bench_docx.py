"""DOCX export at N=1,000 and 10,000 sentences (one footnote each), next to pandoc.

Prints briefkit's export time and peak traced memory, and — when pandoc is installed — pandoc's
time to turn the equivalent Markdown (briefkit's own ``md`` export, with ``[^n]`` footnotes)
into DOCX, and the ratio. Run: python benchmarks/bench_docx.py
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_brief

import briefkit as bk


def main() -> None:
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 10_000):
            plan = bk.NotePlan.build(make_brief(n))
            gc.collect()
            tracemalloc.start()
            t0 = time.perf_counter()
            data = bk.render(plan, "docx")
            seconds = time.perf_counter() - t0
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            t0 = time.perf_counter()
            bk.render(plan, "docx")
            untraced = time.perf_counter() - t0
            line = (
                f"N={n:>6}  briefkit docx {untraced:6.2f} s (traced {seconds:5.2f} s), "
                f"peak {peak:6.1f} MiB, {len(data) / 2**20:5.2f} MiB, {len(plan.notes)} notes"
            )
            if pandoc:
                md = Path(tmp) / f"b{n}.md"
                md.write_bytes(bk.render(plan, "md"))
                t0 = time.perf_counter()
                subprocess.run(
                    [pandoc, "-f", "markdown", "-o", str(Path(tmp) / f"p{n}.docx"), str(md)],
                    check=True,
                )
                theirs = time.perf_counter() - t0
                line += f" | pandoc {theirs:6.2f} s | briefkit/pandoc = {untraced / theirs:5.3f}"
            else:
                line += " | pandoc not installed"
            print(line, flush=True)


if __name__ == "__main__":
    main()
