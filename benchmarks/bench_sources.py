"""Time the source readers against the tools people use to get text out of the same files.

Makes a 300-page PDF (reportlab, a running header and page numbers), a 1 MB web page and a
Word document of 2,000 paragraphs, then reads each in a fresh process, three times, and prints
the median time, peak memory (RSS) and the ratio to each peer found installed:

* PDF: poppler's ``pdftotext``, pypdf's ``extract_text``, pdfminer.six (when installed);
* HTML and DOCX: ``pandoc -t plain``.

Run: python benchmarks/bench_sources.py
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from html import escape
from pathlib import Path

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate

PROSE = (
    "Officials said the arrangement would continue for the foreseeable future, and that the "
    "costs of host-nation support, roughly $1.6 billion a year, were shared as agreed. "
)
RUNS = 3


def make_pdf(path: Path, pages: int = 300) -> None:
    style = ParagraphStyle("body", fontName="Times-Roman", fontSize=10, leading=13)
    story: list[Flowable] = []
    for page in range(pages):
        story += [Paragraph(f"Page {page + 1}. " + PROSE * 3, style) for _ in range(6)]
        story.append(PageBreak())

    def furniture(c: Canvas, _doc: object) -> None:
        c.setFont("Times-Roman", 8)
        c.drawString(72, A4[1] - 40, "Annual report on alliance costs")
        c.drawCentredString(A4[0] / 2, 30, str(c.getPageNumber()))

    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


def make_html(path: Path, size: int = 1 << 20) -> None:
    parts = ["<!DOCTYPE html><html><head><title>Costs</title><style>p{}</style></head><body>"]
    n = 0
    while sum(map(len, parts)) < size:
        if n % 20 == 0:
            parts.append(f"<h2>Section {n // 20 + 1}</h2><nav><a href='#'>top</a></nav>")
        parts.append(f"<p>{escape(PROSE)} <b>{n}</b> <span hidden>hidden</span></p>\n")
        n += 1
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def make_docx(path: Path, paragraphs: int = 2000) -> None:
    doc = Document()
    for n in range(paragraphs):
        if n % 50 == 0:
            doc.add_heading(f"Part {n // 50 + 1}", level=1)
        doc.add_paragraph(PROSE + str(n))
    out = io.BytesIO()
    doc.save(out)
    path.write_bytes(out.getvalue())


def briefkit_reader(name: str) -> list[str]:
    code = (
        "import sys; from briefkit.readers import reader_named; "
        f"data = open(sys.argv[1], 'rb').read(); reader_named({name!r}).read(data, where='x')"
    )
    return [sys.executable, "-c", code]


def python_code(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def run(command: Sequence[str], file: Path) -> tuple[float, float]:
    """Median seconds and peak RSS (MB) of ``command file`` in a fresh process."""
    times: list[float] = []
    peak = 0.0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *command, str(file)],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(time.perf_counter() - t0)
        peak = max(peak, int(done.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), peak


def main() -> None:
    if not Path("/usr/bin/time").exists():
        sys.exit("needs /usr/bin/time (GNU time) for peak memory")
    folder = Path(tempfile.mkdtemp(prefix="bench-sources-"))
    files = {"pdf": folder / "r.pdf", "html": folder / "p.html", "docx": folder / "d.docx"}
    make_pdf(files["pdf"])
    make_html(files["html"])
    make_docx(files["docx"])
    peers: dict[str, list[tuple[str, list[str]]]] = {"pdf": [], "html": [], "docx": []}
    if shutil.which("pdftotext"):
        peers["pdf"].append(("pdftotext", ["pdftotext", "-q", "-enc", "UTF-8"]))
    peers["pdf"].append(
        (
            "pypdf",
            python_code(
                "import sys, pypdf; r = pypdf.PdfReader(sys.argv[1]); "
                "[p.extract_text() for p in r.pages]"
            ),
        )
    )
    if importlib.util.find_spec("pdfminer") is not None:
        peers["pdf"].append(
            (
                "pdfminer.six",
                python_code(
                    "import sys; from pdfminer.high_level import extract_text; "
                    "extract_text(sys.argv[1])"
                ),
            )
        )
    if shutil.which("pandoc"):
        peers["html"].append(("pandoc -t plain", ["pandoc", "-t", "plain", "-o", "/dev/null"]))
        peers["docx"].append(("pandoc -t plain", ["pandoc", "-t", "plain", "-o", "/dev/null"]))
    print(f"{'file':<6} {'reader':<18} {'seconds':>8} {'peak MB':>8} {'ratio':>6}")
    for kind, file in files.items():
        ours, our_peak = run(briefkit_reader(kind), file)
        size = file.stat().st_size / 1024
        label = f"briefkit {kind}"
        print(f"{kind:<6} {label:<18} {ours:8.3f} {our_peak:8.1f}   1.00  ({size:.0f} KiB)")
        for name, command in peers[kind]:
            seconds, peak = run(command, file)
            print(f"{'':<6} {name:<18} {seconds:8.3f} {peak:8.1f} {ours / seconds:6.2f}")
    print("ratio = briefkit's time / the peer's (below 1: briefkit is faster); every time is a")
    print("fresh process, so it includes starting Python (about 0.1 s) where the peer is Python.")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
