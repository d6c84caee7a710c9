"""Stop-to-register latency of a ~30 s recording sent while it is made, beside the same clip sent
whole, measured from outside like a browser, in one run.

Against a running portal (`manage.py runportal 127.0.0.1:PORT`, with its asr and nlp workers),
this signs up a throw-away account, then for each run:

- live: starts a recording (`POST /api/v1/submissions/recordings/`), sends the clip as the
  page's MediaRecorder does, one chunk a second at real-time pace (`PUT …/recording/chunks/<n>/`,
  chunk n at n + 1 s), then finishes it (`POST …/recording/finish/`) and polls the status until
  `done`. The clock starts at the finish: what a person waits for after pressing stop.
- whole: uploads the same file at once (`POST /api/v1/submissions/audio/`, as the page did
  before) and polls until `done`: the clock starts at the upload.

The first run of each is a warm-up, not counted. The ratio is live over whole, medians.

    .venv/bin/python bench/live_recording.py --base-url http://127.0.0.1:8047 --runs 3

The clip is LONG_FRENCH (`parlure_ml.speech.synth`, espeak-ng, ~28 s), as WebM/Opus written live
(no duration in its header), cut into as many chunks as it has seconds.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from speech_e2e import multipart  # noqa: E402
from submit_latency import Browser  # noqa: E402

from annotation.tests.audio_fixtures import recorder_chunks  # noqa: E402
from parlure_ml.speech.synth import LONG_FRENCH, synthesize  # noqa: E402


class Client(Browser):
    """The page's script: the session, its CSRF token in a header, JSON or raw bodies."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def send(self, method: str, path: str, body: bytes, content_type: str) -> tuple[int, Any]:
        token = self.csrf_token()
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            method=method,
            headers={
                "Content-Type": content_type,
                "Accept": "application/json",
                "X-CSRFToken": token,
                "Referer": self.base_url + "/soumissions/nouvelle/",
            },
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def csrf_token(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def wait_done(self, status_path: str, poll: float) -> tuple[float, dict[str, Any]]:
        """Poll until finished; returns the time it was seen and the last status."""
        while True:
            _url, text = self.get(status_path)
            data = json.loads(text)
            if data["finished"]:
                return time.perf_counter(), data
            time.sleep(poll)


def path_of(url: str) -> str:
    return urllib.parse.urlparse(url).path


def live_once(client: Client, chunks: list[bytes], poll: float) -> dict[str, Any]:
    client.get("/soumissions/nouvelle/")  # the CSRF cookie, as the page has it
    payload = json.dumps({"client_token": str(uuid.uuid4())}).encode()
    code, started = client.send(
        "POST", "/api/v1/submissions/recordings/", payload, "application/json"
    )
    if code != 201:
        raise RuntimeError(f"start answered {code}: {started}")
    status_path = path_of(started["links"]["status"])
    begun = time.perf_counter()
    first_segment: float | None = None
    for index, chunk in enumerate(chunks):
        # MediaRecorder hands chunk n over once its second is recorded.
        while time.perf_counter() < begun + index + 1:
            if first_segment is None:
                _url, text = client.get(status_path)
                if json.loads(text)["live_segments"]:
                    first_segment = time.perf_counter() - begun
            time.sleep(min(0.2, max(0.0, begun + index + 1 - time.perf_counter())))
        code, answer = client.send(
            "PUT", f"{started['recording']['chunks']}{index}/", chunk, "audio/webm;codecs=opus"
        )
        if code != 200:
            raise RuntimeError(f"chunk {index} answered {code}: {answer}")
    _url, text = client.get(status_path)
    heard = len(json.loads(text)["live_segments"])
    finishing = time.perf_counter()
    code, answer = client.send("POST", started["recording"]["finish"], b"", "application/json")
    if code != 200:
        raise RuntimeError(f"finish answered {code}: {answer}")
    done_at, data = client.wait_done(status_path, poll)
    return {
        "seconds": done_at - finishing,
        "status": data["status"],
        "label": data["label"],
        "first_segment": first_segment,
        "heard": heard,
    }


def whole_once(client: Client, audio: bytes, poll: float) -> dict[str, Any]:
    client.get("/soumissions/nouvelle/")
    fields = {"csrfmiddlewaretoken": client.csrf_token(), "source": "recording"}
    body, content_type = multipart(
        {**fields, "client_token": str(uuid.uuid4())}, "file", "enregistrement.webm", audio
    )
    sent = time.perf_counter()
    code, answer = client.send("POST", "/api/v1/submissions/audio/", body, content_type)
    if code != 201:
        raise RuntimeError(f"upload answered {code}: {answer}")
    done_at, data = client.wait_done(path_of(answer["links"]["status"]), poll)
    return {"seconds": done_at - sent, "status": data["status"], "label": data["label"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each, after a warm-up")
    parser.add_argument("--poll", type=float, default=0.05, help="seconds between status polls")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wav = synthesize(LONG_FRENCH, Path(tmp) / "french-30s.wav").read_bytes()
    seconds = (len(wav) - 44) / (2 * 22050)
    chunks = recorder_chunks(wav, count=round(seconds))
    audio = b"".join(chunks)
    print(f"clip: LONG_FRENCH, {seconds:.1f} s, {len(chunks)} chunks; portal {args.base_url}")

    client = Client(args.base_url)
    password = uuid.uuid4().hex
    client.post_form(
        "/compte/inscription/",
        {"email": f"bench-{uuid.uuid4().hex[:10]}@example.org", "display_name": "Bench",
         "password1": password, "password2": password},
    )  # fmt: skip

    warm = whole_once(client, audio, args.poll)
    print(f"warm-up, whole (not counted): {warm['seconds']:.2f} s {warm['status']}")
    lives: list[float] = []
    wholes: list[float] = []
    for run in range(args.runs + 1):
        live = live_once(client, chunks, args.poll)
        whole = whole_once(client, audio, args.poll)
        first = live["first_segment"]
        print(
            f"{'warm-up' if run == 0 else f'run {run}'}: live, finish to register "
            f"{live['seconds']:.2f} s ({live['status']} {live['label']}; first segment shown "
            f"{'-' if first is None else f'{first:.1f} s'} into the recording, "
            f"{live['heard']} segments heard before the stop); whole, upload to register "
            f"{whole['seconds']:.2f} s ({whole['status']} {whole['label']})"
        )
        if run and live["status"] == "done" and whole["status"] == "done":
            lives.append(live["seconds"])
            wholes.append(whole["seconds"])
    if not lives:
        print("no run finished with both done")
        return 1
    live_median, whole_median = statistics.median(lives), statistics.median(wholes)
    print(
        f"\n{len(lives)} runs, medians: live recording, stop to register {live_median:.2f} s; "
        f"the same clip sent whole, upload to register {whole_median:.2f} s; "
        f"ratio {live_median / whole_median:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
