"""Time the Markdown brief format.

* ``python benchmarks/bench_mdbrief.py``: dumps and load of synthetic briefs at N=1,000 and
  10,000 sentences. Prints seconds, file size and the 10k/1k time ratio (about 10 means
  linear).
* ``python benchmarks/bench_mdbrief.py --hostile [NAME …] [--repeat N]``: the CPU time of
  loading each big hostile brief of ``tests/hostile/test_briefs.py`` (about 6.5 MB each; all
  of them, or those named) in a fresh process running the code the test's bounded child runs,
  the least of ``--repeat`` runs (a busy machine only adds time), with the peak resident
  memory and what the load gave (``ok``, or the error's first words). The test stops a child
  at 10 s of CPU time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_brief

from briefkit import mdbrief

ROOT = Path(__file__).resolve().parents[1]


def synthetic() -> None:
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


def _hostile_briefs() -> dict[str, Callable[[], str]]:
    """The big briefs the hostile test loads, by the test's names for them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile import test_briefs

    return {
        name.removeprefix("_big_"): getattr(test_briefs, name)
        for name in dir(test_briefs)
        if name.startswith("_big_")
    }


def _load_in_child(path: Path) -> tuple[float, int, str]:
    """CPU seconds and peak resident memory (KiB) of loading ``path`` in a fresh process,
    and what it printed."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile.test_briefs import load_child

    code = load_child(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile() as out:
        pid = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=out).pid
        _, status, usage = os.wait4(pid, 0)
        out.seek(0)
        printed = out.read().decode(errors="replace").strip()
    if status != 0:
        printed = f"failed ({status})"
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, printed


def hostile(names: list[str], repeat: int) -> None:
    briefs = _hostile_briefs()
    unknown = [name for name in names if name not in briefs]
    if unknown:
        raise SystemExit(f"no such brief: {', '.join(unknown)} (known: {', '.join(briefs)})")
    print(f"{'brief':<16} {'CPU s':>6} {'peak MiB':>9}  result")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(briefs):
            path = Path(tmp) / f"{name}.md"
            path.write_text(briefs[name](), encoding="utf-8")
            runs = [_load_in_child(path) for _ in range(repeat)]
            cpu = min(run[0] for run in runs)
            peak = max(run[1] for run in runs) / 1024
            print(f"{name:<16} {cpu:6.2f} {peak:9.0f}  {runs[0][2][:60]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hostile", nargs="*", metavar="NAME", help="time the hostile briefs")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each hostile brief")
    args = parser.parse_args()
    if args.hostile is None:
        synthetic()
    else:
        hostile(args.hostile, max(1, args.repeat))


if __name__ == "__main__":
    main()
