// Parlure: what every page script shares to talk to the server, in one place: the CSRF token,
// a JSON POST and a JSON GET (the result poll, the transcript editor and the review controls use
// them). Loaded by templates/base.html before any page script.
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

  // POST JSON; resolves with {ok, status, data} (data is {} when the answer is not JSON);
  // rejects only on a network failure.
  function postJson(url, payload, token) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": token || cookie("csrftoken"),
      },
      body: JSON.stringify(payload),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  // GET JSON; rejects on a network failure or an error status, so that a poll tries again.
  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  }

  Parlure.http = { cookie: cookie, csrfToken: csrfToken, postJson: postJson, getJson: getJson };
})();
