extension Assets {
    /// `/`: the runs, filtered by tag; tick two to compare their capacity.
    static let indexHTML = #"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>attrdb</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="icon" href="/assets/icon.svg"><link rel="stylesheet" href="/assets/style.css"><script src="/assets/app.js" defer></script></head>
    <body data-page="runs">
    <header><h1>attrdb runs</h1><span id="status" class="status"></span></header>
    <main>
    <p><label>Filter by tag <input id="tag" placeholder="key=value"></label>
    <button id="compare" disabled>Compare the two ticked runs</button></p>
    <table id="runs"><thead><tr><th></th><th>run</th><th>model</th><th>task</th><th>checkpoints</th><th>components</th><th>values</th><th>status</th><th>tags</th></tr></thead><tbody></tbody></table>
    <section id="comparison" hidden><h2 id="comparison-title">Comparison</h2><div id="comparison-chart" class="chart"></div>
    <table id="comparison-table"><thead></thead><tbody></tbody></table></section>
    </main></body></html>
    """#

    /// `/run/NAME`: one run's dashboard (the script reads the name from the path).
    static let runHTML = #"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>attrdb run</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="icon" href="/assets/icon.svg"><link rel="stylesheet" href="/assets/style.css"><script src="/assets/app.js" defer></script></head>
    <body data-page="run">
    <header><a href="/">runs</a> <h1 id="run-name"></h1><span id="status" class="status"></span></header>
    <main class="dashboard">
    <section class="wide"><h2>Capacity by layer over training <small>share of |attribution| mass; click a cell</small></h2>
    <div id="heatmap" class="chart"></div><div id="shares" class="chart"></div>
    <h2>Loss and accuracy</h2><div id="losses" class="chart"></div>
    <h2>Residual-norm growth <small>percent per layer</small></h2><div id="norms" class="chart"></div></section>
    <section><h2 id="top-title">Top components <small>click a heatmap cell</small></h2>
    <table id="top"><thead><tr><th>rank</th><th>component</th><th>layer</th><th>kind</th><th>value</th><th>share</th></tr></thead><tbody></tbody></table></section>
    <section><h2 id="profile-title">Profile <small>click a component</small></h2>
    <label>checkpoint <input id="slider" type="range" min="0" max="0" value="0" disabled> <output id="slider-step"></output></label>
    <div id="profile" class="chart"></div></section>
    <section><h2>Clusters of profile shapes <small>last checkpoint</small></h2><table id="clusters"><thead><tr><th>cluster</th><th>size</th><th>components (by mass)</th></tr></thead><tbody></tbody></table></section>
    <section><h2>Turnover <small>share ≥ 0.05 entering or priced out, per step</small></h2><table id="turnover"><thead><tr><th>step</th><th>entering</th><th>priced out</th></tr></thead><tbody></tbody></table></section>
    </main></body></html>
    """#

    /// The tab's icon: three bars of a capacity chart (without it the browser asks for /favicon.ico).
    static let iconSVG = #"""
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1" y="9" width="4" height="6" fill="#1f77b4"/><rect x="6" y="4" width="4" height="11" fill="#ff7f0e"/><rect x="11" y="1" width="4" height="14" fill="#2ca02c"/></svg>
    """#

    static let styleCSS = #"""
    body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
    header { display: flex; gap: 1em; align-items: baseline; padding: .5em 1em; background: #f4f4f6; border-bottom: 1px solid #ddd; }
    header h1 { font-size: 1.3em; margin: 0; }
    .status { color: #777; font-size: .9em; margin-left: auto; }
    .status.error { color: #b00; }
    main { padding: 1em; }
    .dashboard { display: grid; grid-template-columns: 1fr 1fr; gap: 1em 2em; }
    .dashboard .wide { grid-column: 1 / -1; }
    h2 { font-size: 1.05em; margin: .8em 0 .3em; }
    h2 small { color: #777; font-weight: normal; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; }
    td.num { text-align: right; }
    tr.clickable { cursor: pointer; } tr.clickable:hover { background: #eef; }
    tr.selected { background: #dde6ff; }
    .chart svg { display: block; width: 100%; height: auto; }
    .chart text { font: 11px system-ui, sans-serif; fill: #444; }
    rect.cell { cursor: pointer; } rect.cell:hover { stroke: #000; stroke-width: 1; }
    rect.cell.selected { stroke: #d00; stroke-width: 2; }
    .legend span { display: inline-block; margin-right: 1em; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
    """#
}
