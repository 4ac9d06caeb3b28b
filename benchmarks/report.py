"""How long ``ddsp-course report`` takes on a class of 500, and its peak memory.

Builds a throw-away course with ps01 released, 500 students each with a gradebook submission, an
autograded notebook's metadata (synthetic per-case results from the assignment's real cases: pass
probability rising with a student's ability and falling with a case's difficulty, one case nobody
passes, one inverted) and a submitted notebook of varied answer code (the master's or a corpus
alternative for each function, names renamed, plus a helper of the student's own made up at random),
with a few planted copies. Then times ``write_report`` (the page and the similarity) alone.

    .venv/bin/python benchmarks/report.py [--students 500]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]
os.environ["PATH"] = os.path.join(ROOT, ".venv", "bin") + os.pathsep + os.environ.get("PATH", "")

from support import answers, variants, write_submission  # noqa: E402

A = "ps01_pytorch_basics"
FUNCTIONS = ["derivative_at", "gradient_descent", "fit_line"]
NAMES = ["acc", "tmp", "val", "res", "buf", "out", "cur", "prev", "step_size", "k", "idx", "total", "w", "b"]
OPS = ["+", "-", "*"]


def helper(rng: random.Random) -> str:
    """A function of the student's own: random statements, names and constants."""
    lines = [f"def helper_{rng.randrange(10**6)}(a, b={rng.randint(0, 9)}):"]
    names = ["a", "b"]
    for _ in range(rng.randint(4, 10)):
        new = rng.choice(NAMES) + str(rng.randint(0, 3))
        kind = rng.random()
        if kind < 0.4:
            lines.append(f"    {new} = {rng.choice(names)} {rng.choice(OPS)} {rng.randint(1, 99)}")
        elif kind < 0.7:
            power, count = rng.randint(2, 4), rng.randint(2, 9)
            lines.append(f"    {new} = [{rng.choice(names)} ** {power} for _ in range({count})]")
        elif kind < 0.85:
            lines.append(f"    if {rng.choice(names)} > {rng.randint(0, 50)}:\n        {new} = abs({rng.choice(names)})"
                         f"\n    else:\n        {new} = -{rng.choice(names)}")
        else:
            lines.append(f"    {new} = torch.linspace(0, {rng.randint(1, 9)}, {rng.randint(3, 30)}).sum().item()")
        names.append(new)
    lines.append(f"    return {rng.choice(names)}")
    return "\n".join(lines)


def student_code(rng: random.Random, master: dict[str, str], pool: dict) -> dict[str, str]:
    out = {}
    for grade_id, fn in zip(master, FUNCTIONS):
        options = [master[grade_id], *pool[fn]["alt"].values()]
        source = rng.choice(options)
        for old in ("history", "optimizer", "model", "loss", "value", "grad"):
            source = source.replace(old, f"{old[:3]}{rng.randint(0, 99)}")
        out[grade_id] = f"# {fn}, attempt {rng.randint(1, 9)}\n" + helper(rng) + "\n\n\n" + source
    return out


