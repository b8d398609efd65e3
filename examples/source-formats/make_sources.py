"""Make this example's sources from the example corpus in ``seeds/``, as the files an analyst
holds: the report as a paginated PDF, the CNN article as a web page, the Yomiuri editorial as a
Word document, and the AFP dispatch as plain text. The same words as the seeds, other formats.

Run from the repository root (the files are committed; running it again gives the same bytes)::

    python examples/source-formats/make_sources.py
"""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from pathlib import Path

from docx import Document
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent.parent / "seeds"
OUT = HERE / "sources"
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def paragraphs(name: str) -> list[str]:
    """The non-empty lines of a seed file (each is one paragraph)."""
    text = next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def report_pdf() -> bytes:
    """The report, typeset on A5 pages with a running header and page numbers."""
    pdfmetrics.registerFont(TTFont("Serif", str(SERIF)))
    body = ParagraphStyle("body", fontName="Serif", fontSize=10.5, leading=14, spaceAfter=8)
    head = ParagraphStyle("head", parent=body, fontSize=15, leading=19, spaceAfter=12)
    lines = paragraphs("004")
    title, text = lines[0], [p for p in lines[1:] if p != "Purchase this volume"]
    story: list[Flowable] = [Paragraph(html.escape(title), head)]
    story += [
        Paragraph(html.escape(p.replace("Purchase this volume", "").strip()), body) for p in text
    ]

    def furniture(c: Canvas, _doc: object) -> None:
        c.saveState()
        c.setFont("Serif", 8)
        c.drawString(40, A5[1] - 28, "U.S.-Japan Alliance")
        c.drawCentredString(A5[0] / 2, 22, str(c.getPageNumber()))
        c.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A5,
        leftMargin=40,
        rightMargin=40,
        topMargin=48,
        bottomMargin=44,
        title=title,
        invariant=1,
    )
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def article_html() -> str:
    """The CNN article as a web page: site navigation, the story, a footer."""
    lines = paragraphs("000")
    title, dateline, rest = lines[0], lines[1], lines[2:]
    body = "\n".join(f"    <p>{html.escape(p)}</p>" for p in rest)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)} | CNN Politics</title>
  <style>nav a {{ margin-right: 1em }}</style>
  <script>window.analytics = {{ page: "article" }};</script>
</head>
<body>
  <nav aria-label="Sections"><a href="/politics">Politics</a> <a href="/world">World</a></nav>
  <main>
  <article>
    <h1>{html.escape(title)}</h1>
    <p class="dateline">{html.escape(dateline)}</p>
{body}
  </article>
  </main>
  <div hidden>Subscribe to our newsletter</div>
  <footer>© 2016 Cable News Network.</footer>
</body>
</html>
"""


def editorial_docx() -> bytes:
    """The Yomiuri editorial as a Word document with its headline as a heading."""
    lines = [p for p in paragraphs("003") if p != "print PRINT"]
    doc = Document()
    doc.core_properties.title = lines[0]
    doc.add_heading(lines[0], level=1)
    for p in lines[1:]:
        doc.add_paragraph(p)
    raw = io.BytesIO()
    doc.save(raw)
    return _stable_zip(raw.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so the file is the same on every run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _fixed_dates(payload)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2017, 1, 22, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, payload)
    return out.getvalue()


def _fixed_dates(core: bytes) -> bytes:
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2017-01-22T00:00:00Z", core
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "U.S.-Japan Alliance report.pdf").write_bytes(report_pdf())
    (OUT / "cnn-carter-visit.html").write_text(article_html(), encoding="utf-8")
    (OUT / "Yomiuri editorial.docx").write_bytes(editorial_docx())
    shutil.copyfile(next(SEEDS.glob("002_*.txt")), OUT / "afp-mattis-tokyo.txt")


if __name__ == "__main__":
    main()
