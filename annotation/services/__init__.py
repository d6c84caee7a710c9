"""Every change to submissions, recordings, transcripts and predictions goes through here."""

from .audio import (
    audio_check,
    audio_delete,
    audio_purge_expired,
    audio_too_large_message,
    submission_create_audio,
)
from .submissions import (
    REASON_MODEL_ERROR,
    REASON_TOO_LONG,
    REASON_WORKER_LOST,
    prediction_record,
    submission_create_text,
    submission_delete,
    submission_fail,
    submission_start,
    text_clean,
)
from .transcripts import (
    REASON_AUDIO_GONE,
    REASON_NO_SPEECH,
    audio_missing_fail,
    submission_cancel,
    submission_progress_update,
    transcript_correct,
    transcript_predictions_record,
    transcript_record,
    transcript_validate,
)

__all__ = [
    "REASON_AUDIO_GONE",
    "REASON_MODEL_ERROR",
    "REASON_NO_SPEECH",
    "REASON_TOO_LONG",
    "REASON_WORKER_LOST",
    "audio_check",
    "audio_delete",
    "audio_missing_fail",
    "audio_purge_expired",
    "audio_too_large_message",
    "prediction_record",
    "submission_cancel",
    "submission_create_audio",
    "submission_create_text",
    "submission_delete",
    "submission_fail",
    "submission_progress_update",
    "submission_start",
    "text_clean",
    "transcript_correct",
    "transcript_predictions_record",
    "transcript_record",
    "transcript_validate",
]
