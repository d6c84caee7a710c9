"""Does a vocabulary help the speech model spell names and jargon? Prints the figures.

    .venv/bin/python bench/vocabulary.py

Clips: French sentences containing names of people and places and medical or technical jargon,
synthesized with espeak-ng in two voices (`parlure_ml.speech.synth`), and control sentences with
none of those words. Every clip is transcribed by the portal's path (`Transcriber.transcribe`,
beam 5, VAD) with no vocabulary, then with the whole list of terms (as a corpus would keep it)
passed as faster-whisper's `hotwords`, as Whisper's `initial_prompt`, and as both.

Figures per mode: term recall (the share of the terms said in a clip that the transcript spells
exactly, case aside), word error rate on the clips with terms and on the control clips (where a
vocabulary must not make words up), and the transcription time. espeak-ng is robotic speech:
compare the modes with each other, not with real recordings.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from speech import normalize, word_errors  # noqa: E402

from parlure_ml.speech.synth import synthesize  # noqa: E402
from parlure_ml.speech.transcriber import Transcriber  # noqa: E402

VOCABULARY = [
    "Aurélien Lemoigne", "Quimperlé", "Ouessant", "Plougastel", "Maëlys Kerbrat",
    "méthotrexate", "Doliprane", "Kubernetes", "Grafana", "Vendenheim", "Sézanne",
    "Gwenaëlle Tanguy", "scintigraphie", "Nextcloud", "Castelnaudary",
]  # fmt: skip
WITH_TERMS = [
    ("Le rendez-vous avec Aurélien Lemoigne est prévu jeudi à Quimperlé.",
     ["Aurélien Lemoigne", "Quimperlé"]),
    ("Nous prendrons le bateau pour Ouessant depuis le port de Plougastel.",
     ["Ouessant", "Plougastel"]),
    ("Maëlys Kerbrat a présenté les résultats de la scintigraphie au médecin.",
     ["Maëlys Kerbrat", "scintigraphie"]),
    ("Le médecin a prescrit du méthotrexate et un peu de Doliprane pour la fièvre.",
     ["méthotrexate", "Doliprane"]),
    ("Nous avons installé Kubernetes et Grafana sur le nouveau serveur.",
     ["Kubernetes", "Grafana"]),
    ("La réunion de Vendenheim a été reportée à cause de la neige à Sézanne.",
     ["Vendenheim", "Sézanne"]),
    ("Gwenaëlle Tanguy partage ses fichiers sur Nextcloud depuis Castelnaudary.",
     ["Gwenaëlle Tanguy", "Nextcloud", "Castelnaudary"]),
]  # fmt: skip
CONTROL = [
    "Le train de huit heures est parti avec dix minutes de retard ce matin.",
    "Il faut acheter du pain, des œufs et un peu de fromage pour ce soir.",
    "Les enfants ont joué dans le jardin pendant tout l'après-midi.",
    "La bibliothèque municipale ferme ses portes à dix-huit heures le samedi.",
]
VOICES = ["fr+m2", "fr+f3"]
MODES = [None, "hotwords", "prompt", "both"]


def spelled(term: str, transcript: str) -> bool:
    """The term's words appear in a row in the transcript, case and punctuation aside."""
    wanted, words = normalize(term), normalize(transcript)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


def main() -> None:
    transcriber = Transcriber.load()
    with tempfile.TemporaryDirectory() as folder:
        clips = []
        for voice in VOICES:
            for n, (text, terms) in enumerate(WITH_TERMS):
                path = synthesize(text, Path(folder) / f"t{n}-{voice}.wav", voice=voice)
                clips.append((path, text, terms))
            for n, text in enumerate(CONTROL):
                path = synthesize(text, Path(folder) / f"c{n}-{voice}.wav", voice=voice)
                clips.append((path, text, []))
        transcriber.transcribe(clips[0][0], detect_language=False)  # warm-up, not counted
        print(f"{len(clips)} clips ({len(VOICES)} voices), {len(VOCABULARY)} terms in the list")
        print("| vocabulary | term recall | WER, clips with terms | WER, control clips | time |")
        print("|---|---|---|---|---|")
        for mode in MODES:
            found = said = 0
            errors = {True: [0, 0], False: [0, 0]}
            started = time.perf_counter()
            for path, text, terms in clips:
                transcript = transcriber.transcribe(
                    path,
                    detect_language=False,
                    vocabulary=VOCABULARY if mode else (),
                    vocabulary_mode=mode or "hotwords",
                ).text
                found += sum(spelled(term, transcript) for term in terms)
                said += len(terms)
                wrong, words = word_errors(text, transcript)
                errors[bool(terms)][0] += wrong
                errors[bool(terms)][1] += words
            seconds = time.perf_counter() - started
            print(
                f"| {mode or 'none'} | {found}/{said} ({found / said:.0%}) "
                f"| {errors[True][0] / errors[True][1]:.1%} "
                f"| {errors[False][0] / errors[False][1]:.1%} | {seconds:.1f} s |",
                flush=True,
            )


if __name__ == "__main__":
    main()
