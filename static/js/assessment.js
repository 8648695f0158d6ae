// Running total of a self-assessment as the unit types: points, yes/no and bonus add,
// deductions subtract; shown as points and as a share of the base maximum. The server renders
// the total first (a read-only page has no boxes and keeps it as is); this only keeps it current.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) { return; }
  var output = document.getElementById("running-total");
  var base = parseFloat(form.dataset.baseMaximum || "0");
  var boxes = form.querySelectorAll("input[data-score]");
  if (!output || !boxes.length) { return; }
  var english = (document.documentElement.lang || "vi").indexOf("en") === 0;

  function format(number) {
    // 9,50 in Vietnamese (as the server writes it), 9.50 in English.
    var text = number.toFixed(2);
    return english ? text : text.replace(".", ",");
  }

  function total() {
    var sum = 0;
    boxes.forEach(function (input) {
      if (input.type === "radio" && !input.checked) { return; }  // Đạt / Không đạt
      var value = parseFloat((input.value || "").replace(",", "."));
      if (!isNaN(value)) { sum += value * parseInt(input.dataset.sign, 10); }
    });
    var percent = base > 0 ? Math.max(0, 100 * sum / base) : 0;
    output.textContent = format(sum) + " / " + format(base) + " (" + format(percent) + "%)";
  }

  form.addEventListener("input", total);
  form.addEventListener("change", total);
  total();
})();
