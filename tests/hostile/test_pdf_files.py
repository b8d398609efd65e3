"""Hostile edits of a PDF briefkit wrote: ``verify`` gives a report or a
:class:`~briefkit.errors.ReadError` that names the page or object — never a traceback, never
a hang. Annotations, the embedded manifest and its name tree of the wrong types; tens of
thousands of pages; random corruption of bytes and objects; loops and deep chains of objects.
Cases that could hang or blow up run in a child process (:func:`run_bounded`)."""

from __future__ import annotations

import io
import json
import re
import struct
import textwrap
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

import briefkit as bk
from briefkit import cli
from briefkit.errors import ReadError
from briefkit.formats.pdf.reader import (
    CONTENT_ALLOWANCE,
    CONTENT_PER_BYTE,
    MAX_CONTENT,
    MAX_PAGE_CONTENT,
    MAX_PAGE_OPERATORS,
    MAX_PAGES,
    MAX_TREE_DEPTH,
    OPERATORS_PER_BYTE,
    read_pdf,
)

from .bounded import run_bounded
from .samples import small_brief

MANIFEST_NAME = "briefkit-provenance.json"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small PDF briefkit wrote, and its sources folder."""
    root = tmp_path_factory.mktemp("written")
    sources = root / "sources"
    brief = small_brief(sources)
    path = root / "b.pdf"
    bk.export(brief, path)
    assert not bk.verify(path, sources=sources).problems
    return path, sources


def _manifest_bytes(path: Path) -> bytes:
    return PdfReader(path).attachments[MANIFEST_NAME][0]


def _edited(src: Path, dst: Path, edit: Callable[[PdfWriter], None]) -> Path:
    writer = PdfWriter(clone_from=src)
    edit(writer)
    writer.write(dst)
    return dst


def _verify_cli(path: Path, sources: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``briefkit verify`` prints for ``path`` (it must not be an internal error)."""
    status = cli.main(["verify", str(path), "-s", str(sources)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "internal error" not in text
    assert "Traceback" not in text
    assert status != 0
    return text


# -- 1. annotations, the embedded file and its name tree of the wrong types ------------------


def _set_annots(value: Callable[[PdfWriter], object]) -> Callable[[PdfWriter], None]:
    def edit(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/Annots")] = value(writer)

    return edit


def _tree(writer: PdfWriter) -> DictionaryObject:
    names = writer.root_object["/Names"]
    assert isinstance(names, DictionaryObject)
    found = names["/EmbeddedFiles"]
    assert isinstance(found, DictionaryObject)
    return found


def _pairs(writer: PdfWriter) -> ArrayObject:
    found = _tree(writer)["/Names"]
    assert isinstance(found, ArrayObject)
    return found


def _spec(writer: PdfWriter) -> DictionaryObject:
    found = _pairs(writer)[1].get_object()
    assert isinstance(found, DictionaryObject)
    return found


def _set_ef_f(value: object) -> Callable[[PdfWriter], None]:
    def edit(writer: PdfWriter) -> None:
        files = _spec(writer)["/EF"]
        assert isinstance(files, DictionaryObject)
        files[NameObject("/F")] = value

    return edit


def _kids_loop(writer: PdfWriter) -> None:
    names = writer.root_object["/Names"]
    assert isinstance(names, DictionaryObject)
    tree = _tree(writer)
    ref = writer._add_object(tree)
    names[NameObject("/EmbeddedFiles")] = ref
    pairs = tree["/Names"]
    del tree[NameObject("/Names")]
    kid = DictionaryObject({NameObject("/Names"): pairs, NameObject("/Kids"): ArrayObject([ref])})
    tree[NameObject("/Kids")] = ArrayObject([writer._add_object(kid)])


_STRUCTURE_CASES: dict[str, tuple[Callable[[PdfWriter], None], str]] = {
    "annots-number": (_set_annots(lambda w: NumberObject(5)), r"page 1: /Annots is a number"),
    "annots-name": (_set_annots(lambda w: NameObject("/Foo")), r"page 1: /Annots is a name"),
    "annots-dictionary": (
        _set_annots(lambda w: DictionaryObject({NameObject("/Subtype"): NameObject("/Link")})),
        r"page 1: /Annots is a dictionary, not an array",
    ),
    "annots-string": (_set_annots(lambda w: TextStringObject("ab")), r"page 1: /Annots is a str"),
    "annots-indirect-number": (
        _set_annots(lambda w: w._add_object(NumberObject(3))),
        r"page 1: /Annots \(object \d+\) is a number",
    ),
    "annotation-number": (
        _set_annots(lambda w: ArrayObject([NumberObject(1)])),
        r"page 1: annotation 1 is a number \(1\), not an annotation dictionary",
    ),
    "annotation-name": (
        _set_annots(lambda w: ArrayObject([NameObject("/Link")])),
        r"page 1: annotation 1 is a name",
    ),
    "annotation-array": (
        _set_annots(lambda w: ArrayObject([w._add_object(ArrayObject())])),
        r"page 1: annotation 1 \(object \d+\) is an array",
    ),
    "ef-number": (_set_ef_f(NumberObject(3)), r"/EF /F is a number \(3\), not an embedded file"),
    "ef-dictionary": (_set_ef_f(DictionaryObject()), r"/EF /F is a dictionary, not an embedded"),
    "ef-null": (_set_ef_f(NullObject()), r"/EF /F is null, not an embedded file stream"),
    "ef-not-a-dictionary": (
        lambda w: _spec(w).__setitem__(NameObject("/EF"), NumberObject(2)),
        r"/EF is a number \(2\), not a dictionary of embedded files",
    ),
    "spec-number": (
        lambda w: _pairs(w).__setitem__(1, NumberObject(7)),
        r"the entry 'briefkit-provenance\.json' is a number \(7\), not a file specification",
    ),
    "names-odd": (
        lambda w: _pairs(w).append(TextStringObject("odd")),
        r"name tree: /Names has 3 elements, an odd number",
    ),
    "names-key-number": (
        lambda w: _pairs(w).__setitem__(0, NumberObject(7)),
        r"name tree: key 1 of /Names is a number \(7\), not a string",
    ),
    "names-not-array": (
        lambda w: _tree(w).__setitem__(NameObject("/Names"), NumberObject(1)),
        r"name tree: /Names is a number \(1\), not an array",
    ),
    "names-kids-loop": (_kids_loop, r"name tree \(object \d+\).*is reached again"),
    "names-not-dictionary": (
        lambda w: w.root_object.__setitem__(NameObject("/Names"), NumberObject(3)),
        r"the catalog's /Names is a number \(3\), not a dictionary",
    ),
}


@pytest.mark.parametrize("case", sorted(_STRUCTURE_CASES))
def test_a_wrongly_typed_structure_is_a_read_error_naming_it(
    case: str, written: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, message = _STRUCTURE_CASES[case]
    path = _edited(written[0], tmp_path / f"{case}.pdf", edit)
    with pytest.raises(ReadError, match=message) as info:
        bk.verify(path, sources=written[1])
    assert str(path) in str(info.value)
    assert re.search(message, _verify_cli(path, written[1], capsys))


def test_a_null_annotation_is_no_annotation(written: tuple[Path, Path], tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=written[0])
    annots = writer.pages[0]["/Annots"]
    assert isinstance(annots, ArrayObject)
    annots.append(NullObject())
    writer.write(tmp_path / "null.pdf")
    assert not bk.verify(tmp_path / "null.pdf", sources=written[1]).problems


# -- raw files -------------------------------------------------------------------------------


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _raw_pdf(objects: dict[int, bytes], manifest: bytes | None = None) -> bytes:
    """A PDF of ``objects`` (number → body; object 1 the catalog), with ``manifest``
    embedded (objects 90–92) when given, and a classic cross-reference table."""
    objects = dict(objects)
    if manifest is not None:
        objects[90] = _stream(manifest, b"/Type /EmbeddedFile")
        objects[91] = b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F 90 0 R >> >>" % (
            MANIFEST_NAME.encode(),
            MANIFEST_NAME.encode(),
        )
        objects[92] = b"<< /Names [(%s) 91 0 R] >>" % MANIFEST_NAME.encode()
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _packed_pdf(plain: dict[int, bytes], packed: dict[int, bytes]) -> bytes:
    """A PDF with ``packed`` objects in one compressed object stream, a compressed
    cross-reference stream, and ``plain`` objects written as usual."""
    out = bytearray(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}
    for n in sorted(plain):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + plain[n] + b"\nendobj\n"
    stm = max([*plain, *packed]) + 1
    header, body, index = bytearray(), bytearray(), {}
    for i, n in enumerate(sorted(packed)):
        header += b"%d %d " % (n, len(body))
        index[n] = i
        body += packed[n] + b"\n"
    data = zlib.compress(bytes(header + body))
    offsets[stm] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n" % (stm, len(packed), len(header), len(data)) + data + b"\nendstream\nendobj\n"
    )
    xref_num = stm + 1
    offsets[xref_num] = xref = len(out)
    rows = bytearray()
    for n in range(xref_num + 1):
        if n in offsets:
            rows += struct.pack(">BIH", 1, offsets[n], 0)
        elif n in index:
            rows += struct.pack(">BIH", 2, stm, index[n])
        else:
            rows += struct.pack(">BIH", 0, 0, 65535)
    table = zlib.compress(bytes(rows))
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n"
        % (xref_num, xref_num + 1, len(table))
        + table
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 92 0 R >> >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"


def _read_bounded(path: Path, seconds: float = 10.0) -> str:
    """What ``read_pdf`` makes of ``path``, in a child under the memory and time caps:
    ``pages N`` or ``ReadError: message``."""
    code = textwrap.dedent(
        f"""
        from briefkit.errors import ReadError
        from briefkit.formats.pdf.reader import read_pdf
        try:
            print("pages", len(read_pdf({str(path)!r}).pages))
        except ReadError as exc:
            print("ReadError:", exc)
        """
    )
    outcome = run_bounded(code, seconds=seconds)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-3000:])
    return outcome.stdout.strip()


