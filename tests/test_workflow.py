"""The instructor's workflow end to end: release -> submissions -> grade -> feedback -> CSV."""
import csv
import hashlib
import json
import os

import nbformat
import pytest
from support import GRADED, MANUAL, answers, variants, write_submission

from ddsp_course.cli import main

A = "ps01_pytorch_basics"


def _tree_hash(folder):
    digest = hashlib.sha256()
    for base, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if "__pycache__" in base:
                continue
            with open(os.path.join(base, name), "rb") as f:
                digest.update(name.encode() + f.read())
    return digest.hexdigest()


def _csv(path):
    with open(path) as f:
        return {row["student"]: row for row in csv.DictReader(f)}


DEMO = ("ps01_pytorch_basics", "ps02_differentiable_gain", "ps03_oscillator")  # the README's demo grades all


def test_demo_end_to_end(course, capsys):
    before = {d: _tree_hash(course.path(d)) for d in ("source",)}
    assert main(["--course", course.root, "demo", *DEMO, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "feedback:" in out and "grades:" in out
    assert _tree_hash(course.path("source")) == before["source"]
    for assignment in DEMO:
        rows = _csv(course.path("grades", f"{assignment}.csv"))
        assert set(rows) == {"correct", "mistakes", "blank", "raises", "hangs", "tampered"}
        total = {s: float(r["total"]) for s, r in rows.items()}
        manual_points = 2 * len(MANUAL.get(assignment, []))  # each written answer is worth 2 points
        assert total["correct"] == float(rows["correct"]["max_total"]) - manual_points
        assert total["blank"] == 0
        for student in ("mistakes", "raises", "hangs", "tampered"):
            assert total[student] < total["correct"], student
        for student, row in rows.items():
            assert row["needs_manual_grade"] == " ".join(MANUAL.get(assignment, []))
            page = course.path("feedback", student, assignment, f"{assignment}.html")
            with open(page) as f:
                html = f.read()
            assert "run_here" not in html and "HIDDEN TESTS" not in html and "BEGIN SOLUTION" not in html
        with open(course.path("feedback", "tampered", assignment, f"{assignment}.html")) as f:
            assert "was edited; the original test was used" in f.read()
        assert "hangs" in out and "was stopped" in out


def _base(course):
    """ps01 with its first function wrong: the reference that damaged copies must not beat."""
    sources = answers(A)
    first = GRADED[A][0]
    sources[first] = next(iter(variants(A)[first]["wrong"].values()))
    return sources


def test_damaged_submissions_never_score_above_the_undamaged_one(course, tmp_path, capsys):
    assert main(["--course", course.root, "release", A]) == 0
    subs = str(tmp_path / "subs")
    base = _base(course)
    write_submission(course, A, subs, "base", base)
    damaged = {
        "notjson": lambda nb, path: open(path, "w").write("{ this is not json"),
        "deleted_tests": lambda nb, path: _save(nb, path, cells=[c for c in nb.cells
                                                                 if not c.metadata.get("nbgrader", {}).get("grade")]),
        "edited_ids": lambda nb, path: _save(nb, path, edit=lambda c, m: m.update(grade_id=m["grade_id"] + "_x")),
        "edited_tests": lambda nb, path: _save(nb, path, edit=lambda c, m: m.get("grade") and (
            m.update(points=1000), setattr(c, "source", "assert True"))),
        "raises": lambda nb, path: _save(nb, path, edit=lambda c, m: m.get("solution") and setattr(
            c, "source", "raise ValueError('oops')\n" + c.source)),
        "hangs": lambda nb, path: _save(nb, path, edit=lambda c, m: m.get("solution") and setattr(
            c, "source", "import time\nwhile True:\n    time.sleep(0.1)\n" + c.source)),
    }
    for student, damage in damaged.items():
        write_submission(course, A, subs, student, base)
        path = os.path.join(subs, student, A, f"{A}.ipynb")
        damage(nbformat.read(path, as_version=4), path)
    release_hash, source_hash = _tree_hash(course.path("release")), _tree_hash(course.path("source"))
    assert main(["--course", course.root, "grade", A, "--submissions", subs, "--no-progress", "--timeout", "5"]) == 0
    out = capsys.readouterr().out
    rows = _csv(course.path("grades", f"{A}.csv"))
    cells = [f"test_{f}" for f in GRADED[A]]
    for student in damaged:
        for cell in cells:
            assert float(rows[student][cell]) <= float(rows["base"][cell]), (student, cell)
        assert f"{student}:" in out, f"{student} is named in the end-of-run report"
    assert float(rows["edited_tests"]["total"]) == float(rows["base"]["total"])
    assert float(rows["raises"]["total"]) == 0 and float(rows["hangs"]["total"]) == 0
    assert _tree_hash(course.path("release")) == release_hash and _tree_hash(course.path("source")) == source_hash
    first = _csv(course.path("grades", f"{A}.csv"))
    assert main(["--course", course.root, "grade", A, "--submissions", subs, "--no-progress", "--timeout", "5"]) == 0
    assert _csv(course.path("grades", f"{A}.csv")) == first, "regrading gives the same grades"


def _save(nb, path, cells=None, edit=None):
    if cells is not None:
        nb.cells = cells
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if edit and meta:
            edit(cell, meta)
    with open(path, "w") as f:
        f.write(json.dumps(nb))


@pytest.mark.parametrize("argv, message", [
    (["grade", "ps99_nothing", "--submissions", "."], "unknown assignment ps99_nothing"),
    (["grade", A, "--submissions", "/nonexistent/folder"], "does not exist"),
    (["grade", A, "--submissions", "{empty}"], "no submissions"),
    (["release", "ps99_nothing"], "unknown assignment"),
    (["solutions", "nope"], "unknown assignment"),
])
def test_instructor_errors_exit_2_with_one_line(course, tmp_path, capsys, argv, message):
    os.makedirs(tmp_path / "empty")
    argv = [a.replace("{empty}", str(tmp_path / "empty")) for a in argv]
    assert main(["--course", course.root, *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not os.listdir(course.path("autograded")), "nothing was graded"


def test_every_subcommand_has_help(capsys):
    for command in ("release", "solutions", "grade", "feedback", "export", "demo", "lab"):
        with pytest.raises(SystemExit) as stop:
            main([command, "--help"])
        assert stop.value.code == 0
        assert "usage: ddsp-course" in capsys.readouterr().out
