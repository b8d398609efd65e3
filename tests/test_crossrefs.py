"""Cross-references: a sentence names a section or table by id; every format shows the
library's wording for it, and verify holds that wording to what the document holds."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import briefkit as bk
from briefkit import manifest as mf
from briefkit._consistency import manifest_problems
from make_docx import read_part, replace_parts

CNN = "000_28b258b49d188a62.txt"
OVERVIEW = "004_35db4e2c9c51291d.txt"


def _brief(corpus: bk.Corpus, *refs: str, lang: str | None = None) -> bk.Brief:
    cnn, ov = corpus[CNN], corpus[OVERVIEW]
    a = cnn.figure("$1.6 billion", within="pays $1.6 billion", measure="cost")
    b = ov.figure("nearly $2 billion", within="nearly $2 billion per year", measure="cost")
    troops = bk.table(
        "Troops",
        ["Source", "Troops"],
        ["CNN", bk.sentence(cnn.figure("50,000", within="US has 50,000 troops"))],
        id="troops",
    )
    parts: list[bk.model.Inline] = ["See "]
    for k, target in enumerate(refs):
        parts += [*([" and "] if k else []), bk.ref(target)]
    see = bk.sentence(*parts, ".", cite=cnn.paraphrase("US has 50,000 troops"))
    return bk.Brief(
        title="R",
        lang=lang,
        sections=[
            bk.section("Forces", bk.paragraph(see), troops, id="forces"),
            bk.section(
                "Costs",
                bk.paragraph(bk.sentence("Japan pays ", a, " or ", b, ".", accept_numbers=["1.6"])),
                bk.differences(id="diff"),
                bk.section("Detail", bk.paragraph(bk.analysis("Later.")), id="detail"),
                id="costs",
            ),
        ],
    )


def test_a_reference_reads_as_the_brief_s_language_names_its_target(corpus: bk.Corpus) -> None:
    plan = bk.NotePlan.build(_brief(corpus, "troops", "diff", "costs", "detail"))
    assert plan.sentences[0].text == "See Table 1 and Table 2 and “Costs” and “Detail”."
    refs = [seg for seg in plan.sentences[0].segments if seg.ref is not None]
    assert [(s.ref, s.library) for s in refs] == [
        ("table-1", True),
        ("table-2", True),
        ("sec-2", True),
        ("sec-2-1", True),
    ]
    de = bk.NotePlan.build(_brief(corpus, "troops", "costs", lang="de-DE"))
    assert de.sentences[0].text == "See Tabelle 1 and „Costs“."


def test_a_reference_is_not_a_claim(corpus: bk.Corpus) -> None:
    """The number in 'Table 2' is the library's, not the author's: no unsupported number."""
    brief = _brief(corpus, "diff")
    assert [p.code for p in brief.problems()] == []


def test_an_unknown_or_duplicate_target_is_refused(corpus: bk.Corpus) -> None:
    assert [p.code for p in _brief(corpus, "nowhere").problems()] == ["unknown-ref"]
    cnn = corpus[CNN]
    twice = bk.Brief(
        title="R",
        sections=[
            bk.section("A", bk.paragraph(bk.analysis("x")), id="same"),
            bk.section("B", bk.paragraph(bk.analysis("y")), id="same"),
            bk.section("C", bk.paragraph(bk.analysis("z")), id="9bad"),
        ],
        key_points=[
            bk.sentence("See ", bk.ref("same"), ".", cite=cnn.paraphrase("US has 50,000 troops"))
        ],
    )
    assert [p.code for p in twice.problems()] == ["duplicate-id", "bad-id"]


def test_a_reference_to_an_empty_table_of_differences_is_refused(corpus: bk.Corpus) -> None:
    cnn = corpus[CNN]
    brief = bk.Brief(
        title="R",
        sections=[
            bk.section(
                "A",
                bk.paragraph(
                    bk.sentence(
                        "See ", bk.ref("d"), ".", cite=cnn.paraphrase("US has 50,000 troops")
                    )
                ),
                bk.differences(id="d"),
            )
        ],
    )
    with pytest.raises(bk.ValidationError, match="not shown: the brief's figures"):
        bk.NotePlan.build(brief)


def test_the_manifest_records_what_each_reference_names(corpus: bk.Corpus) -> None:
    man = mf.build(bk.NotePlan.build(_brief(corpus, "troops", "detail")))
    assert [(p.text, p.ref) for p in man.sentences[0].parts if p.ref] == [
        ("Table 1", "table-1"),
        ("“Detail”", "sec-2-1"),
    ]
    assert mf.parse(mf.dumps(man)) == man
    assert manifest_problems(man, {}, set(), None) == []


@pytest.mark.parametrize(
    ("text", "ref"),
    [("Table 9", "table-1"), ("Table 1", "table-9"), ("“Costs”", "sec-2-1"), ("Table 2", None)],
)
def test_a_reference_edited_in_the_manifest_is_caught(
    corpus: bk.Corpus, text: str, ref: str | None
) -> None:
    man = mf.build(bk.NotePlan.build(_brief(corpus, "troops")))
    first = man.sentences[0]
    parts = list(first.parts)
    k = next(i for i, p in enumerate(parts) if p.ref)
    parts[k] = attrs.evolve(parts[k], text=text, ref=ref)
    edited = attrs.evolve(first, parts=tuple(parts), text="".join(p.text for p in parts))
    found = manifest_problems(
        attrs.evolve(man, sentences=(edited, *man.sentences[1:])), {}, set(), None
    )
    # a reference's words without the mark of one are the author's: 'Table 2' is then an
    # unsupported number
    want = ["unsupported-number"] if ref is None else ["ref-shown"]
    assert [p.code for p in found] == want


def test_a_manifest_ref_must_name_an_anchor(corpus: bk.Corpus) -> None:
    data = mf.build(bk.NotePlan.build(_brief(corpus, "troops"))).to_json()
    part = next(p for p in data["sentences"][0]["parts"] if "ref" in p)
    part["ref"] = "javascript:alert(1)"
    with pytest.raises(bk.ManifestError, match="ref must be a table, figure or section anchor"):
        mf.parse(data)


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_a_reference_verifies_in_every_format(
    corpus: bk.Corpus, seeds: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"r.{fmt}"
    bk.export(_brief(corpus, "troops", "costs"), out)
    assert bk.verify(out, sources=seeds).ok


def _rewrite_docx(path: Path, old: bytes, new: bytes) -> None:
    package = path.read_bytes()
    document = read_part(package, "word/document.xml")
    assert old in document
    edited = document.replace(old, new, 1)
    path.write_bytes(replace_parts(package, {"word/document.xml": edited}))


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_reference_edited_in_the_document_is_caught(
    corpus: bk.Corpus, seeds: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"r.{fmt}"
    bk.export(_brief(corpus, "troops"), out)
    if fmt == "docx":
        _rewrite_docx(out, b">Table 1<", b">Table 7<")
    else:  # the first is the one shown (the embedded manifest follows)
        text = out.read_text(encoding="utf-8")
        out.write_text(text.replace("See Table 1", "See Table 7", 1), encoding="utf-8")
    report = bk.verify(out, sources=seeds)
    assert not report.ok
    assert any("7" in p.message and p.sentence == "s1" for p in report.problems), report.problems


def test_a_reference_with_its_page_is_marked_for_the_formats_with_pages(
    corpus: bk.Corpus,
) -> None:
    """The plan and the manifest show the reference as every format does and mark that a
    format with pages adds the page; the page words are the language's."""
    brief = _brief(corpus, "troops")
    see = brief.sections[0].blocks[0].sentences[0]  # type: ignore[union-attr]
    paged = attrs.evolve(see, parts=("See ", bk.ref("troops", page=True), "."))
    brief = attrs.evolve(
        brief,
        sections=(
            attrs.evolve(
                brief.sections[0], blocks=(bk.paragraph(paged), *brief.sections[0].blocks[1:])
            ),
            *brief.sections[1:],
        ),
    )
    plan = bk.NotePlan.build(brief)
    seg = plan.sentences[0].segments[1]
    assert (seg.text, seg.ref, seg.page) == ("Table 1", "table-1", True)
    man = mf.build(plan)
    part = man.sentences[0].parts[1]
    assert (part.text, part.ref, part.page) == ("Table 1", "table-1", True)
    assert mf.parse(mf.dumps(man)).sentences[0].parts[1].page
    assert bk.plan.page_ref(plan.locale, "Table 1", "4") == "Table 1 on page 4"
    assert bk.plan.page_ref(bk.Locale.named("ja"), "表1", "4") == "4ページの表1"
    data = json.loads(mf.dumps(man))
    data["sentences"][0]["parts"][0]["page"] = True  # not a reference
    with pytest.raises(bk.ManifestError, match="only on a cross-reference"):
        mf.parse(json.dumps(data))