# -- 2. many pages ---------------------------------------------------------------------------


def test_thirty_thousand_empty_pages_verify_within_the_limit(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    writer = PdfWriter()
    for _ in range(30_000):
        writer.add_blank_page(200, 200)
    writer.add_attachment(MANIFEST_NAME, _manifest_bytes(written[0]))
    path = tmp_path / "many.pdf"
    writer.write(path)
    code = textwrap.dedent(
        f"""
        import time
        import briefkit as bk
        began = time.monotonic()
        report = bk.verify({str(path)!r}, sources={str(written[1])!r})
        print(round(time.monotonic() - began, 2), sorted({{p.code for p in report.problems}}))
        """
    )
    outcome = run_bounded(code)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-3000:])
    _seconds, codes = outcome.stdout.split(" ", 1)
    assert "missing" in codes  # within the bounded run's CPU time


def test_thirty_thousand_packed_pages_of_300_kb_read_quickly(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    n = 30_000
    kids = b"".join(b"%d 0 R " % (100 + i) for i in range(n))
    packed = {
        1: _CATALOG,
        2: b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n, kids),
        91: b"<< /Type /Filespec /F (%s) /EF << /F 90 0 R >> >>" % MANIFEST_NAME.encode(),
        92: b"<< /Names [(%s) 91 0 R] >>" % MANIFEST_NAME.encode(),
        **{100 + i: _PAGE for i in range(n)},
    }
    plain = {90: _stream(_manifest_bytes(written[0]), b"/Type /EmbeddedFile")}
    path = tmp_path / "packed.pdf"
    path.write_bytes(_packed_pdf(plain, packed))
    assert path.stat().st_size < 400_000
    assert _read_bounded(path) == f"pages {n}"  # within the bounded run's time limit


