"""Each master notebook honours the spec's interface and the authoring rules in docs/AUTHORING.md."""
import ast
import json
import os

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


SHARED_HELPERS = os.path.join(ROOT, "source", "oracles.py")


def _defined_names(path: str) -> set[str]:
    """Functions and classes defined anywhere in a file, and names it assigns at the top level."""
    with open(path) as f:
        tree = ast.parse(f.read())
    names = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_cases_use_the_shared_helpers_not_copies(assignment):
    shared = {name for name in _defined_names(SHARED_HELPERS) if not name.startswith("_")}
    own = _defined_names(os.path.join(ROOT, "source", assignment, "hidden_cases.py"))
    assert not own & shared, f"import these from source/oracles.py instead of defining them: {sorted(own & shared)}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_case_keys_are_unique_and_stable(assignment):
    """Keys are recorded in gradebooks and autograded notebooks: renaming one orphans its grades."""
    with open(os.path.join(ROOT, "tests", "case_keys.json")) as f:
        recorded = json.load(f)
    keys = [c.key for c in load_cases(ROOT, assignment).cases]
    assert len(keys) == len(set(keys)), "two cases share a key"
    assert keys == recorded[assignment], "case keys changed (add new keys to tests/case_keys.json; never rename)"


def test_the_shared_helpers_are_not_an_assignment_and_never_released():
    from ddsp_course.course import Course
    assert "oracles" not in Course(ROOT).assignments and "oracles.py" not in ASSIGNMENTS
    assert not os.path.exists(os.path.join(ROOT, "release", "oracles.py"))
