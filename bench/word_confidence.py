"""Word confidence on real French speech: collect, fit, and print what the `uncertain` flags catch.

    apt-get install asterisk-core-sounds-fr-g722    # real French speech with its reference text
    .venv/bin/python bench/word_confidence.py collect      # transcribe every prompt (~25 min)
    .venv/bin/python bench/word_confidence.py fit          # cross-validated figures
    .venv/bin/python bench/word_confidence.py fit --write  # and write the portal's calibration

The recordings: Asterisk's Canadian French prompts (Debian `asterisk-core-sounds-fr-g722`,
CC-BY-SA 3.0, read by June Wallack, 16 kHz G.722), whose `core-sounds-fr.txt` gives the text
of each. A human voice, read carefully, in a studio: cleaner than most uploads. Prompts without
words (tones, sound effects) and the single digits, letters and phonetic alphabet are left out.

`collect` runs the portal's own path (`Transcriber.transcribe`: VAD, beam 5, word timings) and
then the greedy decode (`Transcriber.greedy_text`) on each prompt, times both, aligns the beam
search's words with the reference (Levenshtein on lower-case words without punctuation) and
stores, per word, what the calibration reads and whether the word was wrong (substituted or
inserted). `fit` fits a logistic regression on those features, with and without the greedy
decode's agreement, scored out of fold: five folds grouped by the prompt's family (the part of
its name before the first "-", so that near-identical prompts never sit on both sides). It
prints, at the chosen threshold, the share of words flagged and the share of wrong words caught,
beside Whisper's raw probability flagging the same share of words.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
import unicodedata
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
from speech import edit_distance  # noqa: E402  (bench/ is not a package)

SOUNDS = Path("/usr/share/asterisk/sounds/fr_CA_f_June")
TEXT = Path("/usr/share/doc/asterisk-core-sounds-fr/core-sounds-fr.txt.gz")
DATA = ROOT / "var" / "speech" / "word-confidence-words.json"
LEFT_OUT = ("digits/", "letters/", "phonetic/", "silence/")
MAX_FLAGGED = 0.20  # the bounds: flag at most a fifth of the words...
MIN_CAUGHT = 0.50  # ...and catch at least half of the wrong ones
TARGET_FLAGGED = 0.175  # the threshold flags this share here, leaving some room


def prompts(sounds: Path, text: Path) -> list[tuple[str, str, Path]]:
    found = []
    with gzip.open(text, "rt", encoding="utf-8") as lines:
        for line in lines:
            name, sep, reference = line.partition(":")
            name, reference = name.strip(), reference.strip()
            if not sep or line.startswith(";") or name.startswith(LEFT_OUT):
                continue
            if not reference or any(ch in reference for ch in "[]()"):
                continue  # tones and sound effects
            path = sounds / f"{name}.g722"
            if path.is_file():
                found.append((name, reference, path))
    return found


def g722_to_wav(path: Path, folder: Path) -> Path:
    """Raw G.722 has no header for the portal's format probe: rewrap it as 16 kHz WAV."""
    import av

    with av.open(str(path), format="g722") as container:
        samples = np.concatenate(
            [frame.to_ndarray().reshape(-1) for frame in container.decode(audio=0)]
        )
    if samples.dtype != np.int16:
        samples = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    out = folder / f"{path.stem}.wav"
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(samples.tobytes())
    return out


def wrong_tokens(reference: list[str], hypothesis: list[str]) -> list[bool]:
    """For each hypothesis token, whether a minimal word alignment with the reference makes it
    a substitution or an insertion."""
    n, m = len(reference), len(hypothesis)
    cost = np.zeros((n + 1, m + 1), dtype=np.int32)
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i, j] = min(
                cost[i - 1, j] + 1,
                cost[i, j - 1] + 1,
                cost[i - 1, j - 1] + (reference[i - 1] != hypothesis[j - 1]),
            )
    wrong = [True] * m
    i, j = n, m
    while i > 0 and j > 0:
        same = reference[i - 1] == hypothesis[j - 1]
        if cost[i, j] == cost[i - 1, j - 1] + (not same):
            wrong[j - 1] = not same
            i, j = i - 1, j - 1
        elif cost[i, j] == cost[i, j - 1] + 1:
            j -= 1  # insertion: stays wrong
        else:
            i -= 1  # deletion: no hypothesis token
    return wrong


# Digits as words, so that "appuyez sur 2" and "appuyez sur deux" are the same words.
NUMBERS = dict(
    enumerate(
        [
            "zéro",
            "un",
            "deux",
            "trois",
            "quatre",
            "cinq",
            "six",
            "sept",
            "huit",
            "neuf",
            "dix",
            "onze",
            "douze",
            "treize",
            "quatorze",
            "quinze",
            "seize",
            "dix-sept",
            "dix-huit",
            "dix-neuf",
            "vingt",
        ]
    )
)


