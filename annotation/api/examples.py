"""Example payloads for the OpenAPI documentation of the submission endpoints."""

from typing import Any

SUBMISSION_ID = "5b0f7c1e-3d2a-4c8b-9e61-0f2d8a4b7c39"
CORPUS_ID = "c4a1e2f3-7b6d-4e5f-8a9b-1c2d3e4f5a6b"
BASE = f"https://parlure.example.org/api/v1/submissions/{SUBMISSION_ID}"
SCORES = {"soutenu": 0.91, "neutre": 0.07, "familier": 0.02}

SUBMISSION: dict[str, Any] = {
    "id": SUBMISSION_ID,
    "kind": "text",
    "status": "done",
    "progress": 0.0,
    "failure_reason": "",
    "text": "Je vous prie d'agréer l'expression de mes salutations distinguées.",
    "corpus": CORPUS_ID,
    "author": {"name": "Camille Martin", "is_you": True},
    "created_at": "2025-03-14T09:30:00.123456+01:00",
    "started_at": "2025-03-14T09:30:00.201337+01:00",
    "finished_at": "2025-03-14T09:30:00.412001+01:00",
    "prediction": {
        "id": 4182,
        "label": "soutenu",
        "top_label": "soutenu",
        "uncertain": False,
        "scores": SCORES,
        "model_version": "register-camembert-v3",
        "explanations": "computed",
    },
    "permissions": {"annotate": True, "review": True, "manage": True},
    "links": {
        "self": f"{BASE}/",
        "page": f"https://parlure.example.org/soumissions/{SUBMISSION_ID}/",
        "status": f"{BASE}/status/",
        "transcript": None,
        "predictions": f"{BASE}/predictions/",
    },
}
QUEUED_SUBMISSION: dict[str, Any] = {
    **SUBMISSION,
    "status": "queued",
    "started_at": None,
    "finished_at": None,
    "prediction": None,
}
AUDIO_SUBMISSION: dict[str, Any] = {
    **QUEUED_SUBMISSION,
    "kind": "audio",
    "text": "",
    "corpus": None,
    "links": {**SUBMISSION["links"], "transcript": f"{BASE}/transcript/"},
}
RECORDING_SUBMISSION: dict[str, Any] = {**AUDIO_SUBMISSION, "status": "recording"}
LIST_ITEM: dict[str, Any] = {
    "id": SUBMISSION_ID,
    "kind": "text",
    "status": "done",
    "label": "soutenu",
    "uncertain": False,
    "text_preview": "Je vous prie d'agréer l'expression de mes salutations distinguées.",
    "corpus": CORPUS_ID,
    "author": {"name": "Camille Martin", "is_you": True},
    "created_at": "2025-03-14T09:30:00.123456+01:00",
    "finished_at": "2025-03-14T09:30:00.412001+01:00",
    "url": f"{BASE}/",
}
STATUS_TRANSCRIBING: dict[str, Any] = {
    "id": SUBMISSION_ID,
    "status": "transcribing",
    "progress": 0.42,
    "failure_reason": "",
    "finished": False,
    "label": None,
    "worker_warning": None,
    "live_segments": [
        {
            "index": 0,
            "start": 0.0,
            "end": 2.4,
            "text": "Bonjour à tous,",
            "label": "neutre",
            "uncertain": False,
        },
        {
            "index": 1,
            "start": 2.4,
            "end": 5.1,
            "text": "Alors, on y va.",
            "label": None,
            "uncertain": False,
        },
    ],
}
STATUS_DONE: dict[str, Any] = {
    **STATUS_TRANSCRIBING,
    "status": "done",
    "progress": 1.0,
    "finished": True,
    "label": "familier",
    "live_segments": [],
}
STATUS_CANCELLED: dict[str, Any] = {
    **STATUS_TRANSCRIBING,
    "status": "cancelled",
    "finished": True,
    "live_segments": [],
}
SEGMENT: dict[str, Any] = {
    "index": 0,
    "start": 0.0,
    "end": 2.4,
    "text": "Bonjour à tous,",
    "edited": False,
    "speaker": "S1",
    "speaker_name": "Marie",
    "words": [
        {
            "start": 0.0,
            "end": 0.52,
            "word": " Bonjour",
            "probability": 0.98,
            "confidence": 0.97,
            "uncertain": False,
        },
        {
            "start": 0.52,
            "end": 0.71,
            "word": " à",
            "probability": 0.41,
            "confidence": 0.62,
            "uncertain": True,
        },
        {
            "start": 0.71,
            "end": 1.12,
            "word": " tous,",
            "probability": 0.97,
            "confidence": 0.95,
            "uncertain": False,
        },
    ],
    "label": "neutre",
    "top_label": "neutre",
    "uncertain": False,
    "scores": {"soutenu": 0.2, "neutre": 0.71, "familier": 0.09},
    "classified_version": 1,
}
TRANSCRIPT: dict[str, Any] = {
    "language": "fr",
    "detected_language": "fr",
    "language_probability": 0.99,
    "duration_s": 4.8,
    "model": "faster-whisper-small",
    "version": 1,
    "validated_at": None,
    "speaker_names": {"S1": "Marie"},
    "segments": [SEGMENT],
}
CORRECTED_SEGMENT: dict[str, Any] = {
    **SEGMENT,
    "text": "Bonjour à toutes,",
    "edited": True,
    "transcript_version": 2,
}
REVISION: dict[str, Any] = {
    "id": 12,
    "version": 2,
    "segment": 0,
    "before": "Bonjour à tous,",
    "after": "Bonjour à toutes,",
    "author": {"name": "Camille Martin", "is_you": True},
    "created_at": "2025-03-14T09:41:07.500000+01:00",
}
PREDICTION: dict[str, Any] = {
    "id": 4182,
    "label": "familier",
    "top_label": "familier",
    "uncertain": False,
    "scores": {"soutenu": 0.03, "neutre": 0.12, "familier": 0.85},
    "model_version": "register-camembert-v3",
    "latency_ms": 38,
    "segment": None,
    "transcript_version": None,
    "created_at": "2025-03-14T09:30:00.410000+01:00",
    "explanations": "computed",
    "sentences": [
        {
            "index": 0,
            "start": 0,
            "end": 28,
            "text": "T'as vu le match hier soir ?",
            "label": "familier",
            "top_label": "familier",
            "uncertain": False,
            "scores": {"soutenu": 0.03, "neutre": 0.12, "familier": 0.85},
            "evidence": [{"start": 0, "end": 4, "text": "T'as", "weight": 0.41}],
        }
    ],
}
