extension Assets {
    /// `/assets/app.js`: draws both pages from the JSON API as SVG, and polls `/api/runs` every
    /// second to redraw a run's dashboard when an ingest adds to it. Names reach the page only
    /// through `textContent` and attribute values, never as markup.
    static let appJS = #"""
    "use strict";
    const SVGNS = "http://www.w3.org/2000/svg";
    // 20 colours that stay apart from each other (Tableau 20 reordered: the strong ones first).
    const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
      "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5"];
    const W = 1000, LEFT = 64, RIGHT = 16;

    function el(tag, attrs, text) {
      const e = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
      if (text !== undefined) e.textContent = String(text);
      return e;
    }
    function sv(tag, attrs, text) {
      const e = document.createElementNS(SVGNS, tag);
      for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
      if (text !== undefined) e.textContent = String(text);
      return e;
    }
    function query(params) {
      const parts = [];
      for (const [k, v] of Object.entries(params || {})) {
        for (const one of Array.isArray(v) ? v : [v]) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(one));
      }
      return parts.length ? "?" + parts.join("&") : "";
    }
    async function api(command, params) {
      const response = await fetch("/api/" + command + query(params), { cache: "no-store" });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      return body;
    }
    function setStatus(text, isError) {
      const s = document.getElementById("status");
      s.textContent = text;
      s.className = isError ? "status error" : "status";
    }
    function fmt(x) {
      if (typeof x !== "number") return x === null || x === undefined ? "" : String(x);
      if (Number.isInteger(x)) return String(x);
      return Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toPrecision(4);
    }
    function unique(values) { return Array.from(new Set(values)).sort((a, b) => a - b); }
    function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
    function fillTable(table, columns, rows, onClick) {
      const head = table.tHead || table.createTHead();
      clear(head);
      const tr = head.insertRow();
      for (const c of columns) tr.appendChild(el("th", {}, c));
      const body = table.tBodies[0] || table.createTBody();
      clear(body);
      for (const row of rows) {
        const r = body.insertRow();
        for (const c of columns) r.appendChild(el("td", typeof row[c] === "number" ? { class: "num" } : {}, fmt(row[c])));
        if (onClick) { r.className = "clickable"; r.addEventListener("click", () => onClick(row, r)); }
      }
    }

    // A linear scale from a domain to a range.
    function scale(d0, d1, r0, r1) {
      const span = d1 - d0 || 1;
      return x => r0 + (x - d0) / span * (r1 - r0);
    }
    function ticks(lo, hi, n) {
      if (!(hi > lo)) return [lo];
      const step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
      const nice = [1, 2, 5, 10].map(m => m * step).find(s => (hi - lo) / s <= n) || step * 10;
      const out = [];
      for (let t = Math.ceil(lo / nice) * nice; t <= hi + nice * 1e-9; t += nice) out.push(+t.toPrecision(12));
      return out;
    }
    // An SVG with a left axis over [y0, y1] and a bottom axis over [x0, x1], both labelled.
    function frame(container, height, x0, x1, y0, y1, xLabel, yLabel) {
      const svg = sv("svg", { viewBox: "0 0 " + W + " " + height, role: "img" });
      // The top 18 px hold the axis label, clear of the highest tick.
      const x = scale(x0, x1, LEFT, W - RIGHT), y = scale(y0, y1, height - 28, 22);
      for (const t of ticks(x0, x1, 8)) {
        svg.appendChild(sv("line", { x1: x(t), x2: x(t), y1: height - 28, y2: height - 24, stroke: "#999" }));
        svg.appendChild(sv("text", { x: x(t), y: height - 12, "text-anchor": "middle" }, String(t)));
      }
      for (const t of ticks(y0, y1, 4)) {
        svg.appendChild(sv("line", { x1: LEFT, x2: W - RIGHT, y1: y(t), y2: y(t), stroke: "#eee" }));
        svg.appendChild(sv("text", { x: LEFT - 6, y: y(t) + 4, "text-anchor": "end" }, String(t)));
      }
      svg.appendChild(sv("text", { x: W - RIGHT, y: height - 1, "text-anchor": "end" }, xLabel));
      svg.appendChild(sv("text", { x: 4, y: 11 }, yLabel));
      clear(container).appendChild(svg);
      return { svg, x, y };
    }
    function legend(container, names) {
      const div = el("div", { class: "legend" });
      names.forEach((name, i) => {
        const span = el("span");
        // CSSOM, not a style attribute: the policy refuses inline style attributes.
        span.appendChild(el("i"));
        span.lastChild.style.background = PALETTE[i % PALETTE.length];
        span.appendChild(document.createTextNode(name));
        div.appendChild(span);
      });
      container.appendChild(div);
    }
    function lines(container, series, x0, x1, xLabel, yLabel, height) {
      const all = series.flatMap(s => s.points.map(p => p[1])).filter(v => v !== null && isFinite(v));
      const lo = Math.min(0, ...all), hi = Math.max(...all, lo + 1e-12);
      const f = frame(container, height || 180, x0, x1, lo, hi, xLabel, yLabel);
      series.forEach((s, i) => {
        const pts = s.points.filter(p => p[1] !== null && isFinite(p[1])).map(p => f.x(p[0]).toFixed(1) + "," + f.y(p[1]).toFixed(1));
        const line = sv("polyline", { points: pts.join(" "), fill: "none", stroke: PALETTE[i % PALETTE.length], "stroke-width": 1.5 });
        line.appendChild(sv("title", {}, s.name));
        f.svg.appendChild(line);
      });
      legend(container, series.map(s => s.name));
      return f;
    }

    // ---- the runs page ----
    async function runsPage() {
      const tagInput = document.getElementById("tag"), button = document.getElementById("compare");
      let shown = "";
      async function load() {
        const tag = tagInput.value.trim();
        if (tag && !tag.includes("=")) { setStatus("a tag filter is key=value", true); return; }
        try {
          const runs = await api("runs", tag ? { tag } : {});
          const key = JSON.stringify(runs) + tag;
          setStatus(runs.length + " runs");
          if (key === shown) return;
          shown = key;
          const ticked = new Set(Array.from(document.querySelectorAll("#runs input:checked")).map(c => c.value));
          const body = clear(document.querySelector("#runs tbody"));
          for (const run of runs) {
            const r = body.insertRow();
            const box = el("input", { type: "checkbox", value: run.name });
            box.checked = ticked.has(run.name);
            box.addEventListener("change", updateButton);
            r.insertCell().appendChild(box);
            const link = el("a", { href: "/run/" + encodeURIComponent(run.name) }, run.name);
            r.insertCell().appendChild(link);
            for (const c of ["model", "task", "checkpoints", "components", "values", "status", "tags"]) {
              r.appendChild(el("td", typeof run[c] === "number" ? { class: "num" } : {}, fmt(run[c])));
            }
          }
          updateButton();
        } catch (e) { setStatus(e.message, true); }
      }
      function ticked() { return Array.from(document.querySelectorAll("#runs input:checked")).map(c => c.value); }
      function updateButton() { button.disabled = ticked().length !== 2; }
      button.addEventListener("click", async () => {
        const [a, b] = ticked();
        try {
          const rows = await api("compare", { run: [a, b] });
          document.getElementById("comparison").hidden = false;
          document.getElementById("comparison-title").textContent = "Capacity share by layer: " + a + " against " + b;
          fillTable(document.getElementById("comparison-table"), rows.length ? Object.keys(rows[0]) : [], rows);
        } catch (e) { setStatus(e.message, true); }
      });
      tagInput.addEventListener("change", load);
      await load();
      setInterval(load, 1000);
    }

    // ---- one run's dashboard ----
    async function runPage() {
      const run = decodeURIComponent(location.pathname.slice("/run/".length));
      document.getElementById("run-name").textContent = run;
      document.title = "attrdb: " + run;
      const state = { steps: [], selected: null, component: null, version: null, busy: false, layerNames: new Map() };
      // Layers are named as the CLI's wide capacity table and the report name them (embed, layer 0, …, bias).
      const layerName = layer => state.layerNames.get(layer) || (layer === -1 ? "embed" : "layer " + layer);

      function stepExtent() { return [state.steps[0], state.steps[state.steps.length - 1]]; }

      function drawCapacity(rows, wide) {
        const steps = unique(rows.map(r => r.checkpoint_step)), layers = unique(rows.map(r => r.layer));
        const names = wide.length ? Object.keys(wide[0]).slice(1) : [];
        state.layerNames = new Map(names.length === layers.length ? layers.map((l, j) => [l, names[j]]) : []);
        state.steps = steps;
        const [s0, s1] = stepExtent();
        const height = Math.max(120, 24 * layers.length + 40);
        const f = frame(document.getElementById("heatmap"), height, s0, s1, 0, 1, "training step", "layer");
        // The layer axis is categorical: clear the numeric ticks the frame drew, label the rows.
        f.svg.querySelectorAll("text[text-anchor=end]").forEach(t => { if (t.textContent !== "training step") t.remove(); });
        const rowH = (height - 50) / layers.length;
        const edge = i => i <= 0 ? s0 : i >= steps.length ? s1 : (steps[i - 1] + steps[i]) / 2;
        const maxShare = Math.max(1e-12, ...rows.map(r => r.share));
        layers.forEach((layer, j) => {
          f.svg.appendChild(sv("text", { x: LEFT - 6, y: 22 + rowH * (layers.length - 1 - j) + rowH / 2 + 4, "text-anchor": "end" }, layerName(layer)));
        });
        const index = new Map(steps.map((s, i) => [s, i]));
        for (const r of rows) {
          const i = index.get(r.checkpoint_step), j = layers.indexOf(r.layer);
          const x0 = f.x(edge(i)), x1 = f.x(edge(i + 1));
          const t = r.share / maxShare;
          const cell = sv("rect", { class: "cell", x: x0.toFixed(2), y: (22 + rowH * (layers.length - 1 - j)).toFixed(2),
            width: Math.max(1, x1 - x0).toFixed(2), height: rowH.toFixed(2),
            fill: "rgb(" + Math.round(255 - 225 * t) + "," + Math.round(255 - 190 * t) + "," + Math.round(255 - 100 * t) + ")",
            "data-step": r.checkpoint_step, "data-layer": r.layer });
          cell.appendChild(sv("title", {}, "step " + r.checkpoint_step + ", " + layerName(r.layer) + ": share " + fmt(r.share)));
          cell.addEventListener("click", () => selectCell(r.checkpoint_step, r.layer));
          f.svg.appendChild(cell);
        }
        // Stacked shares: each layer's band over the ones below it.
        const g = frame(document.getElementById("shares"), 180, s0, s1, 0, 1, "training step", "share of mass");
        const base = steps.map(() => 0);
        layers.forEach((layer, j) => {
          const share = steps.map(s => { const r = rows.find(r => r.checkpoint_step === s && r.layer === layer); return r ? r.share : 0; });
          const top = base.map((b, i) => b + share[i]);
          const pts = steps.map((s, i) => g.x(s).toFixed(1) + "," + g.y(top[i]).toFixed(1))
            .concat(steps.slice().reverse().map((s, k) => g.x(s).toFixed(1) + "," + g.y(base[steps.length - 1 - k]).toFixed(1)));
          const band = sv("polygon", { points: pts.join(" "), fill: PALETTE[j % PALETTE.length], opacity: 0.85 });
          band.appendChild(sv("title", {}, layerName(layer)));
          g.svg.appendChild(band);
          top.forEach((t, i) => { base[i] = t; });
        });
        legend(document.getElementById("shares"), layers.map(layerName));
      }

      function drawLosses(rows) {
        const div = clear(document.getElementById("losses"));
        if (!rows.length) { div.textContent = "No losses stored for this run."; return; }
        const [s0, s1] = stepExtent();
        const names = Object.keys(rows[0]).filter(c => c !== "checkpoint_step");
        const group = (test) => names.filter(test).map(n => ({ name: n, points: rows.map(r => [r.checkpoint_step, r[n]]) }));
        const lossDiv = el("div"), accDiv = el("div");
        div.appendChild(lossDiv); div.appendChild(accDiv);
        const acc = group(n => /acc/.test(n)), loss = group(n => !/acc/.test(n));
        if (loss.length) lines(lossDiv, loss, s0, s1, "training step", "loss", 160);
        if (acc.length) lines(accDiv, acc, s0, s1, "training step", "accuracy", 140);
      }

      function drawNorms(rows) {
        const div = document.getElementById("norms");
        if (!rows.length) { clear(div).textContent = "No residual norms stored for this run."; return; }
        const [s0, s1] = stepExtent();
        lines(div, [{ name: "growth_pct_per_layer", points: rows.map(r => [r.checkpoint_step, r.growth_pct_per_layer]) }], s0, s1, "training step", "% per layer", 140);
      }

      function drawClusters(rows) {
        const body = clear(document.querySelector("#clusters tbody"));
        for (const c of unique(rows.map(r => r.cluster))) {
          const members = rows.filter(r => r.cluster === c).sort((a, b) => b.mass - a.mass);
          const r = body.insertRow();
          r.appendChild(el("td", {}, c));
          r.appendChild(el("td", { class: "num" }, members.length));
          const names = members.slice(0, 12).map(m => m.component).join(", ");
          r.appendChild(el("td", {}, names + (members.length > 12 ? ", … " + (members.length - 12) + " more" : "")));
        }
      }

      function drawTurnover(rows) {
        const body = clear(document.querySelector("#turnover tbody"));
        for (const step of unique(rows.map(r => r.checkpoint_step))) {
          const at = rows.filter(r => r.checkpoint_step === step);
          const r = body.insertRow();
          r.appendChild(el("td", { class: "num" }, step));
          r.appendChild(el("td", {}, at.filter(e => e.event === "enter").map(e => e.component).join(", ")));
          r.appendChild(el("td", {}, at.filter(e => e.event === "exit").map(e => e.component).join(", ")));
        }
      }

      async function selectCell(step, layer) {
        state.selected = { step, layer };
        document.querySelectorAll("rect.cell.selected").forEach(c => c.classList.remove("selected"));
        const cell = document.querySelector('rect.cell[data-step="' + step + '"][data-layer="' + layer + '"]');
        if (cell) cell.classList.add("selected");
        try {
          const rows = await api("top", { run, checkpoint: step, layer, k: 15 });
          document.getElementById("top-title").textContent = "Top components at step " + step + ", " + layerName(layer) + " (coefficient nearest 0)";
          const body = clear(document.querySelector("#top tbody"));
          for (const row of rows) {
            const r = body.insertRow();
            r.className = "clickable";
            for (const c of ["rank", "component", "layer", "kind", "value", "share"]) {
              r.appendChild(el("td", typeof row[c] === "number" ? { class: "num" } : {}, fmt(row[c])));
            }
            r.addEventListener("click", () => {
              body.querySelectorAll("tr.selected").forEach(t => t.classList.remove("selected"));
              r.classList.add("selected");
              selectComponent(row.component, step);
            });
          }
        } catch (e) { setStatus(e.message, true); }
      }

      async function selectComponent(label, step) {
        state.component = label;
        const slider = document.getElementById("slider");
        slider.max = String(state.steps.length - 1);
        slider.value = String(Math.max(0, state.steps.indexOf(step)));
        slider.disabled = false;
        await drawProfile();
      }

      async function drawProfile() {
        if (state.component === null) return;
        const slider = document.getElementById("slider");
        const step = state.steps[Number(slider.value)];
        document.getElementById("slider-step").textContent = "step " + step;
        try {
          const rows = await api("profile", { run, component: state.component, checkpoint: step });
          document.getElementById("profile-title").textContent = "Profile of " + state.component + " against the coefficient, step " + step;
          const coefs = rows.map(r => r.coefficient);
          lines(document.getElementById("profile"), [{ name: state.component, points: rows.map(r => [r.coefficient, r.value]) }],
            Math.min(...coefs), Math.max(...coefs), "injection coefficient", "attribution", 200);
        } catch (e) { setStatus(e.message, true); }
      }
      document.getElementById("slider").addEventListener("input", drawProfile);

      async function refresh(summary) {
        const [capacity, wide, losses, norms, clusters, turnover] = await Promise.all([
          api("capacity", { run }), api("capacity", { run, wide: "true", checkpoint: "first" }),
          api("losses", { run }), api("norms", { run }),
          api("clusters", { run }),
          summary.checkpoints >= 2 ? api("turnover", { run, cutoff: 0.05 }) : Promise.resolve([]),
        ]);
        drawCapacity(capacity, wide);
        drawLosses(losses);
        drawNorms(norms);
        drawClusters(clusters);
        drawTurnover(turnover);
        if (state.selected) await selectCell(state.selected.step, state.selected.layer);
        if (state.component !== null) await drawProfile();
      }

      // Live: the run's checkpoint and value counts, every second; a change redraws everything.
      // Each API answer is read in one snapshot, so a checkpoint shows whole or not at all.
      async function poll() {
        if (state.busy) return;
        state.busy = true;
        try {
          const summary = (await api("runs")).find(r => r.name === run);
          if (!summary) { setStatus("no run named " + run, true); return; }
          const version = summary.checkpoints + "/" + summary.values + "/" + summary.status;
          if (version !== state.version) {
            if (summary.checkpoints > 0) await refresh(summary);
            state.version = version;
          }
          setStatus(summary.checkpoints + " checkpoints, " + summary.status + "; checked " + new Date().toLocaleTimeString());
        } catch (e) {
          setStatus(e.message, true);
        } finally {
          state.busy = false;
        }
      }
      await poll();
      setInterval(poll, 1000);
    }

    document.addEventListener("DOMContentLoaded", () => {
      const page = document.body.dataset.page;
      if (page === "runs") runsPage();
      if (page === "run") runPage();
    });
    """#
}
