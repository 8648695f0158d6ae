// The review form (templates/assessments/review.html), attached here because the
// Content-Security-Policy refuses inline scripts and handlers:
// - "Lấy điểm tự chấm" copies the unit's own score into a row's box (or checks Đạt / Không đạt);
//   the button above the table does it for every box still blank. Without JavaScript the
//   buttons stay hidden and the self score is shown beside each box.
// - "Chấp nhận" with every box blank (and nothing saved at this stage) asks whether the unit's own
//   scores stand; answering yes in the dialog sends keep_self_scores=1. The server asks the same
//   question as a page when the answer is missing.
// - the bar's total follows the boxes as the reviewer types (a blank box counts the unit's own
//   score), as the server counts the saved ones.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  var accept = form.querySelector("[data-accept]");
  var keep = form.querySelector("[data-keep-self-scores]");

  function fields(name) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name === name;
    });
  }

  function isBlank(name) {
    return fields(name).every(function (field) {
      return field.type === "radio" ? !field.checked : !field.value.trim();
    });
  }

  function take(button) {
    var boxes = fields(button.dataset.takeSelf);
    boxes.forEach(function (field) {
      if (field.type === "radio") {
        field.checked = field.value === button.dataset.value;
      } else {
        field.value = button.dataset.value;
      }
    });
    if (boxes.length) { boxes[0].dispatchEvent(new Event("input", { bubbles: true })); }
  }

  function everyBoxBlank() {
    return Array.prototype.every.call(form.querySelectorAll("[data-score]"), function (field) {
      return isBlank(field.name);
    });
  }

  function syncAccept() {
    if (!accept || !keep) { return; }
    var blank = !form.hasAttribute("data-saved-reviews") && everyBoxBlank();
    var state = blank ? "Blank" : "Scored";
    accept.dataset.confirm = accept.dataset["confirm" + state];
    accept.dataset.confirmTitle = accept.dataset["confirmTitle" + state];
    keep.value = blank ? "1" : "";
  }

  form.querySelectorAll("[data-take-self], [data-take-self-all]").forEach(function (button) {
    button.hidden = false;
  });

  form.addEventListener("click", function (event) {
    var one = event.target.closest("[data-take-self]");
    if (one) {
      take(one);
    } else if (event.target.closest("[data-take-self-all]")) {
      form.querySelectorAll("[data-take-self]").forEach(function (button) {
        if (isBlank(button.dataset.takeSelf)) { take(button); }
      });
    }
  });

  var output = document.getElementById("review-total");
  var english = (document.documentElement.lang || "vi").indexOf("en") === 0;

  function format(number) {
    var text = number.toFixed(2);
    return english ? text : text.replace(".", ",");
  }

  function number(text) {
    return parseFloat((text || "").replace(",", "."));
  }

  function total() {
    if (!output) { return; }
    var base = number(output.dataset.baseMaximum);
    var sum = 0;
    form.querySelectorAll("tr[data-criterion]").forEach(function (row) {
      var boxes = Array.prototype.slice.call(row.querySelectorAll("[data-score]"));
      if (!boxes.length) { return; }
      var typed = boxes.filter(function (box) {
        return box.type === "radio" ? box.checked : box.value.trim();
      })[0];
      var value = number(typed ? typed.value : row.dataset.selfValue);
      if (!isNaN(value)) { sum += value * parseInt(boxes[0].dataset.sign, 10); }
    });
    var percent = base > 0 ? Math.max(0, 100 * sum / base) : 0;
    output.textContent = format(sum) + " / " + format(base) + " (" + format(percent) + "%)";
  }

  form.addEventListener("input", syncAccept);
  form.addEventListener("change", syncAccept);
  form.addEventListener("input", total);
  form.addEventListener("change", total);
  syncAccept();
})();
