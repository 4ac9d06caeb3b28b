"""Which submissions look copied: the students' answer cells compared pairwise with copydetect's
winnowing fingerprints (as MOSS does), the released template's code excluded as boilerplate.

copydetect tokenises each document with pygments (names become ``V``/``F``, comments and layout go,
so renaming variables, rewording comments and reordering functions change nothing), hashes its
k-grams and keeps one hash per window (winnowing). Its own detector compares every pair in full; for
a class of 500 this module indexes instead: an inverted index from fingerprint to the students having
it, counting shared fingerprints per pair, and compares in full (``copydetect.compare_files``) only
the pairs sharing enough of them to reach the threshold. A fingerprint most of the class shares (an
idiom of the API, more than ``common`` students) is no evidence of copying and is left out, as MOSS's
``-m`` does. Similarity only flags: it never changes a grade.
"""
from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from dataclasses import dataclass

import nbformat
import numpy as np

K = 25          # characters of tokenised code per fingerprinted k-gram (copydetect's noise threshold)
WINDOW = 4      # winnowing window: a match of K + WINDOW - 1 characters is always found
MIN_OVERLAP = 60  # tokenised characters two documents must share before a pair is listed at all
MAX_CODE = 200_000  # characters of one student's answers fingerprinted (the rest is ignored)


def answer_cells(nb) -> list[tuple[str, str]]:
    """``[(grade_id, source)]`` of a notebook's code answer cells (nbgrader ``solution``), in order."""
    found = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell.get("metadata"), dict) else {}
        if cell.get("cell_type") == "code" and isinstance(meta, dict) and meta.get("solution"):
            source = cell.get("source", "")
            found.append((str(meta.get("grade_id", "")), "".join(source) if isinstance(source, list) else str(source)))
    return found


def answers_of(path: str) -> str | None:
    """The answer cells' code of the notebook at ``path``, one document; None if it cannot be read."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # a damaged or hostile notebook: nothing to compare
        return None
    return "\n\n".join(source for _, source in answer_cells(nb))[:MAX_CODE]


@dataclass
class Fingerprint:
    """What copydetect's ``compare_files`` reads of a document (the attributes of its ``CodeFingerprint``)."""

    raw_code: str
    filtered_code: str
    offsets: np.ndarray
    hashes: set
    hash_idx: dict
    k: int
    token_coverage: float


def _filtered(code: str) -> tuple[str, np.ndarray]:
    from copydetect.utils import filter_code

    return filter_code(code, "answers.py", "python")


def fingerprint(code: str, boilerplate, k: int = K, window: int = WINDOW, filtered=None) -> Fingerprint:
    """``code``'s winnowed fingerprints, ``boilerplate`` (a sorted array of hashes) left out."""
    from copydetect.utils import get_document_fingerprints, get_token_coverage

    text, offsets = filtered if filtered is not None else _filtered(code)
    hashes, idx = get_document_fingerprints(text, k, window, np.asarray(boilerplate, dtype=np.int64))
    return Fingerprint(code, text, offsets, hashes, idx, k, get_token_coverage(idx, k, len(text)))


@dataclass
class Pair:
    """Two students whose answers share passages: each one's share of its code found in the other's
    (``similarity``: a fraction of its fingerprinted tokens), the tokens shared, and the code with the
    shared passages marked (HTML, escaped)."""

    a: str
    b: str
    similarity: tuple[float, float]
    overlap: int
    marked: tuple[str, str]

    @property
    def score(self) -> float:
        return max(self.similarity)


def _mark(code: str, slices) -> str:
    """``code`` escaped for HTML, the ``slices`` (2 x N, start and end) in ``<mark>``."""
    import html

    out, at = [], 0
    for start, end in sorted(zip(slices[0].astype(int), slices[1].astype(int))):
        start, end = max(start, at), max(end, at)
        out += [html.escape(code[at:start]), "<mark>", html.escape(code[start:end]), "</mark>"]
        at = end
    out.append(html.escape(code[at:]))
    return "".join(out)


def similar_pairs(documents: dict[str, str], template: str = "", threshold: float = 0.6, k: int = K,
                  window: int = WINDOW, common: int | None = None, min_overlap: int = MIN_OVERLAP,
                  stats: dict | None = None) -> list[Pair]:
    """The pairs of ``documents`` (``{student: answer code}``) whose similarity reaches ``threshold`` in
    either direction, most similar first. ``template`` (the released answer cells) is boilerplate; a
    fingerprint shared by more than ``common`` students (default: a tenth of the class, at least 5) too.
    ``stats``, if given, receives the counts: students, pairs sharing a fingerprint, pairs compared in full."""
    from copydetect.detector import compare_files

    empty = np.array([], dtype=np.int64)
    template_hashes = np.array(sorted(fingerprint(template, empty, k, window).hashes), dtype=np.int64) \
        if template.strip() else empty
    students = sorted(s for s, code in documents.items() if code and code.strip())
    filtered = {s: _filtered(documents[s]) for s in students}
    first = {s: fingerprint(documents[s], template_hashes, k, window, filtered[s]) for s in students}
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(students):
        for h in first[s].hashes:
            index[h].append(i)
    common = max(5, len(students) // 10) if common is None else common
    shared = np.array(sorted(h for h, who in index.items() if len(who) > common), dtype=np.int64)
    prints = first if not len(shared) else {
        s: fingerprint(documents[s], np.union1d(template_hashes, shared), k, window, filtered[s]) for s in students}
    counts: Counter = Counter()
    for h, who in index.items():
        if len(who) > common:
            continue
        for x in range(len(who)):
            for y in range(x + 1, len(who)):
                counts[who[x], who[y]] += 1
    found, compared = [], 0
    for (i, j), count in counts.items():
        a, b = prints[students[i]], prints[students[j]]
        smaller = min(len(a.hashes), len(b.hashes))
        if not smaller or count < max(1, math.floor(0.5 * threshold * smaller)):
            continue  # too few fingerprints in common to reach the threshold: not compared in full
        compared += 1
        overlap, (sim_a, sim_b), (slices_a, slices_b) = compare_files(a, b)
        if overlap < min_overlap or max(sim_a, sim_b) < threshold:
            continue
        found.append(Pair(students[i], students[j], (float(sim_a), float(sim_b)), int(overlap),
                          (_mark(a.raw_code, slices_a), _mark(b.raw_code, slices_b))))
    if stats is not None:
        stats.update(students=len(students), sharing=len(counts), compared=compared, common_fingerprints=len(shared))
    return sorted(found, key=lambda p: (-p.score, p.a, p.b))


def class_documents(course, assignment: str, students: list[str], submissions: str | None = None) -> dict[str, str]:
    """``{student: answer code}`` from ``submitted/<student>/<assignment>/`` (else ``submissions``'s
    ``<student>/<assignment>/``), each folder read as data (regular files only, within the grader's caps)."""
    from ..grade.folder import scan
    from ..grade.pipeline import notebook_in

    found = {}
    for student in students:
        for base in (course.path("submitted"), submissions):
            folder = os.path.join(base, student, assignment) if base else None
            if folder is None or not os.path.isdir(folder):
                continue
            path = notebook_in(scan(folder), assignment)
            code = answers_of(path) if path else None
            if code is not None:
                found[student] = code
                break
    return found


def template_of(course, assignment: str) -> str:
    """The released notebook's answer cells (the code every student starts from)."""
    path = course.released(assignment)
    return (answers_of(path) or "") if os.path.isfile(path) else ""
