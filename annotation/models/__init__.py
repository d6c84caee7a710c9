from .speech import AudioRecording, Segment, Transcript, TranscriptRevision
from .submission import Prediction, Register, Submission

__all__ = [
    "AudioRecording",
    "Prediction",
    "Register",
    "Segment",
    "Submission",
    "Transcript",
    "TranscriptRevision",
]
