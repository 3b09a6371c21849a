// The radar's two charts, drawn with the vendored Chart.js from the figures the page's tables show
// (json_script "radar-data"). No inline script (the Content-Security-Policy forbids it).
// A figure with hidden cells in it is a range: a solid bar up to its lowest value, a pale one up to its highest.
(function () {
  "use strict";

  var COLOURS = ["#1f5fa8", "#a11d1d", "#2f7d32", "#8a4b00", "#6a3d9a"];

  function pale(colour) {
    return colour + "55"; // the same hue, a third opaque
  }

  function upTo(low, high) {
    return high.map(function (value, i) { return value - low[i]; });
  }

  function languagesChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.languages,
        datasets: [
          { label: data.labels.at_least, data: data.share.low, backgroundColor: COLOURS[1], stack: "share" },
          { label: data.labels.up_to, data: upTo(data.share.low, data.share.high), backgroundColor: pale(COLOURS[1]), stack: "share" }
        ]
      },
      options: {
        indexAxis: "y",
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true, min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } }, y: { stacked: true } }
      }
    });
  }

  function weeksChart(canvas, data) {
    var datasets = [];
    data.weekly.forEach(function (line, i) {
      var colour = COLOURS[i % COLOURS.length];
      datasets.push({ label: line.language, data: line.low, backgroundColor: colour, stack: line.language });
      datasets.push({ label: line.language + ", " + data.labels.up_to, data: upTo(line.low, line.high), backgroundColor: pale(colour), stack: line.language, upper: true });
    });
    return new Chart(canvas, {
      type: "bar",
      data: { labels: data.weeks, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { labels: { filter: function (item, chart) { return !chart.datasets[item.datasetIndex].upper; } } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("radar-data");
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    languagesChart(document.getElementById("chart-languages"), data);
    weeksChart(document.getElementById("chart-weeks"), data);
  });
})();
