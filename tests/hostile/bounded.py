"""Run hostile cases where they cannot hurt the test run: in a fresh Python process with a
memory cap and a time limit, so that a hang or a blow-up fails one test instead of the suite.

``run_bounded(code)`` runs ``code`` (Python source) and returns its exit status and output;
the child gets ``MAX_MEMORY`` bytes of address space and ``MAX_SECONDS`` seconds of CPU time
(the kernel stops it past them, so a busy machine does not fail a case), and a wall-clock limit
several times longer that catches what waits without working (a read that blocks forever). A
case passes when the child exits 0; the child prints what the test wants to compare.
"""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs

__all__ = ["MAX_MEMORY", "MAX_SECONDS", "WALL_FACTOR", "Outcome", "run_bounded"]

#: The address space a hostile case may use (1 GiB).
MAX_MEMORY = 1 << 30
#: The CPU time a hostile case may take: it tells linear work (a 6.5 MB brief loads in about
#: 5 s here, 8 s on a loaded two-core machine) from quadratic work, which takes hours.
MAX_SECONDS = 20.0
#: How many times its CPU allowance a case may wait in wall time before it counts as hung.
WALL_FACTOR = 6

_SRC = str(Path(__file__).resolve().parents[2] / "src")


@attrs.frozen
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def _limits(seconds: float) -> Callable[[], None]:
    cpu = max(1, math.ceil(seconds))

    def apply() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY, MAX_MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    return apply


def run_bounded(
    code: str, *, cwd: str | os.PathLike[str] | None = None, seconds: float = MAX_SECONDS
) -> Outcome:
    """Run ``code`` in a fresh interpreter under the memory cap and ``seconds`` of CPU time
    (``seconds`` times :data:`WALL_FACTOR` of wall time)."""
    env = {**os.environ, "PYTHONPATH": _SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds * WALL_FACTOR,
            preexec_fn=_limits(seconds),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return Outcome(-1, out, err, timed_out=True)
    return Outcome(done.returncode, done.stdout, done.stderr)
