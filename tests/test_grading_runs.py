"""Grading runs: idempotent, resumable after a crash, a resubmission regrades only its student,
parallel grading equal to serial grading (runs use one worker per core unless told otherwise)."""
import os

import nbformat
import pytest
from support import answers, variants, write_submission

import ddsp_course.grade.pipeline as grading
from ddsp_course.grade import grade
from ddsp_course.grade.processes.bwrap import sandbox_available
from ddsp_course.grade.processes.limits import Limits

A = "ps01_pytorch_basics"
LIMITS = Limits(cell_timeout=20, sandbox=sandbox_available())


def _scores(course) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(A)}


def _summary(reports) -> dict:
    return {r.student: (r.score, r.flags, [(x.key, x.score, x.message) for x in r.results]) for r in reports}


def test_a_crashed_run_resumes_and_a_resubmission_regrades_only_its_student(course, tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    subs = str(tmp_path / "subs")
    wrong = next(iter(variants(A)["gradient_descent"]["wrong"].values()))
    for student in ("ada", "bob", "cy"):
        write_submission(course, A, subs, student, {**answers(A), "gradient_descent": wrong} if student != "ada"
                         else answers(A))
    ran = []
    real_execute = grading.execute
    monkeypatch.setattr(grading, "execute", lambda cells, *args: ran.append(cells) or real_execute(cells, *args))

    # the run dies while bob's grades are being written: after his autograded notebook, before the commit
    import ddsp_course.grade.record as recording

    real_grades = recording._grades

    def crash_on_bob(gb, assignment, student):
        if student == "bob":
            raise KeyboardInterrupt("power cut")
        return real_grades(gb, assignment, student)
    monkeypatch.setattr(recording, "_grades", crash_on_bob)
    with pytest.raises(KeyboardInterrupt):
        grade(course, A, subs, limits=LIMITS, progress=False)
    monkeypatch.setattr(recording, "_grades", real_grades)
    done = set(_scores(course))
    assert "bob" not in done, "the gradebook holds exactly what finished"
    for student in ("ada", "bob", "cy"):
        assert os.path.exists(course.path("autograded", student, A, f"{A}.ipynb")) == (student in done), \
            "an autograded notebook is in place only once its grades are in the gradebook"

    # resumed: only what did not finish runs
    ran.clear()
    resumed = grade(course, A, subs, limits=LIMITS, progress=False)
    assert len(ran) == 3 - len(done) and [r.reused for r in resumed] == [s in done for s in ("ada", "bob", "cy")]
    # the same grades as one uninterrupted run
    ran.clear()
    fresh = grade(course, A, subs, limits=LIMITS, progress=False, force=True, workers=1)
    assert len(ran) == 3 and _summary(resumed) == _summary(fresh)
    assert fresh[0].score == fresh[0].max_score > fresh[1].score == fresh[2].score
    parallel = grade(course, A, subs, limits=LIMITS, progress=False, force=True, workers=3)
    assert len(ran) == 6 and _summary(parallel) == _summary(fresh), "parallel grading equals serial grading"

    # idempotent: nothing changed, nothing runs, the same grades
    again = grade(course, A, subs, limits=LIMITS, progress=False)
    assert len(ran) == 6 and all(r.reused for r in again) and _summary(again) == _summary(fresh)

    # cy resubmits a correct notebook: only cy is graded again
    write_submission(course, A, subs, "cy", answers(A))
    late = grade(course, A, subs, limits=LIMITS, progress=False)
    assert len(ran) == 7 and [r.reused for r in late] == [True, True, False]
    assert late[2].score == late[2].max_score and _scores(course)["cy"] == late[2].score

    # a gradebook that lost a student's grade (restored from a backup, say) gets it back
    with Gradebook(course.db_url) as gb:
        gb.remove_submission(A, "ada")
    restored = grade(course, A, subs, limits=LIMITS, progress=False)
    assert len(ran) == 8 and not restored[0].reused and _scores(course)["ada"] == fresh[0].score


def test_the_report_flags_what_went_wrong(course, tmp_path):
    subs = str(tmp_path / "subs")
    write_submission(course, A, subs, "honest", answers(A))
    write_submission(course, A, subs, "loops", {**answers(A), "fit_line": "def fit_line(x, y, n_iter, lr):\n"
                                                                        "    while True:\n        pass\n"})
    write_submission(course, A, subs, "edits", answers(A))
    path = os.path.join(subs, "edits", A, f"{A}.ipynb")
    nb = nbformat.read(path, as_version=4)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_fit_line")
    test.source = "pass"
    nbformat.write(nb, path)
    os.makedirs(os.path.join(subs, "unreadable", A))
    with open(os.path.join(subs, "unreadable", A, f"{A}.ipynb"), "w") as f:
        f.write("{not json")
    reports = {r.student: r for r in grade(course, A, subs, limits=Limits(cell_timeout=3, sandbox=sandbox_available()),
                                           progress=False)}
    assert reports["honest"].flags == [] and reports["loops"].flags == ["timed out"]
    assert reports["edits"].flags == ["tampering"] and reports["edits"].score == reports["honest"].score
    assert reports["unreadable"].flags == ["failed to run"] and reports["unreadable"].score == 0


def test_two_concurrent_runs_grade_each_student_once(course, tmp_path):
    import re
    import subprocess
    import sys

    subs = str(tmp_path / "subs")
    wrong = next(iter(variants(A)["fit_line"]["wrong"].values()))
    for i in range(4):
        write_submission(course, A, subs, f"s{i}", answers(A) if i % 2 else {**answers(A), "fit_line": wrong})
    command = [sys.executable, "-m", "ddsp_course.cli", "--course", course.root, "grade", A, "--submissions", subs,
               "--workers", "1", "--no-progress"] + ([] if sandbox_available() else ["--no-sandbox"])
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    graded = [int(re.search(r"(\d+) graded, (\d+) unchanged", out).group(1)) for out in outputs]
    print("graded per run:", graded)
    assert sum(graded) == 4, f"each student graded once between the two runs: {graded}\n" + "\n".join(outputs)
    scores = _scores(course)
    assert sorted(scores) == [f"s{i}" for i in range(4)]
    assert scores["s1"] == scores["s3"] > scores["s0"] == scores["s2"]


def test_a_written_answer_waits_for_a_person_and_their_mark_survives_a_regrade(course, tmp_path):
    from nbgrader.api import Gradebook

    from support import MANUAL

    assignment = "ps02_differentiable_gain"
    written = MANUAL[assignment][0]
    subs = str(tmp_path / "subs")
    write_submission(course, assignment, subs, "ada", answers(assignment))

    def grades():
        with Gradebook(course.db_url) as gb:
            found = {g.name: (g.auto_score, g.manual_score, g.needs_manual_grade)
                     for g in gb.find_submission(assignment, "ada").notebooks[0].grades}
            return found, gb.find_submission(assignment, "ada").score

    first = grade(course, assignment, subs, limits=LIMITS, progress=False)[0]
    found, total = grades()
    assert found.pop(written) == (None, None, True), "a written answer is left for a person"
    assert all(auto is not None and not needs for auto, _, needs in found.values()) and total == first.score > 0
    with Gradebook(course.db_url) as gb:
        gb.find_grade(written, assignment, assignment, "ada").manual_score = 1.5
        gb.db.commit()
    grade(course, assignment, subs, limits=LIMITS, progress=False, force=True)
    again, total = grades()
    assert again.pop(written) == (None, 1.5, False), "a regrade keeps the person's mark"
    assert again == found and total == first.score + 1.5


def test_the_fingerprint_changes_with_grading_code_only(course, tmp_path):
    """Editing the grading or sandbox code regrades a class; editing the lab or a --help string does not."""
    import shutil

    from ddsp_course.grade.folder import scan
    from ddsp_course.grade.pipeline import GRADING_CODE, PACKAGE, fingerprint

    package = shutil.copytree(PACKAGE, str(tmp_path / "ddsp_course"), ignore=shutil.ignore_patterns("__pycache__"))
    code = tuple(os.path.join(package, os.path.relpath(p, PACKAGE)) for p in GRADING_CODE)
    write_submission(course, A, str(tmp_path / "subs"), "s", answers(A))
    found = scan(str(tmp_path / "subs" / "s" / A))

    def digest() -> str:
        return fingerprint(course, A, found, LIMITS, code)

    before = digest()
    for name in ("lab.py", "cli.py"):
        with open(os.path.join(package, name), "a") as f:
            f.write("\n# a new --help string\n")
    assert digest() == before
    for name in ("grade/score.py", "grade/sandbox/runner.py", "checks.py"):
        with open(os.path.join(package, name), "a") as f:
            f.write("\n# changed\n")
        assert digest() != before, name
        before = digest()
