"""This app's endpoints under /api/v1/ (included by api/urls.py, namespace "api")."""

from django.urls import URLPattern, path

from .api.predictions import PredictionListView
from .api.recordings import RecordingChunkView, RecordingFinishView, RecordingStartView
from .api.replace import TranscriptReplaceView
from .api.submissions import (
    SubmissionAudioCreateView,
    SubmissionCancelView,
    SubmissionDetailView,
    SubmissionListView,
    SubmissionStatusView,
)
from .api.transcripts import (
    SegmentSpeakerView,
    SegmentView,
    SegmentWordAcceptView,
    SpeakerView,
    TranscriptExportView,
    TranscriptRevisionListView,
    TranscriptRevisionRevertView,
    TranscriptValidateView,
    TranscriptView,
)

ONE = "submissions/<uuid:public_id>/"

urlpatterns: list[URLPattern] = [
    path("submissions/", SubmissionListView.as_view(), name="submission-list"),
    path("submissions/audio/", SubmissionAudioCreateView.as_view(), name="submission-audio"),
    path("submissions/recordings/", RecordingStartView.as_view(), name="recording-start"),
    path(
        f"{ONE}recording/chunks/<int:index>/",
        RecordingChunkView.as_view(),
        name="recording-chunk",
    ),
    path(f"{ONE}recording/finish/", RecordingFinishView.as_view(), name="recording-finish"),
    path(ONE, SubmissionDetailView.as_view(), name="submission-detail"),
    path(f"{ONE}status/", SubmissionStatusView.as_view(), name="submission-status"),
    path(f"{ONE}cancel/", SubmissionCancelView.as_view(), name="submission-cancel"),
    path(f"{ONE}transcript/", TranscriptView.as_view(), name="submission-transcript"),
    path(
        f"{ONE}transcript/segments/<int:index>/",
        SegmentView.as_view(),
        name="transcript-segment",
    ),
    path(
        f"{ONE}transcript/segments/<int:index>/speaker/",
        SegmentSpeakerView.as_view(),
        name="transcript-segment-speaker",
    ),
    path(
        f"{ONE}transcript/segments/<int:index>/words/<int:word_index>/accept/",
        SegmentWordAcceptView.as_view(),
        name="transcript-segment-word-accept",
    ),
    path(
        f"{ONE}transcript/speakers/<str:label>/",
        SpeakerView.as_view(),
        name="transcript-speaker",
    ),
    path(
        f"{ONE}transcript/validate/",
        TranscriptValidateView.as_view(),
        name="transcript-validate",
    ),
    path(
        f"{ONE}transcript/replace/",
        TranscriptReplaceView.as_view(),
        name="transcript-replace",
    ),
    path(
        f"{ONE}transcript/revisions/",
        TranscriptRevisionListView.as_view(),
        name="transcript-revisions",
    ),
    path(
        f"{ONE}transcript/revisions/<int:version>/revert/",
        TranscriptRevisionRevertView.as_view(),
        name="transcript-revision-revert",
    ),
    path(
        f"{ONE}transcript/export/",
        TranscriptExportView.as_view(),
        name="transcript-export",
    ),
    path(f"{ONE}predictions/", PredictionListView.as_view(), name="submission-predictions"),
]
