"""A transcript as TXT, SRT, WebVTT or JSON. Plain functions of the stored rows."""

import json
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from django.utils.http import content_disposition_header

from .models import AudioRecording, Segment, Submission, Transcript

EXPORT_FORMATS = {
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def _clock(seconds: float, separator: str) -> str:
    millis = round(max(0.0, seconds) * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _spoken(segment: Segment) -> str:
    """The text, after its speaker's name when it has one: « Marie: Bonjour »."""
    name = segment.speaker_name
    return f"{name}: {segment.text}" if name else segment.text


def transcript_as_txt(segments: Sequence[Segment]) -> str:
    return "\n".join(_spoken(segment) for segment in segments) + "\n"


def transcript_as_srt(segments: Sequence[Segment]) -> str:
    blocks = [
        f"{number}\n{_clock(s.start, ',')} --> {_clock(s.end, ',')}\n{_spoken(s)}\n"
        for number, s in enumerate(segments, start=1)
    ]
    return "\n".join(blocks)


def _vtt_cue_text(segment: Segment) -> str:
    """The cue's text, in a voice span (``<v Marie>``) when the segment has a speaker."""
    name = segment.speaker_name
    if not name:
        return segment.text
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<v {escaped}>{segment.text}"


def transcript_as_vtt(segments: Sequence[Segment]) -> str:
    blocks = [
        f"{_clock(s.start, '.')} --> {_clock(s.end, '.')}\n{_vtt_cue_text(s)}\n" for s in segments
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _prediction_dict(segment_or_submission: Segment | Submission) -> dict[str, Any] | None:
    prediction = segment_or_submission.current_prediction
    if prediction is None:
        return None
    return {
        "label": prediction.label,
        "uncertain": prediction.uncertain,
        "scores": prediction.scores,
        "model_version": prediction.model_version,
    }


def transcript_as_json(
    submission: Submission, transcript: Transcript, segments: Sequence[Segment]
) -> str:
    data = {
        "id": str(submission.public_id),
        "language": transcript.language,
        "detected_language": transcript.detected_language or None,
        "duration_s": transcript.duration_s,
        "version": transcript.version,
        "validated_at": transcript.validated_at.isoformat() if transcript.validated_at else None,
        "text": submission.text,
        "register": _prediction_dict(submission),
        "segments": [
            {
                "index": s.index,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "corrected": s.edited,
                **({"speaker": s.speaker_name, "speaker_label": s.speaker} if s.speaker else {}),
                "words": s.words,
                "register": _prediction_dict(s),
            }
            for s in segments
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def transcript_export(submission: Submission, fmt: str) -> str:
    transcript = submission.transcript
    segments = list(transcript.segments.select_related("current_prediction").order_by("index"))
    if fmt == "txt":
        return transcript_as_txt(segments)
    if fmt == "srt":
        return transcript_as_srt(segments)
    if fmt == "vtt":
        return transcript_as_vtt(segments)
    if fmt == "json":
        return transcript_as_json(submission, transcript, segments)
    raise ValueError(f"unknown export format {fmt!r}")


def transcript_export_disposition(submission: Submission, fmt: str) -> str:
    """`Content-Disposition` for a download named after the uploaded file (« réunion.srt »).

    The name keeps letters of any script, digits, spaces, dots, dashes and underscores; a
    recording made in the page, or a name with nothing left, gives « parlure-<id>.<fmt> ».
    """
    recording = AudioRecording.objects.filter(submission=submission).only("original_name").first()
    stem = PurePath(recording.original_name).stem if recording else ""
    stem = re.sub(r"[^\w .-]+", "", stem).strip(" .")[:100]
    header = content_disposition_header(True, f"{stem or f'parlure-{submission.public_id}'}.{fmt}")
    assert header is not None  # None only for an inline response without a file name
    return header
