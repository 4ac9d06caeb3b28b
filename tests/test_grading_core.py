"""The grading core's guarantees, on small hand-made cases."""
import os
import pickle

import numpy as np
import pytest
import torch

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases
from ddsp_course.grade.execute import execute, time_limits
from ddsp_course.grade.processes.limits import Limits
from ddsp_course.grade.sandbox.runner import run_probe
from ddsp_course.grade.score import judge
from ddsp_course.grade.sandbox.wire import Tensor, WireError, decode, encode


def test_encode_decode_round_trip(tmp_path):
    value = (torch.ones(2, dtype=torch.float64, requires_grad=True) * 2, [1, 2.5, None, "x"],
             {"k": torch.zeros(3, dtype=torch.complex64)}, np.float32(1.5), torch.nn.Linear(1, 1))
    back = decode(encode(value, str(tmp_path), "v"), str(tmp_path))
    assert isinstance(back[0], Tensor) and back[0].dtype == "float64" and back[0].has_grad_fn
    assert back[1] == [1, 2.5, None, "x"] and back[2]["k"].dtype == "complex64"
    assert back[3] == np.float32(1.5) and type(back[4]).__name__ == "Opaque"


def test_decode_refuses_pickles_paths_and_odd_trees(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with open(tmp_path / "p.npy", "wb") as f:
        pickle.dump([1, 2], f)
    for tree in ({"t": "tensor", "file": "obj.npy"}, {"t": "tensor", "file": "p.npy"},
                 {"t": "tensor", "file": "../etc/passwd.npy"}, {"t": "value", "v": [1]}, {"t": "eval"},
                 {"t": "float", "v": "1e999999"}, "plain string"):
        with pytest.raises((WireError, ValueError)):
            decode(tree, str(tmp_path))


CASES = Cases()


@CASES.case("test_f", 1, "values")
def values(p):
    x = np.linspace(0, 1, 5)
    y = p.call("f", x)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(5,), dtype="float64"), 2 * x, 1e-12, hint="double it")
    return check


@CASES.case("test_g", 1, "g works", timeout=3)
def g_works(p):
    y = p.call("g", 1.0)

    def check(r):
        expect.that(r[y] == 1.0, "g(1.0) should be 1.0")
    return check


@CASES.case("test_g", 1, "g again", timeout=3)
def g_again(p):
    y = p.call("g", 2.0)

    def check(r):
        expect.that(r[y] == 2.0, "g(2.0) should be 2.0")
    return check


@pytest.fixture(params=["own sandbox", "warm"])
def sandbox(request):
    """How each run starts: a sandbox of its own, or forked from a warm parent (see test_warm.py)."""
    if request.param == "own sandbox":
        yield None, None
        return
    from ddsp_course.grade.processes.warm import WarmParent, WarmPool

    if not WarmPool.possible(Limits()):
        pytest.skip("warm runs need bubblewrap and a pids cgroup")
    parent = WarmParent(Limits())
    yield parent, parent.slot
    parent.close()


def _grade(tmp_path, cells, sandbox=(None, None), limits=Limits(cell_timeout=3)):
    import tempfile

    warm, slot = sandbox
    scratch = tempfile.mkdtemp(dir=slot or str(tmp_path))
    submission = os.path.join(scratch, "sub")
    os.mkdir(submission)
    cells = [{"key": f"cell{i}", "index": i, "source": s} for i, s in enumerate(cells)]
    events = execute(cells, CASES.cases, submission, os.path.join(scratch, "run"), limits, warm)
    return {c.key: judge(c, c.probe()[1], events.get(c.key), events.get(c.key, {}).get("out_dir", ""))
            for c in CASES.cases}, events


def test_a_hanging_function_zeroes_only_its_own_tests(tmp_path, sandbox):
    results, events = _grade(tmp_path, ["def f(x):\n    return 2 * x", "def g(x):\n    while True: pass"], sandbox)
    assert results["values"].passed
    assert results["g_works"].message.startswith("timed out: your g used up this test's budget of 3 CPU seconds")
    assert "earlier test of g timed out" in results["g_again"].message
    recorded = time_limits(Limits(cell_timeout=3), CASES.cases, events)
    assert recorded["case_seconds"]["g_works"] == 3 <= recorded["used_seconds"]["g_works"]


