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

  // Poll a running job: quickly at first (a text takes well under a second), then less often.
  var result = document.querySelector("[data-poll-url]");
  if (result) {
    var delay = 300;
    var poll = function () {
      window.Parlure.http.getJson(result.dataset.pollUrl)
        .then(function (data) {
          var announcer = document.getElementById("result-announcer");
          if (announcer && announcer.textContent !== data.status_label) {
            announcer.textContent = data.status_label;
          }
          result.innerHTML = data.html;
          // Scripts for what the html holds (the transcript editor) set themselves up on this.
          result.dispatchEvent(new CustomEvent("parlure:result-updated", { bubbles: true, detail: data }));
          // A finished job may still be computing its deciding words (an imported text).
          if (data.finished && !data.explanation_pending) {
            result.setAttribute("aria-busy", "false");
            return;
          }
          delay = Math.min(delay * 1.3, 3000);
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          delay = Math.min(delay * 2, 10000);
          window.setTimeout(poll, delay);
        });
    };
    window.setTimeout(poll, delay);
  }
})();
