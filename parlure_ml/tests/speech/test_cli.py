import io
import json
import subprocess
import sys

import pytest

from parlure_ml.paths import REPO_ROOT
from parlure_ml.speech.cli import main, transcribe_files


def test_one_json_line_per_file_and_bad_files_do_not_stop_the_rest(
    transcriber, french_wav, french_seconds, tmp_path
):
    page = tmp_path / "page.wav"
    page.write_text("<!DOCTYPE html><html></html>")
    missing = str(tmp_path / "missing.wav")
    out, log = io.StringIO(), io.StringIO()

    failures = transcribe_files(
        [str(page), str(french_wav), missing],
        out=out,
        log=log,
        beam_size=1,
        transcriber=transcriber,
    )

    bad, good, absent = (json.loads(line) for line in out.getvalue().splitlines())
    assert failures == 2
    assert bad == {
        "path": str(page),
        "error": {"code": "not_audio", "message": "This file is not an audio recording."},
    }
    assert good["path"] == str(french_wav)
    assert good["language"] == "fr"
    assert good["duration_s"] == round(french_seconds, 3)
    assert "bonjour" in good["text"].lower()
    assert set(good["segments"][0]) == {
        "start",
        "end",
        "text",
        "words",
        "avg_logprob",
        "no_speech_prob",
        "compression_ratio",
    }
    word = good["segments"][0]["words"][0]
    assert set(word) == {"start", "end", "word", "probability", "confidence", "uncertain"}
    assert 0.0 <= word["confidence"] <= 1.0
    assert isinstance(word["uncertain"], bool)
    assert absent["path"] == missing
    assert absent["error"]["code"] == "unreadable"
    assert f"{page}: not_audio" in log.getvalue()


def test_module_entry_point(tmp_path, whisper_model_dir):
    empty = tmp_path / "empty.webm"
    empty.touch()

    result = subprocess.run(
        [sys.executable, "-m", "parlure_ml.speech", str(empty)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "path": str(empty),
        "error": {"code": "empty", "message": "The file is empty."},
    }
    assert "model ready" in result.stderr


def test_speakers_option_labels_each_segment(transcriber, dialogue):
    path, turns = dialogue
    out, log = io.StringIO(), io.StringIO()

    failures = transcribe_files(
        [str(path)], out=out, log=log, beam_size=1, transcriber=transcriber, speakers="auto"
    )

    [record] = (json.loads(line) for line in out.getvalue().splitlines())
    assert failures == 0
    segments = record["segments"]
    assert segments
    assert {segment["speaker"] for segment in segments} <= {"S1", "S2"}
    assert segments[0]["speaker"] == "S1"
    # Each segment's voice is the turn it overlaps most; most of the speech must follow it.
    right = wrong = 0.0
    for segment in segments:
        turn = max(turns, key=lambda t: min(segment["end"], t.end) - max(segment["start"], t.start))
        seconds = segment["end"] - segment["start"]
        if (segment["speaker"] == "S1") == (turn.speaker == 0):
            right += seconds
        else:
            wrong += seconds
    assert right / (right + wrong) >= 0.8


def test_speakers_option_refuses_a_bad_value(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--speakers", "deux", str(tmp_path / "x.wav")])
    assert exit_.value.code == 2
    assert "speakers must be" in capsys.readouterr().err
