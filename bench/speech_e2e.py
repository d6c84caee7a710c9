"""Upload-to-label latency of a ~30 s French recording, measured from outside like a browser.

Against a running portal (`manage.py runportal 127.0.0.1:PORT`), this signs up a throw-away
account, then for each run: posts the clip to /api/v1/submissions/audio/ as the page's script
does (multipart, the session and its CSRF token), and polls the API's status of the submission
until the job is finished (transcript stored, then the register of the whole and of each
segment). The
clock starts just before the upload and stops at the first poll that answers `done`. The first
run is a throw-away warm-up (models loaded, files cached) and is not counted.

Each run also notes when the first decoded segment showed in the status (and the page), when the
first one had its register, and when the transcription ended (the status left `transcribing`).

`--reference` times, before each portal run and in this process, faster-whisper alone on the
same clip (Whisper base int8 from the assembled models, French, beam 5, word timestamps, its
other defaults: no VAD filter, no language detection), and prints the ratio of the two medians:
the portal's cost over the model's own, measured in one run.

    .venv/bin/python bench/speech_e2e.py --base-url http://127.0.0.1:8000 --runs 5 --reference

The clip is LONG_FRENCH synthesized with espeak-ng (`parlure_ml.speech.synth`), `--repeat` times
in a row, or `--file`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from submit_latency import Browser  # noqa: E402

from parlure_ml.speech.audio import probe_audio  # noqa: E402
from parlure_ml.speech.synth import LONG_FRENCH, synthesize  # noqa: E402


def multipart(
    fields: dict[str, str], name: str, filename: str, content: bytes
) -> tuple[bytes, str]:
    """A multipart/form-data body with one file: (body, content type)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: audio/wav\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload_body(browser: Browser, audio: bytes, filename: str) -> tuple[bytes, str]:
    """The form the page's script posts, with a fresh CSRF token: (body, content type)."""
    _url, page = browser.get("/soumissions/nouvelle/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token on /soumissions/nouvelle/")
    fields = {
        "csrfmiddlewaretoken": match.group(1),
        "source": "upload",
        "client_token": str(uuid.uuid4()),
    }
    return multipart(fields, "file", filename, audio)


def run_once(browser: Browser, audio: bytes, filename: str, poll: float) -> dict[str, object]:
    body, content_type = upload_body(browser, audio, filename)  # the CSRF fetch is not timed
    # As the page's script does: the API, with the session and its CSRF token.
    request = urllib.request.Request(
        browser.base_url + "/api/v1/submissions/audio/",
        data=body,
        headers={
            "Content-Type": content_type,
            "Accept": "application/json",
            "Referer": browser.base_url + "/soumissions/nouvelle/",
        },
    )
    started = time.perf_counter()
    with browser.opener.open(request, timeout=60) as response:
        if response.status != 201:
            raise RuntimeError(f"upload answered {response.status}")
        links = json.loads(response.read())["links"]
    uploaded = time.perf_counter() - started
    status_path = urllib.parse.urlparse(links["status"]).path
    first_seen: dict[str, float] = {}
    while True:
        _url, text = browser.get(status_path)
        data = json.loads(text)
        now = time.perf_counter() - started
        first_seen.setdefault(data["status"], now)
        live = data.get("live_segments") or []
        if live:
            first_seen.setdefault("segment", now)
        if any(segment["label"] for segment in live):
            first_seen.setdefault("segment label", now)
        if data["finished"]:
            break
        time.sleep(poll)
    finished = time.perf_counter() - started
    _url, html = browser.get(urllib.parse.urlparse(links["page"]).path + "resultat/")
    label = re.search(r"register-(soutenu|neutre|familier)", html)
    return {
        "total": finished,
        "uploaded": uploaded,
        "transcribing": first_seen.get("transcribing"),
        "classifying": first_seen.get("classifying"),
        "segment": first_seen.get("segment"),
        "segment label": first_seen.get("segment label"),
        # The transcription ended at the first poll that no longer saw it running.
        "transcribed": min(
            (at for state, at in first_seen.items() if state in ("classifying", "done")),
            default=None,
        ),
        "status": data["status"],
        "label": label.group(1) if label else "-",
        "labels": len(re.findall(r"register-(?:soutenu|neutre|familier)", html)),
    }