def test_one_page_listed_thirty_thousand_times_reads_quickly(tmp_path: Path) -> None:
    n = 30_000
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n, b"3 0 R " * n),
        3: _PAGE,
    }
    path = tmp_path / "shared.pdf"
    path.write_bytes(_raw_pdf(objects))
    contents = read_pdf(path)
    assert len(contents.pages) == n
    assert [p.number for p in contents.pages[:3]] == [1, 2, 3]


def _one_stream_pdf(path: Path, content: bytes) -> int:
    """A PDF of 30,000 pages that all draw one compressed stream of ``content``; its size."""
    n = 30_000
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n, b"3 0 R " * n),
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        4: _stream(zlib.compress(content), b"/Filter /FlateDecode"),
    }
    path.write_bytes(_raw_pdf(objects))
    return path.stat().st_size


# A small file whose pages share one compressed stream is read once per page: the content
# and the operators interpreted are bounded by the file's size long before the fixed caps.


def test_a_shared_stream_of_cheap_operators_is_bounded_by_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "operators.pdf"
    size = _one_stream_pdf(path, b"0 g\n" * 249_990)
    limit = MAX_PAGE_OPERATORS + OPERATORS_PER_BYTE * size
    assert limit < 2 * MAX_PAGE_OPERATORS
    assert _read_bounded(path) == (
        f"ReadError: {path}: more than {limit} drawing operators in all ({MAX_PAGE_OPERATORS} "
        f"and {OPERATORS_PER_BYTE} for each byte of the file), counting a stream once for each "
        "page that draws it"
    )


