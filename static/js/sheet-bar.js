// The bar of the self-assessment and review forms (templates/assessments/assessment.html and
// review.html): its button jumps to the next criterion, after the one being worked on, that still needs a
// score (a row marked data-needs-score whose box is blank) or a file (data-needs-evidence, none
// attached or chosen), and says how many are left. Without JavaScript it stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-next-missing]");
  var form = button && button.form;
  if (!form) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-criterion]"));

  function blank(row) {
    var boxes = row.querySelectorAll("[data-score]");
    if (!boxes.length) { return false; }
    return Array.prototype.every.call(boxes, function (box) {
      return box.type === "radio" ? !box.checked : !box.value.trim();
    });
  }

  function lacksFile(row) {
    if (row.querySelector("[data-evidence]")) { return false; }
    var chosen = row.querySelector("input[type=file]");
    return !(chosen && chosen.files && chosen.files.length);
  }

  function needsWork(row) {
    return (row.hasAttribute("data-needs-score") && blank(row))
      || (row.hasAttribute("data-needs-evidence") && lacksFile(row));
  }

  function refresh() {
    var left = rows.filter(needsWork).length;
    button.textContent = left
      ? button.dataset.left.replace("{n}", left)
      : button.dataset.done;
    button.disabled = !left;
  }

  function next() {
    var waiting = rows.filter(needsWork);
    if (!waiting.length) { return; }
    // After the row being worked on (the one holding the focus), else the first not yet
    // scrolled past; back to the first of all at the end.
    var current = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("tr[data-criterion]") : null;
    var target = waiting.filter(function (row) {
      if (current) {
        return current !== row && !!(current.compareDocumentPosition(row) & Node.DOCUMENT_POSITION_FOLLOWING);
      }
      return row.getBoundingClientRect().bottom > 0;
    })[0] || waiting[0];
    target.scrollIntoView({ block: "center" });
    var field = target.querySelector("[data-score], textarea, input[type=file]");
    if (field && field.type === "radio") {
      field = target.querySelector("[data-score]:checked") || field;
    }
    (field || target).focus({ preventScroll: true });
  }

  button.hidden = false;
  button.addEventListener("click", next);
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
