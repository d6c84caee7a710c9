from .recording import LiveRecording
from .speech import (
    SPEAKERS_CHOICES,
    AudioRecording,
    LiveSegment,
    Segment,
    Transcript,
    TranscriptRevision,
)
from .submission import Prediction, Register, Submission

__all__ = [
    "SPEAKERS_CHOICES",
    "AudioRecording",
    "LiveRecording",
    "LiveSegment",
    "Prediction",
    "Register",
    "Segment",
    "Submission",
    "Transcript",
    "TranscriptRevision",
]
