"""nbgrader configuration for the course kit (the course root is this folder)."""
import os

c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "ddsp101"
# The gradebook: SQLite in the course by default; a shared one by URL, e.g.
# DDSP_COURSE_DB_URL=postgresql://grader@db.example.org/ddsp101 (nbgrader's gradebook is SQLAlchemy).
c.CourseDirectory.db_url = os.environ.get("DDSP_COURSE_DB_URL") or "sqlite:///" + os.path.join(
    c.CourseDirectory.root, "gradebook.db")
# hidden_cases.py beside each master notebook is grader-only: never copied to release/.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "hidden_cases.py"]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.Execute.timeout = 120
# nbgrader's exchange: the course's own folder for one person; a class's shared folder from the environment
# (`ddsp-course hub` gives the instructor's server DDSP_COURSE_EXCHANGE, so the formgrader and the kit agree).
c.Exchange.root = os.environ.get("DDSP_COURSE_EXCHANGE") or os.path.join(c.CourseDirectory.root, ".exchange")
# Pages nbgrader renders (the formgrader, feedback) clean every cell and output once more, with the
# course's nh3 allowlist: nbconvert's own would drop the grader's table styles and figures.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"clean_html": "ddsp_course.grade.sanitise.clean_html"}
# nbgrader's own autograde (the formgrader's Autograde button) would run students' code as you, unsandboxed,
# without the hidden tests: it refuses and names the kit's command (ddsp_course/guard.py).
if not os.environ.get("DDSP_COURSE_PLAIN_NBGRADER"):
    c.Autograde.autograde_preprocessors = ["ddsp_course.guard.AutogradeRefused"]
