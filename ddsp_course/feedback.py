"""``feedback``: one HTML page per student, rendered from ``autograded/`` by nbgrader's feedback
converter, one notebook at a time (its own run would find them by glob patterns, which a student
id such as ``[b]`` turns into a pattern matching someone else); a late submission's page says so first."""
from __future__ import annotations

import copy
import logging

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell

from .course import Course
from .grade.sanitise import html_block, plain


class LateNote(Preprocessor):
    """A first cell saying when the submission came in after the due date (``text``; none when None)."""
    text: str | None = None

    def preprocess(self, nb, resources):
        if self.text:
            nb.cells.insert(0, new_markdown_cell(html_block(f"<p><strong>Late:</strong> {plain(self.text)}</p>")))
        return nb, resources


def _converter(course: Course):
    """nbgrader's GenerateFeedback, made ready to convert single notebooks (what its ``start`` does), with a
    :class:`LateNote` last (``converter.late_note``)."""
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
    converter.late_note = LateNote()
    converter.exporter.register_preprocessor(converter.late_note, enabled=True)
    return converter


def write_feedback(course: Course, assignment: str, students: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Render ``feedback/<student>/<assignment>/<assignment>.html``; returns ``{student: path}``
    and ``{student: why not}`` for those whose page could not be rendered (the others' are)."""
    from .lateness import late_submissions

    converter = _converter(course)
    late = late_submissions(course, assignment)
    written, failed = {}, {}
    for student in students:
        converter.late_note.text = late.get(student)
        try:
            converter.convert_single_notebook(course.path("autograded", student, assignment, f"{assignment}.ipynb"))
            written[student] = course.path("feedback", student, assignment, f"{assignment}.html")
        except Exception as exc:
            failed[student] = f"its feedback could not be rendered ({type(exc).__name__}: {str(exc)[:200]})"
    return written, failed
