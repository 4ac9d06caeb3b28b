"""Grader-side test cases.

A case names the test cell it scores, its points, and builds a :class:`Probe`: the
calls to make in the student's process, with inputs the grader chose. Only the
probe's plain description crosses into the sandbox; the case returns a checker that
runs on the trusted side, on the decoded outputs, and raises :class:`Fail` with a
message that names the property that failed and gives a hint.

Hidden cases live beside each master notebook in ``source/<assignment>/hidden_cases.py``,
which nbgrader never copies to ``release/``::

    CASES = Cases()

    @CASES.case("test_sinusoid", points=1, name="float64 values against a float64 oracle")
    def sinusoid_float64(p):
        y = p.call("sinusoid", amplitude, omega, 1000)   # numpy arrays become tensors
        def check(r):
            got = expect.tensor(r[y], shape=(2, 1000), dtype="float64")
            expect.close(got, oracle, atol=1e-8, what="values", hint="exclusive phase")
        return check
"""
from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .expect import Fail
from ..sandbox.wire import Raised  # noqa: F401  (re-exported for case files)


@dataclass(frozen=True)
class Ref:
    """The result of one probe step, to index the checker's results with."""

    id: int


@dataclass(frozen=True)
class Fn:
    """A grader-written callable, built inside the sandbox from the vocabulary in
    :mod:`ddsp_course.grade.sandbox.callables` (e.g. ``Fn("polynomial", [1.0, -3.0, 1.0])``)."""

    name: str
    args: tuple = ()

    def __init__(self, name, *args):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "args", args)


class Probe:
    """A recorded sequence of steps to run against the student's namespace."""

    def __init__(self):
        self.ops: list[dict] = []
        self.arrays: dict[str, np.ndarray] = {}

    def _add(self, op: dict) -> Ref:
        op["id"] = len(self.ops)
        self.ops.append(op)
        return Ref(op["id"])

    def _arg(self, value):
        if isinstance(value, Ref):
            return {"t": "ref", "id": value.id}
        if isinstance(value, np.ndarray):
            return {"t": "ref", "id": self.tensor(value).id}
        if isinstance(value, Fn):
            return {"t": "callable", "name": value.name, "args": [self._arg(a) for a in value.args]}
        if isinstance(value, (tuple, list)):
            return {"t": type(value).__name__, "items": [self._arg(v) for v in value]}
        if isinstance(value, dict):
            return {"t": "dict", "items": {str(k): self._arg(v) for k, v in value.items()}}
        if isinstance(value, float):  # np.float64 too: its repr is "np.float64(...)" under numpy 2
            return {"t": "float", "v": repr(float(value))}
        if value is None or isinstance(value, (bool, int, str)):
            return {"t": "value", "v": value}
        raise TypeError(f"cannot send {type(value).__name__} to the sandbox")

    def tensor(self, array, requires_grad: bool = False) -> Ref:
        """A torch tensor made from ``array`` (any shape; its dtype kept: float32 stays float32), with
        ``requires_grad`` if asked; a :class:`Ref` to pass to later steps."""
        name = f"a{len(self.arrays)}.npy"
        self.arrays[name] = np.array(array, order="C")  # keeps 0-dim arrays 0-dim
        return self._add({"op": "tensor", "file": name, "requires_grad": requires_grad})

    def call(self, fn: str, *args, catch: bool = False, **kwargs) -> Ref:
        """Call the student's ``fn`` (a name; dotted for an attribute: ``"AllPoleFilter.apply"``) with
        ``args`` (numpy arrays become tensors, :class:`Ref` earlier results, :class:`Fn` grader callables);
        with ``catch`` an exception becomes a :class:`Raised`. A :class:`Ref` to its result."""
        return self._add({"op": "call", "fn": fn, "args": [self._arg(a) for a in args],
                          "kwargs": {k: self._arg(v) for k, v in kwargs.items()}, "catch": catch})

    def method(self, obj: Ref, name: str, *args, catch: bool = False, **kwargs) -> Ref:
        return self._add({"op": "method", "obj": obj.id, "name": name,
                          "args": [self._arg(a) for a in args],
                          "kwargs": {k: self._arg(v) for k, v in kwargs.items()}, "catch": catch})

    def attr(self, obj: Ref, name: str) -> Ref:
        return self._add({"op": "attr", "obj": obj.id, "name": name})

    def parameters(self, obj: Ref) -> Ref:
        """``dict(obj.named_parameters())``."""
        return self._add({"op": "parameters", "obj": obj.id})

    def item(self, obj: Ref, key) -> Ref:
        return self._add({"op": "item", "obj": obj.id, "key": key})

    def grad(self, output: Ref, inputs: list[Ref], cotangent=None, create_graph: bool = False) -> Ref:
        """``torch.autograd.grad(output, inputs, cotangent)`` as a tuple (``None`` where unused)."""
        return self._add({"op": "grad", "output": output.id, "inputs": [i.id for i in inputs],
                          "cotangent": None if cotangent is None else self._arg(cotangent),
                          "create_graph": create_graph})

    def describe(self) -> list[dict]:
        return self.ops


