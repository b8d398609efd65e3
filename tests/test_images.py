"""Images with captions in the model, the note plan and the manifest, and the image header
reader (each format's writer and checker are tested in tests/formats)."""

from __future__ import annotations

import io
import json
import os
import struct
from pathlib import Path

import pytest
from PIL import Image as Pil

import briefkit as bk
from briefkit import manifest as mf
from briefkit._images import MAX_PIXELS, ImageError, image_info
from briefkit.formats.checking import outline

CNN = "000_28b258b49d188a62.txt"


def png(width: int = 40, height: int = 20, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Pil.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def jpeg(width: int = 30, height: int = 10, progressive: bool = False) -> bytes:
    buf = io.BytesIO()
    Pil.new("RGB", (width, height), (10, 90, 200)).save(buf, "JPEG", progressive=progressive)
    return buf.getvalue()


def _caption(corpus: bk.Corpus) -> bk.Sentence:
    cnn = corpus[CNN]
    return bk.sentence("Troops: ", cnn.figure("50,000", within="US has 50,000 troops"), ".")


def _brief(corpus: bk.Corpus, *images: bk.Image, lang: str | None = None) -> bk.Brief:
    return bk.Brief(title="I", lang=lang, sections=[bk.section("S", *images)])


# -- reading an image's header ---------------------------------------------------------------


def test_png_and_jpeg_sizes_are_read_from_their_headers() -> None:
    assert image_info(png(40, 20)).media_type == "image/png"
    assert (image_info(png(40, 20)).width, image_info(png(40, 20)).height) == (40, 20)
    for progressive in (False, True):
        info = image_info(jpeg(30, 10, progressive))
        assert (info.media_type, info.width, info.height) == ("image/jpeg", 30, 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a" + bytes(20), "neither PNG nor JPEG"),
        (b"", "neither PNG nor JPEG"),
        (png()[:20], "no IHDR"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(6), "no frame header"),
        (b"\xff\xd8\xff\xe0\x00\x01", "segment length"),
        (b"\xff\xd8\xff\xe0\x00\x04ab\x00\x00\x00\x00", "no marker"),
        (b"\xff\xd8\xff\xd9\x00\x00", "no frame header"),
    ],
)
def test_what_is_not_an_image_is_refused_saying_why(data: bytes, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        image_info(data)


def test_an_image_of_too_many_pixels_is_refused_before_any_decoding() -> None:
    data = bytearray(png(4, 4))
    data[16:24] = struct.pack(">II", 100_000, 100_000)  # a claimed 10^10 pixels
    with pytest.raises(ImageError, match=f"over {MAX_PIXELS}"):
        image_info(bytes(data))
    data[16:24] = struct.pack(">II", 0, 5)
    with pytest.raises(ImageError, match="0×5"):
        image_info(bytes(data))


# -- the model -------------------------------------------------------------------------------


def test_an_image_needs_bytes_alt_text_and_a_cited_caption(corpus: bk.Corpus) -> None:
    good = bk.image(png(), alt="A red bar", caption=_caption(corpus))
    assert _brief(corpus, good).problems() == []
    bad = bk.image(b"GIF89a", alt=" ", caption=bk.sentence("A bar."))
    codes = [(p.code, str(p.place)) for p in _brief(corpus, bad).problems()]
    assert codes == [
        ("image", "section 'S' › block 1 (an image)"),
        ("image-alt", "section 'S' › block 1 (an image)"),
        ("uncited", "section 'S' › block 1 (an image)"),
    ]


def test_an_image_from_a_file_keeps_its_name(corpus: bk.Corpus, tmp_path: Path) -> None:
    path = tmp_path / "bar.png"
    path.write_bytes(png())
    img = bk.image(path, alt="A bar", caption=_caption(corpus))
    assert img.name == "bar.png" and img.data == png()
    with pytest.raises(bk.SourceError, match="cannot read the image"):
        bk.image(tmp_path / "missing.png", alt="x", caption=_caption(corpus))
    with pytest.raises(bk.SourceError, match="must be a regular file"):
        bk.image(tmp_path, alt="x", caption=_caption(corpus))
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.png")
        with pytest.raises(bk.SourceError, match="must be a regular file"):
            bk.image(tmp_path / "fifo.png", alt="x", caption=_caption(corpus))


def test_an_image_name_must_be_a_plain_file_name(corpus: bk.Corpus) -> None:
    bad = bk.Image(png(), "A bar", _caption(corpus), name="../x.png")
    assert [p.code for p in _brief(corpus, bad).problems()] == ["image-name"]


# -- the plan and the manifest ---------------------------------------------------------------


def test_images_are_numbered_and_labelled_in_the_brief_s_language(corpus: bk.Corpus) -> None:
    a = bk.image(png(), alt="A red bar", caption=_caption(corpus), id="red")
    b = bk.image(jpeg(), alt="A blue bar", caption=bk.analysis("A second bar."))
    plan = bk.NotePlan.build(_brief(corpus, a, b))
    first, second = plan.images
    assert (first.number, first.anchor, first.name) == (1, "figure-1", "figure-1.png")
    assert (second.media_type, second.name, second.width, second.height) == (
        "image/jpeg",
        "figure-2.jpg",
        30,
        10,
    )
    assert first.label(plan.locale) == "Figure 1." and first.caption.block == "caption"
    assert first.caption.note == 1 and second.caption.note is None
    de = bk.NotePlan.build(_brief(corpus, a, lang="de-DE"))
    assert de.images[0].label(de.locale) == "Abbildung 1."


def test_the_manifest_records_each_image_and_reads_back(corpus: bk.Corpus) -> None:
    img = bk.image(png(), alt="A red bar", caption=_caption(corpus))
    man = mf.build(bk.NotePlan.build(_brief(corpus, img)))
    (record,) = json.loads(mf.dumps(man))["images"]
    assert record == {
        "number": 1,
        "sha256": img.sha256,
        "media_type": "image/png",
        "width": 40,
        "height": 20,
        "alt": "A red bar",
        "name": "figure-1.png",
        "caption": man.sentences[0].id,
        "section": ["S"],
        "section_number": [1],
    }
    assert mf.parse(mf.dumps(man)) == man
    kinds = [(p.kind, p.text) for p in outline(man)][2:4]
    assert kinds == [("image", "Figure 1."), ("sentence", "Troops: 50,000.")]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["images"][0].__setitem__("sha256", "0" * 63), "64 lowercase hex"),
        (lambda d: d["images"][0].__setitem__("media_type", "image/svg+xml"), "media_type"),
        (lambda d: d["images"][0].__setitem__("name", "../x.png"), "plain file name"),
        (lambda d: d["images"][0].__setitem__("number", 2), "must be 1"),
        (lambda d: d["images"][0].__setitem__("caption", "nope"), "captioned by exactly"),
        (lambda d: d.__setitem__("images", []), "captioned by exactly"),
        (lambda d: d["images"][0].__setitem__("section", ["T"]), "different sections"),
    ],
)
def test_a_manifest_whose_images_do_not_match_its_captions_is_refused(
    corpus: bk.Corpus, edit: object, message: str
) -> None:
    img = bk.image(png(), alt="A red bar", caption=_caption(corpus))
    data = json.loads(mf.dumps(mf.build(bk.NotePlan.build(_brief(corpus, img)))))
    edit(data)  # type: ignore[operator]
    with pytest.raises(bk.ManifestError, match=message):
        mf.parse(json.dumps(data))


