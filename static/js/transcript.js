// Parlure: the transcript editor (templates/annotation/_transcript_editor.html). Listen and follow
// the words, jump to a segment, correct its text (saved on its own, segment by segment), and see
// the register computed again. The editor may arrive after the page has loaded (the result poll
// inserts it), so it is set up on DOMContentLoaded and again on "parlure:result-updated".
// Every sentence comes from the markup's data-msg-* attributes.
(function () {
  "use strict";

  // Included twice (by a page and by a partial, say): the first copy does the work.
  if (document.documentElement.hasAttribute("data-transcript-js")) return;
  document.documentElement.setAttribute("data-transcript-js", "");

  var AUTOSAVE_DELAY_MS = 1500; // after typing stops
  var RETRY_DELAY_MS = 5000; // after a network or server error
  var REFRESH_LIMIT_MS = 120000; // stop waiting for the new register after this
  var editors = new WeakMap();
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function formatTime(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = String(total % 60).padStart(2, "0");
    return h ? h + ":" + String(m).padStart(2, "0") + ":" + s : String(m).padStart(2, "0") + ":" + s;
  }

  var http = window.Parlure.http; // static/js/http.js

  function isTyping(element) {
    return element && (element.tagName === "TEXTAREA" || element.tagName === "INPUT" ||
      element.isContentEditable);
  }

  // One segment: its row, its text field, its words, and what was last saved of it.
  function Segment(editor, element) {
    this.editor = editor;
    this.element = element;
    this.index = element.dataset.index;
    this.start = parseFloat(element.dataset.start);
    this.end = parseFloat(element.dataset.end);
    this.textarea = element.querySelector("[data-segment-text]");
    this.status = element.querySelector("[data-save-status]");
    this.readWords();
    this.saved = this.textarea ? this.textarea.value : "";
    this.timer = null;
    this.state = "clean";
    var range = element.querySelector("[data-time-range]");
    if (range) range.textContent = formatTime(this.start) + "–" + formatTime(this.end);
  }

  // The field grows with its text, so that a whole segment can be read while correcting it.
  Segment.prototype.fit = function () {
    if (!this.textarea) return;
    this.textarea.style.height = "auto";
    this.textarea.style.height = this.textarea.scrollHeight + 2 + "px";
  };

  Segment.prototype.readWords = function () {
    this.words = Array.prototype.map.call(this.element.querySelectorAll(".word"), function (span) {
      return { element: span, start: parseFloat(span.dataset.start), end: parseFloat(span.dataset.end) };
    });
  };

  Segment.prototype.isDirty = function () {
    return Boolean(this.textarea) && this.textarea.value !== this.saved;
  };

  Segment.prototype.setState = function (state, text) {
    this.state = state;
    this.status.dataset.state = state;
    this.status.textContent = text || "";
  };

  Segment.prototype.onInput = function () {
    var segment = this;
    window.clearTimeout(this.timer);
    if (!this.isDirty()) {
      this.setState("clean", "");
      return;
    }
    if (this.state !== "unsaved") this.setState("unsaved", this.editor.msg.msgUnsaved);
    this.timer = window.setTimeout(function () { segment.editor.save(segment); }, AUTOSAVE_DELAY_MS);
  };

  // The words are what the model heard; once the text is corrected they no longer match it.
  Segment.prototype.dropWords = function () {
    var line = this.element.querySelector("[data-words]");
    if (line) line.remove();
    this.words = [];
  };

  function Editor(root) {
    this.root = root;
    this.msg = root.dataset;
    this.version = parseInt(root.dataset.version, 10);
    this.validated = root.dataset.validated === "true";
    this.player = root.querySelector("[data-player]");
    var editor = this;
    this.segments = Array.prototype.map.call(root.querySelectorAll("[data-segment]"), function (el) {
      return new Segment(editor, el);
    });
    this.queue = Promise.resolve();
    this.current = null; // the segment being played
    this.currentWord = null;
    this.frame = null;
    this.nameLanguages();
    this.bindClicks();
    this.bindTextareas();
    this.bindPlayer();
    this.bindValidation();
  }

  // "en" -> "anglais" (or "English"): the browser knows every language's name in every language.
  Editor.prototype.nameLanguages = function () {
    if (!window.Intl || !Intl.DisplayNames) return;
    var names = new Intl.DisplayNames([document.documentElement.lang || "fr"], { type: "language" });
    this.root.querySelectorAll("[data-language-name]").forEach(function (element) {
      try {
        element.textContent = names.of(element.dataset.languageName) || element.textContent;
      } catch (error) { /* a code Intl does not know: keep the code */ }
    });
  };

  Editor.prototype.segmentOf = function (element) {
    var row = element && element.closest ? element.closest("[data-segment]") : null;
    if (!row) return null;
    for (var i = 0; i < this.segments.length; i += 1) {
      if (this.segments[i].element === row) return this.segments[i];
    }
    return null;
  };

  // --- Listening -----------------------------------------------------------------------------

  Editor.prototype.bindClicks = function () {
    var editor = this;
    this.root.addEventListener("click", function (event) {
      var seek = event.target.closest("[data-seek], .word");
      if (!seek || !editor.player) return;
      editor.playFrom(parseFloat(seek.dataset.seek || seek.dataset.start));
    });
  };

  Editor.prototype.playFrom = function (seconds) {
    this.player.currentTime = seconds;
    var playing = this.player.play();
    if (playing && playing.catch) playing.catch(function () { /* autoplay refused: seeked anyway */ });
  };

  Editor.prototype.togglePlay = function () {
    if (!this.player) return;
    if (this.player.paused) {
      var playing = this.player.play();
      if (playing && playing.catch) playing.catch(function () {});
    } else {
      this.player.pause();
    }
  };

  Editor.prototype.bindPlayer = function () {
    if (!this.player) return;
    var editor = this;
    // timeupdate alone comes about four times a second: too coarse to follow words, so a frame
    // loop runs while playing, and timeupdate covers seeking while paused.
    this.player.addEventListener("play", function () { editor.loop(); });
    ["pause", "ended", "timeupdate", "seeked"].forEach(function (type) {
      editor.player.addEventListener(type, function () { editor.follow(); });
    });
  };

  Editor.prototype.loop = function () {
    var editor = this;
    window.cancelAnimationFrame(this.frame);
    var step = function () {
      editor.follow();
      if (!editor.player.paused && !editor.player.ended && document.contains(editor.root)) {
        editor.frame = window.requestAnimationFrame(step);
      }
    };
    this.frame = window.requestAnimationFrame(step);
  };

  function findAt(items, time) {
    for (var i = 0; i < items.length; i += 1) {
      if (time >= items[i].start && time < items[i].end) return items[i];
    }
    return null;
  }

  Editor.prototype.follow = function () {
    var time = this.player.currentTime;
    var segment = findAt(this.segments, time);
    if (segment !== this.current) {
      if (this.current) this.current.element.classList.remove("is-playing");
      if (segment) segment.element.classList.add("is-playing");
      this.current = segment;
      if (segment && !this.player.paused) this.reveal(segment);
    }
    var word = segment ? findAt(segment.words, time) : null;
    if (word !== this.currentWord) {
      if (this.currentWord) this.currentWord.element.classList.remove("is-current");
      if (word) word.element.classList.add("is-current");
      this.currentWord = word;
    }
  };

  // Bring the segment being played into view, but never pull the page away from someone typing,
  // and only when it is out of sight.
  Editor.prototype.reveal = function (segment) {
    if (isTyping(document.activeElement)) return;
    var box = segment.element.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= window.innerHeight) return;
    segment.element.scrollIntoView({
      block: "nearest", behavior: reducedMotion.matches ? "auto" : "smooth",
    });
  };

  // Alt+ArrowDown / Alt+ArrowUp: from the segment being edited (or played) to the next one.
  Editor.prototype.move = function (step) {
    var from = this.segmentOf(document.activeElement) || this.current;
    var position = from ? this.segments.indexOf(from) + step : (step > 0 ? 0 : this.segments.length - 1);
    var target = this.segments[Math.max(0, Math.min(this.segments.length - 1, position))];
    if (!target) return;
    var focusable = target.textarea || target.element.querySelector("[data-seek]");
    if (focusable) focusable.focus();
    if (this.player) this.player.currentTime = target.start;
    if (!focusable || !isTyping(focusable)) this.reveal(target);
  };

  // --- Correcting ----------------------------------------------------------------------------

  Editor.prototype.bindTextareas = function () {
    var editor = this;
    this.segments.forEach(function (segment) {
      if (!segment.textarea) return;
      segment.fit();
      segment.textarea.addEventListener("input", function () {
        segment.fit();
        segment.onInput();
      });
      segment.textarea.addEventListener("blur", function () {
        if (segment.isDirty()) editor.save(segment);
      });
    });
  };

  Editor.prototype.csrf = function () {
    return this.root.dataset.csrf || http.csrfToken(null);
  };

  // Saves go one after another: each one sends the version the previous one returned.
  Editor.prototype.save = function (segment) {
    var editor = this;
    window.clearTimeout(segment.timer);
    this.queue = this.queue.then(function () { return editor.send(segment); });
    return this.queue;
  };

  Editor.prototype.saveAll = function () {
    var editor = this;
    this.segments.forEach(function (segment) { if (segment.isDirty()) editor.save(segment); });
    return this.queue;
  };

  Editor.prototype.send = function (segment) {
    var editor = this;
    var text = segment.textarea.value;
    if (text === segment.saved) {
      if (segment.state === "unsaved") segment.setState("clean", ""); // typed, then undone
      return Promise.resolve();
    }
    segment.setState("saving", this.msg.msgSaving);
    var url = this.root.dataset.saveUrlTemplate.replace("__INDEX__", segment.index);
    var before = segment.saved;
    return http.send("PATCH", url, { text: text }, this.csrf())
      .then(function (answer) { editor.onSaved(segment, text, before, answer); })
      .catch(function () { editor.failed(segment, ""); });
  };

  // The API answers with the segment and the transcript's version, or its one error shape.
  Editor.prototype.onSaved = function (segment, sent, before, answer) {
    var data = answer.data;
    if (!answer.ok) {
      // 4xx: the server explains (empty, too long, validated); trying again would not help.
      var reason = http.errorText(data, "");
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 429 && reason) {
        segment.setState("error", reason);
        return;
      }
      this.failed(segment, reason);
      return;
    }
    segment.saved = typeof data.text === "string" ? data.text : sent;
    if (typeof data.transcript_version === "number") this.version = data.transcript_version;
    this.root.dataset.version = String(this.version);
    // The server tidies spaces: show its text, unless the person is still typing in this field.
    if (segment.textarea.value === sent && document.activeElement !== segment.textarea) {
      segment.textarea.value = segment.saved;
      segment.fit();
    }
    if (segment.isDirty()) {
      segment.setState("unsaved", this.msg.msgUnsaved);
      segment.onInput();
    } else {
      segment.setState("saved", this.msg.msgSaved);
    }
    if (segment.saved !== before) {
      segment.dropWords();
      this.refreshSoon();
    }
  };

  Editor.prototype.failed = function (segment, detail) {
    var editor = this;
    segment.setState("error", detail || this.msg.msgError);
    window.clearTimeout(segment.timer);
    segment.timer = window.setTimeout(function () {
      if (segment.isDirty() && document.contains(editor.root)) editor.save(segment);
    }, RETRY_DELAY_MS);
  };

  Editor.prototype.hasPending = function () {
    return this.segments.some(function (s) { return s.isDirty() || s.state === "saving"; });
  };

  // --- The register, computed again after a correction ------------------------------------------

  // Fetch the result area (the page's HTML) until it shows this version classified, then take
  // only the register tags and the whole-text result from it: the text fields, the caret and the
  // player are left as they are.
  Editor.prototype.refreshSoon = function () {
    var editor = this;
    if (this.refreshing) return;
    this.refreshing = true;
    var startedAt = Date.now();
    http.poll(function () {
      if (!document.contains(editor.root)) return Promise.resolve(true);
      if (Date.now() - startedAt > REFRESH_LIMIT_MS) {
        editor.refreshing = false;
        return Promise.resolve(true);
      }
      return http.getHtml(editor.root.dataset.resultUrl).then(function (fresh) {
        if (!editor.isCurrent(fresh)) return false;
        editor.refreshing = false;
        editor.apply(fresh);
        return true;
      });
    }, { delay: 500, max: 4000 });
  };

  // The html is current when it shows the last saved version and its register.
  Editor.prototype.isCurrent = function (fragment) {
    var root = fragment.querySelector("[data-transcript-editor]");
    if (!root) return false;
    var version = parseInt(root.dataset.version, 10);
    return version >= this.version && root.dataset.classifiedVersion === root.dataset.version;
  };

  Editor.prototype.apply = function (fragment) {
    var fresh = fragment.querySelector("[data-transcript-editor]");
    this.root.dataset.classifiedVersion = fresh.dataset.classifiedVersion;
    var editor = this;
    this.segments.forEach(function (segment) {
      var row = fresh.querySelector('[data-segment][data-index="' + segment.index + '"]');
      if (!row) return;
      var slot = row.querySelector("[data-register-slot]");
      segment.element.querySelector("[data-register-slot]").innerHTML = slot ? slot.innerHTML : "";
      if (!row.querySelector("[data-words]")) segment.dropWords();
    });
    // Outside the editor: the whole transcript's register badge and scores.
    var area = this.root.parentElement;
    [".register-badge", ".scores", ".facts"].forEach(function (selector) {
      var old = editor.outside(area, selector);
      var replacement = editor.outside(fragment, selector);
      if (old && replacement) old.replaceWith(document.importNode(replacement, true));
    });
  };

  Editor.prototype.outside = function (container, selector) {
    var found = container.querySelectorAll(selector);
    for (var i = 0; i < found.length; i += 1) {
      if (!found[i].closest("[data-transcript-editor]")) return found[i];
    }
    return null;
  };

  // --- Validating ----------------------------------------------------------------------------

  // Corrections still being typed are saved first, then the form is sent.
  Editor.prototype.bindValidation = function () {
    var form = this.root.querySelector("[data-validate-form]");
    if (!form) return;
    var editor = this;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.sent) return;
      if (!window.confirm(form.dataset.confirmMessage)) return;
      var button = form.querySelector("button[type=submit]");
      form.dataset.sent = "1";
      button.disabled = true;
      editor.saveAll().then(function () {
        if (editor.hasPending() || editor.segments.some(function (s) { return s.state === "error"; })) {
          delete form.dataset.sent;
          button.disabled = false;
          return;
        }
        editor.leaving = true;
        form.submit();
      });
    });
  };

  // --- Keyboard ------------------------------------------------------------------------------

  function activeEditor() {
    var root = document.querySelector("[data-transcript-editor]");
    return root ? editors.get(root) : null;
  }

  function onKeydown(event) {
    var editor = activeEditor();
    if (!editor) return;
    var key = event.key;
    if ((event.ctrlKey && event.code === "Space") || (event.altKey && !event.ctrlKey && event.code === "KeyK")) {
      if (!editor.player) return;
      event.preventDefault();
      editor.togglePlay();
    } else if (event.altKey && (key === "ArrowDown" || key === "ArrowUp")) {
      event.preventDefault();
      editor.move(key === "ArrowDown" ? 1 : -1);
    } else if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "s" || key === "S")) {
      if (editor.validated) return;
      event.preventDefault();
      editor.saveAll();
    }
  }

  function onBeforeUnload(event) {
    var editor = activeEditor();
    if (!editor || editor.leaving || !editor.hasPending()) return;
    editor.saveAll();
    event.preventDefault();
    event.returnValue = editor.msg.msgLeave;
  }

  function init() {
    document.querySelectorAll("[data-transcript-editor]").forEach(function (root) {
      if (editors.has(root)) return;
      editors.set(root, new Editor(root));
    });
  }

  var resizeTimer = null;
  function onResize() {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      var editor = activeEditor();
      if (editor) editor.segments.forEach(function (segment) { segment.fit(); });
    }, 150);
  }

  document.addEventListener("keydown", onKeydown);
  window.addEventListener("resize", onResize);
  window.addEventListener("beforeunload", onBeforeUnload);
  document.addEventListener("parlure:result-updated", init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
