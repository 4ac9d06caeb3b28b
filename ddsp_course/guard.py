"""What the course's ``nbgrader_config.py`` turns off of nbgrader itself.

nbgrader's own autograde (the formgrader's *Autograde* button, ``nbgrader autograde``) would run a student's code
in a kernel of the instructor's, outside the sandbox, without the hidden tests, and would write its own scores
over the kit's. In this course it refuses, with the kit's command instead (``DDSP_COURSE_PLAIN_NBGRADER=1`` lets
the benchmarks compare against it)."""
from nbconvert.preprocessors import Preprocessor

REFUSAL = ("nbgrader's own autograde is turned off in this course: it would run the student's code as you, outside "
           "the sandbox, and without the hidden tests. Grade with `ddsp-course grade ASSIGNMENT --submissions "
           "submitted` (or `ddsp-course collect ASSIGNMENT`), which also restores the autograded notebook nbgrader "
           "has just removed.")


class AutogradeRefused(Preprocessor):
    """nbgrader's autograde steps, replaced: nothing of the submission is run (enabled or not)."""

    def __call__(self, nb, resources):
        raise RuntimeError(REFUSAL)
