"""Transcription with the real Whisper base model, on espeak-ng speech (behaviour, not accuracy)."""

import itertools
import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from parlure_ml.process_local import ProcessLocal
from parlure_ml.speech import transcriber as transcriber_module
from parlure_ml.speech.audio import AudioError, decode_audio
from parlure_ml.speech.transcriber import (
    VOCABULARY_MAX_CHARS,
    Segment,
    Transcriber,
    Transcript,
    Word,
    first_part_end,
    get_transcriber,
    speech_only,
    vocabulary_options,
)
from parlure_ml.tests.speech.media import FORMATS, encode, write_wav


def _check_timings(transcript: Transcript) -> None:
    """Timings any decode must keep: in order, inside the clip, words inside their segment."""
    previous_end = 0.0
    for segment in transcript.segments:
        assert segment.words, segment
        assert segment.start <= segment.end <= transcript.duration_s + 0.05
        for word in segment.words:
            assert previous_end - 0.01 <= word.start <= word.end <= transcript.duration_s + 0.05
            assert segment.start - 0.01 <= word.start
            assert word.end <= segment.end + 0.01
            assert 0 <= word.probability <= 1
            previous_end = word.end


def _check_progress(progress: list[float]) -> None:
    assert progress == sorted(set(progress))  # strictly increasing
    assert all(0 < fraction <= 1 for fraction in progress)
    assert progress[-1] == 1.0


# What a test may assert about Whisper's output, on any machine: the language, the structure,
# timings that are consistent, and "bonjour" (the clip's first word, alone before a pause). How a
# clip is cut into segments, how many words come out and which ones depend on the machine (the
# CPU kernels of CTranslate2's int8 path, the espeak-ng build): tests that need several segments
# use `sentences_wav`, whose speech outlasts Whisper's 30-second window.
# The language figures have wide margins, measured with int8 and float32 weights on 1 and 2
# threads: French heard as French 0.78-0.83 (asserted > 0.5); English heard as French 0.0005
# (asserted < 0.1).


def test_french_speech(transcriber: Transcriber, french_wav: Path, french_seconds: float):
    progress: list[float] = []
    # Each segment as soon as it is decoded, before the progress that it brings.
    heard: list[tuple[Segment, int]] = []

    transcript = transcriber.transcribe(
        french_wav,
        on_progress=progress.append,
        on_segment=lambda segment: heard.append((segment, len(progress))),
    )

    assert transcript.language == "fr"
    assert transcript.detected_language == "fr"
    assert transcript.language_probability is not None
    assert transcript.language_probability > 0.5
    assert transcript.duration_s == pytest.approx(french_seconds, abs=0.001)
    assert transcript.segments
    assert "bonjour" in transcript.text.lower()
    assert transcript.text == " ".join(s.text for s in transcript.segments)
    _check_timings(transcript)
    _check_progress(progress)
    assert [segment for segment, _ in heard] == transcript.segments
    reported_before = [count for _, count in heard]
    assert reported_before == sorted(reported_before)
    assert reported_before[-1] < len(progress)  # the last progress report follows the segment


# Plain words of LONG_FRENCH, in the order spoken (the synthetic voice's "météo", "jardin" or
# "parapluie" come back misheard on some machines).
ORDERED_WORDS = ["paris", "matin", "enfants", "pleuvoir", "semaine", "attention"]


def test_sentences_apart_come_back_as_several_segments_in_order(
    transcriber: Transcriber, sentences_wav: Path
):
    progress: list[float] = []

    transcript = transcriber.transcribe(sentences_wav, beam_size=1, on_progress=progress.append)

    assert transcript.language == "fr"
    assert len(transcript.segments) >= 2
    assert transcript.text == " ".join(s.text for s in transcript.segments)
    # In order: the words any sane decode keeps come back in the order they were spoken. A
    # 2-second sentence of the synthetic voice alone may be misheard ("Bonjour à tous et
    # bienvenue" came back as "On jouera tous ces biens nus" in a greedy decode), so most of
    # them must be there, not each one.
    text = transcript.text.lower()
    found = [word for word in ORDERED_WORDS if word in text]
    assert len(found) >= len(ORDERED_WORDS) - 2, text
    assert [text.index(word) for word in found] == sorted(text.index(word) for word in found)
    _check_timings(transcript)
    for before, after in itertools.pairwise(transcript.segments):
        assert before.end <= after.start + 0.01
    # Progress follows the decoded segments (the fraction of the clip each one ends at), then 1.0.
    assert len(progress) >= 2
    _check_progress(progress)
    ends = [segment.end / transcript.duration_s for segment in transcript.segments]
    for fraction in progress[:-1]:
        assert any(fraction == pytest.approx(end, abs=1e-4) for end in ends)


