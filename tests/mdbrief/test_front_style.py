"""Front matter for how a brief reads: lang, style, bibliography, smart_quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefkit as bk
from briefkit import mdbrief

HEAD = """---
title: T
sources:
  root: {root}
  cnn: 000_28b258b49d188a62.txt
{extra}---

- Carter said "never been stronger" about it. [@cnn "Our alliance with Japan has never been stronger"]
"""


def _load(tmp_path: Path, seeds: Path, extra: str) -> mdbrief.MarkdownBrief:
    path = tmp_path / "b.md"
    path.write_text(HEAD.format(root=seeds, extra=extra), encoding="utf-8")
    return mdbrief.load(path)


def test_defaults(tmp_path: Path, seeds: Path) -> None:
    brief = _load(tmp_path, seeds, "").brief
    assert (brief.lang, brief.style, brief.bibliography, brief.smart_quotes) == (
        None,
        None,
        True,
        True,
    )
    assert not brief.sources_appendix
    plan = bk.NotePlan.build(brief)
    assert plan.sentences[0].text == "Carter said “never been stronger” about it."


def test_language_style_and_switches(tmp_path: Path, seeds: Path) -> None:
    extra = (
        "lang: de\nstyle: apa\nbibliography: false\nsmart_quotes: false\nsources_appendix: true\n"
    )
    brief = _load(tmp_path, seeds, extra).brief
    assert (brief.lang, brief.style) == ("de-DE", "apa")
    plan = bk.NotePlan.build(brief)
    assert plan.style.name == "apa" and plan.locale.tag == "de-DE"
    assert plan.sentences[0].text == 'Carter said "never been stronger" about it.'
    kinds = [type(b).__name__ for b in plan.blocks]
    assert "BibliographyBlock" not in kinds and kinds[-1] == "SourcesBlock"
    assert plan.labels["key_points"] == "Kernaussagen"
    # and back: the writer keeps what is not the default
    again = mdbrief.loads(mdbrief.dumps(brief, sources=str(seeds)), base=tmp_path).brief
    assert (again.lang, again.style, again.bibliography, again.smart_quotes) == (
        "de-DE",
        "apa",
        False,
        False,
    )
    assert again.sources_appendix


def test_a_style_file_beside_the_brief(tmp_path: Path, seeds: Path) -> None:
    csl = Path(bk.__file__).parent / "styles" / "briefkit-notes.csl"
    (tmp_path / "house.csl").write_bytes(csl.read_bytes())
    brief = _load(tmp_path, seeds, "style: house.csl\n").brief
    assert brief.style == str(tmp_path / "house.csl")
    assert bk.NotePlan.build(brief).style.name == "file:house.csl"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("lang: klingon\n", "lang: "),
        ("bibliography: maybe\n", "bibliography: must be true or false"),
        ("smart_quotes: 1\n", "smart_quotes: must be true or false"),
    ],
)
def test_bad_values_are_reported_where_they_are(
    tmp_path: Path, seeds: Path, extra: str, message: str
) -> None:
    with pytest.raises(bk.BriefSyntaxError, match=message):
        _load(tmp_path, seeds, extra)
