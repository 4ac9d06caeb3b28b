"""Scoring: decode what a case's probe returned and run its checker, on the trusted side."""
from __future__ import annotations

from dataclasses import dataclass

from .cases import Case, Results
from .cases.expect import Fail
from .sandbox.wire import OverCap, Reader, WireError, decode


@dataclass
class CaseResult:
    key: str
    cell: str
    name: str
    points: float
    score: float
    message: str
    visible: bool
    compared: tuple | None = None  # visible cases only: (actual, expected, what, plot) from expect.close
    status: str = "passed"         # of STATUSES: what happened, as data (the message says it in words)

    @property
    def passed(self) -> bool:
        return self.score == self.points


STATUSES = ("passed", "failed", "error", "timeout", "skipped", "crashed", "not run", "unreadable", "over a cap")


def failed(case: Case, message: str, status: str = "failed") -> CaseResult:
    return CaseResult(case.key, case.cell, case.name, case.points, 0.0, message, case.visible, status=status)


def _cut_short(case: Case, event: dict) -> str:
    """Why a case was stopped: the limit, and what used it."""
    budget, by = event.get("budget", case.timeout), event.get("stopped_by")
    hint = "Hint: look for a loop that never ends or work that grows too fast with the input size."
    if event.get("clock") == "wall":  # no cgroup counted CPU time: the budget was wall-clock seconds
        return f"timed out after {budget:g} s. {hint}"
    if by == "total":
        return (f"timed out: the submission's grading budget ({event.get('total', 0):g} CPU seconds, all tests "
                "together) ran out during this test.")
    if by == "wall":
        return (f"timed out: it made no progress in {event.get('wall_seconds', 0):g} s of wall-clock time, using "
                f"{event.get('cpu_seconds') or 0:.1f} of its {budget:g} CPU seconds, also when run again alone: "
                "your code sleeps, waits, or blocks.")
    calls = f"your {', '.join(sorted(case.functions()))}" if case.functions() else "your code"
    return (f"timed out: {calls} used up this test's budget of {budget:g} CPU seconds (the time your code "
            f"computes, however busy the grading machine). {hint} The notebook says where speed is graded.")


def judge(case: Case, check, event: dict | None, out_dir: str, reader: Reader | None = None) -> CaseResult:
    """Score one case from its event (``None``: it never ran) and the files beside it (``reader``:
    what the submission has decoded so far, shared by its cases)."""
    if event is None:
        return failed(case, "not run.", "not run")
    if event.get("status") == "timeout":
        return failed(case, _cut_short(case, event), "timeout")
    if event.get("status") == "skipped":
        return failed(case, str(event.get("reason", "not run."))[:300], "skipped")
    if event.get("status") == "crashed":
        return failed(case, "the Python process running your code died during this test "
                            "(it exited, was killed for memory, or crashed).", "crashed")
    if event.get("status") == "error":
        ename = str(event.get("ename", "an exception"))[:100]
        detail = f": {str(event.get('evalue', ''))[:500]}" if case.visible else ""
        return failed(case, f"raised {ename}{detail}.", "error")
    try:
        values = event.get("values")
        if not isinstance(values, dict):
            raise WireError("no values")
        reader = reader or Reader()
        results = Results({int(k): decode(v, out_dir, reader) for k, v in values.items()})
        check(results)
    except Fail as fail:
        result = failed(case, str(fail))
        if case.visible:  # a hidden case's figure would show its inputs' traces
            result.compared = fail.compared
        return result
    except OverCap as exc:
        return failed(case, f"what came back could not be read: {exc} (a cap of the grader's).", "over a cap")
    except (WireError, ValueError, OSError) as exc:
        return failed(case, f"what came back could not be read as plain data ({type(exc).__name__}).", "unreadable")
    except Exception as exc:  # a checker crashing on odd output (wrong type, ...) is a failure, not a crash
        return failed(case, f"the output has an unexpected form ({type(exc).__name__}).")
    return CaseResult(case.key, case.cell, case.name, case.points, case.points, "passed", case.visible)
