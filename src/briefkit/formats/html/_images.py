"""The one way a page or Markdown file may hold an image: a data URI of its exact bytes.

Shared by the HTML and Markdown checkers. The source must be ``data:image/png;base64,…`` or
``data:image/jpeg;base64,…`` (strict base64, no blanks); any other source — a web address, a
file name, another type — would show an image from elsewhere, or one briefkit never checked.
The decoded bytes must have the manifest's type and sha256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator

from briefkit.manifest import ManifestImage

__all__ = ["DATA_URI", "source_problems"]

#: The only image source a file may hold: a data URI of a PNG or JPEG image.
DATA_URI = re.compile(r"data:(image/png|image/jpeg);base64,([A-Za-z0-9+/]*={0,2})\Z")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def source_problems(img: ManifestImage, src: str | None) -> Iterator[tuple[str, str]]:
    """``(code, message)`` for each way the source of the image a file shows for ``img``
    differs from a data URI of exactly the manifest's bytes (none when it is one)."""
    m = DATA_URI.match(src or "")
    if m is None:
        yield (
            "image-source",
            f"the image's source is {_short(src or '')}, not a data URI of a PNG or JPEG image "
            "(briefkit embeds each image's bytes; any other source would show an image from "
            "elsewhere)",
        )
        return
    try:
        data = base64.b64decode(m.group(2), validate=True)
    except (binascii.Error, ValueError) as exc:
        yield "image-source", f"the image's data URI is not valid base64 ({exc})"
        return
    digest = hashlib.sha256(data).hexdigest()
    if m.group(1) != img.media_type or digest != img.sha256:
        yield (
            "image-differs",
            f"the file embeds another image ({m.group(1)}, sha256 {digest[:12]}…) than the "
            f"manifest's ({img.media_type}, sha256 {img.sha256[:12]}…)",
        )
