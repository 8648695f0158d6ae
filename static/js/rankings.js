// Charts of the rankings page, drawn from the data the page embeds (no request of its own).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof Chart === "undefined") { return; }
  new Chart(document.getElementById("histogram"), {
    type: "bar",
    data: { labels: data.histogram.labels,
            datasets: [{ label: "Số đơn vị", data: data.histogram.counts, backgroundColor: "#a61b1b" }] },
    options: { plugins: { legend: { display: false } } }
  });
  new Chart(document.getElementById("blocks"), {
    type: "bar",
    data: { labels: data.blocks.labels,
            datasets: [{ label: "Điểm trung bình", data: data.blocks.averages, backgroundColor: "#0d6efd" }] },
    options: { plugins: { legend: { display: false } } }
  });
})();
