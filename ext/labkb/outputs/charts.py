"""Charts made at build time as inline SVG (matplotlib, deterministic output, no network).

A chart is a function of its data: given a cache folder, each drawn SVG is kept there under a hash
of its arguments, this module's code and matplotlib's version, and the same chart is read back
instead of drawn again (the first chart of a process costs about 0.6 s, loading matplotlib's fonts;
an edit re-writes the overview page although its counts rarely change).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import Counter
from html import escape
from importlib.metadata import version
from pathlib import Path

COLOURS = ("#4c72b0", "#dd8452", "#55a868")
#: Charts kept in a cache folder at most; the oldest go first.
KEEP = 256


def _key(args: object) -> str:
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    text = json.dumps([code, version("matplotlib"), args], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf8")).hexdigest()[:40]


def _keep(folder: Path, name: str, svg: str) -> None:
    """Write atomically (parallel readers draw too); prune the oldest beyond :data:`KEEP`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{name}.{os.getpid()}"
        temporary.write_text(svg, encoding="utf8")
        os.replace(temporary, folder / name)
        kept = sorted(folder.glob("*.svg"), key=lambda f: f.stat().st_mtime)
        for old in kept[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only or vanished folder: the chart was drawn, only not kept
        pass


def bar_svg(labels: list[str], series: dict[str, list[int]], title: str, *,
            horizontal: bool = False, ylabel: str = "", cache: Path | None = None) -> str:
    """Grouped bars, one group per label; the SVG carries an aria-label for screen readers."""
    if cache is None:
        return _draw(labels, series, title, horizontal, ylabel)
    name = _key([labels, series, title, horizontal, ylabel]) + ".svg"
    try:
        return (cache / name).read_text(encoding="utf8")
    except OSError:
        svg = _draw(labels, series, title, horizontal, ylabel)
        _keep(cache, name, svg)
        return svg


def _draw(labels: list[str], series: dict[str, list[int]], title: str, horizontal: bool,
          ylabel: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    labels = [_short(label) for label in labels]
    count = max(len(labels), 1)
    size = (7.0, 0.32 * count + 1.0) if horizontal else (max(3.0, 0.45 * count + 1.5), 2.4)
    # labels are data (area titles): "$...$" is text, not mathtext (which can stop the build)
    with plt.rc_context({"svg.hashsalt": "labkb", "svg.fonttype": "none", "font.size": 9,
                         "text.parse_math": False}):
        fig, ax = plt.subplots(figsize=size)
        width = 0.8 / max(len(series), 1)
        for i, (name, values) in enumerate(series.items()):
            positions = [p + (i - (len(series) - 1) / 2) * width for p in range(len(labels))]
            draw = ax.barh if horizontal else ax.bar
            draw(positions, values, width, label=name, color=COLOURS[i % len(COLOURS)])
        ticks = (ax.set_yticks if horizontal else ax.set_xticks)
        ticks(range(len(labels)), labels)
        axis = ax.xaxis if horizontal else ax.yaxis
        locator = axis.get_major_locator()  # matplotlib's AutoLocator, a MaxNLocator
        if isinstance(locator, MaxNLocator):
            locator.set_params(integer=True)
        if horizontal:
            ax.invert_yaxis()
            ax.set_xlabel(ylabel)
        else:
            ax.set_ylabel(ylabel)
            plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
        if len(series) > 1:
            ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    label = escape(title, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="kb-chart" ', 1)


def _short(label: str, limit: int = 64) -> str:
    """A label that fits beside the bars: longer ones are cut (the page has the full text)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def papers_per_year_svg(years: list[int], title: str, cache: Path | None = None) -> str:
    """A bar chart of papers per year, every year of the span shown."""
    counts = Counter(years)
    span = list(range(min(counts), max(counts) + 1)) if counts else []
    return bar_svg([str(y) for y in span], {"papers": [counts.get(y, 0) for y in span]}, title,
                   ylabel="papers", cache=cache)


def figure(svg: str, caption: str) -> str:
    return f'<figure class="kb-chart-figure">{svg}<figcaption>{escape(caption)}</figcaption></figure>'
