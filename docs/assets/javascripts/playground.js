// Learning-rate playground (docs/playground.md): gradient descent on 2-D loss
// surfaces, redrawn live as the controls move.
//
// Part 1 is pure math with no DOM: it also runs under Node, where
// tests/test_playground.py compares it with an independent Python reference.
// Part 2 draws and wires the controls, and only runs in a browser.
(function () {
  "use strict";

  // ---- Part 1: surfaces, optimizers, trajectories (pure) -----------------

  // ½(λ1 x² + λ2 y²): the Hessian is diag(λ1, λ2) everywhere, so the stability
  // limits below are exact, not local approximations.
  function quadratic(name, l1, l2) {
    return {
      name,
      f: (x, y) => 0.5 * (l1 * x * x + l2 * y * y),
      grad: (x, y) => [l1 * x, l2 * y],
      lambdaMax: Math.max(l1, l2),
      view: [-4, 4, -2.5, 2.5], // x0, x1, y0, y1: 8:5, the canvas's shape
      start: [-3.5, 1.5],
      marks: [{ x: 0, y: 0, kind: "minimum" }],
    };
  }

  const surfaces = {
    bowl: quadratic("Ill-conditioned bowl (λ = 1 and 10)", 1, 10),
    valley: quadratic("Narrow valley (λ = 1 and 100)", 1, 100),
    // (x² − 1)²/4 + y²/2: minima at (±1, 0) where f = 0, a saddle at (0, 0)
    // where f = ¼ and the gradient vanishes too. Curvature varies, so there is
    // no single stability limit (near a minimum the Hessian is diag(2, 1)).
    saddle: {
      name: "Double well with a saddle point",
      f: (x, y) => {
        const u = x * x - 1;
        return 0.25 * u * u + 0.5 * y * y;
      },
      grad: (x, y) => [x * (x * x - 1), y],
      lambdaMax: null,
      view: [-2, 2, -1.25, 1.25],
      start: [0.05, 1],
      marks: [
        { x: -1, y: 0, kind: "minimum" },
        { x: 1, y: 0, kind: "minimum" },
        { x: 0, y: 0, kind: "saddle" },
      ],
      extraLevels: [0.25], // the level through the saddle: the two basins' border
    },
  };

  // PyTorch's update rules (torch.optim, single-tensor path) with its default
  // hyper-parameters, except momentum, which PyTorch leaves at 0. Each
  // optimizer keeps its state per coordinate; step() returns the new point.
  const MOMENTUM = 0.9;
  const optimizers = {
    sgd: {
      name: "SGD",
      init: () => ({}),
      step: (s, p, g, lr) => p.map((v, i) => v - lr * g[i]),
    },
    momentum: {
      name: "SGD with momentum 0.9",
      // buf = μ·buf + g, θ −= lr·buf: no (1 − μ) factor, so at a constant
      // gradient the step grows to lr·g/(1 − μ), ten times plain SGD's.
      init: () => ({ buf: [0, 0] }),
      step: (s, p, g, lr) =>
        p.map((v, i) => {
          s.buf[i] = MOMENTUM * s.buf[i] + g[i];
          return v - lr * s.buf[i];
        }),
    },
    rmsprop: {
      name: "RMSProp",
      alpha: 0.99,
      eps: 1e-8,
      init: () => ({ sq: [0, 0] }),
      step(s, p, g, lr) {
        return p.map((v, i) => {
          s.sq[i] = this.alpha * s.sq[i] + (1 - this.alpha) * g[i] * g[i];
          return v - (lr * g[i]) / (Math.sqrt(s.sq[i]) + this.eps);
        });
      },
    },
    adam: {
      name: "Adam",
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      init: () => ({ t: 0, m: [0, 0], v: [0, 0] }),
      step(s, p, g, lr) {
        s.t += 1;
        // Bias correction undoes the zero start of m and v: early steps are
        // not shrunk by (1 − β).
        const bc1 = 1 - Math.pow(this.beta1, s.t);
        const bc2 = 1 - Math.pow(this.beta2, s.t);
        const stepSize = lr / bc1;
        return p.map((v, i) => {
          s.m[i] = this.beta1 * s.m[i] + (1 - this.beta1) * g[i];
          s.v[i] = this.beta2 * s.v[i] + (1 - this.beta2) * g[i] * g[i];
          const denom = Math.sqrt(s.v[i]) / Math.sqrt(bc2) + this.eps;
          return v - (stepSize * s.m[i]) / denom;
        });
      },
    },
  };

  // Mulberry32: a tiny seeded generator of uniform numbers in [0, 1). Math.random
  // cannot be seeded, and a shared link must reproduce the same noisy path.
  function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Standard normal numbers from a uniform generator (Box–Muller; 1 − u keeps log away from 0).
  function gaussian(uniform) {
    return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  }

  // Gradient noise as a minibatch would give it: N(0, σ²) added to each
  // component of every gradient, from a fixed seed, so a run is the same each
  // time it is drawn and in every browser that opens its link.
  const NOISE = { sigma: 1, seed: 1 };

  // `steps` updates from `start`: steps + 1 points and their losses (the true
  // loss, without noise). Overflow is not stopped: Infinity and NaN are how a
  // divergent run ends. `noise`, if given, is { sigma, seed }.
  function trajectory(surfaceId, optimizerId, lr, start, steps, noise = null) {
    const surface = surfaces[surfaceId];
    const opt = optimizers[optimizerId];
    const state = opt.init();
    const normal = noise ? gaussian(mulberry32(noise.seed)) : null;
    let p = [start[0], start[1]];
    const points = [p];
    const losses = [surface.f(p[0], p[1])];
    for (let k = 0; k < steps; k++) {
      let g = surface.grad(p[0], p[1]);
      if (normal) g = g.map((v) => v + noise.sigma * normal());
      p = opt.step(state, p, g, lr);
      points.push(p);
      losses.push(surface.f(p[0], p[1]));
    }
    return { points, losses };
  }

  // The exact largest stable learning rate on a quadratic, or null. Plain
  // SGD multiplies each coordinate by (1 − lr·λ) per step: stable iff
  // lr < 2/λ_max. Heavy-ball momentum is stable iff lr·λ < 2(1 + μ).
  function stabilityLimit(surfaceId, optimizerId) {
    const lam = surfaces[surfaceId].lambdaMax;
    if (!lam) return null;
    if (optimizerId === "sgd") return 2 / lam;
    if (optimizerId === "momentum") return (2 * (1 + MOMENTUM)) / lam;
    return null;
  }

  // Short human-readable numbers: 0.2, 17.4, 3.1e-7, 2.5e+19.
  function fmt(v) {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(1);
    return String(Number(v.toPrecision(3)));
  }

  // A learning rate gets a fourth digit: the slider's stops need three at
  // most, and a rate from elsewhere (a test's 0.1995) must not read "0.2"
  // next to a limit of 0.2.
  const fmtLr = (lr) => String(Number(lr.toPrecision(4)));

  // The slider holds log10(lr) in steps of 0.01: stops 2.3% apart, evenly
  // spaced on the log scale, but 10^-0.7 is 0.1995, not 0.2. So each stop
  // stands for the roundest number within half a step of it (fewest
  // significant digits, then the nearest): 0.1, 0.2, 0.5, 1 and 2 are all
  // stops, 0.2's neighbours read 0.195 and 0.204, and the half-step windows
  // do not overlap, so no two stops share a value.
  const LR_STEP = 0.01;
  function niceLr(v) {
    const lo = 10 ** (v - LR_STEP / 2);
    const hi = 10 ** (v + LR_STEP / 2);
    const e = Math.floor(Math.log10(hi));
    for (let digits = 1; digits < 17; digits++) {
      const exp = e - digits + 1;
      const unit = 10 ** exp;
      const k0 = Math.ceil(lo / unit);
      const k1 = Math.floor(hi / unit);
      if (k0 <= k1) return Number(`${Math.min(k1, Math.max(k0, Math.round(10 ** v / unit)))}e${exp}`);
    }
    return 10 ** v;
  }

  // The stop whose value is lr, or the nearest one on the log scale: a value
  // niceLr gave lies within half a step of its own stop.
  const lrStop = (lr) => Number((Math.round(Math.log10(lr) / LR_STEP) * LR_STEP).toFixed(2));

  // "Too slow", as a rule: a stable run below half its limit that still has
  // more than half of its starting loss. Below half the limit (lr < 1/λmax)
  // every SGD factor 1 − lr·λ lies in (0, 1), so a larger rate would have
  // lowered the loss at every step: the short steps are to blame. Nearer the
  // limit a slow run is held back by its zigzag across the steep direction,
  // which a larger rate would not help. Momentum is judged by the same rule.
  const crawls = (lr, limit, first, last) => lr < limit / 2 && last > first / 2;

  // What the run did, as a verdict word and one sentence for the status line.
  function describe(surfaceId, optimizerId, lr, run, noisy = false) {
    const opt = optimizers[optimizerId];
    const first = run.losses[0];
    const last = run.losses[run.losses.length - 1];
    const steps = run.losses.length - 1;
    const limit = stabilityLimit(surfaceId, optimizerId);
    const end = run.points[run.points.length - 1];
    const lossText = `Loss ${fmt(first)} → ${fmt(last)} after ${steps} step${steps === 1 ? "" : "s"}.`;
    let verdict;
    let text;
    if (limit !== null) {
      // Theory decides stability: that verdict holds for any number of steps.
      // λmax is written as the page writes it, and shown with "max" as a subscript.
      const name = optimizerId === "sgd" ? "2/λmax" : "2(1 + μ)/λmax";
      const rel = (lr - limit) / limit;
      const bound = `lr = ${fmtLr(lr)} ${lr > limit ? ">" : "<"} ${name} = ${fmt(limit)}: ${opt.name}`;
      if (Math.abs(rel) < 1e-9) {
        verdict = "oscillates";
        text = `lr = ${name} = ${fmt(limit)}: ${opt.name} bounces between two points forever.`;
      } else if (lr > limit) {
        verdict = "diverges";
        text = `${bound} diverges.`;
      } else if (crawls(lr, limit, first, last)) {
        // The measured numbers say it all; the loss line would repeat them.
        verdict = "crawls";
        text = `${bound} is stable but too slow: after ${steps} step${steps === 1 ? "" : "s"} ` +
          `the loss is still ${fmt(last)} of ${fmt(first)}.`;
        return { verdict, text };
      } else {
        verdict = "converges";
        // Noise keeps a stable run from settling: the limit then says only that it stays bounded.
        text = `${bound} ${noisy ? "is stable, and would converge without the noise" : "converges"}.`;
      }
    } else if (!Number.isFinite(last) || last > 1e6 * first) {
      verdict = "diverges";
      const how = Number.isFinite(last) ? "grew a million-fold" : "overflowed";
      text = `lr = ${fmtLr(lr)}, ${opt.name}: the loss ${how}; it diverges here.`;
    } else if (last > first) {
      // No theory here, and a loss that is up after a few steps may still come down later.
      verdict = "rises";
      text = `lr = ${fmtLr(lr)}, ${opt.name}: the loss ended higher than it started.`;
    } else if (surfaceId === "saddle" && Math.hypot(end[0], end[1]) < 0.02) {
      // Both gradient components vanish at a saddle: a run started on the
      // ridge x = 0 never leaves it, one started near it lingers there.
      verdict = "stalls";
      text = `lr = ${fmtLr(lr)}, ${opt.name}: the run ends at the saddle point, where the gradient is zero.`;
    } else {
      verdict = "descends";
      text = `lr = ${fmtLr(lr)}, ${opt.name}: the loss fell.`;
      if (surfaces[surfaceId].lambdaMax) text += " Its steps are scaled per coordinate, so 2/λmax does not bound it.";
    }
    return { verdict, text: `${text} ${lossText}` };
  }

  // Line segments of the contours {f = level}: marching squares on an
  // nx × ny grid over `view`, with linear interpolation along cell edges.
  function contours(f, view, levels, nx, ny) {
    const [x0, x1, y0, y1] = view;
    const dx = (x1 - x0) / nx;
    const dy = (y1 - y0) / ny;
    const at = (i, j) => [x0 + i * dx, y0 + j * dy];
    const val = [];
    for (let j = 0; j <= ny; j++) for (let i = 0; i <= nx; i++) val.push(f(...at(i, j)));
    const v = (i, j) => val[j * (nx + 1) + i];
    // Each cell's lowest and highest corner: a level outside them does not
    // cross the cell, and most levels cross few cells (this keeps the first
    // draw out of a long task on a slow phone).
    const low = new Float64Array(nx * ny);
    const high = new Float64Array(nx * ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1)];
        low[j * nx + i] = Math.min(...c);
        high[j * nx + i] = Math.max(...c);
      }
    }
    const segments = [];
    for (const level of levels) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          if (!(low[j * nx + i] < level && level <= high[j * nx + i])) continue;
          // Corners in order round the cell; a crossing on each edge whose
          // ends lie on opposite sides of the level.
          const corners = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
          const hits = [];
          for (let e = 0; e < 4; e++) {
            const [ia, ja] = corners[e];
            const [ib, jb] = corners[(e + 1) % 4];
            const va = v(ia, ja);
            const vb = v(ib, jb);
            if (va < level !== vb < level) {
              const t = (level - va) / (vb - va);
              const [xa, ya] = at(ia, ja);
              const [xb, yb] = at(ib, jb);
              hits.push([xa + t * (xb - xa), ya + t * (yb - ya)]);
            }
          }
          for (let h = 0; h + 1 < hits.length; h += 2) segments.push({ level, a: hits[h], b: hits[h + 1] });
        }
      }
    }
    return segments;
  }

  // ---- Shareable state: the playground in a URL fragment ------------------
  //
  // The fragment, not the query string: it never reaches the server (the
  // static site has nothing to do with it), Material's search uses ?h= and
  // its instant navigation fetches pages by path and query, and changing it
  // with history.replaceState reloads nothing. Material's heading anchors
  // (#what-to-try) never contain "=", which tells the two apart.
  const LR_RANGE = [1e-4, 10]; // the slider's ends
  const STEPS_RANGE = [1, 200];
  const DEFAULTS = { s: "bowl", o: "sgd", lr: 0.1, n: 50 };

  // A plain decimal number, or null: Number() would also take "", " ", "0x1f" and "Infinity".
  function decimal(text) {
    if (typeof text !== "string" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return null;
    const v = Number(text);
    return Number.isFinite(v) ? v : null;
  }

  // The state in a fragment ("#s=bowl&o=adam&lr=0.1&n=50&x=-1&y=1"), each
  // field checked on its own: a missing, unknown or out-of-range value gets
  // that field's default and leaves the others alone. Never throws.
  function parseState(hash) {
    const q = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    const s = Object.hasOwn(surfaces, q.get("s")) ? q.get("s") : DEFAULTS.s;
    const o = Object.hasOwn(optimizers, q.get("o")) ? q.get("o") : DEFAULTS.o;
    const lr = decimal(q.get("lr"));
    const n = decimal(q.get("n"));
    const [x0, x1, y0, y1] = surfaces[s].view;
    const x = decimal(q.get("x"));
    const y = decimal(q.get("y"));
    const inside = (v, lo, hi) => v !== null && v >= lo && v <= hi;
    return {
      s,
      o,
      lr: inside(lr, ...LR_RANGE) ? lr : DEFAULTS.lr,
      n: inside(n, ...STEPS_RANGE) && Number.isInteger(n) ? n : DEFAULTS.n,
      x: inside(x, x0, x1) ? x : surfaces[s].start[0],
      y: inside(y, y0, y1) ? y : surfaces[s].start[1],
      noise: q.get("noise") === "1", // anything else: off
    };
  }

  // The fragment for a state: the learning rate to four significant digits
  // (what the page shows, and enough to land on the same slider stop), the
  // start to the 0.001 it is kept at.
  function formatState(st) {
    const q = new URLSearchParams({
      s: st.s, o: st.o, lr: fmtLr(st.lr), n: String(st.n),
      x: String(Math.round(st.x * 1000) / 1000), y: String(Math.round(st.y * 1000) / 1000),
    });
    if (st.noise) q.set("noise", "1"); // absent when off: older links and presets stay as they are
    return `#${q}`;
  }

  const math = {
    surfaces, optimizers, trajectory, stabilityLimit, describe, fmt, fmtLr, niceLr, lrStop, contours, MOMENTUM,
    parseState, formatState, DEFAULTS, NOISE, mulberry32,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = math;
  if (typeof document === "undefined") return;

  // ---- Part 2: drawing and controls (browser only) -----------------------

  // Material's instant navigation re-runs this file on every visit to the
  // page; the first run's document$ subscription already mounts each new
  // page, so later runs stop here and no listener is added twice.
  if (window.lrPlayground) return;
  window.lrPlayground = math;

  const LR_MIN = -4; // the slider holds log10(lr)
  const LR_MAX = 1;
  let current = null; // the mounted playground, if the page shows one
  // The page last mounted and the playground's last state there, and its held
  // loss axis. Material swaps the page in anew even for a jump to one of its
  // own headings (the table of contents) or a preset, and that fragment
  // replaces the state's.
  const last = { path: null, hash: null, heldAxis: null };

  // Colours come from Material's palette variables, read on every draw, so
  // the canvases follow the light/dark toggle.
  function palette(el) {
    const css = getComputedStyle(el);
    const get = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    return {
      bg: get("--md-default-bg-color", "#fff"),
      fg: get("--md-default-fg-color", "#000"),
      light: get("--md-default-fg-color--light", "#777"),
      lighter: get("--md-default-fg-color--lighter", "#bbb"),
      path: get("--md-typeset-a-color", "#3f51b5"),
      bad: get("--md-code-hl-number-color", "#c42626"),
      font: css.fontFamily,
    };
  }

  // Sizes a canvas's backing store to its CSS box and device pixels; returns
  // a context whose units are CSS pixels.
  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { ctx, w, h };
  }

  // Pixel coordinates can be astronomically large in a divergent run; the
  // canvas draws nothing sensible past a few thousand pixels.
  const clampPx = (v, size) => Math.max(-4 * size, Math.min(5 * size, v));

  function drawSurface(pg, run, colors) {
    const { ctx, w, h } = prepare(pg.contour);
    const surface = surfaces[pg.surfaceId];
    const [x0, x1, y0, y1] = surface.view;
    const px = (x) => ((x - x0) / (x1 - x0)) * w;
    const py = (y) => (1 - (y - y0) / (y1 - y0)) * h;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, w, h);

    // One path per colour: a stroke per segment (thousands of them) made the
    // first draw a long task on a phone, and every drag step slower.
    ctx.lineWidth = 1;
    const extra = new Set(surface.extraLevels || []);
    for (const special of [false, true]) {
      ctx.strokeStyle = special ? colors.light : colors.lighter;
      ctx.beginPath();
      for (const seg of contourCache(pg.surfaceId)) {
        if (extra.has(seg.level) !== special) continue;
        ctx.moveTo(px(seg.a[0]), py(seg.a[1]));
        ctx.lineTo(px(seg.b[0]), py(seg.b[1]));
      }
      ctx.stroke();
    }
    // Minima as "+", the saddle as "×".
    ctx.strokeStyle = colors.fg;
    ctx.lineWidth = 1.5;
    for (const m of surface.marks) {
      const cx = px(m.x);
      const cy = py(m.y);
      const r = 5;
      ctx.beginPath();
      if (m.kind === "saddle") {
        ctx.moveTo(cx - r, cy - r); ctx.lineTo(cx + r, cy + r);
        ctx.moveTo(cx - r, cy + r); ctx.lineTo(cx + r, cy - r);
      } else {
        ctx.moveTo(cx - r, cy); ctx.lineTo(cx + r, cy);
        ctx.moveTo(cx, cy - r); ctx.lineTo(cx, cy + r);
      }
      ctx.stroke();
    }

    // The path, up to its first non-finite point.
    const pts = [];
    for (const [x, y] of run.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) break;
      pts.push([clampPx(px(x), w), clampPx(py(y), h)]);
    }
    const color = pg.verdict === "diverges" ? colors.bad : colors.path;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.stroke();
    ctx.beginPath();
    for (const [x, y] of pts) {
      ctx.moveTo(x + 2, y);
      ctx.arc(x, y, 2, 0, 2 * Math.PI);
    }
    ctx.fill();
    const [ex, ey] = pts[pts.length - 1];
    ctx.lineWidth = 2;
    ctx.strokeRect(ex - 5, ey - 5, 10, 10); // the end point
  }

  // log10 of a loss; an exact 0 (possible after one step on a bowl) sits on
  // the floor of 1e-16 rather than at −∞, and overflow is NaN.
  const logLoss = (l) => (Number.isFinite(l) ? Math.log10(Math.max(l, 1e-16)) : NaN);

  // The loss axis for a run, in whole decades round its finite losses and at
  // least two decades tall: [lo, hi] as powers of ten.
  function lossAxis(losses) {
    const finite = losses.map(logLoss).filter(Number.isFinite);
    const lo = Math.floor(Math.min(...finite));
    return [lo, Math.max(Math.ceil(Math.max(...finite)), lo + 2)];
  }

  function drawLoss(pg, run, colors) {
    const { ctx, w, h } = prepare(pg.loss);
    const left = 46;
    const bottom = 30;
    const top = 10;
    const right = 10;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, w, h);
    const logs = run.losses.map(logLoss);
    const [lo, hi] = pg.axis;
    const n = Math.max(run.losses.length - 1, 1);
    const sx = (k) => left + (k / n) * (w - left - right);
    const sy = (v) => top + (1 - (v - lo) / (hi - lo)) * (h - top - bottom);

    // Axes, decade ticks (at most about six labels) and titles.
    ctx.strokeStyle = colors.light;
    ctx.fillStyle = colors.fg;
    ctx.lineWidth = 1;
    ctx.font = `12px ${colors.font}`;
    ctx.beginPath();
    ctx.moveTo(left, top);
    ctx.lineTo(left, h - bottom);
    ctx.lineTo(w - right, h - bottom);
    ctx.stroke();
    const every = Math.max(1, Math.ceil((hi - lo) / 6));
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let d = lo; d <= hi; d += every) {
      ctx.fillText(`1e${d}`, left - 4, sy(d));
      ctx.strokeStyle = colors.lighter;
      ctx.beginPath();
      ctx.moveTo(left, sy(d));
      ctx.lineTo(w - right, sy(d));
      ctx.stroke();
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText("0", sx(0), h - bottom + 4);
    ctx.fillText(String(n), sx(n), h - bottom + 4);
    ctx.fillText("step", (left + w - right) / 2, h - bottom + 4);

    const color = pg.verdict === "diverges" ? colors.bad : colors.path;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    // A held axis may be too short for this run: the curve stops at the plot's edges.
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top - 1, w - left - right, h - top - bottom + 2);
    ctx.clip();
    ctx.beginPath();
    let drawn = 0;
    for (let k = 0; k < logs.length && Number.isFinite(logs[k]); k++, drawn++) {
      if (k) ctx.lineTo(sx(k), sy(logs[k]));
      else ctx.moveTo(sx(k), sy(logs[k]));
    }
    ctx.stroke();
    ctx.restore();
    if (drawn < logs.length) {
      // Overflow: a dashed line at the step where the loss stopped being a number.
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(sx(drawn), top);
      ctx.lineTo(sx(drawn), h - bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = color;
      ctx.textAlign = drawn > n / 2 ? "right" : "left";
      ctx.fillText(" overflow ", sx(drawn), top);
    }
  }

  const contourMemo = new Map();
  function contourCache(surfaceId) {
    if (!contourMemo.has(surfaceId)) {
      const s = surfaces[surfaceId];
      const [x0, x1, y0, y1] = s.view;
      // Levels evenly spaced in √f: evenly spaced rings on a quadratic.
      let top = 0;
      for (const x of [x0, x1]) for (const y of [y0, y1]) top = Math.max(top, s.f(x, y));
      const levels = [];
      for (let k = 1; k <= 14; k++) levels.push(top * (k / 15) ** 2);
      contourMemo.set(surfaceId, contours(s.f, s.view, levels.concat(s.extraLevels || []), 96, 60));
    }
    return contourMemo.get(surfaceId);
  }

  // Reads the controls, runs the optimizer, draws, and reports in text.
  function render(pg) {
    const c = pg.controls;
    pg.surfaceId = c.surface.value;
    pg.optimizerId = c.optimizer.value;
    const lr = niceLr(Number(c.lr.value));
    const steps = Number(c.steps.value);
    const surface = surfaces[pg.surfaceId];
    const start = pg.starts[pg.surfaceId];
    const noisy = c.noise.getAttribute("aria-pressed") === "true";
    const run = trajectory(pg.surfaceId, pg.optimizerId, lr, start, steps, noisy ? NOISE : null);
    const result = describe(pg.surfaceId, pg.optimizerId, lr, run, noisy);
    // A noisy run never settles: it jitters round a floor that grows with
    // the learning rate. Its average over the last quarter shows that floor.
    const tail = run.losses.slice(-Math.max(1, Math.floor(steps / 4)));
    const floor = tail.reduce((a, b) => a + b, 0) / tail.length;
    if (noisy) {
      result.text += ` With noisy gradients (σ = ${NOISE.sigma}) the loss jitters instead of settling: over the last ` +
        `${tail.length} steps it averages ${fmt(floor)}, and a smaller learning rate lowers that floor.`;
    }
    pg.verdict = result.verdict;
    pg.run = run;
    pg.axis = pg.heldAxis || lossAxis(run.losses);

    c.lrOut.textContent = fmtLr(lr);
    c.lr.setAttribute("aria-valuetext", fmtLr(lr));
    c.stepsOut.textContent = String(steps);
    // The 2/λ_max tick sits where the slider's thumb centre stands when it reads the limit.
    if (surface.lambdaMax) {
      const limit = 2 / surface.lambdaMax;
      c.tick.hidden = false;
      c.tick.style.setProperty("--at", String((lrStop(limit) - LR_MIN) / (LR_MAX - LR_MIN)));
      c.tickValue.textContent = fmt(limit);
    } else {
      c.tick.hidden = true;
    }
    const [x0, x1, y0, y1] = surface.view;
    c.handle.style.left = `${((start[0] - x0) / (x1 - x0)) * 100}%`;
    c.handle.style.top = `${(1 - (start[1] - y0) / (y1 - y0)) * 100}%`;
    // A real minus sign: screen readers say "minus", not "dash".
    const coord = (v) => v.toFixed(2).replace("-", "−");
    c.startText.textContent = `x = ${coord(start[0])}, y = ${coord(start[1])}`;

    const last = run.losses[run.losses.length - 1];
    const end = run.points[run.points.length - 1];
    writeText(c.status, result.text);
    c.contour.setAttribute(
      "aria-label",
      `Contour lines of the ${surface.name.toLowerCase()} with the path of ${steps} ${optimizers[pg.optimizerId].name} ` +
        `steps from (${fmt(start[0])}, ${fmt(start[1])}) to (${fmt(end[0])}, ${fmt(end[1])}).`
    );
    c.loss.setAttribute("aria-label", lossLabel(pg, steps));
    // Machine-readable results, for tests and anyone scripting the page.
    const data = pg.root.dataset;
    data.initialLoss = String(run.losses[0]);
    data.finalLoss = String(last);
    data.verdict = result.verdict;
    data.floor = String(floor);
    data.lossAxis = pg.axis.join(",");
    data.axisHeld = String(Boolean(pg.heldAxis));
    data.start = `${start[0]},${start[1]}`;
    data.end = `${end[0]},${end[1]}`;
    data.renders = String(Number(data.renders || 0) + 1);
    // A preset's sentence shows while the controls are exactly in its state.
    const here = formatState(stateOf(pg));
    const preset = pg.presets.find((a) => formatState(parseState(a.hash)) === here);
    writeText(c.note, preset ? preset.dataset.note : "");
    data.preset = preset ? preset.dataset.preset : "";
    draw(pg);
  }

  // The loss plot in words: its range, and on a held axis whether the curve leaves it.
  function lossLabel(pg, steps) {
    const losses = pg.run.losses;
    const [lo, hi] = pg.axis;
    const text = `Loss per step on a log scale, from ${fmt(losses[0])} to ${fmt(losses[losses.length - 1])} ` +
      `after ${steps} steps`;
    if (!pg.heldAxis) return `${text}.`;
    const off = losses.map(logLoss).some((v) => v < lo || v > hi);
    return `${text}, on an axis held at ${fmt(10 ** lo)} to ${fmt(10 ** hi)}${off ? "; the curve runs off it" : ""}.`;
  }

  // Text with each "λmax" shown as the page's prose writes it, "max" as a
  // subscript; built from text nodes, so nothing in the text is parsed as markup.
  function writeText(el, text) {
    const sub = () => Object.assign(document.createElement("sub"), { textContent: "max" });
    el.replaceChildren(...text.split("λmax").flatMap((part, k) => (k ? ["λ", sub(), part] : [part])));
  }

  const sizeOf = (el) => `${el.clientWidth}x${el.clientHeight}`;

  function draw(pg) {
    pg.root.dataset.draws = String(Number(pg.root.dataset.draws || 0) + 1);
    pg.drawnAt = sizeOf(pg.contour.parentElement);
    const colors = palette(pg.root);
    drawSurface(pg, pg.run, colors);
    drawLoss(pg, pg.run, colors);
  }

  // Moves the start point to view coordinates (clamped to the view) and reruns.
  function moveStart(pg, x, y) {
    const [x0, x1, y0, y1] = surfaces[pg.surfaceId].view;
    const round = (v) => Math.round(v * 1000) / 1000;
    pg.starts[pg.surfaceId] = [round(Math.min(x1, Math.max(x0, x))), round(Math.min(y1, Math.max(y0, y)))];
    changed(pg);
  }

  // The state the controls show, in parseState's shape.
  function stateOf(pg) {
    const c = pg.controls;
    const [x, y] = pg.starts[c.surface.value];
    const noise = c.noise.getAttribute("aria-pressed") === "true";
    const lr = niceLr(Number(c.lr.value));
    return { s: c.surface.value, o: c.optimizer.value, lr, n: Number(c.steps.value), x, y, noise };
  }

  // Sets every control from a state (other surfaces' starts go back to their
  // defaults, so the same URL always gives the same page) and renders.
  function applyState(pg, st) {
    const c = pg.controls;
    c.surface.value = st.s;
    c.optimizer.value = st.o;
    c.lr.value = String(lrStop(st.lr)); // a rate between stops goes to the nearest
    c.steps.value = String(st.n);
    c.noise.setAttribute("aria-pressed", String(st.noise));
    pg.starts = defaultStarts();
    pg.starts[st.s] = [st.x, st.y];
    render(pg);
  }

  // After a reader's change: render, then record the state in the URL.
  // replaceState, not pushState: dragging a slider would otherwise fill the
  // history with hundreds of entries. history.state is kept for Material.
  function changed(pg) {
    render(pg);
    if (!pg.root.isConnected) return;
    last.hash = formatState(stateOf(pg));
    history.replaceState(history.state, "", last.hash);
  }

  // Flips a toggle button; returns whether it is now pressed.
  function toggle(button) {
    const on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    return on;
  }

  const defaultStarts = () => Object.fromEntries(Object.entries(surfaces).map(([id, s]) => [id, s.start.slice()]));
  // Only a fragment with "=" is a state; any other is a heading anchor.
  const isState = (hash) => hash.includes("=");

  function mount() {
    const root = document.getElementById("lr-playground");
    if (root && root.dataset.ready) return; // this page is mounted already
    const samePage = last.path === location.pathname;
    last.path = location.pathname;
    if (!samePage) Object.assign(last, { hash: null, heldAxis: null });
    if (current) {
      // The previous page's playground is gone from the document: let it go.
      current.resize.disconnect();
      current = null;
    }
    if (!root) return;
    root.dataset.ready = "true";
    const $ = (id) => root.querySelector(`#pg-${id}`);
    const pg = {
      root,
      contour: $("contour"),
      loss: $("loss"),
      starts: defaultStarts(),
      controls: {
        surface: $("surface"), optimizer: $("optimizer"), lr: $("lr"), lrOut: $("lr-out"),
        steps: $("steps"), stepsOut: $("steps-out"), tick: $("tick"), tickValue: $("tick-value"),
        handle: $("handle"), startText: $("start-text"), status: $("status"),
        contour: $("contour"), loss: $("loss"), note: $("note"), noise: $("noise"), hold: $("hold"),
      },
      heldAxis: last.heldAxis, // [lo, hi] while "Hold loss axis" is pressed
      presets: [...root.querySelectorAll("a.pg-preset")],
    };
    current = pg;
    pg.controls.hold.setAttribute("aria-pressed", String(Boolean(pg.heldAxis)));
    for (const el of [pg.controls.surface, pg.controls.optimizer, pg.controls.lr, pg.controls.steps]) {
      el.addEventListener("input", () => changed(pg));
    }

    // Dragging: anywhere on the plot picks up the start point; the pointer is
    // captured so the drag continues outside the canvas.
    const stage = pg.contour.parentElement;
    const toView = (ev) => {
      const box = pg.contour.getBoundingClientRect();
      const [x0, x1, y0, y1] = surfaces[pg.surfaceId].view;
      const fx = (ev.clientX - box.left) / box.width;
      const fy = (ev.clientY - box.top) / box.height;
      return [x0 + fx * (x1 - x0), y1 - fy * (y1 - y0)];
    };
    let dragging = null;
    let grab = [0, 0]; // pointer minus start point, so the handle does not jump when picked up
    stage.addEventListener("pointerdown", (ev) => {
      if (ev.button !== 0) return;
      ev.preventDefault(); // no text selection; focus is moved by hand instead
      dragging = ev.pointerId;
      stage.setPointerCapture(ev.pointerId);
      pg.controls.handle.focus({ preventScroll: true });
      const [x, y] = toView(ev);
      const [sx, sy] = pg.starts[pg.surfaceId];
      grab = ev.target === pg.controls.handle ? [x - sx, y - sy] : [0, 0];
      moveStart(pg, x - grab[0], y - grab[1]);
    });
    stage.addEventListener("pointermove", (ev) => {
      if (ev.pointerId !== dragging) return;
      const [x, y] = toView(ev);
      moveStart(pg, x - grab[0], y - grab[1]);
    });
    const stop = (ev) => {
      if (ev.pointerId === dragging) dragging = null;
    };
    pg.controls.noise.addEventListener("click", () => {
      toggle(pg.controls.noise);
      changed(pg);
    });
    // The held axis is a way of looking, not part of the run: it stays out of
    // the URL and through presets, so runs can be compared on one scale.
    pg.controls.hold.addEventListener("click", () => {
      pg.heldAxis = toggle(pg.controls.hold) ? pg.axis : null;
      last.heldAxis = pg.heldAxis;
      render(pg);
    });
    stage.addEventListener("pointerup", stop);
    stage.addEventListener("pointercancel", stop);

    // Keyboard: arrows move the start by 1/40 of the view, 1/400 with Shift;
    // Home puts it back where the surface starts by default.
    pg.controls.handle.addEventListener("keydown", (ev) => {
      const [x0, x1] = surfaces[pg.surfaceId].view;
      const d = ((x1 - x0) / 40) * (ev.shiftKey ? 0.1 : 1);
      const moves = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
      const [x, y] = pg.starts[pg.surfaceId];
      if (moves[ev.key]) moveStart(pg, x + moves[ev.key][0], y + moves[ev.key][1]);
      else if (ev.key === "Home") moveStart(pg, ...surfaces[pg.surfaceId].start);
      else return;
      ev.preventDefault(); // arrows would scroll the page
    });

    // The observer also reports the first size, which the first render has
    // just drawn at: redraw only for a size not drawn yet.
    pg.resize = new ResizeObserver(() => pg.run && pg.drawnAt !== sizeOf(stage) && draw(pg));
    pg.resize.observe(stage);
    // A shared link restores its state; the plain page keeps a clean URL.
    const shared = isState(location.hash) ? location.hash : last.hash; // back from a heading: the URL keeps it
    // The surface's contour lines first, in a task of their own: with the
    // first run and drawing they would make one long task, holding up the
    // reader's first input (Lighthouse counts it as blocking time).
    contourCache(shared ? parseState(shared).s : pg.controls.surface.value);
    setTimeout(() => {
      if (!root.isConnected) return;
      if (shared) last.hash = shared;
      if (shared) applyState(pg, parseState(shared));
      else render(pg);
    });
  }

  // A preset link or the back button changes the fragment: show that state.
  window.addEventListener("hashchange", () => {
    if (current && current.root.isConnected && isState(location.hash)) {
      last.hash = location.hash;
      applyState(current, parseState(location.hash));
    }
  });

  // Redraw when the reader toggles light/dark (Material sets this attribute).
  new MutationObserver(() => {
    if (current && current.root.isConnected) draw(current);
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  // document$ (Material) emits on the first load and after each instant
  // navigation; it replays the latest page to a late subscriber.
  // Mounting (layout, first draw) runs in a task of its own: Material's
  // handlers of the same page event already make a long task.
  // This script comes before Material's in the page, and both are deferred:
  // on the first load document$ exists once DOMContentLoaded fires.
  const boot = () => (window.document$ ? window.document$.subscribe(() => setTimeout(mount)) : mount());
  if (window.document$ || document.readyState === "complete") boot();
  else document.addEventListener("DOMContentLoaded", boot, { once: true });
})();
