import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from annotation.tests.factories import SubmissionFactory, done_submission
from parlure_ml.register import LABELS


def test_classify_text_prints_one_json_line_per_input_line() -> None:
    lines = [
        "Je vous saurais gré de bien vouloir me faire parvenir votre réponse.",
        "",
        "Putain, j'en ai marre de ce taf de merde, je me casse.",
        "Le train part à huit heures.",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    completed = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "classify_text"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    rows = [json.loads(line) for line in completed.stdout.splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["label"] == "soutenu"
    assert rows[2]["label"] == "familier"
    assert rows[0]["uncertain"] is False
    assert rows[1] == {
        "label": None,
        "scores": None,
        "model_version": rows[0]["model_version"],
        "error": "empty line",
    }
    for row in (rows[0], rows[2], rows[3]):
        assert row["label"] in LABELS
        assert set(row["scores"]) == set(LABELS)
        assert sum(row["scores"].values()) == pytest.approx(1.0, abs=1e-4)
    assert "4 lines classified" in completed.stderr


@pytest.mark.django_db
def test_export_samples_writes_inputs_and_outputs(tmp_path: Path) -> None:
    done = done_submission(label="familier", text="T'es où ?")
    SubmissionFactory.create(text="Pas encore fini")
    out = tmp_path / "samples.csv"
    stderr = io.StringIO()
    call_command("export_samples", "--output", str(out), stderr=stderr)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 2
    by_text = {row["text"]: row for row in rows}
    assert by_text["T'es où ?"]["label"] == "familier"
    assert done.current_prediction is not None
    assert by_text["T'es où ?"]["p_familier"] == str(done.current_prediction.scores["familier"])
    assert by_text["Pas encore fini"]["status"] == "queued"
    assert by_text["Pas encore fini"]["label"] == ""
    assert "2 submissions exported." in stderr.getvalue()


def test_transcribe_prints_one_json_object_per_file(tmp_path: Path, french_wav: Path) -> None:
    not_audio = tmp_path / "page.wav"
    not_audio.write_text("<html><body>pas du son</body></html>")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    completed = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "transcribe",
         str(french_wav), str(not_audio)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 1  # one file failed
    first, second = (json.loads(line) for line in completed.stdout.splitlines())
    assert first["path"] == str(french_wav)
    assert first["language"] == "fr"
    assert first["duration_s"] > 3
    assert "bonjour" in first["text"].lower()
    assert first["segments"][0]["words"]
    assert second == {
        "path": str(not_audio),
        "error": {"code": "not_audio", "message": second["error"]["message"]},
    }
    assert "1 of 2 files failed" in completed.stderr


@pytest.mark.slow
def test_classify_text_details_give_sentences_and_evidence() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    completed = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "classify_text", "--details"],
        input="Je vous prie d'agréer mes salutations. Putain, t'as vu ce bordel ?\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    [row] = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [s["text"] for s in row["sentences"]] == [
        "Je vous prie d'agréer mes salutations.",
        "Putain, t'as vu ce bordel ?",
    ]
    assert [s["label"] for s in row["sentences"]] == ["soutenu", "familier"]
    assert {e["word"] for e in row["sentences"][1]["evidence"]} & {"Putain", "bordel", "t'as"}


def test_transcribe_refuses_a_bad_number_of_speakers(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="speakers must be between 1 and 20"):
        call_command("transcribe", "--speakers", "0", str(tmp_path / "x.wav"))