def test_a_reference_to_an_image_reads_figure_n(corpus: bk.Corpus) -> None:
    cnn = corpus[CNN]
    img = bk.image(png(), alt="A red bar", caption=_caption(corpus), id="bar")
    see = bk.sentence("See ", bk.ref("bar"), ".", cite=cnn.paraphrase("US has 50,000 troops"))
    brief = bk.Brief(title="I", sections=[bk.section("S", bk.paragraph(see), img)])
    plan = bk.NotePlan.build(brief)
    assert plan.sentences[0].text == "See Figure 1."
    from briefkit._consistency import manifest_problems

    assert manifest_problems(mf.build(plan), {}, set(), None) == []


def _ihdr(width: int, height: int) -> bytes:
    """The smallest PNG prefix the header reader takes: signature and IHDR chunk (33 bytes)."""
    data = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
    return data + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0) + b"\0\0\0\0"


def test_the_limits_hold_at_their_edges() -> None:
    from briefkit._images import MAX_IMAGE_BYTES

    assert len(_ihdr(1, 1)) == 33 and image_info(_ihdr(1, 1)).width == 1
    assert image_info(_ihdr(8000, 8000)).width == 8000  # exactly MAX_PIXELS
    assert MAX_PIXELS == 8000 * 8000
    with pytest.raises(ImageError, match="over 64000000 in all"):
        image_info(_ihdr(8000, 8001))
    # sizes are unsigned: 2^31 wide is far too many pixels, not a negative size
    with pytest.raises(ImageError, match="2147483648×1 pixels, over"):
        image_info(_ihdr(2**31, 1))
    big = _ihdr(10, 10).ljust(MAX_IMAGE_BYTES, b"\0")
    assert image_info(big).width == 10
    with pytest.raises(ImageError) as err:
        image_info(big + b"\0")
    assert str(err.value) == f"the image is {MAX_IMAGE_BYTES + 1} bytes, over {MAX_IMAGE_BYTES}"


def _sof(width: int, height: int) -> bytes:
    return b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"


def test_jpeg_markers_before_the_frame_are_stepped_over() -> None:
    fill = b"\xff\xd8" + b"\xff\xff\xff" + b"\xff\xe0" + struct.pack(">H", 2)  # fill, empty APP0
    standalone = b"\xff\x01\xff\xd0\xff\xd7"  # TEM and restart markers have no length
    long_segment = b"\xff\xe1" + struct.pack(">H", 40_000) + bytes(39_998)
    data = fill + standalone + long_segment + _sof(40_000, 3) + b"\xff\xd9"
    assert image_info(data) == image_info(data) and image_info(data).width == 40_000
    assert (image_info(data).height, image_info(data).media_type) == (3, "image/jpeg")
    with pytest.raises(ImageError) as err:
        image_info(b"\xff\xd8\xff\xc0\x00\x11\x08\x00")  # a frame header cut short
    assert str(err.value) == "the JPEG image has no frame header (truncated or damaged)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a", "the image is neither PNG nor JPEG (the two kinds briefkit embeds)"),
        (
            b"\x89PNG\r\n\x1a\n" + bytes(8),
            "the PNG image has no IHDR header (truncated or damaged)",
        ),
    ],
)
def test_the_messages_say_what_the_bytes_are(data: bytes, message: str) -> None:
    with pytest.raises(ImageError) as err:
        image_info(data)
    assert str(err.value) == message


def test_a_zero_height_and_a_frame_header_at_the_very_end() -> None:
    with pytest.raises(ImageError, match="5×0 pixels"):
        image_info(_ihdr(5, 0))
    # the frame header's size may end the data (nothing after it is needed)
    data = b"\xff\xd8" + b"\xff\xd8" + b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 7, 9)
    assert (image_info(data).width, image_info(data).height) == (9, 7)
