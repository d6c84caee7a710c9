// Parlure: send French speech, either an imported file (picker or drag and drop) or a recording
// made in the page. The markup is templates/annotation/_audio_form.html; every sentence shown
// here comes from its data-msg-* attributes, so the script itself speaks no language.
// Without this script the import form still works as an ordinary multipart POST.
(function () {
  "use strict";

  var http = window.Parlure.http; // static/js/http.js

  // Included twice (by a page and by a partial, say): the first copy does the work.
  if (document.documentElement.hasAttribute("data-recorder-js")) return;
  document.documentElement.setAttribute("data-recorder-js", "");

  var ACCEPTED_EXTENSIONS = ["wav", "mp3", "m4a", "aac", "ogg", "opus", "webm", "flac"];
  // Preferred first: Opus in WebM is small and what the server expects from a recording.
  var RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

  function lang() {
    return document.documentElement.lang || undefined;
  }

  // "2:05" (or "1:02:05"): digits only, so no sentence to translate.
  function formatDuration(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  // "3,4 Mo" in French, "3.4 MB" in English: Intl knows the unit's name in the page's language.
  // Under a megabyte, kilobytes: "0 Mo" would say nothing.
  function formatSize(bytes) {
    var small = bytes < 1024 * 1024;
    var value = small ? Math.max(1, Math.round(bytes / 1024)) : bytes / (1024 * 1024);
    try {
      return new Intl.NumberFormat(lang(), {
        style: "unit", unit: small ? "kilobyte" : "megabyte", unitDisplay: "short",
        maximumFractionDigits: 1,
      }).format(value);
    } catch (error) {
      return value.toFixed(small ? 0 : 1) + (small ? " kB" : " MB");
    }
  }

  function newToken() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // randomUUID is missing outside secure contexts (plain http on a LAN): build a v4 UUID.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  function looksLikeAudio(file) {
    if (file.type && file.type.indexOf("audio/") === 0) return true;
    var dot = file.name.lastIndexOf(".");
    var extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";
    // video/webm and the like: browsers often guess a video type for audio-only containers.
    return ACCEPTED_EXTENSIONS.indexOf(extension) >= 0;
  }

  // The widget: shared state (token, message line, sending) and the two panels.
  function AudioWidget(root) {
    this.root = root;
    this.messages = root.dataset;
    this.maxBytes = parseFloat(root.dataset.maxMb) * 1024 * 1024;
    this.maxSeconds = parseFloat(root.dataset.maxSeconds);
    this.message = root.querySelector("[data-audio-message]");
    this.uploadForm = root.querySelector("[data-audio-upload]");
    this.tokenInput = this.uploadForm.querySelector("[data-client-token]");
    // A token already sent once belongs to that content: a retry of the same content reuses it
    // (the server then answers with the submission it already has), new content gets a new one.
    this.tokenUsed = false;
    this.sending = false;
    this.tabs = new Tabs(root.querySelector("[data-audio-tabs]"), this);
    this.upload = new UploadPanel(this);
    this.recorder = new RecorderPanel(this, root.querySelector("[data-audio-recorder]"));
    var widget = this;
    // A recording exists only in this page until it is sent: leaving would lose it.
    window.addEventListener("beforeunload", function (event) {
      if (widget.sending || !widget.recorder.hasUnsent()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  AudioWidget.prototype.say = function (text, isError) {
    this.message.textContent = text || "";
    this.message.classList.toggle("is-error", Boolean(isError));
  };

  AudioWidget.prototype.contentChanged = function () {
    if (this.tokenUsed) {
      this.tokenInput.value = newToken();
      this.tokenUsed = false;
    }
  };

  // Send to the API so that a refused file leaves the person on the page, with the reason; the
  // form's own action is for browsers without this script.
  AudioWidget.prototype.send = function (file, filename, source, button) {
    if (this.sending) return;
    var widget = this;
    var body = new FormData();
    body.append("file", file, filename);
    body.append("source", source);
    body.append("client_token", this.tokenInput.value);
    var speakers = this.root.querySelector("[data-speakers]");
    if (speakers && speakers.value) body.append("speakers", speakers.value);
    this.tokenUsed = true;
    this.setSending(true, button);
    this.say(this.messages.msgSending);
    http.send("POST", this.uploadForm.dataset.apiUrl, body, http.csrfToken(this.uploadForm))
      .then(function (answer) {
        var page = answer.ok && answer.data.links && answer.data.links.page;
        if (page) {
          widget.say(widget.messages.msgSent);
          window.location.assign(page);
          return; // stay "sending" while the next page loads: no second click
        }
        widget.setSending(false, button);
        widget.say(http.errorText(answer.data, widget.messages.msgNetwork), true);
      })
      .catch(function () {
        widget.setSending(false, button);
        widget.say(widget.messages.msgNetwork, true);
      });
  };

  AudioWidget.prototype.setSending = function (sending, button) {
    this.sending = sending;
    this.root.setAttribute("aria-busy", String(sending));
    this.root.querySelectorAll("[data-send], [data-record-start]")
      .forEach(function (element) { element.disabled = sending; });
    if (!sending) this.upload.refresh();
  };

  // ARIA tabs: arrow keys move between the two tabs, only the selected one is in the tab order.
  function Tabs(list, widget) {
    this.list = list;
    this.widget = widget;
    this.tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
    this.panels = this.tabs.map(function (tab) {
      return document.getElementById(tab.getAttribute("aria-controls"));
    });
    this.panels.forEach(function (panel) { panel.setAttribute("role", "tabpanel"); });
    list.hidden = false;
    var tabs = this;
    this.tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { tabs.select(index, false); });
      tab.addEventListener("keydown", function (event) { tabs.onKey(event, index); });
    });
    this.select(0, false);
  }

  Tabs.prototype.select = function (index, focus) {
    this.tabs.forEach(function (tab, i) {
      var selected = i === index;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    });
    this.panels.forEach(function (panel, i) { panel.hidden = i !== index; });
    if (focus) this.tabs[index].focus();
  };

  Tabs.prototype.onKey = function (event, index) {
    var count = this.tabs.length;
    var target = null;
    if (event.key === "ArrowRight") target = (index + 1) % count;
    else if (event.key === "ArrowLeft") target = (index - 1 + count) % count;
    else if (event.key === "Home") target = 0;
    else if (event.key === "End") target = count - 1;
    if (target === null) return;
    event.preventDefault();
    this.select(target, true);
  };

  // Import: the native file input stays the real control (keyboard, screen readers); the drop
  // zone around it only adds a bigger target for the mouse.
  function UploadPanel(widget) {
    this.widget = widget;
    this.form = widget.uploadForm;
    this.input = this.form.querySelector("input[type=file]");
    this.zone = this.form.querySelector("[data-dropzone]");
    this.info = this.form.querySelector("[data-file-info]");
    this.button = this.form.querySelector("[data-send]");
    this.form.querySelector("[data-drop-hint]").hidden = false;
    this.form.noValidate = true; // our own message, in the live region, instead of a tooltip
    var panel = this;
    this.input.addEventListener("change", function () { panel.onChosen(); });
    this.form.addEventListener("submit", function (event) { panel.onSubmit(event); });
    ["dragenter", "dragover"].forEach(function (type) {
      panel.zone.addEventListener(type, function (event) {
        if (!panel.hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
        panel.zone.classList.add("is-dragover");
      });
    });
    panel.zone.addEventListener("dragleave", function (event) {
      if (!panel.zone.contains(event.relatedTarget)) panel.zone.classList.remove("is-dragover");
    });
    panel.zone.addEventListener("drop", function (event) { panel.onDrop(event); });
    this.refresh();
  }

  UploadPanel.prototype.hasFiles = function (event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
  };

  UploadPanel.prototype.onDrop = function (event) {
    event.preventDefault();
    this.zone.classList.remove("is-dragover");
    var files = event.dataTransfer.files;
    if (!files || !files.length) return;
    // Putting the dropped file into the input keeps one source of truth for both ways.
    var transfer = new DataTransfer();
    transfer.items.add(files[0]);
    this.input.files = transfer.files;
    this.onChosen();
    this.button.focus();
  };

  UploadPanel.prototype.file = function () {
    return this.input.files && this.input.files[0];
  };

  // What is wrong with the chosen file, before sending it: the server checks again anyway.
  UploadPanel.prototype.problem = function (file) {
    if (file.size > this.widget.maxBytes) return this.widget.messages.msgTooLarge;
    if (!looksLikeAudio(file)) return this.widget.messages.msgNotAudio;
    return "";
  };

  UploadPanel.prototype.onChosen = function () {
    this.widget.contentChanged();
    var file = this.file();
    this.widget.say("");
    if (file) {
      var problem = this.problem(file);
      if (problem) this.widget.say(problem, true);
    }
    this.refresh();
  };

  UploadPanel.prototype.refresh = function () {
    var file = this.file();
    this.info.hidden = !file;
    this.info.textContent = file ? file.name + " — " + formatSize(file.size) : "";
    // A file over the size limit would only come back refused after the whole upload.
    this.button.disabled = this.widget.sending || Boolean(file && file.size > this.widget.maxBytes);
  };

  UploadPanel.prototype.onSubmit = function (event) {
    event.preventDefault();
    var file = this.file();
    if (!file) {
      this.widget.say(this.widget.messages.msgRequired, true);
      this.input.focus();
      return;
    }
    if (file.size > this.widget.maxBytes) {
      this.widget.say(this.widget.messages.msgTooLarge, true);
      return;
    }
    // A file that does not look like audio is still sent: the server has the last word.
    this.widget.send(file, file.name, "upload", this.button);
  };

  // Recording: microphone -> MediaRecorder (a chunk a second) and AnalyserNode (the level meter).
  // Each chunk is sent as it comes (LiveUpload), so the server transcribes while the person
  // speaks, and the segments it has heard show under the controls. Stop sends: the transcript
  // follows within moments on the result page, where the recording can be played and deleted.
  // (A "listen back, then send" step would make people wait for the transcript again.)
  function RecorderPanel(widget, panel) {
    this.widget = widget;
    this.panel = panel;
    this.startButton = panel.querySelector("[data-record-start]");
    this.stopButton = panel.querySelector("[data-record-stop]");
    this.discardButton = panel.querySelector("[data-record-discard]");
    this.elapsed = panel.querySelector("[data-elapsed]");
    this.levelWrap = panel.querySelector("[data-level-wrap]");
    this.level = panel.querySelector("[data-level]");
    this.levelFill = panel.querySelector("[data-level-fill]");
    this.heard = panel.querySelector("[data-live-heard]");
    this.heardList = panel.querySelector("[data-live-list]");
    panel.querySelector("[data-max-time]").textContent = formatDuration(widget.maxSeconds);
    var recorder = this;
    this.startButton.addEventListener("click", function () { recorder.start(); });
    this.stopButton.addEventListener("click", function () { recorder.stop(false); });
    this.discardButton.addEventListener("click", function () { recorder.discard(); });
    var unsupported = this.unsupportedMessage();
    if (unsupported) {
      this.startButton.disabled = true;
      this.startButton.setAttribute("aria-describedby", this.noteId(unsupported));
    }
  }

  RecorderPanel.prototype.unsupportedMessage = function () {
    if (!window.isSecureContext) return this.widget.messages.msgInsecure;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      return this.widget.messages.msgUnsupported;
    }
    return "";
  };

  // A note shown in the panel itself, so that it is read when the tab is opened.
  RecorderPanel.prototype.noteId = function (text) {
    var note = document.createElement("p");
    note.className = "message message-error";
    note.id = "recorder-unsupported";
    note.textContent = text;
    this.panel.insertBefore(note, this.panel.firstChild);
    return note.id;
  };

  RecorderPanel.prototype.mimeType = function () {
    for (var i = 0; i < RECORDING_TYPES.length; i += 1) {
      if (window.MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(RECORDING_TYPES[i])) {
        return RECORDING_TYPES[i];
      }
    }
    return ""; // the browser's default
  };

  RecorderPanel.prototype.start = function () {
    var recorder = this;
    if (this.widget.sending || this.media) return;
    this.startButton.disabled = true;
    this.widget.say("");
    navigator.mediaDevices.getUserMedia({ audio: true })
      .then(function (stream) { recorder.begin(stream); })
      .catch(function (error) {
        recorder.startButton.disabled = false;
        recorder.widget.say(recorder.errorMessage(error), true);
      });
  };

  RecorderPanel.prototype.errorMessage = function (error) {
    var m = this.widget.messages;
    switch (error && error.name) {
      case "NotAllowedError":
      case "SecurityError":
        return m.msgDenied;
      case "NotFoundError":
      case "OverconstrainedError":
        return m.msgNoMic;
      case "NotReadableError":
      case "AbortError":
        return m.msgMicBusy;
      default:
        return m.msgMicError;
    }
  };

  RecorderPanel.prototype.begin = function (stream) {
    var recorder = this;
    var type = this.mimeType();
    this.stream = stream;
    try {
      this.media = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    } catch (error) {
      this.releaseMicrophone();
      this.startButton.disabled = false;
      this.widget.say(this.widget.messages.msgUnsupported, true);
      return;
    }
    this.widget.contentChanged();
    var upload = (this.upload = new LiveUpload(this.widget, this));
    // This recording's own upload: a discarded one still gets its last chunk, and drops it.
    this.media.addEventListener("dataavailable", function (event) {
      if (event.data && event.data.size) upload.add(event.data);
    });
    this.media.addEventListener("stop", function () { recorder.stopped(upload); });
    // A chunk a second: each is sent at once, so the server hears the recording as it goes.
    this.media.start(1000);
    this.startedAt = performance.now();
    this.startMeter(stream);
    this.ticker = window.setInterval(function () { recorder.tick(); }, 250);
    this.startButton.hidden = true;
    this.stopButton.hidden = false;
    this.discardButton.hidden = false;
    this.stopButton.focus();
    this.levelWrap.hidden = false;
    this.showHeard([]);
    this.heard.hidden = false;
    this.panel.classList.add("is-recording");
    this.widget.say(this.widget.messages.msgRecording);
  };

  RecorderPanel.prototype.tick = function () {
    var seconds = (performance.now() - this.startedAt) / 1000;
    this.elapsed.textContent = formatDuration(seconds);
    if (seconds >= this.widget.maxSeconds) this.stop(true);
  };

  // Stop the microphone; `send` false when the recording is discarded.
  RecorderPanel.prototype.halt = function () {
    window.clearInterval(this.ticker);
    this.stopMeter();
    this.releaseMicrophone();
    this.stopButton.hidden = true;
    this.discardButton.hidden = true;
    this.panel.classList.remove("is-recording");
  };

  RecorderPanel.prototype.stop = function (atLimit) {
    if (!this.media || this.media.state === "inactive") return;
    this.stoppedAtLimit = atLimit;
    this.sendOnStop = true;
    this.media.stop(); // "stop" then fires, after the last dataavailable
    this.halt();
    this.widget.setSending(true, this.startButton);
    this.widget.say(atLimit ? this.widget.messages.msgLimitReached : this.widget.messages.msgSending,
      Boolean(atLimit));
  };

  RecorderPanel.prototype.stopped = function (upload) {
    if (this.upload === upload) this.media = null;
    if (!this.sendOnStop) return;
    this.sendOnStop = false;
    upload.finish();
  };

  // The person does not want it: stop, and delete what the server received.
  RecorderPanel.prototype.discard = function () {
    if (!this.media) return;
    this.sendOnStop = false;
    this.media.stop();
    this.media = null;
    this.halt();
    this.upload.discard();
    this.reset();
    this.widget.say(this.widget.messages.msgDiscarded);
    this.startButton.focus();
  };

  // The browser shows a "microphone in use" sign until every track is stopped.
  RecorderPanel.prototype.releaseMicrophone = function () {
    if (this.stream) this.stream.getTracks().forEach(function (track) { track.stop(); });
    this.stream = null;
  };

  // After a recording that could not be sent: ready to record again.
  RecorderPanel.prototype.reset = function () {
    this.upload = null;
    this.startButton.hidden = false;
    this.startButton.disabled = false;
    this.elapsed.textContent = formatDuration(0);
    this.heard.hidden = true;
    this.showHeard([]);
  };

  RecorderPanel.prototype.hasUnsent = function () {
    return Boolean(this.media || (this.upload && !this.upload.done));
  };

  // The segments the server has decoded so far, each with its register once read. Only what
  // changed is rewritten, so that the polite live region announces the new segments only.
  RecorderPanel.prototype.showHeard = function (segments) {
    var m = this.widget.messages;
    var list = this.heardList;
    this.heard.classList.toggle("is-empty", !segments.length);
    segments.forEach(function (segment, index) {
      var key = [segment.text, segment.label || "", segment.uncertain ? "?" : ""].join("|");
      var item = list.children[index];
      if (item && item.dataset.key === key) return;
      var fresh = document.createElement("li");
      fresh.className = "live-segment";
      fresh.dataset.key = key;
      fresh.setAttribute("data-live-segment", String(segment.index));
      var time = document.createElement("span");
      time.className = "segment-time";
      time.textContent = formatDuration(segment.start);
      var chip = document.createElement("span");
      if (segment.label) {
        chip.className = "sentence-chip register-" + segment.label + (segment.uncertain ? " hesitant" : "");
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = m.msgRegister + " ";
        chip.appendChild(hidden);
        chip.appendChild(document.createTextNode(segment.label));
        if (segment.uncertain) {
          var mark = document.createElement("span");
          mark.setAttribute("aria-hidden", "true");
          mark.textContent = " ?";
          chip.appendChild(mark);
          var said = document.createElement("span");
          said.className = "visually-hidden";
          said.textContent = " (" + m.msgHesitant + ")";
          chip.appendChild(said);
        }
      } else {
        chip.className = "sentence-chip pending";
        chip.textContent = m.msgReading;
      }
      var text = document.createElement("span");
      text.className = "live-text";
      text.textContent = segment.text;
      fresh.append(time, " ", chip, " ", text);
      if (item) list.replaceChild(fresh, item);
      else list.appendChild(fresh);
    });
    while (list.children.length > segments.length) list.removeChild(list.lastChild);
  };

  // The chunks of one recording, sent to the server in order while it is made, then "finish".
  // Every chunk stays in memory until the end: after a network failure, or a 409 saying which
  // chunk the server expects, they are sent again from there.
  function LiveUpload(widget, recorder) {
    this.widget = widget;
    this.recorder = recorder;
    this.chunks = [];
    this.next = 0; // the first chunk the server does not have
    this.busy = false;
    this.failures = 0;
    this.done = false;
    this.finishing = false;
    var upload = this;
    var speakers = widget.root.querySelector("[data-speakers]");
    var payload = { client_token: widget.tokenInput.value };
    if (speakers && speakers.value) payload.speakers = speakers.value;
    widget.tokenUsed = true;
    this.started = this.request("POST", recorder.panel.dataset.startUrl, payload)
      .then(function (answer) {
        if (!answer.ok) throw new Error(http.errorText(answer.data, widget.messages.msgNetwork));
        upload.submission = answer.data;
        upload.pump();
        upload.poll();
      });
    this.started.catch(function (error) {
      upload.startError = error;
    });
  }

  LiveUpload.prototype.request = function (method, url, body) {
    return http.send(method, url, body, http.csrfToken(this.widget.uploadForm));
  };

  LiveUpload.prototype.add = function (blob) {
    if (this.discarded) return;
    this.chunks.push(blob);
    this.pump();
  };

  // Send the next chunk the server lacks, one request at a time.
  LiveUpload.prototype.pump = function () {
    var upload = this;
    if (this.busy || !this.submission || this.discarded) return;
    if (this.next >= this.chunks.length) {
      if (this.finishing) this.sendFinish();
      return;
    }
    var index = this.next;
    this.busy = true;
    this.request("PUT", this.submission.recording.chunks + index + "/", this.chunks[index])
      .then(function (answer) {
        upload.busy = false;
        if (answer.ok) {
          upload.failures = 0;
          upload.next = Math.max(upload.next, answer.data.next_chunk);
        } else if (answer.status === 409 && typeof answer.data.expected === "number") {
          upload.next = answer.data.expected;
        } else if (answer.status === 409 || answer.status === 400 || answer.status === 413 ||
                   answer.status === 404) {
          upload.fail(http.errorText(answer.data, upload.widget.messages.msgNetwork));
          return;
        } else {
          upload.retryLater();
          return;
        }
        upload.pump();
      })
      .catch(function () {
        upload.busy = false;
        upload.retryLater();
      });
  };

  // A network or server hiccup: the chunks are kept here, and sent again a little later.
  LiveUpload.prototype.retryLater = function () {
    var upload = this;
    this.failures += 1;
    if (this.failures === 2) this.widget.say(this.widget.messages.msgRetrying, true);
    window.setTimeout(function () { upload.pump(); }, Math.min(1000 * this.failures, 5000));
  };

  // The server refused the recording (too long, too large): stop, and say why.
  LiveUpload.prototype.fail = function (message) {
    this.discarded = true;
    this.done = true;
    if (this.recorder.media) {
      this.recorder.sendOnStop = false;
      this.recorder.media.stop();
      this.recorder.media = null;
      this.recorder.halt();
    }
    this.widget.setSending(false, this.recorder.startButton);
    this.recorder.reset();
    this.widget.say(message, true);
  };

  // The recorder stopped: once every chunk is there, the server may transcribe the end.
  LiveUpload.prototype.finish = function () {
    var upload = this;
    this.finishing = true;
    if (this.startError) {
      // The recording could not be opened on the server: send it whole, as a file.
      this.done = true;
      var type = (this.chunks[0] && this.chunks[0].type) || "audio/webm";
      var blob = new Blob(this.chunks, { type: type });
      if (!blob.size) return this.fail(this.widget.messages.msgEmpty);
      this.widget.setSending(false, this.recorder.startButton);
      this.widget.send(blob, filenameFor(type), "recording", this.recorder.startButton);
      return;
    }
    this.started.then(function () { upload.pump(); }, function () { upload.finish(); });
  };

  LiveUpload.prototype.sendFinish = function () {
    var upload = this;
    if (this.finishSent) return;
    this.finishSent = true;
    this.request("POST", this.submission.recording.finish)
      .then(function (answer) {
        if (answer.ok) {
          upload.done = true;
          upload.widget.say(upload.widget.messages.msgSent);
          window.location.assign(upload.submission.links.page);
          return; // stay "sending" while the next page loads
        }
        if (answer.status >= 500) {
          upload.finishSent = false;
          upload.retryLater();
          return;
        }
        upload.fail(http.errorText(answer.data, upload.widget.messages.msgNetwork));
      })
      .catch(function () {
        upload.finishSent = false;
        upload.retryLater();
      });
  };

  LiveUpload.prototype.discard = function () {
    var upload = this;
    this.discarded = true;
    this.done = true;
    this.started.then(function () {
      return upload.request("DELETE", upload.submission.links.self);
    }).catch(function () { /* expired by the server within the hour */ });
  };

  // The status of the recording every second while it is made: the segments heard so far.
  LiveUpload.prototype.poll = function () {
    var upload = this;
    var step = function () {
      if (upload.discarded || upload.done) return;
      http.getJson(upload.submission.links.status)
        .then(function (status) {
          if (!upload.discarded) upload.recorder.showHeard(status.live_segments || []);
        })
        .catch(function () { /* the next poll tries again */ })
        .then(function () { window.setTimeout(step, 1000); });
    };
    window.setTimeout(step, 1000);
  };

  function filenameFor(type) {
    if (type.indexOf("ogg") >= 0) return "enregistrement.ogg";
    if (type.indexOf("mp4") >= 0) return "enregistrement.m4a";
    return "enregistrement.webm";
  }

  // Level meter: the loudness of the last few milliseconds, on a decibel scale (-60 dB .. 0 dB)
  // because that is how loudness is heard; the bar is drawn each frame, the ARIA value is only
  // updated a few times a second so that screen readers are not flooded.
  RecorderPanel.prototype.startMeter = function (stream) {
    var AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) return;
    var recorder = this;
    this.audioContext = new AudioContextClass();
    var source = this.audioContext.createMediaStreamSource(stream);
    var analyser = this.audioContext.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    var samples = new Float32Array(analyser.fftSize);
    var lastAria = 0;
    var draw = function (now) {
      analyser.getFloatTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i += 1) sum += samples[i] * samples[i];
      var rms = Math.sqrt(sum / samples.length);
      var db = rms > 0 ? 20 * Math.log10(rms) : -100;
      var level = Math.min(1, Math.max(0, (db + 60) / 60));
      recorder.levelFill.style.transform = "scaleX(" + level.toFixed(3) + ")";
      if (now - lastAria > 500) {
        recorder.level.setAttribute("aria-valuenow", String(Math.round(level * 100)));
        lastAria = now;
      }
      recorder.meterFrame = window.requestAnimationFrame(draw);
    };
    this.meterFrame = window.requestAnimationFrame(draw);
  };

  RecorderPanel.prototype.stopMeter = function () {
    if (this.meterFrame) window.cancelAnimationFrame(this.meterFrame);
    this.meterFrame = null;
    if (this.audioContext) this.audioContext.close();
    this.audioContext = null;
    this.levelFill.style.transform = "scaleX(0)";
    this.level.setAttribute("aria-valuenow", "0");
    this.levelWrap.hidden = true;
  };

  function init() {
    document.querySelectorAll("[data-audio-widget]").forEach(function (root) {
      if (root.dataset.ready) return; // the script may be included twice
      root.dataset.ready = "1";
      new AudioWidget(root);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
