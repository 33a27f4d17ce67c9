"""Matplotlib helpers whose figures read well on the site's light and dark pages.

The figure background is transparent, so the page colour shows through; text,
axes and grid are a mid grey that keeps contrast on white and on Material's
dark slate; line colours come from the Okabe-Ito palette, chosen to be told
apart with colour-vision deficiencies and bright enough for a dark background.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .lr_finder import RangeTest
from .multiseed import SeedRuns
from .training import History

INK = "#8a8f98"  # ~3.3:1 on white, ~5:1 on slate: readable in both themes
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#F0E442", "#999999")

STYLE = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
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
    "font.size": 11,
    "figure.dpi": 110,
    "figure.figsize": (7.5, 4.0),
    "lines.linewidth": 2.0,
}


def use_site_style() -> None:
    """Apply the site style to every figure that follows (call once at the top of a notebook)."""
    plt.rcParams.update(STYLE)


def _figure(ax: Axes | None) -> tuple[Figure, Axes]:
    """A new figure in the site style, or the figure that `ax` belongs to."""
    use_site_style()
    if ax is None:
        return plt.subplots()
    return ax.figure, ax  # type: ignore[return-value]


def plot_curves(
    histories: Mapping[str, History],
    metric: str = "loss",
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Training (dashed) and validation (solid) curves of `metric` ("loss" or "acc") per run."""
    fig, ax = _figure(ax)
    for color, (label, history) in zip(COLORS, histories.items()):
        epochs = [e.epoch for e in history.epochs]
        ax.plot(epochs, history.column(f"train_{metric}"), "--", color=color, label=f"{label}, training")
        ax.plot(epochs, history.column(f"val_{metric}"), "-", color=color, label=f"{label}, validation")
        if not history.diverged:  # a run that went to NaN has no best epoch to mark
            ax.plot([history.best_epoch], [getattr(history.best, f"val_{metric}")], "o", color=color, markersize=7)
    ax.set_xlabel("epoch")
    ax.set_ylabel({"loss": "cross-entropy loss", "acc": "accuracy"}.get(metric, metric))
    if title:
        ax.set_title(title)
    ax.legend(title="● best validation epoch", title_fontsize=9)
    fig.tight_layout()
    return fig  # type: ignore[return-value]


def plot_seed_curves(
    runs: Mapping[str, SeedRuns],
    metric: str = "loss",
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Per option, the mean over seeds of validation (solid) and training (dashed) `metric`, with the
    band from the lowest to the highest seed around the validation curve."""
    fig, ax = _figure(ax)
    for color, (label, result) in zip(COLORS, runs.items()):
        length = min(len(h.epochs) for h in result.histories)
        epochs = list(range(1, length + 1))
        val = [[getattr(h.epochs[i], f"val_{metric}") for h in result.histories] for i in range(length)]
        train = [[getattr(h.epochs[i], f"train_{metric}") for h in result.histories] for i in range(length)]
        ax.plot(epochs, [sum(v) / len(v) for v in train], "--", color=color, label=f"{label}, training")
        ax.plot(epochs, [sum(v) / len(v) for v in val], "-", color=color,
                label=f"{label}, validation ({len(result.seeds)} seeds)")
        ax.fill_between(epochs, [min(v) for v in val], [max(v) for v in val], color=color, alpha=0.2, linewidth=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel({"loss": "cross-entropy loss", "acc": "accuracy"}.get(metric, metric))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=9, title="mean over seeds; band: lowest to highest", title_fontsize=9)
    fig.tight_layout()
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
) -> Figure:
    """One line per entry of `series` ({label: (x values, y values)}), in the site style."""
    fig, ax = _figure(ax)
    for color, (label, (xs, ys)) in zip(COLORS, series.items()):
        ax.plot(xs, ys, marker=marker, color=color, label=label)
    ax.set_xscale("log" if logx else "linear")
    ax.set_yscale("log" if logy else "linear")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(series) > 1:
        ax.legend()
    fig.tight_layout()
    return fig  # type: ignore[return-value]


def plot_range_test(result: RangeTest, *, ax: Axes | None = None) -> Figure:
    """Raw and smoothed loss against learning rate, with the minimum and the suggestion marked."""
    fig = plot_lines(
        {"loss per step": (result.lrs, result.losses), "smoothed": (result.lrs, result.smoothed)},
        xlabel="learning rate (log scale)", ylabel="training loss", logx=True, ax=ax,
    )
    axes = fig.axes[0] if ax is None else ax
    axes.lines[0].set_alpha(0.35)
    axes.axvline(result.min_lr, color=COLORS[3], linestyle=":", label=f"lowest smoothed loss, lr={result.min_lr:.2g}")
    axes.axvline(result.suggestion, color=COLORS[2], linestyle="--", label=f"suggestion (÷10), lr={result.suggestion:.2g}")
    axes.set_ylim(0, max(result.smoothed[0] * 1.6, 1.0))
    axes.legend()
    return fig
