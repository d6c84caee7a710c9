"""Every prediction of a submission, with its sentences and the words that decided them."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import request_user
from annotation.access import Can, submission_get
from annotation.models import Prediction, Submission
from annotation.selectors import prediction_list, prediction_source_texts
from annotation.serializers import PredictionSerializer
from annotation.services import prediction_explain_request

from . import examples
from .common import EXPLAIN, PUBLIC_ID, TAG_PREDICTIONS, explain_asked


@extend_schema_view(
    get=extend_schema(
        operation_id="predictions_list",
        summary="Predictions of a submission",
        description=(
            "Every prediction made for the submission, newest first: for a text, one per run of "
            "the model; for a recording, the whole transcript's and each segment's (`segment`), "
            "for each transcript version. The one shown is the submission's `prediction`. Each "
            "sentence comes with its text and its evidence: the words that weighed most in the "
            "decision, with their offsets in the text the prediction read (for an older version "
            "of a transcript, that version's text). Use a prediction's `id` and a sentence's "
            "`index` to send feedback. Cursor pages. A prediction made in bulk (a corpus import) "
            "has no evidence until asked for (`explanations`): add `explain=1` to compute the "
            "missing evidence of this page's predictions."
        ),
        tags=[TAG_PREDICTIONS],
        parameters=[PUBLIC_ID, EXPLAIN],
        examples=[
            OpenApiExample("A text's prediction", value=examples.PREDICTION, response_only=True)
        ],
    )
)
class PredictionListView(generics.ListAPIView[Prediction]):
    serializer_class = PredictionSerializer
    queryset = Prediction.objects.none()  # the model, for the schema

    def _submission(self) -> Submission:
        return submission_get(
            user=request_user(self.request), public_id=self.kwargs["public_id"], can=Can.VIEW
        )

    def get_queryset(self) -> QuerySet[Prediction]:
        return prediction_list(submission=self._submission())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        submission = self._submission()
        page = self.paginate_queryset(prediction_list(submission=submission))
        predictions = list(page) if page is not None else []
        # The text each prediction read, for its sentences' and evidence's words.
        sources = prediction_source_texts(submission=submission, predictions=predictions)
        explaining: set[int] = set()
        if explain_asked(request.query_params):
            explaining = {p.pk for p in predictions if prediction_explain_request(prediction=p)}
        context = {**self.get_serializer_context(), "sources": sources, "explaining": explaining}
        data = PredictionSerializer(predictions, many=True, context=context).data
        return self.get_paginated_response(data)
