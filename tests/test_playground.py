"""The learning-rate playground: its math against an independent Python reference (and that against PyTorch),
the stability limit it marks, and the page in a real browser: slider, dragging, themes, instant navigation."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from playground_reference import OPTIMIZERS, SURFACES, Momentum, run, same, sgd_limit
from support import RecordingTab, visit

SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "playground.js"
STEPS = 120

# Learning rates from crawling to overflowing, both sides of every 2/λ_max (0.2, 0.02) and of momentum's
# 2(1 + μ)/λ_max on the bowl (0.38); starts on both sides of each minimum, and on the saddle's ridge x = 0.
LEARNING_RATES = [1e-3, 0.019, 0.021, 0.05, 0.19, 0.21, 0.37, 0.39, 1.0, 4.0]
STARTS = {
    "bowl": [(-3.5, 1.5), (2.0, -0.7), (0.3, 2.4)],
    "valley": [(-3.5, 1.5), (2.0, -0.7), (0.3, 2.4)],
    "saddle": [(0.05, 1.0), (0.0, 1.0), (-1.6, -0.9), (1.9, 0.4)],
}
CASES = [
    (surface, optimizer, lr, start, STEPS)
    for surface in SURFACES
    for optimizer in OPTIMIZERS
    for lr in LEARNING_RATES
    for start in STARTS[surface]
]

# Runs the page's own functions on each case; Infinity and NaN are sent as strings, which JSON lacks.
NODE_RUNNER = r"""
const pg = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const enc = (v) => (Number.isFinite(v) ? v : String(v));
const out = cases.map(([surface, optimizer, lr, start, steps]) => {
  const r = pg.trajectory(surface, optimizer, lr, start, steps);
  return { points: r.points.map((p) => p.map(enc)), losses: r.losses.map(enc) };
});
process.stdout.write(JSON.stringify(out));
"""


def node() -> str:
    found = shutil.which("node")
    assert found, "Node.js is needed to run the playground's script"
    return found


def js_runs(cases: list[tuple], script: Path = SCRIPT) -> list[tuple[list[tuple[float, float]], list[float]]]:
    """Each case's (points, losses) as computed by the JavaScript in `script`."""
    result = subprocess.run(
        [node(), "-e", NODE_RUNNER, str(script)], input=json.dumps(cases),
        capture_output=True, text=True, timeout=120, check=True,
    )
    return [
        ([(float(x), float(y)) for x, y in r["points"]], [float(v) for v in r["losses"]])
        for r in json.loads(result.stdout)
    ]


