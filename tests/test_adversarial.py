"""The adversarial corpus (tests/adversarial/) graded in one run through the real ``grade``, sandbox on,
two submissions at a time (an attack shares the machine with its neighbour).

Every submission is ps01 with correct answers and one attack (see tests/adversarial/corpus.txt). Asserted:
no attack gains points (an attack in place of F scores 0 on test_F, never more than honest elsewhere),
no canary trips (a loopback listener sees no connection; a secret's content, in a file outside the course,
in the course and in the grader's environment, appears in no autograded notebook, feedback page or file the
sandbox wrote; a file outside the scratch folder stays unwritten; no process of an attack survives), the
honest students' grades equal their grades when graded alone and serially, each in a sandbox of its own (not
forked from a warm parent an attack was forked from before), the gradebook opens and holds everyone,
and the report names the damage done to tests.
"""
import glob
import os
import re
import secrets
import socket
import threading
import time

import nbformat
import pytest
from support import ROOT, answers, nbgrader_meta, variants, write_submission

import ddsp_course.grade.pipeline as grading
from ddsp_course.grade import grade
from ddsp_course.grade.processes.bwrap import sandbox_available
from ddsp_course.grade.processes.limits import Limits

A = "ps01_pytorch_basics"
HERE = os.path.join(os.path.dirname(__file__), "adversarial")
FUNCTIONS = ["derivative_at", "gradient_descent", "fit_line"]
WRONG = {  # what an attack cell defines in place of F: it earns nothing honestly
    "derivative_at": "def derivative_at(f, x0):\n    return float('nan')\n",
    "gradient_descent": "def gradient_descent(f, x0, lr, n_iter):\n    return [float('nan')] * n_iter\n",
    "fit_line": "def fit_line(x, y, n_iter, lr):\n    return float('nan'), float('nan')\n",
}
LIMITS = Limits(cell_timeout=6, total=60, memory_bytes=4 << 30, file_bytes=64 << 20, processes=64, disk_bytes=512 << 20)
LEAK = re.compile(r"LEAKED ")  # the prelude's marker of something read or written that must not be
NOTES = {"test_edited": "test cell test_derivative_at was edited",
         "test_deleted": "test cell test_gradient_descent was deleted",
         "test_points": "test_fit_line: its points were edited", "new_ids": "unknown grade id",
         "type_change": "test_gradient_descent: its nbgrader type was changed"}

pytestmark = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is not installed")


def corpus() -> list[tuple[str, str]]:
    rows = []
    with open(os.path.join(HERE, "corpus.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, where, _ = (part.strip() for part in line.split("|"))
                rows.append((name, where))
    return rows


def _snippet(name: str, subst: dict) -> str:
    path = os.path.join(HERE, f"{name}.py")
    if not os.path.isfile(path):
        return ""
    with open(path) as f:
        text = f.read()
    for key, value in subst.items():
        text = text.replace(key, value)
    return text


def build(course, subs: str, name: str, where: str, subst: dict) -> None:
    """Write ``subs/adv_<name>/ps01.../ps01....ipynb``: correct answers plus the attack where the table says."""
    student = f"adv_{name}"
    kind, _, target = where.partition(":")
    attack = _snippet("_prelude", subst) + "\n" + _snippet(name, subst)
    sources = answers(A)
    if kind in ("replace", "links"):
        sources[target] = WRONG[target] + "\n" + attack
    write_submission(course, A, subs, student, sources)
    path = os.path.join(subs, student, A, f"{A}.ipynb")
    if kind == "links":
        for link, to in (("secret.txt", subst["@SECRET@"]), ("master.ipynb", course.master(A)),
                         ("gradebook.db", course.path("gradebook.db")), ("course", course.root)):
            os.symlink(to, os.path.join(os.path.dirname(path), link))
    elif kind == "link_notebook":
        os.remove(path)
        os.symlink(course.master(A), path)
        return
    nb = nbformat.read(path, as_version=4)
    index = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(nb.cells)}
    if kind == "add_after":
        nb.cells.insert(index[target] + 1, nbformat.v4.new_code_cell(attack))
    elif kind == "test_edit":
        nb.cells[index[target]].source = _snippet(name, subst)
    elif kind == "test_delete":
        del nb.cells[index[target]]
    elif kind == "test_move":
        nb.cells.insert(0, nb.cells.pop(index[target]))
    elif kind == "test_points":
        nb.cells[index[target]].metadata["nbgrader"]["points"] = 1000
    elif kind == "type_change":
        cell = nb.cells[index[target]]
        cell.metadata["nbgrader"].update(solution=True, locked=False, points=100)
        cell.source = _snippet(name, subst)
    elif kind == "new_ids":
        for grade_id in ("derivative_at", "test_derivative_at"):
            nb.cells[index[grade_id]].metadata["nbgrader"]["grade_id"] = grade_id + "_v2"
        bonus = nbformat.v4.new_code_cell("assert True")
        bonus.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 50,
                                      "grade_id": "test_bonus", "schema_version": 3}
        nb.cells.append(bonus)
    nbformat.write(nb, path)


