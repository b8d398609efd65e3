"""Atomic file writes: a temporary file in the target's folder, fsync, then ``os.replace``.

:func:`atomic_write` is the one way briefkit writes a file. Its contract:

**All or nothing.** The ``with`` block writes to a temporary file; only when the block ends
normally is that file flushed, fsynced and renamed over the target in one step (and the folder
fsynced where the system allows). Any failure — an exception in the block, an interrupt, an
I/O error — leaves an earlier file at the path byte for byte untouched and removes the
temporary file.

**Errors.** Every problem is an :class:`~briefkit.errors.ExportError` whose message names the
file and the reason: a missing folder, a "folder" that is a file, a path that is a folder, a
FIFO, a device or a socket (these are refused before anything is opened, so a FIFO never
hangs an export), a symbolic link loop, and any :class:`OSError` while creating, writing,
flushing, syncing or renaming (``ENOSPC``, ``EDQUOT``, ``EIO``, ``EROFS``, ``EFBIG`` …:
``cannot write 'out/brief.pdf': No space left on device``); the ``OSError`` is the
``__cause__``. Any other exception raised in the block (a :class:`~briefkit.errors.BriefkitError`,
``KeyboardInterrupt`` …) propagates unchanged once the temporary file is removed.

**Symbolic links.** A link at the path (or a chain of links) is followed to its final target:
that file is replaced and the link is kept, and the temporary file goes in the target's folder.
A dangling link is written through when the target's folder exists; otherwise the
``ExportError`` names both the link and the target.

**Permissions.** Replacing an existing file keeps its permission bits (a ``chmod 600`` file
stays ``600``; the set-user-id, set-group-id and sticky bits are dropped). A new file gets
``0o666`` less the umask, as :func:`open` would give it (the kernel applies the umask and any
default ACL; the process umask is never changed). The temporary file is created with those
final permissions, so it is never readable by more users than the file it becomes. The file
belongs to the writing process's user.

**Temporary files** are named ``.NAME.PID.RANDOM.tmp`` — NAME the target's file name (a very
long name is shortened to a prefix and a digest), PID the writing process's id, RANDOM twelve
hex digits — and created exclusively (``O_EXCL``) in the target's folder.

**Signals.** While a write is in progress in the main thread, SIGTERM, SIGHUP and SIGINT whose
disposition is the default action (``SIG_DFL``: the process would die with no clean-up) get a
handler that stops the write, removes the temporary file, restores the previous disposition
and then ends the process with the same signal, so its exit status is the conventional one
(killed by SIGTERM: ``-15`` to :mod:`subprocess`, ``143`` in a shell). The previous handlers
are restored when the write ends. Signals that are ignored or that have a Python handler are
left alone — Python's own SIGINT handler raises ``KeyboardInterrupt``, which removes the
temporary file like any other exception. Python lets only the main thread install handlers, so
a write in another thread installs none.

**Stale temporary files.** SIGKILL, a crash or a power cut cannot be caught. So each write
first removes the temporary files *of the same target* that a dead process left: a file is
removed only if its name is exactly ``.NAME.PID.RANDOM.tmp`` for this target, it is a regular
file (not a link) owned by the current user, and no process with that PID exists
(``os.kill(pid, 0)`` raises ``ProcessLookupError``). Nothing else in the folder is touched.
Process ids are only meaningful on one host (and in one PID namespace): a folder shared with
writers on other hosts or in other containers could see a live writer's temporary file as
stale. On systems without POSIX signals, stale files are left in place. (The same clean-up
covers the instant between creating the temporary file and starting to write it, where a
signal could otherwise leave it behind.)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

from briefkit.errors import BriefkitError, ExportError

__all__ = ["atomic_write"]

#: how many symbolic links a path may go through (Linux's limit)
_MAX_LINKS = 40
#: the longest file name (in bytes) used as is in a temporary file's name
_MAX_STEM = 180
#: the signals that get a clean-up handler while a write is in progress (when SIG_DFL)
_SIGNALS = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGHUP", "SIGINT")) if s is not None
)
#: what follows ``.NAME.`` in a temporary file's name
_TAIL = re.compile(r"(?P<pid>[1-9][0-9]{0,9})\.[0-9a-f]{12}\.tmp")
_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _final_target(given: Path) -> Path:
    """``given`` with every symbolic link at its end followed (the final target may not
    exist)."""
    current = given
    for _ in range(_MAX_LINKS + 1):
        try:
            st = os.lstat(current)
        except (FileNotFoundError, NotADirectoryError):
            return current  # the folder checks report these
        except OSError as exc:
            raise ExportError(f"cannot write {str(given)!r}: {_reason(exc)}") from exc
        if not stat.S_ISLNK(st.st_mode):
            return current
        _may_follow(given, current, st)
        try:
            link = os.readlink(current)
        except OSError as exc:
            raise ExportError(
                f"cannot write {str(given)!r}: cannot read the symbolic link "
                f"{str(current)!r}: {_reason(exc)}"
            ) from exc
        current = current.parent / link
    raise ExportError(
        f"cannot write {str(given)!r}: too many levels of symbolic links (a link loop?)"
    )


def _may_follow(given: Path, link: Path, st: os.stat_result) -> None:
    """The kernel's rule for links in shared folders (``fs.protected_symlinks``), applied
    here because links are read with ``readlink``, which the kernel does not guard: in a
    world-writable folder with the sticky bit (``/tmp``), a link is followed only when its
    owner is the user writing or the folder's owner — so nobody can plant a link there that
    makes an export overwrite another file."""
    try:
        folder = os.stat(link.parent)
    except OSError:
        return
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and st.st_uid not in (os.geteuid(), folder.st_uid):
        raise ExportError(
            f"cannot write {str(given)!r}: {str(link)!r} is a symbolic link in a shared "
            "folder (world-writable, sticky) owned by another user; it is not followed"
        )


def _where(given: Path, target: Path) -> str:
    if given == target:
        return repr(str(target))
    return f"{str(target)!r} (through the symbolic link {str(given)!r})"


def _check(given: Path, target: Path) -> int | None:
    """Refuse a target that cannot be replaced by a regular file; the permission bits of the
    existing file, or ``None`` when there is none."""
    folder = target.parent
    where = _where(given, target)
    try:
        st = os.stat(folder)
    except (FileNotFoundError, NotADirectoryError) as exc:
        if given != target:
            raise ExportError(
                f"cannot write {str(given)!r}: it is a symbolic link to {str(target)!r}, "
                f"whose folder {str(folder)!r} does not exist"
            ) from exc
        if isinstance(exc, NotADirectoryError):
            raise ExportError(
                f"cannot write {where}: a part of the folder path {str(folder)!r} is a file, "
                "not a folder"
            ) from exc
        raise ExportError(f"cannot write {where}: folder {str(folder)!r} does not exist") from exc
    except OSError as exc:
        raise ExportError(f"cannot write {where}: {_reason(exc)}") from exc
    if not stat.S_ISDIR(st.st_mode):
        raise ExportError(f"cannot write {where}: {str(folder)!r} is a file, not a folder")
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExportError(f"cannot write {where}: {_reason(exc)}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise ExportError(f"cannot write {where}: it is a folder")
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        raise ExportError(f"cannot write {where}: it is {kind}, not a regular file")
    return stat.S_IMODE(st.st_mode) & 0o777


def _stem(name: str) -> str:
    """The target's name as it appears in its temporary files' names."""
    if len(os.fsencode(name)) <= _MAX_STEM:
        return name
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    short = name
    while len(os.fsencode(short)) > _MAX_STEM - 17:
        short = short[:-1]
    return f"{short}~{digest}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # EPERM: it exists but is not ours; anything else: do not guess
    return True


def _remove_stale(folder: Path, name: str) -> None:
    """Remove the temporary files of ``folder / name`` left by processes that no longer
    exist (see the module's documentation for exactly which files)."""
    if os.name != "posix":
        return
    prefix = f".{_stem(name)}."
    me, uid = os.getpid(), os.geteuid()
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            match = _TAIL.fullmatch(entry.name, len(prefix))
            if match is None:
                continue
            pid = int(match["pid"])
            if pid == me or _alive(pid):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and st.st_uid == uid:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _create_temp(target: Path, where: str, mode: int | None) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    stem = _stem(target.name)
    for _ in range(100):
        tmp = target.parent / f".{stem}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666 if mode is None else mode)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportError(
                f"cannot write {where}: cannot create a temporary file in "
                f"{str(target.parent)!r}: {_reason(exc)}"
            ) from exc
        if mode is not None:
            try:
                os.fchmod(fd, mode)  # the umask may have taken bits the old file had
            except OSError as exc:
                os.close(fd)
                _discard(tmp)
                raise ExportError(f"cannot write {where}: {_reason(exc)}") from exc
        return fd, tmp
    raise ExportError(f"cannot write {where}: cannot find a free temporary file name")


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _abandon(stream: BinaryIO, tmp: Path) -> None:
    """Close ``stream`` (its descriptor is closed even when the final flush fails) and remove
    the temporary file, so that the exception being handled is the one that propagates."""
    with contextlib.suppress(OSError):
        stream.close()
    _discard(tmp)


