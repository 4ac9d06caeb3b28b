"""``feedback``: one HTML page per student, rendered from ``autograded/`` by nbgrader's feedback
converter, one notebook at a time (its own run would find them by glob patterns, which a student
id such as ``[b]`` turns into a pattern matching someone else)."""
from __future__ import annotations

import copy
import logging

from .course import Course


def _converter(course: Course):
    """nbgrader's GenerateFeedback, made ready to convert single notebooks (what its ``start`` does)."""
    from nbconvert.writers import FilesWriter
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    config = copy.deepcopy(course.config)
    config.HTMLExporter.template_name = "feedback"
    log = logging.getLogger(f"nbgrader.feedback.{course.root}")
    log.setLevel(logging.WARNING)
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config, log=log)
    converter.writer = FilesWriter(parent=converter, config=converter.config)
    converter.exporter = converter.exporter_class(parent=converter, config=converter.config)
    for preprocessor in converter.preprocessors:
        converter.exporter.register_preprocessor(preprocessor)
    return converter


def write_feedback(course: Course, assignment: str, students: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Render ``feedback/<student>/<assignment>/<assignment>.html``; returns ``{student: path}``
    and ``{student: why not}`` for those whose page could not be rendered (the others' are)."""
    converter = _converter(course)
    written, failed = {}, {}
    for student in students:
        try:
            converter.convert_single_notebook(course.path("autograded", student, assignment, f"{assignment}.ipynb"))
            written[student] = course.path("feedback", student, assignment, f"{assignment}.html")
        except Exception as exc:
            failed[student] = f"its feedback could not be rendered ({type(exc).__name__}: {str(exc)[:200]})"
    return written, failed