class RawTranscriber:
    """faster-whisper alone, in this process, asked what the portal's speech worker asks."""

    def __init__(self) -> None:
        # Nothing of the portal's models in this process (no torch): faster-whisper alone.
        from parlure_ml.paths import default_model_dir, force_offline
        from parlure_ml.speech.sources import WHISPER_SUBDIR

        force_offline()
        from faster_whisper import WhisperModel

        threads = os.environ.get("PARLURE_TORCH_THREADS") or len(os.sched_getaffinity(0))
        self.model = WhisperModel(
            str(default_model_dir() / WHISPER_SUBDIR),
            device="cpu",
            compute_type="int8",  # the portal's (parlure_ml.speech.transcriber.COMPUTE_TYPE)
            cpu_threads=int(threads),
            local_files_only=True,
        )

    def seconds(self, path: Path) -> float:
        started = time.perf_counter()
        # faster-whisper's defaults otherwise (no VAD filter): the model's own cost.
        segments, _info = self.model.transcribe(
            str(path), language="fr", beam_size=5, word_timestamps=True
        )
        for _segment in segments:  # lazy: decoded as the loop asks
            pass
        return time.perf_counter() - started


def describe(result: dict[str, object]) -> str:
    def seen(state: str) -> str:
        at = result[state]
        return f"{at:5.2f} s" if isinstance(at, float) else "   -   "

    return (
        f"{result['total']:6.2f} s  (upload answered {result['uploaded']:.2f} s, transcribing "
        f"seen {seen('transcribing')}, first segment {seen('segment')}, its register "
        f"{seen('segment label')}, transcribed {seen('transcribed')})  "
        f"{result['status']:5s} {result['label']}, "
        f"{result['labels']} register labels on the page"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=5, help="timed runs, after one warm-up")
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between status polls")
    parser.add_argument("--file", type=Path, help="audio file (default: ~30 s synthesized)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="synthesize the text this many times in a row (3: a ~90 s clip of 3 windows)",
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="before each run, time faster-whisper alone on the clip here; print the ratio",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        name = f"french-{30 * args.repeat}s.wav"
        path = args.file or synthesize(" ".join([LONG_FRENCH] * args.repeat), Path(tmp) / name)
        return measure(args, path)


def measure(args: argparse.Namespace, path: Path) -> int:
    audio = path.read_bytes()
    seconds = probe_audio(path, max_seconds=24 * 3600).duration_s
    print(f"clip: {path.name}, {seconds:.1f} s, {len(audio) / 1e6:.2f} MB; portal {args.base_url}")
    reference = RawTranscriber() if args.reference else None

    browser = Browser(args.base_url)
    password = uuid.uuid4().hex
    browser.post_form(
        "/compte/inscription/",
        {"email": f"bench-{uuid.uuid4().hex[:10]}@example.org", "display_name": "Bench",
         "password1": password, "password2": password},
    )  # fmt: skip

    if reference is not None:
        print(f"warm-up, faster-whisper alone (not counted): {reference.seconds(path):.2f} s")
    print(f"warm-up (not counted): {describe(run_once(browser, audio, path.name, args.poll))}")
    totals: list[float] = []
    raws: list[float] = []
    for run in range(args.runs):
        if reference is not None:
            # The portal's workers are idle meanwhile: the two never compete for the cores.
            raws.append(reference.seconds(path))
            print(f"run {run + 1}: faster-whisper alone {raws[-1]:.2f} s")
        result = run_once(browser, audio, path.name, args.poll)
        if result["status"] != "done":
            print(f"run {run + 1}: {describe(result)}  <- not done, not counted")
            continue
        totals.append(float(result["total"]))  # type: ignore[arg-type]
        print(f"run {run + 1}: {describe(result)}")
    if not totals:
        print("no run finished with status done")
        return 1
    print(
        f"\nupload-to-label of a {path.name} clip over {len(totals)} runs: median "
        f"{statistics.median(totals):.2f} s, mean {statistics.mean(totals):.2f} s, "
        f"min {min(totals):.2f} s, max {max(totals):.2f} s"
    )
    if raws:
        print(
            f"faster-whisper alone on the same clip, same runs: median "
            f"{statistics.median(raws):.2f} s (min {min(raws):.2f} s, max {max(raws):.2f} s)\n"
            f"ratio upload-to-label / faster-whisper alone (medians): "
            f"{statistics.median(totals) / statistics.median(raws):.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
