"""Charts made at build time as inline SVG (matplotlib, deterministic output, no network)."""

from __future__ import annotations

import io
from collections import Counter
from html import escape


def papers_per_year_svg(years: list[int], title: str) -> str:
    """A bar chart of papers per year; the SVG carries a <title> for screen readers."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    counts = Counter(years)
    span = list(range(min(counts), max(counts) + 1)) if counts else []
    with plt.rc_context({"svg.hashsalt": "labkb", "svg.fonttype": "none", "font.size": 9}):
        fig, ax = plt.subplots(figsize=(max(3.0, 0.45 * len(span) + 1.5), 2.2))
        ax.bar([str(y) for y in span], [counts.get(y, 0) for y in span], color="#4c72b0")
        ax.set_ylabel("papers")
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.get_major_locator().set_params(integer=True)
        plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    label = escape(title, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="kb-chart" ', 1)
    return svg
