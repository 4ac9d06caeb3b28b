"""Shared helpers for the kit's tests."""
from __future__ import annotations

import os

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSIGNMENTS = sorted(d for d in os.listdir(os.path.join(ROOT, "source"))
                     if os.path.isfile(os.path.join(ROOT, "source", d, f"{d}.ipynb")))
MUTANTS = os.path.join(ROOT, "tests", "mutants")


def master(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(os.path.join(ROOT, "source", assignment, f"{assignment}.ipynb"), as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def solution_source(source: str) -> str:
    """A master cell's source with the solution markers dropped and hidden tests removed."""
    out, hidden = [], False
    for line in source.splitlines():
        s = line.strip()
        if s == "### BEGIN HIDDEN TESTS":
            hidden = True
        elif s == "### END HIDDEN TESTS":
            hidden = False
        elif not hidden and s not in ("### BEGIN SOLUTION", "### END SOLUTION"):
            out.append(line)
    return "\n".join(out)


def variants(assignment: str) -> dict[str, dict[str, dict[str, str]]]:
    """``{function: {"wrong": {slug: source}, "alt": {slug: source}}}`` from tests/mutants/<assignment>/."""
    base = os.path.join(MUTANTS, assignment)
    found: dict = {}
    for function in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        for name in sorted(os.listdir(os.path.join(base, function))):
            kind, _, slug = name[:-3].partition("_")
            with open(os.path.join(base, function, name)) as f:
                found.setdefault(function, {"wrong": {}, "alt": {}})[kind][slug] = f.read()
    return found


def in_process_namespace(assignment: str, replacements: dict[str, str] | None = None) -> dict:
    """Execute the master's locked and solution cells (solutions swapped by grade_id) into a dict."""
    replacements = replacements or {}
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(os.path.join(ROOT, "source", assignment))
    try:
        for cell in master(assignment).cells:
            meta = nbgrader_meta(cell)
            if cell.cell_type != "code" or meta.get("grade"):
                continue
            if meta.get("solution"):
                exec(compile(replacements.get(meta["grade_id"], solution_source(cell.source)), meta["grade_id"],
                             "exec"), namespace)
            elif meta.get("locked"):
                exec(compile(cell.source, meta["grade_id"], "exec"), namespace)
    finally:
        os.chdir(cwd)
    return namespace


def score_in_process(assignment: str, replacements: dict[str, str] | None = None):
    """Every case scored in this process (fast iteration; CI uses the real path)."""
    import tempfile

    from ddsp_course.grade.cases import load_cases
    from ddsp_course.grade.sandbox.runner import run_probe
    from ddsp_course.grade.score import judge

    namespace = in_process_namespace(assignment, replacements)
    results = []
    for case in load_cases(ROOT, assignment).cases:
        probe, check = case.probe()
        with tempfile.TemporaryDirectory() as tmp:
            event = run_probe(probe.ops, lambda n: probe.arrays[n], namespace, tmp, case.key)
            results.append(judge(case, check, event, tmp))
    return results


GRADED = {
    "ps01_pytorch_basics": ["derivative_at", "gradient_descent", "fit_line"],
    "ps02_differentiable_gain": ["LinearGain", "spectral_loss", "fit_gain"],
    "ps03_oscillator": ["hz_to_angular", "upsample", "sinusoid", "fit_amplitude_envelope", "angular_cumsum"],
    "ps04_additive_synthesis": ["additive_synth", "harmonic_frequencies", "harmonic_synth", "sawtooth_amplitudes",
                                "square_amplitudes", "vibrato_f0"],
    "ps05_harmonic_sound_matching": ["exp_sigmoid", "remove_above_nyquist", "ddsp_harmonic_synth", "stft_magnitude",
                                     "multi_resolution_stft_loss", "estimate_f0", "match_harmonic_sound"],
    "ps06_fir_filters": ["fir_conv1d", "fir_fft", "frequency_sampling_fir", "time_varying_fir", "filtered_noise"],
    "ps07_iir_filters": ["allpole_direct", "iir_frequency_sampling", "AllPoleFilter", "biquad_lowpass",
                         "fit_biquad_cutoff"],
    "ps08_source_filter": ["levinson_durbin", "lpc", "lpc_residual", "reflection_to_lpc", "lpc_to_reflection",
                           "glottal_source", "estimate_formants"],
    "ps09_harmonic_oscillator": ["sho_state_space", "bilinear_discretize", "simulate_state_space",
                                 "omega_from_discrete", "two_pole_response", "fit_omega_from_trajectory",
                                 "fit_omega_from_response"],
    "ps10_modal_synthesis": ["string_fem_matrices", "modal_decomposition", "modal_synth", "biquad_bank_response",
                             "fit_biquad_bank"],
    "ps11_waveguide": ["karplus_strong", "fractional_delay", "fit_plucked_string"],
}
MANUAL = {"ps02_differentiable_gain": ["written_waveform_l1"],
          "ps05_harmonic_sound_matching": ["written_harmonic_limits"],
          "ps08_source_filter": ["written_source_filter_split"],
          "ps09_harmonic_oscillator": ["written_ssm_identifiability"]}


def answers(assignment: str) -> dict[str, str]:
    """The master's solution cells, solutions in place, by grade id."""
    return {nbgrader_meta(c)["grade_id"]: solution_source(c.source) for c in master(assignment).cells
            if c.cell_type == "code" and nbgrader_meta(c).get("solution")}


def write_submission(course, assignment: str, folder: str, student: str, sources: dict[str, str]) -> None:
    """``folder/<student>/<assignment>/<assignment>.ipynb``: the release with answer cells replaced."""
    nb = nbformat.read(course.released(assignment), as_version=4)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in sources:
            cell.source = sources[grade_id]
    path = os.path.join(folder, student, assignment)
    os.makedirs(path, exist_ok=True)
    nbformat.write(nb, os.path.join(path, f"{assignment}.ipynb"))
