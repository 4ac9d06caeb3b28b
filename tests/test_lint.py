"""The code passes ruff (its configuration is in pyproject.toml: lines of at most 120 characters, rules E, F, W)."""
import subprocess
import sys

from support import ROOT


def test_ruff_check_passes():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "ddsp_course", "tests", "benchmarks", "source"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"ruff check reports:\n{done.stdout}{done.stderr}"
