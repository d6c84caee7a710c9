// Parlure: feedback on labels (templates/review/_feedback.html, on the result page) and the review
// queue (templates/review/queue.html). No framework. Both work without this script (plain forms);
// with it, they are sent to the API (/api/v1, the person's session) and answered in place, without
// a reload. Every sentence shown comes from the server's answer or from the markup's data-msg-*
// attributes.
(function () {
  "use strict";

  // Included by a page and again by a partial the result poll inserts: the first copy does the work.
  if (document.documentElement.hasAttribute("data-review-js")) return;
  document.documentElement.setAttribute("data-review-js", "");

  var http = window.Parlure.http; // static/js/http.js

  // A tick box takes no typing: the queue's keys still work when one has the focus.
  function isTyping(element) {
    if (element && element.matches && element.matches("input[type=checkbox]")) return false;
    return element && (element.tagName === "TEXTAREA" || element.tagName === "INPUT" ||
      element.tagName === "SELECT" || element.isContentEditable);
  }

  // POST JSON to the API; resolves with {ok, status, data}; rejects only on a network failure.
  function postJson(url, form, payload) {
    return http.postJson(url, payload, http.csrfToken(form));
  }

  function optionalIndex(field) {
    return field ? parseInt(field.value, 10) : null;
  }

  // --- Feedback: "Wrong register?" / "Wrong text?" ---------------------------------------------

  // The prediction shown (the whole text's, or the segment's) is in the markup.
  function feedbackPayload(form) {
    var payload = {
      prediction: parseInt(form.dataset.prediction, 10),
      sentence_index: optionalIndex(form.elements.sentence),
      kind: form.elements.kind.value,
      comment: form.elements.comment.value,
    };
    var checked = form.querySelector("input[name=label]:checked");
    if (checked) payload.suggested_label = checked.value;
    return payload;
  }

  function sendFeedback(form) {
    var status = form.querySelector("[data-feedback-status]");
    var button = form.querySelector("button[type=submit]");
    if (form.dataset.sending) return;
    form.dataset.sending = "1";
    button.disabled = true;
    status.textContent = form.dataset.msgSending || "";
    postJson(form.dataset.apiUrl, form, feedbackPayload(form))
      .then(function (answer) {
        if (answer.ok) {
          // The form gives way to the thanks, in place; focus follows so nobody is lost.
          var thanks = document.createElement("p");
          thanks.className = "feedback-thanks";
          thanks.setAttribute("role", "status");
          thanks.tabIndex = -1;
          thanks.textContent = form.dataset.msgThanks || "";
          form.replaceWith(thanks);
          thanks.focus();
          return;
        }
        status.textContent = http.errorText(answer.data, form.dataset.msgError);
      })
      .catch(function () { status.textContent = form.dataset.msgError; })
      .then(function () {
        delete form.dataset.sending;
        button.disabled = false;
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("[data-feedback-form]");
    if (!form) return;
    event.preventDefault();
    sendFeedback(form);
  });

  // Opening the control moves to its first choice; Escape closes it and goes back to the toggle.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("[data-feedback]") || !details.open) return;
    var first = details.querySelector("input[name=label]:not([disabled]), textarea");
    if (first) first.focus();
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var details = event.target.closest && event.target.closest("[data-feedback][open]");
    if (!details) return;
    details.open = false;
    details.querySelector("summary").focus();
  });

  // --- The review queue ------------------------------------------------------------------------

  var queue = document.querySelector("[data-review-queue]");
  if (!queue) return;
  var items = Array.prototype.slice.call(queue.querySelectorAll("[data-review-item]"));
  var announcer = document.getElementById("review-announcer");
  var current = null;

  function announce(text) {
    if (announcer) announcer.textContent = text;
  }

  function select(item, focus) {
    if (!item) return;
    if (current) {
      current.classList.remove("is-current");
      current.removeAttribute("aria-current");
    }
    current = item;
    item.classList.add("is-current");
    item.setAttribute("aria-current", "true");
    if (focus) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
    }
  }

  function step(offset) {
    var index = current ? items.indexOf(current) : -1;
    var next = items[Math.max(0, Math.min(items.length - 1, index + offset))];
    select(next, true);
  }

  // After a judgement, the next item nobody has judged on this page (or simply the next one).
  function advance(from) {
    var index = items.indexOf(from);
    for (var i = index + 1; i < items.length; i += 1) {
      if (!items[i].classList.contains("is-judged")) return select(items[i], true);
    }
    if (index + 1 < items.length) select(items[index + 1], true);
  }

  // The tabs' and the intro's counts, from the server's answer after a judgement.
  function showCounts(counts) {
    if (!counts) return;
    Object.keys(counts).forEach(function (name) {
      document.querySelectorAll("[data-count=" + name + "]").forEach(function (element) {
        element.textContent = String(counts[name]);
      });
    });
  }

  function markJudged(item, message) {
    item.querySelector("[data-item-status]").textContent = message;
    item.classList.add("is-judged");
    var box = item.querySelector("[data-bulk-select]");
    if (box) box.checked = false;
  }

  function judge(item, decision, label) {
    var form = item.querySelector("[data-judge-form]");
    var status = item.querySelector("[data-item-status]");
    if (item.dataset.sending) return;
    item.dataset.sending = "1";
    var payload = { decision: decision };
    if (label) payload.label = label;
    postJson(form.dataset.apiUrl, form, payload)
      .then(function (answer) {
        var message = answer.ok ? answer.data.message : http.errorText(answer.data, queue.dataset.msgError);
        status.textContent = message;
        announce(message);
        if (!answer.ok) return;
        markJudged(item, message);
        showCounts(answer.data.counts);
        updateBulk();
        advance(item);
      })
      .catch(function () {
        status.textContent = queue.dataset.msgError;
        announce(queue.dataset.msgError);
      })
      .then(function () { delete item.dataset.sending; });
  }

  // --- Several at once: tick items (or x), then one register for all of them ---------------

  var bulk = document.querySelector("[data-bulk-form]");

  function selectedItems() {
    return items.filter(function (item) {
      var box = item.querySelector("[data-bulk-select]");
      return box && box.checked;
    });
  }

  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  function updateBulk() {
    if (!bulk) return;
    var chosen = selectedItems();
    bulk.hidden = chosen.length === 0;
    bulk.querySelector("[data-bulk-count]").textContent = fill(bulk.dataset.msgSelected, { count: chosen.length });
  }

  function judgeSelected(decision, label) {
    var chosen = selectedItems();
    if (!chosen.length || bulk.dataset.sending) return;
    bulk.dataset.sending = "1";
    var byId = {};
    var judgements = chosen.map(function (item) {
      var id = parseInt(item.querySelector("[data-bulk-select]").value, 10);
      byId[id] = item;
      var entry = { item: id, decision: decision };
      if (label) entry.label = label;
      return entry;
    });
    postJson(bulk.dataset.apiUrl, bulk, { judgements: judgements })
      .then(function (answer) {
        if (!answer.ok) {
          announce(http.errorText(answer.data, queue.dataset.msgError));
          return;
        }
        var done = 0;
        answer.data.results.forEach(function (outcome) {
          var item = byId[outcome.item];
          if (!item) return;
          if (outcome.status === 200) {
            done += 1;
            markJudged(item, outcome.result.message);
          } else {
            item.querySelector("[data-item-status]").textContent = http.errorText(outcome, queue.dataset.msgError);
          }
        });
        showCounts(answer.data.counts);
        announce(fill(bulk.dataset.msgDone, { done: done, failed: judgements.length - done }));
      })
      .catch(function () { announce(queue.dataset.msgError); })
      .then(function () {
        delete bulk.dataset.sending;
        updateBulk();
      });
  }

  if (bulk) {
    bulk.addEventListener("click", function (event) {
      var button = event.target.closest("[data-bulk-decision]");
      if (button) judgeSelected(button.dataset.bulkDecision, button.dataset.label);
    });
    queue.addEventListener("change", function (event) {
      if (event.target.matches("[data-bulk-select]")) updateBulk();
    });
  }

  // Clicks on the buttons: the same request as the keys, instead of the plain form's reload.
  queue.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-judge-form]");
    if (!form) return;
    event.preventDefault();
    var button = event.submitter || document.activeElement;
    if (!button || !button.dataset.decision) return;
    var item = form.closest("[data-review-item]");
    select(item, false);
    judge(item, button.dataset.decision, button.dataset.label);
  });

  queue.addEventListener("focusin", function (event) {
    var item = event.target.closest("[data-review-item]");
    if (item && item !== current) select(item, false);
  });

  // a, r; 1, 2, 3: the item's register buttons in their order (soutenu, neutre, familier); x
  // ticks the item for a judgement of several at once.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      event.preventDefault();
      step(key === "j" ? 1 : -1);
      return;
    }
    if (!current) return;
    if (key === "x") {
      var box = current.querySelector("[data-bulk-select]");
      if (!box) return;
      event.preventDefault();
      box.checked = !box.checked;
      updateBulk();
      return;
    }
    var registers = current.querySelectorAll("[data-register]");
    var button = null;
    if (key === "a") button = current.querySelector("[data-decision=accept]");
    else if (key === "r") button = current.querySelector("[data-decision=reject]");
    else if (/^[1-9]$/.test(key)) button = registers[parseInt(key, 10) - 1] || null;
    if (!button) return;
    event.preventDefault();
    judge(current, button.dataset.decision, button.dataset.label);
  });

  select(items[0], false);
})();
