"""The LMS round trip (issue 19): a Canvas or Moodle zip of submissions imported through the roster, hostile
archives refused, the imported folder graded for real, and the grade CSVs Canvas and Moodle import."""
import csv
import json
import os
import stat
import zipfile

import nbformat
import pytest
from support import answers, variants

from ddsp_course import roster as rosters
from ddsp_course.cli import main
from ddsp_course.course import UsageError
from ddsp_course.lms import Caps, import_zip

A = "ps01_pytorch_basics"
ROSTER = """id,name,email,canvas_id,sis_user_id,sis_login_id,section,id_number
smith,John Smith,john.smith@uni.example,12345,S001,jsmith,A,1001
garcia,Ana García,ana.garcia@uni.example,23456,S002,agarcia,B,1002
lee,@Kim Lee,kim.lee@uni.example,,S003,klee,A,1003
absent,Sam Absent,sam@uni.example,45678,S004,sabsent,A,1004
"""
WHEN = (2026, 3, 1, 23, 59, 58)


def _notebook(course, sources: dict[str, str] | None = None, marker: str = "") -> bytes:
    """The release's notebook with answer cells replaced, as bytes (``marker`` tells copies apart)."""
    nb = nbformat.read(course.released(A), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if sources and grade_id in sources:
            cell.source = sources[grade_id]
    nb.metadata["marker"] = marker
    return nbformat.writes(nb).encode()


def _zip(path, entries, compression=zipfile.ZIP_DEFLATED):
    """A zip at ``path`` of ``[(name, bytes)]`` or ``[(ZipInfo, bytes)]``, entries dated ``WHEN`` by default."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in entries:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, WHEN)
            info.compress_type = compression
            zf.writestr(info, data)
    return str(path)


@pytest.fixture
def lms_course(course):
    with open(course.path("roster.csv"), "w") as f:
        f.write(ROSTER)
    return course


def _record(course):
    with open(course.path("imports", A, "submissions.json")) as f:
        return json.load(f)


def _submitted(course, student):
    with open(course.path("submitted", student, A, f"{A}.ipynb"), "rb") as f:
        return f.read()


def test_a_canvas_download_is_mapped_through_the_roster(lms_course, tmp_path, capsys):
    course = lms_course
    first, second = _notebook(course, marker="first"), _notebook(course, marker="second")
    late, by_name = _notebook(course, marker="late"), _notebook(course, marker="by name")
    stranger, pdf = _notebook(course, marker="stranger"), b"%PDF-1.4 notes"
    archive = _zip(tmp_path / "submissions.zip", [
        (f"smithjohn_12345_6789100_{A}-1.ipynb", second),      # the resubmission, uploaded later
        (f"smithjohn_12345_6789012_{A}.ipynb", first),         # listed after it: order is by upload, not place
        (f"garciaana_LATE_23456_6789200_{A}.ipynb", late),
        (f"leekim_34567_6789300_{A}.ipynb", by_name),          # no canvas_id in the roster: mapped by name
        (f"doejane_99999_6789400_{A}.ipynb", stranger),        # not in the roster
        ("smithjohn_12345_6789013_notes.pdf", pdf),            # not a notebook
    ])
    assert main(["--course", course.root, "import-zip", A, archive]) == 0
    out = capsys.readouterr().out

    assert sorted(os.listdir(course.path("submitted"))) == ["garcia", "lee", "smith"]
    assert _submitted(course, "smith") == second and _submitted(course, "garcia") == late
    assert _submitted(course, "lee") == by_name
    # the LMS's time is the file's time: grading takes the submission time from it
    assert os.stat(course.path("submitted", "smith", A, f"{A}.ipynb")).st_mtime == pytest.approx(
        __import__("time").mktime(WHEN + (0, 0, -1)))

    record = _record(course)
    assert record["students"]["garcia"]["late"] is True and record["students"]["smith"]["late"] is False
    assert record["students"]["smith"]["entry"] == f"smithjohn_12345_6789100_{A}-1.ipynb"
    assert record["students"]["smith"]["submitted_at"] == "2026-03-01T23:59:58"
    assert record["students"]["lee"]["lms_user"] == "34567"
    left = {item["entry"]: item for item in record["left_out"]}
    assert set(left) == {f"smithjohn_12345_6789012_{A}.ipynb", f"doejane_99999_6789400_{A}.ipynb",
                         "smithjohn_12345_6789013_notes.pdf"}
    assert "earlier upload" in left[f"smithjohn_12345_6789012_{A}.ipynb"]["reason"]
    assert "no student of the roster" in left[f"doejane_99999_6789400_{A}.ipynb"]["reason"]
    assert left["smithjohn_12345_6789013_notes.pdf"]["reason"] == "not a notebook"
    # nothing lost: every file not imported is kept, byte for byte
    for name, data in ((f"smithjohn_12345_6789012_{A}.ipynb", first), (f"doejane_99999_6789400_{A}.ipynb", stranger),
                       ("smithjohn_12345_6789013_notes.pdf", pdf)):
        with open(course.path(left[name]["kept"]), "rb") as f:
            assert f.read() == data
        assert left[name]["kept"].startswith(os.path.join("imports", A, "unmatched", "submissions.zip"))
    # the report: one line each
    assert "imported 3 submissions" in out
    assert f"garcia: garciaana_LATE_23456_6789200_{A}.ipynb (Canvas, 2026-03-01 23:59:58, LATE)" in out
    assert f"doejane_99999_6789400_{A}.ipynb: no student of the roster has the Canvas id 99999 or name 'doejane'" in out
    assert "smithjohn_12345_6789013_notes.pdf: not a notebook" in out

    # an older upload in another download does not replace the newer one imported before
    older = _zip(tmp_path / "again.zip", [(f"smithjohn_12345_6789000_{A}.ipynb", _notebook(course, marker="old"))])
    assert main(["--course", course.root, "import-zip", A, older]) == 2
    assert _submitted(course, "smith") == second
    assert "an earlier upload than" in capsys.readouterr().out


def test_a_canvas_name_with_another_canvas_id_is_not_that_student(lms_course, tmp_path):
    course = lms_course
    archive = _zip(tmp_path / "namesake.zip", [(f"smithjohn_99999_6789012_{A}.ipynb", _notebook(course))])
    result = import_zip(course, A, archive, rosters.load(course))
    assert result.students == {} and not os.path.exists(course.path("submitted", "smith"))
    assert result.left_out == [(f"smithjohn_99999_6789012_{A}.ipynb", "the name 'smithjohn' is smith's, whose "
                                "canvas_id is 12345, not 99999: another student of the same name?",
                                f"imports/{A}/unmatched/namesake.zip/smithjohn_99999_6789012_{A}.ipynb")]


def test_a_moodle_download_in_folders_or_flat(lms_course, tmp_path):
    course = lms_course
    smith, garcia, lee, doe = (_notebook(course, marker=m) for m in ("smith", "garcia", "lee", "doe"))
    archive = _zip(tmp_path / "moodle.zip", [
        (f"John Smith_501_assignsubmission_file_/{A}.ipynb", smith),
        (f"Ana García_502_assignsubmission_file_/{A}.ipynb", garcia),
        ("Ana García_502_assignsubmission_onlinetext_/onlinetext.html", b"<p>see the notebook</p>"),
        (f"Kim Lee_503_assignsubmission_file_{A}.ipynb", lee),    # "download submissions in folders" off
        (f"Jane Doe_504_assignsubmission_file_/{A}.ipynb", doe),
    ])
    result = import_zip(course, A, archive, rosters.load(course))
    assert sorted(result.students) == ["garcia", "lee", "smith"]
    assert [_submitted(course, s) for s in ("smith", "garcia", "lee")] == [smith, garcia, lee]
    assert {r["lms"] for r in result.students.values()} == {"moodle"}
    assert all(r["late"] is None for r in result.students.values())  # a Moodle download does not say
    reasons = {name: reason for name, reason, _ in result.left_out}
    assert reasons == {"Ana García_502_assignsubmission_onlinetext_/onlinetext.html": "not a notebook",
                       f"Jane Doe_504_assignsubmission_file_/{A}.ipynb":
                       "no student of the roster has the name 'Jane Doe'"}
    assert all(kept for _, _, kept in result.left_out)


def test_unsafe_entries_are_refused_and_nothing_leaves_the_import(lms_course, tmp_path):
    course = lms_course
    good = _notebook(course, marker="good")
    link = zipfile.ZipInfo(f"smithjohn_12345_6789999_{A}.ipynb", WHEN)  # the latest upload, if it were followed
    link.create_system, link.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
    archive = _zip(tmp_path / "evil.zip", [
        (f"smithjohn_12345_6789012_{A}.ipynb", good),
        ("../evil.ipynb", b"{}"),
        (f"smithjohn_12345_6789013_../../../{A}.ipynb", b"{}"),
        ("/tmp/absolute.ipynb", b"{}"),
        (link, b"/etc/passwd"),
    ])
    result = import_zip(course, A, archive, rosters.load(course))
    assert list(result.students) == ["smith"] and _submitted(course, "smith") == good
    reasons = {name: reason for name, reason, _ in result.left_out}
    assert "a path leaving its folder" in reasons["../evil.ipynb"]
    assert "a path leaving its folder" in reasons[f"smithjohn_12345_6789013_../../../{A}.ipynb"]
    assert "an absolute path" in reasons["/tmp/absolute.ipynb"]
    assert "a symbolic link, refused" in reasons[f"smithjohn_12345_6789999_{A}.ipynb"]
    assert all(kept is None for _, _, kept in result.left_out)  # refused: never written anywhere
    assert not os.path.exists(tmp_path / "evil.ipynb") and not os.path.exists(course.path("evil.ipynb"))
    assert not os.path.exists("/tmp/absolute.ipynb")
    for base, folders, files in os.walk(course.root):
        for name in folders + files:
            assert not os.path.islink(os.path.join(base, name)), os.path.join(base, name)


def test_zip_bombs_are_refused_before_anything_is_extracted(lms_course, tmp_path):
    course = lms_course
    good = _notebook(course, marker="good")
    # an entry that inflates past the cap: 40 MiB of zeros, 40 kB compressed
    bomb = _zip(tmp_path / "bomb.zip", [(f"smithjohn_12345_6789012_{A}.ipynb", good),
                                        (f"garciaana_23456_6789013_{A}.ipynb", bytes(40 << 20))])
    assert os.path.getsize(bomb) < 1 << 20
    result = import_zip(course, A, bomb, rosters.load(course))
    assert list(result.students) == ["smith"]
    assert result.left_out == [(f"garciaana_23456_6789013_{A}.ipynb",
                                "declares 40 MiB uncompressed, over the cap of 32 MiB: refused, not extracted", None)]
    assert not os.path.exists(course.path("submitted", "garcia"))

    # a forged central directory declaring 2 GiB in all: the whole archive is refused, nothing written
    forged = tmp_path / "forged.zip"
    _zip(forged, [(f"garciaana_23456_6789013_{A}.ipynb", good)], zipfile.ZIP_STORED)
    data = bytearray(forged.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (0x7FFFFFFF).to_bytes(4, "little")  # its uncompressed size
    forged.write_bytes(bytes(data))
    with pytest.raises(UsageError, match=r"forged.zip declares 2048 MiB uncompressed, over the cap of 1024 MiB"):
        import_zip(course, A, str(forged), rosters.load(course))
    assert not os.path.exists(course.path("submitted", "garcia"))

    many = _zip(tmp_path / "many.zip", [(f"x{i}.txt", b"") for i in range(11)])
    with pytest.raises(UsageError, match="holds 11 entries, over the cap of 10: refused before extracting"):
        import_zip(course, A, many, rosters.load(course), Caps(entries=10))


def test_broken_archives_are_reported_and_nothing_is_lost(lms_course, tmp_path, capsys):
    course = lms_course
    smith, garcia = _notebook(course, marker="smith"), _notebook(course, marker="garcia")
    whole = _zip(tmp_path / "whole.zip", [(f"smithjohn_12345_6789012_{A}.ipynb", smith),
                                          (f"garciaana_23456_6789013_{A}.ipynb", garcia)], zipfile.ZIP_STORED)
    data = open(whole, "rb").read()

    # truncated (an interrupted download): one line, exit 2, nothing written, the archive left as it was
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    assert main(["--course", course.root, "import-zip", A, str(truncated)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ddsp-course: error: {truncated} is not a readable zip archive") and err.count("\n") == 1
    assert "download it from the LMS again" in err
    assert not os.path.exists(course.path("submitted")) and truncated.read_bytes() == data[: len(data) // 2]

    # one entry damaged: the other is imported, the damaged one named
    damaged = bytearray(data)
    at = damaged.index(garcia) + 100
    damaged[at] ^= 0xFF
    (tmp_path / "damaged.zip").write_bytes(bytes(damaged))
    assert main(["--course", course.root, "import-zip", A, str(tmp_path / "damaged.zip")]) == 0
    out = capsys.readouterr().out
    assert _submitted(course, "smith") == smith and not os.path.exists(course.path("submitted", "garcia"))
    assert f"garciaana_23456_6789013_{A}.ipynb: could not be read from the archive (damaged: Bad CRC-32" in out


@pytest.mark.parametrize("text, message", [
    ("name,email\nJohn Smith,j@x\n", "roster.csv: the header row lacks the column id"),
    ("id,name\nsmith,John Smith\nsmith,Jon Smith\n", "roster.csv line 3: id 'smith' is on line 2 too"),
    ("id,name\nsmith,John Smith,extra\n", "roster.csv line 2: 3 fields where the header has 2"),
    ("id,name\nsmith,\n", "roster.csv line 2: the name is empty"),
    ("id,name\n../x,X\n", "roster.csv line 2: the id holds a slash"),
    ("id,name,canvas_id\na,A,1\nb,B,1\n", "roster.csv line 3: canvas_id '1' is on line 2 too"),
])
def test_a_malformed_roster_is_one_line(course, tmp_path, capsys, text, message):
    with open(course.path("roster.csv"), "w") as f:
        f.write(text)
    archive = _zip(tmp_path / "a.zip", [(f"smithjohn_12345_6789012_{A}.ipynb", b"{}")])
    assert main(["--course", course.root, "import-zip", A, archive]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not os.path.exists(course.path("submitted"))


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_import_grade_and_export_for_canvas_and_moodle(lms_course, tmp_path, capsys):
    from nbgrader.api import Gradebook

    course = lms_course
    wrong = next(iter(variants(A)["gradient_descent"]["wrong"].values()))
    archive = _zip(tmp_path / "canvas.zip", [
        (f"smithjohn_12345_6789012_{A}.ipynb", _notebook(course)),                       # blank, replaced by:
        (f"smithjohn_12345_6789100_{A}-1.ipynb", _notebook(course, answers(A))),
        (zipfile.ZipInfo(f"garciaana_LATE_23456_6789200_{A}.ipynb", (2026, 3, 2, 0, 10, 0)),  # 10 min late
         _notebook(course, {**answers(A), "gradient_descent": wrong})),
        (f"leekim_34567_6789300_{A}.ipynb", _notebook(course)),
    ])
    assert main(["--course", course.root, "import-zip", A, archive]) == 0
    capsys.readouterr()
    assert main(["--course", course.root, "grade", A, "--submissions", course.path("submitted"),
                 "--due", "2026-03-02 00:00", "--no-progress", "--timeout", "20"]) == 0
    out = capsys.readouterr().out
    late_lines = [line for line in out.splitlines() if "after the due date" in line]
    assert len(late_lines) == 1 and "garcia: submitted 2026-03-0" in late_lines[0] and "0 h 10 min 0 s" in out, out
    with Gradebook(course.db_url) as gb:
        scores = {s.student_id: s.score for s in gb.assignment_submissions(A)}
        full = gb.find_assignment(A).max_score
    assert sorted(scores) == ["garcia", "lee", "smith"]
    assert scores["smith"] == full and scores["lee"] == 0 and 0 < scores["garcia"] < full
    pages = {}
    for student in scores:  # the late student's feedback page says so first; the others' say nothing of it
        with open(course.path("feedback", student, A, f"{A}.html")) as f:
            pages[student] = f.read()
    assert [s for s, page in pages.items() if "<strong>Late:</strong> submitted" in page] == ["garcia"]

    assert main(["--course", course.root, "export", "--lms", "canvas"]) == 0
    assert capsys.readouterr().out.startswith(course.path("grades", "canvas.csv"))
    g = f"{scores['garcia']:g}"
    assert _rows(course.path("grades", "canvas.csv")) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A],
        ["John Smith", "12345", "S001", "jsmith", "A", f"{full:g}"],
        ["Ana García", "23456", "S002", "agarcia", "B", g],
        ["'@Kim Lee", "", "S003", "klee", "A", "0"],     # a name a spreadsheet would read as a formula: inert
    ]
    assert main(["--course", course.root, "export", "--lms", "moodle", A]) == 0
    assert _rows(course.path("grades", "moodle.csv")) == [
        ["Email address", "ID number", A],
        ["john.smith@uni.example", "1001", f"{full:g}"],
        ["ana.garcia@uni.example", "1002", g],
        ["kim.lee@uni.example", "1003", "0"],
    ]
    # a graded student the roster no longer lists is a warning, never a row
    with open(course.path("roster.csv"), "w") as f:
        f.write("".join(line for line in ROSTER.splitlines(keepends=True) if not line.startswith("lee,")))
    capsys.readouterr()
    assert main(["--course", course.root, "export", "--lms", "moodle", A]) == 0
    assert "warning: lee: graded, but not in roster.csv: not exported" in capsys.readouterr().err
    assert [row[0] for row in _rows(course.path("grades", "moodle.csv"))] == [
        "Email address", "john.smith@uni.example", "ana.garcia@uni.example"]
    # the plain export is as it was
    assert main(["--course", course.root, "export", A]) == 0
    with open(course.path("grades", f"{A}.csv")) as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert {s: float(r["total"]) for s, r in rows.items()} == scores


def test_export_needs_a_key_the_lms_matches_on(lms_course, capsys):
    course = lms_course
    with open(course.path("roster.csv"), "w") as f:
        f.write("id,name\nsmith,John Smith\n")
    from ddsp_course.lms import export_lms

    for lms, message in (("canvas", "canvas_id, sis_user_id or sis_login_id"), ("moodle", "email or id_number")):
        with pytest.raises(UsageError, match=message):
            export_lms(course, lms, [A], rosters.load(course))
