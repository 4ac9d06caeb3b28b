"""Tests of the tests: plausible wrong implementations lose points on their own function,
valid alternatives keep full marks, and every hidden case catches at least one wrong one.
Scores come from the real path (prepare -> separate process -> trusted scoring -> gradebook)."""
import pytest
from support import ASSIGNMENTS, answers, variants, write_submission

from ddsp_course.grade import grade
from ddsp_course.grade.cases import load_cases


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
    reports = {r.student: r for r in grade(course, assignment, str(tmp_path / "subs"), progress=False)}

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
