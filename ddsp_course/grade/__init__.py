"""Grading: the coordinator's pipeline (``pipeline``: prepare -> execute -> score -> record) and
the sandbox side it starts (``runner``, ``zygote``), which share ``cases``, ``wire`` and ``expect``.

The sandbox side imports this package too, so it stays light: the pipeline, and with it
nbformat and nbgrader (about 1.5 s of imports), loads on first use of one of its names.
"""
PIPELINE = ("FLAGS", "StudentReport", "course_lock", "find_submissions", "grade", "run_one", "record_one")


def __getattr__(name: str):
    if name in PIPELINE:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
