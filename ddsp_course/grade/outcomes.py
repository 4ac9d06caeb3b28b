"""Outcomes as data: a note says what happened in words and of what kind, and the report's flags
are computed from the kinds (and the events' statuses), never from a message's wording."""
from __future__ import annotations

KINDS = ("damage", "tampering", "error", "timeout", "failed", "cap", "ungraded", "unpublished", "pending", "late")
FLAGS = ("failed to run", "timed out", "tampering", "over a cap", "could not be graded", "not published")
# flags of how a submission arrived, not of how it ran (``collect``: after the due date)
ARRIVAL_FLAGS = ("late",)
ALL_FLAGS = FLAGS + ARRIVAL_FLAGS
FLAGGED_BY = {"tampering": "tampering", "cap": "over a cap", "ungraded": "could not be graded",
              "unpublished": "not published", "late": "late"}


class Note(str):
    """A note for the feedback and the report: its text (it is a ``str``) and its ``kind``, of :data:`KINDS`."""

    kind: str

    def __new__(cls, kind: str, text: str) -> "Note":
        if kind not in KINDS:
            raise ValueError(f"unknown kind of note {kind!r}")
        note = super().__new__(cls, text)
        note.kind = kind
        return note

    def as_data(self) -> dict:
        return {"kind": self.kind, "text": str(self)}

    @classmethod
    def from_data(cls, data: dict) -> "Note":
        return cls(data["kind"], data["text"])


def flags(notes: list[Note], statuses: set[str] = frozenset(), ran: bool = True) -> list[str]:
    """The report's flags, in :data:`ALL_FLAGS` order, from the notes' kinds and the items' statuses."""
    raised = {FLAGGED_BY[n.kind] for n in notes if n.kind in FLAGGED_BY}
    if not ran:
        raised.add("failed to run")
    if "timeout" in statuses:
        raised.add("timed out")
    return [flag for flag in ALL_FLAGS if flag in raised]