def comparable(words: list[str]) -> list[str]:
    """Words compared without accents, digits read as words: the reference text has its own
    accent typos ("vérrouiller", "déverouiller") that would count correct words as wrong."""
    out = []
    for word in words:
        if word.isdigit() and int(word) in NUMBERS:
            word = NUMBERS[int(word)]
        folded = unicodedata.normalize("NFD", word)
        out += "".join(ch for ch in folded if not unicodedata.combining(ch)).split("-")
    return out


def labels(words: list[dict[str, object]], references: dict[str, str]) -> list[bool]:
    """Whether each collected word is wrong (part of a substitution or an insertion)."""
    from parlure_ml.speech.confidence import tokens

    wrong: list[bool] = []
    at = 0
    while at < len(words):
        prompt = str(words[at]["prompt"])
        end = at
        while end < len(words) and words[end]["prompt"] == prompt:
            end += 1
        hypothesis: list[str] = []
        owners: list[int] = []
        for index, word in enumerate(words[at:end]):
            for token in comparable(tokens(str(word["word"]))):
                hypothesis.append(token)
                owners.append(index)
        flags = [False] * (end - at)
        for owner, bad in zip(
            owners, wrong_tokens(comparable(tokens(references[prompt])), hypothesis), strict=True
        ):
            flags[owner] = flags[owner] or bad
        wrong += flags
        at = end
    return wrong


def collect(args: argparse.Namespace) -> int:
    from parlure_ml.speech.audio import decode_audio
    from parlure_ml.speech.confidence import agreement
    from parlure_ml.speech.transcriber import Transcriber, speech_only

    found = prompts(args.sounds, args.text)
    if not found:
        print(f"no prompts under {args.sounds}: apt-get install asterisk-core-sounds-fr-g722")
        return 2
    transcriber = Transcriber.load()
    words: list[dict[str, object]] = []
    beam_s = greedy_s = audio_s = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for count, (name, _reference, path) in enumerate(found, 1):
            wav = g722_to_wav(path, Path(folder))
            started = time.perf_counter()
            transcript = transcriber.transcribe(wav, second_decode=False)
            beam_s += time.perf_counter() - started
            audio_s += transcript.duration_s
            started = time.perf_counter()
            speech, chunks = speech_only(decode_audio(wav))
            greedy = transcriber.greedy_text(speech, "fr", {}) if chunks else ""
            greedy_s += time.perf_counter() - started
            flat = [w for s in transcript.segments for w in s.words]
            agrees = agreement([w.word for w in flat], greedy)
            at = 0
            for segment_index, segment in enumerate(transcript.segments):
                for word in segment.words:
                    words.append(
                        {
                            "prompt": name,
                            "segment": segment_index,
                            "word": word.word,
                            "probability": word.probability,
                            "duration": round(word.end - word.start, 3),
                            "avg_logprob": segment.avg_logprob,
                            "no_speech_prob": segment.no_speech_prob,
                            "compression_ratio": segment.compression_ratio,
                            "agrees": agrees[at],
                        }
                    )
                    at += 1
            if count % 25 == 0:
                print(f"{count}/{len(found)} prompts", flush=True)
    args.data.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "prompts": len(found),
        "audio_s": round(audio_s, 1),
        "beam5_s": round(beam_s, 1),
        "greedy_s": round(greedy_s, 1),
    }
    args.data.write_text(json.dumps({"summary": summary, "words": words}, ensure_ascii=False))
    print(json.dumps(summary))
    print(f"the second (greedy) decode costs {greedy_s / beam_s:.0%} of the beam search's time")
    return 0


def features(words: list[dict[str, object]], with_agreement: bool) -> np.ndarray:
    from parlure_ml.speech.confidence import SegmentStats, feature_rows

    rows: list[list[float]] = []
    at = 0
    while at < len(words):
        key = (words[at]["prompt"], words[at]["segment"])
        end = at
        while end < len(words) and (words[end]["prompt"], words[end]["segment"]) == key:
            end += 1
        group = words[at:end]
        stats = SegmentStats(
            float(group[0]["avg_logprob"]),  # type: ignore[arg-type]
            float(group[0]["no_speech_prob"]),  # type: ignore[arg-type]
            float(group[0]["compression_ratio"]),  # type: ignore[arg-type]
        )
        rows += feature_rows(
            [float(w["probability"]) for w in group],  # type: ignore[arg-type]
            [float(w["duration"]) for w in group],  # type: ignore[arg-type]
            [str(w["word"]) for w in group],
            stats,
            [bool(w["agrees"]) for w in group] if with_agreement else None,
        )
        at = end
    return np.array(rows)


