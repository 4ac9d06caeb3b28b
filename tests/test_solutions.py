"""Each solution notebook executes (once per run) within budget, and matches solutions/."""
import os

import nbformat
import pytest
from support import ASSIGNMENTS, ROOT

from ddsp_course.course import Course
from ddsp_course.solutions import build

BUDGET_SECONDS = 60


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_executes_within_budget(assignment, tmp_path):
    path, seconds = build(Course(ROOT), assignment, out_dir=str(tmp_path))
    assert seconds <= BUDGET_SECONDS, f"{assignment} took {seconds:.1f} s (budget {BUDGET_SECONDS} s)"
    fresh = nbformat.read(path, as_version=4)
    committed = nbformat.read(os.path.join(ROOT, "solutions", assignment, f"{assignment}.ipynb"), as_version=4)
    assert [c.source for c in fresh.cells] == [c.source for c in committed.cells], (
        f"solutions/{assignment} is stale: run `./course solutions {assignment}` and commit it")
    for notebook in (fresh, committed):
        for cell in notebook.cells:
            assert "nbgrader" not in cell.metadata
            assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source
            if cell.cell_type == "code":
                assert cell.execution_count is not None, "every code cell is executed"
                assert not [o for o in cell.outputs if o.output_type == "error"], cell.source[:200]
    outputs = [o for c in committed.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "figures are rendered"
    assert any("audio" in str(o.get("data", {}).get("text/html", "")) for o in outputs), "audio players are rendered"

