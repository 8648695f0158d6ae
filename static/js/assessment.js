// The self-assessment form (templates/assessments/assessment.html), attached here because the
// Content-Security-Policy refuses inline scripts:
// - the running total as the unit types: points, yes/no and bonus add, deductions subtract;
//   shown as points and as a share of the base maximum. The server renders the total first (a
//   read-only page has no boxes and keeps it as is); this only keeps it current.
// - the draft saved as the unit goes: a moment after the last keystroke, and at once when the
//   page is hidden (the phone sleeps, the tab changes), through the same POST as "Lưu nháp"
//   (scores and notes; files and the submit wait for the buttons). The answer carries the new
//   version, which the form keeps for its next save; when someone else saved first (409) the
//   bar says so and nothing more is sent, so nobody's work is overwritten.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) { return; }
  var output = document.getElementById("running-total");
  var base = parseFloat(form.dataset.baseMaximum || "0");
  var boxes = form.querySelectorAll("input[data-score]");
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

  if (output && boxes.length) {
    form.addEventListener("input", total);
    form.addEventListener("change", total);
    total();
  }

  // Autosave -----------------------------------------------------------------------------------
  var status = form.querySelector("[data-autosave-status]");
  var version = form.querySelector("input[name=version]");
  if (!status || !version || !window.fetch || !window.FormData) { return; }
  var DELAY = 1500;
  var timer = null;
  var dirty = false;
  var busy = false;
  var stopped = false;

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("text-danger", !!failed);
  }

  function body() {
    var data = new FormData(form);
    Array.from(data.keys()).forEach(function (name) {
      if (name.indexOf("evidence_") === 0) { data.delete(name); }  // files go with the buttons
    });
    data.delete("action");
    data.delete("remove_evidence");
    return data;
  }

  function save(leaving) {
    window.clearTimeout(timer);
    if (!dirty || stopped) { return; }
    // One save at a time: each sends the version the previous one answered. A change made
    // meanwhile goes when the save in flight is done.
    if (busy) { return; }
    dirty = false;
    busy = true;
    var wait = DELAY;
    say(status.dataset.saving);
    window.fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (response.ok) {
          version.value = answer.version;
          say(answer.message);
        } else {
          if (response.status === 409 || response.status === 403) { stopped = true; }
          say(answer.error, true);
        }
      });
    }).catch(function () {
      dirty = true;  // the network dropped: keep the change and try again a little later
      wait = DELAY * 4;
      say(status.dataset.offline, true);
    }).finally(function () {
      busy = false;
      if (held) {
        var submitter = held.submitter;
        held = null;
        if (submitter && form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
        return;
      }
      if (dirty && !stopped) {
        window.clearTimeout(timer);
        timer = window.setTimeout(save, wait);
      }
    });
  }

  function changed(event) {
    if (event.target.type === "file") { return; }
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // A button's own submit saves everything: no autosave may race it with the same version
  // (a submit held for the confirmation dialog has not gone yet). On the document, after
  // portal.js's dialog has had its say.
  // A press during a save in flight waits for its answer, so it posts the version it gives.
  var held = null;
  document.addEventListener("submit", function (event) {
    if (event.target !== form || event.defaultPrevented) { return; }
    window.clearTimeout(timer);
    stopped = true;
    if (busy) {
      event.preventDefault();
      held = { submitter: event.submitter || null };
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
})();
