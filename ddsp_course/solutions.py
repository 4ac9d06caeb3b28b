"""``solutions``: executed instructor notebooks in ``solutions/``: solutions in place,
figures and audio players rendered, hidden tests and nbgrader markup removed."""
from __future__ import annotations

import os
import tempfile
import time

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient

from .course import Course

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def instructor_source(source: str) -> str:
    """A master cell as the instructor reads it: solution kept, markers and hidden tests gone."""
    kept, hidden = [], False
    for line in source.splitlines():
        text = line.strip()
        if text == HIDDEN[0]:
            hidden = True
        elif text == HIDDEN[1]:
            hidden = False
        elif not hidden and text not in SOLUTION_MARKERS:
            kept.append(line)
    return "\n".join(kept).rstrip()


def instructor_notebook(master: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(master)
    for cell in nb.cells:
        cell.source = instructor_source(cell.source)
        for key in ("nbgrader", "deletable", "editable"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


# One compute thread per kernel: with two threads per process, notebooks built next to other
# work (a parallel test run, a grading pool) slow down five- to tenfold as OpenMP threads spin.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def build(course: Course, assignment: str, out_dir: str | None = None, timeout: int = 300) -> tuple[str, float]:
    """Execute the instructor version of one assignment; returns (path written, seconds)."""
    nb = instructor_notebook(nbformat.read(course.master(assignment), as_version=4))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ddsp-kernel-") as sockets:
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
        client = NotebookClient(nb, km=kernel, timeout=timeout,
                                resources={"metadata": {"path": course.path("source", assignment)}})
        client.execute(env={**os.environ, **ONE_THREAD})
    seconds = time.perf_counter() - start
    folder = out_dir or course.path("solutions", assignment)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{assignment}.ipynb")
    nbformat.write(nb, path)
    return path, seconds
