"""``feedback``: one HTML page per student, rendered by nbgrader from ``autograded/``."""
from __future__ import annotations

from .course import Course


def write_feedback(course: Course, assignment: str, students: list[str]) -> dict[str, str]:
    """Render ``feedback/<student>/<assignment>/<assignment>.html``; returns ``{student: path}``."""
    api = course.api()
    written = {}
    for student in students:
        result = api.generate_feedback(assignment, student, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not render feedback for {student}: {result.get('error')}")
        written[student] = course.path("feedback", student, assignment, f"{assignment}.html")
    return written
