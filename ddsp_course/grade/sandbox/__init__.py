"""The sandbox side of grading: what runs inside bubblewrap (the runner, the warm parent), the
vocabulary of grader-written callables, and the plain-data wire back. Imports nothing of the
coordinator's: it must stay light and trust nothing it is sent back."""