def _listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    seen, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, addr = server.accept()
                seen.append(addr)
                conn.close()
            except OSError:
                pass
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, seen, stop


def _processes_with(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        for what in ("comm", "cmdline"):
            try:
                with open(f"/proc/{pid}/{what}", "rb") as f:
                    text = f.read().decode(errors="replace")
            except OSError:
                continue
            if marker in text:
                found.append(f"{pid}: {text[:200]!r}")
    return found


def _by_cell(report) -> dict[str, float]:
    cells: dict[str, float] = {}
    for r in report.results:
        cells[r.cell] = cells.get(r.cell, 0.0) + r.score
    return cells


def test_the_adversarial_corpus(course, tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    from ddsp_course.feedback import write_feedback

    started = time.monotonic()
    token, mark = f"canary-{secrets.token_hex(8)}", secrets.token_hex(4)
    secret, outside = tmp_path / "secret.txt", tmp_path / "outside.txt"
    secret.write_text(token)
    monkeypatch.setenv("GRADER_SECRET", token)
    for planted in (course.path("solutions", A, "canary.txt"), course.path("source", A, "canary.txt")):
        os.makedirs(os.path.dirname(planted), exist_ok=True)
        with open(planted, "w") as f:
            f.write(token)
    server, connections, stop = _listener()
    subs, alone = str(tmp_path / "subs"), str(tmp_path / "alone")
    wrong = {f: next(iter(variants(A)[f]["wrong"].values())) for f in FUNCTIONS}
    for folder in (subs, alone):
        write_submission(course, A, folder, "honest", answers(A))
        write_submission(course, A, folder, "wrong", {**answers(A), **wrong})
    peer = f"peer-{secrets.token_hex(8)}"  # in the honest student's folder: no one else may see it
    with open(os.path.join(subs, "honest", A, "notes.txt"), "w") as f:
        f.write(peer)
    subst = {"@COURSE@": course.root, "@SUBS@": subs, "@SECRET@": str(secret), "@OUTSIDE@": str(outside),
             "@PORT@": str(server.getsockname()[1]), "@MARK@": mark, "@REPO@": ROOT}
    rows = corpus()
    if os.environ.get("ADV_ONLY"):  # debugging a few attacks: ADV_ONLY=fork_bomb,fill_disk
        rows = [r for r in rows if r[0] in os.environ["ADV_ONLY"].split(",")]
    for name, where in rows:
        build(course, subs, name, where, subst)

    # what the sandbox wrote, read before each scratch folder is thrown away
    sandbox_files: dict[str, list[str]] = {}
    real_execute, real_run_one, current = grading.execute, grading.run_one, threading.local()

    def run_one_named(release, assignment, student, *args, **kwargs):
        current.student = student  # execute runs in this same worker thread
        return real_run_one(release, assignment, student, *args, **kwargs)

    def execute_and_look(cells, cases, submission_dir, scratch, limits, warm=None):
        events = real_execute(cells, cases, submission_dir, scratch, limits, warm)
        texts = sandbox_files.setdefault(current.student, [])
        for base, _, files in os.walk(scratch):
            for name in files:
                path = os.path.join(base, name)
                if not os.path.islink(path) and os.path.isfile(path):
                    with open(path, "rb") as f:
                        texts.append(f"{path}\n" + f.read(1 << 20).decode(errors="replace"))
        return events
    monkeypatch.setattr(grading, "execute", execute_and_look)
    monkeypatch.setattr(grading, "run_one", run_one_named)
    monkeypatch.setattr(grading.tempfile, "tempdir", str(tmp_path))  # scratch folders under tmp_path

    try:
        with monkeypatch.context() as cold:  # the reference: alone, serially, each in a sandbox of its own
            cold.setattr(grading.WarmPool, "possible", staticmethod(lambda limits: False))
            reference = {r.student: r for r in grade(course, A, alone, limits=LIMITS, progress=False, workers=1)}
        reports = {r.student: r for r in grade(course, A, subs, limits=LIMITS, progress=False, workers=2)}
    finally:
        stop.set()
        server.close()
    graded = time.monotonic()
    survivors = _processes_with(mark)
    write_feedback(course, A, sorted(reports))

    # every student graded, the gradebook intact
    assert set(reports) == {"honest", "wrong"} | {f"adv_{n}" for n, _ in rows}
    with Gradebook(course.db_url) as gb:
        assert {s.id for s in gb.students} == set(reports)
        for student, report in reports.items():
            assert gb.find_submission(A, student).score == pytest.approx(report.score), student
    # honest students unaffected by the class they were graded with
    for student in ("honest", "wrong"):
        assert [(r.key, r.score, r.message) for r in reports[student].results] == \
               [(r.key, r.score, r.message) for r in reference[student].results], student
    honest = _by_cell(reports["honest"])
    assert reports["honest"].score == reports["honest"].max_score
    assert reports["wrong"].score < reports["honest"].score

    problems = []
    for name, where in rows:
        report = reports[f"adv_{name}"]
        print(f"{name:20} {report.score:g}/{report.max_score:g} {report.notes}")
        cells = _by_cell(report)
        kind, _, target = where.partition(":")
        for cell, score in cells.items():
            if score > honest[cell]:
                problems.append(f"{name}: {cell} scored {score} > honest {honest[cell]}")
        if kind == "link_notebook" and (report.score != 0 or not report.notes):
            problems.append(f"{name}: scored {report.score} with notes {report.notes}")
        if kind in ("replace", "links") and cells[f"test_{target}"] != 0:
            problems.append(f"{name}: test_{target} scored {cells[f'test_{target}']} for an attack")
        if report.max_score != reports["honest"].max_score:
            problems.append(f"{name}: max score {report.max_score}")
        if name in NOTES and not any(NOTES[name] in n for n in report.notes):
            problems.append(f"{name}: the report does not name the damage ({report.notes})")

    # canaries: nothing read or written where it must not be
    outputs = {}
    for path in (glob.glob(course.path("autograded", "*", A, "*.ipynb"))
                 + glob.glob(course.path("feedback", "*", A, "*.html"))):
        with open(path, errors="replace") as f:
            outputs[path] = f.read()
    for student, texts in sandbox_files.items():
        for i, text in enumerate(texts):
            outputs[f"sandbox of {student}: {text.splitlines()[0]}"] = text
    for where_, text in outputs.items():
        if token in text:
            problems.append(f"the secret appears in {where_}")
        if peer in text and "honest" not in where_:
            problems.append(f"another student's file appears in {where_}")
        if LEAK.search(text):
            problems.append(f"{where_}: {text[LEAK.search(text).start():][:300]}")
        if "HISTORY_ATOL" in text or "BEGIN SOLUTION" in text or "BEGIN HIDDEN" in text:
            problems.append(f"hidden cases' or the master's source in {where_}")
    if connections:
        problems.append(f"the loopback listener saw {connections}")
    if outside.exists() or os.path.exists(f"/tmp/adv_{mark}"):
        problems.append("a file outside the scratch folder was written")
    if glob.glob(os.path.join(ROOT, "ddsp_course", f"adv_{mark}*")):
        problems.append("the kit's package was written")
    if survivors:
        problems.append(f"processes left running: {survivors}")

    # resources: the limits held, each proven by what the attack itself saw
    def seen(student, pattern):
        path = course.path("autograded", f"adv_{student}", A, f"{A}.ipynb")
        return re.search(pattern, outputs[path]) if path in outputs else None
    names = {n for n, _ in rows}
    forks = seen("fork_bomb", r"FORKS (\d+)")
    if "fork_bomb" in names and (forks is None or int(forks.group(1)) >= LIMITS.processes):
        problems.append(f"fork bomb not stopped by a process limit ({forks and forks.group(0)})")
    memory = seen("memory_bomb", r"MEMORY (\d+) MiB")
    if "memory_bomb" in names and (memory is None or int(memory.group(1)) << 20 > LIMITS.memory_bytes):
        problems.append(f"memory bomb not stopped by the memory limit ({memory and memory.group(0)})")
    output = seen("huge_output", r"OUTPUT (\d+)")
    if "huge_output" in names and (output is None or int(output.group(1)) > LIMITS.file_bytes):
        problems.append(f"huge output not stopped by the file size limit ({output and output.group(0)})")
    print("what the attacks saw:", *(m.group(0) for m in (forks, memory, output) if m))
    if "infinite_loop" in names and not any("was stopped" in n for n in reports["adv_infinite_loop"].notes):
        problems.append(f"infinite loop not named as stopped: {reports['adv_infinite_loop'].notes}")
    assert not problems, "\n".join(problems)
    print(f"graded {len(reports)} submissions in {graded - started:.0f} s")
