"""release/ is generated from source/ by nbgrader, in sync, and leaks nothing."""
import os

import nbformat
import pytest
from support import ASSIGNMENTS, ROOT

from ddsp_course.release import MARKERS, check_no_leaks, release


def _signature(path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.get("id"), c.source, c.metadata.get("nbgrader")) for c in nb.cells]


def test_release_regenerates_identically(course):
    release(course, course.assignments)
    for assignment in ASSIGNMENTS:
        committed = os.path.join(ROOT, "release", assignment, f"{assignment}.ipynb")
        assert _signature(course.released(assignment)) == _signature(committed), (
            f"release/{assignment} is stale: run `./course release {assignment}` and commit it")
        assert sorted(os.listdir(course.path("release", assignment))) == sorted(
            os.listdir(os.path.join(ROOT, "release", assignment)))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_has_no_markers_or_hidden_code(assignment):
    from ddsp_course.course import Course

    check_no_leaks(Course(ROOT), assignment)
    for name in os.listdir(os.path.join(ROOT, "release", assignment)):
        with open(os.path.join(ROOT, "release", assignment, name), errors="replace") as f:
            text = f.read()
        assert not MARKERS.search(text)
        assert "run_here" not in text and "hidden_cases" not in text


def test_leak_check_catches_a_leak(course):
    from ddsp_course.release import LeakError

    assignment = course.assignments[0]
    nb = nbformat.read(course.released(assignment), as_version=4)
    master = nbformat.read(course.master(assignment), as_version=4)
    solution = next(c for c in master.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    target = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                  == solution.metadata["nbgrader"]["grade_id"])
    target.source = solution.source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")
    nbformat.write(nb, course.released(assignment))
    with pytest.raises(LeakError):
        check_no_leaks(course, assignment)
    with open(course.path("release", assignment, "hidden_cases.py"), "w") as f:
        f.write("CASES = None\n")
    with pytest.raises(LeakError, match="grader-only"):
        check_no_leaks(course, assignment)


def test_nbgrader_failures_and_leaks_reach_the_instructor_as_one_line(course, capsys):
    """A master nbgrader refuses (two cells with one grade id) and a leak: one line each, with the next step."""
    from ddsp_course.cli import main

    assignment = course.assignments[0]
    master = nbformat.read(course.master(assignment), as_version=4)
    graded = [c for c in master.cells if c.metadata.get("nbgrader", {}).get("grade_id")]
    graded[1].metadata["nbgrader"]["grade_id"] = graded[0].metadata["nbgrader"]["grade_id"]
    nbformat.write(master, course.master(assignment))
    assert main(["--course", course.root, "release", assignment]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"ddsp-course: error: nbgrader could not release {assignment}: ") and "\n" not in error
    assert "its log: " in error and os.path.isfile(course.path("logs", f"release-{assignment}.log"))
    assert "Traceback" not in error
