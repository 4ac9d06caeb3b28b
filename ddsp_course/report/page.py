"""The report as one self-contained HTML page: matplotlib figures embedded as base64 PNGs (titled,
axes labelled, with alt text), tables, and CSS that reads in a narrow window. Every string that a
student controls (ids, failure messages, code) is escaped here (``esc``, or marked up by
``similarity._mark``, which escapes)."""
from __future__ import annotations

import base64
import html
import io
import math

from ..inert import terminal
from .analysis import Item

CSS = """
body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ddd;margin-top:2rem}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0}img{max-width:100%;height:auto}
.stats{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:0;list-style:none}
.warn{color:#a40000;font-weight:600}.muted{color:#666}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:.5rem}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f6f6;padding:.5rem;font-size:.85rem;margin:0}
mark{background:#ffe08a}details{margin:.5rem 0}
@media (max-width:40rem){body{padding:.5rem;font-size:15px}th,td{padding:.2rem .3rem}}
"""


def esc(text: object) -> str:
    """Student-controlled ``text`` as inert HTML: control characters shown as ``?``, then escaped."""
    return html.escape(terminal(str(text)))


def figure(fig, alt: str) -> str:
    """A matplotlib figure as an embedded PNG with ``alt`` text (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}"></figure>'


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def histogram(scores: list[float], max_score: float, title: str) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    top = max([max_score, *scores, 1.0])
    ax.hist(scores, bins=min(20, max(5, int(math.ceil(top)) + 1)), range=(0, top), color="#4a7ab5",
            edgecolor="white")
    ax.set(title=title, xlabel="score (points)", ylabel="students")
    return figure(fig, f"{title}: a histogram of the {len(scores)} scores out of {max_score:g}")


def pass_rates(cases: list[Item], title: str) -> str:
    plt = _plt()
    shown = cases[:40]  # the hardest 40
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.22 * max(len(shown), 1)))
    ax.barh([c.key for c in shown][::-1], [100 * c.pass_rate for c in shown][::-1], color="#4a7ab5")
    ax.set(title=title, xlabel="students passing (%)", ylabel="case", xlim=(0, 100))
    ax.tick_params(axis="y", labelsize=7)
    return figure(fig, f"{title}: the pass rate of the {len(shown)} hardest cases, hardest at the top")


def item_map(cases: list[Item], title: str) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    xs = [100 * c.pass_rate for c in cases]
    ys = [c.discrimination if c.discrimination is not None else 0.0 for c in cases]
    colours = ["#c0392b" if c.warnings else "#4a7ab5" for c in cases]
    ax.scatter(xs, ys, c=colours, s=24)
    ax.axhline(0, color="#999", lw=0.8)
    ax.set(title=title, xlabel="difficulty: students passing (%)", ylabel="discrimination (point-biserial r)",
           xlim=(-5, 105), ylim=(-1.05, 1.05))
    return figure(fig, f"{title}: each case's pass rate against its discrimination; flagged cases in red")


def course_boxes(fractions: dict[str, list[float]], title: str) -> str:
    plt = _plt()
    names = list(fractions)
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.boxplot([[100 * f for f in fractions[a]] or [0] for a in names], showmeans=True)
    ax.set_xticks(range(1, len(names) + 1), [a.split("_")[0] for a in names], rotation=45)
    ax.set(title=title, xlabel="assignment", ylabel="score (% of the maximum)", ylim=(-5, 105))
    return figure(fig, f"{title}: the distribution of scores in each of {len(names)} assignments")


def table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """A table from cells already HTML (escape student text before); ``numeric``: right-aligned columns."""
    head = "".join(f"<th scope=col>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def names(students: list[str], limit: int = 12) -> str:
    shown = ", ".join(esc(s) for s in students[:limit])
    return shown + (f' <span class="muted">and {len(students) - limit} more</span>' if len(students) > limit else "")


def percent(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.0f} %"


def document(title: str, body: list[str]) -> str:
    return ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            '<meta name=viewport content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>" + "\n".join(body) + "</body></html>")
