// The Insights tab's charts, drawn with Chart.js (vendored) from the JSON the server put in
// #insight-charts (json_script): the numbers are the server's, the same the tables show.
// Numbers are formatted in the reader's language (caredesk.num); words come from the
// djangojs catalogue. A bar of the breakdown links to the rows behind it.
(function () {
  const ns = window.caredesk || {};
  // Named gettext so that makemessages finds the strings; the catalogue may be missing.
  const gettext = window.gettext || ((s) => s);
  const COLORS = ["#2456d6", "#e0a526", "#2fa36b", "#d9534f", "#7b5bd6", "#1b9aaa"];

  function fmt(value, unit) {
    if (value === null || value === undefined) return "—";
    if (unit === "percent") return ns.num(value, 1) + "%";
    if (unit === "seconds") return ns.num(value, value < 10 ? 1 : 0) + " " + gettext("min");
    if (unit === "score" || unit === "ratio") return ns.num(value, Math.abs(value) < 10 ? 2 : 1);
    return ns.num(value, 0);
  }

  // Axis labels: "6 Nov" for days and weeks, "Nov 2026" for months, in the reader's language
  // (the full date is in the table and the tooltip's title).
  const lang = document.documentElement.lang || "en";
  function periodLabel(label, grain) {
    const date = new Date(label.length === 7 ? label + "-01T12:00:00Z" : label + "T12:00:00Z");
    if (Number.isNaN(date.getTime())) return label;
    const opts = grain === "month" ? { month: "short", year: "numeric" } : { day: "numeric", month: "short" };
    return new Intl.DateTimeFormat(lang, { ...opts, timeZone: "UTC" }).format(date);
  }

  function draw(spec) {
    const canvas = document.querySelector(`canvas[data-chart="${spec.id}"]`);
    if (!canvas || !window.Chart) return;
    const bar = spec.kind === "bar";
    const labels = bar ? spec.labels : spec.labels.map((l) => periodLabel(l, spec.grain));
    const datasets = spec.datasets.map((d, i) => ({
      label: d.label,
      data: d.data,
      borderColor: COLORS[i % COLORS.length],
      backgroundColor: bar ? COLORS[0] + "cc" : COLORS[i % COLORS.length] + "33",
      borderWidth: 2,
      pointRadius: spec.labels.length > 40 ? 0 : 2,
      // Monotone curves never dip below zero between two points, as plain tension can.
      cubicInterpolationMode: "monotone",
      spanGaps: true,
    }));
    const valueAxis = {
      beginAtZero: spec.unit !== "score",
      title: { display: !!spec.axis, text: spec.axis },
      ticks: { callback: (v) => fmt(v, spec.unit), ...(spec.unit === "count" ? { precision: 0 } : {}) },
    };
    if (bar) {
      // One bar line each, so many agents still read; the box grows with them.
      canvas.parentElement.style.height = Math.max(160, 34 * spec.labels.length + 70) + "px";
    }
    const chart = new window.Chart(canvas, {
      type: spec.kind,
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: bar ? "y" : "x",
        interaction: bar ? { mode: "nearest", axis: "y", intersect: false } : { mode: "index", intersect: false },
        plugins: {
          legend: { display: !bar || datasets.length > 1, position: "bottom" },
          title: { display: false },
          tooltip: {
            callbacks: {
              label: (ctx) => `${ctx.dataset.label}: ${fmt(ctx.raw, spec.unit)}`,
            },
          },
        },
        scales: bar
          ? { x: valueAxis, y: { ticks: { autoSkip: false } } }
          : { y: valueAxis, x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 10 } } },
        onClick: (event, elements) => {
          if (!bar || !spec.links || !elements.length) return;
          const url = spec.links[elements[0].index];
          if (url) window.location.assign(url);
        },
        onHover: (event, elements) => {
          if (bar) event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
      },
    });
    canvas.dataset.ready = "1";
    return chart;
  }

  function start() {
    const holder = document.getElementById("insight-charts");
    if (holder) {
      let specs = [];
      try { specs = JSON.parse(holder.textContent); } catch (err) { specs = []; }
      specs.forEach(draw);
    }
    // The breakdown's metric select shows its choice at once (the form has no other field).
    document.querySelectorAll("select[data-autosubmit]").forEach((s) => {
      s.addEventListener("change", () => s.form.submit());
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
