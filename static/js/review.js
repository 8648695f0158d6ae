// The review form (templates/assessments/review.html), attached here because the
// Content-Security-Policy refuses inline scripts and handlers:
// - "Lấy điểm tự chấm" copies the unit's own score into a row's box (or checks Đạt / Không đạt);
//   the button above the table does it for every box still blank. Without JavaScript the
//   buttons stay hidden and the self score is shown beside each box.
// - "Chấp nhận" with every box blank (and nothing saved at this stage) asks whether the unit's own
//   scores stand; answering yes in the dialog sends keep_self_scores=1. The server asks the same
//   question as a page when the answer is missing.
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

  form.addEventListener("input", syncAccept);
  form.addEventListener("change", syncAccept);
  syncAccept();
})();