def build(root: str, n: int, seed: int = 0) -> None:
    import warnings

    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    warnings.simplefilter("ignore", SAWarning)  # nbgrader 0.9 on SQLAlchemy 2: autoflush chatter

    from ddsp_course.course import Course
    from ddsp_course.grade.cases import load_cases
    from ddsp_course.release import register

    for name in ("source", "release"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(root, name),
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    shutil.copy(os.path.join(ROOT, "nbgrader_config.py"), root)
    course = Course(root)
    register(course, A)
    cases = load_cases(root, A).cases
    rng = random.Random(seed)
    difficulty = {c.key: rng.uniform(-1.5, 1.5) for c in cases}
    impossible, inverted = cases[0].key, cases[1].key
    master, pool = answers(A), variants(A)
    copied_from = {}
    with Gradebook(course.db_url) as gb:
        for i in range(n):
            student = f"student{i:04d}"
            ability = rng.gauss(0, 1)
            results = []
            for c in cases:
                if c.key == impossible:
                    ok = False
                elif c.key == inverted:
                    ok = ability < -0.3
                else:
                    ok = rng.random() < 1 / (1 + 2.718 ** (-(1.7 * ability - difficulty[c.key])))
                results.append({"key": c.key, "cell": c.cell, "name": c.name, "points": c.points,
                                "score": c.points if ok else 0.0, "visible": c.visible,
                                "message": "passed" if ok else f"is off by {rng.random():.3g} (tolerance 1e-05).",
                                "status": "passed" if ok else rng.choice(["failed"] * 20 + ["error", "timeout"])})
            score = sum(r["score"] for r in results)
            flags = ["timed out"] if any(r["status"] == "timeout" for r in results) else []
            report = {"score": score, "max_score": sum(c.points for c in cases), "notes": [], "flags": flags,
                      "results": results}
            folder = course.path("autograded", student, A)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"{A}.ipynb"), "w") as f:
                json.dump({"nbformat": 4, "nbformat_minor": 5, "cells": [],
                           "metadata": {"ddsp_course": {"report": report}}}, f)
            gb.add_student(student)
            submission = gb.add_submission(A, student)
            by_cell: dict[str, float] = {}
            for r in results:
                by_cell[r["cell"]] = by_cell.get(r["cell"], 0.0) + r["score"]
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = by_cell.get(grade.name, 0.0)
            if i % 50 == 49:
                gb.db.commit()
            if i % 50 == 7 and i > 7:  # a planted copy of an earlier student's answers
                copied_from[student] = f"student{i - 7:04d}"
        gb.db.commit()
    code = {}
    for i in range(n):
        student = f"student{i:04d}"
        code[student] = dict(code[copied_from[student]]) if student in copied_from else \
            student_code(rng, master, pool)
        write_submission(course, A, course.path("submitted"), student, code[student])
    return copied_from


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    args = parser.parse_args()
    from ddsp_course.course import Course
    from ddsp_course.report import load_class, write_report
    from ddsp_course.report import similarity

    with tempfile.TemporaryDirectory(prefix="ddsp-report-bench-") as tmp:
        root = os.path.join(tmp, "course")
        started = time.perf_counter()
        planted = build(root, args.students)
        print(f"built a class of {args.students} in {time.perf_counter() - started:.1f} s "
              f"({len(planted)} planted copies)")
        course = Course(root)
        started = time.perf_counter()
        path, summary = write_report(course, A, 0.6)
        seconds = time.perf_counter() - started
        tracemalloc.start()  # again, traced (slower): the peak of Python's allocations, numpy's included
        write_report(course, A, 0.6)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("\n".join(summary[:6]))
        print(f"report of {args.students} students (page, figures and similarity): {seconds:.1f} s, "
              f"peak traced memory {peak / 2**20:.0f} MiB (process peak RSS {rss:.0f} MiB, build included), "
              f"page {os.path.getsize(path) / 2**20:.1f} MiB")
        c = load_class(course, A)
        documents = similarity.class_documents(course, A, [s.student for s in c.students])
        stats: dict = {}
        started = time.perf_counter()
        pairs = similarity.similar_pairs(documents, similarity.template_of(course, A), 0.6, stats=stats)
        print(f"similarity alone: {time.perf_counter() - started:.1f} s; {stats['students']} students, "
              f"{stats['students'] * (stats['students'] - 1) // 2} pairs, {stats['sharing']} sharing a fingerprint, "
              f"{stats['compared']} compared in full, {stats['common_fingerprints']} fingerprints in most of the "
              f"class left out; {len(pairs)} pairs flagged")
        found = {(p.a, p.b) for p in pairs}
        caught = sum((planted[s], s) in found for s in planted)
        print(f"planted copies found: {caught} of {len(planted)}")


if __name__ == "__main__":
    main()