def js_eval(expression: str) -> object:
    """The JSON value of `expression`, evaluated with the playground's exports bound to `pg`."""
    code = f"const pg = require(process.argv[1]); process.stdout.write(JSON.stringify({expression}));"
    out = subprocess.run([node(), "-e", code, str(SCRIPT)], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def mismatches(cases: list[tuple], js: list[tuple[list[tuple[float, float]], list[float]]]) -> list[str]:
    """One line per case whose JavaScript trajectory differs from the reference, naming the first step that does."""
    bad = []
    for case, (js_points, js_losses) in zip(cases, js):
        points, losses = run(*case)
        assert len(js_points) == len(points) == case[-1] + 1
        for k, (p, q, a, b) in enumerate(zip(points, js_points, losses, js_losses)):
            if not (same(p[0], q[0]) and same(p[1], q[1]) and same(a, b)):
                bad.append(f"{case[:4]} step {k}: python {p} loss {a}, js {q} loss {b}")
                break
    return bad


@pytest.fixture(scope="module")
def js_trajectories() -> dict[tuple, tuple]:
    return {case: result for case, result in zip(CASES, js_runs(CASES))}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("surface", SURFACES)
def test_js_trajectories_match_the_python_reference(js_trajectories: dict, surface: str, optimizer: str) -> None:
    cases = [c for c in CASES if c[0] == surface and c[1] == optimizer]
    assert not mismatches(cases, [js_trajectories[c] for c in cases])
    # The cases must exercise both ends: some runs settle, and (for SGD) some blow up.
    finals = [run(*c)[1][-1] for c in cases]
    assert any(f < 1e-3 for f in finals)
    if optimizer == "sgd":
        assert any(not math.isfinite(f) or f > 1e6 for f in finals)


# Each mutation is a plausible slip in an update rule; the comparison above must catch every one.
MUTATIONS = {
    "momentum with dampening": ("MOMENTUM * s.buf[i] + g[i]", "MOMENTUM * s.buf[i] + (1 - MOMENTUM) * g[i]"),
    "rmsprop eps under the root": ("Math.sqrt(s.sq[i]) + this.eps", "Math.sqrt(s.sq[i] + this.eps)"),
    "adam without bias correction": ("const stepSize = lr / bc1;", "const stepSize = lr;"),
    "saddle gradient sign": ("grad: (x, y) => [x * (x * x - 1), y]", "grad: (x, y) => [x * (1 - x * x), y]"),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_the_comparison_catches_a_wrong_update_rule(tmp_path: Path, mutation: str) -> None:
    old, new = MUTATIONS[mutation]
    source = SCRIPT.read_text(encoding="utf-8")
    assert source.count(old) == 1, f"the script no longer contains {old!r}: update MUTATIONS"
    broken = tmp_path / "playground.js"
    broken.write_text(source.replace(old, new), encoding="utf-8")
    assert mismatches(CASES, js_runs(CASES, broken)), f"{mutation} went unnoticed"


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("surface", ["bowl", "saddle"])
def test_reference_matches_torch_optim(surface: str, optimizer: str) -> None:
    torch = pytest.importorskip("torch")
    make = {
        "sgd": lambda p, lr: torch.optim.SGD([p], lr=lr, foreach=False),
        "momentum": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=Momentum.mu, foreach=False),
        "rmsprop": lambda p, lr: torch.optim.RMSprop([p], lr=lr, foreach=False),
        "adam": lambda p, lr: torch.optim.Adam([p], lr=lr, foreach=False),
    }[optimizer]
    for lr in (0.01, 0.1, 0.5):
        start = STARTS[surface][0]
        points, _ = run(surface, optimizer, lr, start, 60)
        param = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        opt = make(param, lr)
        for k in range(60):
            # The analytic gradient, not autograd's: this compares the update rules alone.
            param.grad = torch.tensor(SURFACES[surface].gradient(*param.tolist()), dtype=torch.float64)
            opt.step()
            x, y = param.tolist()
            assert same(x, points[k + 1][0]) and same(y, points[k + 1][1]), (lr, k, (x, y), points[k + 1])


@pytest.mark.parametrize("momentum", [False, True], ids=["sgd", "momentum"])
@pytest.mark.parametrize("surface", ["bowl", "valley"])
def test_quadratic_stability_limit_is_exact_in_both_implementations(surface: str, momentum: bool) -> None:
    optimizer = "momentum" if momentum else "sgd"
    limit = sgd_limit(surface, momentum)
    assert js_eval(f"pg.stabilityLimit({json.dumps(surface)}, {json.dumps(optimizer)})") == pytest.approx(limit)
    below, above = [(surface, optimizer, factor * limit, (-3.5, 1.5), 500) for factor in (0.98, 1.02)]
    for case, (_, js_losses) in zip([below, above], js_runs([below, above])):
        _, losses = run(*case)
        for final in (losses[-1], js_losses[-1]):
            if case is below:
                assert final < 1e-6 * losses[0], (case, final)
            else:
                assert not math.isfinite(final) or final > 1e6 * losses[0], (case, final)


def test_plain_sgd_limits_are_two_over_lambda_max() -> None:
    assert sgd_limit("bowl") == 0.2 and sgd_limit("valley") == 0.02
    assert sgd_limit("bowl", momentum=True) == pytest.approx(0.38)


def test_status_text_states_the_limit_and_the_verdict() -> None:
    texts = js_eval(
        "[['bowl', 0.25, [-3.5, 1.5]], ['bowl', 0.19, [-3.5, 1.5]], ['bowl', 0.2, [-3.5, 1.5]], ['saddle', 0.1, [0, 1]]]"
        ".map(([s, lr, start]) => pg.describe(s, 'sgd', lr, pg.trajectory(s, 'sgd', lr, start, 100)))"
    )
    above, below, edge, saddle = texts  # type: ignore[misc]
    assert above["verdict"] == "diverges" and above["text"].startswith("lr = 0.25 > 2/λmax = 0.2: SGD diverges.")
    assert below["verdict"] == "converges" and below["text"].startswith("lr = 0.19 < 2/λmax = 0.2: SGD converges.")
    assert edge["verdict"] == "oscillates"
    assert saddle["verdict"] == "stalls" and "saddle point" in saddle["text"]


def test_a_stable_rate_far_below_the_limit_is_too_slow() -> None:
    """The rule: below half the limit, with more than half of the starting loss left after the steps given."""
    cases = {
        "too-low": ("bowl", "sgd", 0.001, 50, False),  # the preset
        "just-right": ("bowl", "sgd", 0.1, 50, False),
        "one-step-near-limit": ("bowl", "sgd", 0.19, 1, False),  # three quarters left, but slowed by its zigzag
        "one-step-below-half": ("bowl", "sgd", 0.02, 1, False),
        "momentum": ("bowl", "momentum", 0.0001, 50, False),
        "noisy": ("bowl", "sgd", 0.001, 50, True),
    }
    got = js_eval(
        f"Object.fromEntries(Object.entries({json.dumps(cases)}).map(([k, [s, o, lr, n, noisy]]) =>"
        " [k, pg.describe(s, o, lr, pg.trajectory(s, o, lr, pg.surfaces[s].start, n, noisy ? pg.NOISE : null), noisy)]))"
    )
    assert isinstance(got, dict)
    assert {k: v["verdict"] for k, v in got.items()} == {
        "too-low": "crawls", "just-right": "converges", "one-step-near-limit": "converges",
        "one-step-below-half": "crawls", "momentum": "crawls", "noisy": "crawls",
    }
    # The numbers are the run's own, its last loss and its first, as the reference computes them.
    _, losses = run("bowl", "sgd", 0.001, (-3.5, 1.5), 50)
    assert f"{losses[-1]:.3g} of {losses[0]:.3g}" == "9.66 of 17.4"
    assert got["too-low"]["text"] == (
        "lr = 0.001 < 2/λmax = 0.2: SGD is stable but too slow: after 50 steps the loss is still 9.66 of 17.4."
    )
    assert "after 1 step the loss is still 13.1 of 17.4" in got["one-step-below-half"]["text"]
    momentum, noisy = got["momentum"]["text"], got["noisy"]["text"]
    assert momentum.startswith("lr = 0.0001 < 2(1 + μ)/λmax = 0.38: SGD with momentum 0.9 is stable but too slow")
    # With noise the same rule, on the noisy run's own losses; the page adds the sentence about the noise.
    assert "too slow: after 50 steps the loss is still" in noisy and "converge" not in noisy


def test_status_text_writes_lambda_max_as_the_page_does() -> None:
    """"2/λmax", shown with "max" as a subscript in the browser, never the source-code spelling "λ_max"."""
    texts = js_eval(
        "['bowl', 'valley', 'saddle'].flatMap((s) => ['sgd', 'momentum', 'rmsprop', 'adam'].flatMap((o) =>"
        " [1e-4, 0.01, 0.02, 0.2, 0.38, 3].map((lr) =>"
        " pg.describe(s, o, lr, pg.trajectory(s, o, lr, pg.surfaces[s].start, 50)).text)))"
    )
    assert isinstance(texts, list) and len(texts) == 72
    assert not [t for t in texts if "λ_" in t]
    assert any("2/λmax" in t for t in texts) and any("2(1 + μ)/λmax" in t for t in texts)
    assert any("so 2/λmax does not bound it" in t for t in texts)


def test_every_slider_stop_is_a_round_distinct_learning_rate() -> None:
    stops = js_eval("Array.from({length: 501}, (_, k) => { const v = Number((-4 + k / 100).toFixed(2));"
                    " const lr = pg.niceLr(v); return [v, lr, pg.fmtLr(lr), pg.lrStop(Number(pg.fmtLr(lr)))]; })")
    assert isinstance(stops, list)
    rates = [lr for _, lr, _, _ in stops]
    assert rates[0] == 1e-4 and rates[-1] == 10
    assert all(a < b for a, b in zip(rates, rates[1:])), "one value per stop, rising"
    for v, lr, shown, back in stops:
        assert abs(math.log10(lr) - v) <= 0.005 + 1e-12, (v, lr)  # within half a step: the thumb stands where it says
        assert len(shown.replace("0.", "").lstrip("0").replace(".", "")) <= 3, shown  # three significant digits at most
        assert back == v, (v, shown)  # the URL's lr=... lands on the same stop
    for decade in range(-4, 1):
        for mantissa in (1, 2, 2.5, 3, 5):
            assert float(f"{mantissa}e{decade}") in rates, f"{mantissa}e{decade}"
    assert {0.02, 0.038, 0.2, 0.38} <= set(rates), "every 2/λmax and 2(1 + μ)/λmax is a stop"


def test_page_is_built_linked_and_alone_in_loading_the_script(site: Path) -> None:
    page = site / "playground" / "index.html"
    assert page.stat().st_size <= 40 * 1024
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = html.find("article")
    assert article is not None
    links = {a["href"] for a in article.find_all("a", href=True)}
    assert "../questions/learning-rate/#what-is-learning-rate" in links
    assert "../questions/learning-rate/#learning-rate-too-high" in links
    for control in article.select("select, input"):
        assert article.find("label", attrs={"for": control["id"]}), control["id"]
    scripts = [s for s in site.rglob("*.html") if "playground.js" in s.read_text(encoding="utf-8")]
    assert scripts == [page], "the playground's script loads on its own page only"
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one('nav.md-nav--primary a[href="playground/"]'), "the page is in the navigation"


# ---- In the browser ------------------------------------------------------------------------------------------


class Tab(RecordingTab):
    """A browser tab on the playground, recording what it requested and any console error."""

    def set(self, control: str, value: str) -> None:
        """Set a control's value and fire `input`, as dragging a slider or picking an option does."""
        fire = "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }"
        self.page.eval_on_selector(f"#pg-{control}", fire, value)

    def data(self, name: str) -> str:
        return str(self.page.get_attribute("#lr-playground", f"data-{name}"))

    def loss(self, which: str) -> float:
        return float(self.data(f"{which}-loss"))

    def status(self) -> str:
        return self.page.inner_text("#pg-status")


@pytest.fixture(scope="module")
def _reused_tab(browser: object) -> Iterator[Tab]:
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(color_scheme="light", viewport=viewport)  # type: ignore[attr-defined]
    yield Tab(context)
    context.close()


@pytest.fixture
def tab(_reused_tab: Tab) -> Iterator[Tab]:
    """One tab for the module's tests, blank and unrecorded at each start: a new tab costs half a second of
    CPU. The playground keeps its state in the page's URL only, so a page loaded afresh starts clean."""
    t = _reused_tab
    t.page.goto("about:blank")
    t.requests.clear()
    t.errors.clear()
    yield t
    for other in t.context.pages[1:]:
        other.close()
    assert not t.problems(), t.problems()


def open_playground(tab: Tab, site_url: str) -> None:
    visit(tab.page, f"{site_url}playground/")


@pytest.mark.browser
def test_slider_past_two_over_lambda_max_diverges_and_below_converges(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    tab.set("surface", "bowl")
    tab.set("optimizer", "sgd")
    tab.set("steps", "100")
    curve = lambda: tab.page.eval_on_selector("#pg-loss", "c => c.toDataURL()")  # noqa: E731

    # The slider holds log10(lr) in steps of 0.01: -0.69 and -0.71 are the stops either side of 0.2's -0.7.
    tab.set("lr", "-0.69")
    before = curve()
    assert tab.data("verdict") == "diverges"
    assert tab.loss("final") > 1e3 * tab.loss("initial")
    assert tab.status().startswith("lr = 0.204 > 2/λmax = 0.2: SGD diverges.")

    tab.set("lr", "-0.71")
    assert tab.data("verdict") == "converges"
    assert tab.loss("final") < 1e-3 * tab.loss("initial")
    assert tab.status().startswith("lr = 0.195 < 2/λmax = 0.2: SGD converges.")
    assert curve() != before, "the loss curve was redrawn"
    assert tab.page.get_attribute("#pg-lr", "aria-valuetext") == "0.195"

    # The tick labelled 0.2 sits where the thumb stands for lr = 0.2: clicking the track right there gives it.
    assert tab.page.inner_text("#pg-tick").replace("\n", "") == "2/λmax = 0.2"
    tick = tab.page.locator("#pg-tick").bounding_box()
    track = tab.page.locator("#pg-lr").bounding_box()
    assert tick and track
    tab.page.mouse.click(tick["x"] + tick["width"] / 2, track["y"] + track["height"] / 2)
    assert 10 ** float(tab.page.input_value("#pg-lr")) == pytest.approx(0.2, rel=0.05)  # ±1.5 px
    # And that stop is 0.2 itself, not 10^-0.7 = 0.1995: the tick stands at the stop that reads 0.2.
    tab.set("lr", "-0.7")
    tick_at = tab.page.eval_on_selector("#pg-tick", "t => Number(t.style.getPropertyValue('--at'))")
    assert tick_at == pytest.approx((-0.7 + 4) / 5, abs=1e-12)

    # No fixed limit on the double well: the tick goes away.
    tab.set("surface", "saddle")
    assert not tab.page.locator("#pg-tick").is_visible()


@pytest.mark.browser
def test_dragging_or_keying_the_start_point_changes_the_trajectory(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    assert tab.data("start") == "-3.5,1.5"
    end_before = tab.data("end")
    handle = tab.page.locator("#pg-handle").bounding_box()
    canvas = tab.page.locator("#pg-contour").bounding_box()
    assert handle and canvas
    tab.page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    tab.page.mouse.down()
    # To x = 2, y = 1.25: three quarters across and a quarter down the bowl's view of [-4, 4] × [-2.5, 2.5].
    tab.page.mouse.move(canvas["x"] + 0.75 * canvas["width"], canvas["y"] + 0.25 * canvas["height"], steps=8)
    tab.page.mouse.up()
    x, y = map(float, tab.data("start").split(","))
    assert x == pytest.approx(2.0, abs=0.06) and y == pytest.approx(1.25, abs=0.06)
    assert tab.data("end") != end_before
    assert tab.page.inner_text("#pg-start-text") == f"x = {x:.2f}, y = {y:.2f}".replace("-", "−")

    # Keyboard: the handle has focus after the drag; arrows move 1/40 of the view, Shift 1/400.
    assert tab.page.evaluate("document.activeElement.id") == "pg-handle"
    tab.page.keyboard.press("ArrowRight")
    tab.page.keyboard.press("Shift+ArrowDown")
    x2, y2 = map(float, tab.data("start").split(","))
    assert x2 == pytest.approx(x + 0.2) and y2 == pytest.approx(y - 0.02)
    tab.page.keyboard.press("Home")
    assert tab.data("start") == "-3.5,1.5" and tab.data("end") == end_before


@pytest.mark.browser
def test_canvas_follows_the_colour_scheme(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    corner = "() => Array.from(document.getElementById('pg-contour').getContext('2d').getImageData(1, 1, 1, 1).data)"
    body = "() => getComputedStyle(document.body).backgroundColor"
    light = tab.page.evaluate(corner)
    tab.page.get_by_title("Switch to light mode").click()
    tab.page.get_by_title("Switch to dark mode").click()
    assert tab.page.get_attribute("body", "data-md-color-scheme") == "slate"
    dark = tab.page.evaluate(corner)
    assert sum(light[:3]) > 3 * 200 and sum(dark[:3]) < 3 * 80, (light, dark)
    rgb = [int(c) for c in tab.page.evaluate(body).split("(")[1].rstrip(")").split(",")[:3]]
    assert all(abs(a - b) <= 2 for a, b in zip(dark[:3], rgb)), "the canvas is painted in the page's background"


@pytest.mark.browser
def test_works_after_instant_navigation_without_duplicate_listeners(tab: Tab, site_url: str) -> None:
    visit(tab.page, site_url)
    tab.page.evaluate("window.__sameDocument = true")

    def go(label: str, path: str) -> None:
        # By name: after the first instant navigation Material has made every href absolute.
        tab.page.locator("nav.md-nav--primary a.md-nav__link", has_text=label).first.click()
        tab.page.wait_for_url(site_url + path)
        tab.page.wait_for_load_state("networkidle")
        assert tab.page.evaluate("window.__sameDocument") is True, "instant navigation, not a page load"

    for arrival in range(2):  # there, away and back: the second visit must not add a second set of listeners
        go("Learning-rate playground", "playground/")
        tab.page.wait_for_selector("#lr-playground[data-ready]")
        assert tab.data("verdict") == "converges" and "SGD converges" in tab.status()
        renders = int(tab.data("renders"))
        tab.set("lr", "-0.3")
        assert int(tab.data("renders")) == renders + 1, f"visit {arrival + 1}: one input, one render"
        assert tab.data("verdict") == "diverges" and "SGD diverges" in tab.status()
        # One scheme change, one redraw: a second colour-scheme observer would draw twice.
        draws = int(tab.data("draws"))
        tab.page.evaluate(
            """async () => {
                const body = document.body, scheme = body.getAttribute('data-md-color-scheme');
                body.setAttribute('data-md-color-scheme', scheme === 'slate' ? 'default' : 'slate');
                await new Promise((done) => setTimeout(done, 100));
            }"""
        )
        assert int(tab.data("draws")) == draws + 1, f"visit {arrival + 1}: one scheme change, one redraw"
        if arrival == 0:
            go("Home", "")  # back to the home page through the navigation


# ---- The shareable state: URL fragment, presets -----------------------------------------------------------------


def controls(tab: Tab) -> dict[str, str]:
    """What the reader sees set: each control's value, the start point, and the run's outcome."""
    values = {name: tab.page.input_value(f"#pg-{name}") for name in ("surface", "optimizer", "lr", "steps")}
    return values | {name: tab.data(name) for name in ("start", "end", "verdict", "final-loss")} | {
        "status": tab.status(), "path": tab.page.eval_on_selector("#pg-contour", "c => c.toDataURL()"),
    }


def fragment(tab: Tab) -> str:
    return str(tab.page.evaluate("location.hash"))


@pytest.mark.browser
def test_state_round_trips_through_the_url(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    assert fragment(tab) == "", "the plain page keeps a clean URL until the reader changes something"
    history = tab.page.evaluate("history.length")
    tab.set("surface", "valley")
    tab.set("optimizer", "momentum")
    for stop in ("-1.2", "-1.3", "-1.37"):  # a drag: many inputs
        tab.set("lr", stop)
    tab.set("steps", "120")
    tab.page.focus("#pg-handle")
    tab.page.keyboard.press("ArrowRight")
    tab.page.keyboard.press("Shift+ArrowUp")
    assert fragment(tab) == "#s=valley&o=momentum&lr=0.043&n=120&x=-3.3&y=1.52"
    assert tab.page.evaluate("history.length") == history, "replaceState: the controls do not fill the history"
    before = controls(tab)
    assert before["verdict"] == "diverges"  # past momentum's 0.038 on the valley: the path is not a trivial one

    # The same URL in a new tab: the same controls, path, verdict and status.
    other = Tab(tab.context)
    visit(other.page, f"{site_url}playground/{fragment(tab)}")
    assert controls(other) == before
    assert other.page.input_value("#pg-lr") == "-1.37"
    assert not other.problems(), other.problems()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("hash", "expected"),
    [
        # Unknown surface, bad lr, steps out of range, y outside the view: each falls back alone.
        ("#s=ravine&o=adam&lr=abc&n=500&x=-1&y=99&noise=yes", ("bowl", "adam", "-1", "50", "-1,1.5")),
        ("#s=saddle&o=nadam&lr=0.5&n=7&x=1e400&y=-0.5", ("saddle", "sgd", "-0.3", "7", "0.05,-0.5")),
        ("#s=valley&lr=100&n=2.5&x=&y=Infinity", ("valley", "sgd", "-1", "50", "-3.5,1.5")),
        ("#s=constructor&o=__proto__&lr=-1&n=0x10&x=NaN&y=0", ("bowl", "sgd", "-1", "50", "-3.5,0")),
    ],
)
def test_invalid_url_values_fall_back_field_by_field(tab: Tab, site_url: str, hash: str, expected: tuple) -> None:
    visit(tab.page, f"{site_url}playground/{hash}")
    got = tuple(tab.page.input_value(f"#pg-{n}") for n in ("surface", "optimizer", "lr", "steps")) + (tab.data("start"),)
    assert got == expected
    assert tab.page.get_attribute("#pg-noise", "aria-pressed") == "false"
    assert tab.data("verdict") in {"converges", "crawls", "diverges", "descends", "rises", "stalls", "oscillates"}
    # The tab fixture fails the test on any console error.


@pytest.mark.browser
def test_a_heading_anchor_leaves_the_state_alone(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    tab.set("lr", "-0.3")
    tab.page.click('.md-sidebar--secondary a[href$="#what-to-try"]')  # the table of contents
    tab.page.wait_for_function("location.hash === '#what-to-try'")
    tab.page.wait_for_timeout(200)
    assert tab.page.input_value("#pg-lr") == "-0.3" and tab.data("verdict") == "diverges"


# Each preset: the state its link names, and what its sentence claims, checked on what the page then shows.
PRESETS = {
    "too-low": ({"surface": "bowl", "optimizer": "sgd", "lr": "-3", "steps": "50"}, "Too low:"),
    "just-right": ({"surface": "bowl", "optimizer": "sgd", "lr": "-1", "steps": "50"}, "Just right:"),
    "past-limit": ({"surface": "bowl", "optimizer": "sgd", "lr": "-0.6", "steps": "50"}, "Past 2/λmax:"),
    "adam-valley": ({"surface": "valley", "optimizer": "adam", "lr": "-1", "steps": "200"}, "Adam on the narrow valley:"),
}


@pytest.mark.browser
@pytest.mark.parametrize("preset", PRESETS)
def test_each_preset_lands_in_its_state_and_its_sentence_is_true(tab: Tab, site_url: str, preset: str) -> None:
    open_playground(tab, site_url)
    tab.set("steps", "17")  # somewhere else first, so the preset has to change things
    tab.set("surface", "saddle")
    assert tab.page.inner_text("#pg-note") == ""
    state, opening = PRESETS[preset]
    tab.page.click(f'a.pg-preset[data-preset="{preset}"]')
    tab.page.wait_for_function(f"document.getElementById('lr-playground').dataset.preset === '{preset}'")
    assert {n: tab.page.input_value(f"#pg-{n}") for n in state} == state
    assert tab.data("start") == ("-3.5,1.5"), "the surface's own start"
    note = tab.page.inner_text("#pg-note")
    assert note.startswith(opening)
    first, last, verdict = tab.loss("initial"), tab.loss("final"), tab.data("verdict")
    final = tab.data("final-loss")
    if preset == "too-low":
        assert "more than half" in note and last > 0.5 * first and verdict == "crawls"
        assert "SGD is stable but too slow: after 50 steps the loss is still" in tab.status()
    elif preset == "just-right":
        assert "from 17 to below 0.001" in note and round(first) == 17 and last < 1e-3 and verdict == "converges"
    elif preset == "past-limit":
        assert "trillion-fold" in note and verdict == "diverges" and last > 1e12 * first
        assert "2/λmax" in note and "0.25" in note and tab.status().startswith("lr = 0.25 > 2/λmax = 0.2")
    else:
        assert "below 0.000001 in 200 steps" in note and last < 1e-6 and verdict == "descends"
        assert "limit of 0.02" in note and "five times" in note
        # Plain SGD at the same rate blows up, as the sentence says.
        tab.set("optimizer", "sgd")
        assert tab.data("verdict") == "diverges" and "2/λmax = 0.02" in tab.status()
        assert tab.page.inner_text("#pg-note") == "", "no longer the preset: its sentence goes"
        # The preset link added a history entry: Back returns to the state before it.
        tab.page.go_back()
        tab.page.wait_for_function("document.getElementById('pg-surface').value === 'saddle'")
        assert tab.page.input_value("#pg-steps") == "17"
    # The link is the whole state: opened on its own, it gives the same page and sentence.
    # Its hash: Material makes every href absolute after its first instant navigation.
    link = tab.page.eval_on_selector(f'a.pg-preset[data-preset="{preset}"]', "a => a.hash")
    other = Tab(tab.context)
    visit(other.page, f"{site_url}playground/{link}")
    assert other.data("final-loss") == final and other.page.inner_text("#pg-note") == note
    assert not other.problems(), other.problems()


@pytest.mark.browser
def test_gradient_noise_is_seeded_and_needs_a_smaller_learning_rate(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    tab.set("steps", "200")
    tab.set("lr", "-0.72")  # 0.19, just inside 2/λ_max = 0.2 on the bowl
    clean = controls(tab)
    tab.page.click("#pg-noise")
    assert tab.page.get_attribute("#pg-noise", "aria-pressed") == "true"
    assert fragment(tab).endswith("&noise=1")
    noisy = controls(tab)
    assert noisy["end"] != clean["end"] and noisy["path"] != clean["path"], "the noise moves the path"
    assert "noisy gradients" in noisy["status"] and "SGD is stable, and would converge without the noise" in noisy["status"]
    # Seeded: off and on again, and the same link in another tab, give the very same path.
    tab.page.click("#pg-noise")
    assert controls(tab) == clean and "noise" not in fragment(tab)
    tab.page.click("#pg-noise")
    assert controls(tab) == noisy
    other = Tab(tab.context)
    visit(other.page, f"{site_url}playground/{fragment(tab)}")
    assert controls(other) == noisy
    assert not other.problems(), other.problems()
    # Why a noisy gradient wants a smaller rate: the loss it jitters round is far higher at 0.19 than at 0.02.
    high = float(tab.data("floor"))
    tab.set("lr", "-1.7")
    low = float(tab.data("floor"))
    assert high > 100 * low, (high, low)  # as the page says
    assert "a smaller learning rate lowers that floor" in tab.status()


@pytest.mark.browser
def test_status_and_note_write_lambda_max_as_the_tick_does(tab: Tab, site_url: str) -> None:
    visit(tab.page, f"{site_url}playground/#s=bowl&o=sgd&lr=0.25&n=50")  # the past-limit preset
    html = lambda selector: tab.page.inner_html(selector)  # noqa: E731
    assert "2/λ<sub>max</sub> = " in html("#pg-tick")
    assert html("#pg-status").startswith("lr = 0.25 &gt; 2/λ<sub>max</sub> = 0.2: SGD diverges.")
    assert "Past 2/λ<sub>max</sub>: at 0.25" in html("#pg-note")
    tab.set("optimizer", "momentum")
    assert "2(1 + μ)/λ<sub>max</sub> = 0.38" in html("#pg-status")
    tab.set("optimizer", "adam")
    assert "so 2/λ<sub>max</sub> does not bound it" in html("#pg-status")
    # Text and subscripts only: nothing in the sentence is parsed as markup.
    tags = tab.page.eval_on_selector_all("#pg-status *, #pg-note *", "els => els.map((e) => e.tagName)")
    assert set(tags) == {"SUB"}
    assert "λ_" not in tab.status() and "λ_" not in tab.page.inner_text("#pg-note")


@pytest.mark.browser
def test_the_learning_rate_slider_lands_on_round_values(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    shown = lambda: (tab.page.inner_text("#pg-lr-out"), tab.page.get_attribute("#pg-lr", "aria-valuetext"))  # noqa: E731
    for stop, lr in [("-1", "0.1"), ("-0.7", "0.2"), ("-0.3", "0.5"), ("0", "1"), ("0.3", "2")]:
        tab.set("lr", stop)
        assert shown() == (lr, lr)
        assert f"&lr={lr}&" in fragment(tab)
    # At 0.2 itself, on the bowl's limit of 0.2, plain SGD neither converges nor diverges.
    tab.set("lr", "-0.7")
    assert tab.data("verdict") == "oscillates"
    assert tab.status().startswith("lr = 2/λmax = 0.2: SGD bounces between two points forever.")

    # The keyboard moves one stop (a factor of 10^0.01) at a time, and the ends are the range's.
    tab.page.focus("#pg-lr")
    values = []
    for key in ("ArrowLeft", "ArrowRight", "ArrowRight", "ArrowLeft", "Home", "End"):
        tab.page.keyboard.press(key)
        values.append(shown()[0])
    assert values == ["0.195", "0.2", "0.204", "0.2", "0.0001", "10"]

    # A link with lr=2 lands on the stop that reads 2; one with a rate between stops, on the nearest.
    for lr, stop, reads in [("2", "0.3", "2"), ("0.2512", "-0.6", "0.25")]:
        visit(tab.page, f"{site_url}playground/#s=bowl&o=sgd&lr={lr}&n=50")
        assert tab.page.input_value("#pg-lr") == stop and shown() == (reads, reads)


def loss_axis(tab: Tab) -> tuple[int, int]:
    lo, hi = tab.data("loss-axis").split(",")
    return int(lo), int(hi)


@pytest.mark.browser
def test_holding_the_loss_axis_keeps_its_range_while_the_run_changes(tab: Tab, site_url: str) -> None:
    open_playground(tab, site_url)
    hold = tab.page.locator("#pg-hold")
    assert hold.get_attribute("aria-pressed") == "false"
    converging = loss_axis(tab)  # 0.1 on the bowl: from 17 down past 0.001
    tab.set("lr", "-3")
    crawling = loss_axis(tab)
    assert crawling != converging, "on its own, each run gets the axis its losses need"

    tab.set("lr", "-1")
    state = fragment(tab)
    hold.click()
    assert hold.get_attribute("aria-pressed") == "true" and tab.data("axis-held") == "true"
    assert fragment(tab) == state, "the held axis is a way of looking at runs, not part of the state in the URL"
    label = tab.page.get_attribute("#pg-loss", "aria-label")
    assert "on an axis held at" in str(label) and "runs off" not in str(label)
    curve = tab.page.eval_on_selector("#pg-loss", "c => c.toDataURL()")
    for stop in ("-3", "-0.6", "-2"):  # too slow, diverging (its losses run far off the axis), and in between
        tab.set("lr", stop)
        assert loss_axis(tab) == converging, stop
    tab.set("lr", "-0.6")
    assert tab.data("verdict") == "diverges" and str(tab.page.get_attribute("#pg-loss", "aria-label")).endswith(
        "; the curve runs off it."
    )
    assert tab.page.eval_on_selector("#pg-loss", "c => c.toDataURL()") != curve, "the curve itself is redrawn"
    # It holds through a preset too (Material swaps the page in anew for it), so presets compare on one scale.
    tab.page.click('a.pg-preset[data-preset="too-low"]')
    tab.page.wait_for_function("document.getElementById('lr-playground').dataset.preset === 'too-low'")
    assert loss_axis(tab) == converging and hold.get_attribute("aria-pressed") == "true"

    hold.click()
    assert hold.get_attribute("aria-pressed") == "false" and tab.data("axis-held") == "false"
    assert loss_axis(tab) == crawling, "released, the axis fits the run again"
    assert "held" not in str(tab.page.get_attribute("#pg-loss", "aria-label"))
