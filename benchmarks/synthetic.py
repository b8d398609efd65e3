"""A synthetic brief of N sentences, one footnote each, for benchmarks.

Realistic lengths (15–40 words a sentence), a few sections with subsections, some non-ASCII
(accents, CJK, an emoji) and a mix of quotes, paraphrases and figures over a handful of sources.
Deterministic: the same N gives the same brief.
"""

from __future__ import annotations

import random

import briefkit as bk

WORDS = [
    "alliance",
    "security",
    "treaty",
    "forces",
    "Japan",
    "Tokyo",
    "Washington",
    "defense",
    "minister",
    "cooperation",
    "regional",
    "deterrence",
    "missile",
    "budget",
    "host",
    "nation",
    "support",
    "bases",
    "Okinawa",
    "training",
    "exercise",
    "policy",
    "statement",
    "government",
    "officials",
    "analysts",
    "report",
    "région",
    "coopération",
    "日本",
    "同盟",
    "naïve",
    "façade",
    "😀",
    "capability",
    "readiness",
    "posture",
    "agreement",
    "costs",
    "troops",
    "stationed",
]


def _source(k: int, rng: random.Random, paragraphs: int) -> bk.Source:
    lines = []
    for p in range(paragraphs):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        words.insert(rng.randrange(len(words)), f"{rng.randint(1, 99)},{rng.randint(100, 999)}")
        lines.append(f"Paragraph {p}: " + " ".join(words) + ".")
    return bk.Source.from_text(f"src-{k:03d}.txt", "\r\n\r\n".join(lines) + "\r\n")


def _excerpt(src: bk.Source, rng: random.Random, n: int) -> bk.Excerpt:
    text = src.text
    start = rng.randrange(0, len(text) - 200)
    start = text.index(" ", start) + 1
    end = text.index(" ", start + rng.randint(30, 150))
    kind = n % 3
    if kind == 0:
        return bk.Quote(src, start, end)
    if kind == 1:
        return bk.Paraphrase(src, start, end)
    digits = text.find(",", start, end)
    if digits > 0 and text[digits - 1].isdigit() and text[digits + 1].isdigit():
        lo = digits - 1
        while lo > start and text[lo - 1].isdigit():
            lo -= 1
        return bk.Figure(src, start, end, value=text[lo : digits + 4])
    return bk.Paraphrase(src, start, end)


def make_brief(n: int, *, seed: int = 7, sources: int = 20) -> bk.Brief:
    """A brief of ``n`` cited sentences (plus key points), deterministic for a given ``n``."""
    rng = random.Random(seed)
    pool = [_source(k, rng, paragraphs=max(20, n // sources // 2)) for k in range(sources)]
    sentences: list[bk.Sentence] = []
    for i in range(n):
        ex = _excerpt(pool[i % sources], rng, i)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40)))
        if isinstance(ex, bk.Quote) and len(ex.text) < 120:
            sentences.append(bk.sentence(f"{words.capitalize()}: ", ex, "."))
        else:
            sentences.append(bk.sentence(f"{words.capitalize()}.", cite=ex))
    sections = []
    per_section = max(1, n // 10)
    for s in range(0, n, per_section):
        chunk = sentences[s : s + per_section]
        paragraphs = [bk.paragraph(*chunk[j : j + 5]) for j in range(0, len(chunk), 5)]
        half = len(paragraphs) // 2 or 1
        sections.append(
            bk.section(
                f"Section {s // per_section + 1}",
                *paragraphs[:half],
                bk.section("Details", *paragraphs[half:]),
            )
            if paragraphs[half:]
            else bk.section(f"Section {s // per_section + 1}", *paragraphs)
        )
    return bk.Brief(
        title=f"Synthetic brief of {n} sentences",
        author="benchmark",
        date="2026-01-01",
        key_points=sentences[:3],
        sections=sections,
    )
