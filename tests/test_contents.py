"""The table of contents in the plan, the manifest and the outline every checker reads."""

from __future__ import annotations

import json

import briefkit as bk
from briefkit import manifest as mf
from briefkit.formats.checking import outline
from briefkit.plan import ContentsBlock, ContentsEntry


def _brief(contents: bool, lang: str | None = None) -> bk.Brief:
    return bk.Brief(
        title="T",
        lang=lang,
        contents=contents,
        key_points=[bk.analysis("A point.")],
        sections=[
            bk.section(
                "One",
                bk.paragraph(bk.analysis("x")),
                bk.section("Sub", bk.paragraph(bk.analysis("y"))),
            ),
            bk.section("Two", bk.paragraph(bk.analysis("z"))),
        ],
        sources_appendix=True,
    )


def test_the_contents_list_every_heading_after_the_title_block() -> None:
    plan = bk.NotePlan.build(_brief(True))
    contents = plan.blocks[1]
    assert isinstance(contents, ContentsBlock)
    assert contents.label == "Contents"
    assert contents.entries == (
        ContentsEntry(1, "Key points", "key-points"),
        ContentsEntry(1, "One", "sec-1"),
        ContentsEntry(2, "Sub", "sec-1-1"),
        ContentsEntry(1, "Two", "sec-2"),
    )
    assert not any(isinstance(b, ContentsBlock) for b in bk.NotePlan.build(_brief(False)).blocks)
    assert bk.NotePlan.build(_brief(True, "de-DE")).blocks[1].label == "Inhalt"  # type: ignore[union-attr]


def test_the_manifest_records_the_contents_and_the_outline_shows_them() -> None:
    man = mf.build(bk.NotePlan.build(_brief(True)))
    assert json.loads(mf.dumps(man))["brief"]["contents"] is True
    assert mf.parse(mf.dumps(man)) == man
    pieces = [(p.kind, p.level, p.text) for p in outline(man)]
    assert pieces[:6] == [
        ("title", 0, "T"),
        ("contents", 0, "Contents"),
        ("contents", 1, "Key points"),
        ("contents", 1, "One"),
        ("contents", 2, "Sub"),
        ("contents", 1, "Two"),
    ]
    plain = mf.build(bk.NotePlan.build(_brief(False)))
    assert not [p for p in outline(plain) if p.kind == "contents"]
