// Parlure's page behaviour, no framework: a form is sent once, a running job's result appears
// without a reload, and destructive buttons ask first.
(function () {
  "use strict";

  // Characters used against the limit, so that it is visible before sending. A text over the
  // limit is not sent (nor cut, as a maxlength attribute would): the count says by how much.
  // Registered before the send-once handler, which leaves a form whose sending was stopped alone.
  var counter = document.querySelector("[data-char-count]");
  var textarea = document.querySelector("textarea[name=text]");
  if (counter && textarea) {
    var limit = parseInt(counter.dataset.limit, 10);
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var update = function () {
      var used = textarea.value.length;
      var over = used - limit;
      counter.textContent = format.format(used) + " / " + format.format(limit) +
        (over > 0 ? " — " + counter.dataset.over.replace("{count}", format.format(over)) : "");
      counter.classList.toggle("over", over > 0);
      if (over > 0) textarea.setAttribute("aria-invalid", "true");
      else textarea.removeAttribute("aria-invalid");
      return over;
    };
    textarea.addEventListener("input", update);
    if (textarea.form) {
      textarea.form.addEventListener("submit", function (event) {
        if (update() > 0) {
          event.preventDefault();
          textarea.focus();
        }
      });
    }
    update();
  }

  // A second click on a form already sent would only be answered with the same submission
  // (the server deduplicates on the form's token), but a disabled button says so at once.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      var button = form.querySelector("button[type=submit]");
      if (!button) return;
      if (form.dataset.sent) return;
      form.dataset.sent = "1";
      button.disabled = true;
      if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // A button that asks first (a bulk deletion); the form's other buttons do not.
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });

  // "Select all" of a list's bulk actions: ticks or unticks every row of its table.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var table = all.closest("table");
    var rows = table ? table.querySelectorAll("input[name=submissions]") : [];
    all.hidden = false;
    all.addEventListener("change", function () {
      rows.forEach(function (row) { row.checked = all.checked; });
    });
  });

  var http = window.Parlure.http; // static/js/http.js

  // A running job's result: poll the API's status (small JSON); when the job moves on (its state,
  // its progress, a worker warning), fetch the result area again from the page, as HTML.
  var result = document.querySelector("[data-status-url][data-result-url]");
  if (result) {
    var labels = JSON.parse((document.getElementById("status-labels") || {}).textContent || "{}");
    var shown = "";
    // A finished job may still be computing its deciding words (an imported text): the area says
    // so, and is fetched again until they are there.
    var pending = function () { return !!result.querySelector("[data-explanation-pending]"); };
    http.poll(function () {
      return http.getJson(result.dataset.statusUrl).then(function (status) {
        var warning = status.worker_warning ? status.worker_warning.code : "";
        // A recording's segments appear as they are decoded, then get their register.
        var live = (status.live_segments || []).map(function (s) { return s.label || "-"; }).join(",");
        var seen = [status.status, status.progress, warning, live].join(" ");
        if (seen === shown && !pending()) return false;
        return http.getHtml(result.dataset.resultUrl).then(function (fragment) {
          if (seen !== shown) announce(labels[status.status] || status.status);
          shown = seen;
          result.replaceChildren(fragment);
          // Scripts for what the area holds (the transcript editor) set themselves up on this.
          result.dispatchEvent(new CustomEvent("parlure:result-updated", { bubbles: true, detail: status }));
          var done = status.finished && !pending();
          if (done) result.setAttribute("aria-busy", "false");
          return done;
        });
      });
    }, { max: 1500 }); // the status is small: a label is seen at most 1.5 s after it is stored
  }

  // A corpus's imports while they run: the page answers with the area, as HTML, after a marker
  // that says whether to go on and what to announce (templates/poll_fragment.html).
  var area = document.querySelector("[data-poll-url]");
  if (area) {
    http.poll(function () {
      return http.getHtml(area.dataset.pollUrl).then(function (fragment) {
        var state = fragment.querySelector("[data-poll-state]");
        var finished = !state || state.dataset.finished === "true";
        if (state) {
          announce(state.dataset.statusLabel);
          state.remove();
        }
        area.replaceChildren(fragment);
        if (finished) area.setAttribute("aria-busy", "false");
        return finished;
      });
    });
  }

  function announce(text) {
    var announcer = document.getElementById("result-announcer");
    if (announcer && text && announcer.textContent !== text) announcer.textContent = text;
  }
})();
