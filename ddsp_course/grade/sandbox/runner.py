"""The sandbox side of grading: run a submission's cells, then the probes of each case.

Run as ``python -m ddsp_course.grade.sandbox.runner JOB_DIR OUT_DIR``. It reads
``JOB_DIR/job.json`` (cells to run, probes to make, keys to skip) and appends one JSON
event per line to ``OUT_DIR/events.jsonl``: ``{"start": key}`` before each item, then
its result. Outputs go to ``OUT_DIR`` as ``.npy`` (see :mod:`wire`). It reaches no
verdict: the grader reads these files after the process is gone.
"""
from __future__ import annotations

import json
import os
import sys
import traceback

MAX_TEXT = 20_000


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "\n... [output truncated]"


def _exception(exc: BaseException) -> dict:
    return {"ename": type(exc).__name__, "evalue": _clip(str(exc)[:2000]),
            "traceback": _clip("".join(traceback.format_exception(exc)))}


def run_probe(ops: list[dict], load_array, namespace: dict, out_dir: str, key: str) -> dict:
    """Run one case's steps against ``namespace``; returns the event for the case."""
    import numpy as np
    import torch

    from . import callables, wire

    values: dict[int, object] = {}

    def arg(spec):
        kind = spec["t"]
        if kind == "ref":
            return values[spec["id"]]
        if kind == "float":
            return float(spec["v"])
        if kind == "value":
            return spec["v"]
        if kind in ("tuple", "list"):
            items = [arg(v) for v in spec["items"]]
            return tuple(items) if kind == "tuple" else items
        if kind == "dict":
            return {k: arg(v) for k, v in spec["items"].items()}
        if kind == "callable":
            return callables.build(spec["name"], [arg(a) for a in spec["args"]])
        raise ValueError(f"bad argument {kind}")

    def student(name):
        """The student's ``name``; a dotted name reaches an attribute (``AllPoleFilter.apply``)."""
        first, *rest = name.split(".")
        if first not in namespace:
            raise NameError(f"name {first!r} is not defined")
        value = namespace[first]
        for attribute in rest:
            value = getattr(value, attribute)
        return value

    exported = {}
    try:
        for op in ops:
            kind = op["op"]
            try:
                if kind == "tensor":
                    value = torch.from_numpy(np.array(load_array(op["file"])))
                    value.requires_grad_(op["requires_grad"])
                elif kind == "call":
                    value = student(op["fn"])(*[arg(a) for a in op["args"]],
                                               **{k: arg(v) for k, v in op["kwargs"].items()})
                elif kind == "method":
                    value = getattr(values[op["obj"]], op["name"])(
                        *[arg(a) for a in op["args"]], **{k: arg(v) for k, v in op["kwargs"].items()})
                elif kind == "attr":
                    value = getattr(values[op["obj"]], op["name"])
                elif kind == "parameters":
                    value = dict(values[op["obj"]].named_parameters())
                elif kind == "item":
                    value = values[op["obj"]][op["key"]]
                elif kind == "grad":
                    inputs = [values[i] for i in op["inputs"]]
                    cot = None if op["cotangent"] is None else arg(op["cotangent"])
                    value = torch.autograd.grad(values[op["output"]], inputs, cot, allow_unused=True,
                                                create_graph=op["create_graph"])
                else:
                    raise ValueError(f"unknown step {kind}")
            except Exception as exc:
                if not op.get("catch"):
                    raise
                value = None
                exported[str(op["id"])] = {"t": "raised", "type": type(exc).__name__}
            values[op["id"]] = value
            if kind != "tensor" and str(op["id"]) not in exported:
                exported[str(op["id"])] = wire.encode(value, out_dir, f"{key}_{op['id']}")
    except Exception as exc:
        return {"case": key, "status": "error", **_exception(exc)}
    return {"case": key, "status": "ok", "values": exported}


def _run_cell(shell, source: str) -> dict:
    from IPython.utils.capture import capture_output

    with capture_output(display=False) as captured:
        result = shell.run_cell(source, store_history=False, silent=False)
    text = captured.stdout + captured.stderr
    event = {"status": "ok", "output": _clip(text)}
    error = result.error_before_exec or result.error_in_exec
    if error is not None:
        event.update(status="error", ename=type(error).__name__, evalue=_clip(str(error)[:2000]))
    return event


def new_shell():
    """An IPython shell that keeps no history of the student's and displays nothing. A warm parent
    makes one before any run (never using it), so each run starts from a fresh copy of it."""
    import matplotlib

    matplotlib.use("Agg")
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # nothing of the student's kept: no history database
    shell = InteractiveShell.instance(config=config, colors="nocolor")
    shell.display_pub.publish = lambda *a, **k: None  # figures and audio players go nowhere
    import bdb  # noqa: F401  what running a cell imports and builds the first time: here once, not in each run
    shell.logger  # noqa: B018  (inactive: %logstart is never run)
    return shell


def main(job_dir: str, out_dir: str, shell=None) -> None:
    with open(os.path.join(job_dir, "job.json")) as f:
        job = json.load(f)
    skip = set(job.get("skip", []))
    events = open(os.path.join(out_dir, "events.jsonl"), "a", buffering=1)

    def emit(event):
        events.write(json.dumps(event) + "\n")
        events.flush()

    import numpy as np
    import torch  # noqa: F401  (warm import before the student's cells)

    shell = shell or new_shell()
    for cell in job["cells"]:
        if cell["key"] in skip:
            continue
        emit({"start": cell["key"]})
        emit({"cell": cell["key"], **_run_cell(shell, cell["source"])})
    namespace = shell.user_ns
    arrays = os.path.join(job_dir, "arrays")
    for case in job["cases"]:
        if case["key"] in skip:
            continue
        emit({"start": case["key"]})
        from IPython.utils.capture import capture_output

        with capture_output(display=False):
            event = run_probe(case["ops"], lambda name: np.load(os.path.join(arrays, os.path.basename(name)),
                                                                allow_pickle=False),
                              namespace, out_dir, case["key"])
        emit(event)
    emit({"done": True})
    events.close()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
