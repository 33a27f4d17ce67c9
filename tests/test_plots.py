"""The plot helpers: every series in the legend and told apart, and text that a phone can still read."""

from __future__ import annotations

import io
import re

import matplotlib
import pytest

matplotlib.use("Agg")

from trainlab import plots  # noqa: E402
from support import contrast  # noqa: E402

PHONE_COLUMN = 358  # CSS px: a 390 px screen less Material's margins (what tests/test_plot_legibility.py measures)
WHITE, SLATE = (255, 255, 255), (0x1E, 0x20, 0x29)  # Material's light and dark page backgrounds


def rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def nine_series() -> dict[str, tuple[list[float], list[float]]]:
    return {f"lr={lr:g}": ([1, 2, 3], [3.0, 2.0 / (i + 1), 1.0 / (i + 1)]) for i, lr in enumerate([1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10])}


def smallest_text_on_a_phone(svg: str) -> float:
    """The smallest text of a saved figure in CSS px, once shrunk to fit a phone's column."""
    width_pt = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes, "text is written as <text>, not outlines"
    return min(sizes) * 4 / 3 * min(1.0, PHONE_COLUMN / (width_pt * 4 / 3))


def svg_of(fig: matplotlib.figure.Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight")  # as the notebooks' inline backend saves it
    matplotlib.pyplot.close(fig)
    return out.getvalue()


@pytest.mark.parametrize("color", [*plots.COLORS, plots.INK])
def test_every_colour_reads_on_both_backgrounds(color: str) -> None:
    assert contrast(rgb(color), WHITE) >= 3 and contrast(rgb(color), SLATE) >= 3


def test_every_series_is_in_the_legend() -> None:
    fig = plots.plot_lines(nine_series(), xlabel="step", ylabel="loss")
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == list(nine_series())
    assert len({line.get_color() for line in fig.axes[0].lines}) == 9, "nine series, nine colours"


def test_more_series_than_colours_is_refused_not_cut_short() -> None:
    series = {**nine_series(), "lr=30": ([1, 2, 3], [3.0, 3.0, 3.0])}
    with pytest.raises(ValueError, match="10 series"):
        plots.plot_lines(series, xlabel="step", ylabel="loss")


def test_the_highlighted_series_is_drawn_thick_and_on_top() -> None:
    fig = plots.plot_lines(nine_series(), xlabel="step", ylabel="loss", highlight="lr=0.3")
    widths = {line.get_label(): line.get_linewidth() for line in fig.axes[0].lines}
    assert widths["lr=0.3"] == plots.HIGHLIGHT and all(w == plots.LINE for k, w in widths.items() if k != "lr=0.3")
    assert max(fig.axes[0].lines, key=lambda line: line.get_zorder()).get_label() == "lr=0.3"


def test_text_stays_legible_when_a_phone_shrinks_the_figure() -> None:
    """The width the figure is saved at and its smallest text, scaled to a phone's column: at least 11 px."""
    fig = plots.plot_lines(nine_series(), xlabel="step", ylabel="training loss (20-step mean, mean of 3 seeds, log scale)",
                           logy=True, title="A title as long as the notebooks use")
    assert smallest_text_on_a_phone(svg_of(fig)) >= 11


def test_long_titles_and_legend_labels_wrap_instead_of_widening_the_figure() -> None:
    from trainlab.multiseed import SeedRuns

    def runs(offset: float) -> SeedRuns:
        from trainlab.training import EpochStats, History, TrainConfig

        histories = []
        for seed in range(3):
            h = History(TrainConfig(seed=seed))
            for epoch in (1, 2):
                h.epochs.append(EpochStats(epoch=epoch, train_loss=1 / epoch + offset, val_loss=1.1 / epoch + offset,
                                           train_acc=0.8, val_acc=0.8, seconds=1.0))
            histories.append(h)
        return SeedRuns(TrainConfig(), seeds=(0, 1, 2), histories=histories, models=[], final_states=[])

    long = {f"one_cycle schedule number {i} (peak lr 0.1, momentum 0.9)": runs(i / 10) for i in range(3)}
    fig = plots.plot_seed_curves(long, "loss", title="The same data and budget, each model at its own learning rate")
    assert smallest_text_on_a_phone(svg_of(fig)) >= 11


def test_running_mean_averages_the_last_width_values() -> None:
    assert plots.running_mean([1, 2, 3, 4, 5], width=2) == [1, 1.5, 2.5, 3.5, 4.5]
    assert plots.running_mean([2, 4], width=20) == [2, 3]
