"""``run_here``: a test cell's cases run in the instructor's own kernel (the master notebooks' hidden-test
regions, plain ``nbgrader autograde``), never in a student's process."""
from __future__ import annotations

import tempfile

from ...course import find_course_root
from ..sandbox.runner import run_probe
from ..score import judge
from . import load_cases


def run_here(assignment: str, cell: str, namespace: dict) -> None:
    """Instructor-side: run a test cell's cases in this very process (master notebooks'
    hidden-test regions and plain ``nbgrader autograde``). Raises ``AssertionError``
    listing what failed. The kit's ``grade`` never does this in a student's process."""
    cases = load_cases(find_course_root(), assignment).for_cell(cell)
    if not cases:
        raise AssertionError(f"no cases for {cell}")
    failures = []
    for case in cases:
        probe, check = case.probe()
        with tempfile.TemporaryDirectory() as tmp:
            event = run_probe(probe.ops, lambda name: probe.arrays[name], namespace, tmp, case.key)
            result = judge(case, check, event, tmp)
        if not result.passed:
            failures.append(f"{case.name}: {result.message}")
    if failures:
        raise AssertionError("\n".join(failures))
