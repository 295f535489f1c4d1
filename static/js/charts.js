// Charts from data embedded with Django's json_script: no build step, no modules (ES2017).
//
//   <div class="chart"><canvas data-chart="agreement-data" role="img" aria-label="..."></canvas></div>
//   {{ agreement_chart|json_script:"agreement-data" }}
//
// The JSON (see the report/README for the full contract):
//   {"type": "line" | "bar" | "reliability",
//    "labels": [...],                                   // line/bar: x labels
//    "series": [{"label": "Agreement", "values": [0.8, null, ...],
//                "low": [...], "high": [...],           // optional interval: band (line) or whiskers (bar)
//                "n": [...],                            // optional counts, shown in tooltips
//                "links": ["/url" | null, ...],         // optional drill-down per point/bar
//                "color": "#3b5bdb"}],                  // optional
//    "x": {"label": "...", "min": .., "max": .., "percent": bool},   // optional
//    "y": {"min": 0, "max": 1, "label": "share", "percent": true},   // optional
//    "points": [{"x": 0.73, "y": 0.41, "n": 120, "link": "/..."}]}  // reliability
// Charts are (re)drawn on DOMContentLoaded, htmx:load and htmx:afterSwap; window.caiCharts.render(root)
// does the same by hand. Bad data is skipped with a console warning, never an exception.
(function () {
  "use strict";

  var PALETTE = ["#3b5bdb", "#e67700", "#2b8a3e", "#c92a2a", "#7048e8", "#1098ad", "#d6336c", "#5c940d"];
  var GRID = "#e3e6ec";
  var MUTED = "#667085";
  var DIAGONAL = "#868e96";

  function warn() {
    if (window.console && console.warn) console.warn.apply(console, ["[charts]"].concat([].slice.call(arguments)));
  }

  function isNum(v) { return typeof v === "number" && isFinite(v); }
  function arr(v) { return Array.isArray(v) ? v : null; }
  function num(v) { return isNum(v) ? v : null; }

  function rgba(hex, alpha) {
    var m = /^#?([0-9a-f]{6})$/i.exec(String(hex || ""));
    if (!m) return hex;
    var n = parseInt(m[1], 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function trim(x, digits) { return String(Number(x.toFixed(digits))); }

  function formatter(percent) {
    return function (v) {
      if (!isNum(v)) return "–";
      return percent ? trim(v * 100, 1) + "%" : trim(v, 3);
    };
  }

  function axis(settings, percent, extra) {
    settings = settings || {};
    var out = Object.assign({
      grid: { color: GRID },
      ticks: { color: MUTED },
    }, extra || {});
    if (isNum(settings.min)) out.min = settings.min;
    if (isNum(settings.max)) out.max = settings.max;
    if (settings.label) out.title = { display: true, text: String(settings.label), color: MUTED };
    if (percent) {
      var fmt = formatter(true);
      out.ticks = Object.assign({}, out.ticks, { callback: function (v) { return fmt(Number(v)); } });
    }
    return out;
  }

  // The link under the pointer, if any: only datasets that carry links count.
  function linkAt(chart, event) {
    var hits;
    try {
      hits = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, true);
    } catch (e) {
      return null;
    }
    for (var i = 0; i < hits.length; i++) {
      var cai = chart.data.datasets[hits[i].datasetIndex]._cai;
      var links = cai && cai.links;
      var link = links && links[hits[i].index];
      if (typeof link === "string" && link) return link;
    }
    return null;
  }

  function navigate(link, event) {
    var native = event && event.native;
    if (native && (native.ctrlKey || native.metaKey)) window.open(link, "_blank", "noopener");
    else window.location.href = link;
  }

  // Draws low..high whiskers over bars (a per-chart plugin, not registered globally).
  var whiskers = {
    id: "caiWhiskers",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var scale = chart.scales.y;
      chart.data.datasets.forEach(function (ds, di) {
        var cai = ds._cai;
        if (!cai || !cai.low || !cai.high || !chart.isDatasetVisible(di)) return;
        var meta = chart.getDatasetMeta(di);
        ctx.save();
        ctx.strokeStyle = "#1d2330";
        ctx.lineWidth = 1.5;
        meta.data.forEach(function (bar, i) {
          var lo = num(cai.low[i]);
          var hi = num(cai.high[i]);
          if (lo === null || hi === null || !bar || !isNum(bar.x)) return;
          var y1 = scale.getPixelForValue(lo);
          var y2 = scale.getPixelForValue(hi);
          var cap = Math.max(3, Math.min(8, (bar.width || 12) / 4));
          ctx.beginPath();
          ctx.moveTo(bar.x, y1); ctx.lineTo(bar.x, y2);
          ctx.moveTo(bar.x - cap, y1); ctx.lineTo(bar.x + cap, y1);
          ctx.moveTo(bar.x - cap, y2); ctx.lineTo(bar.x + cap, y2);
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  };

  function intervalText(cai, i, fmt) {
    var parts = [];
    if (cai.low && cai.high && isNum(cai.low[i]) && isNum(cai.high[i])) {
      parts.push("[" + fmt(cai.low[i]) + ", " + fmt(cai.high[i]) + "]");
    }
    if (cai.n && isNum(cai.n[i])) parts.push("n = " + cai.n[i]);
    return parts.length ? " " + parts.join(", ") : "";
  }

  function seriesConfig(spec, kind) {
    var labels = arr(spec.labels);
    var series = arr(spec.series);
    if (!labels || !series) throw new Error("'labels' and 'series' must be lists");
    var y = spec.y || {};
    var percent = !!y.percent;
    var fmt = formatter(percent);
    var datasets = [];
    var lows = [];
    var highs = [];

    series.forEach(function (s, si) {
      s = s || {};
      var color = s.color || PALETTE[si % PALETTE.length];
      var values = (arr(s.values) || []).map(num);
      var low = arr(s.low) ? s.low.map(num) : null;
      var high = arr(s.high) ? s.high.map(num) : null;
      var band = !!(low && high);
      var links = arr(s.links);
      var label = s.label == null ? "Series " + (si + 1) : String(s.label);
      var cai = { role: "series", links: links, low: band ? low : null, high: band ? high : null, n: arr(s.n) };
      if (kind === "line") {
        if (band) {
          var edge = {
            label: label + " (low)", data: low, borderWidth: 0, borderColor: "transparent",
            backgroundColor: "transparent", pointRadius: 0, pointHoverRadius: 0, pointHitRadius: 0,
            fill: false, tension: 0, _cai: { role: "band" },
          };
          datasets.push(edge);
          datasets.push(Object.assign({}, edge, {
            label: label + " (high)", data: high, fill: "-1", backgroundColor: rgba(color, 0.15),
          }));
        }
        datasets.push({
          label: label, data: values, borderColor: color, backgroundColor: color, borderWidth: 2,
          pointRadius: 3, pointHoverRadius: 5, pointHitRadius: links ? 8 : 4, tension: 0, fill: false,
          _cai: cai,
        });
      } else {
        if (band) { lows = lows.concat(low); highs = highs.concat(high); }
        datasets.push({
          label: label, data: values, backgroundColor: rgba(color, 0.75), borderColor: color,
          borderWidth: 1, maxBarThickness: 48, _cai: cai,
        });
      }
    });

    var yAxis = axis(y, percent, { beginAtZero: kind === "bar" });
    // Keep whiskers inside the plot when the axis is automatic.
    var lo = lows.filter(isNum);
    var hi = highs.filter(isNum);
    if (!isNum(y.min) && lo.length) yAxis.suggestedMin = Math.min.apply(null, lo);
    if (!isNum(y.max) && hi.length) yAxis.suggestedMax = Math.max.apply(null, hi);

    return {
      type: kind,
      data: { labels: labels.map(function (l) { return l == null ? "" : String(l); }), datasets: datasets },
      options: {
        scales: { x: axis(spec.x, false, { grid: { display: kind !== "bar", color: GRID } }), y: yAxis },
        interaction: { mode: "index", intersect: false },
        plugins: {
          tooltip: {
            filter: function (item) { return !(item.dataset._cai && item.dataset._cai.role === "band"); },
            callbacks: {
              label: function (item) {
                var cai = item.dataset._cai || {};
                return item.dataset.label + ": " + fmt(item.raw) + intervalText(cai, item.dataIndex, fmt);
              },
            },
          },
        },
      },
      plugins: kind === "bar" ? [whiskers] : [],
    };
  }

  function reliabilityConfig(spec) {
    // One set of points (spec.points), or several ({"series": [{"label", "points"}]}) to compare.
    var groups = arr(spec.points)
      ? [{ label: spec.label || "observed", points: spec.points }]
      : arr(spec.series);
    if (!groups) throw new Error("'points' must be a list");
    var y = spec.y || {};
    var x = spec.x || {};
    var percent = !!y.percent;
    var xPercent = x.percent == null ? percent : !!x.percent;
    var fmtY = formatter(percent);
    var fmtX = formatter(xPercent);
    var datasets = [];
    var allX = [];
    var maxN = 0;
    var clean = groups.map(function (g) {
      g = g || {};
      var pts = (arr(g.points) || []).filter(function (p) { return p && isNum(p.x) && isNum(p.y); });
      pts = pts.slice().sort(function (a, b) { return a.x - b.x; });
      pts.forEach(function (p) {
        allX.push(p.x);
        if (isNum(p.n) && p.n > maxN) maxN = p.n;
      });
      return { label: g.label, color: g.color, points: pts };
    });

    clean.forEach(function (g, gi) {
      var color = g.color || PALETTE[gi % PALETTE.length];
      var radius = g.points.map(function (p) {
        return isNum(p.n) && maxN > 0 ? Math.max(3, 14 * Math.sqrt(Math.max(p.n, 0) / maxN)) : 4;
      });
      datasets.push({
        label: g.label == null ? "observed" : String(g.label),
        data: g.points.map(function (p) { return { x: p.x, y: p.y }; }),
        showLine: true, borderColor: color, backgroundColor: rgba(color, 0.55), borderWidth: 1.5,
        pointRadius: radius, pointHoverRadius: radius.map(function (r) { return r + 2; }),
        pointHitRadius: radius.map(function (r) { return r + 2; }),
        _cai: {
          role: "series",
          links: g.points.map(function (p) { return typeof p.link === "string" ? p.link : null; }),
          n: g.points.map(function (p) { return isNum(p.n) ? p.n : null; }),
        },
      });
    });

    var xMin = isNum(x.min) ? x.min : (allX.length && Math.min.apply(null, allX) >= 0.5 ? 0.5 : 0);
    var xMax = isNum(x.max) ? x.max : 1;
    datasets.push({
      label: "perfect calibration", data: [{ x: xMin, y: xMin }, { x: xMax, y: xMax }],
      showLine: true, borderColor: DIAGONAL, backgroundColor: DIAGONAL, borderDash: [6, 4], borderWidth: 1,
      pointRadius: 0, pointHoverRadius: 0, pointHitRadius: 0, _cai: { role: "diagonal" },
    });

    return {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        scales: {
          x: axis(Object.assign({ label: "mean confidence" }, x, { min: xMin, max: xMax }), xPercent, { type: "linear" }),
          y: axis(Object.assign({ label: "observed rate", min: 0, max: 1 }, y), percent),
        },
        interaction: { mode: "nearest", intersect: true },
        plugins: {
          tooltip: {
            filter: function (item) { return item.dataset._cai && item.dataset._cai.role === "series"; },
            callbacks: {
              label: function (item) {
                var cai = item.dataset._cai;
                var n = cai.n[item.dataIndex];
                return item.dataset.label + ": confidence " + fmtX(item.raw.x) + ", observed " +
                  fmtY(item.raw.y) + (n === null ? "" : ", n = " + n);
              },
            },
          },
        },
      },
      plugins: [],
    };
  }

  function build(spec) {
    if (!spec || typeof spec !== "object") throw new Error("spec is not an object");
    var config;
    if (spec.type === "line" || spec.type === "bar") config = seriesConfig(spec, spec.type);
    else if (spec.type === "reliability") config = reliabilityConfig(spec);
    else throw new Error("unknown chart type " + JSON.stringify(spec.type));

    var legendItems = config.data.datasets.filter(function (d) { return d._cai.role !== "band"; }).length;
    var opts = config.options;
    opts.responsive = true;
    opts.maintainAspectRatio = false;
    opts.animation = false;
    opts.plugins.legend = {
      display: legendItems > 1,
      labels: { filter: function (item, data) { return data.datasets[item.datasetIndex]._cai.role !== "band"; } },
    };
    opts.onClick = function (event, elements, chart) {
      var link = linkAt(chart, event);
      if (link) navigate(link, event);
    };
    opts.onHover = function (event, elements, chart) {
      chart.canvas.style.cursor = linkAt(chart, event) ? "pointer" : "";
    };
    return config;
  }

  function destroy(canvas) {
    var existing = window.Chart && window.Chart.getChart(canvas);
    if (existing) existing.destroy();
  }

  // Charts whose canvas was swapped out of the page would otherwise live on in Chart.instances.
  function sweep() {
    var instances = window.Chart && window.Chart.instances;
    if (!instances) return;
    Object.keys(instances).forEach(function (k) {
      var chart = instances[k];
      if (chart && chart.canvas && !chart.canvas.isConnected) chart.destroy();
    });
  }

  function renderCanvas(canvas) {
    var id = canvas.getAttribute("data-chart");
    var source = id && document.getElementById(id);
    if (!source) { warn("no data element #" + id + " for", canvas); return null; }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (e) {
      warn("malformed JSON in #" + id + ":", e.message);
      return null;
    }
    try {
      var config = build(spec);
      destroy(canvas);
      return new window.Chart(canvas, config);
    } catch (e) {
      warn("cannot draw #" + id + ":", e && e.message ? e.message : e);
      return null;
    }
  }

  var missingWarned = false;

  function render(root) {
    if (!window.Chart) {
      if (!missingWarned) warn("Chart.js is not loaded; charts skipped");
      missingWarned = true;
      return [];
    }
    if (!root || !root.isConnected || !root.querySelectorAll) root = document;
    sweep();
    var canvases = [].slice.call(root.querySelectorAll("canvas[data-chart]"));
    if (root.matches && root.matches("canvas[data-chart]")) canvases.unshift(root);
    var charts = [];
    canvases.forEach(function (canvas) {
      if (!canvas.isConnected) return;
      var chart = renderCanvas(canvas);
      if (chart) charts.push(chart);
    });
    return charts;
  }

  function configureDefaults() {
    if (!window.Chart || !window.Chart.defaults) return;
    window.Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", sans-serif';
    window.Chart.defaults.color = MUTED;
  }

  function start() {
    if (!window.Chart) {
      // Chart.js may still arrive (loaded async or after this file): try once more on window load.
      window.addEventListener("load", function () { configureDefaults(); render(document); }, { once: true });
    }
    configureDefaults();
    if (window.Chart) render(document);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  function onHtmx(event) {
    var root = (event.detail && event.detail.elt) || event.target;
    render(root);
  }
  document.addEventListener("htmx:load", onHtmx);
  document.addEventListener("htmx:afterSwap", onHtmx);

  window.caiCharts = { render: render };
})();
