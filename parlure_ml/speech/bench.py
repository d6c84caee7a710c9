"""Speed and memory of speech transcription here: `python -m parlure_ml.speech.bench [FILE]`.

Without FILE, a ~30 s French clip is synthesized with espeak-ng. Reports the model's load time,
the real-time factor (processing time / audio duration; below 1 is faster than real time) at
beam 5 and beam 1, and resident memory.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import time
from pathlib import Path

from parlure_ml.memory import rss_mb as _rss_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("file", nargs="?", type=Path, help="audio file (default: synthesized)")
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.file
        if path is None:
            from parlure_ml.speech.synth import LONG_FRENCH, synthesize

            path = synthesize(LONG_FRENCH, Path(tmp) / "french.wav")
        _run(path, args.model_dir, args.repeats)
    return 0


def _run(path: Path, model_dir: Path | None, repeats: int) -> None:
    started = time.perf_counter()
    importlib.import_module("faster_whisper")  # imported first, so "model load" is only the load
    from parlure_ml.backbone.encoder import torch_threads
    from parlure_ml.speech.audio import probe_audio
    from parlure_ml.speech.transcriber import Transcriber

    imported = time.perf_counter()
    transcriber = Transcriber.load(model_dir)
    loaded = time.perf_counter()
    info = probe_audio(path, max_seconds=24 * 3600)
    print(
        f"audio              {path.name}: {info.duration_s:.1f} s, {info.codec}, {info.container}"
    )
    print(f"threads            {torch_threads()}")
    print(f"import             {imported - started:6.2f} s")
    print(f"model load         {loaded - imported:6.2f} s")
    print(f"RSS after load     {_rss_mb()[0]:6.0f} MB")
    for beam in (5, 1):
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            transcript = transcriber.transcribe(path, beam_size=beam)
            runs.append(time.perf_counter() - t0)
        best = min(runs)
        print(
            f"beam {beam}             {best:6.2f} s (best of {repeats}), real-time factor "
            f"{best / info.duration_s:.3f} ({info.duration_s / best:.1f}x real time), "
            f"{len(transcript.segments)} segments, heard {transcript.detected_language} "
            f"p(fr)={transcript.language_probability}"
        )
    print(f"text (beam 1)      {transcript.text[:160]}")
    current, peak = _rss_mb()
    print(f"RSS now / peak     {current:6.0f} / {peak:.0f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