def at_share(scores: np.ndarray, wrong: np.ndarray, share: float) -> tuple[float, float, float]:
    """(threshold, flagged share, caught share) when the lowest `share` of scores are flagged."""
    threshold = float(np.quantile(scores, share))
    flagged = scores < threshold
    return threshold, float(flagged.mean()), float(flagged[wrong].mean())


def _heard(words: list[dict[str, object]], prompt: str) -> str:
    return " ".join(str(w["word"]) for w in words if w["prompt"] == prompt)


def fit(args: argparse.Namespace) -> int:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]
    from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

    from parlure_ml.speech.confidence import AGREEMENT_FEATURE, FEATURES, MODEL_PATH, tokens

    data = json.loads(args.data.read_text(encoding="utf-8"))
    words = data["words"]
    references = {name: text for name, text, _ in prompts(args.sounds, args.text)}
    wrong = np.array(labels(words, references))
    right = ~wrong
    groups = np.array([str(w["prompt"]).split("-")[0] for w in words])
    raw = np.array([float(w["probability"]) for w in words])
    print(json.dumps(data["summary"]))
    strict = sum(
        edit_distance(tokens(text), tokens(_heard(words, name)))
        for name, text in references.items()
    ) / sum(len(tokens(text)) for text in references.values())
    folded = sum(
        edit_distance(comparable(tokens(text)), comparable(tokens(_heard(words, name))))
        for name, text in references.items()
    ) / sum(len(comparable(tokens(text))) for text in references.values())
    print(f"WER {strict:.1%} ({folded:.1%} with accents folded and digits read as words)")
    print(f"{len(words)} words, {wrong.sum()} wrong ({wrong.mean():.1%}), {len(set(groups))} sets")
    _, flagged, caught = at_share(raw, wrong, TARGET_FLAGGED)
    print(f"raw probability, lowest {flagged:.1%} flagged: catches {caught:.1%} of wrong words")
    low = raw < 0.7
    print(f"raw probability < 0.7: flags {low.mean():.1%}, catches {low[wrong].mean():.1%}")
    output: dict[str, object] = {
        "fitted_on": "Asterisk core sounds, Canadian French (asterisk-core-sounds-fr-g722 "
        "1.6.1, June Wallack, CC-BY-SA 3.0), bench/word_confidence.py",
        "summary": {
            **{k: v for k, v in data["summary"].items() if k != "wer"},
            "words": len(words),
            "wrong": int(wrong.sum()),
            "wer": round(strict, 4),
            "wer_folded": round(folded, 4),
        },
    }
    for key, with_agreement in (("one_decode", False), ("two_decodes", True)):
        x = features(words, with_agreement)
        out_of_fold = np.zeros(len(words))
        for train, test in GroupKFold(n_splits=5).split(x, wrong, groups):
            scaler = StandardScaler().fit(x[train])
            model = LogisticRegression(max_iter=1000).fit(scaler.transform(x[train]), right[train])
            out_of_fold[test] = model.predict_proba(scaler.transform(x[test]))[:, 1]
        # The threshold is the calibrated confidence below which TARGET_FLAGGED of these words
        # fall, out of fold; the final model is then refitted on every word.
        threshold, flagged, caught = at_share(out_of_fold, wrong, TARGET_FLAGGED)

        scaler = StandardScaler().fit(x)
        model = LogisticRegression(max_iter=1000).fit(scaler.transform(x), right)
        names = list(FEATURES) + ([AGREEMENT_FEATURE] if with_agreement else [])
        ok = flagged <= MAX_FLAGGED and caught >= MIN_CAUGHT
        print(
            f"{key}: threshold {threshold:.3f}, out of fold it flags {flagged:.1%} of words "
            f"and catches {caught:.1%} of wrong words "
            f"({'meets' if ok else 'misses'} <= {MAX_FLAGGED:.0%} / >= {MIN_CAUGHT:.0%})"
        )
        for name, coef in zip(names, model.coef_[0], strict=True):
            print(f"    {name:20s} {coef:+.3f}")
        output[key] = {
            "features": names,
            "mean": [round(float(v), 6) for v in scaler.mean_],
            "scale": [round(float(v), 6) for v in scaler.scale_],
            "coef": [round(float(v), 6) for v in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
            "threshold": round(threshold, 4),
            "out_of_fold": {"flagged": round(flagged, 4), "caught": round(caught, 4)},
        }
    output["second_decode"] = args.second_decode
    if args.write:
        MODEL_PATH.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("collect", "fit"))
    parser.add_argument("--sounds", type=Path, default=SOUNDS)
    parser.add_argument("--text", type=Path, default=TEXT)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--write", action="store_true", help="write the portal's calibration")
    parser.add_argument(
        "--second-decode",
        action="store_true",
        help="with --write: make the portal run the greedy decode (two_decodes calibration)",
    )
    args = parser.parse_args(argv)
    return collect(args) if args.command == "collect" else fit(args)


if __name__ == "__main__":
    raise SystemExit(main())
