// Charts of the rankings page, drawn from the data the page embeds (no request of its own).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof Chart === "undefined") { return; }
  var locale = (document.documentElement.lang || "vi").indexOf("en") === 0 ? "en-GB" : "vi-VN";
  new Chart(document.getElementById("histogram"), {
    type: "bar",
    data: { labels: data.histogram.labels,
            datasets: [{ label: "Số đơn vị", data: data.histogram.counts, backgroundColor: "#a61b1b" }] },
    // Counts of units: whole numbers on the axis, never 0.5.
    options: { locale: locale, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  new Chart(document.getElementById("blocks"), {
    type: "bar",
    data: { labels: data.blocks.labels,
            datasets: [{ label: "Điểm trung bình", data: data.blocks.averages, backgroundColor: "#0d6efd" }] },
    // Averages in the page's language: 91,82 in Vietnamese.
    options: { locale: locale, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true } } }
  });
})();
