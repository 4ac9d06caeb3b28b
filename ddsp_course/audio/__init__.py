"""The real recordings the notebooks' teaching cells use, shipped with the kit (no download).

Short 16 kHz mono 16-bit WAV files, listed with their sources and licences in ``SOURCES.md`` beside
them: NSynth notes (CC BY 4.0) and one CMU ARCTIC utterance (its notice in ``arctic_a0007.COPYING``).
They are package data, so a notebook finds them wherever it runs::

    from ddsp_course import audio
    x, sample_rate = audio.load("reed_acoustic_011-045-050")   # float32 in [-1, 1), 16000
    print(audio.credit("reed_acoustic_011-045-050"))           # show it where the sound is played

Grading never reads them: graded exercises use synthetic targets with known answers.
"""
from __future__ import annotations

from importlib import resources

import numpy as np
import scipy.io.wavfile

_NSYNTH = ("NSynth dataset (Engel et al., 2017), Google Magenta, CC BY 4.0 "
           "(https://magenta.tensorflow.org/datasets/nsynth)")
_ARCTIC = ("CMU ARCTIC database, speaker awb, Carnegie Mellon University (c) 2003, free for any use "
           "with its notice kept (http://www.festvox.org/cmu_arctic/)")

SOUNDS = {
    "reed_acoustic_011-045-050": ("acoustic reed (saxophone) note, MIDI 45 (110 Hz), 4 s", _NSYNTH),
    "guitar_acoustic_030-051-127": ("acoustic guitar note, MIDI 51 (155.6 Hz), 4 s", _NSYNTH),
    "guitar_acoustic_target": ("acoustic guitar note, 2 s", _NSYNTH),
    "reed_acoustic_target": ("acoustic reed (saxophone) note, 2 s", _NSYNTH),
    "string_acoustic_target": ("acoustic string (violin) note, 2 s", _NSYNTH),
    "vocal_target": ("sung vocal note, 2 s", _NSYNTH),
    "arctic_a0007": ("a male English utterance, 4 s", _ARCTIC),
}


def names() -> list[str]:
    """The names :func:`load` accepts."""
    return list(SOUNDS)


def _name(name: str) -> str:
    stem = name[:-4] if name.endswith(".wav") else name
    if stem not in SOUNDS:
        raise KeyError(f"no recording {name!r} in the kit; there are {', '.join(SOUNDS)}")
    return stem


def path(name: str) -> str:
    """The file of a recording (``name`` with or without ``.wav``)."""
    return str(resources.files(__name__).joinpath(_name(name) + ".wav"))


def load(name: str, start: float = 0.0, duration: float | None = None) -> tuple[np.ndarray, int]:
    """``(audio, sample_rate)``: a recording as float32 in [-1, 1), ``(n_samples,)``, and its rate in Hz.

    ``start`` and ``duration`` (seconds) cut an excerpt; ``duration=None`` runs to the end.
    """
    sample_rate, data = scipy.io.wavfile.read(path(name))
    if data.dtype == np.int16:
        audio = data.astype(np.float32) / 32768.0
    elif data.dtype == np.int32:
        audio = (data / 2.0**31).astype(np.float32)
    else:
        audio = data.astype(np.float32)
    if audio.ndim != 1:
        raise ValueError(f"{name}: expected a mono recording, got shape {audio.shape}")
    first = int(round(start * sample_rate))
    last = audio.shape[0] if duration is None else first + int(round(duration * sample_rate))
    if not 0 <= first < last <= audio.shape[0]:
        raise ValueError(f"{name}: the excerpt [{start}, {start if duration is None else start + duration}) s "
                         f"lies outside the recording ({audio.shape[0] / sample_rate:g} s)")
    return audio[first:last], sample_rate


def credit(name: str) -> str:
    """One line to show wherever a notebook plays the recording."""
    what, source = SOUNDS[_name(name)]
    return f"{_name(name)}.wav: {what}. {source}."
