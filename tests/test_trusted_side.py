"""The trusted side treats every submission as hostile (issue 17): one class of ps01 graded through the
real command line (``ddsp-course grade``, sandbox on, two at a time), with two bystanders beside
submissions that attack what the grader does *outside* the sandbox: reading the folder (FIFOs,
links, loops, a huge notebook), reading the notebook (malformed and deeply nested metadata), decoding
results (a line that makes the decoder recurse, one large array referenced many times), publishing
(``submitted/``, feedback, the CSV) and printing (control characters, spreadsheet formulas, glob
characters in ids, a forged ``timestamp.txt``).

Asserted for every attack: the run finishes, the bystanders keep their exact grades and get their
feedback, the attacker is graded or named with the reason, and the attack's own harm is absent.
``TRUSTED_ONLY=fifo_notebook,ids`` builds only those attacks (to show one failing on older code).
"""
import csv
import json
import os
import re
import secrets
import socket
import subprocess
import sys
from datetime import datetime, timezone

import nbformat
import pytest
from support import answers, nbgrader_meta, variants, write_submission

from ddsp_course.course import Course
from ddsp_course.grade import grade
from ddsp_course.grade.processes.bwrap import sandbox_available
from ddsp_course.grade.processes.limits import Limits

A = "ps01_pytorch_basics"
BYSTANDERS = ("honest", "wrong")
COLLECTED = datetime(2026, 1, 2, 3, 4, 5)  # the notebook's file time, as a collection leaves it
ESCAPES = "\x1b]0;retitled\x07\x1b[2J"
COORDINATOR = ("import resource, sys\nfrom ddsp_course.cli import main\ncode = main(sys.argv[1:])\n"
               "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)")

pytestmark = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is not installed")


def _cell_after(path: str, grade_id: str, source: str = "", metadata: dict | None = None) -> None:
    """Insert a code cell after the answer cell ``grade_id`` of the notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.update(metadata or {})
    nb.cells.insert(index + 1, cell)
    nbformat.write(nb, path, version=4)


def _nested(depth: int) -> dict:
    tree: dict = {}
    for _ in range(depth):
        tree = {"x": tree}
    return tree


def malformed_metadata(course, subs, student, secret):
    """Added cells whose nbgrader metadata has the wrong types: nbgrader itself would choke on them."""
    path = _honest(course, subs, student)
    _cell_after(path, "derivative_at", "x_list = 1", {"nbgrader": {"grade_id": ["x"], "grade": True, "points": 5}})
    _cell_after(path, "derivative_at", "x_dict = 1", {"nbgrader": {"grade_id": {"a": 1}, "solution": True}})
    _cell_after(path, "derivative_at", "x_text = 1", {"nbgrader": "grade me"})


def deep_metadata(course, subs, student, secret):
    """Metadata nested deeper than nbformat can read (another student) or nbconvert can render (this one)."""
    path = _honest(course, subs, student)
    nb = json.load(open(path))
    nb["metadata"]["deep"] = nb["cells"][0]["metadata"]["deep"] = _nested(460)
    with open(path, "w") as f:
        json.dump(nb, f)
    path = _honest(course, subs, f"{student}_deeper")
    nb = json.load(open(path))
    with open(path, "w") as f:
        f.write(_deep_json(nb))


def _deep_json(nb: dict) -> str:
    """``nb`` as JSON with a metadata value 5000 levels deep (json.dumps itself would recurse)."""
    text = json.dumps(nb)
    return text[:-1] + ', "deep_metadata": ' + '{"x": ' * 5000 + "{}" + "}" * 5000 + "}"


def recursive_event(course, subs, student, secret):
    """From inside the sandbox, a line in the events file that makes a JSON decoder recurse."""
    _honest(course, subs, student, extra="open('/sandbox/out/events.jsonl', 'a').write('[' * 200000 + '\\n')\n")


def repeated_array(course, subs, student, secret):
    """A 64 MB array written once and referenced 100,000 times by a forged result for every case."""
    attack = (
        "import json, numpy as np\n"
        "np.save('/sandbox/out/big.npy', np.zeros(8 << 20))\n"
        "_ref = {'t': 'ndarray', 'file': 'big.npy'}\n"
        "_tree = {'t': 'list', 'items': [{'t': 'list', 'items': [_ref] * 10000}] * 10}\n"
        "with open('/sandbox/out/events.jsonl', 'a') as _f:\n"
        "    for _case in json.load(open('/sandbox/job/job.json'))['cases']:\n"
        "        _f.write(json.dumps({'case': _case['key'], 'status': 'ok', 'values': {'0': _tree}}) + '\\n')\n")
    _honest(course, subs, student, extra=attack)


def fifo_notebook(course, subs, student, secret):
    """The notebook is a FIFO: opening it blocks until someone writes."""
    folder = os.path.join(subs, student, A)
    os.makedirs(folder)
    os.mkfifo(os.path.join(folder, f"{A}.ipynb"))


def special_files(course, subs, student, secret):
    """Beside a correct notebook: a FIFO, a socket, link loops, links to a secret and to the hidden cases."""
    folder = os.path.dirname(_honest(course, subs, student))
    os.mkfifo(os.path.join(folder, "data.fifo"))
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.path.join(folder, "sock"))
    sock.close()
    os.symlink("loop", os.path.join(folder, "loop"))
    os.symlink("..", os.path.join(folder, "up"))
    os.symlink(secret, os.path.join(folder, "secret.txt"))
    os.symlink(course.path("source", A, "hidden_cases.py"), os.path.join(folder, "hidden.py"))
    deep = os.path.join(folder, *["d"] * 40)
    os.makedirs(deep)
    with open(os.path.join(deep, "bottom.txt"), "w") as f:
        f.write("deep")


def linked_folder(course, subs, student, secret):
    """The student's folder is a link to a folder holding the secret."""
    target = os.path.join(os.path.dirname(secret), "elsewhere")
    os.makedirs(os.path.join(target, A))
    os.symlink(secret, os.path.join(target, A, "secret.txt"))
    with open(os.path.join(target, A, "copied.txt"), "w") as f:
        f.write(open(secret).read())
    os.symlink(target, os.path.join(subs, student))


