"""The small brief the hostile tests write and then damage, and its sources folder."""

from __future__ import annotations

from pathlib import Path

import briefkit as bk

__all__ = ["TEXT", "small_brief"]

#: The one source's text.
TEXT = "The alliance is strong. Costs rose by a third in 2016."


def small_brief(sources: Path) -> bk.Brief:
    """A dated one-sentence brief quoting ``a.txt``, which is written into ``sources``."""
    sources.mkdir(parents=True, exist_ok=True)
    (sources / "a.txt").write_text(TEXT, encoding="utf-8")
    src = bk.Source.from_text("a.txt", TEXT)
    return bk.Brief(
        title="T",
        date="2026-12-06",
        key_points=[bk.sentence(src.quote("The alliance is strong"), ".")],
    )