def test_to_dict_is_json_ready(transcriber: Transcriber, french_wav: Path):
    transcript = transcriber.transcribe(french_wav, beam_size=1)

    data = json.loads(json.dumps(transcript.to_dict()))

    assert data["text"] == transcript.text
    assert data["language"] == "fr"
    first = transcript.segments[0]
    assert data["segments"][0] == {
        "start": first.start,
        "end": first.end,
        "text": first.text,
        "avg_logprob": first.avg_logprob,
        "no_speech_prob": first.no_speech_prob,
        "compression_ratio": first.compression_ratio,
        "words": [
            {
                "start": w.start,
                "end": w.end,
                "word": w.word,
                "probability": w.probability,
                "confidence": w.confidence,
                "uncertain": w.uncertain,
            }
            for w in first.words
        ],
    }


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_compressed_formats(transcriber, french_wav, tmp_path, fmt):
    path = tmp_path / f"speech.{fmt}"
    encode(french_wav, path, *FORMATS[fmt])

    transcript = transcriber.transcribe(path, beam_size=1)

    assert transcript.detected_language == "fr"
    assert "bonjour" in transcript.text.lower()
    _check_timings(transcript)


def test_recorder_webm_from_a_file_object(transcriber, recorder_webm, french_seconds):
    with recorder_webm.open("rb") as fh:
        transcript = transcriber.transcribe(fh, beam_size=1)

    assert transcript.duration_s == pytest.approx(french_seconds, abs=0.03)
    assert "bonjour" in transcript.text.lower()


def test_english_is_detected(transcriber, english_wav):
    transcript = transcriber.transcribe(english_wav, language=None, beam_size=1)

    assert transcript.language == "en"
    assert transcript.detected_language == "en"
    assert transcript.language_probability is not None
    assert transcript.language_probability > 0.5
    assert "weather" in transcript.text.lower()


def test_english_sent_as_french_is_flagged(transcriber, english_wav):
    transcript = transcriber.transcribe(english_wav, language="fr", beam_size=1)

    assert transcript.language == "fr"
    assert transcript.detected_language == "en"
    assert transcript.language_probability is not None
    assert transcript.language_probability < 0.1  # how French it sounds: hardly


@pytest.mark.parametrize(
    "samples",
    [
        pytest.param(np.zeros(8 * 16000), id="silence"),
        pytest.param(np.random.default_rng(0).normal(0, 0.1, 8 * 16000), id="white-noise"),
        pytest.param(0.3 * np.sin(np.arange(8 * 16000) * 2 * np.pi * 440 / 16000), id="tone"),
    ],
)
def test_no_speech_gives_no_text(transcriber, tmp_path, samples):
    path = write_wav(tmp_path / "nothing.wav", samples)
    progress: list[float] = []

    transcript = transcriber.transcribe(path, on_progress=progress.append)

    assert transcript == Transcript(
        language="fr", language_probability=None, duration_s=8.0, text="", segments=[]
    )
    assert progress == [1.0]


def test_silence_with_detection_has_no_language(transcriber, tmp_path):
    path = write_wav(tmp_path / "silence.wav", np.zeros(3 * 16000))

    transcript = transcriber.transcribe(path, language=None)

    assert (transcript.language, transcript.detected_language, transcript.text) == (None, None, "")


def test_silence_around_speech_keeps_timings_on_the_original_clock(
    transcriber, french_wav, french_seconds, tmp_path
):
    from parlure_ml.speech.audio import decode_audio

    speech = decode_audio(french_wav)
    padded = np.concatenate([np.zeros(5 * 16000), speech, np.zeros(5 * 16000)])
    path = write_wav(tmp_path / "padded.wav", padded)

    transcript = transcriber.transcribe(path, beam_size=1)

    # The VAD cut the silence and the times were restored: speech starts after the 5 s of silence
    # (less the VAD's 0.4 s of padding) and ends before the silence after it.
    assert transcript.segments[0].start >= 5 - 0.5
    assert transcript.segments[-1].end <= 5 + french_seconds + 0.5
    assert "bonjour" in transcript.text.lower()


def test_undecodable_file_raises_audio_error(transcriber, tmp_path):
    path = tmp_path / "page.wav"
    path.write_text("<html></html>")

    with pytest.raises(AudioError) as caught:
        transcriber.transcribe(path)

    assert caught.value.code == "not_audio"


def test_max_seconds_is_a_backstop(transcriber, french_wav):
    with pytest.raises(AudioError) as caught:
        transcriber.transcribe(french_wav, max_seconds=5)

    assert caught.value.code == "too_long"


def test_missing_model_is_not_downloaded(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"run python -m parlure_ml\.assemble"):
        Transcriber.load(tmp_path)


@pytest.fixture
def fake_load(monkeypatch):
    """Replace the model load by a cheap stand-in, and start from an empty singleton."""
    calls: list[object] = []

    def load(cls, model_dir=None):
        calls.append(object())
        return calls[-1]

    monkeypatch.setattr(
        transcriber_module, "_transcriber", ProcessLocal(lambda: Transcriber.load())
    )
    monkeypatch.setattr(Transcriber, "load", classmethod(load))
    return calls


def test_get_transcriber_loads_once_across_threads(fake_load):
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(get_transcriber())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(fake_load) == 1
    assert results == [fake_load[0]] * 8


def test_forked_child_loads_its_own_transcriber(fake_load):
    parent = get_transcriber()

    pid = os.fork()
    if pid == 0:  # child: must have forgotten the parent's model (it loads its own on first use)
        # Nothing more here: a forked child of a threaded process should run as little as possible.
        os._exit(0 if transcriber_module._transcriber._value is None else 1)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert get_transcriber() is parent