def test_a_shared_stream_of_blank_content_is_bounded_by_the_file_size(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    size = _one_stream_pdf(path, b" " * (MAX_PAGE_CONTENT - 1))
    limit = CONTENT_ALLOWANCE + CONTENT_PER_BYTE * size
    assert limit < MAX_CONTENT
    assert _read_bounded(path) == (
        f"ReadError: {path}: the pages' content is larger than {limit} bytes "
        f"({CONTENT_PER_BYTE} times the file's size plus {CONTENT_ALLOWANCE}, at most "
        f"{MAX_CONTENT}), counting a stream once for each page that draws it"
    )


def test_more_than_the_most_pages_is_a_read_error(tmp_path: Path) -> None:
    half = MAX_PAGES // 2 + 1
    kids = b"3 0 R " * half
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [4 0 R 5 0 R] >>",
        3: _PAGE,
        4: b"<< /Type /Pages /Kids [%s] >>" % kids,
        5: b"<< /Type /Pages /Kids [%s] >>" % kids,
    }
    path = tmp_path / "too-many.pdf"
    path.write_bytes(_raw_pdf(objects))
    assert _read_bounded(path) == f"ReadError: {path}: the document has more than {MAX_PAGES} pages"


# -- 4. loops and deep chains ----------------------------------------------------------------


def _deep_tree() -> dict[int, bytes]:
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for n in range(2, 5_002):
        objects[n] = b"<< /Type /Pages /Kids [%d 0 R] >>" % (n + 1)
    objects[5_002] = _PAGE
    return objects


def _doubling_tree() -> dict[int, bytes]:
    """Each node lists the next twice: 2**50 paths through 50 nodes."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [10 0 R] >>"}
    for n in range(10, 60):
        objects[n] = b"<< /Type /Pages /Kids [%d 0 R %d 0 R] >>" % (n + 1, n + 1)
    objects[60] = b"<< /Type /Pages /Kids [3 0 R] >>"
    objects[3] = _PAGE
    return objects


def _chain(head: bytes, length: int, end: bytes) -> dict[int, bytes]:
    """Object 3 is a page whose ``head`` entry starts a chain of ``length`` references."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] >>",
        3: b"<< /Type /Page %s 10 0 R /Contents 4 0 R >>" % head,
        4: _stream(b"BT ET"),
    }
    for n in range(length):
        objects[10 + n] = b"%d 0 R" % (11 + n)
    objects[10 + length] = end
    return objects


