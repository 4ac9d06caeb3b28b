"""Tests of the tests: plausible wrong implementations lose points on their own function,
valid alternatives keep full marks, and every hidden case catches at least one wrong one.
Scores come from the real path (prepare -> separate process -> trusted scoring -> gradebook)."""
import html
import os
import re

import nbformat
import pytest
from support import ASSIGNMENTS, answers, variants, write_submission

from ddsp_course.feedback import write_feedback
from ddsp_course.grade import grade
from ddsp_course.grade.cases import load_cases
from ddsp_course.release import MARKERS, regions


def _classes(assignment):
    """Submissions: the solution; the k-th wrong version of every function; the k-th alternative."""
    corpus = variants(assignment)
    correct = answers(assignment)
    students = {"solution": dict(correct)}
    planted = {}
    for kind in ("wrong", "alt"):
        depth = max(len(v[kind]) for v in corpus.values())
        for k in range(depth):
            student = f"{kind}{k}"
            students[student] = dict(correct)
            for function, found in corpus.items():
                slugs = sorted(found[kind])
                if k < len(slugs):
                    students[student][function] = found[kind][slugs[k]]
                    planted.setdefault(student, {})[function] = slugs[k]
    return students, planted


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_mutants_are_separated_by_the_hidden_tests(assignment, course, tmp_path):
    corpus = variants(assignment)
    for function in load_cases(course.root, assignment).cells():
        name = function.removeprefix("test_")
        assert len(corpus.get(name, {}).get("wrong", {})) >= 2, f"{name}: at least two wrong versions"
        assert len(corpus.get(name, {}).get("alt", {})) >= 1, f"{name}: at least one alternative"
    students, planted = _classes(assignment)
    for student, sources in students.items():
        write_submission(course, assignment, str(tmp_path / "subs"), student, sources)
    # one sandbox at a time: the suite's workers already fill the cores
    reports = {r.student: r for r in grade(course, assignment, str(tmp_path / "subs"), progress=False, workers=1)}

    def cell_score(student, function):
        results = [r for r in reports[student].results if r.cell == f"test_{function}"]
        return sum(r.score for r in results), sum(r.points for r in results)

    solution = reports["solution"]
    assert solution.score == solution.max_score, [r for r in solution.results if not r.passed]
    caught = set()
    for student, functions in planted.items():
        for function, slug in functions.items():
            score, points = cell_score(student, function)
            if student.startswith("alt"):
                assert score == points, (function, slug, [r for r in reports[student].results
                                                          if r.cell == f"test_{function}" and not r.passed])
            else:
                assert score < points, f"{function}/wrong_{slug} keeps full marks"
        if student.startswith("wrong"):
            caught |= {r.key for r in reports[student].results
                       if not r.passed and r.cell.removeprefix("test_") in functions}
    hidden = {c.key for c in load_cases(course.root, assignment).cases if not c.visible}
    assert hidden <= caught, f"hidden cases no wrong version fails: {sorted(hidden - caught)}"
    assert_feedback_leaks_nothing(course, assignment, str(tmp_path / "subs"), ["wrong0", "wrong1"])


def _secrets(course, assignment) -> list[str]:
    """Lines only the instructor may see: solution and hidden-test regions, the hidden cases' code."""
    lines = []
    for cell in nbformat.read(course.master(assignment), as_version=4).cells:
        lines += regions(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
        lines += regions(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    with open(course.path("source", assignment, "hidden_cases.py")) as f:
        lines += [t for t in (line.strip() for line in f) if len(t) >= 20 and not t.startswith(("#", "import", "from"))]
    return lines


def assert_feedback_leaks_nothing(course, assignment, subs, students):
    """Feedback pages of failing students hold no solution code, hidden-test source or marker beyond
    what the student submitted (a student's own code may coincide with the solution's)."""
    released = "\n".join(c.source for c in nbformat.read(course.released(assignment), as_version=4).cells)
    names = "\n".join(c.name for c in load_cases(course.root, assignment).cases)  # shown by design
    secret = [line for line in _secrets(course, assignment) if line not in released and line not in names]
    written, failed = write_feedback(course, assignment, students)
    assert not failed
    for student, page in written.items():
        with open(page) as f:
            text = html.unescape(re.sub(r"<[^>]+>", "", f.read()))
        own = "\n".join(c.source for c in nbformat.read(os.path.join(subs, student, assignment, f"{assignment}.ipynb"),
                                                         as_version=4).cells)
        assert not MARKERS.search(text), f"{student}: a solution or hidden-test marker in feedback"
        leaked = [line for line in secret if line in text and line not in own]
        assert not leaked, f"{student}'s feedback shows instructor-only lines: {leaked[:3]}"
