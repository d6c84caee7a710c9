"""Every change to feedback, review items, judgements and correction snapshots goes through here."""

from .corrections import correction_set_create
from .feedback import feedback_submit
from .items import review_item_open, review_item_open_uncertain
from .judgements import judgement_record

__all__ = [
    "correction_set_create",
    "feedback_submit",
    "judgement_record",
    "review_item_open",
    "review_item_open_uncertain",
]
