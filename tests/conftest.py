import os
import shutil
import sys

import pytest

# One compute thread per process: the suite runs two workers on two cores (see ddsp_course.solutions).
os.environ.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
sys.path.insert(0, os.path.dirname(__file__))
from support import ROOT  # noqa: E402


def copy_course(dest: str) -> str:
    """A throw-away copy of the course (sources, releases, mutants corpus, config)."""
    for name in ("source", "release"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(dest, name),
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    shutil.copytree(os.path.join(ROOT, "tests", "mutants"), os.path.join(dest, "tests", "mutants"))
    shutil.copy(os.path.join(ROOT, "nbgrader_config.py"), dest)
    os.makedirs(os.path.join(dest, "autograded"))
    return dest


@pytest.fixture
def course(tmp_path):
    from ddsp_course.course import Course

    return Course(copy_course(str(tmp_path / "course")))
