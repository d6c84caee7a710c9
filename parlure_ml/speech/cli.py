"""Transcribe files to JSON lines: `python -m parlure_ml.speech FILE...`.

One JSON object per file on stdout, in the order given; progress and timings on stderr. A file
that cannot be used gives `{"path": ..., "error": {"code": ..., "message": ...}}` and the others
still run. The model is loaded once, before the first file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Literal, TextIO

from parlure_ml.speech.audio import AudioError, decode_audio, probe_audio
from parlure_ml.speech.speakers import label_speakers, parse_speakers
from parlure_ml.speech.transcriber import Transcriber, get_transcriber

DEFAULT_MAX_SECONDS = 3600.0


def transcribe_files(
    paths: Sequence[str],
    *,
    out: TextIO,
    log: TextIO,
    language: str | None = "fr",
    detect_language: bool = False,
    beam_size: int = 5,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    transcriber: Transcriber | None = None,
    speakers: int | Literal["auto"] | None = None,
) -> int:
    """Write one JSON line per path to `out`; return how many files failed.

    `speakers` ("auto" or a number) adds a "speaker" ("S1", "S2"...) to each segment.
    """
    started = time.perf_counter()
    transcriber = transcriber or get_transcriber()
    print(f"model ready in {time.perf_counter() - started:.1f} s", file=log, flush=True)
    failures = 0
    for path in paths:
        started = time.perf_counter()
        try:
            info = probe_audio(path, max_seconds=max_seconds)
            transcript = transcriber.transcribe(
                path,
                language=language,
                beam_size=beam_size,
                max_seconds=max_seconds,
                # With the language given, the detector would only add a second per file.
                detect_language=detect_language,
            )
        except AudioError as exc:
            record: dict[str, object] = {
                "path": path,
                "error": {"code": exc.code, "message": exc.message},
            }
            print(f"{path}: {exc.code}: {exc.message}", file=log, flush=True)
            failures += 1
        except OSError as exc:  # missing or unreadable file
            record = {"path": path, "error": {"code": "unreadable", "message": str(exc)}}
            print(f"{path}: {exc}", file=log, flush=True)
            failures += 1
        else:
            fields = transcript.to_dict()
            if speakers is not None:
                labels = label_speakers(
                    decode_audio(path, max_seconds=max_seconds),
                    [(segment.start, segment.end) for segment in transcript.segments],
                    speakers=None if speakers == "auto" else speakers,
                )
                for segment, label in zip(fields["segments"], labels, strict=True):
                    segment["speaker"] = label
            record = {"path": path, **fields}
            elapsed = time.perf_counter() - started
            print(
                f"{path}: {info.duration_s:.1f} s of {info.codec} in {elapsed:.1f} s, "
                f"{len(transcript.segments)} segments"
                + (
                    f", heard {transcript.detected_language}"
                    if transcript.detected_language
                    else ""
                ),
                file=log,
                flush=True,
            )
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="+", metavar="FILE")
    parser.add_argument(
        "--language", default="fr", help='language code, or "auto" to transcribe what is heard'
    )
    parser.add_argument(
        "--detect-language", action="store_true", help="also report the language heard"
    )
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS)
    parser.add_argument("--speakers", type=speakers_option, metavar="auto|N", help=SPEAKERS_HELP)
    args = parser.parse_args(argv)
    failures = transcribe_files(
        args.paths,
        out=sys.stdout,
        log=sys.stderr,
        language=None if args.language == "auto" else args.language,
        detect_language=args.detect_language,
        beam_size=args.beam_size,
        max_seconds=args.max_seconds,
        speakers=args.speakers,
    )
    return 1 if failures else 0


SPEAKERS_HELP = 'label the speaker of each segment: "auto", or how many speakers there are'


def speakers_option(value: str) -> int | Literal["auto"]:
    """`--speakers` for argparse: "auto" or a number of speakers."""
    try:
        count = parse_speakers(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return "auto" if count is None else count
