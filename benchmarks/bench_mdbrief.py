"""Time the Markdown brief format: dumps and load of synthetic briefs at N=1,000 and 10,000
sentences. Prints seconds, file size and the 10k/1k time ratio (about 10 means linear).

Run: python benchmarks/bench_mdbrief.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_brief

from briefkit import mdbrief


def main() -> None:
    times: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 10_000):
            brief = make_brief(n)
            sources = Path(tmp) / f"src{n}"
            sources.mkdir()
            for src in brief.sources():
                sources.joinpath(src.id).write_text(src.text, encoding="utf-8", newline="")
            t0 = time.perf_counter()
            text = mdbrief.dumps(brief, sources=sources.name)
            dumped = time.perf_counter() - t0
            path = Path(tmp) / f"brief{n}.md"
            path.write_text(text, encoding="utf-8")
            t0 = time.perf_counter()
            loaded = mdbrief.load(path)
            read = time.perf_counter() - t0
            assert loaded.brief.title == brief.title
            times[n] = (dumped, read)
            size = len(text.encode("utf-8")) / 2**20
            print(f"N={n:>6}: dumps {dumped:6.2f} s, load {read:6.2f} s, {size:5.1f} MiB")
    (d1, l1), (d10, l10) = times[1_000], times[10_000]
    print(f"10k/1k ratio: dumps {d10 / d1:.1f}, load {l10 / l1:.1f} (10 = linear)")


if __name__ == "__main__":
    main()
