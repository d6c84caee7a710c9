from .speech import AudioRecording, LiveSegment, Segment, Transcript, TranscriptRevision
from .submission import Prediction, Register, Submission

__all__ = [
    "AudioRecording",
    "LiveSegment",
    "Prediction",
    "Register",
    "Segment",
    "Submission",
    "Transcript",
    "TranscriptRevision",
]
