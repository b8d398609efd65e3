"""The benchmark entry point runs end to end at a small size, so it cannot rot.

Times are not checked: only that every step ran and gave a positive time, every verification
passed, and every peer was measured or reported missing.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
STEPS = (
    "plan",
    "export docx",
    "export pdf",
    "export html",
    "export md",
    "export json",
    "verify docx",
    "verify pdf",
    "verify html",
    "verify md",
)
PEERS = ("pandoc md→docx", "reportlab, endnotes", "Typst", "pandoc md→html")  # table order


def _load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def _rows(table: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in table.splitlines()
        if line.startswith("|")
    ]
    return rows[2:]  # past the header and the alignment row


def test_run_py_at_200_sentences(tmp_path: Path) -> None:
    output = tmp_path / "bench.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--sizes",
            "200",
            "--repeat",
            "1",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = output.read_text(encoding="utf-8")
    assert text == done.stdout
    assert "Machine: Python" in text
    assert "Versions: briefkit" in text
    header = next(line for line in text.splitlines() if line.startswith("| step"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert columns == [
        "step",
        "N=200 s",
        "growth",
        "peak MiB, N=200",
        "peer",
        "peer s, N=200",
        "briefkit/peer",
        "result, N=200",
    ]
    rows = _rows(text)
    by_step = {r[0]: dict(zip(columns, r, strict=True)) for r in rows if r[0]}
    assert tuple(by_step) == STEPS
    for step, row in by_step.items():
        assert float(row["N=200 s"]) > 0, step
        assert float(row["peak MiB, N=200"]) > 0, step
    for fmt in ("docx", "pdf", "html", "md"):
        assert by_step[f"verify {fmt}"]["result, N=200"] == "ok, 203 citations"
    assert by_step["plan"]["result, N=200"] == "203 notes"
    peers = {r[4].removesuffix(" (not installed)"): r for r in rows if r[4]}
    assert tuple(peers) == PEERS
    for name, cells in peers.items():
        if cells[4].endswith("(not installed)"):
            assert cells[5] == cells[6] == "—", name
        else:
            assert float(cells[5]) > 0, name
            assert float(cells[6]) > 0, name


def test_table_growth_and_missing_peers() -> None:
    """Two sizes give a growth factor next to linear growth; a missing peer is marked so."""
    run = _load_run()
    ours = {
        (step, n): run.Measure(seconds=n / 1000, peak_mib=50.0, result="r")
        for step in STEPS
        for n in (1_000, 10_000)
    }
    ours["export pdf", 10_000] = run.Measure(seconds=30.0, peak_mib=80.0, result="2.00 MB")
    theirs = {
        "reportlab": run.Measure(seconds=20.0, peak_mib=1.0, result=""),
        "typst": None,
        "pandoc-docx": None,
        "pandoc-html": run.Measure(seconds=40.0, peak_mib=1.0, result=""),
    }
    lines = run.table([1_000, 10_000], 3, ours, theirs)
    text = "\n".join(lines)
    assert "| step | N=1,000 s | N=10,000 s | growth 10,000/1,000 (linear 10) |" in text
    assert "| export pdf | 1.000 | 30.00 | 30.0 | 80 | reportlab, endnotes | 20.00 | 1.50 |" in text
    assert "|  |  |  |  |  | Typst (not installed) | — | — |  |" in text
    assert (
        "| export docx | 1.000 | 10.00 | 10.0 | 50 | pandoc md→docx (not installed) | — | — |"
        in text
    )
    assert "| export html | 1.000 | 10.00 | 10.0 | 50 | pandoc md→html | 40.00 | 0.25 | r |" in text
