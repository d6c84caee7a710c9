from .audio import (
    segment_speaker_view,
    submission_audio,
    submission_cancel_view,
    submission_new_audio,
    transcript_export_view,
    transcript_history,
    transcript_revision_revert_view,
    transcript_speaker_rename_view,
    transcript_validate_view,
)
from .replace import transcript_replace
from .submissions import (
    home,
    submission_detail,
    submission_list,
    submission_new,
    submission_remove,
    submission_result,
)

__all__ = [
    "home",
    "segment_speaker_view",
    "submission_audio",
    "submission_cancel_view",
    "submission_detail",
    "submission_list",
    "submission_new",
    "submission_new_audio",
    "submission_remove",
    "submission_result",
    "transcript_export_view",
    "transcript_history",
    "transcript_replace",
    "transcript_revision_revert_view",
    "transcript_speaker_rename_view",
    "transcript_validate_view",
]
