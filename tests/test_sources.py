from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import briefkit
from briefkit import (
    AmbiguousMatchError,
    Corpus,
    DecodeError,
    Source,
    SourceError,
    SourceNotFoundError,
    SourceTooLargeError,
    SpanError,
    TextNotFoundError,
    UnsafeIdError,
)
from briefkit.sources import check_id, resolve_id


def test_seed_corpus_loads_with_catalog_metadata(corpus: Corpus, seeds: Path) -> None:
    assert list(corpus) == sorted(p.name for p in seeds.glob("*.txt"))
    src = corpus["000_28b258b49d188a62.txt"]
    raw = (seeds / "000_28b258b49d188a62.txt").read_bytes()
    assert src.sha256 == hashlib.sha256(raw).hexdigest()
    assert src.size == len(raw)
    assert src.text == raw.decode("utf-8")
    assert src.meta.container_title == "CNN"
    assert src.meta.issued == "2016-12-05"
    assert corpus["002_a5ab00941732d00c.txt"].meta.issued is None


def test_bom_is_removed_and_recorded_nothing_else_changes() -> None:
    raw = b"\xef\xbb\xbfline one\r\nline two\r\n"
    src = Source.from_bytes("a.txt", raw)
    assert src.bom is True
    assert src.text == "line one\r\nline two\r\n"
    pos = src.position(10, 14)
    assert pos.exact == "line"
    assert raw[pos.byte_start : pos.byte_end] == b"line"


def test_invalid_utf8_names_the_byte_offset() -> None:
    with pytest.raises(DecodeError, match=r"bad\.txt: not valid UTF-8 at byte offset 6") as err:
        Source.from_bytes("bad.txt", b"hello \xff world")
    assert err.value.byte_offset == 6
    with pytest.raises(DecodeError, match="byte offset 5"):
        Source.from_bytes("bom.txt", b"\xef\xbb\xbfab\xc3")


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(SourceTooLargeError, match="big.txt: 2000 bytes is over the limit of 1000"):
        Source.from_file(path, max_bytes=1000)
    assert Source.from_file(path, max_bytes=2000).size == 2000


@pytest.mark.parametrize(
    "bad", ["", "/etc/passwd", "../x.txt", "a/../b.txt", "a//b", "a\\b", "C:x", ".hidden", "a b"]
)
def test_unsafe_ids_are_refused(bad: str) -> None:
    with pytest.raises(UnsafeIdError):
        check_id(bad)


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    with pytest.raises(UnsafeIdError, match="resolves outside the root"):
        resolve_id(root, "link.txt")
    corpus = Corpus.from_dir(root)
    with pytest.raises(UnsafeIdError):
        corpus["link.txt"]


def test_corpus_subfolders_ids_and_unknown_source(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("bee")
    (tmp_path / "a.txt").write_text("ay")
    (tmp_path / ".hidden.txt").write_text("no")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    corpus = Corpus.from_dir(tmp_path)
    assert list(corpus) == ["a.txt", "sub/b.txt"]
    assert corpus["sub/b.txt"].text == "bee"
    with pytest.raises(SourceNotFoundError, match=r"no source 'a.tx' .*did you mean 'a.txt'"):
        corpus["a.tx"]


def test_catalog_errors_name_the_file_and_entry(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("ay")
    (tmp_path / "catalog.yaml").write_text("a.txt:\n  titel: Oops\n")
    with pytest.raises(SourceError, match=r"catalog.yaml: entry 'a.txt': unknown metadata field"):
        Corpus.from_dir(tmp_path)
    (tmp_path / "catalog.yaml").write_text("a.txt:\n  issued: 2016-12-05T10:00:00\n")
    with pytest.raises(SourceError, match=r"catalog.yaml: entry 'a.txt': issued date '2016-12-05"):
        Corpus.from_dir(tmp_path)
    (tmp_path / "catalog.yaml").write_text("b.txt:\n  title: Missing\n")
    with pytest.raises(SourceError, match="metadata for source.s. not in the folder: b.txt"):
        Corpus.from_dir(tmp_path)


def test_title_falls_back_to_first_non_empty_line() -> None:
    assert Source.from_text("a.txt", "\n\n  First   line \nsecond").title == "First line"
    assert Source.from_text("a.txt", "   \n").title == "a"


def test_find_unique_ambiguous_and_near_miss(cnn: Source) -> None:
    span = cnn.find("Our alliance with Japan has never been stronger")
    assert cnn.text[span.start : span.end] == "Our alliance with Japan has never been stronger"
    with pytest.raises(AmbiguousMatchError, match=r"occurs \d+ times \(chars") as err:
        cnn.find("Carter")
    assert len(err.value.matches) > 2
    with pytest.raises(TextNotFoundError, match=r"Closest: 'Our alliance with Japan has never"):
        cnn.find("Our aliance with Japan has never been stronger")


def test_normalised_search_returns_canonical_offsets(cnn: Source) -> None:
    typed = 'Our alliance with  Japan has\u00a0never been stronger," Carter'
    with pytest.raises(TextNotFoundError, match="normalize=True"):
        cnn.find(typed)
    span = cnn.find(typed, normalize=True)
    assert (
        cnn.text[span.start : span.end]
        == "Our alliance with Japan has never been stronger,” Carter"
    )


def test_match_only_inside_a_cluster_is_refused() -> None:
    src = Source.from_text("a.txt", "cafe\u0301 au lait")
    with pytest.raises(SpanError, match="only inside grapheme clusters"):
        src.find("cafe")
    assert src.find("cafe\u0301").end == 5


def test_spans_from_other_units() -> None:
    src = Source.from_bytes("a.txt", "\ufeff😀 hello".encode())
    span = src.span_from_utf8(3 + 5, 3 + 10)
    assert src.text[span.start : span.end] == "hello"
    span16 = src.span_from_utf16(3, 8)
    assert src.text[span16.start : span16.end] == "hello"
    with pytest.raises(briefkit.OffsetError, match="BOM"):
        src.span_from_utf8(1, 4)


def test_quote_by_offsets_checks_the_text(cnn: Source) -> None:
    q = cnn.quote(
        "two-way street", start=cnn.text.index("two-way"), end=cnn.text.index("two-way") + 14
    )
    assert q.text == "two-way street"
    with pytest.raises(SourceError, match="read"):
        cnn.quote("one-way street", start=q.start, end=q.end)
