"""Each note carries its citations where readers keep them but do not show them — a PDF note's
back link (``/BriefkitCites``), a Markdown footnote's trailing ``<!-- cites: … -->`` comment —
and verify holds them to the manifest (``note-cites``); and an HTML page's furniture around its
notes is in the brief's language."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject

import briefkit as bk
from briefkit.formats.checking import cite_token
from briefkit.formats.markdown._container import CITES_COMMENT, cites_comment, decode_cite
from briefkit.formats.markdown.reader import read_markdown
from briefkit.formats.pdf.reader import read_pdf
from briefkit.problems import Problem
from briefs import SEEDS, alliance_brief

PANDOC = shutil.which("pandoc")
PDFTOTEXT = shutil.which("pdftotext")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")

CNN = "000_28b258b49d188a62.txt"
AFP = "002_a5ab00941732d00c.txt"
#: the citations of the shared brief's notes, in order (note 1 has two)
NOTE_CITES = {
    1: [f"{CNN}:493-532", f"{AFP}:1535-1579"],
    2: [f"{CNN}:787-834"],
    3: [f"{AFP}:687-882"],
    4: [f"{CNN}:493-532"],
}
#: a citation as it stands where a reader would see it (never, for a fresh export)
TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/%-]*:\d+-\d+")


@pytest.fixture(scope="module")
def brief() -> bk.Brief:
    return alliance_brief(bk.Corpus.from_dir(SEEDS))


def _tree(page: bytes) -> Any:
    """An HTML page parsed (lxml's elements, untyped)."""
    return lxml_html.fromstring(page)


def _codes(problems: tuple[Problem, ...]) -> list[tuple[str, int | None]]:
    return [(p.code, p.note) for p in problems]


def _verify(path: Path, sources: Path = SEEDS) -> tuple[Problem, ...]:
    return bk.verify(path, sources=sources).problems


# -- PDF: the back link's /BriefkitCites -------------------------------------------------------

_KEY = NameObject("/BriefkitCites")


@pytest.fixture(scope="module")
def pdf(brief: bk.Brief, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bk.export(brief, tmp_path_factory.mktemp("pdf") / "brief.pdf")


def _links(writer: PdfWriter) -> list[DictionaryObject]:
    """Every link annotation of the document, page by page, in drawing order."""
    found: list[DictionaryObject] = []
    for page in writer.pages:
        for ref in page.get("/Annots") or ():
            annot = ref.get_object()
            assert isinstance(annot, DictionaryObject)
            found.append(annot)
    return found


def _tamper_pdf(src: Path, dst: Path, edit: Callable[[list[DictionaryObject]], None]) -> Path:
    """``src`` with its link annotations edited: ``edit`` gets the back links that carry
    citations (in note order) followed by the other links."""
    writer = PdfWriter(clone_from=src)
    links = _links(writer)
    carrying = [a for a in links if _KEY in a]
    edit([*carrying, *(a for a in links if _KEY not in a)])
    writer.write(dst)
    return dst


def _set(annot: DictionaryObject, tokens: list[str]) -> None:
    annot[_KEY] = TextStringObject(" ".join(tokens))


def test_each_note_back_link_carries_its_citations(pdf: Path) -> None:
    contents = read_pdf(pdf)
    assert contents.note_cites() == [" ".join(NOTE_CITES[n]) for n in sorted(NOTE_CITES)]
    assert contents.mark_cites() == []
    assert all(page.stray_cites == () for page in contents.pages)
    # on the back links only: one per note, each leading to its mark's page
    carrying = [a for a in _links(PdfWriter(clone_from=pdf)) if _KEY in a]
    assert len(carrying) == len(NOTE_CITES)
    assert all(str(a["/Subtype"]) == "/Link" and "/AP" not in a for a in carrying)


def test_a_fresh_pdf_verifies_clean(pdf: Path) -> None:
    assert _verify(pdf) == ()


def test_the_pdf_is_deterministic(brief: bk.Brief, pdf: Path, tmp_path: Path) -> None:
    assert bk.export(brief, tmp_path / "again.pdf").read_bytes() == pdf.read_bytes()


def test_the_pdf_carrier_is_invisible(pdf: Path, tmp_path: Path) -> None:
    assert b"/BriefkitCites (" in pdf.read_bytes()  # there, in the annotations
    extracted = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Carter" in extracted
    assert TOKEN.findall(extracted) == []
    # the pages show what they showed without it: no citation among the text objects
    assert all(
        TOKEN.search(obj.text) is None for page in read_pdf(pdf).pages for obj in page.objects
    )
    if PDFTOTEXT is not None:
        out = subprocess.run(
            [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8")
        assert "Carter" in out
        assert TOKEN.findall(out) == []


def _change_offset(links: list[DictionaryObject]) -> None:
    _set(links[0], [NOTE_CITES[1][0].replace(":493-", ":494-"), NOTE_CITES[1][1]])


def _drop_one(links: list[DictionaryObject]) -> None:
    _set(links[0], NOTE_CITES[1][:1])


def _reorder(links: list[DictionaryObject]) -> None:
    _set(links[0], NOTE_CITES[1][::-1])


def _add_one(links: list[DictionaryObject]) -> None:
    _set(links[0], [*NOTE_CITES[1], f"{CNN}:787-834"])


def _change_id(links: list[DictionaryObject]) -> None:
    _set(links[1], [NOTE_CITES[2][0].replace(CNN, AFP)])


def _remove(links: list[DictionaryObject]) -> None:
    del links[1][_KEY]


def _not_a_string(links: list[DictionaryObject]) -> None:
    links[1][_KEY] = NumberObject(787)


def _move_to_next_note(links: list[DictionaryObject]) -> None:
    links[2][_KEY] = links[1][_KEY]
    del links[1][_KEY]


def _swap(links: list[DictionaryObject]) -> None:
    links[1][_KEY], links[2][_KEY] = links[2][_KEY], links[1][_KEY]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(_change_offset, [1], id="offset-changed"),
        pytest.param(_drop_one, [1], id="one-dropped"),
        pytest.param(_reorder, [1], id="reordered"),
        pytest.param(_add_one, [1], id="one-added"),
        pytest.param(_change_id, [2], id="source-changed"),
        pytest.param(_remove, [2], id="removed"),
        pytest.param(_not_a_string, [2], id="not-a-string"),
        pytest.param(_move_to_next_note, [2, 3], id="moved-to-another-note"),
        pytest.param(_swap, [2, 3], id="swapped"),
    ],
)
def test_a_tampered_pdf_carrier_is_caught(
    pdf: Path,
    tmp_path: Path,
    edit: Callable[[list[DictionaryObject]], None],
    expected: list[int],
) -> None:
    tampered = _tamper_pdf(pdf, tmp_path / "tampered.pdf", edit)
    problems = _verify(tampered)
    assert _codes(problems) == [("note-cites", n) for n in expected], [str(p) for p in problems]
    assert all(p.sentence is not None for p in problems)
    assert "back link's /BriefkitCites" in str(problems[0])


def test_citations_on_a_note_mark_are_caught(pdf: Path, tmp_path: Path) -> None:
    def on_mark(links: list[DictionaryObject]) -> None:
        mark = links[len(NOTE_CITES)]  # the first link that carries none: note 1's mark
        mark[_KEY] = links[0][_KEY]

    problems = _verify(_tamper_pdf(pdf, tmp_path / "tampered.pdf", on_mark))
    assert _codes(problems) == [("note-cites", 1)], [str(p) for p in problems]
    assert "the link of note mark 1 carries citations" in str(problems[0])


def test_a_pdf_written_before_the_carrier_is_caught(pdf: Path, tmp_path: Path) -> None:
    def strip(links: list[DictionaryObject]) -> None:
        for annot in links[: len(NOTE_CITES)]:
            del annot[_KEY]

    problems = _verify(_tamper_pdf(pdf, tmp_path / "old.pdf", strip))
    assert _codes(problems) == [("note-cites", n) for n in sorted(NOTE_CITES)]
    assert all("is gone" in str(p) for p in problems)


def _letters(n: int) -> str:
    """``n`` in letters (a digit in a sentence must stand in the spans it cites)."""
    return "".join("abcdefghij"[int(d)] for d in str(n))


def test_notes_split_across_pages_carry_their_citations(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    words = " ".join(f"w{i:05d}" for i in range(3000))
    (root / "long.txt").write_text(words, encoding="utf-8")
    src = bk.Corpus.from_dir(root)["long.txt"]
    spans = [src.paraphrase(f"w{i:05d}") for i in range(1, 2900, 7)]
    filler = "says something about the matter at hand and goes on long enough to fill a line."
    brief = bk.Brief(
        title="Many notes",
        sections=[
            bk.section(
                "Body",
                *(
                    bk.paragraph(
                        bk.sentence(f"Sentence {_letters(k)} {filler}", cite=spans[k : k + 3])
                    )
                    for k in range(0, 120, 3)
                ),
                bk.paragraph(bk.sentence("A long note.", cite=spans[120:400])),
            )
        ],
    )
    path = bk.export(brief, tmp_path / "many.pdf")
    contents = read_pdf(path)
    assert len(contents.pages) > 2
    plan = bk.NotePlan.build(brief)
    assert contents.note_cites() == [
        " ".join(
            cite_token(c.excerpt.source.id, c.position.start, c.position.end) for c in n.citations
        )
        for n in plan.notes
    ]
    assert _verify(path, root) == ()


# -- Markdown: the footnote's cites comment ----------------------------------------------------


@pytest.fixture(scope="module")
def md(brief: bk.Brief) -> str:
    return bk.render(brief, "md").decode("utf-8")


def _definition(text: str, n: int) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"[^{n}]: "))


def _comment(tokens: list[str]) -> str:
    return "<!-- cites:" + "".join(f" {t}" for t in tokens) + " -->"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_each_footnote_ends_in_its_cites_comment(md: str) -> None:
    for n, tokens in NOTE_CITES.items():
        assert _definition(md, n).endswith(f". {_comment(tokens)}")
    contents = read_markdown(md.encode("utf-8"))
    assert dict(contents.note_cites) == {str(n): tuple(t) for n, t in NOTE_CITES.items()}
    assert not any(contents.notes[str(n)].endswith(" ") for n in NOTE_CITES)


def test_a_fresh_markdown_file_verifies_clean(md: str, tmp_path: Path) -> None:
    assert _verify(_write(tmp_path, md)) == ()


def _replace_comment(md: str, n: int, tokens: list[str]) -> str:
    line = _definition(md, n)
    return md.replace(line, line.replace(_comment(NOTE_CITES[n]), _comment(tokens)), 1)


def _md_move(md: str) -> str:
    """Note 2's comment moved to note 3 (which loses its own)."""
    two, three = _definition(md, 2), _definition(md, 3)
    moved = three.replace(f" {_comment(NOTE_CITES[3])}", f" {_comment(NOTE_CITES[2])}")
    return md.replace(two, two.removesuffix(f" {_comment(NOTE_CITES[2])}")).replace(three, moved)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            lambda md: _replace_comment(
                md, 1, [NOTE_CITES[1][0].replace(":493-", ":494-"), NOTE_CITES[1][1]]
            ),
            [1],
            id="offset-changed",
        ),
        pytest.param(lambda md: _replace_comment(md, 1, NOTE_CITES[1][:1]), [1], id="one-dropped"),
        pytest.param(lambda md: _replace_comment(md, 1, NOTE_CITES[1][::-1]), [1], id="reordered"),
        pytest.param(
            lambda md: _replace_comment(md, 1, [*NOTE_CITES[1], NOTE_CITES[2][0]]),
            [1],
            id="one-added",
        ),
        pytest.param(
            lambda md: _replace_comment(md, 2, [NOTE_CITES[2][0].replace(CNN, AFP)]),
            [2],
            id="source-changed",
        ),
        pytest.param(lambda md: _replace_comment(md, 2, []), [2], id="emptied"),
        pytest.param(
            lambda md: md.replace(f" {_comment(NOTE_CITES[2])}", "", 1), [2], id="removed"
        ),
        pytest.param(_md_move, [2, 3], id="moved-to-another-note"),
    ],
)
def test_a_tampered_cites_comment_is_caught(
    md: str, tmp_path: Path, edit: Callable[[str], str], expected: list[int]
) -> None:
    tampered = edit(md)
    assert tampered != md
    problems = _verify(_write(tmp_path, tampered))
    assert _codes(problems) == [("note-cites", n) for n in expected], [str(p) for p in problems]
    assert "its cites comment" in str(problems[0])


