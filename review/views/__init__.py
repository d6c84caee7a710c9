from .corrections import correction_set_create_view, correction_set_download, corrections_page
from .feedback import feedback_create
from .queue import judgement_create, review_item_audio, review_queue

__all__ = [
    "correction_set_create_view",
    "correction_set_download",
    "corrections_page",
    "feedback_create",
    "judgement_create",
    "review_item_audio",
    "review_queue",
]