_GRAPH_CASES: dict[str, tuple[dict[int, bytes], str]] = {
    "kids-self": (
        {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [2 0 R] >>"},
        r"page tree node 2: /Kids entry 1 \(object 2\): page tree node 2 is reached again",
    ),
    "kids-loop": (
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [4 0 R] >>",
            4: b"<< /Type /Pages /Kids [3 0 R 2 0 R] >>",
            3: _PAGE,
        },
        r"page tree node 4: /Kids entry 2 \(object 2\): page tree node 2 is reached again",
    ),
    "parent-loop": (
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Parent 4 0 R >>",
            4: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] >>",
            3: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 9 9] >>",
        },
        r"^pages 1$",
    ),
    "deep-tree": (_deep_tree(), rf"the page tree is more than {MAX_TREE_DEPTH} deep"),
    "doubling-tree": (_doubling_tree(), r"page tree node \d+ is reached again"),
    "reference-chain-annots": (
        _chain(b"/Annots", 100_000, b"[]"),
        r"page 1 is not readable \(object 10 cannot be read",
    ),
    "reference-chain-box": (_chain(b"/MediaBox", 100_000, b"[0 0 9 9]"), r"^pages 1$"),
    "nested-arrays": (
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] >>",
            3: b"<< /Type /Page /Annots " + b"[" * 100_000 + b"]" * 100_000 + b" >>",
        },
        r"ReadError: .*not readable",
    ),
    "nested-dictionaries": (
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] >>",
            3: b"<< /Type /Page /Annots [" + b"<< /A " * 50_000 + b">>" * 50_000 + b"] >>",
        },
        r"^(pages 1|ReadError: .+)$",
    ),
    "catalog-number": ({1: b"5", 2: _PAGE}, r"the document catalog \(/Root\) is a number \(5\)"),
    "pages-string": (
        {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"(x)"},
        r"the page tree \(the catalog's /Pages\) is a string",
    ),
    "kid-number": (
        {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [7] >>"},
        r"page tree node 2: /Kids entry 1 is a number \(7\), not a page",
    ),
}


@pytest.mark.parametrize("case", sorted(_GRAPH_CASES))
def test_loops_and_deep_chains_are_bounded(case: str, tmp_path: Path) -> None:
    objects, expected = _GRAPH_CASES[case]
    path = tmp_path / f"{case}.pdf"
    path.write_bytes(_raw_pdf(objects))
    got = _read_bounded(path)
    assert re.search(expected, got), got


