"""Hostile conditions while writing files: killed and interrupted exports, stale temporary
files, permissions, symbolic links, full disks and other I/O errors, paths that are not files,
and the same bytes whatever the time zone, locale and hash seed. The contract is in
``briefkit._atomic``'s docstring."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

import briefkit as bk
from briefkit.errors import ExportError
from briefkit.plan import NotePlan
from briefs import SEEDS, alliance_brief
from hostile.bounded import MAX_MEMORY, run_bounded

TESTS = Path(__file__).resolve().parents[1]
SRC = TESTS.parent / "src"
FORMATS = ("docx", "pdf", "html", "md", "json")
TEXT = "The alliance is strong. Costs rose by a third in 2016."
#: seconds a child may take to start, import briefkit and reach the stalled write
STARTUP = 30.0

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and permissions")


def _brief(points: int = 1) -> bk.Brief:
    src = bk.Source.from_text("a.txt", TEXT)
    quote = src.quote("The alliance is strong")
    return bk.Brief(
        title="T", date="2026-12-06", key_points=[bk.sentence(quote, ".") for _ in range(points)]
    )


def _temp_name(target: str, pid: int) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target)}\.{pid}\.[0-9a-f]{{12}}\.tmp")


class _Exporter:
    """A Markdown exporter that runs ``hook(stream)`` after writing its bytes."""

    name = "hooked"
    suffixes = (".md",)
    media_type = "text/markdown"
    description = "Markdown, then a test's hook"

    def __init__(self, hook: Callable[[BinaryIO], None]) -> None:
        self.hook = hook

    def write(self, plan: NotePlan, stream: BinaryIO) -> None:
        stream.write(bk.render(plan, "md"))
        self.hook(stream)


def _export_with(target: Path, hook: Callable[[BinaryIO], None]) -> Path:
    return bk.export(_brief(), target, format=_Exporter(hook))


# -- killed and interrupted exports ------------------------------------------------------------

#: a child that exports a big brief through an exporter that stalls once its bytes are in the
#: temporary file, after creating the file ``ready``; ``prelude`` sets up its signals
_STALLING_CHILD = """
import os, signal, sys, time
import briefkit as bk
{prelude}
class Stalling:
    name = "stalling"
    suffixes = (".md",)
    media_type = "text/markdown"
    description = "stalls"
    def write(self, plan, stream):
        stream.write(bk.render(plan, "md"))
        stream.flush()
        with open({ready!r}, "w") as f:
            f.write(str(os.getpid()))
        time.sleep(120)
src = bk.Source.from_text("a.txt", {text!r})
q = src.quote("The alliance is strong")
brief = bk.Brief(title="Big", date="2026-12-06", key_points=[bk.sentence(q, ".")] * 400)
bk.export(brief, {out!r}, format=Stalling())
print("finished")
"""


def _limit() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY, MAX_MEMORY))


@contextlib.contextmanager
def _stalled_export(
    out: Path, ready: Path, prelude: str = "", *, written: Path | None = None
) -> Iterator[subprocess.Popen[str]]:
    """A child process stalled in the middle of exporting to ``out`` (its temporary file
    exists beside ``written``, the file written, and holds the brief's bytes)."""
    written = written or out
    code = _STALLING_CHILD.format(prelude=prelude, ready=str(ready), text=TEXT, out=str(out))
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_limit,
    )
    try:
        deadline = time.monotonic() + STARTUP
        while not (ready.exists() and ready.read_text()):
            if child.poll() is not None:
                _, err = child.communicate()
                pytest.fail(f"the child ended before stalling ({child.returncode}):\n{err}")
            if time.monotonic() > deadline:
                pytest.fail("the child did not reach the stalled write in time")
            time.sleep(0.02)
        temps = [n for n in os.listdir(written.parent) if n != written.name]
        assert len(temps) == 1, temps
        assert re.fullmatch(rf"\.{re.escape(written.name)}\..+\.tmp", temps[0]), temps
        assert (written.parent / temps[0]).stat().st_size > 10_000  # the big brief is being written
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)


