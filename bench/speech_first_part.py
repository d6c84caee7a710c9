"""Decoding a recording of up to 30 s of speech in one part or in two: time, first segment, WER.

    apt-get install asterisk-core-sounds-fr-g722    # real French speech with its text
    .venv/bin/python bench/speech_first_part.py     # ~10 min on 2 cores

Whisper decodes 30 s windows, and a window's segments all come when it is done: a recording of
up to 30 s of speech showed its first segment only at the end. The transcriber now cuts such
speech in the quietest 200 ms near 10 s (`FIRST_PART_S` in parlure_ml/speech/transcriber.py) and
decodes the two parts one after the other, so the first part's segments (and their register)
reach the page while the rest is decoded.

The clips: Asterisk's Canadian French prompts (see bench/word_confidence.py), joined with 0.6 s
of silence into clips of ~30 s, each with the prompts' text as its reference. Each clip is
transcribed both ways by the same loaded model, in alternating order, with the portal's options.
Printed per way: the median and total time, the median time to the first segment (and its share
of the clip's time), and the WER (accents folded, digits read as words).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import word_confidence as wc  # bench/ is not a package
from speech import edit_distance

GAP_S = 0.6
CLIP_S = 24.0  # prompts are added until the clip reaches this much audio (plus the last one)


def clips(limit: int, folder: Path) -> list[tuple[np.ndarray, str]]:
    from parlure_ml.speech.audio import decode_audio

    made: list[tuple[np.ndarray, str]] = []
    parts: list[np.ndarray] = []
    texts: list[str] = []
    gap = np.zeros(int(GAP_S * 16_000), dtype=np.float32)
    for _name, text, path in wc.prompts(wc.SOUNDS, wc.TEXT):
        parts += [decode_audio(wc.g722_to_wav(path, folder)), gap]
        texts.append(text)
        if sum(len(p) for p in parts) >= CLIP_S * 16_000:
            made.append((np.concatenate(parts), " ".join(texts)))
            parts, texts = [], []
            if len(made) >= limit:
                break
    return made


def main(argv: list[str] | None = None) -> int:
    from parlure_ml.speech.confidence import tokens
    from parlure_ml.speech.transcriber import FIRST_PART_S, Transcriber

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=42)
    parser.add_argument("--first-part", type=float, default=FIRST_PART_S or 10.0)
    args = parser.parse_args(argv)
    transcriber = Transcriber.load()
    ways: dict[str, float | None] = {
        "one part": None,
        f"cut near {args.first_part:g} s": args.first_part,
    }
    times: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
    errors = dict.fromkeys(ways, 0)
    words = 0
    with tempfile.TemporaryDirectory() as folder:
        made = clips(args.clips, Path(folder))
        for index, (audio, text) in enumerate(made):
            path = Path(folder) / f"clip{index}.wav"
            with wave.open(str(path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(16_000)
                out.writeframes((np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes())
            reference = wc.comparable(tokens(text))
            words += len(reference)
            order = list(ways) if index % 2 == 0 else list(reversed(ways))
            for way in order:
                first: list[float] = []

                def arrived(_segment: object, first: list[float] = first) -> None:
                    if not first:
                        first.append(time.perf_counter())

                started = time.perf_counter()
                transcript = transcriber.transcribe(
                    path, first_part_s=ways[way], second_decode=False, on_segment=arrived
                )
                total = time.perf_counter() - started
                times[way].append((total, (first[0] - started) if first else total))
                errors[way] += edit_distance(reference, wc.comparable(tokens(transcript.text)))
    seconds = statistics.mean(len(audio) / 16_000 for audio, _ in made)
    print(f"{len(made)} clips of {seconds:.1f} s on average, {words} reference words")
    for way, rows in times.items():
        totals = [total for total, _ in rows]
        firsts = [first for _, first in rows]
        print(
            f"{way:>16}: median {statistics.median(totals):.2f} s, total {sum(totals):.1f} s; "
            f"first segment after {statistics.median(firsts):.2f} s (median), "
            f"{statistics.median(f / t for t, f in rows):.0%} of the clip's time; "
            f"WER {errors[way] / words:.1%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