def test_a_sleeping_function_is_stopped_by_the_wall_clock_after_a_run_alone(tmp_path, sandbox, monkeypatch):
    import ddsp_course.grade.execute as execution

    turns, real = [], execution._TURNS.turn
    monkeypatch.setattr(execution._TURNS, "turn", lambda alone=False: turns.append(alone) or real(alone))
    results, events = _grade(tmp_path, ["def f(x):\n    return 2 * x", "import time\ndef g(x):\n    time.sleep(600)"],
                             sandbox, Limits(cell_timeout=3, backstop=1))
    assert results["values"].passed
    assert events["g_works"]["stopped_by"] == "wall" and events["g_works"]["cpu_seconds"] < 3
    assert "sleeps, waits, or blocks" in results["g_works"].message, "it used less CPU time than its budget"
    assert turns.count(True) == 1, "it ran once more alone before it was zeroed"
    assert "earlier test of g timed out" in results["g_again"].message


def test_a_hanging_or_dying_cell_loses_only_what_it_defines(tmp_path, sandbox):
    results, events = _grade(tmp_path, ["def f(x):\n    return 2 * x", "while True: pass\ndef g(x): return x",
                                        "import os\nos._exit(0)"], sandbox)
    assert results["values"].passed and not results["g_works"].passed
    assert events["cell1"]["status"] == "timeout" and events["cell2"]["status"] == "crashed"


def test_cpu_time_is_limited_from_outside(tmp_path, sandbox):
    import tempfile

    warm, slot = sandbox
    scratch = tempfile.mkdtemp(dir=slot or str(tmp_path))
    os.mkdir(os.path.join(scratch, "sub"))
    spin = "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True:\n    pass"
    cells = [{"key": "cell0", "index": 0, "source": spin}, {"key": "cell1", "index": 1, "source": "y = 2"}]
    events = execute(cells, [], os.path.join(scratch, "sub"), os.path.join(scratch, "run"),
                     Limits(cell_timeout=60, cpu_seconds=10), warm)
    assert events["cell0"]["status"] == "crashed", "killed by the CPU limit long before the 60 s cell timeout"
    assert events["cell1"]["status"] == "ok", "the restart without the spinning cell runs the rest"


def test_the_sandbox_environment_is_clean(tmp_path, monkeypatch, sandbox):
    monkeypatch.setenv("GRADER_SECRET", "s3cret")
    _, events = _grade(tmp_path, ["import os\nprint(sorted(os.environ))\nprint(os.getcwd())"], sandbox)
    assert "GRADER_SECRET" not in events["cell0"]["output"]
    assert "/sandbox/work" in events["cell0"]["output"], "it runs in its scratch copy"


def test_in_process_probe_and_failure_messages(tmp_path):
    case = CASES.cases[0]
    probe, check = case.probe()
    event = run_probe(probe.ops, lambda n: probe.arrays[n], {"f": lambda x: x * 3}, str(tmp_path), case.key)
    result = judge(case, check, event, str(tmp_path))
    assert not result.passed and "Hint: double it" in result.message
    event = run_probe(probe.ops, lambda n: probe.arrays[n], {}, str(tmp_path), case.key)
    assert judge(case, check, event, str(tmp_path)).message == "raised NameError."


def test_the_sandbox_sees_only_its_own_submission(tmp_path, sandbox):
    from support import ROOT

    secret = tmp_path / "secret.txt"
    secret.write_text("canary")
    probe = (f"import os, socket\nfor p in [{ROOT!r} + '/source', {ROOT!r} + '/nbgrader_config.py', {str(secret)!r}]:\n"
             "    print(p, os.path.exists(p))\n"
             "print('home', sorted(os.listdir('/root')) if os.path.isdir('/root') else [])\n"
             "try:\n    socket.create_connection(('127.0.0.1', 22), timeout=1); print('net open')\n"
             "except OSError as e:\n    print('net', type(e).__name__)\n"
             "open('mine.txt', 'w').write('scratch is writable')\nprint(open('mine.txt').read())")
    _, events = _grade(tmp_path, [probe], sandbox)
    out = events["cell0"]["output"]
    assert "True" not in out and "net open" not in out and "scratch is writable" in out
    assert out.count(" False") == 3
    home = [line for line in out.splitlines() if line.startswith("home")][0]
    assert home in ("home []", "home ['.pyenv']"), "only the Python installation is visible in the grader's home"


def test_the_sandbox_sees_the_kits_package_whole(tmp_path, sandbox):
    """The notebooks' setup cells import the kit's helpers: the whole package is visible, read-only."""
    source = ("from ddsp_course import audio, checks\nimport ddsp_course.grade.cases\n"
              "print(len(audio.load('reed_acoustic_target.wav')[0]) > 0)")
    _, events = _grade(tmp_path, [source], sandbox)
    assert events["cell0"]["status"] == "ok", events["cell0"]
    assert events["cell0"]["output"].strip() == "True"


