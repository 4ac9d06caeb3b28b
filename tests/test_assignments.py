"""Each master notebook honours the spec's interface and the authoring rules in docs/AUTHORING.md."""
import pytest
from support import ASSIGNMENTS, GRADED, MANUAL, ROOT, master, nbgrader_meta

from ddsp_course.grade.cases import load_cases


def test_the_first_three_assignments_exist_and_every_assignment_is_in_the_spec():
    assert {"ps01_pytorch_basics", "ps02_differentiable_gain", "ps03_oscillator"} <= set(ASSIGNMENTS)
    assert set(ASSIGNMENTS) <= set(GRADED)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_graded_cells_match_the_spec(assignment):
    cells = [nbgrader_meta(c) for c in master(assignment).cells if nbgrader_meta(c)]
    solutions = [m["grade_id"] for m in cells if m.get("solution") and not m.get("grade")]
    tests = [m["grade_id"] for m in cells if m.get("grade") and not m.get("solution")]
    manual = [m["grade_id"] for m in cells if m.get("grade") and m.get("solution")]
    assert solutions == GRADED[assignment], "one answer cell per graded name, in the spec's order"
    assert tests == [f"test_{name}" for name in GRADED[assignment]], "a test cell right after each answer"
    assert manual == MANUAL.get(assignment, [])
    assert cells[0]["grade_id"] == "setup" and cells[0].get("locked"), "a read-only setup cell comes first"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cases_carry_the_cells_points(assignment):
    cases = load_cases(ROOT, assignment)
    points = {nbgrader_meta(c)["grade_id"]: nbgrader_meta(c)["points"] for c in master(assignment).cells
              if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")}
    assert cases.cells() == points, "each test cell's points are the sum of its cases' points"
    for cell in points:
        kinds = {c.visible for c in cases.for_cell(cell)}
        assert kinds == {True, False}, f"{cell} needs visible re-checks and hidden cases"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_region_runs_the_cells_own_cases(assignment):
    for cell in master(assignment).cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and not meta.get("solution"):
            hidden = cell.source.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS", 1)[0]
            assert f'run_here("{assignment}", "{meta["grade_id"]}", globals())' in hidden