@posix_only
class TestInterruptedExport:
    """A signal in the middle of a write removes the temporary file and leaves the old one."""

    @pytest.fixture
    def out(self, tmp_path: Path) -> Path:
        (tmp_path / "out").mkdir()
        target = tmp_path / "out" / "brief.md"
        target.write_bytes(b"earlier")
        return target

    def _assert_untouched(self, out: Path) -> None:
        assert os.listdir(out.parent) == [out.name]
        assert out.read_bytes() == b"earlier"

    def test_sigterm_cleans_up_and_ends_the_process_by_sigterm(
        self, out: Path, tmp_path: Path
    ) -> None:
        with _stalled_export(out, tmp_path / "ready") as child:
            child.send_signal(signal.SIGTERM)
            stdout, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGTERM
        assert "finished" not in stdout
        self._assert_untouched(out)

    def test_sighup_cleans_up_and_ends_the_process_by_sighup(
        self, out: Path, tmp_path: Path
    ) -> None:
        # a process started under nohup inherits SIGHUP ignored, and briefkit leaves an
        # ignored signal alone: the child gives it its default action, as a terminal's has
        default = "signal.signal(signal.SIGHUP, signal.SIG_DFL)"
        with _stalled_export(out, tmp_path / "ready", default) as child:
            child.send_signal(signal.SIGHUP)
            child.communicate(timeout=30)
        assert child.returncode == -signal.SIGHUP
        self._assert_untouched(out)

    def test_sigint_raises_keyboardinterrupt_which_cleans_up(
        self, out: Path, tmp_path: Path
    ) -> None:
        prelude = "signal.signal(signal.SIGINT, signal.default_int_handler)"
        with _stalled_export(out, tmp_path / "ready", prelude) as child:
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=30)
        assert "KeyboardInterrupt" in err
        # an uncaught KeyboardInterrupt ends Python by SIGINT
        assert child.returncode in (-signal.SIGINT, 1, 130)
        self._assert_untouched(out)

    def test_sigint_with_the_default_action_cleans_up(self, out: Path, tmp_path: Path) -> None:
        prelude = "signal.signal(signal.SIGINT, signal.SIG_DFL)"
        with _stalled_export(out, tmp_path / "ready", prelude) as child:
            child.send_signal(signal.SIGINT)
            child.communicate(timeout=30)
        assert child.returncode == -signal.SIGINT
        self._assert_untouched(out)

    def test_an_application_sigterm_handler_stays_in_charge(
        self, out: Path, tmp_path: Path
    ) -> None:
        prelude = "signal.signal(signal.SIGTERM, lambda *_: sys.exit(7))"
        with _stalled_export(out, tmp_path / "ready", prelude) as child:
            child.send_signal(signal.SIGTERM)
            child.communicate(timeout=30)
        assert child.returncode == 7
        self._assert_untouched(out)

    def test_handlers_are_installed_only_while_writing_and_restored(self, tmp_path: Path) -> None:
        before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
        during: dict[int, object] = {}
        old_term = signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:

            def look(stream: BinaryIO) -> None:
                during.update({s: signal.getsignal(s) for s in before})

            _export_with(tmp_path / "b.md", look)
            assert callable(during[signal.SIGTERM])  # a clean-up handler while writing
            assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        finally:
            signal.signal(signal.SIGTERM, old_term)
        assert during[signal.SIGINT] == before[signal.SIGINT]  # Python's handler is kept
        assert {s: signal.getsignal(s) for s in before} == before

    def test_a_failed_write_restores_the_handlers(self, tmp_path: Path) -> None:
        before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}

        def fail(stream: BinaryIO) -> None:
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            _export_with(tmp_path / "b.md", fail)
        assert {s: signal.getsignal(s) for s in before} == before
        assert os.listdir(tmp_path) == []

    def test_an_export_in_another_thread_works(self, tmp_path: Path) -> None:
        errors: list[BaseException] = []

        def run() -> None:
            try:
                bk.export(_brief(), tmp_path / "b.md")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        worker.join(60)
        assert errors == []
        assert os.listdir(tmp_path) == ["b.md"]


