// An action plan's impact chart, drawn with Chart.js (vendored) from the JSON the server put in
// #plan-impact-data (json_script): the metric on the plan's slice before and since the plan
// started, its baseline and target as flat lines, and the plan's start and each task's
// completion as labelled vertical lines (the small "markers" plugin below). The numbers are
// the server's, the same the table under the chart shows.
(function () {
  const ns = window.caredesk || {};
  const gettext = window.gettext || ((s) => s);
  const num = ns.num || ((v, d) => Number(v).toFixed(d || 0));
  const STYLE = {
    metric: { color: "#2456d6", dash: [], width: 2 },
    baseline: { color: "#6b7280", dash: [6, 4], width: 1.5 },
    target: { color: "#2fa36b", dash: [2, 3], width: 2 },
  };
  const MARK = { start: "#d9534f", task: "#7b5bd6" };

  function fmt(value, unit) {
    if (value === null || value === undefined) return "—";
    if (unit === "percent") return num(value, 1) + "%";
    if (unit === "seconds") return num(value, value < 10 ? 1 : 0) + " " + gettext("min");
    if (unit === "score" || unit === "ratio") return num(value, Math.abs(value) < 10 ? 2 : 1);
    return num(value, 0);
  }

  const lang = document.documentElement.lang || "en";
  function dayLabel(label) {
    const date = new Date(label + "T12:00:00Z");
    if (Number.isNaN(date.getTime())) return label;
    return new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", timeZone: "UTC" }).format(date);
  }

  // Vertical lines at the markers' steps, each with its label at the top; markers on the
  // same step stack their labels.
  const markersPlugin = {
    id: "planMarkers",
    afterDatasetsDraw(chart, args, opts) {
      const marks = opts.marks || [];
      if (!marks.length) return;
      const { ctx, chartArea, scales } = chart;
      const perStep = {};
      ctx.save();
      ctx.font = "11px system-ui, sans-serif";
      marks.forEach((m) => {
        const x = scales.x.getPixelForValue(m.index);
        if (x < chartArea.left - 1 || x > chartArea.right + 1) return;
        const row = (perStep[m.index] = (perStep[m.index] || 0) + 1) - 1;
        const color = MARK[m.kind] || MARK.task;
        ctx.strokeStyle = color;
        ctx.lineWidth = m.kind === "start" ? 2 : 1;
        ctx.setLineDash(m.kind === "start" ? [] : [4, 3]);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        const text = m.label.length > 28 ? m.label.slice(0, 27) + "…" : m.label;
        const width = ctx.measureText(text).width + 8;
        const left = Math.min(Math.max(x + 3, chartArea.left), chartArea.right - width);
        const top = chartArea.top + 2 + row * 16;
        ctx.fillStyle = "rgba(255,255,255,0.9)";
        ctx.fillRect(left, top, width, 14);
        ctx.fillStyle = color;
        ctx.fillText(text, left + 4, top + 11);
      });
      ctx.restore();
    },
  };

  function draw(spec) {
    const canvas = document.querySelector('canvas[data-chart="impact"]');
    if (!canvas || !window.Chart) return;
    const many = spec.labels.length > 40;
    const datasets = spec.datasets.map((d) => {
      const s = STYLE[d.kind] || STYLE.metric;
      const main = d.kind === "metric";
      return {
        label: d.label,
        data: d.data,
        borderColor: s.color,
        backgroundColor: main ? s.color + "22" : s.color,
        borderDash: s.dash,
        borderWidth: s.width,
        pointRadius: main && !many ? 2 : 0,
        pointHitRadius: main ? 6 : 0,
        fill: false,
        cubicInterpolationMode: "monotone",
        spanGaps: true,
      };
    });
    const counts = spec.counts || [];
    new window.Chart(canvas, {
      type: "line",
      data: { labels: spec.labels.map(dayLabel), datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        layout: { padding: { top: 4 } },
        plugins: {
          legend: { display: true, position: "bottom" },
          title: { display: false },
          planMarkers: { marks: spec.markers || [] },
          tooltip: {
            callbacks: {
              title: (items) => {
                const i = items[0].dataIndex;
                const head = (spec.grain === "week" ? gettext("Week of") + " " : "") + dayLabel(spec.labels[i]);
                const marks = (spec.markers || []).filter((m) => m.index === i).map((m) => m.label);
                return [head, ...marks];
              },
              label: (ctx) => {
                const base = `${ctx.dataset.label}: ${fmt(ctx.raw, spec.unit)}`;
                if (ctx.datasetIndex !== 0) return base;
                const n = counts[ctx.dataIndex] || 0;
                return `${base} (${num(n, 0)} ${n === 1 ? gettext("row") : gettext("rows")})`;
              },
            },
          },
        },
        scales: {
          y: {
            beginAtZero: spec.unit !== "score",
            title: { display: !!spec.axis, text: spec.axis },
            ticks: { callback: (v) => fmt(v, spec.unit), ...(spec.unit === "count" ? { precision: 0 } : {}) },
          },
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 10 } },
        },
      },
      plugins: [markersPlugin],
    });
    canvas.dataset.ready = "1";
  }

  function start() {
    const holder = document.getElementById("plan-impact-data");
    if (!holder) return;
    try {
      draw(JSON.parse(holder.textContent));
    } catch (err) {
      // The table under the chart still shows every number.
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
