"""The outcome of verifying a written brief: a :class:`Report` of every source, every citation
and every other problem found (as :class:`~briefkit.problems.Problem` values)."""

from __future__ import annotations

from typing import Literal

import attrs

from briefkit.problems import Problem

__all__ = ["CitationCheck", "Report", "SourceCheck", "Status"]

Status = Literal["ok", "moved", "changed", "missing"]

#: Largest manifest file read (bytes).
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


@attrs.frozen
class SourceCheck:
    id: str
    status: Literal["ok", "modified", "missing"]
    expected_sha256: str
    actual_sha256: str | None
    detail: str = ""


@attrs.frozen
class CitationCheck:
    status: Status
    sentence_id: str
    note: int | None
    kind: str
    source: str
    start: int
    end: int
    new_start: int | None = None
    new_end: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@attrs.frozen
class Report:
    """The outcome of a verification; ``ok`` only when every check passed."""

    path: str
    sources: tuple[SourceCheck, ...]
    citations: tuple[CitationCheck, ...]
    sentences: int
    analysis: int
    problems: tuple[Problem, ...] = ()
    strict: bool = False

    @property
    def ok(self) -> bool:
        return (
            not self.errors
            and all(s.status == "ok" for s in self.sources)
            and all(c.ok for c in self.citations)
        )

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that fail the verification: every error, and warnings too when the
        verification was strict."""
        return tuple(p for p in self.problems if self.strict or p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Warnings (numbers no cited span shows …) that do not fail a lenient verification."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def failures(self) -> tuple[CitationCheck, ...]:
        return tuple(c for c in self.citations if not c.ok)

    def summary(self) -> str:
        """One line: counts of sentences, citations, sources and failures."""
        bad = len(self.failures)
        if self.ok:
            state = "all resolved"
        elif bad:
            state = f"{bad} citation(s) failed"
        else:
            state = "every citation resolves"
        modified = [s.id for s in self.sources if s.status != "ok"]
        if modified:
            state += f"; source(s) not as recorded: {', '.join(modified)}"
        errors = self.errors
        if errors:
            state += f"; {len(errors)} other problem(s)"
        lenient = len(self.warnings) if not self.strict else 0
        if lenient:
            state += f"; {lenient} warning(s)"
        return (
            f"{self.path}: {self.sentences} sentences ({self.analysis} analysis), "
            f"{len(self.citations)} citations, {len(self.sources)} sources — {state}"
        )
