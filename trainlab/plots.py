"""Matplotlib helpers whose figures read well on the site's light and dark pages and on a phone.

Figures are SVG with real text (the notebook hook inlines them in the page), so
the site's stylesheet gives the text the page's own colour in either scheme.
Lines are drawn in mid-tone colours that keep 3:1 contrast on white and on
Material's dark slate alike. A figure is 4.8 in wide with 11.5 pt text: scaled
down to a 390 px phone's content column (~358 px) the smallest text is still
11 CSS px, and on a desktop it is shown at its own size, never stretched.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.ticker import LogFormatter
from matplotlib.figure import Figure

from .lr_finder import RangeTest
from .multiseed import SeedRuns

INK = "#8a8f98"  # axes, ticks and grid: ~3.3:1 on white, ~5:1 on slate (text gets the page colour on the site)
# Relative luminance 0.19 to 0.27: each at least 3.2:1 on white and 3.7:1 on Material's slate (#1e2029),
# in an order that keeps the first few far apart in hue.
COLORS = ("#2f7fd0", "#d55e00", "#009e73", "#9467e0", "#c4629a", "#a8801a", "#0e8fa3", "#d9434b", "#6f9a1f")
WIDTH = 4.8  # inches: see the module docstring
FONT_SIZE = 11.5  # points, for every piece of text
LINE = 1.8
HIGHLIGHT = 3.6  # the best or highlighted run's line width

STYLE = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "svg.fonttype": "none",  # <text>, not glyph outlines: the page styles and sizes it
    "svg.hashsalt": "trainlab",  # the same figure gives the same SVG, run after run
    "figure.constrained_layout.use": True,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "grid.color": INK,
    "grid.alpha": 0.25,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=COLORS),
    "legend.frameon": False,
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "legend.title_fontsize": FONT_SIZE,
    "figure.figsize": (WIDTH, 3.4),
    "lines.linewidth": LINE,
}


def use_site_style() -> None:
    """Apply the site style to every figure that follows (call once at the top of a notebook).

    In a notebook it also makes the inline backend emit SVG, without the date
    matplotlib would otherwise stamp into each file.
    """
    plt.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg", metadata={"Date": None})


def running_mean(values: Sequence[float], width: int = 20) -> list[float]:
    """Each value averaged with the `width - 1` before it, so a trend shows through step-to-step noise."""
    out, total = [], 0.0
    for i, value in enumerate(values):
        total += value
        if i >= width:
            total -= values[i - width]
        out.append(total / min(i + 1, width))
    return out


def colors(count: int) -> tuple[str, ...]:
    """`count` colours from COLORS; more series than that could not be told apart, so it refuses."""
    if count > len(COLORS):
        raise ValueError(f"{count} series but {len(COLORS)} distinguishable colours: split the plot or group series")
    return COLORS[:count]


def _figure(ax: Axes | None, height: float = 3.4) -> tuple[Figure, Axes]:
    """A new figure in the site style, or the figure that `ax` belongs to."""
    use_site_style()
    if ax is None:
        return plt.subplots(figsize=(WIDTH, height))
    return ax.figure, ax  # type: ignore[return-value]


def legend(ax: Axes, *, owns_figure: bool, title: str | None = None) -> None:
    """Every labelled series in the legend: under the plot, in as many columns as fit the figure's width, when
    the figure is the helper's own (so no entry hides a line on a narrow figure); inside the axes otherwise."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    if not owns_figure:
        ax.legend(title=title)
        return
    fig = ax.figure
    height = fig.get_figheight()
    for ncols in range(len(labels), 0, -1):
        shown = labels if ncols > 1 else _wrapped(labels)
        rows = -(-len(shown) // ncols) + sum(label.count("\n") for label in shown[::ncols]) + (title is not None)
        # Taller by the legend's rows, so the plot itself keeps its height.
        fig.set_figheight(height + rows * FONT_SIZE * 1.5 / 72)
        box = fig.legend(handles, shown, loc="outside lower center", ncols=ncols, title=title)
        if ncols == 1 or _inches_wide(box) <= WIDTH:
            return
        box.remove()


def _inches_wide(artist: Artist) -> float:
    renderer = artist.figure.canvas.get_renderer()
    return artist.get_window_extent(renderer).width / artist.figure.dpi


def _wrapped(labels: list[str]) -> list[str]:
    """Labels wrapped so that one column of them fits the figure's width."""
    spare = WIDTH * 72 * 0.9 - 3.2 * FONT_SIZE  # points for text, less the line handle and its gap
    chars = max(12, int(spare / (FONT_SIZE * 0.6)))  # ~0.6 em a character
    return ["\n".join(textwrap.wrap(label, chars)) for label in labels]


def title_axes(ax: Axes, title: str | None) -> None:
    """A title wrapped to the figure's width rather than widening it."""
    if title:
        ax.set_title("\n".join(textwrap.wrap(title, 46)))


class _PlainLog(LogFormatter):
    """The ticks LogFormatter would label, as 0.3, 1, 2, 10: its 10⁻¹ sets the exponent at 70% of the text size."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:g}" if super().__call__(x, pos) else ""


def log_scale(ax: Axes, which: str) -> None:
    """A log scale on the "x" or "y" axis of `ax`, its ticks labelled in plain numbers."""
    getattr(ax, f"set_{which}scale")("log")
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_formatter(_PlainLog())
    axis.set_minor_formatter(_PlainLog(labelOnlyBase=False, minor_thresholds=(1, 0.4)))


def label_axes(ax: Axes, xlabel: str, ylabel: str) -> None:
    """Axis labels wrapped to fit beside and under a narrow plot rather than squeezing it."""
    ax.set_xlabel("\n".join(textwrap.wrap(xlabel, 48)))
    ax.set_ylabel("\n".join(textwrap.wrap(ylabel, 30)))


def _width(label: str, highlight: str | None) -> float:
    return HIGHLIGHT if label == highlight else LINE


def plot_seed_curves(
    runs: Mapping[str, SeedRuns],
    metric: str = "loss",
    *,
    ax: Axes | None = None,
    title: str | None = None,
    highlight: str | None = None,
) -> Figure:
    """Per option, the mean over seeds of validation (solid) and training (dashed) `metric`, with the
    band from the lowest to the highest seed around the validation curve; the `highlight` option drawn thick."""
    owns = ax is None
    fig, ax = _figure(ax, height=3.6)
    for color, (label, result) in zip(colors(len(runs)), runs.items()):
        length = min(len(h.epochs) for h in result.histories)
        epochs = list(range(1, length + 1))
        val = [[getattr(h.epochs[i], f"val_{metric}") for h in result.histories] for i in range(length)]
        train = [[getattr(h.epochs[i], f"train_{metric}") for h in result.histories] for i in range(length)]
        width = _width(label, highlight)
        ax.plot(epochs, [sum(v) / len(v) for v in train], "--", color=color, linewidth=width, label=f"{label}, training")
        ax.plot(epochs, [sum(v) / len(v) for v in val], "-", color=color, linewidth=width,
                label=f"{label}, validation ({len(result.seeds)} seeds)")
        ax.fill_between(epochs, [min(v) for v in val], [max(v) for v in val], color=color, alpha=0.2, linewidth=0)
    label_axes(ax, "epoch", {"loss": "cross-entropy loss", "acc": "accuracy"}.get(metric, metric))
    title_axes(ax, title)
    legend(ax, owns_figure=owns, title="mean over seeds; band: lowest to highest")
    return fig  # type: ignore[return-value]


def plot_lines(
    series: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    xlabel: str,
    ylabel: str,
    logx: bool = False,
    logy: bool = False,
    marker: str = "",
    ax: Axes | None = None,
    title: str | None = None,
    highlight: str | None = None,
) -> Figure:
    """One line per entry of `series` ({label: (x values, y values)}), the `highlight` one drawn thick."""
    owns = ax is None
    fig, ax = _figure(ax)
    for color, (label, (xs, ys)) in zip(colors(len(series)), series.items()):
        ax.plot(xs, ys, marker=marker, color=color, label=label, linewidth=_width(label, highlight),
                zorder=3 if label == highlight else 2)
    for which, log in (("x", logx), ("y", logy)):
        if log:
            log_scale(ax, which)
    label_axes(ax, xlabel, ylabel)
    title_axes(ax, title)
    if len(series) > 1:
        legend(ax, owns_figure=owns)
    return fig  # type: ignore[return-value]


def plot_range_test(result: RangeTest, *, ax: Axes | None = None) -> Figure:
    """Raw and smoothed loss against learning rate, with the minimum and the suggestion marked."""
    owns = ax is None
    fig = plot_lines(
        {"loss per step": (result.lrs, result.losses), "smoothed": (result.lrs, result.smoothed)},
        xlabel="learning rate (log scale)", ylabel="training loss", logx=True, ax=ax, highlight="smoothed",
    )
    axes = fig.axes[0] if ax is None else ax
    for stale in fig.legends:
        stale.remove()  # replaced below, with the two markers added
    axes.lines[0].set_linewidth(1.0)
    axes.axvline(result.min_lr, color=COLORS[3], linestyle=":", label=f"lowest smoothed loss, lr={result.min_lr:.2g}")
    axes.axvline(result.suggestion, color=COLORS[2], linestyle="--", label=f"suggestion (÷10), lr={result.suggestion:.2g}")
    axes.set_ylim(0, max(result.smoothed[0] * 1.6, 1.0))
    legend(axes, owns_figure=owns)
    return fig
