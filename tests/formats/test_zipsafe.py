"""Zip containers are read within bounds: member count, sizes and compression ratio are
checked before anything is inflated."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from briefkit import ReadError
from briefkit.formats import _zipsafe
from briefkit.formats._zipsafe import BoundedZip


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_member_that_compresses_like_a_bomb_is_refused() -> None:
    zeros = bytes(2 << 20)  # 2 MiB that deflate to a few KiB: a ratio far above the limit
    packed = _zip({"word/document.xml": zeros})
    refused = pytest.raises(ReadError, match=r"b\.docx: word/document\.xml compresses")
    with BoundedZip(packed, where="b.docx") as zf, refused:
        zf.read("word/document.xml")


def test_a_large_member_that_does_not_compress_well_is_read() -> None:
    noise = os.urandom(2 << 20)
    with BoundedZip(_zip({"a": noise}), where="x") as zf:
        assert zf.read("a") == noise


def test_a_small_member_may_compress_well() -> None:
    zeros = bytes((1 << 20) - 1)  # under a mebibyte: the ratio is not looked at
    with BoundedZip(_zip({"a": zeros}), where="x") as zf:
        assert zf.read("a") == zeros


def test_the_ratio_limit_is_the_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytes(2 << 20)
    packed = _zip({"a": data})
    info = zipfile.ZipFile(io.BytesIO(packed)).getinfo("a")
    ratio = info.file_size / info.compress_size
    monkeypatch.setattr(_zipsafe, "MAX_RATIO", int(ratio))  # just under: refused
    with BoundedZip(packed, where="x") as zf, pytest.raises(ReadError):
        zf.read("a")
    monkeypatch.setattr(_zipsafe, "MAX_RATIO", int(ratio) + 1)  # just over: read
    with BoundedZip(packed, where="x") as zf:
        assert zf.read("a") == data


def test_too_many_members_are_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    packed = _zip({f"m{i}": b"x" for i in range(5)})
    monkeypatch.setattr(_zipsafe, "MAX_MEMBERS", 5)
    BoundedZip(packed, where="x").close()
    monkeypatch.setattr(_zipsafe, "MAX_MEMBERS", 4)
    with pytest.raises(ReadError, match="5 zip members is more than 4"):
        BoundedZip(packed, where="x")


def test_sizes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    packed = _zip({"a": b"x" * 100, "b": b"y" * 100}, method=zipfile.ZIP_STORED)
    monkeypatch.setattr(_zipsafe, "MAX_TOTAL_BYTES", 199)
    with pytest.raises(ReadError, match="200 bytes uncompressed is more than 199"):
        BoundedZip(packed, where="x")
    monkeypatch.setattr(_zipsafe, "MAX_TOTAL_BYTES", 200)
    monkeypatch.setattr(_zipsafe, "MAX_MEMBER_BYTES", 99)
    with BoundedZip(packed, where="x") as zf, pytest.raises(ReadError, match="larger than 99"):
        zf.read("a")
    monkeypatch.setattr(_zipsafe, "MAX_MEMBER_BYTES", 100)
    with BoundedZip(packed, where="x") as zf:
        assert zf.read("b") == b"y" * 100
        assert zf.read("missing") is None


def test_a_file_that_is_not_a_zip_is_a_read_error() -> None:
    with pytest.raises(ReadError, match="not a readable zip package"):
        BoundedZip(b"not a zip", where="x.docx")
