"""Draw figures/troops.png: a bar chart of the three counts of U.S. troops in Japan the sources
give (CNN 50,000; AFP on the Mattis visit 47,000; the overview of the alliance about 54,000).

Deterministic: the image is drawn with Pillow's default bitmap font (no TrueType font, from
the system or bundled, whose rendering would depend on the FreeType version) in fixed colours,
and saved as a PNG with fixed settings and no metadata (no time stamp, no text chunks), so the
same Pillow writes the same bytes every time. Run it with ``python make_figure.py [OUTDIR]``
(default: the ``figures`` folder next to this script).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

#: (label under the bar, troops)
BARS = (("CNN", 50_000), ("AFP", 47_000), ("Overview", 54_000))
WIDTH, HEIGHT = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 50  # margins around the plot area
STEP = 10_000  # between the ticks of the vertical axis
TOP_VALUE = 60_000
INK, GRID, BAR, WHITE = (30, 30, 30), (210, 210, 210), (52, 101, 164), (255, 255, 255)


def _bitmap_font() -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """Pillow's built-in bitmap font. ``load_default()`` gives a bundled TrueType font when
    FreeType is there (Pillow 10.1 on), whose anti-aliased glyphs depend on the FreeType
    version; the bitmap font draws the same pixels everywhere."""
    bitmap = getattr(ImageFont, "load_default_imagefont", None)  # Pillow >= 10.1
    return bitmap() if bitmap is not None else ImageFont.load_default()


def draw() -> Image.Image:
    font = _bitmap_font()
    img = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    d = ImageDraw.Draw(img)
    x0, x1 = LEFT, WIDTH - RIGHT
    y0, y1 = TOP, HEIGHT - BOTTOM  # y1 is the baseline (value 0)

    def y_of(value: int) -> int:
        return y1 - round((y1 - y0) * value / TOP_VALUE)

    d.text((x0, 12), "U.S. troops in Japan, by source", fill=INK, font=font)
    for value in range(0, TOP_VALUE + 1, STEP):  # grid lines and tick labels
        y = y_of(value)
        if value:
            d.line([(x0, y), (x1, y)], fill=GRID, width=1)
        label = f"{value:,}"
        w = d.textlength(label, font=font)
        d.text((x0 - 8 - w, y - 5), label, fill=INK, font=font)
        d.line([(x0 - 4, y), (x0, y)], fill=INK, width=1)
    slot = (x1 - x0) // len(BARS)
    bar = slot * 5 // 10
    for k, (name, value) in enumerate(BARS):
        left = x0 + k * slot + (slot - bar) // 2
        top = y_of(value)
        d.rectangle([left, top, left + bar, y1], fill=BAR)
        shown = f"{value:,}"
        w = d.textlength(shown, font=font)
        d.text((left + (bar - w) / 2, top - 14), shown, fill=INK, font=font)
        w = d.textlength(name, font=font)
        d.text((left + (bar - w) / 2, y1 + 8), name, fill=INK, font=font)
    d.line([(x0, y0 - 6), (x0, y1)], fill=INK, width=1)  # vertical axis
    d.line([(x0, y1), (x1, y1)], fill=INK, width=1)  # horizontal axis
    d.text((x0, HEIGHT - 20), "Troops (one bar per source)", fill=INK, font=font)
    return img


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "figures"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "troops.png"
    # a palette image, no metadata, fixed compression: the same bytes on every run
    draw().convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(
        path, "PNG", optimize=False, compress_level=9
    )
    print(path, hashlib.sha256(path.read_bytes()).hexdigest())


if __name__ == "__main__":
    main(sys.argv)