def test_run_here_checks_the_master_in_the_instructors_own_kernel(monkeypatch):
    from support import ROOT, in_process_namespace, variants

    from ddsp_course.grade.cases.here import run_here

    assignment = "ps01_pytorch_basics"
    monkeypatch.chdir(os.path.join(ROOT, "source", assignment))
    run_here(assignment, "test_gradient_descent", in_process_namespace(assignment))
    wrong = next(iter(variants(assignment)["gradient_descent"]["wrong"].values()))
    with pytest.raises(AssertionError):
        run_here(assignment, "test_gradient_descent", in_process_namespace(assignment, {"gradient_descent": wrong}))


def _settle(events, stop_by, used, expected=None, ran_alone=None, replaced=False):
    """What one attempt of cells c0, c1 and cases f1, f2 (of f), g1 (of g) costs, without a sandbox."""
    from ddsp_course.grade.execute import Plan, _Stop, settle

    plan = Plan(["c0", "c1", "f1", "f2", "g1"], {"c0", "c1"}, {k: 3.0 for k in ("c0", "c1", "f1", "f2", "g1")},
                {"f1": {"f"}, "f2": {"f"}, "g1": {"g"}})
    results: dict = {}
    alone = settle(plan, results, events, _Stop(stop_by, used, sum(used.values()), "cpu"), "out0",
                   expected or plan.order, ran_alone if ran_alone is not None else set(), Limits(backstop=4), replaced)
    return results, alone


RAN_CELLS = [{"start": "c0"}, {"cell": "c0", "status": "ok"}, {"start": "c1"}, {"cell": "c1", "status": "ok"}]


def test_a_hang_costs_only_the_tests_it_cut_short():
    results, alone = _settle(RAN_CELLS + [{"start": "f1"}], "cpu", {"f1": 3.2})
    assert alone is None
    assert results["f1"] == {"status": "timeout", "clock": "cpu", "cpu_seconds": 3.2, "budget": 3.0,
                             "stopped_by": "cpu", "wall_seconds": 12.0, "total": Limits().total}
    assert results["f2"]["status"] == "skipped" and "earlier test of f timed out" in results["f2"]["reason"]
    assert "g1" not in results, "a case of another function runs in the next attempt"
    assert results["c0"]["status"] == results["c1"]["status"] == "ok"


def test_a_wall_clock_stop_under_budget_is_run_again_alone_once():
    ran_alone: set = set()
    results, alone = _settle(RAN_CELLS + [{"start": "g1"}], "wall", {"g1": 0.4}, ran_alone=ran_alone)
    assert alone == "g1" and "g1" not in results and ran_alone == {"g1"}
    results, alone = _settle(RAN_CELLS + [{"start": "g1"}], "wall", {"g1": 0.4}, ran_alone=ran_alone)
    assert alone is None and results["g1"]["status"] == "timeout" and results["g1"]["stopped_by"] == "wall"


def test_a_crash_with_nothing_running_crashes_what_is_left():
    results, _ = _settle([], None, {})
    assert {r["reason"] for r in results.values()} == {"the runner did not start"}
    results, _ = _settle(RAN_CELLS, None, {}, replaced=True)
    assert results["f1"] == {"status": "crashed", "reason": "its results file was replaced: tampering"}
    results, _ = _settle(RAN_CELLS + [{"start": "f2"}], None, {"f2": 0.1})
    assert results["f2"]["status"] == "crashed" and "g1" not in results
    assert results["f1"]["reason"] == "not run: an earlier test of f crashed the process."


def test_a_complete_attempt_costs_nothing():
    events = RAN_CELLS + [e for k in ("f1", "f2", "g1") for e in ({"start": k}, {"case": k, "status": "ok"})]
    results, alone = _settle(events + [{"case": "f1", "status": "ok", "forged": True}], None, {"f1": 0.1})
    assert alone is None and set(results) == {"c0", "c1", "f1", "f2", "g1"} and "forged" not in results["f1"]
    assert results["f1"]["cpu_seconds"] == 0.1 and results["f1"]["out_dir"] == "out0"


def test_flags_come_from_the_kinds_of_notes_and_statuses_never_their_wording():
    from ddsp_course.grade.outcomes import FLAGS, Note, flags

    assert flags([Note("tampering", "cell x: its points were edited")]) == ["tampering"]
    assert flags([Note("error", "your cell 'tampering = 1' raised NameError")]) == []
    notes = [Note("cap", "a"), Note("tampering", "b"), Note("ungraded", "c"), Note("unpublished", "d")]
    assert flags(notes, {"timeout"}, ran=False) == list(FLAGS)
    note = Note("damage", "answer cell f was deleted.")
    assert Note.from_data(note.as_data()).kind == "damage" and note == "answer cell f was deleted."
    with pytest.raises(ValueError):
        Note("gossip", "not a kind")
