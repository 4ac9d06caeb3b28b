"""Executing submissions on Dask workers, with only bytes crossing the wire.

The coordinator packs a job (the cells to run, each case's probe as JSON and ``.npy``, the
submission's files) into one zip archive; a worker unpacks it, runs :func:`execute` in its
own sandbox and packs what the sandbox produced (events as JSON, outputs as ``.npy``) into
another. The coordinator unpacks that archive itself, by name and size checks, and judges:
no object the sandbox made is ever unpickled, and expected values, checkers and hidden-test
source never leave the coordinator.
"""
from __future__ import annotations

import atexit
import dataclasses
import functools
import io
import json
import os
import re
import stat
import tempfile
import threading
import zipfile
from types import SimpleNamespace

import numpy as np

from ..execute import execute
from .limits import Limits
from .warm import WarmError, WarmParent, WarmPool

MAX_RESULT_BYTES = 256 << 20
_OUTPUT_NAME = re.compile(r"^out\d+/[A-Za-z0-9_.\-]+$")


def pack_job(cells: list[dict], cases, submission_dir: str, limits: Limits, modules: tuple[str, ...] = ()) -> bytes:
    """The job for one submission as a zip archive (``modules``: what a warm parent imports for it)."""
    buffer = io.BytesIO()
    plans, links = [], {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for case in cases:
            probe, _ = case.probe()
            for name, array in probe.arrays.items():
                data = io.BytesIO()
                np.save(data, array, allow_pickle=False)
                z.writestr(f"arrays/{case.key}/{name}.npy", data.getvalue(), zipfile.ZIP_STORED)  # floats: deflate
                # would take a fraction of a second per submission to save little
            plans.append({"key": case.key, "ops": probe.ops, "arrays": sorted(probe.arrays),
                          "timeout": case.timeout, "functions": sorted(case.functions())})
        for base, dirs, files in os.walk(submission_dir):
            for name in files + [d for d in dirs if os.path.islink(os.path.join(base, d))]:
                path = os.path.join(base, name)
                rel = os.path.relpath(path, submission_dir)
                mode = os.lstat(path).st_mode
                if stat.S_ISLNK(mode):
                    links[rel] = os.readlink(path)  # stays a link in the sandbox, never followed here
                elif stat.S_ISREG(mode):
                    z.write(path, f"submission/{rel}")
        z.writestr("job.json", json.dumps({"cells": cells, "cases": plans, "links": links,
                                           "limits": dataclasses.asdict(limits), "warm": list(modules)}))
    return buffer.getvalue()


_parents = threading.local()  # each Dask worker thread's warm parent


@functools.lru_cache(maxsize=None)
def _warm_possible(limits: Limits) -> bool:
    return WarmPool.possible(limits)


def _warm_parent(limits: Limits, modules: tuple[str, ...]) -> WarmParent | None:
    """This worker thread's warm parent for ``modules``, started on first use (and again for
    another assignment's); None where warm runs are impossible."""
    parent = getattr(_parents, "parent", None)
    if parent is not None and parent.healthy() and parent.modules == modules:
        return parent
    if parent is not None:
        parent.close()
    _parents.parent = None
    if not _warm_possible(limits):
        return None
    try:
        _parents.parent = WarmParent(limits, modules)
    except (OSError, WarmError):
        return None
    atexit.register(_parents.parent.close)
    return _parents.parent


def run_packed(job: bytes) -> bytes:
    """On a worker: run a packed job in a sandbox (forked from this thread's warm parent where
    possible); the events and outputs as a zip archive."""
    with zipfile.ZipFile(io.BytesIO(job)) as z:
        spec = json.loads(z.read("job.json"))
    limits = Limits(**spec["limits"])
    modules = tuple(m for m in spec.get("warm", []) if isinstance(m, str) and re.fullmatch(r"[\w.]+", m))
    warm = _warm_parent(limits, modules)
    with tempfile.TemporaryDirectory(prefix="ddsp-remote-", dir=warm.slot if warm else None) as scratch:
        submission = os.path.join(scratch, "submission")
        os.makedirs(submission)
        with zipfile.ZipFile(io.BytesIO(job)) as z:
            cases = []
            for plan in spec["cases"]:
                arrays = {n: np.load(io.BytesIO(z.read(f"arrays/{plan['key']}/{n}.npy")), allow_pickle=False)
                          for n in plan["arrays"]}
                probe = SimpleNamespace(ops=plan["ops"], arrays=arrays)
                cases.append(SimpleNamespace(key=plan["key"], timeout=plan["timeout"],
                                             probe=lambda probe=probe: (probe, None),
                                             functions=lambda f=plan["functions"]: set(f)))
            for name in z.namelist():
                if name.startswith("submission/") and not name.endswith("/"):
                    z.extract(name, scratch)
        for rel, target in spec["links"].items():
            os.symlink(target, os.path.join(submission, rel))
        events = execute(spec["cells"], cases, submission, os.path.join(scratch, "run"), limits, warm)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            run = os.path.join(scratch, "run")
            for event in events.values():
                out_dir = event.pop("out_dir", None)
                if out_dir is not None:
                    event["out"] = os.path.basename(out_dir)
            for folder in sorted({e["out"] for e in events.values() if "out" in e}):
                for name in sorted(os.listdir(os.path.join(run, folder))):
                    path = os.path.join(run, folder, name)
                    if name.endswith(".npy") and stat.S_ISREG(os.lstat(path).st_mode):
                        z.write(path, f"{folder}/{name}", zipfile.ZIP_STORED)
            z.writestr("events.json", json.dumps(events))
        return buffer.getvalue()


def unpack_result(data: bytes, scratch: str) -> dict[str, dict]:
    """On the coordinator: the events of a packed result, its outputs written under ``scratch``."""
    if not isinstance(data, bytes) or len(data) > MAX_RESULT_BYTES:
        raise ValueError("a worker's result is not a byte string of reasonable size")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        total = 0
        for info in z.infolist():
            if info.filename == "events.json":
                continue
            total += info.file_size
            if not _OUTPUT_NAME.match(info.filename) or ".." in info.filename or total > MAX_RESULT_BYTES:
                raise ValueError(f"unexpected file in a worker's result: {info.filename!r}")
            z.extract(info, scratch)
        events = json.loads(z.read("events.json"))
    if not isinstance(events, dict) or not all(isinstance(e, dict) for e in events.values()):
        raise ValueError("a worker's events are not a mapping of mappings")
    for event in events.values():
        out = event.pop("out", None)
        if out is not None:
            if not isinstance(out, str) or not re.fullmatch(r"out\d+", out):
                raise ValueError(f"unexpected output folder {out!r}")
            event["out_dir"] = os.path.join(scratch, out)
            os.makedirs(event["out_dir"], exist_ok=True)
    return events