def test_swapped_cites_comments_are_caught(md: str, tmp_path: Path) -> None:
    two, three = _definition(md, 2), _definition(md, 3)
    c2, c3 = _comment(NOTE_CITES[2]), _comment(NOTE_CITES[3])
    swapped = md.replace(two, two.replace(c2, c3)).replace(three, three.replace(c3, c2))
    problems = _verify(_write(tmp_path, swapped))
    assert _codes(problems) == [("note-cites", 2), ("note-cites", 3)]


@pytest.mark.parametrize(
    ("edit", "codes"),
    [
        # not at the end of its footnote: a hidden comment, and the note carries none
        pytest.param(
            lambda md, c: md.replace(f" {c}", "", 1).replace("[^1]: ", f"[^1]: {c} ", 1),
            {"hidden-text", "note-cites", "note-differs"},
            id="at-the-start",
        ),
        # in the body, after a sentence
        pytest.param(
            lambda md, c: md.replace("theme.", f"theme. {c}", 1),
            {"hidden-text"},
            id="in-the-body",
        ),
        # any other comment at the end of a footnote
        pytest.param(
            lambda md, c: md.replace(c, "<!-- something else -->", 1),
            {"hidden-text", "note-cites"},
            id="another-comment",
        ),
        pytest.param(
            lambda md, c: md.replace(c, c.replace(":493-532", ":493"), 1),
            {"hidden-text", "note-cites"},
            id="malformed",
        ),
        pytest.param(
            lambda md, c: md.replace(c, f"{c} <!-- more -->", 1),
            {"hidden-text", "note-cites"},
            id="followed-by-a-comment",
        ),
    ],
)
def test_any_other_comment_is_a_problem(
    md: str, tmp_path: Path, edit: Callable[[str, str], str], codes: set[str]
) -> None:
    tampered = edit(md, _comment(NOTE_CITES[1]))
    assert tampered != md
    problems = _verify(_write(tmp_path, tampered))
    assert {p.code for p in problems} == codes, [str(p) for p in problems]
    hidden = [p for p in problems if p.code == "hidden-text"]
    assert hidden and all(str(p).startswith("an HTML comment") for p in hidden)
    assert {p.note for p in problems} <= {None, 1}


