"""``lab``: JupyterLab for a student (their own copy of a released assignment) or for the
instructor (the course itself, with nbgrader's formgrader under *Nbgrader > Formgrader*)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from .course import Course


def student_copy(course: Course, assignment: str) -> str:
    """``workspace/<assignment>/``: a copy of the release, made once; later runs keep the student's work."""
    folder = course.path("workspace", assignment)
    if not os.path.isdir(folder):
        shutil.copytree(os.path.dirname(course.released(assignment)), folder)
    return folder


def lab_command(root_dir: str, port: int, open_browser: bool, notebook: str | None = None) -> list[str]:
    """``jupyter lab`` on loopback, serving ``root_dir`` (the token comes from ``JUPYTER_TOKEN`` if set)."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root_dir}", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if not open_browser:
        command.append("--no-browser")
    if os.geteuid() == 0:  # containers and CI machines
        command.append("--ServerApp.allow_root=True")
    if notebook:
        command.append(f"--LabApp.default_url=/lab/tree/{notebook}")
    return command


def run_lab(course: Course, assignment: str | None, port: int, open_browser: bool) -> int:
    if assignment is None:
        root, notebook = course.root, None
        print("JupyterLab on the course: Nbgrader > Formgrader lists assignments, submissions and scores.")
    else:
        root, notebook = student_copy(course, assignment), f"{assignment}.ipynb"
        print(f"JupyterLab on your copy of {assignment}: {os.path.relpath(root, course.root)}/ "
              "(Validate is in the notebook's toolbar).")
    return subprocess.call(lab_command(root, port, open_browser, notebook), cwd=root)
