"""Every step of briefkit at several sizes, next to the peers found installed, as one table.

Run: ``python benchmarks/run.py [--sizes 1000 10000] [--repeat 3] [--output FILE.md]``

The input is the synthetic brief of N sentences, one footnote each (``synthetic.make_brief``).
The steps:

* ``plan``: ``NotePlan.build`` of the brief, validation included (building the brief is not
  timed);
* ``export docx|pdf|html|md|json``: ``bk.render(plan, format)``, the prebuilt plan to bytes;
* ``verify docx|pdf|html|md``: ``bk.verify(path, sources=folder)`` of the exported file, the
  sources written to a folder as files named by their ids (writing them is not timed). A
  verification that does not pass stops the run with an error: only a passing one is timed.

Each measurement runs in a fresh process; a step's time is the median of ``--repeat`` runs,
and its peak memory the largest peak resident set of those processes (which holds the brief
and its plan too). The peers (see ``peers.py``) run on the same text at the largest size, each
in a fresh process, and are marked "not installed" when missing: a reportlab layout with
endnotes and Typst (``pip install typst``) against ``export pdf``; pandoc
(``pip install pypandoc-binary``, else a ``pandoc`` on the PATH) converting briefkit's own
Markdown export, its comments taken out, to DOCX and HTML against ``export docx`` and
``export html``. Times are of the work alone, without starting Python or importing briefkit
(the modules a step loads on first use are counted); a pandoc time is its whole process.

The output is Markdown: the machine, the versions, then one row a step (and a row more for a
step's second peer) with the time at each size, the growth from the smallest to the largest
size next to linear growth, the peak memory and the peer's time and the ratio at the largest
size, and what the step produced. It is printed and, with ``--output``, written to a file.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peers import (
    pandoc_markdown,
    pandoc_path,
    pandoc_version,
    reportlab_endnotes_pdf,
    typst_markup,
    typst_module,
)
from synthetic import make_brief

import briefkit as bk

EXPORTS = ("docx", "pdf", "html", "md", "json")
VERIFIED = ("docx", "pdf", "html", "md")
STEPS = ("plan", *(f"export {f}" for f in EXPORTS), *(f"verify {f}" for f in VERIFIED))
# step -> its peers, each (task, label); a task names what a child process runs
PEERS: dict[str, tuple[tuple[str, str], ...]] = {
    "export pdf": (("reportlab", "reportlab, endnotes"), ("typst", "Typst")),
    "export docx": (("pandoc-docx", "pandoc md→docx"),),
    "export html": (("pandoc-html", "pandoc md→html"),),
}
NOT_INSTALLED = "not installed"


@dataclass(frozen=True)
class Measure:
    """One task at one size: the median seconds, the largest peak RSS (MiB) and what the task
    produced (``1,003 notes``, ``2.1 MB``, ``ok, 1,003 citations``)."""

    seconds: float
    peak_mib: float
    result: str


def _peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _size(data: bytes) -> str:
    return f"{len(data) / 1e6:.2f} MB"


def _write_sources(brief: bk.Brief, folder: Path) -> None:
    folder.mkdir()
    for src in brief.sources():
        folder.joinpath(src.id).write_text(src.text, encoding="utf-8", newline="")


def _pandoc(plan: bk.NotePlan, to: str, tmp: Path) -> tuple[float, float, str]:
    pandoc = pandoc_path()
    if pandoc is None:
        raise SystemExit("pandoc is not installed")
    source = tmp / "brief.md"
    source.write_text(pandoc_markdown(plan), encoding="utf-8")
    out = tmp / f"brief.{to}"
    extra = ["--standalone", "--metadata", f"pagetitle={plan.brief.title}"] if to == "html" else []
    t0 = time.perf_counter()
    subprocess.run(
        [pandoc, "-f", "markdown", "-t", to, *extra, "-o", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - t0
    return seconds, _peak_mib(resource.RUSAGE_CHILDREN), _size(out.read_bytes())


def child(task: str, n: int) -> dict[str, object]:
    """Run ``task`` once on the synthetic brief of ``n`` sentences, in this process: the
    seconds of the timed part, this process's peak RSS (pandoc's, for a pandoc task) and what
    it produced. A verification that does not pass is a ``SystemExit`` naming its problems."""
    brief = make_brief(n)
    if task == "plan":
        t0 = time.perf_counter()
        plan = bk.NotePlan.build(brief)
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "peak_mib": _peak_mib(), "result": f"{len(plan.notes):,} notes"}
    plan = bk.NotePlan.build(brief)
    kind, _, what = task.partition(":")
    with tempfile.TemporaryDirectory(prefix="briefkit-bench-") as name:
        tmp = Path(name)
        if kind == "export":
            t0 = time.perf_counter()
            data = bk.render(plan, what)
            seconds = time.perf_counter() - t0
            result = _size(data)
        elif kind == "verify":
            _write_sources(brief, tmp / "sources")
            path = tmp / f"brief.{what}"
            path.write_bytes(bk.render(plan, what))
            t0 = time.perf_counter()
            report = bk.verify(path, sources=tmp / "sources")
            seconds = time.perf_counter() - t0
            if not report.ok:
                problems = "; ".join(str(p) for p in report.errors[:5])
                failed = sum(not c.ok for c in report.citations)
                raise SystemExit(
                    f"verify {what} at N={n} did not pass: {failed} citations failed; {problems}"
                )
            result = f"ok, {len(report.citations):,} citations"
        elif task == "peer:reportlab":
            t0 = time.perf_counter()
            data = reportlab_endnotes_pdf(plan)
            seconds = time.perf_counter() - t0
            result = _size(data)
        elif task == "peer:typst":
            typst = typst_module()
            if typst is None:
                raise SystemExit("typst is not installed")
            source = typst_markup(plan).encode("utf-8")
            t0 = time.perf_counter()
            data = typst.compile(source)
            seconds = time.perf_counter() - t0
            if not isinstance(data, bytes) or not data.startswith(b"%PDF-"):
                raise SystemExit("typst.compile did not return a PDF")
            result = _size(data)
        elif task in ("peer:pandoc-docx", "peer:pandoc-html"):
            seconds, peak, result = _pandoc(plan, what.removeprefix("pandoc-"), tmp)
            return {"seconds": seconds, "peak_mib": peak, "result": result}
        else:
            raise SystemExit(f"unknown task {task!r}")
    return {"seconds": seconds, "peak_mib": _peak_mib(), "result": result}


def measure(task: str, n: int, repeat: int) -> Measure:
    """``task`` at size ``n`` in ``repeat`` fresh processes: the median time, the largest
    peak. A failing process stops the run with its error output."""
    runs: list[dict[str, object]] = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", task, str(n)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"{task} at N={n} failed (exit {done.returncode}):\n{done.stderr}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return Measure(
        seconds=statistics.median(float(str(r["seconds"])) for r in runs),
        peak_mib=max(float(str(r["peak_mib"])) for r in runs),
        result=str(runs[-1]["result"]),
    )


def _task(step: str) -> str:
    return step.replace(" ", ":")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return NOT_INSTALLED


def _seconds(s: float) -> str:
    return f"{s:.3f}" if s < 10 else f"{s:.2f}"


def _cpu() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.machine()
    for line in info.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.machine()


def _pandoc_text() -> str:
    pandoc = pandoc_path()
    if pandoc is None:
        return NOT_INSTALLED
    where = "pypandoc-binary" if "pypandoc" in Path(pandoc).parts else pandoc
    return f"{pandoc_version(pandoc)} ({where})"


def header(load_before: float, load_after: float) -> list[str]:
    """The machine and versions lines that head the table."""
    return [
        f"Machine: Python {platform.python_version()} · {os.cpu_count()} × {_cpu()} · "
        f"{platform.platform()} · load average {load_before:.2f} before, "
        f"{load_after:.2f} after",
        "",
        f"Versions: briefkit {bk.__version__} · reportlab {_version('reportlab')} · "
        f"typst {_version('typst')} · pandoc {_pandoc_text()}",
    ]


def table(
    sizes: Sequence[int],
    repeat: int,
    ours: dict[tuple[str, int], Measure],
    theirs: dict[str, Measure | None],
) -> list[str]:
    """The Markdown table: a row a step, one more for a step's second peer."""
    small, large = min(sizes), max(sizes)
    linear = large / small
    growth = f"growth {large:,}/{small:,} (linear {linear:g})" if len(sizes) > 1 else "growth"
    cols = [
        "step",
        *(f"N={n:,} s" for n in sizes),
        growth,
        f"peak MiB, N={large:,}",
        "peer",
        f"peer s, N={large:,}",
        "briefkit/peer",
        f"result, N={large:,}",
    ]
    lines = [
        f"Median of {repeat} run{'s' if repeat > 1 else ''}, each in a fresh process, "
        f"over synthetic briefs of N sentences with one footnote each; the peers at "
        f"N={large:,} only.",
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "|".join("---" if c in (cols[0], cols[-4], cols[-1]) else "---:" for c in cols) + "|",
    ]
    for step in STEPS:
        row = [ours[step, n] for n in sizes]
        top = ours[step, large]
        factor = f"{top.seconds / ours[step, small].seconds:.1f}" if len(sizes) > 1 else "—"
        mine = [
            *(_seconds(m.seconds) for m in row),
            factor,
            f"{top.peak_mib:.0f}",
        ]
        peers = PEERS.get(step, ())
        if not peers:
            lines.append("| " + " | ".join([step, *mine, "", "", "", top.result]) + " |")
        for i, (task, label) in enumerate(peers):
            peer = theirs[task]
            if peer is None:
                cells = [f"{label} ({NOT_INSTALLED})", "—", "—"]
            else:
                cells = [label, _seconds(peer.seconds), f"{top.seconds / peer.seconds:.2f}"]
            if i == 0:
                lines.append("| " + " | ".join([step, *mine, *cells, top.result]) + " |")
            else:
                blank = [""] * len(mine)
                lines.append("| " + " | ".join(["", *blank, *cells, ""]) + " |")
    lines += [
        "",
        "Times are the step's work alone, without starting Python or importing briefkit, "
        "but with the modules the step loads on first use (citeproc for the plan, reportlab "
        "for PDF …), a fixed cost that weighs most at the smallest size; a pandoc time is its "
        "whole process. Peak is the process's peak resident memory, the brief and its plan "
        "included. A ratio below 1 means briefkit is faster.",
    ]
    return lines


def _installed(task: str) -> bool:
    if task == "typst":
        return typst_module() is not None
    if task.startswith("pandoc"):
        return pandoc_path() is not None
    return True


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    sizes: list[int] = sorted(set(args.sizes))
    if min(sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be at least 1")
    load_before = os.getloadavg()[0]
    ours: dict[tuple[str, int], Measure] = {}
    for n in sizes:
        for step in STEPS:
            print(f"N={n:,} {step} …", file=sys.stderr, flush=True)
            ours[step, n] = measure(_task(step), n, args.repeat)
    theirs: dict[str, Measure | None] = {}
    large = max(sizes)
    for peers in PEERS.values():
        for task, label in peers:
            if _installed(task):
                print(f"N={large:,} {label} …", file=sys.stderr, flush=True)
                theirs[task] = measure(f"peer:{task}", large, args.repeat)
            else:
                theirs[task] = None
    lines = [*header(load_before, os.getloadavg()[0]), "", *table(sizes, args.repeat, ours, theirs)]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
