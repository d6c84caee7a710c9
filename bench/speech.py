"""Speech benchmarks on this machine: transcription speed, memory, and accuracy. Prints figures.

    .venv/bin/python bench/speech.py              # speed: 30 s and ~5 min, beam 5/1, batched or not
    .venv/bin/python bench/speech.py --accuracy   # WER: `manage.py transcribe` vs plain Whisper

Speed: French speech synthesized with espeak-ng (`parlure_ml.speech.synth`): a ~30 s clip
(LONG_FRENCH) and a ~5 min one (varied paragraphs, two voices, short pauses). Each is
transcribed with the portal's own path (`Transcriber.transcribe`: VAD, language detection, word
timings) and with faster-whisper's `BatchedInferencePipeline` over the same loaded model (same
VAD, same detection pass first), at beam 5 and beam 1. Speed is "x real time" (audio seconds
per second of processing; higher is faster), best and median of `--repeats` runs after one
warm-up. Then `manage.py transcribe` on the 30 s clip, timed as a subprocess from process start
to exit, model load included. WER of each transcript against the text given to espeak-ng is
shown too: robotic speech, so compare configurations with it, not with real recordings.

Accuracy: several texts, two voices and two speeds; each clip goes through
`manage.py transcribe` (one process, the portal's defaults) and through faster-whisper called
directly (`WhisperModel(dir, compute_type="int8").transcribe(path, language="fr", beam_size=5)`,
no VAD); WER per clip and overall (errors summed over clips / reference words).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parlure_ml.memory import rss_mb as _rss_mb  # noqa: E402
from parlure_ml.speech.confidence import tokens as normalize  # noqa: E402  (one word splitter)
from parlure_ml.speech.synth import FRENCH_VOICE, LONG_FRENCH, WORDS_PER_MINUTE  # noqa: E402

SECOND_VOICE = "fr+f3"
PAUSE_S = 0.7  # silence between paragraphs of the long clip
LONG_TARGET_S = 300.0
BATCH_SIZE = 8

# No digits: Whisper writes numbers as figures, which a word-level WER would count as errors.
PARAGRAPHS = [
    LONG_FRENCH,
    "Le marché du samedi matin attire beaucoup de monde. On y trouve des légumes de saison, du "
    "fromage de chèvre et du pain encore chaud. Les marchands connaissent leurs clients par leur "
    "prénom et leur gardent les plus belles tomates. À midi, tout le monde range les étals et la "
    "place redevient calme jusqu'à la semaine suivante.",
    "Madame, Monsieur, je me permets de vous écrire au sujet de la réunion prévue le mois "
    "prochain. Je vous serais reconnaissant de bien vouloir me faire parvenir l'ordre du jour "
    "ainsi que la liste des participants. Je vous prie d'agréer l'expression de mes salutations "
    "distinguées.",
    "Franchement, hier soir, c'était trop bien. On est allés au cinéma avec les copains, puis on "
    "a mangé une pizza chez Julien. Il a raconté des blagues toute la soirée, on rigolait comme "
    "des fous. Bon, je suis rentré super tard et ce matin j'avais vraiment la tête dans le "
    "brouillard.",
    "La bibliothèque municipale propose désormais des ateliers d'écriture pour les adolescents. "
    "Chaque mercredi après-midi, une romancière aide les participants à inventer des personnages "
    "et à construire une histoire. À la fin de l'année, les meilleurs textes seront réunis dans "
    "un petit livre offert à toutes les familles.",
    "Pour préparer une bonne soupe de légumes, il faut d'abord éplucher les carottes, les "
    "poireaux et les pommes de terre. Coupez-les en morceaux, puis faites-les cuire dans une "
    "grande casserole d'eau salée pendant une demi-heure. Ajoutez un peu de crème et de poivre "
    "avant de servir bien chaud.",
    "Le train pour Lyon partira avec un léger retard en raison d'un incident technique. Les "
    "voyageurs sont invités à patienter dans la salle d'attente. Nous vous prions de nous "
    "excuser pour la gêne occasionnée et vous remercions de votre compréhension.",
    "Au bord de la mer, le vent souffle fort depuis ce matin. Les bateaux de pêche sont restés "
    "au port et les vagues viennent se briser contre la digue. Quelques promeneurs courageux "
    "marchent sur la plage, le col relevé, en regardant les mouettes tourner au-dessus de l'eau.",
]


# --- audio -------------------------------------------------------------------------------------


def _unbatched(transcriber: Any, path: Path, beam: int) -> str:
    return str(transcriber.transcribe(path, beam_size=beam).text)


def espeak(
    text: str, path: Path, *, voice: str = FRENCH_VOICE, wpm: int = WORDS_PER_MINUTE
) -> Path:
    """Like `synth.synthesize`, with a choice of speed (words per minute)."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise SystemExit("espeak-ng is not installed; run: apt-get install espeak-ng")
    subprocess.run(
        [binary, "-v", voice, "-s", str(wpm), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    return path


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def join_wavs(parts: Iterable[Path], path: Path, pause_s: float) -> Path:
    """Concatenate WAVs of one format (espeak-ng's), with `pause_s` of silence between them."""
    with wave.open(str(path), "wb") as out:
        params = None
        for index, part in enumerate(parts):
            with wave.open(str(part), "rb") as wav:
                if params is None:
                    params = wav.getparams()
                    out.setparams(params)
                elif wav.getparams()[:3] != params[:3]:
                    raise ValueError(f"{part}: not the format of the first part")
                if index:
                    out.writeframes(b"\0" * params.sampwidth * int(pause_s * params.framerate))
                out.writeframes(wav.readframes(wav.getnframes()))
    return path


def long_clip(folder: Path) -> tuple[Path, str]:
    """~5 min: every paragraph in turn, the voice alternating, until LONG_TARGET_S is reached."""
    parts: list[Path] = []
    texts: list[str] = []
    total, index = 0.0, 0
    while total < LONG_TARGET_S:
        text = PARAGRAPHS[index % len(PARAGRAPHS)]
        voice = (FRENCH_VOICE, SECOND_VOICE)[(index + index // len(PARAGRAPHS)) % 2]
        part = espeak(text, folder / f"part{index:02d}.wav", voice=voice)
        total += wav_duration(part) + (PAUSE_S if parts else 0.0)
        parts.append(part)
        texts.append(text)
        index += 1
    return join_wavs(parts, folder / "french-5min.wav", PAUSE_S), " ".join(texts)


# --- word error rate ---------------------------------------------------------------------------


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Substitutions + deletions + insertions: Levenshtein on words."""
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
            )
        previous = current
    return previous[-1]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference words)."""
    ref = normalize(reference)
    return edit_distance(ref, normalize(hypothesis)), len(ref)


def wer(reference: str, hypothesis: str) -> float:
    errors, words = word_errors(reference, hypothesis)
    return errors / max(words, 1)


# --- speed -------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def batched_transcribe(transcriber, pipeline, path: Path, *, beam_size: int) -> str:
    """`Transcriber.transcribe`'s steps, with the batched pipeline for the transcription."""
    import numpy as np
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from parlure_ml.speech.audio import decode_audio

    audio = decode_audio(path)
    chunks = get_speech_timestamps(audio, VadOptions())
    if not chunks:
        return ""
    speech = np.concatenate([audio[c["start"] : c["end"]] for c in chunks])
    transcriber.model.detect_language(audio=speech)  # the portal's warning pass, kept for parity
    segments, _info = pipeline.transcribe(
        audio,
        language="fr",
        beam_size=beam_size,
        batch_size=BATCH_SIZE,
        vad_filter=True,  # the same default VadOptions
        word_timestamps=True,
        condition_on_previous_text=False,
    )
    return " ".join(segment.text.strip() for segment in segments)


@dataclass
class Row:
    what: str
    audio_s: float
    runs: list[float]
    wer: float | None
    rss_mb: float
    peak_mb: float

    def cells(self) -> str:
        best, median = min(self.runs), statistics.median(self.runs)
        error = f"{self.wer:6.1%}" if self.wer is not None else "     -"
        return (
            f"{self.what:<44} {self.audio_s:6.1f} {best:8.2f} {median:8.2f} "
            f"{self.audio_s / best:7.1f}x {self.audio_s / median:7.1f}x {error} "
            f"{self.rss_mb:6.0f} {self.peak_mb:6.0f}"
        )


HEADER = (
    f"{'configuration':<44} {'audio':>6} {'best s':>8} {'median s':>8} {'best':>8} "
    f"{'median':>8} {'WER':>6} {'RSS':>6} {'peak':>6}\n"
    f"{'':<44} {'s':>6} {'':>8} {'':>8} {'x real':>8} {'x real':>8} {'':>6} {'MB':>6} {'MB':>6}"
)


def timed(fn: Callable[[], str], repeats: int) -> tuple[list[float], str]:
    runs, text = [], ""
    for _ in range(repeats):
        started = time.perf_counter()
        text = fn()
        runs.append(time.perf_counter() - started)
    return runs, text


def speed(folder: Path, repeats: int, skip_long: bool) -> None:
    started = time.perf_counter()
    import faster_whisper

    from parlure_ml.backbone.encoder import torch_threads
    from parlure_ml.speech.transcriber import Transcriber

    imported = time.perf_counter()
    loads = []
    for _ in range(max(2, repeats)):
        t0 = time.perf_counter()
        transcriber = Transcriber.load()
        loads.append(time.perf_counter() - t0)
    pipeline = faster_whisper.BatchedInferencePipeline(transcriber.model)

    short = espeak(LONG_FRENCH, folder / "french-30s.wav")
    clips = [("30 s", short, LONG_FRENCH)]
    if not skip_long:
        long_path, long_text = long_clip(folder)
        clips.append(("5 min", long_path, long_text))

    print(f"machine            {os.cpu_count()} CPUs, shared with other work; threads "
          f"{torch_threads()} (PARLURE_TORCH_THREADS)")  # fmt: skip
    print(f"faster-whisper     {faster_whisper.__version__}, model var/models/whisper-base, int8")
    for label, path, _text in clips:
        print(f"clip {label:<13} {wav_duration(path):6.1f} s  ({path.name})")
    print(f"import             {imported - started:6.2f} s")
    print(f"model load         {min(loads):6.2f} s best, " + ", ".join(f"{s:.2f}" for s in loads))
    print(f"RSS after load     {_rss_mb()[0]:6.0f} MB (peak {peak_rss_mb():.0f} MB)")
    transcriber.transcribe(short, beam_size=1)  # warm-up: first call allocates and picks kernels

    rows = []
    for label, path, reference in clips:
        duration = wav_duration(path)
        for beam in (5, 1):
            configs: list[tuple[str, Callable[[], str]]] = [
                (
                    f"{label} beam {beam} unbatched (portal)",
                    functools.partial(_unbatched, transcriber, path, beam),
                ),
                (
                    f"{label} beam {beam} batched (batch_size {BATCH_SIZE})",
                    functools.partial(
                        batched_transcribe, transcriber, pipeline, path, beam_size=beam
                    ),
                ),
            ]
            for what, fn in configs:
                runs, text = timed(fn, repeats)
                row = Row(what, duration, runs, wer(reference, text), _rss_mb()[0], peak_rss_mb())
                rows.append(row)
                print(row.cells(), flush=True)  # as it goes; the table is printed again below
    rows.extend(cli_rows(short, LONG_FRENCH, repeats))

    print()
    print(HEADER)
    for row in rows:
        print(row.cells())
    print("RSS/peak of the CLI rows: the subprocess's own peak (its VmHWM, polled from /proc).")


def manage_transcribe(paths: list[Path]) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `manage.py transcribe PATHS...`; (result, the child's peak RSS in MB).

    The peak is read from /proc while the child runs (its VmHWM, monotonic): the parent's
    RUSAGE_CHILDREN would count the parent's own memory, inherited by fork before exec.
    """
    command = [sys.executable, str(REPO / "manage.py"), "transcribe", *map(str, paths)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err, text=True)
        peak_kb = 0
        while child.poll() is None:
            try:
                status = Path(f"/proc/{child.pid}/status").read_text()
                peak_kb = max(peak_kb, int(status.split("VmHWM:")[1].split()[0]))
            except (OSError, IndexError, ValueError):
                pass  # exiting
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(command, child.returncode, out.read(), err.read())
    if done.returncode:
        raise SystemExit(f"manage.py transcribe failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done, peak_kb / 1024


def cli_rows(path: Path, reference: str, repeats: int) -> list[Row]:
    """`manage.py transcribe FILE` as a new process: start, Django, model load, transcription."""
    runs, text, peak = [], "", 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        done, child_peak = manage_transcribe([path])
        runs.append(time.perf_counter() - started)
        text = json.loads(done.stdout.splitlines()[0])["text"]
        peak = max(peak, child_peak)
        ready = re.search(r"model ready in ([\d.]+) s", done.stderr)
        print(f"manage.py transcribe: {runs[-1]:.2f} s wall, "
              f"model ready in {ready.group(1) if ready else '?'} s", flush=True)  # fmt: skip
    duration = wav_duration(path)
    return [Row("30 s manage.py transcribe, incl. start+load", duration, runs,
                wer(reference, text), peak, peak)]  # fmt: skip


# --- accuracy ----------------------------------------------------------------------------------


def accuracy(folder: Path) -> None:
    from parlure_ml.paths import default_model_dir, force_offline
    from parlure_ml.speech.sources import WHISPER_SUBDIR

    clips: list[tuple[Path, str, str, int]] = []
    for index, text in enumerate(PARAGRAPHS[1:7]):
        for v, voice in enumerate((FRENCH_VOICE, SECOND_VOICE)):
            wpm = (125, 160)[(index + v) % 2]  # each voice at both speeds across the texts
            path = espeak(text, folder / f"acc{index}-{voice.replace('+', '')}-{wpm}.wav",
                          voice=voice, wpm=wpm)  # fmt: skip
            clips.append((path, text, voice, wpm))
    total_audio = sum(wav_duration(path) for path, *_ in clips)
    print(f"{len(clips)} clips, {total_audio:.0f} s of audio, {len(clips) // 2} texts, "
          f"voices {FRENCH_VOICE} and {SECOND_VOICE}, 125 and 160 words/min")  # fmt: skip

    started = time.perf_counter()
    done, cli_peak = manage_transcribe([c[0] for c in clips])
    cli_s = time.perf_counter() - started
    portal = {
        Path(rec["path"]).name: rec["text"] for rec in map(json.loads, done.stdout.splitlines())
    }

    force_offline()
    from faster_whisper import WhisperModel

    model = WhisperModel(str(default_model_dir() / WHISPER_SUBDIR), compute_type="int8")
    started = time.perf_counter()
    plain = {}
    for path, *_ in clips:
        segments, _info = model.transcribe(str(path), language="fr", beam_size=5)
        plain[path.name] = " ".join(segment.text.strip() for segment in segments)
    plain_s = time.perf_counter() - started

    print(f"\n{'clip':<26} {'audio s':>7} {'words':>5} {'WER cli':>8} {'WER plain':>9}")
    sums = {"cli": 0, "plain": 0, "words": 0}
    for path, text, _voice, _wpm in clips:
        cli_errors, words = word_errors(text, portal[path.name])
        plain_errors, _ = word_errors(text, plain[path.name])
        sums["cli"] += cli_errors
        sums["plain"] += plain_errors
        sums["words"] += words
        print(f"{path.stem:<26} {wav_duration(path):7.1f} {words:5d} "
              f"{cli_errors / words:8.1%} {plain_errors / words:9.1%}")  # fmt: skip
    print(f"{'overall':<26} {total_audio:7.1f} {sums['words']:5d} "
          f"{sums['cli'] / sums['words']:8.1%} {sums['plain'] / sums['words']:9.1%}")  # fmt: skip
    print(
        f"\nwall time: manage.py transcribe {cli_s:.1f} s (one process, model load included, "
        f"peak RSS {cli_peak:.0f} MB); plain faster-whisper {plain_s:.1f} s (model loaded)"
    )
    worst = max(clips, key=lambda c: wer(c[1], portal[c[0].name]))
    print(f"\nworst clip for the CLI: {worst[0].stem}")
    print(f"  reference: {worst[1]}")
    print(f"  cli:       {portal[worst[0].name]}")
    print(f"  plain:     {plain[worst[0].name]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accuracy", action="store_true", help="WER instead of speed")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per configuration")
    parser.add_argument("--skip-long", action="store_true", help="only the 30 s clip")
    parser.add_argument("--keep", type=Path, help="write the synthesized clips here and keep them")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.accuracy:
            accuracy(folder)
        else:
            speed(folder, args.repeats, args.skip_long)
    return 0


if __name__ == "__main__":
    sys.exit(main())
