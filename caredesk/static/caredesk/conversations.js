// The Conversations tab's charts, drawn with Chart.js from the JSON the server computed
// (#conv-charts). Every chart has a table beside it with the same numbers and links; a
// click on a bar of "Top topics" opens the list behind it.
(function () {
  "use strict";
  const data = document.getElementById("conv-charts");
  if (!data || !window.Chart) return;
  const charts = JSON.parse(data.textContent);
  // The catalogue (jsi18n) defines gettext; without it the English source is shown.
  const gettext = window.gettext || ((text) => text);
  const num = (v) => window.caredesk.num(v);
  const day = (iso) => window.caredesk.day(iso + "T12:00:00");
  const colours = { negative: "#d64545", neutral: "#9aa3b5", positive: "#2e9e6a" };
  const palette = ["#2456d6", "#d97706", "#0f9d8a", "#9333ea", "#db2777"];

  function draw(name, config) {
    const canvas = document.querySelector(`canvas[data-chart="${name}"]`);
    if (canvas) new window.Chart(canvas, config);
  }

  const sentiment = charts.sentiment;
  draw("sentiment", {
    type: "bar",
    data: {
      labels: charts.periods.map(day),
      datasets: sentiment.series.map((s) => ({
        label: s.label, data: s.values, backgroundColor: colours[s.key], stack: "share",
      })),
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, max: 100, title: { display: true, text: "%" },
             ticks: { callback: (v) => num(v) + "%" } },
      },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${num(c.parsed.y)}%` } } },
    },
  });

  const topics = charts.topics;
  draw("topics", {
    type: "line",
    data: {
      labels: charts.periods.map(day),
      datasets: topics.series.map((s, i) => ({
        label: s.label, data: s.values, borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length], tension: 0.25, pointRadius: 2,
      })),
    },
    options: {
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: topics.unit },
                     ticks: { precision: 0 } } },
    },
  });

  const top = charts.top;
  draw("top", {
    type: "bar",
    data: {
      labels: top.labels,
      datasets: [
        { label: top.volume_label, data: top.values, backgroundColor: "#2456d6" },
        { label: top.negative_label, data: top.negative, backgroundColor: colours.negative },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      onClick: (event, elements) => {
        if (elements.length) window.location.href = top.links[elements[0].index];
      },
      onHover: (event, elements) => {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      },
      plugins: { tooltip: { callbacks: { footer: () => gettext("Click to see these conversations") } } },
    },
  });
})();
