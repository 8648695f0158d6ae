// A refused form comes back with 422 and its errors (core/mixins.py). Here, because the
// Content-Security-Policy refuses inline scripts: htmx swaps a 422 answer in like a page (htmx 2
// swaps no 4xx by default), and the focus moves to the form's error summary
// (templates/includes/form_errors.html), or to its first invalid field, so that a keyboard or
// screen-reader user starts where the problem is; a link of the summary focuses the field it names.
(function () {
  "use strict";

  if (window.htmx) {
    window.htmx.config.responseHandling.unshift({ code: "422", swap: true, error: false });
  }

  function focusErrors(root) {
    var target = root.querySelector("[data-form-errors]") || root.querySelector(".is-invalid");
    if (!target) { return; }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-form-errors] a[data-field]");
    if (!link) { return; }
    var field = document.getElementById(link.hash.slice(1))
      || document.querySelector('[name="' + CSS.escape(link.dataset.field) + '"]');
    if (!field) { return; }
    event.preventDefault();
    if (field.matches("div, fieldset")) {  // a group of radios or checkboxes: its first one
      field = field.querySelector("input, select, textarea") || field;
    }
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // New content from htmx (its own element, even when it replaced its target): a refused
  // form swapped in gets the focus; a progress bar polled every second has no errors to take it.
  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    focusErrors(element.parentNode || element);
  });

  focusErrors(document);
})();
