"""The numbers of a class insight report, from plain data: no files, no gradebook, no HTML.

A class is a list of :class:`Student`: their score (the gradebook's, written answers included) and,
for those the grader recorded, per-case results as the autograded notebook's metadata holds them
(``{key, cell, name, points, score, message, visible, status}``). Everything here is a pure function
of that list, so it is unit-tested on synthetic classes.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

NEGATIVE = -0.2  # a discrimination at or below this: strong students fail the case more than weak ones
CRASHED = ("crashed",)  # case statuses counted as crashes (the process died)


@dataclass
class Student:
    """One student's submission of one assignment."""

    student: str
    score: float                      # the gradebook's total (written answers included), else the grader's
    max_score: float
    results: list[dict] = field(default_factory=list)  # the autograded notebook's per-case results
    flags: list[str] = field(default_factory=list)     # of outcomes.FLAGS
    kinds: list[str] = field(default_factory=list)     # the kinds of the notes (outcomes.KINDS)
    late: bool | None = None                           # None: no due date known

    @property
    def auto_score(self) -> float:
        return float(sum(r["score"] for r in self.results))


@dataclass
class Item:
    """One case's item analysis: difficulty (``pass_rate``, of ``n`` students) and ``discrimination``
    (the point-biserial correlation of passing it with the rest of the score; None when either does
    not vary), with the ``warnings`` an instructor should read."""

    key: str
    cell: str
    name: str
    visible: bool
    points: float
    n: int
    passed: int
    pass_rate: float
    discrimination: float | None
    warnings: list[str] = field(default_factory=list)


def describe(scores: list[float], max_score: float) -> dict:
    """``{n, mean, median, std, full, zero, max_score}`` of a list of scores (``full``: at the maximum)."""
    values = np.asarray(scores, dtype=float)
    if not len(values):
        return {"n": 0, "mean": math.nan, "median": math.nan, "std": math.nan, "full": 0, "zero": 0,
                "max_score": max_score}
    return {"n": int(len(values)), "mean": float(values.mean()), "median": float(np.median(values)),
            "std": float(values.std()), "full": int(np.sum(values >= max_score - 1e-9)) if max_score > 0 else 0,
            "zero": int(np.sum(values <= 1e-9)), "max_score": max_score}


def point_biserial(passed, rest) -> float | None:
    """The Pearson correlation of a 0/1 vector ``passed`` with ``rest`` (the rest of each student's
    score), in [-1, 1]; None when either is constant (it is undefined)."""
    x, y = np.asarray(passed, dtype=float), np.asarray(rest, dtype=float)
    if len(x) < 2 or x.std() == 0 or y.std() == 0:
        return None
    return float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))


def items(students: list[Student], negative: float = NEGATIVE) -> list[Item]:
    """The item analysis of every case, hardest (lowest pass rate) first. A case is warned about when
    nobody passes it, everybody passes it (it tells students apart no more), or its discrimination is
    ``negative`` or lower (strong students fail it more than weak ones: often a wrong test)."""
    graded = [s for s in students if s.results]
    order: dict[str, dict] = {}
    for s in graded:
        for r in s.results:
            order.setdefault(r["key"], r)
    found, by_key = [], _index(graded)
    totals = {s.student: s.auto_score for s in graded}
    for key, first in order.items():
        passed, rest = [], []
        for s in graded:
            result = by_key[s.student].get(key)
            if result is None:
                continue
            ok = result["score"] >= result["points"] - 1e-9 and result["points"] > 0
            passed.append(ok)
            rest.append(totals[s.student] - result["score"])
        n, k = len(passed), int(sum(passed))
        item = Item(key, first["cell"], first["name"], bool(first.get("visible")), float(first["points"]), n, k,
                    k / n if n else math.nan, point_biserial(passed, rest))
        if n and k == 0:
            item.warnings.append("nobody passes")
        elif n and k == n:
            item.warnings.append("everybody passes")
        if item.discrimination is not None and item.discrimination <= negative:
            item.warnings.append("negative discrimination: strong students fail it more than weak ones")
        found.append(item)
    return sorted(found, key=lambda i: (i.pass_rate, i.key))