@dataclass
class Case:
    key: str
    cell: str
    points: float
    name: str
    build: Callable[[Probe], Callable]
    visible: bool = False
    timeout: float = 30.0  # its budget: CPU seconds the student's processes may use on it (not the clock's)
    _built: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def probe(self) -> tuple[Probe, Callable]:
        """The probe and its checker, built once: a case asks every submission the same questions,
        and its checker keeps no state between the results it judges."""
        if self._built is None:
            probe = Probe()
            self._built = (probe, self.build(probe))
        return self._built

    def functions(self) -> set[str]:
        """The student's names this case calls."""
        probe, _ = self.probe()
        return {op["fn"].split(".")[0] for op in probe.ops if op["op"] == "call"}


@dataclass
class Cases:
    """The registry of one assignment's cases, in definition order."""

    cases: list[Case] = field(default_factory=list)

    def case(self, cell: str, points: float, name: str, visible: bool = False, timeout: float = 30.0,
             key: str | None = None):
        """Register a case; ``timeout`` is its budget in CPU seconds (see :class:`Case`). Its ``key`` (recorded
        in gradebooks and autograded notebooks) is the build function's name unless given: a loop registers
        a family with ``CASES.case(cell, points, name, key=f"fit_{i}")(make_build(i))``."""
        def register(build):
            case_key = build.__name__ if key is None else key
            if any(c.key == case_key for c in self.cases):
                raise ValueError(f"duplicate case {case_key}")
            self.cases.append(Case(case_key, cell, points, name, build, visible, timeout))
            return build
        return register

    def for_cell(self, cell: str) -> list[Case]:
        return [c for c in self.cases if c.cell == cell]

    def cells(self) -> dict[str, float]:
        """Points per test cell, summed over its cases."""
        points: dict[str, float] = {}
        for c in self.cases:
            points[c.cell] = points.get(c.cell, 0) + c.points
        return points


class Results:
    """What the checker sees: decoded values by :class:`Ref`."""

    def __init__(self, values: dict[int, object]):
        self._values = values

    def __getitem__(self, ref: Ref):
        if ref.id not in self._values:
            raise Fail("a step of this test produced no value")
        return self._values[ref.id]


SHARED = "oracles"  # source/oracles.py: grader-only helpers the hidden cases share (never released)


def load_cases(course_root: str, assignment: str) -> Cases:
    """Import ``source/<assignment>/hidden_cases.py`` (grader-only) and return its ``CASES``.
    While it loads, ``source/`` is first on ``sys.path``, so that it can ``from oracles import ...``
    (``source/oracles.py``, this course's copy: one loaded from another course is replaced)."""
    source = os.path.join(course_root, "source")
    path = os.path.join(source, assignment, "hidden_cases.py")
    shared = sys.modules.get(SHARED)
    if shared is not None and os.path.dirname(os.path.abspath(getattr(shared, "__file__", "") or "")) \
            != os.path.abspath(source):
        del sys.modules[SHARED]
    sys.path.insert(0, source)
    try:
        spec = importlib.util.spec_from_file_location(f"hidden_cases_{assignment}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(source)
    return module.CASES
