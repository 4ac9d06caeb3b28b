"""The course on disk: its folders, its assignments, and nbgrader's API bound to it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property


class UsageError(Exception):
    """An instructor's mistake (unknown assignment, missing folder): exit 2 with one line."""


def nbgrader_failed(course: "Course", step: str, assignment: str, result: dict) -> UsageError:
    """nbgrader's failure to ``step`` an assignment as one line, its full log kept in ``logs/``."""
    text = f"{result.get('log') or ''}\n{result.get('error') or ''}".strip()
    path = course.path("logs", f"{step}-{assignment}.log")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text + "\n")
    last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "no message")
    return UsageError(f"nbgrader could not {step} {assignment}: {last[:300]} (its log: {path}; "
                      f"fix source/{assignment}/{assignment}.ipynb and run the command again)")


def find_course_root(start: str | None = None) -> str:
    """The course root at or above ``start`` (default: here): the folder with nbgrader_config.py beside source/."""
    path = os.path.abspath(start or os.getcwd())
    while True:
        if os.path.isfile(os.path.join(path, "nbgrader_config.py")) and os.path.isdir(os.path.join(path, "source")):
            return path
        parent = os.path.dirname(path)
        if parent == path:
            raise FileNotFoundError("no course root (nbgrader_config.py beside source/) above " + os.getcwd())
        path = parent


@dataclass(frozen=True)
class Course:
    root: str

    @classmethod
    def find(cls, start: str | None = None) -> "Course":
        try:
            return cls(find_course_root(start))
        except FileNotFoundError as exc:
            raise UsageError(str(exc)) from None

    def path(self, *parts: str) -> str:
        return os.path.join(self.root, *parts)

    @property
    def assignments(self) -> list[str]:
        source = self.path("source")
        return sorted(a for a in os.listdir(source) if os.path.isfile(os.path.join(source, a, f"{a}.ipynb")))

    def check(self, assignments: list[str] | None) -> list[str]:
        """The named assignments (all when none are named); unknown names are a UsageError."""
        known = self.assignments
        if not assignments:
            return known
        unknown = [a for a in assignments if a not in known]
        if unknown:
            raise UsageError(f"unknown assignment {', '.join(unknown)} (known: {', '.join(known)})")
        return list(assignments)

    def master(self, assignment: str) -> str:
        return self.path("source", assignment, f"{assignment}.ipynb")

    def released(self, assignment: str) -> str:
        return self.path("release", assignment, f"{assignment}.ipynb")

    @cached_property
    def config(self):
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader("nbgrader_config.py", path=self.root).load_config()
        config.CourseDirectory.root = self.root
        return config

    @property
    def db_url(self) -> str:
        return self.config.CourseDirectory.db_url

    def api(self, release_directory: str | None = None):
        """nbgrader's ``NbGraderAPI`` for this course, quiet unless something goes wrong
        (``release_directory``: where ``generate_assignment`` writes, default ``release/``)."""
        import copy
        import logging

        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        log = logging.getLogger(f"nbgrader.{self.root}")
        log.setLevel(logging.WARNING)
        config = copy.deepcopy(self.config)
        if release_directory is not None:
            config.CourseDirectory.release_directory = release_directory
        os.makedirs(config.Exchange.root, exist_ok=True)  # nbgrader wants one, the kit does not use it
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config, log=log)
