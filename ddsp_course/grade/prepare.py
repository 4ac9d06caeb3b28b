"""Step 1 of grading: read a submission against the released notebook.

Decides which cells run (read-only cells from the release, the student's solution
cells, cells the student added or edited; never test cells, never unchanged teaching
cells) and lists what is damaged or tampered with. Points and test code always come
from the release, never from the submission.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import nbformat

from .folder import CAPS, TooLarge, read
from .outcomes import Note


@dataclass
class Prepared:
    notebook: nbformat.NotebookNode | None        # the submission as parsed, None if unreadable
    cells: list[dict] = field(default_factory=list)  # {"key", "source", "index", "label"}: what runs, in order
    notes: list[Note] = field(default_factory=list)  # damage and tampering, for feedback and report

    @property
    def readable(self) -> bool:
        return self.notebook is not None

    def note(self, kind: str, text: str) -> None:
        self.notes.append(Note(kind, text))


def nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata, ``{}`` unless it is a dict whose ``grade_id`` (if any) is a string."""
    metadata = cell.get("metadata", {})
    meta = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    if not isinstance(meta, dict) or not isinstance(meta.get("grade_id", ""), str):
        return {}
    return meta


def _kind(meta: dict) -> str:
    if meta.get("solution"):
        return "solution"
    if meta.get("grade"):
        return "test"
    if meta.get("locked"):
        return "readonly"
    return "plain"


def read_submission(path: str | None, limit: int = CAPS.notebook_bytes) -> tuple[nbformat.NotebookNode | None,
                                                                                Note | None]:
    """The notebook at ``path`` (a regular file of at most ``limit`` bytes), or why it could not be read."""
    if path is None:
        return None, Note("damage",
                          "the notebook could not be read (no notebook was submitted): it was scored as blank.")
    try:
        data = read(path, limit)
    except TooLarge:
        return None, Note("cap",
                          f"the notebook could not be read (larger than {limit >> 20} MiB): it was scored as blank.")
    except (OSError, ValueError) as exc:
        return None, Note("damage", f"the notebook could not be read ({type(exc).__name__}): it was scored as blank.")
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # not UTF-8, not JSON, not a notebook, nested too deep, ...
        return None, Note("damage", f"the notebook could not be read ({type(exc).__name__}): it was scored as blank.")
    return nb, None


def prepare(release: nbformat.NotebookNode, path: str | None) -> Prepared:
    """What of the submitted notebook at ``path`` (None: there is none) runs, and what is damaged."""
    nb, problem = read_submission(path)
    if nb is None:
        return Prepared(None, notes=[problem])
    prepared = Prepared(nb)
    graded = {}
    for cell in release.cells:
        meta = nbgrader_meta(cell)
        if "grade_id" in meta:
            graded[meta["grade_id"]] = cell
    teaching = {c.get("id"): c.source for c in release.cells if not nbgrader_meta(c) and c.cell_type == "code"}
    test_sources = {c.source.strip() for c in graded.values() if _kind(nbgrader_meta(c)) == "test"}
    seen = set()
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if not meta and cell.get("metadata", {}).get("nbgrader"):
            prepared.note("tampering", f"cell {index} has malformed nbgrader metadata; it was run as an ordinary cell "
                                  "and earns no points of its own.")
        grade_id = meta.get("grade_id")
        original = graded.get(grade_id)
        if original is not None and grade_id in seen:
            prepared.note("tampering", f"cell {grade_id} appears twice; only the first copy was used.")
            continue
        if original is not None:
            seen.add(grade_id)
            kind = _kind(nbgrader_meta(original))
            if _kind(meta) != kind or original.cell_type != cell.cell_type:
                prepared.note("tampering",
                              f"cell {grade_id}: its nbgrader type was changed; the original type was used.")
            if nbgrader_meta(original).get("points") != meta.get("points") and kind == "test":
                prepared.note("tampering", f"cell {grade_id}: its points were edited; the original points were used.")
            if kind == "test":
                if cell.source.strip() != original.source.strip():
                    prepared.note("tampering", f"test cell {grade_id} was edited; the original test was used.")
                continue
            if kind == "readonly":
                if cell.source != original.source:
                    prepared.note("tampering", f"read-only cell {grade_id} was edited; the original was run.")
                prepared.cells.append({"key": f"cell{index}", "index": index, "source": original.source,
                                       "label": f"read-only cell {grade_id}"})
                continue
            if cell.cell_type == "code" and original.cell_type == "code":
                prepared.cells.append({"key": f"cell{index}", "index": index, "source": cell.source,
                                       "label": f"answer cell {grade_id}"})
            continue
        if grade_id is not None:
            prepared.note("tampering", f"cell {index} has an unknown grade id {grade_id!r} (ids edited?); "
                                  "it was run as an ordinary cell and earns no points of its own.")
        if cell.cell_type != "code" or cell.source.strip() in test_sources:
            continue
        if cell.get("id") in teaching and teaching[cell.get("id")] == cell.source:
            continue  # an unchanged teaching cell: figures and demos are not part of grading
        first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
        prepared.cells.append({"key": f"cell{index}", "index": index, "source": cell.source,
                               "label": f"your cell starting {first[:40]!r}"})
    for grade_id, original in graded.items():
        if grade_id in seen:
            continue
        kind = _kind(nbgrader_meta(original))
        if kind == "readonly":
            prepared.note("tampering", f"read-only cell {grade_id} was deleted; the original was run.")
            prepared.cells.insert(0, {"key": f"restored_{grade_id}", "index": None, "source": original.source,
                                      "label": f"read-only cell {grade_id}"})
        elif kind == "test":
            prepared.note("tampering", f"test cell {grade_id} was deleted; the original test was used.")
        else:
            prepared.note("damage", f"answer cell {grade_id} was deleted.")
    return prepared