@posix_only
class TestStaleTemporaryFiles:
    """SIGKILL cannot be caught: the next write to the target removes what the dead process
    left, and nothing else."""

    def test_the_next_export_removes_what_a_killed_export_left(self, tmp_path: Path) -> None:
        (tmp_path / "out").mkdir()
        out = tmp_path / "out" / "brief.md"
        out.write_bytes(b"earlier")
        with _stalled_export(out, tmp_path / "ready") as child:
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        left = [n for n in os.listdir(out.parent) if n != "brief.md"]
        assert len(left) == 1 and _temp_name("brief.md", child.pid).fullmatch(left[0])
        assert out.read_bytes() == b"earlier"
        bk.export(_brief(), out)
        assert os.listdir(out.parent) == ["brief.md"]
        assert out.read_bytes() == bk.render(_brief(), "md")

    def test_a_killed_export_through_a_link_is_cleaned_up_in_the_targets_folder(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "real").mkdir()
        (tmp_path / "links").mkdir()
        link = tmp_path / "links" / "brief.md"
        link.symlink_to(tmp_path / "real" / "target.md")
        target = tmp_path / "real" / "target.md"
        with _stalled_export(link, tmp_path / "ready", written=target) as child:
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=30)
        assert len(os.listdir(tmp_path / "real")) == 1  # the stale temporary file
        bk.export(_brief(), link)
        assert os.listdir(tmp_path / "real") == ["target.md"]
        assert os.listdir(tmp_path / "links") == ["brief.md"] and link.is_symlink()

    def test_only_dead_writers_files_of_the_same_target_are_removed(self, tmp_path: Path) -> None:
        dead = int(
            subprocess.run(
                [sys.executable, "-c", "import os; print(os.getpid())"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        with pytest.raises(ProcessLookupError):
            os.kill(dead, 0)
        live = os.getpid()
        rnd = "0123456789ab"
        stale = f".brief.md.{dead}.{rnd}.tmp"
        kept_files = [
            f".brief.md.{live}.{rnd}.tmp",  # a live writer (this process)
            f".brief.md.1.{rnd}.tmp",  # a live writer (init)
            f".brief.md.0.{rnd}.tmp",  # pid 0 would signal the process group
            f".other.md.{dead}.{rnd}.tmp",  # another target's
            f".brief.md.x.{dead}.{rnd}.tmp",  # the target 'brief.md.x''s
            f".brief.md.{dead}.abc.tmp",  # not a name briefkit makes
            f".brief.md.{dead}.{rnd}.tmp.bak",
            f".brief.md.{dead}.{rnd.upper()}.tmp",
            ".brief.md.k2j4l5m6.tmp",  # an older briefkit's name: no pid, no guess
            f"brief.md.{dead}.{rnd}.tmp",
            "notes.txt",
        ]
        for name in [stale, *kept_files]:
            (tmp_path / name).write_bytes(b"x")
        (tmp_path / "elsewhere").write_bytes(b"y")
        (tmp_path / f".brief.md.{dead}.aaaaaaaaaaaa.tmp").symlink_to(tmp_path / "elsewhere")
        (tmp_path / f".brief.md.{dead}.bbbbbbbbbbbb.tmp").mkdir()
        bk.export(_brief(), tmp_path / "brief.md")
        assert sorted(os.listdir(tmp_path)) == sorted(
            [
                *kept_files,
                "brief.md",
                "elsewhere",
                f".brief.md.{dead}.aaaaaaaaaaaa.tmp",
                f".brief.md.{dead}.bbbbbbbbbbbb.tmp",
            ]
        )
        assert (tmp_path / "elsewhere").read_bytes() == b"y"

    def test_the_temporary_file_names_the_writer_and_sits_beside_the_target(
        self, tmp_path: Path
    ) -> None:
        seen: list[str] = []
        _export_with(tmp_path / "b.md", lambda _: seen.extend(os.listdir(tmp_path)))
        assert len(seen) == 1 and _temp_name("b.md", os.getpid()).fullmatch(seen[0])
        assert os.listdir(tmp_path) == ["b.md"]

    def test_a_file_name_too_long_for_a_suffix_can_still_be_written(self, tmp_path: Path) -> None:
        name = "b" * 240 + ".md"
        bk.export(_brief(), tmp_path / name)
        assert os.listdir(tmp_path) == [name]


# -- permissions ------------------------------------------------------------------------------


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
class TestPermissions:
    @pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o700, 0o755, 0o604])
    def test_replacing_a_file_keeps_its_permission_bits(self, tmp_path: Path, mode: int) -> None:
        target = tmp_path / "b.md"
        target.write_bytes(b"earlier")
        target.chmod(mode)
        with _umask(0o022):
            bk.export(_brief(), target)
        assert _mode(target) == mode
        assert target.read_bytes() == bk.render(_brief(), "md")

    def test_special_bits_are_not_carried_over(self, tmp_path: Path) -> None:
        target = tmp_path / "b.md"
        target.write_bytes(b"earlier")
        target.chmod(0o4755)
        bk.export(_brief(), target)
        assert _mode(target) == 0o755

    @pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
    def test_a_new_file_follows_the_umask(self, tmp_path: Path, mask: int, mode: int) -> None:
        with _umask(mask):
            bk.export(_brief(), tmp_path / "b.md")
            assert os.umask(mask) == mask  # the umask is left as it was
        assert _mode(tmp_path / "b.md") == mode

    def test_the_temporary_file_is_never_wider_than_the_file(self, tmp_path: Path) -> None:
        target = tmp_path / "b.md"
        target.write_bytes(b"earlier")
        target.chmod(0o600)
        modes: list[int] = []

        def look(stream: BinaryIO) -> None:
            (temp,) = (p for p in tmp_path.iterdir() if p.name != "b.md")
            modes.append(_mode(temp))

        with _umask(0o022):
            _export_with(target, look)
        assert modes == [0o600]
        assert _mode(target) == 0o600

    def test_a_links_target_keeps_its_permission_bits(self, tmp_path: Path) -> None:
        target = tmp_path / "t.md"
        target.write_bytes(b"earlier")
        target.chmod(0o600)
        (tmp_path / "link.md").symlink_to(target)
        with _umask(0o022):
            bk.export(_brief(), tmp_path / "link.md")
        assert _mode(target) == 0o600  # not the link's own lrwxrwxrwx, nor the umask's
        assert target.read_bytes() == bk.render(_brief(), "md")
        assert (tmp_path / "link.md").is_symlink()


# -- symbolic links ---------------------------------------------------------------------------


@posix_only
class TestSymlinks:
    def test_writing_through_a_link_keeps_the_link(self, tmp_path: Path) -> None:
        (tmp_path / "real").mkdir()
        target = tmp_path / "real" / "t.md"
        target.write_bytes(b"earlier")
        link = tmp_path / "b.md"
        link.symlink_to(target)
        assert bk.export(_brief(), link) == link
        assert link.is_symlink() and link.resolve() == target
        assert target.read_bytes() == bk.render(_brief(), "md")
        assert sorted(os.listdir(tmp_path)) == ["b.md", "real"]
        assert os.listdir(tmp_path / "real") == ["t.md"]

    def test_a_chain_of_relative_links_is_followed_to_the_end(self, tmp_path: Path) -> None:
        for d in ("a", "b", "c"):
            (tmp_path / d).mkdir()
        (tmp_path / "c" / "t.md").write_bytes(b"earlier")
        (tmp_path / "b" / "mid.md").symlink_to(Path("..") / "c" / "t.md")
        (tmp_path / "a" / "b.md").symlink_to(Path("..") / "b" / "mid.md")
        bk.export(_brief(), tmp_path / "a" / "b.md")
        assert (tmp_path / "c" / "t.md").read_bytes() == bk.render(_brief(), "md")
        assert (tmp_path / "a" / "b.md").is_symlink() and (tmp_path / "b" / "mid.md").is_symlink()
        assert [os.listdir(tmp_path / d) for d in ("a", "b", "c")] == [
            ["b.md"],
            ["mid.md"],
            ["t.md"],
        ]

    def test_a_dangling_link_whose_folder_exists_is_written_through(self, tmp_path: Path) -> None:
        (tmp_path / "real").mkdir()
        link = tmp_path / "b.md"
        link.symlink_to(tmp_path / "real" / "new.md")
        bk.export(_brief(), link)
        assert link.is_symlink()
        assert (tmp_path / "real" / "new.md").read_bytes() == bk.render(_brief(), "md")

    def test_a_dangling_link_whose_folder_is_missing_names_both(self, tmp_path: Path) -> None:
        link = tmp_path / "b.md"
        link.symlink_to(tmp_path / "gone" / "new.md")
        with pytest.raises(ExportError) as info:
            bk.export(_brief(), link)
        assert str(link) in str(info.value) and str(tmp_path / "gone" / "new.md") in str(info.value)
        assert "does not exist" in str(info.value)
        assert os.listdir(tmp_path) == ["b.md"] and link.is_symlink()

    def test_a_link_loop_is_an_export_error(self, tmp_path: Path) -> None:
        (tmp_path / "x.md").symlink_to(tmp_path / "y.md")
        (tmp_path / "y.md").symlink_to(tmp_path / "x.md")
        with pytest.raises(ExportError, match=r"x\.md.*symbolic links"):
            bk.export(_brief(), tmp_path / "x.md")
        assert sorted(os.listdir(tmp_path)) == ["x.md", "y.md"]

    def test_a_link_to_a_folder_is_an_export_error(self, tmp_path: Path) -> None:
        (tmp_path / "d").mkdir()
        (tmp_path / "b.md").symlink_to(tmp_path / "d")
        with pytest.raises(ExportError, match=r"b\.md.*is a folder"):
            bk.export(_brief(), tmp_path / "b.md")
        assert os.listdir(tmp_path / "d") == []


# -- full disks and other I/O errors ----------------------------------------------------------


_ERRORS = [
    (errno.ENOSPC, "No space left on device"),
    (errno.EDQUOT, "Disk quota exceeded"),
    (errno.EIO, "Input/output error"),
    (errno.EROFS, "Read-only file system"),
]


class TestIOErrors:
    """Any OSError while writing is an ExportError naming the file and the reason; the old
    file stays and no temporary file is left."""

    @pytest.fixture
    def target(self, tmp_path: Path) -> Path:
        target = tmp_path / "b.md"
        target.write_bytes(b"earlier")
        return target

    def _assert_untouched(self, target: Path) -> None:
        assert os.listdir(target.parent) == [target.name]
        assert target.read_bytes() == b"earlier"

    @pytest.mark.parametrize(("code", "reason"), _ERRORS)
    def test_a_failing_write(self, target: Path, code: int, reason: str) -> None:
        def fail(stream: BinaryIO) -> None:
            raise OSError(code, reason)

        with pytest.raises(ExportError, match=rf"cannot write '.*b\.md': {reason}") as info:
            _export_with(target, fail)
        assert isinstance(info.value.__cause__, OSError)
        assert info.value.__cause__.errno == code
        self._assert_untouched(target)

    @pytest.mark.parametrize(("code", "reason"), _ERRORS)
    def test_a_failing_fsync(
        self, target: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
    ) -> None:
        def fsync(fd: int) -> None:
            raise OSError(code, reason)

        monkeypatch.setattr(os, "fsync", fsync)
        with pytest.raises(ExportError, match=rf"b\.md.*{reason}"):
            bk.export(_brief(), target)
        self._assert_untouched(target)

    def test_a_failing_rename(self, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def replace(src: object, dst: object) -> None:
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(ExportError, match=r"b\.md.*Read-only file system"):
            bk.export(_brief(), target)
        self._assert_untouched(target)

    def test_no_temporary_file_can_be_created(
        self, target: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_open = os.open

        def fake_open(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
            if os.fspath(path).endswith(".tmp"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_open(path, flags, mode)

        monkeypatch.setattr(os, "open", fake_open)
        with pytest.raises(ExportError, match=r"b\.md.*No space left on device"):
            bk.export(_brief(), target)
        self._assert_untouched(target)

    def test_a_real_write_past_the_file_size_limit(self, tmp_path: Path) -> None:
        code = f"""
import resource
import briefkit as bk
src = bk.Source.from_text("a.txt", {TEXT!r})
q = src.quote("The alliance is strong")
brief = bk.Brief(title="Big", date="2026-12-06", key_points=[bk.sentence(q, ".")] * 400)
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
try:
    bk.export(brief, "b.md")
except bk.ExportError as exc:
    print("ExportError:", exc)
"""
        (tmp_path / "b.md").write_bytes(b"earlier")
        done = run_bounded(code, cwd=tmp_path, seconds=60)
        assert done.ok, done.stderr
        assert done.stdout.strip() == "ExportError: cannot write 'b.md': File too large"
        self._assert_untouched(tmp_path / "b.md")

    def test_other_exceptions_pass_through_unchanged(self, target: Path) -> None:
        def fail(stream: BinaryIO) -> None:
            raise ValueError("not an I/O error")

        with pytest.raises(ValueError, match="not an I/O error"):
            _export_with(target, fail)
        self._assert_untouched(target)

    def test_an_exporters_own_error_passes_through_unchanged(self, target: Path) -> None:
        def fail(stream: BinaryIO) -> None:
            raise ExportError("the exporter's own words")

        with pytest.raises(ExportError, match="^the exporter's own words$"):
            _export_with(target, fail)
        self._assert_untouched(target)


# -- paths that are not files -----------------------------------------------------------------

_BAD_TARGET = """
import os, socket
import briefkit as bk
src = bk.Source.from_text("a.txt", {text!r})
brief = bk.Brief(title="T", key_points=[bk.sentence(src.quote("The alliance is strong"), ".")])
{setup}
try:
    bk.export(brief, {target!r}, format="md")
except bk.ExportError as exc:
    print("ExportError:", exc)
else:
    print("written")
"""

_BAD_TARGETS = {
    "folder-is-a-file": ("open('f', 'w').close()", "f/b.md", r"'f' is a file, not a folder"),
    "folder-below-a-file": ("open('f', 'w').close()", "f/g/b.md", r"'f/g' is a file"),
    "fifo": ("os.mkfifo('b.md')", "b.md", r"'b\.md': it is a FIFO \(named pipe\)"),
    "link-to-a-fifo": (
        "os.mkfifo('p'); os.symlink('p', 'b.md')",
        "b.md",
        r"'p' \(through the symbolic link 'b\.md'\): it is a FIFO",
    ),
    "folder": ("os.mkdir('b.md')", "b.md", r"'b\.md': it is a folder"),
    "socket": (
        "s = socket.socket(socket.AF_UNIX); s.bind('b.md')",
        "b.md",
        r"'b\.md': it is a socket",
    ),
    "missing-folder": ("", "nope/b.md", r"folder 'nope' does not exist"),
}


@posix_only
@pytest.mark.parametrize("case", sorted(_BAD_TARGETS))
def test_a_path_that_cannot_be_a_file(tmp_path: Path, case: str) -> None:
    setup, target, message = _BAD_TARGETS[case]
    before_code = f"import os, socket\n{setup}\nprint(sorted(os.listdir('.')))"
    code = _BAD_TARGET.format(text=TEXT, setup=setup, target=target)
    done = run_bounded(code, cwd=tmp_path, seconds=30)
    assert done.ok, done.stderr
    assert done.stdout.startswith("ExportError: cannot write "), done.stdout
    assert re.search(message, done.stdout), done.stdout
    # nothing was created or replaced: the folder looks as the set-up left it
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    expected = run_bounded(before_code, cwd=fresh)
    assert expected.ok, expected.stderr
    assert str(sorted(n for n in os.listdir(tmp_path) if n != "fresh")) == expected.stdout.strip()
    if case == "fifo":
        assert stat.S_ISFIFO(os.lstat(tmp_path / "b.md").st_mode)


# -- the same bytes whatever the environment --------------------------------------------------


def _locale_exists(name: str) -> bool:
    code = f"import locale; locale.setlocale(locale.LC_ALL, {name!r})"
    return subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


_GERMAN = "de_DE.UTF-8" if _locale_exists("de_DE.UTF-8") else "C.UTF-8"

#: environments that must not change a dated brief's bytes
_ENVIRONMENTS: dict[str, dict[str, str | None]] = {
    "utc-c-seed0": {"TZ": "UTC", "LC_ALL": "C", "LANG": "C", "PYTHONHASHSEED": "0"},
    "kiritimati-utf8-seed1": {
        "TZ": "Pacific/Kiritimati",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "1",
    },
    "los-angeles-german-seed4242": {
        "TZ": "America/Los_Angeles",
        "LC_ALL": _GERMAN,
        "LANG": _GERMAN,
        "PYTHONHASHSEED": "4242",
    },
    "posix-tz-lang-only-random-seed": {
        "TZ": "<+14>-14",
        "LC_ALL": None,
        "LANG": "C",
        "PYTHONHASHSEED": "random",
    },
    "los-angeles-utf8-mode": {
        "TZ": "America/Los_Angeles",
        "LC_ALL": "POSIX",
        "PYTHONUTF8": "1",
        "PYTHONHASHSEED": "99",
    },
}

_DIGESTS = """
import hashlib, json, locale, sys
sys.path.insert(0, {tests!r})
locale.setlocale(locale.LC_ALL, "")   # as an application that honours the locale would
import briefkit as bk
from briefs import SEEDS, alliance_brief
src = bk.Source.from_text("a.txt", {text!r})
small = bk.Brief(title="T", date="2026-12-06",
                 key_points=[bk.sentence(src.quote("The alliance is strong"), ".")])
briefs = {{"small": small, "alliance": alliance_brief(bk.Corpus.from_dir(SEEDS))}}
out = {{}}
for name, brief in briefs.items():
    for fmt in {formats!r}:
        path = bk.export(brief, f"{{name}}.{{fmt}}")
        out[f"{{name}}.{{fmt}}"] = hashlib.sha256(path.read_bytes()).hexdigest()
print(json.dumps(out, sort_keys=True))
"""


def _digests_here() -> dict[str, str]:
    briefs = {"small": _brief(), "alliance": alliance_brief(bk.Corpus.from_dir(SEEDS))}
    return {
        f"{name}.{fmt}": hashlib.sha256(bk.render(brief, fmt)).hexdigest()
        for name, brief in briefs.items()
        for fmt in FORMATS
    }


@pytest.fixture(scope="module")
def digests_here() -> dict[str, str]:
    return _digests_here()


@pytest.mark.parametrize("env", sorted(_ENVIRONMENTS))
def test_a_dated_brief_has_the_same_bytes_in_every_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, digests_here: dict[str, str], env: str
) -> None:
    for name, value in _ENVIRONMENTS[env].items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    code = _DIGESTS.format(tests=str(TESTS), text=TEXT, formats=FORMATS)
    done = run_bounded(code, cwd=tmp_path, seconds=120)
    assert done.ok, done.stderr
    assert json.loads(done.stdout) == digests_here


class TestSourceDateEpoch:
    def test_a_dated_brief_ignores_it(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
        reference = bk.render(_brief(), "docx")
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        assert bk.render(_brief(), "docx") == reference

    @pytest.mark.parametrize("value", ["1700000000", " 1700000000 ", "0"])
    def test_a_valid_value_dates_an_undated_brief(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        undated = bk.Brief(title="T", key_points=_brief().key_points)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        first = bk.render(undated, "pdf")
        assert bk.render(undated, "pdf") == first

    @pytest.mark.parametrize(
        "value",
        ["²", "١٧٠٠٠٠٠٠٠٠", "99999999999999", "9" * 5000, "-1", "1e9", "12:00"],
        ids=[
            "superscript",
            "arabic-indic",
            "year-3170843",
            "5000-digits",
            "negative",
            "float",
            "time",
        ],
    )
    def test_a_malformed_value_is_an_export_error(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        undated = bk.Brief(title="T", key_points=_brief().key_points)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH"):
            bk.render(undated, "docx")

    # reportlab reads SOURCE_DATE_EPOCH itself when the PDF writer creates its canvas and
    # seeds the document /ID with it; the writer seeds the /ID from the document instead
    def test_a_dated_pdf_ignores_it(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        reference = bk.render(_brief(), "pdf")
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        assert bk.render(_brief(), "pdf") == reference

    def test_the_pdf_id_follows_the_content(self) -> None:
        import io

        import pypdf

        def file_id(brief: bk.Brief) -> object:
            return pypdf.PdfReader(io.BytesIO(bk.render(brief, "pdf"))).trailer["/ID"]

        one, two = _brief(1), _brief(2)
        assert file_id(one) == file_id(_brief(1))
        assert file_id(one) != file_id(two)

    def test_a_malformed_value_is_an_error_for_a_dated_pdf_too(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # reportlab reads the variable itself (for the /ID) and would raise a ValueError
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1e9")
        with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH='1e9'"):
            bk.render(_brief(), "pdf")
        assert bk.render(_brief(), "docx")  # other formats of a dated brief do not read it


def test_a_year_before_1000_keeps_four_digits() -> None:
    import io
    import zipfile

    src = bk.Source.from_text("a.txt", "The alliance is strong.")
    brief = bk.Brief(
        title="T",
        date="0005-01-01",
        key_points=[bk.sentence(src.quote("The alliance is strong"), ".")],
    )
    assert b"/CreationDate (D:00050101000000+00'00')" in bk.render(brief, "pdf")
    core = zipfile.ZipFile(io.BytesIO(bk.render(brief, "docx"))).read("docProps/core.xml")
    assert b">0005-01-01T00:00:00Z<" in core


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root to own a link as another user",
)
def test_a_link_planted_in_a_shared_folder_is_not_followed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # world-writable and sticky, like /tmp
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    planted = shared / "brief.md"
    planted.symlink_to(victim)
    os.lchown(planted, 65534, 65534)  # the link belongs to another user
    with pytest.raises(ExportError, match="symbolic link in a shared folder"):
        bk.export(_brief(), planted)
    assert victim.read_text(encoding="utf-8") == "keep me"
    own = shared / "mine.md"
    own.symlink_to(tmp_path / "target.md")  # a link of one's own is followed
    bk.export(_brief(), own)
    assert own.is_symlink() and (tmp_path / "target.md").read_bytes().startswith(b"# ")
