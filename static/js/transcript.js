// Parlure: the transcript editor (templates/annotation/_transcript_editor.html). Listen and follow
// the words, jump to a segment, correct its text in place (saved on its own, segment by segment;
// the API answers with the new words, timed), and see the register computed again.
// Each segment is one line of word spans (data-start, data-end). For whoever may correct, that
// same line is made editable (contenteditable, plain text only): the browser keeps the caret and
// the undo history; the line is rebuilt from the server's words only when it is not being typed in.
// Words the speech model was unsure of (data-uncertain) are checked first: Alt+N goes from one to
// the next (selected, played from just before it), Alt+Enter accepts one, and Enter after a
// correction moves on too. The editor may arrive after the page has loaded (the result poll
// inserts it), so it is set up on DOMContentLoaded and again on "parlure:result-updated".
// Every sentence comes from the markup's data-msg-* attributes.
(function () {
  "use strict";

  // Included twice (by a page and by a partial, say): the first copy does the work.
  if (document.documentElement.hasAttribute("data-transcript-js")) return;
  document.documentElement.setAttribute("data-transcript-js", "");

  var AUTOSAVE_DELAY_MS = 1500; // after typing stops
  var SKIP_SECONDS = 5; // Alt+J, Alt+L and the buttons beside the player
  var RETRY_DELAY_MS = 5000; // after a network or server error
  var REFRESH_LIMIT_MS = 120000; // stop waiting for the new register after this
  var UNCERTAIN_LEAD_SECONDS = 1; // an uncertain word plays from this long before it
  var UNCERTAIN_HINT_ID = "uncertain-word-hint"; // its description for screen readers
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

  // Spaces as the server keeps them: one between words (a typed space may be a no-break one).
  function tidy(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  // One segment: its row, its line (the text field too, when it may be corrected), its words,
  // and what was last saved of it.
  function Segment(editor, element, editable) {
    this.editor = editor;
    this.element = element;
    this.index = element.dataset.index;
    this.start = parseFloat(element.dataset.start);
    this.end = parseFloat(element.dataset.end);
    this.line = element.querySelector("[data-segment-text]");
    this.field = editable && this.line && this.line.hasAttribute("data-editable") ? this.line : null;
    if (this.field) makeEditable(this.field);
    this.status = element.querySelector("[data-save-status]");
    this.readWords();
    this.saved = this.value();
    this.freshWords = null; // the server's words for the saved text, waiting for the field's blur
    this.timer = null;
    this.state = "clean";
    var range = element.querySelector("[data-time-range]");
    if (range) range.textContent = formatTime(this.start) + "–" + formatTime(this.end);
  }

  // Plain text only: no bold, no pasted markup, no line breaks. Chromium and Safari (and
  // Firefox from 136) know "plaintext-only"; elsewhere paste and Enter are handled below anyway.
  function makeEditable(line) {
    line.contentEditable = "plaintext-only";
    if (line.contentEditable !== "plaintext-only") line.contentEditable = "true";
    line.setAttribute("role", "textbox");
    line.setAttribute("aria-multiline", "false");
    line.spellcheck = true;
  }

  Segment.prototype.value = function () {
    return this.field ? tidy(this.field.textContent) : "";
  };

  // The line again from the server's words: each a span with its times, as the page renders it.
  Segment.prototype.render = function (words, text) {
    var line = this.line;
    var editor = this.editor;
    line.textContent = "";
    if (!words || !words.length) {
      line.textContent = text;
    } else {
      words.forEach(function (word, position) {
        if (position > 0 && word.word.charAt(0) === " ") line.appendChild(document.createTextNode(" "));
        var span = document.createElement("span");
        span.className = "word";
        span.dataset.start = Number(word.start).toFixed(3);
        span.dataset.end = Number(word.end).toFixed(3);
        span.textContent = word.word.replace(/ /g, "");
        if (word.uncertain === true) markUncertain(span, word.confidence, editor.msg);
        line.appendChild(span);
      });
    }
    this.readWords();
    // The word being followed was one of the old spans: the player's next tick finds the new one.
    var current = this.editor.currentWord;
    if (current && !current.element.isConnected) this.editor.currentWord = null;
  };

  // A word to check: the same marks as the page renders (a dotted line and a "?" in the CSS, its
  // confidence in the tooltip, a description for screen readers).
  function markUncertain(span, confidence, msg) {
    span.classList.add("is-uncertain");
    span.setAttribute("data-uncertain", "");
    span.setAttribute("aria-describedby", UNCERTAIN_HINT_ID);
    if (typeof confidence === "number") {
      span.dataset.confidence = confidence.toFixed(3);
      span.title = msg.msgUncertainTitle.replace("{percent}", String(Math.round(confidence * 100)));
    } else {
      span.title = msg.msgUncertainBare;
    }
  }

  function unmarkUncertain(span) {
    span.classList.remove("is-uncertain", "is-uncertain-current");
    ["data-uncertain", "data-confidence", "aria-describedby", "title"].forEach(function (name) {
      span.removeAttribute(name);
    });
  }

  // Rebuild the line once nobody types in it, and only if it still says what the words say.
  Segment.prototype.renderFresh = function () {
    if (!this.freshWords || document.activeElement === this.field) return;
    if (this.value() === this.saved) this.render(this.freshWords, this.saved);
    this.freshWords = null;
  };

  Segment.prototype.readWords = function () {
    this.words = Array.prototype.map.call(this.element.querySelectorAll(".word"), function (span) {
      return { element: span, start: parseFloat(span.dataset.start), end: parseFloat(span.dataset.end) };
    });
  };

  Segment.prototype.isDirty = function () {
    return Boolean(this.field) && this.value() !== this.saved;
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

  function Editor(root) {
    this.root = root;
    this.msg = root.dataset;
    this.version = parseInt(root.dataset.version, 10);
    this.validated = root.dataset.validated === "true";
    this.player = root.querySelector("[data-player]");
    var editor = this;
    this.segments = Array.prototype.map.call(root.querySelectorAll("[data-segment]"), function (el) {
      return new Segment(editor, el, !editor.validated);
    });
    this.queue = Promise.resolve();
    this.current = null; // the segment being played
    this.currentWord = null;
    this.frame = null;
    // The uncertain word being checked: its segment, its place ({position, index}) and its span.
    this.uncertain = null;
    this.shareQueue = Promise.resolve();
    this.uncertainControls = root.querySelector("[data-uncertain-controls]");
    this.nameLanguages();
    this.bindClicks();
    this.bindFields();
    this.bindPlayer();
    this.bindControls();
    this.bindValidation();
    this.bindSpeakerForms();
    this.bindUncertain();
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

  // A click on a word plays from it. In the line being corrected, it only moves the audio there
  // (a click there is mostly to place the caret; starting the sound each time would be a nuisance).
  Editor.prototype.bindClicks = function () {
    var editor = this;
    this.root.addEventListener("mousedown", function (event) {
      var line = event.target.closest ? event.target.closest("[data-segment-text]") : null;
      editor.clickedWhileEditing = Boolean(line) && document.activeElement === line;
    });
    this.root.addEventListener("click", function (event) {
      var seek = event.target.closest("[data-seek], .word");
      if (!seek || !editor.player) return;
      var seconds = parseFloat(seek.dataset.seek || seek.dataset.start);
      if (seek.classList.contains("word") && editor.clickedWhileEditing) {
        editor.player.currentTime = seconds;
      } else {
        editor.playFrom(seconds);
      }
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

  Editor.prototype.skip = function (seconds) {
    if (!this.player) return;
    var length = isFinite(this.player.duration) ? this.player.duration : Infinity;
    this.player.currentTime = Math.max(0, Math.min(length, this.player.currentTime + seconds));
  };

  var RATE_KEY = "parlure.playbackRate";

  // The buttons under the player (-5 s, play/pause, +5 s) and the speed, remembered between pages.
  Editor.prototype.bindControls = function () {
    var controls = this.root.querySelector("[data-player-controls]");
    if (!controls || !this.player) return;
    var editor = this;
    var player = this.player;
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.hasAttribute("data-toggle-play")) editor.togglePlay();
      else if (button.dataset.skip) editor.skip(parseFloat(button.dataset.skip));
    });
    var toggle = controls.querySelector("[data-toggle-play]");
    var label = function () {
      toggle.textContent = player.paused ? toggle.dataset.labelPlay : toggle.dataset.labelPause;
    };
    ["play", "pause", "ended"].forEach(function (type) { player.addEventListener(type, label); });
    var speed = controls.querySelector("[data-speed]");
    var stored = null;
    try { stored = window.localStorage.getItem(RATE_KEY); } catch (error) { /* storage off */ }
    if (stored && speed.querySelector('option[value="' + stored + '"]')) speed.value = stored;
    var apply = function () {
      player.playbackRate = parseFloat(speed.value);
      player.defaultPlaybackRate = player.playbackRate;
    };
    apply();
    player.addEventListener("loadedmetadata", apply); // a new source resets the rate
    speed.addEventListener("change", function () {
      apply();
      try { window.localStorage.setItem(RATE_KEY, speed.value); } catch (error) { /* storage off */ }
    });
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
    var focusable = target.field || target.element.querySelector("[data-seek]");
    if (focusable) focusable.focus();
    if (this.player) this.player.currentTime = target.start;
    if (!focusable || !isTyping(focusable)) this.reveal(target);
  };

  // --- Correcting ----------------------------------------------------------------------------

  Editor.prototype.bindFields = function () {
    var editor = this;
    this.segments.forEach(function (segment) {
      var field = segment.field;
      if (!field) return;
      field.addEventListener("input", function () { segment.onInput(); });
      field.addEventListener("blur", function () {
        if (segment.isDirty()) editor.save(segment);
        else segment.renderFresh();
      });
      // One line per segment: Enter saves instead of breaking the line (and, after correcting
      // the uncertain word being checked, goes on to the next one). Alt+Enter is the editor's.
      field.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.isComposing && !event.altKey) {
          event.preventDefault();
          editor.saveAndMoveOn(segment);
        }
      });
      // Pasted text arrives as plain text on one line; insertText keeps the browser's undo.
      field.addEventListener("paste", function (event) {
        var data = event.clipboardData;
        if (!data) return;
        event.preventDefault();
        var text = data.getData("text/plain").replace(/\s+/g, " ");
        if (!document.execCommand("insertText", false, text)) {
          var selection = window.getSelection();
          if (!selection.rangeCount) return;
          var range = selection.getRangeAt(0);
          range.deleteContents();
          range.insertNode(document.createTextNode(text));
          range.collapse(false);
          segment.onInput();
        }
      });
      // Dropped markup would bring formatting in: drop only text.
      field.addEventListener("drop", function (event) {
        if (event.dataTransfer && !event.dataTransfer.types.includes("text/plain")) event.preventDefault();
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
    var text = segment.value();
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
    segment.saved = typeof data.text === "string" ? tidy(data.text) : sent;
    if (typeof data.transcript_version === "number") this.version = data.transcript_version;
    this.root.dataset.version = String(this.version);
    // The server's words for this text, timed: the line is rebuilt from them now, or when the
    // person leaves it (rebuilding under the caret would lose it and the undo history).
    if (segment.saved !== before && Array.isArray(data.words)) {
      segment.freshWords = data.words;
      if (segment.value() === sent) segment.renderFresh();
      else segment.freshWords = null; // typed on meanwhile: the next save brings newer words
    }
    if (segment.isDirty()) {
      segment.setState("unsaved", this.msg.msgUnsaved);
      segment.onInput();
    } else {
      segment.setState("saved", this.msg.msgSaved);
    }
    if (segment.saved !== before) {
      this.refreshSoon();
      this.refreshShare();
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
    });
    // Outside the editor: the whole transcript's register and how sure, scores, sentence counts.
    var area = this.root.closest("#result") || this.root.parentElement;
    [".verdict", ".scores", ".sentence-counts", ".facts"].forEach(function (selector) {
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

  // --- Uncertain words ---------------------------------------------------------------------------

  Editor.prototype.bindUncertain = function () {
    var controls = this.uncertainControls;
    if (!controls) return;
    var editor = this;
    this.acceptButton = controls.querySelector("[data-uncertain-accept]");
    this.uncertainStatus = controls.querySelector("[data-uncertain-status]");
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.uncertainStep) editor.goUncertain(parseInt(button.dataset.uncertainStep, 10));
      else if (button.hasAttribute("data-uncertain-accept")) editor.accept();
    });
  };

  // Every word still to check, in reading order: {segment, position, index, element}.
  Editor.prototype.uncertainWords = function () {
    var found = [];
    this.segments.forEach(function (segment, position) {
      var spans = segment.line ? segment.line.querySelectorAll(".word") : [];
      Array.prototype.forEach.call(spans, function (span, index) {
        if (span.hasAttribute("data-uncertain")) {
          found.push({ segment: segment, position: position, index: index, element: span });
        }
      });
    });
    return found;
  };

  function before(a, b) {
    return a.position < b.position || (a.position === b.position && a.index < b.index);
  }

  // Alt+N (step 1) and Alt+Shift+N (step -1): from the word being checked to the next one to
  // check, round to the first (or last) one at the end; it is selected, in sight, and played
  // from just before it. ``done`` is said first ("Accepted.").
  Editor.prototype.goUncertain = function (step, done) {
    var words = this.uncertainWords();
    var at = this.uncertain;
    if (!words.length) {
      this.setUncertain(null);
      this.announce(done ? done + " " + this.msg.msgUncertainNone : this.msg.msgUncertainNone);
      return;
    }
    var target = null;
    var wrapped = false;
    if (!at) {
      target = step > 0 ? words[0] : words[words.length - 1];
    } else if (step > 0) {
      target = words.filter(function (word) { return before(at, word); })[0] || null;
      if (!target) { target = words[0]; wrapped = true; }
    } else {
      var earlier = words.filter(function (word) { return before(word, at); });
      target = earlier[earlier.length - 1] || null;
      if (!target) { target = words[words.length - 1]; wrapped = true; }
    }
    this.setUncertain(target);
    this.select(target);
    if (this.player) this.playFrom(Math.max(0, parseFloat(target.element.dataset.start) - UNCERTAIN_LEAD_SECONDS));
    var position = this.msg.msgUncertainPosition
      .replace("{position}", String(words.indexOf(target) + 1))
      .replace("{total}", String(words.length));
    var back = step > 0 ? this.msg.msgUncertainWrapped : this.msg.msgUncertainWrappedBack;
    this.announce([done, wrapped && words.length > 1 ? back : "", position].filter(Boolean).join(" "));
  };

  Editor.prototype.setUncertain = function (target) {
    if (this.uncertain && this.uncertain.element) {
      this.uncertain.element.classList.remove("is-uncertain-current");
    }
    this.uncertain = target;
    if (target) target.element.classList.add("is-uncertain-current");
    if (this.acceptButton) this.acceptButton.disabled = !(target && target.segment.field);
  };

  // In a line that may be corrected, the word is selected: typing replaces it. Elsewhere the
  // word itself takes the focus.
  Editor.prototype.select = function (target) {
    var span = target.element;
    var field = target.segment.field;
    if (field) {
      field.focus({ preventScroll: true });
      var range = document.createRange();
      range.selectNodeContents(span);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    } else {
      span.tabIndex = -1;
      span.focus({ preventScroll: true });
    }
    // Centred: the sticky player above the transcript must not hide it.
    span.scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
  };

  Editor.prototype.announce = function (text) {
    if (!this.uncertainStatus) return;
    // The same words twice are announced again only if the text changes in between.
    this.uncertainStatus.textContent = "";
    var status = this.uncertainStatus;
    window.setTimeout(function () { status.textContent = text; }, 50);
  };

  // Alt+Enter and the button: the word being checked is right. Its flag goes on the server,
  // then the next word to check. A line corrected meanwhile is saved instead, then the next.
  Editor.prototype.accept = function () {
    var at = this.uncertain;
    if (!at || !at.segment.field || this.accepting) {
      if (!at) this.goUncertain(1);
      return;
    }
    var segment = at.segment;
    if (segment.isDirty() || !at.element.isConnected) {
      this.saveAndMoveOn(segment);
      return;
    }
    var editor = this;
    var url = this.root.dataset.acceptUrlTemplate
      .replace("__INDEX__", segment.index)
      .replace("__WORD__", String(at.index));
    this.accepting = true;
    http.postJson(url, { word: at.element.textContent }, this.csrf())
      .then(function (answer) {
        editor.accepting = false;
        if (!answer.ok) {
          editor.announce(http.errorText(answer.data, editor.msg.msgError));
          return;
        }
        unmarkUncertain(at.element);
        editor.refreshShare();
        editor.goUncertain(1, editor.msg.msgUncertainAccepted);
      })
      .catch(function () {
        editor.accepting = false;
        editor.announce(editor.msg.msgError);
      });
  };

  // Enter in a line, or accepting a word of a line corrected meanwhile: save it; when it held
  // the word being checked, the line is made again of the server's words and the next word
  // to check is selected. (Autosave never moves on: the person may still be typing.)
  Editor.prototype.saveAndMoveOn = function (segment) {
    var editor = this;
    var moveOn = Boolean(this.uncertain && this.uncertain.segment === segment);
    return this.save(segment).then(function () {
      if (!moveOn || segment.isDirty() || segment.state === "error") return;
      if (segment.freshWords && segment.value() === segment.saved) {
        segment.render(segment.freshWords, segment.saved);
        segment.freshWords = null;
      }
      editor.goUncertain(1);
    });
  };

  // The share of words to check, as the server counts it now (its sentence, plurals and all).
  Editor.prototype.refreshShare = function () {
    var editor = this;
    var shown = this.root.querySelector("[data-uncertain-share]");
    if (!shown) return;
    this.shareQueue = this.shareQueue.then(function () {
      return http.getHtml(editor.root.dataset.resultUrl).then(function (fragment) {
        var fresh = fragment.querySelector("[data-uncertain-share]");
        if (fresh) shown.textContent = fresh.textContent;
      }).catch(function () { /* the next change tries again */ });
    });
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

  // A speaker's name or a segment's speaker is a plain form (it reloads the page): corrections
  // still being typed are saved first, so that the reload loses nothing.
  Editor.prototype.bindSpeakerForms = function () {
    var editor = this;
    this.root.querySelectorAll("[data-speaker-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!editor.hasPending()) {
          editor.leaving = true;
          return;
        }
        event.preventDefault();
        editor.saveAll().then(function () {
          if (editor.hasPending()) return;
          editor.leaving = true;
          form.submit();
        });
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
    if (!editor || event.defaultPrevented) return;
    var key = event.key;
    var alt = event.altKey && !event.ctrlKey && !event.metaKey;
    if ((event.ctrlKey && event.code === "Space") || (alt && event.code === "KeyK")) {
      if (!editor.player) return;
      event.preventDefault();
      editor.togglePlay();
    } else if (alt && (event.code === "KeyJ" || event.code === "KeyL")) {
      if (!editor.player) return;
      event.preventDefault();
      editor.skip(event.code === "KeyJ" ? -SKIP_SECONDS : SKIP_SECONDS);
    } else if (alt && event.code === "KeyN") {
      event.preventDefault();
      editor.goUncertain(event.shiftKey ? -1 : 1);
    } else if (alt && key === "Enter" && !event.isComposing) {
      if (editor.validated) return;
      event.preventDefault();
      editor.accept();
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

  document.addEventListener("keydown", onKeydown);
  window.addEventListener("beforeunload", onBeforeUnload);
  document.addEventListener("parlure:result-updated", init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
