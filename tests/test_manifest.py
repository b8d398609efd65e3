from __future__ import annotations

import json

import pytest

import briefkit as bk
from briefkit import ManifestError, manifest


def _brief(corpus: bk.Corpus) -> bk.Brief:
    cnn = corpus["000_28b258b49d188a62.txt"]
    q = cnn.quote("Our alliance with Japan has never been stronger", speaker="Ash Carter")
    f = cnn.figure("$1.6 billion", within="pays $1.6 billion of the costs")
    p = cnn.paraphrase("Pentagon officials are confident")
    return bk.Brief(
        title="T",
        author="A",
        date="2026-11-21",
        key_points=[bk.sentence(q, "."), bk.sentence("Japan pays ", f, ".", cite=p)],
        sections=[bk.section("S", bk.paragraph(bk.analysis("Mine.")))],
    )


def test_manifest_has_the_public_fields(corpus: bk.Corpus) -> None:
    data = json.loads(bk.render(_brief(corpus), "json"))
    assert data["schema"] == "briefkit.provenance" and data["version"] == 5
    sha = data["brief"].pop("style_sha256")
    assert sha == bk.CslStyle().record()["style_sha256"] and len(sha) == 64
    assert data["brief"] == {
        "title": "T",
        "subtitle": None,
        "author": "A",
        "date": "2026-11-21",
        "sources_appendix": False,
        "bibliography": True,
        "smart_quotes": True,
        "citation_style": "briefkit-notes",
        "style_class": "note",
        "locale": "en-US",
        "ibid": False,
        "show_spans": False,
        "contents": False,
    }
    assert data["bibliography"] == [
        {
            "source": "000_28b258b49d188a62.txt",
            "text": "“Carter looks to shore-up US-Japan military alliance.” CNN, December 5, 2016.",
        }
    ]
    (src,) = data["sources"]
    assert set(src) >= {"id", "sha256", "size", "bom", "meta"}
    assert src["meta"]["container-title"] == "CNN"
    s1, s2, s3 = data["sentences"]
    assert set(s1) >= {"id", "note", "text", "section", "analysis", "citations"}
    c = s1["citations"][0]
    assert set(c) >= {
        "kind", "source", "start", "end", "byte_start", "byte_end", "line_start", "line_end",
        "exact", "prefix", "suffix",
    }  # fmt: skip
    assert c["kind"] == "quote" and c["speaker"] == "Ash Carter"
    assert c["locator"] == {"label": "line", "first": str(c["line_start"]), "last": None}
    assert [x["kind"] for x in s2["citations"]] == ["figure", "paraphrase"]
    assert s2["citations"][0]["value"] == "$1.6 billion"
    assert s3["analysis"] is True and s3["note"] is None and s3["citations"] == []
    assert s3["section"] == ["S"]


def test_round_trip_is_exact(corpus: bk.Corpus) -> None:
    raw = bk.render(_brief(corpus), "json")
    parsed = manifest.parse(raw)
    assert manifest.dumps(parsed) == raw
    assert manifest.parse(manifest.dumps(parsed)) == parsed


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(schema="other"), "schema is 'other'"),
        (lambda d: d.update(version=1), "version 1 is not supported"),
        (lambda d: d["sentences"][0]["citations"][0].update(start="x"), r"\$\.sentences\[0\]\.citations\[0\]\.start must be"),
        (lambda d: d["sentences"][0]["citations"][0].update(kind="rumour"), "kind 'rumour'"),
        (lambda d: d["sources"][0].pop("sha256"), r"\$\.sources\[0\]\.sha256 is missing"),
        (lambda d: d["sentences"][0].update(analysis="no"), "must be true or false"),
    ],
)  # fmt: skip
def test_parse_names_the_bad_field(corpus: bk.Corpus, mutate, message) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(bk.render(_brief(corpus), "json"))
    mutate(data)
    with pytest.raises(ManifestError, match=message):
        manifest.parse(json.dumps(data))


def test_parse_refuses_non_json() -> None:
    with pytest.raises(ManifestError, match="not valid JSON"):
        manifest.parse(b"\xff{")
