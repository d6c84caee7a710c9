"""End to end through the API: a program sends a text with its key, a real worker classifies it
with the real register model, the program polls and reads the register and why."""

import subprocess
import time
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.services import api_token_create
from parlure_ml.register import LABELS

# serialized_rollback: the flush after each test must not take the roles (data migration) away.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = "Je vous prie de bien vouloir agréer l'expression de mes salutations distinguées."


def _poll(client: Client, url: str, headers: dict[str, str], timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.content
        body: dict[str, Any] = response.json()
        if body["finished"]:
            return body
        time.sleep(0.1)
    raise AssertionError(f"still not finished after {timeout} s")


def test_a_program_sends_a_text_polls_it_and_reads_its_register_and_evidence(
    worker: subprocess.Popen[bytes], user: User
) -> None:
    # Given a person's API key, and a worker serving the register model
    _token, key = api_token_create(user=user, name="script")
    headers = {"Authorization": f"Bearer {key}"}
    client = Client()

    # When a program sends a text and polls its status until it is finished
    created = client.post(
        "/api/v1/submissions/", {"text": TEXT}, content_type="application/json", headers=headers
    )
    assert created.status_code == 201, created.content
    links = created.json()["links"]
    status = _poll(client, links["status"], headers, timeout=120)

    # Then it is done with the formal register, and its prediction says why, word by word
    assert status["status"] == "done", status["failure_reason"]
    assert status["label"] == "soutenu"
    predictions = client.get(links["predictions"], headers=headers).json()["results"]
    [prediction] = predictions
    assert prediction["label"] == "soutenu"
    assert set(prediction["scores"]) == set(LABELS)
    assert sum(prediction["scores"].values()) == pytest.approx(1.0, abs=1e-3)
    assert prediction["sentences"]
    for sentence in prediction["sentences"]:
        assert sentence["text"] == TEXT[sentence["start"] : sentence["end"]]
        assert set(sentence["scores"]) == set(LABELS)
    evidence = [word for sentence in prediction["sentences"] for word in sentence["evidence"]]
    assert evidence
    for word in evidence:
        assert word["text"] == TEXT[word["start"] : word["end"]]
        assert word["text"].strip()
        assert 0 < word["weight"] <= 1
    detail = client.get(links["self"], headers=headers).json()
    assert detail["prediction"]["id"] == prediction["id"]
