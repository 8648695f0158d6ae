// Behaviour every page shares, attached here because the Content-Security-Policy refuses inline
// handlers and style attributes: print buttons, the language switch, run progress bars.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-submit-on-change]");
    if (field && field.form) { field.form.submit(); }
  });

  // A width set through the DOM is allowed; a style="" attribute in the HTML is not.
  function drawProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = bar.dataset.progress + "%";
    });
  }

  drawProgress(document);
  // htmx swaps progress fragments in every second; draw them as they arrive.
  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    drawProgress(element.parentNode || element);
  });
})();