def huge_notebook(course, subs, student, secret):
    """A 200 MB notebook that compresses to nothing: one markdown cell of spaces."""
    path = _honest(course, subs, student)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(" " * (200 << 20)))
    with open(path, "w") as f:
        json.dump(nb, f)


def forged_timestamp(course, subs, student, secret):
    """A ``timestamp.txt`` claiming the submission came in long before the deadline."""
    path = _honest(course, subs, student)
    with open(os.path.join(os.path.dirname(path), "timestamp.txt"), "w") as f:
        f.write("2000-01-01 00:00:00.000000 UTC")


def ids(course, subs, student, secret):
    """Ids a folder name can carry: a spreadsheet formula, glob characters (``[b]`` matches the
    bystander-like ``b``), terminal escapes (which the gradebook must not hold), an exception whose
    name holds escapes and a carriage return that draws a fake grade line."""
    for name in ('=HYPERLINK("evil.example","x")', "[b]", "b", "@SUM(1+1)", f"esc{ESCAPES}"):
        _honest(course, subs, name)
    raise_fake = "raise type('\\x1b[31mX\\r  honest  0 / 10', (Exception,), {})()\n"
    path = _honest(course, subs, student)
    _cell_after(path, "derivative_at", raise_fake)


ATTACKS = {f.__name__: f for f in (malformed_metadata, deep_metadata, recursive_event, repeated_array,
                                   fifo_notebook, special_files, linked_folder, huge_notebook, forged_timestamp, ids)}


