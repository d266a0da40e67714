"""A chart of small panels, one per group, each with a bar per week: big enough type and
few lines, so it reads on a phone. Made with matplotlib's object API (no pyplot state) in a
worker thread; one chart at a time, since matplotlib does not promise thread safety."""

from __future__ import annotations

import io
import math
import threading

PANEL_INCHES = (4.0, 1.7)  # width, height of one panel
DPI = 150
BAR = "#2a6f97"
LAST = "#e07a22"  # the week the chart is about


_DRAWING = threading.Lock()


def bar_panels(title: str, weeks: list[str], panels: list[tuple[str, list[int]]]) -> bytes:
    """A PNG: `panels` are (name, one value per week); the last week is highlighted."""
    with _DRAWING:
        return _draw(title, weeks, panels)


def _draw(title: str, weeks: list[str], panels: list[tuple[str, list[int]]]) -> bytes:
    # Imported here: matplotlib and numpy are most of the bot's memory, and only a
    # chart needs them.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    columns = 1 if len(panels) <= 6 else 2
    rows = math.ceil(len(panels) / columns)
    width, height = PANEL_INCHES
    figure = Figure(figsize=(width * columns, height * rows + 0.8), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    # parse_math=False: a name like '$\foo$' is text, not a formula matplotlib fails on.
    figure.suptitle(title, fontsize=13, fontweight="bold", parse_math=False)
    axes = figure.subplots(rows, columns, squeeze=False)
    labels = [week.split("W")[-1] for week in weeks]  # 'W48' reads as 48 on a small screen
    for index, axis in enumerate(axes.flat):
        if index >= len(panels):
            axis.set_visible(False)
            continue
        name, values = panels[index]
        colours = [BAR] * (len(values) - 1) + [LAST]
        bars = axis.bar(labels, values, color=colours)
        axis.bar_label(bars, fontsize=8, padding=1)
        axis.set_title(name, fontsize=10, loc="left", parse_math=False)
        axis.set_ylim(0, max(max(values, default=0), 1) * 1.3)
        axis.tick_params(labelsize=8)
        axis.spines[["top", "right", "left"]].set_visible(False)
        axis.set_yticks([])
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
