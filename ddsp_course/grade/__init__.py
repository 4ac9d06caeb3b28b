"""Grading, by role (docs/ARCHITECTURE.md):

- the coordinator's stages, here: ``prepare`` -> ``execute`` -> ``score`` -> ``record``, run by
  ``pipeline.grade`` (with ``folder``, ``sanitise``, ``figures`` and the locks beside them);
- ``cases``: what an author writes hidden cases against (``Cases``, the probe, ``expect``, ``run_here``);
- ``sandbox``: what runs inside bubblewrap (the runner, the warm parent, the callables, the wire);
- ``processes``: starting, limiting and watching those processes (limits, bubblewrap, cgroups, the warm
  parents' grader side, the Dask backend).

The sandbox side imports this package too, so it stays light: the pipeline, and with it nbformat
and nbgrader (about 1.5 s of imports), loads on first use of one of its names.
"""
PIPELINE = ("StudentReport", "course_lock", "find_submissions", "grade", "run_one", "record_one")


def __getattr__(name: str):
    if name in PIPELINE:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