def _pandoc(text: str, reader: str, writer: str) -> str:
    assert PANDOC is not None
    return subprocess.run(
        [PANDOC, "-f", reader, "-t", writer, "--wrap=none"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


@needs_pandoc
@pytest.mark.parametrize("reader", ["markdown", "gfm", "commonmark_x"])
def test_pandoc_does_not_show_the_cites_comment(md: str, reader: str) -> None:
    plain = _pandoc(md, reader, "plain")
    assert "Carter" in plain
    assert "cites" not in plain and "<!--" not in plain
    assert TOKEN.findall(plain) == []
    page = _pandoc(md, reader, "html")
    assert "<!-- cites: " in page  # kept as a comment
    shown = _tree(page.encode()).text_content()
    assert "cites" not in shown and TOKEN.findall(shown) == []


# -- a source id that holds "--" ----------------------------------------------------------------

ODD = "a--b-.txt"


def _odd_brief(tmp_path: Path) -> tuple[bk.Brief, Path]:
    root = tmp_path / "odd"
    root.mkdir()
    raw = b"Some 50,000 troops are stationed here.\nLine two -- with dashes.\n"
    (root / ODD).write_bytes(raw)
    src = bk.Corpus.from_dir(root)[ODD]
    brief = bk.Brief(
        title="Dashes",
        key_points=[bk.sentence(src.quote("50,000 troops"), " and ", src.quote("Line two"), ".")],
    )
    return brief, root


def test_the_cites_comment_encodes_the_source_id(tmp_path: Path) -> None:
    brief, root = _odd_brief(tmp_path)
    path = bk.export(brief, tmp_path / "odd.md")
    text = path.read_text(encoding="utf-8")
    line = _definition(text, 1)
    comment = line[line.index("<!--") :]
    assert comment == "<!-- cites: a%2D%2Db%2D.txt:5-18 a%2D%2Db%2D.txt:39-47 -->"
    assert "--" not in comment.removeprefix("<!--").removesuffix("-->")
    assert CITES_COMMENT.fullmatch(comment) is not None
    assert read_markdown(path).note_cites == {"1": (f"{ODD}:5-18", f"{ODD}:39-47")}
    assert _verify(path, root) == ()
    if PANDOC is not None:
        for reader in ("markdown", "gfm"):
            assert "cites" not in _pandoc(text, reader, "plain"), reader


@needs_pandoc
def test_an_unencoded_id_would_show_under_gfm(tmp_path: Path) -> None:
    """Why the id is encoded: with "--" in it the comment is text to GitHub's Markdown."""
    brief, root = _odd_brief(tmp_path)
    path = bk.export(brief, tmp_path / "odd.md")
    text = path.read_text(encoding="utf-8").replace("a%2D%2Db%2D.txt", ODD)
    assert "cites" in _pandoc(text, "gfm", "plain")
    problems = _verify(_write(tmp_path, text), root)
    assert {p.code for p in problems} == {"hidden-text", "note-cites"}, problems


@pytest.mark.parametrize(
    "source", ["a--b.txt", "x/y_z.txt", "-", "é ü:>", "a%2Db", "-->", "--!>", "<!--"]
)
def test_any_source_id_round_trips_through_the_comment(source: str) -> None:
    comment = cites_comment([(source, 0, 12), ("plain.txt", 3, 4)])
    found = CITES_COMMENT.fullmatch(comment)
    assert found is not None
    inner = comment.removeprefix("<!--").removesuffix("-->")
    assert "--" not in inner and ">" not in inner and not inner.endswith("-")
    assert [decode_cite(t) for t in found[1].split()] == [
        cite_token(source, 0, 12),
        cite_token("plain.txt", 3, 4),
    ]


@pytest.mark.parametrize(
    "token", ["a-b.txt:1-2", "a%2db.txt:1-2", "a.txt:01-2", "%FF.txt:1-2", "a.txt:1", "a.txt"]
)
def test_a_token_not_written_as_the_writer_writes_it_stays_as_it_is(token: str) -> None:
    assert decode_cite(token) == token


# -- HTML: the furniture around the notes in the brief's language ------------------------------

URL = "https://example.org/report"


def _german_web(tmp_path: Path) -> tuple[bk.Brief, Path]:
    root = tmp_path / "web"
    root.mkdir()
    raw = b"Some 50,000 troops are stationed here.\nLine two.\n"
    (root / "web.txt").write_bytes(raw)
    meta = bk.SourceMeta(title="Web report", url=URL, container_title="Wire", issued="2016-12")
    src = bk.Source.from_bytes("web.txt", raw, meta=meta)
    brief = bk.Brief(
        title="Bericht",
        key_points=[bk.sentence(src.quote("50,000 troops"), ".")],
        sources_appendix=True,
        lang="de-DE",
    )
    return brief, root


def test_a_german_page_has_german_furniture(brief: bk.Brief, tmp_path: Path) -> None:
    german = attrs.evolve(brief, lang="de-DE", sources_appendix=True)
    page = bk.export(german, tmp_path / "de.html")
    assert _verify(page) == ()
    tree = _tree(page.read_bytes())
    captions = [c.text_content() for c in tree.xpath("//figure[@class='excerpt']/figcaption")]
    assert captions and all(c == "Zitierte Stelle" for c in captions)  # no machine data
    audit = bk.export(german, tmp_path / "de-audit.html", show_spans=True)
    assert _verify(audit) == ()
    tree = _tree(audit.read_bytes())
    captions = [c.text_content() for c in tree.xpath("//figure[@class='excerpt']/figcaption")]
    assert captions[0] == f"Quelltext: {CNN}, Zeichen 493–532"
    assert all(c.startswith("Quelltext: ") for c in captions)
    labels = [a.get("aria-label") for a in tree.xpath("//a[@role='doc-backlink']")]
    assert labels == [f"Zurück zum Verweis auf Anmerkung {n}" for n in sorted(NOTE_CITES)]
    text = page.read_text(encoding="utf-8")
    for english in ("Source text", "chars ", "Back to note", "Open this passage"):
        assert english not in text, english
    # the sources appendix's record stays English: an audit record
    source = tree.xpath("//li[@id='src-1']")[0].text_content()
    assert re.search(r"Source \S+, sha256 [0-9a-f]+, cited \d+ times\.", source), source


def test_a_german_page_links_each_passage_in_german(tmp_path: Path) -> None:
    brief, root = _german_web(tmp_path)
    page = bk.export(brief, tmp_path / "web.html")
    assert _verify(page, root) == ()
    tree = _tree(page.read_bytes())
    (caption,) = tree.xpath("//figure[@class='excerpt']/figcaption")
    assert caption.text_content() == "Zitierte Stelle · Diese Stelle in der Quelle öffnen"
    (link,) = caption.xpath("a[@class='source-link']")
    assert link.text == "Diese Stelle in der Quelle öffnen"


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("<figcaption>Zitierte Stelle", "<figcaption>Cited text", "caption-differs"),
        ("Diese Stelle in der Quelle öffnen</a>", "Open this passage at the source</a>", None),
        (
            'aria-label="Zurück zum Verweis auf Anmerkung 1"',
            'aria-label="Back to note 1 reference"',
            "foreign-markup",
        ),
    ],
)
def test_english_furniture_on_a_german_page_is_caught(
    tmp_path: Path, old: str, new: str, code: str | None
) -> None:
    brief, root = _german_web(tmp_path)
    page = bk.export(brief, tmp_path / "web.html")
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = _verify(page, root)
    assert problems, "not reported"
    codes = {p.code for p in problems}
    if code is not None:
        assert code in codes, [str(p) for p in problems]
    assert codes <= {"caption-differs", "foreign-markup", "differs", "unlinked-text"}
    assert all(p.note in (None, 1) for p in problems)


@pytest.mark.parametrize("lang", ["en-GB", "fr-FR", "es-ES", "ja-JP", "zh-CN", "zh-TW"])
def test_every_language_captions_its_excerpts(brief: bk.Brief, lang: str) -> None:
    plan = bk.NotePlan.build(attrs.evolve(brief, lang=lang))
    page = bk.render(plan, "html").decode("utf-8")
    tree = _tree(page.encode())
    caption = tree.xpath("//figure[@class='excerpt']/figcaption")[0].text_content()
    labels = plan.labels
    assert caption == labels["excerpt_label"]
    audit = bk.NotePlan.build(attrs.evolve(brief, lang=lang), show_spans=True)
    tree = _tree(bk.render(audit, "html"))
    caption = tree.xpath("//figure[@class='excerpt']/figcaption")[0].text_content()
    assert caption == labels["excerpt_caption"].format(source=CNN, start=493, end=532)
    back = tree.xpath("//a[@role='doc-backlink']")[0].get("aria-label")
    assert back == labels["back_to_mark"].format(note=1)