def _honest(course, subs, student, extra: str = "") -> str:
    sources = answers(A)
    sources["fit_line"] += "\n" + extra
    write_submission(course, A, subs, student, sources)
    path = os.path.join(subs, student, A, f"{A}.ipynb")
    stamp = COLLECTED.replace(tzinfo=timezone.utc).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _results(course, student: str) -> list[tuple]:
    nb = nbformat.read(course.path("autograded", student, A, f"{A}.ipynb"), as_version=4)
    return [(r["key"], r["score"], r["message"]) for r in nb.metadata["ddsp_course"]["report"]["results"]]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded once, through the command line, in a process of its own (a hang fails, not blocks)."""
    from conftest import copy_course

    base = tmp_path_factory.mktemp("trusted")
    course = Course(copy_course(str(base / "course")))
    secret = str(base / "secret.txt")
    token = f"canary-{secrets.token_hex(8)}"
    with open(secret, "w") as f:
        f.write(token)
    subs = str(base / "subs")
    wrong = {f: next(iter(variants(A)[f]["wrong"].values())) for f in ("derivative_at", "fit_line")}
    for folder in (subs, str(base / "alone")):
        write_submission(course, A, folder, "honest", answers(A))
        write_submission(course, A, folder, "wrong", {**answers(A), **wrong})
    only = [a for a in os.environ.get("TRUSTED_ONLY", "").split(",") if a]
    for name, build in ATTACKS.items():
        if not only or name in only:
            build(course, subs, f"t_{name}", secret)
    alone = Course(copy_course(str(base / "alone_course")))
    reference = {r.student: r
                 for r in grade(alone, A, str(base / "alone"), limits=Limits(cell_timeout=20), progress=False)}
    command = [sys.executable, "-c", COORDINATOR, "--course", course.root, "grade", A, "--submissions", subs,
               "--no-progress", "--timeout", "20", "--workers", "2"]
    done = subprocess.run(command, capture_output=True, timeout=900)
    print(done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")[-3000:])
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    peak_mb = int(re.search(rb"PEAK_KB (\d+)", done.stderr).group(1)) / 1024
    print(f"peak memory of the coordinator: {peak_mb:.0f} MB")
    with open(course.path("grades", f"{A}.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    return dict(course=course, subs=subs, token=token, reference=reference, out=done.stdout, rows=rows,
                csv={r["student"]: r for r in rows}, peak_mb=peak_mb, only=only)


def _attack(graded, name):
    if graded["only"] and name not in graded["only"]:
        pytest.skip(f"TRUSTED_ONLY leaves {name} out")
    return f"t_{name}"


def _row(graded, student):
    return graded["csv"][student]


def _notes(graded, student) -> list[str]:
    nb = nbformat.read(graded["course"].path("autograded", student, A, f"{A}.ipynb"), as_version=4)
    return [note["text"] for note in nb.metadata["ddsp_course"]["report"]["notes"]]


def _full_marks(graded, student):
    row = _row(graded, student)
    assert row["total"] == row["max_total"] == _row(graded, "honest")["max_total"], row


def test_bystanders_keep_their_exact_grades_and_feedback(graded):
    course = graded["course"]
    for student in BYSTANDERS:
        assert _results(course, student) == [(r.key, r.score, r.message) for r in graded["reference"][student].results]
        assert _row(graded, student)["total"] == f"{graded['reference'][student].score:g}"
        assert os.path.isfile(course.path("feedback", student, A, f"{A}.html")), student
    assert _row(graded, "honest")["total"] == _row(graded, "honest")["max_total"]
    limits = nbformat.read(course.path("autograded", "honest", A, f"{A}.ipynb"), as_version=4) \
        .metadata["ddsp_course"]["time_limits"]
    assert limits["clock"] == "cpu" and limits["case_seconds"] and limits["used_seconds"], "limits kept with the grade"


def test_malformed_nbgrader_metadata_is_an_ordinary_cell(graded):
    student = _attack(graded, "malformed_metadata")
    _full_marks(graded, student)
    assert sum("malformed nbgrader metadata" in n for n in _notes(graded, student)) == 3
    assert "tampering" in graded["out"].decode()


def test_deeply_nested_metadata_costs_only_its_student(graded):
    student = _attack(graded, "deep_metadata")
    _full_marks(graded, student)
    course = graded["course"]
    kept = nbformat.read(course.path("autograded", student, A, f"{A}.ipynb"), as_version=4)
    assert "deep" not in kept.metadata and not any("deep" in c.metadata for c in kept.cells), \
        "the student's metadata is dropped, never copied where nbgrader renders it"
    assert os.path.isfile(course.path("feedback", student, A, f"{A}.html"))
    deeper = _row(graded, f"{student}_deeper")
    assert deeper["total"] == "0", "a notebook nbformat cannot read is scored as blank"
    assert any("could not be read (RecursionError)" in n for n in _notes(graded, f"{student}_deeper"))


def test_a_line_that_makes_the_decoder_recurse_is_ignored(graded):
    _full_marks(graded, _attack(graded, "recursive_event"))


def test_one_array_referenced_many_times_is_decoded_once_within_a_cap(graded):
    student = _attack(graded, "repeated_array")
    assert _row(graded, student)["total"] == "0"
    assert "over a cap" in graded["out"].decode()
    assert graded["peak_mb"] < 1500, f"the coordinator peaked at {graded['peak_mb']:.0f} MB"


def test_decoded_bytes_are_capped_per_submission(tmp_path):
    """The same attack on the decoder alone: 100,000 references to one 64 MB array."""
    import tracemalloc

    import numpy as np

    from ddsp_course.grade.sandbox.wire import OverCap, Reader, decode

    np.save(tmp_path / "big.npy", np.zeros(8 << 20))
    ref = {"t": "ndarray", "file": "big.npy"}
    tree = {"t": "list", "items": [{"t": "list", "items": [ref] * 10000}] * 10}
    tracemalloc.start()
    value = decode({"t": "list", "items": [ref] * 100}, str(tmp_path))
    assert len(value) == 100 and all(v is value[0] for v in value), "one file, decoded once"
    with pytest.raises(OverCap):
        decode(tree, str(tmp_path), Reader(max_values=50_000))
    reader = Reader(max_bytes=100 << 20)
    decode(ref, str(tmp_path), reader)
    np.save(tmp_path / "other.npy", np.zeros(8 << 20))
    with pytest.raises(OverCap):
        decode({"t": "ndarray", "file": "other.npy"}, str(tmp_path), reader)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 300 << 20, f"{peak >> 20} MiB"


def test_a_forged_array_header_is_refused_before_allocating(tmp_path):
    """A ``.npy`` header may claim any shape: numpy would allocate it before finding the file short."""
    import numpy as np

    from ddsp_course.grade.sandbox.wire import WireError, decode

    np.save(tmp_path / "small.npy", np.zeros(4))
    data = (tmp_path / "small.npy").read_bytes().replace(b"(4,)", b"(9999999999999,)")
    (tmp_path / "forged.npy").write_bytes(data)
    with pytest.raises(WireError):
        decode({"t": "ndarray", "file": "forged.npy"}, str(tmp_path))


def test_a_fifo_for_a_notebook_is_scored_blank_without_blocking(graded):
    student = _attack(graded, "fifo_notebook")
    assert _row(graded, student)["total"] == "0"
    assert any("special file" in n for n in _notes(graded, student))


def test_links_fifos_sockets_and_loops_are_never_followed_or_copied(graded):
    student = _attack(graded, "special_files")
    course = graded["course"]
    _full_marks(graded, student)
    kept = course.path("submitted", student, A)
    for base, folders, files in os.walk(kept):
        for name in folders + files:
            path = os.path.join(base, name)
            assert not os.path.islink(path) and (os.path.isdir(path) or os.path.isfile(path)), path
            if os.path.isfile(path):
                text = open(path, errors="replace").read()
                assert graded["token"] not in text and "CASES = Cases()" not in text, path
    assert os.path.isfile(os.path.join(kept, f"{A}.ipynb"))
    assert not os.path.exists(os.path.join(kept, *["d"] * 40)), "past the depth cap"
    notes = " ".join(_notes(graded, student))
    assert "secret.txt is a symbolic link" in notes and "data.fifo is a special file" in notes


def test_a_linked_student_folder_is_not_read(graded):
    student = _attack(graded, "linked_folder")
    course = graded["course"]
    assert _row(graded, student)["total"] == "0"
    for base, _, files in os.walk(course.path("submitted", student)):
        for name in files:
            assert graded["token"] not in open(os.path.join(base, name), errors="replace").read()


def test_a_huge_notebook_is_refused_at_a_cap(graded):
    student = _attack(graded, "huge_notebook")
    assert _row(graded, student)["total"] == "0"
    assert any("larger than 32 MiB" in n for n in _notes(graded, student))
    assert os.path.getsize(graded["course"].path("feedback", student, A, f"{A}.html")) < 5 << 20


def test_the_submission_time_comes_from_the_collection_not_a_file_the_student_wrote(graded):
    from nbgrader.api import Gradebook

    student = _attack(graded, "forged_timestamp")
    with Gradebook(graded["course"].db_url) as gb:
        assert gb.find_submission(A, student).timestamp == COLLECTED


def test_ids_and_names_reach_the_terminal_and_the_csv_inert(graded):
    student = _attack(graded, "ids")
    course, out = graded["course"], graded["out"]
    for control in (b"\x1b", b"\x07", b"\r"):
        assert control not in out, f"{control!r} reached the terminal"
    assert re.search(rb"esc\?\]0;retitled\?\?\[2J +not graded", out), "the escaped id is named, as text"
    formula = _row(graded, "'=HYPERLINK(\"evil.example\",\"x\")")
    assert formula["total"] == formula["max_total"]
    assert _row(graded, "'@SUM(1+1)")["total"] == formula["total"]
    assert not any(r["student"].startswith(("=", "+", "-", "@")) for r in graded["rows"])
    assert not any(c in value for r in graded["rows"] for value in r.values() for c in "\x1b\x07\r")
    escaped = _row(graded, "esc?]0;retitled??[2J")
    assert escaped["problem"].startswith("could not be graded: the student id holds control characters")
    for name in ("[b]", "b"):  # "[b]" as a glob pattern matches "b"
        page = course.path("feedback", name, A, f"{A}.html")
        assert os.path.isfile(page), name
    _full_marks(graded, "[b]")
    assert any("raised ?[31mX?  honest  0 / 10" in line for line in out.decode().splitlines())
    assert _row(graded, student)["total"] == _row(graded, "honest")["total"]


def test_a_failure_anywhere_in_grading_is_its_students_alone(course, tmp_path, monkeypatch):
    """Whatever goes wrong on the trusted side for one student (here: recording them) leaves the rest of
    the class graded and names that student with the reason; a rerun does the same."""
    import ddsp_course.grade.pipeline as pipeline

    subs = str(tmp_path / "subs")
    for student in ("unlucky", "honest"):
        write_submission(course, A, subs, student, answers(A))
    real = pipeline.record_one

    def record_one(course, gb, release, assignment, student, *args):
        if student == "unlucky":
            raise OSError("the disk is full")
        return real(course, gb, release, assignment, student, *args)

    monkeypatch.setattr(pipeline, "record_one", record_one)
    for attempt in range(2):
        reports = {r.student: r for r in grade(course, A, subs, limits=Limits(cell_timeout=20), progress=False)}
        assert reports["unlucky"].error.startswith("OSError in the grader")
        assert reports["unlucky"].flags == ["could not be graded"]
        assert reports["honest"].score == reports["honest"].max_score > 0
        assert reports["honest"].reused == (attempt == 1)


def test_nbgraders_own_autograde_runs_nothing_of_a_submission(course, tmp_path, monkeypatch):
    """The formgrader's Autograde button (nbgrader's API, as the formgrader calls it) would run a student's code
    as the instructor, outside the sandbox and without the hidden tests: the course turns it off and names the
    kit's command. With it back on (what the benchmarks do), the same submission writes its canary."""
    from ddsp_course.guard import REFUSAL
    from ddsp_course.release import register

    canary = tmp_path / "ran-as-the-instructor"
    right = answers(A)
    first = next(iter(right))
    write_submission(course, A, course.path("submitted"), "mallory",
                     {**right, first: f"open({str(canary)!r}, 'w').write('x')\n{right[first]}"})
    register(course, A)
    result = course.api().autograde(A, "mallory")
    assert not result["success"] and REFUSAL in " ".join(result["log"].split()), result["log"][-2000:]
    assert not canary.exists()

    monkeypatch.setenv("DDSP_COURSE_PLAIN_NBGRADER", "1")
    assert Course(course.root).api().autograde(A, "mallory")["success"]
    assert canary.exists()
