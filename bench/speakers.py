"""How well are speakers told apart? Prints the figures for two-voice mixes.

    .venv/bin/python bench/speakers.py [--keep DIR]

Mixes: a French dialogue of eight turns, alternating between two espeak-ng voices
(`parlure_ml.speech.synth.synthesize_dialogue`, 0.8 s between turns), for several pairs of
voices: a man and a woman, and two voices of the same sex at different pitches. Each mix is
transcribed by the portal's path (`Transcriber.transcribe`, beam 5, VAD), then every segment is
labelled by `parlure_ml.speech.speakers` with the number of speakers found (auto) and given (2).

Figures per mix and mode: the share of speech attributed to the right speaker (the time where a
transcript segment overlaps a turn, under the mapping of labels to voices that gets most time
right), the share of the turns' time that segments cover at all, and the number of speakers
found. espeak-ng voices are all one synthesizer: no real recordings were available offline.
`--keep DIR` also writes each mix as DIR/<name>.wav, to run `manage.py transcribe` on.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from parlure_ml.speech.audio import decode_audio  # noqa: E402
from parlure_ml.speech.speakers import cluster_speakers, embed_spans, get_voice_encoder  # noqa: E402
from parlure_ml.speech.synth import Turn, Voice, synthesize_dialogue  # noqa: E402
from parlure_ml.speech.transcriber import Transcriber  # noqa: E402

DIALOGUE = [
    "Bonjour, comment allez-vous ce matin ?",
    "Très bien, merci. Je reviens du marché, il y avait beaucoup de monde.",
    "Vous avez trouvé des légumes pour le repas de dimanche ?",
    "Oui, des tomates, des courgettes et un beau melon.",
    "Parfait. Mes parents arrivent samedi soir avec les enfants.",
    "Alors il faudra préparer la chambre du fond et acheter du pain.",
    "Je m'en occupe demain matin avant d'aller au travail.",
    "Merci beaucoup, à demain alors.",
]
MIXES = {
    "homme-femme": (Voice("fr+m2", 40), Voice("fr+f3", 70)),
    "femme-homme": (Voice("fr+f2", 60), Voice("fr+m1", 45)),
    "homme-homme": (Voice("fr+m3", 30), Voice("fr+m7", 65)),
    "femme-femme": (Voice("fr+f1", 65), Voice("fr+f4", 40)),
}


def attributed_share(
    turns: list[Turn], spans: list[tuple[float, float]], labels: list[str]
) -> tuple[float, float]:
    """(share of covered speech with the right speaker, share of the turns' time covered)."""
    names = sorted(set(labels))
    speakers = sorted({turn.speaker for turn in turns})
    overlap = np.zeros((len(names), len(speakers)))
    for (start, end), label in zip(spans, labels, strict=True):
        for turn in turns:
            seconds = min(end, turn.end) - max(start, turn.start)
            if seconds > 0:
                overlap[names.index(label), speakers.index(turn.speaker)] += seconds
    from scipy.optimize import linear_sum_assignment

    rows, columns = linear_sum_assignment(overlap, maximize=True)
    right = overlap[rows, columns].sum()
    covered = overlap.sum()
    total = sum(turn.end - turn.start for turn in turns)
    return (right / covered if covered else 0.0), covered / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keep", type=Path, help="also write each mix to this folder")
    args = parser.parse_args()
    transcriber = Transcriber.load()
    encoder = get_voice_encoder()
    print("| mix | voices | speech s | covered | right (auto) | found (auto) | right (2) |")
    print("|---|---|---|---|---|---|---|")
    totals = {"auto": [0.0, 0.0], "2": [0.0, 0.0]}
    with tempfile.TemporaryDirectory() as tmp:
        for name, voices in MIXES.items():
            path = Path(tmp) / f"{name}.wav"
            turns = synthesize_dialogue(enumerate_turns(), voices, path)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, args.keep / path.name)
            transcript = transcriber.transcribe(path, detect_language=False)
            spans = [(segment.start, segment.end) for segment in transcript.segments]
            started = time.perf_counter()
            embeddings = embed_spans(decode_audio(path), spans, encoder)
            embed_s = time.perf_counter() - started
            auto = cluster_speakers(embeddings)
            given = cluster_speakers(embeddings, speakers=2)
            right_auto, covered = attributed_share(turns, spans, auto)
            right_given, _ = attributed_share(turns, spans, given)
            speech = sum(turn.end - turn.start for turn in turns)
            for mode, right in (("auto", right_auto), ("2", right_given)):
                totals[mode][0] += right * covered * speech
                totals[mode][1] += covered * speech
            described = " / ".join(f"{v.name} -p {v.pitch}" for v in voices)
            print(
                f"| {name} | {described} | {speech:.1f} | {covered:.0%} | {right_auto:.1%} "
                f"| {len(set(auto))} | {right_given:.1%} |",
                flush=True,
            )
            print(
                f"  {len(spans)} segments, embedded in {embed_s:.1f} s: {' '.join(auto)}",
                file=sys.stderr,
                flush=True,
            )
    for mode, (right, covered) in totals.items():
        print(f"all mixes, {mode}: {right / covered:.1%} of the covered speech to the right voice")


def enumerate_turns() -> list[tuple[int, str]]:
    return [(index % 2, text) for index, text in enumerate(DIALOGUE)]


if __name__ == "__main__":
    main()
