"""Hostile DOCX files for ``briefkit verify``: deep nesting, floods of bookmarks, findings and
references read in linear memory (each case in a child process under a 1 GiB memory cap and a
time limit); templates that declare entities are refused; corrupted real files give a report or
a BriefkitError."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefkit as bk
from briefkit.formats.docx.reader import MAX_DEPTH, MAX_OPEN_BOOKMARKS, read_docx
from briefkit.formats.docx.writer import DocxExporter
from hostile.bounded import run_bounded
from hostile.samples import small_brief


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("docx")
    sources = folder / "src"
    brief = small_brief(sources)
    return Path(bk.export(brief, folder / "b.docx")), sources


def _with_body(docx: Path, payload: str, out: Path, *, stored: bool = False) -> Path:
    """``docx`` with ``payload`` (WordprocessingML) in a paragraph at the start of the body."""
    with zipfile.ZipFile(docx) as zin:
        members = [(info.filename, zin.read(info)) for info in zin.infolist()]
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as zout:
        for name, data in members:
            if name == "word/document.xml":
                data = data.replace(b"<w:body>", f"<w:body><w:p>{payload}</w:p>".encode(), 1)
            zout.writestr(name, data)
    return out


def test_a_fresh_document_still_verifies(written: tuple[Path, Path]) -> None:
    docx, sources = written
    report = bk.verify(docx, sources=sources)
    assert report.ok and report.problems == ()
    assert read_docx(docx).findings == ()


_RUN = "<w:r><w:t>x</w:t></w:r>"
_HIDDEN = "<w:r><w:rPr><w:vanish/></w:rPr><w:t>x</w:t></w:r>"
_OPEN = "".join(
    f'<w:bookmarkStart w:id="o{i}" w:name="n{i}"/>' for i in range(MAX_OPEN_BOOKMARKS - 1)
)


def _nest(opening: str, closing: str, depth: int, inner: str = _RUN) -> str:
    return opening * depth + inner + closing * depth


#: (name, payload, stored uncompressed, what verify must do: "report" or an error's words)
_CASES = [
    (
        "content-controls-150",
        _nest("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", 90),
        False,
        "report",
    ),
    (
        "content-controls-1000",
        _nest("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", 500),
        False,
        "nested more than",
    ),
    ("hyperlinks-3000", _nest("<w:hyperlink>", "</w:hyperlink>", 3000), False, "malformed XML"),
    ("smart-tags-1000", _nest("<w:smartTag>", "</w:smartTag>", 1000), False, "nested more than"),
    (
        "tables-600",
        _nest("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", 600, f"<w:p>{_RUN}</w:p>"),
        False,
        "nested more than",
    ),
    (
        "ruby-600",
        _nest("<w:r><w:ruby><w:rubyBase>", "</w:rubyBase></w:ruby></w:r>", 600),
        False,
        "nested more than",
    ),
    (
        "text-boxes-400",
        _nest("<w:r><w:pict><w:txbxContent><w:p>", "</w:p></w:txbxContent></w:pict></w:r>", 400),
        False,
        "report",
    ),
    (
        "open-bookmarks-20000",
        "".join(f'<w:bookmarkStart w:id="b{i}" w:name="n{i}"/>' for i in range(20_000))
        + _RUN * 20_000,
        False,
        "bookmarks are open at once",
    ),
    (
        "bookmark-then-run-20000",
        "".join(f'<w:bookmarkStart w:id="b{i}" w:name="n{i}"/>{_RUN}' for i in range(20_000)),
        False,
        "bookmarks are open at once",
    ),
    (
        "most-bookmarks-then-runs",
        _OPEN
        + ('<w:bookmarkStart w:id="z" w:name="z"/>' + _RUN + '<w:bookmarkEnd w:id="z"/>') * 50_000,
        True,
        "report",
    ),
    (
        "alternating-findings",
        (
            '<w:bookmarkStart w:id="z" w:name="z"/>'
            + _HIDDEN
            + '<w:bookmarkEnd w:id="z"/><w:r><w:rPr><w:webHidden/></w:rPr><w:t>y</w:t></w:r>'
        )
        * 20_000,
        True,
        "report",
    ),
    ("hidden-runs", _HIDDEN * 100_000, True, "report"),
    ("references", '<w:r><w:footnoteReference w:id="1"/></w:r>' * 50_000, True, "report"),
    (
        "fields",
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>' * 20_000 + _RUN * 20_000,
        True,
        "report",
    ),
]

_CASE = """
import time, resource, briefkit as bk
start = time.perf_counter()
try:
    report = bk.verify({path!r}, sources={sources!r})
    print("report", len(report.problems), report.ok)
