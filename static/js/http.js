// Parlure: what every page script shares to talk to the server, in one place. Writes go to the
// API (/api/v1) with the session the page already has and Django's CSRF token; its errors have
// one shape, {status, code, detail, errors}. Pages render HTML: a poll fetches a page's fragment.
// Loaded by templates/base.html before any page script.
(function () {
  "use strict";

  var Parlure = (window.Parlure = window.Parlure || {});
  if (Parlure.http) return;

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The token a write needs: the form's own field when there is a form, else Django's cookie.
  function csrfToken(form) {
    var field = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    return (field && field.value) || cookie("csrftoken");
  }

  // Send a body (an object as JSON, FormData as multipart, a Blob as its raw bytes); resolves
  // with {ok, status, data} (data is {} when the answer is not JSON); rejects only on a network
  // failure.
  function send(method, url, body, token) {
    var headers = { Accept: "application/json", "X-CSRFToken": token || cookie("csrftoken") };
    var isForm = typeof FormData !== "undefined" && body instanceof FormData;
    var isBlob = typeof Blob !== "undefined" && body instanceof Blob;
    if (isBlob) headers["Content-Type"] = body.type || "application/octet-stream";
    else if (!isForm) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: isForm || isBlob ? body : body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function postJson(url, payload, token) {
    return send("POST", url, payload, token);
  }

  // What a refused request says, from the API's one error shape: the fields' messages when there
  // are some (they are the precise ones), else the detail, else the fallback.
  function errorText(data, fallback) {
    var messages = [];
    var errors = (data && data.errors) || {};
    Object.keys(errors).forEach(function (field) {
      [].concat(errors[field]).forEach(function (message) {
        if (typeof message === "string") messages.push(message);
      });
    });
    if (messages.length) return messages.join(" ");
    return (data && (data.detail || data.error)) || fallback || "";
  }

  // GET JSON; rejects on a network failure or an error status, so that a poll tries again.
  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  }

  // GET a page's HTML fragment, parsed; rejects like getJson.
  function getHtml(url) {
    return fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        return template.content;
      });
  }

  // Call step() again and again until it resolves true: quickly at first, then less often; a
  // failure (network, server) waits longer before the next try. Options: delay (first wait, ms),
  // max (longest wait), limit (give up after so many ms; none by default).
  function poll(step, options) {
    var settings = options || {};
    var delay = settings.delay || 300;
    var max = settings.max || 3000;
    var startedAt = Date.now();
    var again = function (wait) {
      if (settings.limit && Date.now() - startedAt > settings.limit) return;
      window.setTimeout(tick, wait);
    };
    var tick = function () {
      step()
        .then(function (done) {
          if (done) return;
          delay = Math.min(delay * 1.3, max);
          again(delay);
        })
        .catch(function () {
          delay = Math.min(delay * 2, 10000);
          again(delay);
        });
    };
    window.setTimeout(tick, delay);
  }

  Parlure.http = {
    cookie: cookie,
    csrfToken: csrfToken,
    send: send,
    postJson: postJson,
    errorText: errorText,
    getJson: getJson,
    getHtml: getHtml,
    poll: poll,
  };
})();
