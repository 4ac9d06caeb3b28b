"""The recordings shipped with the kit: loadable wherever the package is, credited, declared as package data."""
import os
import tomllib
from fnmatch import fnmatch

import numpy as np
import pytest
from support import ROOT

from ddsp_course import audio


@pytest.mark.parametrize("name", audio.names())
def test_each_recording_loads_as_float32_mono_at_16k(name):
    x, sample_rate = audio.load(name)
    assert sample_rate == 16000 and x.dtype == np.float32 and x.ndim == 1 and x.size >= 16000
    assert np.abs(x).max() <= 1.0 and np.abs(x).max() > 0.1
    assert np.array_equal(audio.load(name + ".wav")[0], x)
    credit = audio.credit(name)
    assert name in credit and ("CC BY 4.0" in credit or "CMU ARCTIC" in credit)


def test_excerpts_and_errors():
    x, _ = audio.load("reed_acoustic_011-045-050")
    part, _ = audio.load("reed_acoustic_011-045-050", start=0.5, duration=0.25)
    assert np.array_equal(part, x[8000:12000])
    with pytest.raises(ValueError):
        audio.load("reed_acoustic_011-045-050", start=3.9, duration=0.5)
    with pytest.raises(KeyError):
        audio.load("no_such_sound")


def test_every_file_is_listed_attributed_and_packaged():
    folder = os.path.dirname(audio.__file__)
    wavs = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".wav"))
    assert wavs == sorted(audio.names())
    with open(os.path.join(folder, "SOURCES.md")) as f:
        sources = f.read()
    assert "CC BY 4.0" in sources and "arctic_a0007.COPYING" in sources
    assert os.path.exists(os.path.join(folder, "arctic_a0007.COPYING"))
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        patterns = tomllib.load(f)["tool"]["setuptools"]["package-data"]["ddsp_course"]
    for name in os.listdir(folder):
        if name != "__init__.py" and not name.startswith("__pycache__"):
            assert any(fnmatch(f"audio/{name}", p) for p in patterns), f"{name} is not package data"