except bk.BriefkitError as exc:
    print("error", type(exc).__name__, str(exc)[:300].replace(chr(10), " "))
print("seconds", round(time.perf_counter() - start, 2))
print("megabytes", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.parametrize(
    ("payload", "stored", "expected"),
    [(payload, stored, expected) for _, payload, stored, expected in _CASES],
    ids=[name for name, *_ in _CASES],
)
def test_nesting_and_floods_are_read_in_bounded_memory(
    written: tuple[Path, Path], tmp_path: Path, payload: str, stored: bool, expected: str
) -> None:
    docx, sources = written
    path = _with_body(docx, payload, tmp_path / "hostile.docx", stored=stored)
    outcome = run_bounded(_CASE.format(path=str(path), sources=str(sources)), cwd=tmp_path)
    assert outcome.ok, (outcome.timed_out, outcome.stderr[-2000:])
    result, _seconds, megabytes = outcome.stdout.strip().splitlines()[-3:]
    assert "internal error" not in outcome.stdout
    if expected == "report":
        assert result.startswith("report") and not result.endswith("True"), outcome.stdout
    else:
        assert result.startswith("error ReadError") and expected in result, outcome.stdout
        assert "hostile.docx" in result  # names the file
    assert int(megabytes.split()[1]) < 600, outcome.stdout


def test_the_depth_error_names_the_part_and_line(
    written: tuple[Path, Path], tmp_path: Path
) -> None:
    docx, _ = written
    deep = _nest("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", MAX_DEPTH)
    path = _with_body(docx, deep, tmp_path / "deep.docx")
    with pytest.raises(
        bk.ReadError, match=rf"deep\.docx: word/document\.xml: line \d+: .*{MAX_DEPTH} deep"
    ):
        read_docx(path)


def test_a_text_box_in_a_text_box_is_read_once(written: tuple[Path, Path], tmp_path: Path) -> None:
    docx, _ = written
    inner = "<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
    outer = f"<w:r><w:pict><w:txbxContent><w:p>{inner}</w:p><w:p><w:r><w:t>outer</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
    contents = read_docx(_with_body(docx, outer, tmp_path / "boxes.docx"))
    (box,) = [f for f in contents.findings if f.code == "text-box"]
    assert box.text.count("inner") == 1 and "outer" in box.text


def test_a_part_with_a_dtd_is_refused(written: tuple[Path, Path], tmp_path: Path) -> None:
    docx, _ = written
    with zipfile.ZipFile(docx) as zin:
        members = [(info.filename, zin.read(info)) for info in zin.infolist()]
    out = tmp_path / "dtd.docx"
    with zipfile.ZipFile(out, "w") as zout:
        for name, data in members:
            if name == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x "EVIL">]>', 1)
                data = data.replace(b'<w:t xml:space="preserve">T</w:t>', b"<w:t>&x;</w:t>", 1)
            zout.writestr(name, data)
    with pytest.raises(bk.ReadError, match=r"word/document\.xml: declares a DTD"):
        read_docx(out)


# -- templates --------------------------------------------------------------------------------


def _template(tmp_path: Path, styles: bytes | None = None, numbering: bytes | None = None) -> Path:
    import docx as python_docx

    plain = tmp_path / "plain.docx"
    python_docx.Document().save(str(plain))
    with zipfile.ZipFile(plain) as zin:
        members = [(info.filename, zin.read(info)) for info in zin.infolist()]
    out = tmp_path / "template.docx"
    with zipfile.ZipFile(out, "w") as zout:
        for name, data in members:
            if name == "word/styles.xml" and styles is not None:
                data = styles
            if name == "word/numbering.xml" and numbering is not None:
                data = numbering
            zout.writestr(name, data)
    return out