def test_a_page_tree_loop_in_verify_is_named(
    written: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    objects = {
        1: _CATALOG,
        2: b"<< /Type /Pages /Kids [3 0 R 2 0 R] >>",
        3: _PAGE,
    }
    path = tmp_path / "loop.pdf"
    path.write_bytes(_raw_pdf(objects, _manifest_bytes(written[0])))
    with pytest.raises(ReadError, match=r"page tree node 2 is reached again"):
        bk.verify(path, sources=written[1])
    assert "page tree node 2" in _verify_cli(path, written[1], capsys)


# -- 3. fuzzing ------------------------------------------------------------------------------

_FUZZ = """
import io, time
from pathlib import Path
from hypothesis import given, settings, seed, HealthCheck
from hypothesis import strategies as st
from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, FloatObject,
    IndirectObject, NameObject, NullObject, NumberObject, TextStringObject)
import briefkit as bk
from briefkit.errors import BriefkitError

ORIGINAL = Path({path!r}).read_bytes()
SOURCES = {sources!r}
OUT = Path({out!r})
MODE = {mode!r}
SLOWEST = [0.0]

def check(data):
    OUT.write_bytes(data)
    began = time.monotonic()
    try:
        bk.verify(OUT, sources=SOURCES)
    except BriefkitError:
        pass
    SLOWEST[0] = max(SLOWEST[0], time.monotonic() - began)

edits = st.lists(
    st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate"]),
              st.floats(0, 1), st.integers(0, 255)),
    min_size=1, max_size=6)

def mutate(data, steps):
    data = bytearray(data)
    for op, where, value in steps:
        at = min(len(data) - 1, int(where * len(data))) if data else 0
        if op == "flip" and data:
            data[at] ^= value or 1
        elif op == "insert":
            data[at:at] = bytes([value]) * (1 + value % 4)
        elif op == "delete" and data:
            del data[at:at + 1 + value % 16]
        elif op == "truncate":
            del data[at:]
    return bytes(data)

def dictionaries(writer):
    found, todo, seen = [], [writer.root_object], set()
    while todo and len(found) < 500:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            found.append(obj)
            values = [obj.raw_get(k) for k in sorted(obj)]
        elif isinstance(obj, ArrayObject):
            values = list(obj)
        else:
            continue
        for value in values:
            todo.append(value.get_object() if isinstance(value, IndirectObject) else value)
    return found

def replacement(k, writer, target):
    return [NumberObject(7), FloatObject(-1e30), NameObject("/X"), TextStringObject("x"),
            ArrayObject(), ArrayObject([NumberObject(1)] * 3), DictionaryObject(),
            NullObject(), BooleanObject(True), IndirectObject(99999, 0, writer),
            DictionaryObject({{NameObject("/Kids"): ArrayObject([NumberObject(1)])}}),
            ArrayObject([NameObject("/Y"), NumberObject(-1)])][k % 12]

replacements = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000),
                                  st.integers(0, 11)), min_size=1, max_size=4)

def replace(steps):
    writer = PdfWriter(clone_from=io.BytesIO(ORIGINAL))
    targets = dictionaries(writer)
    for d, key, k in steps:
        target = targets[d % len(targets)]
        keys = sorted(target)
        if keys:
            target[NameObject(keys[key % len(keys)])] = replacement(k, writer, target)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()

@seed({seed})
@settings(max_examples={examples}, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(edits if MODE == "bytes" else replacements)
def fuzz(steps):
    check(mutate(ORIGINAL, steps) if MODE == "bytes" else replace(steps))

fuzz()
print("slowest", round(SLOWEST[0], 2))
"""


@pytest.mark.parametrize(("mode", "chunk"), [("bytes", 0), ("bytes", 1), ("objects", 0)])
def test_random_corruption_is_a_report_or_a_briefkit_error(
    mode: str, chunk: int, written: tuple[Path, Path], tmp_path: Path
) -> None:
    code = _FUZZ.format(
        path=str(written[0]),
        sources=str(written[1]),
        out=str(tmp_path / "fuzzed.pdf"),
        mode=mode,
        seed=1000 + chunk,
        examples=20,
    )
    outcome = run_bounded(code, seconds=60)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-4000:])


def test_a_json_manifest_that_is_not_json_is_a_read_error(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    for k, blob in enumerate([b"{", b"[" * 100_000, b"\xff\xfe", json.dumps({"a": 1}).encode()]):
        path = tmp_path / f"m{k}.pdf"
        objects = {1: _CATALOG, 2: b"<< /Type /Pages /Kids [3 0 R] >>", 3: _PAGE}
        path.write_bytes(_raw_pdf(objects, blob))
        with pytest.raises(ReadError, match=rf"{MANIFEST_NAME}: "):
            read_pdf(path)


def test_a_correct_file_still_verifies(written: tuple[Path, Path]) -> None:
    contents = read_pdf(io.BytesIO(written[0].read_bytes()).getvalue())
    assert contents.manifest is not None
    assert len(contents.pages) == 1
    assert not bk.verify(written[0], sources=written[1]).problems
