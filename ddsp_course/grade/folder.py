"""A submission folder read as data: regular files and folders only, never a path to follow.

Everything the trusted side reads of a submission (the notebook, the fingerprint, the copy the
sandbox gets, the copy kept in ``submitted/``) goes through :func:`scan`, which looks at every
entry with ``lstat`` and keeps regular files and folders only (no links, FIFOs, sockets or
devices), within :data:`CAPS` (depth, entries, bytes). Files are opened with ``O_NOFOLLOW |
O_NONBLOCK`` and checked again once open, so nothing swapped in between is followed either.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from .outcomes import Note
from .sandbox.wire import open_regular


@dataclass(frozen=True)
class Caps:
    depth: int = 8                   # folders below the submission folder
    entries: int = 2_000             # files and folders in all
    folder_bytes: int = 256 << 20    # regular files in all
    notebook_bytes: int = 32 << 20   # the submitted notebook


CAPS = Caps()
SKIPPED = ("__pycache__", ".ipynb_checkpoints")
IGNORED = ("timestamp.txt",)  # the student may write it: the submission time comes from the collection


@dataclass
class Scan:
    """What of a submission folder the grader reads: relative paths, in a stable order."""

    root: str
    folders: list[str] = field(default_factory=list)
    files: dict[str, os.stat_result] = field(default_factory=dict)
    left_out: list[Note] = field(default_factory=list)  # what was not read, and why

    def leave_out(self, text: str, kind: str = "tampering") -> None:
        self.left_out.append(Note(kind, text))

    @property
    def modified(self) -> float | None:
        """The newest modification time of its files (as collected), None if it has none."""
        return max((s.st_mtime for s in self.files.values()), default=None)


def scan(root: str, caps: Caps = CAPS) -> Scan:
    """The regular files and folders under ``root`` (``DIR/<student>/<assignment>``: neither it nor its
    parent may be a link), within ``caps``."""
    found = Scan(root)
    try:
        if os.path.islink(os.path.dirname(root)) or not stat.S_ISDIR(os.lstat(root).st_mode):
            found.leave_out("the submission folder or the student's folder is a symbolic link, which "
                                  "grading never follows: nothing in it was read")
            return found
    except OSError as exc:
        found.leave_out(f"the submission folder could not be read ({exc.strerror})", "damage")
        return found
    total, pending = 0, [""]
    while pending:
        relative = pending.pop()
        try:
            names = sorted(os.listdir(os.path.join(root, relative) if relative else root))
        except OSError as exc:
            found.leave_out(f"{relative}: could not be listed ({exc.strerror})", "damage")
            continue
        for name in names:
            path = os.path.join(relative, name) if relative else name
            if name in SKIPPED or (not relative and name in IGNORED):
                continue
            if len(found.files) + len(found.folders) >= caps.entries:
                found.leave_out(f"more than {caps.entries} files and folders: the rest was not read", "cap")
                return found
            try:
                info = os.lstat(os.path.join(root, path))
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if path.count(os.sep) >= caps.depth:
                    found.leave_out(f"{path}: more than {caps.depth} folders deep, not read", "cap")
                    continue
                found.folders.append(path)
                pending.append(path)
            elif stat.S_ISREG(info.st_mode):
                if total + info.st_size > caps.folder_bytes:
                    found.leave_out(f"{path}: past {caps.folder_bytes >> 20} MiB of files in all, not read", "cap")
                    continue
                total += info.st_size
                found.files[path] = info
            else:
                kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "a special file"
                found.leave_out(f"{path} is {kind}, which grading never follows or reads")
    found.folders.sort()
    found.files = dict(sorted(found.files.items()))
    return found


class TooLarge(ValueError):
    """A file holds more bytes than the grader reads of it."""


def read(path: str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`); TooLarge past ``limit`` bytes."""
    with open_regular(path) as f:
        if os.fstat(f.fileno()).st_size > limit:
            raise TooLarge(path)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path)
    return data


def copy(found: Scan, dest: str) -> None:
    """Copy what ``found`` lists to ``dest`` (made; the same sizes and times), nothing else."""
    os.makedirs(dest, exist_ok=True)
    for folder in found.folders:
        os.makedirs(os.path.join(dest, folder), exist_ok=True)
    for name, info in found.files.items():
        try:
            data = read(os.path.join(found.root, name), info.st_size)
        except (OSError, ValueError):
            continue  # changed since the scan: left out
        target = os.path.join(dest, name)
        with open(target, "wb") as f:
            f.write(data)
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))


def digest(h, found: Scan) -> None:
    """Add every folder's name and every file's name and bytes in ``found`` to the hash ``h``."""
    import hashlib

    for folder in found.folders:
        h.update(b"d " + os.fsencode(folder) + b"\0")
    for name, info in found.files.items():
        try:
            content = hashlib.sha256(read(os.path.join(found.root, name), info.st_size)).digest()
        except (OSError, ValueError):
            content = b"unreadable"
        h.update(b"f " + os.fsencode(name) + b"\0" + content)
    for reason in found.left_out:
        h.update(b"x " + reason.encode(errors="replace") + b"\0")