def _index(students: list[Student]) -> dict[str, dict[str, dict]]:
    return {s.student: {r["key"]: r for r in s.results} for s in students}


def cells(students: list[Student]) -> list[dict]:
    """Per test cell: ``{cell, cases, n, all_passed (fraction of students passing every case), points
    (mean fraction of the cell's points)}``, hardest first."""
    by_cell: dict[str, list[str]] = defaultdict(list)
    for s in students:
        for r in s.results:
            if r["key"] not in by_cell[r["cell"]]:
                by_cell[r["cell"]].append(r["key"])
    found = []
    for cell, keys in by_cell.items():
        whole, fractions = [], []
        for s in students:
            mine = [r for r in s.results if r["cell"] == cell]
            if not mine:
                continue
            points = sum(r["points"] for r in mine)
            whole.append(all(r["score"] >= r["points"] - 1e-9 for r in mine))
            fractions.append(sum(r["score"] for r in mine) / points if points else 0.0)
        if whole:
            found.append({"cell": cell, "cases": len(keys), "n": len(whole), "all_passed": float(np.mean(whole)),
                          "points": float(np.mean(fractions))})
    return sorted(found, key=lambda c: (c["points"], c["cell"]))


_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def message_pattern(message: str) -> str:
    """A failure message with its numbers replaced by ``#``: messages that differ only in how far off a
    value was count as one."""
    return _NUMBER.sub("#", " ".join(str(message).split()))[:300]


def function_of(cell: str) -> str:
    """The graded function a test cell checks (``test_<function>``), else the cell's name."""
    return cell[len("test_"):] if cell.startswith("test_") else cell


def failures(students: list[Student], top: int = 5) -> dict[str, list[dict]]:
    """``{function: [{pattern, count, students, example}]}``: each graded function's most frequent failure
    messages (``top`` of them, most frequent first), counted once per student, with the students."""
    seen: dict[str, dict[str, dict]] = defaultdict(dict)
    for s in students:
        for r in s.results:
            if r["score"] >= r["points"] - 1e-9:
                continue
            pattern = message_pattern(r["message"])
            entry = seen[function_of(r["cell"])].setdefault(pattern, {"pattern": pattern, "students": [],
                                                                      "example": str(r["message"])[:300]})
            if s.student not in entry["students"]:
                entry["students"].append(s.student)
    return {fn: sorted(({**e, "count": len(e["students"])} for e in entries.values()),
                       key=lambda e: (-e["count"], e["pattern"]))[:top]
            for fn, entries in sorted(seen.items())}


def outcomes(students: list[Student]) -> dict[str, list[str] | None]:
    """The students behind each outcome: ``timeouts``, ``crashes`` (the process died, or the notebook
    failed to run), ``tampering``, ``not graded`` and ``late`` (None when no due date is known)."""
    found = {
        "timeouts": [s.student for s in students if "timed out" in s.flags or "timeout" in s.kinds],
        "crashes": [s.student for s in students if "failed to run" in s.flags
                    or any(r.get("status") in CRASHED for r in s.results)],
        "tampering": [s.student for s in students if "tampering" in s.flags or "tampering" in s.kinds],
        "not graded": [s.student for s in students if "could not be graded" in s.flags or "ungraded" in s.kinds],
    }
    known = [s for s in students if s.late is not None]
    found["late"] = [s.student for s in known if s.late] if known else None
    return found


def progress(classes: dict[str, list[Student]]) -> dict[str, dict[str, float]]:
    """``{student: {assignment: fraction of the maximum}}`` across ``classes`` (``{assignment: class}``)."""
    found: dict[str, dict[str, float]] = defaultdict(dict)
    for assignment, students in classes.items():
        for s in students:
            found[s.student][assignment] = s.score / s.max_score if s.max_score else 0.0
    return dict(sorted(found.items()))
