"""Time the core path (validate + note plan, JSON manifest, Markdown) at N=1,000 and 10,000.

Prints seconds, peak traced memory, and the 10k/1k time ratio (about 10 means linear).
Run: python benchmarks/bench_core.py
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_brief

import briefkit as bk


def measure(fn: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20


def main() -> None:
    results: dict[int, dict[str, float]] = {}
    for n in (1_000, 10_000):
        brief = make_brief(n)
        plan = bk.NotePlan.build(brief)
        row = {}
        for label, fn in (
            ("plan", lambda brief=brief: bk.NotePlan.build(brief)),
            ("json", lambda plan=plan: bk.render(plan, "json")),
            ("md", lambda plan=plan: bk.render(plan, "md")),
        ):
            seconds, peak = measure(fn)
            row[label] = seconds
            print(f"N={n:>6}  {label:<5} {seconds:7.3f} s   peak {peak:7.1f} MiB")
        results[n] = row
    for label in results[1_000]:
        ratio = results[10_000][label] / results[1_000][label]
        print(f"{label:<5} time ratio 10k/1k: {ratio:5.1f}  (10 = linear)")


if __name__ == "__main__":
    main()
