// Behaviour every page shares, attached here because the Content-Security-Policy refuses inline
// handlers and style attributes: print buttons, the language switch, run progress bars,
// confirmation dialogs.
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

  // Irreversible steps ask first: a form (or its submit button) with data-confirm="what will
  // happen, to whom" opens a dialog; "Đồng ý" sends the form again with confirmed=1. Without
  // JavaScript the server shows the same question as a page, and it checks every rule anyway.
  var pending = null;

  function confirmDialog() {
    var dialog = document.getElementById("confirm-dialog");
    if (dialog) { return dialog; }
    var lang = document.documentElement.lang || "vi";
    var text = lang.indexOf("en") === 0
      ? { cancel: "Cancel", ok: "Confirm", close: "Close", warn: "This cannot be undone." }
      : { cancel: "Hủy", ok: "Đồng ý", close: "Đóng", warn: "Thao tác này không hoàn tác được." };
    dialog = document.createElement("div");
    dialog.id = "confirm-dialog";
    dialog.className = "modal fade";
    dialog.tabIndex = -1;
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
    dialog.innerHTML =
      '<div class="modal-dialog modal-dialog-centered"><div class="modal-content">' +
      '<div class="modal-header"><h2 class="modal-title h5" id="confirm-dialog-title"></h2>' +
      '<button type="button" class="btn-close" data-bs-dismiss="modal"></button></div>' +
      '<div class="modal-body"><p data-confirm-text></p><ul data-confirm-list></ul>' +
      '<p class="fw-semibold mb-0" data-confirm-warn></p></div>' +
      '<div class="modal-footer"><button type="button" class="btn btn-outline-secondary" ' +
      'data-bs-dismiss="modal" data-confirm-cancel></button>' +
      '<button type="button" class="btn btn-primary" data-confirm-ok></button></div>' +
      "</div></div>";
    dialog.querySelector(".btn-close").setAttribute("aria-label", text.close);
    dialog.querySelector("[data-confirm-cancel]").textContent = text.cancel;
    dialog.querySelector("[data-confirm-ok]").textContent = text.ok;
    dialog.querySelector("[data-confirm-ok]").dataset.label = text.ok;
    dialog.querySelector("[data-confirm-warn]").textContent = text.warn;
    document.body.appendChild(dialog);
    dialog.querySelector("[data-confirm-ok]").addEventListener("click", function () {
      if (!pending) { return; }
      var form = pending.form, submitter = pending.submitter;
      pending = null;
      var flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "confirmed";
      flag.value = "1";
      form.appendChild(flag);
      form.dataset.confirmed = "1";
      window.bootstrap.Modal.getOrCreateInstance(dialog).hide();
      if (submitter && form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
    });
    return dialog;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var source = submitter && submitter.dataset.confirm ? submitter
      : (form.dataset.confirm ? form : null);
    if (!source || form.dataset.confirmed === "1" || !window.bootstrap) { return; }
    event.preventDefault();
    var dialog = confirmDialog();
    pending = { form: form, submitter: submitter };
    dialog.querySelector("#confirm-dialog-title").textContent =
      source.dataset.confirmTitle || (submitter ? submitter.textContent.trim() : "");
    dialog.querySelector("[data-confirm-text]").textContent = source.dataset.confirm;
    var list = dialog.querySelector("[data-confirm-list]");
    list.textContent = "";
    (source.dataset.confirmList ? source.dataset.confirmList.split("|") : []).forEach(function (item) {
      if (!item) { return; }
      var li = document.createElement("li");
      li.textContent = item;
      list.appendChild(li);
    });
    // data-confirm-selected: what the form's selects hold, shown back ("Thành viên: …").
    if (source.dataset.confirmSelected !== undefined) {
      form.querySelectorAll("select").forEach(function (select) {
        var option = select.options[select.selectedIndex];
        var label = select.labels && select.labels.length ? select.labels[0].textContent.trim() : "";
        if (!option) { return; }
        var li = document.createElement("li");
        li.textContent = (label ? label + ": " : "") + option.textContent.trim();
        list.appendChild(li);
      });
    }
    list.hidden = !list.children.length;
    var ok = dialog.querySelector("[data-confirm-ok]");
    ok.textContent = source.dataset.confirmTitle || ok.dataset.label;
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  });

  drawProgress(document);
  // htmx swaps progress fragments in every second; draw them as they arrive.
  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    drawProgress(element.parentNode || element);
  });
})();