def test_a_template_whose_styles_declare_entities_is_refused(tmp_path: Path) -> None:
    plain = _template(tmp_path)
    with zipfile.ZipFile(plain) as zf:
        styles = zf.read("word/styles.xml")
    head, rest = styles.split(b"?>", 1)
    evil = (
        head
        + b'?><!DOCTYPE w:styles [<!ENTITY x "EVIL">]>'
        + rest.replace(
            b"<w:docDefaults>",
            b'<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="&x;"/></w:rPr></w:rPrDefault>',
            1,
        )
    )
    template = _template(tmp_path, styles=evil)
    with pytest.raises(
        bk.ExportError, match=r"template\.docx: the template's word/styles\.xml declares a DTD"
    ):
        DocxExporter(template=template)


def test_a_template_whose_numbering_declares_a_dtd_is_refused(tmp_path: Path) -> None:
    plain = _template(tmp_path)
    with zipfile.ZipFile(plain) as zf:
        numbering = zf.read("word/numbering.xml")
    head, rest = numbering.split(b"?>", 1)
    evil = head + b"?><!DOCTYPE w:numbering>" + rest
    template = _template(tmp_path, numbering=evil)
    with pytest.raises(bk.ExportError, match=r"word/numbering\.xml declares a DTD"):
        DocxExporter(template=template)


def test_a_plain_template_still_works(tmp_path: Path) -> None:
    template = _template(tmp_path)
    exporter = DocxExporter(template=template)
    assert b"<!DOCTYPE" not in exporter.template.styles
    assert b"Heading1" in exporter.template.styles


def test_a_template_with_malformed_or_unreadable_parts_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(bk.ExportError, match="word/styles.xml is malformed XML"):
        DocxExporter(template=_template(tmp_path, styles=b"<w:styles"))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(bk.ExportError, match="cannot read the template"):
        DocxExporter(template=broken)


# -- fuzzing: corrupted real files ---------------------------------------------------------------


def _mutate(data: bytes, rnd: random.Random, kind: str) -> bytes:
    if not data:
        return data
    at = rnd.randrange(len(data))
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ (1 << rnd.randrange(8))]) + data[at + 1 :]
    if kind == "insert":
        junk = rnd.choice([b"<", b">", b"<w:r>", b"</w:p>", b'"', b"&", b"<!DOCTYPE x>", b"\xff"])
        return data[:at] + junk + data[at:]
    if kind == "delete":
        return data[:at] + data[at + rnd.randint(1, 40) :]
    if kind == "truncate":
        return data[:at]
    starts = [i for i in range(len(data)) if data[i : i + 1] == b"<"] or [0]
    a = rnd.choice(starts)
    b = next((i for i in starts if i > a), len(data))
    b = next((i for i in starts if i > b), len(data))
    return data[:b] + data[a:b] + data[b:]


_KINDS = ["flip", "insert", "delete", "truncate", "duplicate"]


def _corrupt_docx(original: bytes, rnd: random.Random, kinds: list[str]) -> bytes:
    """Corrupt the zip itself, or one of its members (its XML), or drop a member."""
    how = rnd.choice(["zip", "member", "member", "member", "drop"])
    if how == "zip":
        data = original
        for kind in kinds:
            data = _mutate(data, rnd, kind)
        return data
    with zipfile.ZipFile(io.BytesIO(original)) as zin:
        members = [(info.filename, zin.read(info)) for info in zin.infolist()]
    victim = rnd.randrange(len(members))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for k, (name, data) in enumerate(members):
            if k == victim:
                if how == "drop":
                    continue
                for kind in kinds:
                    data = _mutate(data, rnd, kind)
            zout.writestr(name, data)
    return out.getvalue()


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    kinds=st.lists(st.sampled_from(_KINDS), min_size=1, max_size=4),
)
def test_a_corrupted_document_gives_a_report_or_a_briefkit_error(
    written: tuple[Path, Path], tmp_path: Path, seed: int, kinds: list[str]
) -> None:
    docx, sources = written
    rnd = random.Random(seed)
    target = tmp_path / "fuzzed.docx"
    target.write_bytes(_corrupt_docx(docx.read_bytes(), rnd, kinds))
    try:
        report = bk.verify(target, sources=sources)
    except bk.BriefkitError:
        return
    assert isinstance(report, bk.Report)
