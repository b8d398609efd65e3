"""A picture as the writer puts it in the body and the reader finds it: defined once for both.

A picture is one ``w:drawing`` holding one ``wp:inline`` (a picture in the line of text, not
floating over it) whose ``a:graphic`` is one ``pic:pic`` filled by the image part its
``a:blip`` embeds (``r:embed``), stored under ``word/media/`` as it is. Its alternative text is
the ``descr`` of its ``wp:docPr`` (what Word shows and edits as the alt text, and screen readers
announce). Its size is its pixel size at 96 dpi (:data:`EMU_PER_PIXEL`), scaled down, keeping its
proportions, to fit the room given (:func:`fit`).
"""

from __future__ import annotations

from briefkit.formats.docx._xml import attr

__all__ = [
    "EMU_PER_PIXEL",
    "EMU_PER_TWIP",
    "PIC",
    "PICTURE_URI",
    "WP",
    "A",
    "fit",
    "inline_picture",
]

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
#: the ``a:graphicData`` uri of a picture
PICTURE_URI = PIC
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#: English metric units: 914400 to the inch; a pixel at 96 dpi, a twip (1/1440 inch)
EMU_PER_PIXEL = 9525
EMU_PER_TWIP = 635


def fit(width: int, height: int, max_cx: int, max_cy: int) -> tuple[int, int]:
    """The shown size (EMU) of a picture of ``width`` × ``height`` pixels at 96 dpi, scaled
    down (never up), keeping its proportions, to at most ``max_cx`` × ``max_cy``; each side at
    least 1. Integer arithmetic: the same picture always gets the same size."""
    cx, cy = width * EMU_PER_PIXEL, height * EMU_PER_PIXEL
    if cx > max_cx:
        cx, cy = max_cx, cy * max_cx // cx
    if cy > max_cy:
        cx, cy = cx * max_cy // cy, max_cy
    return max(cx, 1), max(cy, 1)


def inline_picture(rid: str, shape_id: int, name: str, alt: str, cx: int, cy: int) -> str:
    """One run holding the inline picture of the image part ``rid``, ``cx`` × ``cy`` EMU,
    with ``alt`` as its alternative text."""
    descr = attr(alt)
    return (
        "<w:r><w:drawing>"
        f'<wp:inline xmlns:wp="{WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="{attr(name)}" descr="{descr}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A}" noChangeAspect="1"/>'
        "</wp:cNvGraphicFramePr>"
        f'<a:graphic xmlns:a="{A}"><a:graphicData uri="{PICTURE_URI}">'
        f'<pic:pic xmlns:pic="{PIC}">'
        f'<pic:nvPicPr><pic:cNvPr id="0" name="{attr(name)}" descr="{descr}"/>'
        '<pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr>'
        "</pic:nvPicPr>"
        f'<pic:blipFill><a:blip xmlns:r="{_R}" r:embed="{attr(rid)}"/>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        f'<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
