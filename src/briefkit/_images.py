"""What a brief's image is: its type and pixel size, read from the bytes themselves.

Only PNG and JPEG are taken: every output format embeds them as they are (no conversion, so
the bytes a file carries are the bytes the manifest's sha256 names). The size comes from the
PNG ``IHDR`` chunk or the first JPEG start-of-frame marker; anything else, a truncated header,
a zero size or more than :data:`MAX_PIXELS` pixels is refused with a message saying why. Reading
looks at a bounded prefix of the bytes and each JPEG segment header once (linear, no
decompression).
"""

from __future__ import annotations

import struct

import attrs

__all__ = ["MAX_IMAGE_BYTES", "MAX_PIXELS", "ImageInfo", "image_info"]

#: The largest image file a brief takes.
MAX_IMAGE_BYTES = 32 * 1024 * 1024
#: The most pixels an image may have (a decompression bomb is refused before any writer
#: decodes it).
MAX_PIXELS = 64_000_000

_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (baseline, progressive, lossless …; not DHT, JPG, DAC)
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


@attrs.frozen
class ImageInfo:
    """An image's media type (``image/png`` or ``image/jpeg``) and size in pixels."""

    media_type: str
    width: int
    height: int


class ImageError(ValueError):
    """The bytes are not an image a brief can hold (the model reports it as a problem)."""


def image_info(data: bytes) -> ImageInfo:
    """The type and size of the PNG or JPEG ``data``; :class:`ImageError` saying why not."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"the image is {len(data)} bytes, over {MAX_IMAGE_BYTES}")
    if data.startswith(_PNG):
        info = _png(data)
    elif data.startswith(b"\xff\xd8\xff"):
        info = _jpeg(data)
    else:
        raise ImageError("the image is neither PNG nor JPEG (the two kinds briefkit embeds)")
    if info.width <= 0 or info.height <= 0:
        raise ImageError(f"the image's size is {info.width}×{info.height} pixels")
    if info.width * info.height > MAX_PIXELS:
        raise ImageError(
            f"the image has {info.width}×{info.height} pixels, over {MAX_PIXELS} in all"
        )
    return info


def _png(data: bytes) -> ImageInfo:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise ImageError("the PNG image has no IHDR header (truncated or damaged)")
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("image/png", width, height)


def _jpeg(data: bytes) -> ImageInfo:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise ImageError(f"the JPEG image is damaged at byte {at} (no marker)")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        if marker == 0xD9:  # end of image before any frame
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            raise ImageError(f"the JPEG image is damaged at byte {at} (segment length {length})")
        if marker in _SOF:
            if at + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return ImageInfo("image/jpeg", width, height)
        at += 2 + length
    raise ImageError("the JPEG image has no frame header (truncated or damaged)")