class _Terminated(BaseException):
    """Raised by the clean-up signal handler to unwind the write."""


@contextlib.contextmanager
def _blocked() -> Iterator[None]:
    """The clean-up signals held back (delivered when the block ends), where the platform
    can, so that none arrives while handlers are being swapped."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, set(_SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """While the block runs (in the main thread), a default-action SIGTERM, SIGHUP or SIGINT
    unwinds it as an exception and then ends the process with that signal. The signals are
    held back while the handlers are installed and while they are restored, so one arriving
    then is delivered to the right handler instead of escaping or being lost."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if not received:  # a second signal must not interrupt the clean-up
            received.append(signum)
            raise _Terminated(signum)

    installed: list[tuple[int, _Handler]] = []
    try:
        with _blocked():
            for signum in _SIGNALS:
                try:
                    if signal.getsignal(signum) == signal.SIG_DFL:
                        installed.append((signum, signal.signal(signum, handler)))
                except (OSError, ValueError):  # pragma: no cover - not the main interpreter
                    continue
        yield
    finally:
        with _blocked():  # a signal now waits for the handler it would have met without us
            for signum, previous in reversed(installed):
                with contextlib.suppress(OSError, ValueError, TypeError):
                    signal.signal(signum, previous)
        if received:
            # the write is undone; now do what the signal would have done
            os.kill(os.getpid(), received[0])
            raise SystemExit(128 + received[0])  # pragma: no cover - the signal ends us first


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary stream; when the block ends normally its bytes replace the file at
    ``path`` in one step. See the module's documentation for the full contract: links are
    written through, permissions kept, every failure an :class:`ExportError` that leaves the
    old file and no temporary file, and signals and stale temporary files cleaned up."""
    given = Path(path)
    target = _final_target(given)
    where = _where(given, target)
    mode = _check(given, target)
    _remove_stale(target.parent, target.name)
    with _cleanup_on_signals():
        fd, tmp = _create_temp(target, where, mode)
        try:
            stream = os.fdopen(fd, "wb")
        except BaseException:  # pragma: no cover - fdopen of a fresh descriptor
            os.close(fd)
            _discard(tmp)
            raise
        try:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
            os.replace(tmp, target)
        except OSError as exc:
            _abandon(stream, tmp)
            if isinstance(exc, BriefkitError):
                raise
            raise ExportError(f"cannot write {where}: {_reason(exc)}") from exc
        except BaseException:
            _abandon(stream, tmp)
            raise
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