def test_dataclasses_hold_plain_values():
    word = Word(start=0.0, end=0.5, word=" Bonjour", probability=0.9)
    segment = Segment(start=0.0, end=0.5, text="Bonjour", words=[word])

    assert Transcript("fr", 0.9, 0.5, "Bonjour", [segment]).to_dict()["segments"][0]["words"] == [
        {
            "start": 0.0,
            "end": 0.5,
            "word": " Bonjour",
            "probability": 0.9,
            "confidence": None,
            "uncertain": None,
        }
    ]


def test_a_vocabulary_keeps_the_decode_whole(transcriber: Transcriber, french_wav: Path):
    # A vocabulary the clip does not contain must not take the speech's place.
    transcript = transcriber.transcribe(
        french_wav, detect_language=False, vocabulary=["Quimperlé", "Maëlys Kerbrat"]
    )

    assert "bonjour" in transcript.text.lower()
    _check_timings(transcript)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("hotwords", {"hotwords": "Quimperlé, Maëlys Kerbrat"}),
        ("prompt", {"initial_prompt": "Quimperlé, Maëlys Kerbrat."}),
        (
            "both",
            {
                "hotwords": "Quimperlé, Maëlys Kerbrat",
                "initial_prompt": "Quimperlé, Maëlys Kerbrat.",
            },
        ),
    ],
)
def test_vocabulary_options_by_mode(mode: str, expected: dict[str, str]):
    assert vocabulary_options([" Quimperlé ", "Maëlys  Kerbrat", "", "Quimperlé"], mode) == expected


def test_no_vocabulary_adds_no_option():
    assert vocabulary_options([], "hotwords") == {}
    assert vocabulary_options(["  "], "both") == {}


def test_a_long_vocabulary_keeps_its_first_terms_within_the_prompt():
    terms = [f"terme{n:03d}" for n in range(200)]

    listed = vocabulary_options(terms, "hotwords")["hotwords"]

    assert len(listed) <= VOCABULARY_MAX_CHARS
    assert listed.startswith("terme000, terme001")


def test_an_unknown_vocabulary_mode_is_refused():
    with pytest.raises(ValueError, match="vocabulary mode"):
        vocabulary_options(["x"], "everywhere")


def test_language_detection_and_the_first_window_share_one_encoder_pass(
    transcriber: Transcriber, french_wav: Path, monkeypatch: pytest.MonkeyPatch
):
    from faster_whisper import WhisperModel

    encoded: list[tuple[int, ...]] = []
    encode = WhisperModel.encode

    def counting(self: WhisperModel, features: np.ndarray) -> object:
        encoded.append(features.shape)
        return encode(self, features)

    monkeypatch.setattr(WhisperModel, "encode", counting)
    monkeypatch.setattr(transcriber.model, "_last", None)  # nothing remembered from other tests

    with_detection = transcriber.transcribe(french_wav)

    # A clip shorter than one window: encoded once, for the detector and the decoding alike.
    assert len(encoded) == 1
    assert with_detection.detected_language == "fr"
    # The same transcript as without the detector (which encodes on its own then).
    monkeypatch.setattr(transcriber.model, "_last", None)
    assert transcriber.transcribe(french_wav, detect_language=False).text == with_detection.text


def test_the_first_part_ends_in_the_quietest_moment_near_its_target():
    rate = 16_000
    speech = np.full(20 * rate, 0.3, dtype=np.float32)
    speech[int(11.0 * rate) : int(11.4 * rate)] = 0.0  # a pause 1 s after the target

    cut = first_part_end(speech, 10.0)

    assert cut is not None
    assert 11.0 * rate <= cut <= 11.4 * rate


@pytest.mark.parametrize(
    ("seconds", "target"),
    [
        (31.0, 10.0),  # longer than a window: it comes window by window anyway
        (10.0, 10.0),  # too little speech left after any cut near the target
        (20.0, None),  # no split asked for
        (20.0, 1.0),  # nothing to search before the target
    ],
)
def test_speech_that_does_not_gain_from_a_split_is_one_part(seconds, target):
    assert first_part_end(np.ones(int(seconds * 16_000), dtype=np.float32), target) is None


def test_a_split_decode_keeps_its_timings_on_the_recording(
    transcriber: Transcriber, dialogue: tuple[Path, list]
):
    path, _turns = dialogue
    speech, _chunks = speech_only(decode_audio(path))
    cut = first_part_end(speech, 6.0)
    assert cut is not None  # the dialogue is long enough to be cut

    seen: list[Segment] = []
    transcript = transcriber.transcribe(
        path, detect_language=False, first_part_s=6.0, on_segment=seen.append
    )

    _check_timings(transcript)
    assert "bonjour" in transcript.text.lower()
    assert len(seen) == len(transcript.segments) >= 2
    # Both parts gave segments: some before the cut (on the speech's clock) and some after.
    assert transcript.segments[0].start < cut / 16_000 < transcript.segments[-1].end
