// Running total of a self-assessment as the unit types: points, yes/no and bonus add,
// deductions subtract; shown as points and as a share of the base maximum.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) { return; }
  var output = document.getElementById("running-total");
  var base = parseFloat(form.dataset.baseMaximum || "0");

  function total() {
    var sum = 0;
    form.querySelectorAll("[data-score]").forEach(function (input) {
      var value = parseFloat((input.value || "").replace(",", "."));
      if (!isNaN(value)) { sum += value * parseInt(input.dataset.sign, 10); }
    });
    var percent = base > 0 ? Math.max(0, 100 * sum / base) : 0;
    output.textContent = sum.toFixed(2) + " / " + base.toFixed(2) + " (" + percent.toFixed(2) + "%)";
  }

  form.addEventListener("input", total);
  total();
})();
